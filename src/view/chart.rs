//! The data of the reports' charts: requests per day (or week, or month)
//! stacked by result, and the mix of methods or actions; with their scales,
//! their SVG geometry and their text alternatives.
//!
//! Everything is computed here, natively testable; the page's chart
//! components only draw it. One stacked series is one SVG path, whatever
//! the number of days, so a year of data stays a handful of DOM nodes.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};

use crate::classify::Outcome;
use crate::report::{GroupRow, PasswordResetRow, RegistrationRow};

/// The name of the bar for rows that record no method.
pub const NOT_RECORDED: &str = "Not recorded";

/// Up to this many days, the activity chart has a bar per day; beyond, a
/// bar per week, and beyond this many weeks, a bar per month. The chart
/// never has more bars: dates that span more than this many months (a
/// damaged or crafted date far from the others, as a rule) are drawn over
/// the busiest stretch of this many months only; see [`Activity::earlier`].
pub const MAX_BARS: i64 = 400;

/// At most this many dates are written under the activity chart.
pub const MAX_X_LABELS: usize = 8;

/// One report row as the charts see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartRow {
    /// When (UTC); rows without a date are counted but not drawn by day.
    pub date: Option<DateTime<Utc>>,
    /// The result.
    pub result: Outcome,
    /// Its methods (reset and registration reports) or its action (groups);
    /// empty when none was recorded.
    pub kinds: Vec<String>,
}

impl From<&PasswordResetRow> for ChartRow {
    fn from(row: &PasswordResetRow) -> Self {
        ChartRow {
            date: row.date,
            result: row.result,
            kinds: row.methods.clone(),
        }
    }
}

impl From<&RegistrationRow> for ChartRow {
    fn from(row: &RegistrationRow) -> Self {
        ChartRow {
            date: row.date,
            result: row.result,
            kinds: row.methods.clone(),
        }
    }
}

impl From<&GroupRow> for ChartRow {
    fn from(row: &GroupRow) -> Self {
        ChartRow {
            date: row.date,
            result: row.result,
            kinds: vec![row.action.clone()],
        }
    }
}

/// How long one bar of the activity chart is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// A calendar day (UTC).
    Day,
    /// A week, Monday to Sunday (UTC).
    Week,
    /// A calendar month (UTC).
    Month,
}

impl Period {
    /// "day", "week", "month".
    pub fn noun(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }

    /// The first day of the period holding `day`. The first week of the
    /// calendar starts on its first day ([`NaiveDate::MIN`], which a file
    /// can hold), as the Monday before does not exist.
    fn start_of(self, day: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => day,
            Period::Week => day
                .checked_sub_days(Days::new(days_from_monday(day)))
                .unwrap_or(NaiveDate::MIN),
            Period::Month => day.with_day(1).unwrap_or(day),
        }
    }

    /// The first day of the period after the one starting on `start`;
    /// `None` past the calendar's last day ([`NaiveDate::MAX`], which a
    /// file can hold).
    fn next(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Period::Day => start.checked_add_days(Days::new(1)),
            // The next Monday: 7 days on, but fewer from the first week of
            // the calendar.
            Period::Week => start.checked_add_days(Days::new(7 - days_from_monday(start))),
            Period::Month => start.checked_add_months(Months::new(1)),
        }
    }

    /// How a period is named under the chart and in its table.
    pub fn label(self, start: NaiveDate) -> String {
        match self {
            Period::Day => start.format("%Y-%m-%d").to_string(),
            Period::Week => format!("week of {}", start.format("%Y-%m-%d")),
            Period::Month => start.format("%Y-%m").to_string(),
        }
    }

    /// The shortest unambiguous label, for the axis.
    pub fn axis_label(self, start: NaiveDate) -> String {
        match self {
            Period::Day | Period::Week => start.format("%Y-%m-%d").to_string(),
            Period::Month => start.format("%Y-%m").to_string(),
        }
    }
}

/// Days from the Monday of `day`'s week to `day` (0 to 6).
fn days_from_monday(day: NaiveDate) -> u64 {
    u64::from(day.weekday().num_days_from_monday())
}

/// The requests of one period, by result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bucket {
    /// The period's first day.
    pub start: NaiveDate,
    /// Requests per result, in the order of [`Outcome::ALL`].
    pub counts: [u32; 7],
}

impl Bucket {
    /// All requests of the period.
    pub fn total(&self) -> u32 {
        self.counts.iter().sum()
    }

    /// Requests of the period with `outcome`.
    pub fn count(&self, outcome: Outcome) -> u32 {
        self.counts[outcome_index(outcome)]
    }
}

/// Requests per period, stacked by result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Activity {
    /// The length of one bar.
    pub period: Period,
    /// Every period from the first dated row's to the last's, empty ones
    /// included, oldest first.
    pub buckets: Vec<Bucket>,
    /// The results that occur, in the order of [`Outcome::ALL`] (the
    /// stacking order, bottom up, and the legend's).
    pub outcomes: Vec<Outcome>,
    /// Rows without a date: counted, not drawn.
    pub undated: u32,
    /// Dated rows before the first bar: counted, not drawn. Only when the
    /// dates span more than [`MAX_BARS`] months, which keeps the chart to
    /// the busiest [`MAX_BARS`] months (the latest such stretch on a tie).
    pub earlier: u32,
    /// Dated rows after the last bar, as [`Activity::earlier`].
    pub later: u32,
}

fn outcome_index(outcome: Outcome) -> usize {
    Outcome::ALL
        .iter()
        .position(|o| *o == outcome)
        .unwrap_or_default()
}

/// The activity of `rows`: one bucket per day from the first to the last
/// dated row (per week or month when that would be more than [`MAX_BARS`]
/// bars; over the busiest [`MAX_BARS`] months only when even months would
/// be more).
pub fn activity(rows: &[ChartRow]) -> Activity {
    let mut days: Vec<NaiveDate> = rows
        .iter()
        .filter_map(|r| r.date.map(|d| d.date_naive()))
        .collect();
    days.sort_unstable();
    let undated = (rows.len() - days.len()) as u32;
    let Some((first, last)) = drawn_range(&days) else {
        return Activity {
            period: Period::Day,
            buckets: Vec::new(),
            outcomes: Vec::new(),
            undated,
            earlier: 0,
            later: 0,
        };
    };
    let span = (last - first).num_days() + 1;
    let period = if span <= MAX_BARS {
        Period::Day
    } else if span / 7 <= MAX_BARS {
        Period::Week
    } else {
        Period::Month
    };

    let mut buckets = Vec::new();
    let mut start = Some(period.start_of(first));
    while let Some(day) = start.filter(|day| *day <= last) {
        buckets.push(Bucket {
            start: day,
            counts: [0; 7],
        });
        start = period.next(day);
    }
    let mut seen = [false; 7];
    let (mut earlier, mut later) = (0, 0);
    for row in rows {
        let Some(date) = row.date else { continue };
        let start = period.start_of(date.date_naive());
        // Buckets are in date order, one per period; a row outside them
        // (only when the dates span too many months) is counted aside.
        match buckets.binary_search_by_key(&start, |b| b.start) {
            Ok(i) => {
                let o = outcome_index(row.result);
                buckets[i].counts[o] += 1;
                seen[o] = true;
            }
            Err(0) => earlier += 1,
            // After the last, as the buckets leave no gap.
            Err(_) => later += 1,
        }
    }
    let outcomes = Outcome::ALL
        .iter()
        .zip(seen)
        .filter_map(|(o, s)| s.then_some(*o))
        .collect();
    Activity {
        period,
        buckets,
        outcomes,
        undated,
        earlier,
        later,
    }
}

/// The first and last day the chart draws, given every dated row's day in
/// order: all of them, unless they span more than [`MAX_BARS`] months;
/// then those of the calendar months, [`MAX_BARS`] at most, that hold the
/// most rows (the latest such stretch on a tie). `None` without a day.
fn drawn_range(days: &[NaiveDate]) -> Option<(NaiveDate, NaiveDate)> {
    let (first, last) = (*days.first()?, *days.last()?);
    let month = |day: NaiveDate| i64::from(day.year()) * 12 + i64::from(day.month0());
    if month(last) - month(first) < MAX_BARS {
        return Some((first, last));
    }

    // The window ending at each day in turn: its first day is `days[from]`.
    let mut from = 0;
    let mut best = (0, 0, 0);
    for (to, day) in days.iter().enumerate() {
        while month(*day) - month(days[from]) >= MAX_BARS {
            from += 1;
        }
        if to + 1 - from >= best.0 {
            best = (to + 1 - from, from, to);
        }
    }
    Some((days[best.1], days[best.2]))
}

impl Activity {
    /// Rows drawn (those with a date).
    pub fn dated(&self) -> u32 {
        self.buckets.iter().map(Bucket::total).sum()
    }

    /// Requests with `outcome` over every period.
    pub fn total_of(&self, outcome: Outcome) -> u32 {
        self.buckets.iter().map(|b| b.count(outcome)).sum()
    }

    /// The chart in words, for its accessible name: the span, the totals by
    /// result, the busiest period, and the rows without a date.
    pub fn summary(&self) -> String {
        let (Some(first), Some(last)) = (self.buckets.first(), self.buckets.last()) else {
            return match self.undated {
                0 => "No requests to chart.".to_owned(),
                n => format!("No dated requests to chart; {n} without a date."),
            };
        };
        let noun = self.period.noun();
        let by_result: Vec<String> = self
            .outcomes
            .iter()
            .map(|o| format!("{} {}", self.total_of(*o), o.label()))
            .collect();
        let mut text = format!(
            "{} requests per {noun} from {} to {}: {}.",
            self.dated(),
            self.period.label(first.start),
            self.period.label(last.start),
            by_result.join(", ")
        );
        if let Some(busiest) = self
            .buckets
            .iter()
            .rev()
            .max_by_key(|b| b.total())
            .filter(|b| b.total() > 0)
        {
            text.push_str(&format!(
                " Busiest {noun}: {} with {}.",
                self.period.label(busiest.start),
                busiest.total()
            ));
        }
        if self.undated > 0 {
            text.push_str(&format!(" {} without a date are not drawn.", self.undated));
        }
        if self.earlier > 0 || self.later > 0 {
            text.push_str(&format!(
                " The dates span more than {MAX_BARS} months: {} dated before {} and {} \
                 after {} are not drawn.",
                self.earlier,
                self.period.label(first.start),
                self.later,
                self.period.label(last.start)
            ));
        }
        text
    }
}

/// A value axis: its top, and the values marked on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scale {
    /// The value at the top of the plot.
    pub top: u32,
    /// The values marked, from 0 up to `top`.
    pub ticks: Vec<u32>,
}

/// A scale from 0 to at least `max`, in steps of 1, 2 or 5 times a power of
/// ten, with about four steps.
pub fn scale(max: u32) -> Scale {
    let wanted = max.div_ceil(4).max(1);
    let mut step = 1u32;
    'find: for power in [1u32, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000] {
        for factor in [1u32, 2, 5] {
            step = factor.saturating_mul(power);
            if step >= wanted {
                break 'find;
            }
        }
    }
    let top = max.div_ceil(step).max(1).saturating_mul(step);
    let ticks = (0..=top / step).map(|i| i * step).collect();
    Scale { top, ticks }
}

/// The drawing area of a chart, in SVG user units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plot {
    /// The whole chart's width.
    pub width: f64,
    /// The whole chart's height.
    pub height: f64,
    /// Left edge of the plot (room for the value labels).
    pub left: f64,
    /// Right edge of the plot.
    pub right: f64,
    /// Top edge of the plot.
    pub top: f64,
    /// Bottom edge of the plot (the zero line).
    pub bottom: f64,
}

impl Plot {
    /// The `viewBox` attribute.
    pub fn view_box(&self) -> String {
        format!("0 0 {} {}", number(self.width), number(self.height))
    }
}

/// The activity chart's frame.
pub const ACTIVITY_PLOT: Plot = Plot {
    width: 720.0,
    height: 220.0,
    left: 40.0,
    // Room for half the last date label.
    right: 680.0,
    top: 10.0,
    bottom: 190.0,
};

/// One result's bars, as one path.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// The result.
    pub outcome: Outcome,
    /// The SVG path of every bar segment of this result.
    pub path: String,
    /// Requests with this result.
    pub count: u32,
}

/// A mark on an axis: where, and what it says.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    /// Position along the axis (y for values, x for dates).
    pub at: f64,
    /// The text.
    pub label: String,
}

/// The activity chart, ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityDrawing {
    /// The frame.
    pub plot: Plot,
    /// One series per result that occurs, bottom of the stack first.
    pub series: Vec<Series>,
    /// The value marks (y) with their gridlines.
    pub value_ticks: Vec<Tick>,
    /// The period marks (x), at the centre of their bar.
    pub period_ticks: Vec<Tick>,
    /// The width of one bar.
    pub bar_width: f64,
}

/// The geometry of `activity` in [`ACTIVITY_PLOT`].
pub fn draw_activity(activity: &Activity) -> ActivityDrawing {
    let plot = ACTIVITY_PLOT;
    let max = activity
        .buckets
        .iter()
        .map(Bucket::total)
        .max()
        .unwrap_or(0);
    let scale = scale(max);
    let height = plot.bottom - plot.top;
    let y_of = |value: u32| plot.bottom - height * f64::from(value) / f64::from(scale.top);
    let slot = (plot.right - plot.left) / activity.buckets.len().max(1) as f64;
    // A gap between bars while they are wide enough to show one.
    let gap = if slot >= 4.0 { slot * 0.2 } else { 0.0 };
    let bar_width = slot - gap;

    let mut paths: Vec<String> = vec![String::new(); activity.outcomes.len()];
    for (i, bucket) in activity.buckets.iter().enumerate() {
        let x = plot.left + slot * i as f64 + gap / 2.0;
        let mut below = 0u32;
        for (path, outcome) in paths.iter_mut().zip(&activity.outcomes) {
            let count = bucket.count(*outcome);
            if count == 0 {
                continue;
            }
            let (y0, y1) = (y_of(below), y_of(below + count));
            below += count;
            path.push_str(&format!(
                "M{} {}h{}V{}H{}Z",
                number(x),
                number(y1),
                number(bar_width),
                number(y0),
                number(x)
            ));
        }
    }
    let series = activity
        .outcomes
        .iter()
        .zip(paths)
        .map(|(outcome, path)| Series {
            outcome: *outcome,
            path,
            count: activity.total_of(*outcome),
        })
        .collect();
    let value_ticks = scale
        .ticks
        .iter()
        .map(|v| Tick {
            at: y_of(*v),
            label: v.to_string(),
        })
        .collect();
    let every = activity.buckets.len().div_ceil(MAX_X_LABELS).max(1);
    let period_ticks = activity
        .buckets
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, b)| Tick {
            at: plot.left + slot * (i as f64 + 0.5),
            label: activity.period.axis_label(b.start),
        })
        .collect();
    ActivityDrawing {
        plot,
        series,
        value_ticks,
        period_ticks,
        bar_width,
    }
}

/// How many rows name each method or action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mix {
    /// Each method or action with its count, most frequent first (then by
    /// name); rows with none count as [`NOT_RECORDED`].
    pub kinds: Vec<(String, u32)>,
    /// The rows counted; a row with several methods counts once for each.
    pub rows: u32,
}

/// The mix of methods or actions of `rows`.
pub fn mix(rows: &[ChartRow]) -> Mix {
    let mut counts: std::collections::BTreeMap<&str, u32> = std::collections::BTreeMap::new();
    for row in rows {
        if row.kinds.is_empty() {
            *counts.entry(NOT_RECORDED).or_default() += 1;
        }
        for kind in &row.kinds {
            *counts.entry(kind.as_str()).or_default() += 1;
        }
    }
    let mut kinds: Vec<(String, u32)> =
        counts.into_iter().map(|(k, n)| (k.to_owned(), n)).collect();
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Mix {
        kinds,
        rows: rows.len() as u32,
    }
}

impl Mix {
    /// The chart in words: each method or action with its count.
    pub fn summary(&self, noun: &str) -> String {
        if self.kinds.is_empty() {
            return format!("No {noun} to chart.");
        }
        let parts: Vec<String> = self.kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
        format!("{noun} over {} requests: {}.", self.rows, parts.join(", "))
    }
}

/// One bar of the mix chart.
#[derive(Clone, Debug, PartialEq)]
pub struct MixBar {
    /// The method or action.
    pub kind: String,
    /// Its count.
    pub count: u32,
    /// Top of the bar.
    pub y: f64,
    /// Length of the bar.
    pub width: f64,
}

/// The mix chart, ready to draw: horizontal bars, labels on the left.
#[derive(Clone, Debug, PartialEq)]
pub struct MixDrawing {
    /// The frame; its height grows with the number of bars.
    pub plot: Plot,
    /// The bars, top to bottom.
    pub bars: Vec<MixBar>,
    /// The thickness of a bar.
    pub bar_height: f64,
}

/// Height of one row of the mix chart.
pub const MIX_ROW: f64 = 28.0;

/// The geometry of `mix`.
pub fn draw_mix(mix: &Mix) -> MixDrawing {
    let rows = mix.kinds.len() as f64;
    // About as wide as the chart shows on a wide screen, so that its text
    // keeps its size.
    let plot = Plot {
        width: 460.0,
        height: rows * MIX_ROW + 8.0,
        left: 170.0,
        right: 410.0,
        top: 4.0,
        bottom: 4.0 + rows * MIX_ROW,
    };
    let max = mix.kinds.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let bar_height = MIX_ROW * 0.64;
    let bars = mix
        .kinds
        .iter()
        .enumerate()
        .map(|(i, (kind, count))| MixBar {
            kind: kind.clone(),
            count: *count,
            y: plot.top + MIX_ROW * i as f64 + (MIX_ROW - bar_height) / 2.0,
            width: (plot.right - plot.left) * f64::from(*count) / f64::from(max),
        })
        .collect();
    MixDrawing {
        plot,
        bars,
        bar_height,
    }
}

/// A coordinate as SVG text: at most two decimals, no trailing zeros.
pub fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn row(date: &str, result: Outcome, kinds: &[&str]) -> ChartRow {
        ChartRow {
            date: crate::time::parse_utc(date),
            result,
            kinds: kinds.iter().map(|k| (*k).to_owned()).collect(),
        }
    }

    #[test]
    fn scales_step_by_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(scale(0).ticks, vec![0, 1]);
        assert_eq!(scale(2).ticks, vec![0, 1, 2]);
        assert_eq!(scale(5).ticks, vec![0, 2, 4, 6]);
        assert_eq!(scale(37).ticks, vec![0, 10, 20, 30, 40]);
        assert_eq!(scale(1234).top, 1500);
    }

    #[test]
    fn empty_days_between_requests_are_kept_and_results_stack() {
        let rows = [
            row("2024-01-02T10:00:00Z", Outcome::Success, &[]),
            row("2024-01-02T23:59:59Z", Outcome::Failed, &[]),
            row("2024-01-05T00:00:00Z", Outcome::Success, &[]),
        ];
        let a = activity(&rows);
        assert_eq!(a.period, Period::Day);
        let totals: Vec<u32> = a.buckets.iter().map(Bucket::total).collect();
        assert_eq!(totals, vec![2, 0, 0, 1]);
        assert_eq!(a.outcomes, vec![Outcome::Success, Outcome::Failed]);
        let d = draw_activity(&a);
        // Scale 0..2 over 180 units: the Success bar of day 1 is the lower
        // half, Failed the upper half.
        assert_eq!(d.series[0].path, "M56 100h128V190H56ZM536 100h128V190H536Z");
        assert_eq!(d.series[1].path, "M56 10h128V100H56Z");
    }

    #[test]
    fn a_year_and_more_is_drawn_in_weeks_in_one_path_per_result() {
        let rows: Vec<ChartRow> = (0..800)
            .map(|i| ChartRow {
                date: crate::time::parse_utc("2023-01-02T12:00:00Z").map(|d| d + Duration::days(i)),
                result: if i % 3 == 0 {
                    Outcome::Failed
                } else {
                    Outcome::Success
                },
                kinds: vec![],
            })
            .collect();
        let a = activity(&rows);
        assert_eq!(a.period, Period::Week);
        // 2023-01-02 is a Monday; 800 days are 114 weeks and 2 days.
        assert_eq!(a.buckets.len(), 115);
        assert_eq!(a.buckets[0].total(), 7);
        let d = draw_activity(&a);
        assert_eq!(d.series.len(), 2);
        assert_eq!(d.period_ticks.len(), 8);
        assert_eq!(d.period_ticks[0].label, "2023-01-02");
    }

    /// A success at midday on `day`.
    fn on(day: NaiveDate) -> ChartRow {
        ChartRow {
            date: day.and_hms_opt(12, 0, 0).map(|d| d.and_utc()),
            result: Outcome::Success,
            kinds: vec![],
        }
    }

    fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("a date of the calendar")
    }

    fn starts(a: &Activity) -> Vec<String> {
        a.buckets.iter().map(|b| b.start.to_string()).collect()
    }

    #[test]
    fn a_request_on_the_calendars_last_day_ends_the_days() {
        // The latest time chrono knows, as PowerShell writes it.
        let rows = [
            row("/Date(8210266876799999)/", Outcome::Success, &[]),
            on(ymd(262142, 12, 29)),
        ];
        let a = activity(&rows);
        assert_eq!(a.period, Period::Day);
        assert_eq!(
            starts(&a),
            ["+262142-12-29", "+262142-12-30", "+262142-12-31"]
        );
        assert_eq!(a.dated(), 2);
    }

    #[test]
    fn weeks_and_months_stop_at_the_calendars_last_day() {
        let a = activity(&[on(ymd(262141, 6, 1)), on(NaiveDate::MAX)]);
        assert_eq!(a.period, Period::Week);
        assert_eq!(a.buckets.len(), 84);
        assert_eq!(a.buckets[83].start.to_string(), "+262142-12-31");
        assert_eq!(a.dated(), 2);

        let a = activity(&[on(ymd(262118, 1, 1)), on(NaiveDate::MAX)]);
        assert_eq!(a.period, Period::Month);
        assert_eq!(a.buckets.len(), 300);
        assert_eq!(a.buckets[299].start.to_string(), "+262142-12-01");
        assert_eq!(a.dated(), 2);
    }

    #[test]
    fn the_first_week_of_the_calendar_starts_on_its_first_day() {
        let a = activity(&[on(NaiveDate::MIN), on(ymd(-262142, 6, 1))]);
        assert_eq!(a.period, Period::Week);
        assert_eq!(
            starts(&a)[..3],
            ["-262143-01-01", "-262143-01-05", "-262143-01-12"]
        );
        assert_eq!(a.dated(), 2);
    }

    #[test]
    fn dates_spanning_more_than_400_months_chart_the_busiest_400() {
        let rows = [
            on(NaiveDate::MIN),
            row("2024-01-02T10:00:00Z", Outcome::Success, &[]),
            row("2024-01-02T11:00:00Z", Outcome::Failed, &[]),
            row("2024-03-05T10:00:00Z", Outcome::Success, &[]),
            on(NaiveDate::MAX),
        ];
        let a = activity(&rows);
        // 2024-01-02 to 2024-03-05, by day, as if the far dates were not
        // there: they are counted aside.
        assert_eq!(a.period, Period::Day);
        assert_eq!(a.buckets.len(), 64);
        assert_eq!((a.earlier, a.later, a.dated()), (1, 1, 3));
        assert_eq!(
            a.summary(),
            "3 requests per day from 2024-01-02 to 2024-03-05: 2 Success, 1 Failed. \
             Busiest day: 2024-01-02 with 2. The dates span more than 400 months: \
             1 dated before 2024-01-02 and 1 after 2024-03-05 are not drawn."
        );
    }

    #[test]
    fn of_two_equally_busy_stretches_the_chart_keeps_the_latest() {
        let a = activity(&[on(ymd(1601, 1, 1)), on(ymd(2024, 5, 6))]);
        assert_eq!(starts(&a), ["2024-05-06"]);
        assert_eq!((a.earlier, a.later), (1, 0));
    }

    #[test]
    fn the_summary_names_span_totals_busiest_day_and_undated_rows() {
        let rows = [
            row("2024-01-02T10:00:00Z", Outcome::Success, &[]),
            row("2024-01-03T10:00:00Z", Outcome::Failed, &[]),
            row("2024-01-03T11:00:00Z", Outcome::Success, &[]),
            ChartRow {
                date: None,
                result: Outcome::Pending,
                kinds: vec![],
            },
        ];
        assert_eq!(
            activity(&rows).summary(),
            "3 requests per day from 2024-01-02 to 2024-01-03: 2 Success, 1 Failed. \
             Busiest day: 2024-01-03 with 2. 1 without a date are not drawn."
        );
    }

    #[test]
    fn the_mix_counts_each_method_and_rows_without_one() {
        let rows = [
            row("2024-01-02T10:00:00Z", Outcome::Success, &["SMS", "Email"]),
            row("2024-01-02T11:00:00Z", Outcome::Success, &["SMS"]),
            row("2024-01-02T12:00:00Z", Outcome::Failed, &[]),
        ];
        let m = mix(&rows);
        assert_eq!(
            m.kinds,
            vec![
                ("SMS".to_owned(), 2),
                ("Email".to_owned(), 1),
                (NOT_RECORDED.to_owned(), 1)
            ]
        );
        let d = draw_mix(&m);
        assert_eq!(d.bars[0].width, 240.0);
        assert_eq!(d.bars[1].width, 120.0);
        assert_eq!(
            m.summary("Methods"),
            "Methods over 3 requests: SMS 2, Email 1, Not recorded 1."
        );
    }
}
