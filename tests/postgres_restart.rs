//! The PostgreSQL server restarts, or stops for a while, while citizens walk the guide: nothing
//! is lost. A file of its own, because taking the server down cuts every connection to it and
//! the test files run one after the other (the tests of this one wait for each other).

// It uses part of the harness the other integration tests share.
#[allow(dead_code, unused_macros)]
#[path = "integration/harness/mod.rs"]
mod harness;

use fake_telegram::FakeTelegram;
use harness::cluster::{self, Cluster, portal_walk};
use harness::postgres_skipped;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// The tests of this file take the server down: one at a time.
static SERVER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// `pg_ctlcluster … <action>` for the cluster the tests use (the one on port 5432), or
/// `PG_CTL_COMMAND <action>` if that is set (`restart`, `stop`, `start`).
fn pg_ctl(action: &str) {
    let command = match std::env::var("PG_CTL_COMMAND") {
        Ok(command) => format!("{command} {action}"),
        Err(_) => {
            let clusters = Command::new("pg_lsclusters")
                .arg("--no-header")
                .output()
                .expect("pg_lsclusters runs (or set PG_CTL_COMMAND)");
            let line = String::from_utf8_lossy(&clusters.stdout)
                .lines()
                .find(|l| l.split_whitespace().nth(2) == Some("5432"))
                .map(str::to_string)
                .expect("a cluster on port 5432 (or set PG_CTL_COMMAND)");
            let mut fields = line.split_whitespace();
            let (version, name) = (fields.next().unwrap_or(""), fields.next().unwrap_or(""));
            format!("pg_ctlcluster --skip-systemctl-redirect {version} {name} {action}")
        }
    };
    let status = Command::new("sh")
        .args(["-c", &command])
        .status()
        .expect("the command runs");
    assert!(status.success(), "`{command}` failed");
}

fn restart_postgres() {
    pg_ctl("restart");
}

/// When the server last started, as text that sorts in time order.
async fn server_started(db: &harness::TestDb) -> String {
    sqlx::query_scalar(
        "SELECT to_char(pg_postmaster_start_time() AT TIME ZONE 'UTC', \
         'YYYY-MM-DD HH24:MI:SS.US')",
    )
    .fetch_one(&db.pool().await)
    .await
    .expect("the server's start time")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_restart_mid_run_loses_nothing() {
    if postgres_skipped() {
        return;
    }
    let _server = SERVER.lock().await;
    let cluster = Arc::new(Cluster::start(2).await);
    let (presses, expected) = portal_walk();
    let citizens: Vec<i64> = (0..8).map(|i| 7300 + i).collect();
    let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut walks = tokio::task::JoinSet::new();
    for &user in &citizens {
        let (cluster, presses, done) = (cluster.clone(), presses.clone(), done.clone());
        walks.spawn(async move {
            // Slower than a load test, so the walks are still going when the server goes.
            for_each_slowly(&cluster, user, &presses).await;
            done.fetch_add(1, Ordering::Relaxed);
        });
    }
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(done.load(Ordering::Relaxed), 0, "the walks are under way");
    let started = server_started(&cluster.db).await;
    tokio::task::spawn_blocking(restart_postgres)
        .await
        .expect("the restart");
    assert!(
        done.load(Ordering::Relaxed) < citizens.len(),
        "the walks outlived the restart"
    );
    while let Some(walk) = walks.join_next().await {
        walk.expect("a citizen's walk");
    }
    assert!(
        server_started(&cluster.db).await > started,
        "the server restarted"
    );

    // How the restart was met (it varies with timing: a dead connection is mostly found out
    // and replaced before use): updates retried inside an instance, or refused so that
    // "Telegram" delivered them again.
    let refusals = cluster.refusals.load(Ordering::Relaxed);
    let retried = cluster.logs().matches("update failed; retrying").count();
    eprintln!("during the restart: {retried} retries inside the bots, {refusals} non-200 answers");
    let sessions = cluster.sessions().await;
    assert_eq!(sessions.len(), citizens.len(), "{}", cluster.logs());
    for (_, outcome, events) in &sessions {
        assert_eq!(outcome.as_deref(), Some("portal_login"));
        assert_eq!(events, &expected, "no step lost or doubled");
    }
    let pool = cluster.db.pool().await;
    let waiting: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
        .fetch_one(&pool)
        .await
        .expect("the outbox");
    assert_eq!(waiting, 0, "every reply was delivered");
}

/// `Cluster::walk` with a pause between presses.
async fn for_each_slowly(cluster: &Cluster, user: i64, presses: &[usize]) {
    cluster
        .send(
            user,
            0,
            fake_telegram::FakeTelegram::command(user, "/start"),
        )
        .await;
    cluster.press(user, 1, 2).await;
    for (i, &n) in presses.iter().enumerate() {
        tokio::time::sleep(Duration::from_millis(300)).await;
        cluster.press(user, i + 2, n).await;
    }
}

/// Pushes an update for long polling and waits for the new screen it brings.
async fn say(fake: &FakeTelegram, user: i64, update: serde_json::Value) {
    let before = fake.sent(user).len();
    fake.push_update(update);
    fake.wait_until("the citizen gets a new screen", cluster::WAIT, |f| {
        let sent = f.sent(user);
        sent.len() > before && sent.last().is_some_and(|s| !s.buttons.is_empty())
    })
    .await;
}

async fn press(fake: &FakeTelegram, user: i64, n: usize) {
    let last = fake.sent(user).last().cloned().expect("a screen");
    let (_, data) = last.buttons[n - 1].clone();
    say(fake, user, fake.callback(user, &data, last.message_id)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn long_polling_asks_again_for_what_an_outage_kept_from_being_stored() {
    if postgres_skipped() {
        return;
    }
    let _server = SERVER.lock().await;
    let fake = FakeTelegram::start(cluster::TOKEN).await;
    fake.set_limits(fake_telegram::Limits::off());
    let dir = tempfile::tempdir().expect("temp dir");
    let db = harness::TestDb::new(harness::POSTGRES, dir.path());
    let api = fake.api_url();
    let db_env = db.env();
    let mut env: Vec<(&str, &str)> = vec![
        ("TELOXIDE_TOKEN", cluster::TOKEN),
        ("TELEGRAM_API_URL", api.as_str()),
    ];
    env.extend(db_env.iter().map(|(k, v)| (*k, v.as_str())));
    let bot = harness::BotProcess::start(dir.path(), &[], &env);
    let (presses, expected) = portal_walk();
    let citizens: Vec<i64> = (0..6).map(|i| 7500 + i).collect();
    let mut walks = tokio::task::JoinSet::new();
    for &user in &citizens {
        let (fake, presses) = (fake.clone(), presses.clone());
        walks.spawn(async move {
            say(&fake, user, FakeTelegram::command(user, "/start")).await;
            press(&fake, user, 2).await;
            for &n in &presses {
                tokio::time::sleep(Duration::from_millis(300)).await;
                press(&fake, user, n).await;
            }
        });
    }
    tokio::time::sleep(Duration::from_millis(1000)).await;
    // Down longer than the bot retries an update by itself (four tries, each waiting up to
    // five seconds for a connection): the batch is not confirmed, and asked for again.
    tokio::task::spawn_blocking(|| {
        pg_ctl("stop");
        std::thread::sleep(Duration::from_secs(26));
        pg_ctl("start");
    })
    .await
    .expect("the outage");
    while let Some(walk) = walks.join_next().await {
        if let Err(e) = walk {
            panic!("a citizen's walk: {e}\n{}", bot.log());
        }
    }
    let log = bot.log();
    // Most runs, an update cannot be stored within its retries and the batch is asked for
    // again. Some runs, a connection whose server went away hangs until the server is back
    // (sqlx's acquire then outlasts its timeout), and the update simply waits: nothing to ask
    // again then, and the counts below still hold.
    if log.contains("update given up") {
        assert!(
            log.contains("asking for them again"),
            "an update given up, but its batch not asked for again:\n{log}"
        );
    } else {
        eprintln!("no update was given up during this outage: the re-asking went untested");
    }
    let pool = db.pool().await;
    let sessions: Vec<(i64, Option<String>)> =
        sqlx::query_as("SELECT id, outcome FROM sessions ORDER BY id")
            .fetch_all(&pool)
            .await
            .expect("sessions");
    assert_eq!(sessions.len(), citizens.len(), "{log}");
    for (id, outcome) in sessions {
        assert_eq!(outcome.as_deref(), Some("portal_login"));
        let events: Vec<(String, Option<String>)> =
            sqlx::query_as("SELECT kind, step FROM events WHERE session_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(&pool)
                .await
                .expect("events");
        assert_eq!(events, expected, "no step lost or doubled");
    }
}
