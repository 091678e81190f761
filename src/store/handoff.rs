//! Hand-offs (cases in the staff group), staff actions and the in-person log.
//!
//! Only ids, times and pseudonyms: nothing relayed between a citizen and staff is stored.

use super::Store;
use dvc_onboard_core::domain::{CaseStatus, Channel, Purpose, SessionOutcome, StaffEvent};
use dvc_onboard_core::lang::Lang;
use sqlx::Row;

/// One case as the staff adapter needs it.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: i64,
    pub code: String,
    pub session_id: i64,
    pub citizen: String,
    pub chat_id: Option<i64>,
    pub thread_id: Option<i64>,
    pub card_message_id: Option<i64>,
    pub status: CaseStatus,
    pub opened_at: i64,
}

/// What staff see on a case's card.
#[derive(Debug, Clone)]
pub struct CaseSummary {
    pub language: String,
    pub commune: Option<String>,
    pub started_at: i64,
    /// Steps entered, first time each, in order.
    pub steps: Vec<String>,
    pub milestones: Vec<String>,
    pub current_step: Option<String>,
}

/// A query of cases: the columns [`case`] reads, then the condition.
macro_rules! case_select {
    ($condition:literal) => {
        concat!(
            "SELECT id, code, session_id, citizen, chat_id, thread_id, card_message_id, status, opened_at FROM handoffs WHERE ",
            $condition
        )
    };
}

fn case(row: &sqlx::any::AnyRow) -> Result<Case, sqlx::Error> {
    Ok(Case {
        id: row.try_get("id")?,
        code: row.try_get("code")?,
        session_id: row.try_get("session_id")?,
        citizen: row.try_get("citizen")?,
        chat_id: row.try_get("chat_id")?,
        thread_id: row.try_get("thread_id")?,
        card_message_id: row.try_get("card_message_id")?,
        status: {
            let status: String = row.try_get("status")?;
            CaseStatus::parse(&status).ok_or_else(|| {
                sqlx::Error::Decode(format!("a case's status is `{status}`").into())
            })?
        },
        opened_at: row.try_get("opened_at")?,
    })
}

impl Store {
    pub async fn case_by_code(&self, code: &str) -> anyhow::Result<Option<Case>> {
        let row = sqlx::query(case_select!("code = $1"))
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(case).transpose()?)
    }

    /// The open case whose forum topic is `thread_id`.
    pub async fn open_case_in_thread(&self, thread_id: i64) -> anyhow::Result<Option<Case>> {
        let row = sqlx::query(case_select!(
            "thread_id = $1 AND status != 'closed' ORDER BY id DESC LIMIT 1"
        ))
        .bind(thread_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(case).transpose()?)
    }

    /// The open case of the citizen whose chat is `chat_id`.
    pub async fn open_case_of_chat(&self, chat_id: i64) -> anyhow::Result<Option<Case>> {
        let row = sqlx::query(case_select!(
            "chat_id = $1 AND status != 'closed' ORDER BY id DESC LIMIT 1"
        ))
        .bind(chat_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(case).transpose()?)
    }

    /// Closes a case whose citizen can no longer be reached (erased).
    pub async fn close_case(&self, code: &str, now: i64) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE handoffs SET status = 'closed', closed_at = $1, chat_id = NULL WHERE code = $2",
        )
        .bind(now)
        .bind(code)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Queues one message for a chat, outside any update (a notice from a timer).
    pub async fn queue(&self, chat_id: i64, body: &str, now: i64) -> anyhow::Result<()> {
        sqlx::query("INSERT INTO outbox (chat_id, body, created_at) VALUES ($1, $2, $3)")
            .bind(chat_id)
            .bind(body)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The open case a message of the staff group belongs to (groups without topics).
    pub async fn open_case_of_message(&self, message_id: i64) -> anyhow::Result<Option<Case>> {
        let code: Option<String> = sqlx::query_scalar(
            "SELECT h.code FROM case_messages m JOIN handoffs h ON h.id = m.handoff_id
             WHERE m.message_id = $1 AND h.status != 'closed'",
        )
        .bind(message_id)
        .fetch_optional(&self.pool)
        .await?;
        match code {
            Some(code) => self.case_by_code(&code).await,
            None => Ok(None),
        }
    }

    /// The open case of a citizen, if any.
    pub async fn open_case_of(&self, citizen: &str) -> anyhow::Result<Option<Case>> {
        let code: Option<String> = sqlx::query_scalar(
            "SELECT code FROM handoffs WHERE citizen = $1 AND status != 'closed' ORDER BY id DESC LIMIT 1",
        )
        .bind(citizen)
        .fetch_optional(&self.pool)
        .await?;
        match code {
            Some(code) => self.case_by_code(&code).await,
            None => Ok(None),
        }
    }

    /// Open cases not yet posted to the staff group (posting failed, or the process stopped).
    pub async fn unposted_cases(&self) -> anyhow::Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT code FROM handoffs WHERE status != 'closed' AND card_message_id IS NULL",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn case_posted(
        &self,
        code: &str,
        thread_id: Option<i64>,
        card_message_id: i64,
    ) -> anyhow::Result<()> {
        sqlx::query("UPDATE handoffs SET thread_id = $1, card_message_id = $2 WHERE code = $3")
            .bind(thread_id)
            .bind(card_message_id)
            .bind(code)
            .execute(&self.pool)
            .await?;
        self.remember_case_message(code, card_message_id).await
    }

    /// A new topic for a case whose topic staff deleted.
    pub async fn case_moved(&self, code: &str, thread_id: i64) -> anyhow::Result<()> {
        sqlx::query("UPDATE handoffs SET thread_id = $1 WHERE code = $2")
            .bind(thread_id)
            .bind(code)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn remember_case_message(&self, code: &str, message_id: i64) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO case_messages (message_id, handoff_id)
             SELECT $1, id FROM handoffs WHERE code = $2 ON CONFLICT DO NOTHING",
        )
        .bind(message_id)
        .bind(code)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Staff take a case; `false` if someone took it already.
    pub async fn take_case(&self, code: &str, staff: &str, now: i64) -> anyhow::Result<bool> {
        let mut tx = self.pool.begin().await?;
        let taken = sqlx::query(
            "UPDATE handoffs SET status = 'taken', taken_at = $1, taken_by = $2 WHERE code = $3 AND status = 'open'",
        )
        .bind(now)
        .bind(staff)
        .bind(code)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if taken {
            staff_event_in(&mut tx, code, StaffEvent::Taken, staff, now).await?;
        }
        tx.commit().await?;
        Ok(taken)
    }

    /// A staff action on a case, with the staff pseudonym, once per `action` key (see
    /// `first_time`); `false` if it was done before.
    pub async fn staff_event(
        &self,
        code: &str,
        event: StaffEvent,
        staff: &str,
        now: i64,
        action: &str,
    ) -> anyhow::Result<bool> {
        let mut tx = self.begin_write().await?;
        if !first_time(&mut tx, action, now).await? {
            return Ok(false);
        }
        staff_event_in(&mut tx, code, event, staff, now).await?;
        if event == StaffEvent::Answered {
            sqlx::query("UPDATE handoffs SET first_answer_at = $1 WHERE code = $2 AND first_answer_at IS NULL")
                .bind(now)
                .bind(code)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Forgets the keys of staff actions done before `before`.
    pub async fn prune_staff_actions(&self, before: i64) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM staff_actions WHERE at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Open cases nobody took since `before`, not yet told so.
    pub async fn late_cases(&self, before: i64) -> anyhow::Result<Vec<Case>> {
        let rows = sqlx::query(case_select!(
            "status = 'open' AND opened_at <= $1 AND late_notice_at IS NULL"
        ))
        .bind(before)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(case).collect::<Result<_, _>>()?)
    }

    /// Cases not closed yet that were opened before `before` (past their maximum age).
    pub async fn expired_cases(&self, before: i64) -> anyhow::Result<Vec<Case>> {
        let rows = sqlx::query(case_select!("status <> 'closed' AND opened_at <= $1"))
            .bind(before)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(case).collect::<Result<_, _>>()?)
    }

    /// Marks the case as told it is late; `false` if it was already (by another instance).
    pub async fn mark_late(&self, code: &str, now: i64) -> anyhow::Result<bool> {
        let marked = sqlx::query(
            "UPDATE handoffs SET late_notice_at = $1 WHERE code = $2 AND late_notice_at IS NULL",
        )
        .bind(now)
        .bind(code)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(marked == 1)
    }

    pub async fn case_summary(&self, case: &Case) -> anyhow::Result<CaseSummary> {
        let session =
            sqlx::query("SELECT language, commune, started_at FROM sessions WHERE id = $1")
                .bind(case.session_id)
                .fetch_one(&self.pool)
                .await?;
        let rows =
            sqlx::query("SELECT kind, step, detail FROM events WHERE session_id = $1 ORDER BY id")
                .bind(case.session_id)
                .fetch_all(&self.pool)
                .await?;
        let mut steps: Vec<String> = Vec::new();
        let mut milestones = Vec::new();
        let mut current_step = None;
        for row in &rows {
            let kind: String = row.try_get("kind")?;
            let step: Option<String> = row.try_get("step")?;
            let detail: Option<String> = row.try_get("detail")?;
            match (kind.as_str(), step, detail) {
                ("step_entered", Some(step), _) => {
                    if !steps.contains(&step) {
                        steps.push(step.clone());
                    }
                    current_step = Some(step);
                }
                ("milestone", _, Some(m)) => milestones.push(m),
                _ => {}
            }
        }
        Ok(CaseSummary {
            language: session.try_get("language")?,
            commune: session.try_get("commune")?,
            started_at: session.try_get("started_at")?,
            steps,
            milestones,
            current_step,
        })
    }

    /// Queues messages for delivery in the same transaction that marks the update handled;
    /// `false` if the update was handled before.
    pub async fn enqueue(
        &self,
        update_id: i64,
        outbox: &[(i64, String)],
        now: i64,
    ) -> anyhow::Result<bool> {
        let mut tx = self.begin_write().await?;
        let fresh = sqlx::query(
            "INSERT INTO processed_updates (update_id, at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(update_id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if fresh {
            for (chat, body) in outbox {
                sqlx::query("INSERT INTO outbox (chat_id, body, created_at) VALUES ($1, $2, $3)")
                    .bind(chat)
                    .bind(body)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(fresh)
    }

    /// Records a citizen helped in person at the desk, as a session of channel `in_person`,
    /// once per `action` key (the wizard's message: its last button tapped twice is one visit);
    /// `None` if it was recorded before. The citizen is an anonymous pseudonym: the desk keeps
    /// nothing that names them.
    pub async fn log_in_person(
        &self,
        visit: &InPerson<'_>,
        staff: &str,
        now: i64,
        action: &str,
    ) -> anyhow::Result<Option<i64>> {
        let mut tx = self.begin_write().await?;
        if !first_time(&mut tx, action, now).await? {
            return Ok(None);
        }
        let citizen = format!("desk-{}", hex::encode(rand::random::<[u8; 12]>()));
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO sessions (citizen, guide, language, commune, channel, adapter, started_at, ended_at, outcome, purpose)
             VALUES ($1, $2, $3, $4, $5, 'telegram', $6, $7, $8, $9) RETURNING id",
        )
        .bind(&citizen)
        .bind(visit.guide)
        .bind(visit.language.code())
        .bind(visit.commune)
        .bind(Channel::InPerson.as_str())
        .bind(now)
        .bind(now)
        .bind(visit.outcome.as_str())
        .bind(visit.purpose.as_str())
        .fetch_one(&mut *tx)
        .await?;
        for (kind, detail) in [
            ("session_started", None),
            ("staff_assisted", Some(staff)),
            ("commune_chosen", Some(visit.commune)),
            ("finished", Some(visit.outcome.as_str())),
            ("purpose", Some(visit.purpose.as_str())),
        ] {
            sqlx::query(
                "INSERT INTO events (session_id, at, kind, detail) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(now)
            .bind(kind)
            .bind(detail)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Some(id))
    }
}

/// Records that the staff action `key` is done; `false` if it was done before (a button
/// tapped twice, an update delivered again). In the caller's transaction, so the key and the
/// action's effects are written together or not at all.
async fn first_time(
    tx: &mut crate::store::DbConnection,
    key: &str,
    now: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO staff_actions (action_key, at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(key)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One in-person visit as staff log it with `/assist`.
pub struct InPerson<'a> {
    pub guide: &'a str,
    pub commune: &'a str,
    pub language: Lang,
    pub outcome: SessionOutcome,
    pub purpose: Purpose,
}

async fn staff_event_in(
    tx: &mut crate::store::DbConnection,
    code: &str,
    event: StaffEvent,
    staff: &str,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO events (session_id, at, kind, detail) SELECT session_id, $1, $2, $3 FROM handoffs WHERE code = $4",
    )
    .bind(now)
    .bind(event.as_str())
    .bind(staff)
    .bind(code)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
