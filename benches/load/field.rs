//! The field modes of the load bench: the bot as deployed (its messages paced under Telegram's
//! limits, each citizen's inputs limited to a human pace) against the fake with Telegram's flood
//! limits on, on a fresh SQLite file, for a given time.
//!
//! - `--flood`: quiet citizens (15) read each screen for a second before the next input, while
//!   one citizen sends 200 messages at once every 10 seconds. Prints the quiet citizens' time
//!   from input to screen (goal: p99 under 2 s), the 429s the bot met (goal: 0), and what the
//!   flood got.
//! - `--chaos`: the same, and every 15 seconds the bot is killed with SIGKILL and started again on
//!   the same database, every 5 seconds a send fails (a dropped connection, a 502) and a button's
//!   answer is refused. Prints lost inputs (never answered; goal: 0), repeated screens (sent
//!   again after a kill), parked updates and 429s.

use super::{ANSWER_TIMEOUT, Bot, FIRST_USER, Shared, Tally, citizen, kill, percentile_ms, route};
use fake_telegram::{FakeTelegram, Fault, Limits, SentNotice};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Flood,
    Chaos,
}

/// Quiet citizens, and how long each reads a screen.
const QUIET: usize = 15;
const THINK: Duration = Duration::from_secs(1);
/// The flooder: this many messages at once, this often.
const FLOOD: usize = 200;
const FLOOD_EVERY: Duration = Duration::from_secs(10);
/// Chaos: a SIGKILL this often, a failed send this often.
const KILL_EVERY: Duration = Duration::from_secs(15);
const FAULT_EVERY: Duration = Duration::from_secs(5);

pub async fn run(mode: Mode, seconds: u64, bot_pid: &AtomicU64) -> i32 {
    let fake = FakeTelegram::start(super::TOKEN).await;
    fake.set_limits(Limits::telegram());
    let notices = fake.subscribe_sent();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let database_url = format!("sqlite://{}", dir.path().join("bot.db").display());
    let mut bot = Bot::start(&fake, dir.path(), &database_url, true);
    bot_pid.store(u64::from(bot.child.id()), Ordering::Relaxed);
    if !ready(&fake, &mut bot).await {
        let _ = dir.keep();
        return 1;
    }

    let flooder = FIRST_USER + QUIET as i64;
    let mut inboxes = HashMap::new();
    let mut receivers = Vec::new();
    for n in 0..QUIET {
        let (tx, rx) = mpsc::unbounded_channel::<SentNotice>();
        inboxes.insert(FIRST_USER + n as i64, tx);
        receivers.push(rx);
    }
    let (flood_tx, mut flood_rx) = mpsc::unbounded_channel::<SentNotice>();
    inboxes.insert(flooder, flood_tx);
    let screens = Arc::new(AtomicU64::new(0));
    let lagged = Arc::new(AtomicU64::new(0));
    let router = tokio::spawn(route(notices, inboxes, screens, lagged.clone()));

    let started = Instant::now();
    let shared = Arc::new(Shared {
        fake: fake.clone(),
        deadline: tokio::time::Instant::now() + Duration::from_secs(seconds),
        think: THINK,
        // The last inputs, sent just before the end (or a kill), are answered all the same.
        grace: ANSWER_TIMEOUT,
    });
    let mut quiet = tokio::task::JoinSet::new();
    for (n, inbox) in receivers.into_iter().enumerate() {
        let shared = shared.clone();
        // Bounded by the deadline: a citizen who reads for a second manages fewer than this.
        let inputs = seconds as usize * 2;
        quiet.spawn(citizen(shared, n, FIRST_USER + n as i64, inputs, inbox));
    }

    // The flooder, the kills and the faults, until the quiet citizens are done.
    let mut flood_sent = 0;
    let mut kills = 0;
    let mut faults = 0;
    let mut next_flood = tokio::time::Instant::now();
    let mut next_kill = tokio::time::Instant::now() + KILL_EVERY;
    let mut next_fault = tokio::time::Instant::now() + FAULT_EVERY;
    fake.push_update(FakeTelegram::command(flooder, "/start"));
    while !quiet.is_empty() && tokio::time::Instant::now() < shared.deadline {
        let tick = next_flood.min(if mode == Mode::Chaos {
            next_kill.min(next_fault)
        } else {
            next_flood
        });
        tokio::select! {
            _ = tokio::time::sleep_until(tick) => {}
            _ = quiet.join_next() => continue,
        }
        let now = tokio::time::Instant::now();
        if now >= shared.deadline {
            break;
        }
        if now >= next_flood {
            for n in 0..FLOOD {
                fake.push_update(FakeTelegram::text(flooder, &format!("{n}")));
            }
            flood_sent += FLOOD;
            next_flood += FLOOD_EVERY;
        }
        if mode == Mode::Chaos && now >= next_kill {
            kill(u64::from(bot.child.id()), "KILL");
            let _ = bot.child.wait();
            kills += 1;
            bot = Bot::start(&fake, dir.path(), &database_url, true);
            bot_pid.store(u64::from(bot.child.id()), Ordering::Relaxed);
            next_kill += KILL_EVERY;
        }
        if mode == Mode::Chaos && now >= next_fault {
            fake.fail_next("sendMessage", 1, Fault::Drop);
            fake.fail_next("sendMessage", 1, Fault::Status(502));
            fake.fail_next(
                "answerCallbackQuery",
                1,
                Fault::Api(
                    400,
                    "Bad Request: query is too old and response timeout expired or query id is invalid"
                        .into(),
                ),
            );
            faults += 3;
            next_fault += FAULT_EVERY;
        }
    }
    let tally = Tally::gather(&mut quiet).await;
    let wall = started.elapsed();
    // What the flooder got: the screens and notes that reached it.
    let mut flood_got = 0;
    while flood_rx.try_recv().is_ok() {
        flood_got += 1;
    }
    let slow_down = fake
        .sent(flooder)
        .iter()
        .filter(|s| s.buttons.is_empty() && s.plain.contains("chậm"))
        .count();
    router.abort();
    let too_many = fake.refused().iter().filter(|c| c.status == 429).count();
    let status = bot.terminate().await;
    let parked = parked(&database_url).await;

    let mut lat = tally.latencies_us.clone();
    lat.sort_unstable();
    let pct = |q: f64| percentile_ms(&lat, q);
    let name = if mode == Mode::Chaos {
        "chaos"
    } else {
        "flood"
    };
    println!(
        "load --{name}: `dvc-onboard run` as deployed (paced, inputs limited) against the fake \
         with Telegram's limits on, SQLite, {:.0} s",
        wall.as_secs_f64()
    );
    println!(
        "  quiet citizens {QUIET} (reading {THINK:?} a screen): answered {}, lost {}; \
         time to screen p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        lat.len(),
        tally.unanswered,
        pct(0.5),
        pct(0.99),
        pct(1.0)
    );
    println!(
        "  flooder: sent {flood_sent} messages ({FLOOD} at once every {FLOOD_EVERY:?}), \
         received {flood_got}, told to slow down {slow_down} times"
    );
    println!(
        "  repeated screens {}; parked updates {parked}; 429s {too_many}; SIGKILLs {kills}; \
         injected failures {faults}; notices lost {}; exit on SIGTERM: {status}",
        tally.late,
        lagged.load(Ordering::Relaxed)
    );

    let mut failed = false;
    if tally.unanswered > 0 {
        eprintln!(
            "load: {} quiet inputs were never answered",
            tally.unanswered
        );
        failed = true;
    }
    // After a SIGKILL the new process starts with a full allowance that Telegram (the fake)
    // has not given back yet: a few 429s then are waited out, and counted, but only a steady
    // run must have none.
    if too_many > 0 && mode == Mode::Flood {
        eprintln!("load: the bot met {too_many} 429s");
        failed = true;
    }
    if mode == Mode::Flood && pct(0.99) > 2000.0 {
        eprintln!("load: a quiet citizen's p99 is over 2 s");
        failed = true;
    }
    if !status.success() {
        eprintln!("load: the bot did not exit 0 on SIGTERM: {status}");
        failed = true;
    }
    if failed {
        eprintln!("{}\nload: kept {}", bot.log_tail(), dir.keep().display());
    }
    i32::from(failed)
}

/// Waits until the bot long-polls.
async fn ready(fake: &FakeTelegram, bot: &mut Bot) -> bool {
    let ready_by = Instant::now() + ANSWER_TIMEOUT;
    while fake.offsets().is_empty() {
        if Instant::now() > ready_by || bot.exited() {
            eprintln!("load: the bot did not start polling\n{}", bot.log_tail());
            return false;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    true
}

/// How many updates the bot parked.
async fn parked(database_url: &str) -> i64 {
    use sqlx::Connection;
    let Ok(mut conn) = sqlx::SqliteConnection::connect(database_url).await else {
        return -1;
    };
    sqlx::query_scalar("SELECT count(*) FROM parked_updates")
        .fetch_one(&mut conn)
        .await
        .unwrap_or(-1)
}
