//! Where the guide and the messages come from: built into the binary (so it runs alone), or
//! read from folders so a content editor sees an edit without rebuilding.

use crate::guide::{Guide, Problem};
use crate::i18n::{self, LocaleFile, Locales};
use crate::lang::Lang;
use crate::media::Library;
use crate::translations::{self, Record};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

pub const GUIDE_FILE: &str = "portal-account.toml";
pub const COMMUNES_FILE: &str = "communes.toml";

/// The guide and commune list as text, with the paths they are reported under.
pub struct GuideSource {
    pub guide_path: PathBuf,
    pub guide: String,
    pub communes_path: PathBuf,
    pub communes: String,
}

impl GuideSource {
    pub fn embedded() -> GuideSource {
        GuideSource {
            guide_path: PathBuf::from("guides").join(GUIDE_FILE),
            guide: include_str!("../../../guides/portal-account.toml").to_string(),
            communes_path: PathBuf::from("guides").join(COMMUNES_FILE),
            communes: include_str!("../../../guides/communes.toml").to_string(),
        }
    }

    pub fn read(dir: &Path) -> anyhow::Result<GuideSource> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))
                .map(|text| (path, text))
        };
        let (guide_path, guide) = read(GUIDE_FILE)?;
        let (communes_path, communes) = read(COMMUNES_FILE)?;
        Ok(GuideSource {
            guide_path,
            guide,
            communes_path,
            communes,
        })
    }

    pub fn format_problems(&self, problems: &[Problem]) -> Vec<String> {
        problems
            .iter()
            .map(|p| format!("{}:{}: {}", self.guide_path.display(), p.line, p.message))
            .collect()
    }
}

/// Everything the engine and the renderer need.
pub struct Content {
    pub guide: Guide,
    pub locales: Locales,
    pub desk: Desk,
    /// The pictures and voice notes shipped with the steps.
    pub media: Library,
}

/// The commune's one-stop desk, as citizens are told of it (`DESK_HOURS`, `DESK_ADDRESS`).
#[derive(Debug, Clone)]
pub struct Desk {
    pub hours: String,
    pub address: String,
}

impl Desk {
    pub fn from_env() -> Desk {
        let var = |name: &str, default: &str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| default.to_string())
        };
        Desk {
            hours: var("DESK_HOURS", "7:30–11:30, 13:30–17:00 (T2–T6)"),
            address: var("DESK_ADDRESS", "Bộ phận một cửa, UBND xã"),
        }
    }

    pub fn args(&self) -> fluent_bundle::FluentArgs<'_> {
        i18n::desk_args(&self.hours, &self.address)
    }
}

/// Where to read content from; `None` means the copy built into the binary.
#[derive(Debug, Clone, Default)]
pub struct ContentDirs {
    pub guides: Option<PathBuf>,
    pub locales: Option<PathBuf>,
    pub media: Option<PathBuf>,
}

impl ContentDirs {
    pub fn guide_source(&self) -> anyhow::Result<GuideSource> {
        match &self.guides {
            Some(dir) => GuideSource::read(dir),
            None => Ok(GuideSource::embedded()),
        }
    }

    pub fn locale_files(&self) -> anyhow::Result<Vec<LocaleFile>> {
        match &self.locales {
            Some(dir) => i18n::read_dir(dir)
                .with_context(|| format!("cannot read the locales in {}", dir.display())),
            None => Ok(i18n::embedded_files()),
        }
    }

    /// The shipped media: the folder's (laid out as `media/`), else the ones built in.
    pub fn media(&self) -> anyhow::Result<Library> {
        match &self.media {
            Some(dir) => Library::read(dir),
            None => Ok(Library::embedded()),
        }
    }

    /// What each translation was made from ([`crate::translations::Record`]), per language
    /// but Vietnamese: `<lang>/translated-from.toml` in the locales folder (none there, an empty
    /// record), else the ones built in.
    pub fn records(&self) -> anyhow::Result<Vec<(Lang, Record)>> {
        let mut records = Vec::new();
        for lang in [Lang::Hmn, Lang::En] {
            let text = match &self.locales {
                Some(dir) => {
                    let path = dir.join(lang.code()).join(translations::RECORD_FILE);
                    match std::fs::read_to_string(&path) {
                        Ok(text) => text,
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
                        Err(e) => bail!("cannot read {}: {e}", path.display()),
                    }
                }
                None => i18n::embedded_record(lang).to_string(),
            };
            let record =
                Record::parse(&text).map_err(|e| anyhow::anyhow!("locales/{}/{e}", lang.code()))?;
            records.push((lang, record));
        }
        Ok(records)
    }

    /// The translators' term list: `terms.toml` in the locales folder (none there, none
    /// checked), else the one built in.
    pub fn terms(&self) -> anyhow::Result<Option<crate::terms::TermSource>> {
        let Some(dir) = &self.locales else {
            return Ok(Some(crate::terms::TermSource::embedded()));
        };
        let path = dir.join("terms.toml");
        if !path.exists() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Ok(Some(crate::terms::TermSource { path, text }))
    }

    /// Loads and validates the content; a guide with problems is refused (run `check`).
    pub fn load(&self) -> anyhow::Result<Content> {
        let source = self.guide_source()?;
        let guide = match Guide::parse(&source.guide, &source.communes) {
            Ok(guide) => guide,
            Err(problems) => bail!(
                "the guide has problems (run `dvc-onboard check`):\n{}",
                source.format_problems(&problems).join("\n")
            ),
        };
        let (locales, problems) = Locales::build(&self.locale_files()?);
        for p in problems {
            tracing::warn!("{p}");
        }
        let media = self.media()?;
        let mut report = crate::check::Report::default();
        crate::check::check_media(&source, &guide, &media, &mut report);
        if !report.problems.is_empty() {
            bail!(
                "the media have problems (run `dvc-onboard check`):\n{}",
                report.problems.join("\n")
            );
        }
        Ok(Content {
            guide,
            locales,
            desk: Desk::from_env(),
            media,
        })
    }
}
