//! How long a report takes over a large database: a million synthetic sessions (`demo-data`,
//! about 17 events each), built once and kept in `target/bench-report/` between runs (a new one
//! when the migrations change; delete the folder to rebuild after changing `demo-data`).
//!
//! `cargo bench --bench report`  (BENCH_SESSIONS=100000 for a smaller database)
//!
//! Prints the time to read every figure (`report::build`), and to make everything `/report`
//! sends (the figures, the CSV and the PNG chart).

use dvc_onboard::demo;
use dvc_onboard::report::{self, Params, period::Period};
use dvc_onboard::store::Store;
use dvc_onboard_core::content::ContentDirs;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The moment the synthetic data ends (25/11/2026 12:00 in Vietnam), fixed so that a kept
/// database and the periods below always match.
const NOW_MS: i64 = 1_795_582_800_000;
const RUNS: usize = 7;

fn main() -> anyhow::Result<()> {
    if std::env::args().any(|a| a == "--list") {
        return Ok(()); // `cargo bench -- --list` and test harness probes
    }
    let sessions: u64 = std::env::var("BENCH_SESSIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".to_string());
    let dir = PathBuf::from(target).join("bench-report");
    std::fs::create_dir_all(&dir)?;
    // A database made under other migrations would be refused: the schema is in the name.
    let db = dir.join(format!("demo-{sessions}-seed1-{}.db", schema_key()?));
    let url = format!("sqlite://{}", db.display());
    let content = ContentDirs::default().load()?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        if !db.exists() {
            let building = db.with_extension("building.db");
            // What an interrupted build left.
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", building.display()));
            }
            eprintln!(
                "building {} ({sessions} synthetic sessions, once)…",
                db.display()
            );
            let started = Instant::now();
            let store = Store::connect(&format!("sqlite://{}", building.display())).await?;
            let summary = demo::generate(
                &store,
                &content.guide,
                &demo::Options::new(sessions, 1, NOW_MS),
                |_| {},
            )
            .await?;
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(store.pool())
                .await?;
            store.pool().close().await;
            std::fs::rename(&building, &db)?;
            eprintln!(
                "built: {} sessions, {} citizens, {} events in {:.0} s",
                summary.sessions,
                summary.citizens,
                summary.events,
                started.elapsed().as_secs_f64()
            );
        }
        let store = Store::connect(&url).await?;
        let (n_sessions, n_events): (i64, i64) = (
            sqlx::query_scalar("SELECT count(*) FROM sessions")
                .fetch_one(store.pool())
                .await?,
            sqlx::query_scalar("SELECT max(id) FROM events")
                .fetch_one(store.pool())
                .await?,
        );
        println!(
            "database: {} sessions, {} events ({})",
            n_sessions,
            n_events,
            db.display()
        );
        for period in ["2026", "2026-H2", "2025-11-26..2026-11-25"] {
            let mut params = Params::current(NOW_MS);
            params.period = Period::parse(period).map_err(anyhow::Error::from)?;
            let mut build = Vec::new();
            let mut bundle = Vec::new();
            let mut counted = 0;
            for _ in 0..RUNS {
                let t = Instant::now();
                let r = report::build(&store, &content, &params).await?;
                build.push(t.elapsed());
                counted = r.sessions;
                let t = Instant::now();
                let b = report::telegram_bundle(&store, &content, period, NOW_MS)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                std::hint::black_box(&b);
                bundle.push(t.elapsed());
            }
            println!(
                "report {period:<24} {counted:>8} sessions counted: figures median {} (min {}), \
                 figures + CSV + PNG median {}",
                ms(median(&mut build)),
                ms(*build.iter().min().unwrap_or(&Duration::ZERO)),
                ms(median(&mut bundle)),
            );
        }
        Ok(())
    })
}

/// A short digest of the SQLite migrations.
fn schema_key() -> anyhow::Result<String> {
    use sha2::{Digest, Sha256};
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.sort();
    let mut hash = Sha256::new();
    for f in files {
        hash.update(std::fs::read(f)?);
    }
    Ok(hex::encode(&hash.finalize()[..6]))
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}
