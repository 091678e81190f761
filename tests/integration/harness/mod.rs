//! What the integration tests share: running the real binary, and walking the real guide.

pub mod cluster;

use dvc_onboard_core::content::ContentDirs;
use dvc_onboard_core::domain::Milestone;
use dvc_onboard_core::guide::Guide;
use dvc_onboard_core::guide::engine::{Action, Event, Input, LANGUAGE_STEP, Phase, State, step};
use std::collections::{HashSet, VecDeque};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_dvc-onboard");

/// Runs `dvc-onboard args…` with `stdin`, in `dir`, against the SQLite file `dir/test.db`.
pub fn run(dir: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let db = format!("sqlite://{}", dir.join("test.db").display());
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("DATABASE_URL", db)
        .env_remove("PSEUDONYM_KEY")
        .env_remove("RUST_LOG")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes())
        .expect("stdin takes the script");
    child.wait_with_output().expect("the binary ends")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn guide() -> Guide {
    ContentDirs::default()
        .load()
        .expect("the built-in content loads")
        .guide
}

/// A walk found through the real guide: the button number pressed at each screen (1-based, as
/// the terminal shows them), and the engine events it produced.
pub struct Walk {
    pub presses: Vec<usize>,
    pub events: Vec<(String, Option<String>)>,
    pub milestones: Vec<Milestone>,
}

/// The shortest walk, pressing buttons only, from the language question to the end of the guide
/// whose session reaches every milestone in `want` (searched with the pure engine).
pub fn find_walk(guide: &Guide, lang: &str, want: &[Milestone]) -> Walk {
    search_walk(guide, lang, None, |reached| {
        want.iter().all(|m| reached.contains(m))
    })
    .unwrap_or_else(|| panic!("no walk through the guide reaches {want:?}"))
}

/// The shortest walk, pressing buttons only, from the language question to the end of the guide
/// that enters step `via` and whose session reaches exactly the milestones in `want`.
pub fn find_walk_through(guide: &Guide, lang: &str, via: &str, want: &[Milestone]) -> Walk {
    let want: HashSet<Milestone> = want.iter().copied().collect();
    search_walk(guide, lang, Some(via), |reached| *reached == want)
        .unwrap_or_else(|| panic!("no walk through `{via}` reaches exactly {want:?}"))
}

fn search_walk(
    guide: &Guide,
    lang: &str,
    via: Option<&str>,
    done: impl Fn(&HashSet<Milestone>) -> bool,
) -> Option<Walk> {
    let start = step(
        guide,
        &State::default(),
        Input::Choice {
            step: LANGUAGE_STEP,
            choice: lang,
        },
    );
    let mut seen = HashSet::new();
    let mut queue = VecDeque::from([(
        start.state.clone(),
        Vec::<usize>::new(),
        HashSet::<Milestone>::new(),
        via.is_none(),
    )]);
    while let Some((state, presses, reached, passed)) = queue.pop_front() {
        let current = state.step.clone().expect("inside the guide");
        let shown = dvc_onboard_core::guide::engine::screen(
            guide,
            guide.step(&current).expect("a guide step"),
            !state.history.is_empty(),
        );
        for (i, button) in shown.buttons.iter().enumerate() {
            if matches!(
                button.action,
                Action::AskStaff | Action::Back | Action::Restart
            ) {
                continue;
            }
            let out = step(guide, &state, button.action.input());
            let mut reached = reached.clone();
            for e in &out.events {
                if let Event::MilestoneReached { milestone } = e {
                    reached.insert(*milestone);
                }
            }
            let mut presses = presses.clone();
            presses.push(i + 1);
            let passed = passed || out.state.step.as_deref() == via;
            if out.state.phase == Phase::Idle {
                if passed && done(&reached) {
                    return Some(replay(guide, lang, presses));
                }
                continue;
            }
            let mut key: Vec<_> = reached.iter().copied().collect();
            key.sort();
            if seen.insert((out.state.step.clone(), key, passed)) {
                queue.push_back((out.state, presses, reached, passed));
            }
        }
    }
    None
}

/// Replays presses with the engine to list the events the store should hold.
fn replay(guide: &Guide, lang: &str, presses: Vec<usize>) -> Walk {
    let first = step(
        guide,
        &State::default(),
        Input::Choice {
            step: LANGUAGE_STEP,
            choice: lang,
        },
    );
    let mut events = Vec::new();
    let mut state = first.state;
    let mut collect = |evs: &[Event<'_>]| {
        for e in evs {
            events.push(event_row(e));
        }
    };
    collect(&first.events);
    let mut milestones = Vec::new();
    let mut buttons = first.replies.last().expect("a screen").buttons.clone();
    for &n in &presses {
        let out = step(guide, &state, buttons[n - 1].action.input());
        for e in &out.events {
            if let Event::MilestoneReached { milestone } = e {
                milestones.push(*milestone);
            }
        }
        collect(&out.events);
        buttons = out.replies.last().expect("a screen").buttons.clone();
        state = out.state;
    }
    Walk {
        presses,
        events,
        milestones,
    }
}

/// An event as the store keeps it: (kind, step).
fn event_row(e: &Event<'_>) -> (String, Option<String>) {
    let step = match *e {
        Event::StepEntered { step }
        | Event::ChoiceMade { step, .. }
        | Event::FollowUpScheduled { step, .. }
        | Event::FollowUpSent { step } => Some(step.to_string()),
        Event::WentBack { from } => Some(from.to_string()),
        Event::HelpAsked { step } => step.map(str::to_string),
        _ => None,
    };
    (e.kind().to_string(), step)
}

/// The report of every session the database of `env` holds, as JSON (`report --format json`),
/// without the moment it was made.
pub fn report_json(dir: &Path, env: &[(&str, &str)]) -> serde_json::Value {
    let out = run(
        dir,
        &[
            "report",
            "--period",
            "2020-01-01..2099-12-31",
            "--format",
            "json",
        ],
        "",
        env,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    json["as_of"] = serde_json::Value::Null;
    json
}

/// A port nothing listens on now, on loopback.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The real bot with `token`, against the fake Bot API, on the database of `db`, with `extra`
/// variables besides.
pub fn start_against(
    fake: &fake_telegram::FakeTelegram,
    token: &str,
    db: &TestDb,
    dir: &Path,
    extra: &[(&str, &str)],
) -> BotProcess {
    let api = fake.api_url();
    let db_env = db.env();
    let mut env = vec![
        ("TELOXIDE_TOKEN", token),
        ("TELEGRAM_API_URL", api.as_str()),
    ];
    env.extend(db_env.iter().map(|(k, v)| (*k, v.as_str())));
    env.extend_from_slice(extra);
    BotProcess::start(dir, &[], &env)
}

/// How long a test waits for the bot's answer before it fails.
const ANSWER_WAIT: std::time::Duration = std::time::Duration::from_secs(20);

/// Pushes an update to the fake Bot API and waits until the chat has a new screen with buttons
/// (every answer ends with one); returns what arrived.
pub async fn say(
    fake: &fake_telegram::FakeTelegram,
    user: i64,
    update: serde_json::Value,
) -> Vec<fake_telegram::Sent> {
    let before = fake.sent(user).len();
    fake.push_update(update);
    fake.wait_until("the bot answers with a screen", ANSWER_WAIT, |f| {
        let sent = f.sent(user);
        sent.len() > before && sent.last().is_some_and(|s| !s.buttons.is_empty())
    })
    .await;
    fake.sent(user)[before..].to_vec()
}

/// Presses button `n` (1-based) of the chat's last screen.
pub async fn press(
    fake: &fake_telegram::FakeTelegram,
    user: i64,
    n: usize,
) -> Vec<fake_telegram::Sent> {
    let last = fake
        .sent(user)
        .last()
        .cloned()
        .expect("a screen to press on");
    let (_, data) = last.buttons.get(n - 1).cloned().expect("that button");
    let update = fake.callback(user, &data, last.message_id);
    say(fake, user, update).await
}

/// `user`, a staff member, pressing a button (`data`) of `sent`, a message the bot sent in the
/// staff group `chat` (the chat as Telegram describes it).
pub fn staff_presses(
    fake: &fake_telegram::FakeTelegram,
    (chat, user): (serde_json::Value, i64),
    sent: &fake_telegram::Sent,
    data: &str,
) -> serde_json::Value {
    let mut update = fake.callback(user, data, sent.message_id);
    update["callback_query"]["message"] = serde_json::json!({
        "message_id": sent.message_id,
        "date": 1_790_000_000,
        "chat": chat,
        "from": { "id": fake.bot_id(), "is_bot": true, "first_name": "dvc" },
        "text": sent.plain,
    });
    update["callback_query"]["from"] =
        serde_json::json!({ "id": user, "is_bot": false, "first_name": "Lan" });
    update
}

/// Counts with `sql` until `done` says so, or 10 seconds pass; returns the last count. The bot
/// writes after it sends, so a test that saw a message may look a moment too early.
pub async fn count_until(pool: &sqlx::AnyPool, sql: &str, done: impl Fn(i64) -> bool) -> i64 {
    let mut count = 0;
    for _ in 0..400 {
        count = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(pool)
            .await
            .expect("a count");
        if done(count) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    count
}

/// A running `dvc-onboard run` against `dir/bot.db`, its log in a file of `dir`; killed when
/// dropped. `env` gives the token, the Bot API URL and whatever the test needs.
pub struct BotProcess {
    child: std::process::Child,
    log: std::path::PathBuf,
}

impl BotProcess {
    pub fn start(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> BotProcess {
        static STARTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let log = dir.join(format!("bot-{n}.log"));
        let child = Command::new(BIN)
            .arg("run")
            .args(args)
            .current_dir(dir)
            .env(
                "DATABASE_URL",
                format!("sqlite://{}", dir.join("bot.db").display()),
            )
            .env("RUST_LOG", "info,dvc_onboard=debug")
            // Most tests walk faster than Telegram lets a bot answer one chat, and faster
            // than a person taps; the pacing and flood tests turn both back on.
            .env("TELEGRAM_PACE", "off")
            .env("CITIZEN_INPUT_LIMIT", "off")
            .env_remove("PSEUDONYM_KEY")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("a log file"))
            .spawn()
            .expect("the bot starts");
        BotProcess { child, log }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends SIGTERM and waits (at most 20 s) for the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the bot did not stop on SIGTERM:\n{}",
                self.log()
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The backends every store test runs on. PostgreSQL is left out only when `DVC_SKIP_POSTGRES=1`
/// says so, for a developer without a server; CI never sets it.
pub const SQLITE: &str = "sqlite";
pub const POSTGRES: &str = "postgres";

/// Whether the PostgreSQL runs of the store tests are skipped (and says so, loudly).
pub fn postgres_skipped() -> bool {
    let skipped = std::env::var("DVC_SKIP_POSTGRES").is_ok_and(|v| v == "1");
    if skipped {
        eprintln!("DVC_SKIP_POSTGRES=1: this test's PostgreSQL run is SKIPPED");
    }
    skipped
}

/// The server the PostgreSQL runs use: `TEST_POSTGRES_URL`, by default the one this machine
/// kind runs (trust auth). Each test gets a database of its own on it.
fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// Runs `f` to completion on a runtime of its own, on a thread of its own: callable from sync
/// and async tests alike (and from `Drop`).
fn block_on<T: Send + 'static>(f: impl std::future::Future<Output = T> + Send + 'static) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a test runtime")
            .block_on(f)
    })
    .join()
    .expect("the database helper thread")
}

/// A fresh, empty database for one test: a SQLite file in the test's directory, or a new
/// PostgreSQL database, dropped with this value.
pub struct TestDb {
    pub url: String,
    pub backend: &'static str,
    postgres_name: Option<String>,
}

impl TestDb {
    pub fn new(backend: &str, dir: &Path) -> TestDb {
        match backend {
            SQLITE => TestDb {
                url: format!("sqlite://{}", dir.join("bot.db").display()),
                backend: SQLITE,
                postgres_name: None,
            },
            POSTGRES => {
                let admin = postgres_admin_url();
                let name = format!("dvc_test_{}", hex::encode(rand::random::<[u8; 6]>()));
                let create = format!("CREATE DATABASE {name}");
                let admin_for_create = admin.clone();
                block_on(async move {
                    use sqlx::Connection;
                    let mut conn = sqlx::PgConnection::connect(&admin_for_create)
                        .await
                        .unwrap_or_else(|e| {
                            panic!(
                                "PostgreSQL is not reachable at {admin_for_create} ({e}). Start it, \
                                 point TEST_POSTGRES_URL at one, or set DVC_SKIP_POSTGRES=1 to \
                                 skip the PostgreSQL runs"
                            )
                        });
                    sqlx::raw_sql(sqlx::AssertSqlSafe(create))
                        .execute(&mut conn)
                        .await
                        .expect("a fresh test database");
                });
                let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
                TestDb {
                    url: format!("{base}/{name}"),
                    backend: POSTGRES,
                    postgres_name: Some(name),
                }
            }
            other => panic!("unknown backend {other}"),
        }
    }

    /// A pool on the test's database, to look at what the bot stored.
    pub async fn pool(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::any::AnyPoolOptions::new()
            .max_connections(2)
            .connect(&self.url)
            .await
            .expect("the test database")
    }

    /// The rows of `sql`, for a test that is not async itself.
    pub fn rows<T>(&self, sql: &'static str) -> Vec<T>
    where
        T: Send + Unpin + for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        tokio::runtime::Runtime::new()
            .expect("a runtime")
            .block_on(async { sqlx::query_as(sql).fetch_all(&self.pool().await).await })
            .expect("the rows")
    }

    /// Everything the database holds, as bytes to search for what must not be there: the
    /// SQLite file and its write-ahead log, or every row of every PostgreSQL table as text.
    pub async fn contents(&self) -> Vec<u8> {
        if self.backend == SQLITE {
            let path = self.url.trim_start_matches("sqlite://");
            let mut bytes = std::fs::read(path).expect("the database file");
            bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
            return bytes;
        }
        let pool = self.pool().await;
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
        )
        .fetch_all(&pool)
        .await
        .expect("the tables");
        assert!(tables.len() > 5, "the schema is there: {tables:?}");
        let mut bytes = Vec::new();
        for table in tables {
            let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT t::text FROM {table} t"
            )))
            .fetch_all(&pool)
            .await
            .expect("the rows");
            for row in rows {
                bytes.extend(row.into_bytes());
                bytes.push(b'\n');
            }
        }
        bytes
    }

    /// The environment a bot process needs for this database (PostgreSQL has no key file
    /// beside the database: several instances share one key).
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let mut env = vec![("DATABASE_URL", self.url.clone())];
        if self.backend == POSTGRES {
            env.push((
                "PSEUDONYM_KEY",
                "test-pseudonym-key-0123456789abcdef".to_string(),
            ));
        }
        env
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = self.postgres_name.take() {
            let admin = postgres_admin_url();
            block_on(async move {
                use sqlx::Connection;
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(drop))
                        .execute(&mut conn)
                        .await;
                }
            });
        }
    }
}

/// `name::sqlite` and `name::postgres` for each `async fn name(backend: &str)`.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::harness::SQLITE).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if $crate::harness::postgres_skipped() {
                    return;
                }
                super::$name($crate::harness::POSTGRES).await
            }
        }
    )*};
}
