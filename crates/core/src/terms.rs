//! The term list translators keep (`locales/terms.toml`): each term's words in every language,
//! with a note, and the variants to avoid. `check` warns where a message uses an avoided
//! variant, with the file, the line and the word to write instead.

use crate::i18n::LocaleFile;
use crate::lang::Lang;
use serde::Deserialize;
use std::path::PathBuf;

/// The list as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermList {
    #[serde(rename = "term")]
    pub terms: Vec<Term>,
}

/// One term: what it means, its words, and what not to write.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// What the term means, in English, for translators.
    pub meaning: String,
    pub vi: String,
    pub hmn: String,
    pub en: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub avoid: Avoid,
}

/// Phrases not to write, per language: matched whole-word and case-insensitively.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Avoid {
    #[serde(default)]
    pub vi: Vec<String>,
    #[serde(default)]
    pub hmn: Vec<String>,
    #[serde(default)]
    pub en: Vec<String>,
}

impl Term {
    fn word(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::Hmn => &self.hmn,
            Lang::En => &self.en,
        }
    }

    fn avoided(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::Vi => &self.avoid.vi,
            Lang::Hmn => &self.avoid.hmn,
            Lang::En => &self.avoid.en,
        }
    }
}

/// The term list and where it was read from.
pub struct TermSource {
    pub path: PathBuf,
    pub text: String,
}

impl TermSource {
    /// The list built into the binary.
    pub fn embedded() -> TermSource {
        TermSource {
            path: PathBuf::from("locales/terms.toml"),
            text: include_str!("../../../locales/terms.toml").to_string(),
        }
    }

    pub fn parse(&self) -> Result<TermList, String> {
        toml::from_str(&self.text).map_err(|e| format!("{}: {e}", self.path.display()))
    }
}

/// Where the messages of `files` use a variant the list avoids: `path:line: sentence` each.
pub fn warnings(list: &TermList, files: &[LocaleFile]) -> Vec<String> {
    let mut found = Vec::new();
    for file in files {
        for (n, line) in file.source.lines().enumerate() {
            if line.trim_start().starts_with('#') {
                continue;
            }
            // A message's id (`act-password = …`) is not its text.
            let text = match line.split_once('=') {
                Some((id, value))
                    if !line.starts_with(char::is_whitespace) && !id.trim_end().contains(' ') =>
                {
                    value
                }
                _ => line,
            };
            let lower = text.to_lowercase();
            for term in &list.terms {
                for avoided in term.avoided(file.lang) {
                    if contains_words(&lower, &avoided.to_lowercase()) {
                        found.push(format!(
                            "{}:{}: `{avoided}` is avoided for \"{}\": write `{}`",
                            file.path.display(),
                            n + 1,
                            term.meaning,
                            term.word(file.lang)
                        ));
                    }
                }
            }
        }
    }
    found
}

/// `phrase` in `text` as whole words: not inside a longer word (`xyoo` is not in `xyoos`).
fn contains_words(text: &str, phrase: &str) -> bool {
    if phrase.is_empty() {
        return false;
    }
    text.match_indices(phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn avoided_words_are_found_whole_and_in_any_case() {
        assert!(contains_words("lub system tab tom khwv.", "tab tom khwv"));
        assert!(contains_words("muaj 14 xyoo los tshaj", "xyoo los tshaj"));
        assert!(!contains_words("muaj 14 xyoos los tshaj", "xyoo los tshaj"));
        assert!(!contains_words("passwords", "password"));
        assert!(contains_words("(password)", "password"));
    }

    #[test]
    fn the_list_built_in_parses_and_the_content_uses_none_of_its_avoided_words() {
        let list = TermSource::embedded()
            .parse()
            .expect("the term list parses");
        assert!(!list.terms.is_empty());
        let found = warnings(&list, &crate::i18n::embedded_files());
        assert!(found.is_empty(), "{found:#?}");
    }
}
