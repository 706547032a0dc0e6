//! Any text as a request document: the lenient parser and the classifier
//! must never panic, whatever the damage.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mim_reports::classify::classify;
use mim_reports::request::parse_request;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(req) = parse_request(&text) {
        let _ = classify(&req, None);
    }
});
