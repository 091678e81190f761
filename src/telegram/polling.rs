//! Long polling: ask for updates, handle a batch (chats in parallel, each chat in order), and
//! only then confirm it by asking with the next offset. A crash mid-batch makes Telegram send the
//! batch again, and the stored update ids make that harmless.

use super::{Telegram, handle_with_retries};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use teloxide::RequestError;
use teloxide::prelude::*;
use tokio::sync::watch;

/// Seconds Telegram holds a getUpdates open when there is nothing new.
const POLL_TIMEOUT: u32 = 25;

pub async fn run(tg: Arc<Telegram>, mut shutdown: watch::Receiver<bool>) -> anyhow::Result<()> {
    // A webhook left set would make getUpdates fail.
    if let Err(e) = tg.bot.delete_webhook().await {
        tracing::warn!(error = %e, "could not remove a webhook");
    }
    let mut offset: i32 = 0;
    let mut backoff = Duration::from_millis(500);
    tracing::info!("polling for updates");
    while !*shutdown.borrow() {
        let request = tg
            .bot
            .get_updates()
            .offset(offset)
            .timeout(POLL_TIMEOUT)
            .limit(100);
        let result = tokio::select! {
            _ = shutdown.changed() => break,
            result = request.send() => result,
        };
        let updates = match result {
            Ok(updates) => {
                backoff = Duration::from_millis(500);
                updates
            }
            Err(RequestError::RetryAfter(wait)) => {
                tokio::time::sleep(wait.duration()).await;
                continue;
            }
            Err(e) => {
                tracing::warn!(error = %e, "getUpdates failed; retrying");
                tokio::select! {
                    _ = shutdown.changed() => break,
                    _ = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(Duration::from_secs(30));
                continue;
            }
        };
        let Some(last) = updates.iter().map(|u| u.id.0).max() else {
            continue;
        };
        // Not cancelled by a shutdown: a batch in flight is finished.
        match handle_batch(&tg, updates).await {
            None => {
                offset = i32::try_from(last).unwrap_or(i32::MAX).saturating_add(1);
            }
            Some(failed) => {
                // Not stored (the database is down?): not confirmed either, so Telegram sends it
                // again, with those after it, which are skipped if they were stored.
                offset = i32::try_from(failed).unwrap_or(i32::MAX);
                tracing::warn!(
                    update_id = failed,
                    "updates not stored; asking for them again"
                );
                tokio::select! {
                    _ = shutdown.changed() => break,
                    _ = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(Duration::from_secs(30));
            }
        }
    }
    // Confirm the last batch, so a restart does not see it again (it would be skipped anyway).
    if offset > 0 {
        let _ = tg
            .bot
            .get_updates()
            .offset(offset)
            .timeout(0)
            .limit(1)
            .await;
    }
    tracing::info!("polling stopped");
    Ok(())
}

/// Handles a batch: updates of one chat one after the other, chats in parallel. Returns the
/// first update that could not be stored, if any.
pub async fn handle_batch(tg: &Arc<Telegram>, updates: Vec<Update>) -> Option<u32> {
    let mut by_chat: BTreeMap<i64, Vec<Update>> = BTreeMap::new();
    for update in updates {
        let chat = update
            .chat()
            .map(|c| c.id.0)
            .or_else(|| update.from().map(|u| u.id.0 as i64))
            .unwrap_or(0);
        by_chat.entry(chat).or_default().push(update);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (_, updates) in by_chat {
        let tg = tg.clone();
        tasks.spawn(async move {
            for update in updates {
                // A failed update was logged and the citizen told. The chat's later updates
                // wait for it: they come again with it.
                if handle_with_retries(&tg, update.clone()).await.is_err() {
                    return Some(update.id.0);
                }
            }
            None
        });
    }
    let mut failed: Option<u32> = None;
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok(Some(id)) => failed = Some(failed.map_or(id, |f| f.min(id))),
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "an update task panicked"),
        }
    }
    failed
}
