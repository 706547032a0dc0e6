//! The engine against the fixtures' `expected.json`: for every export format
//! and load, the rows of the three reports, Other requests and the
//! accounting must be exactly the expected ones.

// These tests read fixtures from disk or fork processes: native only.
#![cfg(not(target_arch = "wasm32"))]

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use mim_reports::Analysis;
use mim_reports::report::summary_document;
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn load(set: &str, files: &[&str]) -> Value {
    let mut analysis = Analysis::new();
    for name in files {
        let path = fixtures().join(set).join(name);
        let file = File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        analysis.read_file(name, None, BufReader::new(file));
    }
    summary_document(&analysis.reports(), &analysis.final_ledger())
}

fn expected(set: &str) -> Value {
    let path = fixtures().join(set).join("expected.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The fields of `expected` (rule compared by its id, the text before the
/// first space) must equal those of `actual`.
fn assert_rows_match(report: &str, label: &str, expected: &Value, actual: &Value) {
    let (Some(exp), Some(act)) = (expected.as_array(), actual.as_array()) else {
        panic!("{label} {report}: not arrays");
    };
    let exp_ids: Vec<&Value> = exp.iter().map(|r| &r["request_id"]).collect();
    let act_ids: Vec<&Value> = act.iter().map(|r| &r["request_id"]).collect();
    assert_eq!(act_ids, exp_ids, "{label} {report}: rows (in order)");
    for (e, a) in exp.iter().zip(act) {
        let Some(fields) = e.as_object() else {
            panic!("row is not an object")
        };
        for (key, want) in fields {
            let got = &a[key.as_str()];
            if key == "rule" {
                let want_id = want.as_str().and_then(|s| s.split(' ').next());
                assert_eq!(
                    got.as_str(),
                    want_id,
                    "{label} {report} {}: rule",
                    e["request_id"]
                );
            } else {
                assert_eq!(
                    got, want,
                    "{label} {report} {}: field {key}",
                    e["request_id"]
                );
            }
        }
        if e.get("warning").is_none() {
            assert!(
                a.get("warning").is_none(),
                "{label} {report} {}: unexpected warning",
                e["request_id"]
            );
        }
    }
}

fn assert_load_matches(set: &str, files: &[&str]) {
    assert_load_matches_set(set, files, set);
}

/// Like `assert_load_matches`, for files kept in another folder than the
/// `expected.json` they must match.
fn assert_load_matches_set(set: &str, files: &[&str], expected_set: &str) {
    let exp = expected(expected_set);
    let act = load(set, files);
    let label = format!("{set}/{}", files.join("+"));
    for report in [
        "password_reset_activity",
        "password_reset_registration",
        "self_service_groups",
    ] {
        assert_rows_match(
            report,
            &label,
            &exp["reports"][report],
            &act["reports"][report],
        );
    }
    assert_eq!(
        act["other_requests"], exp["other_requests"],
        "{label}: other requests"
    );
    let mut other_ids: Vec<Value> = act["other_request_ids"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    other_ids.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    assert_eq!(
        Value::Array(other_ids),
        exp["other_request_ids"],
        "{label}: other request ids"
    );
    assert_eq!(act["counts"], exp["counts"], "{label}: counts");
    assert_eq!(
        act["folded_gate_registrations"], exp["folded_gate_registrations"],
        "{label}: folded"
    );
    let incomplete: Vec<Value> = act["incomplete_requests"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| {
                    serde_json::json!({"request_id": i["request_id"], "slices": i["slices"],
                        "missing": i["missing"], "present": i["present"]})
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        Value::Array(incomplete),
        exp["incomplete_requests"],
        "{label}: incomplete requests"
    );
}

#[test]
fn basic_event_viewer_xml_utf16() {
    assert_load_matches("basic", &["eventviewer.xml"]);
}

#[test]
fn basic_wevtutil_xml_without_root() {
    assert_load_matches("basic", &["wevtutil.xml"]);
}

#[test]
fn basic_powershell_51_get_winevent() {
    assert_load_matches("basic", &["ps51-getwinevent.json"]);
}

#[test]
fn basic_powershell_7_get_winevent() {
    assert_load_matches("basic", &["ps7-getwinevent.json"]);
}

#[test]
fn basic_powershell_get_eventlog() {
    assert_load_matches("basic", &["ps51-geteventlog.json"]);
}

#[test]
fn basic_event_viewer_csv_local_times() {
    assert_load_matches("basic", &["eventviewer.csv"]);
}

#[test]
fn basic_winlogbeat_ndjson() {
    assert_load_matches("basic", &["winlogbeat.ndjson"]);
}

#[test]
fn basic_sentinel_event_table_json() {
    assert_load_matches("basic", &["sentinel-event.json"]);
}

/// Made from `basic/wevtutil.xml` by `tests/make_evtx_dump.py`.
#[test]
fn evtx_dump_json_with_record_lines_and_text_event_ids() {
    assert_load_matches_set("evtx-dump", &["evtx_dump.json"], "basic");
}

/// Made from `basic/wevtutil.xml` by `tests/make_evtx_dump.py`.
#[test]
fn evtx_dump_json_lines_with_separate_attributes() {
    assert_load_matches_set("evtx-dump", &["evtx_dump.jsonl"], "basic");
}

#[test]
fn edge_event_viewer_csv_both_parts_with_unregistered_message_file() {
    assert_load_matches("edge", &["eventviewer-part1.csv", "eventviewer-part2.csv"]);
}

#[test]
fn edge_event_viewer_xml_both_parts() {
    assert_load_matches("edge", &["eventviewer-part1.xml", "eventviewer-part2.xml"]);
}

#[test]
fn edge_powershell_51_both_parts() {
    assert_load_matches(
        "edge",
        &["ps51-getwinevent-part1.json", "ps51-getwinevent-part2.json"],
    );
}

#[test]
fn edge_parts_in_reverse_order_give_the_same_reports() {
    assert_load_matches("edge", &["eventviewer-part2.xml", "eventviewer-part1.xml"]);
}

#[test]
fn every_basic_format_together_gives_the_same_reports_and_counts_duplicates() {
    let files = [
        "eventviewer.xml",
        "wevtutil.xml",
        "ps51-getwinevent.json",
        "ps7-getwinevent.json",
        "ps51-geteventlog.json",
        "eventviewer.csv",
        "winlogbeat.ndjson",
        "sentinel-event.json",
    ];
    let exp = expected("basic");
    let act = load("basic", &files);
    for report in [
        "password_reset_activity",
        "password_reset_registration",
        "self_service_groups",
    ] {
        assert_rows_match(
            report,
            "basic/all",
            &exp["reports"][report],
            &act["reports"][report],
        );
    }
    assert_eq!(act["other_requests"], exp["other_requests"]);
    let counts = &act["counts"];
    assert_eq!(counts["events_read"], 129 * 8);
    assert_eq!(counts["request_events"], 125);
    assert_eq!(counts["requests"], 120);
    assert_eq!(counts["unreadable"], 0);
    // Foreign events of the CSV and Sentinel files cannot be matched by
    // record id, so how many are duplicates depends on the formats; the
    // buckets must still add up.
    let bucket = |k: &str| counts[k].as_u64().unwrap_or_default();
    assert_eq!(
        bucket("request_events")
            + bucket("duplicates")
            + bucket("incomplete")
            + bucket("not_request_log")
            + bucket("unreadable"),
        bucket("events_read")
    );
}

#[test]
fn each_basic_file_is_recognised_by_its_content() {
    let names = [
        ("eventviewer.csv", "Event Viewer CSV (Save Events As)"),
        ("winlogbeat.ndjson", "Winlogbeat JSON lines"),
        ("sentinel-event.json", "Microsoft Sentinel Event table JSON"),
        ("ps51-geteventlog.json", "PowerShell Get-EventLog JSON"),
    ];
    for (name, format) in names {
        let doc = load("basic", &[name]);
        assert_eq!(doc["files"][0]["format"], format, "{name}");
    }
}

#[test]
fn event_viewer_csv_says_its_times_have_no_zone() {
    let doc = load("basic", &["eventviewer.csv"]);
    let said = doc["diagnostics"].as_array().is_some_and(|ds| {
        ds.iter().any(|d| {
            d["severity"] == "Info"
                && d["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("without a zone"))
        })
    });
    assert!(said);
}
