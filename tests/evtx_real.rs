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
    assert_eq!(c.events_read, expected_records(name), "{name}: events read");
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
    let said = analysis
        .ledger()
        .diagnostics
        .iter()
        .any(|d| d.message.contains("data size") && d.offset == Some(4096));
    assert!(said, "the zero-size record is named with its chunk");
}

#[test]
fn a_chunk_with_bad_magic_is_reported_and_the_other_chunks_are_read() {
    // Two chunks with bad magic and one record with a bad header.
    assert_eq!(check("sample_with_a_bad_chunk_magic.evtx"), 3);
}

#[test]
fn damaged_sysmon_log_keeps_its_readable_records() {
    // Eight chunks overwritten with other data.
    assert_eq!(check("sysmon.evtx"), 8);
}
