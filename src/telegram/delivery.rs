//! Delivering queued replies to Telegram: in order per chat (per case for the staff group),
//! through [`super::call`], and never letting one refused message block what stands behind it.

use super::call::Failure;
use super::send::{send, send_media};
use super::{ADAPTER, HeldChats, Telegram};
use crate::outbox::OutboxItem;
use crate::store::Claim;
use dvc_onboard_core::guide::Input;
use dvc_onboard_core::guide::engine::messages;
use dvc_onboard_core::lang::Lang;
use dvc_onboard_core::media::MediaKind;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::requests::Request;
use teloxide::types::MessageId;

/// What becomes of a reply once tried.
enum Settle {
    /// It leaves the outbox: delivered, or refused for good.
    Delete,
    /// It waits for a later round, and the replies of its lane behind it.
    Keep,
    /// The citizen blocked the bot: the chat's replies go, and their session ends.
    Gone,
}

/// Delivers what waits for `chat_id`, oldest first. The caller holds the chat's lock.
///
/// A reply that has to wait holds up those behind it in its lane ([`OutboxItem::lane`]): the
/// rest of a citizen's chat, or, in the staff group, the later messages of the same citizen's
/// case, while the other cases' messages go on.
pub(super) async fn deliver_locked(tg: &Telegram, chat_id: i64) -> anyhow::Result<()> {
    let store = &tg.app.store;
    let mut after = 0;
    let mut held_back: HashSet<i64> = HashSet::new();
    loop {
        let claimed = store.claim(chat_id, after).await?;
        if claimed.claims.is_empty() {
            return Ok(());
        }
        let items: Vec<Option<OutboxItem>> =
            claimed.claims.iter().map(|c| read_item(&c.body)).collect();
        let stale = superseded(&items);
        for ((claim, item), stale) in claimed.claims.into_iter().zip(items).zip(stale) {
            after = claim.id;
            if stale {
                store.delivered(claim).await?;
                continue;
            }
            let lane = item.as_ref().and_then(OutboxItem::lane);
            if lane.is_some_and(|lane| held_back.contains(&lane)) {
                store.release(claim).await?;
                continue;
            }
            match attempt(tg, chat_id, item, claim.queued_at).await {
                Settle::Delete => store.delivered(claim).await?,
                Settle::Keep => {
                    store.release(claim).await?;
                    match lane {
                        Some(lane) => {
                            held_back.insert(lane);
                        }
                        None => return Ok(()),
                    }
                }
                Settle::Gone => {
                    store.release(claim).await?;
                    gone(tg, chat_id).await?;
                    return Ok(());
                }
            }
        }
        if !claimed.more {
            return Ok(());
        }
    }
}

/// Delivers the replies a batch found waiting ([`crate::app::Handled::waiting`]): each chat's
/// in order, in a task of its own that nobody waits for but the bot's stop, so that a chat paced
/// at a message a second holds up no other. A chat is let go of (`held`) as soon as its replies
/// are out and their removal is queued on the writer thread, where the next read of the outbox
/// comes after it. What fails is logged and stays in the outbox for the sweep.
pub(super) fn deliver_claims(tg: &Arc<Telegram>, claims: Vec<Claim>, held: Arc<HeldChats>) {
    let mut by_chat: BTreeMap<i64, Vec<Claim>> = BTreeMap::new();
    for claim in claims {
        by_chat.entry(claim.chat_id).or_default().push(claim);
    }
    for (chat_id, claims) in by_chat {
        let (task_tg, held) = (tg.clone(), held.clone());
        tg.spawn(async move {
            let tg = task_tg;
            let mut delivered = Vec::with_capacity(claims.len());
            let mut gone_now = false;
            let items: Vec<Option<OutboxItem>> =
                claims.iter().map(|c| read_item(&c.body)).collect();
            let stale = superseded(&items);
            for ((claim, item), stale) in claims.into_iter().zip(items).zip(stale) {
                if stale {
                    delivered.push(claim.id);
                    continue;
                }
                let id = claim.id;
                match attempt(&tg, chat_id, item, claim.queued_at).await {
                    Settle::Delete => delivered.push(id),
                    Settle::Keep => break,
                    Settle::Gone => {
                        gone_now = true;
                        break;
                    }
                }
            }
            let done = if gone_now {
                gone(&tg, chat_id).await
            } else {
                tg.app.store.delivered_in_order(delivered)
            };
            held.release(chat_id);
            if let Err(e) = done {
                // Stored: what was not sent stays in the outbox for the sweep.
                tracing::warn!(
                    error = format!("{e:#}"),
                    "delivering a batch's replies failed"
                );
            }
        });
    }
}

/// More replies than this waiting for one chat make a backlog (a citizen sent many things at
/// once, or the chat waited out an outage): ten inputs' worth of notes and screens.
const BACKLOG: usize = 20;

/// Which of a chat's waiting replies a backlog makes stale: every screen with buttons but the
/// last, since the last shows where the citizen is now and older buttons are answered against
/// it anyway. Notes (screens without buttons: a warning, a hint) all go. Without a backlog,
/// none is stale.
///
/// A voice note or picture queued before its screen goes with it.
fn superseded(items: &[Option<OutboxItem>]) -> Vec<bool> {
    let screen_with_buttons = |item: &Option<OutboxItem>| {
        item.as_ref()
            .and_then(OutboxItem::screen_with_buttons)
            .is_some()
    };
    let last = items.iter().rposition(screen_with_buttons);
    let mut stale: Vec<bool> = items
        .iter()
        .enumerate()
        .map(|(i, item)| items.len() > BACKLOG && screen_with_buttons(item) && Some(i) != last)
        .collect();
    // Backwards: an attachment takes the fate of the next screen with buttons.
    let mut next_stale = false;
    for (i, item) in items.iter().enumerate().rev() {
        if screen_with_buttons(item) {
            next_stale = stale[i];
        } else if item.as_ref().is_some_and(OutboxItem::is_attachment) {
            stale[i] = next_stale;
        }
    }
    stale
}

/// A queued reply as it was stored; `None` (logged) for one this version cannot read.
fn read_item(body: &str) -> Option<OutboxItem> {
    match serde_json::from_str(body) {
        Ok(item) => Some(item),
        Err(e) => {
            tracing::error!(error = %e, "outbox entry unreadable; dropped");
            None
        }
    }
}

/// Tries one claimed reply, queued at `queued_at`.
async fn attempt(tg: &Telegram, chat_id: i64, item: Option<OutboxItem>, queued_at: i64) -> Settle {
    let Some(item) = item else {
        return Settle::Delete;
    };
    let sent = match item {
        OutboxItem::Screen(screen) => {
            let sent = send(tg, chat_id, &screen).await;
            if sent.is_ok() {
                let ms = crate::app::now_ms().saturating_sub(queued_at).max(0);
                ::metrics::histogram!(crate::metrics::REPLY_SECONDS).record(ms as f64 / 1000.0);
            }
            sent
        }
        OutboxItem::Voice(media) => {
            send_media(tg, chat_id, None, MediaKind::Voice, &media, None).await
        }
        OutboxItem::Photo { media, caption } => {
            match send_media(
                tg,
                chat_id,
                None,
                MediaKind::Picture,
                &media,
                caption.as_ref(),
            )
            .await
            {
                // The picture cannot go: its screen must, with its buttons.
                Err(Failure::Refused { description, .. }) if caption.is_some() => {
                    tracing::warn!(%description, "a step's picture was refused; its text goes alone");
                    match &caption {
                        Some(screen) => send(tg, chat_id, screen).await,
                        None => Ok(()),
                    }
                }
                sent => sent,
            }
        }
        OutboxItem::Copy {
            from_chat,
            message_id,
            to_case: true,
            photo,
            without_caption,
        } => match &tg.staff {
            Some(staff) => {
                let copied =
                    super::staff::copy_to_case(tg, staff, from_chat, message_id, without_caption)
                        .await;
                match copied {
                    Ok(Err(Failure::Refused { .. } | Failure::Unreachable)) => {
                        // The citizen deleted it first, or the group forbids its kind: it can
                        // never go, and the citizen should know.
                        if let Err(e) = relay_refused(tg, from_chat, photo).await {
                            tracing::warn!(error = format!("{e:#}"), "could not tell a citizen");
                        }
                        return Settle::Delete;
                    }
                    Ok(sent) => sent.map(|_| ()),
                    Err(e) => {
                        tracing::warn!(error = format!("{e:#}"), "copy to the staff group failed");
                        Err(Failure::Later)
                    }
                }
            }
            None => Err(Failure::Unreachable),
        },
        OutboxItem::Copy {
            from_chat,
            message_id,
            to_case: false,
            ..
        } => tg
            .calls
            .call("copyMessage", Some(chat_id), || {
                tg.bot
                    .copy_message(ChatId(chat_id), ChatId(from_chat), MessageId(message_id))
                    .send()
            })
            .await
            .map(|_| ()),
    };
    match sent {
        Ok(()) | Err(Failure::Refused { .. }) => Settle::Delete,
        Err(Failure::Unreachable) if chat_id < 0 => {
            tracing::error!("the staff group cannot be reached: is the bot still in it?");
            Settle::Delete
        }
        Err(Failure::Unreachable) => Settle::Gone,
        Err(Failure::Later) => Settle::Keep,
    }
}

/// Tells a citizen that their message could not be passed on to staff (a photo: show it at
/// the desk). Queued, and delivered soon by a task of its own: the caller holds the staff
/// group's lock.
async fn relay_refused(tg: &Telegram, citizen_chat: i64, photo: bool) -> anyhow::Result<()> {
    let pseudonym = tg
        .app
        .pseudonyms
        .pseudonym(ADAPTER, &citizen_chat.to_string());
    let lang = tg
        .app
        .store
        .language_of(&pseudonym)
        .await?
        .unwrap_or(Lang::Vi);
    let message = if photo {
        messages::RELAY_REFUSED_PHOTO
    } else {
        messages::RELAY_REFUSED
    };
    let notice = OutboxItem::Screen(tg.app.notice(lang, message));
    tg.app
        .store
        .queue(
            citizen_chat,
            &serde_json::to_string(&notice)?,
            crate::app::now_ms(),
        )
        .await?;
    tg.deliver_soon(citizen_chat);
    Ok(())
}

/// A citizen who blocked the bot: what waits for them is dropped, and their open session (and
/// any hand-off) ends.
async fn gone(tg: &Telegram, chat_id: i64) -> anyhow::Result<()> {
    tg.app.store.drop_outbox(chat_id).await?;
    tg.app
        .handle(ADAPTER, &chat_id.to_string(), Input::Left)
        .await?;
    Ok(())
}

/// Delivers what waits for every chat (after a restart, or a round that gave up for now), each
/// chat in a task of its own: one chat waiting out its pace or a slow Telegram holds up no other.
pub async fn sweep(tg: &Telegram) -> anyhow::Result<()> {
    for chat_id in tg.app.store.outbox_chats().await? {
        tg.deliver_soon(chat_id);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::outbox::OutboxItem;
    use dvc_onboard_core::i18n::{Screen, ScreenButton};

    #[test]
    fn a_backlog_keeps_the_notes_and_only_the_latest_screen() {
        let screen = |text: &str, buttons: usize| {
            Some(OutboxItem::Screen(Screen {
                text: text.into(),
                buttons: (0..buttons)
                    .map(|i| ScreenButton {
                        data: format!("c:s:{i}"),
                        label: "ok".into(),
                    })
                    .collect(),
            }))
        };
        let turn = |n: usize| [screen("hint", 0), screen(&format!("screen {n}"), 2)];
        let few: Vec<_> = (0..3).flat_map(turn).collect();
        assert!(
            super::superseded(&few).iter().all(|stale| !stale),
            "no backlog"
        );
        let flood: Vec<_> = (0..15).flat_map(turn).collect();
        let stale = super::superseded(&flood);
        let kept: Vec<_> = flood
            .iter()
            .zip(&stale)
            .filter(|(_, stale)| !**stale)
            .filter_map(|(item, _)| match item {
                Some(OutboxItem::Screen(s)) if !s.buttons.is_empty() => Some(s.text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(kept, ["screen 14"]);
        assert_eq!(
            stale.iter().filter(|s| !**s).count(),
            16,
            "the 15 hints and the last screen"
        );
    }
}
