//! Load test of the Telegram bot: the real `dvc-onboard run` binary (the release build `cargo
//! bench` makes) long-polls the in-process fake Bot API server on loopback, with flood limits off
//! and a fresh SQLite file, while simulated citizens talk to it like people: each sends one input
//! and waits for the screen that answers it before the next.
//!
//! ```sh
//! cargo bench --bench load                           # 200 citizens, 20,000 updates
//! cargo bench --bench load -- --citizens 500 --updates 50000 --timeout 300
//! cargo bench --bench load -- --postgres             # the same on a fresh PostgreSQL database
//! cargo bench --bench load -- --flood                # Telegram's limits on, one citizen floods
//! cargo bench --bench load -- --chaos                # and kill -9, restarts, failed calls
//! ```
//!
//! `--flood` and `--chaos` are the field modes (benches/load/field.rs).
//!
//! A citizen sends /start, chooses a language, then presses the first button of the last screen,
//! now and then types a free text, and sends /restart at the end of the guide. The latency of an
//! update is from its push to the moment the fake records the screen (a message with buttons)
//! that answers it, taken from the fake's `subscribe_sent` notifications, not by polling.
//!
//! The bot logs at `warn` (`LOAD_BOT_LOG=sqlx=debug` for another filter) to `bot.log` in the
//! temporary directory, which is kept when the run fails or LOAD_BOT_LOG is set.
//!
//! The fake server and the citizens run in this process and share the machine's cores with the
//! bot: the CPU time of both sides is printed so that the figure can be judged.

#[path = "load/field.rs"]
mod field;

use fake_telegram::{FakeTelegram, Limits, SentNotice};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::{broadcast, mpsc};

const TOKEN: &str = "4242:LOAD-TEST";
const BIN: &str = env!("CARGO_BIN_EXE_dvc-onboard");
/// Chat ids of the citizens: FIRST_USER, FIRST_USER + 1, …
const FIRST_USER: i64 = 1_000_001;
/// Longest wait for the answer to one input before the citizen gives up on it and starts over.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);
/// Presses without reaching the end before a citizen restarts (a walk that loops).
const MAX_PRESSES: u32 = 80;
/// One input in this many is a typed text (no keyword, no digits: a plain "use the buttons").
const TEXT_EVERY: u64 = 10;
const FREE_TEXTS: [&str; 3] = [
    "tôi không biết làm thế nào",
    "kuv tsis paub",
    "what do I do now",
];
/// Linux reports process CPU times in these ticks a second (USER_HZ, fixed by the ABI).
const USER_HZ: f64 = 100.0;

struct Options {
    citizens: usize,
    updates: usize,
    timeout: Duration,
    /// `--postgres`: a fresh database on `TEST_POSTGRES_URL`'s server (default: this machine
    /// kind's, 127.0.0.1:5432) instead of a SQLite file.
    postgres: bool,
    /// `--flood` or `--chaos`: the field modes, and for how long (`--seconds`, default 60).
    field: Option<field::Mode>,
    seconds: u64,
}

/// `--citizens N`, `--updates M`, `--timeout SECONDS` (also `--name=value`); whatever else
/// `cargo bench` passes (`--bench`, filters) is ignored.
fn options() -> Options {
    let mut options = Options {
        citizens: 200,
        updates: 20_000,
        timeout: Duration::from_secs(240),
        postgres: false,
        field: None,
        seconds: 60,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let (name, inline) = match args[i].split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (args[i].clone(), None),
        };
        if name == "--postgres" {
            options.postgres = true;
        } else if name == "--flood" {
            options.field = Some(field::Mode::Flood);
        } else if name == "--chaos" {
            options.field = Some(field::Mode::Chaos);
        } else if matches!(
            name.as_str(),
            "--citizens" | "--updates" | "--timeout" | "--seconds"
        ) {
            let value = match inline {
                Some(value) => value,
                None => {
                    i += 1;
                    args.get(i).cloned().unwrap_or_default()
                }
            };
            let Ok(n) = value.parse::<u64>() else {
                eprintln!("load: {name} needs a positive number, got `{value}`");
                std::process::exit(2);
            };
            match name.as_str() {
                "--citizens" => options.citizens = n.max(1) as usize,
                "--updates" => options.updates = n.max(1) as usize,
                "--seconds" => options.seconds = n.max(1),
                _ => options.timeout = Duration::from_secs(n.max(1)),
            }
        }
        i += 1;
    }
    options
}

fn main() {
    let options = options();
    // Whatever happens (a bot that hangs, a runtime that stalls), the process ends by itself.
    let bot_pid = Arc::new(AtomicU64::new(0));
    let hard_stop = match options.field {
        Some(_) => Duration::from_secs(options.seconds) + ANSWER_TIMEOUT * 2,
        None => options.timeout,
    } + Duration::from_secs(30);
    {
        let bot_pid = bot_pid.clone();
        std::thread::spawn(move || {
            std::thread::sleep(hard_stop);
            eprintln!("load: still running after {hard_stop:?}; killing the bot and exiting");
            kill(bot_pid.load(Ordering::Relaxed), "KILL");
            std::process::exit(3);
        });
    }
    // One thread for the fake server and the citizens: with a multi-thread runtime every
    // request, notice and answer hopped between workers, and the wake-ups (futex, IPIs, context
    // switches) cost more CPU than the work. One core is ample for this side at the target rate.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let code = match options.field {
        Some(mode) => runtime.block_on(field::run(mode, options.seconds, &bot_pid)),
        None => runtime.block_on(run(&options, &bot_pid)),
    };
    runtime.shutdown_timeout(Duration::from_secs(1));
    std::process::exit(code);
}

/// What one citizen did.
#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    unanswered: u64,
    texts: u64,
    presses: u64,
    restarts: u64,
    /// Messages without buttons received (notes before a screen, e.g. "use the buttons").
    notes: u64,
    /// Messages that arrived after their input had been answered already (a second screen).
    late: u64,
}

impl Tally {
    /// What all the citizens' tasks did, once they are done.
    async fn gather(tasks: &mut tokio::task::JoinSet<Tally>) -> Tally {
        let mut tally = Tally::default();
        while let Some(done) = tasks.join_next().await {
            let t = done.expect("a citizen task panicked");
            tally.latencies_us.extend(t.latencies_us);
            tally.unanswered += t.unanswered;
            tally.texts += t.texts;
            tally.presses += t.presses;
            tally.restarts += t.restarts;
            tally.notes += t.notes;
            tally.late += t.late;
        }
        tally
    }
}

struct Shared {
    fake: FakeTelegram,
    deadline: tokio::time::Instant,
    /// How long a citizen reads a screen before the next input (zero: at once).
    think: Duration,
    /// How long past the deadline the answer to an input sent before it is still waited for.
    grace: Duration,
}

async fn run(options: &Options, bot_pid: &AtomicU64) -> i32 {
    let fake = FakeTelegram::start(TOKEN).await;
    fake.set_limits(Limits::off());
    let notices = fake.subscribe_sent();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let postgres = if options.postgres {
        Some(Postgres::create().await)
    } else {
        None
    };
    let database_url = match &postgres {
        Some(pg) => pg.url.clone(),
        None => format!("sqlite://{}", dir.path().join("bot.db").display()),
    };
    let backend = if postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let mut bot = Bot::start(&fake, dir.path(), &database_url, false);
    bot_pid.store(u64::from(bot.child.id()), Ordering::Relaxed);

    // Ready when the bot long-polls (after getMe, setMyCommands and deleteWebhook).
    let ready_by = Instant::now() + Duration::from_secs(30);
    while fake.offsets().is_empty() {
        if Instant::now() > ready_by || bot.exited() {
            eprintln!("load: the bot did not start polling\n{}", bot.log_tail());
            let _ = dir.keep();
            return 1;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    // One reader of the fake's notifications hands each to its citizen.
    let mut inboxes = HashMap::new();
    let mut receivers = Vec::new();
    for n in 0..options.citizens {
        let (tx, rx) = mpsc::unbounded_channel::<SentNotice>();
        inboxes.insert(FIRST_USER + n as i64, tx);
        receivers.push(rx);
    }
    let screens = Arc::new(AtomicU64::new(0));
    let lagged = Arc::new(AtomicU64::new(0));
    let router = tokio::spawn(route(notices, inboxes, screens.clone(), lagged.clone()));

    let cpu_before = (
        cpu_seconds("self"),
        cpu_seconds(&bot.child.id().to_string()),
    );
    let machine_before = machine_busy_seconds();
    let started = Instant::now();
    let shared = Arc::new(Shared {
        fake: fake.clone(),
        deadline: tokio::time::Instant::now() + options.timeout,
        think: Duration::ZERO,
        grace: Duration::ZERO,
    });
    let mut tasks = tokio::task::JoinSet::new();
    for (n, inbox) in receivers.into_iter().enumerate() {
        let budget = options.updates / options.citizens
            + usize::from(n < options.updates % options.citizens);
        let shared = shared.clone();
        tasks.spawn(citizen(shared, n, FIRST_USER + n as i64, budget, inbox));
    }
    let tally = Tally::gather(&mut tasks).await;
    let wall = started.elapsed();
    let timed_out = tokio::time::Instant::now() >= shared.deadline;
    let pid = bot.child.id().to_string();
    let cpu_after = (cpu_seconds("self"), cpu_seconds(&pid));
    let machine = machine_busy_seconds() - machine_before;
    let peak_rss_kib = vm_hwm_kib(&pid);
    router.abort();

    // What the fake saw: polls and their batch sizes, refusals, leftovers.
    let polls = fake.calls_of("getUpdates");
    let batches: Vec<usize> = polls
        .iter()
        .map(|c| c.response["result"].as_array().map_or(0, Vec::len))
        .filter(|&n| n > 0)
        .collect();
    let refused = fake.refused().len();
    let too_many = fake.refused().iter().filter(|c| c.status == 429).count();
    let pending = fake.pending_updates();
    let callbacks = fake.calls_of("answerCallbackQuery").len();

    let status = bot.terminate().await;
    let log = bot.log_tail();

    let handled = tally.latencies_us.len();
    let mut lat = tally.latencies_us.clone();
    lat.sort_unstable();
    let pct = |q: f64| percentile_ms(&lat, q);
    let secs = wall.as_secs_f64();
    let rate = handled as f64 / secs;
    let bot_cpu = cpu_after.1 - cpu_before.1;
    let own_cpu = cpu_after.0 - cpu_before.0;
    let other_cpu = (machine - bot_cpu - own_cpu).max(0.0);
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let rss_mib = peak_rss_kib as f64 / 1024.0;

    println!(
        "load: `dvc-onboard run` (long polling) against the in-process fake Bot API on loopback, \
         flood limits off, {backend} {}",
        database_url.split('@').next_back().unwrap_or("")
    );
    println!(
        "  citizens {}, updates sent {}: answered {handled}, unanswered {}; presses {}, texts {}, \
         /restart {}",
        options.citizens,
        handled as u64 + tally.unanswered,
        tally.unanswered,
        tally.presses,
        tally.texts,
        tally.restarts
    );
    println!("  wall {secs:.2} s → {rate:.0} updates/s");
    println!(
        "  latency push → screen: p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(1.0)
    );
    let mean_batch = if batches.is_empty() {
        0.0
    } else {
        batches.iter().sum::<usize>() as f64 / batches.len() as f64
    };
    println!(
        "  getUpdates: {} calls, {} with updates, mean batch {mean_batch:.1}, largest {}; \
         answerCallbackQuery {callbacks}; screens {}, notes {}, late {}; refused {refused} \
         (429: {too_many}); \
         unconfirmed at the end {pending}; notices lost {}",
        polls.len(),
        batches.len(),
        batches.iter().max().copied().unwrap_or(0),
        screens.load(Ordering::Relaxed),
        tally.notes,
        tally.late,
        lagged.load(Ordering::Relaxed),
    );
    println!(
        "  CPU over the run: bot {bot_cpu:.2} s ({:.2} cores), load generator + fake {own_cpu:.2} s \
         ({:.2} cores), other processes {other_cpu:.2} s ({:.2} cores); {cores} cores × {secs:.2} s \
         = {:.2} s available",
        bot_cpu / secs,
        own_cpu / secs,
        other_cpu / secs,
        cores as f64 * secs
    );
    println!("  bot peak RSS (VmHWM) {rss_mib:.1} MiB; exit on SIGTERM: {status}");
    println!(
        "load: {handled} updates, {} citizens, {backend}: {rate:.0} updates/s, p50 {:.1} ms, \
         p99 {:.1} ms, peak RSS {rss_mib:.1} MiB (CPU: bot {:.2} cores, generator+fake {:.2})",
        options.citizens,
        pct(0.5),
        pct(0.99),
        bot_cpu / secs,
        own_cpu / secs
    );

    let mut failed = false;
    if !status.success() {
        eprintln!("load: the bot did not exit 0 on SIGTERM: {status}");
        failed = true;
    }
    if timed_out {
        eprintln!("load: stopped by the {:?} time limit", options.timeout);
        failed = true;
    }
    if tally.unanswered > 0 || refused > 0 || lagged.load(Ordering::Relaxed) > 0 {
        eprintln!("load: some inputs went unanswered, or Telegram refused calls");
        eprintln!("{}", fake.dump());
        failed = true;
    }
    if !log.trim().is_empty() {
        eprintln!("load: the bot logged (RUST_LOG=warn), last lines:\n{log}");
    }
    if failed || std::env::var_os("LOAD_BOT_LOG").is_some() {
        eprintln!("load: kept {}", dir.keep().display());
    }
    i32::from(failed)
}

/// The `q` quantile of sorted latencies in microseconds, in milliseconds (NaN for none).
fn percentile_ms(sorted_us: &[u64], q: f64) -> f64 {
    if sorted_us.is_empty() {
        return f64::NAN;
    }
    sorted_us[((sorted_us.len() - 1) as f64 * q).round() as usize] as f64 / 1000.0
}

/// Hands every notification of the fake to the citizen whose chat it is.
async fn route(
    mut notices: broadcast::Receiver<SentNotice>,
    inboxes: HashMap<i64, mpsc::UnboundedSender<SentNotice>>,
    screens: Arc<AtomicU64>,
    lagged: Arc<AtomicU64>,
) {
    loop {
        match notices.recv().await {
            Ok(notice) => {
                if !notice.sent.buttons.is_empty() {
                    screens.fetch_add(1, Ordering::Relaxed);
                }
                if let Some(inbox) = inboxes.get(&notice.chat_id) {
                    let _ = inbox.send(notice);
                }
            }
            Err(broadcast::error::RecvError::Lagged(n)) => {
                lagged.fetch_add(n, Ordering::Relaxed);
            }
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
}

/// The last screen a citizen sees: its message id and buttons (label, data).
struct Screen {
    message_id: i64,
    buttons: Vec<(String, String)>,
}

/// One citizen: `budget` inputs, each waiting for its answer.
async fn citizen(
    shared: Arc<Shared>,
    n: usize,
    user: i64,
    budget: usize,
    mut inbox: mpsc::UnboundedReceiver<SentNotice>,
) -> Tally {
    let fake = &shared.fake;
    let mut tally = Tally {
        latencies_us: Vec::with_capacity(budget),
        ..Tally::default()
    };
    let mut rng = (user as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut screen: Option<Screen> = None;
    let mut presses_since_start = 0;
    for _ in 0..budget {
        if tokio::time::Instant::now() >= shared.deadline {
            break;
        }
        let update: Value = match &screen {
            None => {
                presses_since_start = 0;
                let lang = ["vi", "en", "hmn"][n % 3];
                FakeTelegram::with_language(FakeTelegram::command(user, "/start"), lang)
            }
            Some(s) if is_end(s) || presses_since_start >= MAX_PRESSES => {
                presses_since_start = 0;
                tally.restarts += 1;
                FakeTelegram::command(user, "/restart")
            }
            Some(_) if next(&mut rng).is_multiple_of(TEXT_EVERY) => {
                tally.texts += 1;
                FakeTelegram::text(user, FREE_TEXTS[n % FREE_TEXTS.len()])
            }
            Some(s) => {
                // The language question: spread the citizens over the three languages.
                let i = if s.buttons[0].1.starts_with("c:language:") {
                    n % s.buttons.len()
                } else {
                    0
                };
                presses_since_start += 1;
                tally.presses += 1;
                fake.callback(user, &s.buttons[i].1, s.message_id)
            }
        };
        let pushed = Instant::now();
        let update_id = fake.push_update(update);
        screen = match answer(&shared, &mut inbox, pushed, &mut tally).await {
            Some(notice) => {
                let waited = notice.at.saturating_duration_since(pushed);
                tally.latencies_us.push(waited.as_micros() as u64);
                Some(Screen {
                    message_id: notice.sent.message_id,
                    buttons: notice.sent.buttons,
                })
            }
            None => {
                tally.unanswered += 1;
                if !shared.grace.is_zero() {
                    eprintln!("load: citizen {user}: update {update_id} was never answered");
                }
                None
            }
        };
        if !shared.think.is_zero() {
            tokio::time::sleep(shared.think).await;
        }
    }
    tally
}

/// Waits for the first message with buttons recorded after `pushed`.
async fn answer(
    shared: &Shared,
    inbox: &mut mpsc::UnboundedReceiver<SentNotice>,
    pushed: Instant,
    tally: &mut Tally,
) -> Option<SentNotice> {
    let until = (tokio::time::Instant::now() + ANSWER_TIMEOUT).min(shared.deadline + shared.grace);
    loop {
        let notice = tokio::time::timeout_at(until, inbox.recv())
            .await
            .ok()
            .flatten()?;
        if notice.at < pushed {
            tally.late += 1;
        } else if notice.sent.buttons.is_empty() {
            tally.notes += 1;
        } else {
            return Some(notice);
        }
    }
}

/// The end of the guide: its only buttons start again.
fn is_end(screen: &Screen) -> bool {
    screen.buttons.is_empty() || screen.buttons.iter().all(|(_, data)| data == "c:end:again")
}

fn next(state: &mut u64) -> u64 {
    // xorshift64: reproducible per citizen, no dependency.
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// The bot process.
struct Bot {
    child: Child,
    log: std::path::PathBuf,
}

impl Bot {
    /// `as_deployed`: the bot paces its messages and limits each citizen's inputs, as in
    /// production (the field modes); otherwise both are off, since the fake's limits are off
    /// and the citizens answer as fast as the bot does: the bot measures its own speed.
    fn start(fake: &FakeTelegram, dir: &Path, database_url: &str, as_deployed: bool) -> Bot {
        // One log per process, for the runs that start the bot again.
        static STARTS: AtomicU64 = AtomicU64::new(0);
        let n = STARTS.fetch_add(1, Ordering::Relaxed);
        let log = dir.join(if n == 0 {
            "bot.log".to_string()
        } else {
            format!("bot-{n}.log")
        });
        let (pace, inputs) = if as_deployed {
            ("telegram", "human")
        } else {
            ("off", "off")
        };
        let child = Command::new(BIN)
            .arg("run")
            .current_dir(dir)
            .env("TELOXIDE_TOKEN", TOKEN)
            .env("TELEGRAM_API_URL", fake.api_url())
            .env("TELEGRAM_PACE", pace)
            .env("CITIZEN_INPUT_LIMIT", inputs)
            .env("DATABASE_URL", database_url)
            // Required with PostgreSQL; a SQLite file would have its key file beside it.
            .env("PSEUDONYM_KEY", "load-test-pseudonym-key-0123456789")
            // LOAD_BOT_LOG overrides, e.g. `sqlx=debug` to see every statement.
            .env(
                "RUST_LOG",
                std::env::var("LOAD_BOT_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .env_remove("LOG_FORMAT")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("the bot's log file"))
            .spawn()
            .expect("the bot starts");
        Bot { child, log }
    }

    fn exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// SIGTERM, then the exit status (SIGKILL after 20 s). Async: the fake must go on answering
    /// the bot's last getUpdates while it stops.
    async fn terminate(&mut self) -> ExitStatus {
        kill(u64::from(self.child.id()), "TERM");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            if Instant::now() > deadline {
                eprintln!("load: the bot did not stop within 20 s of SIGTERM; killing it");
                let _ = self.child.kill();
                return self.child.wait().expect("the bot's exit status");
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        if !self.exited() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn kill(pid: u64, signal: &str) {
    if pid != 0 {
        let _ = Command::new("kill")
            .args([format!("-{signal}"), pid.to_string()])
            .stderr(Stdio::null())
            .status();
    }
}

/// User + system CPU time of a process so far (`self` or a pid), from /proc/<pid>/stat.
fn cpu_seconds(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) in parentheses: utime and stime are
    // the 14th and 15th of the line, so the 12th and 13th after ')'.
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / USER_HZ
}

/// CPU time the whole machine spent busy so far (all cores), from the first line of /proc/stat.
fn machine_busy_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let ticks: Vec<f64> = stat
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .skip(1)
        .filter_map(|t| t.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal …: busy is all but idle and iowait.
    let busy: f64 = ticks
        .iter()
        .take(8)
        .enumerate()
        .filter(|(i, _)| *i != 3 && *i != 4)
        .map(|(_, t)| t)
        .sum();
    busy / USER_HZ
}

/// Peak resident set size of a process (VmHWM), in KiB.
fn vm_hwm_kib(pid: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// A fresh PostgreSQL database for one run, dropped at the end.
struct Postgres {
    admin: String,
    name: String,
    url: String,
}

impl Postgres {
    async fn create() -> Postgres {
        use sqlx::Connection;
        let admin = std::env::var("TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string());
        let name = format!("dvc_load_{}", std::process::id());
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL is not reachable at {admin}: {e}"));
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .expect("a fresh database");
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
        let url = format!("{base}/{name}");
        Postgres { admin, name, url }
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        // Drop runs inside the runtime: a thread of its own with a runtime of its own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async move {
                use sqlx::Connection;
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(drop))
                        .execute(&mut conn)
                        .await;
                }
            });
        })
        .join();
    }
}
