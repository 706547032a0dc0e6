//! Any bytes straight into the XML event reader, past the sniffer, so the
//! fuzzer spends its time inside the framer and the per-event parser. No
//! panic, no hang, and every item it hands on is located inside the input.
#![no_main]

mod located;

use libfuzzer_sys::fuzz_target;
use mim_reports::ingest::{ReadItem, decode::TextDecoder, xml};

fuzz_target!(|data: &[u8]| {
    let Ok(mut text) = TextDecoder::new(data) else {
        return;
    };
    let mut sink = |item: ReadItem| located::assert_located(&item, data.len());
    let _ = xml::read_events(0, &mut text, &mut sink);
});
