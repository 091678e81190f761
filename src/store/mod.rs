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
        // IMMEDIATE takes the write lock at once, so two inputs of one citizen never interleave.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let row = sqlx::query("SELECT state, session_id FROM dialogues WHERE pseudonym = ?")
            .bind(pseudonym)
            .fetch_optional(&mut *tx)
            .await?;
        let (state, mut session) = match row {
            Some(row) => {
                let json: String = row.try_get("state")?;
                let session: Option<i64> = row.try_get("session_id")?;
                // A state written by an older version that no longer parses starts afresh
                // (keeping the language) rather than locking the citizen out.
                let state = serde_json::from_str(&json).unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "stored dialogue state unreadable; starting afresh");
                    State::default()
                });
                (state, session)
            }
            None => (
                State::with_lang(self.language_in(&mut tx, pseudonym).await?),
                None,
            ),
        };
        let outcome = engine(&state);
        if outcome.state == State::default() && outcome.events.is_empty() {
            // Nothing worth keeping (a stranger who never chose a language): write nothing.
            tx.commit().await?;
            return Ok(outcome);
        }

        sqlx::query(
            "INSERT INTO citizens (pseudonym, language, first_seen) VALUES (?, ?, ?)
             ON CONFLICT (pseudonym) DO UPDATE SET language = excluded.language",
        )
        .bind(pseudonym)
        .bind(outcome.state.lang.map(Lang::code))
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;

        for event in &outcome.events {
            session = apply_event(
                &mut tx,
                pseudonym,
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
        .bind(pseudonym)
        .bind(json)
        .bind(session)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn language_in(
        &self,
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

    /// Erases a citizen: their dialogue and language go, and their sessions are re-keyed to a
    /// random pseudonym so nothing links them to the person any more while the counts stay.
    pub async fn forget(&self, pseudonym: &str) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
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
        Ok(())
    }
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
