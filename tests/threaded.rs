//! The command-line tool's two-thread reading, through the public API: a
//! file that is no export, and an observer that stops. That it gives
//! exactly what one thread gives, on every fixture set, is tested beside
//! `Analysis::read_file_threaded` in `src/lib.rs`, with the reading
//! thread also made to settle every request.

#![cfg(not(target_arch = "wasm32"))]

use mim_reports::{Analysis, Flow};

#[test]
fn a_file_that_is_no_export_is_named_so_on_two_threads() {
    let mut analysis = Analysis::new();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    analysis.read_file_threaded("photo.png", Some(png.len() as u64), &png[..], &mut |_| {
        Flow::Continue
    });
    let ledger = analysis.final_ledger();
    assert_eq!(ledger.files[0].format, "not recognised");
    assert_eq!(ledger.totals().events_read, 0);
    assert_eq!(ledger.diagnostics.len(), 1);
}

#[test]
fn an_observer_that_stops_ends_the_reading_on_two_threads_too() {
    // 2,000 events of another source: the observer hears of the 512th and
    // stops; the reading thread may have read ahead, but not to the end.
    let mut xml = String::new();
    for i in 0..2000 {
        xml.push_str(&format!(
            "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
             <Provider Name='Other'/><EventID>1</EventID><EventRecordID>{i}</EventRecordID>\
             <Channel>Application</Channel><Computer>c</Computer>\
             <TimeCreated SystemTime='2024-01-01T00:00:00Z'/></System>\
             <EventData><Data>{}</Data></EventData></Event>\r\n",
            "x".repeat(4000)
        ));
    }
    let mut analysis = Analysis::new();
    let mut heard = 0;
    analysis.read_file_threaded(
        "big.xml",
        Some(xml.len() as u64),
        xml.as_bytes(),
        &mut |_| {
            heard += 1;
            Flow::Stop
        },
    );
    let ledger = analysis.final_ledger();
    let file = &ledger.files[0];
    assert_eq!(heard, 1);
    assert!(file.stopped_early);
    assert!(
        file.bytes_read < xml.len() as u64,
        "{} of {}",
        file.bytes_read,
        xml.len()
    );
    let read = ledger.totals().events_read;
    assert!((512..2000).contains(&read), "{read} events read");
    assert_eq!(ledger.totals().not_request_log, read);
}
