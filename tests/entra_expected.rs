//! The engine against `tests/fixtures/entra/expected.json`: every Entra ID
//! export shape (Graph page, pages concatenated, the `value` array, the
//! admin center's JSON and CSV) gives the expected rows; loaded with a MIM
//! export, the rows of both sources stand side by side, counted by source,
//! and the same people are recognised across them; records read twice are
//! duplicates; damaged or unknown records are located and never dropped.

// These tests read fixtures from disk: native only.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use mim_reports::Analysis;
use mim_reports::ledger::Severity;
use mim_reports::report::{Source, summary_document};
use serde_json::{Value, json};

const SHAPES: [&str; 5] = [
    "graph-page.json",
    "graph-pages.json",
    "graph-value.json",
    "portal.json",
    "portal.csv",
];

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

fn load(paths: &[&str]) -> Analysis {
    let mut analysis = Analysis::new();
    for path in paths {
        let bytes = std::fs::read(fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        analysis.read_file(path, None, bytes.as_slice());
    }
    analysis
}

fn summary(analysis: &Analysis) -> Value {
    summary_document(&analysis.reports(), &analysis.final_ledger())
}

fn expected() -> Value {
    let text = std::fs::read_to_string(fixture("entra/expected.json")).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("expected.json: {e}"))
}

/// Every expected field equals the actual one; the CSV, which has no record
/// ids, names its rows by `csv_request_id`.
fn assert_rows(file: &str, report: &str, expected: &Value, actual: &Value) {
    let csv = file.ends_with(".csv");
    let (Some(exp), Some(act)) = (expected.as_array(), actual.as_array()) else {
        panic!("{file} {report}: not arrays")
    };
    assert_eq!(act.len(), exp.len(), "{file} {report}: row count");
    for (e, a) in exp.iter().zip(act) {
        let Some(fields) = e.as_object() else {
            panic!("not an object")
        };
        for (key, want) in fields {
            let (key, want) = match key.as_str() {
                "csv_request_id" => continue,
                "request_id" if csv => ("request_id", &e["csv_request_id"]),
                k => (k, want),
            };
            assert_eq!(&a[key], want, "{file} {report} {}: {key}", e["request_id"]);
        }
        assert!(a.get("warning").is_none(), "{file} {report}: a warning");
    }
}

#[test]
fn every_entra_export_shape_gives_the_expected_rows() {
    let exp = expected();
    for file in SHAPES {
        let act = summary(&load(&[&format!("entra/{file}")]));
        for report in [
            "password_reset_activity",
            "password_reset_registration",
            "self_service_groups",
        ] {
            assert_rows(
                file,
                report,
                &exp["reports"][report],
                &act["reports"][report],
            );
        }
        assert_eq!(act["other_requests"], exp["other_requests"], "{file}");
        let ids_key = if file.ends_with(".csv") {
            "other_csv_request_ids"
        } else {
            "other_request_ids"
        };
        assert_eq!(act["other_request_ids"], exp[ids_key], "{file}");
        assert_eq!(act["counts"], exp["counts"], "{file}: counts");
        assert!(
            act["diagnostics"].as_array().is_some_and(Vec::is_empty),
            "{file}: {}",
            act["diagnostics"]
        );
    }
}

#[test]
fn each_shape_is_recognised_by_its_content() {
    let formats: Vec<String> = SHAPES
        .iter()
        .map(|f| {
            let a = load(&[&format!("entra/{f}")]);
            a.ledger().files[0].format.clone()
        })
        .collect();
    assert_eq!(
        formats,
        vec![
            "Microsoft Graph directoryAudits JSON (Entra ID)",
            "Microsoft Graph directoryAudits JSON (Entra ID)",
            "Entra ID audit log JSON",
            "Entra ID audit log JSON",
            "Entra ID audit log CSV",
        ]
    );
}

#[test]
fn a_mim_export_and_an_entra_export_merge_with_counts_by_source() {
    let s = summary(&load(&["basic/wevtutil.xml", "entra/portal.csv"]));
    assert_eq!(
        s["by_source"],
        json!([
            {"source": "On-premises (MIM)", "password_reset_activity": 22,
             "password_reset_registration": 9, "self_service_groups": 15, "other_requests": 69},
            {"source": "Cloud (Entra ID)", "password_reset_activity": 5,
             "password_reset_registration": 3, "self_service_groups": 4, "other_requests": 2},
        ])
    );
    assert_eq!(s["counts"]["events_read"], 129 + 14);
    assert_eq!(s["counts"]["requests"], 120 + 14);
}

#[test]
fn the_same_person_is_recognised_across_sources() {
    let analysis = load(&["basic/wevtutil.xml", "entra/graph-page.json"]);
    let reports = analysis.reports();
    let rosa: Vec<(Source, Option<&str>)> = reports
        .password_reset_activity
        .iter()
        .filter(|r| r.origin.person_key.as_deref() == Some("rosa.moreau@contoso.com"))
        .map(|r| (r.origin.source, r.account.as_deref()))
        .collect();
    assert_eq!(
        rosa,
        vec![
            (Source::OnPremises, Some("CONTOSO\\rmoreau")),
            (Source::OnPremises, Some("CONTOSO\\rmoreau")),
            (Source::OnPremises, Some("CONTOSO\\rmoreau")),
            (Source::Cloud, Some("rosa.moreau@contoso.com")),
            (Source::Cloud, Some("rosa.moreau@contoso.com")),
            (Source::OnPremises, Some("CONTOSO\\rmoreau")),
        ]
    );
    let jose_groups = reports
        .self_service_groups
        .iter()
        .filter(|r| r.origin.person_key.as_deref() == Some("jose.holloway@contoso.com"))
        .map(|r| r.origin.source)
        .collect::<Vec<_>>();
    assert_eq!(
        jose_groups,
        vec![Source::OnPremises, Source::Cloud, Source::Cloud]
    );
}

#[test]
fn records_read_twice_are_duplicates_whatever_the_shape() {
    for pair in [
        ["entra/portal.json", "entra/graph-page.json"],
        ["entra/graph-value.json", "entra/portal.csv"],
    ] {
        let s = summary(&load(&pair));
        assert_eq!(
            s["counts"],
            json!({"events_read": 28, "request_events": 14, "requests": 14, "duplicates": 14,
                   "incomplete": 0, "not_request_log": 0, "unreadable": 0}),
            "{pair:?}"
        );
    }
}

fn read_text(text: &str) -> Analysis {
    let mut analysis = Analysis::new();
    analysis.read_file("hostile.json", None, text.as_bytes());
    analysis
}

#[test]
fn a_damaged_record_is_located_and_the_others_are_read() {
    let good = r#"{"id":"a1","activityDisplayName":"Reset password (self-service)","activityDateTime":"2024-01-15T08:30:00Z","loggedByService":"Self-service Password Management","result":"success","targetResources":[{"id":"u","type":"User","userPrincipalName":"vera.brennan@contoso.com"}]}"#;
    let bad =
        r#"{"id":"a2","activityDisplayName":"Reset password (self-service)","result":success}"#;
    let text = format!("[{good},\n{bad},\n{}]", good.replace("a1", "a3"));
    let analysis = read_text(&text);
    let r = analysis.reports();
    assert_eq!(r.password_reset_activity.len(), 2);
    assert_eq!(r.counts.events_read, 3);
    assert_eq!(r.counts.unreadable, 1);
    let d = &analysis.ledger().diagnostics[0];
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.offset, Some(good.len() as u64 + 3));
    assert!(d.message.contains("could not be read"), "{}", d.message);
}

#[test]
fn unknown_activities_go_to_other_requests_and_missing_fields_are_warned() {
    let text = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits","value":[
      {"id":"x1","activityDisplayName":"Some future activity","activityDateTime":"2024-01-15T08:30:00Z","loggedByService":"Self-service Password Management","result":"success"},
      {"id":"x2","activityDisplayName":"User registered security info","targetResources":[{"id":"u","type":"User","userPrincipalName":"lena.rasmussen@contoso.com"}]},
      {"id":"x3","category":"UserManagement"}
    ]}"#;
    let analysis = read_text(text);
    let r = analysis.reports();
    assert_eq!(r.other_requests.len(), 1);
    assert_eq!(r.other_requests[0].origin.rule, "C4");
    assert_eq!(r.password_reset_registration.len(), 1);
    let row = &r.password_reset_registration[0];
    assert_eq!(
        row.origin.warning.as_deref(),
        Some("the audit record has no activity date, result, service")
    );
    assert_eq!(row.result.label(), "Pending");
    // The record without an activity or service is unreadable, not lost.
    assert_eq!(r.counts.events_read, 3);
    assert_eq!(r.counts.request_events, 2);
    assert_eq!(r.counts.unreadable, 1);
    let messages: Vec<&str> = analysis
        .ledger()
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        messages,
        vec![
            "the audit record has no activity date, result, service",
            "an Entra audit record with neither an activity nor a service was skipped",
        ]
    );
}

fn page_of(records: &[String]) -> String {
    format!(
        "{{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits\",\
         \"@odata.nextLink\":null,\"value\":[{}]}}",
        records.join(",\n")
    )
}

fn reset_record(id: &str, second: u32) -> String {
    format!(
        r#"{{"id":"{id}","activityDisplayName":"Reset password (self-service)","activityDateTime":"2024-01-15T08:30:{second:02}Z","loggedByService":"Self-service Password Management","result":"success","targetResources":[{{"id":"u","type":"User","userPrincipalName":"vera.brennan@contoso.com"}}]}}"#
    )
}

#[test]
fn a_damaged_record_in_a_graph_page_costs_only_that_record() {
    let bad = r#"{"id":"b","activityDisplayName":"Update user","result":success}"#.to_owned();
    let records = [reset_record("a", 1), bad.clone(), reset_record("c", 3)];
    let page = page_of(&records);
    let analysis = read_text(&page);
    let r = analysis.reports();
    assert_eq!(r.password_reset_activity.len(), 2);
    assert_eq!(r.counts.events_read, 3);
    assert_eq!(r.counts.unreadable, 1);
    let diagnostics = &analysis.ledger().diagnostics;
    assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
    assert!(
        diagnostics[0]
            .message
            .starts_with("a Microsoft Graph page could not be read whole"),
        "{}",
        diagnostics[0].message
    );
    // The damaged record is located where it starts in the file.
    let at = page.find(&bad).map(|i| i as u64);
    assert_eq!(diagnostics[1].offset, at);
    assert_eq!(diagnostics[1].severity, Severity::Error);
}

#[test]
fn a_graph_page_cut_short_keeps_the_records_before_the_cut() {
    let page = page_of(&[
        reset_record("a", 1),
        reset_record("b", 2),
        reset_record("c", 3),
    ]);
    let cut = &page[..page.len() - 60];
    let analysis = read_text(cut);
    let r = analysis.reports();
    assert_eq!(r.password_reset_activity.len(), 2);
    assert_eq!(r.counts.events_read, 3);
    assert_eq!(r.counts.unreadable, 1);
    let last = analysis
        .ledger()
        .diagnostics
        .last()
        .map(|d| d.message.clone());
    assert_eq!(
        last.as_deref(),
        Some("the last JSON element is cut off: the file ends inside it (truncated export?)")
    );
}

#[test]
fn records_of_a_damaged_utf16_graph_page_are_located_by_byte_in_the_file() {
    let bad = r#"{"id":"b","activityDisplayName":"Update user","result":success}"#.to_owned();
    let page = page_of(&[reset_record("a", 1), bad.clone(), reset_record("c", 3)]);
    // UTF-16 LE with a byte-order mark: two bytes a character, two before.
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(page.encode_utf16().flat_map(u16::to_le_bytes));
    let mut analysis = Analysis::new();
    analysis.read_file("utf16.json", None, bytes.as_slice());
    let r = analysis.reports();
    assert_eq!(r.password_reset_activity.len(), 2);

    // The page's `{`, its first record and the damaged one, in the file
    // (characters 0, 121 and 393 of the text, after `,\n`).
    assert_eq!(page.find(&reset_record("a", 1)), Some(121));
    assert_eq!(page.find(&bad), Some(393));
    let diagnostics = &analysis.ledger().diagnostics;
    assert_eq!(diagnostics[0].offset, Some(2));
    assert_eq!(diagnostics[1].offset, Some(788));
    assert_eq!(diagnostics[1].severity, Severity::Error);
    assert_eq!(r.password_reset_activity[0].origin.sources[0].offset, 244);
}
