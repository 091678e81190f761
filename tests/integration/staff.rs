//! The staff hand-off through the real binary and the fake Bot API server: a case per citizen in
//! the staff group, the relay both ways, the card's buttons, the late notice, `/assist`, and
//! what staff-only things a citizen cannot reach.

use crate::harness::{BotProcess, TestDb};
use dvc_onboard_core::i18n::Locales;
use dvc_onboard_core::lang::Lang;
use fake_telegram::{BotRights, FakeTelegram, Fault, Limits, Sent};
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

const TOKEN: &str = "4343:STAFF-TOKEN";
const STAFF: i64 = -1_001_234_567_890;
const STAFF_USER: i64 = 9001;
const WAIT: Duration = Duration::from_secs(20);

fn start_bot(fake: &FakeTelegram, db: &TestDb, dir: &Path, wait_secs: &str) -> BotProcess {
    let url = fake.api_url();
    let staff = STAFF.to_string();
    let db_env = db.env();
    let mut all = vec![
        ("TELOXIDE_TOKEN", TOKEN),
        ("TELEGRAM_API_URL", url.as_str()),
        ("STAFF_CHAT_ID", staff.as_str()),
        ("HANDOFF_WAIT_SECS", wait_secs),
        ("DESK_HOURS", "7:30-11:30"),
        ("DESK_ADDRESS", "UBND xã Sơn Vĩ"),
    ];
    all.extend(db_env.iter().map(|(k, v)| (*k, v.as_str())));
    BotProcess::start(dir, &[], &all)
}

async fn fake(forum: bool) -> FakeTelegram {
    let fake = FakeTelegram::start(TOKEN).await;
    fake.set_limits(Limits::off());
    fake.add_chat(if forum {
        FakeTelegram::forum_chat(STAFF, "Cán bộ xã Sơn Vĩ")
    } else {
        FakeTelegram::group_chat(STAFF, "Cán bộ xã Sơn Vĩ")
    });
    fake
}

fn text(lang: Lang, id: &str) -> String {
    let locales = Locales::embedded();
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("hours", "7:30-11:30");
    args.set("address", "UBND xã Sơn Vĩ");
    locales.format(lang, id, Some(&args))
}

/// Pushes an update and waits until `chat` has `n` more messages.
async fn push_and_wait(fake: &FakeTelegram, chat: i64, n: usize, update: Value) -> Vec<Sent> {
    let before = fake.sent(chat).len();
    fake.push_update(update);
    fake.wait_until(&format!("{n} new message(s) in chat {chat}"), WAIT, |f| {
        f.sent(chat).len() >= before + n
    })
    .await;
    fake.sent(chat)[before..].to_vec()
}

/// Presses button `n` of the citizen's last screen and waits for the next screen.
async fn press(fake: &FakeTelegram, user: i64, n: usize) -> Vec<Sent> {
    let last = fake.sent(user).last().cloned().expect("a screen");
    let (_, data) = last.buttons[n - 1].clone();
    push_and_wait(fake, user, 1, fake.callback(user, &data, last.message_id)).await
}

/// A citizen who chose Hmong, read the notice, chose Sơn Vĩ, then asked for staff.
async fn citizen_asks_staff(fake: &FakeTelegram, user: i64) -> Vec<Sent> {
    push_and_wait(fake, user, 1, FakeTelegram::command(user, "/start")).await;
    press(fake, user, 2).await; // Lus Hmoob
    press(fake, user, 1).await; // understood
    press(fake, user, 1).await; // Sơn Vĩ
    let last = fake.sent(user).last().cloned().expect("a screen");
    let (_, ask) = last
        .buttons
        .last()
        .cloned()
        .expect("ask staff is the last button");
    assert_eq!(ask, "s");
    push_and_wait(fake, user, 1, fake.callback(user, &ask, last.message_id)).await
}

/// A message of a staff member in the staff group (in a topic when `thread` is set).
fn staff_says(text: &str, thread: Option<i64>, reply_to: Option<i64>) -> Value {
    let mut message = json!({
        "date": 1_790_000_000,
        "chat": FakeTelegram::forum_chat(STAFF, "Cán bộ xã Sơn Vĩ"),
        "from": { "id": STAFF_USER, "is_bot": false, "first_name": "Lan" },
        "text": text,
    });
    if let Some(t) = thread {
        message["message_thread_id"] = json!(t);
        message["is_topic_message"] = json!(true);
    }
    if let Some(r) = reply_to {
        message["reply_to_message"] = json!({ "message_id": r, "date": 1_790_000_000,
            "chat": FakeTelegram::forum_chat(STAFF, "Cán bộ xã Sơn Vĩ") });
    }
    if text.starts_with('/') {
        message["entities"] = json!([{ "type": "bot_command", "offset": 0, "length": text.split(' ').next().map_or(0, str::len) }]);
    }
    json!({ "message": message })
}

/// A staff member pressing a button of a message the bot sent in the staff group.
fn staff_presses(fake: &FakeTelegram, sent: &Sent, data: &str) -> Value {
    let group = FakeTelegram::forum_chat(STAFF, "Cán bộ xã Sơn Vĩ");
    crate::harness::staff_presses(fake, (group, STAFF_USER), sent, data)
}

fn button<'a>(sent: &'a Sent, data_prefix: &str) -> &'a str {
    sent.buttons
        .iter()
        .find(|(_, d)| d.starts_with(data_prefix))
        .map(|(_, d)| d.as_str())
        .unwrap_or_else(|| panic!("no button {data_prefix} on {sent:?}"))
}

async fn a_case_opens_as_a_topic_relays_both_ways_and_closes_with_an_outcome(backend: &str) {
    let fake = fake(true).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let _bot = start_bot(&fake, &tdb, dir.path(), "3600");
    let user = 3001;

    let answer = citizen_asks_staff(&fake, user).await;
    assert_eq!(answer[0].plain, text(Lang::Hmn, "handoff-opened"));
    assert_eq!(answer[0].buttons.len(), 1, "only the way back to the guide");

    // The case: a topic named with a code, the language and the commune; no personal data.
    fake.wait_until("the case card is posted", WAIT, |f| {
        !f.sent(STAFF).is_empty()
    })
    .await;
    let topic = fake.calls_of("createForumTopic");
    assert_eq!(topic.len(), 1);
    let name = topic[0].params["name"]
        .as_str()
        .expect("a name")
        .to_string();
    let code = name
        .trim_start_matches('#')
        .split(' ')
        .next()
        .expect("a code")
        .to_string();
    assert_eq!(name, format!("#{code} · hmn · Sơn Vĩ"));
    let card = fake.sent(STAFF)[0].clone();
    let thread = card.thread_id.expect("the card is in the case's topic");
    for expected in [
        format!("#{code}"),
        "Lus Hmoob".to_string(),
        "Sơn Vĩ".to_string(),
        "Đang ở bước: age".to_string(),
    ] {
        assert!(
            card.plain.contains(&expected),
            "card lacks {expected}: {}",
            card.plain
        );
    }
    let labels: Vec<&str> = card.buttons.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            text(Lang::Vi, "btn-take"),
            text(Lang::Vi, "btn-created"),
            text(Lang::Vi, "btn-not-created"),
            text(Lang::Vi, "btn-to-guide")
        ]
    );

    // The citizen writes and sends a screenshot: both go to the topic; the photo with a reminder.
    push_and_wait(
        &fake,
        STAFF,
        1,
        FakeTelegram::text(user, "Kuv tsis tau txais OTP"),
    )
    .await;
    let photo = push_and_wait(&fake, user, 1, FakeTelegram::photo(user)).await;
    assert_eq!(photo[0].plain, text(Lang::Hmn, "handoff-photo"));
    fake.wait_until("the photo reaches the topic", WAIT, |f| {
        f.sent(STAFF).len() >= 3
    })
    .await;
    let copies = fake.calls_of("copyMessage");
    assert_eq!(copies.len(), 2);
    assert!(
        copies
            .iter()
            .all(|c| c.params["message_thread_id"].as_i64() == Some(thread)
                && c.params["chat_id"].as_i64() == Some(STAFF))
    );
    // A typed ID number is not passed on.
    let warned = push_and_wait(&fake, user, 2, FakeTelegram::text(user, "012345678901")).await;
    assert_eq!(warned[0].plain, text(Lang::Hmn, "warn-id-number"));
    assert_eq!(warned[1].plain, text(Lang::Hmn, "handoff-number"));
    assert_eq!(fake.calls_of("copyMessage").len(), 2);

    // Staff answer in the topic: copied to the citizen, without the staff member's name.
    push_and_wait(
        &fake,
        user,
        1,
        staff_says(
            "Koj puas muaj xov tooj ntawm koj lub npe?",
            Some(thread),
            None,
        ),
    )
    .await;
    let to_citizen = fake.calls_of("copyMessage");
    assert_eq!(
        to_citizen.last().expect("a copy").params["chat_id"].as_i64(),
        Some(user)
    );
    assert_eq!(
        to_citizen.last().expect("a copy").params["from_chat_id"].as_i64(),
        Some(STAFF)
    );

    // Take, then close with the level created.
    push_and_wait(
        &fake,
        STAFF,
        1,
        staff_presses(&fake, &card, button(&card, "h:take:")),
    )
    .await;
    let taken = fake.sent(STAFF).last().cloned().expect("the card, edited");
    assert!(taken.plain.contains("Lan"), "{}", taken.plain);
    push_and_wait(
        &fake,
        STAFF,
        1,
        staff_presses(&fake, &card, button(&card, "h:created:")),
    )
    .await;
    let levels = fake.sent(STAFF).last().cloned().expect("the level buttons");
    let closed = push_and_wait(
        &fake,
        user,
        2,
        staff_presses(&fake, &levels, button(&levels, "h:l2:")),
    )
    .await;
    assert_eq!(closed[0].plain, text(Lang::Hmn, "handoff-closed"));
    assert!(
        !closed[1].buttons.is_empty(),
        "the finish asks what the account is for"
    );
    fake.wait_until("the topic is closed", WAIT, |f| {
        !f.calls_of("closeForumTopic").is_empty()
    })
    .await;

    // After the close the citizen is back with the bot: a button works again.
    let next = press(&fake, user, 1).await;
    assert!(!next.last().expect("a screen").buttons.is_empty());

    let pool = tdb.pool().await;
    let (channel, outcome): (String, String) =
        sqlx::query_as("SELECT channel, outcome FROM sessions")
            .fetch_one(&pool)
            .await
            .expect("one session");
    assert_eq!(
        (channel.as_str(), outcome.as_str()),
        ("staff_remote", "vneid_level2")
    );
    let kinds: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT kind, detail FROM events WHERE kind IN ('handoff_opened','relayed','handoff_taken','staff_answered','staff_closed','handoff_closed') ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .expect("events");
    let names: Vec<&str> = kinds.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "handoff_opened",
            "relayed",
            "relayed",
            "staff_answered",
            "handoff_taken",
            "staff_closed",
            "handoff_closed"
        ]
    );
    // Staff are pseudonyms too.
    let staff_ids: Vec<&str> = kinds
        .iter()
        .filter(|(k, _)| k.starts_with("staff") || k == "handoff_taken")
        .filter_map(|(_, d)| d.as_deref())
        .collect();
    assert!(
        staff_ids
            .iter()
            .all(|d| d.len() == 32 && !d.contains("9001")),
        "{staff_ids:?}"
    );
    let (status, chat): (String, Option<i64>) =
        sqlx::query_as("SELECT status, chat_id FROM handoffs")
            .fetch_one(&pool)
            .await
            .expect("the case");
    assert_eq!(
        (status.as_str(), chat),
        ("closed", None),
        "the chat id is kept only while open"
    );
}

async fn a_case_nobody_takes_is_answered_politely(backend: &str) {
    let fake = fake(true).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let _bot = start_bot(&fake, &tdb, dir.path(), "1");
    let user = 3002;
    citizen_asks_staff(&fake, user).await;
    let late = text(Lang::Hmn, "handoff-late");
    fake.wait_until("the citizen is told staff are late", WAIT, |f| {
        f.sent(user).iter().any(|s| s.plain == late)
    })
    .await;
    fake.wait_until("staff see the case waiting", WAIT, |f| {
        f.sent(STAFF).iter().any(|s| s.plain.starts_with("⏳"))
    })
    .await;
    // Told once, not at every tick.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        fake.sent(user).iter().filter(|s| s.plain == late).count(),
        1
    );
}

async fn staff_things_cannot_be_reached_from_a_citizen_chat(backend: &str) {
    let fake = fake(true).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let _bot = start_bot(&fake, &tdb, dir.path(), "3600");
    let user = 3003;
    citizen_asks_staff(&fake, user).await;
    fake.wait_until("the case card is posted", WAIT, |f| {
        !f.sent(STAFF).is_empty()
    })
    .await;
    let card = fake.sent(STAFF)[0].clone();
    let close = button(&card, "h:none:").to_string();

    // The card's button data, pressed in the citizen's own chat: nothing closes.
    let last = fake.sent(user).last().cloned().expect("a screen");
    let answer = push_and_wait(&fake, user, 1, fake.callback(user, &close, last.message_id)).await;
    assert_eq!(answer[0].plain, text(Lang::Hmn, "handoff-active"));
    let assist = push_and_wait(&fake, user, 1, FakeTelegram::command(user, "/assist")).await;
    assert_eq!(assist[0].plain, text(Lang::Hmn, "staff-only"));

    let pool = tdb.pool().await;
    let status: String = sqlx::query_scalar("SELECT status FROM handoffs")
        .fetch_one(&pool)
        .await
        .expect("case");
    assert_eq!(status, "open");
    // And another citizen's messages never reach this case.
    let other = 3004;
    push_and_wait(&fake, other, 1, FakeTelegram::command(other, "/start")).await;
    push_and_wait(&fake, other, 1, FakeTelegram::text(other, "hello")).await;
    assert!(fake.calls_of("copyMessage").is_empty());
}

async fn assist_logs_an_in_person_session_in_a_few_taps(backend: &str) {
    let fake = fake(true).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let _bot = start_bot(&fake, &tdb, dir.path(), "3600");
    let mut screen = push_and_wait(&fake, STAFF, 1, staff_says("/assist", None, None))
        .await
        .remove(0);
    // Commune, language, outcome, purpose: the first button each time.
    for _ in 0..4 {
        let (_, data) = screen.buttons[1].clone();
        screen = push_and_wait(&fake, STAFF, 1, staff_presses(&fake, &screen, &data))
            .await
            .remove(0);
    }
    assert!(screen.plain.starts_with("✅"), "{}", screen.plain);
    let pool = tdb.pool().await;
    let row: (String, String, String, String, String) =
        sqlx::query_as("SELECT channel, commune, language, outcome, purpose FROM sessions")
            .fetch_one(&pool)
            .await
            .expect("an in-person session");
    assert_eq!(
        row,
        (
            "in_person".into(),
            "meo-vac".into(),
            "hmn".into(),
            "vneid_level2".into(),
            "labour_social".into()
        )
    );
    let staff: String =
        sqlx::query_scalar("SELECT detail FROM events WHERE kind = 'staff_assisted'")
            .fetch_one(&pool)
            .await
            .expect("the staff action");
    assert_eq!(staff.len(), 32);
}

async fn without_topics_staff_answer_by_replying_to_the_card(backend: &str) {
    let fake = fake(false).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let _bot = start_bot(&fake, &tdb, dir.path(), "3600");
    let user = 3005;
    citizen_asks_staff(&fake, user).await;
    fake.wait_until("the case card is posted", WAIT, |f| {
        !f.sent(STAFF).is_empty()
    })
    .await;
    let card = fake.sent(STAFF)[0].clone();
    assert_eq!(card.thread_id, None);
    fake.push_update(FakeTelegram::text(user, "pab kuv"));
    // The group may hear of the case first (its card, the notice that it has no topics).
    fake.wait_until("the message is copied to the group", WAIT, |f| {
        !f.calls_of("copyMessage").is_empty()
    })
    .await;
    let copy = fake.calls_of("copyMessage").pop().expect("a copy");
    assert_eq!(
        copy.params["reply_parameters"]["message_id"].as_i64(),
        Some(card.message_id)
    );
    // A reply to the card reaches the citizen; a message replying to nothing does not.
    push_and_wait(
        &fake,
        user,
        1,
        staff_says("Peb yuav pab koj", None, Some(card.message_id)),
    )
    .await;
    let before = fake.calls_of("copyMessage").len();
    fake.push_update(staff_says("unrelated chat among staff", None, None));
    push_and_wait(
        &fake,
        user,
        1,
        staff_says("one more", None, Some(card.message_id)),
    )
    .await;
    assert_eq!(fake.calls_of("copyMessage").len(), before + 1);
}

async fn typing_for_help_opens_a_case_and_a_deleted_topic_is_replaced(backend: &str) {
    let fake = fake(true).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let _bot = start_bot(&fake, &tdb, dir.path(), "3600");
    let user = 3006;
    push_and_wait(&fake, user, 1, FakeTelegram::command(user, "/start")).await;
    press(&fake, user, 2).await;
    let answer = push_and_wait(&fake, user, 1, FakeTelegram::text(user, "Thov pab kuv")).await;
    assert_eq!(answer[0].plain, text(Lang::Hmn, "handoff-opened"));
    fake.wait_until("the case card is posted", WAIT, |f| {
        !f.sent(STAFF).is_empty()
    })
    .await;
    let first_thread = fake.sent(STAFF)[0].thread_id.expect("a topic");

    // Staff delete the topic; the citizen's next message opens a new one instead of vanishing.
    let url = format!("{}bot{TOKEN}/deleteForumTopic", fake.api_url());
    let deleted = reqwest::Client::new()
        .post(url)
        .json(&json!({ "chat_id": STAFF, "message_thread_id": first_thread }))
        .send()
        .await
        .expect("the fake answers");
    assert!(deleted.status().is_success());
    fake.push_update(FakeTelegram::text(user, "Koj nyob qhov twg?"));
    fake.wait_until("a new topic carries the message", WAIT, |f| {
        f.calls_of("copyMessage").iter().any(|c| {
            c.status == 200 && c.params["message_thread_id"].as_i64() != Some(first_thread)
        })
    })
    .await;
    assert_eq!(
        fake.calls_of("createForumTopic")
            .iter()
            .filter(|c| c.status == 200)
            .count(),
        2
    );
}

async fn report_in_the_staff_group_sends_a_summary_the_files_and_the_chart(backend: &str) {
    let fake = fake(true).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let _bot = start_bot(&fake, &tdb, dir.path(), "3600");
    let user = 3007;
    push_and_wait(&fake, user, 1, FakeTelegram::command(user, "/start")).await;
    press(&fake, user, 2).await;

    let summary = push_and_wait(&fake, STAFF, 4, staff_says("/report", None, None)).await;
    assert!(!summary[0].plain.is_empty() && summary[0].plain.chars().count() <= 4096);
    let documents = fake.calls_of("sendDocument");
    let photos = fake.calls_of("sendPhoto");
    assert_eq!((documents.len(), photos.len()), (2, 1), "{}", fake.dump());
    assert!(
        documents.iter().all(|d| d.status == 200) && photos[0].status == 200,
        "{}",
        fake.dump()
    );
    let names: Vec<String> = fake.uploads().into_iter().map(|u| u.name).collect();
    assert!(names.iter().any(|n| n.ends_with(".docx")), "{names:?}");
    assert!(names.iter().any(|n| n.ends_with(".xlsx")), "{names:?}");

    // A period staff mistyped is explained, in Vietnamese.
    let before = fake.calls_of("sendDocument").len();
    let answer = push_and_wait(&fake, STAFF, 1, staff_says("/report 2026-Q9", None, None)).await;
    assert!(!answer[0].plain.is_empty());
    assert_eq!(fake.calls_of("sendDocument").len(), before);
}

/// A `/report` whose file the group refuses (the bot may not send documents there) is answered
/// with what could be sent and a plain word on what could not; the 150 citizens who write after
/// it are all answered (a staff update failing again and again held every one of them up).
async fn a_refused_report_holds_up_no_citizen(backend: &str) {
    let fake = fake(true).await;
    fake.set_bot_rights(
        STAFF,
        BotRights {
            send_documents: false,
            ..BotRights::all()
        },
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let bot = start_bot(&fake, &tdb, dir.path(), "3600");
    let before = fake.sent(STAFF).len();
    fake.push_update(staff_says("/report", None, None));
    let citizens: Vec<i64> = (5000..5150).collect();
    for &user in &citizens {
        fake.push_update(FakeTelegram::command(user, "/start"));
    }
    fake.wait_until("every citizen is answered", WAIT, |f| {
        citizens.iter().all(|&user| !f.sent(user).is_empty())
    })
    .await;
    // The summary, the chart, and a word on each refused file.
    fake.wait_until("the report's answer", WAIT, |f| {
        f.sent(STAFF).len() >= before + 4
    })
    .await;
    let said: Vec<String> = fake.sent(STAFF)[before..]
        .iter()
        .map(|s| s.plain.clone())
        .collect();
    for file in ["Word", "Excel"] {
        assert!(
            said.iter()
                .any(|s| s.contains(file) && s.contains("not enough rights")),
            "no word on the refused {file} file: {said:?}"
        );
    }
    assert_eq!(
        fake.calls_of("sendPhoto").last().map(|c| c.status),
        Some(200)
    );
    let parked: i64 = sqlx::query_scalar("SELECT count(*) FROM parked_updates")
        .fetch_one(&tdb.pool().await)
        .await
        .expect("a count");
    assert_eq!(
        parked,
        0,
        "a refusal is no failure of the update:\n{}",
        bot.log()
    );
}

/// Telegram refuses to copy one citizen's message (deleted before it was copied) and another's
/// photo (the group forbids photos): each is told, in their language, and the relays behind
/// them, theirs and another citizen's, still reach their topics.
async fn a_refused_relay_holds_up_no_other_case(backend: &str) {
    let fake = fake(true).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let bot = start_bot(&fake, &tdb, dir.path(), "3600");
    let (first, second) = (3101, 3102);
    citizen_asks_staff(&fake, first).await;
    citizen_asks_staff(&fake, second).await;
    fake.wait_until("two topics", WAIT, |f| {
        f.calls_of("createForumTopic").len() == 2 && f.sent(STAFF).len() >= 2
    })
    .await;
    let topic_of = |f: &FakeTelegram, code_of: i64| -> Option<i64> {
        // The card in each topic names the case; the first card is the first citizen's.
        let cards: Vec<Sent> = f
            .sent(STAFF)
            .into_iter()
            .filter(|s| s.buttons.iter().any(|(_, d)| d.starts_with("h:take:")))
            .collect();
        cards
            .get(usize::from(code_of == second))
            .and_then(|c| c.thread_id)
    };
    let first_topic = topic_of(&fake, first).expect("the first case's topic");
    let second_topic = topic_of(&fake, second).expect("the second case's topic");

    fake.fail_next(
        "copyMessage",
        1,
        Fault::Api(400, "Bad Request: message to copy not found".into()),
    );
    let told = push_and_wait(&fake, first, 1, FakeTelegram::text(first, "tôi xoá rồi")).await;
    assert_eq!(
        told[0].plain,
        text(Lang::Hmn, "relay-refused"),
        "{}",
        bot.log()
    );
    let relayed = push_and_wait(&fake, STAFF, 1, FakeTelegram::text(second, "xin chào")).await;
    assert_eq!(relayed[0].thread_id, Some(second_topic));
    assert_eq!(relayed[0].plain, "xin chào");
    let again = push_and_wait(&fake, STAFF, 1, FakeTelegram::text(first, "lần nữa")).await;
    assert_eq!(again[0].thread_id, Some(first_topic));

    // A photo the group forbids: the citizen is asked to show it at the desk.
    fake.set_bot_rights(
        STAFF,
        BotRights {
            send_photos: false,
            ..BotRights::all()
        },
    );
    let before = fake.sent(first).len();
    fake.push_update(FakeTelegram::photo(first));
    fake.wait_until("the photo's refusal is told", WAIT, |f| {
        f.sent(first)[before..]
            .iter()
            .any(|s| s.plain == text(Lang::Hmn, "relay-refused-photo"))
    })
    .await;
    let after = push_and_wait(&fake, STAFF, 1, FakeTelegram::text(second, "còn đó không")).await;
    assert_eq!(after[0].thread_id, Some(second_topic));
    // A sent reply leaves the outbox a moment after Telegram has it.
    let pool = tdb.pool().await;
    let mut waiting = -1;
    for _ in 0..200 {
        waiting = sqlx::query_scalar("SELECT count(*) FROM outbox")
            .fetch_one(&pool)
            .await
            .expect("a count");
        if waiting == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(waiting, 0, "nothing refused stays queued:\n{}", fake.dump());
}

/// A forum whose bot may not manage topics: the bot says so at start, in plain words, and posts
/// each case as a card that staff reply to.
async fn a_group_without_the_topic_right_gets_cards(backend: &str) {
    let fake = fake(true).await;
    fake.set_bot_rights(
        STAFF,
        BotRights {
            manage_topics: false,
            ..BotRights::all()
        },
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let bot = start_bot(&fake, &tdb, dir.path(), "3600");
    let user = 3201;
    citizen_asks_staff(&fake, user).await;
    fake.wait_until("the case's card", WAIT, |f| !f.sent(STAFF).is_empty())
        .await;
    let card = fake.sent(STAFF)[0].clone();
    assert!(card.buttons.iter().any(|(_, d)| d.starts_with("h:take:")));
    assert_eq!(card.thread_id, None, "a card in the group, not in a topic");
    assert!(
        bot.log().contains("Manage Topics"),
        "the log says which switch: {}",
        bot.log()
    );
    // The citizen's messages follow the card (once it is stored as posted), and staff answer
    // by replying to it.
    let relayed = push_and_wait(&fake, STAFF, 1, FakeTelegram::text(user, "pab kuv")).await;
    assert_eq!(relayed[0].thread_id, None);
    let before = fake.sent(user).len();
    fake.push_update(staff_says("Chào bạn", None, Some(card.message_id)));
    fake.wait_until("staff's answer reaches the citizen", WAIT, |f| {
        f.sent(user).len() > before
    })
    .await;
    assert_eq!(fake.sent(user)[before].plain, "Chào bạn");
}

/// A staff group the bot cannot post in at all (removed from it): the cases cannot be posted,
/// and the citizens still hear, once, that nobody has taken theirs.
async fn a_group_that_refuses_every_post_still_lets_citizens_know(backend: &str) {
    let fake = FakeTelegram::start(TOKEN).await;
    fake.set_limits(Limits::off());
    // The staff group is unknown to Telegram: every call there is refused.
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let bot = start_bot(&fake, &tdb, dir.path(), "1");
    let users = [3301, 3302];
    for user in users {
        citizen_asks_staff(&fake, user).await;
    }
    let late = text(Lang::Hmn, "handoff-late");
    fake.wait_until(
        "both citizens hear that nobody took their case",
        WAIT,
        |f| {
            users
                .iter()
                .all(|&u| f.sent(u).iter().any(|s| s.plain == late))
        },
    )
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    for user in users {
        let told = fake.sent(user).iter().filter(|s| s.plain == late).count();
        assert_eq!(told, 1, "told once:\n{}", bot.log());
    }
    assert!(
        bot.log().contains("the bot cannot see the group"),
        "{}",
        bot.log()
    );
}

/// During a hand-off, a photo captioned with a card number reaches staff without its caption, a
/// contact card sent as a file, a phone number typed in full-width digits and one Telegram
/// marks as a phone number do not reach them at all, and the citizen is warned each time; a caption with nothing personal goes as written.
async fn a_number_in_a_caption_or_a_contact_card_never_reaches_staff(backend: &str) {
    let fake = fake(true).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let bot = start_bot(&fake, &tdb, dir.path(), "3600");
    let user = 3401;
    citizen_asks_staff(&fake, user).await;
    fake.wait_until("the case is posted", WAIT, |f| !f.sent(STAFF).is_empty())
        .await;

    let mut photo = FakeTelegram::photo(user);
    photo["message"]["caption"] = json!("CCCD 012345678901");
    // The warning, then the reminder that goes with every photo.
    let warned = push_and_wait(&fake, user, 2, photo).await;
    assert_eq!(warned[0].plain, text(Lang::Hmn, "warn-id-number"));
    fake.wait_until("the photo reaches staff", WAIT, |f| {
        f.sent(STAFF).iter().any(|s| s.method == "copymessage")
    })
    .await;
    let copy = fake
        .sent(STAFF)
        .into_iter()
        .find(|s| s.method == "copymessage")
        .expect("a copy");
    assert_eq!(copy.plain, "", "the caption is not passed on: {copy:?}");

    let mut card = FakeTelegram::document(user);
    card["message"]["document"]["file_name"] = json!("me.vcf");
    card["message"]["document"]["mime_type"] = json!("text/vcard");
    // The warning, then "not passed on: show it at the desk", each time.
    let warned = push_and_wait(&fake, user, 2, card).await;
    assert_eq!(warned[0].plain, text(Lang::Hmn, "warn-phone-number"));
    let typed = FakeTelegram::text(user, "０９１２ ３４５ ６７８");
    let warned = push_and_wait(&fake, user, 2, typed).await;
    assert_eq!(warned[0].plain, text(Lang::Hmn, "warn-phone-number"));
    // A foreign number in a sentence is no number to the classifier; Telegram marks it.
    let mut marked = FakeTelegram::text(user, "hu rau +1 555 0100");
    marked["message"]["entities"] = json!([{ "type": "phone_number", "offset": 7, "length": 11 }]);
    let warned = push_and_wait(&fake, user, 2, marked).await;
    assert_eq!(warned[0].plain, text(Lang::Hmn, "warn-phone-number"));

    let mut photo = FakeTelegram::photo(user);
    photo["message"]["caption"] = json!("màn hình báo lỗi năm 2024");
    fake.push_update(photo);
    fake.wait_until("the second photo reaches staff", WAIT, |f| {
        f.sent(STAFF)
            .iter()
            .filter(|s| s.method == "copymessage")
            .count()
            == 2
    })
    .await;
    let copies: Vec<String> = fake
        .sent(STAFF)
        .into_iter()
        .filter(|s| s.method == "copymessage")
        .map(|s| s.plain)
        .collect();
    assert_eq!(copies, ["", "màn hình báo lỗi năm 2024"], "{}", bot.log());
}

/// Staff actions count once: the last button of `/assist` tapped twice is one desk visit, a
/// close tapped twice is one close, and a pin in the case's topic is no answer.
async fn staff_actions_count_once(backend: &str) {
    let fake = fake(true).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let bot = start_bot(&fake, &tdb, dir.path(), "3600");
    let mut screen = push_and_wait(&fake, STAFF, 1, staff_says("/assist", None, None))
        .await
        .remove(0);
    // The bot made its database by now.
    let pool = tdb.pool().await;
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            let n: i64 = sqlx::query_scalar(sql)
                .fetch_one(&pool)
                .await
                .expect("a count");
            n
        }
    };
    for _ in 0..3 {
        let (_, data) = screen.buttons[1].clone();
        screen = push_and_wait(&fake, STAFF, 1, staff_presses(&fake, &screen, &data))
            .await
            .remove(0);
    }
    let (_, last) = screen.buttons[1].clone();
    fake.push_update(staff_presses(&fake, &screen, &last));
    push_and_wait(&fake, STAFF, 1, staff_presses(&fake, &screen, &last)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        count("SELECT count(*) FROM sessions WHERE channel = 'in_person'").await,
        1,
        "{}",
        bot.log()
    );

    let user = 3501;
    citizen_asks_staff(&fake, user).await;
    let is_card = |s: &Sent| s.buttons.iter().any(|(_, d)| d.starts_with("h:take:"));
    fake.wait_until("the case's card", WAIT, |f| {
        f.sent(STAFF).iter().any(is_card)
    })
    .await;
    let card = fake.sent(STAFF).into_iter().find(is_card).expect("a card");
    let thread = card.thread_id.expect("a topic");
    // A pin in the topic: a service message, no answer, nothing sent to the citizen.
    let mut pin = staff_says("", Some(thread), None);
    pin["message"]
        .as_object_mut()
        .expect("a message")
        .remove("text");
    pin["message"]["pinned_message"] = json!({ "message_id": card.message_id, "date": 1_790_000_000,
        "chat": FakeTelegram::forum_chat(STAFF, "Cán bộ xã Sơn Vĩ"), "text": "card" });
    let before = fake.sent(user).len();
    fake.push_update(pin);
    let levels = push_and_wait(
        &fake,
        STAFF,
        1,
        staff_presses(&fake, &card, button(&card, "h:created:")),
    )
    .await;
    let level1 = button(&levels[0], "h:l1:").to_string();
    fake.push_update(staff_presses(&fake, &levels[0], &level1));
    fake.push_update(staff_presses(&fake, &levels[0], &level1));
    fake.wait_until("the citizen hears the case is closed", WAIT, |f| {
        f.sent(user)[before..]
            .iter()
            .any(|s| s.plain == text(Lang::Hmn, "handoff-closed"))
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        count("SELECT count(*) FROM events WHERE kind = 'staff_closed'").await,
        1
    );
    assert_eq!(
        count("SELECT count(*) FROM events WHERE kind = 'staff_answered'").await,
        0,
        "a pin is no answer"
    );
    let closed = fake.sent(user)[before..]
        .iter()
        .filter(|s| s.plain == text(Lang::Hmn, "handoff-closed"))
        .count();
    assert_eq!(closed, 1, "{}", bot.log());
}

/// A citizen who erases their data (`/forget`) while their case is open: the case closes, its
/// topic (and what they sent in it) is removed and the group told; where Telegram refuses the
/// removal, staff are asked in the topic to delete its messages.
async fn forget_during_a_case_closes_it_and_removes_its_topic(backend: &str) {
    let fake = fake(true).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let bot = start_bot(&fake, &tdb, dir.path(), "3600");
    let is_card = |s: &Sent| s.buttons.iter().any(|(_, d)| d.starts_with("h:take:"));
    let case_of = |fake: &FakeTelegram, n: usize| -> (String, i64) {
        let card = fake
            .sent(STAFF)
            .into_iter()
            .filter(is_card)
            .nth(n)
            .expect("a card");
        let code = button(&card, "h:take:")
            .trim_start_matches("h:take:")
            .to_string();
        (code, card.thread_id.expect("a topic"))
    };
    let forgotten = text(Lang::Hmn, "forgotten");

    let (first, second) = (3601, 3602);
    citizen_asks_staff(&fake, first).await;
    fake.wait_until("the first card", WAIT, |f| {
        f.sent(STAFF).iter().any(is_card)
    })
    .await;
    push_and_wait(&fake, STAFF, 1, FakeTelegram::text(first, "pab kuv")).await;
    let (code, thread) = case_of(&fake, 0);
    push_and_wait(&fake, first, 1, FakeTelegram::command(first, "/forget")).await;
    assert_eq!(
        fake.sent(first).last().map(|s| s.plain.clone()),
        Some(forgotten.clone())
    );
    fake.wait_until("staff are told", WAIT, |f| {
        f.sent(STAFF)
            .iter()
            .any(|s| s.thread_id.is_none() && s.plain.contains(&code))
    })
    .await;
    let removed = fake.calls_of("deleteForumTopic");
    assert_eq!(removed.len(), 1, "{}", bot.log());
    assert_eq!(removed[0].params["message_thread_id"], json!(thread));
    let pool = tdb.pool().await;
    let row: (String, Option<i64>) =
        sqlx::query_as("SELECT status, chat_id FROM handoffs WHERE code = $1")
            .bind(&code)
            .fetch_one(&pool)
            .await
            .expect("the case");
    assert_eq!(row, ("closed".to_string(), None));

    // Where Telegram refuses to remove the topic, staff are asked to, in the topic.
    citizen_asks_staff(&fake, second).await;
    fake.wait_until("the second card", WAIT, |f| {
        f.sent(STAFF).iter().filter(|s| is_card(s)).count() == 2
    })
    .await;
    let (code, thread) = case_of(&fake, 1);
    fake.fail_next(
        "deleteForumTopic",
        1,
        Fault::Api(
            400,
            "Bad Request: not enough rights to delete the topic".into(),
        ),
    );
    push_and_wait(&fake, second, 1, FakeTelegram::command(second, "/forget")).await;
    fake.wait_until("staff are asked in the topic", WAIT, |f| {
        f.sent(STAFF)
            .iter()
            .any(|s| s.thread_id == Some(thread) && s.plain.contains(&code))
    })
    .await;
}

/// A case open past its maximum age ends: staff see it in the case, its topic closes, the
/// chat id kept for it goes, and the citizen's next message is answered by the guide.
async fn a_case_past_its_maximum_age_ends(backend: &str) {
    let fake = fake(true).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let url = fake.api_url();
    let staff = STAFF.to_string();
    let db_env = tdb.env();
    let mut env = vec![
        ("TELOXIDE_TOKEN", TOKEN),
        ("TELEGRAM_API_URL", url.as_str()),
        ("STAFF_CHAT_ID", staff.as_str()),
        ("HANDOFF_WAIT_SECS", "3600"),
        ("HANDOFF_MAX_AGE_SECS", "2"),
    ];
    env.extend(db_env.iter().map(|(k, v)| (*k, v.as_str())));
    let bot = BotProcess::start(dir.path(), &[], &env);
    let user = 3701;
    citizen_asks_staff(&fake, user).await;
    let ended = |s: &Sent| s.plain.starts_with("⌛");
    fake.wait_until("the case ends", WAIT, |f| f.sent(STAFF).iter().any(ended))
        .await;
    fake.wait_until("its topic closes", WAIT, |f| {
        !f.calls_of("closeForumTopic").is_empty()
    })
    .await;
    let pool = tdb.pool().await;
    let row: (String, Option<i64>) = sqlx::query_as("SELECT status, chat_id FROM handoffs")
        .fetch_one(&pool)
        .await
        .expect("the case");
    assert_eq!(row, ("closed".to_string(), None), "{}", bot.log());
    let relayed_before = fake.calls_of("copyMessage").len();
    let answer = push_and_wait(&fake, user, 1, FakeTelegram::text(user, "xin chào")).await;
    assert_eq!(answer[0].plain, text(Lang::Hmn, "use-buttons"));
    assert_eq!(
        fake.calls_of("copyMessage").len(),
        relayed_before,
        "not relayed"
    );
}

on_both_backends!(
    a_case_past_its_maximum_age_ends,
    forget_during_a_case_closes_it_and_removes_its_topic,
    staff_actions_count_once,
    a_number_in_a_caption_or_a_contact_card_never_reaches_staff,
    a_refused_report_holds_up_no_citizen,
    a_refused_relay_holds_up_no_other_case,
    a_group_without_the_topic_right_gets_cards,
    a_group_that_refuses_every_post_still_lets_citizens_know,
    a_case_opens_as_a_topic_relays_both_ways_and_closes_with_an_outcome,
    a_case_nobody_takes_is_answered_politely,
    staff_things_cannot_be_reached_from_a_citizen_chat,
    assist_logs_an_in_person_session_in_a_few_taps,
    without_topics_staff_answer_by_replying_to_the_card,
    typing_for_help_opens_a_case_and_a_deleted_topic_is_replaced,
    report_in_the_staff_group_sends_a_summary_the_files_and_the_chart,
);
