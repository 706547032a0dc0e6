//! Reading a row's events again by byte range gives back what the load
//! read: for every export format of the basic fixtures, every source of
//! every row is found again at its offset, with the same text, and the
//! request put back together from them is the row's request.

// These tests read fixtures from disk: native only.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use mim_reports::Analysis;
use mim_reports::event::{EventOrigin, EventRecord};
use mim_reports::ingest::{self, ReadItem};
use mim_reports::report::Reports;
use mim_reports::request::parse_request;
use mim_reports::view::reread::{
    HEAD_BYTES, Reread, first_range, request_text, reread, slice_position, wider,
};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// Reads the event at `origin` again from `bytes`, widening the window as
/// the page does.
fn read_again(bytes: &[u8], origin: &EventOrigin) -> Result<EventRecord, String> {
    let size = bytes.len() as u64;
    let head = &bytes[..bytes.len().min(HEAD_BYTES as usize)];
    let mut range = first_range(head, origin, size);
    loop {
        let window = &bytes[range.start as usize..range.end as usize];
        match reread(head, origin, range, window, size) {
            Reread::Found(record) => return Ok(record),
            Reread::Failed(why) => return Err(why),
            Reread::NeedMore => match wider(range, size) {
                Some(next) => range = next,
                None => return Err(format!("no end in sight at {}", origin.offset)),
            },
        }
    }
}

/// Every row of the reports: its request id and the events it came from.
fn rows(reports: &Reports) -> Vec<(String, Vec<EventOrigin>)> {
    let origins = reports
        .password_reset_activity
        .iter()
        .map(|r| &r.origin)
        .chain(
            reports
                .password_reset_registration
                .iter()
                .map(|r| &r.origin),
        )
        .chain(reports.self_service_groups.iter().map(|r| &r.origin))
        .chain(reports.other_requests.iter().map(|r| &r.origin));
    origins
        .map(|o| (o.request_id.clone(), o.sources.clone()))
        .collect()
}

/// Checks every row of one file; returns (rows, sources, sliced sources).
fn check_file(path: &str) -> (usize, usize, usize) {
    let bytes = std::fs::read(fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    // The events as the load read them, by offset.
    let mut read: HashMap<u64, EventRecord> = HashMap::new();
    let mut sink = |item: ReadItem| {
        if let ReadItem::Event { record, .. } = item {
            read.insert(record.origin.offset, record);
        }
    };
    let result = ingest::read_file(0, bytes.as_slice(), &mut |_| {}, &mut sink);
    assert!(result.is_ok(), "{path}: {result:?}");
    let mut analysis = Analysis::new();
    analysis.read_file(path, None, bytes.as_slice());
    let rows = rows(&analysis.reports());
    assert!(!rows.is_empty(), "{path}: no rows");

    let (mut sources, mut sliced) = (0, 0);
    for (request_id, origins) in &rows {
        let mut again = Vec::new();
        for origin in origins {
            let record =
                read_again(&bytes, origin).unwrap_or_else(|e| panic!("{path} {request_id}: {e}"));
            let before = &read[&origin.offset];
            assert_eq!(record.payload, before.payload, "{path} {request_id}");
            assert_eq!(record.event_id, before.event_id, "{path} {request_id}");
            assert_eq!(record.origin, *origin, "{path} {request_id}");
            if let Some((number, total)) = slice_position(&record) {
                assert_eq!(total as usize, origins.len(), "{path} {request_id}");
                assert!(number >= 1 && number <= total, "{path} {request_id}");
                sliced += 1;
            }
            sources += 1;
            again.push(record);
        }
        let text = request_text(again).unwrap_or_else(|e| panic!("{path} {request_id}: {e}"));
        let request = parse_request(&text).unwrap_or_else(|e| panic!("{path} {request_id}: {e}"));
        assert_eq!(&request.id, request_id, "{path}");
    }
    (rows.len(), sources, sliced)
}

// The basic set: 129 events; the requests that reached a report or Other
// requests, of which four came in 4137 slices (two of two slices, one of
// two, one of three: nine slices).
const BASIC_FILES: [&str; 8] = [
    "basic/eventviewer.xml",
    "basic/wevtutil.xml",
    "basic/ps51-getwinevent.json",
    "basic/ps7-getwinevent.json",
    "basic/ps51-geteventlog.json",
    "basic/eventviewer.csv",
    "basic/winlogbeat.ndjson",
    "basic/sentinel-event.json",
];

#[test]
fn every_source_of_every_row_is_read_again_by_its_byte_range_in_every_basic_format() {
    for path in BASIC_FILES {
        let (_, _, sliced) = check_file(path);
        assert_eq!(sliced, 9, "{path}: slices of the four sliced requests");
    }
}

#[test]
fn evtx_records_are_read_again_from_their_chunk() {
    // No MIM log among the real EVTX files: every event of one is read
    // again instead (records of several chunks).
    let path = "evtx-real/security.evtx";
    let bytes = std::fs::read(fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut read = Vec::new();
    let mut sink = |item: ReadItem| {
        if let ReadItem::Event { record, .. } = item {
            read.push(record);
        }
    };
    let result = ingest::read_file(0, bytes.as_slice(), &mut |_| {}, &mut sink);
    assert!(result.is_ok(), "{path}: {result:?}");
    let chunks: std::collections::HashSet<u64> = read
        .iter()
        .map(|r| (r.origin.offset - 4096) / 65536)
        .collect();
    assert!(
        read.len() > 100 && chunks.len() > 1,
        "{} events",
        read.len()
    );
    // Every seventh record, so that the test stays quick.
    for before in read.iter().step_by(7) {
        let again = read_again(&bytes, &before.origin).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(&again, before, "{path}");
    }
}

#[test]
fn an_event_that_is_no_longer_at_its_offset_is_reported_not_guessed() {
    let bytes = std::fs::read(fixture("basic/wevtutil.xml")).unwrap_or_default();
    let mut analysis = Analysis::new();
    analysis.read_file("wevtutil.xml", None, bytes.as_slice());
    let reports = analysis.reports();
    let origin = reports.password_reset_activity[0].origin.sources[0].clone();
    // The same events, shifted by a line added at the start of the file.
    let mut changed = b"<!-- edited -->\n".to_vec();
    changed.extend_from_slice(&bytes);
    let result = read_again(&changed, &origin);
    assert!(
        matches!(&result, Err(why) if why.contains("has the file changed")),
        "{result:?}"
    );
}
