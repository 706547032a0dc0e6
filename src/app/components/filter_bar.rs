//! The filters above a report's table: dates, free text, and a choice per
//! facet (result, method or action; for Other requests also target type,
//! operation, status and requestor). Every control has a label.

use chrono::NaiveDate;
use mim_reports::view::filter::{DateRange, Facet, ReportFilter};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::Choice;

/// Properties of [`FilterBar`].
#[derive(Properties, PartialEq)]
pub struct FilterBarProps {
    /// The filters in effect.
    pub filter: ReportFilter,
    /// The report's facets with the values they take.
    pub facets: Vec<(Facet, Vec<String>)>,
    /// Called with the filters after the user changed one.
    pub on_change: Callback<ReportFilter>,
}

/// The value of the dates choice for a range.
fn range_value(range: DateRange) -> String {
    match range {
        DateRange::All => "all".to_owned(),
        DateRange::LastDays(n) => format!("{n}d"),
        DateRange::Custom { .. } => "custom".to_owned(),
    }
}

/// The range a dates choice stands for; a custom range keeps the days set.
fn range_of(value: &str, current: DateRange) -> DateRange {
    let preset = DateRange::PRESETS
        .iter()
        .find(|(range, _)| range_value(*range) == value);
    match (preset, current) {
        (Some((range, _)), _) => *range,
        (None, DateRange::Custom { .. }) => current,
        (None, _) => DateRange::Custom {
            from: None,
            to: None,
        },
    }
}

/// A filter bar: each change is reported at once, the table follows.
#[function_component(FilterBar)]
pub fn filter_bar(props: &FilterBarProps) -> Html {
    let filter = &props.filter;
    // Each control changes one part of the filters it was rendered with.
    let change = |apply: fn(&mut ReportFilter, String)| {
        let filter = filter.clone();
        let on_change = props.on_change.clone();
        move |value: String| {
            let mut next = filter.clone();
            apply(&mut next, value);
            on_change.emit(next);
        }
    };
    let on_range = Callback::from(change(|f, v| f.range = range_of(&v, f.range)));
    let on_text = {
        let set = change(|f, v| f.text = v);
        Callback::from(move |e: InputEvent| {
            set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_from = {
        let set = change(|f, v| {
            if let DateRange::Custom { to, .. } = f.range {
                f.range = DateRange::Custom { from: day(&v), to };
            }
        });
        Callback::from(move |e: Event| set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_to = {
        let set = change(|f, v| {
            if let DateRange::Custom { from, .. } = f.range {
                f.range = DateRange::Custom { from, to: day(&v) };
            }
        });
        Callback::from(move |e: Event| set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_reset = props
        .on_change
        .reform(|_: MouseEvent| ReportFilter::default());

    html! {
        <form class="filter-bar" role="search" aria-label="Filter the report"
              onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <Choice id="filter-dates" label="Dates" options={range_options()}
                    value={range_value(filter.range)} on_pick={on_range} />
            if let DateRange::Custom { from, to } = filter.range {
                <div class="field">
                    <label for="filter-from">{ "From (UTC)" }</label>
                    <input id="filter-from" type="date" value={text_of(from)} onchange={on_from} />
                </div>
                <div class="field">
                    <label for="filter-to">{ "To (UTC)" }</label>
                    <input id="filter-to" type="date" value={text_of(to)} onchange={on_to} />
                </div>
            }
            <div class="field field-text">
                <label for="filter-text">{ "Search every column" }</label>
                <input id="filter-text" type="search" value={filter.text.clone()}
                       autocomplete="off" oninput={on_text} />
            </div>
            { for props.facets.iter().map(|(facet, values)| facet_choice(*facet, values, filter, &props.on_change)) }
            if !filter.is_empty() {
                <button type="button" class="secondary" onclick={on_reset}>{ "Clear filters" }</button>
            }
        </form>
    }
}

/// The choice list of one facet: "All", then its values.
fn facet_choice(
    facet: Facet,
    values: &[String],
    filter: &ReportFilter,
    on_change: &Callback<ReportFilter>,
) -> Html {
    let current = filter.facets.get(&facet).cloned().unwrap_or_default();
    let on_pick = {
        let filter = filter.clone();
        on_change.reform(move |value: String| {
            let mut next = filter.clone();
            if value.is_empty() {
                next.facets.remove(&facet);
            } else {
                next.facets.insert(facet, value);
            }
            next
        })
    };
    // A value from a bookmarked address that this load does not have is
    // still listed, so the choice shows what filters the rows.
    let missing = (!current.is_empty() && !values.contains(&current)).then(|| current.clone());
    let options = std::iter::once((String::new(), "All".to_owned()))
        .chain(
            values
                .iter()
                .chain(missing.iter())
                .map(|v| (v.clone(), v.clone())),
        )
        .collect::<Vec<_>>();
    html! {
        <Choice id={format!("filter-{}", facet.key())} label={facet.label()} {options}
                value={current} {on_pick} />
    }
}

/// The dates choices: the presets, then a custom range.
fn range_options() -> Vec<(String, String)> {
    DateRange::PRESETS
        .iter()
        .map(|(range, label)| (range_value(*range), (*label).to_owned()))
        .chain(std::iter::once((
            "custom".to_owned(),
            "From \u{2026} to \u{2026}".to_owned(),
        )))
        .collect()
}

fn day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn text_of(day: Option<NaiveDate>) -> String {
    day.map(|d| d.to_string()).unwrap_or_default()
}
