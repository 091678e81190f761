//! Spotting personal numbers in typed text, so the bot can warn and keep nothing of them.
//!
//! The bot never needs an ID number, a phone number, an OTP or a passcode. Citizens type them
//! anyway (they think the bot is the app), so every typed text is classified before anything
//! else happens, and only the kind of number found is ever kept, never the text.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sensitive {
    /// 12 digits (chip ID / Căn cước) or 9 digits (old CMND).
    IdNumber,
    /// A Vietnamese phone number: 10 digits starting with 0, or +84/84 and 9 digits.
    PhoneNumber,
    /// 4 to 8 digits: an OTP, a passcode, an activation code.
    Code,
}

impl Sensitive {
    pub fn as_str(self) -> &'static str {
        match self {
            Sensitive::IdNumber => "id_number",
            Sensitive::PhoneNumber => "phone_number",
            Sensitive::Code => "code",
        }
    }
}

/// The most sensitive kind of number in `text`, if any.
///
/// Digits are grouped across the separators people type inside numbers (space, dot, dash), so
/// `0912 345 678` and `012.345.678.901` are caught as well as `0912345678`.
pub fn classify(text: &str) -> Option<Sensitive> {
    let mut worst: Option<Sensitive> = None;
    let mut digits = String::new();
    let mut plus = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            if digits.is_empty() {
                plus = false;
            }
            digits.push(c);
            continue;
        }
        let joins = matches!(c, ' ' | '.' | '-')
            && !digits.is_empty()
            && chars.peek().is_some_and(|n| n.is_ascii_digit());
        if joins {
            continue;
        }
        worst = worse(worst, judge(&digits, plus));
        digits.clear();
        plus = c == '+';
    }
    worse(worst, judge(&digits, plus))
}

fn judge(digits: &str, plus: bool) -> Option<Sensitive> {
    let n = digits.len();
    let phone = (n == 10 && digits.starts_with('0'))
        || (n == 11 && digits.starts_with("84"))
        || (plus && n == 11 && digits.starts_with("84"));
    if phone {
        Some(Sensitive::PhoneNumber)
    } else if n == 12 || n == 9 || n > 12 {
        Some(Sensitive::IdNumber)
    } else if (4..=8).contains(&n) || n == 10 || n == 11 {
        // Years ("2024") are four digits too; a warning on a year costs a citizen one line, a
        // passcode kept would cost far more.
        Some(Sensitive::Code)
    } else {
        None
    }
}

fn worse(a: Option<Sensitive>, b: Option<Sensitive>) -> Option<Sensitive> {
    fn rank(s: Option<Sensitive>) -> u8 {
        match s {
            None => 0,
            Some(Sensitive::Code) => 1,
            Some(Sensitive::PhoneNumber) => 2,
            Some(Sensitive::IdNumber) => 3,
        }
    }
    if rank(b) > rank(a) { b } else { a }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catches_the_numbers_citizens_type() {
        assert_eq!(classify("012345678901"), Some(Sensitive::IdNumber));
        assert_eq!(
            classify("so cccd 0123 4567 8901 nhe"),
            Some(Sensitive::IdNumber)
        );
        assert_eq!(classify("123456789"), Some(Sensitive::IdNumber));
        assert_eq!(classify("0912345678"), Some(Sensitive::PhoneNumber));
        assert_eq!(classify("0912.345.678"), Some(Sensitive::PhoneNumber));
        assert_eq!(classify("+84912345678"), Some(Sensitive::PhoneNumber));
        assert_eq!(classify("ma OTP la 123456"), Some(Sensitive::Code));
        assert_eq!(classify("1234"), Some(Sensitive::Code));
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        assert_eq!(classify("Kuv tsis tau txais OTP"), None);
        assert_eq!(classify("tôi có 2 con, 3 bò"), None);
        assert_eq!(classify("1 - 2 - 3"), None);
        assert_eq!(classify(""), None);
    }

    #[test]
    fn the_worst_number_wins() {
        assert_eq!(
            classify("123456 và 012345678901"),
            Some(Sensitive::IdNumber)
        );
    }
}
