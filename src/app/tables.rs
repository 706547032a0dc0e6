//! The report tables as the page shows them: each report's rows turned into
//! cells of text, with the columns of the product's report specification,
//! and the sorting of those rows by a column.
//!
//! Everything here is plain data, so the table component only renders it and
//! tests can check it without a browser.

use chrono::{DateTime, Utc};

use mim_reports::classify::rule_by_id;
use mim_reports::report::{GroupRow, OtherRow, PasswordResetRow, RegistrationRow, RowOrigin};

/// Shown for an empty list of methods.
pub const NOT_RECORDED: &str = "Not recorded";

/// Shown for a value the request does not give.
pub const MISSING: &str = "\u{2014}";

/// One of the four tables of rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReportTab {
    /// *Password reset activity*.
    PasswordReset,
    /// *Password reset registration*.
    Registration,
    /// *Self-service groups activity*.
    SelfServiceGroups,
    /// Requests no report rule matched.
    OtherRequests,
}

impl ReportTab {
    /// Position among the report tabs, left to right.
    pub fn index(self) -> usize {
        match self {
            ReportTab::PasswordReset => 0,
            ReportTab::Registration => 1,
            ReportTab::SelfServiceGroups => 2,
            ReportTab::OtherRequests => 3,
        }
    }

    /// The tab's title.
    pub fn title(self) -> &'static str {
        match self {
            ReportTab::PasswordReset => "Password reset activity",
            ReportTab::Registration => "Password reset registration",
            ReportTab::SelfServiceGroups => "Self-service groups activity",
            ReportTab::OtherRequests => "Other requests",
        }
    }
}

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

    /// A date as `YYYY-MM-DD HH:MM:SS UTC`.
    fn date(date: Option<DateTime<Utc>>) -> Self {
        match date {
            Some(d) => TableCell {
                text: format_date(d),
                sort_key: d.format("%Y-%m-%dT%H:%M:%S%.3f").to_string(),
                title: None,
                placeholder: false,
            },
            None => TableCell::optional(None),
        }
    }

    /// A list of methods, or "Not recorded".
    fn methods(methods: &[String]) -> Self {
        if methods.is_empty() {
            TableCell {
                placeholder: true,
                ..TableCell::text(NOT_RECORDED)
            }
        } else {
            TableCell::text(methods.join(", "))
        }
    }

    /// The id of the rule that placed the row, with the rule's name as its
    /// tooltip.
    fn rule(origin: &RowOrigin) -> Self {
        let name = rule_by_id(&origin.rule).map(|r| r.name.to_owned());
        TableCell {
            title: Some(name.unwrap_or_else(|| format!("Rule {}", origin.rule))),
            ..TableCell::text(origin.rule.clone())
        }
    }
}

/// A date as the tables show it: `2024-01-04 15:41:31 UTC`.
pub fn format_date(date: DateTime<Utc>) -> String {
    date.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// The row of a table, from a report row's cells and origin.
fn row(origin: &RowOrigin, mut cells: Vec<TableCell>) -> TableRow {
    cells.push(TableCell::rule(origin));
    cells.push(TableCell::text(origin.source.label()));
    TableRow {
        key: origin.request_id.clone(),
        cells,
        warning: origin.warning.clone(),
    }
}

/// *Password reset activity*.
pub fn password_reset_table(rows: &[PasswordResetRow]) -> TableData {
    let columns = vec![
        "Date",
        "User",
        "Account",
        "Role",
        "Methods used",
        "Result",
        "Details",
        "Rule",
        "Source",
    ];
    let rows = rows
        .iter()
        .map(|r| {
            let cells = vec![
                TableCell::date(r.date),
                TableCell::optional(r.user.as_deref()),
                TableCell::optional(r.account.as_deref()),
                TableCell::text(r.role.label()),
                TableCell::methods(&r.methods),
                TableCell::text(r.result.label()),
                TableCell::optional(Some(&r.details)),
            ];
            row(&r.origin, cells)
        })
        .collect();
    TableData { columns, rows }
}

/// *Password reset registration*.
pub fn registration_table(rows: &[RegistrationRow]) -> TableData {
    let columns = vec![
        "Date",
        "User",
        "Account",
        "Role",
        "Registration activity",
        "Methods",
        "Result",
        "Rule",
        "Source",
    ];
    let rows = rows
        .iter()
        .map(|r| {
            let cells = vec![
                TableCell::date(r.date),
                TableCell::optional(r.user.as_deref()),
                TableCell::optional(r.account.as_deref()),
                TableCell::text(r.role.label()),
                TableCell::text(r.registration_activity.clone()),
                TableCell::methods(&r.methods),
                TableCell::text(r.result.label()),
            ];
            row(&r.origin, cells)
        })
        .collect();
    TableData { columns, rows }
}

/// *Self-service groups activity*.
pub fn groups_table(rows: &[GroupRow]) -> TableData {
    let columns = vec![
        "Date",
        "Group",
        "Action",
        "Requestor",
        "Account",
        "Result",
        "Details",
        "Rule",
        "Source",
    ];
    let rows = rows
        .iter()
        .map(|r| {
            let cells = vec![
                TableCell::date(r.date),
                TableCell::optional(Some(&r.group)),
                TableCell::text(r.action.clone()),
                TableCell::optional(r.requestor.as_deref()),
                TableCell::optional(r.account.as_deref()),
                TableCell::text(r.result.label()),
                TableCell::optional(Some(&r.details)),
            ];
            row(&r.origin, cells)
        })
        .collect();
    TableData { columns, rows }
}

/// *Other requests*.
pub fn other_requests_table(rows: &[OtherRow]) -> TableData {
    let columns = vec![
        "Date",
        "Operation",
        "Target type",
        "Target",
        "Requestor",
        "Status",
        "Details",
        "Rule",
        "Source",
    ];
    let rows = rows
        .iter()
        .map(|r| {
            let cells = vec![
                TableCell::date(r.date),
                TableCell::optional(Some(&r.operation)),
                TableCell::optional(Some(&r.target_type)),
                TableCell::optional(Some(&r.target)),
                TableCell::optional(Some(&r.requestor)),
                TableCell::optional(Some(&r.status)),
                TableCell::optional(Some(&r.details)),
            ];
            row(&r.origin, cells)
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
