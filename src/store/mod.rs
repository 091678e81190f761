//! The store: citizens (pseudonyms), dialogue state, sessions and the event log, in SQLite.
//!
//! One input of one citizen is one transaction: the state is read, the pure engine runs, and
//! the new state with its events is written before anything is sent, so a crash never leaves a
//! reply without its record or a record without its state.

use crate::guide::engine::{Event, Outcome, Phase, SessionOutcome, State};

use crate::lang::Lang;
use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// How help was given, as reports count it.
pub const CHANNEL_SELF_GUIDED: &str = "self_guided";

#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating if needed) the database at `url` and applies pending migrations.
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("DATABASE_URL is not a SQLite URL: {}", redact(url)))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        // An in-memory database lives in one connection; a file can serve several readers.
        let max = if url.contains(":memory:") { 1 } else { 4 };
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            .connect_with(options)
            .await
            .with_context(|| format!("cannot open the database {}", redact(url)))?;
        sqlx::migrate!("./migrations/sqlite")
            .run(&pool)
            .await
            .context("cannot apply the database migrations")?;
        Ok(Store { pool })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Runs one input of one citizen: loads their state, lets `engine` decide, and stores the
    /// new state, the session changes and the events, all in one transaction.
    pub async fn run<'g>(
        &self,
        pseudonym: &str,
        adapter: &str,
        now_ms: i64,
        engine: impl FnOnce(&State) -> Outcome<'g>,
    ) -> anyhow::Result<Outcome<'g>> {
        let turn = self
            .begin(pseudonym, None)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no turn"))?;
        let outcome = engine(&turn.state);
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
    ) -> anyhow::Result<Option<Turn>> {
        // IMMEDIATE takes the write lock at once, so two inputs of one citizen never interleave.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        if let Some(update_id) = update_id {
            let fresh = sqlx::query("INSERT INTO processed_updates (update_id, at) VALUES (?, ?) ON CONFLICT DO NOTHING")
                .bind(update_id)
                .bind(crate::app::now_ms())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if fresh == 0 {
                tx.rollback().await?;
                return Ok(None);
            }
        }
        let row = sqlx::query("SELECT state, session_id FROM dialogues WHERE pseudonym = ?")
            .bind(pseudonym)
            .fetch_optional(&mut *tx)
            .await?;
        let (state, session) = match row {
            Some(row) => {
                let json: String = row.try_get("state")?;
                let session: Option<i64> = row.try_get("session_id")?;
                // A state written by an older version that no longer parses starts afresh
                // rather than locking the citizen out.
                let state = serde_json::from_str(&json).unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "stored dialogue state unreadable; starting afresh");
                    State::default()
                });
                (state, session)
            }
            None => (
                State::with_lang(language_in(&mut tx, pseudonym).await?),
                None,
            ),
        };
        Ok(Some(Turn {
            tx,
            pseudonym: pseudonym.to_string(),
            state,
            session,
        }))
    }

    /// Erases a citizen: their dialogue and language go, and their sessions are re-keyed to a
    /// random pseudonym so nothing links them to the person any more while the counts stay.
    pub async fn forget(&self, pseudonym: &str) -> anyhow::Result<Option<Lang>> {
        let mut tx = self.pool.begin().await?;
        let lang = language_in(&mut tx, pseudonym).await?;
        let anonymous = format!("erased-{}", hex::encode(rand::random::<[u8; 12]>()));
        sqlx::query("UPDATE sessions SET citizen = ? WHERE citizen = ?")
            .bind(&anonymous)
            .bind(pseudonym)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM citizens WHERE pseudonym = ?")
            .bind(pseudonym)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(lang)
    }
}

/// One input of one citizen in progress: their state as read, inside an open transaction.
pub struct Turn {
    tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    pseudonym: String,
    pub state: State,
    session: Option<i64>,
}

impl Turn {
    /// Stores the engine's outcome and the replies to deliver (`outbox`: chat id and body),
    /// then commits: all of it or nothing.
    pub async fn commit(
        mut self,
        adapter: &str,
        now_ms: i64,
        outcome: &Outcome<'_>,
        outbox: &[(i64, String)],
    ) -> anyhow::Result<()> {
        let tx = &mut *self.tx;
        for (chat, body) in outbox {
            sqlx::query("INSERT INTO outbox (chat_id, body, created_at) VALUES (?, ?, ?)")
                .bind(chat)
                .bind(body)
                .bind(now_ms)
                .execute(&mut *tx)
                .await?;
        }
        if outcome.state == State::default() && outcome.events.is_empty() {
            // Nothing worth keeping about a stranger who never chose a language.
            self.tx.commit().await?;
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO citizens (pseudonym, language, first_seen) VALUES (?, ?, ?)
             ON CONFLICT (pseudonym) DO UPDATE SET language = excluded.language",
        )
        .bind(&self.pseudonym)
        .bind(outcome.state.lang.map(Lang::code))
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        let mut session = self.session;
        for event in &outcome.events {
            session = apply_event(
                tx,
                &self.pseudonym,
                adapter,
                &outcome.state,
                session,
                event,
                now_ms,
            )
            .await?;
        }
        if outcome.state.phase == Phase::Idle {
            session = None;
        }
        let json = serde_json::to_string(&outcome.state)?;
        sqlx::query(
            "INSERT INTO dialogues (pseudonym, state, session_id, updated_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (pseudonym) DO UPDATE
             SET state = excluded.state, session_id = excluded.session_id, updated_at = excluded.updated_at",
        )
        .bind(&self.pseudonym)
        .bind(json)
        .bind(session)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        self.tx.commit().await?;
        Ok(())
    }
}

/// A reply waiting to be delivered.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub id: i64,
    pub chat_id: i64,
    pub body: String,
}

impl Store {
    /// Replies waiting for one chat, oldest first.
    pub async fn outbox(&self, chat_id: i64) -> anyhow::Result<Vec<Outgoing>> {
        let rows =
            sqlx::query("SELECT id, chat_id, body FROM outbox WHERE chat_id = ? ORDER BY id")
                .bind(chat_id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(Outgoing {
                    id: r.try_get("id")?,
                    chat_id: r.try_get("chat_id")?,
                    body: r.try_get("body")?,
                })
            })
            .collect()
    }

    /// Chats with replies waiting (after a restart, or a delivery that gave up for now).
    pub async fn outbox_chats(&self) -> anyhow::Result<Vec<i64>> {
        Ok(sqlx::query_scalar("SELECT DISTINCT chat_id FROM outbox")
            .fetch_all(&self.pool)
            .await?)
    }

    pub async fn delivered(&self, id: i64) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM outbox WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Drops what waits for a chat that can no longer be reached (the citizen blocked the bot).
    pub async fn drop_outbox(&self, chat_id: i64) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM outbox WHERE chat_id = ?")
            .bind(chat_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Forgets update ids older than `before` (Telegram never redelivers those).
    pub async fn prune_updates(&self, before_ms: i64) -> anyhow::Result<u64> {
        let done = sqlx::query("DELETE FROM processed_updates WHERE at < ?")
            .bind(before_ms)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// Whether the database answers (for `/healthz`).
    pub async fn ping(&self) -> anyhow::Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

async fn language_in(
    tx: &mut sqlx::SqliteConnection,
    pseudonym: &str,
) -> anyhow::Result<Option<Lang>> {
    let lang: Option<Option<String>> =
        sqlx::query_scalar("SELECT language FROM citizens WHERE pseudonym = ?")
            .bind(pseudonym)
            .fetch_optional(&mut *tx)
            .await?;
    Ok(lang.flatten().as_deref().and_then(Lang::from_code))
}

/// Writes one engine event; returns the session that later events belong to.
async fn apply_event(
    tx: &mut sqlx::SqliteConnection,
    pseudonym: &str,
    adapter: &str,
    state: &State,
    session: Option<i64>,
    event: &Event<'_>,
    now: i64,
) -> anyhow::Result<Option<i64>> {
    if let Event::SessionStarted { guide } = event {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO sessions (citizen, guide, language, channel, adapter, started_at)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(pseudonym)
        .bind(*guide)
        .bind(state.lang.unwrap_or(Lang::Vi).code())
        .bind(CHANNEL_SELF_GUIDED)
        .bind(adapter)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        insert_event(tx, id, now, event.kind(), None, None).await?;
        return Ok(Some(id));
    }
    // Events before any session (the language question) are kept on the citizen only.
    let Some(id) = session else {
        return Ok(None);
    };
    let (step, detail): (Option<&str>, Option<&str>) = match *event {
        Event::SessionStarted { .. } => (None, None),
        Event::LanguageChosen { lang } => {
            sqlx::query("UPDATE sessions SET language = ? WHERE id = ?")
                .bind(lang.code())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            (None, Some(lang.code()))
        }
        Event::StepEntered { step } => (Some(step), None),
        Event::ChoiceMade { step, choice } => (Some(step), Some(choice)),
        Event::WentBack { from } => (Some(from), None),
        Event::TextTyped { sensitive } => (None, sensitive.map(|s| s.as_str())),
        Event::MediaSent { media } => (None, Some(media.as_str())),
        Event::HelpAsked { step } => (step, None),
        Event::CommuneChosen { commune } => {
            sqlx::query("UPDATE sessions SET commune = ? WHERE id = ?")
                .bind(commune)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            (None, Some(commune))
        }
        Event::MilestoneReached { milestone } => (None, Some(milestone.as_str())),
        Event::Finished { .. } | Event::Abandoned => {
            let outcome = match *event {
                Event::Finished { outcome } => outcome,
                _ => SessionOutcome::Abandoned,
            };
            sqlx::query("UPDATE sessions SET outcome = ?, ended_at = ? WHERE id = ?")
                .bind(outcome.as_str())
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            (None, Some(outcome.as_str()))
        }
        Event::PurposeGiven { purpose } => {
            sqlx::query("UPDATE sessions SET purpose = ? WHERE id = ?")
                .bind(purpose.as_str())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            (None, Some(purpose.as_str()))
        }
        Event::Rated { rating } => {
            sqlx::query("UPDATE sessions SET rating = ? WHERE id = ?")
                .bind(i64::from(rating))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            (None, None)
        }
    };
    let detail = match *event {
        Event::Rated { rating } => Some(rating.to_string()),
        _ => detail.map(str::to_string),
    };
    insert_event(tx, id, now, event.kind(), step, detail.as_deref()).await?;
    Ok(Some(id))
}

async fn insert_event(
    tx: &mut sqlx::SqliteConnection,
    session: i64,
    at: i64,
    kind: &str,
    step: Option<&str>,
    detail: Option<&str>,
) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO events (session_id, at, kind, step, detail) VALUES (?, ?, ?, ?, ?)")
        .bind(session)
        .bind(at)
        .bind(kind)
        .bind(step)
        .bind(detail)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// A database URL without its password, for error messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}
