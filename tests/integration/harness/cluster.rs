//! Several `dvc-onboard run --webhook` instances on one PostgreSQL database behind the fake Bot
//! API server, and citizens who walk the guide through them the way Telegram delivers: the
//! same update sometimes to two instances at once, and again after any answer but 200.

use crate::harness::{BotProcess, POSTGRES, TestDb, find_walk, guide};
use dvc_onboard_core::domain::Milestone;
use fake_telegram::{FakeTelegram, Limits};
use serde_json::Value;
use sqlx::Row;
use std::time::{Duration, Instant};

pub const TOKEN: &str = "4242:TEST-TOKEN";
pub const SECRET: &str = "cluster-Secret_1";
/// How long a citizen waits for an answer, and Telegram keeps redelivering, before the test
/// fails: long enough for a database restart.
pub const WAIT: Duration = Duration::from_secs(60);

pub struct Cluster {
    pub fake: FakeTelegram,
    pub db: TestDb,
    pub bots: Vec<BotProcess>,
    /// Each instance's webhook address.
    pub urls: Vec<String>,
    /// Answers other than 200 the instances gave (Telegram delivers those updates again).
    pub refusals: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    _dir: tempfile::TempDir,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Cluster {
    /// `instances` bots in webhook mode on one fresh PostgreSQL database, all answering.
    pub async fn start(instances: usize) -> Cluster {
        Cluster::start_with(instances, &[], &[]).await
    }

    /// As `start`, with more environment for every instance and chats the fake knows first.
    pub async fn start_with(instances: usize, extra: &[(&str, &str)], chats: &[Value]) -> Cluster {
        let fake = FakeTelegram::start(TOKEN).await;
        fake.set_limits(Limits::off());
        for chat in chats {
            fake.add_chat(chat.clone());
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let db = TestDb::new(POSTGRES, dir.path());
        let api = fake.api_url();
        let mut bots = Vec::new();
        let mut urls = Vec::new();
        for _ in 0..instances {
            let port = free_port();
            let listen = format!("127.0.0.1:{port}");
            let db_env = db.env();
            let mut env: Vec<(&str, &str)> = vec![
                ("TELOXIDE_TOKEN", TOKEN),
                ("TELEGRAM_API_URL", api.as_str()),
                ("WEBHOOK_URL", "https://bot.example.org/hook"),
                ("WEBHOOK_LISTEN", listen.as_str()),
                ("WEBHOOK_SECRET", SECRET),
            ];
            env.extend(db_env.iter().map(|(k, v)| (*k, v.as_str())));
            env.extend_from_slice(extra);
            bots.push(BotProcess::start(dir.path(), &["--webhook"], &env));
            urls.push(format!("http://{listen}/hook"));
        }
        let client = reqwest::Client::new();
        for (bot, url) in bots.iter().zip(&urls) {
            let health = url.replace("/hook", "/healthz");
            let deadline = Instant::now() + Duration::from_secs(30);
            loop {
                let ok = client
                    .get(&health)
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success());
                if ok {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "an instance did not come up:\n{}",
                    bot.log()
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        Cluster {
            fake,
            db,
            bots,
            urls,
            refusals: Default::default(),
            _dir: dir,
        }
    }

    /// Delivers `update` to the instance at `url` as Telegram does: again and again until it
    /// answers 200.
    pub async fn deliver(&self, url: &str, update: &Value) {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("a client");
        let deadline = Instant::now() + WAIT;
        loop {
            let status = client
                .post(url)
                .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
                .json(update)
                .send()
                .await
                .map(|r| r.status().as_u16());
            if matches!(status, Ok(200)) {
                return;
            }
            self.refusals
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            assert!(
                Instant::now() < deadline,
                "the update was never accepted (last answer {status:?}):\n{}",
                self.logs()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub fn logs(&self) -> String {
        self.bots
            .iter()
            .enumerate()
            .map(|(i, b)| format!("--- instance {i}\n{}", b.log()))
            .collect()
    }

    /// One update of `user`'s: stamped, delivered to one instance, or, every third time, to
    /// two instances at once (a redelivery racing the first delivery); then waits for the new
    /// screen.
    pub async fn send(&self, user: i64, turn: usize, update: Value) {
        let update = self.fake.prepare(update);
        let before = self.fake.sent(user).len();
        let n = self.urls.len();
        let first = &self.urls[(user as usize + turn) % n];
        if turn.is_multiple_of(3) && n > 1 {
            let second = &self.urls[(user as usize + turn + 1) % n];
            tokio::join!(self.deliver(first, &update), self.deliver(second, &update));
        } else {
            self.deliver(first, &update).await;
        }
        self.fake
            .wait_until("the citizen gets a new screen", WAIT, |f| {
                let sent = f.sent(user);
                sent.len() > before && sent.last().is_some_and(|s| !s.buttons.is_empty())
            })
            .await;
    }

    /// Presses button `n` (1-based) of the last screen `user` got.
    pub async fn press(&self, user: i64, turn: usize, n: usize) {
        let last = self
            .fake
            .sent(user)
            .last()
            .cloned()
            .expect("a screen to press on");
        let (_, data) = last.buttons.get(n - 1).cloned().expect("that button");
        let update = self.fake.callback(user, &data, last.message_id);
        self.send(user, turn, update).await;
    }

    /// `user` walks from /start, in Hmong, to a portal log-in.
    pub async fn walk(&self, user: i64, presses: &[usize]) {
        self.send(user, 0, FakeTelegram::command(user, "/start"))
            .await;
        self.press(user, 1, 2).await; // Lus Hmoob
        for (i, &n) in presses.iter().enumerate() {
            self.press(user, i + 2, n).await;
        }
    }

    /// Every session in the database: (citizen, outcome, its events as (kind, step)).
    pub async fn sessions(&self) -> Vec<(String, Option<String>, Vec<(String, Option<String>)>)> {
        let pool = self.db.pool().await;
        let sessions = sqlx::query("SELECT id, citizen, outcome FROM sessions ORDER BY id")
            .fetch_all(&pool)
            .await
            .expect("sessions");
        let mut out = Vec::new();
        for s in sessions {
            let events =
                sqlx::query("SELECT kind, step FROM events WHERE session_id = $1 ORDER BY id")
                    .bind(s.get::<i64, _>("id"))
                    .fetch_all(&pool)
                    .await
                    .expect("events")
                    .iter()
                    .map(|r| (r.get("kind"), r.get("step")))
                    .collect();
            out.push((s.get("citizen"), s.get("outcome"), events));
        }
        out
    }
}

/// The walk every citizen of these tests takes, and the events its session must hold.
pub fn portal_walk() -> (Vec<usize>, Vec<(String, Option<String>)>) {
    let walk = find_walk(&guide(), "hmn", &[Milestone::PortalLogin]);
    // What happens before the session (the language question) belongs to no session.
    let first = walk
        .events
        .iter()
        .position(|(k, _)| k == "session_started")
        .expect("a session starts");
    (walk.presses.clone(), walk.events[first..].to_vec())
}

impl Drop for Cluster {
    /// A failed test shows what the instances logged (their files go with the temp dir).
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("{}", self.logs());
        }
    }
}
