//! What waits in the outbox: a screen for a citizen, or a message to copy between a citizen and
//! the staff group (its content is never stored: only where it is, to copy it from there).

use crate::media::MediaRef;
use dvc_onboard_core::i18n::Screen;
use serde::{Deserialize, Serialize};

impl OutboxItem {
    /// The order it keeps: replies to a chat go in the order they were queued; citizens'
    /// messages relayed to the staff group keep that order per citizen (`Some(from_chat)`), so
    /// one that waits or is refused holds up no other case.
    pub fn lane(&self) -> Option<i64> {
        match self {
            OutboxItem::Copy {
                from_chat,
                to_case: true,
                ..
            } => Some(*from_chat),
            _ => None,
        }
    }

    /// The screen with buttons this entry shows, if it shows one.
    pub fn screen_with_buttons(&self) -> Option<&Screen> {
        match self {
            OutboxItem::Screen(screen)
            | OutboxItem::Photo {
                caption: Some(screen),
                ..
            } => Some(screen).filter(|s| !s.buttons.is_empty()),
            _ => None,
        }
    }

    /// A screen's voice note or picture, when its screen is another entry.
    pub fn is_attachment(&self) -> bool {
        matches!(
            self,
            OutboxItem::Voice(_) | OutboxItem::Photo { caption: None, .. }
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxItem {
    Screen(Screen),
    /// The voice note of the screen queued after it.
    Voice(MediaRef),
    /// The picture of a screen: with the screen as its caption (and the screen's buttons) when
    /// the text fits in one, else before the screen, queued after it.
    Photo {
        media: MediaRef,
        caption: Option<Screen>,
    },
    /// Copy message `message_id` of chat `from_chat`. `to_case`: the target is the staff group,
    /// in the topic of the open case of the citizen whose chat is `from_chat`. `photo`: the
    /// message is a photo (a citizen whose photo cannot be passed on is asked to show it at the
    /// desk).
    Copy {
        from_chat: i64,
        message_id: i32,
        to_case: bool,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        photo: bool,
        /// Copied with an empty caption: the original's held a personal number.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        without_caption: bool,
    },
}
