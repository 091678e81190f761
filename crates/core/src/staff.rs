//! The staff side: the messages staff see in their group (in Vietnamese, English where one is
//! missing) and what the group's buttons mean. A button's meaning is a [`StaffAction`], written
//! into Telegram's callback data by [`StaffAction::encode`] and read back by
//! [`StaffAction::decode`]; data no button of ours carries reads as `None`.

use crate::domain::SessionOutcome;
use crate::domain::{Milestone, Purpose};
use crate::lang::Lang;
use crate::media::MediaKind;

/// Ids of the messages the staff group sees, with the arguments they take.
pub mod messages {
    crate::message_ids! {
        /// A new case: `$code`, `$language`, `$commune`, and what the citizen did.
        CARD = "staff-card",
        /// `$name` took the case.
        TAKEN = "staff-taken",
        /// Nobody took the case for a while: `$code`, `$minutes`.
        LATE = "staff-late",
        /// `$name` closed the case with `$outcome`.
        CLOSED = "staff-closed",
        /// `$name` sent the citizen back to the guide (`$outcome`).
        TO_GUIDE = "staff-to-guide",
        STAFF_CITIZEN_LEFT = "staff-citizen-left",
        /// A staff command outside the staff group (shown to whoever sent it).
        STAFF_ONLY = "staff-only",
        BTN_TAKE = "btn-take",
        BTN_CREATED = "btn-created",
        BTN_NOT_CREATED = "btn-not-created",
        BTN_TO_GUIDE = "btn-to-guide",
        BTN_LEVEL1 = "btn-staff-level1",
        BTN_LEVEL2 = "btn-staff-level2",
        BTN_PORTAL = "btn-staff-portal",
        BTN_CHILD = "btn-staff-child",
        BTN_REFERRED = "btn-staff-referred",
        /// `/assist`: the next question (`$question`: how many are answered).
        ASSIST_ASK = "assist-ask",
        /// `/assist`: logged (`$commune`, `$language`, `$outcome`, `$purpose`).
        ASSIST_DONE = "assist-done",
        BTN_CANCEL = "btn-cancel",
        /// `/report`: a file Telegram refused (`$what`, `$reason`).
        REPORT_REFUSED = "staff-report-refused",
        REPORT_FILE = "report-file",
        REPORT_DOCUMENT = "report-document",
        REPORT_CHART = "report-chart",
        /// The citizen erased their data during case `$code` (the topic removed, or kept for
        /// `$reason`).
        CITIZEN_ERASED = "staff-citizen-erased",
        CITIZEN_ERASED_KEEP = "staff-citizen-erased-keep",
        /// The group has no topics (or the bot may not manage them): cards to reply to.
        NO_TOPICS = "staff-no-topics",
        /// Case `$code` reached its maximum age (`$days`) and closed.
        CASE_EXPIRED = "staff-case-expired",
        /// `/media`: how many steps have their own voice and picture per language
        /// (`$steps`, `$coverage`), then the guide's sections.
        MEDIA_SUMMARY = "staff-media-summary",
        /// `/media`: the steps of section `$section`.
        MEDIA_SECTION = "staff-media-section",
        /// `/media`: step `$step`, its Vietnamese `$text`, then the languages.
        MEDIA_STEP = "staff-media-step",
        /// `/media`: step `$step` in `$language`: its `$text` to read aloud, and what it has
        /// (`$voice`, `$picture`). A reply to it with a voice note or a photo attaches it.
        MEDIA_PROMPT = "staff-media-prompt",
        /// What a step has in a language: nothing, the commune's, the file shipped with the bot
        /// (`$name`), or the Vietnamese one.
        MEDIA_NONE = "staff-media-none",
        MEDIA_FROM_STAFF = "staff-media-from-staff",
        MEDIA_SHIPPED = "staff-media-shipped",
        MEDIA_FALLBACK = "staff-media-fallback",
        /// A `$kind` (voice, picture) in `$language` attached to or removed from step `$step`.
        MEDIA_ATTACHED = "staff-media-attached",
        MEDIA_REMOVED = "staff-media-removed",
        /// Step `$step` has no `$kind` in `$language`.
        MEDIA_NOTHING = "staff-media-nothing",
        /// A reply to the prompt that is neither a voice note nor a photo.
        MEDIA_WRONG_KIND = "staff-media-wrong-kind",
        MEDIA_KIND_VOICE = "staff-media-kind-voice",
        MEDIA_KIND_PICTURE = "staff-media-kind-picture",
        BTN_MEDIA_LISTEN = "btn-media-listen",
        BTN_MEDIA_SEE = "btn-media-see",
        BTN_MEDIA_REMOVE_VOICE = "btn-media-remove-voice",
        BTN_MEDIA_REMOVE_PICTURE = "btn-media-remove-picture",
        BTN_MEDIA_BACK = "btn-media-back",
    }
}

/// What a button in the staff group does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffAction {
    /// A button of case `code`'s card.
    Case { code: String, button: CaseButton },
    /// A step of `/assist`: what has been chosen so far.
    Assist(Assist),
    /// `/assist` abandoned: its message goes away, nothing is logged.
    AssistCancel,
    /// A button of `/media`.
    Media(MediaAction),
}

/// What a button of `/media` shows or does. Sections go by their index in the guide's order
/// (names may be long); steps by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaAction {
    /// The summary and the sections.
    Sections,
    /// The steps of the section at this index.
    Section(usize),
    /// A step: its text and the languages.
    Step(String),
    /// A step in a language: the text to read aloud, what it has, and the prompt to reply to.
    Lang { step: String, lang: Lang },
    /// Sends what the step has in the language (to listen to, to see).
    Play {
        step: String,
        lang: Lang,
        kind: MediaKind,
    },
    /// Removes what staff attached to the step in the language.
    Remove {
        step: String,
        lang: Lang,
        kind: MediaKind,
    },
}

impl MediaAction {
    fn encode(&self) -> String {
        let kind = |k: &MediaKind| match k {
            MediaKind::Voice => "v",
            MediaKind::Picture => "p",
        };
        match self {
            MediaAction::Sections => "m".to_string(),
            MediaAction::Section(i) => format!("m:s:{i}"),
            MediaAction::Step(step) => format!("m:t:{step}"),
            MediaAction::Lang { step, lang } => format!("m:l:{step}:{}", lang.code()),
            MediaAction::Play {
                step,
                lang,
                kind: k,
            } => {
                format!("m:p:{step}:{}:{}", lang.code(), kind(k))
            }
            MediaAction::Remove {
                step,
                lang,
                kind: k,
            } => {
                format!("m:x:{step}:{}:{}", lang.code(), kind(k))
            }
        }
    }

    fn decode(rest: &str) -> Option<MediaAction> {
        if rest.is_empty() {
            return Some(MediaAction::Sections);
        }
        let parts: Vec<&str> = rest.strip_prefix(':')?.split(':').collect();
        let kind = |k: &str| match k {
            "v" => Some(MediaKind::Voice),
            "p" => Some(MediaKind::Picture),
            _ => None,
        };
        let step = |s: &str| (!s.is_empty()).then(|| s.to_string());
        Some(match parts.as_slice() {
            ["s", i] => MediaAction::Section(i.parse().ok()?),
            ["t", s] => MediaAction::Step(step(s)?),
            ["l", s, l] => MediaAction::Lang {
                step: step(s)?,
                lang: Lang::from_code(l)?,
            },
            ["p", s, l, k] => MediaAction::Play {
                step: step(s)?,
                lang: Lang::from_code(l)?,
                kind: kind(k)?,
            },
            ["x", s, l, k] => MediaAction::Remove {
                step: step(s)?,
                lang: Lang::from_code(l)?,
                kind: kind(k)?,
            },
            _ => return None,
        })
    }
}

/// The buttons of a case's card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseButton {
    /// "I take it".
    Take,
    /// "Account created": shows the levels to choose from.
    Created,
    /// From the levels back to the card's buttons.
    Back,
    /// Closes the case.
    Close(Closing),
}

/// How staff close a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closing {
    /// The citizen has an account, up to this milestone.
    Reached(Milestone),
    /// No account was created.
    NotCreated,
    /// Nothing to close yet: the citizen goes back to the guide.
    ToGuide,
}

impl Closing {
    /// The citizen's reached milestone, for a case that closes with an outcome.
    pub fn reached(self) -> Option<Milestone> {
        match self {
            Closing::Reached(m) => Some(m),
            Closing::NotCreated | Closing::ToGuide => None,
        }
    }
}

/// `/assist`'s answers so far, in the order it asks: commune, language, outcome, purpose. A
/// later answer is only there with the earlier ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assist {
    pub commune: Option<String>,
    pub lang: Option<Lang>,
    pub outcome: Option<SessionOutcome>,
    pub purpose: Option<Purpose>,
}

/// The outcomes `/assist` offers, in its buttons' order (their index is in the data).
pub const VISIT_OUTCOMES: [SessionOutcome; 6] = [
    SessionOutcome::VneidLevel1,
    SessionOutcome::VneidLevel2,
    SessionOutcome::PortalLogin,
    SessionOutcome::NotCreated,
    SessionOutcome::ChildApplied,
    SessionOutcome::Referred,
];

/// The purposes `/assist` offers, in its buttons' order (their index is in the data).
pub const VISIT_PURPOSES: [Purpose; 5] = [
    Purpose::Justice,
    Purpose::LabourSocial,
    Purpose::Land,
    Purpose::HealthInsurance,
    Purpose::Other,
];

/// A visit `/assist` has every answer for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit<'a> {
    pub commune: &'a str,
    pub lang: Lang,
    pub outcome: SessionOutcome,
    pub purpose: Purpose,
}

impl Assist {
    /// How many questions are answered.
    pub fn answered(&self) -> usize {
        [
            self.commune.is_some(),
            self.lang.is_some(),
            self.outcome.is_some(),
            self.purpose.is_some(),
        ]
        .iter()
        .take_while(|a| **a)
        .count()
    }

    /// The whole visit, once every question is answered.
    pub fn visit(&self) -> Option<Visit<'_>> {
        Some(Visit {
            commune: self.commune.as_deref()?,
            lang: self.lang?,
            outcome: self.outcome?,
            purpose: self.purpose?,
        })
    }

    /// These answers and the next one: the data of the button that gives it. `index` counts
    /// in [`VISIT_OUTCOMES`] or [`VISIT_PURPOSES`] for those questions.
    fn parts(&self) -> Vec<String> {
        let outcome = self
            .outcome
            .and_then(|o| VISIT_OUTCOMES.iter().position(|v| *v == o));
        let purpose = self
            .purpose
            .and_then(|p| VISIT_PURPOSES.iter().position(|v| *v == p));
        [
            self.commune.clone(),
            self.lang.map(|l| l.code().to_string()),
            outcome.map(|i| i.to_string()),
            purpose.map(|i| i.to_string()),
        ]
        .into_iter()
        .map_while(|p| p)
        .collect()
    }
}

impl CaseButton {
    fn code(self) -> &'static str {
        match self {
            CaseButton::Take => "take",
            CaseButton::Created => "created",
            CaseButton::Back => "back",
            CaseButton::Close(Closing::Reached(Milestone::VneidLevel1)) => "l1",
            CaseButton::Close(Closing::Reached(Milestone::VneidLevel2)) => "l2",
            CaseButton::Close(Closing::Reached(Milestone::PortalLogin)) => "l3",
            CaseButton::Close(Closing::Reached(Milestone::ChildApplied)) => "child",
            CaseButton::Close(Closing::Reached(Milestone::Referred)) => "ref",
            CaseButton::Close(Closing::NotCreated) => "none",
            CaseButton::Close(Closing::ToGuide) => "guide",
        }
    }

    fn parse(code: &str) -> Option<CaseButton> {
        Some(match code {
            "take" => CaseButton::Take,
            "created" => CaseButton::Created,
            "back" => CaseButton::Back,
            "l1" => CaseButton::Close(Closing::Reached(Milestone::VneidLevel1)),
            "l2" => CaseButton::Close(Closing::Reached(Milestone::VneidLevel2)),
            "l3" => CaseButton::Close(Closing::Reached(Milestone::PortalLogin)),
            "child" => CaseButton::Close(Closing::Reached(Milestone::ChildApplied)),
            "ref" => CaseButton::Close(Closing::Reached(Milestone::Referred)),
            "none" => CaseButton::Close(Closing::NotCreated),
            "guide" => CaseButton::Close(Closing::ToGuide),
            _ => return None,
        })
    }
}

impl StaffAction {
    /// The callback data: `h:<button>:<case>` for a card, `a:<answers…>` for `/assist`
    /// (`a:` alone before the first answer), `a:cancel`.
    pub fn encode(&self) -> String {
        match self {
            StaffAction::Case { code, button } => format!("h:{}:{code}", button.code()),
            StaffAction::Assist(assist) => format!("a:{}", assist.parts().join(":")),
            StaffAction::AssistCancel => "a:cancel".to_string(),
            StaffAction::Media(action) => action.encode(),
        }
    }

    /// The action a button's data stands for; `None` for data no button of ours carries
    /// (tampered, or from another version).
    pub fn decode(data: &str) -> Option<StaffAction> {
        if let Some(rest) = data.strip_prefix("h:") {
            let (button, code) = rest.split_once(':')?;
            if code.is_empty() {
                return None;
            }
            return Some(StaffAction::Case {
                code: code.to_string(),
                button: CaseButton::parse(button)?,
            });
        }
        if let Some(rest) = data.strip_prefix('m') {
            return MediaAction::decode(rest).map(StaffAction::Media);
        }
        let rest = data.strip_prefix("a:")?;
        if rest == "cancel" {
            return Some(StaffAction::AssistCancel);
        }
        let mut parts = rest.split(':').filter(|p| !p.is_empty());
        let index = |p: Option<&str>| p.map(|p| p.parse::<usize>().ok());
        let mut assist = Assist {
            commune: parts.next().map(str::to_string),
            ..Assist::default()
        };
        if let Some(code) = parts.next() {
            assist.lang = Some(Lang::from_code(code)?);
        }
        if let Some(i) = index(parts.next()) {
            assist.outcome = Some(*VISIT_OUTCOMES.get(i?)?);
        }
        if let Some(i) = index(parts.next()) {
            assist.purpose = Some(*VISIT_PURPOSES.get(i?)?);
        }
        if parts.next().is_some() {
            return None;
        }
        Some(StaffAction::Assist(assist))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn milestone() -> impl Strategy<Value = Milestone> {
        proptest::sample::select(Milestone::ALL)
    }

    fn button() -> impl Strategy<Value = CaseButton> {
        prop_oneof![
            Just(CaseButton::Take),
            Just(CaseButton::Created),
            Just(CaseButton::Back),
            milestone().prop_map(|m| CaseButton::Close(Closing::Reached(m))),
            Just(CaseButton::Close(Closing::NotCreated)),
            Just(CaseButton::Close(Closing::ToGuide)),
        ]
    }

    fn assist() -> impl Strategy<Value = Assist> {
        (
            "[a-z0-9_-]{1,20}",
            prop::sample::select(Lang::ALL.to_vec()),
            prop::sample::select(VISIT_OUTCOMES.to_vec()),
            prop::sample::select(VISIT_PURPOSES.to_vec()),
            0usize..=4,
        )
            .prop_map(|(commune, lang, outcome, purpose, answered)| Assist {
                commune: (answered >= 1).then_some(commune),
                lang: (answered >= 2).then_some(lang),
                outcome: (answered >= 3).then_some(outcome),
                purpose: (answered >= 4).then_some(purpose),
            })
    }

    fn action() -> impl Strategy<Value = StaffAction> {
        prop_oneof![
            ("[A-Z2-9]{5}", button()).prop_map(|(code, button)| StaffAction::Case { code, button }),
            assist().prop_map(StaffAction::Assist),
            Just(StaffAction::AssistCancel),
            media().prop_map(StaffAction::Media),
        ]
    }

    fn media() -> impl Strategy<Value = MediaAction> {
        let step = "[a-z0-9_-]{1,30}";
        let lang = prop::sample::select(Lang::ALL.to_vec());
        let kind = prop::sample::select(MediaKind::ALL.to_vec());
        prop_oneof![
            Just(MediaAction::Sections),
            (0usize..1000).prop_map(MediaAction::Section),
            step.prop_map(MediaAction::Step),
            (step, lang.clone()).prop_map(|(step, lang)| MediaAction::Lang { step, lang }),
            (step, lang.clone(), kind.clone()).prop_map(|(step, lang, kind)| MediaAction::Play {
                step,
                lang,
                kind
            }),
            (step, lang, kind).prop_map(|(step, lang, kind)| MediaAction::Remove {
                step,
                lang,
                kind
            }),
        ]
    }

    proptest! {
        #[test]
        fn every_action_reads_back_as_itself_and_fits_telegram(action in action()) {
            let data = action.encode();
            prop_assert!(data.len() <= 64, "{data} is over Telegram's 64 bytes");
            prop_assert_eq!(StaffAction::decode(&data), Some(action));
        }

        #[test]
        fn any_data_reads_as_an_action_or_none(data in "\\PC{0,70}") {
            if let Some(action) = StaffAction::decode(&data) {
                // What it reads as is a real action: it reads back the same.
                prop_assert_eq!(StaffAction::decode(&action.encode()), Some(action));
            }
        }
    }

    #[test]
    fn the_data_of_buttons_already_in_staff_groups_still_reads() {
        assert_eq!(
            StaffAction::decode("h:l2:K7P3Q"),
            Some(StaffAction::Case {
                code: "K7P3Q".into(),
                button: CaseButton::Close(Closing::Reached(Milestone::VneidLevel2)),
            })
        );
        let StaffAction::Assist(done) = StaffAction::decode("a:son_vi:hmn:0:4").expect("an action")
        else {
            panic!("not /assist");
        };
        assert_eq!(
            done.visit(),
            Some(Visit {
                commune: "son_vi",
                lang: Lang::Hmn,
                outcome: SessionOutcome::VneidLevel1,
                purpose: Purpose::Other,
            })
        );
        assert_eq!(
            StaffAction::decode("a:"),
            Some(StaffAction::Assist(Assist::default()))
        );
        assert_eq!(StaffAction::decode("a:son_vi:xx"), None);
        assert_eq!(StaffAction::decode("a:son_vi:vi:9"), None);
        assert_eq!(StaffAction::decode("h:take:"), None);
        assert_eq!(StaffAction::decode("x:take:K7P3Q"), None);
    }
}
