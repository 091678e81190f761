//! Keeping translations fresh: which messages a language lacks, which were translated from a
//! Vietnamese text that has changed since (stale), and which are the Vietnamese as it is; and a
//! language's messages as rows a translator without git can fill in and give back.
//!
//! Vietnamese is the source. For each translated message, `locales/<lang>/translated-from.toml`
//! keeps a hash of the Vietnamese text it was translated from, written when a translator
//! confirms it (`dvc-onboard translations confirm`) or imports a translation of the current
//! text. Pure: the caller reads and writes the files.

use crate::i18n::LocaleFile;
use crate::lang::Lang;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

/// The file beside a language's `.ftl` files that records what each message was translated
/// from.
pub const RECORD_FILE: &str = "translated-from.toml";

/// One message of a Fluent file, as written: its id, its text (what follows `id =`, without
/// the indentation of its continuation lines) and where it is in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub value: String,
    /// The bytes of the message, from its id to the end of its last line (newline included).
    pub span: Range<usize>,
    pub line: usize,
    /// Its text begins on the id's line (`id = text`), rather than on the next one.
    pub inline: bool,
}

/// The messages of a Fluent file in order. Messages start at the beginning of a line
/// (`id = …`) and go on over indented lines, as the files here and translation platforms write
/// them; comments, terms and blank lines around them are not part of any message.
pub fn entries(source: &str) -> Vec<Entry> {
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for line in source.split_inclusive('\n') {
        lines.push((at, line));
        at += line.len();
    }
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (start, line) = lines[i];
        let Some((id, first)) = message_start(line) else {
            i += 1;
            continue;
        };
        // The message goes on over indented lines, and blank lines followed by one.
        let mut end = i + 1;
        let mut last = i;
        while end < lines.len() {
            let text = lines[end].1;
            if text.starts_with(' ') && !text.trim().is_empty() {
                last = end;
            } else if !text.trim().is_empty() {
                break;
            }
            end += 1;
        }
        let body: Vec<&str> = lines[i + 1..=last]
            .iter()
            .map(|(_, l)| l.trim_end_matches(['\n', '\r']))
            .collect();
        let indent = body
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        let mut value: Vec<String> = Vec::new();
        let first = first.trim();
        if !first.is_empty() {
            value.push(first.to_string());
        }
        value.extend(
            body.iter()
                .map(|l| l.get(indent..).unwrap_or("").to_string()),
        );
        let (last_start, last_line) = lines[last];
        found.push(Entry {
            id: id.to_string(),
            value: value.join("\n"),
            span: start..last_start + last_line.len(),
            line: i + 1,
            inline: !first.is_empty(),
        });
        i = last + 1;
    }
    found
}

/// `id` and what follows `=`, if `line` begins a message.
fn message_start(line: &str) -> Option<(&str, &str)> {
    let (id, rest) = line.split_once('=')?;
    let id = id.trim_end();
    let ok = id.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    ok.then_some((id, rest))
}

/// A message as a Fluent file writes it: `id = text`, or over several lines, each line after
/// the id's indented by four spaces (the first on the id's line if `inline`).
pub fn write_entry(id: &str, value: &str, inline: bool) -> String {
    let mut lines = value.split('\n');
    let mut out = match lines.next() {
        Some(first) if inline => format!("{id} = {first}\n"),
        Some(first) => format!("{id} =\n    {first}\n"),
        None => format!("{id} =\n"),
    };
    for line in lines {
        if !line.is_empty() {
            out.push_str("    ");
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// The hash a translation records of the Vietnamese text it was made from.
pub fn source_hash(vietnamese: &str) -> String {
    let digest = Sha256::digest(vietnamese.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// What each message of a language was translated from ([`RECORD_FILE`]): a hash of the
/// Vietnamese text, by message id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record(pub BTreeMap<String, String>);

impl Record {
    pub fn parse(text: &str) -> Result<Record, String> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            #[serde(default)]
            from: BTreeMap<String, String>,
        }
        toml::from_str::<File>(text)
            .map(|f| Record(f.from))
            .map_err(|e| format!("{RECORD_FILE} is not valid: {}", e.message()))
    }

    /// The file's text: a header saying what it is, then one line per message, by id.
    pub fn to_file(&self, lang: Lang) -> String {
        let mut out = format!(
            "# What each {} message was translated from: a hash of the Vietnamese text. A message\n\
             # whose Vietnamese has changed since is stale. Written by `dvc-onboard translations\n\
             # confirm {}` and `… import`; not edited by hand.\n[from]\n",
            lang.english_name(),
            lang.code()
        );
        for (id, hash) in &self.0 {
            out.push_str(&format!("{id} = \"{hash}\"\n"));
        }
        out
    }
}

/// Where a language's message stands against the Vietnamese.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum State {
    /// The language lacks it: Vietnamese is shown instead (Hmong), or the fallback.
    Missing,
    /// Translated from a Vietnamese text that has changed since.
    Stale,
    /// Translated, but never confirmed against a Vietnamese text.
    Unconfirmed,
    /// The same text as the Vietnamese: not translated, or a name that stays as it is.
    SameAsVietnamese,
    Current,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Missing => "missing",
            State::Stale => "stale",
            State::Unconfirmed => "unconfirmed",
            State::SameAsVietnamese => "same-as-vietnamese",
            State::Current => "current",
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One Vietnamese message and a language's translation of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub vietnamese: String,
    pub english: Option<String>,
    pub translation: Option<String>,
    pub state: State,
    /// Where the translation is (or where the Vietnamese is, if it is missing).
    pub path: PathBuf,
    pub line: usize,
}

/// A message of one language's files, with where it is.
struct Located {
    value: String,
    file: usize,
    entry: Entry,
}

/// The Vietnamese messages translators translate: all but the staff group's, which are in
/// Vietnamese only.
fn sources(files: &[LocaleFile]) -> BTreeMap<String, Located> {
    let mut vi = messages_of(files, Lang::Vi);
    vi.retain(|id, _| !crate::staff::messages::ALL.contains(&id.as_str()));
    vi
}

fn messages_of(files: &[LocaleFile], lang: Lang) -> BTreeMap<String, Located> {
    let mut out = BTreeMap::new();
    for (file, f) in files.iter().enumerate().filter(|(_, f)| f.lang == lang) {
        for entry in entries(&f.source) {
            out.entry(entry.id.clone()).or_insert(Located {
                value: entry.value.clone(),
                file,
                entry,
            });
        }
    }
    out
}

/// Every Vietnamese message a citizen can see, with `lang`'s translation and its state, in id
/// order. The staff group's messages are in Vietnamese only, and are left out.
pub fn rows(files: &[LocaleFile], lang: Lang, record: &Record) -> Vec<Row> {
    let vi = sources(files);
    let en = messages_of(files, Lang::En);
    let translated = messages_of(files, lang);
    vi.iter()
        .map(|(id, source)| {
            let found = translated.get(id);
            let state = match found {
                None => State::Missing,
                Some(t) if t.value == source.value => State::SameAsVietnamese,
                Some(_) => match record.0.get(id) {
                    None => State::Unconfirmed,
                    Some(hash) if *hash == source_hash(&source.value) => State::Current,
                    Some(_) => State::Stale,
                },
            };
            let at = found.unwrap_or(source);
            Row {
                id: id.clone(),
                vietnamese: source.value.clone(),
                english: en.get(id).map(|m| m.value.clone()),
                translation: found.map(|m| m.value.clone()),
                state,
                path: files[at.file].path.clone(),
                line: at.entry.line,
            }
        })
        .collect()
}

/// Records the current Vietnamese of `ids` (every message `lang` has, if none are given) as
/// what `lang`'s translations were made from. Names no message of both: refused.
pub fn confirm(
    files: &[LocaleFile],
    lang: Lang,
    record: &mut Record,
    ids: &[String],
) -> Result<usize, String> {
    let vi = sources(files);
    let translated = messages_of(files, lang);
    let all: Vec<String> = translated
        .keys()
        .filter(|id| vi.contains_key(*id))
        .cloned()
        .collect();
    let chosen = if ids.is_empty() { &all } else { ids };
    let mut done = 0;
    for id in chosen {
        let (Some(source), true) = (vi.get(id), translated.contains_key(id)) else {
            return Err(format!(
                "`{id}` is not a message of both the Vietnamese and the {} files",
                lang.english_name()
            ));
        };
        record.0.insert(id.clone(), source_hash(&source.value));
        done += 1;
    }
    Ok(done)
}

/// A translator's row coming back: the Vietnamese they saw, and their translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Returned {
    pub id: String,
    pub vietnamese: String,
    pub translation: String,
}

/// What an import changes: the files whose text changes (path and new text), and the record.
#[derive(Debug, Default)]
pub struct Imported {
    pub files: Vec<(PathBuf, String)>,
    pub record: Record,
    pub changed: usize,
}

/// Applies a translator's rows to `lang`'s files: each changed translation replaces the
/// message where it is, or is added to the file of the same name as the Vietnamese one's.
/// Rows without a translation, or with the one already there, change nothing. A translation of
/// the Vietnamese as it is now is recorded as current. Refused whole, with every problem, if a
/// row names no Vietnamese message, is not valid Fluent, or uses other arguments than the
/// Vietnamese (a `{ $hours }` lost or renamed would break the message for every citizen).
pub fn import(
    files: &[LocaleFile],
    lang: Lang,
    record: &Record,
    returned: &[Returned],
) -> Result<Imported, Vec<String>> {
    let vi = sources(files);
    let translated = messages_of(files, lang);
    let mut problems = Vec::new();
    let mut texts: BTreeMap<PathBuf, String> = BTreeMap::new();
    // Replacements by file, applied from the end so earlier spans stay right.
    let mut replace: BTreeMap<usize, Vec<(Range<usize>, String)>> = BTreeMap::new();
    let mut added: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    let mut out = Imported {
        record: record.clone(),
        ..Imported::default()
    };
    let mut seen = BTreeSet::new();
    for row in returned {
        let translation = row.translation.trim_end_matches(['\n', '\r']);
        if translation.trim().is_empty() {
            continue;
        }
        if !seen.insert(row.id.as_str()) {
            problems.push(format!("`{}` is given twice", row.id));
            continue;
        }
        let Some(source) = vi.get(&row.id) else {
            problems.push(format!("`{}` is not a Vietnamese message", row.id));
            continue;
        };
        let current = translated.get(&row.id);
        if current.is_some_and(|c| c.value == translation) {
            continue;
        }
        let inline = current.map_or(source.entry.inline, |c| c.entry.inline);
        let written = write_entry(&row.id, translation, inline);
        match arguments(&written, &row.id) {
            Err(e) => {
                problems.push(format!("`{}` is not valid Fluent: {e}", row.id));
                continue;
            }
            Ok(args) => {
                let wanted = arguments(
                    &write_entry(&row.id, &source.value, source.entry.inline),
                    &row.id,
                );
                if wanted.as_ref().ok() != Some(&args) {
                    problems.push(format!(
                        "`{}` uses {} but the Vietnamese uses {}: keep every {{ $… }} as it is",
                        row.id,
                        crate::check::show_vars(&args),
                        wanted.map_or_else(|e| e, |w| crate::check::show_vars(&w))
                    ));
                    continue;
                }
            }
        }
        match current {
            Some(c) => replace
                .entry(c.file)
                .or_default()
                .push((c.entry.span.clone(), written)),
            None => {
                let name = files[source.file].path.file_name().map(PathBuf::from);
                let dir = files
                    .iter()
                    .find(|f| f.lang == lang)
                    .and_then(|f| f.path.parent().map(PathBuf::from))
                    .unwrap_or_else(|| PathBuf::from(lang.code()));
                let path = dir.join(name.unwrap_or_else(|| PathBuf::from("guide.ftl")));
                added.entry(path).or_default().push(written);
            }
        }
        if row.vietnamese == source.value {
            out.record
                .0
                .insert(row.id.clone(), source_hash(&source.value));
        }
        out.changed += 1;
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for (file, mut edits) in replace {
        let mut text = files[file].source.clone();
        edits.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
        for (span, written) in edits {
            text.replace_range(span, &written);
        }
        texts.insert(files[file].path.clone(), text);
    }
    for (path, messages) in added {
        let mut text = texts
            .remove(&path)
            .or_else(|| {
                files
                    .iter()
                    .find(|f| f.path == path)
                    .map(|f| f.source.clone())
            })
            .unwrap_or_default();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        for m in messages {
            text.push_str(&m);
        }
        texts.insert(path, text);
    }
    out.files = texts.into_iter().collect();
    Ok(out)
}

/// The arguments (`$name`) a message written as `source` uses; an error if it does not parse
/// as exactly that one message.
fn arguments(source: &str, id: &str) -> Result<BTreeSet<String>, String> {
    let resource = fluent_syntax::parser::parse(source)
        .map_err(|(_, errors)| format!("{:?}", errors.first().map(|e| &e.kind)))?;
    let mut messages = resource.body.iter().filter_map(|e| match e {
        fluent_syntax::ast::Entry::Message(m) => Some(m),
        _ => None,
    });
    match (messages.next(), messages.next()) {
        (Some(m), None) if m.id.name == id => Ok(crate::check::message_variables(m)),
        _ => Err("it must be one message, on lines indented after the first".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(lang: Lang, name: &str, source: &str) -> LocaleFile {
        LocaleFile {
            lang,
            path: PathBuf::from(format!("locales/{}/{name}", lang.code())),
            source: source.to_string(),
        }
    }

    const VI: &str = "# đầu tệp\nhello = Xin chào\nlong =\n    Dòng một\n    Dòng hai { $hours }\n\n## Phần\nbye = Tạm biệt\n";
    const HMN: &str = "# header\nhello = Nyob zoo\nlong =\n    Kab ib\n    Kab ob { $hours }\n";

    fn files() -> Vec<LocaleFile> {
        vec![
            file(Lang::Vi, "guide.ftl", VI),
            file(Lang::Hmn, "guide.ftl", HMN),
        ]
    }

    #[test]
    fn messages_are_read_with_their_lines_and_spans() {
        let found = entries(VI);
        let ids: Vec<&str> = found.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["hello", "long", "bye"]);
        assert_eq!(found[1].value, "Dòng một\nDòng hai { $hours }");
        assert_eq!(found[1].line, 3);
        assert_eq!(
            &VI[found[1].span.clone()],
            "long =\n    Dòng một\n    Dòng hai { $hours }\n"
        );
        for e in &found {
            assert_eq!(write_entry(&e.id, &e.value, e.inline), &VI[e.span.clone()]);
        }
    }

    #[test]
    fn the_shipped_files_read_as_fluent_reads_them_and_write_back_the_same() {
        for f in crate::i18n::embedded_files() {
            let found = entries(&f.source);
            let resource = match fluent_syntax::parser::parse(f.source.as_str()) {
                Ok(r) | Err((r, _)) => r,
            };
            let fluent: Vec<&str> = resource
                .body
                .iter()
                .filter_map(|e| match e {
                    fluent_syntax::ast::Entry::Message(m) => Some(m.id.name),
                    _ => None,
                })
                .collect();
            let ours: Vec<&str> = found.iter().map(|e| e.id.as_str()).collect();
            assert_eq!(ours, fluent, "{}", f.path.display());
            for e in &found {
                assert_eq!(
                    write_entry(&e.id, &e.value, e.inline),
                    &f.source[e.span.clone()],
                    "{}:{}",
                    f.path.display(),
                    e.line
                );
            }
        }
    }

    #[test]
    fn states_follow_the_vietnamese_and_the_record() {
        let files = files();
        let mut record = Record::default();
        let state = |record: &Record, id: &str| {
            rows(&files, Lang::Hmn, record)
                .into_iter()
                .find(|r| r.id == id)
                .map(|r| r.state)
        };
        assert_eq!(state(&record, "hello"), Some(State::Unconfirmed));
        assert_eq!(state(&record, "bye"), Some(State::Missing));
        assert_eq!(confirm(&files, Lang::Hmn, &mut record, &[]), Ok(2));
        assert_eq!(state(&record, "hello"), Some(State::Current));
        // The Vietnamese changes: the translation is stale until confirmed again.
        let changed = vec![
            file(Lang::Vi, "guide.ftl", &VI.replace("Xin chào", "Chào bạn")),
            file(Lang::Hmn, "guide.ftl", HMN),
        ];
        let hello = rows(&changed, Lang::Hmn, &record)
            .into_iter()
            .find(|r| r.id == "hello")
            .map(|r| r.state);
        assert_eq!(hello, Some(State::Stale));
        assert!(confirm(&files, Lang::Hmn, &mut record, &["nope".to_string()]).is_err());
        let parsed = Record::parse(&record.to_file(Lang::Hmn)).expect("its own file parses");
        assert_eq!(parsed, record);
    }

    #[test]
    fn an_import_replaces_adds_and_refuses_a_broken_argument() {
        let files = files();
        let record = Record::default();
        let back = |id: &str, vi: &str, t: &str| Returned {
            id: id.to_string(),
            vietnamese: vi.to_string(),
            translation: t.to_string(),
        };
        let done = import(
            &files,
            Lang::Hmn,
            &record,
            &[
                back("hello", "Xin chào", "Nyob zoo os"),
                back("bye", "Tạm biệt", "Sib ntsib dua"),
                back("long", "old text", "Kab ib\nKab ob { $hours }"),
            ],
        )
        .expect("imported");
        assert_eq!(done.changed, 2, "the unchanged one is left alone");
        assert_eq!(
            done.files,
            vec![(
                PathBuf::from("locales/hmn/guide.ftl"),
                HMN.replace("Nyob zoo", "Nyob zoo os") + "bye = Sib ntsib dua\n"
            )]
        );
        assert_eq!(
            done.record.0.len(),
            2,
            "both were of the current Vietnamese"
        );

        let refused = import(
            &files,
            Lang::Hmn,
            &record,
            &[
                back("long", "", "Kab ib { $hour }"),
                back("hello", "", "Nyob { zoo"),
                back("nope", "", "x"),
            ],
        )
        .expect_err("refused");
        assert_eq!(refused.len(), 3, "{refused:?}");
    }
}
