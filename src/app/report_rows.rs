//! One report's rows as the page works with them: filtered, counted,
//! ordered as the table shows them, and exported. The engine's functions
//! are generic over the row type; this is where the page picks the rows of
//! the report on screen.

use std::rc::Rc;

use chrono::NaiveDate;
use mim_reports::export::{to_csv, to_json};
use mim_reports::report::Reports;
use mim_reports::view::chart::ChartRow;
use mim_reports::view::filter::{Facet, FilterableRow, ReportFilter, facet_options, latest_day};
use mim_reports::view::summary::{Summary, summarise};

use super::load::Snapshot;
use super::tables::{ReportTab, SortOrder, TableData, positions_by_keys};

/// The reports of a load, shared, and equal only to themselves: comparing
/// two loads row by row on every render would cost more than it saves.
#[derive(Clone, Debug)]
pub struct SharedReports(pub Rc<Snapshot>);

impl PartialEq for SharedReports {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for SharedReports {
    type Target = Reports;

    fn deref(&self) -> &Reports {
        &self.0.reports
    }
}

/// A report under its filters.
#[derive(Clone, Debug, PartialEq)]
pub struct FilteredReport {
    /// Positions of the rows that pass, in report order.
    pub positions: Rc<Vec<usize>>,
    /// Their counts.
    pub summary: Summary,
    /// Each facet of the report with the values it takes, for the filter
    /// bar's choices.
    pub facets: Vec<(Facet, Vec<String>)>,
    /// The day of the report's latest row.
    pub latest: Option<NaiveDate>,
}

fn filtered_rows<R: FilterableRow>(rows: &[R], filter: &ReportFilter) -> FilteredReport {
    let positions = filter.matching(rows);
    FilteredReport {
        summary: summarise(rows, &positions),
        positions: Rc::new(positions),
        facets: R::FACETS
            .iter()
            .map(|&facet| (facet, facet_options(rows, facet)))
            .collect(),
        latest: latest_day(rows),
    }
}

/// `report` of `reports` under `filter`.
pub fn filtered(reports: &Reports, report: ReportTab, filter: &ReportFilter) -> FilteredReport {
    with_rows!(reports, report, |rows| filtered_rows(rows, filter))
}

/// The rows at `positions` of `report` as its charts draw them; `None` for
/// Other requests, which has no charts.
pub fn chart_rows(
    reports: &Reports,
    report: ReportTab,
    positions: &[usize],
) -> Option<Vec<ChartRow>> {
    fn pick<'a, R>(rows: &'a [R], positions: &[usize]) -> Vec<ChartRow>
    where
        ChartRow: From<&'a R>,
    {
        positions
            .iter()
            .filter_map(|&p| rows.get(p))
            .map(ChartRow::from)
            .collect()
    }
    match report {
        ReportTab::PasswordReset => Some(pick(&reports.password_reset_activity, positions)),
        ReportTab::Registration => Some(pick(&reports.password_reset_registration, positions)),
        ReportTab::SelfServiceGroups => Some(pick(&reports.self_service_groups, positions)),
        ReportTab::OtherRequests => None,
    }
}

/// The rows at `positions` in the order the table shows them under `sort`.
pub fn shown_order(table: &TableData, sort: Option<SortOrder>, positions: &[usize]) -> Vec<usize> {
    let Some(sort) = sort else {
        return positions.to_vec();
    };
    // Only the rows that pass are keyed and sorted.
    let keys = table.sort_keys(sort.column, positions);
    positions_by_keys(&keys, sort.descending)
        .into_iter()
        .map(|i| positions[i])
        .collect()
}

/// A download: a file name, a media type and the bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Download {
    /// The name offered, such as `password-reset-activity.csv`.
    pub name: String,
    /// The media type.
    pub media_type: &'static str,
    /// The content.
    pub bytes: Vec<u8>,
}

/// Which export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// CSV for spreadsheets.
    Csv,
    /// JSON, the fields of the command-line tool's `--json`.
    Json,
}

/// The rows at `order` (the table's rows, as shown) of `report`, exported.
pub fn export(
    reports: &Reports,
    report: ReportTab,
    order: &[usize],
    format: ExportFormat,
) -> Download {
    let stem = report.title().to_lowercase().replace(' ', "-");
    with_rows!(reports, report, |rows| {
        let picked = order.iter().filter_map(|&p| rows.get(p));
        match format {
            ExportFormat::Csv => Download {
                name: format!("{stem}.csv"),
                media_type: "text/csv;charset=utf-8",
                bytes: to_csv(picked),
            },
            ExportFormat::Json => Download {
                name: format!("{stem}.json"),
                media_type: "application/json",
                bytes: to_json(picked).into_bytes(),
            },
        }
    })
}
