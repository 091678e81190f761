//! Reminders to citizens who stopped at a waiting step: through the real binary and the fake Bot
//! API server (scheduled, sent after a restart, ended by going on, "no more", a blocked bot or
//! `/forget`, counted in the report), and claimed once by two instances sharing a database.
//! Time passing is a reminder's due time moved back in the database, as a day would.

use crate::harness::{self, BotProcess, TestDb, count_until, find_walk_through, guide, press, say};
use dvc_onboard::store::Store;
use dvc_onboard_core::domain::Milestone;
use dvc_onboard_core::follow_up::SendingHours;
use dvc_onboard_core::guide::engine::{Input, LANGUAGE_STEP, Outcome, State, step};
use dvc_onboard_core::i18n::Locales;
use dvc_onboard_core::lang::Lang;
use fake_telegram::{FakeTelegram, Fault, Limits, Sent};
use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

const TOKEN: &str = "4545:FOLLOW-UP-TOKEN";
const STAFF: i64 = -1_004_545_454_545;
const WAIT: Duration = Duration::from_secs(20);
const HOUR_MS: i64 = 3_600_000;

/// The bot with a staff group whose short wait makes it sweep (and send due reminders) every
/// half second, sending reminders at any hour unless `hours` says otherwise.
fn start(fake: &FakeTelegram, db: &TestDb, dir: &Path, hours: &str) -> BotProcess {
    let url = fake.api_url();
    let staff = STAFF.to_string();
    let db_env = db.env();
    let mut env = vec![
        ("TELOXIDE_TOKEN", TOKEN),
        ("TELEGRAM_API_URL", url.as_str()),
        ("STAFF_CHAT_ID", staff.as_str()),
        ("HANDOFF_WAIT_SECS", "2"),
        ("FOLLOW_UP_HOURS", hours),
    ];
    env.extend(db_env.iter().map(|(k, v)| (*k, v.as_str())));
    BotProcess::start(dir, &[], &env)
}

async fn fake() -> FakeTelegram {
    let fake = FakeTelegram::start(TOKEN).await;
    fake.set_limits(Limits::off());
    fake.add_chat(FakeTelegram::group_chat(STAFF, "Cán bộ xã"));
    fake
}

fn vi(id: &str) -> String {
    Locales::embedded().format(Lang::Vi, id, None)
}

/// Waits until `user`'s last message shows `message`'s text; returns it.
async fn shown(fake: &FakeTelegram, user: i64, message: &str) -> Sent {
    let text = vi(message);
    fake.wait_until(&format!("`{message}` is shown to {user}"), WAIT, |f| {
        f.sent(user).last().is_some_and(|s| s.plain.contains(&text))
    })
    .await;
    fake.sent(user).last().cloned().expect("a message")
}

/// The presses (after the language) that bring a Vietnamese citizen to `target`, found with the
/// engine on a walk through it.
fn presses_to(target: &str) -> Vec<usize> {
    let guide = guide();
    let walk = find_walk_through(&guide, "vi", target, &[Milestone::VneidLevel1]);
    let language = Input::Choice {
        step: LANGUAGE_STEP,
        choice: "vi",
    };
    let mut out = step(&guide, &State::default(), language);
    for (i, &n) in walk.presses.iter().enumerate() {
        if out.state.step.as_deref() == Some(target) {
            return walk.presses[..i].to_vec();
        }
        let input = out.replies.last().expect("a screen").buttons[n - 1]
            .action
            .input();
        out = step(&guide, &out.state, input);
    }
    panic!("the walk never stops at `{target}`")
}

/// A citizen on Telegram from `/start` to the approval wait.
async fn to_the_wait(fake: &FakeTelegram, user: i64) {
    say(fake, user, FakeTelegram::command(user, "/start")).await;
    press(fake, user, 1).await; // Tiếng Việt
    for n in presses_to("l1-wait") {
        press(fake, user, n).await;
    }
    shown(fake, user, "l1-wait").await;
}

/// What a day's wait does: the citizen's reminder is due now.
async fn a_day_passes(pool: &sqlx::AnyPool, user: i64) {
    let moved = sqlx::query("UPDATE follow_ups SET due_at = 0 WHERE chat_id = $1")
        .bind(user)
        .execute(pool)
        .await
        .expect("the reminder moved")
        .rows_affected();
    assert_eq!(moved, 1, "a reminder was pending for {user}");
}

async fn a_waiting_citizen_is_reminded_after_a_restart_and_goes_on(backend: &str) {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let user = 6_100_000_001;
    let bot = start(&fake, &tdb, dir.path(), "0-24");
    to_the_wait(&fake, user).await;

    // The wait schedules a reminder about a day on, with the chat to send it to.
    let pool = tdb.pool().await;
    count_until(&pool, "SELECT count(*) FROM follow_ups", |n| n == 1).await;
    let (chat, wait, due): (i64, String, i64) =
        sqlx::query_as("SELECT chat_id, step, due_at FROM follow_ups")
            .fetch_one(&pool)
            .await
            .expect("the pending reminder");
    let now = dvc_onboard::app::now_ms();
    assert_eq!((chat, wait.as_str()), (user, "l1-wait"));
    assert!(
        (23 * HOUR_MS..25 * HOUR_MS).contains(&(due - now)),
        "due in about a day: {}",
        due - now
    );

    // The bot stops; a day passes; the bot that starts again sends the reminder.
    drop(bot);
    a_day_passes(&pool, user).await;
    let _bot = start(&fake, &tdb, dir.path(), "0-24");
    let reminder = shown(&fake, user, "fu-l1").await;
    let labels: Vec<&str> = reminder.buttons.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels[..3],
        [vi("btn-sms-came"), vi("btn-sms-not-yet"), vi("btn-fu-stop")]
    );
    // Counted on the session, and the next reminder two days on.
    count_until(
        &pool,
        "SELECT count(*) FROM sessions WHERE follow_ups_sent = 1",
        |n| n == 1,
    )
    .await;
    let next: i64 = sqlx::query_scalar("SELECT due_at - $1 FROM follow_ups")
        .bind(dvc_onboard::app::now_ms())
        .fetch_one(&pool)
        .await
        .expect("the next reminder");
    assert!((47 * HOUR_MS..49 * HOUR_MS).contains(&next), "{next}");

    // The SMS came: the citizen goes on, and no reminder is left.
    press(&fake, user, 1).await;
    shown(&fake, user, "act-open").await;
    assert_eq!(
        count_until(&pool, "SELECT count(*) FROM follow_ups", |n| n == 0).await,
        0
    );
    let went_on = count_until(
        &pool,
        "SELECT count(*) FROM sessions WHERE went_on_after_follow_up = 1",
        |n| n == 1,
    )
    .await;
    assert_eq!(went_on, 1);

    // Officials see it in the report.
    let env = tdb.env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let json = harness::report_json(dir.path(), &env);
    assert_eq!(
        json["follow_ups"],
        serde_json::json!({"sent": 1, "sessions": 1, "went_on": 1})
    );
}

async fn reminders_end_when_stopped_blocked_or_forgotten(backend: &str) {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let _bot = start(&fake, &tdb, dir.path(), "0-24");
    let (stops, forgets, blocks) = (6_100_000_011, 6_100_000_012, 6_100_000_013);
    for user in [stops, forgets, blocks] {
        to_the_wait(&fake, user).await;
    }
    // The bot made the database file by now.
    let pool = tdb.pool().await;
    count_until(&pool, "SELECT count(*) FROM follow_ups", |n| n == 3).await;

    // "No more reminders" on the reminder: none is left, and the session counts the one sent.
    a_day_passes(&pool, stops).await;
    shown(&fake, stops, "fu-l1").await;
    press(&fake, stops, 3).await;
    shown(&fake, stops, "fu-stopped").await;
    let left = |user: i64| format!("SELECT count(*) FROM follow_ups WHERE chat_id = {user}");
    assert_eq!(count_until(&pool, &left(stops), |n| n == 0).await, 0);
    press(&fake, stops, 1).await;
    shown(&fake, stops, "end-bye").await;

    // `/forget`: the reminder and its chat go with the citizen.
    let before = fake.sent(forgets).len();
    fake.push_update(FakeTelegram::command(forgets, "/forget"));
    fake.wait_until("the erasure is confirmed", WAIT, |f| {
        f.sent(forgets).len() > before
    })
    .await;
    assert_eq!(count_until(&pool, &left(forgets), |n| n == 0).await, 0);

    // A citizen who blocked the bot: the reminder is refused, and nothing more is tried.
    fake.fail_next(
        "sendMessage",
        1,
        Fault::Api(403, "Forbidden: bot was blocked by the user".into()),
    );
    let sent_before = fake.sent(blocks).len();
    a_day_passes(&pool, blocks).await;
    assert_eq!(count_until(&pool, &left(blocks), |n| n == 0).await, 0);
    let abandoned = count_until(
        &pool,
        "SELECT count(*) FROM sessions WHERE outcome = 'abandoned'",
        |n| n == 1,
    )
    .await;
    assert_eq!(abandoned, 1, "the blocked citizen's session");
    assert_eq!(fake.sent(blocks).len(), sent_before, "nothing reached them");

    let sent: Vec<(i64,)> =
        sqlx::query_as("SELECT follow_ups_sent FROM sessions ORDER BY follow_ups_sent DESC")
            .fetch_all(&pool)
            .await
            .expect("sessions");
    assert_eq!(sent.first(), Some(&(1,)), "the stopped citizen's reminder");
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM follow_ups")
        .fetch_one(&pool)
        .await
        .expect("a count");
    assert_eq!(pending, 0);
}

/// Stores one turn of a citizen who writes from `chat`.
async fn write_turn(store: &Store, pseudonym: &str, chat: i64, now: i64, out: &Outcome<'_>) {
    let turn = store
        .begin(pseudonym, None, now)
        .await
        .expect("a turn")
        .expect("not a duplicate");
    turn.commit_in("telegram", Some(chat), now, out, &[])
        .await
        .expect("stored");
}

/// Citizens of one store walked to the approval wait in Telegram's chats `chats`, as turns of
/// the engine written with their chat.
async fn waiting_citizens(store: &Store, chats: std::ops::Range<i64>, now: i64) {
    let guide = guide();
    let presses = presses_to("l1-wait");
    for chat in chats {
        let pseudonym = format!("citizen-{chat}");
        let mut out = step(
            &guide,
            &State::default(),
            Input::Choice {
                step: LANGUAGE_STEP,
                choice: "vi",
            },
        );
        write_turn(store, &pseudonym, chat, now, &out).await;
        for &n in &presses {
            let input = out.replies.last().expect("a screen").buttons[n - 1]
                .action
                .input();
            out = step(&guide, &out.state, input);
            write_turn(store, &pseudonym, chat, now, &out).await;
        }
    }
}

/// Two instances on one database claim due reminders at the same moment: each reminder goes to
/// one of them, none to both; a claimed one is not claimed again until its retry time; none is
/// claimed before it is due or outside the sending hours.
async fn due_reminders_are_claimed_once_by_two_instances(backend: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let one = Store::connect(&tdb.url).await.expect("the first instance");
    let two = Store::connect(&tdb.url).await.expect("the second instance");
    // 10:00 in Vietnam (03:00 UTC) on 2026-11-30.
    let now = 1_796_007_600_000;
    waiting_citizens(&one, 7_000..7_040, now).await;
    let all = SendingHours::default();

    assert!(
        one.claim_follow_ups(now + HOUR_MS, all, 100)
            .await
            .expect("a claim")
            .is_empty(),
        "not due an hour later"
    );
    let day = now + 24 * HOUR_MS;
    let night = SendingHours::new(20, 24).expect("hours");
    assert!(
        one.claim_follow_ups(day, night, 100)
            .await
            .expect("a claim")
            .is_empty(),
        "not outside the sending hours"
    );

    // Both sweep in small claims at once, as instances do, until nothing is due.
    let sweep = |store: Store| async move {
        let mut claimed = Vec::new();
        loop {
            let got = store.claim_follow_ups(day, all, 3).await.expect("a claim");
            if got.is_empty() {
                return claimed;
            }
            claimed.extend(got);
        }
    };
    let (a, b) = tokio::join!(
        tokio::spawn(sweep(one.clone())),
        tokio::spawn(sweep(two.clone()))
    );
    let (mut a, b) = (a.expect("a sweep"), b.expect("a sweep"));
    // What one left while it waited on the other's rows, a last sweep takes.
    a.extend(one.claim_follow_ups(day, all, 100).await.expect("a claim"));
    let chats_a: HashSet<i64> = a.iter().map(|d| d.chat_id).collect();
    let chats_b: HashSet<i64> = b.iter().map(|d| d.chat_id).collect();
    assert_eq!(chats_a.len() + chats_b.len(), 40, "every reminder, once");
    assert!(chats_a.is_disjoint(&chats_b), "none claimed by both");
    assert_eq!(a.len() + b.len(), 40, "none twice by one");

    assert!(
        two.claim_follow_ups(day + 60_000, all, 100)
            .await
            .expect("a claim")
            .is_empty(),
        "claimed ones wait for their retry"
    );
    let retried = one
        .claim_follow_ups(day + 11 * 60_000, all, 100)
        .await
        .expect("a claim");
    assert_eq!(
        retried.len(),
        40,
        "a reminder whose turn never came goes again"
    );
}

on_both_backends!(
    a_waiting_citizen_is_reminded_after_a_restart_and_goes_on,
    reminders_end_when_stopped_blocked_or_forgotten,
    due_reminders_are_claimed_once_by_two_instances,
);
