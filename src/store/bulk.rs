//! Many turns of many citizens written in one transaction, for bulk loads (`demo-data`).
//!
//! Each engine event goes through the same mapping as a citizen's turn ([`event_row`]): its row
//! and its [`Change`] to the session and the hand-offs. A turn executes the change as SQL at
//! once; here it is applied to the rows in memory, and the final rows are written with
//! multi-row inserts, so a million sessions take minutes instead of an hour. A test
//! (tests/integration/report.rs) checks that both give the same rows. Only the dialogue (where a citizen
//! is) and the citizen's language are not kept: a bulk load's citizens are not people who come back.

use super::{Backend, Change, DbConnection, Store, case_code, event_row, insert_sql, placeholders};
use dvc_onboard_core::domain::{CaseStatus, Channel, Purpose, SessionOutcome, Source};
use dvc_onboard_core::guide::engine::{Event, Phase, State};
use dvc_onboard_core::lang::Lang;
use sqlx::{AssertSqlSafe, Connection};
use std::collections::HashMap;

/// One input of one citizen as the engine answered it: the state after it, and its events.
#[derive(Debug, Clone)]
pub struct BulkTurn<'g> {
    pub citizen: String,
    pub at: i64,
    pub state: State,
    pub events: Vec<Event<'g>>,
}

#[derive(Debug)]
struct SessionRow {
    citizen: usize,
    guide: String,
    language: &'static str,
    commune: Option<String>,
    channel: Channel,
    started_at: i64,
    ended_at: Option<i64>,
    outcome: Option<SessionOutcome>,
    purpose: Option<Purpose>,
    source: Option<Source>,
    rating: Option<i64>,
    follow_ups_sent: i64,
    went_on_after_follow_up: bool,
    text_only: bool,
}

#[derive(Debug)]
struct EventRecord {
    session: usize,
    at: i64,
    kind: &'static str,
    step: Option<String>,
    detail: Option<String>,
}

#[derive(Debug)]
struct HandoffRow {
    session: usize,
    citizen: usize,
    open: bool,
    opened_at: i64,
    closed_at: Option<i64>,
}

/// Parameters per multi-row insert. SQLite takes up to 32,766, but the time sqlx takes to bind
/// them grows with the square of their number: a statement of 32,000 took about 2 s (debug
/// build), so that a million sessions took hours; a few hundred cost a few milliseconds.
const MAX_PARAMS: usize = 120;

impl Store {
    /// Writes `turns` in order in one transaction, with the rows their turns one by one would
    /// have written ([`super::Turn::commit`]). A citizen's first turn in a load starts outside
    /// any session, and a load's citizens have no session before it.
    ///
    /// The report summaries (migrations/sqlite/20261125000010_reports.sql) are not updated row
    /// by row by their triggers but once for the whole load, set-based, before the commit.
    pub async fn bulk_load(&self, adapter: &str, turns: &[BulkTurn<'_>]) -> anyhow::Result<()> {
        let folded = Folded::of(turns);
        let mut conn = self.pool.acquire().await?;
        let sqlite = self.backend == Backend::Sqlite;
        if sqlite {
            // A large load modifies more pages than SQLite's default 2 MB cache holds, and its
            // statement journals would go to temporary files: keep both in memory meanwhile.
            sqlx::query("PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY")
                .execute(&mut *conn)
                .await?;
        }
        let rows = Rows {
            adapter,
            citizens: &folded.citizens,
            sessions: &folded.sessions,
            events: &folded.events,
            handoffs: &folded.handoffs,
        };
        let result = write(&mut conn, self.backend, &rows).await;
        if sqlite {
            sqlx::query("PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT")
                .execute(&mut *conn)
                .await?;
        }
        result
    }
}

impl Store {
    /// Folds the report counts the PostgreSQL triggers left pending into the summaries
    /// (migrations/postgres/…_reports.sql); reports are right either way, this keeps them
    /// fast. SQLite's triggers update the summaries in place: nothing to do.
    pub async fn compact_reports(&self) -> anyhow::Result<()> {
        if self.backend == Backend::Postgres {
            let _alone = self.exclusive("report:compact").await?;
            // The function returns nothing, which `Any` cannot decode: count instead.
            sqlx::query("SELECT count(*) FROM (SELECT report_compact()) AS compacted")
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Recomputes the report summaries and the sessions' last activity from `sessions` and
    /// `events`, as the triggers keep them. For a database changed by other means than the
    /// application (and for tests that check the triggers).
    pub async fn rebuild_report_summaries(&self) -> anyhow::Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE report_bulk SET bulk = 1")
            .execute(&mut *tx)
            .await?;
        let pending: &[&str] = match self.backend {
            Backend::Sqlite => &[],
            Backend::Postgres => &[
                "DELETE FROM report_sessions_pending",
                "DELETE FROM report_steps_pending",
            ],
        };
        for table in [
            "DELETE FROM report_sessions",
            "DELETE FROM report_sessions_monthly",
            "DELETE FROM report_steps",
            "DELETE FROM report_steps_monthly",
        ]
        .iter()
        .chain(pending)
        {
            sqlx::query(*table).execute(&mut *tx).await?;
        }
        summarize_and_resume_triggers(&mut tx, 0).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The rows a bulk load writes, folded in memory from its turns.
#[derive(Default)]
struct Folded<'t> {
    citizens: Vec<&'t str>,
    sessions: Vec<SessionRow>,
    events: Vec<EventRecord>,
    handoffs: Vec<HandoffRow>,
}

impl<'t> Folded<'t> {
    /// Each event of `turns` through the same mapping as a turn's, applied to rows in memory.
    fn of(turns: &'t [BulkTurn<'_>]) -> Folded<'t> {
        let mut rows = Folded::default();
        let mut citizen_index: HashMap<&str, usize> = HashMap::new();
        let mut open: HashMap<usize, Option<usize>> = HashMap::new();
        for turn in turns {
            let citizen = *citizen_index.entry(&turn.citizen).or_insert_with(|| {
                rows.citizens.push(&turn.citizen);
                rows.citizens.len() - 1
            });
            let session = open.entry(citizen).or_default();
            for event in &turn.events {
                let row = event_row(event);
                let id = match (row.change, *session) {
                    (Change::Start { guide }, _) => rows.start(citizen, guide, turn),
                    (_, None) => continue,
                    (change, Some(id)) => {
                        rows.change(id, citizen, change, turn.at);
                        id
                    }
                };
                *session = Some(id);
                rows.events.push(EventRecord {
                    session: id,
                    at: turn.at,
                    kind: row.kind,
                    step: row.step.map(str::to_string),
                    detail: row.detail.map(|d| d.into_owned()),
                });
            }
            if turn.state.phase == Phase::Idle && turn.state.follow_up.is_none() {
                *session = None;
            }
        }
        rows
    }

    /// A new session of `citizen`: its index.
    fn start(&mut self, citizen: usize, guide: &str, turn: &BulkTurn<'_>) -> usize {
        self.sessions.push(SessionRow {
            citizen,
            guide: guide.to_string(),
            language: turn.state.lang.unwrap_or(Lang::Vi).code(),
            commune: None,
            channel: Channel::SelfGuided,
            started_at: turn.at,
            ended_at: None,
            outcome: None,
            purpose: None,
            source: None,
            rating: None,
            follow_ups_sent: 0,
            went_on_after_follow_up: false,
            text_only: turn.state.text_only,
        });
        self.sessions.len() - 1
    }

    /// What `change` does to session `id` and to its citizen's hand-offs, at `now`.
    fn change(&mut self, id: usize, citizen: usize, change: Change<'_>, now: i64) {
        let s = &mut self.sessions[id];
        match change {
            // A bulk load has no chats: no reminder is kept for later.
            Change::None | Change::Start { .. } | Change::FollowUpScheduled { .. } => {}
            Change::FollowUpSent => s.follow_ups_sent += 1,
            Change::TextOnly(chosen) => s.text_only |= chosen,
            Change::FollowUpEnded { went_on } => {
                s.went_on_after_follow_up |= went_on;
            }
            Change::Language(code) => s.language = code,
            Change::Commune(c) => s.commune = Some(c.to_string()),
            Change::Purpose(p) => s.purpose = Some(p),
            Change::Source(source) => s.source = Some(source),
            Change::Rating(r) => s.rating = Some(r),
            Change::Outcome(o) => {
                s.outcome = Some(o);
                s.ended_at = Some(now);
            }
            Change::HandoffOpened => {
                s.channel = Channel::StaffRemote;
                s.outcome = s.outcome.or(Some(SessionOutcome::HandedOff));
                self.handoffs.push(HandoffRow {
                    session: id,
                    citizen,
                    open: true,
                    opened_at: now,
                    closed_at: None,
                });
            }
            Change::HandoffClosed { back_to_guide } => {
                let open = self
                    .handoffs
                    .iter_mut()
                    .filter(|h| h.citizen == citizen && h.open);
                for h in open {
                    h.open = false;
                    h.closed_at = Some(now);
                }
                if back_to_guide && s.outcome == Some(SessionOutcome::HandedOff) {
                    s.outcome = None;
                }
            }
        }
    }
}

/// A load's rows, ready to write.
struct Rows<'a> {
    adapter: &'a str,
    citizens: &'a [&'a str],
    sessions: &'a [SessionRow],
    events: &'a [EventRecord],
    handoffs: &'a [HandoffRow],
}

async fn write(conn: &mut DbConnection, backend: Backend, rows: &Rows<'_>) -> anyhow::Result<()> {
    let mut tx = match backend {
        Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => {
            let mut tx = conn.begin().await?;
            // The load numbers its sessions itself, after the highest id: no other writer may
            // add a session meanwhile (SQLite's IMMEDIATE gives the same).
            sqlx::query("LOCK TABLE sessions IN EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await?;
            tx
        }
    };
    let before: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM sessions")
        .fetch_one(&mut *tx)
        .await?;
    let ids = Ids { before };
    sqlx::query("UPDATE report_bulk SET bulk = 1")
        .execute(&mut *tx)
        .await?;
    insert_sessions(&mut tx, rows, ids).await?;
    insert_events(&mut tx, rows.events, ids).await?;
    let codes = free_case_codes(&mut tx, rows.handoffs.len()).await?;
    insert_handoffs(&mut tx, rows, &codes, ids).await?;
    if backend == Backend::Postgres {
        // The ids were given, not drawn: the next session drawn must come after them.
        sqlx::query(
            "SELECT setval(pg_get_serial_sequence('sessions', 'id'), \
             (SELECT max(id) FROM sessions))",
        )
        .execute(&mut *tx)
        .await?;
    }
    // The load's sessions are all new (ids after `before`), and its events are theirs.
    summarize_and_resume_triggers(&mut tx, before).await?;
    tx.commit().await?;
    Ok(())
}

/// Summarizes the sessions after `after` at once, then lets the report triggers work row by
/// row again.
async fn summarize_and_resume_triggers(tx: &mut DbConnection, after: i64) -> anyhow::Result<()> {
    for sql in SUMMARIZE_NEW_SESSIONS {
        sqlx::query(sql).bind(after).execute(&mut *tx).await?;
    }
    sqlx::query("UPDATE report_bulk SET bulk = 0")
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// The ids the load gives its sessions: after the highest there was.
#[derive(Clone, Copy)]
struct Ids {
    before: i64,
}

impl Ids {
    fn of(self, index: usize) -> i64 {
        self.before + 1 + index as i64
    }
}

async fn insert_sessions(tx: &mut DbConnection, rows: &Rows<'_>, ids: Ids) -> anyhow::Result<()> {
    let Rows {
        adapter,
        citizens,
        sessions,
        ..
    } = *rows;
    const SESSION_COLUMNS: usize = 16;
    for (n, chunk) in sessions.chunks(MAX_PARAMS / SESSION_COLUMNS).enumerate() {
        let sql = insert_sql(
            "sessions (id, citizen, guide, language, commune, channel, adapter, started_at, \
             ended_at, outcome, purpose, source, rating, follow_ups_sent, \
             went_on_after_follow_up, text_only)",
            SESSION_COLUMNS,
            chunk.len(),
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (i, s) in chunk.iter().enumerate() {
            q = q
                .bind(ids.of(n * (MAX_PARAMS / SESSION_COLUMNS) + i))
                .bind(citizens[s.citizen])
                .bind(&s.guide)
                .bind(s.language)
                .bind(s.commune.as_deref())
                .bind(s.channel.as_str())
                .bind(adapter)
                .bind(s.started_at)
                .bind(s.ended_at)
                .bind(s.outcome.map(SessionOutcome::as_str))
                .bind(s.purpose.map(Purpose::as_str))
                .bind(s.source.map(Source::as_str))
                .bind(s.rating)
                .bind(s.follow_ups_sent)
                .bind(i64::from(s.went_on_after_follow_up))
                .bind(i64::from(s.text_only));
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

async fn insert_events(
    tx: &mut DbConnection,
    events: &[EventRecord],
    ids: Ids,
) -> anyhow::Result<()> {
    const EVENT_COLUMNS: usize = 5;
    for chunk in events.chunks(MAX_PARAMS / EVENT_COLUMNS) {
        let sql = insert_sql(
            "events (session_id, at, kind, step, detail)",
            EVENT_COLUMNS,
            chunk.len(),
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for e in chunk {
            q = q
                .bind(ids.of(e.session))
                .bind(e.at)
                .bind(e.kind)
                .bind(e.step.as_deref())
                .bind(e.detail.as_deref());
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

/// Case codes for `count` cases. They are short and random: with many cases some would be drawn
/// twice, so those already taken (in the database or in this load) are drawn again.
async fn free_case_codes(tx: &mut DbConnection, count: usize) -> anyhow::Result<Vec<String>> {
    let mut codes: Vec<String> = (0..count).map(|_| case_code()).collect();
    loop {
        let mut seen = std::collections::HashSet::new();
        let mut clash: Vec<usize> = (0..codes.len())
            .filter(|&i| !seen.insert(codes[i].clone()))
            .collect();
        for (n, chunk) in codes.chunks(MAX_PARAMS).enumerate() {
            let sql = format!(
                "SELECT code FROM handoffs WHERE code IN ({})",
                placeholders(1, chunk.len())
            );
            let mut q = sqlx::query_scalar::<_, String>(AssertSqlSafe(sql));
            for c in chunk {
                q = q.bind(c.as_str());
            }
            let taken: std::collections::HashSet<String> =
                q.fetch_all(&mut *tx).await?.into_iter().collect();
            clash.extend(
                (0..chunk.len())
                    .filter(|i| taken.contains(&chunk[*i]))
                    .map(|i| n * MAX_PARAMS + i),
            );
        }
        if clash.is_empty() {
            break;
        }
        for i in clash {
            codes[i] = case_code();
        }
    }
    Ok(codes)
}

async fn insert_handoffs(
    tx: &mut DbConnection,
    rows: &Rows<'_>,
    codes: &[String],
    ids: Ids,
) -> anyhow::Result<()> {
    let Rows {
        citizens, handoffs, ..
    } = *rows;
    const HANDOFF_COLUMNS: usize = 6;
    for (n, chunk) in handoffs.chunks(MAX_PARAMS / HANDOFF_COLUMNS).enumerate() {
        let sql = insert_sql(
            "handoffs (code, session_id, citizen, status, opened_at, closed_at)",
            HANDOFF_COLUMNS,
            chunk.len(),
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (i, h) in chunk.iter().enumerate() {
            q = q
                .bind(codes[n * (MAX_PARAMS / HANDOFF_COLUMNS) + i].as_str())
                .bind(ids.of(h.session))
                .bind(citizens[h.citizen])
                .bind(
                    if h.open {
                        CaseStatus::Open
                    } else {
                        CaseStatus::Closed
                    }
                    .as_str(),
                )
                .bind(h.opened_at)
                .bind(h.closed_at);
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

/// What the report triggers do row by row, done at once for the sessions after `$1`
/// (migrations/sqlite/20261125000010_reports.sql): each session's last activity, then the
/// daily summaries. The monthly rows follow the daily ones by their own triggers
/// (…_report_months_from_days.sql).
const SUMMARIZE_NEW_SESSIONS: [&str; 3] = [LAST_ACTIVITY, SESSIONS_SUMMARY, STEPS_SUMMARY];

const LAST_ACTIVITY: &str = "UPDATE sessions SET
     last_at = (SELECT max(e.at) FROM events e WHERE e.session_id = sessions.id),
     last_step = (SELECT e.step FROM events e
                  WHERE e.session_id = sessions.id AND e.kind = 'step_entered'
                  ORDER BY e.id DESC LIMIT 1),
     asked_staff = CASE WHEN EXISTS (SELECT 1 FROM events e
                           WHERE e.session_id = sessions.id AND e.kind = 'help_asked')
                   THEN 1 ELSE 0 END
 WHERE id > $1";

/// Sessions by their keys and day.
const SESSIONS_SUMMARY: &str = "INSERT INTO report_sessions
 SELECT adapter, day, channel, language, commune, purpose, outcome, asked_staff, count(*)
 FROM report_session_keys WHERE id > $1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
 ON CONFLICT (adapter, day, channel, language, commune, purpose, outcome, asked_staff)
 DO UPDATE SET sessions = report_sessions.sessions + excluded.sessions";

/// The funnel by day: the sessions that entered each step, and the unfinished ones whose last
/// step it is.
const STEPS_SUMMARY: &str = "INSERT INTO report_steps
 SELECT adapter, day, commune, step, sum(entered), sum(left_open), sum(left_abandoned) FROM (
     SELECT k.adapter, k.day, k.commune, e.step, count(DISTINCT e.session_id) AS entered,
            0 AS left_open, 0 AS left_abandoned
     FROM events e JOIN report_session_keys k ON k.id = e.session_id
     WHERE e.session_id > $1 AND e.kind = 'step_entered' AND e.step IS NOT NULL
     GROUP BY 1, 2, 3, 4
     UNION ALL
     SELECT adapter, day, commune, last_step, 0, sum(left_open), sum(left_abandoned)
     FROM report_session_keys
     WHERE id > $1 AND last_step IS NOT NULL AND left_open + left_abandoned > 0
     GROUP BY 1, 2, 3, 4) AS parts
 GROUP BY 1, 2, 3, 4
 ON CONFLICT (adapter, day, commune, step) DO UPDATE SET
     entered = report_steps.entered + excluded.entered,
     left_open = report_steps.left_open + excluded.left_open,
     left_abandoned = report_steps.left_abandoned + excluded.left_abandoned";
