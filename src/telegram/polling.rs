//! Long polling: ask for updates, handle a batch (chats in parallel, each chat in order), and
//! only then confirm it by asking with the next offset. A crash mid-batch makes Telegram send the
//! batch again, and the stored update ids make that harmless.

use super::{ADAPTER, Citizen, Telegram, delivery, handle_with_retries, read_citizen};
use crate::app::{BatchInput, Delivery};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::Duration;
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::UpdateKind;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// Seconds Telegram holds a getUpdates open when there is nothing new.
const POLL_TIMEOUT: u32 = 25;

pub async fn run(tg: Arc<Telegram>, mut shutdown: watch::Receiver<bool>) -> anyhow::Result<()> {
    // A webhook left set would make getUpdates fail.
    if let Err(e) = tg.bot.delete_webhook().await {
        tracing::warn!(error = %super::loggable(e), "could not remove a webhook");
    }
    let mut offset: i32 = 0;
    let mut backoff = Duration::from_millis(500);
    // Batches whose replies are still going out while the next is asked for; a few at most, so
    // a slow Telegram slows the bot down rather than piling up work.
    let mut delivering = JoinSet::new();
    const DELIVERING: usize = 2;
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
            result = request.send() => result.map_err(super::loggable),
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
        while delivering.len() >= DELIVERING {
            delivering.join_next().await;
        }
        match handle_batch(&tg, updates, &mut delivering).await {
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
    // Replies of stored updates go out before the bot stops.
    delivering.join_all().await;
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

/// Handles a batch and returns the first update that could not be stored, if any.
///
/// On SQLite, citizens' inputs go through the writer thread together, in one transaction
/// ([`App::handle_batch`](crate::app::App::handle_batch)), and their replies are delivered by a
/// task left in `delivering`, so the next batch is asked for while they go out; a chat with
/// anything else in the batch (a command like `/forget`, a member change, the staff group), and
/// an input whose turn failed, go one update at a time. Otherwise every update goes one at a
/// time: chats in parallel, each chat's in order, replies delivered before this returns.
pub async fn handle_batch(
    tg: &Arc<Telegram>,
    updates: Vec<Update>,
    delivering: &mut JoinSet<()>,
) -> Option<u32> {
    // A flood's dropped inputs are confirmed with the batch, never stored.
    let updates: Vec<Update> = updates.into_iter().filter(|u| tg.admit(u)).collect();
    let (together, mut alone) = if tg.app.store.writer().is_some() {
        split(tg, updates)
    } else {
        (Vec::new(), updates)
    };
    if !together.is_empty() {
        match handle_together(tg, together, delivering).await {
            Ok(retry) => alone.extend(retry),
            Err((e, all)) => {
                tracing::warn!(
                    error = format!("{e:#}"),
                    "a batch failed; its updates are handled one by one"
                );
                alone.extend(all);
            }
        }
    }
    alone.sort_by_key(|u| u.id.0);
    handle_one_by_one(tg, alone).await
}

/// An update with the staff group it was read against (for [`read_citizen`]).
type Item = (Option<i64>, Update);

/// Citizens' inputs that can go together, and the rest. A chat goes whole to one side, so its
/// updates stay in order.
fn split(tg: &Telegram, updates: Vec<Update>) -> (Vec<Update>, Vec<Update>) {
    let staff = tg.staff_chat();
    let plain = |u: &Update| matches!(read_citizen(staff, u), Some(Citizen::Input { .. }));
    let mixed: HashSet<i64> = updates.iter().filter(|u| !plain(u)).map(chat_of).collect();
    updates
        .into_iter()
        .partition(|u| plain(u) && !mixed.contains(&chat_of(u)))
}

/// Runs citizens' inputs in one transaction; then a task in `delivering` answers their button
/// presses, delivers what waits for their chats and lets staff know of new cases and relayed
/// messages. Returns the updates whose turn failed (to go again one by one), or, if nothing was
/// stored, all of them.
async fn handle_together(
    tg: &Arc<Telegram>,
    updates: Vec<Update>,
    delivering: &mut JoinSet<()>,
) -> Result<Vec<Update>, (anyhow::Error, Vec<Update>)> {
    let staff = tg.staff_chat();
    let items: Arc<Vec<Item>> = Arc::new(updates.into_iter().map(|u| (staff, u)).collect());
    let mut chats: Vec<i64> = items.iter().map(|(_, u)| chat_of(u)).collect();
    chats.sort_unstable();
    chats.dedup();
    // Held through delivery: no other delivery to these chats meanwhile. A chat still busy
    // with an earlier delivery is not waited for: its turns are stored with the others, and
    // its replies go once it is free (`deliver_soon`).
    let (locked, busy) = tg.locks.try_lock_all(&chats);
    let free: Vec<i64> = chats
        .iter()
        .copied()
        .filter(|c| !busy.contains(c))
        .collect();
    let handled = match tg
        .app
        .handle_batch(ADAPTER, items.clone(), read, free)
        .await
    {
        Ok(handled) => handled,
        Err(e) => {
            drop(locked);
            let all = items.iter().map(|(_, u)| u.clone()).collect();
            return Err((e, all));
        }
    };
    let mut retry = Vec::new();
    let mut presses = Vec::new();
    let (mut opened, mut relayed) = (false, false);
    for ((_, update), answer) in items.iter().zip(&handled.answers) {
        match answer {
            Ok(Some(answer)) => {
                ::metrics::counter!(crate::metrics::UPDATES).increment(1);
                opened |= answer.handoff_opened;
                relayed |= answer.relayed;
                if let UpdateKind::CallbackQuery(query) = &update.kind {
                    presses.push(query.id.clone());
                }
            }
            Ok(None) => {}
            Err(e) => {
                ::metrics::counter!(crate::metrics::TURNS_FAILED).increment(1);
                tracing::warn!(
                    update_id = update.id.0,
                    error = format!("{e:#}"),
                    "a turn failed in a batch; it goes again alone"
                );
                retry.push(update.clone());
            }
        }
    }
    for chat in busy {
        tg.deliver_soon(chat);
    }
    let tg = tg.clone();
    delivering.spawn(async move {
        // A press is answered once it is stored, and only by the delivery that stored it.
        let mut answers = JoinSet::new();
        for id in presses {
            let tg = tg.clone();
            answers.spawn(async move { tg.answer_press(id).await });
        }
        delivery::deliver_claims(&tg, handled.waiting, Arc::new(locked));
        answers.join_all().await;
        tg.tell_staff(opened, relayed);
    });
    Ok(retry)
}

/// A citizen's input in a batch item.
fn read((staff, update): &Item) -> Option<BatchInput<'_>> {
    let Some(Citizen::Input {
        chat_id,
        message_id,
        input,
        ..
    }) = read_citizen(*staff, update)
    else {
        return None;
    };
    Some(BatchInput {
        user_id: chat_id.to_string(),
        update_id: i64::from(update.id.0),
        delivery: Delivery {
            chat_id,
            message_id,
            staff_chat: *staff,
        },
        input,
    })
}

/// The chat an update belongs to (0 for none), to keep a chat's updates in order.
fn chat_of(update: &Update) -> i64 {
    update
        .chat()
        .map(|c| c.id.0)
        .or_else(|| update.from().map(|u| u.id.0 as i64))
        .unwrap_or(0)
}

/// Handles updates one at a time: updates of one chat one after the other, chats in parallel.
/// Returns the first update that could not be stored, if any.
async fn handle_one_by_one(tg: &Arc<Telegram>, updates: Vec<Update>) -> Option<u32> {
    let mut by_chat: BTreeMap<i64, Vec<Update>> = BTreeMap::new();
    for update in updates {
        by_chat.entry(chat_of(&update)).or_default().push(update);
    }
    let mut tasks = JoinSet::new();
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
