//! What waits in the outbox: a screen for a citizen, or a message to copy between a citizen and
//! the staff group (its content is never stored: only where it is, to copy it from there).

use crate::i18n::Screen;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxItem {
    Screen(Screen),
    /// Copy message `message_id` of chat `from_chat`. `to_case`: the target is the staff group,
    /// in the topic of the open case of the citizen whose chat is `from_chat`.
    Copy {
        from_chat: i64,
        message_id: i32,
        to_case: bool,
    },
}
