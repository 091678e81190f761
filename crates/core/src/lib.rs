//! The pure core of dvc-onboard: what the bot says and why, with no I/O of its own beyond
//! reading content files.
//!
//! - [`guide`]: the guide as data ([`guide::model`]) and the engine that walks a citizen
//!   through it: `(guide, state, input) → (state, replies, events)`.
//! - [`lang`]: the languages a citizen can choose.
//! - [`privacy`]: spotting personal numbers in what a citizen types.
//! - [`i18n`]: the messages in each language (Fluent), with Hmong falling back to Vietnamese.
//! - [`content`]: where the guide and the messages come from; [`check`]: what would make them
//!   fail a citizen.
//! - [`terms`]: the translators' term list, and where a message strays from it.
//! - [`translations`]: which translations are missing or stale against the Vietnamese, and a
//!   language's messages as rows for a translator.
//! - [`media`]: the pictures and voice notes shipped with the guide's steps, and what makes a
//!   file one Telegram takes.
//! - [`follow_up`]: when a reminder to a citizen who stopped at a waiting step is due.
//! - [`start_link`]: the payload of a poster's or the desk's link to the bot.
//! - [`domain`]: the names the store, the reports and `check` share (channel, outcome, case
//!   status); [`staff`]: what staff's buttons mean, and the messages staff see.
//!
//! Nothing here depends on an async runtime, a database or Telegram: the adapters around it
//! (the `dvc-onboard` package) do.

/// Declares message ids as constants, and `ALL` listing every one of them for `check`: one list,
/// kept by the compiler.
#[macro_export]
macro_rules! message_ids {
    ($($(#[$doc:meta])* $name:ident = $id:literal,)*) => {
        $($(#[$doc])* pub const $name: &str = $id;)*
        /// Every id above, for `check`.
        pub const ALL: &[&str] = &[$($name),*];
    };
}

pub mod check;
pub mod content;
pub mod domain;
pub mod follow_up;
pub mod guide;
pub mod i18n;
pub mod lang;
pub mod media;
pub mod privacy;
pub mod staff;
pub mod start_link;
pub mod terms;
pub mod translations;
