//! The real `dvc-onboard run` binary against the fake Bot API server on loopback, with a real
//! SQLite file: what a citizen on a phone would see, and what Telegram would accept.

use crate::harness::{
    BIN, BotProcess, SQLITE, TestDb, count_until, find_walk, free_port, guide, press, say,
};
use dvc_onboard_core::domain::Milestone;
use dvc_onboard_core::i18n::Locales;
use dvc_onboard_core::lang::Lang;
use fake_telegram::{FakeTelegram, Fault, Limits};
use serde_json::Value;
use sqlx::Row;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const TOKEN: &str = "4242:TEST-TOKEN";
const WAIT: Duration = Duration::from_secs(20);

/// Starts the real bot against the fake server.
/// The buttons of the language question: the languages, then text only.
const LANGUAGE_QUESTION: [&str; 4] = [
    "Tiếng Việt",
    "Lus Hmoob",
    "English",
    "📝 Chỉ chữ·Ntawv xwb·Text only",
];

fn start(
    fake: &FakeTelegram,
    db: &TestDb,
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> BotProcess {
    let url = fake.api_url();
    let db_env = db.env();
    let mut all = vec![
        ("TELOXIDE_TOKEN", TOKEN),
        ("TELEGRAM_API_URL", url.as_str()),
    ];
    all.extend(db_env.iter().map(|(k, v)| (*k, v.as_str())));
    all.extend_from_slice(env);
    BotProcess::start(dir, args, &all)
}

async fn fake() -> FakeTelegram {
    let fake = FakeTelegram::start(TOKEN).await;
    // Flood limits are tested on their own; the walks would take minutes under them.
    fake.set_limits(Limits::off());
    fake
}

fn hmn(id: &str) -> String {
    Locales::embedded().format(Lang::Hmn, id, None)
}

async fn a_hmong_citizen_completes_the_guide_on_telegram(backend: &str) {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let bot = start(&fake, &tdb, dir.path(), &[], &[]);
    // Ten digits, as Telegram ids are: a shorter one could turn up by chance in a timestamp.
    let user = 7_431_905_268;

    // /start asks the language whatever the interface language is.
    let first = say(
        &fake,
        user,
        FakeTelegram::with_language(FakeTelegram::command(user, "/start"), "vi"),
    )
    .await;
    let labels: Vec<&str> = first[0].buttons.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(labels, LANGUAGE_QUESTION);
    assert_eq!(first[0].parse_mode.as_deref(), Some("HTML"));

    press(&fake, user, 2).await;
    let walk = find_walk(
        &guide(),
        "hmn",
        &[
            Milestone::VneidLevel1,
            Milestone::VneidLevel2,
            Milestone::PortalLogin,
        ],
    );
    for &n in &walk.presses {
        press(&fake, user, n).await;
    }
    let end = guide()
        .steps
        .iter()
        .find(|s| s.kind == dvc_onboard_core::guide::model::StepKind::End)
        .expect("an end")
        .message
        .clone();
    assert_eq!(
        fake.sent(user).last().map(|s| s.plain.clone()),
        Some(hmn(&end))
    );
    // Every button press was answered, so no phone kept spinning.
    assert_eq!(
        fake.calls_of("answerCallbackQuery").len(),
        walk.presses.len() + 1
    );
    assert!(
        fake.refused().is_empty(),
        "Telegram refused something:\n{}",
        fake.dump()
    );

    let pool = tdb.pool().await;
    let row = sqlx::query("SELECT language, outcome, adapter, channel FROM sessions")
        .fetch_one(&pool)
        .await
        .expect("one session");
    assert_eq!(row.get::<String, _>("language"), "hmn");
    assert_eq!(row.get::<String, _>("outcome"), "portal_login");
    assert_eq!(row.get::<String, _>("adapter"), "telegram");
    assert_eq!(row.get::<String, _>("channel"), "self_guided");
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
        .fetch_one(&pool)
        .await
        .expect("outbox");
    assert_eq!(pending, 0, "every reply was delivered");
    // The Telegram id is nowhere in the database, only its pseudonym.
    let file = tdb.contents().await;
    let id = user.to_string();
    assert!(!file.windows(id.len()).any(|w| w == id.as_bytes()));
    drop(bot);
}

/// A poster's link (`t.me/<bot>?start=poster_meo-vac_hmn`): no language or commune question,
/// and the session counts the commune and the poster. A link tampered with is a plain `/start`.
async fn a_start_link_presets_the_language_the_commune_and_the_source(backend: &str) {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let bot = start(&fake, &tdb, dir.path(), &[], &[]);
    let user = 7_431_905_301;
    let first = say(
        &fake,
        user,
        FakeTelegram::command(user, "/start poster_meo-vac_hmn"),
    )
    .await;
    assert_eq!(first.len(), 1, "no language question");
    assert!(
        first[0].plain.contains(&hmn("safety")),
        "{}",
        first[0].plain
    );
    let next = press(&fake, user, 1).await;
    assert!(
        next.last()
            .is_some_and(|s| s.plain.contains(&hmn("age-ask"))),
        "the commune question is skipped: {next:?}"
    );

    let other = 7_431_905_302;
    let asked = say(
        &fake,
        other,
        FakeTelegram::command(other, "/start poster_meo-vac_hmn_x"),
    )
    .await;
    let labels: Vec<&str> = asked[0].buttons.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(labels, LANGUAGE_QUESTION);

    let pool = tdb.pool().await;
    count_until(
        &pool,
        "SELECT count(*) FROM sessions WHERE commune IS NOT NULL",
        |n| n == 1,
    )
    .await;
    let row = sqlx::query("SELECT language, commune, source FROM sessions")
        .fetch_one(&pool)
        .await
        .expect("one session");
    assert_eq!(row.get::<String, _>("language"), "hmn");
    assert_eq!(row.get::<String, _>("commune"), "meo-vac");
    assert_eq!(row.get::<String, _>("source"), "poster");
    drop(bot);
}

async fn a_killed_bot_continues_where_the_citizen_was(backend: &str) {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let walk = find_walk(&guide(), "vi", &[Milestone::PortalLogin]);
    let user = 1002;
    let half = walk.presses.len() / 2;
    {
        let _bot = start(&fake, &tdb, dir.path(), &[], &[]);
        say(&fake, user, FakeTelegram::command(user, "/start")).await;
        press(&fake, user, 1).await;
        for &n in &walk.presses[..half] {
            press(&fake, user, n).await;
        }
        // Dropped: SIGKILL, no goodbye.
    }
    let starts = fake.calls_of("deleteWebhook").len();
    let _bot = start(&fake, &tdb, dir.path(), &[], &[]);
    // A reply delivered just before the kill may not have been ticked off: the new process
    // sends it again (a duplicate beats a loss). Let that settle before pressing on.
    let pool = tdb.pool().await;
    // It removes any webhook just before it polls.
    fake.wait_until("the new process polls", WAIT, |f| {
        f.calls_of("deleteWebhook").len() > starts
    })
    .await;
    count_until(&pool, "SELECT count(*) FROM outbox", |n| n == 0).await;
    for &n in &walk.presses[half..] {
        press(&fake, user, n).await;
    }
    let outcomes: Vec<Option<String>> = sqlx::query_scalar("SELECT outcome FROM sessions")
        .fetch_all(&pool)
        .await
        .expect("sessions");
    assert_eq!(outcomes, [Some("portal_login".to_string())]);
}

async fn the_same_update_delivered_twice_counts_once(backend: &str) {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let _bot = start(&fake, &tdb, dir.path(), &[], &[]);
    let user = 1003;
    say(&fake, user, FakeTelegram::command(user, "/start")).await;
    press(&fake, user, 1).await;
    let last = fake.sent(user).last().cloned().expect("a screen");
    let (_, ok) = last.buttons[0].clone();
    let mut update = fake.callback(user, &ok, last.message_id);
    update["update_id"] = Value::from(900_000);
    let before = fake.sent(user).len();
    fake.push_raw_update(update.clone());
    fake.push_raw_update(update);
    fake.wait_until("the first delivery is answered", WAIT, |f| {
        f.sent(user).len() > before
    })
    .await;
    // Let the second delivery be handled too, then check it changed nothing.
    say(&fake, user, FakeTelegram::text(user, "xyz")).await;

    let pool = tdb.pool().await;
    let choices: i64 = sqlx::query_scalar("SELECT count(*) FROM events WHERE kind = 'choice'")
        .fetch_one(&pool)
        .await
        .expect("events");
    assert_eq!(choices, 1, "the pressed button, once");
    let screens_for_press = fake.sent(user)[before..]
        .iter()
        .filter(|s| !s.buttons.is_empty())
        .count();
    assert_eq!(
        screens_for_press,
        2,
        "one screen for the press, one for the text:\n{}",
        fake.dump()
    );
}

async fn old_buttons_tampered_data_and_every_kind_of_message_get_an_answer(backend: &str) {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let bot = start(&fake, &tdb, dir.path(), &[], &[]);
    let user = 1004;
    let locales = Locales::embedded();
    let en = |id: &str| locales.format(Lang::En, id, None);
    say(&fake, user, FakeTelegram::command(user, "/start")).await;
    let start = press(&fake, user, 3).await; // English
    let first_screen = start.last().cloned().expect("the first step");
    press(&fake, user, 1).await;

    // A button of the first screen, pressed again later: answered with where the citizen is.
    let (_, old) = first_screen.buttons[0].clone();
    let answer = say(
        &fake,
        user,
        fake.callback(user, &old, first_screen.message_id),
    )
    .await;
    assert_eq!(answer[0].plain, en("stale-button"));

    let answer = say(
        &fake,
        user,
        fake.callback(user, "c:../../etc:passwd", first_screen.message_id),
    )
    .await;
    assert_eq!(answer[0].plain, en("stale-button"));
    let answer = say(
        &fake,
        user,
        fake.callback(user, "\u{0}garbage", first_screen.message_id),
    )
    .await;
    assert_eq!(answer[0].plain, en("stale-button"));

    for (update, expected) in [
        (FakeTelegram::sticker(user), en("media-other")),
        (FakeTelegram::voice(user), en("media-other")),
        (FakeTelegram::video(user), en("media-other")),
        (FakeTelegram::document(user), en("media-other")),
        (FakeTelegram::location(user), en("media-other")),
        (FakeTelegram::unknown_kind(user), en("media-other")),
        (FakeTelegram::unreadable_message(user), en("media-other")),
        (FakeTelegram::photo(user), en("media-photo")),
        (
            FakeTelegram::contact(user, "+84912345678"),
            en("warn-phone-number"),
        ),
        (FakeTelegram::edited_text(user, "hello"), en("edited")),
        (
            FakeTelegram::edited_text(user, "012345678901"),
            en("warn-id-number"),
        ),
        (
            FakeTelegram::text(user, &"very long text ".repeat(400)),
            en("use-buttons"),
        ),
        (
            FakeTelegram::text(user, "<b>not html</b> & more"),
            en("use-buttons"),
        ),
    ] {
        let answer = say(&fake, user, update).await;
        assert_eq!(answer[0].plain, expected);
        assert!(!answer.last().expect("a screen").buttons.is_empty());
    }

    // A group that is not the staff group is not answered.
    let before = fake.calls_of("sendMessage").len();
    fake.push_update(FakeTelegram::group_text(-100_555, user, "hello bot"));
    say(&fake, user, FakeTelegram::text(user, "still here")).await;
    let group_messages = fake.calls_of("sendMessage")[before..]
        .iter()
        .filter(|c| c.params["chat_id"].as_i64() == Some(-100_555))
        .count();
    assert_eq!(group_messages, 0);
    assert!(
        fake.refused().is_empty(),
        "Telegram refused something:\n{}",
        fake.dump()
    );

    let pool = tdb.pool().await;
    let file = tdb.contents().await;
    // Not in the database, and not in the most talkative log either: no number, no text.
    let log = bot.log();
    assert!(log.contains("handled"), "the debug log was written:\n{log}");
    for secret in [
        "912345678",
        "012345678901",
        "very long text",
        "not html",
        "TEST-TOKEN",
    ] {
        assert!(
            !file.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} stored"
        );
        assert!(!log.contains(secret), "{secret} logged");
    }
    let media: Vec<String> =
        sqlx::query_scalar("SELECT detail FROM events WHERE kind = 'media' ORDER BY id")
            .fetch_all(&pool)
            .await
            .expect("events");
    assert_eq!(
        media,
        [
            "sticker", "voice", "video", "document", "location", "other", "other", "photo",
            "contact"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_survive_a_429_burst_in_order() {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(SQLITE, dir.path());
    let _bot = start(&fake, &tdb, dir.path(), &[], &[]);
    let user = 1005;
    say(&fake, user, FakeTelegram::command(user, "/start")).await;
    press(&fake, user, 1).await;
    // Telegram's own limit for one chat, with 429s on top of it.
    fake.set_limits(Limits {
        private: Some(fake_telegram::Rate::new(2, Duration::from_millis(300))),
        ..Limits::off()
    });
    fake.fail_next("sendMessage", 2, Fault::RetryAfter(1));
    let before = fake.sent(user).len();
    let texts = ["one", "two", "three", "four"];
    for t in texts {
        fake.push_update(FakeTelegram::text(user, t));
    }
    // Each text is answered with a hint and the current screen: eight messages.
    fake.wait_until("every reply arrives", WAIT, |f| {
        f.sent(user).len() >= before + 8
    })
    .await;
    let hint = Locales::embedded().format(Lang::Vi, "use-buttons", None);
    let arrived: Vec<bool> = fake.sent(user)[before..]
        .iter()
        .map(|s| s.plain == hint)
        .collect();
    assert_eq!(
        arrived,
        [true, false, true, false, true, false, true, false],
        "in order, none lost"
    );
    let throttled = fake.refused().iter().filter(|c| c.status == 429).count();
    assert!(throttled >= 2, "the burst met 429s:\n{}", fake.dump());
}

/// A dropped connection and a 502 are tried again, with back-off, until the reply is through;
/// an answer teloxide cannot read after Telegram took the message is not sent again, and the
/// log does not quote it (it holds the citizen's name and the text).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_and_unreadable_calls_deliver_each_reply_once() {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(SQLITE, dir.path());
    let bot = start(&fake, &tdb, dir.path(), &[], &[]);
    let user = 1006;
    say(&fake, user, FakeTelegram::command(user, "/start")).await;
    press(&fake, user, 1).await;
    let hint = Locales::embedded().format(Lang::Vi, "use-buttons", None);
    let hints_sent = |f: &FakeTelegram| {
        f.calls_of("sendMessage")
            .iter()
            .filter(|c| c.params["chat_id"].as_i64() == Some(user))
            .filter(|c| c.params["text"].as_str() == Some(hint.as_str()))
            .count()
    };

    fake.fail_next("sendMessage", 1, Fault::Drop);
    fake.fail_next("sendMessage", 1, Fault::Status(502));
    let answer = say(&fake, user, FakeTelegram::text(user, "one")).await;
    assert_eq!(answer.len(), 2, "a hint and the screen, once each");
    assert_eq!(answer[0].plain, hint);
    assert_eq!(hints_sent(&fake), 3, "dropped, 502, then through");

    fake.fail_next("sendMessage", 1, Fault::Unreadable);
    let answer = say(&fake, user, FakeTelegram::text(user, "two")).await;
    assert_eq!(answer.len(), 2, "a hint and the screen, once each");
    assert_eq!(answer[0].plain, hint);
    assert_eq!(hints_sent(&fake), 4, "taken once, not sent again");

    let log = bot.log();
    assert!(log.contains("answer could not be read"), "{log}");
    for quoted in [hint.as_str(), &format!("User{user}")] {
        assert!(!log.contains(quoted), "{quoted} logged:\n{log}");
    }
}

/// Makes every statement of `kind` (`INSERT`, `DELETE`) on `table` fail, as a database that
/// went away would, until `heal_fault`; only for rows where `when` holds, if given.
async fn inject_fault(
    pool: &sqlx::AnyPool,
    backend: &str,
    kind: &str,
    table: &str,
    when: Option<&str>,
) {
    let statements = if backend == SQLITE {
        let when = when.map(|w| format!("WHEN {w}")).unwrap_or_default();
        vec![format!(
            "CREATE TRIGGER injected_fault BEFORE {kind} ON {table} {when} \
             BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
        )]
    } else {
        let when = when.map(|w| format!("WHEN ({w})")).unwrap_or_default();
        vec![
            "CREATE OR REPLACE FUNCTION injected_fault() RETURNS trigger LANGUAGE plpgsql \
             AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$"
                .to_string(),
            format!(
                "CREATE TRIGGER injected_fault BEFORE {kind} ON {table} \
                 FOR EACH ROW {when} EXECUTE FUNCTION injected_fault()"
            ),
        ]
    };
    for sql in statements {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(pool)
            .await
            .expect("the fault is injected");
    }
}

async fn heal_fault(pool: &sqlx::AnyPool, backend: &str, table: &str) {
    let sql = if backend == SQLITE {
        "DROP TRIGGER injected_fault".to_string()
    } else {
        format!("DROP TRIGGER injected_fault ON {table}")
    };
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(pool)
        .await
        .expect("the fault is healed");
}

/// A message the database cannot store yet is answered once it can, without the citizen
/// sending it again, and the citizen is told so meanwhile, in all three languages (theirs is in
/// that database). A message stored whose replies could not be taken off the outbox afterwards
/// is not told as waiting.
async fn a_database_fault_delays_a_message_and_says_so(backend: &str) {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let bot = start(&fake, &tdb, dir.path(), &[], &[]);
    let user = 1007;
    say(&fake, user, FakeTelegram::command(user, "/start")).await;
    press(&fake, user, 2).await; // Hmong
    let locales = Locales::embedded();
    let told: Vec<String> = [Lang::Vi, Lang::Hmn, Lang::En]
        .iter()
        .map(|&lang| locales.format(lang, "busy-later", None))
        .collect();
    let told = told.join("\n\n");
    let pool = tdb.pool().await;

    inject_fault(&pool, backend, "INSERT", "processed_updates", None).await;
    let before = fake.sent(user).len();
    fake.push_update(FakeTelegram::text(user, "not yet"));
    fake.wait_until("the citizen is told", WAIT, |f| f.sent(user).len() > before)
        .await;
    assert_eq!(fake.sent(user)[before].plain, told, "{}", bot.log());
    heal_fault(&pool, backend, "processed_updates").await;
    fake.wait_until("the message is answered after all", WAIT, |f| {
        f.sent(user)[before..]
            .iter()
            .any(|s| s.plain == hmn("use-buttons"))
    })
    .await;
    let texts = count_until(
        &pool,
        "SELECT count(*) FROM events WHERE kind = 'text_typed'",
        |n| n >= 1,
    )
    .await;
    assert_eq!(texts, 1, "stored once");

    // Sent replies cannot be taken off the outbox: they go out again until they can be (the
    // database cannot say they went), but the message itself was stored.
    inject_fault(&pool, backend, "DELETE", "outbox", None).await;
    let before = fake.sent(user).len();
    fake.push_update(FakeTelegram::text(user, "stored"));
    fake.wait_until("the stored message is answered", WAIT, |f| {
        f.sent(user)[before..]
            .iter()
            .any(|s| s.plain == hmn("use-buttons"))
    })
    .await;
    // Long enough for every retry of the update (0.2 + 0.8 + 3.2 s) to have ended in a notice.
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert!(
        fake.sent(user)[before..].iter().all(|s| s.plain != told),
        "a stored message was told as waiting:\n{}",
        bot.log()
    );
    heal_fault(&pool, backend, "outbox").await;
    let left = count_until(&pool, "SELECT count(*) FROM outbox", |n| n == 0).await;
    assert_eq!(left, 0, "the sweep empties the outbox once it can");
    let last = fake.sent(user).last().cloned().expect("a screen");
    assert!(!last.buttons.is_empty(), "the screen came too: {last:?}");
}

/// One citizen's turn fails in the middle of a burst (long polling on SQLite runs a batch in one
/// transaction): the others are stored once each and answered, and the failed one is answered
/// once the database takes it.
async fn a_turn_that_fails_in_a_burst_costs_the_others_nothing(backend: &str) {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let bot = start(&fake, &tdb, dir.path(), &[], &[]);
    let typist = 4000;
    say(&fake, typist, FakeTelegram::command(typist, "/start")).await;
    press(&fake, typist, 2).await;
    let burst: Vec<i64> = (4001..=4030).collect();
    for &user in &burst {
        fake.push_update(FakeTelegram::command(user, "/start"));
    }
    fake.wait_until("every citizen is asked the language", WAIT, |f| {
        burst.iter().all(|&u| !f.sent(u).is_empty())
    })
    .await;
    let pool = tdb.pool().await;
    inject_fault(
        &pool,
        backend,
        "INSERT",
        "events",
        Some("NEW.kind = 'text_typed'"),
    )
    .await;
    let typist_from = fake.sent(typist).len();
    for (n, &user) in burst.iter().enumerate() {
        let language = fake.sent(user)[0].clone();
        fake.push_update(fake.callback(user, &language.buttons[1].1, language.message_id));
        if n == burst.len() / 2 {
            fake.push_update(FakeTelegram::text(typist, "xyz"));
        }
    }
    fake.wait_until("every other citizen has the first step", WAIT, |f| {
        burst.iter().all(|&u| f.sent(u).len() >= 2)
    })
    .await;
    let busy = Locales::embedded().format(Lang::Vi, "busy-later", None);
    fake.wait_until("the typist is told to wait", WAIT, |f| {
        f.sent(typist)[typist_from..]
            .iter()
            .any(|s| s.plain.starts_with(&busy))
    })
    .await;
    heal_fault(&pool, backend, "events").await;
    fake.wait_until("the typist is answered", WAIT, |f| {
        f.sent(typist)[typist_from..]
            .iter()
            .any(|s| s.plain == hmn("use-buttons"))
    })
    .await;
    for &user in &burst {
        assert_eq!(fake.sent(user).len(), 2, "citizen {user}:\n{}", bot.log());
    }
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .expect("a count")
        }
    };
    let chosen = count("SELECT count(*) FROM events WHERE kind = 'session_started'").await;
    let sessions = count("SELECT count(*) FROM sessions").await;
    let typed = count_until(
        &pool,
        "SELECT count(*) FROM events WHERE kind = 'text_typed'",
        |n| n >= 1,
    )
    .await;
    assert_eq!((chosen, sessions, typed), (31, 31, 1), "each stored once");
    if backend == SQLITE {
        assert!(
            bot.log().contains("a turn failed in a batch"),
            "the failure was in a batch"
        );
    }
}

async fn webhook_mode_checks_the_secret_and_answers_after_storing(backend: &str) {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let port = free_port();
    // Telegram posts to the public https address; a proxy in front passes it to the listener.
    let public = "https://bot.example.org/telegram/hook";
    let url = format!("http://127.0.0.1:{port}/telegram/hook");
    let bot = start(
        &fake,
        &tdb,
        dir.path(),
        &["--webhook"],
        &[
            ("WEBHOOK_URL", public),
            ("WEBHOOK_LISTEN", &format!("127.0.0.1:{port}")),
            ("WEBHOOK_SECRET", "s3cret-Token_1"),
        ],
    );
    fake.wait_until("the bot sets its webhook", WAIT, |f| f.webhook().is_some())
        .await;
    assert_eq!(
        fake.webhook(),
        Some((public.to_string(), Some("s3cret-Token_1".to_string())))
    );
    let healthz = || async {
        reqwest::get(format!("http://127.0.0.1:{port}/healthz"))
            .await
            .expect("healthz")
            .status()
            .as_u16()
    };
    assert_eq!(healthz().await, 200);
    // The webhook server serves the metrics too, without the secret (it holds no citizen's data);
    // the gauges once the first sweep, at the start, has set them.
    let mut metrics = String::new();
    for _ in 0..60 {
        metrics = reqwest::get(format!("http://127.0.0.1:{port}/metrics"))
            .await
            .expect("/metrics")
            .text()
            .await
            .expect("a text");
        if metrics.contains("# TYPE dvc_outbox_waiting gauge") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(
        metrics.contains("# TYPE dvc_outbox_waiting gauge"),
        "{metrics}"
    );
    if backend == SQLITE {
        // Another process holds the write lock: updates could not be stored now.
        let pool = tdb.pool().await;
        let mut holder = pool.acquire().await.expect("a connection");
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut *holder)
            .await
            .expect("the write lock");
        // The answer is reused for 2 s: a monitor asking often costs one check.
        assert_eq!(healthz().await, 200, "the last check, reused");
        tokio::time::sleep(Duration::from_millis(2100)).await;
        assert_eq!(healthz().await, 503);
        sqlx::query("ROLLBACK")
            .execute(&mut *holder)
            .await
            .expect("the lock let go");
        tokio::time::sleep(Duration::from_millis(2100)).await;
        assert_eq!(healthz().await, 200);
    }

    let user = 1006;
    let start = fake.prepare(FakeTelegram::command(user, "/start"));
    assert_eq!(FakeTelegram::post_webhook(&url, None, &start).await, 401);
    assert_eq!(
        FakeTelegram::post_webhook(&url, Some("wrong"), &start).await,
        401
    );
    assert!(
        fake.sent(user).is_empty(),
        "a refused request was handled:\n{}",
        fake.dump()
    );

    assert_eq!(
        FakeTelegram::post_webhook(&url, Some("s3cret-Token_1"), &start).await,
        200
    );
    // 200 came after the effects were stored: the citizen exists already.
    let pool = tdb.pool().await;
    let outbox_or_sent = fake.sent(user).len() as i64
        + sqlx::query_scalar::<_, i64>("SELECT count(*) FROM outbox")
            .fetch_one(&pool)
            .await
            .expect("outbox");
    assert!(outbox_or_sent >= 1);
    fake.wait_until("the language question arrives", WAIT, |f| {
        !f.sent(user).is_empty()
    })
    .await;
    // Delivered again by Telegram: acknowledged, not handled twice.
    assert_eq!(
        FakeTelegram::post_webhook(&url, Some("s3cret-Token_1"), &start).await,
        200
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fake.sent(user).len(), 1);

    // A message the bot's library cannot read is answered here too (before a language is
    // chosen, with the language question again).
    let unknown = fake.prepare(FakeTelegram::unreadable_message(user));
    assert_eq!(
        FakeTelegram::post_webhook(&url, Some("s3cret-Token_1"), &unknown).await,
        200
    );
    fake.wait_until("the unknown message is answered", WAIT, |f| {
        f.sent(user).len() >= 2
    })
    .await;
    assert_eq!(fake.sent(user)[1].buttons.len(), 4, "the language question");

    // Telegram gets its 200 once the update is stored, not after its replies (a slow
    // sendMessage here): it does not wait through 429s, nor time out and send it again.
    fake.delay("sendMessage", Duration::from_millis(1500));
    let again = fake.prepare(FakeTelegram::command(user, "/start"));
    assert_eq!(
        FakeTelegram::post_webhook(&url, Some("s3cret-Token_1"), &again).await,
        200
    );
    assert_eq!(
        fake.sent(user).len(),
        2,
        "answered before the reply went out"
    );
    // SIGTERM while that reply is on its way: it goes out before the bot stops.
    assert!(bot.terminate().success(), "SIGTERM ends the bot cleanly");
    assert_eq!(fake.sent(user).len(), 3, "the reply in flight went out");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_polling_cleanly_and_a_missing_token_is_explained() {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(SQLITE, dir.path());
    let bot = start(&fake, &tdb, dir.path(), &[], &[]);
    say(&fake, 1007, FakeTelegram::command(1007, "/start")).await;
    // A reply still on its way when SIGTERM comes is finished first.
    fake.delay("sendMessage", Duration::from_millis(1500));
    fake.push_update(FakeTelegram::command(1007, "/start"));
    let pool = tdb.pool().await;
    count_until(&pool, "SELECT count(*) FROM processed_updates", |n| n >= 2).await;
    let log = bot.log();
    let status = bot.terminate();
    assert!(status.success(), "{log}");
    assert_eq!(fake.sent(1007).len(), 2, "the reply in flight went out");
    // The token and the texts never reach the log.
    let log = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "log"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect::<String>();
    assert!(!log.contains("TEST-TOKEN"), "{log}");

    let out = Command::new(BIN)
        .arg("run")
        .env_remove("TELOXIDE_TOKEN")
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("TELOXIDE_TOKEN is not set"));
}

/// `run` checks its whole configuration before it starts: every problem on a line of its own,
/// exit code 2, and nothing sent to Telegram.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_configuration_is_refused_whole_before_starting() {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let long_hours = "T2–T6 ".repeat(80);
    let out = Command::new(BIN)
        .arg("run")
        .arg("--webhook")
        .current_dir(dir.path())
        .env_remove("PSEUDONYM_KEY")
        .env("TELOXIDE_TOKEN", "not a token")
        .env("TELEGRAM_API_URL", fake.api_url())
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("x.db").display()),
        )
        .env("STAFF_CHAT_ID", "123456789")
        .env("HANDOFF_WAIT_SECS", "0")
        .env("DESK_HOURS", &long_hours)
        .env("LOG_FORMAT", "xml")
        .env("TELEGRAM_PACE", "fast")
        .env("WEBHOOK_URL", "http://bot.example.org/hook")
        .env("WEBHOOK_SECRET", "s3cret")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    for expected in [
        "TELOXIDE_TOKEN is not a bot token",
        "STAFF_CHAT_ID 123456789 is a person's chat",
        "HANDOFF_WAIT_SECS 0 is out of range",
        "DESK_HOURS has 480 characters",
        "LOG_FORMAT is `xml`",
        "TELEGRAM_PACE is `fast`",
        "WEBHOOK_URL must be an https:// address",
    ] {
        let lines = said.lines().filter(|l| l.contains(expected)).count();
        assert_eq!(lines, 1, "{expected:?} once in:\n{said}");
    }
    assert!(
        said.lines()
            .all(|l| l.starts_with("dvc-onboard: configuration: ")),
        "{said}"
    );
    assert!(fake.calls().is_empty(), "nothing reached Telegram");
}

/// A translator's `<`, `>` and `&` reach the citizen as written: every text is escaped whole for
/// Telegram's HTML (the fake refuses what Telegram would not parse).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_translation_with_markup_characters_arrives_as_written() {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(SQLITE, dir.path());
    let locales = dir.path().join("locales");
    for lang in ["vi", "hmn", "en"] {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang);
        let to = locales.join(lang);
        std::fs::create_dir_all(&to).expect("a locale folder");
        for file in ["bot.ftl", "guide.ftl"] {
            std::fs::copy(from.join(file), to.join(file)).expect("a locale file");
        }
    }
    let written = "Bấm <một nút> bên dưới & chờ <b>";
    let bot_ftl = locales.join("vi").join("bot.ftl");
    let text = std::fs::read_to_string(&bot_ftl).expect("bot.ftl");
    let text: String = text
        .lines()
        .map(|l| {
            if l.starts_with("use-buttons =") {
                format!("use-buttons = {written}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&bot_ftl, text).expect("bot.ftl written");
    let locales = locales.display().to_string();
    let bot = start(&fake, &tdb, dir.path(), &[], &[("LOCALES_DIR", &locales)]);
    let user = 1009;
    say(&fake, user, FakeTelegram::command(user, "/start")).await;
    press(&fake, user, 1).await;
    let answer = say(&fake, user, FakeTelegram::text(user, "hello")).await;
    assert_eq!(answer[0].plain, written, "{}", bot.log());
    assert!(fake.refused().is_empty(), "{}", fake.dump());
}

/// `LOG_FORMAT=json`: one JSON object a line, each handled update naming its update id, the
/// citizen's pseudonym and the step; never what the citizen typed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_name_the_update_the_citizen_and_the_step() {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(SQLITE, dir.path());
    let bot = start(&fake, &tdb, dir.path(), &[], &[("LOG_FORMAT", "json")]);
    let user = 1008;
    say(&fake, user, FakeTelegram::command(user, "/start")).await;
    press(&fake, user, 3).await;
    say(
        &fake,
        user,
        FakeTelegram::text(user, "my secret words 0912345678"),
    )
    .await;
    let log = bot.log();
    assert!(bot.terminate().success());
    let lines: Vec<Value> = log
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let handled: Vec<&Value> = lines
        .iter()
        .filter(|l| l["fields"]["message"] == "handled")
        .collect();
    assert_eq!(handled.len(), 3, "{log}");
    for line in &handled {
        let span = &line["span"];
        assert!(span["update_id"].as_u64().is_some(), "{line}");
        let citizen = span["citizen"].as_str().unwrap_or_default();
        assert!(
            citizen.len() >= 16 && citizen.chars().all(|c| c.is_ascii_hexdigit()),
            "a pseudonym: {line}"
        );
        assert!(span["step"].is_string(), "{line}");
    }
    assert_eq!(handled[2]["span"]["step"], handled[1]["span"]["step"]);
    for secret in ["secret words", "0912345678", "912345678"] {
        assert!(!log.contains(secret), "{secret} logged");
    }
}

/// SIGTERM while the bot is still starting (here: waiting for getMe) stops it cleanly too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigterm_while_starting_stops_the_bot_cleanly() {
    let fake = fake().await;
    fake.delay("getMe", Duration::from_millis(1500));
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(SQLITE, dir.path());
    let bot = start(&fake, &tdb, dir.path(), &[], &[]);
    // Opening the database takes a moment; then getMe waits 1.5 s: SIGTERM lands in one or the
    // other.
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(fake.calls_of("getMe").is_empty(), "the bot had started");
    let log = bot.log();
    assert!(bot.terminate().success(), "{log}");
}

async fn commands_menu_forget_and_a_blocked_bot(backend: &str) {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let bot = start(&fake, &tdb, dir.path(), &[], &[]);
    let locales = Locales::embedded();

    // The command menu: Vietnamese by default, English for English interfaces.
    say(&fake, 2001, FakeTelegram::command(2001, "/start")).await;
    let vi: Vec<String> = fake.commands("").into_iter().map(|(c, _)| c).collect();
    assert_eq!(
        vi,
        ["start", "lang", "settings", "help", "restart", "forget"]
    );
    assert_eq!(
        fake.commands("en")[0].1,
        locales.format(Lang::En, "cmd-start", None)
    );

    // /help explains, /lang asks again, /restart starts over without asking the language.
    press(&fake, 2001, 2).await;
    let help = say(&fake, 2001, FakeTelegram::command(2001, "/help")).await;
    assert_eq!(help[0].plain, hmn("help"));
    let lang = say(&fake, 2001, FakeTelegram::command(2001, "/lang")).await;
    assert_eq!(lang[0].buttons.len(), 4, "three languages and text only");
    press(&fake, 2001, 2).await;
    press(&fake, 2001, 1).await; // a step done: restarting now leaves a session behind
    let restart = say(&fake, 2001, FakeTelegram::command(2001, "/restart")).await;
    assert_eq!(
        restart.last().map(|s| s.plain.clone()),
        Some(hmn(&guide().start_step().message))
    );

    // /forget: said in Hmong, and the citizen is a stranger afterwards.
    let before = fake.sent(2001).len();
    let forget = fake.push_update(FakeTelegram::command(2001, "/forget"));
    fake.wait_until("the erasure is confirmed", WAIT, |f| {
        f.sent(2001).len() > before
    })
    .await;
    assert_eq!(fake.sent(2001)[before].plain, hmn("forgotten"));
    if backend == SQLITE {
        // While the bot runs, nothing of the erased pseudonym lingers in the database file's
        // free pages or in its write-ahead log.
        let key = dir.path().join("bot.db.key");
        let pseudonym = dvc_onboard::pseudonym::Pseudonymizer::from_key_file(&key)
            .expect("the key file")
            .pseudonym("telegram", "2001");
        let bytes = tdb.contents().await;
        let found = bytes
            .windows(pseudonym.len())
            .any(|w| w == pseudonym.as_bytes());
        assert!(!found, "the erased pseudonym is still in the file");
    }
    let again = say(&fake, 2001, FakeTelegram::command(2001, "/start")).await;
    assert_eq!(again[0].buttons.len(), 4, "the language is asked again");
    press(&fake, 2001, 3).await; // English, this time
    // The /forget delivered again (Telegram retrying) erases nothing more and says nothing.
    let mut redelivered = FakeTelegram::command(2001, "/forget");
    redelivered["update_id"] = forget.into();
    fake.push_raw_update(redelivered);
    let after = say(&fake, 2001, FakeTelegram::text(2001, "hello")).await;
    let en = |id: &str| locales.format(Lang::En, id, None);
    assert_eq!(after[0].plain, en("use-buttons"), "still known, in English");
    assert_eq!(after.len(), 2, "no second notice: {after:?}");

    // A citizen who blocks the bot: the open session ends as abandoned.
    say(&fake, 2002, FakeTelegram::command(2002, "/start")).await;
    press(&fake, 2002, 1).await;
    fake.push_update(fake.my_chat_member_kicked(2002));
    // And one whose chat refuses a reply (blocked before the bot noticed).
    say(&fake, 2003, FakeTelegram::command(2003, "/start")).await;
    press(&fake, 2003, 1).await;
    fake.fail_next(
        "sendMessage",
        1,
        Fault::Api(403, "Forbidden: bot was blocked by the user".into()),
    );
    fake.push_update(FakeTelegram::text(2003, "hello"));

    let pool = tdb.pool().await;
    let abandoned = count_until(
        &pool,
        "SELECT count(*) FROM sessions WHERE outcome = 'abandoned'",
        |n| n >= 3,
    )
    .await;
    // The restart above, the blocked one, and the refused one.
    assert_eq!(abandoned, 3, "{}", bot.log());
    let erased: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sessions WHERE citizen LIKE 'erased-%'")
            .fetch_one(&pool)
            .await
            .expect("sessions");
    assert_eq!(
        erased, 2,
        "both sessions of the forgotten citizen stay, unlinked"
    );
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
        .fetch_one(&pool)
        .await
        .expect("outbox");
    assert_eq!(left, 0, "nothing waits for a chat that cannot be reached");
}

/// Many citizens' inputs reaching the bot at once (on SQLite, one getUpdates batch goes to the
/// writer thread together): each citizen gets what they would have got alone, in order, and the
/// store holds what each would have left alone. One citizen's `/forget` in the middle of their
/// inputs keeps its place.
async fn a_burst_of_citizens_is_answered_as_if_each_were_alone(backend: &str) {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let bot = start(&fake, &tdb, dir.path(), &[], &[]);
    let texts = |user: i64, from: usize| -> Vec<String> {
        fake.sent(user)[from..]
            .iter()
            .map(|s| s.plain.clone())
            .collect()
    };

    // One citizen alone, one input at a time: what every citizen of the burst should see.
    let alone = 3000;
    say(&fake, alone, FakeTelegram::command(alone, "/start")).await;
    let from = fake.sent(alone).len();
    press(&fake, alone, 2).await;
    say(&fake, alone, FakeTelegram::command(alone, "/help")).await;
    say(&fake, alone, FakeTelegram::text(alone, "xyz")).await;
    let expected = texts(alone, from);

    // Forty citizens, each with three inputs, all queued before the bot can answer any.
    let burst: Vec<i64> = (3001..=3040).collect();
    for &user in &burst {
        fake.push_update(FakeTelegram::command(user, "/start"));
    }
    fake.wait_until("every citizen is asked the language", WAIT, |f| {
        burst.iter().all(|&u| !f.sent(u).is_empty())
    })
    .await;
    let forgetful = 3041;
    say(&fake, forgetful, FakeTelegram::command(forgetful, "/start")).await;
    press(&fake, forgetful, 2).await;
    let forgetful_from = fake.sent(forgetful).len();
    for &user in &burst {
        let language = fake.sent(user)[0].clone();
        let update = fake.callback(user, &language.buttons[1].1, language.message_id);
        fake.push_update(update);
        fake.push_update(FakeTelegram::command(user, "/help"));
        fake.push_update(FakeTelegram::text(user, "xyz"));
        if user == 3020 {
            fake.push_update(FakeTelegram::text(forgetful, "xyz"));
            fake.push_update(FakeTelegram::command(forgetful, "/forget"));
            fake.push_update(FakeTelegram::command(forgetful, "/start"));
        }
    }
    fake.wait_until("every citizen has every answer", WAIT, |f| {
        burst.iter().all(|&u| f.sent(u).len() > expected.len())
            // The text's hint and screen, the erasure, the language question.
            && f.sent(forgetful).len() >= forgetful_from + 4
    })
    .await;
    for &user in &burst {
        assert_eq!(texts(user, 1), expected, "citizen {user}\n{}", bot.log());
    }
    let forgetful_saw = texts(forgetful, forgetful_from);
    assert_eq!(
        forgetful_saw[forgetful_saw.len() - 2..],
        [hmn("forgotten"), hmn("language-prompt")],
        "the erasure after the text, the language asked again after it"
    );

    // The store: every citizen of the burst left the same events as the one alone.
    let pool = tdb.pool().await;
    let rows = sqlx::query("SELECT session_id, kind FROM events ORDER BY id")
        .fetch_all(&pool)
        .await
        .expect("events");
    let mut by_session: std::collections::BTreeMap<i64, Vec<String>> = Default::default();
    for row in rows {
        let session: i64 = row.get("session_id");
        by_session.entry(session).or_default().push(row.get("kind"));
    }
    let walks: Vec<&Vec<String>> = by_session.values().collect();
    // The one alone, the forty, and the forgetful one (whose session stays, unlinked).
    assert_eq!(walks.len(), 42, "one session each");
    assert!(
        walks[0].len() >= 3,
        "a session start, a step, a text: {walks:?}"
    );
    let same = walks.iter().filter(|w| **w == walks[0]).count();
    assert_eq!(same, 42, "all walked like the one alone: {walks:?}");
    // Delivered replies leave the outbox once their batch's deliveries are done.
    let waiting = count_until(&pool, "SELECT count(*) FROM outbox", |n| n == 0).await;
    assert_eq!(waiting, 0, "every reply delivered and removed");
}

/// Makes the database refuse update `id` for as long as it is not parked (parking records it as
/// handled in the same transaction, which the fault then lets through).
async fn poison(pool: &sqlx::AnyPool, backend: &str, id: i64) {
    let statements = if backend == SQLITE {
        vec![format!(
            "CREATE TRIGGER poison BEFORE INSERT ON processed_updates \
             WHEN NEW.update_id = {id} \
             AND NOT EXISTS (SELECT 1 FROM parked_updates WHERE update_id = NEW.update_id) \
             BEGIN SELECT RAISE(ABORT, 'poison'); END"
        )]
    } else {
        vec![
            "CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF NOT EXISTS (SELECT 1 FROM parked_updates WHERE update_id = NEW.update_id) \
             THEN RAISE EXCEPTION 'poison'; END IF; RETURN NEW; END $$"
                .to_string(),
            format!(
                "CREATE TRIGGER poison BEFORE INSERT ON processed_updates FOR EACH ROW \
                 WHEN (NEW.update_id = {id}) EXECUTE FUNCTION poison()"
            ),
        ]
    };
    for sql in statements {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(pool)
            .await
            .expect("the poison is injected");
    }
}

/// The bot in webhook mode on SQLite at `http://127.0.0.1:<port>/hook`, with `secret`, once it
/// has set its webhook.
async fn webhook_bot(dir: &Path, secret: &str) -> (FakeTelegram, TestDb, BotProcess, u16) {
    let fake = fake().await;
    let tdb = TestDb::new(SQLITE, dir);
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let env = [
        ("WEBHOOK_URL", "https://bot.example.org/hook"),
        ("WEBHOOK_LISTEN", listen.as_str()),
        ("WEBHOOK_SECRET", secret),
    ];
    let bot = start(&fake, &tdb, dir, &["--webhook"], &env);
    fake.wait_until("the bot sets its webhook", WAIT, |f| f.webhook().is_some())
        .await;
    (fake, tdb, bot, port)
}

/// In webhook mode, a poison update is answered 500 (Telegram delivers it again) until its
/// third round, then parked and answered 200; `/healthz` counts it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_parks_a_poison_update_and_healthz_counts_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (fake, tdb, _bot, port) = webhook_bot(dir.path(), "poison-Secret_1").await;
    let (url, secret) = (format!("http://127.0.0.1:{port}/hook"), "poison-Secret_1");
    let pool = tdb.pool().await;
    let poisoned = 900_000;
    poison(&pool, SQLITE, poisoned).await;
    let user = 1209;
    let mut update = FakeTelegram::command(user, "/start");
    update["update_id"] = serde_json::json!(poisoned);
    let update = fake.prepare(update);
    let mut answers = Vec::new();
    for _ in 0..3 {
        answers.push(FakeTelegram::post_webhook(&url, Some(secret), &update).await);
    }
    assert_eq!(answers, [500, 500, 200]);
    let health: Value = reqwest::get(format!("http://127.0.0.1:{port}/healthz"))
        .await
        .expect("healthz")
        .json()
        .await
        .expect("a JSON body");
    assert_eq!(health["parked_last_day"], 1, "{health}");
    // Delivered once more (Telegram retrying), it is handled: nothing new, 200.
    assert_eq!(
        FakeTelegram::post_webhook(&url, Some(secret), &update).await,
        200
    );
}

/// The webhook server against what the internet sends it: hundreds of idle connections and
/// half-sent headers, a huge body without the secret and one with it. Real updates are answered
/// in time all along, the bad requests are refused without their bodies being read, and the idle
/// connections are closed once the header time is up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_webhook_server_holds_against_idle_and_oversized_requests() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = tempfile::tempdir().expect("temp dir");
    let (fake, _tdb, _bot, port) = webhook_bot(dir.path(), "hold-Secret_1").await;
    let (url, secret) = (format!("http://127.0.0.1:{port}/hook"), "hold-Secret_1");
    let address = format!("127.0.0.1:{port}");
    let mut idle = Vec::new();
    for n in 0..300 {
        let mut stream = tokio::net::TcpStream::connect(&address)
            .await
            .expect("a connection");
        if n % 3 == 0 {
            // Half a request, then nothing.
            stream
                .write_all(b"POST /hook HTTP/1.1\r\nHost: x\r\n")
                .await
                .expect("half a request");
        }
        idle.push(stream);
    }
    let started = std::time::Instant::now();
    // A huge body without the secret: refused at once, its body never read.
    let mut huge = tokio::net::TcpStream::connect(&address)
        .await
        .expect("a connection");
    huge.write_all(
        b"POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
          Content-Length: 52428800\r\n\r\n",
    )
    .await
    .expect("the headers");
    let mut answer = vec![0u8; 64];
    let read = tokio::time::timeout(Duration::from_secs(5), huge.read(&mut answer))
        .await
        .expect("an answer before the body")
        .expect("readable");
    let answer = String::from_utf8_lossy(&answer[..read]).to_string();
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    // With the secret, a body over 1 MiB is refused for its size, before it is read.
    let mut big = tokio::net::TcpStream::connect(&address)
        .await
        .expect("a connection");
    let headers = format!(
        "POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         X-Telegram-Bot-Api-Secret-Token: {secret}\r\nContent-Length: 2097152\r\n\r\n"
    );
    big.write_all(headers.as_bytes())
        .await
        .expect("the headers");
    let mut answer = vec![0u8; 64];
    let read = tokio::time::timeout(Duration::from_secs(5), big.read(&mut answer))
        .await
        .expect("an answer before the body")
        .expect("readable");
    let answer = String::from_utf8_lossy(&answer[..read]).to_string();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

    // Real updates meanwhile, answered in time.
    for user in [1601, 1602, 1603] {
        let update = fake.prepare(FakeTelegram::command(user, "/start"));
        let sent = std::time::Instant::now();
        assert_eq!(
            FakeTelegram::post_webhook(&url, Some(secret), &update).await,
            200
        );
        // Loose, for a busy machine: what matters is that nothing above holds it up.
        assert!(
            sent.elapsed() < Duration::from_secs(8),
            "{:?}",
            sent.elapsed()
        );
        fake.wait_until("the citizen is answered", WAIT, |f| {
            !f.sent(user).is_empty()
        })
        .await;
    }

    // The idle connections are closed once the header time is up (10 s).
    let mut closed = 0;
    // Every 29th: connections that sent nothing and ones that sent half a request.
    for stream in idle.iter_mut().step_by(29) {
        let mut byte = [0u8; 1];
        let left = Duration::from_secs(25).saturating_sub(started.elapsed());
        if let Ok(Ok(n)) =
            tokio::time::timeout(left.max(Duration::from_secs(1)), stream.read(&mut byte)).await
        {
            closed += usize::from(n == 0 || byte[0] == b'H');
        }
    }
    assert_eq!(closed, 11, "every idle connection sampled was closed");
}

/// After a long outage, screens queued more than an hour ago are not sent (the citizen would get
/// a burst of screens about what they did long ago), while newer ones are.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_screens_are_not_sent_after_an_outage() {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(SQLITE, dir.path());
    let bot = start(&fake, &tdb, dir.path(), &[], &[]);
    let user = 1701;
    say(&fake, user, FakeTelegram::command(user, "/start")).await;
    assert!(bot.terminate().success());
    let pool = tdb.pool().await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock")
        .as_millis() as i64;
    let screen =
        |text: &str| serde_json::json!({ "screen": { "text": text, "buttons": [] } }).to_string();
    for (text, age_ms) in [
        ("from two hours ago", 2 * 3600 * 1000),
        ("from a minute ago", 60_000),
    ] {
        sqlx::query("INSERT INTO outbox (chat_id, body, created_at) VALUES ($1, $2, $3)")
            .bind(user)
            .bind(screen(text))
            .bind(now - age_ms)
            .execute(&pool)
            .await
            .expect("a queued screen");
    }
    pool.close().await;
    let bot = start(&fake, &tdb, dir.path(), &[], &[]);
    fake.wait_until("the recent screen", WAIT, |f| {
        f.sent(user).iter().any(|s| s.plain == "from a minute ago")
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        fake.sent(user)
            .iter()
            .all(|s| s.plain != "from two hours ago"),
        "{}",
        bot.log()
    );
}

/// An update that fails every time (here a fault the database raises for it alone) is parked
/// after a few rounds: recorded without its content, its citizen told once to try again, and
/// the line moves on, so that the 120 citizens who wrote after it (more than one getUpdates
/// brings) are all answered, and so is the citizen's next message.
async fn a_poison_update_is_parked_and_the_line_moves_on(backend: &str) {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let bot = start(&fake, &tdb, dir.path(), &[], &[]);
    let user = 1208;
    say(&fake, user, FakeTelegram::command(user, "/start")).await;
    press(&fake, user, 2).await; // Hmong
    let pool = tdb.pool().await;
    let poisoned = 800_000;
    poison(&pool, backend, poisoned).await;
    let mut update = FakeTelegram::text(user, "xyz");
    update["update_id"] = serde_json::json!(poisoned);
    fake.push_update(update);
    let others: Vec<i64> = (7000..7120).collect();
    for &other in &others {
        fake.push_update(FakeTelegram::command(other, "/start"));
    }
    let parked = hmn("update-parked");
    fake.wait_until(
        "the citizen is told it was set aside",
        Duration::from_secs(60),
        |f| f.sent(user).iter().any(|s| s.plain == parked),
    )
    .await;
    fake.wait_until("everyone behind it is answered", WAIT, |f| {
        others.iter().all(|&o| !f.sent(o).is_empty())
    })
    .await;
    let row = sqlx::query("SELECT kind, error_class FROM parked_updates WHERE update_id = $1")
        .bind(poisoned)
        .fetch_one(&pool)
        .await
        .expect("the parked update is recorded");
    let kind: String = row.get("kind");
    let class: String = row.get("error_class");
    assert_eq!((kind.as_str(), class.as_str()), ("message", "database"));
    let told = fake.sent(user).iter().filter(|s| s.plain == parked).count();
    assert_eq!(told, 1, "told once:\n{}", bot.log());
    let answer = say(&fake, user, FakeTelegram::text(user, "abc")).await;
    assert_eq!(answer[0].plain, hmn("use-buttons"), "{}", bot.log());
}

/// The bot as deployed (its messages paced, its citizens' inputs limited) against a fake that
/// enforces Telegram's flood limits, on SQLite.
async fn as_in_production(dir: &Path) -> (FakeTelegram, TestDb, BotProcess) {
    let fake = FakeTelegram::start(TOKEN).await;
    fake.set_limits(Limits::telegram());
    let tdb = TestDb::new(SQLITE, dir);
    let env = [
        ("TELEGRAM_PACE", "telegram"),
        ("CITIZEN_INPUT_LIMIT", "human"),
    ];
    let bot = start(&fake, &tdb, dir, &[], &env);
    (fake, tdb, bot)
}

/// With Telegram's flood limits enforced by the fake, a citizen who sends five things at once
/// and ten citizens pressing together get every answer without a single 429: the bot keeps
/// inside the limits instead of learning them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_keeps_inside_telegrams_limits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (fake, _tdb, bot) = as_in_production(dir.path()).await;
    let user = 1301;
    fake.push_update(FakeTelegram::command(user, "/start"));
    fake.wait_until("the language question", WAIT, |f| !f.sent(user).is_empty())
        .await;
    for word in ["một", "hai", "ba", "bốn", "năm"] {
        fake.push_update(FakeTelegram::text(user, word));
    }
    let citizens: Vec<i64> = (1400..1410).collect();
    for &c in &citizens {
        fake.push_update(FakeTelegram::command(c, "/start"));
    }
    fake.wait_until("all answers", WAIT, |f| {
        f.sent(user).len() >= 6 && citizens.iter().all(|&c| !f.sent(c).is_empty())
    })
    .await;
    let refused: Vec<_> = fake
        .calls()
        .into_iter()
        .filter(|c| c.status == 429)
        .collect();
    assert!(refused.is_empty(), "429s: {refused:?}\n{}", bot.log());
}

/// A citizen who sends 200 messages at once, under Telegram's limits (enforced by the fake) and
/// the bot's own: a quiet citizen writing meanwhile is answered each time without waiting on the
/// flood (its own pace is about a second; the bound here is loose, for a busy machine: the load
/// bench's `--flood` measures the p99), the flood is cut after a burst and told once to slow
/// down, and nothing meets a 429.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_costs_a_quiet_citizen_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (fake, _tdb, bot) = as_in_production(dir.path()).await;
    let (flooder, quiet) = (1501, 1502);
    fake.push_update(FakeTelegram::command(flooder, "/start"));
    fake.wait_until("the flooder is asked the language", WAIT, |f| {
        !f.sent(flooder).is_empty()
    })
    .await;
    for n in 0..200 {
        fake.push_update(FakeTelegram::text(flooder, &format!("{n}")));
    }
    let mut slowest = Duration::ZERO;
    let started = std::time::Instant::now();
    let before = fake.sent(quiet).len();
    fake.push_update(FakeTelegram::command(quiet, "/start"));
    fake.wait_until("the quiet citizen is answered", WAIT, |f| {
        f.sent(quiet).len() > before
    })
    .await;
    slowest = slowest.max(started.elapsed());
    for n in [2, 1, 1] {
        let started = std::time::Instant::now();
        press(&fake, quiet, n).await;
        slowest = slowest.max(started.elapsed());
    }
    assert!(
        slowest < Duration::from_secs(8),
        "the quiet citizen waited {slowest:?}\n{}",
        bot.log()
    );
    let slow_down = Locales::embedded().format(Lang::Vi, "slow-down", None);
    fake.wait_until("the flooder is told to slow down", WAIT, |f| {
        f.sent(flooder).iter().any(|s| s.plain == slow_down)
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let flooder_got = fake.sent(flooder);
    assert_eq!(
        flooder_got.iter().filter(|s| s.plain == slow_down).count(),
        1,
        "told once"
    );
    assert!(
        flooder_got.len() < 40,
        "{} answers to a flood",
        flooder_got.len()
    );
    let refused: Vec<_> = fake
        .calls()
        .into_iter()
        .filter(|c| c.status == 429)
        .collect();
    assert!(refused.is_empty(), "429s: {refused:?}");
}

on_both_backends!(
    a_start_link_presets_the_language_the_commune_and_the_source,
    a_poison_update_is_parked_and_the_line_moves_on,
    a_hmong_citizen_completes_the_guide_on_telegram,
    a_killed_bot_continues_where_the_citizen_was,
    the_same_update_delivered_twice_counts_once,
    old_buttons_tampered_data_and_every_kind_of_message_get_an_answer,
    webhook_mode_checks_the_secret_and_answers_after_storing,
    commands_menu_forget_and_a_blocked_bot,
    a_burst_of_citizens_is_answered_as_if_each_were_alone,
    a_database_fault_delays_a_message_and_says_so,
    a_turn_that_fails_in_a_burst_costs_the_others_nothing,
);
