//! Report periods: calendar days in Vietnam's time zone (UTC+7, no daylight saving), as
//! administrative-reform reports count them (year, half-year, quarter, month, or any days).

use serde::Serialize;
use std::fmt;

/// Vietnam's offset from UTC, in milliseconds (UTC+7 all year).
pub const VN_OFFSET_MS: i64 = 7 * 3_600_000;
pub const DAY_MS: i64 = 86_400_000;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let ok = (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month)
            && (1970..=9999).contains(&year);
        ok.then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn day_number(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date of a day number (`civil_from_days`).
    pub fn from_day_number(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The Vietnamese calendar day of a Unix time in milliseconds.
    pub fn of_ms(ms: i64) -> Date {
        Date::from_day_number(day_of_ms(ms))
    }

    /// `YYYY-MM-DD` or `DD/MM/YYYY` (the way dates are written in Vietnam).
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let parts: Vec<&str> = if text.contains('/') {
            let mut p: Vec<&str> = text.split('/').collect();
            p.reverse();
            p
        } else {
            text.split('-').collect()
        };
        let [y, m, d] = parts.as_slice() else {
            return None;
        };
        if y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// `DD/MM/YYYY`.
    pub fn vi(self) -> String {
        format!("{:02}/{:02}/{}", self.day, self.month, self.year)
    }

    /// Monday 0 … Sunday 6.
    pub fn weekday(self) -> u32 {
        (self.day_number() + 3).rem_euclid(7) as u32
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// The Vietnamese day number (days since 1970-01-01, UTC+7) of a Unix time in milliseconds.
pub fn day_of_ms(ms: i64) -> i64 {
    (ms + VN_OFFSET_MS).div_euclid(DAY_MS)
}

/// The Unix time in milliseconds at which a Vietnamese day number begins.
pub fn ms_of_day(day: i64) -> i64 {
    day * DAY_MS - VN_OFFSET_MS
}

/// `20:47 25/11/2026` (Vietnam time) for a Unix time in milliseconds.
pub fn vi_datetime(ms: i64) -> String {
    let date = Date::of_ms(ms);
    let in_day = (ms + VN_OFFSET_MS).rem_euclid(DAY_MS) / 60_000;
    format!("{:02}:{:02} {}", in_day / 60, in_day % 60, date.vi())
}

/// Whole days, from `from` to `to` inclusive, with the name a report gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
    /// In Vietnamese: "6 tháng đầu năm 2026", "Quý III năm 2026", …
    pub label: String,
    /// The short form it was given in (`2026-H1`), or `2026-01-01..2026-06-30`.
    pub code: String,
}

/// A period that cannot be understood, with the reason in English (the command line) and in
/// Vietnamese (the staff group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodError {
    pub given: String,
    pub reason: &'static str,
}

pub const PERIOD_FORMS: &str =
    "2026, 2026-H1, 2026-H2, 2026-Q1 … 2026-Q4, 2026-07, or a range 2026-07-01..2026-09-30";

impl fmt::Display for PeriodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a report period ({}); use {PERIOD_FORMS}",
            self.given, self.reason
        )
    }
}

impl std::error::Error for PeriodError {}

impl PeriodError {
    /// The same in Vietnamese, for the staff group.
    pub fn vi(&self) -> String {
        format!(
            "Kỳ báo cáo «{}» không hợp lệ. Hãy dùng: 2026 (cả năm), 2026-H1 hoặc 2026-H2 (6 tháng), \
             2026-Q1 … 2026-Q4 (quý), 2026-07 (tháng), hoặc 2026-07-01..2026-09-30 (từ ngày..đến ngày).",
            self.given
        )
    }
}

const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];

impl Period {
    /// From `from` to `to`, both included.
    pub fn days(from: Date, to: Date) -> Result<Period, PeriodError> {
        if from > to {
            return Err(PeriodError {
                given: format!("{from}..{to}"),
                reason: "the start is after the end",
            });
        }
        Ok(Period {
            from,
            to,
            label: format!("Từ {} đến {}", from.vi(), to.vi()),
            code: format!("{from}..{to}"),
        })
    }

    /// The half-year that contains `date` (the default period of a report).
    pub fn half_year_of(date: Date) -> Period {
        let half = if date.month <= 6 { 1 } else { 2 };
        Period::parse(&format!("{}-H{half}", date.year)).expect("a valid half-year")
    }

    /// `2026`, `2026-H1`, `2026-Q3`, `2026-07`, or `2026-07-01..2026-09-30`.
    pub fn parse(text: &str) -> Result<Period, PeriodError> {
        let given = text.trim();
        let err = |reason| PeriodError {
            given: given.to_string(),
            reason,
        };
        if let Some((a, b)) = given.split_once("..") {
            let from = Date::parse(a).ok_or_else(|| err("the start is not a date"))?;
            let to = Date::parse(b).ok_or_else(|| err("the end is not a date"))?;
            return Period::days(from, to).map_err(|e| err(e.reason));
        }
        let upper = given.to_ascii_uppercase();
        let (year, rest) = match upper.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (upper.as_str(), None),
        };
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("it does not start with a year"));
        }
        let year: i32 = year
            .parse()
            .map_err(|_| err("it does not start with a year"))?;
        if !(1970..=9999).contains(&year) {
            return Err(err("the year is out of range"));
        }
        let date = |m, d| Date::new(year, m, d).ok_or_else(|| err("no such date"));
        let (from, to, label) = match rest {
            None => (date(1, 1)?, date(12, 31)?, format!("Năm {year}")),
            Some("H1") => (date(1, 1)?, date(6, 30)?, format!("6 tháng đầu năm {year}")),
            Some("H2") => (
                date(7, 1)?,
                date(12, 31)?,
                format!("6 tháng cuối năm {year}"),
            ),
            Some(q) if q.len() == 2 && q.starts_with('Q') => {
                let n: u32 = q[1..].parse().map_err(|_| err("a quarter is Q1 to Q4"))?;
                if !(1..=4).contains(&n) {
                    return Err(err("a quarter is Q1 to Q4"));
                }
                let first = 3 * n - 2;
                let last = 3 * n;
                (
                    date(first, 1)?,
                    date(last, days_in_month(year, last))?,
                    format!("Quý {} năm {year}", ROMAN[n as usize - 1]),
                )
            }
            Some(m) if (1..=2).contains(&m.len()) && m.bytes().all(|b| b.is_ascii_digit()) => {
                let month: u32 = m.parse().map_err(|_| err("a month is 01 to 12"))?;
                if !(1..=12).contains(&month) {
                    return Err(err("a month is 01 to 12"));
                }
                (
                    date(month, 1)?,
                    date(month, days_in_month(year, month))?,
                    format!("Tháng {month} năm {year}"),
                )
            }
            Some(_) => return Err(err("after the year comes H1, H2, Q1 to Q4 or a month")),
        };
        Ok(Period {
            from,
            to,
            label,
            code: given.to_ascii_uppercase(),
        })
    }

    /// The first day, as a Vietnamese day number.
    pub fn first_day(&self) -> i64 {
        self.from.day_number()
    }

    /// The last day, as a Vietnamese day number.
    pub fn last_day(&self) -> i64 {
        self.to.day_number()
    }

    /// Unix milliseconds: the period is `[start_ms, end_ms)`.
    pub fn start_ms(&self) -> i64 {
        ms_of_day(self.first_day())
    }

    pub fn end_ms(&self) -> i64 {
        ms_of_day(self.last_day() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip() {
        for z in [-1, 0, 1, 59, 365, 11_016, 20_454, 20_637, 2_932_896] {
            assert_eq!(Date::from_day_number(z).day_number(), z);
        }
        assert_eq!(Date::new(1970, 1, 1).unwrap().day_number(), 0);
        assert_eq!(Date::new(2026, 1, 1).unwrap().day_number(), 20_454);
        assert_eq!(Date::new(2026, 1, 1).unwrap().weekday(), 3); // a Thursday
        assert_eq!(Date::new(2024, 2, 29).unwrap().to_string(), "2024-02-29");
        assert!(Date::new(2026, 2, 29).is_none());
    }

    #[test]
    fn vietnam_days_start_at_17_utc() {
        // 2026-06-30 16:59:59.999 UTC is 23:59:59.999 on 30/06 in Vietnam; a millisecond later
        // it is 1 July.
        let july = Period::parse("2026-H2").unwrap().start_ms();
        assert_eq!(july, 1_782_838_800_000);
        assert_eq!(Date::of_ms(july - 1).to_string(), "2026-06-30");
        assert_eq!(Date::of_ms(july).to_string(), "2026-07-01");
        assert_eq!(vi_datetime(july), "00:00 01/07/2026");
    }

    #[test]
    fn periods_parse() {
        let p = Period::parse("2026-q3").unwrap();
        assert_eq!(
            (p.from.to_string(), p.to.to_string()),
            ("2026-07-01".into(), "2026-09-30".into())
        );
        assert_eq!(p.label, "Quý III năm 2026");
        assert_eq!(Period::parse("2026").unwrap().label, "Năm 2026");
        assert_eq!(
            Period::parse("2026-H1").unwrap().to.to_string(),
            "2026-06-30"
        );
        assert_eq!(
            Period::parse("2028-02").unwrap().to.to_string(),
            "2028-02-29"
        );
        let r = Period::parse("01/07/2026..2026-07-31").unwrap();
        assert_eq!(r.label, "Từ 01/07/2026 đến 31/07/2026");
        for bad in [
            "2026-H3",
            "2026-Q5",
            "26",
            "2026-13",
            "H1",
            "2026-07-31..2026-07-01",
            "",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }
}
