//! Dates written for people: always with their zone, so that a date read
//! off the page or a printout cannot be taken for another.

use chrono::{DateTime, FixedOffset, Utc};

/// Which clock the page shows dates on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Clock {
    /// UTC, written with "UTC" after it.
    #[default]
    Utc,
    /// The viewer's own time zone, written with its offset (`+02:00`).
    Local,
}

impl Clock {
    /// The value in the page's address: `utc` or `local`.
    pub fn slug(self) -> &'static str {
        match self {
            Clock::Utc => "utc",
            Clock::Local => "local",
        }
    }

    /// The clock a value of the page's address names, if it names one.
    pub fn from_slug(slug: &str) -> Option<Clock> {
        match slug {
            "utc" => Some(Clock::Utc),
            "local" => Some(Clock::Local),
            _ => None,
        }
    }
}

/// `2024-01-04 15:41:31 UTC`.
pub fn utc_text(date: DateTime<Utc>) -> String {
    date.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// The date on a clock `offset_minutes` ahead of UTC (east positive), with
/// the offset: `2024-01-04 16:41:31 +01:00`. An offset outside a day either
/// way (no real zone has one) falls back to UTC.
pub fn offset_text(date: DateTime<Utc>, offset_minutes: i32) -> String {
    match offset_minutes
        .checked_mul(60)
        .and_then(FixedOffset::east_opt)
    {
        Some(offset) => date
            .with_timezone(&offset)
            .format("%Y-%m-%d %H:%M:%S %:z")
            .to_string(),
        None => utc_text(date),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_utc;

    #[test]
    fn utc_dates_say_utc_and_local_ones_their_offset() {
        let Some(date) = parse_utc("2024-01-04T15:41:31.748Z") else {
            panic!("the test date parses");
        };
        assert_eq!(utc_text(date), "2024-01-04 15:41:31 UTC");
        assert_eq!(offset_text(date, 60), "2024-01-04 16:41:31 +01:00");
        assert_eq!(offset_text(date, -330), "2024-01-04 10:11:31 -05:30");
        assert_eq!(offset_text(date, 600), "2024-01-05 01:41:31 +10:00");
        assert_eq!(offset_text(date, 0), "2024-01-04 15:41:31 +00:00");
        assert_eq!(offset_text(date, 100_000), "2024-01-04 15:41:31 UTC");
    }

    #[test]
    fn clocks_round_trip_through_their_slugs() {
        assert_eq!(Clock::from_slug(Clock::Local.slug()), Some(Clock::Local));
        assert_eq!(Clock::from_slug(Clock::Utc.slug()), Some(Clock::Utc));
        assert_eq!(Clock::from_slug("UTC+2"), None);
    }
}
