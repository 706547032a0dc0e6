//! Arbitrary event payloads, cut into slice-like events in any order, fed to
//! the reassembler: no panic, and every event is accounted for once.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mim_reports::assemble::{Assembly, Reassembler};
use mim_reports::event::{EventOrigin, EventRecord, Payload, REQUEST_LOG_PROVIDER};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut r = Reassembler::new();
    let mut seen = 0u64;
    let mut in_requests = 0u64;
    let mut other = 0u64;
    // Each line is one event; its first byte picks the event id and record id.
    for (i, line) in text.split('\n').enumerate() {
        let selector = line.bytes().next().unwrap_or(0);
        let event = EventRecord {
            origin: EventOrigin { file: 0, offset: i as u64, record_id: (selector % 3 == 0).then_some(u64::from(selector)) },
            event_id: Some(if selector % 2 == 0 { 4137 } else { 4121 }),
            provider: Some(REQUEST_LOG_PROVIDER.to_owned()),
            channel: None,
            computer: None,
            time: None,
            payload: Payload::Data(line.to_owned()),
        };
        seen += 1;
        match r.accept(event) {
            Assembly::Complete(req) => in_requests += req.origins.len() as u64,
            Assembly::Waiting => {}
            _ => other += 1,
        }
    }
    let waiting = r.waiting_origins().count() as u64;
    assert_eq!(in_requests + waiting + other, seen);
});
