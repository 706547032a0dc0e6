//! Any bytes as a binary EVTX log, straight into the chunk reader: damaged
//! headers, chunks and records must give located messages, never a panic
//! or a hang, and every item must be located inside the input.
#![no_main]

mod located;

use libfuzzer_sys::fuzz_target;
use mim_reports::ingest::{ReadItem, evtx_file};

fuzz_target!(|data: &[u8]| {
    let mut sink = |item: ReadItem| located::assert_located(&item, data.len());
    let _ = evtx_file::read_events(0, data, &mut sink);
});
