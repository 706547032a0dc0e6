//! The filters, summaries and columns of the reports against the `basic`
//! fixture: the counts are those its `expected.json` lists (22 password
//! reset rows from 2024-01-04 to 2024-01-25: 10 Success, 4 Failed, 3 Locked
//! out, 2 Denied, 2 Pending, 1 Canceled; 9 registrations to 2024-01-30; 15
//! group rows to 2024-01-31).

// These tests read fixtures from disk: native only.
#![cfg(not(target_arch = "wasm32"))]

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use chrono::NaiveDate;
use mim_reports::Analysis;
use mim_reports::export::{ReportColumns, to_csv};
use mim_reports::report::Reports;
use mim_reports::view::filter::{DateRange, Facet, ReportFilter, facet_options, latest_day};
use mim_reports::view::fragment;
use mim_reports::view::summary::summarise;

fn basic() -> Reports {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic/wevtutil.xml");
    let file = File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut analysis = Analysis::new();
    analysis.read_file("wevtutil.xml", None, BufReader::new(file));
    analysis.reports()
}

fn with(facet: Facet, value: &str) -> ReportFilter {
    let mut filter = ReportFilter::default();
    filter.facets.insert(facet, value.to_owned());
    filter
}

fn day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

#[test]
fn no_filter_lets_every_row_through() {
    let reports = basic();
    let all = ReportFilter::default();
    assert_eq!(all.matching(&reports.password_reset_activity).len(), 22);
    assert_eq!(all.matching(&reports.password_reset_registration).len(), 9);
    assert_eq!(all.matching(&reports.self_service_groups).len(), 15);
    assert_eq!(all.matching(&reports.other_requests).len(), 69);
}

#[test]
fn a_result_filter_keeps_the_rows_of_that_result() {
    let rows = basic().password_reset_activity;
    let failed = with(Facet::Result, "Failed").matching(&rows);
    assert_eq!(failed.len(), 4);
    assert!(failed.iter().all(|&p| rows[p].result.label() == "Failed"));
    assert_eq!(with(Facet::Result, "Locked out").matching(&rows).len(), 3);
    assert_eq!(with(Facet::Result, "failed").matching(&rows).len(), 0);
}

#[test]
fn a_method_filter_finds_rows_with_that_method_among_others() {
    let rows = basic().password_reset_activity;
    // 5 with SMS alone, 1 with SMS and questions, 1 with SMS and a phone call.
    assert_eq!(
        with(Facet::Method, "One-time code by SMS")
            .matching(&rows)
            .len(),
        7
    );
    assert_eq!(with(Facet::Method, "Not recorded").matching(&rows).len(), 6);
    let mut sms_failed = with(Facet::Method, "One-time code by SMS");
    sms_failed.facets.insert(Facet::Result, "Failed".into());
    assert_eq!(sms_failed.matching(&rows).len(), 1);
}

#[test]
fn an_action_filter_applies_to_groups_and_is_ignored_where_it_means_nothing() {
    let reports = basic();
    let joins = with(Facet::Action, "Join group");
    assert_eq!(joins.matching(&reports.self_service_groups).len(), 10);
    assert_eq!(joins.matching(&reports.password_reset_activity).len(), 22);
}

#[test]
fn date_presets_count_back_from_the_latest_row() {
    let reports = basic();
    let week = ReportFilter {
        range: DateRange::LastDays(7),
        ..ReportFilter::default()
    };
    let month = ReportFilter {
        range: DateRange::LastDays(30),
        ..ReportFilter::default()
    };
    // Password resets: the latest is on 2024-01-25, so 2024-01-19 onwards.
    assert_eq!(week.matching(&reports.password_reset_activity).len(), 8);
    assert_eq!(month.matching(&reports.password_reset_activity).len(), 22);
    assert_eq!(week.matching(&reports.password_reset_registration).len(), 4);
    assert_eq!(week.matching(&reports.self_service_groups).len(), 2);
}

#[test]
fn a_custom_range_includes_both_days() {
    let reports = basic();
    let range = ReportFilter {
        range: DateRange::Custom {
            from: day("2024-01-10"),
            to: day("2024-01-20"),
        },
        ..ReportFilter::default()
    };
    assert_eq!(range.matching(&reports.password_reset_activity).len(), 11);
    assert_eq!(
        range.matching(&reports.password_reset_registration).len(),
        2
    );
    assert_eq!(range.matching(&reports.self_service_groups).len(), 9);
    let open_end = ReportFilter {
        range: DateRange::Custom {
            from: day("2024-01-25"),
            to: None,
        },
        ..ReportFilter::default()
    };
    assert_eq!(open_end.matching(&reports.password_reset_activity).len(), 1);
}

#[test]
fn free_text_searches_every_column_case_aside() {
    let rows = basic().password_reset_activity;
    let text = |t: &str| {
        ReportFilter {
            text: t.into(),
            ..ReportFilter::default()
        }
        .matching(&rows)
    };
    let rosa = text("rosa MOREAU");
    assert!(!rosa.is_empty());
    assert!(
        rosa.iter()
            .all(|&p| rows[p].user.as_deref() == Some("Rosa Moreau"))
    );
    assert_eq!(text("contoso\\rmoreau"), rosa);
    // The date as the page writes it, and as the export writes it.
    assert_eq!(text("2024-01-04 15:41").len(), 1);
    assert_eq!(text("2024-01-04T15:41:31.748Z").len(), 1);
    // The rule's name, which the export writes after its id, and blank
    // text, which filters nothing.
    let by_rule_1a = text("resetpassword set on a person");
    assert!(!by_rule_1a.is_empty());
    assert!(by_rule_1a.iter().all(|&p| rows[p].origin.rule == "1a"));
    assert_eq!(text("  ").len(), 22);
    assert!(text("no such thing anywhere").is_empty());
}

#[test]
fn other_requests_filter_on_their_own_columns() {
    let rows = basic().other_requests;
    let mut total = 0;
    for operation in facet_options(&rows, Facet::Operation) {
        let shown = with(Facet::Operation, &operation).matching(&rows);
        assert!(shown.iter().all(|&p| rows[p].operation == operation));
        total += shown.len();
    }
    assert_eq!(total, 69);
    let requestors = facet_options(&rows, Facet::Requestor);
    assert!(!requestors.is_empty());
    let first = with(Facet::Requestor, &requestors[0]).matching(&rows);
    assert!(!first.is_empty());
    assert!(first.iter().all(|&p| rows[p].requestor == requestors[0]));
}

#[test]
fn result_options_follow_the_result_order() {
    let rows = basic().password_reset_activity;
    assert_eq!(
        facet_options(&rows, Facet::Result),
        [
            "Success",
            "Failed",
            "Denied",
            "Canceled",
            "Pending",
            "Locked out"
        ]
    );
    assert_eq!(
        facet_options(&basic().self_service_groups, Facet::Action),
        ["Create group", "Join group", "Leave group"]
    );
}

#[test]
fn the_summary_counts_the_filtered_rows_by_result_and_method() {
    let rows = basic().password_reset_activity;
    let all: Vec<usize> = (0..rows.len()).collect();
    let summary = summarise(&rows, &all);
    assert_eq!((summary.shown, summary.total), (22, 22));
    let results: Vec<(&str, usize)> = summary
        .by_result
        .iter()
        .map(|(v, n)| (v.as_str(), *n))
        .collect();
    assert_eq!(
        results,
        [
            ("Success", 10),
            ("Failed", 4),
            ("Denied", 2),
            ("Canceled", 1),
            ("Pending", 2),
            ("Locked out", 3)
        ]
    );
    assert_eq!(summary.second, Some(Facet::Method));
    assert_eq!(summary.by_second[0], ("One-time code by SMS".to_owned(), 7));

    let failed = with(Facet::Result, "Failed").matching(&rows);
    let summary = summarise(&rows, &failed);
    assert_eq!((summary.shown, summary.total), (4, 22));
    assert_eq!(summary.by_result, [("Failed".to_owned(), 4)]);
}

#[test]
fn the_group_summary_counts_actions() {
    let rows = basic().self_service_groups;
    let all: Vec<usize> = (0..rows.len()).collect();
    let summary = summarise(&rows, &all);
    assert_eq!(summary.second, Some(Facet::Action));
    assert_eq!(
        summary.by_second,
        [
            ("Join group".to_owned(), 10),
            ("Create group".to_owned(), 3),
            ("Leave group".to_owned(), 2)
        ]
    );
}

#[test]
fn a_filter_read_from_an_address_filters_like_the_one_written() {
    let rows = basic().password_reset_activity;
    let view = fragment::parse("#tab=password-reset&result=Failed&range=7d");
    let shown = view.filter.matching(&rows);
    assert!(shown.iter().all(|&p| rows[p].result.label() == "Failed"));
    assert_eq!(fragment::parse(&fragment::format(&view)), view);
    // The failures of 2024-01-22, 23 and 24, not the one of 2024-01-04.
    let ids: Vec<&str> = shown
        .iter()
        .map(|&p| &rows[p].origin.request_id[..8])
        .collect();
    assert_eq!(ids, ["5c31a40b", "6f9649f6", "aa7c5eea"]);
    assert_eq!(
        view.filter.describe(latest_day(&rows)),
        "Dates: 2024-01-19 to 2024-01-25 (UTC); Result: Failed"
    );
    assert_eq!(ReportFilter::default().describe(None), "none");
}

#[test]
fn the_csv_of_filtered_rows_has_the_heading_and_those_rows() {
    let rows = basic().password_reset_activity;
    let failed = with(Facet::Result, "Failed").matching(&rows);
    let csv = to_csv(failed.iter().map(|&p| &rows[p]));
    let text = String::from_utf8(csv).unwrap_or_default();
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(
        lines[0],
        "\u{feff}Date,User,Account,Role,Methods used,Result,Details,Rule,Source,Request ID,Warning"
    );
    assert_eq!(lines.len(), 5);
    assert!(lines[1..].iter().all(|l| l.contains(",Failed,")));
    assert_eq!(
        mim_reports::report::PasswordResetRow::headings().len(),
        rows[0].cells().len()
    );
}

/// The basic wevtutil export with the Entra ID portal CSV of the same people.
fn hybrid() -> Reports {
    let mut analysis = Analysis::new();
    for name in ["basic/wevtutil.xml", "entra/portal.csv"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let file = File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        analysis.read_file(name, None, BufReader::new(file));
    }
    analysis.reports()
}

#[test]
fn the_source_filter_splits_a_hybrid_load() {
    let reports = hybrid();
    let rows = &reports.password_reset_activity;
    assert_eq!(rows.len(), 27);
    assert_eq!(
        facet_options(rows, Facet::Source),
        ["Cloud (Entra ID)", "On-premises (MIM)"]
    );
    assert_eq!(
        with(Facet::Source, "Cloud (Entra ID)").matching(rows).len(),
        5
    );
    assert_eq!(
        with(Facet::Source, "On-premises (MIM)")
            .matching(rows)
            .len(),
        22
    );
    let groups = &reports.self_service_groups;
    assert_eq!(
        with(Facet::Source, "Cloud (Entra ID)")
            .matching(groups)
            .len(),
        4
    );
    // The address keeps the choice.
    let view = fragment::parse("tab=password-reset&source=Cloud+%28Entra+ID%29");
    assert_eq!(view.filter, with(Facet::Source, "Cloud (Entra ID)"));
}

#[test]
fn searching_a_persons_address_finds_their_rows_in_both_sources() {
    let reports = hybrid();
    let rows = &reports.password_reset_activity;
    let filter = ReportFilter {
        text: "Rosa.Moreau@contoso.com".to_owned(),
        ..ReportFilter::default()
    };
    let found: Vec<(&str, &str)> = filter
        .matching(rows)
        .iter()
        .map(|&p| (rows[p].origin.source.label(), rows[p].result.label()))
        .collect();
    assert_eq!(
        found,
        [
            ("On-premises (MIM)", "Locked out"),
            ("On-premises (MIM)", "Success"),
            ("On-premises (MIM)", "Denied"),
            ("Cloud (Entra ID)", "Failed"),
            ("Cloud (Entra ID)", "Locked out"),
            ("On-premises (MIM)", "Success"),
        ]
    );
}
