//! When reminders may reach citizens: the hours of the day, in Vietnam, they are sent in.
//!
//! The guide says after how many hours a citizen who stopped at a waiting step is reminded
//! ([`crate::guide::model::FollowUp`]); nobody should be woken by it, so reminders go out only
//! within the day's sending hours (08:00 to 20:00 unless the deployment says otherwise): one that
//! comes due in the evening or at night waits for the morning. Pure arithmetic on Unix
//! milliseconds: the caller's clock gives the time.

use std::fmt;
use std::str::FromStr;

/// Vietnam's offset from UTC (UTC+7 all year, no daylight saving), in milliseconds.
const VN_OFFSET_MS: i64 = 7 * HOUR_MS;
const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;
/// How long a claimed reminder is kept from other instances before it may be tried again.
const RETRY_MS: i64 = 10 * 60_000;

/// The time a reminder `after_hours` from `now` comes due (sent at once if within the sending
/// hours, else at their next start).
pub fn due_at(now: i64, after_hours: u16) -> i64 {
    now.saturating_add(i64::from(after_hours) * HOUR_MS)
}

/// When a reminder claimed at `now` whose sending failed (the database or Telegram down) may be
/// tried again: a few minutes later.
pub fn retry_at(now: i64) -> i64 {
    now.saturating_add(RETRY_MS)
}

/// The hours of the day, in Vietnam, reminders are sent in: from `from` o'clock up to `to`
/// o'clock (`08-20`: 08:00 to 19:59).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendingHours {
    from: u8,
    to: u8,
}

impl Default for SendingHours {
    fn default() -> Self {
        SendingHours { from: 8, to: 20 }
    }
}

impl SendingHours {
    /// `from` to `to` o'clock; `None` unless `from < to <= 24`.
    pub fn new(from: u8, to: u8) -> Option<SendingHours> {
        (from < to && to <= 24).then_some(SendingHours { from, to })
    }

    /// Whether a reminder may go out at `at`.
    pub fn contains(self, at: i64) -> bool {
        let hour = (at.saturating_add(VN_OFFSET_MS)).rem_euclid(DAY_MS) / HOUR_MS;
        (i64::from(self.from)..i64::from(self.to)).contains(&hour)
    }
}

impl FromStr for SendingHours {
    type Err = String;

    /// `08-20`: from 08:00, until 20:00.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wrong =
            || format!("`{text}` is not hours like 08-20 (from 0 to 24, the first smaller)");
        let (from, to) = text.trim().split_once('-').ok_or_else(wrong)?;
        let hour = |h: &str| h.trim().parse::<u8>().map_err(|_| wrong());
        SendingHours::new(hour(from)?, hour(to)?).ok_or_else(wrong)
    }
}

impl fmt::Display for SendingHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.from, self.to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// 2026-11-30 00:00 in Vietnam, in Unix milliseconds (2026-11-29 17:00 UTC).
    const MIDNIGHT_VN: i64 = 1_795_971_600_000;

    fn vn(hour: i64, minute: i64) -> i64 {
        MIDNIGHT_VN + hour * HOUR_MS + minute * 60_000
    }

    #[test]
    fn reminders_go_out_in_the_day_in_vietnam() {
        let day = SendingHours::default();
        assert!(day.contains(vn(8, 0)));
        assert!(day.contains(vn(19, 59)));
        assert!(!day.contains(vn(20, 0)), "20:00 is evening already");
        assert!(!day.contains(vn(7, 59)));
        assert!(!day.contains(vn(2, 0)));
        assert!(day.contains(vn(24 + 10, 0)), "10:00 the next day");
        assert_eq!(due_at(vn(10, 0), 24), vn(34, 0));
        let all = "0-24".parse::<SendingHours>().expect("all day");
        assert!(all.contains(vn(3, 0)) && all.contains(vn(23, 59)));
        assert_eq!(day.to_string(), "08-20");
        for wrong in ["20-8", "8", "8-25", "a-b", "8-8", ""] {
            assert!(wrong.parse::<SendingHours>().is_err(), "{wrong}");
        }
    }

    proptest! {
        #[test]
        fn sending_hours_hold_exactly_their_hours(
            from in 0u8..24,
            len in 1u8..24,
            at in 0i64..4_000_000_000_000,
        ) {
            let to = (from + len).min(24);
            let hours = SendingHours::new(from, to).expect("valid");
            prop_assert_eq!(hours.to_string().parse::<SendingHours>(), Ok(hours));
            let hour = (at + VN_OFFSET_MS).rem_euclid(DAY_MS) / HOUR_MS;
            prop_assert_eq!(
                hours.contains(at),
                i64::from(from) <= hour && hour < i64::from(to)
            );
        }
    }
}
