//! The counts above a report's table: rows shown, by result and by method
//! (or action, or operation), of the rows the filters let through.

use mim_reports::view::summary::Summary;
use yew::prelude::*;

use super::{count_of, grouped};

/// Properties of [`ReportSummary`].
#[derive(Properties, PartialEq)]
pub struct ReportSummaryProps {
    /// The counts.
    pub summary: Summary,
}

/// "4 of 22 rows", then the counts by result and by the second facet.
#[function_component(ReportSummary)]
pub fn report_summary(props: &ReportSummaryProps) -> Html {
    let summary = &props.summary;
    let count = if summary.shown == summary.total {
        count_of(summary.total, "row", "rows")
    } else {
        format!(
            "{} of {}",
            grouped(summary.shown as u64),
            count_of(summary.total, "row", "rows")
        )
    };
    let group = |title: &str, counts: &[(String, usize)]| {
        (!counts.is_empty()).then(|| {
            html! {
                <div class="summary-group">
                    <dt>{ title.to_owned() }</dt>
                    <dd>
                        <ul class="summary-chips">
                            { for counts.iter().map(|(value, n)| html! {
                                <li><span class="summary-value">{ value.clone() }</span>
                                    { " " }<span class="summary-count">{ grouped(*n as u64) }</span></li>
                            }) }
                        </ul>
                    </dd>
                </div>
            }
        })
    };
    html! {
        <div class="summary">
            <p class="row-count" role="status">{ count }</p>
            <dl class="summary-counts">
                { for group("Result", &summary.by_result) }
                { for summary.second.and_then(|facet| group(facet.label(), &summary.by_second)) }
            </dl>
        </div>
    }
}
