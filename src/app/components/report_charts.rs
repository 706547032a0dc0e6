//! The charts above a report table: requests per day stacked by result, and
//! the mix of methods or actions. They draw what [`mim_reports::view::chart`]
//! computes from the rows they are given (the rows the table shows), as
//! plain SVG coloured by CSS classes, each with a name in words and its
//! numbers a click away.

use std::rc::Rc;

use yew::prelude::*;

use mim_reports::classify::Outcome;
use mim_reports::view::chart::{
    self, Activity, ActivityDrawing, ChartRow, Mix, MixDrawing, Plot, number,
};

/// Properties of [`ReportCharts`].
#[derive(Properties, PartialEq)]
pub struct ReportChartsProps {
    /// The report's title, for the charts' names.
    pub title: AttrValue,
    /// The rows to chart: the rows the table shows.
    pub rows: Rc<Vec<ChartRow>>,
    /// What the mix counts, plural and capitalised: "Methods", "Actions".
    pub mix_noun: AttrValue,
}

/// The two charts of a report, side by side when there is room.
#[function_component(ReportCharts)]
pub fn report_charts(props: &ReportChartsProps) -> Html {
    let activity = use_memo(props.rows.clone(), |rows| chart::activity(rows));
    let mix = use_memo(props.rows.clone(), |rows| chart::mix(rows));
    html! {
        <section class="charts" aria-label={format!("Charts of {}", props.title)}>
            <ActivityChart activity={activity} title={props.title.clone()} />
            <MixChart mix={mix} noun={props.mix_noun.clone()} />
        </section>
    }
}

/// The class that colours a result: `outcome-locked-out`.
fn outcome_class(outcome: Outcome) -> String {
    format!(
        "outcome-{}",
        outcome.label().to_lowercase().replace(' ', "-")
    )
}

#[derive(Properties, PartialEq)]
struct ActivityChartProps {
    activity: Rc<Activity>,
    title: AttrValue,
}

/// Requests per period, one path per result, value lines and dates.
#[function_component(ActivityChart)]
fn activity_chart(props: &ActivityChartProps) -> Html {
    let activity = &props.activity;
    let drawing = use_memo(activity.clone(), |a| chart::draw_activity(a));
    let show_numbers = use_state(|| false);
    let summary = activity.summary();
    let noun = activity.period.noun();
    let toggle = {
        let show_numbers = show_numbers.clone();
        Callback::from(move |_: MouseEvent| show_numbers.set(!*show_numbers))
    };
    html! {
        <figure class="chart activity-chart"
                data-bars={activity.buckets.len().to_string()}
                data-period={noun}>
            <figcaption>{ format!("Requests per {noun}, by result") }</figcaption>
            if activity.buckets.is_empty() {
                <p class="chart-empty">{ summary }</p>
            } else {
                <svg class="chart-svg" viewBox={drawing.plot.view_box()}
                     role="img" aria-label={format!("{}: {summary}", props.title)}
                     preserveAspectRatio="xMidYMid meet">
                    <title>{ summary.clone() }</title>
                    { activity_axes(&drawing) }
                    { for drawing.series.iter().map(|s| html! {
                        <path class={classes!("bar", outcome_class(s.outcome))} d={s.path.clone()}>
                            <title>{ format!("{}: {}", s.outcome.label(), s.count) }</title>
                        </path>
                    }) }
                </svg>
                <ul class="legend">
                    { for drawing.series.iter().map(|s| html! {
                        <li>
                            <span class={classes!("swatch", outcome_class(s.outcome))}
                                  aria-hidden="true"></span>
                            { format!("{} {}", s.outcome.label(), s.count) }
                        </li>
                    }) }
                </ul>
                <button type="button" class="secondary chart-numbers-toggle"
                        aria-expanded={show_numbers.to_string()} onclick={toggle}>
                    { if *show_numbers { "Hide the numbers" } else { "Show the numbers" } }
                </button>
                if *show_numbers {
                    { activity_table(activity) }
                }
            }
        </figure>
    }
}

/// Value lines with their numbers, the zero line, and the period labels.
fn activity_axes(drawing: &ActivityDrawing) -> Html {
    let Plot {
        left,
        right,
        bottom,
        ..
    } = drawing.plot;
    html! {
        <g class="axes" aria-hidden="true">
            { for drawing.value_ticks.iter().map(|t| html! {
                <>
                    <line class="grid" x1={number(left)} x2={number(right)}
                          y1={number(t.at)} y2={number(t.at)} />
                    <text class="tick-label" x={number(left - 6.0)} y={number(t.at + 4.0)}
                          text-anchor="end">{ t.label.clone() }</text>
                </>
            }) }
            <line class="axis" x1={number(left)} x2={number(right)}
                  y1={number(bottom)} y2={number(bottom)} />
            { for drawing.period_ticks.iter().map(|t| html! {
                <text class="tick-label" x={number(t.at)} y={number(bottom + 18.0)}
                      text-anchor="middle">{ t.label.clone() }</text>
            }) }
        </g>
    }
}

/// The chart's numbers as a table: one row per period with requests.
fn activity_table(activity: &Activity) -> Html {
    let noun = activity.period.noun();
    html! {
        <div class="table-scroll chart-numbers">
            <table>
                <caption>{ format!("Requests per {noun} (periods without requests left out)") }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Period" }</th>
                        { for activity.outcomes.iter().map(|o| html! {
                            <th scope="col" class="number">{ o.label() }</th>
                        }) }
                        <th scope="col" class="number">{ "Total" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for activity.buckets.iter().filter(|b| b.total() > 0).map(|b| html! {
                        <tr>
                            <th scope="row">{ activity.period.label(b.start) }</th>
                            { for activity.outcomes.iter().map(|o| html! {
                                <td class="number">{ b.count(*o) }</td>
                            }) }
                            <td class="number">{ b.total() }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct MixChartProps {
    mix: Rc<Mix>,
    noun: AttrValue,
}

/// One horizontal bar per method or action, with its count.
#[function_component(MixChart)]
fn mix_chart(props: &MixChartProps) -> Html {
    let drawing: Rc<MixDrawing> = use_memo(props.mix.clone(), |m| chart::draw_mix(m));
    let summary = props.mix.summary(&props.noun);
    let plot = drawing.plot;
    html! {
        <figure class="chart mix-chart" data-kinds={drawing.bars.len().to_string()}>
            <figcaption>{ props.noun.to_string() }</figcaption>
            if drawing.bars.is_empty() {
                <p class="chart-empty">{ summary }</p>
            } else {
                <svg class="chart-svg" viewBox={plot.view_box()} role="img"
                     aria-label={summary.clone()} preserveAspectRatio="xMidYMid meet">
                    <title>{ summary.clone() }</title>
                    { for drawing.bars.iter().map(|bar| {
                        let middle = bar.y + drawing.bar_height / 2.0 + 4.0;
                        html! {
                            <g class="mix-row">
                                <text class="mix-label" x={number(plot.left - 8.0)}
                                      y={number(middle)} text-anchor="end">{ bar.kind.clone() }</text>
                                <rect class="bar mix-bar" x={number(plot.left)} y={number(bar.y)}
                                      width={number(bar.width.max(1.0))}
                                      height={number(drawing.bar_height)} />
                                <text class="mix-count" x={number(plot.left + bar.width + 6.0)}
                                      y={number(middle)}>{ bar.count }</text>
                            </g>
                        }
                    }) }
                </svg>
                if props.mix.kinds.iter().map(|(_, n)| *n).sum::<u32>() > props.mix.rows {
                    <p class="chart-note">
                        { "A request with several methods counts once for each." }
                    </p>
                }
            }
        </figure>
    }
}
