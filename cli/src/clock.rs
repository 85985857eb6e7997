//! One clock for strata: the calendar date and time types every file, flag
//! and report uses, and the one parser that reads them.
//!
//! - [`Date`] is a real calendar day written `YYYY-MM-DD` (years 0001 to
//!   9999): `2026-02-30`, `2026-00-10` and `0000-00-00` are refused, never
//!   read as "no date".
//! - [`Time`] is an instant written in RFC 3339 (`2026-01-31T09:00:00Z`, or
//!   with a numeric offset and a fraction of a second when read); strata
//!   writes it in UTC with whole seconds.
//!
//! Both are built on `jiff`, the date library of the Sigstore crates strata
//! verifies with ([`Timestamp`] is jiff's instant, used by verification).
//! Nothing here reads the wall clock: the binary reads it once and passes
//! `now` down.

use std::fmt;
use std::str::FromStr;

use jiff::civil;
use jiff::tz::{Offset, TimeZone};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use jiff::Timestamp;

/// Why a text is not a date or time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a {what} ({reason})")]
pub struct ClockError {
    /// The text as written.
    pub text: String,
    /// `calendar date` or `valid time`.
    pub what: &'static str,
    /// What is wrong with it.
    pub reason: String,
}

impl ClockError {
    fn date(text: &str, reason: impl Into<String>) -> Self {
        ClockError {
            text: text.to_string(),
            what: "calendar date",
            reason: reason.into(),
        }
    }

    fn time(text: &str, reason: impl Into<String>) -> Self {
        ClockError {
            text: text.to_string(),
            what: "valid time",
            reason: reason.into(),
        }
    }

    /// How to write it, for a help hint.
    pub fn help(&self) -> &'static str {
        if self.what == "calendar date" {
            "write YYYY-MM-DD"
        } else {
            "write an RFC 3339 time such as 2026-01-31T09:00:00Z"
        }
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar day, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(civil::Date);

impl Date {
    /// Parse exactly `YYYY-MM-DD` into a real calendar day.
    pub fn parse(text: &str) -> Result<Date, ClockError> {
        let b = text.as_bytes();
        let shape = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape {
            return Err(ClockError::date(text, "expected YYYY-MM-DD"));
        }
        let num = |r: std::ops::Range<usize>| -> i32 {
            b[r].iter().fold(0, |n, c| n * 10 + i32::from(c - b'0'))
        };
        Date::from_parts(text, num(0..4), num(5..7), num(8..10))
    }

    fn from_parts(text: &str, year: i32, month: i32, day: i32) -> Result<Date, ClockError> {
        if year < 1 {
            return Err(ClockError::date(text, "there is no year 0000"));
        }
        if !(1..=12).contains(&month) {
            return Err(ClockError::date(
                text,
                format!("there is no month {month:02}"),
            ));
        }
        let (y, m) = (year as i16, month as i8);
        let first = civil::Date::new(y, m, 1).map_err(|e| ClockError::date(text, e.to_string()))?;
        let days = i32::from(first.days_in_month());
        if day == 0 {
            return Err(ClockError::date(text, "there is no day 00"));
        }
        if day > days {
            let name = MONTHS[(month - 1) as usize];
            return Err(ClockError::date(
                text,
                format!("{name} {year:04} has {days} days"),
            ));
        }
        civil::Date::new(y, m, day as i8)
            .map(Date)
            .map_err(|e| ClockError::date(text, e.to_string()))
    }

    /// The day `year-month-day`, when it exists.
    pub fn new(year: i16, month: i8, day: i8) -> Option<Date> {
        (year >= 1)
            .then(|| civil::Date::new(year, month, day).ok())
            .flatten()
            .map(Date)
    }

    /// `days` later (or earlier, when negative); `None` past year 9999.
    pub fn add_days(self, days: i64) -> Option<Date> {
        let days = i32::try_from(days).ok()?;
        self.0
            .checked_add(jiff::Span::new().try_days(days).ok()?)
            .ok()
            .filter(|d| d.year() >= 1)
            .map(Date)
    }

    /// Midnight UTC at the start of the day.
    pub fn midnight_utc(self) -> Time {
        // Every Date is within jiff's range, and so is its UTC midnight.
        Time(
            self.0
                .to_zoned(TimeZone::UTC)
                .map(|z| z.timestamp())
                .unwrap_or(Timestamp::UNIX_EPOCH),
        )
    }

    /// The year.
    pub fn year(self) -> i16 {
        self.0.year()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month(),
            self.0.day()
        )
    }
}

impl FromStr for Date {
    type Err = ClockError;
    fn from_str(s: &str) -> Result<Date, ClockError> {
        Date::parse(s)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// An instant, RFC 3339; written in UTC with whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(Timestamp);

impl Time {
    /// Parse an RFC 3339 time: `YYYY-MM-DDTHH:MM:SS`, an optional fraction
    /// of a second, then `Z` or a numeric offset `±HH:MM`.
    pub fn parse(text: &str) -> Result<Time, ClockError> {
        let bad = |why: &str| ClockError::time(text, why);
        let (day, rest) = match text.split_once(['T', 't']) {
            Some(parts) => parts,
            None => return Err(bad("expected YYYY-MM-DDTHH:MM:SSZ")),
        };
        let date = Date::parse(day).map_err(|e| ClockError::time(text, e.reason))?;
        let b = rest.as_bytes();
        let two = |i: usize| -> Option<i32> {
            match (b.get(i), b.get(i + 1)) {
                (Some(a), Some(c)) if a.is_ascii_digit() && c.is_ascii_digit() => {
                    Some(i32::from(a - b'0') * 10 + i32::from(c - b'0'))
                }
                _ => None,
            }
        };
        let (Some(hour), Some(minute), Some(second)) = (two(0), two(3), two(6)) else {
            return Err(bad("expected YYYY-MM-DDTHH:MM:SSZ"));
        };
        if b.get(2) != Some(&b':') || b.get(5) != Some(&b':') {
            return Err(bad("expected YYYY-MM-DDTHH:MM:SSZ"));
        }
        if hour > 23 {
            return Err(bad(&format!("there is no hour {hour:02}")));
        }
        if minute > 59 {
            return Err(bad(&format!("there is no minute {minute:02}")));
        }
        if second > 59 {
            return Err(bad(&format!("there is no second {second:02}")));
        }
        let mut i = 8;
        let mut nanos: i32 = 0;
        if b.get(i) == Some(&b'.') {
            let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 || digits > 9 {
                return Err(bad("a fraction of a second has 1 to 9 digits"));
            }
            for k in 0..9 {
                let d = if k < digits { b[i + 1 + k] - b'0' } else { 0 };
                nanos = nanos * 10 + i32::from(d);
            }
            i += 1 + digits;
        }
        let offset_seconds = match &b[i..] {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
                let (Some(h), Some(m)) = (two(i + 1), two(i + 4)) else {
                    return Err(bad("an offset is Z or ±HH:MM"));
                };
                if h > 23 || m > 59 {
                    return Err(bad("an offset is Z or ±HH:MM"));
                }
                let s = (h * 60 + m) * 60;
                if *sign == b'-' { -s } else { s }
            }
            _ => return Err(bad("expected Z or an offset ±HH:MM after the time")),
        };
        let dt = civil::DateTime::new(
            date.0.year(),
            date.0.month(),
            date.0.day(),
            hour as i8,
            minute as i8,
            second as i8,
            nanos,
        )
        .map_err(|e| bad(&e.to_string()))?;
        let offset = Offset::from_seconds(offset_seconds).map_err(|e| bad(&e.to_string()))?;
        offset
            .to_timestamp(dt)
            .map(Time)
            .map_err(|_| bad("out of range"))
    }

    /// A date (midnight UTC) or an RFC 3339 time, as `--now` takes it.
    pub fn parse_date_or_time(text: &str) -> Result<Time, ClockError> {
        if text.len() == 10 {
            return Date::parse(text).map(Date::midnight_utc);
        }
        Time::parse(text)
    }

    /// The instant `seconds` after the Unix epoch, when representable.
    pub fn from_unix(seconds: i64) -> Option<Time> {
        Timestamp::from_second(seconds).ok().map(Time)
    }

    /// An instant from a jiff timestamp.
    pub fn from_timestamp(t: Timestamp) -> Time {
        Time(t)
    }

    /// Seconds since the Unix epoch.
    pub fn unix_seconds(self) -> i64 {
        self.0.as_second()
    }

    /// The instant, truncated to whole seconds, as a jiff timestamp (for
    /// signature verification).
    pub fn timestamp(self) -> Timestamp {
        Timestamp::from_second(self.0.as_second()).unwrap_or(self.0)
    }

    /// The UTC calendar day.
    pub fn date(self) -> Date {
        Date(self.0.to_zoned(TimeZone::UTC).date())
    }
}

impl fmt::Display for Time {
    /// `YYYY-MM-DDTHH:MM:SSZ`: UTC, whole seconds.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let z = self.0.to_zoned(TimeZone::UTC);
        write!(
            f,
            "{}T{:02}:{:02}:{:02}Z",
            Date(z.date()),
            z.hour(),
            z.minute(),
            z.second()
        )
    }
}

impl FromStr for Time {
    type Err = ClockError;
    fn from_str(s: &str) -> Result<Time, ClockError> {
        Time::parse(s)
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Time::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Where the library asks for the current instant when one fixed `now`
/// will not do (keyless signing verifies each bundle Rekor just logged).
/// The binary implements it with the system clock; tests with
/// [`FixedClock`].
pub trait Clock: Sync {
    /// The current instant.
    fn now(&self) -> Timestamp;
}

/// A clock that always reads the same instant.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }
}

/// True when `text` is a calendar date (the `date` format of strata's
/// schemas).
pub fn is_date(text: &str) -> bool {
    Date::parse(text).is_ok()
}

/// True when `text` is an RFC 3339 time (the `date-time` format of strata's
/// schemas).
pub fn is_time(text: &str) -> bool {
    Time::parse(text).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_dates_parse_and_print_back() {
        for t in ["2026-02-28", "2024-02-29", "0001-01-01", "9999-12-31"] {
            assert_eq!(Date::parse(t).unwrap().to_string(), t);
        }
    }

    #[test]
    fn impossible_dates_are_refused_with_the_reason() {
        let reason = |t: &str| Date::parse(t).unwrap_err().reason;
        assert_eq!(reason("2026-02-30"), "February 2026 has 28 days");
        assert_eq!(reason("2025-02-29"), "February 2025 has 28 days");
        assert_eq!(reason("2026-04-31"), "April 2026 has 30 days");
        assert_eq!(reason("2026-00-10"), "there is no month 00");
        assert_eq!(reason("2026-13-01"), "there is no month 13");
        assert_eq!(reason("0000-00-00"), "there is no year 0000");
        assert_eq!(reason("2026-01-00"), "there is no day 00");
        for t in [
            "2026-1-01",
            "26-01-01",
            "2026/01/01",
            "2026-01-01T",
            "",
            "２０２６-01-01",
        ] {
            assert_eq!(reason(t), "expected YYYY-MM-DD", "{t}");
        }
        let e = Date::parse("2026-02-30").unwrap_err();
        assert_eq!(
            e.to_string(),
            "`2026-02-30` is not a calendar date (February 2026 has 28 days)"
        );
        assert_eq!(e.help(), "write YYYY-MM-DD");
    }

    #[test]
    fn times_parse_to_instants() {
        let t = Time::parse("2026-01-31T09:00:00Z").unwrap();
        assert_eq!(t.to_string(), "2026-01-31T09:00:00Z");
        assert_eq!(t.date().to_string(), "2026-01-31");
        let o = Time::parse("2026-01-31T10:30:00.5+01:30").unwrap();
        assert_eq!(o.to_string(), "2026-01-31T09:00:00Z");
        let late = Time::parse("2026-01-31T23:30:00-01:00").unwrap();
        assert_eq!(late.date().to_string(), "2026-02-01");
        assert!(t < Time::parse("2026-01-31T09:00:01Z").unwrap());
    }

    #[test]
    fn impossible_times_are_refused() {
        for t in [
            "2026-19-26T09:00:00Z",
            "2026-02-30T09:00:00Z",
            "2026-01-01T24:00:00Z",
            "2026-01-01T09:60:00Z",
            "2026-01-01T09:00:60Z",
            "2026-01-01T09:00:00",
            "2026-01-01T09:00:00+2",
            "2026-01-01T09:00:00.Z",
            "2026-01-01 09:00:00Z",
            "2026-01-01T9:00:00Z",
            "yesterday",
        ] {
            let e = Time::parse(t).unwrap_err();
            assert_eq!(e.what, "valid time", "{t}");
        }
        assert_eq!(
            Time::parse("2026-19-26T09:00:00Z").unwrap_err().reason,
            "there is no month 19"
        );
    }

    #[test]
    fn now_takes_a_date_or_a_time() {
        assert_eq!(
            Time::parse_date_or_time("2026-11-26").unwrap().to_string(),
            "2026-11-26T00:00:00Z"
        );
        assert_eq!(
            Time::parse_date_or_time("2026-11-26T08:00:00Z")
                .unwrap()
                .to_string(),
            "2026-11-26T08:00:00Z"
        );
        assert!(Time::parse_date_or_time("2026-11-31").is_err());
    }

    #[test]
    fn day_arithmetic_stays_in_range() {
        let d = Date::parse("2026-02-27").unwrap();
        assert_eq!(d.add_days(2).unwrap().to_string(), "2026-03-01");
        assert_eq!(Date::parse("9999-12-31").unwrap().add_days(1), None);
        assert_eq!(d.add_days(i64::MAX), None);
    }

    #[test]
    fn serde_uses_the_one_parser() {
        let d: Date = serde_json::from_str("\"2026-03-01\"").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2026-03-01\"");
        assert!(serde_json::from_str::<Date>("\"2026-02-30\"").is_err());
        let t: Time = serde_json::from_str("\"2026-03-01T10:00:00Z\"").unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2026-03-01T10:00:00Z\""
        );
        assert!(serde_json::from_str::<Time>("\"2026-19-26T09:00:00Z\"").is_err());
    }
}
