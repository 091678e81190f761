//! The media that go with a citizen's screens: for the screen of a guide step, its voice note
//! and its picture in the citizen's language, unless they chose text only. What staff attached
//! to the step comes before the shipped file, and the citizen's language before Vietnamese
//! ([`dvc_onboard_core::media::fallback`]).

use crate::store::{StaffMedia, Store};
use dvc_onboard_core::content::Content;
use dvc_onboard_core::guide::Reply;
use dvc_onboard_core::guide::model::Step;
use dvc_onboard_core::lang::Lang;
use dvc_onboard_core::media::{self, MediaKind};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::RwLock;

/// Which file to send, as an outbox entry keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaRef {
    /// A shipped file, by the SHA-256 of its bytes: uploaded once, then sent by the file id
    /// Telegram gave it.
    Shipped { sha256: String, name: String },
    /// What staff attached from the staff group: a Telegram file id.
    Staff { file_id: String },
}

/// A picture or voice note that goes with screen `screen` of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub screen: usize,
    pub kind: MediaKind,
    pub media: MediaRef,
}

impl Attachment {
    /// What a channel without media (the terminal) shows in its place.
    pub fn describe(&self) -> String {
        let what = match &self.media {
            MediaRef::Shipped { name, .. } => name.as_str(),
            MediaRef::Staff { .. } => "recorded by the commune",
        };
        format!("[{}: {what}]", self.kind.as_str())
    }
}

/// What staff attached, by step, then language and kind: read from the store when the bot
/// starts, after each change made here, and at each sweep (for the changes other instances
/// made).
#[derive(Debug, Default)]
pub struct StaffMediaIndex(RwLock<HashMap<String, Vec<StaffMedia>>>);

impl StaffMediaIndex {
    pub async fn refresh(&self, store: &Store) -> anyhow::Result<()> {
        let mut by_step: HashMap<String, Vec<StaffMedia>> = HashMap::new();
        for media in store.staff_media().await? {
            by_step.entry(media.step.clone()).or_default().push(media);
        }
        *self
            .0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = by_step;
        Ok(())
    }

    /// The file id staff attached to `step` for `lang` exactly.
    pub fn get(&self, step: &str, lang: Lang, kind: MediaKind) -> Option<String> {
        let index = self
            .0
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        index
            .get(step)?
            .iter()
            .find(|m| m.lang == lang && m.kind == kind)
            .map(|m| m.file_id.clone())
    }
}

/// The voice note and picture of each screen of `replies` that is a guide step's, for a
/// citizen speaking `lang`.
pub fn attachments(
    content: &Content,
    staff: &StaffMediaIndex,
    lang: Lang,
    replies: &[Reply<'_>],
) -> Vec<Attachment> {
    let mut found = Vec::new();
    for (screen, reply) in replies.iter().enumerate() {
        let Some(step) = reply.step.and_then(|id| content.guide.step(id)) else {
            continue;
        };
        for kind in [MediaKind::Voice, MediaKind::Picture] {
            if let Some(media) = resolve(content, staff, step, lang, kind) {
                found.push(Attachment {
                    screen,
                    kind,
                    media,
                });
            }
        }
    }
    found
}

/// What a citizen speaking `lang` gets of `kind` with `step`, by
/// [`dvc_onboard_core::media::fallback`].
pub fn resolve(
    content: &Content,
    staff: &StaffMediaIndex,
    step: &Step,
    lang: Lang,
    kind: MediaKind,
) -> Option<MediaRef> {
    media::fallback(lang).find_map(|l| held(content, staff, step, l, kind))
}

/// What `step` has of `kind` in `lang` exactly: what staff attached, else the shipped file.
pub fn held(
    content: &Content,
    staff: &StaffMediaIndex,
    step: &Step,
    lang: Lang,
    kind: MediaKind,
) -> Option<MediaRef> {
    if let Some(file_id) = staff.get(&step.id, lang, kind) {
        return Some(MediaRef::Staff { file_id });
    }
    let shipped = match kind {
        MediaKind::Voice => step.voice.as_deref(),
        MediaKind::Picture => step.picture.as_deref(),
    };
    let file = content.media.get(lang, shipped?)?;
    Some(MediaRef::Shipped {
        sha256: file.sha256.clone(),
        name: file.name.clone(),
    })
}

/// How many of the guide's steps have their own voice note and picture in a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub lang: Lang,
    pub steps: usize,
    pub voice: usize,
    pub picture: usize,
}

/// Per language: the steps with a voice note and with a picture of their own (the commune's or
/// shipped; not counting the Vietnamese one a language falls back to).
pub fn coverage(content: &Content, staff: &StaffMediaIndex) -> Vec<Coverage> {
    let steps = &content.guide.steps;
    Lang::ALL
        .iter()
        .map(|&lang| {
            let count = |kind| {
                steps
                    .iter()
                    .filter(|s| held(content, staff, s, lang, kind).is_some())
                    .count()
            };
            Coverage {
                lang,
                steps: steps.len(),
                voice: count(MediaKind::Voice),
                picture: count(MediaKind::Picture),
            }
        })
        .collect()
}
