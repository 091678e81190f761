//! `dvc-onboard check` on the real content, and on copies of it broken the ways editors break
//! things: each is refused with the file, the line and a plain sentence.

use crate::harness::{run, text};
use std::path::{Path, PathBuf};

/// A copy of the real guides/ and locales/ in a temp dir, to break.
struct Copy {
    dir: tempfile::TempDir,
}

impl Copy {
    fn new() -> Copy {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for sub in [
            "guides",
            "locales",
            "locales/vi",
            "locales/hmn",
            "locales/en",
        ] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("mkdir");
            for entry in std::fs::read_dir(root.join(sub)).expect("content dir") {
                let path = entry.expect("entry").path();
                if path.is_file() {
                    std::fs::copy(
                        &path,
                        dir.path().join(sub).join(path.file_name().expect("name")),
                    )
                    .expect("copy");
                }
            }
        }
        Copy { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).expect("readable")
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path(rel), text).expect("writable");
    }

    fn append(&self, rel: &str, text: &str) -> usize {
        let old = self.read(rel);
        let first_new_line = old.lines().count() + 1 + usize::from(!old.ends_with('\n'));
        self.write(
            rel,
            &format!("{old}{}{text}", if old.ends_with('\n') { "" } else { "\n" }),
        );
        first_new_line
    }

    /// Runs check on this copy: (succeeded, stdout, stderr).
    fn check(&self) -> (bool, String, String) {
        let guides = self.path("guides");
        let locales = self.path("locales");
        let out = run(
            self.dir.path(),
            &[
                "check",
                "--guides",
                &guides.display().to_string(),
                "--locales",
                &locales.display().to_string(),
            ],
            "",
            &[],
        );
        (out.status.success(), text(&out.stdout), text(&out.stderr))
    }

    fn start_message(&self) -> String {
        let guide = dvc_onboard_core::guide::Guide::parse(
            &self.read("guides/portal-account.toml"),
            &self.read("guides/communes.toml"),
        )
        .expect("the real guide is valid");
        guide.start_step().message.clone()
    }
}

/// Removes the message `id` (its first line and any indented continuation lines).
fn without_message(ftl: &str, id: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in ftl.lines() {
        if line.starts_with(&format!("{id} =")) || line.starts_with(&format!("{id}=")) {
            skipping = true;
            continue;
        }
        if skipping && (line.starts_with(' ') || line.trim().is_empty()) && !line.trim().is_empty()
        {
            continue;
        }
        skipping = false;
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[test]
fn the_shipped_content_passes() {
    let (ok, stdout, stderr) = Copy::new().check();
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("ok:"), "{stdout}");
}

/// A word the translators' term list avoids is pointed out, with its line and the word to
/// write; the content still passes. A term list that cannot be read is a problem.
#[test]
fn a_word_the_term_list_avoids_is_pointed_out() {
    let copy = Copy::new();
    let line = copy.append(
        "locales/hmn/bot.ftl",
        "extra-note = Lub system tab tom khwv, thov tos.\n",
    );
    let (ok, stdout, stderr) = copy.check();
    assert!(ok, "{stdout}\n{stderr}");
    let path = copy.path("locales/hmn/bot.ftl");
    assert!(
        stdout.contains(&format!(
            "{}:{line}: `tab tom khwv` is avoided for \"busy (the system)\": write `tsis khoom`",
            path.display()
        )),
        "{stdout}"
    );
    assert!(stdout.contains("1 words the term list"), "{stdout}");

    copy.append(
        "locales/terms.toml",
        "[[term]]\nmeaning = \"x\"\nspelling = \"y\"\n",
    );
    let (ok, _, stderr) = copy.check();
    assert!(!ok);
    assert!(stderr.contains("terms.toml"), "{stderr}");
}

#[test]
fn the_built_in_content_passes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(dir.path(), &["check"], "", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn a_dead_end_step_is_refused_with_its_line() {
    let copy = Copy::new();
    let message = copy.start_message();
    let line = copy.append(
        "guides/portal-account.toml",
        &format!("\n[[step]]\nid = \"dead-end\"\nsection = \"start\"\nmessage = \"{message}\"\n"),
    );
    let (ok, _, stderr) = copy.check();
    assert!(!ok);
    let id_line = line + 2;
    assert!(
        stderr.contains(&format!(
            "portal-account.toml:{id_line}: step `dead-end` has no way forward"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("step `dead-end` cannot be reached"),
        "{stderr}"
    );
}

#[test]
fn a_branch_that_never_reaches_an_outcome_is_refused() {
    let copy = Copy::new();
    let guide = copy.read("guides/portal-account.toml");
    // "No card": its only button now leads back to itself instead of to the finish.
    let finish =
        "next = \"finish\", milestone = \"referred\" },\n]\n\n[[step]]\nid = \"phone-own\"";
    assert!(guide.contains(finish), "the guide changed: adapt the test");
    copy.write(
        "guides/portal-account.toml",
        &guide.replace(
            finish,
            "next = \"need-card\" },\n]\n\n[[step]]\nid = \"phone-own\"",
        ),
    );
    let (ok, _, stderr) = copy.check();
    assert!(!ok);
    assert!(
        stderr.contains("step `need-card` is a dead end"),
        "{stderr}"
    );
    assert!(!stderr.contains("step `card` is a dead end"), "{stderr}");
}

#[test]
fn a_choice_to_a_missing_step_and_a_missing_start_are_refused() {
    let copy = Copy::new();
    let guide = copy.read("guides/portal-account.toml");
    let start_line = guide
        .lines()
        .position(|l| l.starts_with("start ="))
        .expect("a start line")
        + 1;
    let broken: String = guide
        .lines()
        .map(|l| {
            if l.starts_with("start =") {
                "start = \"nowhere\"".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    copy.write("guides/portal-account.toml", &broken);
    let (ok, _, stderr) = copy.check();
    assert!(!ok);
    assert!(
        stderr.contains(&format!(
            "portal-account.toml:{start_line}: `start` names step `nowhere`, which does not exist"
        )),
        "{stderr}"
    );
}

#[test]
fn a_message_missing_in_vietnamese_is_refused() {
    let copy = Copy::new();
    let message = copy.start_message();
    let vi = copy.read("locales/vi/guide.ftl");
    copy.write("locales/vi/guide.ftl", &without_message(&vi, &message));
    let (ok, _, stderr) = copy.check();
    assert!(!ok);
    assert!(
        stderr.contains(&format!("message `{message}` is missing in locales/vi")),
        "{stderr}"
    );
}

#[test]
fn a_message_missing_in_hmong_falls_back_and_is_listed() {
    let copy = Copy::new();
    let message = copy.start_message();
    let hmn = copy.read("locales/hmn/guide.ftl");
    copy.write("locales/hmn/guide.ftl", &without_message(&hmn, &message));
    let (ok, stdout, stderr) = copy.check();
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains(&format!(
            "hmn: `{message}` is missing; readers see it in vi"
        )),
        "{stdout}"
    );
}

#[test]
fn an_argument_mismatch_between_locales_is_refused() {
    let copy = Copy::new();
    let hmn = copy.read("locales/hmn/bot.ftl");
    let line = hmn
        .lines()
        .position(|l| l.starts_with("btn-back ="))
        .expect("btn-back")
        + 1;
    let broken = hmn.replace("btn-back = ◀ Rov qab", "btn-back = ◀ Rov qab { $name }");
    copy.write("locales/hmn/bot.ftl", &broken);
    let (ok, _, stderr) = copy.check();
    assert!(!ok);
    assert!(
        stderr.contains(&format!(
            "hmn/bot.ftl:{line}: message `btn-back` uses {{ $name }} in hmn but no arguments in vi; arguments must be the same in every language"
        )),
        "{stderr}"
    );
}

#[test]
fn too_long_labels_screens_and_button_data_are_refused() {
    let copy = Copy::new();
    let long_id = "x".repeat(70);
    copy.append(
        "guides/portal-account.toml",
        &format!(
            "\n[[step]]\nid = \"too-long\"\nsection = \"start\"\nmessage = \"huge-screen\"\nchoices = [{{ id = \"{long_id}\", label = \"long-label\", next = \"too-long\" }}]\n"
        ),
    );
    let huge = "a ".repeat(2100);
    for lang in ["vi", "hmn", "en"] {
        copy.append(
            &format!("locales/{lang}/guide.ftl"),
            &format!(
                "huge-screen = {huge}\nlong-label = This label is far too long for a phone screen\n"
            ),
        );
    }
    let (ok, _, stderr) = copy.check();
    assert!(!ok);
    assert!(
        stderr.contains("step `too-long` in vi is 4199 characters"),
        "{stderr}"
    );
    assert!(
        stderr.contains("characters; Telegram takes at most 4096"),
        "{stderr}"
    );
    assert!(
        stderr.contains("button \"This label is far too long for a phone screen\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("Telegram takes at most 64: shorten"),
        "{stderr}"
    );
}

#[test]
fn a_fluent_syntax_error_is_refused_with_its_line() {
    let copy = Copy::new();
    let line = copy.append("locales/en/guide.ftl", "broken = { $unclosed\n");
    let (ok, _, stderr) = copy.check();
    assert!(!ok);
    assert!(
        stderr.contains(&format!(
            "en/guide.ftl:{line}: this Fluent text does not parse"
        )),
        "{stderr}"
    );
}

impl Copy {
    /// Runs `translations ARGS` on this copy's locales: (succeeded, stdout, stderr).
    fn translations(&self, args: &[&str]) -> (bool, String, String) {
        let locales = self.path("locales").display().to_string();
        let mut all = vec!["translations", "--locales", locales.as_str()];
        all.extend_from_slice(args);
        let out = run(self.dir.path(), &all, "", &[]);
        (out.status.success(), text(&out.stdout), text(&out.stderr))
    }

    /// Every file of the copy's locales, by name, as bytes.
    fn locale_bytes(&self) -> Vec<(String, Vec<u8>)> {
        let mut all = Vec::new();
        for lang in ["vi", "hmn", "en"] {
            let dir = self.path(&format!("locales/{lang}"));
            let mut names: Vec<_> = std::fs::read_dir(&dir)
                .expect("a locale folder")
                .map(|e| e.expect("entry").path())
                .collect();
            names.sort();
            for path in names {
                let bytes = std::fs::read(&path).expect("readable");
                all.push((path.display().to_string(), bytes));
            }
        }
        all
    }
}

/// The rows of an exported CSV, header first, with `id`'s translation (and the Vietnamese it
/// was made from) replaced.
fn with_translation(
    csv_bytes: &[u8],
    id: &str,
    vietnamese: Option<&str>,
    translation: &str,
) -> Vec<u8> {
    let text = std::str::from_utf8(csv_bytes).expect("UTF-8");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(reader.headers().expect("headers"))
        .expect("written");
    for record in reader.records() {
        let record = record.expect("a row");
        let mut row: Vec<String> = record.iter().map(str::to_string).collect();
        if row[0] == id {
            if let Some(vi) = vietnamese {
                row[1] = vi.to_string();
            }
            row[3] = translation.to_string();
        }
        writer.write_record(&row).expect("written");
    }
    writer.into_inner().expect("the CSV")
}

#[test]
fn a_changed_vietnamese_message_makes_its_translations_stale_until_retranslated() {
    let copy = Copy::new();
    let (ok, out, _) = copy.translations(&[]);
    assert!(ok);
    assert!(out.contains("0 stale"), "{out}");

    // The Vietnamese of the approval wait changes: Hmong and English are now stale.
    let vi = copy.read("locales/vi/guide.ftl");
    copy.write(
        "locales/vi/guide.ftl",
        &vi.replace(
            "Chờ duyệt (thường 1 đến 3 ngày).",
            "Chờ duyệt (thường 1 đến 5 ngày).",
        ),
    );
    let (_, out, _) = copy.translations(&[]);
    let line = copy
        .read("locales/hmn/guide.ftl")
        .lines()
        .position(|l| l.starts_with("l1-wait ="))
        .expect("the Hmong message")
        + 1;
    assert!(
        out.contains(&format!("stale: locales/hmn/guide.ftl:{line}: l1-wait"))
            || out.contains(&format!("guide.ftl:{line}: l1-wait")),
        "{out}"
    );
    assert!(out.contains("1 stale"), "{out}");
    let (ok, checked, _) = copy.check();
    assert!(ok, "stale translations are warnings, not problems");
    assert!(
        checked.contains("2 translations were made from a Vietnamese text that has changed"),
        "{checked}"
    );

    // Exported and imported back untouched: every file is byte for byte the same.
    let before = copy.locale_bytes();
    let csv_path = copy.path("hmn.csv");
    let csv_arg = csv_path.display().to_string();
    assert!(copy.translations(&["export", "hmn", "-o", &csv_arg]).0);
    let (ok, said, err) = copy.translations(&["import", "hmn", &csv_arg]);
    assert!(ok, "{err}");
    assert!(said.contains("0 Hmong messages changed"), "{said}");
    assert_eq!(copy.locale_bytes(), before);

    // A translation that breaks an argument of the message is refused, and nothing changes.
    let exported = std::fs::read(&csv_path).expect("the CSV");
    std::fs::write(
        &csv_path,
        with_translation(
            &exported,
            "handoff-opened",
            None,
            "Tos neeg ua haujlwm { $hour }",
        ),
    )
    .expect("written");
    let (ok, _, err) = copy.translations(&["import", "hmn", &csv_arg]);
    assert!(!ok);
    assert!(err.contains("handoff-opened"), "{err}");
    assert_eq!(copy.locale_bytes(), before);

    // The translator's new Hmong for the new Vietnamese: imported, and current again.
    let new_vi = "Chờ duyệt (thường 1 đến 5 ngày).";
    let row_vi = copy
        .read("locales/vi/guide.ftl")
        .split("l1-wait =\n")
        .nth(1)
        .expect("the Vietnamese message")
        .lines()
        .take_while(|l| l.starts_with("    "))
        .map(|l| &l[4..])
        .collect::<Vec<_>>()
        .join("\n");
    assert!(row_vi.starts_with(new_vi));
    let hmn = "Tos kom lawv pom zoo (feem ntau 1 txog 5 hnub).\nThaum tau SMS lawm, mus ua kom koj tus tài khoản siv tau (Kích hoạt).";
    std::fs::write(
        &csv_path,
        with_translation(&exported, "l1-wait", Some(&row_vi), hmn),
    )
    .expect("written");
    let (ok, said, err) = copy.translations(&["import", "hmn", &csv_arg]);
    assert!(ok, "{err}");
    assert!(said.contains("1 Hmong messages changed"), "{said}");
    assert!(
        copy.read("locales/hmn/guide.ftl")
            .contains("    Tos kom lawv pom zoo (feem ntau 1 txog 5 hnub).\n")
    );
    let (_, out, _) = copy.translations(&[]);
    let hmong = out.lines().next().unwrap_or("");
    assert!(
        hmong.contains(" 0 stale, 0 unconfirmed, 0 missing"),
        "{out}"
    );
    let (ok, _, err) = copy.check();
    assert!(ok, "{err}");
}
