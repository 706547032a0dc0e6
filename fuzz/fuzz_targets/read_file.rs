//! Any bytes as an export: the format is sniffed and every reader can be
//! reached (XML, JSON shapes, CSV, EVTX). Nothing may panic, hang or lose an
//! event: the accounting must balance.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mim_reports::Analysis;

fuzz_target!(|data: &[u8]| {
    let mut analysis = Analysis::new();
    analysis.read_file("fuzz", Some(data.len() as u64), data);
    let counts = analysis.reports().counts;
    assert_eq!(counts.accounted(), counts.events_read);
});
