//! The command-line tool's two-thread reading gives exactly what the one
//! thread gives: the same rows, accounting and diagnostics, file by file and
//! for files that share requests.

#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::Path;

use mim_reports::report::summary_document;
use mim_reports::{Analysis, Flow};

/// The `--json` document of reading `files` in order, on one thread or two.
fn document(files: &[&str], threaded: bool) -> serde_json::Value {
    let mut analysis = Analysis::new();
    for name in files {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let bytes = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let size = Some(bytes.len() as u64);
        let mut observer = |_| Flow::Continue;
        if threaded {
            analysis.read_file_threaded(name, size, bytes.as_slice(), &mut observer);
        } else {
            analysis.read_file_observed(name, size, bytes.as_slice(), &mut observer);
        }
    }
    summary_document(&analysis.reports(), &analysis.final_ledger())
}

#[test]
fn every_fixture_reads_the_same_on_two_threads() {
    let sets: &[&[&str]] = &[
        &["basic/eventviewer.xml"],
        &["basic/eventviewer.csv"],
        &["basic/wevtutil.xml"],
        &["basic/ps51-getwinevent.json"],
        &["basic/ps7-getwinevent.json"],
        &["basic/ps51-geteventlog.json"],
        &["basic/sentinel-event.json"],
        &["basic/winlogbeat.ndjson"],
        &["edge/eventviewer-part1.xml", "edge/eventviewer-part2.xml"],
        &[
            "edge/ps51-getwinevent-part1.json",
            "edge/ps51-getwinevent-part2.json",
        ],
        &["entra/portal.csv", "entra/graph-pages.json"],
        &[
            "evtx-real/security.evtx",
            "evtx-real/sample_with_a_bad_chunk_magic.evtx",
        ],
        &["hostile/markup-in-names.xml"],
    ];
    for files in sets {
        let one = document(files, false);
        let two = document(files, true);
        assert!(
            one["counts"]["events_read"].as_u64().is_some_and(|n| n > 0),
            "{files:?}"
        );
        assert_eq!(one, two, "{files:?}");
    }
}

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
