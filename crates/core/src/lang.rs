//! The languages a citizen can choose, and the order in which a missing string falls back.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Vi,
    Hmn,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Vi, Lang::Hmn, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::Hmn => "hmn",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Where a missing message is looked up next. A Hmong reader in Vietnam reads some
    /// Vietnamese and rarely English, hence `hmn → vi → en`.
    pub fn fallback_chain(self) -> &'static [Lang] {
        match self {
            Lang::Hmn => &[Lang::Hmn, Lang::Vi, Lang::En],
            Lang::Vi => &[Lang::Vi, Lang::En],
            Lang::En => &[Lang::En, Lang::Vi],
        }
    }

    /// The name of the language in English, for the tools' messages.
    pub fn english_name(self) -> &'static str {
        match self {
            Lang::Vi => "Vietnamese",
            Lang::Hmn => "Hmong",
            Lang::En => "English",
        }
    }

    /// The name of the language in itself, for the language buttons (shown before any choice).
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::Vi => "Tiếng Việt",
            Lang::Hmn => "Lus Hmoob",
            Lang::En => "English",
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}
