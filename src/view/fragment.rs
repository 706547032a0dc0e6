//! The view in the page's address, after the `#`: the tab, the filters of
//! its report and the clock, so that a view can be bookmarked or sent.
//!
//! `#tab=password-reset&range=30d&result=Failed&q=smith&time=local`
//!
//! Only what the person picked or typed goes in: never a row, a name read
//! from a file, or a count. Reading is lenient: an unknown key, a bad
//! value is skipped, broken percent-encoding reads as replacement characters, and the rest still
//! applies. A bare word with no value (such as `no-worker`, which switches
//! the reading worker off) is kept as a flag and written back.

use chrono::NaiveDate;

use super::Tab;
use super::dates::Clock;
use super::filter::{DateRange, Facet, ReportFilter};

/// The longest free text taken from an address, in characters.
pub const MAX_TEXT_CHARS: usize = 200;

/// Everything the address carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ViewState {
    /// The tab, when the address names one.
    pub tab: Option<Tab>,
    /// The filters of the tab's report.
    pub filter: ReportFilter,
    /// The clock dates are shown on.
    pub clock: Clock,
    /// Bare words, in their order (`no-worker`).
    pub flags: Vec<String>,
}

fn day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn range_slug(range: DateRange) -> Option<String> {
    match range {
        DateRange::All => None,
        DateRange::LastDays(n) => Some(format!("{n}d")),
        DateRange::Custom { .. } => Some("custom".to_owned()),
    }
}

/// Reads a fragment, with or without its `#`.
pub fn parse(fragment: &str) -> ViewState {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut view = ViewState::default();
    let (mut from, mut to, mut range) = (None, None, None);
    view.flags = fragment
        .split('&')
        .filter(|part| {
            !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        .map(str::to_owned)
        .collect();
    for (key, value) in form_urlencoded::parse(fragment.as_bytes()) {
        if value.is_empty() {
            continue;
        }
        match key.as_ref() {
            "tab" => view.tab = Tab::from_slug(&value).or(view.tab),
            "time" => view.clock = Clock::from_slug(&value).unwrap_or(view.clock),
            "q" => view.filter.text = value.chars().take(MAX_TEXT_CHARS).collect(),
            "from" => from = day(&value).or(from),
            "to" => to = day(&value).or(to),
            "range" => range = Some(value.into_owned()),
            _ => {
                if let Some(facet) = Facet::from_key(&key) {
                    view.filter
                        .facets
                        .insert(facet, value.chars().take(MAX_TEXT_CHARS).collect());
                }
            }
        }
    }
    let preset = range.as_deref().and_then(|r| {
        let days: u32 = r.strip_suffix('d')?.parse().ok()?;
        (1..=3660)
            .contains(&days)
            .then_some(DateRange::LastDays(days))
    });
    view.filter.range = match (range.as_deref(), preset) {
        (_, Some(preset)) => preset,
        (Some("all"), _) => DateRange::All,
        _ if from.is_some() || to.is_some() => DateRange::Custom { from, to },
        _ => DateRange::All,
    };
    view
}

/// Writes a view as a fragment, without its `#`; the default view is empty.
pub fn format(view: &ViewState) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    if let Some(tab) = view.tab {
        out.append_pair("tab", tab.slug());
    }
    let filter = &view.filter;
    if let Some(range) = range_slug(filter.range) {
        out.append_pair("range", &range);
    }
    if let DateRange::Custom { from, to } = filter.range {
        if let Some(from) = from {
            out.append_pair("from", &from.to_string());
        }
        if let Some(to) = to {
            out.append_pair("to", &to.to_string());
        }
    }
    if !filter.text.trim().is_empty() {
        out.append_pair("q", &filter.text);
    }
    for (facet, value) in &filter.facets {
        out.append_pair(facet.key(), value);
    }
    if view.clock != Clock::Utc {
        out.append_pair("time", view.clock.slug());
    }
    let mut text = out.finish();
    for flag in &view.flags {
        if !text.is_empty() {
            text.push('&');
        }
        text.push_str(flag);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::ReportTab;

    fn date(text: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    }

    #[test]
    fn a_view_reads_back_as_it_was_written() {
        let mut view = ViewState {
            tab: Some(Tab::Report(ReportTab::SelfServiceGroups)),
            clock: Clock::Local,
            ..ViewState::default()
        };
        view.filter.range = DateRange::Custom {
            from: date("2024-01-10"),
            to: date("2024-01-20"),
        };
        view.filter.text = "Finance & Co = 100% sure #1".into();
        view.filter
            .facets
            .insert(Facet::Result, "Pending approval".into());
        view.filter
            .facets
            .insert(Facet::Action, "Join group".into());

        let text = format(&view);

        assert_eq!(
            text,
            "tab=groups&range=custom&from=2024-01-10&to=2024-01-20\
             &q=Finance+%26+Co+%3D+100%25+sure+%231&result=Pending+approval\
             &action=Join+group&time=local"
        );
        assert_eq!(parse(&format!("#{text}")), view);
    }

    #[test]
    fn the_default_view_is_an_empty_fragment() {
        assert_eq!(format(&ViewState::default()), "");
        assert_eq!(parse(""), ViewState::default());
        assert_eq!(parse("#"), ViewState::default());
    }

    #[test]
    fn presets_and_flags_are_kept() {
        let view =
            parse("#no-worker&tab=password-reset&range=30d&method=One-time%20code%20by%20SMS");
        assert_eq!(view.tab, Some(Tab::Report(ReportTab::PasswordReset)));
        assert_eq!(view.filter.range, DateRange::LastDays(30));
        assert_eq!(
            view.filter.facets.get(&Facet::Method).map(String::as_str),
            Some("One-time code by SMS")
        );
        assert_eq!(view.flags, ["no-worker"]);
        assert_eq!(
            format(&view),
            "tab=password-reset&range=30d&method=One-time+code+by+SMS&no-worker"
        );
    }

    #[test]
    fn unknown_keys_and_bad_values_are_skipped_and_the_rest_applies() {
        let view = parse(
            "tab=nowhere&time=mars&range=forever&from=2024-13-45&to=2024-01-31\
             &colour=red&result=Failed&q=&%zz=1&method=%FF%FE&<script>",
        );
        assert_eq!(view.tab, None);
        assert_eq!(view.clock, Clock::Utc);
        assert_eq!(
            view.filter.range,
            DateRange::Custom {
                from: None,
                to: date("2024-01-31")
            }
        );
        assert_eq!(view.filter.text, "");
        assert_eq!(
            view.filter.facets.get(&Facet::Result).map(String::as_str),
            Some("Failed")
        );
        assert_eq!(
            view.filter.facets.get(&Facet::Method).map(String::as_str),
            Some("\u{fffd}\u{fffd}")
        );
        assert!(view.flags.is_empty());
    }

    #[test]
    fn long_text_is_cut_and_huge_ranges_are_refused() {
        let view = parse(&format!("q={}&range=99999999999d", "a".repeat(5000)));
        assert_eq!(view.filter.text.chars().count(), MAX_TEXT_CHARS);
        assert_eq!(view.filter.range, DateRange::All);
    }
}
