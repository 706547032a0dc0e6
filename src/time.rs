//! Parsing of the date and time spellings found in exports and in request
//! documents, into UTC.
//!
//! Accepted: ISO 8601 with `Z` or an offset (any number of fractional digits;
//! Windows writes seven); ISO-like without zone (`2024-03-01 09:15:02.123`,
//! `2024-03-01T09:15:02`); PowerShell's `/Date(1709284502123)/` (milliseconds
//! since 1970 UTC, possibly with an offset suffix that does not change the
//! instant); US dates (`3/1/2024 9:15:02 AM`, also with a comma before the
//! time and fractional seconds, `2/25/2025, 9:19:25.391 AM`); day-first dotted
//! dates (`01.03.2024 09:15:02`).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// A parsed time, and whether its text named a zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedTime {
    /// The instant; a zone-less time is taken as UTC.
    pub instant: DateTime<Utc>,
    /// Whether the text carried `Z`, an offset, or was an epoch count.
    pub zone_known: bool,
}

/// Parses any supported spelling; `None` when the text is not a time.
pub fn parse_time(text: &str) -> Option<ParsedTime> {
    let s = text.trim();
    if s.is_empty() {
        return None;
    }
    // Fast paths for the two spellings MIM writes most; each gives what the
    // general path below would, only without trying formats that cannot fit.
    if let Some(n) = parse_sql_time(s) {
        return Some(ParsedTime {
            instant: Utc.from_utc_datetime(&n),
            zone_known: false,
        });
    }
    if s.contains('/') && !s.contains("Date(") && !s.ends_with('Z') && !s.ends_with(" UTC") {
        // A date with slashes and no zone: only the US and dotted spellings
        // can match it.
        return parse_us(s).or_else(|| parse_dotted(s)).map(|n| ParsedTime {
            instant: Utc.from_utc_datetime(&n),
            zone_known: false,
        });
    }
    if let Some(t) = parse_ms_date(s) {
        return Some(ParsedTime {
            instant: t,
            zone_known: true,
        });
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(ParsedTime {
            instant: t.with_timezone(&Utc),
            zone_known: true,
        });
    }
    if let Some(t) = parse_iso_with_offset(s) {
        return Some(ParsedTime {
            instant: t,
            zone_known: true,
        });
    }
    parse_naive(s).map(|n| ParsedTime {
        instant: Utc.from_utc_datetime(&n),
        zone_known: false,
    })
}

/// Parses a time that is known to be UTC even when written without a zone
/// (request documents: MIM writes its times in UTC).
pub fn parse_utc(text: &str) -> Option<DateTime<Utc>> {
    parse_time(text).map(|t| t.instant)
}

/// `2024-03-01 09:15:02.123` exactly (one to nine fractional digits, or
/// none), without a zone; `None` for anything else, including a leap second,
/// which the general path handles.
fn parse_sql_time(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let nanos = match &b[19..] {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            let n = num(20..b.len())?;
            n * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    let second = num(17..19)?;
    if second > 59 {
        return None;
    }
    let time = NaiveTime::from_hms_nano_opt(num(11..13)?, num(14..16)?, second, nanos)?;
    Some(date.and_time(time))
}

/// `/Date(1709284502123)/`, `\/Date(...)\/` or `/Date(1709284502123+0100)/`.
fn parse_ms_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim_start_matches('\\').trim_start_matches('/');
    let inner = s.strip_prefix("Date(")?;
    let end = inner.find(')')?;
    let body = &inner[..end];
    // The digits, with an optional sign, then an optional offset that only
    // says how to display the instant.
    let digits_end = body
        .char_indices()
        .skip(1)
        .find(|(_, c)| *c == '+' || *c == '-')
        .map_or(body.len(), |(i, _)| i);
    let ms: i64 = body[..digits_end].parse().ok()?;
    DateTime::from_timestamp_millis(ms)
}

/// ISO-like with an offset that RFC 3339 rejects (a space instead of `T`).
fn parse_iso_with_offset(s: &str) -> Option<DateTime<Utc>> {
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ] {
        if let Ok(t) = DateTime::<FixedOffset>::parse_from_str(s, fmt) {
            return Some(t.with_timezone(&Utc));
        }
    }
    if let Some(rest) = s.strip_suffix('Z').or_else(|| s.strip_suffix(" UTC")) {
        return parse_naive(rest).map(|n| Utc.from_utc_datetime(&n));
    }
    None
}

/// Zone-less spellings.
fn parse_naive(s: &str) -> Option<NaiveDateTime> {
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t);
        }
    }
    parse_us(s).or_else(|| parse_dotted(s))
}

/// `M/D/YYYY h:mm[:ss[.fff]] AM|PM` or 24-hour, with an optional comma.
fn parse_us(s: &str) -> Option<NaiveDateTime> {
    let (date, time) = s.split_once([' ', ','])?;
    let mut parts = date.split('/');
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    let year: i32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    Some(date.and_time(parse_clock(time.trim_start_matches([',', ' ']))?))
}

/// `DD.MM.YYYY HH:mm[:ss]`.
fn parse_dotted(s: &str) -> Option<NaiveDateTime> {
    let (date, time) = s.split_once(' ')?;
    let mut parts = date.split('.');
    let day: u32 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let year: i32 = parts.next()?.parse().ok()?;
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    Some(date.and_time(parse_clock(time)?))
}

/// `h:mm[:ss[.fff]]` with an optional `AM`/`PM`.
fn parse_clock(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    let (clock, meridiem) = match s.rsplit_once(' ') {
        Some((c, m)) if m.eq_ignore_ascii_case("AM") || m.eq_ignore_ascii_case("PM") => {
            (c.trim(), Some(m.eq_ignore_ascii_case("PM")))
        }
        _ => (s, None),
    };
    let mut fields = clock.split(':');
    let mut hour: u32 = fields.next()?.parse().ok()?;
    let minute: u32 = fields.next()?.parse().ok()?;
    let (second, nanos) = match fields.next() {
        None => (0, 0),
        Some(sec) => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
            let second: u32 = whole.parse().ok()?;
            let nanos = if frac.is_empty() {
                0
            } else {
                let digits: String = frac.chars().take(9).collect();
                let scale = 10u32.pow(9 - digits.len() as u32);
                digits.parse::<u32>().ok()? * scale
            };
            (second, nanos)
        }
    };
    if fields.next().is_some() {
        return None;
    }
    match meridiem {
        Some(pm) => {
            if hour == 0 || hour > 12 {
                return None;
            }
            hour = match (hour, pm) {
                (12, false) => 0,
                (12, true) => 12,
                (h, true) => h + 12,
                (h, false) => h,
            };
        }
        None if hour > 23 => return None,
        None => {}
    }
    NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
}

/// Formats an instant as ISO 8601 UTC with milliseconds, as exports carry it.
pub fn iso_millis(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> Option<String> {
        parse_time(s).map(|t| iso_millis(t.instant))
    }

    #[test]
    fn windows_system_time_with_seven_digits() {
        assert_eq!(
            iso("2024-01-31T19:21:27.3751582Z").as_deref(),
            Some("2024-01-31T19:21:27.375Z")
        );
    }

    #[test]
    fn powershell_ms_date_with_and_without_escapes() {
        assert_eq!(
            iso("/Date(1706728887375)/").as_deref(),
            Some("2024-01-31T19:21:27.375Z")
        );
        assert_eq!(
            iso("\\/Date(1706728887375)\\/").as_deref(),
            Some("2024-01-31T19:21:27.375Z")
        );
        assert_eq!(
            iso("/Date(1706728887375+0100)/").as_deref(),
            Some("2024-01-31T19:21:27.375Z")
        );
    }

    #[test]
    fn iso_with_an_offset_is_moved_to_utc() {
        assert_eq!(
            iso("2024-01-31T20:21:27.3751582+01:00").as_deref(),
            Some("2024-01-31T19:21:27.375Z")
        );
    }

    #[test]
    fn request_times_without_zone() {
        assert_eq!(
            iso("2024-01-05 14:08:20.816").as_deref(),
            Some("2024-01-05T14:08:20.816Z")
        );
        assert_eq!(
            iso("1/5/2024 9:15:02 AM").as_deref(),
            Some("2024-01-05T09:15:02.000Z")
        );
        assert_eq!(
            iso("1/31/2024 7:21:27 PM").as_deref(),
            Some("2024-01-31T19:21:27.000Z")
        );
        assert_eq!(
            iso("1/2/2024 12:05:00 AM").as_deref(),
            Some("2024-01-02T00:05:00.000Z")
        );
        assert!(!parse_time("1/5/2024 9:15:02 AM").is_some_and(|t| t.zone_known));
    }

    #[test]
    fn sentinel_display_time_and_dotted_locale_time() {
        assert_eq!(
            iso("2/25/2025, 9:19:25.391 AM").as_deref(),
            Some("2025-02-25T09:19:25.391Z")
        );
        assert_eq!(
            iso("01.03.2024 09:15:02").as_deref(),
            Some("2024-03-01T09:15:02.000Z")
        );
    }

    #[test]
    fn nonsense_is_not_a_time() {
        assert_eq!(iso("13/45/2024 9:00 AM"), None);
        assert_eq!(iso("System.DateTime"), None);
        assert_eq!(iso(""), None);
        assert_eq!(iso("/Date(99999999999999999999)/"), None);
    }
}
