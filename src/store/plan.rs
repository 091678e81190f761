//! The writes of one turn, decided before any is made.
//!
//! A turn's writes are a list of SQL statements that depend only on what the turn read (the
//! citizen's state and session) and on the engine's outcome, never on each other's results: a
//! session a turn starts is named by a subquery (the citizen's newest session) rather than by
//! the id its insert returns. So the same [`Plan`] runs one statement after another through
//! sqlx in a citizen's own transaction ([`execute`]), or, for a long-polling batch on SQLite,
//! together with the rest of the batch in one hop to the writer thread (`super::writer`), where
//! a statement costs microseconds instead of a thread hand-off each way.

use super::{Change, DbConnection, case_code, event_row};
use dvc_onboard_core::domain::Channel;
use dvc_onboard_core::follow_up;
use dvc_onboard_core::guide::engine::{Outcome, Phase, State};
use dvc_onboard_core::lang::Lang;
use std::borrow::Cow;

/// A value bound to a statement. Typed even when null: PostgreSQL wants to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

/// One SQL statement with its `$1…$n` parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sql: Cow<'static, str>,
    pub params: Vec<Value>,
    /// The turn is wrong if this changes no row (a hand-off whose every case code was taken):
    /// it fails, and is retried whole.
    pub must_change: bool,
}

/// The statements of one turn, in order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan(pub Vec<Statement>);

impl Plan {
    fn push(&mut self, sql: impl Into<Cow<'static, str>>, params: Vec<Value>) {
        self.0.push(Statement {
            sql: sql.into(),
            params,
            must_change: false,
        });
    }
}

/// Which session a statement is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionRef {
    /// Read from the dialogue.
    Id(i64),
    /// One this turn started: the citizen's newest.
    Newest,
}

impl SessionRef {
    /// The SQL that names the session, as parameter `$n`, and that parameter.
    fn sql(&self, n: usize, pseudonym: &str) -> (String, Value) {
        match self {
            SessionRef::Id(id) => (format!("${n}"), Value::Int(Some(*id))),
            SessionRef::Newest => (
                format!("(SELECT max(id) FROM sessions WHERE citizen = ${n})"),
                text(pseudonym),
            ),
        }
    }
}

fn text(s: &str) -> Value {
    Value::Text(Some(s.to_owned()))
}

fn int(n: i64) -> Value {
    Value::Int(Some(n))
}

/// Where a citizen stands before a turn, as the store read it.
#[derive(Debug, Clone)]
pub struct Before {
    pub state: State,
    pub session: Option<SessionRef>,
    /// The citizen has a row in `citizens`.
    pub known: bool,
}

/// One turn to write: who, when, where replies go, and what the engine decided.
pub struct TurnWrite<'a, 'g> {
    pub pseudonym: &'a str,
    pub adapter: &'a str,
    /// The chat a hand-off can write back to.
    pub chat: Option<i64>,
    pub now: i64,
    pub outcome: &'a Outcome<'g>,
    /// Replies to deliver: chat id and body.
    pub outbox: &'a [(i64, String)],
}

/// The statements that store `turn` for a citizen who stood at `before`.
pub fn plan(before: &Before, turn: &TurnWrite<'_, '_>) -> Plan {
    let TurnWrite {
        pseudonym,
        adapter,
        chat,
        now,
        outcome,
        outbox,
    } = *turn;
    let mut plan = Plan::default();
    for (chat, body) in outbox {
        plan.push(
            "INSERT INTO outbox (chat_id, body, created_at) VALUES ($1, $2, $3)",
            vec![int(*chat), text(body), int(now)],
        );
    }
    if outcome.state == State::default() && outcome.events.is_empty() {
        // Nothing worth keeping about a stranger who never chose a language.
        return plan;
    }
    // Most turns change neither who the citizen is nor what they chose: no write then.
    if !before.known
        || outcome.state.lang != before.state.lang
        || outcome.state.text_only != before.state.text_only
    {
        plan.push(
            "INSERT INTO citizens (pseudonym, language, text_only, first_seen)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (pseudonym) DO UPDATE
             SET language = excluded.language, text_only = excluded.text_only",
            vec![
                text(pseudonym),
                Value::Text(outcome.state.lang.map(|l| l.code().to_owned())),
                int(i64::from(outcome.state.text_only)),
                int(now),
            ],
        );
    }
    let mut session = before.session.clone();
    // Events go in one insert per run of events of one session: a run ends where a session
    // starts, since `Newest` then names another session.
    let mut run: Vec<Value> = Vec::new();
    let mut run_session: Option<SessionRef> = None;
    for event in &outcome.events {
        let row = event_row(event);
        if let Change::Start { guide } = row.change {
            flush_events(&mut plan, pseudonym, run_session.take(), &mut run);
            plan.push(
                "INSERT INTO sessions
                 (citizen, guide, language, channel, adapter, started_at, text_only)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                vec![
                    text(pseudonym),
                    text(guide),
                    text(outcome.state.lang.unwrap_or(Lang::Vi).code()),
                    text(Channel::SelfGuided.as_str()),
                    text(adapter),
                    int(now),
                    int(i64::from(outcome.state.text_only)),
                ],
            );
            session = Some(SessionRef::Newest);
        }
        follow_up_row(&mut plan, pseudonym, chat, now, row.change);
        // Events before any session (the language question) are kept on the citizen only.
        let Some(id) = &session else { continue };
        change(&mut plan, pseudonym, chat, now, id, row.change);
        if run_session.as_ref().is_some_and(|s| s != id) {
            flush_events(&mut plan, pseudonym, run_session.take(), &mut run);
        }
        run_session = Some(id.clone());
        run.extend([
            int(now),
            text(row.kind),
            Value::Text(row.step.map(str::to_owned)),
            Value::Text(row.detail.map(Cow::into_owned)),
        ]);
    }
    flush_events(&mut plan, pseudonym, run_session, &mut run);
    if outcome.state.phase == Phase::Idle && outcome.state.follow_up.is_none() {
        // A session that ended is no longer the dialogue's, unless a reminder may reopen it.
        session = None;
    }
    let (session_sql, session_param) = match &session {
        Some(s) => s.sql(3, pseudonym),
        None => ("$3".to_owned(), Value::Int(None)),
    };
    plan.push(
        format!(
            "INSERT INTO dialogues (pseudonym, state, session_id, updated_at)
             VALUES ($1, $2, {session_sql}, $4)
             ON CONFLICT (pseudonym) DO UPDATE
             SET state = excluded.state, session_id = excluded.session_id,
                 updated_at = excluded.updated_at"
        ),
        vec![
            text(pseudonym),
            // A state always serializes: it is plain data.
            Value::Text(Some(
                serde_json::to_string(&outcome.state).unwrap_or_default(),
            )),
            session_param,
            int(now),
        ],
    );
    plan
}

/// Writes a run of events of one session (4 values each: at, kind, step, detail) with one
/// statement.
fn flush_events(
    plan: &mut Plan,
    pseudonym: &str,
    session: Option<SessionRef>,
    run: &mut Vec<Value>,
) {
    let Some(session) = session else { return };
    if run.is_empty() {
        return;
    }
    let (session_sql, session_param) = session.sql(1, pseudonym);
    let rows: Vec<String> = (0..run.len() / 4)
        .map(|r| {
            let first = 2 + r * 4;
            format!("({session_sql}, {})", super::placeholders(first, 4))
        })
        .collect();
    let mut params = vec![session_param];
    params.append(run);
    plan.push(
        format!(
            "INSERT INTO events (session_id, at, kind, step, detail) VALUES {}",
            rows.join(", ")
        ),
        params,
    );
}

/// What an event changes in the citizen's pending reminder (`follow_ups`), session or not: a
/// reminder scheduled is kept with the chat to send it to (a channel without one, the terminal,
/// gets none); anything else that touches reminders removes it.
fn follow_up_row(
    plan: &mut Plan,
    pseudonym: &str,
    chat: Option<i64>,
    now: i64,
    change: Change<'_>,
) {
    match change {
        Change::FollowUpScheduled { step, after_hours } => {
            let Some(chat) = chat else { return };
            plan.push(
                "INSERT INTO follow_ups (citizen, chat_id, step, due_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (citizen) DO UPDATE
                 SET chat_id = excluded.chat_id, step = excluded.step, due_at = excluded.due_at",
                vec![
                    text(pseudonym),
                    int(chat),
                    text(step),
                    int(follow_up::due_at(now, after_hours)),
                ],
            );
        }
        Change::FollowUpSent | Change::FollowUpEnded { .. } => plan.push(
            "DELETE FROM follow_ups WHERE citizen = $1",
            vec![text(pseudonym)],
        ),
        _ => {}
    }
}

/// An event's [`Change`] to session `id`, as statements.
fn change(
    plan: &mut Plan,
    pseudonym: &str,
    chat: Option<i64>,
    now: i64,
    id: &SessionRef,
    change: Change<'_>,
) {
    // The session is always the last parameter.
    let set = |plan: &mut Plan, assignments: &str, mut params: Vec<Value>| {
        let (session_sql, session_param) = id.sql(params.len() + 1, pseudonym);
        params.push(session_param);
        plan.push(
            format!("UPDATE sessions SET {assignments} WHERE id = {session_sql}"),
            params,
        );
    };
    match change {
        Change::None
        | Change::Start { .. }
        | Change::FollowUpScheduled { .. }
        | Change::FollowUpEnded { went_on: false }
        | Change::TextOnly(false) => {}
        // A session counts as text only once its citizen chose it, whatever they chose after.
        Change::TextOnly(true) => set(plan, "text_only = 1", vec![]),
        Change::FollowUpSent => set(plan, "follow_ups_sent = follow_ups_sent + 1", vec![]),
        Change::FollowUpEnded { went_on: true } => set(plan, "went_on_after_follow_up = 1", vec![]),
        Change::Language(code) => set(plan, "language = $1", vec![text(code)]),
        Change::Commune(commune) => set(plan, "commune = $1", vec![text(commune)]),
        Change::Purpose(purpose) => set(plan, "purpose = $1", vec![text(purpose.as_str())]),
        Change::Source(source) => set(plan, "source = $1", vec![text(source.as_str())]),
        Change::Rating(rating) => set(plan, "rating = $1", vec![int(rating)]),
        Change::Outcome(outcome) => set(
            plan,
            "outcome = $1, ended_at = $2",
            vec![text(outcome.as_str()), int(now)],
        ),
        Change::HandoffOpened => {
            set(
                plan,
                "channel = $1, outcome = COALESCE(outcome, 'handed_off')",
                vec![text(Channel::StaffRemote.as_str())],
            );
            // Short codes repeat after some thousands of cases: the first of four drawn that is
            // free. All four taken (odds below 1e-12 with ten thousand cases) fails the turn,
            // which is then retried with new draws.
            let (session_sql, session_param) = id.sql(5, pseudonym);
            let sql = format!(
                "INSERT INTO handoffs (code, session_id, citizen, chat_id, status, opened_at)
                 SELECT code, {session_sql}, $6, $7, 'open', $8
                 FROM (SELECT $1 AS code UNION ALL SELECT $2 UNION ALL SELECT $3
                       UNION ALL SELECT $4) AS drawn
                 WHERE NOT EXISTS (SELECT 1 FROM handoffs h WHERE h.code = drawn.code)
                 LIMIT 1"
            );
            let mut params: Vec<Value> = (0..4).map(|_| Value::Text(Some(case_code()))).collect();
            params.extend([session_param, text(pseudonym), Value::Int(chat), int(now)]);
            plan.0.push(Statement {
                sql: sql.into(),
                params,
                must_change: true,
            });
        }
        Change::HandoffClosed { back_to_guide } => {
            plan.push(
                "UPDATE handoffs SET status = 'closed', closed_at = $1, chat_id = NULL
                 WHERE citizen = $2 AND status != 'closed'",
                vec![int(now), text(pseudonym)],
            );
            if back_to_guide {
                let (session_sql, session_param) = id.sql(1, pseudonym);
                plan.push(
                    format!(
                        "UPDATE sessions SET outcome = NULL
                         WHERE id = {session_sql} AND outcome = 'handed_off'"
                    ),
                    vec![session_param],
                );
            }
        }
    }
}

/// Runs `plan` statement by statement on `conn` (inside the caller's transaction).
pub async fn execute(conn: &mut DbConnection, plan: &Plan) -> anyhow::Result<()> {
    for statement in &plan.0 {
        let mut query = match &statement.sql {
            Cow::Borrowed(sql) => sqlx::query(*sql),
            Cow::Owned(sql) => sqlx::query(sqlx::AssertSqlSafe(sql.clone())),
        };
        for param in &statement.params {
            query = match param {
                Value::Int(v) => query.bind(*v),
                Value::Text(v) => query.bind(v.as_deref()),
            };
        }
        let done = query.execute(&mut *conn).await?;
        if statement.must_change && done.rows_affected() == 0 {
            anyhow::bail!("a write changed nothing: {}", first_line(&statement.sql));
        }
    }
    Ok(())
}

/// The first line of a statement, to name it in an error.
pub fn first_line(sql: &str) -> &str {
    sql.lines().next().unwrap_or(sql)
}
