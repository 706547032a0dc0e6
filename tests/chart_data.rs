//! The charts' data for the basic fixtures, against the figures of their
//! `expected.json`: days drawn, requests per result, the busiest day, and
//! the mix of methods and actions.

// These tests read fixtures from disk: native only.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use mim_reports::Analysis;
use mim_reports::classify::Outcome;
use mim_reports::report::Reports;
use mim_reports::view::chart::{ChartRow, Period, activity, draw_activity, mix};

fn basic_reports() -> Reports {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic/wevtutil.xml");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut analysis = Analysis::new();
    analysis.read_file("wevtutil.xml", None, bytes.as_slice());
    analysis.reports()
}

fn kinds(m: &mim_reports::view::chart::Mix) -> Vec<(&str, u32)> {
    m.kinds.iter().map(|(k, n)| (k.as_str(), *n)).collect()
}

#[test]
fn password_reset_activity_spans_22_days_with_six_results() {
    let reports = basic_reports();
    let rows: Vec<ChartRow> = reports
        .password_reset_activity
        .iter()
        .map(ChartRow::from)
        .collect();
    let a = activity(&rows);
    assert_eq!(a.period, Period::Day);
    // 2024-01-04 to 2024-01-25, 16 of them with requests.
    assert_eq!(a.buckets.len(), 22);
    assert_eq!(a.buckets.iter().filter(|b| b.total() > 0).count(), 16);
    assert_eq!(a.total_of(Outcome::Success), 10);
    assert_eq!(a.total_of(Outcome::Failed), 4);
    assert_eq!(a.total_of(Outcome::LockedOut), 3);
    assert_eq!(a.total_of(Outcome::Denied), 2);
    assert_eq!(a.total_of(Outcome::Pending), 2);
    assert_eq!(a.total_of(Outcome::Canceled), 1);
    assert_eq!(
        a.summary(),
        "22 requests per day from 2024-01-04 to 2024-01-25: 10 Success, 4 Failed, 2 Denied, \
         1 Canceled, 2 Pending, 3 Locked out. Busiest day: 2024-01-08 with 2."
    );
    let d = draw_activity(&a);
    assert_eq!(d.series.len(), 6);
    let labels: Vec<&str> = d.value_ticks.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels, ["0", "1", "2"]);
    assert_eq!(
        kinds(&mix(&rows)),
        [
            ("One-time code by SMS", 7),
            ("Not recorded", 6),
            ("Questions and answers", 6),
            ("One-time code by email", 5),
            ("Phone call (MFA)", 3)
        ]
    );
}

#[test]
fn registration_and_groups_charts_match_the_expected_rows() {
    let reports = basic_reports();
    let rows: Vec<ChartRow> = reports
        .password_reset_registration
        .iter()
        .map(ChartRow::from)
        .collect();
    let a = activity(&rows);
    // 2024-01-02 to 2024-01-30, every registration a success.
    assert_eq!(a.buckets.len(), 29);
    assert_eq!(a.outcomes, [Outcome::Success]);
    assert_eq!(a.total_of(Outcome::Success), 9);
    assert_eq!(
        kinds(&mix(&rows)),
        [
            ("Mobile phone", 4),
            ("Not recorded", 3),
            ("Questions and answers", 3),
            ("Email", 1)
        ]
    );

    let rows: Vec<ChartRow> = reports
        .self_service_groups
        .iter()
        .map(ChartRow::from)
        .collect();
    let a = activity(&rows);
    // 2024-01-06 to 2024-01-31.
    assert_eq!(a.buckets.len(), 26);
    assert_eq!(
        a.outcomes,
        [
            Outcome::Success,
            Outcome::Failed,
            Outcome::Denied,
            Outcome::PendingApproval
        ]
    );
    assert_eq!(
        kinds(&mix(&rows)),
        [("Join group", 10), ("Create group", 3), ("Leave group", 2)]
    );
}
