//! `/media` in the staff group: the commune records its own voice, and attaches its own
//! pictures, step by step and language by language. A few buttons lead to a step in a language;
//! its message shows the text to read aloud and what the step has; a reply to that message
//! with a voice note or a photo attaches it at once, in place of what was there, for every
//! instance ([`crate::media::StaffMediaIndex`]). What staff attached can be listened to, seen
//! and removed. Nothing here is a citizen's data.

use super::Telegram;
use super::call::Failure;
use super::send::{escape_html, send_media};
use super::staff::{STAFF_LANG, StaffGroup, edit_text, send_group, staff_text};
use crate::media::{self, MediaRef};
use crate::store::StaffMedia;
use dvc_onboard_core::guide::model::Step;
use dvc_onboard_core::lang::Lang;
use dvc_onboard_core::media::MediaKind;
use dvc_onboard_core::staff::{MediaAction, StaffAction, messages as staff_messages};
use fluent_bundle::FluentArgs;
use teloxide::prelude::*;
use teloxide::requests::Request;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId, ParseMode, ThreadId};

/// How long a `/media` message takes replies.
const KEEP_PROMPTS_MS: i64 = 7 * 24 * 3600 * 1000;

fn button(label: String, action: MediaAction) -> Vec<InlineKeyboardButton> {
    vec![InlineKeyboardButton::callback(
        label,
        StaffAction::Media(action).encode(),
    )]
}

fn back(tg: &Telegram, to: MediaAction) -> Vec<InlineKeyboardButton> {
    button(staff_text(tg, staff_messages::BTN_MEDIA_BACK, None), to)
}

/// The guide's sections, in the order they first appear.
fn sections(tg: &Telegram) -> Vec<&str> {
    let mut sections: Vec<&str> = Vec::new();
    for step in &tg.app.content.guide.steps {
        if !sections.contains(&step.section.as_str()) {
            sections.push(&step.section);
        }
    }
    sections
}

fn kind_name(tg: &Telegram, kind: MediaKind) -> String {
    staff_text(
        tg,
        match kind {
            MediaKind::Voice => staff_messages::MEDIA_KIND_VOICE,
            MediaKind::Picture => staff_messages::MEDIA_KIND_PICTURE,
        },
        None,
    )
}

/// The summary: how many steps have their own voice and picture per language, and the
/// sections to choose from.
fn summary(tg: &Telegram) -> (String, InlineKeyboardMarkup) {
    let coverage = media::coverage(&tg.app.content, &tg.app.staff_media);
    let lines: Vec<String> = coverage
        .iter()
        .map(|c| format!("{}: 🔊 {} · 🖼 {}", c.lang.own_name(), c.voice, c.picture))
        .collect();
    let mut args = FluentArgs::new();
    args.set("steps", tg.app.content.guide.steps.len());
    args.set("coverage", lines.join("\n"));
    let guide = &tg.app.content.guide;
    let rows = sections(tg).into_iter().enumerate().map(|(i, section)| {
        let steps = guide.steps.iter().filter(|s| s.section == section).count();
        button(format!("{section} ({steps})"), MediaAction::Section(i))
    });
    (
        staff_text(tg, staff_messages::MEDIA_SUMMARY, Some(&args)),
        InlineKeyboardMarkup::new(rows),
    )
}

/// The languages a step has a `kind` of its own in, as marks for its button.
fn marks(tg: &Telegram, step: &Step, kind: MediaKind) -> String {
    let langs: Vec<&str> = Lang::ALL
        .iter()
        .filter(|&&l| media::held(&tg.app.content, &tg.app.staff_media, step, l, kind).is_some())
        .map(|l| l.code())
        .collect();
    if langs.is_empty() {
        String::new()
    } else {
        let icon = match kind {
            MediaKind::Voice => "🔊",
            MediaKind::Picture => "🖼",
        };
        format!(" {icon}{}", langs.join(","))
    }
}

fn section_screen(tg: &Telegram, index: usize) -> Option<(String, InlineKeyboardMarkup)> {
    let section = *sections(tg).get(index)?;
    let mut rows: Vec<Vec<InlineKeyboardButton>> = tg
        .app
        .content
        .guide
        .steps
        .iter()
        .filter(|s| s.section == section)
        .map(|s| {
            let label = format!(
                "{}{}{}",
                s.id,
                marks(tg, s, MediaKind::Voice),
                marks(tg, s, MediaKind::Picture)
            );
            button(label, MediaAction::Step(s.id.clone()))
        })
        .collect();
    rows.push(back(tg, MediaAction::Sections));
    let mut args = FluentArgs::new();
    args.set("section", section);
    Some((
        staff_text(tg, staff_messages::MEDIA_SECTION, Some(&args)),
        InlineKeyboardMarkup::new(rows),
    ))
}

/// A step's text as a citizen reads it in `lang`.
fn step_text(tg: &Telegram, step: &Step, lang: Lang) -> String {
    let content = &tg.app.content;
    content
        .locales
        .format(lang, &step.message, Some(&content.desk.args()))
}

fn step_screen(tg: &Telegram, step: &Step) -> (String, InlineKeyboardMarkup) {
    let mut args = FluentArgs::new();
    args.set("step", step.id.clone());
    args.set("text", step_text(tg, step, STAFF_LANG));
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Lang::ALL
        .iter()
        .map(|&lang| {
            button(
                lang.own_name().to_string(),
                MediaAction::Lang {
                    step: step.id.clone(),
                    lang,
                },
            )
        })
        .collect();
    let section = sections(tg)
        .iter()
        .position(|s| *s == step.section)
        .unwrap_or(0);
    rows.push(back(tg, MediaAction::Section(section)));
    (
        staff_text(tg, staff_messages::MEDIA_STEP, Some(&args)),
        InlineKeyboardMarkup::new(rows),
    )
}

/// What `step` has of `kind` in `lang`, in words.
fn state(tg: &Telegram, step: &Step, lang: Lang, kind: MediaKind) -> String {
    let content = &tg.app.content;
    match media::held(content, &tg.app.staff_media, step, lang, kind) {
        Some(MediaRef::Staff { .. }) => staff_text(tg, staff_messages::MEDIA_FROM_STAFF, None),
        Some(MediaRef::Shipped { name, .. }) => {
            let mut args = FluentArgs::new();
            args.set("name", name);
            staff_text(tg, staff_messages::MEDIA_SHIPPED, Some(&args))
        }
        None if media::resolve(content, &tg.app.staff_media, step, lang, kind).is_some() => {
            staff_text(tg, staff_messages::MEDIA_FALLBACK, None)
        }
        None => staff_text(tg, staff_messages::MEDIA_NONE, None),
    }
}

/// The message staff reply to: the step's text in `lang` to read aloud, what it has, and the
/// buttons to listen, see and remove.
fn prompt_screen(tg: &Telegram, step: &Step, lang: Lang) -> (String, InlineKeyboardMarkup) {
    let mut args = FluentArgs::new();
    args.set("step", step.id.clone());
    args.set("language", lang.own_name());
    args.set("text", step_text(tg, step, lang));
    args.set("voice", state(tg, step, lang, MediaKind::Voice));
    args.set("picture", state(tg, step, lang, MediaKind::Picture));
    let action = |kind, remove: bool| {
        let (step, lang) = (step.id.clone(), lang);
        if remove {
            MediaAction::Remove { step, lang, kind }
        } else {
            MediaAction::Play { step, lang, kind }
        }
    };
    let staff_has = |kind| tg.app.staff_media.get(&step.id, lang, kind).is_some();
    let mut rows = vec![
        button(
            staff_text(tg, staff_messages::BTN_MEDIA_LISTEN, None),
            action(MediaKind::Voice, false),
        ),
        button(
            staff_text(tg, staff_messages::BTN_MEDIA_SEE, None),
            action(MediaKind::Picture, false),
        ),
    ];
    if staff_has(MediaKind::Voice) {
        rows.push(button(
            staff_text(tg, staff_messages::BTN_MEDIA_REMOVE_VOICE, None),
            action(MediaKind::Voice, true),
        ));
    }
    if staff_has(MediaKind::Picture) {
        rows.push(button(
            staff_text(tg, staff_messages::BTN_MEDIA_REMOVE_PICTURE, None),
            action(MediaKind::Picture, true),
        ));
    }
    rows.push(back(tg, MediaAction::Step(step.id.clone())));
    (
        staff_text(tg, staff_messages::MEDIA_PROMPT, Some(&args)),
        InlineKeyboardMarkup::new(rows),
    )
}

/// `/media`: the summary and the sections.
pub(super) async fn start(tg: &Telegram, staff: &StaffGroup, thread: Option<i32>) {
    let (text, buttons) = summary(tg);
    if let Err(e) = send_group(tg, staff, thread, &text, Some(buttons)).await {
        tracing::warn!(error = %e, "could not start /media");
    }
}

/// A button of `/media`: navigation edits its message; a language sends the message to reply
/// to; listening sends the file; removing edits the prompt.
pub(super) async fn on_button(
    tg: &Telegram,
    staff: &StaffGroup,
    message: &Message,
    action: MediaAction,
) -> anyhow::Result<()> {
    let guide = &tg.app.content.guide;
    let thread = message.thread_id.map(|t| t.0.0);
    // A step no longer in the guide (or tampered data): back to the summary.
    let step_of = |id: &str| guide.step(id);
    match action {
        MediaAction::Sections => {
            let (text, buttons) = summary(tg);
            edit_text(tg, message, &text, Some(buttons)).await;
        }
        MediaAction::Section(i) => {
            let (text, buttons) = section_screen(tg, i).unwrap_or_else(|| summary(tg));
            edit_text(tg, message, &text, Some(buttons)).await;
        }
        MediaAction::Step(id) => {
            let (text, buttons) = step_of(&id).map_or_else(|| summary(tg), |s| step_screen(tg, s));
            edit_text(tg, message, &text, Some(buttons)).await;
        }
        MediaAction::Lang { step, lang } => {
            let Some(step) = step_of(&step) else {
                let (text, buttons) = summary(tg);
                edit_text(tg, message, &text, Some(buttons)).await;
                return Ok(());
            };
            send_prompt(tg, staff, thread, step, lang).await?;
        }
        MediaAction::Play { step, lang, kind } => {
            let Some(step) = step_of(&step) else {
                return Ok(());
            };
            let found = media::resolve(&tg.app.content, &tg.app.staff_media, step, lang, kind);
            let sent = match found {
                Some(media) => send_media(tg, staff.chat_id, thread, kind, &media, None).await,
                None => {
                    let mut args = FluentArgs::new();
                    args.set("step", step.id.clone());
                    args.set("kind", kind_name(tg, kind));
                    args.set("language", lang.own_name());
                    let text = staff_text(tg, staff_messages::MEDIA_NOTHING, Some(&args));
                    send_group(tg, staff, thread, &text, None).await
                }
            };
            if let Err(e) = sent {
                tracing::warn!(error = %e, "could not play a step's media in the staff group");
            }
        }
        MediaAction::Remove { step, lang, kind } => {
            let Some(step) = step_of(&step) else {
                return Ok(());
            };
            let removed = tg
                .app
                .store
                .remove_staff_media(&step.id, lang, kind)
                .await?;
            tg.app.staff_media.refresh(&tg.app.store).await?;
            if removed {
                tracing::info!(step = %step.id, lang = %lang.code(), kind = kind.as_str(), "staff media removed");
                let mut args = FluentArgs::new();
                args.set("step", step.id.clone());
                args.set("kind", kind_name(tg, kind));
                args.set("language", lang.own_name());
                let text = staff_text(tg, staff_messages::MEDIA_REMOVED, Some(&args));
                if let Err(e) = send_group(tg, staff, thread, &text, None).await {
                    tracing::warn!(error = %e, "could not confirm a removal");
                }
            }
            let (text, buttons) = prompt_screen(tg, step, lang);
            edit_text(tg, message, &text, Some(buttons)).await;
        }
    }
    Ok(())
}

/// Sends the message to reply to for `step` in `lang`, and keeps which step and language it
/// stands for.
async fn send_prompt(
    tg: &Telegram,
    staff: &StaffGroup,
    thread: Option<i32>,
    step: &Step,
    lang: Lang,
) -> anyhow::Result<()> {
    let (text, buttons) = prompt_screen(tg, step, lang);
    let text = escape_html(&text);
    let sent = tg
        .calls
        .call("sendMessage", Some(staff.chat_id), || {
            let mut request = tg
                .bot
                .send_message(ChatId(staff.chat_id), text.clone())
                .parse_mode(ParseMode::Html)
                .reply_markup(buttons.clone());
            if let Some(t) = thread {
                request = request.message_thread_id(ThreadId(MessageId(t)));
            }
            request.send()
        })
        .await;
    match sent {
        Ok(Some(message)) => {
            let now = crate::app::now_ms();
            let store = &tg.app.store;
            store
                .remember_media_prompt(i64::from(message.id.0), &step.id, lang, now)
                .await?;
            store.prune_media_prompts(now - KEEP_PROMPTS_MS).await?;
        }
        Ok(None) => {
            tracing::warn!("a /media message went out unread: replies to it attach nothing")
        }
        Err(e) => tracing::warn!(error = %e, "could not send a /media message"),
    }
    Ok(())
}

/// A reply in the staff group to a `/media` message for `step` in `lang`: a voice note or a
/// photo is attached; anything else gets a hint. `false` if `msg` replies to no such message.
pub(super) async fn on_reply(
    tg: &Telegram,
    staff: &StaffGroup,
    msg: &Message,
) -> anyhow::Result<bool> {
    let Some(replied) = msg.reply_to_message() else {
        return Ok(false);
    };
    let Some((step, lang)) = tg.app.store.media_prompt(i64::from(replied.id.0)).await? else {
        return Ok(false);
    };
    let thread = msg.thread_id.map(|t| t.0.0);
    let attached = if let Some(voice) = msg.voice() {
        Some((MediaKind::Voice, voice.file.id.0.clone()))
    } else {
        msg.photo()
            .and_then(|sizes| sizes.last())
            .map(|p| (MediaKind::Picture, p.file.id.0.clone()))
    };
    let text = match attached {
        Some((kind, file_id)) => {
            let media = StaffMedia {
                step: step.clone(),
                lang,
                kind,
                file_id,
                added_at: crate::app::now_ms(),
            };
            tg.app.store.attach_staff_media(&media).await?;
            tg.app.staff_media.refresh(&tg.app.store).await?;
            tracing::info!(%step, lang = %lang.code(), kind = kind.as_str(), "staff media attached");
            if let Some(found) = tg.app.content.guide.step(&step) {
                let (text, buttons) = prompt_screen(tg, found, lang);
                edit_text(tg, replied, &text, Some(buttons)).await;
            }
            let mut args = FluentArgs::new();
            args.set("step", step);
            args.set("kind", kind_name(tg, kind));
            args.set("language", lang.own_name());
            staff_text(tg, staff_messages::MEDIA_ATTACHED, Some(&args))
        }
        None => staff_text(tg, staff_messages::MEDIA_WRONG_KIND, None),
    };
    let said: Result<(), Failure> = send_group(tg, staff, thread, &text, None).await;
    if let Err(e) = said {
        tracing::warn!(error = %e, "could not answer a /media reply");
    }
    Ok(true)
}
