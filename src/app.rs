//! The application: one input of one citizen through store, engine and renderer. Every channel
//! adapter (terminal, Telegram) calls this and only shows, or delivers, what it returns.

use crate::media::{Attachment, StaffMediaIndex};
use crate::outbox::OutboxItem;
use crate::pseudonym::Pseudonymizer;
use crate::store::{Claim, Forgotten, Store};
use dvc_onboard_core::content::Content;
use dvc_onboard_core::guide::engine::Reach;
use dvc_onboard_core::guide::{self, Event, Input};
use dvc_onboard_core::i18n::Screen;
use dvc_onboard_core::lang::Lang;
use dvc_onboard_core::media::MediaKind;
use std::sync::Arc;
use tracing::Instrument;

pub struct App {
    pub content: Content,
    pub store: Store,
    pub pseudonyms: Pseudonymizer,
    /// What staff attached to the steps ([`crate::media`]).
    pub staff_media: StaffMediaIndex,
}

/// What to show a citizen after one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub lang: Lang,
    pub screens: Vec<Screen>,
    /// The citizen asked for a person.
    pub help_asked: bool,
    /// A hand-off opened: the adapter posts the case to staff.
    pub handoff_opened: bool,
    /// The message goes to staff: the adapter delivers the staff group's outbox.
    pub relayed: bool,
    pub pseudonym: String,
    /// The voice notes and pictures of the screens (none for a citizen who chose text only).
    pub attachments: Vec<Attachment>,
}

/// One input of a batch ([`App::handle_batch`]).
pub struct BatchInput<'a> {
    pub user_id: String,
    /// The update that carried the input, so that it is handled once.
    pub update_id: i64,
    pub delivery: Delivery,
    pub input: Input<'a>,
}

/// What a batch did ([`App::handle_batch`]).
pub struct Handled {
    /// Per item: `None` if handled before or skipped, its answer, or why it failed.
    pub answers: Vec<anyhow::Result<Option<Answer>>>,
    /// The replies waiting for the batch's chats, oldest first, for the caller to deliver and
    /// then confirm with [`crate::store::Store::delivered_in_order`].
    pub waiting: Vec<Claim>,
}

/// A turn of a batch that failed: the batch's transaction is given up, to run again without it.
#[derive(Debug)]
struct TurnFailed {
    index: usize,
    error: anyhow::Error,
}

impl std::fmt::Display for TurnFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "turn {} of a batch failed: {:#}", self.index, self.error)
    }
}

impl std::error::Error for TurnFailed {}

/// What one input decided ([`App::decide`]), to be stored.
pub struct Decision<'g> {
    pub outcome: guide::engine::Outcome<'g>,
    pub answer: Answer,
    /// Replies to queue: chat id and body.
    pub outbox: Vec<(i64, String)>,
}

impl Decision<'_> {
    /// Notes the step reached and the events, in the input's span.
    pub fn log(&self) {
        let step = self.outcome.state.step.as_deref().unwrap_or("-");
        tracing::Span::current().record("step", step);
        let kinds: Vec<&str> = self.outcome.events.iter().map(Event::kind).collect();
        tracing::debug!(events = ?kinds, "handled");
    }
}

/// For channels that deliver later (Telegram): the chat whose outbox receives the screens in
/// the same transaction as the turn.
#[derive(Debug, Clone, Copy)]
pub struct Delivery {
    pub chat_id: i64,
    /// The citizen's message, copied to staff while a hand-off is open.
    pub message_id: Option<i32>,
    /// The staff group, where relayed messages go.
    pub staff_chat: Option<i64>,
}

impl App {
    /// The application over `content` and `store`, with what staff attached to the steps read
    /// from the store.
    pub async fn new(
        content: Content,
        store: Store,
        pseudonyms: Pseudonymizer,
    ) -> anyhow::Result<App> {
        let staff_media = StaffMediaIndex::default();
        staff_media.refresh(&store).await?;
        Ok(App {
            content,
            store,
            pseudonyms,
            staff_media,
        })
    }

    /// Handles `input` from `user_id` of `adapter` (`telegram`, `terminal`) and returns what to
    /// show.
    pub async fn handle(
        &self,
        adapter: &str,
        user_id: &str,
        input: Input<'_>,
    ) -> anyhow::Result<Answer> {
        let answer = self
            .handle_with(adapter, user_id, None, None, input)
            .await?;
        answer.ok_or_else(|| anyhow::anyhow!("an input without an update id is never a duplicate"))
    }

    /// Handles `input` once per update (`update_id`): the screens are queued in the chat's
    /// outbox with the state, all in one transaction. `None` if the update was handled before.
    pub async fn handle_update(
        &self,
        adapter: &str,
        user_id: &str,
        update_id: i64,
        delivery: Delivery,
        input: Input<'_>,
    ) -> anyhow::Result<Option<Answer>> {
        self.handle_with(adapter, user_id, Some(update_id), Some(delivery), input)
            .await
    }

    /// A reminder came due for `user_id` ([`Input::FollowUp`]): its screens are queued in the
    /// chat's outbox with the state. No update carries it: claiming the reminder
    /// ([`Store::claim_follow_ups`]) makes it once.
    pub async fn follow_up(
        &self,
        adapter: &str,
        user_id: &str,
        delivery: Delivery,
    ) -> anyhow::Result<Answer> {
        let answer = self
            .handle_with(adapter, user_id, None, Some(delivery), Input::FollowUp)
            .await?;
        answer.ok_or_else(|| anyhow::anyhow!("an input without an update id is never a duplicate"))
    }

    async fn handle_with(
        &self,
        adapter: &str,
        user_id: &str,
        update_id: Option<i64>,
        delivery: Option<Delivery>,
        input: Input<'_>,
    ) -> anyhow::Result<Option<Answer>> {
        let pseudonym = self.pseudonyms.pseudonym(adapter, user_id);
        let span = tracing::info_span!("input", citizen = %pseudonym, step = tracing::field::Empty);
        self.turn(adapter, pseudonym, update_id, delivery, input)
            .instrument(span)
            .await
    }

    async fn turn(
        &self,
        adapter: &str,
        pseudonym: String,
        update_id: Option<i64>,
        delivery: Option<Delivery>,
        input: Input<'_>,
    ) -> anyhow::Result<Option<Answer>> {
        let now = now_ms();
        let Some(turn) = self.store.begin(&pseudonym, update_id, now).await? else {
            tracing::debug!("update handled before; skipped");
            return Ok(None);
        };
        let decision = self.decide(pseudonym, turn.state(), delivery, input)?;
        let chat = delivery.map(|d| d.chat_id);
        turn.commit_in(adapter, chat, now, &decision.outcome, &decision.outbox)
            .await?;
        decision.log();
        Ok(Some(decision.answer))
    }

    /// Handles the inputs a channel read from `items` (`read` gives, per item, the user, the
    /// update and the input, or `None` to skip it), in order, in one transaction on SQLite's
    /// writer thread: a long-polling batch. Gives, per item, `None` if it was handled before or
    /// skipped, its answer, or the error of an input whose writes were undone (the others' are
    /// kept); and the replies waiting for the chats of `claim_for`, claimed (the caller holds
    /// their delivery; another chat's are left to whoever holds it). `Err` if the batch could not run:
    /// nothing of it was stored. Only for a store with a writer
    /// ([`crate::store::Store::writer`]).
    ///
    /// A turn that fails undoes the whole transaction, and the batch runs again without it.
    pub async fn handle_batch<T: Send + Sync + 'static>(
        self: &Arc<Self>,
        adapter: &'static str,
        items: Arc<Vec<T>>,
        read: for<'a> fn(&'a T) -> Option<BatchInput<'a>>,
        claim_for: Vec<i64>,
    ) -> anyhow::Result<Handled> {
        let writer = self
            .store
            .writer()
            .ok_or_else(|| anyhow::anyhow!("this database has no writer thread"))?;
        let mut failed: Vec<(usize, anyhow::Error)> = Vec::new();
        loop {
            let (app, items, claim_for) = (self.clone(), items.clone(), claim_for.clone());
            let skip: Vec<usize> = failed.iter().map(|(i, _)| *i).collect();
            let ran = writer
                .run(move |batch| {
                    let mut answers = Vec::with_capacity(items.len());
                    for (i, item) in items.iter().enumerate() {
                        let one = match read(item) {
                            Some(one) if !skip.contains(&i) => one,
                            _ => {
                                answers.push(None);
                                continue;
                            }
                        };
                        let pseudonym = app.pseudonyms.pseudonym(adapter, &one.user_id);
                        let span = tracing::info_span!(
                            "input",
                            update_id = one.update_id,
                            citizen = %pseudonym,
                            step = tracing::field::Empty
                        );
                        let _entered = span.enter();
                        let delivery = one.delivery;
                        let answer = batch.turn(
                            &pseudonym.clone(),
                            adapter,
                            one.update_id,
                            Some(delivery.chat_id),
                            now_ms(),
                            |state| {
                                let decision =
                                    app.decide(pseudonym, state, Some(delivery), one.input)?;
                                decision.log();
                                Ok((decision.outcome, decision.outbox, decision.answer))
                            },
                        );
                        match answer {
                            Ok(answer) => answers.push(answer),
                            Err(error) => return Err(TurnFailed { index: i, error }.into()),
                        }
                    }
                    let waiting = batch.waiting(&claim_for)?;
                    Ok((answers, waiting))
                })
                .await;
            match ran {
                // Given up whole: the failed turn's partial writes went with the rest.
                Err(e) if e.is::<TurnFailed>() => {
                    let failure = e.downcast::<TurnFailed>()?;
                    failed.push((failure.index, failure.error));
                }
                Err(e) => return Err(e),
                Ok((answers, waiting)) => {
                    let mut answers: Vec<anyhow::Result<Option<Answer>>> =
                        answers.into_iter().map(Ok).collect();
                    for (i, error) in failed {
                        if let Some(slot) = answers.get_mut(i) {
                            *slot = Err(error);
                        }
                    }
                    return Ok(Handled { answers, waiting });
                }
            }
        }
    }

    /// What one input of a citizen standing at `state` decides: the engine's outcome, the
    /// screens rendered in the citizen's language, and, for a channel that delivers later, the
    /// replies to queue. Nothing is stored here.
    pub fn decide(
        &self,
        pseudonym: String,
        state: &guide::State,
        delivery: Option<Delivery>,
        input: Input<'_>,
    ) -> anyhow::Result<Decision<'_>> {
        let reach = Reach {
            staff: delivery.is_some_and(|d| d.staff_chat.is_some()),
        };
        let outcome = guide::engine::step_with(&self.content.guide, state, input, reach);
        let lang = outcome.state.lang.unwrap_or(Lang::Vi);
        let desk = self.content.desk.args();
        let screens: Vec<Screen> = outcome
            .replies
            .iter()
            .map(|reply| self.content.locales.render_with(lang, reply, Some(&desk)))
            .collect();
        let attachments = if outcome.state.text_only {
            Vec::new()
        } else {
            crate::media::attachments(&self.content, &self.staff_media, lang, &outcome.replies)
        };
        let has = |f: fn(&Event<'_>) -> bool| outcome.events.iter().any(f);
        let relayed = has(|e| matches!(e, Event::Relayed { .. }));
        let mut outbox = Vec::new();
        if let Some(d) = delivery {
            if let (true, Some(staff), Some(message_id)) = (relayed, d.staff_chat, d.message_id) {
                let copy = OutboxItem::Copy {
                    from_chat: d.chat_id,
                    message_id,
                    to_case: true,
                    photo: has(|e| {
                        matches!(
                            e,
                            Event::Relayed {
                                media: Some(guide::engine::Media::Photo),
                                ..
                            }
                        )
                    }),
                    without_caption: has(|e| {
                        matches!(
                            e,
                            Event::Relayed {
                                caption_removed: true,
                                ..
                            }
                        )
                    }),
                };
                outbox.push((staff, serde_json::to_string(&copy)?));
            }
            for (i, screen) in screens.iter().enumerate() {
                for item in screen_items(screen, attachments.iter().filter(|a| a.screen == i)) {
                    outbox.push((d.chat_id, serde_json::to_string(&item)?));
                }
            }
        }
        let answer = Answer {
            lang,
            help_asked: has(|e| matches!(e, Event::HelpAsked { .. })),
            handoff_opened: has(|e| matches!(e, Event::HandoffOpened)),
            relayed,
            screens,
            pseudonym,
            attachments,
        };
        Ok(Decision {
            outcome,
            answer,
            outbox,
        })
    }

    /// Erases a citizen (`/forget`): their dialogue, language and the link to their sessions.
    /// `None` if `update_id` was handled before ([`Store::forget`](crate::store::Store::forget)).
    pub async fn forget(
        &self,
        adapter: &str,
        user_id: &str,
        update_id: Option<i64>,
    ) -> anyhow::Result<Option<Forgotten>> {
        self.store
            .forget(
                &self.pseudonyms.pseudonym(adapter, user_id),
                update_id,
                now_ms(),
            )
            .await
    }

    /// A notice for a citizen whose language cannot be looked up: each language in turn.
    pub fn notice_in_every_language(&self, message: &str) -> Screen {
        let texts: Vec<String> = Lang::ALL
            .iter()
            .map(|&lang| self.notice(lang, message).text)
            .collect();
        Screen {
            text: texts.join("\n\n"),
            buttons: Vec::new(),
        }
    }

    /// A message of the bot's own, outside the guide (`messages::FORGOTTEN`, …).
    pub fn notice(&self, lang: Lang, message: &str) -> Screen {
        Screen {
            text: self
                .content
                .locales
                .format(lang, message, Some(&self.content.desk.args())),
            buttons: Vec::new(),
        }
    }
}

/// The outbox entries of one screen: its voice note, then its picture with the screen as the
/// caption when the text fits in one, else the picture, then the screen. The buttons always
/// come last, under what they answer.
fn screen_items<'a>(
    screen: &Screen,
    attachments: impl Iterator<Item = &'a Attachment>,
) -> Vec<OutboxItem> {
    let mut items = Vec::new();
    let mut picture = None;
    for attachment in attachments {
        match attachment.kind {
            MediaKind::Voice => items.push(OutboxItem::Voice(attachment.media.clone())),
            MediaKind::Picture => picture = Some(attachment.media.clone()),
        }
    }
    match picture {
        Some(media) if screen.text.chars().count() <= dvc_onboard_core::media::MAX_CAPTION => {
            items.push(OutboxItem::Photo {
                media,
                caption: Some(screen.clone()),
            });
        }
        Some(media) => {
            items.push(OutboxItem::Photo {
                media,
                caption: None,
            });
            items.push(OutboxItem::Screen(screen.clone()));
        }
        None => items.push(OutboxItem::Screen(screen.clone())),
    }
    items
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
