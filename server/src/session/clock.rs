//! The clock behind a seam: sessions read the time through [`Clock`], so
//! tests run at a [`FixedClock`] time instead of the system's.
//!
//! [`Timestamp`] is whole seconds since the Unix epoch, shown as RFC 3339 in
//! UTC (`2026-11-21T10:00:00Z`). The calendar arithmetic is Howard Hinnant's
//! `days_from_civil` / `civil_from_days` on the proleptic Gregorian calendar.

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

const SECONDS_PER_DAY: i64 = 86_400;
/// Days from 0000-03-01 to 1970-01-01.
const EPOCH_SHIFT: i64 = 719_468;
/// Days in a 400-year era.
const DAYS_PER_ERA: i64 = 146_097;

/// Where the time comes from.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The system's clock, to the second.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        let seconds = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
            Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
        };
        Timestamp::from_unix_seconds(seconds)
    }
}

/// A clock that shows the time it was set to, for tests; it moves only when
/// told to.
#[derive(Debug)]
pub struct FixedClock {
    seconds: AtomicI64,
}

impl FixedClock {
    pub fn new(at: Timestamp) -> FixedClock {
        FixedClock {
            seconds: AtomicI64::new(at.unix_seconds()),
        }
    }

    /// Sets the time.
    pub fn set(&self, at: Timestamp) {
        self.seconds.store(at.unix_seconds(), Ordering::SeqCst);
    }

    /// Moves the time forward (or back, for a negative count) by `seconds`.
    pub fn advance(&self, seconds: i64) {
        self.seconds.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_unix_seconds(self.seconds.load(Ordering::SeqCst))
    }
}

/// A moment, in whole seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    seconds: i64,
}

/// A timestamp split into its UTC calendar date and time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl Timestamp {
    /// 1970-01-01T00:00:00Z.
    pub const EPOCH: Timestamp = Timestamp { seconds: 0 };

    pub fn from_unix_seconds(seconds: i64) -> Timestamp {
        Timestamp { seconds }
    }

    pub fn unix_seconds(self) -> i64 {
        self.seconds
    }

    /// The moment of a UTC date and time; `None` when a field is out of
    /// range (month 13, February 30th, hour 24 …).
    pub fn from_utc(
        year: i32,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
    ) -> Option<Timestamp> {
        let year = i64::from(year);
        let valid = (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day)
            && hour < 24
            && minute < 60
            && second < 60;
        valid.then(|| {
            let days = days_from_civil(year, month, day);
            let time = i64::from(hour * 3600 + minute * 60 + second);
            Timestamp::from_unix_seconds(days * SECONDS_PER_DAY + time)
        })
    }

    /// The UTC date as eight digits, `20261121`: the middle of a session id.
    pub fn yyyymmdd(self) -> String {
        let civil = self.civil();
        format!("{:04}{:02}{:02}", civil.year, civil.month, civil.day)
    }

    /// Seconds from `earlier` to this moment (negative when `earlier` is later).
    pub fn seconds_since(self, earlier: Timestamp) -> i64 {
        self.seconds.saturating_sub(earlier.seconds)
    }

    fn civil(self) -> Civil {
        let days = self.seconds.div_euclid(SECONDS_PER_DAY);
        // In 0..86_400, so it fits.
        let time = u32::try_from(self.seconds.rem_euclid(SECONDS_PER_DAY)).unwrap_or(0);
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: time / 3600,
            minute: time / 60 % 60,
            second: time % 60,
        }
    }
}

/// RFC 3339 in UTC: `2026-11-21T10:00:00Z`.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.civil();
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    }
}

/// A time that is not RFC 3339.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an RFC 3339 time; write it like 2026-11-21T10:00:00Z")]
pub struct TimestampError(String);

/// Reads RFC 3339 (`2026-11-21T10:00:00Z`, `2026-11-21T11:00:00.25+01:00`);
/// fractions of a second are dropped.
impl FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(text: &str) -> Result<Timestamp, TimestampError> {
        parse_rfc3339(text).ok_or_else(|| TimestampError(text.to_string()))
    }
}

fn parse_rfc3339(text: &str) -> Option<Timestamp> {
    let bytes = text.as_bytes();
    if bytes.len() < 20 || !matches!(bytes.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if separators
        .iter()
        .any(|&(at, sep)| bytes.get(at) != Some(&sep))
    {
        return None;
    }
    let year = i32::try_from(digits(text, 0..4)?).ok()?;
    let field = |range| u32::try_from(digits(text, range)?).ok();
    let local = Timestamp::from_utc(
        year,
        field(5..7)?,
        field(8..10)?,
        field(11..13)?,
        field(14..16)?,
        field(17..19)?,
    )?;
    let rest = &text[19..];
    let zone = match rest.strip_prefix('.') {
        Some(fraction) => {
            let end = fraction
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(fraction.len());
            (end > 0).then(|| &fraction[end..])?
        }
        None => rest,
    };
    let offset = zone_offset_seconds(zone)?;
    Some(Timestamp::from_unix_seconds(local.unix_seconds() - offset))
}

/// `Z` is 0; `+01:00` is 3600 (local time ahead of UTC).
fn zone_offset_seconds(zone: &str) -> Option<i64> {
    if zone.eq_ignore_ascii_case("z") {
        return Some(0);
    }
    let sign = match zone.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    if zone.len() != 6 || zone.as_bytes().get(3) != Some(&b':') {
        return None;
    }
    let hours = digits(zone, 1..3)?;
    let minutes = digits(zone, 4..6)?;
    (hours < 24 && minutes < 60).then_some(sign * (hours * 3600 + minutes * 60))
}

/// The number written by the ASCII digits of `text[range]`; `None` when any
/// of them is not a digit.
fn digits(text: &str, range: std::ops::Range<usize>) -> Option<i64> {
    let part = text.get(range)?;
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a valid date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    // The year starts in March, so that February's leap day comes last.
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * DAYS_PER_ERA + day_of_era - EPOCH_SHIFT
}

/// The date (year, month 1–12, day 1–31) `days` after 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days.saturating_add(EPOCH_SHIFT);
    let era = days.div_euclid(DAYS_PER_ERA);
    let day_of_era = days.rem_euclid(DAYS_PER_ERA);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = era * 400 + year_of_era + i64::from(month <= 2);
    // Both are small and positive by construction.
    let month = u32::try_from(month).unwrap_or(1);
    let day = u32::try_from(day).unwrap_or(1);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().expect("an RFC 3339 time")
    }

    #[test]
    fn the_epoch_is_1970_01_01() {
        assert_eq!(Timestamp::EPOCH.to_string(), "1970-01-01T00:00:00Z");
        assert_eq!(Timestamp::EPOCH.yyyymmdd(), "19700101");
        assert_eq!(at("1970-01-01T00:00:00Z"), Timestamp::EPOCH);
        assert_eq!(
            Timestamp::from_unix_seconds(-1).to_string(),
            "1969-12-31T23:59:59Z"
        );
    }

    #[test]
    fn a_session_day_formats_as_rfc_3339_and_yyyymmdd() {
        let t = Timestamp::from_utc(2026, 11, 21, 10, 0, 0).expect("valid date");
        assert_eq!(t.unix_seconds(), 1_795_255_200);
        assert_eq!(t.to_string(), "2026-11-21T10:00:00Z");
        assert_eq!(t.yyyymmdd(), "20261121");
        assert_eq!(at("2026-11-21T10:00:00Z"), t);
    }

    #[test]
    fn leap_years_have_a_29th_of_february() {
        for (year, leap) in [(2024, true), (2026, false), (2000, true), (1900, false)] {
            assert_eq!(
                Timestamp::from_utc(year, 2, 29, 0, 0, 0).is_some(),
                leap,
                "{year}"
            );
        }
        let leap_day = Timestamp::from_utc(2024, 2, 29, 23, 59, 59).expect("leap day");
        assert_eq!(leap_day.to_string(), "2024-02-29T23:59:59Z");
        let next = Timestamp::from_unix_seconds(leap_day.unix_seconds() + 1);
        assert_eq!(next.to_string(), "2024-03-01T00:00:00Z");
        let century = Timestamp::from_utc(2000, 12, 31, 0, 0, 0).expect("valid date");
        assert_eq!(century.to_string(), "2000-12-31T00:00:00Z");
    }

    #[test]
    fn every_day_of_four_centuries_round_trips() {
        let first = days_from_civil(1800, 1, 1);
        let last = days_from_civil(2200, 12, 31);
        let mut expected = (1800, 1, 1);
        for days in first..=last {
            let civil = civil_from_days(days);
            assert_eq!(civil, expected, "day {days}");
            assert_eq!(days_from_civil(civil.0, civil.1, civil.2), days);
            expected = if civil.2 < days_in_month(civil.0, civil.1) {
                (civil.0, civil.1, civil.2 + 1)
            } else if civil.1 < 12 {
                (civil.0, civil.1 + 1, 1)
            } else {
                (civil.0 + 1, 1, 1)
            };
        }
    }

    #[test]
    fn out_of_range_fields_are_refused() {
        assert_eq!(Timestamp::from_utc(2026, 13, 1, 0, 0, 0), None);
        assert_eq!(Timestamp::from_utc(2026, 4, 31, 0, 0, 0), None);
        assert_eq!(Timestamp::from_utc(2026, 1, 1, 24, 0, 0), None);
        assert_eq!(Timestamp::from_utc(2026, 1, 0, 0, 0, 0), None);
    }

    #[test]
    fn rfc_3339_offsets_and_fractions_are_read() {
        let utc = at("2026-11-21T10:00:00Z");
        assert_eq!(at("2026-11-21T11:00:00+01:00"), utc);
        assert_eq!(at("2026-11-21T07:30:00-02:30"), utc);
        assert_eq!(at("2026-11-21T10:00:00.999Z"), utc);
        for bad in [
            "",
            "2026-11-21",
            "2026-11-21T10:00:00",
            "2026-11-21T10:00:00.Z",
            "2026-11-21T10:00:00+0100",
            "2026-11-21X10:00:00Z",
            "2026-02-30T10:00:00Z",
            "+026-11-21T10:00:00Z",
            "2026-11-21T10:00:00Zjunk",
        ] {
            assert!(bad.parse::<Timestamp>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_fixed_clock_moves_only_when_told() {
        let clock = FixedClock::new(at("2026-11-21T10:00:00Z"));
        assert_eq!(clock.now().to_string(), "2026-11-21T10:00:00Z");
        clock.advance(14 * 3600);
        assert_eq!(clock.now().to_string(), "2026-11-22T00:00:00Z");
        assert_eq!(
            clock.now().seconds_since(at("2026-11-21T10:00:00Z")),
            50_400
        );
        clock.set(Timestamp::EPOCH);
        assert_eq!(clock.now(), Timestamp::EPOCH);
    }

    #[test]
    fn the_system_clock_is_after_2020() {
        let now = SystemClock.now();
        assert!(now > at("2020-01-01T00:00:00Z"), "{now}");
    }
}
