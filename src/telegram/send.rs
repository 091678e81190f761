//! One message to a chat, now: a screen as Telegram HTML with its buttons, through
//! [`super::call`]. What the outbox delivers and what is said at once both go out here.

use super::Telegram;
use super::call::Failure;
use dvc_onboard_core::i18n::Screen;
use teloxide::prelude::*;
use teloxide::requests::Request;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, ParseMode};

/// Sends a notice that is not queued (the database may be what failed). Best effort.
pub(super) async fn send_now(tg: &Telegram, chat_id: i64, screen: &Screen) {
    if send(tg, chat_id, screen).await.is_err() {
        tracing::warn!("a notice could not be delivered");
    }
}

pub(super) async fn send(tg: &Telegram, chat_id: i64, screen: &Screen) -> Result<(), Failure> {
    let text = escape_html(&screen.text);
    let keyboard = InlineKeyboardMarkup::new(screen.buttons.iter().map(|b| {
        vec![InlineKeyboardButton::callback(
            b.label.clone(),
            b.data.clone(),
        )]
    }));
    tg.calls
        .call("sendMessage", Some(chat_id), || {
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
        .map(|_| ())
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
