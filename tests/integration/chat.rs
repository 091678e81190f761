//! The terminal chat, driven through stdin as a translator or a test script would, against a
//! real database (a SQLite file, or a PostgreSQL database).

use crate::harness;
use crate::harness::{SQLITE, TestDb, find_walk, guide, text};
use dvc_onboard_core::domain::Milestone;
use dvc_onboard_core::i18n::Locales;
use dvc_onboard_core::lang::Lang;
use sqlx::Row;
use std::path::Path;
use std::process::Output;

/// Runs `dvc-onboard args…` in `dir` against the test's database, with `env` on top.
fn run(db: &TestDb, dir: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let db_env = db.env();
    let mut all: Vec<(&str, &str)> = db_env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    all.extend_from_slice(env);
    harness::run(dir, args, stdin, &all)
}

async fn a_hmong_citizen_walks_from_the_start_to_a_portal_log_in(backend: &str) {
    let guide = guide();
    let walk = find_walk(
        &guide,
        "hmn",
        &[
            Milestone::VneidLevel1,
            Milestone::VneidLevel2,
            Milestone::PortalLogin,
        ],
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    // "2" is Lus Hmoob on the language question; then the walk's button numbers.
    let script: String = std::iter::once("2".to_string())
        .chain(walk.presses.iter().map(|n| n.to_string()))
        .map(|l| l + "\n")
        .collect();
    let out = run(&tdb, dir.path(), &["chat"], &script, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);

    // The citizen read Hmong: the last screen is the end step in Hmong.
    let locales = Locales::embedded();
    let end = guide
        .steps
        .iter()
        .find(|s| s.kind == dvc_onboard_core::guide::model::StepKind::End)
        .expect("an end step");
    let end_text = locales.format(Lang::Hmn, &end.message, None);
    assert!(
        stdout.contains(&end_text),
        "the end screen in Hmong is missing:\n{stdout}"
    );
    assert!(stdout.contains(&locales.format(Lang::Hmn, "btn-ask-staff", None)));

    let pool = tdb.pool().await;
    let sessions = sqlx::query(
        "SELECT id, language, outcome, channel, adapter, ended_at, commune FROM sessions",
    )
    .fetch_all(&pool)
    .await
    .expect("sessions");
    assert_eq!(sessions.len(), 1);
    let s = &sessions[0];
    assert_eq!(s.get::<String, _>("language"), "hmn");
    assert_eq!(s.get::<String, _>("outcome"), "portal_login");
    assert_eq!(s.get::<String, _>("channel"), "self_guided");
    assert_eq!(s.get::<String, _>("adapter"), "terminal");
    assert!(s.get::<Option<i64>, _>("ended_at").is_some());
    assert!(s.get::<Option<String>, _>("commune").is_some());

    let rows = sqlx::query("SELECT kind, step FROM events WHERE session_id = $1 ORDER BY id")
        .bind(s.get::<i64, _>("id"))
        .fetch_all(&pool)
        .await
        .expect("events");
    let stored: Vec<(String, Option<String>)> = rows
        .iter()
        .map(|r| (r.get("kind"), r.get("step")))
        .collect();
    // What happened before the session (the language question) belongs to no session.
    let first = walk
        .events
        .iter()
        .position(|(k, _)| k == "session_started")
        .expect("a session starts");
    assert_eq!(stored, walk.events[first..].to_vec());
    assert_eq!(
        walk.milestones,
        vec![
            Milestone::VneidLevel1,
            Milestone::VneidLevel2,
            Milestone::PortalLogin
        ]
    );
    let milestones: Vec<String> =
        sqlx::query_scalar("SELECT detail FROM events WHERE kind = 'milestone' ORDER BY id")
            .fetch_all(&pool)
            .await
            .expect("milestones");
    assert_eq!(milestones, ["vneid_level1", "vneid_level2", "portal_login"]);
}

async fn a_citizen_who_leaves_mid_guide_continues_where_they_were(backend: &str) {
    let guide = guide();
    let walk = find_walk(&guide, "vi", &[Milestone::PortalLogin]);
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let half = walk.presses.len() / 2;
    let first: String = std::iter::once("1".to_string())
        .chain(walk.presses[..half].iter().map(|n| n.to_string()))
        .map(|l| l + "\n")
        .collect();
    let out = run(&tdb, dir.path(), &["chat"], &first, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    // A new process on the same database: the language is not asked again, and the rest of
    // the walk finishes the same session.
    let rest: String = walk.presses[half..]
        .iter()
        .map(|n| format!("{n}\n"))
        .collect();
    let out = run(&tdb, dir.path(), &["chat"], &rest, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let locales = Locales::embedded();
    assert!(
        stdout.contains(&locales.format(Lang::Vi, "welcome-back", None)),
        "{stdout}"
    );
    assert!(
        !stdout.contains(&locales.format(Lang::Vi, "language-prompt", None)),
        "{stdout}"
    );

    let pool = tdb.pool().await;
    let outcomes: Vec<Option<String>> = sqlx::query_scalar("SELECT outcome FROM sessions")
        .fetch_all(&pool)
        .await
        .expect("sessions");
    assert_eq!(outcomes, [Some("portal_login".to_string())]);
}

async fn typed_personal_numbers_are_kept_nowhere(backend: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let numbers = ["012345678901", "0912345678", "123456"];
    let script = format!(
        "3\n{}\n/staff\n{}\n{}\n",
        numbers[0], numbers[1], numbers[2]
    );
    // The most talkative logging, to be sure no log line carries them either.
    let out = run(
        &tdb,
        dir.path(),
        &["chat"],
        &script,
        &[("RUST_LOG", "trace")],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let locales = Locales::embedded();
    for id in ["warn-id-number", "warn-phone-number", "warn-code"] {
        assert!(
            stdout.contains(&locales.format(Lang::En, id, None)),
            "no {id} in:\n{stdout}"
        );
    }
    let mut places = vec![
        ("stdout".to_string(), out.stdout.clone()),
        ("stderr".to_string(), out.stderr.clone()),
    ];
    for entry in std::fs::read_dir(dir.path()).expect("the dir") {
        let path = entry.expect("an entry").path();
        places.push((
            path.display().to_string(),
            std::fs::read(&path).expect("readable"),
        ));
    }
    if backend == SQLITE {
        // The database file, its write-ahead log and the pseudonym key file beside it.
        assert!(
            places.iter().any(|(p, _)| p.ends_with("bot.db")),
            "no database was written"
        );
    } else {
        // PostgreSQL: the key comes from PSEUDONYM_KEY, the rows are on the server.
        places.push(("the PostgreSQL database".to_string(), tdb.contents().await));
    }
    for (place, bytes) in &places {
        for number in numbers {
            let found = bytes.windows(number.len()).any(|w| w == number.as_bytes());
            assert!(!found, "{number} was found in {place}");
        }
    }
    // The typing itself is counted, as a flag.
    let pool = tdb.pool().await;
    let flags: Vec<Option<String>> =
        sqlx::query_scalar("SELECT detail FROM events WHERE kind = 'text_typed' ORDER BY id")
            .fetch_all(&pool)
            .await
            .expect("events");
    assert_eq!(
        flags,
        [
            Some("id_number".into()),
            Some("phone_number".into()),
            Some("code".into())
        ]
    );
}

async fn the_language_can_be_given_up_front_and_input_ends_cleanly(backend: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let out = run(&tdb, dir.path(), &["chat", "--lang", "hmn"], "", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let guide = guide();
    let locales = Locales::embedded();
    let first = locales.format(Lang::Hmn, &guide.start_step().message, None);
    assert!(stdout.contains(&first), "{stdout}");

    let bad = run(&tdb, dir.path(), &["chat", "--lang", "fr"], "", &[]);
    assert!(!bad.status.success());
    assert!(text(&bad.stderr).contains("use vi, hmn or en"));
}

async fn huge_and_strange_input_gets_an_answer(backend: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let huge = "Kuv tsis to taub. ".repeat(2000);
    let script = format!("1\n{huge}\n99\n-1\n\u{0}\u{7}\n🙂🙂🙂\n/nonsense\n");
    let out = run(&tdb, dir.path(), &["chat"], &script, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let hint = Locales::embedded().format(Lang::Vi, "use-buttons", None);
    assert!(stdout.matches(&hint).count() >= 5, "{stdout}");
}

async fn forget_erases_the_citizen_and_keeps_anonymous_counts(backend: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let out = run(&tdb, dir.path(), &["chat"], "2\n1\n/forget\n", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let locales = Locales::embedded();
    assert!(text(&out.stdout).contains(&locales.format(Lang::Hmn, "forgotten", None)));

    let pool = tdb.pool().await;
    let citizens: i64 = sqlx::query_scalar("SELECT count(*) FROM citizens")
        .fetch_one(&pool)
        .await
        .expect("count");
    let dialogues: i64 = sqlx::query_scalar("SELECT count(*) FROM dialogues")
        .fetch_one(&pool)
        .await
        .expect("count");
    let sessions: Vec<String> = sqlx::query_scalar("SELECT citizen FROM sessions")
        .fetch_all(&pool)
        .await
        .expect("sessions");
    assert_eq!((citizens, dialogues), (0, 0));
    assert_eq!(sessions.len(), 1);
    assert!(sessions[0].starts_with("erased-"), "{}", sessions[0]);
    pool.close().await;

    // Back again, the citizen is a stranger: the language is asked again.
    let again = run(&tdb, dir.path(), &["chat"], "", &[]);
    assert!(text(&again.stdout).contains(&locales.format(Lang::Vi, "language-prompt", None)));
}

/// Every branch for citizens the guide once left at a dead end, walked through the real binary in
/// each language: it shows the branch's own screen in that language and ends in the outcome the
/// reports count for it.
#[test]
fn every_branch_ends_in_its_outcome_in_every_language() {
    use Milestone::{ChildApplied, PortalLogin, Referred, VneidLevel2};
    let guide = guide();
    let locales = Locales::embedded();
    let branches: &[(&str, &[Milestone], &str)] = &[
        ("child-register", &[ChildApplied], "child_applied"),
        ("child-get-card", &[Referred], "referred"),
        ("child-self", &[Referred], "referred"),
        ("bp-login", &[VneidLevel2, PortalLogin], "portal_login"),
        ("bp-wait", &[Referred], "referred"),
        ("shared-phone", &[Referred], "referred"),
        ("card-renew", &[Referred], "referred"),
        ("trouble-lost-phone", &[Referred], "referred"),
        ("trouble-locked", &[], "not_created"),
    ];
    for &(via, want, outcome) in branches {
        let message = &guide.step(via).expect("a guide step").message;
        assert_ne!(
            locales.format(Lang::Hmn, message, None),
            locales.format(Lang::Vi, message, None),
            "`{message}` is not written in Hmong"
        );
        for (i, lang) in Lang::ALL.into_iter().enumerate() {
            let walk = harness::find_walk_through(&guide, lang.code(), via, want);
            let script: String = std::iter::once(i + 1)
                .chain(walk.presses.iter().copied())
                .map(|n| format!("{n}\n"))
                .collect();
            let dir = tempfile::tempdir().expect("temp dir");
            let tdb = TestDb::new(SQLITE, dir.path());
            let out = run(&tdb, dir.path(), &["chat"], &script, &[]);
            assert!(out.status.success(), "{}", text(&out.stderr));
            let stdout = text(&out.stdout);
            assert!(
                stdout.contains(&locales.format(lang, message, None)),
                "{via} in {lang:?}: its screen is missing:\n{stdout}"
            );
            let stored: Vec<(String, String)> = tdb.rows("SELECT language, outcome FROM sessions");
            assert_eq!(
                stored,
                [(lang.code().to_string(), outcome.to_string())],
                "{via} in {lang:?}"
            );
        }
    }
}

on_both_backends!(
    a_hmong_citizen_walks_from_the_start_to_a_portal_log_in,
    a_citizen_who_leaves_mid_guide_continues_where_they_were,
    typed_personal_numbers_are_kept_nowhere,
    the_language_can_be_given_up_front_and_input_ends_cleanly,
    huge_and_strange_input_gets_an_answer,
    forget_erases_the_citizen_and_keeps_anonymous_counts,
);

/// `chat | head -1`: once the reader of the output has gone, the chat ends quietly and with
/// success, whether stderr is still open or closed too (`2>&1 | head`), and never panics.
#[test]
fn a_reader_that_goes_away_ends_the_chat_quietly() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command, Stdio};
    for close_stderr in [false, true] {
        let dir = tempfile::tempdir().expect("temp dir");
        let tdb = TestDb::new(SQLITE, dir.path());
        let mut child = Command::new(harness::BIN)
            .arg("chat")
            .envs(tdb.env())
            .env_remove("RUST_LOG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout is piped"))
            .read_line(&mut first)
            .expect("the first line");
        assert!(!first.is_empty());
        // The reader is dropped: stdout is now a pipe nobody reads.
        let stderr = child.stderr.take().expect("stderr is piped");
        let stderr = if close_stderr {
            drop(stderr);
            None
        } else {
            Some(stderr)
        };
        let mut stdin = child.stdin.take().expect("stdin is piped");
        // Every line is a screen to write; a write after the pipe closed fails.
        let _ = stdin.write_all("2\n1\n".repeat(200).as_bytes());
        drop(stdin);
        let status = child.wait().expect("the binary ends");
        let said = stderr.map(|mut e| {
            let mut s = String::new();
            let _ = std::io::Read::read_to_string(&mut e, &mut s);
            s
        });
        assert!(
            status.success(),
            "close_stderr {close_stderr}: {status}, {said:?}"
        );
        assert_eq!(said.unwrap_or_default(), "", "nothing to say on stderr");
    }
}

/// A pseudonym key that is no key is refused before anything starts, with how to make one: one
/// too short, an empty key file (what a power cut while writing could leave), a key file others
/// may read. A key file the bot makes itself is readable by its owner only.
#[test]
fn a_weak_or_exposed_pseudonym_key_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = TestDb::new(SQLITE, dir.path());
    let refused = |env: &[(&str, &str)]| {
        let out = run(&db, dir.path(), &["chat"], "1\n", env);
        assert!(!out.status.success(), "a weak key was accepted");
        text(&out.stderr)
    };
    let short = refused(&[("PSEUDONYM_KEY", "sixteen-chars-ok")]);
    assert!(short.contains("openssl rand -hex 32"), "{short}");

    let empty = dir.path().join("empty.key");
    std::fs::write(&empty, "").expect("an empty key file");
    std::fs::set_permissions(&empty, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let empty = empty.display().to_string();
    let said = refused(&[("PSEUDONYM_KEY_FILE", &empty)]);
    assert!(said.contains("fewer than 32"), "{said}");

    let shared = dir.path().join("shared.key");
    std::fs::write(&shared, "a".repeat(64)).expect("a key file");
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let shared = shared.display().to_string();
    let said = refused(&[("PSEUDONYM_KEY_FILE", &shared)]);
    assert!(said.contains("chmod 600"), "{said}");

    let made = dir.path().join("made.key");
    let made_path = made.display().to_string();
    let out = run(
        &db,
        dir.path(),
        &["chat"],
        "1\n",
        &[("PSEUDONYM_KEY_FILE", &made_path)],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mode = std::fs::metadata(&made)
        .expect("the key file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}
