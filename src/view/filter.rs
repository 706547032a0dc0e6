//! The filters of a report: a date range, free text over every column, and
//! a choice per facet (result, method, action, target type, ...). They
//! apply to the rows of [`crate::report`] and give the positions of the
//! rows that pass, in report order.
//!
//! Date ranges are whole days in UTC. "Last 7 days of the data" counts back
//! from the day of the report's latest row, not from today: an export read
//! months later still shows its own last week. A row without a date passes
//! only when no date range is set.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Days, NaiveDate, Utc};

use super::columns::{Cell, NOT_RECORDED, ReportColumns};
use super::dates::utc_text;
use crate::classify::Outcome;
use crate::report::{GroupRow, OtherRow, PasswordResetRow, RegistrationRow};

/// A column a report can be filtered on by picking one of its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Facet {
    /// The row's result.
    Result,
    /// A method used or registered (a row with several has each).
    Method,
    /// A group action: join, leave, create.
    Action,
    /// The target's object type (Other requests).
    TargetType,
    /// `Create`, `Put`, `Delete` (Other requests).
    Operation,
    /// The raw request status (Other requests).
    Status,
    /// Who asked (Other requests).
    Requestor,
    /// Where the row came from: on-premises MIM or the cloud (Entra ID).
    Source,
}

impl Facet {
    /// Every facet, in the order filter bars show them.
    pub const ALL: [Facet; 8] = [
        Facet::Result,
        Facet::Method,
        Facet::Action,
        Facet::TargetType,
        Facet::Operation,
        Facet::Status,
        Facet::Requestor,
        Facet::Source,
    ];

    /// The key in the page's address.
    pub fn key(self) -> &'static str {
        match self {
            Facet::Result => "result",
            Facet::Method => "method",
            Facet::Action => "action",
            Facet::TargetType => "type",
            Facet::Operation => "operation",
            Facet::Status => "status",
            Facet::Requestor => "requestor",
            Facet::Source => "source",
        }
    }

    /// The facet an address key names.
    pub fn from_key(key: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The label of its control.
    pub fn label(self) -> &'static str {
        match self {
            Facet::Result => "Result",
            Facet::Method => "Method",
            Facet::Action => "Action",
            Facet::TargetType => "Target type",
            Facet::Operation => "Operation",
            Facet::Status => "Status",
            Facet::Requestor => "Requestor",
            Facet::Source => "Source",
        }
    }
}

/// A report's rows as the filters see them.
pub trait FilterableRow: ReportColumns {
    /// The facets the report is filtered on, in order; the second is the
    /// one its summary counts besides the result.
    const FACETS: &'static [Facet];

    /// The row's values of a facet (none when the report has no such
    /// facet; several for the methods of one row).
    fn facet_values(&self, facet: Facet) -> Vec<Cow<'_, str>>;

    /// All the row's text, in lower case, for the free-text filter: every
    /// column as exports write it, and the date as the page writes it.
    fn search_text(&self) -> String {
        let mut text = String::new();
        for column in Self::COLUMNS {
            let cell = (column.cell)(self);
            if let Cell::Date(Some(date)) = cell {
                text.push_str(&utc_text(date));
                text.push('\n');
            }
            text.push_str(&cell.export_text());
            text.push('\n');
        }
        // The person's key (an address, else DOMAIN\\account) finds the
        // rows of one person in both sources.
        if let Some(person) = &self.origin().person_key {
            text.push_str(person);
        }
        text.to_lowercase()
    }
}

fn result_value<R: ReportColumns>(row: &R) -> Vec<Cow<'_, str>> {
    vec![Cow::Borrowed(row.result().label())]
}

fn source_value<R: ReportColumns>(row: &R) -> Vec<Cow<'_, str>> {
    vec![Cow::Borrowed(row.origin().source.label())]
}

/// The facets of a row with methods: its result, or each method (or
/// "Not recorded").
fn result_or_method<'a, R: ReportColumns>(
    row: &'a R,
    methods: &'a [String],
    facet: Facet,
) -> Vec<Cow<'a, str>> {
    match facet {
        Facet::Result => result_value(row),
        Facet::Source => source_value(row),
        Facet::Method if methods.is_empty() => vec![Cow::Borrowed(NOT_RECORDED)],
        Facet::Method => methods.iter().map(|m| Cow::Borrowed(m.as_str())).collect(),
        _ => Vec::new(),
    }
}

impl FilterableRow for PasswordResetRow {
    const FACETS: &'static [Facet] = &[Facet::Result, Facet::Method, Facet::Source];

    fn facet_values(&self, facet: Facet) -> Vec<Cow<'_, str>> {
        result_or_method(self, &self.methods, facet)
    }
}

impl FilterableRow for RegistrationRow {
    const FACETS: &'static [Facet] = &[Facet::Result, Facet::Method, Facet::Source];

    fn facet_values(&self, facet: Facet) -> Vec<Cow<'_, str>> {
        result_or_method(self, &self.methods, facet)
    }
}

impl FilterableRow for GroupRow {
    const FACETS: &'static [Facet] = &[Facet::Result, Facet::Action, Facet::Source];

    fn facet_values(&self, facet: Facet) -> Vec<Cow<'_, str>> {
        match facet {
            Facet::Result => result_value(self),
            Facet::Source => source_value(self),
            Facet::Action => vec![Cow::Borrowed(self.action.as_str())],
            _ => Vec::new(),
        }
    }
}

impl FilterableRow for OtherRow {
    const FACETS: &'static [Facet] = &[
        Facet::Result,
        Facet::Operation,
        Facet::TargetType,
        Facet::Status,
        Facet::Requestor,
        Facet::Source,
    ];

    fn facet_values(&self, facet: Facet) -> Vec<Cow<'_, str>> {
        let value = match facet {
            Facet::Result => return result_value(self),
            Facet::Source => return source_value(self),
            Facet::Operation => &self.operation,
            Facet::TargetType => &self.target_type,
            Facet::Status => &self.status,
            Facet::Requestor => &self.requestor,
            Facet::Method | Facet::Action => return Vec::new(),
        };
        vec![Cow::Borrowed(value.as_str())]
    }
}

/// The dates a filter lets through.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DateRange {
    /// Every row, dated or not.
    #[default]
    All,
    /// The last this many days of the data, the latest row's day included.
    LastDays(u32),
    /// From one day to another, both included; either end may be open.
    Custom {
        /// The first day (UTC).
        from: Option<NaiveDate>,
        /// The last day (UTC).
        to: Option<NaiveDate>,
    },
}

impl DateRange {
    /// The presets the filter bar offers, with their labels.
    pub const PRESETS: [(DateRange, &'static str); 3] = [
        (DateRange::All, "All dates"),
        (DateRange::LastDays(7), "Last 7 days of the data"),
        (DateRange::LastDays(30), "Last 30 days of the data"),
    ];

    /// The first and last day it lets through, given the day of the
    /// latest row; `None` ends are open.
    pub fn days(self, latest: Option<NaiveDate>) -> (Option<NaiveDate>, Option<NaiveDate>) {
        match self {
            DateRange::All => (None, None),
            DateRange::LastDays(n) => {
                let from =
                    latest.and_then(|day| day.checked_sub_days(Days::new(u64::from(n.max(1)) - 1)));
                (from, latest)
            }
            DateRange::Custom { from, to } => (from, to),
        }
    }
}

/// Everything a report is filtered by.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportFilter {
    /// The dates.
    pub range: DateRange,
    /// Text that must appear in some column, case aside; blank is no filter.
    pub text: String,
    /// The value picked per facet.
    pub facets: BTreeMap<Facet, String>,
}

impl ReportFilter {
    /// Nothing filtered out.
    pub fn is_empty(&self) -> bool {
        self.range == DateRange::All && self.text.trim().is_empty() && self.facets.is_empty()
    }

    /// The filters in words, for a printout: `Dates: 2024-01-19 to
    /// 2024-01-25 (UTC); Result: Failed; Text: "smith"`, or `none`.
    /// `latest` is the day of the report's latest row.
    pub fn describe(&self, latest: Option<NaiveDate>) -> String {
        let mut parts = Vec::new();
        if self.range != DateRange::All {
            let (from, to) = self.range.days(latest);
            let end = |day: Option<NaiveDate>| {
                day.map_or_else(|| "\u{2026}".to_owned(), |d| d.to_string())
            };
            parts.push(format!("Dates: {} to {} (UTC)", end(from), end(to)));
        }
        for (facet, value) in &self.facets {
            parts.push(format!("{}: {value}", facet.label()));
        }
        if !self.text.trim().is_empty() {
            parts.push(format!("Text: \"{}\"", self.text.trim()));
        }
        if parts.is_empty() {
            "none".to_owned()
        } else {
            parts.join("; ")
        }
    }

    /// The positions of the rows of `rows` that pass, in their order.
    pub fn matching<R: FilterableRow>(&self, rows: &[R]) -> Vec<usize> {
        let (from, to) = self.range.days(latest_day(rows));
        let dated = self.range != DateRange::All;
        let needle = self.text.trim().to_lowercase();
        let facets: Vec<(Facet, &str)> = self
            .facets
            .iter()
            .filter(|(facet, _)| R::FACETS.contains(facet))
            .map(|(facet, value)| (*facet, value.as_str()))
            .collect();
        rows.iter()
            .enumerate()
            .filter(|(_, row)| !dated || in_days(row.date(), from, to))
            .filter(|(_, row)| {
                facets
                    .iter()
                    .all(|(facet, value)| row.facet_values(*facet).iter().any(|v| v == value))
            })
            .filter(|(_, row)| needle.is_empty() || row.search_text().contains(&needle))
            .map(|(position, _)| position)
            .collect()
    }
}

/// The day (UTC) of the latest row of `rows`.
pub fn latest_day<R: ReportColumns>(rows: &[R]) -> Option<NaiveDate> {
    rows.iter()
        .filter_map(ReportColumns::date)
        .max()
        .map(|d| d.date_naive())
}

fn in_days(date: Option<DateTime<Utc>>, from: Option<NaiveDate>, to: Option<NaiveDate>) -> bool {
    let Some(day) = date.map(|d| d.date_naive()) else {
        return false;
    };
    from.is_none_or(|f| day >= f) && to.is_none_or(|t| day <= t)
}

/// The values a facet takes in `rows`, for its choice list: results in
/// the order of [`Outcome::ALL`], others alphabetically (case aside).
pub fn facet_options<R: FilterableRow>(rows: &[R], facet: Facet) -> Vec<String> {
    let distinct: HashSet<Cow<'_, str>> = rows
        .iter()
        .flat_map(|row| row.facet_values(facet))
        .collect();
    let mut values: Vec<String> = distinct.into_iter().map(Cow::into_owned).collect();
    if facet == Facet::Result {
        values.sort_by_key(|v| Outcome::ALL.iter().position(|o| o.label() == v));
    } else {
        values.sort_by_cached_key(|v| (v.to_lowercase(), v.clone()));
    }
    values
}
