//! The report tables as the page shows them: each report's rows turned into
//! cells of text, with the columns the engine defines once for the page and
//! the exports, and the sorting of those rows by a column.
//!
//! A table keeps no text of its own: a row's cells are written when the row
//! is drawn (a few hundred rows at most, see
//! [`mim_reports::view::table_window`]), and a column's sort keys when the
//! table is sorted by it, so that a load of hundreds of thousands of rows
//! costs no more than its rows, and showing it costs no time per row.
//!
//! Everything here is plain data, so the table component only renders it and
//! tests can check it without drawing.

use std::rc::Rc;

use chrono::{DateTime, Utc};

use mim_reports::classify::rule_by_id;
pub use mim_reports::view::ReportTab;
use mim_reports::view::columns::{Cell, ReportColumns, Shown};
use mim_reports::view::dates::Clock;

use super::clock::date_text;
use super::load::Snapshot;

/// Shown for a value the request does not give.
pub const MISSING: &str = "\u{2014}";

/// A report's table: its columns, and its rows in report order, whose cells
/// are written when asked for.
#[derive(Clone, Debug)]
pub struct TableData {
    /// Column headings, left to right.
    pub columns: Vec<&'static str>,
    /// The session whose report this is.
    reports: Rc<Snapshot>,
    report: ReportTab,
    /// The clock the dates are written on.
    clock: Clock,
}

/// Two tables are the same when they show the same report of the same
/// session on the same clock; comparing rows would cost more than it saves.
impl PartialEq for TableData {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.reports, &other.reports)
            && self.report == other.report
            && self.clock == other.clock
    }
}

/// One row of a table, written for drawing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRow {
    /// The request GUID, unique in its table.
    pub key: String,
    /// One cell per column.
    pub cells: Vec<TableCell>,
    /// The repairs made to read the request, when there were any.
    pub warning: Option<String>,
}

/// One cell: the text shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableCell {
    /// The text shown.
    pub text: String,
    /// A tooltip, when the cell has more to say.
    pub title: Option<String>,
    /// The text stands for a missing value and is shown subdued.
    pub placeholder: bool,
}

impl TableCell {
    /// A cell of plain text.
    fn text(text: impl Into<String>) -> Self {
        TableCell {
            text: text.into(),
            title: None,
            placeholder: false,
        }
    }

    /// A cell of text that may be missing.
    fn optional(text: Option<&str>) -> Self {
        match text {
            Some(t) if !t.trim().is_empty() => TableCell::text(t),
            _ => TableCell {
                placeholder: true,
                ..TableCell::text(MISSING)
            },
        }
    }

    /// A cell as the page shows it: dates written by `date_text`, lists
    /// joined by commas, an empty list of methods as a subdued "Not
    /// recorded", a rule as its id with its name as the tooltip.
    fn of(cell: Cell<'_>, date_text: &dyn Fn(DateTime<Utc>) -> String) -> Self {
        match cell {
            Cell::Date(Some(date)) => TableCell::text(date_text(date)),
            Cell::Date(None) => TableCell::optional(None),
            Cell::Text(text) => TableCell::optional(Some(text)),
            Cell::Optional(text) => TableCell::optional(text),
            Cell::Methods([]) => TableCell {
                placeholder: true,
                ..TableCell::text(cell.export_text())
            },
            Cell::Methods(list) | Cell::Ids(list) => TableCell::text(list.join(", ")),
            Cell::Rule(id) => {
                let name = rule_by_id(id).map(|r| r.name.to_owned());
                TableCell {
                    title: Some(name.unwrap_or_else(|| format!("Rule {id}"))),
                    ..TableCell::text(id)
                }
            }
        }
    }
}

/// What a cell sorts by: a date as ISO 8601 (UTC, milliseconds), whatever
/// the clock it is shown on; text in lower case; a missing value before
/// every other.
pub fn sort_key(cell: Cell<'_>) -> String {
    match cell {
        Cell::Date(Some(date)) => date.format("%Y-%m-%dT%H:%M:%S%.3f").to_string(),
        Cell::Date(None) => String::new(),
        Cell::Text(text) | Cell::Optional(Some(text)) if !text.trim().is_empty() => {
            text.to_lowercase()
        }
        Cell::Text(_) | Cell::Optional(_) => String::new(),
        Cell::Methods([]) => cell.export_text().to_lowercase(),
        Cell::Methods(list) | Cell::Ids(list) => list.join(", ").to_lowercase(),
        Cell::Rule(id) => id.to_lowercase(),
    }
}

/// The columns of `R` the page shows, left to right.
fn shown<R: ReportColumns>() -> impl Iterator<Item = &'static mim_reports::view::columns::Column<R>>
{
    R::COLUMNS.iter().filter(|c| c.shown == Shown::Everywhere)
}

/// `row` as the page shows it, dates written by `date_text`.
pub fn table_row<R: ReportColumns>(
    row: &R,
    date_text: &dyn Fn(DateTime<Utc>) -> String,
) -> TableRow {
    let origin = row.origin();
    TableRow {
        key: origin.request_id.clone(),
        cells: shown::<R>()
            .map(|c| TableCell::of((c.cell)(row), date_text))
            .collect(),
        warning: origin.warning.clone(),
    }
}

/// The sort keys of `column` (counted among the columns shown) of the
/// rows of `rows` at `positions`.
fn column_keys<R: ReportColumns>(rows: &[R], column: usize, positions: &[usize]) -> Vec<String> {
    let cell = shown::<R>().nth(column).map(|c| c.cell);
    positions
        .iter()
        .map(|&p| match (cell, rows.get(p)) {
            (Some(cell), Some(row)) => sort_key(cell(row)),
            _ => String::new(),
        })
        .collect()
}

impl TableData {
    /// The table of `report` in `reports`, dates on `clock`.
    pub fn of_report(reports: Rc<Snapshot>, report: ReportTab, clock: Clock) -> Self {
        fn headings<R: ReportColumns>(_: &[R]) -> Vec<&'static str> {
            shown::<R>().map(|c| c.heading).collect()
        }
        let columns = with_rows!(reports.reports, report, |rows| headings(rows));
        TableData {
            columns,
            reports,
            report,
            clock,
        }
    }

    /// Rows in the table.
    pub fn row_count(&self) -> usize {
        with_rows!(self.reports.reports, self.report, |rows| rows.len())
    }

    /// The row at `position` in report order, written for drawing.
    pub fn row(&self, position: usize) -> Option<TableRow> {
        let dates = date_text(self.clock);
        with_rows!(self.reports.reports, self.report, |rows| rows
            .get(position)
            .map(|r| table_row(r, &dates)))
    }

    /// The request id of the row at `position`.
    pub fn key(&self, position: usize) -> Option<&str> {
        with_rows!(self.reports.reports, self.report, |rows| rows
            .get(position)
            .map(|r| r.origin().request_id.as_str()))
    }

    /// The sort keys of `column` of the rows at `positions`, in that order.
    pub fn sort_keys(&self, column: usize, positions: &[usize]) -> Vec<String> {
        with_rows!(self.reports.reports, self.report, |rows| column_keys(
            rows, column, positions
        ))
    }
}

/// The order a table is sorted in: by one column, up or down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SortOrder {
    /// The column, counted from 0.
    pub column: usize,
    /// Largest first.
    pub descending: bool,
}

impl SortOrder {
    /// The order after the user clicked `column`'s heading: that column
    /// ascending, or reversed when it was already the sorted column.
    pub fn after_click(current: Option<SortOrder>, column: usize) -> SortOrder {
        match current {
            Some(order) if order.column == column => SortOrder {
                column,
                descending: !order.descending,
            },
            _ => SortOrder {
                column,
                descending: false,
            },
        }
    }
}

/// The positions of `keys` in the order of their keys, up or down. Rows
/// whose keys are equal keep their order (in a report, date then request
/// id), so a sort never shuffles them.
pub fn positions_by_keys(keys: &[String], descending: bool) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..keys.len()).collect();
    positions.sort_by(|&a, &b| {
        let by_key = keys[a].cmp(&keys[b]);
        if descending { by_key.reverse() } else { by_key }
    });
    positions
}
