//! One message to a chat, now: a screen as Telegram HTML with its buttons, or a step's picture
//! or voice note, through [`super::call`]. What the outbox delivers and what is said at once
//! both go out here.

use super::Telegram;
use super::call::Failure;
use crate::media::MediaRef;
use dvc_onboard_core::i18n::Screen;
use dvc_onboard_core::media::MediaKind;
use teloxide::prelude::*;
use teloxide::requests::Request;
use teloxide::types::{
    FileId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, MessageId, ParseMode, ThreadId,
};

/// Sends a notice that is not queued (the database may be what failed). Best effort.
pub(super) async fn send_now(tg: &Telegram, chat_id: i64, screen: &Screen) {
    if send(tg, chat_id, screen).await.is_err() {
        tracing::warn!("a notice could not be delivered");
    }
}

fn keyboard(screen: &Screen) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(screen.buttons.iter().map(|b| {
        vec![InlineKeyboardButton::callback(
            b.label.clone(),
            b.data.clone(),
        )]
    }))
}

pub(super) async fn send(tg: &Telegram, chat_id: i64, screen: &Screen) -> Result<(), Failure> {
    let text = escape_html(&screen.text);
    let keyboard = keyboard(screen);
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

/// Sends a step's picture (with `caption`, a screen whose text fits, and its buttons) or voice
/// note. A shipped file goes by the file id Telegram gave it before; the first time, it is
/// uploaded and its id kept. An id Telegram no longer takes is forgotten and the file uploaded
/// again. What fails to be read or kept in the store costs only an upload more.
pub(super) async fn send_media(
    tg: &Telegram,
    chat_id: i64,
    thread: Option<i32>,
    kind: MediaKind,
    media: &MediaRef,
    caption: Option<&Screen>,
) -> Result<(), Failure> {
    let (sha256, name) = match media {
        MediaRef::Staff { file_id } => {
            let file = InputFile::file_id(FileId(file_id.clone()));
            return send_file(tg, (chat_id, thread), kind, file, caption)
                .await
                .map(|_| ());
        }
        MediaRef::Shipped { sha256, name } => (sha256, name),
    };
    let store = &tg.app.store;
    let known = store.uploaded(sha256).await.unwrap_or_else(|e| {
        tracing::warn!(error = format!("{e:#}"), "reading a media file id failed");
        None
    });
    if let Some(file_id) = known {
        let file = InputFile::file_id(FileId(file_id));
        match send_file(tg, (chat_id, thread), kind, file, caption).await {
            // Only a refusal of the id itself calls for an upload: one of the message (a citizen
            // who forbids voice messages) would refuse the upload too, and the id is still good.
            Err(Failure::Refused { description, .. }) if id_refused(&description) => {
                tracing::info!(%description, media = %name, "a file id was refused; uploading anew");
                if let Err(e) = store.forget_upload(sha256).await {
                    tracing::warn!(error = format!("{e:#}"), "forgetting a file id failed");
                }
            }
            sent => return sent.map(|_| ()),
        }
    }
    let Some(file) = tg.app.content.media.by_sha256(sha256) else {
        // Queued by a version that shipped another file: this one has it no more.
        return Err(Failure::Refused {
            class: "bad_request",
            description: format!("the shipped file {name} is not in this version"),
        });
    };
    let upload = InputFile::memory(file.bytes.to_vec()).file_name(name.clone());
    let sent = send_file(tg, (chat_id, thread), kind, upload, caption).await?;
    if let Some(file_id) = sent.as_ref().and_then(|m| file_id_of(m, kind)) {
        let now = crate::app::now_ms();
        if let Err(e) = store.remember_upload(sha256, &file_id, now).await {
            tracing::warn!(error = format!("{e:#}"), "keeping a media file id failed");
        }
    }
    Ok(())
}

/// Sends `file` to a chat (and topic, in a group with topics).
async fn send_file(
    tg: &Telegram,
    (chat_id, thread): (i64, Option<i32>),
    kind: MediaKind,
    file: InputFile,
    caption: Option<&Screen>,
) -> Result<Option<Message>, Failure> {
    let thread = thread.map(|t| ThreadId(MessageId(t)));
    match kind {
        MediaKind::Voice => {
            tg.calls
                .call("sendVoice", Some(chat_id), || {
                    let mut request = tg.bot.send_voice(ChatId(chat_id), file.clone());
                    if let Some(thread) = thread {
                        request = request.message_thread_id(thread);
                    }
                    request.send()
                })
                .await
        }
        MediaKind::Picture => {
            tg.calls
                .call("sendPhoto", Some(chat_id), || {
                    let mut request = tg.bot.send_photo(ChatId(chat_id), file.clone());
                    if let Some(thread) = thread {
                        request = request.message_thread_id(thread);
                    }
                    if let Some(screen) = caption {
                        request = request
                            .caption(escape_html(&screen.text))
                            .parse_mode(ParseMode::Html);
                        if !screen.buttons.is_empty() {
                            request = request.reply_markup(keyboard(screen));
                        }
                    }
                    request.send()
                })
                .await
        }
    }
}

/// Whether Telegram's refusal is of the file id (forgotten, or of another kind of file), not of
/// the message: "wrong file identifier/HTTP URL specified", "FILE_REFERENCE_EXPIRED",
/// "wrong type of the web page content".
fn id_refused(description: &str) -> bool {
    let d = description.to_ascii_lowercase();
    [
        "file identifier",
        "file_reference",
        "file_id",
        "wrong type of the web page",
    ]
    .iter()
    .any(|m| d.contains(m))
}

/// The file id Telegram gave what was sent: the largest size of a photo, or the voice note.
fn file_id_of(message: &Message, kind: MediaKind) -> Option<String> {
    match kind {
        MediaKind::Picture => message.photo()?.last().map(|p| p.file.id.0.clone()),
        MediaKind::Voice => message.voice().map(|v| v.file.id.0.clone()),
    }
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
    fn only_a_refused_file_id_calls_for_an_upload() {
        assert!(super::id_refused(
            "Bad Request: wrong file identifier/HTTP URL specified"
        ));
        assert!(super::id_refused("Bad Request: FILE_REFERENCE_EXPIRED"));
        assert!(!super::id_refused("Bad Request: VOICE_MESSAGES_FORBIDDEN"));
        assert!(!super::id_refused("Forbidden: bot was blocked by the user"));
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            super::escape_html("a < b & c > d"),
            "a &lt; b &amp; c &gt; d"
        );
        assert_eq!(super::escape_html("Bước 1/5 · “OK”"), "Bước 1/5 · “OK”");
    }
}
