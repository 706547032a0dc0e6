//! The report tables as the page shows them: each report's rows turned into
//! cells of text, with the columns the engine defines once for the page and
//! the exports, and the sorting of those rows by a column.
//!
//! Everything here is plain data, so the table component only renders it and
//! tests can check it without a browser.

use chrono::{DateTime, Utc};

use mim_reports::classify::rule_by_id;
pub use mim_reports::view::ReportTab;
use mim_reports::view::columns::{Cell, ReportColumns, Shown};

/// Shown for a value the request does not give.
pub const MISSING: &str = "\u{2014}";

/// A table ready to show: its columns and its rows in report order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableData {
    /// Column headings, left to right.
    pub columns: Vec<&'static str>,
    /// The rows, each with one cell per column.
    pub rows: Vec<TableRow>,
}

/// One row of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRow {
    /// The request GUID, unique in its table.
    pub key: String,
    /// One cell per column.
    pub cells: Vec<TableCell>,
    /// The repairs made to read the request, when there were any.
    pub warning: Option<String>,
}

/// One cell: the text shown, and what it sorts by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableCell {
    /// The text shown.
    pub text: String,
    /// What the column sorts by (dates as ISO 8601, text in lower case).
    pub sort_key: String,
    /// A tooltip, when the cell has more to say.
    pub title: Option<String>,
    /// The text stands for a missing value and is shown subdued.
    pub placeholder: bool,
}

impl TableCell {
    /// A cell of plain text.
    fn text(text: impl Into<String>) -> Self {
        let text = text.into();
        TableCell {
            sort_key: text.to_lowercase(),
            text,
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
                sort_key: String::new(),
                ..TableCell::text(MISSING)
            },
        }
    }

    /// A date as `date_text` writes it, sorting by its instant.
    fn date(date: Option<DateTime<Utc>>, date_text: &dyn Fn(DateTime<Utc>) -> String) -> Self {
        match date {
            Some(d) => TableCell {
                text: date_text(d),
                sort_key: d.format("%Y-%m-%dT%H:%M:%S%.3f").to_string(),
                title: None,
                placeholder: false,
            },
            None => TableCell::optional(None),
        }
    }

    /// A cell as the page shows it: lists joined by commas, an empty list
    /// of methods as a subdued "Not recorded", a rule as its id with its
    /// name as the tooltip.
    fn of(cell: Cell<'_>, date_text: &dyn Fn(DateTime<Utc>) -> String) -> Self {
        match cell {
            Cell::Date(date) => TableCell::date(date, date_text),
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

/// The table of a report: the columns it shows (see
/// [`mim_reports::view::columns`]), dates written by `date_text`.
pub fn table_of<R: ReportColumns>(
    rows: &[R],
    date_text: &dyn Fn(DateTime<Utc>) -> String,
) -> TableData {
    let shown = || R::COLUMNS.iter().filter(|c| c.shown == Shown::Everywhere);
    let columns = shown().map(|c| c.heading).collect();
    let rows = rows
        .iter()
        .map(|r| {
            let origin = r.origin();
            TableRow {
                key: origin.request_id.clone(),
                cells: shown()
                    .map(|c| TableCell::of((c.cell)(r), date_text))
                    .collect(),
                warning: origin.warning.clone(),
            }
        })
        .collect();
    TableData { columns, rows }
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

/// The positions of `table`'s rows in the order to show them. Rows that
/// compare equal keep their report order (date, then request id), so a
/// sort never shuffles them.
pub fn sorted_positions(table: &TableData, order: Option<SortOrder>) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..table.rows.len()).collect();
    let Some(order) = order else {
        return positions;
    };
    let key = |position: usize| {
        table.rows[position]
            .cells
            .get(order.column)
            .map_or("", |cell| cell.sort_key.as_str())
    };
    positions.sort_by(|&a, &b| {
        let by_key = key(a).cmp(key(b));
        if order.descending {
            by_key.reverse()
        } else {
            by_key
        }
    });
    positions
}
