//! Fluent messages in Vietnamese, Hmong and English, and the rendering of engine replies.
//!
//! Each message falls back on its own (`hmn → vi → en`): a Hmong file that lacks one string
//! still shows every other string in Hmong. Files stay in the plain Fluent layout
//! (`locales/<lang>/*.ftl`) that translation platforms read.

use crate::guide::engine::{Label, Reply, messages};
use crate::lang::Lang;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::path::{Path, PathBuf};
use unic_langid::LanguageIdentifier;

/// One Fluent file: where it came from (for problems) and its text.
#[derive(Debug, Clone)]
pub struct LocaleFile {
    pub lang: Lang,
    pub path: PathBuf,
    pub source: String,
}

/// The locale files built into the binary, so it runs alone.
pub fn embedded_files() -> Vec<LocaleFile> {
    macro_rules! file {
        ($lang:expr, $dir:literal, $name:literal) => {
            LocaleFile {
                lang: $lang,
                path: PathBuf::from(concat!("locales/", $dir, "/", $name)),
                source: include_str!(concat!("../../../locales/", $dir, "/", $name)).to_string(),
            }
        };
    }
    vec![
        file!(Lang::Vi, "vi", "bot.ftl"),
        file!(Lang::Vi, "vi", "guide.ftl"),
        file!(Lang::Hmn, "hmn", "bot.ftl"),
        file!(Lang::Hmn, "hmn", "guide.ftl"),
        file!(Lang::En, "en", "bot.ftl"),
        file!(Lang::En, "en", "guide.ftl"),
    ]
}

/// The record of what a language's built-in translations were made from
/// (`locales/<lang>/translated-from.toml`); Vietnamese, the source, has none.
pub fn embedded_record(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "",
        Lang::Hmn => include_str!("../../../locales/hmn/translated-from.toml"),
        Lang::En => include_str!("../../../locales/en/translated-from.toml"),
    }
}

/// Every `*.ftl` file under `dir/<lang>/`, in name order.
pub fn read_dir(dir: &Path) -> std::io::Result<Vec<LocaleFile>> {
    let mut files = Vec::new();
    for lang in Lang::ALL {
        let lang_dir = dir.join(lang.code());
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&lang_dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
            .collect();
        paths.sort();
        for path in paths {
            let source = std::fs::read_to_string(&path)?;
            files.push(LocaleFile { lang, path, source });
        }
    }
    Ok(files)
}

/// A text and its buttons, ready for any channel to show.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Screen {
    pub text: String,
    pub buttons: Vec<ScreenButton>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScreenButton {
    /// What the channel sends back when the button is pressed (see `Action::encode`).
    pub data: String,
    pub label: String,
}

pub struct Locales {
    bundles: Vec<(Lang, FluentBundle<FluentResource>)>,
}

impl Locales {
    /// Builds the bundles; Fluent syntax errors are returned as `path:line: sentence` problems
    /// (the rest of the file still loads, so one typo does not silence a language).
    pub fn build(files: &[LocaleFile]) -> (Locales, Vec<String>) {
        let mut problems = Vec::new();
        let bundles = Lang::ALL
            .iter()
            .map(|&lang| {
                let mut bundle = FluentBundle::new_concurrent(vec![plural_locale(lang)]);
                // Isolation marks (U+2068/U+2069) would show as boxes on cheap phones.
                bundle.set_use_isolating(false);
                for file in files.iter().filter(|f| f.lang == lang) {
                    let resource = match FluentResource::try_new(file.source.clone()) {
                        Ok(r) => r,
                        Err((r, errors)) => {
                            for e in errors {
                                // The line where the broken entry starts, not where the parser gave up.
                                let at = e.slice.as_ref().map_or(e.pos.start, |s| s.start);
                                let line = crate::guide::model::line_of(&file.source, at);
                                problems.push(format!(
                                    "{}:{line}: this Fluent text does not parse ({:?})",
                                    file.path.display(),
                                    e.kind
                                ));
                            }
                            r
                        }
                    };
                    if let Err(errors) = bundle.add_resource(resource) {
                        for e in errors {
                            problems.push(format!("{}: {e}", file.path.display()));
                        }
                    }
                }
                (lang, bundle)
            })
            .collect();
        (Locales { bundles }, problems)
    }

    /// The locales built into the binary.
    pub fn embedded() -> Locales {
        Locales::build(&embedded_files()).0
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        // `build` makes one bundle per language in `Lang::ALL` order.
        &self.bundles[Lang::ALL.iter().position(|&l| l == lang).unwrap_or(0)].1
    }

    /// Whether `lang`'s own files define `id` (no fallback).
    pub fn has(&self, lang: Lang, id: &str) -> bool {
        self.bundle(lang)
            .get_message(id)
            .is_some_and(|m| m.value().is_some())
    }

    /// The language whose text is shown for `id` to a reader of `lang`.
    pub fn resolved_lang(&self, lang: Lang, id: &str) -> Option<Lang> {
        lang.fallback_chain()
            .iter()
            .copied()
            .find(|&l| self.has(l, id))
    }

    /// Formats a message, falling back along the language's chain. A message missing everywhere
    /// shows its id (and `check` refuses such locales before they ship).
    pub fn format(&self, lang: Lang, id: &str, args: Option<&FluentArgs>) -> String {
        let (text, errors) = self.format_with_errors(lang, id, args);
        if !errors.is_empty() {
            tracing::warn!(message = id, lang = %lang, ?errors, "message formatted with errors");
        }
        text
    }

    /// Formats a message and says what went wrong doing it (for `check`).
    pub fn format_with_errors(
        &self,
        lang: Lang,
        id: &str,
        args: Option<&FluentArgs>,
    ) -> (String, Vec<String>) {
        let Some(found) = self.resolved_lang(lang, id) else {
            return (
                id.to_string(),
                vec![format!("message `{id}` is missing in every language")],
            );
        };
        let bundle = self.bundle(found);
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            return (id.to_string(), vec![format!("message `{id}` has no value")]);
        };
        let mut errors = Vec::new();
        let text = bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned();
        (text, errors.iter().map(ToString::to_string).collect())
    }

    pub fn render(&self, lang: Lang, reply: &Reply<'_>) -> Screen {
        self.render_with(lang, reply, None)
    }

    /// Renders with arguments every message may use (the desk's hours and address).
    pub fn render_with(&self, lang: Lang, reply: &Reply<'_>, args: Option<&FluentArgs>) -> Screen {
        let body = self.format(lang, reply.message, args);
        let text = match reply.progress {
            Some((current, total)) => {
                let progress = self.format(
                    lang,
                    messages::PROGRESS,
                    Some(&progress_args(current, total)),
                );
                format!("{progress}\n{body}")
            }
            None => body,
        };
        let buttons = reply
            .buttons
            .iter()
            .map(|b| ScreenButton {
                data: b.action.encode(),
                label: match b.label {
                    Label::Message(id) => self.format(lang, id, None),
                    Label::Plain(text) => text.to_string(),
                },
            })
            .collect();
        Screen { text, buttons }
    }
}

/// The locale whose plural rules a bundle uses. CLDR has no rules for Hmong (`hmn`), and Fluent
/// would silently use English ones; Hmong, like Vietnamese, has no grammatical plural, so the
/// Hmong bundle takes the Vietnamese rules, where every number is `other`.
fn plural_locale(lang: Lang) -> LanguageIdentifier {
    let code = match lang {
        Lang::Hmn => "vi",
        other => other.code(),
    };
    code.parse().unwrap_or_default()
}

/// The arguments of the "step n of m" line.
pub fn progress_args(current: u16, total: u16) -> FluentArgs<'static> {
    let mut args = FluentArgs::new();
    args.set("current", current);
    args.set("total", total);
    args.set("left", total.saturating_sub(current));
    args
}

/// Arguments any message may use: the commune desk's opening hours and address.
pub fn desk_args<'a>(hours: &'a str, address: &'a str) -> FluentArgs<'a> {
    let mut args = FluentArgs::new();
    args.set("hours", hours);
    args.set("address", address);
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(lang: Lang, source: &str) -> LocaleFile {
        LocaleFile {
            lang,
            path: PathBuf::from(format!("{lang}.ftl")),
            source: source.to_string(),
        }
    }

    fn locales() -> Locales {
        let (locales, problems) = Locales::build(&[
            file(
                Lang::Vi,
                "only-vi = chỉ tiếng Việt\nboth = tiếng Việt\ncount = { $n ->\n    [one] một\n   *[other] { $n } cái\n}\n",
            ),
            file(
                Lang::En,
                "only-en = English only\nboth = English\ncount = { $n ->\n    [one] one thing\n   *[other] { $n } things\n}\n",
            ),
            file(
                Lang::Hmn,
                "both = Lus Hmoob\ncount = { $n ->\n    [one] ib yam\n   *[other] { $n } yam\n}\n",
            ),
        ]);
        assert!(problems.is_empty(), "{problems:?}");
        locales
    }

    #[test]
    fn each_message_falls_back_on_its_own() {
        let l = locales();
        assert_eq!(l.format(Lang::Hmn, "both", None), "Lus Hmoob");
        assert_eq!(l.format(Lang::Hmn, "only-vi", None), "chỉ tiếng Việt");
        assert_eq!(l.format(Lang::Hmn, "only-en", None), "English only");
        assert_eq!(l.format(Lang::En, "only-vi", None), "chỉ tiếng Việt");
        assert_eq!(l.resolved_lang(Lang::Hmn, "only-vi"), Some(Lang::Vi));
        assert_eq!(l.format(Lang::Vi, "nowhere", None), "nowhere");
    }

    #[test]
    fn hmong_formats_numbers_and_plural_selects_without_error() {
        let l = locales();
        for n in [0u32, 1, 2, 1000] {
            let mut args = FluentArgs::new();
            args.set("n", n);
            let (text, errors) = l.format_with_errors(Lang::Hmn, "count", Some(&args));
            assert!(errors.is_empty(), "{errors:?}");
            // Hmong has no grammatical plural: every number takes the `other` form.
            assert_eq!(text, format!("{n} yam"));
        }
        let mut one = FluentArgs::new();
        one.set("n", 1);
        assert_eq!(l.format(Lang::En, "count", Some(&one)), "one thing");
    }

    #[test]
    fn a_syntax_error_is_reported_with_its_line_and_the_rest_still_loads() {
        let (l, problems) = Locales::build(&[file(
            Lang::Vi,
            "ok = được\n\nbroken = { $x\nalso-ok = vẫn được\n",
        )]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("vi.ftl:3:"), "{}", problems[0]);
        assert_eq!(l.format(Lang::Vi, "ok", None), "được");
    }

    #[test]
    fn the_built_in_progress_line_formats_in_every_language() {
        let l = Locales::embedded();
        for lang in Lang::ALL {
            let (text, errors) =
                l.format_with_errors(lang, messages::PROGRESS, Some(&progress_args(2, 5)));
            assert!(errors.is_empty(), "{lang}: {errors:?}");
            assert!(
                text.contains('2') && text.contains('5') && text.contains('3'),
                "{lang}: {text}"
            );
        }
    }
}
