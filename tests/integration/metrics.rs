//! `/metrics` on long polling's `METRICS_LISTEN`: what the bot handled, what Telegram said
//! (a 429 among it), how long replies took and what waits, in Prometheus's text format, checked
//! by Prometheus's own `promtool` where it is installed.

use crate::harness::{SQLITE, TestDb, count_until, free_port, press, say, start_against};
use fake_telegram::{FakeTelegram, Fault, Limits};
use std::io::Write;
use std::process::{Command, Stdio};

const TOKEN: &str = "4848:METRICS-TOKEN";

/// The value of the sample `name` (with its labels, as written), if there is one.
fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_updates_calls_429s_replies_and_what_waits() {
    let fake = FakeTelegram::start(TOKEN).await;
    fake.set_limits(Limits::off());
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(SQLITE, dir.path());
    let listen = format!("127.0.0.1:{}", free_port());
    let _bot = start_against(
        &fake,
        TOKEN,
        &tdb,
        dir.path(),
        &[("METRICS_LISTEN", listen.as_str())],
    );
    let user = 8_800_000_001;
    say(&fake, user, FakeTelegram::command(user, "/start")).await;
    press(&fake, user, 1).await;
    // One 429 on the way: waited out, and counted.
    fake.fail_next("sendMessage", 1, Fault::RetryAfter(1));
    press(&fake, user, 1).await;
    let pool = tdb.pool().await;
    count_until(&pool, "SELECT count(*) FROM outbox", |n| n == 0).await;

    let url = format!("http://{listen}/metrics");
    let mut text = String::new();
    // The gauges are set by the sweep, every ten seconds: until one saw the outbox empty.
    for _ in 0..100 {
        text = reqwest::get(&url)
            .await
            .expect("/metrics answers")
            .text()
            .await
            .expect("a text");
        if sample(&text, "dvc_outbox_waiting") == Some(0.0) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(
        sample(&text, "dvc_updates_handled_total").is_some_and(|n| n >= 3.0),
        "{text}"
    );
    assert!(
        sample(
            &text,
            "dvc_telegram_calls_total{method=\"sendMessage\",result=\"ok\"}"
        )
        .is_some_and(|n| n >= 3.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "dvc_telegram_429_total{method=\"sendMessage\"}"),
        Some(1.0),
        "{text}"
    );
    assert!(
        sample(&text, "dvc_update_reply_seconds_count").is_some_and(|n| n >= 3.0),
        "{text}"
    );
    for gauge in [
        "dvc_outbox_waiting",
        "dvc_cases_open",
        "dvc_cases_waiting",
        "dvc_follow_ups_due",
    ] {
        assert_eq!(sample(&text, gauge), Some(0.0), "{gauge} in {text}");
    }

    // Prometheus's own check of the format, where its tool is installed.
    match Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(mut promtool) => {
            promtool
                .stdin
                .take()
                .expect("stdin")
                .write_all(text.as_bytes())
                .expect("written");
            let out = promtool.wait_with_output().expect("promtool ends");
            assert!(
                out.status.success(),
                "promtool: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Err(_) => eprintln!(
            "SKIPPED: promtool is not installed (Debian's `prometheus` package): the format was \
             not checked by Prometheus's own tool"
        ),
    }
}
