//! The store: citizens (pseudonyms), dialogue state, sessions and the event log, in SQLite.
//!
//! One input of one citizen is one transaction: the state is read, the pure engine runs, and
//! the new state with its events is written before anything is sent, so a crash never leaves a
//! reply without its record or a record without its state.

use dvc_onboard_core::domain::{Purpose, SessionOutcome, Source};
use dvc_onboard_core::guide::engine::{Event, FollowUpEnd, HandoffEnd, Outcome, State};

use anyhow::Context;
use dvc_onboard_core::lang::Lang;
use sqlx::Row;
use std::time::Duration;

pub mod backup;
mod bulk;
mod follow_up;
mod handoff;
mod media;
mod migrations;
mod parked;
mod plan;
mod writer;
pub use bulk::BulkTurn;
pub use follow_up::{DueFollowUp, Waiting};
pub use handoff::{Case, CaseSummary, InPerson};
pub use media::StaffMedia;
use plan::{Before, SessionRef, TurnWrite};
pub use writer::{Decided, Writer, WriterTransaction};

/// A short case code staff can say aloud ("case K7P3"): no 0/O or 1/I to mix up.
fn case_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let bytes: [u8; 5] = rand::random();
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// Which database a [`Store`] talks to. The SQL is shared (`$1` parameters, `ON CONFLICT`,
/// `RETURNING`, Unix-millisecond integers); where the two differ, the store asks this.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// One file, one writer: the default, for one commune's bot.
    Sqlite,
    /// A server several bot instances can share, for a province.
    Postgres,
}

impl Backend {
    /// The backend a `DATABASE_URL` names.
    pub fn of(url: &str) -> anyhow::Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            anyhow::bail!(
                "DATABASE_URL must start with sqlite: or postgres:// (got {})",
                redact(url)
            )
        }
    }
}

/// Connections are `sqlx::Any`, so one body of code serves both backends.
pub type Db = sqlx::Any;
pub type DbConnection = sqlx::AnyConnection;
type Tx = sqlx::Transaction<'static, Db>;

#[derive(Clone, Debug)]
pub struct Store {
    pool: sqlx::AnyPool,
    backend: Backend,
    /// SQLite in a file: the file, and the thread that runs a batch of turns in one hop
    /// ([`Writer`]), started at the first batch (reports and the terminal never need it).
    sqlite_file: Option<String>,
    writer: std::sync::Arc<std::sync::OnceLock<Option<Writer>>>,
    /// Delivered replies whose removal is queued on the writer thread.
    delivered: std::sync::Arc<std::sync::Mutex<Vec<i64>>>,
    /// PostgreSQL: the connections that hold advisory locks ([`Store::exclusive`], delivery
    /// claims). A claim is held while Telegram takes a reply, which under a flood of 429s can
    /// take minutes; on a pool of their own, such waits never leave citizens' turns without a
    /// connection. The same pool as `pool` on SQLite (never used there).
    locks: sqlx::AnyPool,
}

impl Store {
    /// Opens (creating if needed) the database at `url` and applies pending migrations.
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        let store = Store::open(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens the database at `url` without migrating it.
    pub async fn open(url: &str) -> anyhow::Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of(url)?;
        let pool = match backend {
            Backend::Sqlite => {
                // `Any` takes a URL, not SQLite's typed options: the file is created by the
                // URL's mode, the rest is set on each new connection.
                let url = if url.contains("mode=") || url.contains(":memory:") {
                    url.to_string()
                } else if url.contains('?') {
                    format!("{url}&mode=rwc")
                } else {
                    format!("{url}?mode=rwc")
                };
                // An in-memory database lives in one connection; a file can serve several readers.
                let max = if url.contains(":memory:") { 1 } else { 4 };
                sqlx::any::AnyPoolOptions::new()
                    .max_connections(max)
                    // A local file does not drop connections; a ping per query only costs time.
                    .test_before_acquire(false)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            sqlx::raw_sql(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                                 PRAGMA secure_delete = ON;",
                            )
                            .execute(conn)
                            .await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await
            }
            Backend::Postgres => {
                sqlx::any::AnyPoolOptions::new()
                    .max_connections(16)
                    // A server restarts: a connection that died meanwhile is found out and
                    // replaced before it is handed out, rather than failing a citizen's turn.
                    .test_before_acquire(true)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect(url)
                    .await
            }
        }
        .with_context(|| format!("cannot open the database {}", redact(url)))?;
        let locks = match backend {
            Backend::Sqlite => pool.clone(),
            Backend::Postgres => sqlx::any::AnyPoolOptions::new()
                .max_connections(8)
                .test_before_acquire(true)
                // Waiting for a lock another instance holds is normal here.
                .acquire_timeout(Duration::from_secs(60))
                .connect_lazy(url)
                .with_context(|| format!("cannot open the database {}", redact(url)))?,
        };
        Ok(Store {
            pool,
            backend,
            locks,
            sqlite_file: sqlite_path(url).filter(|_| backend == Backend::Sqlite),
            writer: Default::default(),
            delivered: Default::default(),
        })
    }

    /// Applies the migrations of this backend (`migrations/sqlite` or `migrations/postgres`)
    /// that the database does not have yet, and says so. A database that a newer version has
    /// migrated further than this one knows is refused: this version would misread it.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = migrations::migrator(self.backend);
        let known: Vec<i64> = migrator.iter().map(|m| m.version).collect();
        // One connection throughout: a connection given back is back in the pool only a moment
        // later, and a second one would cost a second TLS handshake with PostgreSQL.
        let mut conn = self.pool.acquire().await?;
        let before = applied_migrations(&mut conn, self.backend).await?;
        if let Some(unknown) = before.iter().rev().find(|v| !known.contains(v)) {
            anyhow::bail!(
                "this database was upgraded by a newer dvc-onboard: it has migration {unknown}, \
                 which this version ({}, migrations up to {}) does not know. Run the newer \
                 version, or restore the backup made before the upgrade",
                env!("CARGO_PKG_VERSION"),
                known.last().copied().unwrap_or_default()
            );
        }
        migrator
            .run(&mut *conn)
            .await
            .context("cannot apply the database migrations")?;
        let after = applied_migrations(&mut conn, self.backend).await?;
        let applied = after.len().saturating_sub(before.len());
        match (before.last(), after.last()) {
            (_, _) if applied == 0 => {}
            (None, Some(to)) => tracing::info!(version = to, applied, "database created"),
            (Some(from), Some(to)) => {
                tracing::info!(from, to, applied, "database upgraded: migrations applied")
            }
            (_, None) => {}
        }
        Ok(())
    }

    /// How the database's migrations compare with this version's, without changing anything:
    /// `Ok(n)` with the number this version would apply, or why this version must not use it.
    pub async fn pending_migrations(&self) -> anyhow::Result<usize> {
        let known: Vec<i64> = migrations::migrator(self.backend)
            .iter()
            .map(|m| m.version)
            .collect();
        let mut conn = self.pool.acquire().await?;
        let applied = applied_migrations(&mut conn, self.backend).await?;
        if let Some(unknown) = applied.iter().rev().find(|v| !known.contains(v)) {
            anyhow::bail!("a newer dvc-onboard migrated it (migration {unknown})");
        }
        Ok(known.iter().filter(|v| !applied.contains(v)).count())
    }

    /// Whether a write would be taken now: a write transaction begun, and undone.
    pub async fn try_write(&self) -> anyhow::Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE report_bulk SET bulk = bulk")
            .execute(&mut *tx)
            .await?;
        tx.rollback().await?;
        Ok(())
    }

    pub fn pool(&self) -> &sqlx::AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The writer thread that runs batches of turns in one transaction: SQLite in a file only.
    /// `None` also if it could not open the file: batches then go one update at a time.
    pub fn writer(&self) -> Option<&Writer> {
        let file = self.sqlite_file.as_deref()?;
        self.writer
            .get_or_init(|| {
                Writer::open(file)
                    .inspect_err(|e| tracing::error!(error = format!("{e:#}"), "no writer thread"))
                    .ok()
            })
            .as_ref()
    }

    /// A transaction that will write. SQLite takes its one write lock at once (`IMMEDIATE`), so
    /// two writers queue instead of failing on upgrade; PostgreSQL locks rows as they are
    /// written.
    async fn begin_write(&self) -> anyhow::Result<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Runs one input of one citizen in one call: loads their state, lets `engine` decide, and
    /// stores the new state, the session changes and the events, all in one transaction. What
    /// the tests use to write sessions as a citizen makes them.
    pub async fn run<'g>(
        &self,
        pseudonym: &str,
        adapter: &str,
        now_ms: i64,
        engine: impl FnOnce(&State) -> Outcome<'g>,
    ) -> anyhow::Result<Outcome<'g>> {
        let turn = self
            .begin(pseudonym, None, now_ms)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no turn"))?;
        let outcome = engine(turn.state());
        turn.commit(adapter, now_ms, &outcome, &[]).await?;
        Ok(outcome)
    }

    /// Opens the transaction of one input of one citizen and reads their state. With an
    /// `update_id`, returns `None` if that update was handled before (it is recorded in the same
    /// transaction, so a rolled-back turn leaves it to be handled again).
    pub async fn begin(
        &self,
        pseudonym: &str,
        update_id: Option<i64>,
        now: i64,
    ) -> anyhow::Result<Option<Turn>> {
        let Some(mut tx) = self.begin_citizen(pseudonym, update_id, now).await? else {
            return Ok(None);
        };
        let row = sqlx::query(READ_DIALOGUE)
            .bind(pseudonym)
            .fetch_optional(&mut *tx)
            .await?;
        let before = match row {
            Some(row) => dialogue(row.try_get("state")?, row.try_get("session_id")?),
            None => Before {
                state: preferences_in(&mut tx, pseudonym).await?,
                session: None,
                known: false,
            },
        };
        Ok(Some(Turn {
            tx,
            pseudonym: pseudonym.to_string(),
            before,
        }))
    }

    /// A write transaction for one update of one citizen, with the update recorded as handled;
    /// `None` if it was handled before.
    async fn begin_citizen(
        &self,
        pseudonym: &str,
        update_id: Option<i64>,
        now: i64,
    ) -> anyhow::Result<Option<Tx>> {
        let mut tx = self.begin_write().await?;
        if let Some(update_id) = update_id {
            let fresh = sqlx::query("INSERT INTO processed_updates (update_id, at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(update_id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if fresh == 0 {
                tx.rollback().await?;
                return Ok(None);
            }
        }
        if self.backend == Backend::Postgres {
            // Several instances may hold updates of one citizen at once (a double tap, a
            // redelivery). SQLite has one writer, so its turns are serial anyway; on PostgreSQL
            // this lock makes each citizen's turns serial: the second turn waits, then reads the
            // state the first one wrote, so no step is lost. An advisory lock rather than a row
            // lock because a new citizen has no row yet. It is released at commit or rollback.
            // The update-id insert above comes first: a duplicate update waits on that row and
            // then drops out, without ever queueing for the citizen.
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .bind(pseudonym)
                .execute(&mut *tx)
                .await?;
        }
        Ok(Some(tx))
    }

    /// The language a citizen chose, if they are known.
    pub async fn language_of(&self, pseudonym: &str) -> anyhow::Result<Option<Lang>> {
        let mut conn = self.pool.acquire().await?;
        language_in(&mut conn, pseudonym).await
    }

    /// Erases a citizen: their dialogue and language go, and their sessions are re-keyed to a
    /// random pseudonym so nothing links them to the person any more while the counts stay.
    /// Like a turn, it happens once per `update_id`: `Ok(None)` if that update was handled
    /// before (a redelivered `/forget` must not erase what the citizen did since).
    pub async fn forget(
        &self,
        pseudonym: &str,
        update_id: Option<i64>,
        now: i64,
    ) -> anyhow::Result<Option<Forgotten>> {
        let Some(mut tx) = self.begin_citizen(pseudonym, update_id, now).await? else {
            return Ok(None);
        };
        let lang = language_in(&mut tx, pseudonym).await?;
        // An open case ends with the erasure: staff can no longer answer a citizen nothing
        // links to a chat.
        let case = sqlx::query(
            "SELECT code, thread_id, card_message_id FROM handoffs \
             WHERE citizen = $1 AND status <> 'closed' ORDER BY id DESC LIMIT 1",
        )
        .bind(pseudonym)
        .fetch_optional(&mut *tx)
        .await?
        .map(|row| -> anyhow::Result<ErasedCase> {
            Ok(ErasedCase {
                code: row.try_get("code")?,
                thread_id: row.try_get("thread_id")?,
                card_message_id: row.try_get("card_message_id")?,
            })
        })
        .transpose()?;
        if let Some(case) = &case {
            sqlx::query(
                "INSERT INTO events (session_id, at, kind, detail) \
                 SELECT session_id, $1, 'handoff_closed', 'erased' FROM handoffs WHERE code = $2",
            )
            .bind(now)
            .bind(&case.code)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE handoffs SET status = 'closed', closed_at = $1 WHERE code = $2")
                .bind(now)
                .bind(&case.code)
                .execute(&mut *tx)
                .await?;
        }
        let anonymous = format!("erased-{}", hex::encode(rand::random::<[u8; 12]>()));
        sqlx::query("UPDATE sessions SET citizen = $1 WHERE citizen = $2")
            .bind(&anonymous)
            .bind(pseudonym)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE handoffs SET citizen = $1, chat_id = NULL WHERE citizen = $2")
            .bind(&anonymous)
            .bind(pseudonym)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM citizens WHERE pseudonym = $1")
            .bind(pseudonym)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        if self.backend == Backend::Sqlite {
            // Deleted rows are zeroed in the file (`secure_delete`), but the write-ahead log
            // still holds the pages as they were until it is written back and emptied.
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await
            {
                tracing::warn!(error = %e, "the log of the erasure could not be emptied yet");
            }
        }
        Ok(Some(Forgotten { lang, case }))
    }
}

/// A citizen erased by [`Store::forget`].
pub struct Forgotten {
    /// The language they had chosen, to say in it that they are forgotten.
    pub lang: Option<Lang>,
    /// Their case with staff, open until the erasure closed it.
    pub case: Option<ErasedCase>,
}

/// A case closed by its citizen's erasure: where it is in the staff group.
pub struct ErasedCase {
    pub code: String,
    pub thread_id: Option<i64>,
    pub card_message_id: Option<i64>,
}

/// One input of one citizen in progress: their state as read, inside an open transaction.
pub struct Turn {
    tx: Tx,
    pseudonym: String,
    before: Before,
}

impl Turn {
    /// Stores the engine's outcome and the replies to deliver (`outbox`: chat id and body),
    /// then commits: all of it or nothing.
    pub async fn commit(
        self,
        adapter: &str,
        now_ms: i64,
        outcome: &Outcome<'_>,
        outbox: &[(i64, String)],
    ) -> anyhow::Result<()> {
        self.commit_in(adapter, None, now_ms, outcome, outbox).await
    }

    /// As [`Turn::commit`], for a citizen who can be written back to in `chat` (a hand-off
    /// keeps it while open, to relay staff answers).
    pub async fn commit_in(
        mut self,
        adapter: &str,
        chat: Option<i64>,
        now_ms: i64,
        outcome: &Outcome<'_>,
        outbox: &[(i64, String)],
    ) -> anyhow::Result<()> {
        let turn = TurnWrite {
            pseudonym: &self.pseudonym,
            adapter,
            chat,
            now: now_ms,
            outcome,
            outbox,
        };
        let plan = plan::plan(&self.before, &turn);
        plan::execute(&mut self.tx, &plan).await?;
        self.tx.commit().await?;
        Ok(())
    }

    /// The citizen's state before this input.
    pub fn state(&self) -> &State {
        &self.before.state
    }
}

/// What [`Store::claim`] took: replies to deliver in order, and whether more may be waiting
/// behind them (claim again once these are settled).
#[derive(Debug)]
pub struct Claimed {
    pub claims: Vec<Claim>,
    pub more: bool,
}

/// Work held by this instance alone, until dropped ([`Store::exclusive`]): a PostgreSQL
/// transaction holding an advisory lock, rolled back (and the lock let go) on drop.
pub struct Exclusive {
    _held: Option<Tx>,
}

/// A reply waiting to be delivered, claimed by this instance: no other instance delivers to
/// its chat until the claim is settled, so replies leave in the order they were queued even
/// when several instances share the database.
#[derive(Debug)]
pub struct Claim {
    pub id: i64,
    pub chat_id: i64,
    pub body: String,
    /// When it was queued (Unix ms): with its input's turn, for a screen.
    pub queued_at: i64,
    /// PostgreSQL: the transaction holding the chat's delivery lock. SQLite has one process,
    /// whose per-chat lock (in the Telegram adapter) is enough.
    tx: Option<Tx>,
}

impl Store {
    /// Replies waiting for `chat_id` after reply `after` (0: all), oldest first, claimed.
    /// SQLite: all of them (one process, whose chat lock is enough), in one read. PostgreSQL:
    /// the oldest only, under the chat's delivery lock, so that `more` may wait behind it.
    pub async fn claim(&self, chat_id: i64, after: i64) -> anyhow::Result<Claimed> {
        const OLDEST: &str = "SELECT id, body, created_at FROM outbox WHERE chat_id = $1 AND id > $2 ORDER BY id LIMIT 1";
        let claim = |row: &sqlx::any::AnyRow, tx| -> anyhow::Result<Claim> {
            Ok(Claim {
                id: row.try_get("id")?,
                chat_id,
                body: row.try_get("body")?,
                queued_at: row.try_get("created_at")?,
                tx,
            })
        };
        match self.backend {
            Backend::Sqlite if self.writer.get().is_some_and(Option::is_some) => {
                // Behind any removal of delivered replies queued there.
                let writer = self.writer().ok_or_else(|| anyhow::anyhow!("no writer"))?;
                let mut claims = writer.run(move |batch| batch.waiting(&[chat_id])).await?;
                claims.retain(|c| c.id > after);
                Ok(Claimed {
                    claims,
                    more: false,
                })
            }
            Backend::Sqlite => {
                let rows = sqlx::query(OUTBOX_WAITING)
                    .bind(chat_id)
                    .fetch_all(&self.pool)
                    .await?;
                let mut claims = rows
                    .iter()
                    .map(|row| claim(row, None))
                    .collect::<anyhow::Result<Vec<_>>>()?;
                claims.retain(|c| c.id > after);
                Ok(Claimed {
                    claims,
                    more: false,
                })
            }
            Backend::Postgres => {
                // Held until the claim is settled.
                let mut tx = self.locked(&format!("outbox:{chat_id}")).await?;
                let row = sqlx::query(OLDEST)
                    .bind(chat_id)
                    .bind(after)
                    .fetch_optional(&mut *tx)
                    .await?;
                Ok(match row {
                    Some(row) => Claimed {
                        claims: vec![claim(&row, Some(tx))?],
                        more: true,
                    },
                    None => Claimed {
                        claims: Vec::new(),
                        more: false,
                    },
                })
            }
        }
    }

    /// Waits until no other instance holds `name`, and holds it until the value is dropped:
    /// for work that two instances sharing a PostgreSQL database must not do at once. With
    /// SQLite there is one instance, and nothing to wait for. A crashed instance's connection
    /// closes and lets go.
    pub async fn exclusive(&self, name: &str) -> anyhow::Result<Exclusive> {
        Ok(Exclusive {
            _held: match self.backend {
                Backend::Sqlite => None,
                Backend::Postgres => Some(self.locked(name).await?),
            },
        })
    }

    /// A PostgreSQL transaction holding the advisory lock `name` until it ends.
    async fn locked(&self, name: &str) -> anyhow::Result<Tx> {
        let mut tx = self.locks.begin().await?;
        // The key space is shared with the citizens' locks (seed 0); a clash of hashes would
        // only make one wait a moment.
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 1))")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }

    /// The claimed reply reached Telegram (or never will): it leaves the outbox.
    pub async fn delivered(&self, claim: Claim) -> anyhow::Result<()> {
        match claim.tx {
            Some(mut tx) => {
                sqlx::query(OUTBOX_DELETE)
                    .bind(claim.id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
            None => {
                sqlx::query(OUTBOX_DELETE)
                    .bind(claim.id)
                    .execute(&self.pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// Replies claimed from a batch ([`crate::app::Handled::waiting`]) that reached Telegram
    /// (or never will): they leave the outbox by the writer thread, before any later read of
    /// the outbox there (a batch's, a claim's). Returns once that is queued; the removals
    /// queued meanwhile by other chats go in the same transaction.
    pub fn delivered_in_order(&self, ids: Vec<i64>) -> anyhow::Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let writer = self
            .writer()
            .ok_or_else(|| anyhow::anyhow!("this database has no writer thread"))?;
        let pending = self.delivered.clone();
        pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend(ids);
        writer.submit(move |batch| {
            let ids = std::mem::take(
                &mut *pending
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            );
            batch.delivered(&ids)
        })
    }

    /// The claimed reply stays queued for a later round; the chat is free for others.
    pub async fn release(&self, claim: Claim) -> anyhow::Result<()> {
        if let Some(tx) = claim.tx {
            tx.rollback().await?;
        }
        Ok(())
    }

    /// Chats with replies waiting (after a restart, or a delivery that gave up for now).
    pub async fn outbox_chats(&self) -> anyhow::Result<Vec<i64>> {
        Ok(sqlx::query_scalar("SELECT DISTINCT chat_id FROM outbox")
            .fetch_all(&self.pool)
            .await?)
    }

    /// Drops what waits for a chat that can no longer be reached (the citizen blocked the bot).
    pub async fn drop_outbox(&self, chat_id: i64) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM outbox WHERE chat_id = $1")
            .bind(chat_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Drops the screens still waiting that were queued before `before`: after a long outage, a
    /// citizen is not sent a burst of screens about what they did long ago (their next message
    /// gets a fresh one). Messages relayed between a citizen and staff are kept.
    pub async fn drop_stale_screens(&self, before: i64) -> anyhow::Result<u64> {
        let done = sqlx::query(
            "DELETE FROM outbox WHERE created_at < $1 AND (body LIKE '{\"screen\"%' \
                 OR body LIKE '{\"voice\"%' OR body LIKE '{\"photo\"%')",
        )
        .bind(before)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// Forgets update ids older than `before` (Telegram never redelivers those).
    pub async fn prune_updates(&self, before_ms: i64) -> anyhow::Result<u64> {
        let done = sqlx::query("DELETE FROM processed_updates WHERE at < $1")
            .bind(before_ms)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// Whether the database can take an update now (for `/healthz`). On SQLite that means
    /// getting the write lock: a `SELECT 1` there answers from an open file whatever happens.
    pub async fn ping(&self) -> anyhow::Result<()> {
        match self.backend {
            Backend::Sqlite => self.begin_write().await?.rollback().await?,
            Backend::Postgres => {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
            }
        }
        Ok(())
    }
}

/// A citizen's dialogue: where they are in the guide, and their open session.
const READ_DIALOGUE: &str = "SELECT state, session_id FROM dialogues WHERE pseudonym = $1";

/// A chat's replies, oldest first.
const OUTBOX_WAITING: &str =
    "SELECT id, body, created_at FROM outbox WHERE chat_id = $1 ORDER BY id";
/// A reply delivered.
const OUTBOX_DELETE: &str = "DELETE FROM outbox WHERE id = $1";

/// The versions of the migrations the database has, oldest first; none for a new one.
async fn applied_migrations(conn: &mut DbConnection, backend: Backend) -> anyhow::Result<Vec<i64>> {
    let exists = match backend {
        Backend::Sqlite => {
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
        }
        Backend::Postgres => {
            "SELECT count(*) FROM information_schema.tables
             WHERE table_name = '_sqlx_migrations' AND table_schema = current_schema()"
        }
    };
    let tables: i64 = sqlx::query_scalar(exists)
        .fetch_one(&mut *conn)
        .await
        .context("cannot read the database's migrations")?;
    if tables == 0 {
        return Ok(Vec::new());
    }
    sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
        .fetch_all(&mut *conn)
        .await
        .context("cannot read the database's migrations")
}

/// Where a citizen with a stored dialogue stands.
fn dialogue(json: String, session: Option<i64>) -> Before {
    // A state written by an older version that no longer parses starts afresh rather than
    // locking the citizen out.
    let state = serde_json::from_str(&json).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "stored dialogue state unreadable; starting afresh");
        State::default()
    });
    Before {
        state,
        session: session.map(SessionRef::Id),
        known: true,
    }
}

/// A citizen's language, if they chose one.
const READ_LANGUAGE: &str = "SELECT language FROM citizens WHERE pseudonym = $1";
/// A citizen's language and choice of text only: what a new dialogue starts with.
pub(crate) const READ_PREFERENCES: &str =
    "SELECT language, text_only FROM citizens WHERE pseudonym = $1";

/// What a citizen who has no dialogue starts with: their language and choice of text only.
async fn preferences_in(tx: &mut DbConnection, pseudonym: &str) -> anyhow::Result<State> {
    let row: Option<(Option<String>, i64)> = sqlx::query_as(READ_PREFERENCES)
        .bind(pseudonym)
        .fetch_optional(&mut *tx)
        .await?;
    Ok(match row {
        Some((lang, text_only)) => {
            State::with_preferences(lang.as_deref().and_then(Lang::from_code), text_only != 0)
        }
        None => State::default(),
    })
}

async fn language_in(tx: &mut DbConnection, pseudonym: &str) -> anyhow::Result<Option<Lang>> {
    let lang: Option<Option<String>> = sqlx::query_scalar(READ_LANGUAGE)
        .bind(pseudonym)
        .fetch_optional(&mut *tx)
        .await?;
    Ok(lang.flatten().as_deref().and_then(Lang::from_code))
}

/// What one engine event writes: its own row (kind, step, detail) and what it changes in its
/// session's row and its citizen's hand-offs. The one mapping from engine events to rows: a turn
/// plans it as SQL ([`plan::plan`]); a bulk load ([`Store::bulk_load`]) on rows in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EventRow<'e> {
    pub kind: &'static str,
    pub step: Option<&'e str>,
    pub detail: Option<std::borrow::Cow<'e, str>>,
    pub change: Change<'e>,
}

/// How an event changes its session's row (and its citizen's hand-offs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change<'e> {
    None,
    /// A new session of this guide, in the citizen's language (Vietnamese if none yet).
    Start {
        guide: &'e str,
    },
    Language(&'static str),
    Commune(&'e str),
    Purpose(Purpose),
    Source(Source),
    Rating(i64),
    /// The outcome, with the event's time as the session's end.
    Outcome(SessionOutcome),
    /// Channel `staff_remote`, outcome `handed_off` unless it has one, and a new open case.
    HandoffOpened,
    /// The citizen's open cases close; back in the guide, a `handed_off` outcome is undecided
    /// again.
    HandoffClosed {
        back_to_guide: bool,
    },
    /// A reminder is pending for the citizen, due `after_hours` from now (in daytime): the
    /// citizen's `follow_ups` row, with the chat to write to.
    FollowUpScheduled {
        step: &'e str,
        after_hours: u16,
    },
    /// A reminder went out: the session counts it, and the citizen's pending reminder goes.
    FollowUpSent,
    /// The citizen chose text only (`true`), or voice and pictures.
    TextOnly(bool),
    /// No reminder is pending any more; `went_on`: the citizen went on after a reminder, which
    /// the session keeps.
    FollowUpEnded {
        went_on: bool,
    },
}

pub(crate) fn event_row<'e>(event: &Event<'e>) -> EventRow<'e> {
    use std::borrow::Cow;
    let (step, detail, change): (Option<&'e str>, Option<&'e str>, Change<'e>) = match *event {
        Event::SessionStarted { guide } => (None, None, Change::Start { guide }),
        Event::LanguageChosen { lang } => (None, Some(lang.code()), Change::Language(lang.code())),
        Event::StepEntered { step } => (Some(step), None, Change::None),
        Event::ChoiceMade { step, choice } => (Some(step), Some(choice), Change::None),
        Event::WentBack { from } => (Some(from), None, Change::None),
        Event::TextTyped { sensitive } => (None, sensitive.map(|s| s.as_str()), Change::None),
        Event::MediaSent { media } => (None, Some(media.as_str()), Change::None),
        Event::HandoffOpened => (None, None, Change::HandoffOpened),
        Event::Relayed { media, .. } => (
            None,
            Some(media.map_or("text", |m| m.as_str())),
            Change::None,
        ),
        Event::HandoffClosed { reason } => (
            None,
            Some(reason.as_str()),
            Change::HandoffClosed {
                // Back in the guide: the session goes on, its outcome is not decided yet.
                back_to_guide: matches!(
                    reason,
                    HandoffEnd::Citizen | HandoffEnd::StaffToGuide | HandoffEnd::Expired
                ),
            },
        ),
        Event::HelpAsked { step } => (step, None, Change::None),
        Event::CommuneChosen { commune } => (None, Some(commune), Change::Commune(commune)),
        Event::MilestoneReached { milestone } => (None, Some(milestone.as_str()), Change::None),
        Event::Finished { outcome } => (None, Some(outcome.as_str()), Change::Outcome(outcome)),
        Event::Abandoned => {
            let outcome = SessionOutcome::Abandoned;
            (None, Some(outcome.as_str()), Change::Outcome(outcome))
        }
        Event::PurposeGiven { purpose } => (None, Some(purpose.as_str()), Change::Purpose(purpose)),
        Event::SourceGiven { source } => (None, Some(source.as_str()), Change::Source(source)),
        Event::FollowUpSent { step } => (Some(step), None, Change::FollowUpSent),
        Event::FollowUpEnded { reason, reminded } => (
            None,
            Some(reason.as_str()),
            Change::FollowUpEnded {
                went_on: reminded && reason == FollowUpEnd::WentOn,
            },
        ),
        Event::FollowUpDropped => (None, None, Change::FollowUpEnded { went_on: false }),
        Event::MediaChosen { text_only } => (
            None,
            Some(if text_only { "text_only" } else { "with_media" }),
            Change::TextOnly(text_only),
        ),
        Event::FollowUpScheduled { step, after_hours } => {
            return EventRow {
                kind: event.kind(),
                step: Some(step),
                detail: Some(Cow::Owned(after_hours.to_string())),
                change: Change::FollowUpScheduled { step, after_hours },
            };
        }
        Event::Rated { rating } => {
            return EventRow {
                kind: event.kind(),
                step: None,
                detail: Some(Cow::Owned(rating.to_string())),
                change: Change::Rating(i64::from(rating)),
            };
        }
    };
    EventRow {
        kind: event.kind(),
        step,
        detail: detail.map(Cow::Borrowed),
        change,
    }
}

/// `INSERT INTO <table> VALUES ($1, …), ($k, …)…` for `rows` rows of `columns` values.
pub(crate) fn insert_sql(table: &str, columns: usize, rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|r| format!("({})", placeholders(r * columns + 1, columns)))
        .collect();
    format!("INSERT INTO {table} VALUES {}", values.join(", "))
}

/// `$first, $first+1, …`: `n` parameters.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The file of a SQLite URL (`sqlite://dvc-onboard.db?mode=rwc`, `sqlite:///abs/bot.db`);
/// `None` for an in-memory database.
fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then(|| path.to_owned())
}

/// A database URL without its secrets, for error messages and logs: the password of its user
/// part and any `password`, `sslpassword` or `sslkey` of its query, read with a URL parser. A
/// text that is no URL is not shown at all.
pub fn redact(text: &str) -> String {
    const SECRET_PARAMETERS: [&str; 3] = ["password", "sslpassword", "sslkey"];
    let Ok(mut url) = url::Url::parse(text) else {
        return "(a database URL that cannot be read)".into();
    };
    if url.password().is_some() {
        let _ = url.set_password(Some("…"));
    }
    if url.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let secret = SECRET_PARAMETERS.contains(&k.to_ascii_lowercase().as_str());
                (
                    k.into_owned(),
                    if secret { "…".into() } else { v.into_owned() },
                )
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

#[cfg(test)]
mod redaction {
    #[test]
    fn database_urls_lose_their_secrets() {
        let redacted = super::redact(
            "postgres://bot:s3cr3t@db.example:5432/dvc?sslmode=require&password=also-s3cr3t",
        );
        assert!(!redacted.contains("s3cr3t"), "{redacted}");
        assert!(
            redacted.contains("db.example") && redacted.contains("sslmode=require"),
            "{redacted}"
        );
        assert_eq!(
            super::redact("sqlite://dvc-onboard.db"),
            "sqlite://dvc-onboard.db"
        );
        assert!(!super::redact("not a url with s3cr3t").contains("s3cr3t"));
    }
}
