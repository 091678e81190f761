//! The PostgreSQL server restarts while citizens walk the guide through two instances: nothing
//! is lost. A file of its own, because the restart cuts every connection to the server and
//! the tests of one file run at the same time.

mod cluster;
mod common;
mod fake_telegram;

use cluster::{Cluster, portal_walk};
use common::postgres_skipped;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// Restarts the server the tests use: `PG_RESTART_COMMAND` if set, else this machine kind's
/// cluster through `pg_ctlcluster`.
fn restart_postgres() {
    let command = std::env::var("PG_RESTART_COMMAND").unwrap_or_else(|_| {
        let clusters = Command::new("pg_lsclusters")
            .arg("--no-header")
            .output()
            .expect("pg_lsclusters runs (or set PG_RESTART_COMMAND)");
        let line = String::from_utf8_lossy(&clusters.stdout)
            .lines()
            .find(|l| l.split_whitespace().nth(2) == Some("5432"))
            .map(str::to_string)
            .expect("a cluster on port 5432 (or set PG_RESTART_COMMAND)");
        let mut fields = line.split_whitespace();
        let (version, name) = (fields.next().unwrap_or(""), fields.next().unwrap_or(""));
        format!("pg_ctlcluster --skip-systemctl-redirect {version} {name} restart")
    });
    let status = Command::new("sh")
        .args(["-c", &command])
        .status()
        .expect("the restart command runs");
    assert!(status.success(), "`{command}` failed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_restart_mid_run_loses_nothing() {
    if postgres_skipped() {
        return;
    }
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

    // The outage reached updates in flight: retried inside the instance, or answered with an
    // error so that "Telegram" delivered them again.
    let refusals = cluster.refusals.load(Ordering::Relaxed);
    let retried = cluster.logs().matches("update failed; retrying").count();
    eprintln!("during the restart: {retried} retries inside the bots, {refusals} non-200 answers");
    assert!(
        retried + refusals > 0,
        "the restart did not touch any update:\n{}",
        cluster.logs()
    );
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
