//! `dvc-onboard check`: everything that would make a guide or a translation fail a citizen,
//! found before it ships, each with its file, line and a plain sentence.

use crate::content::GuideSource;
use crate::guide::engine::{self, messages};
use crate::guide::model::{Guide, StepKind};
use crate::i18n::{LocaleFile, Locales, progress_args};
use crate::lang::Lang;
use crate::media::{self, Library, MediaKind};
use crate::staff::messages as staff_messages;
use fluent_bundle::FluentArgs;
use fluent_syntax::ast;
use std::collections::{BTreeMap, BTreeSet};

/// Telegram refuses a message longer than this (characters after entity parsing).
pub const MAX_TEXT: usize = 4096;
/// Longer labels are cut off on a narrow phone screen.
pub const MAX_LABEL: usize = 32;
/// Telegram refuses callback data longer than this (bytes).
pub const MAX_BUTTON_DATA: usize = 64;

#[derive(Debug, Default)]
pub struct Report {
    /// Problems that must be fixed: `path:line: sentence`.
    pub problems: Vec<String>,
    /// Messages a language lacks, shown in a fallback language instead.
    pub fallbacks: Vec<String>,
    /// What works but could be better for a citizen: heavy media, a step text too long to be
    /// a picture's caption.
    pub warnings: Vec<String>,
}

pub fn check(source: &GuideSource, files: &[LocaleFile], media: &Library) -> Report {
    let mut report = Report::default();
    let guide = match Guide::parse_unchecked(&source.guide, &source.communes) {
        Ok((guide, problems)) => {
            report.problems.extend(source.format_problems(&problems));
            Some(guide)
        }
        Err(problems) => {
            report.problems.extend(source.format_problems(&problems));
            None
        }
    };
    let (locales, problems) = Locales::build(files);
    report.problems.extend(problems);
    let located = locate_messages(files);
    check_arguments(&located, &mut report);

    let Some(guide) = guide else { return report };
    check_ids(source, &guide, &mut report);
    check_media(source, &guide, media, &mut report);

    // Every message the bot can show, with where the guide uses it.
    let mut used: BTreeMap<&str, String> = messages::ALL
        .iter()
        .map(|&id| (id, "built into the bot".to_string()))
        .collect();
    for step in &guide.steps {
        used.entry(&step.message).or_insert_with(|| {
            format!(
                "{}:{}: step `{}`",
                source.guide_path.display(),
                step.line,
                step.id
            )
        });
        for choice in &step.choices {
            used.entry(&choice.label).or_insert_with(|| {
                format!(
                    "{}:{}: choice `{}`",
                    source.guide_path.display(),
                    choice.line,
                    choice.id
                )
            });
        }
    }
    for (id, user) in &used {
        for lang in Lang::ALL {
            if locales.has(lang, id) {
                continue;
            }
            match (lang, locales.resolved_lang(lang, id)) {
                (Lang::Hmn, Some(shown)) => report.fallbacks.push(format!(
                    "hmn: `{id}` is missing; readers see it in {shown} ({user})"
                )),
                _ => report.problems.push(format!(
                    "{user}: message `{id}` is missing in locales/{lang}; add it there"
                )),
            }
        }
    }

    // Staff read Vietnamese (English as a fallback): no Hmong needed for their messages.
    for id in staff_messages::ALL {
        for lang in [Lang::Vi, Lang::En] {
            if !locales.has(lang, id) {
                report.problems.push(format!(
                    "staff group: message `{id}` is missing in locales/{lang}; add it there"
                ));
            }
        }
    }
    let args = sample_args();
    for lang in Lang::ALL {
        for id in messages::ALL.iter().chain(staff_messages::ALL) {
            if locales.resolved_lang(lang, id).is_none() {
                continue;
            }
            for error in locales.format_with_errors(lang, id, Some(&args)).1 {
                report
                    .problems
                    .push(format!("{lang}: message `{id}` does not format: {error}"));
            }
        }
        for step in &guide.steps {
            check_screen(source, &guide, &locales, lang, step, &mut report);
        }
    }
    report
}

/// A value for every argument the bot passes to its own messages, to format them all.
fn sample_args() -> FluentArgs<'static> {
    let mut args = progress_args(1, 2);
    for (name, value) in [
        ("hours", "7:30–11:30"),
        ("address", "UBND xã"),
        ("code", "K7P3Q"),
        ("language", "Lus Hmoob"),
        ("commune", "Sơn Vĩ"),
        ("step", "l1-install"),
        ("coverage", "Tiếng Việt: 🔊 3 · 🖼 5"),
        ("section", "level1"),
        ("text", "Mở ứng dụng VNeID."),
        ("voice", "của xã"),
        ("picture", "chưa có"),
        ("kind", "giọng nói"),
        ("done", "vneid_level1"),
        ("problems", "trouble-no-otp"),
        ("name", "Lan"),
        ("outcome", "l2"),
        ("purpose", "land"),
        ("what", "tệp số liệu (CSV)"),
        (
            "reason",
            "Bad Request: not enough rights to send documents to the chat",
        ),
    ] {
        args.set(name, value);
    }
    args.set("steps", 7);
    args.set("minutes", 12);
    args.set("question", 1);
    args.set("days", 7);
    args
}

fn check_screen(
    source: &GuideSource,
    guide: &Guide,
    locales: &Locales,
    lang: Lang,
    step: &crate::guide::model::Step,
    report: &mut Report,
) {
    let at = format!("{}:{}", source.guide_path.display(), step.line);
    let reply = engine::screen(guide, step, true);
    if locales.resolved_lang(lang, &step.message).is_some() {
        for error in locales
            .format_with_errors(lang, &step.message, Some(&sample_args()))
            .1
        {
            report
                .problems
                .push(format!("{at}: step `{}` in {lang}: {error}", step.id));
        }
    }
    let screen = locales.render_with(lang, &reply, Some(&sample_args()));
    let length = screen.text.chars().count();
    if step.picture.is_some() && length > media::MAX_CAPTION && length <= MAX_TEXT {
        report.warnings.push(format!(
            "{at}: step `{}` in {lang} is {length} characters, too long for its picture's              caption ({} at most): the picture goes first, then the text",
            step.id,
            media::MAX_CAPTION
        ));
    }
    if length > MAX_TEXT {
        report.problems.push(format!(
            "{at}: step `{}` in {lang} is {length} characters; Telegram takes at most {MAX_TEXT}: split it",
            step.id
        ));
    }
    for button in &screen.buttons {
        let length = button.label.chars().count();
        if length > MAX_LABEL {
            report.problems.push(format!(
                "{at}: button \"{}\" of step `{}` in {lang} is {length} characters; at most {MAX_LABEL} fit on a phone",
                button.label, step.id
            ));
        }
    }
}

/// Every shipped file is what its name says and within Telegram's limits, and every file a
/// step names is there in Vietnamese (what every language falls back to).
pub fn check_media(source: &GuideSource, guide: &Guide, library: &Library, report: &mut Report) {
    for file in library.files() {
        let at = file.path.display();
        match media::inspect(&file.name, &file.bytes) {
            Ok(format) => {
                if let Some(warning) = media::heavy(format, file.bytes.len()) {
                    report.warnings.push(format!("{at}: {warning}"));
                }
            }
            Err(problem) => report.problems.push(format!("{at}: {problem}")),
        }
    }
    for stray in &library.strays {
        report.problems.push(format!(
            "{}: media go in a folder named by language (vi, hmn, en)",
            stray.display()
        ));
    }
    let guide_path = source.guide_path.display();
    for step in &guide.steps {
        let named = [
            (MediaKind::Picture, &step.picture),
            (MediaKind::Voice, &step.voice),
        ];
        for (kind, name) in named {
            let Some(name) = name else { continue };
            let at = format!("{guide_path}:{}: step `{}`", step.line, step.id);
            if media::Format::of_name(name).map(media::Format::kind) != Some(kind) {
                report.problems.push(format!(
                    "{at}: its {} `{name}` must be {}",
                    kind.as_str(),
                    match kind {
                        MediaKind::Picture => "a .png or .jpg file",
                        MediaKind::Voice => "an .ogg file (Opus)",
                    }
                ));
            } else if library.get(Lang::Vi, name).is_none() {
                report.problems.push(format!(
                    "{at}: its {} `{name}` is not in media/vi/, which every language falls                      back to; add it there",
                    kind.as_str()
                ));
            }
        }
    }
}

/// Ids become button data (`c:<step>:<choice>`): a safe alphabet, and at most 64 bytes.
fn check_ids(source: &GuideSource, guide: &Guide, report: &mut Report) {
    let safe = |id: &str| {
        !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    };
    let guide_path = source.guide_path.display();
    for step in &guide.steps {
        if !safe(&step.id) {
            report.problems.push(format!(
                "{guide_path}:{}: step id `{}` may use only a-z, 0-9, - and _",
                step.line, step.id
            ));
        }
        let mut ids: Vec<(&str, usize)> = step
            .choices
            .iter()
            .map(|c| (c.id.as_str(), c.line))
            .collect();
        if step.kind == StepKind::Commune {
            ids.extend(guide.communes.iter().map(|c| (c.code.as_str(), step.line)));
        }
        for (id, line) in ids {
            if !safe(id) {
                report.problems.push(format!(
                    "{guide_path}:{line}: choice id `{id}` may use only a-z, 0-9, - and _"
                ));
            }
            let data = engine::Action::Choice {
                step: &step.id,
                choice: id,
            }
            .encode();
            if data.len() > MAX_BUTTON_DATA {
                report.problems.push(format!(
                    "{guide_path}:{line}: button data `{data}` is {} bytes; Telegram takes at most {MAX_BUTTON_DATA}: shorten the step or choice id",
                    data.len()
                ));
            }
        }
    }
}

/// Where each message is defined, and which variables it uses.
struct Located {
    path: String,
    line: usize,
    variables: BTreeSet<String>,
}

fn locate_messages(files: &[LocaleFile]) -> BTreeMap<String, BTreeMap<Lang, Located>> {
    let mut found: BTreeMap<String, BTreeMap<Lang, Located>> = BTreeMap::new();
    for file in files {
        let resource = match fluent_syntax::parser::parse(file.source.as_str()) {
            Ok(r) | Err((r, _)) => r,
        };
        for entry in resource.body {
            let ast::Entry::Message(message) = entry else {
                continue;
            };
            let variables = message_variables(&message);
            let id = message.id.name;
            let line = file
                .source
                .lines()
                .position(|l| {
                    l.strip_prefix(id)
                        .is_some_and(|rest| rest.trim_start().starts_with('='))
                })
                .map_or(1, |i| i + 1);
            found.entry(id.to_string()).or_default().insert(
                file.lang,
                Located {
                    path: file.path.display().to_string(),
                    line,
                    variables,
                },
            );
        }
    }
    found
}

fn check_arguments(located: &BTreeMap<String, BTreeMap<Lang, Located>>, report: &mut Report) {
    for (id, by_lang) in located {
        let mut langs = by_lang.iter();
        let Some((first_lang, first)) = langs.next() else {
            continue;
        };
        for (lang, other) in langs {
            if other.variables != first.variables {
                report.problems.push(format!(
                    "{}:{}: message `{id}` uses {} in {lang} but {} in {first_lang}; arguments must be the same in every language",
                    other.path,
                    other.line,
                    show_vars(&other.variables),
                    show_vars(&first.variables),
                ));
            }
        }
    }
}

/// The arguments (`$name`) a message uses, in its value and its attributes.
pub fn message_variables(message: &ast::Message<&str>) -> BTreeSet<String> {
    let mut variables = BTreeSet::new();
    if let Some(value) = &message.value {
        pattern_variables(value, &mut variables);
    }
    for attribute in &message.attributes {
        pattern_variables(&attribute.value, &mut variables);
    }
    variables
}

/// A message's arguments as a translator writes them: `{ $hours }, { $address }`.
pub fn show_vars(vars: &BTreeSet<String>) -> String {
    if vars.is_empty() {
        "no arguments".to_string()
    } else {
        vars.iter()
            .map(|v| format!("{{ ${v} }}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn pattern_variables(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for variant in variants {
                pattern_variables(&variant.value, out);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, out),
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_string());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for arg in &arguments.positional {
                inline_variables(arg, out);
            }
            for arg in &arguments.named {
                inline_variables(&arg.value, out);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    }
}
