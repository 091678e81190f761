//! `dvc-onboard backup`: a consistent copy of the live SQLite database while citizens keep the
//! bot busy, that restores to the same figures; and the pg_dump line for PostgreSQL.

use crate::harness::{
    SQLITE, TestDb, find_walk, guide, press, report_json, run, say, start_against, text,
};
use dvc_onboard::store::Store;
use dvc_onboard_core::domain::Milestone;
use fake_telegram::{FakeTelegram, Limits};
use serde_json::Value;
use std::path::Path;

const TOKEN: &str = "4646:BACKUP-TOKEN";

/// The report of the database at `url`, as JSON.
fn report(dir: &Path, url: &str) -> Value {
    report_json(dir, &[("DATABASE_URL", url)])
}

fn backup(dir: &Path, url: &str, file: &Path) -> String {
    let out = run(
        dir,
        &["backup", &file.display().to_string()],
        "",
        &[("DATABASE_URL", url)],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_made_during_load_restores_to_the_same_figures() {
    let fake = FakeTelegram::start(TOKEN).await;
    fake.set_limits(Limits::off());
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(SQLITE, dir.path());
    let _bot = start_against(&fake, TOKEN, &tdb, dir.path(), &[]);
    // Twenty-four citizens walk the guide to a portal log-in at once.
    let walk = find_walk(&guide(), "vi", &[Milestone::PortalLogin]);
    let mut load = tokio::task::JoinSet::new();
    for user in 8_100_000_001..8_100_000_025_i64 {
        let (fake, presses) = (fake.clone(), walk.presses.clone());
        load.spawn(async move {
            say(&fake, user, FakeTelegram::command(user, "/start")).await;
            press(&fake, user, 1).await;
            for n in presses {
                press(&fake, user, n).await;
            }
        });
    }
    // Backed up while they are under way.
    // It polls once its database is ready.
    fake.wait_until("the bot polls", std::time::Duration::from_secs(20), |f| {
        !f.calls_of("getUpdates").is_empty()
    })
    .await;
    let pool = tdb.pool().await;
    crate::harness::count_until(&pool, "SELECT count(*) FROM events", |n| n > 100).await;
    // Backed up again and again until they are done: each copy, restored into a fresh file, is
    // consistent (its summaries are what a recount of it gives), and some caught them midway.
    let restored_dir = tempfile::tempdir().expect("temp dir");
    let mut midway = 0;
    for n in 0.. {
        let finished = load.is_empty();
        let copy = dir.path().join(format!("during-{n}.db"));
        let said = backup(dir.path(), &tdb.url, &copy);
        assert!(said.contains("integrity check: ok"), "{said}");
        assert!(
            said.contains("bot.db.key") && said.contains("apart"),
            "{said}"
        );
        let restored = restored_dir.path().join(format!("restored-{n}.db"));
        std::fs::copy(&copy, &restored).expect("restored");
        let url = format!("sqlite://{}", restored.display());
        let kept = report(restored_dir.path(), &url);
        let store = Store::connect(&url).await.expect("the restored copy");
        store.rebuild_report_summaries().await.expect("recounted");
        assert_eq!(report(restored_dir.path(), &url), kept);
        if kept["outcomes"]["portal_login"].as_i64() < Some(24) {
            midway += 1;
        }
        if finished {
            break;
        }
        while let Some(walked) = load.try_join_next() {
            walked.expect("a citizen's walk");
        }
    }
    assert!(
        midway > 0,
        "no backup was made while the citizens were under way"
    );

    // Made once they are done: the same figures as the database itself.
    let after = dir.path().join("after.db");
    backup(dir.path(), &tdb.url, &after);
    let after_url = format!("sqlite://{}", after.display());
    let copy = report(dir.path(), &after_url);
    assert_eq!(copy, report(dir.path(), &tdb.url));
    assert_eq!(copy["outcomes"]["portal_login"], 24, "{copy}");

    // Never over an existing file.
    let again = run(
        dir.path(),
        &["backup", &after.display().to_string()],
        "",
        &[("DATABASE_URL", tdb.url.as_str())],
    );
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("never overwrites"));
}

#[test]
fn postgresql_is_backed_up_with_pg_dump() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(
        dir.path(),
        &["backup", "x.db"],
        "",
        &[
            ("DATABASE_URL", "postgres://bot@127.0.0.1/dvc"),
            (
                "PSEUDONYM_KEY",
                "a-key-of-at-least-thirty-two-characters-here",
            ),
        ],
    );
    assert!(!out.status.success());
    let said = text(&out.stderr);
    assert!(said.contains("pg_dump --format=custom"), "{said}");
    assert!(
        said.contains("PSEUDONYM_KEY") && said.contains("apart"),
        "{said}"
    );
}
