//! The report's SQL: summaries kept by triggers (`report_sessions`, `report_steps`, see
//! migrations/sqlite/20261125000010_reports.sql) and a few index ranges of `sessions`, read in
//! one transaction so that every figure comes from the same moment of the database.
//!
//! Nothing here reads the event log: with a million sessions and ten million events, the
//! biggest read is one pass over the citizen index for the distinct citizens.

use sqlx::{AssertSqlSafe, Row, SqliteConnection};

/// Adapters whose sessions are not real citizens helped: practice runs in a terminal, and the
/// synthetic sessions of `demo-data`.
pub const PRACTICE_ADAPTER: &str = "terminal";
pub const DEMO_ADAPTER: &str = "demo";

/// Which sessions a report counts.
#[derive(Debug, Clone)]
pub struct Scope {
    pub start_ms: i64,
    pub end_ms: i64,
    pub first_day: i64,
    pub last_day: i64,
    /// The adapters counted (never empty when queried).
    pub adapters: Vec<String>,
    pub commune: Option<String>,
    /// Open sessions with no activity since this time count as abandoned.
    pub quiet_before_ms: i64,
}

impl Scope {
    /// `adapter IN (?, …)` and, with a commune, `AND commune = ?`.
    fn filter(&self, column_prefix: &str) -> String {
        let marks = vec!["?"; self.adapters.len()].join(", ");
        let mut sql = format!("{column_prefix}adapter IN ({marks})");
        if self.commune.is_some() {
            sql.push_str(&format!(" AND {column_prefix}commune = ?"));
        }
        sql
    }

    fn bind<'q, A>(&'q self, mut q: A) -> A
    where
        A: Bindable<'q>,
    {
        for a in &self.adapters {
            q = q.bind_str(a);
        }
        if let Some(c) = &self.commune {
            q = q.bind_str(c);
        }
        q
    }
}

/// `query` and `query_as`/`query_scalar` bind the same way; this lets one helper bind the scope.
pub trait Bindable<'q>: Sized {
    fn bind_str(self, v: &'q str) -> Self;
}

impl<'q> Bindable<'q> for sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments> {
    fn bind_str(self, v: &'q str) -> Self {
        self.bind(v)
    }
}

impl<'q, O> Bindable<'q>
    for sqlx::query::QueryScalar<'q, sqlx::Sqlite, O, sqlx::sqlite::SqliteArguments>
{
    fn bind_str(self, v: &'q str) -> Self {
        self.bind(v)
    }
}

/// Session counts by everything a breakdown needs (over the whole period).
#[derive(Debug, Clone)]
pub struct Cell {
    pub channel: String,
    pub language: String,
    pub commune: String,
    pub purpose: String,
    /// '' while the session is open.
    pub outcome: String,
    pub asked_staff: bool,
    pub sessions: i64,
}

/// Session counts by day, channel and outcome (for the weekly series).
#[derive(Debug, Clone)]
pub struct DayCell {
    pub day: i64,
    pub channel: String,
    pub outcome: String,
    pub sessions: i64,
}

/// A hand-off of a session in scope: when it was opened, taken, first answered, closed.
#[derive(Debug, Clone, Copy)]
pub struct Handoff {
    pub opened_at: i64,
    pub taken_at: Option<i64>,
    pub first_answer_at: Option<i64>,
    pub closed_at: Option<i64>,
}

/// Everything the report counts, as read from the database.
#[derive(Debug, Clone, Default)]
pub struct Raw {
    pub cells: Vec<Cell>,
    pub days: Vec<DayCell>,
    /// Open sessions active lately, by the keys of [`Cell`] (outcome '' and the count).
    pub active: Vec<Cell>,
    pub citizens: i64,
    /// (step or None, sessions that left the guide there).
    pub left: Vec<(Option<String>, i64)>,
    /// (step, sessions that entered it).
    pub entered: Vec<(String, i64)>,
    pub completed: i64,
    pub median_complete_ms: Option<f64>,
    pub handoffs: Vec<Handoff>,
}

/// The adapters that have sessions at all (a skip-scan of the summary's key: instant).
pub async fn adapters(conn: &mut SqliteConnection) -> sqlx::Result<Vec<String>> {
    let rows: Vec<Option<String>> = sqlx::query_scalar(
        "WITH RECURSIVE a(x) AS (
             SELECT (SELECT min(adapter) FROM report_sessions WHERE sessions <> 0)
             UNION ALL
             SELECT (SELECT min(adapter) FROM report_sessions WHERE adapter > a.x AND sessions <> 0)
             FROM a WHERE a.x IS NOT NULL)
         SELECT x FROM a WHERE x IS NOT NULL",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().flatten().collect())
}

/// Sessions of one adapter in the period (and commune), to say what a report left out.
pub async fn adapter_sessions(
    conn: &mut SqliteConnection,
    scope: &Scope,
    adapter: &str,
) -> sqlx::Result<i64> {
    let mut sql = "SELECT coalesce(sum(sessions), 0) FROM report_sessions
                   WHERE adapter = ? AND day BETWEEN ? AND ?"
        .to_string();
    if scope.commune.is_some() {
        sql.push_str(" AND commune = ?");
    }
    let mut q = sqlx::query_scalar(AssertSqlSafe(sql))
        .bind(adapter)
        .bind(scope.first_day)
        .bind(scope.last_day);
    if let Some(c) = &scope.commune {
        q = q.bind(c.as_str());
    }
    q.fetch_one(&mut *conn).await
}

/// Reads every figure of `scope`.
pub async fn read(conn: &mut SqliteConnection, scope: &Scope) -> sqlx::Result<Raw> {
    let mut raw = Raw::default();
    if scope.adapters.is_empty() {
        return Ok(raw);
    }

    // Sessions by channel, language, commune, purpose, outcome and "asked staff".
    let sql = format!(
        "SELECT channel, language, commune, purpose, outcome, asked_staff, sum(sessions) AS n
         FROM report_sessions WHERE {} AND day BETWEEN ? AND ?
         GROUP BY channel, language, commune, purpose, outcome, asked_staff
         HAVING sum(sessions) <> 0",
        scope.filter("")
    );
    let q = scope
        .bind(sqlx::query(AssertSqlSafe(sql)))
        .bind(scope.first_day)
        .bind(scope.last_day);
    for row in q.fetch_all(&mut *conn).await? {
        raw.cells.push(cell(&row)?);
    }

    // By day, channel and outcome.
    let sql = format!(
        "SELECT day, channel, outcome, sum(sessions) AS n
         FROM report_sessions WHERE {} AND day BETWEEN ? AND ?
         GROUP BY day, channel, outcome HAVING sum(sessions) <> 0",
        scope.filter("")
    );
    let q = scope
        .bind(sqlx::query(AssertSqlSafe(sql)))
        .bind(scope.first_day)
        .bind(scope.last_day);
    for row in q.fetch_all(&mut *conn).await? {
        raw.days.push(DayCell {
            day: row.try_get("day")?,
            channel: row.try_get("channel")?,
            outcome: row.try_get("outcome")?,
            sessions: row.try_get("n")?,
        });
    }

    // Open sessions with activity since `quiet_before_ms`: in progress, not abandoned.
    let sql = format!(
        "SELECT channel, language, coalesce(commune, '') AS commune,
                coalesce(purpose, '') AS purpose, '' AS outcome, asked_staff, count(*) AS n
         FROM sessions INDEXED BY sessions_report_open
         WHERE outcome IS NULL AND last_at >= ? AND started_at >= ? AND started_at < ? AND {}
         GROUP BY 1, 2, 3, 4, 6",
        scope.filter("")
    );
    let q = sqlx::query(AssertSqlSafe(sql))
        .bind(scope.quiet_before_ms)
        .bind(scope.start_ms)
        .bind(scope.end_ms);
    for row in scope.bind(q).fetch_all(&mut *conn).await? {
        raw.active.push(cell(&row)?);
    }

    // Distinct citizens: the citizen index in order, so no sort of a million pseudonyms.
    let sql = format!(
        "SELECT count(*) FROM (
             SELECT citizen FROM sessions INDEXED BY sessions_report_citizens
             WHERE started_at >= ? AND started_at < ? AND {} GROUP BY citizen)",
        scope.filter("")
    );
    let q = sqlx::query_scalar(AssertSqlSafe(sql))
        .bind(scope.start_ms)
        .bind(scope.end_ms);
    raw.citizens = scope.bind(q).fetch_one(&mut *conn).await?;

    // Where citizens who left, left: abandoned sessions, and open ones quiet for too long.
    let sql = format!(
        "SELECT last_step, count(*) AS n FROM sessions INDEXED BY sessions_report_left
         WHERE (outcome IS NULL OR outcome = 'abandoned')
           AND started_at >= ? AND started_at < ? AND {}
           AND (outcome = 'abandoned' OR last_at IS NULL OR last_at < ?)
         GROUP BY last_step",
        scope.filter("")
    );
    let q = sqlx::query(AssertSqlSafe(sql))
        .bind(scope.start_ms)
        .bind(scope.end_ms);
    for row in scope
        .bind(q)
        .bind(scope.quiet_before_ms)
        .fetch_all(&mut *conn)
        .await?
    {
        raw.left
            .push((row.try_get("last_step")?, row.try_get("n")?));
    }

    // The funnel: sessions that entered each step.
    let sql = format!(
        "SELECT step, sum(sessions) AS n FROM report_steps
         WHERE {} AND day BETWEEN ? AND ? GROUP BY step HAVING sum(sessions) <> 0",
        scope.filter("")
    );
    let q = scope
        .bind(sqlx::query(AssertSqlSafe(sql)))
        .bind(scope.first_day)
        .bind(scope.last_day);
    for row in q.fetch_all(&mut *conn).await? {
        raw.entered.push((row.try_get("step")?, row.try_get("n")?));
    }

    // Time to an account: sessions that ended with one, guided by the bot (an in-person visit
    // is logged in one go and has no duration).
    let done = format!(
        "FROM sessions INDEXED BY sessions_report_done
         WHERE outcome IN ('vneid_level1', 'vneid_level2', 'portal_login')
           AND started_at >= ? AND started_at < ? AND {}
           AND channel <> 'in_person' AND ended_at IS NOT NULL",
        scope.filter("")
    );
    let q = sqlx::query_scalar(AssertSqlSafe(format!("SELECT count(*) {done}")))
        .bind(scope.start_ms)
        .bind(scope.end_ms);
    raw.completed = scope.bind(q).fetch_one(&mut *conn).await?;
    if raw.completed > 0 {
        // The middle one (odd count) or the two middle ones (even count).
        let (offset, take) = ((raw.completed - 1) / 2, 2 - raw.completed % 2);
        let sql = format!("SELECT ended_at - started_at AS d {done} ORDER BY d LIMIT ? OFFSET ?");
        let q = sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(scope.start_ms)
            .bind(scope.end_ms);
        let middle: Vec<i64> = scope
            .bind(q)
            .bind(take)
            .bind(offset)
            .fetch_all(&mut *conn)
            .await?;
        if !middle.is_empty() {
            raw.median_complete_ms =
                Some(middle.iter().map(|&d| d as f64).sum::<f64>() / middle.len() as f64);
        }
    }

    // Hand-offs of the sessions in scope.
    let sql = format!(
        "SELECT h.opened_at, h.taken_at, h.first_answer_at, h.closed_at
         FROM handoffs h JOIN sessions s ON s.id = h.session_id
         WHERE s.started_at >= ? AND s.started_at < ? AND {}",
        scope.filter("s.")
    );
    let q = sqlx::query(AssertSqlSafe(sql))
        .bind(scope.start_ms)
        .bind(scope.end_ms);
    for row in scope.bind(q).fetch_all(&mut *conn).await? {
        raw.handoffs.push(Handoff {
            opened_at: row.try_get("opened_at")?,
            taken_at: row.try_get("taken_at")?,
            first_answer_at: row.try_get("first_answer_at")?,
            closed_at: row.try_get("closed_at")?,
        });
    }
    Ok(raw)
}

fn cell(row: &sqlx::sqlite::SqliteRow) -> sqlx::Result<Cell> {
    Ok(Cell {
        channel: row.try_get("channel")?,
        language: row.try_get("language")?,
        commune: row.try_get("commune")?,
        purpose: row.try_get("purpose")?,
        outcome: row.try_get("outcome")?,
        asked_staff: row.try_get::<i64, _>("asked_staff")? != 0,
        sessions: row.try_get("n")?,
    })
}
