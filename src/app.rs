//! The application: one input of one citizen through store, engine and renderer. Every channel
//! adapter (terminal, Telegram) calls this and only shows what it returns.

use crate::content::Content;
use crate::guide::{self, Event, Input};
use crate::i18n::Screen;
use crate::lang::Lang;
use crate::pseudonym::Pseudonymizer;
use crate::store::Store;

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
    /// The citizen asked for a person: the adapter hands the case to staff.
    pub help_asked: bool,
}

impl App {
    /// Handles `input` from `user_id` of `adapter` (`telegram`, `terminal`).
    pub async fn handle(
        &self,
        adapter: &str,
        user_id: &str,
        input: Input<'_>,
    ) -> anyhow::Result<Answer> {
        let pseudonym = self.pseudonyms.pseudonym(adapter, user_id);
        let span = tracing::info_span!("input", citizen = %pseudonym, adapter);
        let _enter = span.enter();
        let guide = &self.content.guide;
        let outcome = self
            .store
            .run(&pseudonym, adapter, now_ms(), |state| {
                guide::step(guide, state, input)
            })
            .await?;
        tracing::debug!(
            step = outcome.state.step.as_deref().unwrap_or("-"),
            events = outcome.events.len(),
            "handled"
        );
        let lang = outcome.state.lang.unwrap_or(Lang::Vi);
        let screens = outcome
            .replies
            .iter()
            .map(|reply| self.content.locales.render(lang, reply))
            .collect();
        let help_asked = outcome
            .events
            .iter()
            .any(|e| matches!(e, Event::HelpAsked { .. }));
        Ok(Answer {
            lang,
            screens,
            help_asked,
        })
    }
}

impl App {
    /// Erases a citizen (`/forget`): their dialogue, language and the link to their sessions.
    pub async fn forget(&self, adapter: &str, user_id: &str) -> anyhow::Result<()> {
        self.store
            .forget(&self.pseudonyms.pseudonym(adapter, user_id))
            .await
    }

    /// A message of the bot's own, outside the guide (`messages::FORGOTTEN`, …).
    pub fn notice(&self, lang: Lang, message: &str) -> Screen {
        Screen {
            text: self.content.locales.format(lang, message, None),
            buttons: Vec::new(),
        }
    }
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
