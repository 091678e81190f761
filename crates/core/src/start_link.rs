//! A start link: `t.me/<bot>?start=<payload>`, printed as a QR code on a commune's poster or
//! shown at its one-stop desk. The payload says where the citizen found the bot, their commune
//! and, when given, their language, so those questions are skipped and the reports count where
//! citizens came from.
//!
//! Payload: `<source>_<commune>[_<lang>]`, for example `poster_son-vi_hmn`. Telegram allows
//! 64 characters of `A-Z a-z 0-9 _ -`; commune codes are at most 24 of `a-z 0-9 -`, so every
//! payload fits. A payload that is unknown or tampered with means nothing.

use crate::domain::Source;
use crate::guide::Guide;
use crate::lang::Lang;

/// The most characters Telegram passes in a start payload.
pub const MAX_PAYLOAD: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartLink {
    pub source: Source,
    /// A code of the guide's commune list.
    pub commune: String,
    pub lang: Option<Lang>,
}

impl StartLink {
    pub fn payload(&self) -> String {
        match self.lang {
            Some(lang) => format!("{}_{}_{}", self.source, self.commune, lang.code()),
            None => format!("{}_{}", self.source, self.commune),
        }
    }

    /// The link a payload makes for the bot `username` (without the `@`).
    pub fn url(&self, username: &str) -> String {
        format!("https://t.me/{username}?start={}", self.payload())
    }

    /// The link `payload` stands for, if it names a source, a commune of `guide` and (when it
    /// has a third part) a language; `None` for anything else.
    pub fn parse(payload: &str, guide: &Guide) -> Option<StartLink> {
        if payload.len() > MAX_PAYLOAD {
            return None;
        }
        let mut parts = payload.split('_');
        let source = Source::parse(parts.next()?)?;
        let commune = guide.commune(parts.next()?)?.code.clone();
        let lang = match parts.next() {
            Some(code) => Some(Lang::from_code(code)?),
            None => None,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(StartLink {
            source,
            commune,
            lang,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::ContentDirs;
    use proptest::prelude::*;

    fn guide() -> Guide {
        ContentDirs::default()
            .load()
            .expect("the built-in content")
            .guide
    }

    proptest! {
        #[test]
        fn every_link_reads_back_and_fits_telegram(
            source in proptest::sample::select(Source::ALL),
            commune in 0usize..100,
            lang in proptest::option::of(proptest::sample::select(&Lang::ALL[..])),
        ) {
            let guide = guide();
            let commune = guide.communes[commune % guide.communes.len()].code.clone();
            let link = StartLink { source, commune, lang };
            let payload = link.payload();
            prop_assert!(payload.len() <= MAX_PAYLOAD);
            prop_assert!(payload.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'));
            prop_assert_eq!(StartLink::parse(&payload, &guide), Some(link));
        }

        #[test]
        fn anything_else_means_nothing(payload in "\\PC{0,80}") {
            let guide = guide();
            if let Some(link) = StartLink::parse(&payload, &guide) {
                prop_assert_eq!(link.payload(), payload);
            }
        }
    }

    #[test]
    fn tampered_payloads_are_refused() {
        let guide = guide();
        for payload in [
            "",
            "poster",
            "poster_",
            "poster_nowhere",
            "flyer_son-vi",
            "poster_son-vi_fr",
            "poster_son-vi_hmn_x",
            "POSTER_son-vi",
            "poster_son-vi_",
        ] {
            assert_eq!(StartLink::parse(payload, &guide), None, "{payload}");
        }
        assert_eq!(
            StartLink::parse("desk_son-vi", &guide).map(|l| l.lang),
            Some(None)
        );
    }
}
