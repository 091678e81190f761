//! Delivering queued replies to Telegram: in order per chat, waiting out 429s, backing off on
//! network and server errors, and never letting one refused message block a chat.

use super::{ADAPTER, HeldChats, Telegram};
use crate::guide::Input;
use crate::i18n::Screen;
use crate::outbox::OutboxItem;
use crate::store::Claim;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use teloxide::ApiError;
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::requests::Request;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId, ParseMode};

/// Network and server errors are retried this many times per delivery round; what is still
/// undelivered stays in the outbox for the next round.
const NETWORK_TRIES: u32 = 5;
/// A 429 is waited out this many times per message before the round gives up for now.
const RATE_LIMIT_TRIES: u32 = 30;

/// What became of one message.
enum Sent {
    Delivered,
    /// Telegram will never take it (a bug of ours, e.g. a malformed text): dropped, logged.
    Refused,
    /// The citizen blocked the bot or the chat is gone.
    Unreachable,
    /// Not now (network, server, too many 429s): kept for a later round.
    Later,
}

/// Delivers what waits for `chat_id`, oldest first. The caller holds the chat's lock.
pub(super) async fn deliver_locked(tg: &Telegram, chat_id: i64) -> anyhow::Result<()> {
    let store = &tg.app.store;
    loop {
        let claimed = store.claim(chat_id).await?;
        if claimed.claims.is_empty() {
            return Ok(());
        }
        for claim in claimed.claims {
            if deliver_one(tg, chat_id, claim).await? == Round::Stop {
                return Ok(());
            }
        }
        if !claimed.more {
            return Ok(());
        }
    }
}

/// Whether a delivery round goes on after one reply.
#[derive(PartialEq, Eq)]
enum Round {
    Next,
    Stop,
}

/// What becomes of a reply once tried.
enum Settle {
    /// It leaves the outbox: delivered, or refused for good.
    Delete,
    /// It waits for a later round, and the chat's later replies behind it.
    Keep,
    /// The citizen blocked the bot: the chat's replies go, and their session ends.
    Gone,
}

/// Sends one claimed reply and settles its claim.
async fn deliver_one(tg: &Telegram, chat_id: i64, claim: Claim) -> anyhow::Result<Round> {
    let store = &tg.app.store;
    match attempt(tg, chat_id, &claim.body).await {
        Settle::Delete => {
            store.delivered(claim).await?;
            Ok(Round::Next)
        }
        Settle::Keep => {
            store.release(claim).await?;
            Ok(Round::Stop)
        }
        Settle::Gone => {
            store.release(claim).await?;
            gone(tg, chat_id).await?;
            Ok(Round::Stop)
        }
    }
}

/// Delivers the replies a batch found waiting ([`crate::app::Handled::waiting`]): chats in
/// parallel, each chat's in order. A chat is let go of (`held`) as soon as its replies are out
/// and their removal is queued on the writer thread, where the next batch's read of the outbox
/// comes after it.
pub(super) async fn deliver_claims(
    tg: &Arc<Telegram>,
    claims: Vec<Claim>,
    held: Arc<HeldChats>,
) -> anyhow::Result<()> {
    let mut by_chat: BTreeMap<i64, Vec<Claim>> = BTreeMap::new();
    for claim in claims {
        by_chat.entry(claim.chat_id).or_default().push(claim);
    }
    let mut chats = tokio::task::JoinSet::new();
    for (chat_id, claims) in by_chat {
        let (tg, held) = (tg.clone(), held.clone());
        chats.spawn(async move {
            let mut delivered = Vec::with_capacity(claims.len());
            for (id, body) in claims.into_iter().map(|c| (c.id, c.body)) {
                match attempt(&tg, chat_id, &body).await {
                    Settle::Delete => delivered.push(id),
                    Settle::Keep => break,
                    Settle::Gone => {
                        gone(&tg, chat_id).await?;
                        return Ok(());
                    }
                }
            }
            let removed = tg.app.store.delivered_in_order(delivered);
            held.release(chat_id);
            removed
        });
    }
    drop(held);
    let mut failed = None;
    while let Some(done) = chats.join_next().await {
        match done {
            Ok(Ok(())) => {}
            Ok(Err(e)) => failed = Some(e),
            Err(e) => failed = Some(anyhow::anyhow!("a delivery task failed: {e}")),
        }
    }
    failed.map_or(Ok(()), Err)
}

/// Tries one claimed reply (its body, as queued).
async fn attempt(tg: &Telegram, chat_id: i64, body: &str) -> Settle {
    let item: OutboxItem = match serde_json::from_str(body) {
        Ok(item) => item,
        Err(e) => {
            tracing::error!(error = %e, "outbox entry unreadable; dropped");
            return Settle::Delete;
        }
    };
    let sent = match item {
        OutboxItem::Screen(screen) => send(tg, chat_id, &screen).await,
        OutboxItem::Copy {
            from_chat,
            message_id,
            to_case: true,
        } => match &tg.staff {
            Some(staff) => match super::staff::copy_to_case(tg, staff, from_chat, message_id).await
            {
                Ok(true) => Sent::Delivered,
                Ok(false) => Sent::Later,
                Err(e) => {
                    tracing::warn!(error = format!("{e:#}"), "copy to the staff group failed");
                    Sent::Later
                }
            },
            None => Sent::Refused,
        },
        OutboxItem::Copy {
            from_chat,
            message_id,
            to_case: false,
        } => {
            retrying(|| {
                tg.bot
                    .copy_message(ChatId(chat_id), ChatId(from_chat), MessageId(message_id))
                    .send()
            })
            .await
        }
    };
    match sent {
        Sent::Delivered | Sent::Refused => Settle::Delete,
        Sent::Unreachable if chat_id < 0 => {
            tracing::error!("the staff group cannot be reached: is the bot still in it?");
            Settle::Delete
        }
        Sent::Unreachable => Settle::Gone,
        Sent::Later => Settle::Keep,
    }
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

/// Delivers what waits for every chat (after a restart, or a round that gave up for now).
pub async fn sweep(tg: &Telegram) -> anyhow::Result<()> {
    for chat_id in tg.app.store.outbox_chats().await? {
        let _chat = tg.locks.lock(chat_id).await;
        deliver_locked(tg, chat_id).await?;
    }
    Ok(())
}

/// Sends a notice that is not queued (the database may be what failed). Best effort.
pub(super) async fn send_now(tg: &Telegram, chat_id: i64, screen: &Screen) {
    if !matches!(send(tg, chat_id, screen).await, Sent::Delivered) {
        tracing::warn!("a notice could not be delivered");
    }
}

async fn send(tg: &Telegram, chat_id: i64, screen: &Screen) -> Sent {
    let text = escape_html(&screen.text);
    let keyboard = InlineKeyboardMarkup::new(screen.buttons.iter().map(|b| {
        vec![InlineKeyboardButton::callback(
            b.label.clone(),
            b.data.clone(),
        )]
    }));
    retrying(|| {
        let mut request = tg
            .bot
            .send_message(ChatId(chat_id), text.clone())
            .parse_mode(ParseMode::Html);
        if !screen.buttons.is_empty() {
            request = request.reply_markup(keyboard.clone());
        }
        request.send()
    })
    .await
}

/// Makes one Telegram call until it is delivered or clearly will not be now: 429s are waited
/// out, network and server errors retried with back-off.
async fn retrying<T, F, Fut>(mut call: F) -> Sent
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RequestError>>,
{
    let mut network_failures = 0;
    let mut rate_limited = 0;
    loop {
        let error = match call().await {
            Ok(_) => return Sent::Delivered,
            // Telegram said it was done; only its answer is not what teloxide expects (a field
            // of a new shape). Sending again would repeat the message, perhaps forever.
            Err(RequestError::InvalidJson { raw, .. }) if telegram_took_it(&raw) => {
                tracing::warn!("Telegram took a call but its answer could not be read");
                return Sent::Delivered;
            }
            Err(e) => super::loggable(e),
        };
        match error {
            RequestError::RetryAfter(wait) => {
                rate_limited += 1;
                if rate_limited > RATE_LIMIT_TRIES {
                    return Sent::Later;
                }
                tracing::debug!(seconds = wait.seconds(), "429 from Telegram; waiting");
                tokio::time::sleep(wait.duration()).await;
            }
            RequestError::Api(
                ApiError::BotBlocked | ApiError::UserDeactivated | ApiError::ChatNotFound,
            ) => {
                tracing::info!("chat unreachable");
                return Sent::Unreachable;
            }
            RequestError::Network(_) | RequestError::Io(_) | RequestError::InvalidJson { .. } => {
                network_failures += 1;
                if network_failures >= NETWORK_TRIES {
                    tracing::warn!(error = %error, "Telegram unreachable; the message waits in the outbox");
                    return Sent::Later;
                }
                tokio::time::sleep(Duration::from_millis(250) * 2u32.pow(network_failures)).await;
            }
            RequestError::Api(ApiError::Unknown(ref description))
                if is_server_error(description) =>
            {
                network_failures += 1;
                if network_failures >= NETWORK_TRIES {
                    return Sent::Later;
                }
                tokio::time::sleep(Duration::from_millis(250) * 2u32.pow(network_failures)).await;
            }
            other => {
                tracing::error!(error = %other, "Telegram refused a message; dropped");
                return Sent::Refused;
            }
        }
    }
}

/// Whether an answer teloxide could not read is still Telegram's `{"ok": true, ...}`, rather
/// than, say, a proxy's error page.
fn telegram_took_it(raw: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Answer {
        ok: bool,
    }
    serde_json::from_str::<Answer>(raw).is_ok_and(|answer| answer.ok)
}

/// Telegram's 5xx answers arrive as unknown API errors with descriptions like these.
fn is_server_error(description: &str) -> bool {
    [
        "Internal Server Error",
        "Bad Gateway",
        "Service Unavailable",
        "Gateway Timeout",
    ]
    .iter()
    .any(|s| description.contains(s))
}

/// Our messages are plain text: escaped whole, they are always valid Telegram HTML, whatever a
/// translator writes.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn html_is_escaped() {
        assert_eq!(
            super::escape_html("a < b & c > d"),
            "a &lt; b &amp; c &gt; d"
        );
        assert_eq!(super::escape_html("Bước 1/5 · “OK”"), "Bước 1/5 · “OK”");
    }
}
