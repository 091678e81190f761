//! The report's SQL: summaries kept by triggers (`report_sessions`, `report_steps`, by day and
//! by month; see migrations/sqlite/20261125000010_reports.sql) and a few index ranges of
//! `sessions`, read in one transaction so that every figure comes from the same moment.
//!
//! Nothing here reads the event log. A period of whole months reads the monthly summaries;
//! the days of a month it only partly covers read the daily ones. With a million sessions and
//! ten million events, the biggest read is one pass over the citizen index (distinct citizens).

use super::period::Date;
use crate::store::{Backend, DbConnection};
use dvc_onboard_core::domain::{Channel, SessionOutcome};
use sqlx::{AssertSqlSafe, Row};

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
    /// The adapters counted (nothing is read when empty).
    pub adapters: Vec<String>,
    pub commune: Option<String>,
    /// Open sessions with no activity since this time count as abandoned.
    pub quiet_before_ms: i64,
}

/// A bound value.
#[derive(Debug, Clone)]
enum Arg {
    Int(i64),
    Text(String),
}

/// SQL with its arguments, built in step.
#[derive(Debug, Clone, Default)]
struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    fn new(text: &str) -> Sql {
        Sql {
            text: text.to_string(),
            args: Vec::new(),
        }
    }

    fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// `prefix` then `inner`, whose parameters keep their numbers (`prefix` has none).
    fn around(prefix: &str, inner: Sql) -> Sql {
        Sql {
            text: format!("{prefix}{}", inner.text),
            args: inner.args,
        }
    }

    /// A parameter: `$n` is understood by both backends.
    fn arg(&mut self, arg: Arg) -> &mut Sql {
        self.args.push(arg);
        self.text.push_str(&format!("${}", self.args.len()));
        self
    }

    fn int(&mut self, v: i64) -> &mut Sql {
        self.arg(Arg::Int(v))
    }

    fn text(&mut self, v: &str) -> &mut Sql {
        self.arg(Arg::Text(v.to_string()))
    }

    /// `<prefix>adapter IN (…)` and, with a commune, `AND <prefix>commune = ?`.
    fn scope(&mut self, scope: &Scope, prefix: &str) -> &mut Sql {
        self.push(&format!("{prefix}adapter IN ("));
        for (i, a) in scope.adapters.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.text(a);
        }
        self.push(")");
        if let Some(c) = &scope.commune {
            self.push(&format!(" AND {prefix}commune = "));
            self.text(c);
        }
        self
    }

    async fn fetch_all(&self, conn: &mut DbConnection) -> sqlx::Result<Vec<sqlx::any::AnyRow>> {
        let mut q = sqlx::query(AssertSqlSafe(self.text.clone()));
        for a in &self.args {
            q = match a {
                Arg::Int(v) => q.bind(*v),
                Arg::Text(v) => q.bind(v.clone()),
            };
        }
        q.fetch_all(&mut *conn).await
    }
}

/// The parts of a period: whole months (their first days), and runs of days in months the
/// period only partly covers (at most one at each end).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Spans {
    pub months: Vec<i64>,
    pub days: Vec<(i64, i64)>,
}

pub fn spans(first: i64, last: i64) -> Spans {
    let mut spans = Spans::default();
    let mut d = first;
    while d <= last {
        let date = Date::from_day_number(d);
        let month = d - i64::from(date.day) + 1;
        let (y, m) = if date.month == 12 {
            (date.year + 1, 1)
        } else {
            (date.year, date.month + 1)
        };
        let next = Date::new(y, m, 1).map_or(d + 31, Date::day_number);
        if d == month && next - 1 <= last {
            spans.months.push(month);
            d = next;
        } else {
            let end = last.min(next - 1);
            spans.days.push((d, end));
            d = end + 1;
        }
    }
    spans
}

/// `SELECT <columns> FROM` the monthly rows of the whole months and the daily rows of the other
/// days, as one `UNION ALL` (each part an index range of the summary's key).
fn summary(scope: &Scope, spans: &Spans, daily: &str, monthly: &str, columns: &str) -> Sql {
    let mut sql = Sql::new("(");
    let mut first = true;
    let part = |sql: &mut Sql, first: &mut bool| {
        if !*first {
            sql.push(" UNION ALL ");
        }
        *first = false;
    };
    if !spans.months.is_empty() {
        part(&mut sql, &mut first);
        sql.push(&format!("SELECT {columns} FROM {monthly} WHERE "));
        sql.scope(scope, "").push(" AND month IN (");
        for (i, m) in spans.months.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.int(*m);
        }
        sql.push(")");
    }
    for &(a, b) in &spans.days {
        part(&mut sql, &mut first);
        sql.push(&format!("SELECT {columns} FROM {daily} WHERE "));
        sql.scope(scope, "").push(" AND day BETWEEN ");
        sql.int(a).push(" AND ");
        sql.int(b);
    }
    if first {
        // An empty period: no rows, with the right columns.
        sql.push(&format!("SELECT {columns} FROM {daily} WHERE 1 = 0"));
    }
    sql.push(") AS parts");
    sql
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

/// Session counts by day and channel (for the weekly series).
#[derive(Debug, Clone)]
pub struct DayCell {
    pub day: i64,
    pub channel: String,
    pub sessions: i64,
    /// Those that ended with an account.
    pub accounts: i64,
}

/// One step of the funnel, as the summaries hold it.
#[derive(Debug, Clone, Default)]
pub struct StepCount {
    pub step: String,
    pub entered: i64,
    /// Sessions without an outcome whose last step this is (quiet or not).
    pub left_open: i64,
    pub left_abandoned: i64,
}

/// Open sessions with recent activity, by the keys of [`Cell`] and their last step.
#[derive(Debug, Clone)]
pub struct Active {
    pub cell: Cell,
    pub last_step: Option<String>,
}

/// The hand-offs of the sessions in scope.
#[derive(Debug, Clone, Copy, Default)]
pub struct Handoffs {
    pub opened: i64,
    pub taken: i64,
    pub closed: i64,
    pub answered: i64,
    /// Median milliseconds from opening to staff's first answer.
    pub median_first_answer_ms: Option<f64>,
}

/// Everything the report counts, as read from the database.
#[derive(Debug, Clone, Default)]
pub struct Raw {
    pub cells: Vec<Cell>,
    pub days: Vec<DayCell>,
    pub active: Vec<Active>,
    pub citizens: i64,
    pub steps: Vec<StepCount>,
    pub completed: i64,
    pub median_complete_ms: Option<f64>,
    pub handoffs: Handoffs,
    pub sources: Vec<SourceCount>,
    pub follow_ups: FollowUps,
    /// Sessions whose citizen had text only (no voice notes or pictures).
    pub text_only: i64,
}

/// Reminders to citizens who stopped at a waiting step, over the sessions of the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FollowUps {
    /// Reminders sent.
    pub sent: i64,
    /// Sessions that got at least one.
    pub sessions: i64,
    /// Of those, sessions whose citizen went on after one: they entered the step that follows
    /// the wait (the approval SMS came, they went to the police, …).
    pub went_on: i64,
}

/// Sessions begun from a start link, by its source and their outcome (as the report counts
/// it: an open session is in progress while active lately, else abandoned).
#[derive(Debug, Clone)]
pub struct SourceCount {
    pub source: String,
    pub outcome: String,
    pub sessions: i64,
}

/// The adapters that have sessions at all (a skip-scan of the summary's key: instant).
pub async fn adapters(conn: &mut DbConnection) -> sqlx::Result<Vec<String>> {
    let rows: Vec<Option<String>> = sqlx::query_scalar(
        "WITH RECURSIVE a(x) AS (
             SELECT (SELECT min(adapter) FROM report_sessions_monthly_all WHERE sessions <> 0)
             UNION ALL
             SELECT (SELECT min(adapter) FROM report_sessions_monthly_all
                     WHERE adapter > a.x AND sessions <> 0)
             FROM a WHERE a.x IS NOT NULL)
         SELECT x FROM a WHERE x IS NOT NULL",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().flatten().collect())
}

/// Sessions of one adapter in the period (and commune), to say what a report left out.
pub async fn adapter_sessions(
    conn: &mut DbConnection,
    scope: &Scope,
    adapter: &str,
) -> sqlx::Result<i64> {
    let one = Scope {
        adapters: vec![adapter.to_string()],
        ..scope.clone()
    };
    let spans = spans(scope.first_day, scope.last_day);
    let inner = summary(
        &one,
        &spans,
        "report_sessions_all",
        "report_sessions_monthly_all",
        "sessions",
    );
    let sql = Sql::around(
        "SELECT CAST(coalesce(sum(sessions), 0) AS BIGINT) AS n FROM ",
        inner,
    );
    let rows = sql.fetch_all(conn).await?;
    rows.first().map_or(Ok(0), |r| r.try_get("n"))
}

/// Reads every figure of `scope`.
pub async fn read(conn: &mut DbConnection, backend: Backend, scope: &Scope) -> sqlx::Result<Raw> {
    let mut raw = Raw::default();
    if scope.adapters.is_empty() {
        return Ok(raw);
    }
    let spans = spans(scope.first_day, scope.last_day);
    raw.cells = cells(conn, scope, &spans).await?;
    raw.days = days(conn, scope).await?;
    raw.active = active(conn, backend, scope).await?;
    raw.citizens = citizens(conn, backend, scope).await?;
    raw.steps = steps(conn, scope, &spans).await?;
    // How many sessions ended with an account, the summary says: an outcome is always written
    // with its end time.
    raw.completed = raw
        .cells
        .iter()
        .filter(|c| {
            Channel::parse(&c.channel) != Some(Channel::InPerson)
                && SessionOutcome::parse(&c.outcome).is_some_and(SessionOutcome::is_account)
        })
        .map(|c| c.sessions)
        .sum();
    raw.median_complete_ms = median_complete(conn, backend, scope, raw.completed).await?;
    raw.handoffs = handoffs(conn, scope).await?;
    raw.sources = sources(conn, backend, scope).await?;
    raw.follow_ups = follow_ups(conn, backend, scope).await?;
    raw.text_only = text_only(conn, backend, scope).await?;
    Ok(raw)
}

/// Sessions by channel, language, commune, purpose, outcome and "asked staff".
async fn cells(conn: &mut DbConnection, scope: &Scope, spans: &Spans) -> sqlx::Result<Vec<Cell>> {
    let mut cells = Vec::new();
    let keys = "channel, language, commune, purpose, outcome, asked_staff";
    let inner = summary(
        scope,
        spans,
        "report_sessions_all",
        "report_sessions_monthly_all",
        &format!("{keys}, sessions"),
    );
    let mut sql = Sql::around(
        &format!("SELECT {keys}, CAST(sum(sessions) AS BIGINT) AS n FROM "),
        inner,
    );
    sql.push(&format!(" GROUP BY {keys} HAVING sum(sessions) <> 0"));
    for row in sql.fetch_all(conn).await? {
        cells.push(cell(&row)?);
    }
    Ok(cells)
}

/// Sessions and accounts by day and channel: the daily rows, in the order of their key (no
/// sort).
async fn days(conn: &mut DbConnection, scope: &Scope) -> sqlx::Result<Vec<DayCell>> {
    let mut days = Vec::new();
    let mut sql = Sql::new(
        "SELECT day, channel, CAST(sum(sessions) AS BIGINT) AS n,
                CAST(sum(CASE WHEN outcome IN ('portal_login', 'vneid_level2', 'vneid_level1')
                              THEN sessions ELSE 0 END) AS BIGINT) AS accounts
         FROM report_sessions_all WHERE ",
    );
    sql.scope(scope, "")
        .push(" AND day BETWEEN ")
        .int(scope.first_day)
        .push(" AND ")
        .int(scope.last_day)
        .push(" GROUP BY day, channel HAVING sum(sessions) <> 0");
    for row in sql.fetch_all(conn).await? {
        days.push(DayCell {
            day: row.try_get("day")?,
            channel: row.try_get("channel")?,
            sessions: row.try_get("n")?,
            accounts: row.try_get("accounts")?,
        });
    }
    Ok(days)
}

/// Open sessions with activity since `quiet_before_ms`: in progress, not abandoned.
async fn active(
    conn: &mut DbConnection,
    backend: Backend,
    scope: &Scope,
) -> sqlx::Result<Vec<Active>> {
    let mut active = Vec::new();
    let mut sql = Sql::new(&format!(
        "SELECT channel, language, coalesce(commune, '') AS commune,
                coalesce(purpose, '') AS purpose, '' AS outcome, asked_staff, last_step,
                count(*) AS n
         FROM sessions{}
         WHERE outcome IS NULL AND last_at >= ",
        indexed_by(backend, "sessions_report_open")
    ));
    sql.int(scope.quiet_before_ms)
        .push(" AND started_at >= ")
        .int(scope.start_ms)
        .push(" AND started_at < ")
        .int(scope.end_ms)
        .push(" AND ")
        .scope(scope, "")
        .push(" GROUP BY 1, 2, 3, 4, 6, 7");
    for row in sql.fetch_all(conn).await? {
        active.push(Active {
            cell: cell(&row)?,
            last_step: row.try_get("last_step")?,
        });
    }
    Ok(active)
}

/// Distinct citizens: the citizen index in order, so no sort of a million pseudonyms.
async fn citizens(conn: &mut DbConnection, backend: Backend, scope: &Scope) -> sqlx::Result<i64> {
    let mut sql = Sql::new(&format!(
        "SELECT count(*) AS n FROM (
             SELECT citizen FROM sessions{}
             WHERE started_at >= ",
        indexed_by(backend, "sessions_report_citizens")
    ));
    sql.int(scope.start_ms)
        .push(" AND started_at < ")
        .int(scope.end_ms)
        .push(" AND ")
        .scope(scope, "")
        .push(" GROUP BY citizen) AS citizens");
    sql.fetch_all(conn).await?[0].try_get("n")
}

/// Sessions begun from a start link, by source and outcome: an index range of the few linked
/// sessions.
async fn sources(
    conn: &mut DbConnection,
    backend: Backend,
    scope: &Scope,
) -> sqlx::Result<Vec<SourceCount>> {
    let mut sql =
        Sql::new("SELECT source, CASE WHEN outcome IS NOT NULL THEN outcome WHEN last_at >= ");
    sql.int(scope.quiet_before_ms).push(&format!(
        " THEN '{}' ELSE '{}' END AS outcome, count(*) AS n
         FROM sessions{}
         WHERE source IS NOT NULL AND started_at >= ",
        SessionOutcome::InProgress.as_str(),
        SessionOutcome::Abandoned.as_str(),
        indexed_by(backend, "sessions_report_source")
    ));
    sql.int(scope.start_ms)
        .push(" AND started_at < ")
        .int(scope.end_ms)
        .push(" AND ")
        .scope(scope, "")
        .push(" GROUP BY 1, 2");
    let mut sources = Vec::new();
    for row in sql.fetch_all(conn).await? {
        sources.push(SourceCount {
            source: row.try_get("source")?,
            outcome: row.try_get("outcome")?,
            sessions: row.try_get("n")?,
        });
    }
    Ok(sources)
}

/// Reminders sent to the sessions of the period: an index range of the few reminded sessions.
async fn follow_ups(
    conn: &mut DbConnection,
    backend: Backend,
    scope: &Scope,
) -> sqlx::Result<FollowUps> {
    let sql = few_sessions(
        backend,
        scope,
        "count(*) AS sessions, CAST(coalesce(sum(follow_ups_sent), 0) AS BIGINT) AS sent,
         CAST(coalesce(sum(went_on_after_follow_up), 0) AS BIGINT) AS went_on",
        ("sessions_report_follow_ups", "follow_ups_sent > 0"),
    );
    let rows = sql.fetch_all(conn).await?;
    let Some(row) = rows.first() else {
        return Ok(FollowUps::default());
    };
    Ok(FollowUps {
        sent: row.try_get("sent")?,
        sessions: row.try_get("sessions")?,
        went_on: row.try_get("went_on")?,
    })
}

/// Sessions of the period whose citizen had text only: an index range of those few.
async fn text_only(conn: &mut DbConnection, backend: Backend, scope: &Scope) -> sqlx::Result<i64> {
    let sql = few_sessions(
        backend,
        scope,
        "count(*) AS sessions",
        ("sessions_report_text_only", "text_only = 1"),
    );
    let rows = sql.fetch_all(conn).await?;
    rows.first().map_or(Ok(0), |row| row.try_get("sessions"))
}

/// `SELECT <select>` over the sessions of the period and scope that a partial index holds
/// (`index`, with its `filter`): the few sessions a figure is about, read by their index.
fn few_sessions(
    backend: Backend,
    scope: &Scope,
    select: &str,
    (index, filter): (&str, &str),
) -> Sql {
    let mut sql = Sql::new(&format!(
        "SELECT {select} FROM sessions{} WHERE {filter} AND started_at >= ",
        indexed_by(backend, index)
    ));
    sql.int(scope.start_ms)
        .push(" AND started_at < ")
        .int(scope.end_ms)
        .push(" AND ")
        .scope(scope, "");
    sql
}

/// The funnel: sessions that entered each step, and unfinished ones whose last step it is.
async fn steps(
    conn: &mut DbConnection,
    scope: &Scope,
    spans: &Spans,
) -> sqlx::Result<Vec<StepCount>> {
    let mut steps = Vec::new();
    let inner = summary(
        scope,
        spans,
        "report_steps_all",
        "report_steps_monthly_all",
        "step, entered, left_open, left_abandoned",
    );
    let mut sql = Sql::around(
        "SELECT step, CAST(sum(entered) AS BIGINT) AS entered,
                CAST(sum(left_open) AS BIGINT) AS left_open,
                CAST(sum(left_abandoned) AS BIGINT) AS left_abandoned FROM ",
        inner,
    );
    sql.push(" GROUP BY step");
    for row in sql.fetch_all(conn).await? {
        steps.push(StepCount {
            step: row.try_get("step")?,
            entered: row.try_get("entered")?,
            left_open: row.try_get("left_open")?,
            left_abandoned: row.try_get("left_abandoned")?,
        });
    }
    Ok(steps)
}

/// The middle time to an account over the `completed` sessions that ended with one, guided in
/// the chat (a desk visit is logged in one go and has no duration).
async fn median_complete(
    conn: &mut DbConnection,
    backend: Backend,
    scope: &Scope,
    completed: i64,
) -> sqlx::Result<Option<f64>> {
    if completed == 0 {
        return Ok(None);
    }
    let mut sql = Sql::new(&format!(
        "SELECT ended_at - started_at AS d FROM sessions{}
         WHERE outcome IN ('vneid_level1', 'vneid_level2', 'portal_login')
           AND channel <> 'in_person' AND started_at >= ",
        indexed_by(backend, "sessions_report_done")
    ));
    sql.int(scope.start_ms)
        .push(" AND started_at < ")
        .int(scope.end_ms)
        .push(" AND ")
        .scope(scope, "");
    median(sql, completed, conn).await
}

/// Hand-offs of the sessions in scope: counted, and the middle time to a first answer.
async fn handoffs(conn: &mut DbConnection, scope: &Scope) -> sqlx::Result<Handoffs> {
    let handoffs = |select: &str| {
        let mut sql = Sql::new(&format!(
            "{select} FROM handoffs h JOIN sessions s ON s.id = h.session_id
             WHERE s.started_at >= "
        ));
        sql.int(scope.start_ms)
            .push(" AND s.started_at < ")
            .int(scope.end_ms)
            .push(" AND ")
            .scope(scope, "s.");
        sql
    };
    let counts = handoffs(
        "SELECT count(*) AS opened, count(h.taken_at) AS taken, count(h.closed_at) AS closed,
                count(h.first_answer_at) AS answered",
    )
    .fetch_all(conn)
    .await?;
    let row = &counts[0];
    let mut counted = Handoffs {
        opened: row.try_get("opened")?,
        taken: row.try_get("taken")?,
        closed: row.try_get("closed")?,
        answered: row.try_get("answered")?,
        median_first_answer_ms: None,
    };
    let answered = counted.answered;
    if answered > 0 {
        let mut sql = handoffs("SELECT h.first_answer_at - h.opened_at AS d");
        sql.push(" AND h.first_answer_at IS NOT NULL");
        counted.median_first_answer_ms = median(sql, answered, conn).await?;
    }
    Ok(counted)
}

/// The middle of one or two middle values.
/// The median of column `d` of `sql`'s `count` rows: the middle one (odd count) or the mean of
/// the two middle ones (even count), read with an index-ordered OFFSET, not by loading them all.
async fn median(mut sql: Sql, count: i64, conn: &mut DbConnection) -> sqlx::Result<Option<f64>> {
    let (offset, take) = ((count - 1) / 2, 2 - count % 2);
    sql.push(" ORDER BY d LIMIT ")
        .int(take)
        .push(" OFFSET ")
        .int(offset);
    let middle: Vec<i64> = sql
        .fetch_all(conn)
        .await?
        .iter()
        .map(|r| r.try_get("d"))
        .collect::<sqlx::Result<_>>()?;
    Ok(mean(&middle))
}

/// SQLite's planner, given these queries' many conditions, sometimes prefers an index that
/// reads far more rows than the one made for the query: name it. PostgreSQL's planner weighs
/// its statistics and takes no such hint.
fn indexed_by(backend: Backend, index: &str) -> String {
    match backend {
        Backend::Sqlite => format!(" INDEXED BY {index}"),
        Backend::Postgres => String::new(),
    }
}

fn mean(values: &[i64]) -> Option<f64> {
    (!values.is_empty())
        .then(|| values.iter().map(|&d| d as f64).sum::<f64>() / values.len() as f64)
}

fn cell(row: &sqlx::any::AnyRow) -> sqlx::Result<Cell> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> i64 {
        Date::parse(s).unwrap().day_number()
    }

    #[test]
    fn periods_split_into_whole_months_and_days() {
        let year = spans(day("2026-01-01"), day("2026-12-31"));
        assert_eq!(year.months.len(), 12);
        assert!(year.days.is_empty());
        let odd = spans(day("2026-01-15"), day("2026-03-10"));
        assert_eq!(odd.months, vec![day("2026-02-01")]);
        assert_eq!(
            odd.days,
            vec![
                (day("2026-01-15"), day("2026-01-31")),
                (day("2026-03-01"), day("2026-03-10"))
            ]
        );
        let inside = spans(day("2026-07-03"), day("2026-07-05"));
        assert_eq!(inside.days, vec![(day("2026-07-03"), day("2026-07-05"))]);
        assert!(inside.months.is_empty());
        let dec = spans(day("2026-12-01"), day("2027-01-01"));
        assert_eq!(dec.months, vec![day("2026-12-01")]);
        assert_eq!(dec.days, vec![(day("2027-01-01"), day("2027-01-01"))]);
    }
}
