//! The Telegram adapter: updates in, through the same engine and store as the terminal, replies
//! out through the outbox.
//!
//! Telegram delivers each update at least once, answers 429 when pushed, and keeps old buttons on
//! screen for ever. So: an update is handled once (its id is stored with its effects), its
//! replies are queued in the same transaction and delivered in order per chat with retries, and a
//! button is always answered against the citizen's current state.
//!
//! teloxide's own dispatcher confirms updates before they are handled and keys dialogues by chat;
//! we keep its types, its `Bot` and a dptree `schema`, and drive them from our own polling loop
//! and webhook so nothing is confirmed before it is stored.

mod call;
mod delivery;
pub(crate) mod doctor;
mod fairness;
mod polling;
mod send;
mod staff;
mod staff_media;
mod webhook;

use crate::app::{App, Delivery};
use crate::config::{StaffSettings, TelegramSettings, WebhookSettings};
use dvc_onboard_core::follow_up::SendingHours;
use dvc_onboard_core::guide::Input;
use dvc_onboard_core::guide::engine::{Media, messages};
use dvc_onboard_core::lang::Lang;
use dvc_onboard_core::privacy::Typed;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;
use teloxide::RequestError;
use teloxide::dispatching::{DpHandlerDescription, UpdateFilterExt};
use teloxide::prelude::*;
use teloxide::requests::Request;
use teloxide::types::{
    BotCommand, ChatMemberUpdated, MessageEntity, MessageEntityKind, UpdateKind,
};
use tracing::Instrument;

/// The adapter name in the store and in pseudonyms.
pub const ADAPTER: &str = "telegram";

type Handler = dptree::Handler<'static, anyhow::Result<()>, DpHandlerDescription>;

/// What every update handler needs.
pub struct Telegram {
    pub app: Arc<App>,
    pub bot: Bot,
    /// The commune's staff group, if set: "ask staff" opens a case there.
    pub staff: Option<staff::StaffGroup>,
    locks: ChatLocks,
    schema: Handler,
    /// Updates that failed after their retries: Telegram brings one back every round of a long
    /// outage; its citizen is told once, and it is parked after a few rounds.
    failing: Failing,
    /// Work going on after its update was stored (deliveries, staff posts): waited for before
    /// the bot stops.
    tasks: std::sync::Mutex<tokio::task::JoinSet<()>>,
    /// Every call to Telegram: paced, classified, retried.
    pub calls: call::Calls,
    /// How fast one citizen's inputs become turns.
    inputs: fairness::InputLimit,
    /// Work that goes on in a task of its own ([`Telegram::soon`]), once per kind while it
    /// waits, so that no caller waits for a chat or the staff group.
    soon: std::sync::Mutex<HashSet<Soon>>,
    me: std::sync::Weak<Telegram>,
}

/// What [`Telegram::soon`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Soon {
    /// Deliver what waits for this chat.
    Deliver(i64),
    /// Post the staff cases that have no card yet.
    PostCases,
}

impl Telegram {
    pub fn new(
        app: Arc<App>,
        bot: Bot,
        staff: Option<staff::StaffGroup>,
        pace: call::Pace,
        inputs: fairness::InputLimit,
    ) -> Arc<Telegram> {
        Arc::new_cyclic(|me| Telegram {
            app,
            bot,
            staff,
            locks: ChatLocks::new(256),
            schema: schema(),
            failing: Default::default(),
            tasks: Default::default(),
            calls: call::Calls { pace },
            inputs,
            soon: Default::default(),
            me: me.clone(),
        })
    }

    /// Whether a citizen's update becomes a turn, or is dropped as part of a flood (the
    /// citizen told once a minute, in a task of its own). Erasure and leaving always count.
    pub fn admit(&self, update: &Update) -> bool {
        let Some(Citizen::Input { chat_id, input, .. }) = read_citizen(self.staff_chat(), update)
        else {
            return true;
        };
        if matches!(input, Input::Left) {
            return true;
        }
        match self.inputs.admit(chat_id) {
            fairness::Admit::Yes => true,
            fairness::Admit::Dropped { tell } => {
                tracing::info!(
                    update_id = update.id.0,
                    "a flooding citizen's input dropped"
                );
                if tell && let Some(tg) = self.me.upgrade() {
                    tokio::spawn(async move {
                        let pseudonym = tg.app.pseudonyms.pseudonym(ADAPTER, &chat_id.to_string());
                        let lang = tg.app.store.language_of(&pseudonym).await.ok().flatten();
                        let notice = tg.app.notice(lang.unwrap_or(Lang::Vi), messages::SLOW_DOWN);
                        send::send_now(&tg, chat_id, &notice).await;
                    });
                }
                false
            }
        }
    }

    /// Delivers what waits for `chat` in a task of its own, once its lock is free.
    pub(crate) fn deliver_soon(&self, chat: i64) {
        self.soon(Soon::Deliver(chat));
    }

    /// Starts `work` in a task of its own unless the same work is already waiting to start.
    fn soon(&self, work: Soon) {
        let Some(tg) = self.me.upgrade() else {
            return;
        };
        let fresh = self
            .soon
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(work);
        if !fresh {
            return;
        }
        self.spawn(async move {
            let started = || {
                tg.soon
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .remove(&work);
            };
            let done = match work {
                Soon::Deliver(chat) => {
                    let _chat = tg.locks.lock(chat).await;
                    // Asked again from now on: what is queued later is seen by a new task.
                    started();
                    delivery::deliver_locked(&tg, chat).await
                }
                Soon::PostCases => match &tg.staff {
                    Some(staff) => {
                        started();
                        staff::post_cases(&tg, staff).await
                    }
                    None => Ok(()),
                },
            };
            if let Err(e) = done {
                after_storing(&e);
            }
        });
    }

    fn staff_chat(&self) -> Option<i64> {
        self.staff.as_ref().map(|s| s.chat_id)
    }

    fn is_staff_chat(&self, chat_id: i64) -> bool {
        self.staff_chat() == Some(chat_id)
    }

    /// Handles one update: decides, stores, then delivers the chat's replies. Safe to call again
    /// with the same update: the second call changes nothing.
    pub async fn handle(self: &Arc<Self>, update: Update) -> anyhow::Result<()> {
        let span = tracing::info_span!("update", update_id = update.id.0);
        let dispatched = self
            .schema
            .dispatch(dptree::deps![update, self.clone()])
            .instrument(span)
            .await;
        match dispatched {
            std::ops::ControlFlow::Break(result) => result,
            // Groups that are not the staff group, channel posts, polls…: not for us.
            std::ops::ControlFlow::Continue(_) => Ok(()),
        }
    }

    /// As [`Telegram::handle`], with a panic turned into an error ([`Panicked`]) so that its
    /// update is retried and parked like any other failure, and the bot goes on.
    async fn handle_caught(self: &Arc<Self>, update: Update) -> anyhow::Result<()> {
        use futures_util::FutureExt;
        match std::panic::AssertUnwindSafe(self.handle(update))
            .catch_unwind()
            .await
        {
            Ok(handled) => handled,
            Err(_) => Err(Panicked.into()),
        }
    }

    /// One input of one citizen (in a private chat, the chat id is the user id).
    async fn citizen_input(
        self: &Arc<Self>,
        update_id: i64,
        chat_id: i64,
        input: Input<'_>,
    ) -> anyhow::Result<()> {
        self.citizen_message(update_id, chat_id, None, input, None)
            .await
    }

    /// As `citizen_input`, for a message that is copied to staff if a hand-off is open. Returns
    /// once the turn is stored: what follows (the press answered, the replies delivered, staff
    /// told) goes on in tasks of their own, so that neither the poll loop nor Telegram's webhook
    /// request ever waits for a chat's delivery (paced at a message a second, or waiting out a
    /// 429). Replies still leave in order: the outbox keeps them in the order stored, and one
    /// delivery at a time holds the chat.
    async fn citizen_message(
        self: &Arc<Self>,
        update_id: i64,
        chat_id: i64,
        message_id: Option<i32>,
        input: Input<'_>,
        pressed: Option<&CallbackQuery>,
    ) -> anyhow::Result<()> {
        let delivery = Delivery {
            chat_id,
            message_id,
            staff_chat: self.staff.as_ref().map(|s| s.chat_id),
        };
        let Some(answer) = self
            .app
            .handle_update(ADAPTER, &chat_id.to_string(), update_id, delivery, input)
            .await?
        else {
            // Handled before (Telegram delivers again after a crash): what it queued may still
            // wait, if the crash came before its delivery.
            self.deliver_soon(chat_id);
            return Ok(());
        };
        // A button press is answered (the phone's spinner stops) once it is stored, and only by
        // the delivery that stored it: Telegram refuses a second answer to one press, and a
        // redelivered press may reach another instance at the same moment.
        if let Some(press) = pressed.map(|q| q.id.clone()) {
            let tg = self.clone();
            self.spawn(async move { tg.answer_press(press).await });
        }
        self.deliver_soon(chat_id);
        self.tell_staff(answer.handoff_opened, answer.relayed);
        Ok(())
    }

    /// After stored turns: posts new cases (`opened`) and delivers citizens' messages relayed to
    /// the staff group (`relayed`), in tasks of their own: the staff group's 20 messages a
    /// minute must not hold up citizens. What fails is left to the sweep.
    fn tell_staff(&self, opened: bool, relayed: bool) {
        let Some(staff) = &self.staff else {
            return;
        };
        if opened {
            self.soon(Soon::PostCases);
        }
        if relayed {
            self.deliver_soon(staff.chat_id);
        }
    }

    /// Stops the spinner of a pressed button. Telegram refuses a late answer (after about 15
    /// seconds), which is harmless.
    async fn answer_press(&self, press: teloxide::types::CallbackQueryId) {
        let answered = self
            .calls
            .call("answerCallbackQuery", None, || {
                self.bot.answer_callback_query(press.clone()).send()
            })
            .await;
        if let Err(e) = answered {
            tracing::debug!(error = %e, "answerCallbackQuery failed");
        }
    }

    /// Runs `work` in a task of its own that the bot waits for before it stops
    /// ([`Telegram::finish_deliveries`]).
    fn spawn(&self, work: impl Future<Output = ()> + Send + 'static) {
        let mut tasks = self
            .tasks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        while tasks.try_join_next().is_some() {}
        tasks.spawn(work);
    }

    /// Waits for the replies still going out after their updates were stored (and whatever
    /// those deliveries start), before the bot stops.
    pub async fn finish_deliveries(&self) {
        loop {
            let pending = std::mem::take(
                &mut *self
                    .tasks
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            );
            if pending.is_empty() {
                return;
            }
            pending.join_all().await;
        }
    }

    /// Sets the command menu: Vietnamese by default, English for English interfaces (Telegram has
    /// no menu per language for Hmong, which has no two-letter code).
    pub async fn set_commands(&self) {
        for (lang, code) in [(Lang::Vi, None), (Lang::En, Some("en"))] {
            let commands: Vec<BotCommand> = COMMANDS
                .iter()
                .map(|(command, message)| {
                    BotCommand::new(
                        *command,
                        self.app.content.locales.format(lang, message, None),
                    )
                })
                .collect();
            let mut request = self.bot.set_my_commands(commands);
            if let Some(code) = code {
                request = request.language_code(code);
            }
            if let Err(e) = self
                .calls
                .call("setMyCommands", None, || request.clone().send())
                .await
            {
                tracing::warn!(error = %e, "could not set the command menu");
            }
        }
    }
}

/// The commands, with the message that describes each in the menu.
pub const COMMANDS: [(&str, &str); 6] = [
    ("start", messages::CMD_START),
    ("lang", messages::CMD_LANG),
    ("settings", messages::CMD_SETTINGS),
    ("help", messages::CMD_HELP),
    ("restart", messages::CMD_RESTART),
    ("forget", messages::CMD_FORGET),
];

/// The whole bot on one screen: which updates go where.
fn schema() -> Handler {
    dptree::entry()
        .branch(
            Update::filter_message()
                .filter(|m: Message, tg: Arc<Telegram>| tg.is_staff_chat(m.chat.id.0))
                .endpoint(staff::on_group_message),
        )
        .branch(
            Update::filter_callback_query()
                .filter(|q: CallbackQuery, tg: Arc<Telegram>| {
                    q.message
                        .as_ref()
                        .is_some_and(|m| tg.is_staff_chat(m.chat().id.0))
                })
                .endpoint(staff::on_button),
        )
        // A citizen's message, edit or button press (`read_citizen`).
        .branch(
            dptree::filter(|u: Update, tg: Arc<Telegram>| {
                read_citizen(tg.staff_chat(), &u).is_some()
            })
            .endpoint(on_citizen),
        )
        .branch(
            Update::filter_my_chat_member()
                .filter(|u: ChatMemberUpdated| {
                    u.chat.is_private() && !u.new_chat_member.is_present()
                })
                .endpoint(on_left),
        )
}

/// Runs the bot until `shutdown`: connects with the token, sets the command menu, checks the
/// staff group, then takes updates by long polling or, with `webhook`, as Telegram posts them;
/// at the end, delivers what is in flight.
pub async fn run(
    app: Arc<App>,
    settings: &TelegramSettings,
    staff: Option<StaffSettings>,
    webhook: Option<WebhookSettings>,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let bot = bot(settings);
    let me = bot
        .get_me()
        .await
        .map_err(|e| anyhow::anyhow!("cannot reach Telegram with this token: {}", loggable(e)))?;
    tracing::info!(bot = me.username(), "connected to Telegram");
    let staff = staff.map(|s| staff::StaffGroup::new(s.chat_id, s.wait, s.max_age));
    let pace = if settings.paced {
        call::Pace::telegram()
    } else {
        call::Pace::off()
    };
    let input_limit = if settings.human_input_limit {
        fairness::InputLimit::human()
    } else {
        fairness::InputLimit::off()
    };
    let tg = Telegram::new(app, bot, staff, pace, input_limit);
    tg.set_commands().await;
    if let Some(staff) = &tg.staff {
        // Logged in plain words; the bot runs whatever is missing, as well as it can.
        staff::check_group(&tg, staff).await;
    }
    let sweeper = tokio::spawn(sweep_periodically(
        tg.clone(),
        settings.follow_up_hours,
        shutdown.clone(),
    ));
    // The webhook server serves /metrics itself; long polling on METRICS_LISTEN.
    let metrics = match (settings.metrics_listen, &webhook, crate::metrics::install()) {
        (Some(listen), None, Some(handle)) => {
            let stop = shutdown.clone();
            Some(tokio::spawn(async move {
                if let Err(e) = crate::metrics::serve(listen, handle, stop).await {
                    tracing::error!(error = format!("{e:#}"), "cannot serve /metrics");
                }
            }))
        }
        _ => None,
    };
    match webhook {
        Some(config) => webhook::run(tg.clone(), config, shutdown).await?,
        None => polling::run(tg.clone(), shutdown).await?,
    }
    tg.finish_deliveries().await;
    let _ = sweeper.await;
    if let Some(metrics) = metrics {
        let _ = metrics.await;
    }
    Ok(())
}

/// The Bot API client for these settings: the token, and another server if one is set.
fn bot(settings: &TelegramSettings) -> Bot {
    let bot = Bot::new(settings.token.expose());
    match &settings.api_url {
        Some(url) => bot.set_api_url(url.clone()),
        None => bot,
    }
}

/// What a citizen's update (a message, an edit or a button in a private chat, outside the staff
/// group) asks: read in one place for the schema and for a long-polling batch.
enum Citizen<'a> {
    Input {
        chat_id: i64,
        /// The citizen's message, copied to staff while a hand-off is open.
        message_id: Option<i32>,
        input: Input<'a>,
        pressed: Option<&'a CallbackQuery>,
    },
    /// `/forget`.
    Forget { chat_id: i64 },
    /// A staff command outside the staff group.
    StaffCommand { chat_id: i64 },
}

/// A text or caption with Telegram's own marks: a `phone_number` entity makes it a phone number.
fn typed<'a>(text: &'a str, entities: Option<&[MessageEntity]>) -> Typed<'a> {
    let phone_marked = entities
        .unwrap_or_default()
        .iter()
        .any(|e| e.kind == MessageEntityKind::PhoneNumber);
    Typed { text, phone_marked }
}

/// Reads a citizen's update; `None` for any other update (those of the staff group `staff`,
/// groups, channels, members…).
fn read_citizen(staff: Option<i64>, update: &Update) -> Option<Citizen<'_>> {
    let in_staff = |chat: i64| staff == Some(chat);
    match &update.kind {
        UpdateKind::Message(msg) if msg.chat.is_private() && !in_staff(msg.chat.id.0) => {
            let chat_id = msg.chat.id.0;
            let input = if let Some(text) = msg.text() {
                match command(text) {
                    Some("start") => match start_payload(text) {
                        Some(payload) => Input::StartWith(payload),
                        None => Input::Start,
                    },
                    Some("lang") => Input::ChangeLanguage,
                    Some("settings") => Input::Settings,
                    Some("help") => Input::Help,
                    Some("restart") => Input::Restart,
                    Some("forget") => return Some(Citizen::Forget { chat_id }),
                    Some("assist" | "report" | "media") => {
                        return Some(Citizen::StaffCommand { chat_id });
                    }
                    _ => Input::Text(typed(text, msg.entities())),
                }
            } else {
                match msg.caption().filter(|c| !c.trim().is_empty()) {
                    Some(caption) => Input::Captioned {
                        media: media_of(msg),
                        caption: typed(caption, msg.caption_entities()),
                    },
                    None => Input::Media(media_of(msg)),
                }
            };
            Some(Citizen::Input {
                chat_id,
                message_id: Some(msg.id.0),
                input,
                pressed: None,
            })
        }
        UpdateKind::EditedMessage(msg) if msg.chat.is_private() && !in_staff(msg.chat.id.0) => {
            let text = match msg.text() {
                Some(text) => typed(text, msg.entities()),
                None => typed(msg.caption().unwrap_or(""), msg.caption_entities()),
            };
            Some(Citizen::Input {
                chat_id: msg.chat.id.0,
                message_id: None,
                input: Input::Edited(text),
                pressed: None,
            })
        }
        // A message teloxide cannot read (Telegram adds new kinds every year): answered like
        // any other message that is not text. teloxide keeps the update as it came.
        UpdateKind::Error(raw) => {
            let message = raw.get("message")?;
            let chat = message.get("chat")?;
            let chat_id = chat.get("id")?.as_i64()?;
            if chat.get("type")?.as_str()? != "private" || in_staff(chat_id) {
                return None;
            }
            let message_id = message.get("message_id").and_then(Value::as_i64);
            Some(Citizen::Input {
                chat_id,
                message_id: message_id.and_then(|id| i32::try_from(id).ok()),
                input: Input::Media(Media::Other),
                pressed: None,
            })
        }
        UpdateKind::CallbackQuery(query)
            if !query
                .message
                .as_ref()
                .is_some_and(|m| in_staff(m.chat().id.0)) =>
        {
            // Buttons live in private chats only; the citizen is whoever pressed.
            let data = query.data.as_deref().unwrap_or("");
            Some(Citizen::Input {
                chat_id: query.from.id.0 as i64,
                message_id: None,
                input: Input::from_button_data(data).unwrap_or(Input::UnknownButton),
                pressed: Some(query),
            })
        }
        _ => None,
    }
}

/// The kind of a message that is not text.
fn media_of(msg: &Message) -> Media {
    if msg.photo().is_some() {
        Media::Photo
    } else if msg.contact().is_some() {
        Media::Contact
    } else if msg.sticker().is_some() {
        Media::Sticker
    } else if msg.voice().is_some() || msg.audio().is_some() {
        Media::Voice
    } else if msg.video().is_some() || msg.video_note().is_some() || msg.animation().is_some() {
        Media::Video
    } else if msg.document().is_some_and(is_vcard) {
        // A contact card sent as a file is a contact: never passed on.
        Media::Contact
    } else if msg.document().is_some() {
        Media::Document
    } else if msg.location().is_some() || msg.venue().is_some() {
        Media::Location
    } else {
        Media::Other
    }
}

/// Whether a document is a contact card (vCard).
fn is_vcard(document: &teloxide::types::Document) -> bool {
    let mime = document
        .mime_type
        .as_ref()
        .map(|m| m.essence_str().to_ascii_lowercase());
    let name = document
        .file_name
        .as_deref()
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    matches!(
        mime.as_deref(),
        Some("text/vcard" | "text/x-vcard" | "text/directory")
    ) || name.ends_with(".vcf")
        || name.ends_with(".vcard")
}

async fn on_citizen(tg: Arc<Telegram>, update: Update) -> anyhow::Result<()> {
    match read_citizen(tg.staff_chat(), &update) {
        Some(Citizen::Input {
            chat_id,
            message_id,
            input,
            pressed,
        }) => {
            tg.citizen_message(i64::from(update.id.0), chat_id, message_id, input, pressed)
                .await
        }
        Some(Citizen::Forget { chat_id }) => forget(&tg, i64::from(update.id.0), chat_id).await,
        Some(Citizen::StaffCommand { chat_id }) => staff::refuse(&tg, chat_id).await,
        None => Ok(()),
    }
}

async fn on_left(
    tg: Arc<Telegram>,
    update: Update,
    member: ChatMemberUpdated,
) -> anyhow::Result<()> {
    let chat_id = member.chat.id.0;
    tg.app.store.drop_outbox(chat_id).await?;
    tg.citizen_input(i64::from(update.id.0), chat_id, Input::Left)
        .await
}

/// `/forget`: erase, then say so in the language the citizen had; once per update. The replies
/// to what they sent before it go out first.
async fn forget(tg: &Telegram, update_id: i64, chat_id: i64) -> anyhow::Result<()> {
    let _chat = tg.locks.lock(chat_id).await;
    delivery::deliver_locked(tg, chat_id).await?;
    let Some(forgotten) = tg
        .app
        .forget(ADAPTER, &chat_id.to_string(), Some(update_id))
        .await?
    else {
        return Ok(());
    };
    tg.app.store.drop_outbox(chat_id).await?;
    let notice = tg
        .app
        .notice(forgotten.lang.unwrap_or(Lang::Vi), messages::FORGOTTEN);
    send::send_now(tg, chat_id, &notice).await;
    if let (Some(staff), Some(case)) = (&tg.staff, &forgotten.case) {
        staff::case_erased(tg, staff, case).await;
    }
    Ok(())
}

/// What failed after an update was stored (the database went away between the turn and its
/// delivery): the update is done, and not to be told as lost. Its replies wait in the outbox,
/// and a new case to be posted, for the sweep.
fn after_storing(e: &anyhow::Error) {
    tracing::warn!(
        error = format!("{e:#}"),
        "stored; delivering failed and is left to the sweep"
    );
}

/// A Telegram error fit for the log. teloxide's text for an answer it could not read quotes
/// the answer whole (for a sent message: the citizen's name and the text), and serde's own text
/// may quote a value; only what kind of error it was and where reading stopped are kept.
pub fn loggable(error: RequestError) -> RequestError {
    match error {
        RequestError::InvalidJson { source, .. } => RequestError::InvalidJson {
            source: Arc::new(serde::de::Error::custom(json_error(&source))),
            raw: "(not logged)".into(),
        },
        other => other,
    }
}

/// Where and how JSON could not be read, without quoting any of it.
fn json_error(e: &serde_json::Error) -> String {
    format!(
        "{:?} error at line {}, column {}",
        e.classify(),
        e.line(),
        e.column()
    )
}

/// The command of a message text (`/start@my_bot payload` → `start`).
fn command(text: &str) -> Option<&str> {
    let word = text.strip_prefix('/')?.split_whitespace().next()?;
    Some(word.split('@').next().unwrap_or(word))
}

/// The payload of `/start <payload>`: what a `t.me/<bot>?start=<payload>` link sends.
fn start_payload(text: &str) -> Option<&str> {
    text.split_whitespace().nth(1)
}

/// Locks by chat, striped: two updates of one chat are handled one after the other, updates of
/// different chats mostly in parallel, with a fixed amount of memory.
struct ChatLocks(Vec<Arc<tokio::sync::Mutex<()>>>);

impl ChatLocks {
    fn new(stripes: usize) -> ChatLocks {
        ChatLocks((0..stripes).map(|_| Default::default()).collect())
    }

    fn stripe(&self, chat_id: i64) -> usize {
        chat_id.rem_euclid(self.0.len() as i64) as usize
    }

    async fn lock(&self, chat_id: i64) -> tokio::sync::MutexGuard<'_, ()> {
        self.0[self.stripe(chat_id)].lock().await
    }

    /// Locks those of `chats` whose stripe is free now (each stripe once; they are let go one by
    /// one, [`HeldChats::release`], or all when the value is dropped, in whichever task has it),
    /// and gives the others back: a chat busy with a delivery is not waited for, and nothing
    /// waits here, so no two lockers wait on each other.
    fn try_lock_all(&self, chats: &[i64]) -> (HeldChats, Vec<i64>) {
        let mut stripes: BTreeMap<usize, usize> = BTreeMap::new();
        for &chat in chats {
            *stripes.entry(self.stripe(chat)).or_default() += 1;
        }
        let mut held = HashMap::with_capacity(stripes.len());
        for (stripe, count) in stripes {
            if let Ok(guard) = self.0[stripe].clone().try_lock_owned() {
                held.insert(stripe, (guard, count));
            }
        }
        let busy = chats
            .iter()
            .copied()
            .filter(|&chat| !held.contains_key(&self.stripe(chat)))
            .collect();
        let held = HeldChats {
            stripes: self.0.len(),
            held: std::sync::Mutex::new(held),
        };
        (held, busy)
    }
}

/// Chats locked together ([`ChatLocks::try_lock_all`]).
pub(crate) struct HeldChats {
    stripes: usize,
    /// Per stripe: its guard, and how many of the chats still hold it.
    held: std::sync::Mutex<HashMap<usize, (tokio::sync::OwnedMutexGuard<()>, usize)>>,
}

impl HeldChats {
    /// Lets go of `chat`, once: its stripe is free when every chat on it is let go.
    fn release(&self, chat: i64) {
        let stripe = chat.rem_euclid(self.stripes as i64) as usize;
        let mut held = self
            .held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, chats)) = held.get_mut(&stripe) {
            *chats -= 1;
            if *chats == 0 {
                held.remove(&stripe);
            }
        }
    }
}

/// Handles an update, retrying a few times with back-off when it fails (the database briefly
/// unreachable). An update that still fails is parked ([`Store::park`](crate::store::Store::park)):
/// set aside, so the updates behind it go on, and its citizen told once to try again or come to
/// the desk; `Ok` then, as for a handled update (polling moves past it, the webhook answers 200).
///
/// A failure of the database itself is not parked at once: the citizen is told that it will be
/// answered, and `Err` makes Telegram deliver it again (polling asks for it again, a webhook
/// answers 500). Only when the same update fails that way [`PARK_AFTER_ROUNDS`] times, with the
/// database reachable enough to park it, is it parked too: an outage delays, a poison update
/// does not stop the line.
pub async fn handle_with_retries(tg: &Arc<Telegram>, update: Update) -> anyhow::Result<()> {
    const TRIES: u32 = 4;
    let id = update.id.0;
    let mut wait = Duration::from_millis(200);
    let mut attempt = 1;
    let error = loop {
        let handled = tg.handle_caught(update.clone()).await;
        let counter = if handled.is_ok() {
            crate::metrics::UPDATES
        } else {
            crate::metrics::TURNS_FAILED
        };
        ::metrics::counter!(counter).increment(1);
        match handled {
            Ok(()) => {
                tg.failing.forget(id);
                return Ok(());
            }
            Err(e) if attempt == TRIES => break e,
            Err(e) => {
                tracing::warn!(
                    update_id = id,
                    attempt,
                    error = format!("{e:#}"),
                    "update failed; retrying"
                );
                tokio::time::sleep(wait).await;
                wait *= 4;
                attempt += 1;
            }
        }
    };
    let class = error_class(&error);
    let now = crate::app::now_ms();
    let failed = tg.failing.round(id, now);
    tracing::error!(
        update_id = id,
        class,
        rounds = failed.rounds,
        error = format!("{error:#}"),
        "update failed after its retries"
    );
    let chat = citizen_chat(&update);
    if class != "database" || failed.rounds >= PARK_AFTER_ROUNDS {
        let parked = tg
            .app
            .store
            .park(
                i64::from(id),
                update_kind(&update),
                class,
                failed.since,
                now,
            )
            .await;
        match parked {
            Ok(()) => {
                tracing::error!(update_id = id, class, "update parked; the next ones go on");
                ::metrics::counter!(crate::metrics::PARKED).increment(1);
                tg.failing.forget(id);
                if let Some(chat) = chat {
                    tell_parked(tg, chat).await;
                }
                return Ok(());
            }
            Err(e) => tracing::warn!(error = format!("{e:#}"), "could not park an update"),
        }
    }
    if let Some(chat) = chat
        && tg.failing.tell(id)
    {
        // The citizen's language is in the database that just failed: all three.
        let notice = tg.app.notice_in_every_language(messages::BUSY_LATER);
        send::send_now(tg, chat, &notice).await;
    }
    Err(error)
}

/// How many rounds of retries a failure of the database may take before its update is parked.
pub const PARK_AFTER_ROUNDS: u32 = 3;

/// Tells a citizen, in their language if it can be read, that their update was set aside.
async fn tell_parked(tg: &Telegram, chat: i64) {
    let pseudonym = tg.app.pseudonyms.pseudonym(ADAPTER, &chat.to_string());
    let notice = match tg.app.store.language_of(&pseudonym).await {
        Ok(lang) => tg
            .app
            .notice(lang.unwrap_or(Lang::Vi), messages::UPDATE_PARKED),
        Err(_) => tg.app.notice_in_every_language(messages::UPDATE_PARKED),
    };
    send::send_now(tg, chat, &notice).await;
}

/// The citizen's private chat an update came from, if it came from one.
fn citizen_chat(update: &Update) -> Option<i64> {
    let chat = update
        .chat()
        .map(|c| c.id.0)
        .or_else(|| update.from().map(|u| u.id.0 as i64))?;
    (chat > 0).then_some(chat)
}

/// The kind of an update, as a parked update records it.
fn update_kind(update: &Update) -> &'static str {
    match &update.kind {
        UpdateKind::Message(_) => "message",
        UpdateKind::EditedMessage(_) => "edited_message",
        UpdateKind::CallbackQuery(_) => "callback_query",
        UpdateKind::MyChatMember(_) => "my_chat_member",
        UpdateKind::ChatMember(_) => "chat_member",
        UpdateKind::Error(_) => "unreadable",
        _ => "other",
    }
}

/// A turn that panicked.
#[derive(Debug, thiserror::Error)]
#[error("the update's handling panicked")]
struct Panicked;

/// What kind of failure an error is, for parking and logs: `panic`, `database`, `telegram`
/// (a refusal that reached the update's handling) or `other`.
fn error_class(e: &anyhow::Error) -> &'static str {
    for cause in e.chain() {
        if cause.is::<Panicked>() {
            return "panic";
        }
        if cause.is::<sqlx::Error>() || cause.is::<rusqlite::Error>() {
            return "database";
        }
        if cause.is::<call::Failure>() || cause.is::<RequestError>() {
            return "telegram";
        }
    }
    "other"
}

/// Updates that failed after their retries, by id, while they come back: how many rounds, since
/// when, whether the citizen was told. A few hundred at most.
#[derive(Default)]
struct Failing(std::sync::Mutex<HashMap<u32, Failed>>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Failed {
    rounds: u32,
    since: i64,
    told: bool,
}

impl Failing {
    const KEEP: usize = 512;

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u32, Failed>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// One more round of retries failed for `id`.
    fn round(&self, id: u32, now: i64) -> Failed {
        let mut failing = self.lock();
        if failing.len() >= Self::KEEP && !failing.contains_key(&id) {
            // Forget the oldest: at worst it is told once more, or parked a round later.
            if let Some(oldest) = failing.iter().min_by_key(|(_, f)| f.since).map(|(k, _)| *k) {
                failing.remove(&oldest);
            }
        }
        let failed = failing.entry(id).or_insert(Failed {
            rounds: 0,
            since: now,
            told: false,
        });
        failed.rounds += 1;
        *failed
    }

    /// Whether the citizen of `id` is to be told now (once while it fails).
    fn tell(&self, id: u32) -> bool {
        let mut failing = self.lock();
        match failing.get_mut(&id) {
            Some(failed) if !failed.told => {
                failed.told = true;
                true
            }
            Some(_) => false,
            None => true,
        }
    }

    fn forget(&self, id: u32) {
        self.lock().remove(&id);
    }
}

/// Sends the reminders that came due ([`Input::FollowUp`]): each is a turn of its citizen, whose
/// screens are queued and delivered like any reply (a citizen who blocked the bot is found out
/// there, and their reminders end). One whose turn fails stays claimed and goes again a few
/// minutes later; the others go on.
async fn send_follow_ups(tg: &Arc<Telegram>, hours: SendingHours) -> anyhow::Result<()> {
    // Enough for a commune's morning; the rest come in the next sweeps, seconds later.
    const AT_ONCE: i64 = 50;
    let now = crate::app::now_ms();
    for reminder in tg.app.store.claim_follow_ups(now, hours, AT_ONCE).await? {
        let delivery = Delivery {
            chat_id: reminder.chat_id,
            message_id: None,
            staff_chat: tg.staff.as_ref().map(|s| s.chat_id),
        };
        // A private chat's id is its user's id, as for every input of the citizen.
        let user = reminder.chat_id.to_string();
        match tg.app.follow_up(ADAPTER, &user, delivery).await {
            Ok(answer) if !answer.screens.is_empty() => tg.deliver_soon(reminder.chat_id),
            Ok(_) => tracing::debug!(citizen = reminder.citizen, "a reminder no longer due"),
            Err(e) => tracing::warn!(
                citizen = reminder.citizen,
                error = format!("{e:#}"),
                "a reminder could not be handled; it goes again in a few minutes"
            ),
        }
    }
    Ok(())
}

/// Delivers what is left in the outbox (at start, after a crash, and every few seconds after a
/// round that gave up), and forgets old update ids, until shutdown.
pub async fn sweep_periodically(
    tg: Arc<Telegram>,
    follow_up_hours: SendingHours,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    // Often enough for a short hand-off wait (tests use one second).
    let every = tg.staff.as_ref().map_or(Duration::from_secs(10), |s| {
        (s.wait / 4).clamp(Duration::from_millis(200), Duration::from_secs(10))
    });
    const KEEP_UPDATE_IDS_MS: i64 = 3 * 24 * 3600 * 1000;
    // A screen not delivered within an hour (Telegram unreachable that long) is stale.
    const STALE_SCREEN_MS: i64 = 3600 * 1000;
    // Parked updates and the keys of staff actions done.
    const KEEP_PARKED_MS: i64 = 30 * 24 * 3600 * 1000;
    loop {
        if let Some(staff) = &tg.staff
            && let Err(e) = staff::duties(&tg, staff).await
        {
            tracing::warn!(error = format!("{e:#}"), "staff duties failed");
        }
        match tg
            .app
            .store
            .drop_stale_screens(crate::app::now_ms() - STALE_SCREEN_MS)
            .await
        {
            Ok(0) => {}
            Ok(dropped) => {
                tracing::info!(dropped, "screens older than an hour dropped undelivered")
            }
            Err(e) => tracing::warn!(error = format!("{e:#}"), "dropping stale screens failed"),
        }
        // What staff attached on another instance.
        if let Err(e) = tg.app.staff_media.refresh(&tg.app.store).await {
            tracing::warn!(error = format!("{e:#}"), "reading staff media failed");
        }
        if let Err(e) = delivery::sweep(&tg).await {
            tracing::warn!(error = format!("{e:#}"), "outbox sweep failed");
        }
        if let Err(e) = send_follow_ups(&tg, follow_up_hours).await {
            tracing::warn!(error = format!("{e:#}"), "claiming reminders failed");
        }
        match tg.app.store.waiting_counts(crate::app::now_ms()).await {
            Ok(w) => {
                use crate::metrics as m;
                ::metrics::gauge!(m::OUTBOX).set(w.outbox as f64);
                ::metrics::gauge!(m::CASES_OPEN).set(w.cases_open as f64);
                ::metrics::gauge!(m::CASES_WAITING).set(w.cases_waiting as f64);
                ::metrics::gauge!(m::FOLLOW_UPS_DUE).set(w.follow_ups_due as f64);
            }
            Err(e) => tracing::warn!(error = format!("{e:#}"), "counting what waits failed"),
        }
        let now = crate::app::now_ms();
        if let Err(e) = tg.app.store.prune_updates(now - KEEP_UPDATE_IDS_MS).await {
            tracing::warn!(error = format!("{e:#}"), "pruning update ids failed");
        }
        if let Err(e) = tg.app.store.prune_parked(now - KEEP_PARKED_MS).await {
            tracing::warn!(error = format!("{e:#}"), "pruning parked updates failed");
        }
        if let Err(e) = tg.app.store.prune_staff_actions(now - KEEP_PARKED_MS).await {
            tracing::warn!(error = format!("{e:#}"), "pruning staff actions failed");
        }
        tg.calls.pace.forget_quiet();
        tg.inputs.forget_quiet();
        if let Err(e) = tg.app.store.compact_reports().await {
            tracing::warn!(
                error = format!("{e:#}"),
                "compacting the report counts failed"
            );
        }
        tokio::select! {
            _ = shutdown.wait_for(|stop| *stop) => return,
            _ = tokio::time::sleep(every) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_failing_update_is_told_once_and_counts_its_rounds() {
        let failing = super::Failing::default();
        let first = failing.round(7, 1_000);
        assert_eq!((first.rounds, first.since), (1, 1_000));
        assert!(failing.tell(7));
        assert!(!failing.tell(7), "the same update again: no second notice");
        let second = failing.round(7, 5_000);
        assert_eq!(
            (second.rounds, second.since),
            (2, 1_000),
            "since its first failure"
        );
        failing.round(8, 2_000);
        assert!(failing.tell(8));
        for id in 100..100 + super::Failing::KEEP as u32 {
            failing.round(id, 10_000);
        }
        assert!(failing.lock().len() <= super::Failing::KEEP, "bounded");
        failing.forget(8);
        assert_eq!(failing.round(8, 20_000).rounds, 1, "forgotten once handled");
    }

    use super::{command, start_payload};

    #[test]
    fn commands_are_read_with_or_without_the_bot_name() {
        assert_eq!(command("/start"), Some("start"));
        assert_eq!(command("/start@dvc_bot payload"), Some("start"));
        assert_eq!(command("/lang "), Some("lang"));
        assert_eq!(command("start"), None);
        assert_eq!(command("/"), None);
        assert_eq!(
            start_payload("/start poster_son-vi_hmn"),
            Some("poster_son-vi_hmn")
        );
        assert_eq!(
            start_payload("/start@dvc_bot desk_son-vi"),
            Some("desk_son-vi")
        );
        assert_eq!(start_payload("/start"), None);
    }
}
