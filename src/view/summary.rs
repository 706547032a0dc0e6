//! The counts above a report's table: how many rows the filters let
//! through, by result and by method (or action, or operation).

use std::collections::HashMap;

use super::filter::{Facet, FilterableRow, facet_options};

/// The counts of the rows shown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Rows shown.
    pub shown: usize,
    /// Rows of the report.
    pub total: usize,
    /// Rows per result, in the order of the result list; only results
    /// that occur.
    pub by_result: Vec<(String, usize)>,
    /// The second facet counted (method, action or operation).
    pub second: Option<Facet>,
    /// Rows per value of that facet, most first (ties alphabetically). A
    /// row with two methods counts for each.
    pub by_second: Vec<(String, usize)>,
}

/// The summary of the rows of `rows` at `positions` (as
/// [`super::filter::ReportFilter::matching`] gives them).
pub fn summarise<R: FilterableRow>(rows: &[R], positions: &[usize]) -> Summary {
    let shown: Vec<&R> = positions.iter().filter_map(|&p| rows.get(p)).collect();
    let counts = |facet: Facet| -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for row in &shown {
            for value in row.facet_values(facet) {
                *counts.entry(value.into_owned()).or_insert(0) += 1;
            }
        }
        counts
    };
    let results = counts(Facet::Result);
    let by_result = facet_options(rows, Facet::Result)
        .into_iter()
        .filter_map(|value| results.get(&value).map(|&n| (value, n)))
        .collect();
    let second = R::FACETS.get(1).copied();
    let mut by_second: Vec<(String, usize)> =
        second.map(counts).unwrap_or_default().into_iter().collect();
    by_second.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Summary {
        shown: shown.len(),
        total: rows.len(),
        by_result,
        second,
        by_second,
    }
}
