//! Many turns of many citizens written in one transaction, for bulk loads (`demo-data`).
//!
//! Each engine event goes through the same [`Writer`] as a citizen's turn, so a batch holds
//! exactly the session and event rows the same turns would have written one by one. Only the
//! dialogue (where a citizen is) and the citizen's language are not kept: a batch's citizens are
//! not people who can come back.

use super::{Store, Writer};
use crate::guide::engine::{Event, Phase, State};
use std::collections::HashMap;

/// One input of one citizen as the engine answered it: the state after it, and its events.
#[derive(Debug, Clone)]
pub struct BatchTurn<'g> {
    pub citizen: String,
    pub at: i64,
    pub state: State,
    pub events: Vec<Event<'g>>,
}

impl Store {
    /// Writes `turns` in order in one transaction, as [`super::Turn::commit`] would have, turn
    /// by turn. The citizens' sessions are followed from turn to turn within the batch; a
    /// citizen's first turn in a batch starts outside any session.
    pub async fn run_batch(&self, adapter: &str, turns: &[BatchTurn<'_>]) -> anyhow::Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut sessions: HashMap<&str, Option<i64>> = HashMap::new();
        for turn in turns {
            let writer = Writer {
                pseudonym: &turn.citizen,
                adapter,
                chat: None,
                now: turn.at,
            };
            let session = sessions.entry(turn.citizen.as_str()).or_default();
            for event in &turn.events {
                *session = writer.apply(&mut tx, &turn.state, *session, event).await?;
            }
            if turn.state.phase == Phase::Idle {
                *session = None;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}
