//! The application: one input of one citizen through store, engine and renderer. Every channel
//! adapter (terminal, Telegram) calls this and only shows, or delivers, what it returns.

use crate::content::Content;
use crate::guide::engine::Reach;
use crate::guide::{self, Event, Input};
use crate::i18n::Screen;
use crate::lang::Lang;
use crate::outbox::OutboxItem;
use crate::pseudonym::Pseudonymizer;
use crate::store::Store;
use tracing::Instrument;

pub struct App {
    pub content: Content,
    pub store: Store,
    pub pseudonyms: Pseudonymizer,
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
}

/// For channels that deliver later (Telegram): the update that carried the input, so it is
/// handled once, and the chat whose outbox receives the screens in the same transaction.
#[derive(Debug, Clone, Copy)]
pub struct Delivery {
    pub update_id: i64,
    pub chat_id: i64,
    /// The citizen's message, copied to staff while a hand-off is open.
    pub message_id: Option<i32>,
    /// The staff group, where relayed messages go.
    pub staff_chat: Option<i64>,
}

impl App {
    /// Handles `input` from `user_id` of `adapter` (`telegram`, `terminal`) and returns what to
    /// show.
    pub async fn handle(
        &self,
        adapter: &str,
        user_id: &str,
        input: Input<'_>,
    ) -> anyhow::Result<Answer> {
        let answer = self.handle_with(adapter, user_id, None, input).await?;
        answer.ok_or_else(|| anyhow::anyhow!("an input without an update id is never a duplicate"))
    }

    /// Handles `input` once per update: the screens are queued in the chat's outbox with the
    /// state, all in one transaction. `None` if the update was handled before.
    pub async fn handle_update(
        &self,
        adapter: &str,
        user_id: &str,
        delivery: Delivery,
        input: Input<'_>,
    ) -> anyhow::Result<Option<Answer>> {
        self.handle_with(adapter, user_id, Some(delivery), input)
            .await
    }

    async fn handle_with(
        &self,
        adapter: &str,
        user_id: &str,
        delivery: Option<Delivery>,
        input: Input<'_>,
    ) -> anyhow::Result<Option<Answer>> {
        let pseudonym = self.pseudonyms.pseudonym(adapter, user_id);
        let span = tracing::info_span!("input", citizen = %pseudonym, step = tracing::field::Empty);
        self.turn(adapter, pseudonym, delivery, input)
            .instrument(span)
            .await
    }

    async fn turn(
        &self,
        adapter: &str,
        pseudonym: String,
        delivery: Option<Delivery>,
        input: Input<'_>,
    ) -> anyhow::Result<Option<Answer>> {
        let update_id = delivery.map(|d| d.update_id);
        let Some(turn) = self.store.begin(&pseudonym, update_id).await? else {
            tracing::debug!("update handled before; skipped");
            return Ok(None);
        };
        let reach = Reach {
            staff: delivery.is_some_and(|d| d.staff_chat.is_some()),
        };
        let guide = &self.content.guide;
        let outcome = guide::engine::step_with(guide, turn.state(), input, reach);
        let lang = outcome.state.lang.unwrap_or(Lang::Vi);
        let desk = self.content.desk.args();
        let screens: Vec<Screen> = outcome
            .replies
            .iter()
            .map(|reply| self.content.locales.render_with(lang, reply, Some(&desk)))
            .collect();
        let has = |f: fn(&Event<'_>) -> bool| outcome.events.iter().any(f);
        let relayed = has(|e| matches!(e, Event::Relayed { .. }));
        let mut outbox = Vec::new();
        if let Some(d) = delivery {
            if let (true, Some(staff), Some(message_id)) = (relayed, d.staff_chat, d.message_id) {
                let copy = OutboxItem::Copy {
                    from_chat: d.chat_id,
                    message_id,
                    to_case: true,
                };
                outbox.push((staff, serde_json::to_string(&copy)?));
            }
            for screen in &screens {
                let item = OutboxItem::Screen(screen.clone());
                outbox.push((d.chat_id, serde_json::to_string(&item)?));
            }
        }
        let chat = delivery.map(|d| d.chat_id);
        turn.commit_in(adapter, chat, now_ms(), &outcome, &outbox)
            .await?;
        let step = outcome.state.step.as_deref().unwrap_or("-");
        tracing::Span::current().record("step", step);
        let kinds: Vec<&str> = outcome.events.iter().map(Event::kind).collect();
        tracing::debug!(events = ?kinds, "handled");
        Ok(Some(Answer {
            lang,
            screens,
            help_asked: has(|e| matches!(e, Event::HelpAsked { .. })),
            handoff_opened: has(|e| matches!(e, Event::HandoffOpened)),
            relayed,
            pseudonym,
        }))
    }

    /// Erases a citizen (`/forget`): their dialogue, language and the link to their sessions.
    /// Returns the language they had, to say it is done in it.
    pub async fn forget(&self, adapter: &str, user_id: &str) -> anyhow::Result<Option<Lang>> {
        self.store
            .forget(&self.pseudonyms.pseudonym(adapter, user_id))
            .await
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

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
