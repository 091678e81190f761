//! SQLite's writer thread: many turns in one transaction, in one hop.
//!
//! Through sqlx, every SQLite statement is a hand-off to sqlx's connection thread and back.
//! A turn takes about ten statements, and on a small VM each hand-off costs more than the
//! statement (two thread wake-ups; profiles of the load bench showed most of the bot's time
//! in futex and scheduler code, SQLite itself at 2%). Here a long-polling batch of up to a
//! hundred updates goes to one thread that owns a SQLite connection (rusqlite, on the same
//! libsqlite3 as sqlx) and runs all of its turns, each in a savepoint, in one transaction: one
//! hand-off and one commit for the batch. The turns' writes are the same [`Plan`]s a single
//! turn runs through sqlx.
//!
//! Only SQLite has this: it has one writer anyway. Several instances on PostgreSQL take a
//! citizen's lock per turn and keep one transaction per update.

use super::plan::{Before, Plan, TurnWrite, Value, first_line, plan};
use super::{Claim, OUTBOX_DELETE, OUTBOX_WAITING, READ_DIALOGUE, READ_PREFERENCES, dialogue};
use anyhow::Context;
use dvc_onboard_core::guide::engine::{Outcome, State};
use dvc_onboard_core::lang::Lang;
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use std::sync::mpsc;

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// The handle to the writer thread; the thread ends when the store is dropped.
#[derive(Debug)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Opens the database file at `path` (already created and migrated through sqlx) on a thread
    /// of its own.
    pub fn open(path: &str) -> anyhow::Result<Writer> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("cannot open {path} for the writer thread"))?;
        // As the sqlx connections have them: the same journal and the same wait for the lock.
        // And the journal of each turn's savepoint in memory, not in a temporary file: with
        // it on disk, a third of this thread's time went to writing it.
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
             PRAGMA temp_store = MEMORY; PRAGMA secure_delete = ON;",
        )?;
        conn.set_prepared_statement_cache_capacity(64);
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                let mut conn = conn;
                for job in queue {
                    // A panic in a job fails that job (its caller sees the writer gone for it),
                    // not the thread.
                    let run = std::panic::AssertUnwindSafe(|| job(&mut conn));
                    if std::panic::catch_unwind(run).is_err() {
                        tracing::error!("a batch panicked on the SQLite writer thread");
                    }
                }
            })?;
        Ok(Writer { jobs })
    }

    /// Runs `job` on the writer thread in one write transaction, committed if it returns `Ok`.
    /// Jobs run in the order they were given, whoever gave them.
    pub async fn run<R: Send + 'static>(
        &self,
        job: impl FnOnce(&mut WriterTransaction<'_>) -> anyhow::Result<R> + Send + 'static,
    ) -> anyhow::Result<R> {
        let (done, result) = tokio::sync::oneshot::channel();
        self.queue(Box::new(move |conn| {
            let _ = done.send(in_transaction(conn, job));
        }))?;
        result
            .await
            .map_err(|_| anyhow::anyhow!("a batch failed on the SQLite writer thread"))?
    }

    /// Queues `job` without waiting for it: it runs before any job given after this returns.
    /// A failure is logged.
    pub fn submit(
        &self,
        job: impl FnOnce(&mut WriterTransaction<'_>) -> anyhow::Result<()> + Send + 'static,
    ) -> anyhow::Result<()> {
        self.queue(Box::new(move |conn| {
            if let Err(e) = in_transaction(conn, job) {
                tracing::warn!(
                    error = format!("{e:#}"),
                    "a job failed on the writer thread"
                );
            }
        }))
    }

    fn queue(&self, job: Job) -> anyhow::Result<()> {
        self.jobs
            .send(job)
            .map_err(|_| anyhow::anyhow!("the SQLite writer thread stopped"))
    }
}

/// Runs `job` in one write transaction, committed if it returns `Ok`.
fn in_transaction<R>(
    conn: &mut Connection,
    job: impl FnOnce(&mut WriterTransaction<'_>) -> anyhow::Result<R>,
) -> anyhow::Result<R> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut batch = WriterTransaction { tx };
    let value = job(&mut batch)?;
    batch.tx.commit()?;
    Ok(value)
}

/// A write transaction on the writer thread.
pub struct WriterTransaction<'c> {
    tx: rusqlite::Transaction<'c>,
}

/// What a turn of a batch decided: the engine's outcome, the replies to queue (chat id and
/// body), and what the caller wants back.
pub type Decided<'g, R> = (Outcome<'g>, Vec<(i64, String)>, R);

impl WriterTransaction<'_> {
    /// One input of one citizen: `decide` gets the citizen's state and says what happens, and
    /// its writes are made. `Ok(None)` if `update_id` was handled before. An `Err` may leave
    /// part of the turn written: the caller gives up the whole transaction. (A savepoint per
    /// turn would undo just the turn, but its journal cost a sixth of this thread's work, for a
    /// failure that hardly ever comes.)
    pub fn turn<'g, R>(
        &mut self,
        pseudonym: &str,
        adapter: &str,
        update_id: i64,
        chat: Option<i64>,
        now: i64,
        decide: impl FnOnce(&State) -> anyhow::Result<Decided<'g, R>>,
    ) -> anyhow::Result<Option<R>> {
        let fresh = self
            .tx
            .prepare_cached(
                "INSERT INTO processed_updates (update_id, at) VALUES (?1, ?2) \
                 ON CONFLICT DO NOTHING",
            )?
            .execute((update_id, now))?;
        if fresh == 0 {
            return Ok(None);
        }
        let before = read_before(&self.tx, pseudonym)?;
        let (outcome, outbox, value) = decide(&before.state)?;
        let turn = TurnWrite {
            pseudonym,
            adapter,
            chat,
            now,
            outcome: &outcome,
            outbox: &outbox,
        };
        let writes = plan(&before, &turn);
        execute(&self.tx, &writes)?;
        Ok(Some(value))
    }
}

impl WriterTransaction<'_> {
    /// The replies waiting for `chats`, oldest first within each chat.
    pub fn waiting(&mut self, chats: &[i64]) -> anyhow::Result<Vec<Claim>> {
        let mut read = self.tx.prepare_cached(OUTBOX_WAITING)?;
        let mut claims = Vec::new();
        for &chat_id in chats {
            let rows = read.query_map([chat_id], |row| {
                Ok(Claim {
                    id: row.get(0)?,
                    chat_id,
                    body: row.get(1)?,
                    queued_at: row.get(2)?,
                    tx: None,
                })
            })?;
            for claim in rows {
                claims.push(claim?);
            }
        }
        Ok(claims)
    }

    /// Replies that reached Telegram (or never will): they leave the outbox.
    pub fn delivered(&mut self, ids: &[i64]) -> anyhow::Result<()> {
        let mut delete = self.tx.prepare_cached(OUTBOX_DELETE)?;
        for id in ids {
            delete.execute([id])?;
        }
        Ok(())
    }
}

/// Where a citizen stands, as [`super::Store::begin`] reads it.
fn read_before(conn: &Connection, pseudonym: &str) -> anyhow::Result<Before> {
    let row = conn
        .prepare_cached(READ_DIALOGUE)?
        .query_row([pseudonym], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    if let Some((json, session)) = row {
        return Ok(dialogue(json, session));
    }
    let preferences: Option<(Option<String>, i64)> = conn
        .prepare_cached(READ_PREFERENCES)?
        .query_row([pseudonym], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let state = match preferences {
        Some((lang, text_only)) => {
            State::with_preferences(lang.as_deref().and_then(Lang::from_code), text_only != 0)
        }
        None => State::default(),
    };
    Ok(Before {
        state,
        session: None,
        known: false,
    })
}

/// Runs a plan's statements; `$n` parameters are bound by their number, as sqlx does.
fn execute(conn: &Connection, plan: &Plan) -> anyhow::Result<()> {
    for statement in &plan.0 {
        let mut prepared = conn.prepare_cached(&statement.sql)?;
        for index in 1..=prepared.parameter_count() {
            let number = prepared
                .parameter_name(index)
                .and_then(|name| name.strip_prefix('$'))
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| n.checked_sub(1))
                .with_context(|| format!("parameter {index} of a planned statement"))?;
            match statement.params.get(number) {
                Some(Value::Int(v)) => prepared.raw_bind_parameter(index, v)?,
                Some(Value::Text(v)) => prepared.raw_bind_parameter(index, v)?,
                None => prepared.raw_bind_parameter(index, rusqlite::types::Null)?,
            }
        }
        let changed = prepared.raw_execute()?;
        if statement.must_change && changed == 0 {
            anyhow::bail!("a write changed nothing: {}", first_line(&statement.sql));
        }
    }
    Ok(())
}
