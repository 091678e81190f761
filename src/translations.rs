//! `dvc-onboard translations`: which translations are missing or stale against the Vietnamese,
//! and a language's messages as a CSV file a translator without git can fill in and give back.
//! The rules are in `dvc_onboard_core::translations`; this reads and writes the files.

use anyhow::{Context, bail};
use dvc_onboard_core::content::ContentDirs;
use dvc_onboard_core::i18n::{self, LocaleFile};
use dvc_onboard_core::lang::Lang;
use dvc_onboard_core::translations::{self, RECORD_FILE, Record, Returned, Row, State};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Spreadsheets read a CSV as UTF-8 only when it starts with this mark.
const BOM: &str = "\u{feff}";
const HEADERS: [&str; 5] = ["id", "vietnamese", "english", "translation", "state"];

/// The locale files and records of the folder the translations are kept in.
pub struct Folder {
    dir: PathBuf,
    files: Vec<LocaleFile>,
    records: Vec<(Lang, Record)>,
}

impl Folder {
    /// `--locales DIR`, else `locales/` here (the repository's): the files a translation
    /// changes must be files, not the copy built into the binary.
    pub fn open(given: Option<&Path>) -> anyhow::Result<Folder> {
        let dir = given.map_or_else(|| PathBuf::from("locales"), Path::to_path_buf);
        if !dir.is_dir() {
            bail!(
                "no locales folder at {}: run this in the repository, or give --locales DIR",
                dir.display()
            );
        }
        let files = i18n::read_dir(&dir)
            .with_context(|| format!("cannot read the locales in {}", dir.display()))?;
        let records = ContentDirs {
            guides: None,
            locales: Some(dir.clone()),
            media: None,
        }
        .records()?;
        Ok(Folder {
            dir,
            files,
            records,
        })
    }

    fn record(&self, lang: Lang) -> Record {
        self.records
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, r)| r.clone())
            .unwrap_or_default()
    }

    fn write_record(&self, lang: Lang, record: &Record) -> anyhow::Result<()> {
        let path = self.dir.join(lang.code()).join(RECORD_FILE);
        std::fs::write(&path, record.to_file(lang))
            .with_context(|| format!("cannot write {}", path.display()))
    }
}

/// A language a translator works on: any but Vietnamese, the source.
fn translated(lang: Lang) -> anyhow::Result<Lang> {
    if lang == Lang::Vi {
        bail!("Vietnamese is the source every other language is translated from");
    }
    Ok(lang)
}

/// Per language: how many messages are in each state, and the ones that need a translator.
pub fn status(folder: &Folder) -> String {
    let mut out = String::new();
    for lang in [Lang::Hmn, Lang::En] {
        let rows = translations::rows(&folder.files, lang, &folder.record(lang));
        let count = |s: State| rows.iter().filter(|r| r.state == s).count();
        let _ = writeln!(
            out,
            "{} ({}): {} messages; {} current, {} stale, {} unconfirmed, {} missing, {} the same as the Vietnamese",
            lang.english_name(),
            lang.code(),
            rows.len(),
            count(State::Current),
            count(State::Stale),
            count(State::Unconfirmed),
            count(State::Missing),
            count(State::SameAsVietnamese),
        );
        for state in [
            State::Stale,
            State::Missing,
            State::Unconfirmed,
            State::SameAsVietnamese,
        ] {
            for row in rows.iter().filter(|r| r.state == state) {
                let _ = writeln!(out, "  {state}: {}", place(row));
            }
        }
    }
    out
}

/// `path:line: id`, for a row.
fn place(row: &Row) -> String {
    format!("{}:{}: {}", row.path.display(), row.line, row.id)
}

/// The stale translations, for `check` to warn about.
pub fn stale(dirs: &ContentDirs, files: &[LocaleFile]) -> anyhow::Result<Vec<String>> {
    let mut stale = Vec::new();
    for (lang, record) in dirs.records()? {
        for row in translations::rows(files, lang, &record) {
            if row.state == State::Stale {
                stale.push(place(&row));
            }
        }
    }
    Ok(stale)
}

/// Records that `lang`'s translations of `ids` (all, if none) match the current Vietnamese.
pub fn confirm(folder: &Folder, lang: Lang, ids: &[String]) -> anyhow::Result<String> {
    let lang = translated(lang)?;
    let mut record = folder.record(lang);
    let done = translations::confirm(&folder.files, lang, &mut record, ids)
        .map_err(|e| anyhow::anyhow!(e))?;
    folder.write_record(lang, &record)?;
    Ok(format!(
        "{done} {} translations recorded as made from the current Vietnamese",
        lang.english_name()
    ))
}

/// `lang`'s messages as CSV: id, Vietnamese, English, the translation, its state.
pub fn export(folder: &Folder, lang: Lang) -> anyhow::Result<Vec<u8>> {
    let lang = translated(lang)?;
    let mut csv = csv::Writer::from_writer(BOM.as_bytes().to_vec());
    csv.write_record(HEADERS)?;
    for row in translations::rows(&folder.files, lang, &folder.record(lang)) {
        csv.write_record([
            row.id.as_str(),
            row.vietnamese.as_str(),
            row.english.as_deref().unwrap_or(""),
            row.translation.as_deref().unwrap_or(""),
            row.state.as_str(),
        ])?;
    }
    csv.into_inner()
        .map_err(|e| anyhow::anyhow!("cannot write the CSV: {e}"))
}

/// Reads a translator's CSV back into `lang`'s files; refused whole, with every problem, if
/// any row would break a message.
pub fn import(folder: &Folder, lang: Lang, csv_bytes: &[u8]) -> anyhow::Result<String> {
    let lang = translated(lang)?;
    let text = std::str::from_utf8(csv_bytes).context("the CSV is not UTF-8 text")?;
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers()?.clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(id), Some(translation)) = (column("id"), column("translation")) else {
        bail!("the CSV needs the columns `id` and `translation` (as exported)");
    };
    let vietnamese = column("vietnamese");
    let mut returned = Vec::new();
    for record in reader.records() {
        let record = record?;
        let cell = |i: usize| record.get(i).unwrap_or("").to_string();
        returned.push(Returned {
            id: cell(id).trim().to_string(),
            vietnamese: vietnamese.map(cell).unwrap_or_default(),
            translation: cell(translation),
        });
    }
    let imported = translations::import(&folder.files, lang, &folder.record(lang), &returned)
        .map_err(|problems| {
            anyhow::anyhow!(
                "nothing imported; {} problems:\n{}",
                problems.len(),
                problems.join("\n")
            )
        })?;
    for (path, text) in &imported.files {
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if imported.record != folder.record(lang) {
        folder.write_record(lang, &imported.record)?;
    }
    Ok(format!(
        "{} {} messages changed",
        imported.changed,
        lang.english_name()
    ))
}
