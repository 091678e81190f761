//! The staff group: a case per citizen who asked for a person (a forum topic, or a card to
//! reply to where the group has no topics), the relay between them, the card's buttons, the
//! polite word when nobody takes a case, and `/assist` for citizens helped at the desk.
//!
//! Who is staff is who is in the group: Telegram only delivers the group's messages and the
//! card's button presses from inside it, so nothing here is reachable from a citizen's chat.

use super::call::{Calls, Failure};
use super::{ADAPTER, Telegram, send};
use crate::outbox::OutboxItem;
use crate::store::{Case, ErasedCase, InPerson};
use dvc_onboard_core::domain::{CaseStatus, SessionOutcome, StaffEvent};
use dvc_onboard_core::domain::{Milestone, Purpose};
use dvc_onboard_core::guide::Input;
use dvc_onboard_core::guide::engine::messages;
use dvc_onboard_core::lang::Lang;
use dvc_onboard_core::staff::messages as staff_messages;
use dvc_onboard_core::staff::{
    Assist, CaseButton, Closing, StaffAction, VISIT_OUTCOMES, VISIT_PURPOSES,
};
use fluent_bundle::FluentArgs;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use teloxide::prelude::*;
use teloxide::requests::Request;
use teloxide::types::{
    ChatFullInfo, ChatFullInfoKind, ChatFullInfoPublicKind, ChatFullInfoPublicSupergroup,
    ChatMemberKind, ChatPermissions, InputFile, MessageKind, Restricted,
};
use teloxide::types::{
    InlineKeyboardButton, InlineKeyboardMarkup, MessageId, ReplyParameters, ThreadId,
};

/// The staff group, from `STAFF_CHAT_ID`.
pub struct StaffGroup {
    pub chat_id: i64,
    /// How long a case may wait untaken before the citizen is told (`HANDOFF_WAIT_SECS`).
    pub wait: Duration,
    /// How long a case may stay open at all (`HANDOFF_MAX_AGE_SECS`): then it ends, and the
    /// chat id it keeps goes with it.
    pub max_age: Duration,
    /// Topics on: a topic per case. Turned off when Telegram says the group is not a forum.
    forum: AtomicBool,
}

impl StaffGroup {
    pub fn new(chat_id: i64, wait: Duration, max_age: Duration) -> StaffGroup {
        StaffGroup {
            chat_id,
            wait,
            max_age,
            forum: AtomicBool::new(true),
        }
    }

    fn forum(&self) -> bool {
        self.forum.load(Ordering::Relaxed)
    }
}

/// Staff read Vietnamese.
pub(super) const STAFF_LANG: Lang = Lang::Vi;

pub(super) fn staff_text(tg: &Telegram, id: &str, args: Option<&FluentArgs>) -> String {
    tg.app.content.locales.format(STAFF_LANG, id, args)
}

/// Checks at start that the bot can work in the group, says in plain words what is missing
/// and where to switch it on, and falls back to cards to reply to where topics cannot be used.
/// Returns the problems found (also logged), none when all is well.
pub async fn check_group(tg: &Telegram, staff: &StaffGroup) -> Vec<String> {
    let problems = group_problems(&tg.bot, &tg.calls, staff).await;
    for problem in &problems {
        tracing::warn!("staff group (STAFF_CHAT_ID): {problem}");
    }
    if problems.is_empty() {
        tracing::info!(
            topics = staff.forum(),
            "staff group ready: the bot is an administrator that may post cases"
        );
    }
    problems
}

/// What keeps the staff group from working as it should, one sentence with its fix each.
pub(super) async fn group_problems(bot: &Bot, calls: &Calls, staff: &StaffGroup) -> Vec<String> {
    let group = ChatId(staff.chat_id);
    let chat = match calls
        .call("getChat", None, || bot.get_chat(group).send())
        .await
    {
        Ok(Some(chat)) => chat,
        Ok(None) => return vec!["Telegram's answer about the group could not be read".into()],
        Err(e) => {
            return vec![format!(
                "the bot cannot see the group ({e}): check STAFF_CHAT_ID (a supergroup's id \
                 looks like -1001234567890) and add the bot to the group"
            )];
        }
    };
    let me = match calls.call("getMe", None, || bot.get_me().send()).await {
        Ok(Some(me)) => me,
        _ => return vec!["getMe failed: the bot's rights in the group were not checked".into()],
    };
    let member = calls
        .call("getChatMember", None, || {
            bot.get_chat_member(group, me.id).send()
        })
        .await;
    let member = match member {
        Ok(Some(member)) => member,
        _ => return vec!["the bot's rights in the group could not be read".into()],
    };
    let mut problems = Vec::new();
    let admin = member.kind.is_privileged();
    if !member.is_present() {
        problems.push(
            "the bot is not in the group: add it (group → Add members), then make it an \
             administrator"
                .to_string(),
        );
        return problems;
    }
    if !admin {
        problems.push(
            "the bot is not an administrator, so it does not see staff's messages: in \
             Telegram, open the group → Edit (pencil) → Administrators → Add Admin → the bot"
                .to_string(),
        );
    }
    let manage_topics = match &member.kind {
        ChatMemberKind::Owner(_) => true,
        ChatMemberKind::Administrator(a) => a.can_manage_topics,
        ChatMemberKind::Restricted(r) => r.can_manage_topics,
        _ => false,
    };
    if !is_forum(&chat) {
        staff.forum.store(false, Ordering::Relaxed);
        problems.push(
            "the group has no topics: each case is posted as a card that staff reply to; \
             for a topic per case, turn on Edit → Topics"
                .to_string(),
        );
    } else if !manage_topics {
        staff.forum.store(false, Ordering::Relaxed);
        problems.push(
            "the bot may not manage topics: cases are posted as cards to reply to until it \
             may; switch on Edit → Administrators → the bot → Manage Topics"
                .to_string(),
        );
    }
    // An administrator sends whatever the group's members may not; anyone else only what
    // the group's permissions and the bot's own restrictions allow.
    let restrictions = match &member.kind {
        ChatMemberKind::Restricted(r) => Some(r),
        _ => None,
    };
    let may = |right: ChatPermissions, own: fn(&Restricted) -> bool| {
        admin
            || (chat.permissions().is_none_or(|p| p.contains(right))
                && restrictions.is_none_or(own))
    };
    let restricted = |what: &str| {
        format!(
            "the bot may not send {what} in the group: make it an administrator, or switch \
             on Edit → Permissions → {what}"
        )
    };
    if !may(ChatPermissions::SEND_MESSAGES, |r| r.can_send_messages) {
        problems.push(restricted("Messages"));
    }
    if !may(ChatPermissions::SEND_PHOTOS, |r| r.can_send_photos) {
        problems.push(restricted("Photos"));
    }
    if !may(ChatPermissions::SEND_DOCUMENTS, |r| r.can_send_documents) {
        problems.push(restricted("Files"));
    }
    // Cases hold what citizens ask, in their words: strangers must not be able to read them.
    if let Some(name) = chat.username() {
        problems.push(format!(
            "the group is public (@{name}): anyone can find it and read the cases; make it \
             private: Edit → Group type → Private"
        ));
    } else if chat.invite_link().is_some() && !chat.join_by_request() {
        problems.push(
            "anyone with the group's invite link joins it and reads the cases: once staff are \
             in, revoke the link (Edit → Invite links), or turn on approval of new members"
                .to_string(),
        );
    }
    problems
}

/// Whether a group has topics.
fn is_forum(chat: &ChatFullInfo) -> bool {
    match &chat.kind {
        ChatFullInfoKind::Public(public) => matches!(
            &public.kind,
            ChatFullInfoPublicKind::Supergroup(ChatFullInfoPublicSupergroup { is_forum: true, .. })
        ),
        ChatFullInfoKind::Private(_) => false,
    }
}

/// Posts every open case that has no card yet (just opened, or posting failed before).
pub async fn post_cases(tg: &Telegram, staff: &StaffGroup) -> anyhow::Result<()> {
    let _group = tg.locks.lock(staff.chat_id).await;
    // Another instance may be posting the same cases (its sweep, or the case it opened).
    let _posting = tg.app.store.exclusive("staff:post-cases").await?;
    for code in tg.app.store.unposted_cases().await? {
        if let Some(case) = tg.app.store.case_by_code(&code).await? {
            // A case Telegram refuses waits for the next sweep; the others go on.
            if let Err(e) = post_case(tg, staff, &case).await? {
                tracing::warn!(case = case.code, error = %e, "could not post a case");
            }
        }
    }
    Ok(())
}

/// Opens the case's topic (or, without topics, posts the card in the group) and its card.
/// Gives the topic, if any; the inner `Err` is Telegram's refusal, the outer one the
/// database's.
async fn post_case(
    tg: &Telegram,
    staff: &StaffGroup,
    case: &Case,
) -> anyhow::Result<Result<Option<i64>, Failure>> {
    let summary = tg.app.store.case_summary(case).await?;
    let commune = summary
        .commune
        .as_deref()
        .map(|code| {
            tg.app
                .content
                .guide
                .commune(code)
                .map_or(code, |c| c.name.as_str())
        })
        .unwrap_or("?");
    let thread = if staff.forum() {
        let name = format!("#{} · {} · {}", case.code, summary.language, commune);
        let topic = tg
            .calls
            .call("createForumTopic", Some(staff.chat_id), || {
                tg.bot
                    .create_forum_topic(ChatId(staff.chat_id), name.clone())
                    .send()
            })
            .await;
        match topic {
            Ok(topic) => topic.map(|t| t.thread_id),
            Err(e) if topics_unusable(&e) => {
                tracing::warn!(
                    error = %e,
                    "the staff group's topics cannot be used: cases are posted as cards to reply to"
                );
                staff.forum.store(false, Ordering::Relaxed);
                None
            }
            Err(e) => return Ok(Err(e)),
        }
    } else {
        None
    };
    let now = crate::app::now_ms();
    let guide = &tg.app.content.guide;
    let step = summary.current_step.as_deref().unwrap_or("-");
    let problems: Vec<&str> = summary
        .steps
        .iter()
        .filter(|s| {
            guide
                .step(s)
                .is_some_and(|s| s.kind == dvc_onboard_core::guide::model::StepKind::Trouble)
        })
        .map(String::as_str)
        .collect();
    let mut args = FluentArgs::new();
    args.set("code", case.code.clone());
    args.set(
        "language",
        Lang::from_code(&summary.language).map_or("?", Lang::own_name),
    );
    args.set("commune", commune.to_string());
    args.set("step", step.to_string());
    args.set(
        "done",
        if summary.milestones.is_empty() {
            "-".to_string()
        } else {
            summary.milestones.join(", ")
        },
    );
    args.set("steps", summary.steps.len());
    args.set(
        "problems",
        if problems.is_empty() {
            "-".to_string()
        } else {
            problems.join(", ")
        },
    );
    args.set(
        "minutes",
        (case.opened_at - summary.started_at).max(0) / 60_000,
    );
    let text = send::escape_html(&staff_text(tg, staff_messages::CARD, Some(&args)));
    let mut request = tg
        .bot
        .send_message(ChatId(staff.chat_id), text)
        .parse_mode(teloxide::types::ParseMode::Html)
        .reply_markup(card_buttons(tg, &case.code));
    if let Some(thread) = thread {
        request = request.message_thread_id(thread);
    }
    let card = match tg
        .calls
        .call("sendMessage", Some(staff.chat_id), || {
            request.clone().send()
        })
        .await
    {
        Ok(Some(card)) => card,
        // Telegram took the card, but which message it is cannot be read: posting it again
        // would make two.
        Ok(None) => return Ok(Err(Failure::Later)),
        Err(e) => return Ok(Err(e)),
    };
    let thread_id = thread.map(|t| i64::from(t.0.0));
    tg.app
        .store
        .case_posted(&case.code, thread_id, i64::from(card.id.0))
        .await?;
    tracing::info!(case = case.code, at = now, "case posted to staff");
    Ok(Ok(thread_id))
}

/// Whether a refused `createForumTopic` means topics cannot be used in the group at all (not
/// a forum, or the bot may not manage topics), so cards to reply to must do.
fn topics_unusable(e: &Failure) -> bool {
    let description = e.description();
    description.contains("not a forum") || description.contains("not enough rights")
}

fn card_buttons(tg: &Telegram, code: &str) -> InlineKeyboardMarkup {
    case_buttons(
        tg,
        code,
        &[
            (staff_messages::BTN_TAKE, CaseButton::Take),
            (staff_messages::BTN_CREATED, CaseButton::Created),
            (
                staff_messages::BTN_NOT_CREATED,
                CaseButton::Close(Closing::NotCreated),
            ),
            (
                staff_messages::BTN_TO_GUIDE,
                CaseButton::Close(Closing::ToGuide),
            ),
        ],
    )
}

fn level_buttons(tg: &Telegram, code: &str) -> InlineKeyboardMarkup {
    let reached = |m| CaseButton::Close(Closing::Reached(m));
    case_buttons(
        tg,
        code,
        &[
            (staff_messages::BTN_LEVEL1, reached(Milestone::VneidLevel1)),
            (staff_messages::BTN_LEVEL2, reached(Milestone::VneidLevel2)),
            (staff_messages::BTN_PORTAL, reached(Milestone::PortalLogin)),
            (staff_messages::BTN_CHILD, reached(Milestone::ChildApplied)),
            (staff_messages::BTN_REFERRED, reached(Milestone::Referred)),
            (staff_messages::BTN_CANCEL, CaseButton::Back),
        ],
    )
}

/// A button a row, each labelled by a staff message.
fn case_buttons(tg: &Telegram, code: &str, buttons: &[(&str, CaseButton)]) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(buttons.iter().map(|&(label, button)| {
        let action = StaffAction::Case {
            code: code.to_string(),
            button,
        };
        vec![InlineKeyboardButton::callback(
            staff_text(tg, label, None),
            action.encode(),
        )]
    }))
}

/// The label staff know a closing by: the button's own.
fn closing_label(closing: Closing) -> &'static str {
    match closing {
        Closing::Reached(Milestone::VneidLevel1) => staff_messages::BTN_LEVEL1,
        Closing::Reached(Milestone::VneidLevel2) => staff_messages::BTN_LEVEL2,
        Closing::Reached(Milestone::PortalLogin) => staff_messages::BTN_PORTAL,
        Closing::Reached(Milestone::ChildApplied) => staff_messages::BTN_CHILD,
        Closing::Reached(Milestone::Referred) => staff_messages::BTN_REFERRED,
        Closing::NotCreated => staff_messages::BTN_NOT_CREATED,
        Closing::ToGuide => staff_messages::BTN_TO_GUIDE,
    }
}

/// Copies a citizen's message into their case (topic, or reply to the card). A deleted topic
/// gets a new one, so the citizen is never lost. `without_caption`: the copy goes with an
/// empty caption (the original's held a personal number). The inner `Err` is Telegram's refusal (a
/// message deleted before it was copied, a kind the group forbids) or `Later` (the case could
/// not be posted yet); the outer one is the database's.
pub(super) async fn copy_to_case(
    tg: &Telegram,
    staff: &StaffGroup,
    from_chat: i64,
    message_id: i32,
    without_caption: bool,
) -> anyhow::Result<Result<(), Failure>> {
    let Some(case) = tg.app.store.open_case_of_chat(from_chat).await? else {
        // The case closed before the copy went out: nothing to copy into.
        return Ok(Ok(()));
    };
    let mut thread = case.thread_id;
    if case.card_message_id.is_none() {
        thread = match post_case(tg, staff, &case).await? {
            Ok(thread) => thread,
            // The message waits for its case to be posted; other cases' go on.
            Err(e) => {
                tracing::warn!(case = case.code, error = %e, "could not post a case");
                return Ok(Err(Failure::Later));
            }
        };
    }
    for _ in 0..2 {
        let mut request = tg.bot.copy_message(
            ChatId(staff.chat_id),
            ChatId(from_chat),
            MessageId(message_id),
        );
        if without_caption {
            // An empty caption replaces the original's, which held a personal number.
            request = request.caption(String::new());
        }
        match (thread, case.card_message_id) {
            (Some(t), _) => request = request.message_thread_id(ThreadId(MessageId(t as i32))),
            (None, Some(card)) => {
                request = request.reply_parameters(ReplyParameters::new(MessageId(card as i32)))
            }
            (None, None) => {}
        }
        let copied = tg
            .calls
            .call("copyMessage", Some(staff.chat_id), || {
                request.clone().send()
            })
            .await;
        match copied {
            Ok(copied) => {
                if let Some(copied) = copied {
                    tg.app
                        .store
                        .remember_case_message(&case.code, i64::from(copied.0))
                        .await?;
                }
                return Ok(Ok(()));
            }
            Err(e) if is_topic_gone(e.description()) => {
                tracing::warn!(
                    case = case.code,
                    "the case's topic is gone; opening a new one"
                );
                thread = match post_case(tg, staff, &case).await? {
                    Ok(thread) => thread,
                    Err(e) => {
                        tracing::warn!(case = case.code, error = %e, "could not post a case");
                        return Ok(Err(Failure::Later));
                    }
                };
                if let Some(t) = thread {
                    tg.app.store.case_moved(&case.code, t).await?;
                }
            }
            Err(e) => return Ok(Err(e)),
        }
    }
    Ok(Err(Failure::Later))
}

fn is_topic_gone(error: &str) -> bool {
    [
        "message thread not found",
        "TOPIC_DELETED",
        "TOPIC_CLOSED",
        "topic is closed",
    ]
    .iter()
    .any(|s| error.contains(s))
}

/// A message in the staff group: a command, or an answer to a case.
pub(super) async fn on_group_message(
    tg: Arc<Telegram>,
    update: Update,
    msg: Message,
) -> anyhow::Result<()> {
    let Some(staff) = &tg.staff else {
        return Ok(());
    };
    let Some(from) = msg.from.as_ref().filter(|u| !u.is_bot) else {
        return Ok(());
    };
    let staff_id = tg
        .app
        .pseudonyms
        .pseudonym("telegram-staff", &from.id.0.to_string());
    let update_id = i64::from(update.id.0);
    let thread = msg.thread_id.map(|t| t.0.0);
    if let Some(command) = msg.text().and_then(super::command) {
        // What Telegram refuses here (a missing right in the group) is logged and told to the
        // group where it can be; it never fails the update, which would hold up the citizens'.
        return match command {
            "assist" => {
                assist_start(&tg, staff, thread).await;
                Ok(())
            }
            "media" => {
                super::staff_media::start(&tg, staff, thread).await;
                Ok(())
            }
            "report" => {
                let period = msg
                    .text()
                    .and_then(|t| t.split_whitespace().nth(1))
                    .unwrap_or("");
                report(&tg, staff, thread, period).await
            }
            _ => Ok(()),
        };
    }
    // Only what a person wrote answers a case: not a pin, a topic renamed or closed, a member
    // joining (service messages).
    if !matches!(msg.kind, MessageKind::Common(_)) {
        return Ok(());
    }
    // A voice note or photo for a step (`/media`), not an answer to a case.
    if super::staff_media::on_reply(&tg, staff, &msg).await? {
        return Ok(());
    }
    // Which case this answers: the topic it is in, or (no topics) the message it replies to.
    let case = match (thread, msg.reply_to_message()) {
        (Some(t), _) if staff.forum() => tg.app.store.open_case_in_thread(i64::from(t)).await?,
        (_, Some(replied)) => {
            tg.app
                .store
                .open_case_of_message(i64::from(replied.id.0))
                .await?
        }
        _ => None,
    };
    let Some(case) = case else { return Ok(()) };
    let Some(citizen_chat) = case.chat_id else {
        return Ok(());
    };
    let copy = OutboxItem::Copy {
        from_chat: staff.chat_id,
        message_id: msg.id.0,
        to_case: false,
        photo: false,
        without_caption: false,
    };
    let now = crate::app::now_ms();
    tg.app
        .store
        .enqueue(
            update_id,
            &[(citizen_chat, serde_json::to_string(&copy)?)],
            now,
        )
        .await?;
    // Once per update, whether this delivery queued the copy or an earlier one did.
    tg.app
        .store
        .staff_event(
            &case.code,
            StaffEvent::Answered,
            &staff_id,
            now,
            &format!("update:{update_id}"),
        )
        .await?;
    tg.deliver_soon(citizen_chat);
    Ok(())
}

/// A button of a case card or of `/assist`, pressed in the staff group: read, then done.
pub(super) async fn on_button(
    tg: Arc<Telegram>,
    update: Update,
    query: CallbackQuery,
) -> anyhow::Result<()> {
    let Some(staff) = &tg.staff else {
        return Ok(());
    };
    tg.answer_press(query.id.clone()).await;
    let Some(message) = query.message.as_ref().and_then(|m| m.regular_message()) else {
        return Ok(());
    };
    // Data no button of ours carries (tampered, or from another version): nothing to do.
    let Some(action) = StaffAction::decode(query.data.as_deref().unwrap_or("")) else {
        return Ok(());
    };
    let staff_id = tg
        .app
        .pseudonyms
        .pseudonym("telegram-staff", &query.from.id.0.to_string());
    match action {
        StaffAction::Case { code, button } => {
            let pressed = Pressed {
                update_id: i64::from(update.id.0),
                staff_id,
                name: query.from.first_name.clone(),
                message,
            };
            on_case_button(&tg, staff, &pressed, &code, button).await
        }
        StaffAction::Assist(assist) => assist_step(&tg, message, &assist, &staff_id).await,
        StaffAction::AssistCancel => {
            assist_cancel(&tg, message).await;
            Ok(())
        }
        StaffAction::Media(action) => {
            super::staff_media::on_button(&tg, staff, message, action).await
        }
    }
}

/// Who pressed a card's button, and where.
struct Pressed<'a> {
    update_id: i64,
    staff_id: String,
    name: String,
    message: &'a Message,
}

async fn on_case_button(
    tg: &Arc<Telegram>,
    staff: &StaffGroup,
    pressed: &Pressed<'_>,
    code: &str,
    button: CaseButton,
) -> anyhow::Result<()> {
    let Some(case) = tg.app.store.case_by_code(code).await? else {
        return Ok(());
    };
    if case.status == CaseStatus::Closed {
        return Ok(());
    }
    let message = pressed.message;
    match button {
        CaseButton::Take => {
            let now = crate::app::now_ms();
            if tg.app.store.take_case(code, &pressed.staff_id, now).await? {
                let mut args = FluentArgs::new();
                args.set("name", pressed.name.clone());
                let line = staff_text(tg, staff_messages::TAKEN, Some(&args));
                append_to_card(tg, message, &line, Some(card_buttons(tg, code))).await;
            }
        }
        CaseButton::Created => edit_buttons(tg, message, level_buttons(tg, code)).await,
        CaseButton::Back => edit_buttons(tg, message, card_buttons(tg, code)).await,
        CaseButton::Close(closing) => close_case(tg, staff, pressed, &case, closing).await?,
    }
    Ok(())
}

/// Closes a case as staff chose (or sends the citizen back to the guide), once whoever taps
/// twice, and says so on the card.
async fn close_case(
    tg: &Arc<Telegram>,
    staff: &StaffGroup,
    pressed: &Pressed<'_>,
    case: &Case,
    closing: Closing,
) -> anyhow::Result<()> {
    let (input, event, note) = match closing {
        Closing::ToGuide => (Input::Resume, StaffEvent::ToGuide, staff_messages::TO_GUIDE),
        _ => (
            Input::StaffClosed {
                reached: closing.reached(),
            },
            StaffEvent::Closed,
            staff_messages::CLOSED,
        ),
    };
    let now = crate::app::now_ms();
    let code = &case.code;
    // A case closes once, whoever taps twice: the second tap records nothing.
    tg.app
        .store
        .staff_event(
            code,
            event,
            &pressed.staff_id,
            now,
            &format!("close:{code}"),
        )
        .await?;
    match case.chat_id {
        Some(chat) => tg.citizen_input(pressed.update_id, chat, input).await?,
        // The citizen erased their data: only the case is closed.
        None => tg.app.store.close_case(code, now).await?,
    }
    let mut args = FluentArgs::new();
    args.set("name", pressed.name.clone());
    args.set("outcome", staff_text(tg, closing_label(closing), None));
    let line = staff_text(tg, note, Some(&args));
    append_to_card(tg, pressed.message, &line, None).await;
    if let Some(thread) = case.thread_id {
        close_topic(tg, staff, thread).await;
    }
    Ok(())
}

/// Closes a case's topic. A refusal (the topic deleted, or closed already) is logged.
async fn close_topic(tg: &Telegram, staff: &StaffGroup, thread: i64) {
    let closed = tg
        .calls
        .call("closeForumTopic", None, || {
            tg.bot
                .close_forum_topic(ChatId(staff.chat_id), ThreadId(MessageId(thread as i32)))
                .send()
        })
        .await;
    if let Err(e) = closed {
        tracing::info!(error = %e, "could not close a case's topic");
    }
}

/// Adds a line to a card (who took it, how it closed); `buttons: None` removes them.
async fn append_to_card(
    tg: &Telegram,
    card: &Message,
    line: &str,
    buttons: Option<InlineKeyboardMarkup>,
) {
    let old = card.text().unwrap_or_default();
    edit_text(tg, card, &format!("{old}\n{line}"), buttons).await;
}

/// Replaces the text (and the buttons: `None` removes them) of a message of the bot's in the
/// staff group. A refusal is logged: the card keeps its old text.
pub(super) async fn edit_text(
    tg: &Telegram,
    message: &Message,
    text: &str,
    buttons: Option<InlineKeyboardMarkup>,
) {
    let text = send::escape_html(text);
    let mut request = tg
        .bot
        .edit_message_text(message.chat.id, message.id, text)
        .parse_mode(teloxide::types::ParseMode::Html);
    if let Some(buttons) = buttons {
        request = request.reply_markup(buttons);
    }
    let edited = tg
        .calls
        .call("editMessageText", Some(message.chat.id.0), || {
            request.clone().send()
        })
        .await;
    if let Err(e) = edited {
        tracing::warn!(error = %e, "could not edit a message in the staff group");
    }
}

/// Replaces the buttons of a message of the bot's in the staff group.
async fn edit_buttons(tg: &Telegram, message: &Message, buttons: InlineKeyboardMarkup) {
    let edited = tg
        .calls
        .call("editMessageReplyMarkup", Some(message.chat.id.0), || {
            tg.bot
                .edit_message_reply_markup(message.chat.id, message.id)
                .reply_markup(buttons.clone())
                .send()
        })
        .await;
    if let Err(e) = edited {
        tracing::warn!(error = %e, "could not change a card's buttons");
    }
}

/// Sends a message to the staff group (in topic `thread`, if any). A refusal is logged and
/// returned; callers go on.
pub(super) async fn send_group(
    tg: &Telegram,
    staff: &StaffGroup,
    thread: Option<i32>,
    text: &str,
    buttons: Option<InlineKeyboardMarkup>,
) -> Result<(), Failure> {
    let mut request = tg
        .bot
        .send_message(ChatId(staff.chat_id), send::escape_html(text))
        .parse_mode(teloxide::types::ParseMode::Html);
    if let Some(t) = thread {
        request = request.message_thread_id(ThreadId(MessageId(t)));
    }
    if let Some(buttons) = buttons {
        request = request.reply_markup(buttons);
    }
    tg.calls
        .call("sendMessage", Some(staff.chat_id), || {
            request.clone().send()
        })
        .await
        .map(|_| ())
}

/// `/report [period]`: a short summary in Vietnamese, the report in the state's form (Word),
/// the figures as an Excel workbook, the weekly chart.
/// What Telegram refuses (a group where the bot may not send files) is said in the group, and
/// the rest still goes.
async fn report(
    tg: &Telegram,
    staff: &StaffGroup,
    thread: Option<i32>,
    period: &str,
) -> anyhow::Result<()> {
    let now = crate::app::now_ms();
    let bundle =
        match crate::report::telegram_bundle(&tg.app.store, &tg.app.content, period, now).await {
            Ok(bundle) => bundle,
            Err(crate::report::BundleError::Period(e)) => {
                if let Err(e) = send_group(tg, staff, thread, &e.vi(), None).await {
                    tracing::warn!(error = %e, "could not tell staff that a period is wrong");
                }
                return Ok(());
            }
            Err(crate::report::BundleError::Other(e)) => return Err(e),
        };
    if send_group(tg, staff, thread, &bundle.summary, None)
        .await
        .is_err()
    {
        // The group refuses the bot's messages: nothing more can be said there.
        return Ok(());
    }
    let group = ChatId(staff.chat_id);
    let in_thread = thread.map(|t| ThreadId(MessageId(t)));
    let send_document = |file: InputFile| {
        tg.calls.call("sendDocument", Some(staff.chat_id), move || {
            let mut request = tg.bot.send_document(group, file.clone());
            if let Some(t) = in_thread {
                request = request.message_thread_id(t);
            }
            request.send()
        })
    };
    let word = send_document(InputFile::memory(bundle.docx).file_name(bundle.docx_name)).await;
    let workbook = send_document(InputFile::memory(bundle.xlsx).file_name(bundle.xlsx_name)).await;
    let png = InputFile::memory(bundle.png).file_name("bieu-do.png");
    let photo = tg
        .calls
        .call("sendPhoto", Some(staff.chat_id), || {
            let mut request = tg.bot.send_photo(group, png.clone());
            if let Some(t) = in_thread {
                request = request.message_thread_id(t);
            }
            request.send()
        })
        .await;
    for (sent, what) in [
        (word, staff_messages::REPORT_DOCUMENT),
        (workbook, staff_messages::REPORT_FILE),
        (photo, staff_messages::REPORT_CHART),
    ] {
        if let Err(e) = sent {
            let mut args = FluentArgs::new();
            args.set("what", staff_text(tg, what, None));
            args.set("reason", e.description().to_string());
            let said = staff_text(tg, staff_messages::REPORT_REFUSED, Some(&args));
            if let Err(e) = send_group(tg, staff, thread, &said, None).await {
                tracing::warn!(error = %e, "could not tell staff that a report file was refused");
            }
        }
    }
    Ok(())
}

/// What the sweep does for staff: post cases not posted yet, and tell citizens whose case
/// nobody took in time (kindly, with the desk hours), marking the case as waiting for staff.
/// Each goes on whatever became of the other: a group that refuses the bot's posts must not
/// keep a citizen from hearing that nobody has taken their case.
pub async fn duties(tg: &Telegram, staff: &StaffGroup) -> anyhow::Result<()> {
    let posted = post_cases(tg, staff).await;
    let told = late_notices(tg, staff).await;
    let ended = expire_cases(tg, staff).await;
    posted.and(told).and(ended)
}

/// Ends the cases open longer than their maximum age: the citizen is back in the guide when they
/// write again (told nothing now, long after), the chat id kept for the case goes, and the case
/// says so and its topic is closed.
async fn expire_cases(tg: &Telegram, staff: &StaffGroup) -> anyhow::Result<()> {
    let now = crate::app::now_ms();
    let max_age = i64::try_from(staff.max_age.as_millis()).unwrap_or(i64::MAX);
    for case in tg.app.store.expired_cases(now - max_age).await? {
        if let Some(chat) = case.chat_id {
            tg.app
                .handle(ADAPTER, &chat.to_string(), Input::HandoffExpired)
                .await?;
        }
        // Closed by the citizen's state above; a case whose citizen is gone closes here.
        tg.app.store.close_case(&case.code, now).await?;
        let mut args = FluentArgs::new();
        args.set("code", case.code.clone());
        args.set("days", staff.max_age.as_secs() / 86_400);
        let thread = case.thread_id.map(|t| t as i32);
        let line = staff_text(tg, staff_messages::CASE_EXPIRED, Some(&args));
        if let Err(e) = send_group(tg, staff, thread, &line, None).await {
            tracing::warn!(case = case.code, error = %e, "could not mark a case as ended");
        }
        if let Some(thread) = case.thread_id {
            close_topic(tg, staff, thread).await;
        }
        tracing::info!(case = case.code, "a case past its maximum age ended");
    }
    Ok(())
}

/// Tells the citizens whose case nobody took within the wait, once, and says so in the case.
async fn late_notices(tg: &Telegram, staff: &StaffGroup) -> anyhow::Result<()> {
    let now = crate::app::now_ms();
    let wait_ms = i64::try_from(staff.wait.as_millis()).unwrap_or(i64::MAX);
    for case in tg.app.store.late_cases(now - wait_ms).await? {
        if !tg.app.store.mark_late(&case.code, now).await? {
            continue;
        }
        if let Some(chat) = case.chat_id {
            let lang = tg
                .app
                .store
                .language_of(&case.citizen)
                .await?
                .unwrap_or(Lang::Vi);
            let notice = tg.app.notice(lang, messages::HANDOFF_LATE);
            tg.app
                .store
                .queue(
                    chat,
                    &serde_json::to_string(&OutboxItem::Screen(notice))?,
                    now,
                )
                .await?;
            tg.deliver_soon(chat);
        }
        let mut args = FluentArgs::new();
        args.set("minutes", staff.wait.as_secs() / 60);
        args.set("code", case.code.clone());
        let thread = case.thread_id.map(|t| t as i32);
        let line = staff_text(tg, staff_messages::LATE, Some(&args));
        if let Err(e) = send_group(tg, staff, thread, &line, None).await {
            tracing::warn!(case = case.code, error = %e, "could not mark a case as waiting");
        }
    }
    Ok(())
}

/// A case whose citizen erased their data (`/forget`): its topic is removed, with what the
/// citizen sent in it, and the group told; where the bot may not remove it (or the group has no
/// topics), staff are asked, in the case, to delete its messages.
pub(super) async fn case_erased(tg: &Telegram, staff: &StaffGroup, case: &ErasedCase) {
    let mut args = FluentArgs::new();
    args.set("code", case.code.clone());
    let refused = match case.thread_id {
        Some(thread) => {
            let removed = tg
                .calls
                .call("deleteForumTopic", Some(staff.chat_id), || {
                    tg.bot
                        .delete_forum_topic(
                            ChatId(staff.chat_id),
                            ThreadId(MessageId(thread as i32)),
                        )
                        .send()
                })
                .await;
            match removed {
                Ok(_) => {
                    let said = staff_text(tg, staff_messages::CITIZEN_ERASED, Some(&args));
                    if let Err(e) = send_group(tg, staff, None, &said, None).await {
                        tracing::warn!(error = %e, "could not tell staff of an erasure");
                    }
                    return;
                }
                Err(e) => e.description().to_string(),
            }
        }
        None => staff_text(tg, staff_messages::NO_TOPICS, None),
    };
    args.set("reason", refused);
    let said = staff_text(tg, staff_messages::CITIZEN_ERASED_KEEP, Some(&args));
    let mut request = tg
        .bot
        .send_message(ChatId(staff.chat_id), send::escape_html(&said))
        .parse_mode(teloxide::types::ParseMode::Html);
    match (case.thread_id, case.card_message_id) {
        (Some(t), _) => request = request.message_thread_id(ThreadId(MessageId(t as i32))),
        (None, Some(card)) => {
            request = request.reply_parameters(ReplyParameters::new(MessageId(card as i32)))
        }
        (None, None) => {}
    }
    let sent = tg
        .calls
        .call("sendMessage", Some(staff.chat_id), || {
            request.clone().send()
        })
        .await;
    if let Err(e) = sent {
        tracing::warn!(error = %e, "could not tell staff of an erasure");
    }
}

/// `/assist`: log a citizen helped in person, in a few taps (commune, language, outcome,
/// purpose), edited in place.
async fn assist_start(tg: &Telegram, staff: &StaffGroup, thread: Option<i32>) {
    let (text, buttons) = assist_screen(tg, &Assist::default());
    if let Err(e) = send_group(tg, staff, thread, &text, Some(buttons)).await {
        tracing::warn!(error = %e, "could not start /assist");
    }
}

/// An outcome's name for staff: the label of the card's button that gives it.
fn outcome_label(outcome: SessionOutcome) -> &'static str {
    match outcome {
        SessionOutcome::VneidLevel1 => staff_messages::BTN_LEVEL1,
        SessionOutcome::VneidLevel2 => staff_messages::BTN_LEVEL2,
        SessionOutcome::PortalLogin => staff_messages::BTN_PORTAL,
        SessionOutcome::ChildApplied => staff_messages::BTN_CHILD,
        SessionOutcome::Referred => staff_messages::BTN_REFERRED,
        _ => staff_messages::BTN_NOT_CREATED,
    }
}

/// A purpose's name: the label of the guide's button that gives it.
fn purpose_label(tg: &Telegram, purpose: Purpose) -> String {
    let guide = &tg.app.content.guide;
    let label = guide
        .steps
        .iter()
        .flat_map(|s| &s.choices)
        .find(|c| c.purpose == Some(purpose))
        .map_or(purpose.as_str(), |c| c.label.as_str());
    tg.app.content.locales.format(STAFF_LANG, label, None)
}

/// The screen for what has been chosen so far: the next question and its buttons.
fn assist_screen(tg: &Telegram, chosen: &Assist) -> (String, InlineKeyboardMarkup) {
    let button = |label: String, next: Assist| {
        vec![InlineKeyboardButton::callback(
            label,
            StaffAction::Assist(next).encode(),
        )]
    };
    let answered = chosen.answered();
    let mut rows: Vec<Vec<InlineKeyboardButton>> = match answered {
        0 => tg
            .app
            .content
            .guide
            .communes
            .iter()
            .map(|c| {
                let next = Assist {
                    commune: Some(c.code.clone()),
                    ..Assist::default()
                };
                button(c.name.clone(), next)
            })
            .collect(),
        1 => Lang::ALL
            .iter()
            .map(|&lang| {
                let next = Assist {
                    lang: Some(lang),
                    ..chosen.clone()
                };
                button(lang.own_name().to_string(), next)
            })
            .collect(),
        2 => VISIT_OUTCOMES
            .iter()
            .map(|&outcome| {
                let next = Assist {
                    outcome: Some(outcome),
                    ..chosen.clone()
                };
                button(staff_text(tg, outcome_label(outcome), None), next)
            })
            .collect(),
        _ => VISIT_PURPOSES
            .iter()
            .map(|&purpose| {
                let next = Assist {
                    purpose: Some(purpose),
                    ..chosen.clone()
                };
                button(purpose_label(tg, purpose), next)
            })
            .collect(),
    };
    rows.push(vec![InlineKeyboardButton::callback(
        staff_text(tg, staff_messages::BTN_CANCEL, None),
        StaffAction::AssistCancel.encode(),
    )]);
    let mut args = FluentArgs::new();
    args.set("question", answered);
    (
        staff_text(tg, staff_messages::ASSIST_ASK, Some(&args)),
        InlineKeyboardMarkup::new(rows),
    )
}

/// `/assist` abandoned: its message goes.
async fn assist_cancel(tg: &Telegram, message: &Message) {
    let deleted = tg
        .calls
        .call("deleteMessage", None, || {
            tg.bot.delete_message(message.chat.id, message.id).send()
        })
        .await;
    if let Err(e) = deleted {
        tracing::info!(error = %e, "could not remove a cancelled /assist");
    }
}

/// An answer to `/assist`: the next question, or, with every answer in, the visit logged once
/// (a key on the wizard's message, whatever is tapped twice or delivered again).
async fn assist_step(
    tg: &Telegram,
    message: &Message,
    chosen: &Assist,
    staff_id: &str,
) -> anyhow::Result<()> {
    let guide = &tg.app.content.guide;
    let Some(visit) = chosen.visit() else {
        let (text, buttons) = assist_screen(tg, chosen);
        edit_text(tg, message, &text, Some(buttons)).await;
        return Ok(());
    };
    let Some(commune) = guide.commune(visit.commune) else {
        // A commune no longer in the guide (or tampered data): start over rather than log
        // something wrong.
        let (text, buttons) = assist_screen(tg, &Assist::default());
        edit_text(tg, message, &text, Some(buttons)).await;
        return Ok(());
    };
    let in_person = InPerson {
        guide: &guide.id,
        commune: &commune.code,
        language: visit.lang,
        outcome: visit.outcome,
        purpose: visit.purpose,
    };
    tg.app
        .store
        .log_in_person(
            &in_person,
            staff_id,
            crate::app::now_ms(),
            &format!("assist:{}:{}", message.chat.id.0, message.id.0),
        )
        .await?;
    let mut args = FluentArgs::new();
    args.set("commune", commune.name.clone());
    args.set("language", visit.lang.own_name());
    args.set(
        "outcome",
        staff_text(tg, outcome_label(visit.outcome), None),
    );
    args.set("purpose", purpose_label(tg, visit.purpose));
    let text = staff_text(tg, staff_messages::ASSIST_DONE, Some(&args));
    edit_text(tg, message, &text, None).await;
    Ok(())
}

/// Staff commands outside the staff group get a polite no.
pub(super) async fn refuse(tg: &Telegram, chat_id: i64) -> anyhow::Result<()> {
    let lang = tg
        .app
        .store
        .language_of(&tg.app.pseudonyms.pseudonym(ADAPTER, &chat_id.to_string()))
        .await?
        .unwrap_or(Lang::Vi);
    send::send_now(
        tg,
        chat_id,
        &tg.app.notice(lang, staff_messages::STAFF_ONLY),
    )
    .await;
    Ok(())
}
