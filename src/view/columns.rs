//! Each report's columns, defined once: the page's tables, the CSV export
//! and the free-text filter all read the same list.
//!
//! A column is a heading and a function from a row to a [`Cell`], a value
//! that still knows what it is (a date, a list of methods, a rule id), so
//! that each reader writes it its own way: the table writes dates on the
//! viewer's clock, the CSV in ISO 8601 UTC.

use std::borrow::Cow;

use chrono::{DateTime, Utc};

use crate::classify::{Outcome, rule_by_id};
use crate::report::{GroupRow, OtherRow, PasswordResetRow, RegistrationRow, RowOrigin};
use crate::time::iso_millis;

/// Written for an empty list of methods.
pub const NOT_RECORDED: &str = "Not recorded";

/// One cell of a row, before it is written out.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell<'a> {
    /// A date; `None` when the request gave none.
    Date(Option<DateTime<Utc>>),
    /// Text that is always there (it may still be empty).
    Text(&'a str),
    /// Text the request may not give.
    Optional(Option<&'a str>),
    /// Methods, sorted; empty reads [`NOT_RECORDED`].
    Methods(&'a [String]),
    /// A list of request ids.
    Ids(&'a [String]),
    /// The id of the rule that placed the row.
    Rule(&'a str),
}

impl Cell<'_> {
    /// The cell as exports write it: dates in ISO 8601 UTC with
    /// milliseconds, lists joined by `; `, a rule as its id and name,
    /// anything missing as nothing.
    pub fn export_text(&self) -> Cow<'_, str> {
        match self {
            Cell::Date(date) => date.map_or(Cow::Borrowed(""), |t| Cow::Owned(iso_millis(t))),
            Cell::Text(text) => Cow::Borrowed(text),
            Cell::Optional(text) => Cow::Borrowed(text.unwrap_or("")),
            Cell::Methods([]) => Cow::Borrowed(NOT_RECORDED),
            Cell::Methods(list) | Cell::Ids(list) => Cow::Owned(list.join("; ")),
            Cell::Rule(id) => match rule_by_id(id) {
                Some(rule) => Cow::Owned(format!("{} {}", rule.id, rule.name)),
                None => Cow::Borrowed(id),
            },
        }
    }
}

/// Where a column appears.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// In the page's table and in exports.
    Everywhere,
    /// In exports only: the page shows it another way (the request id as
    /// the row's key, a warning as a line under the row) or not at all.
    ExportOnly,
}

/// One column of a report.
pub struct Column<R> {
    /// The heading.
    pub heading: &'static str,
    /// Where it appears.
    pub shown: Shown,
    /// The cell of a row.
    pub cell: fn(&R) -> Cell<'_>,
}

/// A report's row type and its columns.
pub trait ReportColumns: Sized + 'static {
    /// The columns, left to right.
    const COLUMNS: &'static [Column<Self>];

    /// The headings of every column, in order.
    fn headings() -> Vec<&'static str> {
        Self::COLUMNS.iter().map(|c| c.heading).collect()
    }

    /// The cells of one row as exports write them, in column order.
    fn cells(&self) -> Vec<Cow<'_, str>> {
        Self::COLUMNS
            .iter()
            .map(|column| match (column.cell)(self) {
                // The common case borrows from the row rather than the
                // temporary cell.
                Cell::Text(text) => Cow::Borrowed(text),
                Cell::Optional(text) => Cow::Borrowed(text.unwrap_or("")),
                other => Cow::Owned(other.export_text().into_owned()),
            })
            .collect()
    }

    /// The date of the row, for date filters.
    fn date(&self) -> Option<DateTime<Utc>>;

    /// The row's result.
    fn result(&self) -> Outcome;

    /// The row's request id, rule, warning and sources.
    fn origin(&self) -> &RowOrigin;
}

/// A report's columns followed by the four every report ends with: rule,
/// source (on-premises or cloud), request, warning.
macro_rules! with_origin_columns {
    ($($column:expr),* $(,)?) => {
        &[
        $($column,)*
        Column {
            heading: "Rule",
            shown: Shown::Everywhere,
            cell: |r| Cell::Rule(&r.origin.rule),
        },
        Column {
            heading: "Source",
            shown: Shown::Everywhere,
            cell: |r| Cell::Text(r.origin.source.label()),
        },
        Column {
            heading: "Request ID",
            shown: Shown::ExportOnly,
            cell: |r| Cell::Text(&r.origin.request_id),
        },
        Column {
            heading: "Warning",
            shown: Shown::ExportOnly,
            cell: |r| Cell::Optional(r.origin.warning.as_deref()),
        }
        ]
    };
}

/// `date`, `result` and `origin` of a row type with fields of those names.
macro_rules! row_fields {
    () => {
        fn date(&self) -> Option<DateTime<Utc>> {
            self.date
        }

        fn result(&self) -> Outcome {
            self.result
        }

        fn origin(&self) -> &RowOrigin {
            &self.origin
        }
    };
}

/// A column shown everywhere.
macro_rules! column {
    ($heading:literal, |$row:ident| $cell:expr) => {
        Column {
            heading: $heading,
            shown: Shown::Everywhere,
            cell: |$row| $cell,
        }
    };
}

impl ReportColumns for PasswordResetRow {
    const COLUMNS: &'static [Column<Self>] = with_origin_columns![
        column!("Date", |r| Cell::Date(r.date)),
        column!("User", |r| Cell::Optional(r.user.as_deref())),
        column!("Account", |r| Cell::Optional(r.account.as_deref())),
        column!("Role", |r| Cell::Text(r.role.label())),
        column!("Methods used", |r| Cell::Methods(&r.methods)),
        column!("Result", |r| Cell::Text(r.result.label())),
        column!("Details", |r| Cell::Text(&r.details)),
    ];

    row_fields!();
}

impl ReportColumns for RegistrationRow {
    const COLUMNS: &'static [Column<Self>] = with_origin_columns![
        column!("Date", |r| Cell::Date(r.date)),
        column!("User", |r| Cell::Optional(r.user.as_deref())),
        column!("Account", |r| Cell::Optional(r.account.as_deref())),
        column!("Role", |r| Cell::Text(r.role.label())),
        column!("Registration activity", |r| Cell::Text(
            &r.registration_activity
        )),
        column!("Methods", |r| Cell::Methods(&r.methods)),
        column!("Result", |r| Cell::Text(r.result.label())),
        Column {
            heading: "Folded gate registrations",
            shown: Shown::ExportOnly,
            cell: |r| Cell::Ids(&r.folded_request_ids),
        },
    ];

    row_fields!();
}

impl ReportColumns for GroupRow {
    const COLUMNS: &'static [Column<Self>] = with_origin_columns![
        column!("Date", |r| Cell::Date(r.date)),
        column!("Group", |r| Cell::Optional(Some(&r.group))),
        column!("Action", |r| Cell::Text(&r.action)),
        column!("Requestor", |r| Cell::Optional(r.requestor.as_deref())),
        column!("Account", |r| Cell::Optional(r.account.as_deref())),
        column!("Result", |r| Cell::Text(r.result.label())),
        column!("Details", |r| Cell::Text(&r.details)),
    ];

    row_fields!();
}

impl ReportColumns for OtherRow {
    const COLUMNS: &'static [Column<Self>] = with_origin_columns![
        column!("Date", |r| Cell::Date(r.date)),
        column!("Operation", |r| Cell::Optional(Some(&r.operation))),
        column!("Target type", |r| Cell::Optional(Some(&r.target_type))),
        column!("Target", |r| Cell::Optional(Some(&r.target))),
        column!("Requestor", |r| Cell::Optional(Some(&r.requestor))),
        column!("Status", |r| Cell::Optional(Some(&r.status))),
        column!("Result", |r| Cell::Text(r.result.label())),
        column!("Details", |r| Cell::Text(&r.details)),
    ];

    row_fields!();
}

/// Where a cell's text may break between lines besides its spaces: after
/// the `\` of `DOMAIN\account` and before the `@` of an address, so that a
/// narrow column breaks `CONTOSO\ahmed` between its parts rather than inside
/// the name. Byte offsets into `text`, ascending, none at either end.
pub fn soft_breaks(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.char_indices()
        .filter_map(|(at, c)| match c {
            '\\' => Some(at + 1),
            '@' => Some(at),
            _ => None,
        })
        .filter(move |&at| at > 0 && at < text.len())
}

#[cfg(test)]
mod tests {
    use super::soft_breaks;

    fn parts(text: &str) -> Vec<&str> {
        let mut start = 0;
        let mut out: Vec<&str> = soft_breaks(text)
            .map(|cut| {
                let part = &text[start..cut];
                start = cut;
                part
            })
            .collect();
        out.push(&text[start..]);
        out
    }

    #[test]
    fn an_account_breaks_after_its_domain() {
        assert_eq!(parts(r"CONTOSO\lrasmussen"), [r"CONTOSO\", "lrasmussen"]);
    }

    #[test]
    fn an_address_breaks_before_its_at_sign() {
        assert_eq!(
            parts("dmitri.gallagher@contoso.com"),
            ["dmitri.gallagher", "@contoso.com"]
        );
    }

    #[test]
    fn text_without_separators_or_with_them_at_its_ends_has_no_break() {
        assert_eq!(soft_breaks("Ünal Öztürk").count(), 0);
        assert_eq!(soft_breaks(r"@CONTOSO\").count(), 0);
        assert_eq!(soft_breaks("").count(), 0);
    }
}
