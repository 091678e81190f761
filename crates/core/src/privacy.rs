//! Spotting personal numbers in what a citizen types or captions, so the bot can warn and keep
//! nothing of them, and pass nothing of them on to staff.
//!
//! The bot never needs an ID number, a phone number, an OTP or a passcode. Citizens type them
//! anyway (they think the bot is the app), so every typed text, caption and edit is classified
//! before anything else happens, and only the kind of number found is ever kept, never the text.
//!
//! How a number is read, whatever the keyboard:
//! - every Unicode decimal digit counts as its value (full-width `０１２`, Arabic-Indic `٠١٢`,
//!   mathematical `𝟎𝟏𝟐`, keycap emoji `1️⃣`, …);
//! - digit groups joined by a short run (up to 3) of characters that are neither letters nor
//!   digits (spaces, no-break spaces, dots, dashes, slashes, commas, brackets, new lines) are
//!   one number: `0912 345 678`, `012.345.678.901`, `(+84) 912-345-678`;
//! - 12 or 9 digits (or more than 12) are an ID number; 10 digits from 0, or 11 from 84, a
//!   phone number; 6 digits (and any other 10 or 11) a code; 4 to 8 digits a code when the
//!   message is that number alone.
//!
//! What is not a number to warn about: an amount of money (digits followed by đ, đồng, VND, k,
//! nghìn, triệu, nyiaj, …), and a short number inside a sentence, such as a year ("sinh năm
//! 1960"), an age or a count.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sensitive {
    /// 12 digits (chip ID / Căn cước) or 9 digits (old CMND).
    IdNumber,
    /// A Vietnamese phone number: 10 digits starting with 0, or +84/84 and 9 digits.
    PhoneNumber,
    /// An OTP, a passcode, an activation code: 6 digits, or 4 to 8 alone.
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

/// How many characters that are neither letters nor digits may stand between two digit groups
/// of one number.
const MAX_SEPARATOR: usize = 3;

/// Words after an amount of money (lower case; `đ` also glued to the digits).
const CURRENCIES: [&str; 14] = [
    "đ", "đồng", "dong", "vnd", "vnđ", "k", "nghìn", "ngàn", "nghin", "ngan", "triệu", "trieu",
    "tỷ", "nyiaj",
];

/// What a citizen typed or captioned, with what Telegram itself saw in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Typed<'a> {
    pub text: &'a str,
    /// Telegram marked a phone number in the text (a `phone_number` entity): Telegram knows
    /// formats from every country, so its mark counts even where the digits alone would not.
    pub phone_marked: bool,
}

impl<'a> Typed<'a> {
    /// Text with no mark from Telegram (the terminal, tests).
    pub fn plain(text: &'a str) -> Typed<'a> {
        Typed {
            text,
            phone_marked: false,
        }
    }

    /// The most sensitive kind of number in the text, Telegram's mark included.
    pub fn sensitive(self) -> Option<Sensitive> {
        let marked = self.phone_marked.then_some(Sensitive::PhoneNumber);
        worse(classify(self.text), marked)
    }
}

/// The most sensitive kind of number in `text`, if any.
pub fn classify(text: &str) -> Option<Sensitive> {
    let numbers = numbers(text);
    // A number alone, with nothing else in the message, is more likely a code than a count.
    let alone = numbers.len() == 1 && !text.chars().any(char::is_alphabetic);
    numbers
        .iter()
        .filter(|n| !n.is_money())
        .map(|n| judge(&n.digits, alone))
        .fold(None, worse)
}

/// One number found in a text.
struct Number {
    digits: String,
    /// Followed by a currency word.
    currency: bool,
    /// Written in thousands (`150.000.000`, `1,500,000`): groups of three after the first,
    /// joined by one dot or comma each.
    thousands: bool,
}

impl Number {
    /// An amount of money: followed by a currency word, and either short (up to 8 digits) or
    /// written in thousands; never shaped like an ID or a phone number (no price has twelve
    /// digits, nor starts with 0). `123456789 đ` is still an ID number: safer warned.
    fn is_money(&self) -> bool {
        let n = self.digits.len();
        self.currency && !self.digits.starts_with('0') && (n <= 8 || (self.thousands && n < 12))
    }
}

/// The numbers of `text`, their digit groups joined across short separators.
fn numbers(text: &str) -> Vec<Number> {
    let chars: Vec<char> = text.chars().filter(|c| !is_ignorable(*c)).collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if digit_value(chars[i]).is_none() {
            i += 1;
            continue;
        }
        let mut digits = String::new();
        let mut end = i;
        let mut thousands = true;
        let mut groups = 0;
        loop {
            let group_start = digits.len();
            while let Some(d) = chars.get(end).and_then(|c| digit_value(*c)) {
                digits.push(char::from(b'0' + d));
                end += 1;
            }
            thousands &= groups == 0 || digits.len() - group_start == 3;
            groups += 1;
            // A short run of separators followed by another digit group joins it.
            let gap = chars[end..]
                .iter()
                .take_while(|c| is_separator(**c))
                .count();
            let next_is_digit = chars
                .get(end + gap)
                .is_some_and(|c| digit_value(*c).is_some());
            if gap > 0 && gap <= MAX_SEPARATOR && next_is_digit {
                thousands &= gap == 1 && matches!(chars[end], '.' | ',');
                end += gap;
            } else {
                break;
            }
        }
        let thousands = thousands && groups > 1;
        let after: String = chars[end..]
            .iter()
            .skip_while(|c| c.is_whitespace())
            .take_while(|c| c.is_alphabetic())
            .flat_map(|c| c.to_lowercase())
            .collect();
        let currency = CURRENCIES.contains(&after.as_str());
        found.push(Number {
            digits,
            currency,
            thousands,
        });
        i = end;
    }
    found
}

fn judge(digits: &str, alone: bool) -> Option<Sensitive> {
    let n = digits.len();
    let phone = (n == 10 && digits.starts_with('0')) || (n == 11 && digits.starts_with("84"));
    if phone {
        Some(Sensitive::PhoneNumber)
    } else if n == 12 || n == 9 || n > 12 {
        Some(Sensitive::IdNumber)
    } else if n == 6 || n == 10 || n == 11 || (alone && (4..=8).contains(&n)) {
        // 10 or 11 digits that are no phone number are still somebody's number, mistyped.
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

/// Characters that change how a digit looks, not what it is: the emoji variation selector and
/// the keycap of `1️⃣`, joiners.
fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{FE0E}' | '\u{FE0F}' | '\u{20E3}' | '\u{200B}'..='\u{200D}' | '\u{2060}'
    )
}

/// Between digit groups: anything that is neither a letter nor a digit (a space of any kind,
/// `.` `-` `/` `,` `(` `)` `+` a new line, …).
fn is_separator(c: char) -> bool {
    !c.is_alphanumeric()
}

/// The value of a Unicode decimal digit (general category Nd): each script's digits are ten
/// code points in a row from its zero.
fn digit_value(c: char) -> Option<u8> {
    /// The zeros of Unicode 15's decimal digit blocks.
    const ZEROS: [u32; 68] = [
        0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66,
        0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946,
        0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0,
        0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0,
        0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50,
        0x11DA0, 0x11F50, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6,
        0x1E140, 0x1E2F0, 0x1E4F0, 0x1E950, 0x1FBF0,
    ];
    let code = u32::from(c);
    let zero = ZEROS.iter().rev().find(|&&z| z <= code)?;
    u8::try_from(code - zero).ok().filter(|d| *d < 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_number_telegram_marked_counts_whatever_the_digits() {
        // Eight digits inside a sentence are no number of ours; Telegram knows the format.
        let text = "call +1 555 0100 please";
        assert_eq!(classify(text), None);
        let marked = Typed {
            text,
            phone_marked: true,
        };
        assert_eq!(marked.sensitive(), Some(Sensitive::PhoneNumber));
        // The mark never lowers what the digits say.
        let id = Typed {
            text: "012345678901",
            phone_marked: true,
        };
        assert_eq!(id.sensitive(), Some(Sensitive::IdNumber));
        assert_eq!(Typed::plain(text).sensitive(), None);
    }

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
    fn reads_every_keyboard_and_separator() {
        assert_eq!(
            classify("０９１２３４５６７８"),
            Some(Sensitive::PhoneNumber)
        );
        assert_eq!(classify("٠١٢٣٤٥٦٧٨٩٠١"), Some(Sensitive::IdNumber));
        assert_eq!(classify("𝟎𝟗𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖"), Some(Sensitive::PhoneNumber));
        assert_eq!(classify("1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣"), Some(Sensitive::Code));
        assert_eq!(classify("012/345/678/901"), Some(Sensitive::IdNumber));
        assert_eq!(classify("012,345,678,901"), Some(Sensitive::IdNumber));
        assert_eq!(
            classify("sđt (+84) 912-345-678 nhé"),
            Some(Sensitive::PhoneNumber)
        );
        assert_eq!(
            classify("0912\u{a0}345\u{a0}678"),
            Some(Sensitive::PhoneNumber)
        );
        assert_eq!(classify("0912\n345\n678"), Some(Sensitive::PhoneNumber));
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        assert_eq!(classify("Kuv tsis tau txais OTP"), None);
        assert_eq!(classify("tôi có 2 con, 3 bò"), None);
        assert_eq!(classify("1 - 2 - 3"), None);
        assert_eq!(classify(""), None);
        assert_eq!(classify("Tôi sinh năm 1960, năm nay 66 tuổi"), None);
        assert_eq!(classify("lệ phí 150.000 đồng"), None);
        assert_eq!(classify("mua sim hết 50k"), None);
        assert_eq!(classify("Kuv yug xyoo 1985"), None);
        assert_eq!(classify("tus nqi 200.000 nyiaj"), None);
    }

    #[test]
    fn money_never_hides_an_id_or_a_phone_number() {
        assert_eq!(classify("012345678901 đồng"), Some(Sensitive::IdNumber));
        assert_eq!(classify("0912345678 đ"), Some(Sensitive::PhoneNumber));
        assert_eq!(classify("123456789 đ"), Some(Sensitive::IdNumber));
        assert_eq!(classify("giá 150.000.000 đồng"), None);
    }

    mod generated {
        use super::super::{Sensitive, classify};
        use proptest::prelude::*;

        /// A digit as one keyboard or another writes it.
        fn styled(digit: u8, style: u8) -> String {
            let d = u32::from(digit);
            let c = |zero: u32| {
                char::from_u32(zero + d)
                    .map(String::from)
                    .unwrap_or_default()
            };
            match style {
                0 => c(0x30),
                1 => c(0xFF10),                              // full-width
                2 => c(0x0660),                              // Arabic-Indic
                3 => c(0x1D7CE),                             // mathematical bold
                _ => format!("{}\u{FE0F}\u{20E3}", c(0x30)), // keycap emoji
            }
        }

        const SEPARATORS: [&str; 9] = [" ", ".", "-", "/", ",", "\u{a0}", "\n", " - ", ". "];
        const BEFORE: [&str; 7] = [
            "",
            "số của tôi là ",
            "kuv tus lej yog ",
            "my number is ",
            "CCCD: ",
            "sđt ",
            "mã OTP ",
        ];
        const AFTER: [&str; 5] = ["", " nhé", " ạ", " os", "."];

        /// `digits` in groups of `groups` sizes (the rest in one), each digit in `style`, the
        /// groups joined by `separator`.
        fn written(digits: &[u8], groups: &[usize], style: u8, separator: &str) -> String {
            let mut parts = Vec::new();
            let mut at = 0;
            for &size in groups {
                if at + size < digits.len() {
                    parts.push(&digits[at..at + size]);
                    at += size;
                }
            }
            parts.push(&digits[at..]);
            parts
                .iter()
                .map(|p| p.iter().map(|d| styled(*d, style)).collect::<String>())
                .collect::<Vec<_>>()
                .join(separator)
        }

        /// A number people type, with the kind it is.
        fn personal_number() -> impl Strategy<Value = (Vec<u8>, Vec<usize>, Sensitive)> {
            let digits = |n: usize| proptest::collection::vec(0u8..10, n);
            prop_oneof![
                // A mobile number: 0 and 9 digits, grouped 4-3-3, 3-3-4, 2-2-2-2-2 or not.
                (
                    digits(9),
                    prop_oneof![
                        Just(vec![4, 3, 3]),
                        Just(vec![3, 3, 4]),
                        Just(vec![2, 2, 2, 2, 2]),
                        Just(vec![]),
                    ]
                )
                    .prop_map(|(rest, groups)| {
                        let mut d = vec![0];
                        d.extend(rest);
                        (d, groups, Sensitive::PhoneNumber)
                    }),
                // With the country code: 84 and 9 digits, grouped 2-3-3-3 or not.
                (digits(9), prop_oneof![Just(vec![2, 3, 3, 3]), Just(vec![])]).prop_map(
                    |(rest, groups)| {
                        let mut d = vec![8, 4];
                        d.extend(rest);
                        (d, groups, Sensitive::PhoneNumber)
                    }
                ),
                // A 12-digit Căn cước number, grouped 4-4-4, 3-3-3-3 or not.
                (
                    digits(12),
                    prop_oneof![Just(vec![4, 4, 4]), Just(vec![3, 3, 3, 3]), Just(vec![])]
                )
                    .prop_map(|(d, groups)| (d, groups, Sensitive::IdNumber)),
                // An old 9-digit CMND, grouped 3-3-3 or not.
                (digits(9), prop_oneof![Just(vec![3, 3, 3]), Just(vec![])])
                    .prop_map(|(d, groups)| (d, groups, Sensitive::IdNumber)),
                // A 6-digit OTP or passcode, grouped 3-3, 2-2-2 or not.
                (
                    digits(6),
                    prop_oneof![Just(vec![3, 3]), Just(vec![2, 2, 2]), Just(vec![])]
                )
                    .prop_map(|(d, groups)| (d, groups, Sensitive::Code)),
            ]
        }

        /// An ordinary sentence with a year, an age, a count or a price in it.
        fn ordinary() -> impl Strategy<Value = String> {
            let currency = prop::sample::select(vec![
                "đồng", "đ", "VND", "vnđ", "nghìn", "triệu", "nyiaj", "k",
            ]);
            prop_oneof![
                (1900u32..2100, 0usize..4).prop_map(|(year, t)| {
                    [
                        format!("Tôi sinh năm {year}"),
                        format!("năm {year} tôi đi làm ở Hà Giang"),
                        format!("Kuv yug xyoo {year}"),
                        format!("In {year} I moved to Mèo Vạc"),
                    ][t]
                        .clone()
                }),
                (1u32..120, 0usize..3).prop_map(|(n, t)| {
                    [
                        format!("tôi {n} tuổi rồi"),
                        format!("nhà có {n} con bò"),
                        format!("kuv muaj {n} xyoos"),
                    ][t]
                        .clone()
                }),
                (1u32..1000, 0u32..3, prop::bool::ANY, currency, 0usize..4).prop_map(
                    |(amount, thousands, comma, currency, t)| {
                        let sep = if comma { "," } else { "." };
                        let price =
                            format!("{amount}{}", format!("{sep}000").repeat(thousands as usize));
                        [
                            format!("lệ phí {price} {currency}"),
                            format!("tus nqi {price} {currency}"),
                            format!("it costs {price} {currency}"),
                            format!("mua sim hết {price}{currency} rồi"),
                        ][t]
                            .clone()
                    }
                ),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(100_000))]

            /// Every format people type is caught as what it is; ordinary sentences with a
            /// year, an age or a price are not.
            #[test]
            fn numbers_are_caught_and_sentences_are_not(
                (digits, groups, kind) in personal_number(),
                style in 0u8..5,
                separator in prop::sample::select(SEPARATORS.to_vec()),
                before in prop::sample::select(BEFORE.to_vec()),
                after in prop::sample::select(AFTER.to_vec()),
                plus in prop::bool::ANY,
                sentence in ordinary(),
            ) {
                let mut number = written(&digits, &groups, style, separator);
                if plus && digits.starts_with(&[8, 4]) {
                    number.insert(0, '+');
                }
                let typed = format!("{before}{number}{after}");
                prop_assert_eq!(classify(&typed), Some(kind), "{:?}", typed);
                prop_assert_eq!(classify(&sentence), None, "{:?}", sentence);
            }
        }
    }

    #[test]
    fn the_worst_number_wins() {
        assert_eq!(
            classify("123456 và 012345678901"),
            Some(Sensitive::IdNumber)
        );
    }
}
