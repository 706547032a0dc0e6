//! Real `.evtx` logs from other sources (clean and damaged): every record
//! the file holds is read, none is taken for a MIM request, each is counted
//! as not from the request log, and damage is reported with its place.

// These tests read fixtures from disk or fork processes: native only.
#![cfg(not(target_arch = "wasm32"))]

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use mim_reports::Analysis;
use mim_reports::ledger::Severity;
use serde_json::Value;

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/evtx-real")
}

fn read(name: &str) -> Analysis {
    let path = folder().join(name);
    let file = File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut analysis = Analysis::new();
    analysis.read_file(name, None, BufReader::new(file));
    analysis
}

fn expected_records(name: &str) -> u64 {
    let path = folder().join("counts.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let counts: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    counts[name]["records"]
        .as_u64()
        .unwrap_or_else(|| panic!("{name}: no record count"))
}

/// Reads one log and checks the accounting; returns the error diagnostics.
fn check(name: &str) -> usize {
    let analysis = read(name);
    let reports = analysis.reports();
    let c = &reports.counts;
    let ledger = analysis.final_ledger();
    assert_eq!(ledger.files[0].format, "EVTX event log (binary)", "{name}");
    // A record whose header cannot be read is an event read, unreadable;
    // evtx_dump counts it among its errors, not its records.
    assert_eq!(
        c.events_read - c.unreadable,
        expected_records(name),
        "{name}: records read"
    );
    assert_eq!(reports.requests, 0, "{name}: requests");
    assert_eq!(c.request_events, 0, "{name}: request events");
    assert_eq!(
        c.not_request_log + c.unreadable,
        c.events_read,
        "{name}: every event accounted"
    );
    let errors: Vec<_> = ledger
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    for d in &errors {
        assert_eq!(d.file, Some(0), "{name}: {}", d.message);
        assert!(d.offset.is_some(), "{name}: unlocated: {}", d.message);
    }
    if c.unreadable > 0 {
        assert!(
            !errors.is_empty(),
            "{name}: unreadable events without a reason"
        );
    }
    errors.len()
}

#[test]
fn clean_logs_read_every_record_without_errors() {
    for name in [
        "Application_no_crc32.evtx",
        "MSExchange_Management_wec.evtx",
        "Security_short_selected.evtx",
        "issue_201.evtx",
        "new-user-security.evtx",
        "sample-with-irregular-bool-values.evtx",
        "security.evtx",
        "security_bad_string_cache.evtx",
        "system.evtx",
    ] {
        assert_eq!(check(name), 0, "{name}: errors");
    }
}

#[test]
fn a_zero_size_record_is_reported_and_the_rest_are_read() {
    assert_eq!(check("sample-with-zero-data-size-event.evtx"), 1);
    let analysis = read("sample-with-zero-data-size-event.evtx");
    assert_eq!(
        analysis.reports().counts.unreadable,
        1,
        "the record is counted"
    );
    let said = analysis
        .ledger()
        .diagnostics
        .iter()
        .any(|d| d.message.contains("data size") && d.offset == Some(4096));
    assert!(said, "the zero-size record is named with its chunk");
}

#[test]
fn a_chunk_with_bad_magic_is_reported_and_the_other_chunks_are_read() {
    // Two chunks with bad magic and one record with a bad header, which is
    // counted as an unreadable event.
    assert_eq!(check("sample_with_a_bad_chunk_magic.evtx"), 3);
    let analysis = read("sample_with_a_bad_chunk_magic.evtx");
    assert_eq!(analysis.reports().counts.unreadable, 1);
    assert_eq!(analysis.reports().counts.events_read, 302);
}

#[test]
fn damaged_sysmon_log_keeps_its_readable_records() {
    // Eight chunks overwritten with other data: their records cannot be
    // counted, only the chunks named.
    assert_eq!(check("sysmon.evtx"), 8);
    assert_eq!(read("sysmon.evtx").reports().counts.unreadable, 0);
}

/// The file's bytes with its first record's header set to the largest
/// record id and, when `filetime` is given, that FILETIME.
fn with_first_record(name: &str, record_id: u64, filetime: Option<u64>) -> Vec<u8> {
    let mut bytes = std::fs::read(folder().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    // Records follow the 4096-byte file header and the 512-byte chunk header;
    // each opens with the magic `**\0\0`, its size, its id and its FILETIME.
    let first = 4096 + 512;
    assert_eq!(
        &bytes[first..first + 4],
        b"\x2a\x2a\x00\x00",
        "{name}: record magic"
    );
    bytes[first + 8..first + 16].copy_from_slice(&record_id.to_le_bytes());
    if let Some(filetime) = filetime {
        bytes[first + 16..first + 24].copy_from_slice(&filetime.to_le_bytes());
    }
    bytes
}

#[test]
fn the_largest_record_id_stays_exact() {
    let bytes = with_first_record("Application_no_crc32.evtx", u64::MAX, None);
    let mut analysis = Analysis::new();
    analysis.read_file("max-id.evtx", None, bytes.as_slice());
    let c = analysis.reports().counts;
    assert_eq!(c.events_read, 17);
    assert_eq!(c.not_request_log, 17);
    // The id is kept exact, as text, wherever it is shown.
    let json = serde_json::to_string(&analysis.final_ledger()).unwrap_or_default();
    assert!(!json.contains("1.8446744073709552e19"), "{json}");
}

#[test]
fn a_filetime_at_its_maximum_is_a_located_error_and_the_other_records_are_read() {
    let bytes = with_first_record("Application_no_crc32.evtx", 1, Some(u64::MAX));
    let mut analysis = Analysis::new();
    analysis.read_file("max-filetime.evtx", None, bytes.as_slice());
    let c = analysis.reports().counts;
    assert_eq!(c.events_read, 17, "every record counted");
    assert_eq!(c.not_request_log + c.unreadable, 17);
    let ledger = analysis.final_ledger();
    let errors: Vec<_> = ledger
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    for d in &errors {
        assert!(d.offset.is_some(), "unlocated: {}", d.message);
    }
    assert_eq!(c.unreadable, errors.len() as u64, "{errors:?}");
}
