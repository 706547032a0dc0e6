//! Any bytes straight into the JSON readers, past the sniffer: the first
//! byte picks the whole-document framer (arrays, PowerShell, Sentinel,
//! evtx_dump) or the one-object-a-line reader (Winlogbeat, NXLog behind a
//! syslog prefix). No panic, no hang, every item located inside the input.
#![no_main]

mod located;

use libfuzzer_sys::fuzz_target;
use mim_reports::ingest::{ReadItem, decode::TextDecoder, json};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(mut text) = TextDecoder::new(rest) else {
        return;
    };
    let mut sink = |item: ReadItem| located::assert_located(&item, rest.len());
    let _ = if selector % 2 == 0 {
        json::read_events(0, &mut text, &mut sink)
    } else {
        json::read_prefixed_lines(0, &mut text, &mut sink)
    };
});
