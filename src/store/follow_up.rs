//! Reminders due to citizens who stopped at a waiting step of the guide, claimed once however
//! many instances share the database.

use super::Store;
use dvc_onboard_core::follow_up::{self, SendingHours};
use sqlx::Row;

/// A reminder this instance claimed: the citizen, and the chat to send it to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueFollowUp {
    pub citizen: String,
    pub chat_id: i64,
}

/// What waits, for the metrics: replies in the outbox, cases open and untaken, reminders due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    pub outbox: i64,
    pub cases_open: i64,
    pub cases_waiting: i64,
    pub follow_ups_due: i64,
}

impl Store {
    /// What waits at `now` ([`Waiting`]), read in one statement.
    pub async fn waiting_counts(&self, now: i64) -> anyhow::Result<Waiting> {
        let row = sqlx::query(
            "SELECT (SELECT count(*) FROM outbox) AS outbox,
                    (SELECT count(*) FROM handoffs WHERE status IN ('open', 'taken')) AS open,
                    (SELECT count(*) FROM handoffs WHERE status = 'open') AS waiting,
                    (SELECT count(*) FROM follow_ups WHERE due_at <= $1) AS due",
        )
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(Waiting {
            outbox: row.try_get("outbox")?,
            cases_open: row.try_get("open")?,
            cases_waiting: row.try_get("waiting")?,
            follow_ups_due: row.try_get("due")?,
        })
    }

    /// Claims up to `limit` reminders due at `now`, oldest first; none outside the sending
    /// `hours`. Each is put off until [`follow_up::retry_at`] in the same statement, so no other
    /// instance claims it; the reminder's turn then removes it (and schedules the next one), and
    /// one whose turn failed is tried again after that. On PostgreSQL, an instance that finds a
    /// row being claimed by another waits, sees it put off, and leaves it.
    pub async fn claim_follow_ups(
        &self,
        now: i64,
        hours: SendingHours,
        limit: i64,
    ) -> anyhow::Result<Vec<DueFollowUp>> {
        if !hours.contains(now) {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(
            "UPDATE follow_ups SET due_at = $1
             WHERE citizen IN (SELECT citizen FROM follow_ups WHERE due_at <= $2
                               ORDER BY due_at LIMIT $3)
               AND due_at <= $2
             RETURNING citizen, chat_id",
        )
        .bind(follow_up::retry_at(now))
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(DueFollowUp {
                    citizen: row.try_get("citizen")?,
                    chat_id: row.try_get("chat_id")?,
                })
            })
            .collect()
    }
}
