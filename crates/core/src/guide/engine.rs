//! The guide engine: `(guide, state, input) -> (state, replies, events)`, with no I/O.
//!
//! Everything a citizen experiences is decided here, so every channel (Telegram, the terminal)
//! behaves the same and the whole product can be tested and fuzzed without a network or a
//! database. Replies name Fluent message ids, never text; events name steps and choices from the
//! guide, never what the citizen typed.

use super::model::{Choice, Guide, NEXT_RESTART, NEXT_RESUME, Step, StepKind};
use crate::domain::{Milestone, Purpose, SessionOutcome, Source};
use crate::lang::Lang;
use crate::privacy::{Sensitive, Typed};
use crate::start_link::StartLink;
use serde::{Deserialize, Serialize};

/// The pseudo step id of the language question, which comes before any guide step.
pub const LANGUAGE_STEP: &str = "language";
/// How many steps "back" can go; older history is dropped so a stored state stays small.
const HISTORY_LIMIT: usize = 40;

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// No session: before the first start, or after the guide's end.
    #[default]
    Idle,
    Open,
    /// The outcome is recorded; the citizen may still answer purpose and rating.
    Finished,
}

/// One citizen's place in the guide. Stored as data between messages, so it must survive guide
/// edits: an unknown step sends the citizen to the start of its section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub lang: Option<Lang>,
    pub step: Option<String>,
    pub section: Option<String>,
    #[serde(default)]
    pub history: Vec<String>,
    #[serde(default)]
    pub phase: Phase,
    pub milestone: Option<Milestone>,
    /// A hand-off to staff is open: the guide is quiet and the citizen's messages go to staff.
    #[serde(default)]
    pub handoff: bool,
    /// The commune a start link gave: chosen for the citizen when the guide reaches the commune
    /// question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset_commune: Option<String>,
    /// Where a start link says the citizen found the bot: recorded on the next session begun.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset_source: Option<Source>,
    /// The wait the citizen is in, with its reminders ([`Waiting`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<Waiting>,
    /// The citizen wants text only: no voice notes or pictures, to save data. Like the
    /// language, it belongs to the person and outlives the dialogue.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub text_only: bool,
}

/// A citizen stopped at a waiting step of the guide (one with reminders): which step, how many
/// reminders were sent, and whether they asked for no more. Kept until they go on (enter a step
/// of its `until`), start a new session, or block the bot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting {
    pub step: String,
    #[serde(default)]
    pub sent: u8,
    #[serde(default)]
    pub stopped: bool,
}

impl State {
    /// A state for a citizen whose language is already known (it belongs to the person, not to
    /// a dialogue, so a new dialogue starts with it).
    pub fn with_lang(lang: Option<Lang>) -> State {
        State {
            lang,
            ..State::default()
        }
    }

    /// A state for a citizen whose language and choice of text only are already known.
    pub fn with_preferences(lang: Option<Lang>, text_only: bool) -> State {
        State {
            lang,
            text_only,
            ..State::default()
        }
    }
}

/// What a citizen did, in channel-neutral terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input<'a> {
    Start,
    /// `/start` with a start link's payload ([`StartLink`]): its language, commune and source
    /// are taken, then it is `Start`. A payload that means nothing is ignored.
    StartWith(&'a str),
    Choice {
        step: &'a str,
        choice: &'a str,
    },
    Text(Typed<'a>),
    Back,
    AskStaff,
    ChangeLanguage,
    Restart,
    /// What the commands do, then the current step.
    Help,
    /// A button whose data no button of ours carries (tampered, or from an old version).
    UnknownButton,
    /// Something other than text: a photo, a sticker, a contact…
    Media(Media),
    /// A photo, a video or a document with a caption: the caption is read for personal numbers
    /// like typed text, and the media is handled as media.
    Captioned {
        media: Media,
        caption: Typed<'a>,
    },
    /// An edited message: it does not move the guide, but a number in it is still warned about.
    Edited(Typed<'a>),
    /// The citizen blocked the bot: the open session is abandoned and nothing is sent.
    Left,
    /// "Ask staff" where staff can answer (a staff group exists): opens a hand-off.
    HandOff,
    /// Back to the guide from a hand-off (the citizen's button, or staff's).
    Resume,
    /// Staff closed the hand-off; `reached` is the account level staff saw, if one was created.
    StaffClosed {
        reached: Option<Milestone>,
    },
    /// The hand-off stayed open past its maximum age: it ends, and the citizen is back in the
    /// guide when they write again. Nothing is shown.
    HandoffExpired,
    /// A reminder is due (the adapter's clock says so): shown if the citizen still waits.
    FollowUp,
    /// What the citizen can set (`/settings`): voice and pictures, or text only.
    Settings,
    /// Voice and pictures off (`text_only`) or on.
    SetMedia {
        text_only: bool,
    },
}

/// Kinds of non-text messages, each with its own answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    /// May be a photo of an ID card: warned about, never kept.
    Photo,
    /// A shared contact carries a phone number: warned about, never kept.
    Contact,
    Sticker,
    Voice,
    Video,
    Document,
    Location,
    Other,
}

impl Media {
    pub fn as_str(self) -> &'static str {
        match self {
            Media::Photo => "photo",
            Media::Contact => "contact",
            Media::Sticker => "sticker",
            Media::Voice => "voice",
            Media::Video => "video",
            Media::Document => "document",
            Media::Location => "location",
            Media::Other => "other",
        }
    }
}

/// What a button does when pressed; encoded into a short string a channel can carry (Telegram
/// callback data holds at most 64 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'g> {
    Choice {
        step: &'g str,
        choice: &'g str,
    },
    Back,
    AskStaff,
    Restart,
    Resume,
    /// Text only, or voice and pictures.
    Media {
        text_only: bool,
    },
}

impl<'g> Action<'g> {
    pub fn encode(&self) -> String {
        match self {
            Action::Choice { step, choice } => format!("c:{step}:{choice}"),
            Action::Back => "b".to_string(),
            Action::AskStaff => "s".to_string(),
            Action::Restart => "r".to_string(),
            Action::Resume => "g".to_string(),
            Action::Media { text_only: true } => "m:t".to_string(),
            Action::Media { text_only: false } => "m:v".to_string(),
        }
    }

    pub fn input(&self) -> Input<'g> {
        match *self {
            Action::Choice { step, choice } => Input::Choice { step, choice },
            Action::Back => Input::Back,
            Action::AskStaff => Input::AskStaff,
            Action::Restart => Input::Restart,
            Action::Resume => Input::Resume,
            Action::Media { text_only } => Input::SetMedia { text_only },
        }
    }
}

impl<'a> Input<'a> {
    /// The input a button's data stands for; `None` for data no button of ours carries.
    pub fn from_button_data(data: &'a str) -> Option<Input<'a>> {
        match data {
            "b" => Some(Input::Back),
            "s" => Some(Input::AskStaff),
            "r" => Some(Input::Restart),
            "g" => Some(Input::Resume),
            "m:t" => Some(Input::SetMedia { text_only: true }),
            "m:v" => Some(Input::SetMedia { text_only: false }),
            _ => {
                let rest = data.strip_prefix("c:")?;
                let (step, choice) = rest.split_once(':')?;
                Some(Input::Choice { step, choice })
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label<'g> {
    /// A Fluent message id.
    Message(&'g str),
    /// Shown as is: commune names, language names.
    Plain(&'g str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Button<'g> {
    pub action: Action<'g>,
    pub label: Label<'g>,
}

/// One screen to show: a message, an optional "step n of m" line and buttons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply<'g> {
    pub message: &'g str,
    pub progress: Option<(u16, u16)>,
    pub buttons: Vec<Button<'g>>,
    /// The guide step this is the screen of: its picture and voice note go with it, unless the
    /// citizen chose text only. `None` for notes and the bot's own screens.
    pub step: Option<&'g str>,
}

/// One thing that happened, for the session log. Never holds what the citizen typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event<'g> {
    SessionStarted {
        guide: &'g str,
    },
    LanguageChosen {
        lang: Lang,
    },
    StepEntered {
        step: &'g str,
    },
    ChoiceMade {
        step: &'g str,
        choice: &'g str,
    },
    WentBack {
        from: &'g str,
    },
    /// Free text was typed; only whether it held a personal number is kept.
    TextTyped {
        sensitive: Option<Sensitive>,
    },
    /// Something other than text was sent; only its kind is kept.
    MediaSent {
        media: Media,
    },
    HelpAsked {
        step: Option<&'g str>,
    },
    CommuneChosen {
        commune: &'g str,
    },
    MilestoneReached {
        milestone: Milestone,
    },
    Finished {
        outcome: SessionOutcome,
    },
    PurposeGiven {
        purpose: Purpose,
    },
    /// The session began from a start link of this source.
    SourceGiven {
        source: Source,
    },
    Rated {
        rating: u8,
    },
    /// The citizen started over before the session had an outcome.
    Abandoned,
    /// A hand-off to staff opened: the session's channel becomes `staff_remote`.
    HandoffOpened,
    /// A message of the citizen goes to staff (`None`: text). Only its kind is kept.
    /// `caption_removed`: its caption held a personal number, so the copy goes without it.
    Relayed {
        media: Option<Media>,
        caption_removed: bool,
    },
    HandoffClosed {
        reason: HandoffEnd,
    },
    /// A reminder is to come `after_hours` from now, for the citizen waiting at `step`.
    FollowUpScheduled {
        step: &'g str,
        after_hours: u16,
    },
    /// A reminder was shown to the citizen waiting at `step`.
    FollowUpSent {
        step: &'g str,
    },
    /// No more reminders for this wait; `reminded`: at least one was sent.
    FollowUpEnded {
        reason: FollowUpEnd,
        reminded: bool,
    },
    /// A reminder came due but was not shown (the citizen is with staff, or no longer waits).
    FollowUpDropped,
    /// The citizen chose text only (`text_only`), or voice and pictures again.
    MediaChosen {
        text_only: bool,
    },
}

/// Why a wait's reminders ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpEnd {
    /// The citizen went on by themselves: they entered a step of the wait's `until`.
    WentOn,
    /// The citizen pressed "no more reminders".
    Stopped,
    /// The citizen blocked the bot.
    Left,
    /// A new session began, or the citizen moved to another wait.
    Ended,
}

impl FollowUpEnd {
    pub fn as_str(self) -> &'static str {
        match self {
            FollowUpEnd::WentOn => "went_on",
            FollowUpEnd::Stopped => "stopped",
            FollowUpEnd::Left => "left",
            FollowUpEnd::Ended => "ended",
        }
    }
}

/// Why a hand-off ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandoffEnd {
    /// The citizen went back to the guide (or started over).
    Citizen,
    /// Staff sent the citizen back to the guide.
    StaffToGuide,
    /// Staff closed the case with an outcome.
    StaffClosed,
    /// The citizen blocked the bot.
    Left,
    /// Open past its maximum age.
    Expired,
}

impl HandoffEnd {
    pub fn as_str(self) -> &'static str {
        match self {
            HandoffEnd::Citizen => "citizen",
            HandoffEnd::StaffToGuide => "staff_to_guide",
            HandoffEnd::StaffClosed => "staff_closed",
            HandoffEnd::Left => "left",
            HandoffEnd::Expired => "expired",
        }
    }
}

impl Event<'_> {
    /// The event's name in the store and in reports.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::SessionStarted { .. } => "session_started",
            Event::LanguageChosen { .. } => "language_chosen",
            Event::StepEntered { .. } => "step_entered",
            Event::ChoiceMade { .. } => "choice",
            Event::WentBack { .. } => "back",
            Event::TextTyped { .. } => "text_typed",
            Event::MediaSent { .. } => "media",
            Event::HelpAsked { .. } => "help_asked",
            Event::CommuneChosen { .. } => "commune_chosen",
            Event::MilestoneReached { .. } => "milestone",
            Event::Finished { .. } => "finished",
            Event::PurposeGiven { .. } => "purpose",
            Event::SourceGiven { .. } => "source",
            Event::Rated { .. } => "rating",
            Event::Abandoned => "abandoned",
            Event::HandoffOpened => "handoff_opened",
            Event::Relayed { .. } => "relayed",
            Event::HandoffClosed { .. } => "handoff_closed",
            Event::FollowUpScheduled { .. } => "follow_up_scheduled",
            Event::FollowUpSent { .. } => "follow_up_sent",
            Event::FollowUpEnded { .. } => "follow_up_ended",
            Event::FollowUpDropped => "follow_up_dropped",
            Event::MediaChosen { .. } => "media_chosen",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome<'g> {
    pub state: State,
    pub replies: Vec<Reply<'g>>,
    pub events: Vec<Event<'g>>,
}

/// Built-in message ids (in `locales/*/bot.ftl`), besides those the guide names.
pub mod messages {
    crate::message_ids! {
        LANGUAGE_PROMPT = "language-prompt",
        WELCOME_BACK = "welcome-back",
        STALE_BUTTON = "stale-button",
        USE_BUTTONS = "use-buttons",
        WARN_ID_NUMBER = "warn-id-number",
        WARN_PHONE_NUMBER = "warn-phone-number",
        WARN_CODE = "warn-code",
        STAFF_ASKED = "staff-asked",
        PROGRESS = "progress",
        BTN_BACK = "btn-back",
        BTN_ASK_STAFF = "btn-ask-staff",
        /// Adapters' own: the citizen's data was erased (`/forget`).
        FORGOTTEN = "forgotten",
        /// Adapters' own: the input could not be handled (the database was unreachable); nothing
        /// was recorded, so sending it again is safe.
        TRY_AGAIN = "try-again",
        /// Adapters' own: the input could not be stored yet (the database was unreachable), and
        /// Telegram delivers it again until it is: it will be answered without being sent again.
        BUSY_LATER = "busy-later",
        HELP = "help",
        MEDIA_PHOTO = "media-photo",
        MEDIA_OTHER = "media-other",
        EDITED = "edited",
        /// Hand-off: opened (with `$hours` and `$address` of the desk), still open, a photo passed
        /// on with a reminder, a number not passed on, staff late, and back in the guide.
        HANDOFF_OPENED = "handoff-opened",
        HANDOFF_ACTIVE = "handoff-active",
        HANDOFF_PHOTO = "handoff-photo",
        HANDOFF_NUMBER = "handoff-number",
        HANDOFF_LATE = "handoff-late",
        HANDOFF_CLOSED = "handoff-closed",
        BTN_RESUME = "btn-resume",
        /// Descriptions in Telegram's command menu.
        CMD_START = "cmd-start",
        CMD_LANG = "cmd-lang",
        CMD_HELP = "cmd-help",
        CMD_RESTART = "cmd-restart",
        CMD_FORGET = "cmd-forget",
        CMD_SETTINGS = "cmd-settings",
        /// `/settings`: what the citizen receives now (voice and pictures, or text only), the
        /// button for the other, and what they chose.
        SETTINGS_WITH_MEDIA = "settings-with-media",
        SETTINGS_TEXT_ONLY = "settings-text-only",
        BTN_TEXT_ONLY = "btn-text-only",
        BTN_WITH_MEDIA = "btn-with-media",
        CHOSE_TEXT_ONLY = "chose-text-only",
        CHOSE_WITH_MEDIA = "chose-with-media",
        /// The same buttons on the language question, in every language (none is chosen yet).
        BTN_LANG_TEXT_ONLY = "btn-lang-text-only",
        BTN_LANG_WITH_MEDIA = "btn-lang-with-media",
        /// Adapters' own: a message relayed to staff was refused by Telegram (deleted first, a
        /// kind the group forbids); for a photo, show it at the desk.
        RELAY_REFUSED = "relay-refused",
        RELAY_REFUSED_PHOTO = "relay-refused-photo",
        /// Adapters' own: an update failed again and again and was set aside; try again, or come
        /// to the desk.
        UPDATE_PARKED = "update-parked",
        /// Adapters' own: a citizen sent many messages at once; only some are answered.
        SLOW_DOWN = "slow-down",
        /// The printed poster (`dvc-onboard poster`), in Vietnamese and Hmong: a title, then
        /// what the bot does, how to open it, and that it never asks for codes.
        POSTER_TITLE = "poster-title",
        POSTER_WHAT = "poster-what",
        POSTER_HOW = "poster-how",
        POSTER_NEVER = "poster-never",
    }
}

/// Applies one input. Total: any input in any state gives a sensible answer.
pub fn step<'g>(guide: &'g Guide, state: &State, input: Input<'_>) -> Outcome<'g> {
    step_with(guide, state, input, Reach::default())
}

/// Who the citizen can reach besides the bot, where the channel says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reach {
    /// Staff answer in this channel: "ask staff" (button or typed) opens a hand-off.
    pub staff: bool,
}

/// [`step`], in a channel where the citizen can reach what `reach` says.
pub fn step_with<'g>(
    guide: &'g Guide,
    state: &State,
    input: Input<'_>,
    reach: Reach,
) -> Outcome<'g> {
    let mut run = Run {
        guide,
        state: state.clone(),
        replies: Vec::new(),
        events: Vec::new(),
        reach,
        caption_removed: false,
    };
    run.repair();
    run.apply(input);
    run.keep_follow_ups(state.follow_up.as_ref());
    Outcome {
        state: run.state,
        replies: run.replies,
        events: run.events,
    }
}

struct Run<'g> {
    guide: &'g Guide,
    state: State,
    replies: Vec<Reply<'g>>,
    events: Vec<Event<'g>>,
    reach: Reach,
    /// The input's caption held a personal number: a copy to staff goes without it.
    caption_removed: bool,
}

impl<'g> Run<'g> {
    /// Brings a stored state in line with the current guide: steps removed from the guide since
    /// the state was stored lead to the start of their section, or of the guide.
    fn repair(&mut self) {
        let guide = self.guide;
        if let Some(id) = &self.state.step
            && guide.step(id).is_none()
        {
            let fallback = self
                .state
                .section
                .as_deref()
                .and_then(|s| guide.section_start(s))
                .unwrap_or_else(|| guide.start_step());
            self.state.step = Some(fallback.id.clone());
            self.state.section = Some(fallback.section.clone());
        }
        self.state.history.retain(|id| guide.step(id).is_some());
        // Outside a session only the end screen can be showing; anything else (a state stored
        // by an older version) starts a new session at the next input.
        let on_end = self.current().is_some_and(|s| s.kind == StepKind::End);
        if self.state.phase == Phase::Idle && !on_end {
            // What a start link gave waits for that new session.
            self.state = State {
                preset_commune: self.state.preset_commune.take(),
                preset_source: self.state.preset_source.take(),
                ..State::with_preferences(self.state.lang, self.state.text_only)
            };
        }
        // On the end screen there is no way back into a closed session.
        if self.state.phase == Phase::Idle {
            self.state.history.clear();
        }
        // A hand-off belongs to a citizen inside a session; a stored state that says otherwise
        // was not written by this engine.
        if self.state.handoff
            && (self.state.lang.is_none()
                || self.current().is_none()
                || self.state.phase == Phase::Idle)
        {
            self.state.handoff = false;
        }
    }

    fn current(&self) -> Option<&'g Step> {
        let guide = self.guide;
        self.state.step.as_deref().and_then(|id| guide.step(id))
    }

    fn apply(&mut self, input: Input<'_>) {
        // A caption is typed text: a number in it is warned about (and kept from staff), then
        // the media is handled as any other.
        let input = match input {
            Input::Captioned { media, caption } => {
                if let Some(kind) = caption.sensitive() {
                    self.events.push(Event::TextTyped {
                        sensitive: Some(kind),
                    });
                    self.note(warning(kind));
                    self.caption_removed = true;
                }
                Input::Media(media)
            }
            other => other,
        };
        if input == Input::Left {
            return self.left();
        }
        if input == Input::FollowUp {
            return self.follow_up_due();
        }
        let input = match input {
            Input::StartWith(payload) => {
                self.preset(payload);
                Input::Start
            }
            other => other,
        };
        if self.state.handoff {
            return self.during_handoff(input);
        }
        if self.state.lang.is_none() {
            return self.before_language(input);
        }
        match input {
            Input::Start | Input::StartWith(_) => match self.current() {
                Some(step) if self.state.phase != Phase::Idle => {
                    self.note(messages::WELCOME_BACK);
                    self.show(step);
                }
                _ => self.begin_session(),
            },
            Input::Choice { step, choice } if step == LANGUAGE_STEP => self.choose_language(choice),
            Input::Choice { step, choice } => self.choose(step, choice),
            Input::Text(text) => self.text(text),
            Input::Back => self.back(),
            Input::AskStaff => self.ask_staff(),
            Input::ChangeLanguage => self.ask_language(),
            Input::Restart => self.begin_session(),
            Input::Help => {
                self.note(messages::HELP);
                self.show_or_start();
            }
            Input::UnknownButton => {
                self.note(messages::STALE_BUTTON);
                self.show_or_start();
            }
            // Read as media in `apply`.
            Input::Media(media) | Input::Captioned { media, .. } => self.media(media),
            Input::Edited(text) => {
                match text.sensitive() {
                    Some(kind) => {
                        self.events.push(Event::TextTyped {
                            sensitive: Some(kind),
                        });
                        self.note(warning(kind));
                    }
                    None => self.note(messages::EDITED),
                }
                self.show_or_start();
            }
            Input::Left => self.left(),
            Input::HandOff => self.hand_off(),
            Input::Resume => self.show_or_start(),
            Input::Settings => self.settings(),
            Input::SetMedia { text_only } => {
                self.set_media(text_only);
                self.show_or_start();
            }
            // No hand-off is open (closed already): nothing to close.
            Input::StaffClosed { .. } | Input::HandoffExpired => {}
            // Handled first, in `apply`.
            Input::FollowUp => {}
        }
    }

    fn hand_off(&mut self) {
        let step = self.current().map(|s| s.id.as_str());
        self.events.push(Event::HelpAsked { step });
        if self.state.phase == Phase::Idle {
            // Staff count cases of sessions; outside one, a new session carries the case.
            self.begin_session_quietly();
        }
        self.state.handoff = true;
        self.events.push(Event::HandoffOpened);
        self.replies.push(resume_screen(messages::HANDOFF_OPENED));
    }

    /// While staff have the citizen, the guide is quiet: messages go to staff, except personal
    /// numbers, which go nowhere.
    fn during_handoff(&mut self, input: Input<'_>) {
        match input {
            Input::Text(text) => match text.sensitive() {
                Some(kind) => {
                    self.events.push(Event::TextTyped {
                        sensitive: Some(kind),
                    });
                    self.note(warning(kind));
                    self.note(messages::HANDOFF_NUMBER);
                }
                None => {
                    self.events.push(Event::TextTyped { sensitive: None });
                    self.events.push(Event::Relayed {
                        media: None,
                        caption_removed: false,
                    });
                }
            },
            Input::Media(Media::Contact) => {
                self.events.push(Event::MediaSent {
                    media: Media::Contact,
                });
                self.note(messages::WARN_PHONE_NUMBER);
                self.note(messages::HANDOFF_NUMBER);
            }
            Input::Media(media) => {
                self.events.push(Event::MediaSent { media });
                self.events.push(Event::Relayed {
                    media: Some(media),
                    caption_removed: self.caption_removed,
                });
                if media == Media::Photo {
                    self.note(messages::HANDOFF_PHOTO);
                }
            }
            // An edit cannot be passed on: ask for a new message (or warn about a number).
            Input::Edited(text) => match text.sensitive() {
                Some(kind) => {
                    self.events.push(Event::TextTyped {
                        sensitive: Some(kind),
                    });
                    self.note(warning(kind));
                }
                None => self.note(messages::EDITED),
            },
            Input::HandoffExpired => self.close_handoff(HandoffEnd::Expired),
            Input::Resume => {
                self.close_handoff(HandoffEnd::Citizen);
                self.show_or_start();
            }
            Input::Restart => {
                self.close_handoff(HandoffEnd::Citizen);
                self.begin_session();
            }
            Input::StaffClosed { reached } => {
                self.close_handoff(HandoffEnd::StaffClosed);
                self.note(messages::HANDOFF_CLOSED);
                if let Some(m) = reached
                    && self.state.milestone.is_none_or(|old| m > old)
                {
                    self.state.milestone = Some(m);
                    self.events.push(Event::MilestoneReached { milestone: m });
                }
                // The finish asks what the account is for and a rating, as after the guide.
                match self.guide.steps.iter().find(|s| s.kind == StepKind::Finish) {
                    Some(finish) => {
                        if let Some(current) = self.current() {
                            self.push_history(&current.id);
                        }
                        self.enter(finish);
                    }
                    None => self.show_or_start(),
                }
            }
            Input::Choice { step, choice } if step == LANGUAGE_STEP => {
                if let Some(lang) = Lang::from_code(choice) {
                    self.state.lang = Some(lang);
                    self.events.push(Event::LanguageChosen { lang });
                }
                self.replies.push(resume_screen(messages::HANDOFF_ACTIVE));
            }
            Input::ChangeLanguage => self.ask_language(),
            Input::Settings => self.settings(),
            Input::SetMedia { text_only } => {
                self.set_media(text_only);
                self.replies.push(resume_screen(messages::HANDOFF_ACTIVE));
            }
            Input::Left => self.left(),
            // Buttons of old screens, /start, /help, "ask staff" again: staff have the citizen.
            _ => self.replies.push(resume_screen(messages::HANDOFF_ACTIVE)),
        }
    }

    fn close_handoff(&mut self, reason: HandoffEnd) {
        if self.state.handoff {
            self.state.handoff = false;
            self.events.push(Event::HandoffClosed { reason });
        }
    }

    fn media(&mut self, media: Media) {
        self.events.push(Event::MediaSent { media });
        self.note(match media {
            Media::Photo => messages::MEDIA_PHOTO,
            Media::Contact => messages::WARN_PHONE_NUMBER,
            _ => messages::MEDIA_OTHER,
        });
        self.show_or_start();
    }

    /// The citizen blocked the bot: an open session ends as abandoned; nothing is shown.
    fn left(&mut self) {
        self.end_follow_up(FollowUpEnd::Left);
        self.close_handoff(HandoffEnd::Left);
        if self.state.phase == Phase::Open {
            self.events.push(Event::Abandoned);
        }
        // Whatever they press when they come back starts a new session.
        self.state = State::with_preferences(self.state.lang, self.state.text_only);
    }

    /// Takes what a start link gives: its language (if the citizen has none yet), and its
    /// commune and source for what comes.
    fn preset(&mut self, payload: &str) {
        let Some(link) = StartLink::parse(payload, self.guide) else {
            return;
        };
        if let (None, Some(lang)) = (self.state.lang, link.lang) {
            self.state.lang = Some(lang);
            self.events.push(Event::LanguageChosen { lang });
        }
        self.state.preset_commune = Some(link.commune);
        self.state.preset_source = Some(link.source);
    }

    /// Until a language is chosen, every input leads to the language question.
    fn before_language(&mut self, input: Input<'_>) {
        match input {
            Input::Choice { step, choice } if step == LANGUAGE_STEP => self.choose_language(choice),
            Input::SetMedia { text_only } => {
                self.set_media(text_only);
                self.ask_language();
            }
            Input::Media(media @ (Media::Photo | Media::Contact)) => {
                self.note(if media == Media::Photo {
                    messages::MEDIA_PHOTO
                } else {
                    messages::WARN_PHONE_NUMBER
                });
                self.ask_language();
            }
            Input::Text(text) | Input::Edited(text) => {
                let sensitive = text.sensitive();
                self.events.push(Event::TextTyped { sensitive });
                if let Some(kind) = sensitive {
                    self.note(warning(kind));
                }
                self.ask_language();
            }
            _ => self.ask_language(),
        }
    }

    /// The language question, with the choice of text only (or back to voice and pictures)
    /// under the languages: data costs money on a prepaid SIM, and this is the first screen.
    fn ask_language(&mut self) {
        let mut buttons: Vec<Button<'g>> = Lang::ALL
            .iter()
            .map(|&lang| Button {
                action: Action::Choice {
                    step: LANGUAGE_STEP,
                    choice: lang.code(),
                },
                label: Label::Plain(lang.own_name()),
            })
            .collect();
        let text_only = !self.state.text_only;
        buttons.push(Button {
            action: Action::Media { text_only },
            label: Label::Message(if text_only {
                messages::BTN_LANG_TEXT_ONLY
            } else {
                messages::BTN_LANG_WITH_MEDIA
            }),
        });
        self.replies.push(Reply {
            message: messages::LANGUAGE_PROMPT,
            progress: None,
            buttons,
            step: None,
        });
    }

    /// `/settings`: what the citizen receives now, the button for the other, and the way back.
    fn settings(&mut self) {
        let (message, other, label) = if self.state.text_only {
            (
                messages::SETTINGS_TEXT_ONLY,
                false,
                messages::BTN_WITH_MEDIA,
            )
        } else {
            (messages::SETTINGS_WITH_MEDIA, true, messages::BTN_TEXT_ONLY)
        };
        let mut reply = resume_screen(message);
        reply.buttons.insert(
            0,
            Button {
                action: Action::Media { text_only: other },
                label: Label::Message(label),
            },
        );
        self.replies.push(reply);
    }

    /// Text only, or voice and pictures: kept with the language; said once it changes.
    fn set_media(&mut self, text_only: bool) {
        if self.state.text_only != text_only {
            self.state.text_only = text_only;
            self.events.push(Event::MediaChosen { text_only });
        }
        if self.state.lang.is_some() {
            self.note(if text_only {
                messages::CHOSE_TEXT_ONLY
            } else {
                messages::CHOSE_WITH_MEDIA
            });
        }
    }

    fn choose_language(&mut self, code: &str) {
        let Some(lang) = Lang::from_code(code) else {
            return self.ask_language();
        };
        self.state.lang = Some(lang);
        self.events.push(Event::LanguageChosen { lang });
        match self.current() {
            Some(step) if self.state.phase != Phase::Idle => self.show(step),
            _ => self.begin_session(),
        }
    }

    /// Starts a session without showing its first step (a hand-off opened outside a session).
    fn begin_session_quietly(&mut self) {
        self.state.phase = Phase::Open;
        self.state.milestone = None;
        self.state.history.clear();
        self.session_started();
        let start = self.guide.start_step();
        self.state.step = Some(start.id.clone());
        self.state.section = Some(start.section.clone());
        self.events.push(Event::StepEntered { step: &start.id });
    }

    fn begin_session(&mut self) {
        let start = self.guide.start_step();
        if self.state.phase == Phase::Open
            && !self.state.handoff
            && self.state.history.is_empty()
            && self.state.step.as_deref() == Some(start.id.as_str())
        {
            // Nothing done since this session began: it goes on. `/restart` or `/start`
            // pressed again and again is one session for the officials, not one abandoned
            // session a press.
            return self.show(start);
        }
        if self.state.phase == Phase::Open {
            self.events.push(Event::Abandoned);
        }
        self.state.phase = Phase::Open;
        self.state.milestone = None;
        self.state.history.clear();
        self.session_started();
        self.enter(start);
    }

    fn session_started(&mut self) {
        // A wait belongs to its session: a new one, begun by the citizen, ends its reminders.
        self.end_follow_up(FollowUpEnd::Ended);
        self.events.push(Event::SessionStarted {
            guide: &self.guide.id,
        });
        if let Some(source) = self.state.preset_source.take() {
            self.events.push(Event::SourceGiven { source });
        }
    }

    fn choose(&mut self, step_id: &str, choice_id: &str) {
        let Some(current) = self.current() else {
            return self.begin_session();
        };
        if current.id != step_id {
            // Old buttons stay on screen for ever: answer with where the citizen is now.
            self.note(messages::STALE_BUTTON);
            return self.show(current);
        }
        if current.kind == StepKind::Commune {
            return match self.guide.commune(choice_id) {
                Some(commune) => {
                    self.events.push(Event::CommuneChosen {
                        commune: &commune.code,
                    });
                    self.go(current, current.next.as_deref().unwrap_or(NEXT_RESUME));
                }
                None => self.show(current),
            };
        }
        let Some(choice) = current.choices.iter().find(|c| c.id == choice_id) else {
            return self.show(current);
        };
        // On the end screen the session is over: its "start again" records nothing.
        if self.state.phase != Phase::Idle {
            self.record_choice(current, choice);
        }
        if choice.stop_follow_ups {
            self.stop_follow_ups();
        }
        self.go(current, &choice.next);
    }

    fn record_choice(&mut self, step: &'g Step, choice: &'g Choice) {
        self.events.push(Event::ChoiceMade {
            step: &step.id,
            choice: &choice.id,
        });
        if let Some(m) = choice.milestone
            && self.state.milestone.is_none_or(|old| m > old)
        {
            self.state.milestone = Some(m);
            self.events.push(Event::MilestoneReached { milestone: m });
            if self.state.phase == Phase::Finished {
                // Back in the guide after the finish and further: the outcome improves.
                self.events.push(Event::Finished {
                    outcome: SessionOutcome::from_milestone(Some(m)),
                });
            }
        }
        if let Some(purpose) = choice.purpose {
            self.events.push(Event::PurposeGiven { purpose });
        }
        if let Some(rating) = choice.rating {
            self.events.push(Event::Rated { rating });
        }
    }

    /// Follows a `next` from `from`.
    fn go(&mut self, from: &'g Step, next: &str) {
        match next {
            NEXT_RESTART => self.begin_session(),
            NEXT_RESUME => {
                let guide = self.guide;
                let back_to =
                    self.state.history.iter().rposition(|id| {
                        guide.step(id).is_some_and(|s| s.kind != StepKind::Trouble)
                    });
                match back_to {
                    Some(i) => {
                        let target = guide.step(&self.state.history[i]);
                        self.state.history.truncate(i);
                        if let Some(target) = target {
                            self.enter(target);
                        }
                    }
                    None => self.enter(guide.start_step()),
                }
            }
            id => match self.guide.step(id) {
                Some(target) => {
                    self.push_history(&from.id);
                    self.enter(target);
                }
                // A validated guide has no such choice; stay put rather than lose the citizen.
                None => self.show(from),
            },
        }
    }

    fn push_history(&mut self, id: &str) {
        if self.state.history.len() >= HISTORY_LIMIT {
            self.state.history.remove(0);
        }
        self.state.history.push(id.to_string());
    }

    fn enter(&mut self, step: &'g Step) {
        if step.kind == StepKind::Commune
            && let Some(preset) = self.state.preset_commune.take()
            && let Some(commune) = self.guide.commune(&preset)
        {
            // A start link gave the commune: the question is skipped.
            self.events.push(Event::CommuneChosen {
                commune: &commune.code,
            });
            return self.go(step, step.next.as_deref().unwrap_or(NEXT_RESUME));
        }
        self.state.step = Some(step.id.clone());
        self.state.section = Some(step.section.clone());
        self.events.push(Event::StepEntered { step: &step.id });
        match step.kind {
            StepKind::Finish if self.state.phase == Phase::Open => {
                self.state.phase = Phase::Finished;
                self.events.push(Event::Finished {
                    outcome: SessionOutcome::from_milestone(self.state.milestone),
                });
            }
            StepKind::End => {
                if self.state.phase == Phase::Open {
                    // An end reached without a finish step still closes the session with an
                    // outcome, so it is never left open in the reports.
                    self.events.push(Event::Finished {
                        outcome: SessionOutcome::from_milestone(self.state.milestone),
                    });
                }
                self.state.phase = Phase::Idle;
                self.state.history.clear();
            }
            _ => {}
        }
        self.show(step);
    }

    fn back(&mut self) {
        let Some(current) = self.current() else {
            return self.begin_session();
        };
        let guide = self.guide;
        match self.state.history.pop().and_then(|id| guide.step(&id)) {
            Some(previous) => {
                self.events.push(Event::WentBack { from: &current.id });
                self.enter(previous);
            }
            None => self.show(current),
        }
    }

    fn text(&mut self, typed: Typed<'_>) {
        let sensitive = typed.sensitive();
        self.events.push(Event::TextTyped { sensitive });
        if let Some(kind) = sensitive {
            self.note(warning(kind));
            return self.show_or_start();
        }
        let typed = typed.text.trim().to_lowercase();
        let keywords = &self.guide.keywords;
        if matches_any(&typed, &keywords.ask_staff) {
            return self.ask_staff();
        }
        if matches_any(&typed, &keywords.back) {
            return self.back();
        }
        if let Some(step) = self.current()
            && step.kind == StepKind::Commune
            && let Some(commune) = self
                .guide
                .communes
                .iter()
                .find(|c| c.name.to_lowercase() == typed)
        {
            return self.choose(&step.id, &commune.code);
        }
        self.note(messages::USE_BUTTONS);
        self.show_or_start();
    }

    fn ask_staff(&mut self) {
        if self.reach.staff {
            return self.hand_off();
        }
        let step = self.current().map(|s| s.id.as_str());
        self.events.push(Event::HelpAsked { step });
        self.note(messages::STAFF_ASKED);
        self.show_or_start();
    }

    fn show_or_start(&mut self) {
        match self.current() {
            Some(step) => self.show(step),
            None => self.begin_session(),
        }
    }

    fn note(&mut self, message: &'static str) {
        self.replies.push(Reply {
            message,
            progress: None,
            buttons: Vec::new(),
            step: None,
        });
    }

    fn show(&mut self, step: &'g Step) {
        let reply = screen(self.guide, step, !self.state.history.is_empty());
        self.replies.push(reply);
    }

    /// A reminder came due: the citizen still waiting (and not with staff) sees the wait's
    /// reminder step, from wherever they stopped, even after the session's end (it is reopened,
    /// its outcome kept: going on can only raise it). The next reminder is scheduled, if the
    /// guide gives one more.
    fn follow_up_due(&mut self) {
        let guide = self.guide;
        let due = self
            .state
            .follow_up
            .as_ref()
            .filter(|w| !w.stopped && !self.state.handoff && self.state.lang.is_some())
            .and_then(|w| {
                let wait = guide.step(&w.step)?;
                let plan = wait.follow_up.as_ref()?;
                let reminder = guide.step(&plan.step)?;
                let next = usize::from(w.sent) + 1;
                (next <= plan.after_hours.len()).then_some((wait, reminder, plan, next))
            });
        let Some((wait, reminder, plan, sent)) = due else {
            return self.events.push(Event::FollowUpDropped);
        };
        if let Some(w) = &mut self.state.follow_up {
            w.sent = u8::try_from(sent).unwrap_or(u8::MAX);
        }
        if self.state.phase == Phase::Idle {
            self.state.phase = Phase::Finished;
        } else if let Some(current) = self.current()
            && current.id != reminder.id
        {
            self.push_history(&current.id);
        }
        self.events.push(Event::FollowUpSent { step: &wait.id });
        self.enter(reminder);
        if let Some(&after_hours) = plan.after_hours.get(sent) {
            self.events.push(Event::FollowUpScheduled {
                step: &wait.id,
                after_hours,
            });
        }
    }

    /// "No more reminders": the wait is kept (going on later still counts), its reminders end.
    fn stop_follow_ups(&mut self) {
        if let Some(w) = &mut self.state.follow_up
            && !w.stopped
        {
            w.stopped = true;
            let reminded = w.sent > 0;
            self.events.push(Event::FollowUpEnded {
                reason: FollowUpEnd::Stopped,
                reminded,
            });
        }
    }

    fn end_follow_up(&mut self, reason: FollowUpEnd) {
        if let Some(w) = self.state.follow_up.take() {
            self.events.push(Event::FollowUpEnded {
                reason,
                reminded: w.sent > 0,
            });
        }
    }

    /// Keeps the citizen's wait in step with where the turn left them: a step of the wait's
    /// `until` entered ends it (they went on), a waiting step the turn ends on begins one (or
    /// goes on with it) and schedules its next reminder, and a wait the state lost (a stored
    /// state reset) ends.
    fn keep_follow_ups(&mut self, before: Option<&Waiting>) {
        let guide = self.guide;
        // Most turns neither wait nor end a wait: no allocation, one scan of the turn's events.
        let entered = |events: &[Event<'g>], id: &str| {
            events
                .iter()
                .any(|e| matches!(e, Event::StepEntered { step } if *step == id))
        };
        let went_on = self
            .state
            .follow_up
            .as_ref()
            .and_then(|w| guide.step(&w.step)?.follow_up.as_ref())
            .is_some_and(|plan| plan.until.iter().any(|u| entered(&self.events, u)));
        if went_on {
            self.end_follow_up(FollowUpEnd::WentOn);
        }
        if let Some(lost) = before
            && self.state.follow_up.is_none()
            && !self
                .events
                .iter()
                .any(|e| matches!(e, Event::FollowUpEnded { .. }))
        {
            self.events.push(Event::FollowUpEnded {
                reason: FollowUpEnd::Ended,
                reminded: lost.sent > 0,
            });
        }
        let last_entered = self.events.iter().rev().find_map(|e| match e {
            Event::StepEntered { step } => Some(*step),
            _ => None,
        });
        let Some(wait) = self
            .current()
            .filter(|s| last_entered == Some(s.id.as_str()))
        else {
            return;
        };
        let Some(plan) = &wait.follow_up else { return };
        if self.state.handoff || self.state.phase == Phase::Idle {
            return;
        }
        if self
            .state
            .follow_up
            .as_ref()
            .is_some_and(|w| w.step != wait.id)
        {
            self.end_follow_up(FollowUpEnd::Ended);
        }
        let waiting = self.state.follow_up.get_or_insert_with(|| Waiting {
            step: wait.id.clone(),
            sent: 0,
            stopped: false,
        });
        if waiting.stopped {
            return;
        }
        if let Some(&after_hours) = plan.after_hours.get(usize::from(waiting.sent)) {
            self.events.push(Event::FollowUpScheduled {
                step: &wait.id,
                after_hours,
            });
        }
    }
}

/// The screen of a step: its message, its choices (or the communes), then "back" when there is
/// somewhere to go back to, and "ask staff" on every step but the end.
pub fn screen<'g>(guide: &'g Guide, step: &'g Step, can_go_back: bool) -> Reply<'g> {
    let mut buttons: Vec<Button<'g>> = if step.kind == StepKind::Commune {
        guide
            .communes
            .iter()
            .map(|c| Button {
                action: Action::Choice {
                    step: &step.id,
                    choice: &c.code,
                },
                label: Label::Plain(&c.name),
            })
            .collect()
    } else {
        step.choices
            .iter()
            .map(|c| Button {
                action: Action::Choice {
                    step: &step.id,
                    choice: &c.id,
                },
                label: Label::Message(&c.label),
            })
            .collect()
    };
    if step.kind != StepKind::End {
        if can_go_back {
            buttons.push(Button {
                action: Action::Back,
                label: Label::Message(messages::BTN_BACK),
            });
        }
        buttons.push(Button {
            action: Action::AskStaff,
            label: Label::Message(messages::BTN_ASK_STAFF),
        });
    }
    Reply {
        message: &step.message,
        progress: step.progress,
        buttons,
        step: Some(&step.id),
    }
}

/// A notice with the one button that leads back to the guide.
fn resume_screen<'g>(message: &'static str) -> Reply<'g> {
    Reply {
        message,
        progress: None,
        buttons: vec![Button {
            action: Action::Resume,
            label: Label::Message(messages::BTN_RESUME),
        }],
        step: None,
    }
}

fn warning(kind: Sensitive) -> &'static str {
    match kind {
        Sensitive::IdNumber => messages::WARN_ID_NUMBER,
        Sensitive::PhoneNumber => messages::WARN_PHONE_NUMBER,
        Sensitive::Code => messages::WARN_CODE,
    }
}

/// A keyword matches the whole text, or a whole word run inside it.
fn matches_any(typed: &str, keywords: &[String]) -> bool {
    keywords.iter().any(|k| {
        let k = k.to_lowercase();
        typed == k
            || typed
                .match_indices(&k)
                .any(|(i, _)| word_edge(typed, i) && word_edge(typed, i + k.len()))
    })
}

fn word_edge(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at..].chars().next();
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    at == 0 || at == text.len() || !is_word(before) || !is_word(after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guide::model::Guide;

    const GUIDE: &str = r#"
id = "mini"
start = "intro"
[keywords]
ask_staff = ["help", "pab"]
back = ["go back"]

[[step]]
id = "intro"
section = "start"
message = "m-intro"
choices = [{ id = "ok", label = "b-ok", next = "commune" }]

[[step]]
id = "commune"
section = "start"
kind = "commune"
message = "m-commune"
next = "task1"

[[step]]
id = "task1"
section = "work"
message = "m-task1"
progress = true
choices = [
  { id = "done", label = "b-done", next = "task2", milestone = "vneid_level1" },
  { id = "fail", label = "b-fail", next = "trouble" },
]

[[step]]
id = "trouble"
section = "trouble"
kind = "trouble"
message = "m-trouble"
choices = [
  { id = "fixed", label = "b-fixed", next = "@resume" },
  { id = "more", label = "b-more", next = "trouble2" },
]

[[step]]
id = "trouble2"
section = "trouble"
kind = "trouble"
message = "m-trouble2"
choices = [{ id = "fixed", label = "b-fixed", next = "@resume" }]

[[step]]
id = "task2"
section = "work"
message = "m-task2"
progress = true
choices = [
  { id = "done", label = "b-done", next = "finish", milestone = "portal_login" },
  { id = "again", label = "b-again", next = "task1" },
]

[[step]]
id = "finish"
section = "finish"
kind = "finish"
message = "m-finish"
choices = [{ id = "land", label = "b-land", next = "rate", purpose = "land" }]

[[step]]
id = "rate"
section = "finish"
message = "m-rate"
choices = [{ id = "good", label = "b-good", next = "end", rating = 5 }]

[[step]]
id = "end"
section = "finish"
kind = "end"
message = "m-end"
choices = [{ id = "again", label = "b-again", next = "@restart" }]
"#;

    const COMMUNES: &str = r#"
[[commune]]
code = "son-vi"
name = "Sơn Vĩ"
province = "Tuyên Quang"
[[commune]]
code = "meo-vac"
name = "Mèo Vạc"
province = "Tuyên Quang"
"#;

    fn guide() -> Guide {
        Guide::parse(GUIDE, COMMUNES).expect("the test guide is valid")
    }

    fn choice<'a>(step: &'a str, choice: &'a str) -> Input<'a> {
        Input::Choice { step, choice }
    }

    /// Applies inputs in turn; returns the last outcome's state and all events.
    fn walk<'g>(guide: &'g Guide, inputs: &[Input<'_>]) -> (State, Vec<Event<'g>>) {
        let mut state = State::default();
        let mut events = Vec::new();
        for &input in inputs {
            let out = step(guide, &state, input);
            events.extend(out.events);
            state = out.state;
        }
        (state, events)
    }

    fn at(state: &State) -> &str {
        state.step.as_deref().unwrap_or("-")
    }

    const HMONG: Input<'static> = Input::Choice {
        step: LANGUAGE_STEP,
        choice: "hmn",
    };

    #[test]
    fn start_without_language_asks_it_and_records_nothing() {
        let g = guide();
        let out = step(&g, &State::default(), Input::Start);
        assert_eq!(out.replies.len(), 1);
        assert_eq!(out.replies[0].message, messages::LANGUAGE_PROMPT);
        assert_eq!(
            out.replies[0].buttons.len(),
            4,
            "three languages and text only"
        );
        assert!(out.events.is_empty());
        assert_eq!(out.state, State::default());
    }

    #[test]
    fn text_only_is_chosen_on_the_language_question_or_in_settings_and_kept() {
        let g = guide();
        let asked = step(&g, &State::default(), Input::Start);
        let toggle = asked.replies[0].buttons[3].action;
        assert_eq!(toggle, Action::Media { text_only: true });
        let chosen = step(&g, &asked.state, toggle.input());
        assert!(chosen.state.text_only);
        assert_eq!(chosen.events, [Event::MediaChosen { text_only: true }]);
        assert_eq!(chosen.replies[0].message, messages::LANGUAGE_PROMPT);
        assert_eq!(
            chosen.replies[0].buttons[3].action,
            Action::Media { text_only: false },
            "the question now offers voice and pictures back"
        );
        let walking = step(&g, &chosen.state, HMONG);
        assert!(walking.state.text_only);
        assert!(walking.replies.last().is_some_and(|r| r.step.is_some()));
        // /settings shows the other choice first, and the way back to the guide.
        let settings = step(&g, &walking.state, Input::Settings);
        assert_eq!(settings.replies[0].message, messages::SETTINGS_TEXT_ONLY);
        let on = settings.replies[0].buttons[0].action;
        assert_eq!(on, Action::Media { text_only: false });
        let back_on = step(&g, &settings.state, on.input());
        assert!(!back_on.state.text_only);
        assert_eq!(back_on.replies[0].message, messages::CHOSE_WITH_MEDIA);
        assert_eq!(
            back_on.replies[1].step,
            walking.state.step.as_deref(),
            "then the step the citizen is on"
        );
        // Choosing what is already chosen records nothing.
        let again = step(&g, &back_on.state, on.input());
        assert!(again.events.is_empty());
    }

    #[test]
    fn choosing_a_language_starts_a_session_at_the_guide_start() {
        let g = guide();
        let out = step(&g, &State::default(), HMONG);
        assert_eq!(out.state.lang, Some(Lang::Hmn));
        assert_eq!(at(&out.state), "intro");
        assert_eq!(out.state.phase, Phase::Open);
        assert_eq!(
            out.events,
            vec![
                Event::LanguageChosen { lang: Lang::Hmn },
                Event::SessionStarted { guide: "mini" },
                Event::StepEntered { step: "intro" },
            ]
        );
        assert_eq!(out.replies.last().map(|r| r.message), Some("m-intro"));
    }

    #[test]
    fn a_start_link_gives_the_language_the_commune_and_the_source() {
        let g = guide();
        let out = step(
            &g,
            &State::default(),
            Input::StartWith("poster_meo-vac_hmn"),
        );
        assert_eq!(out.state.lang, Some(Lang::Hmn));
        assert_eq!(at(&out.state), "intro", "the intro is still shown");
        assert_eq!(
            out.events,
            vec![
                Event::LanguageChosen { lang: Lang::Hmn },
                Event::SessionStarted { guide: "mini" },
                Event::SourceGiven {
                    source: Source::Poster
                },
                Event::StepEntered { step: "intro" },
            ]
        );
        // The commune question is skipped: its answer is the link's.
        let next = step(&g, &out.state, choice("intro", "ok"));
        assert_eq!(at(&next.state), "task1");
        assert!(
            next.events
                .contains(&Event::CommuneChosen { commune: "meo-vac" })
        );
        assert_eq!(next.state.preset_commune, None);
        // Back from there: the commune question, asked as usual.
        let back = step(&g, &next.state, Input::Back);
        assert_eq!(at(&back.state), "commune");
    }

    #[test]
    fn a_start_link_without_a_language_waits_for_it() {
        let g = guide();
        let out = step(&g, &State::default(), Input::StartWith("desk_son-vi"));
        assert_eq!(out.replies[0].message, messages::LANGUAGE_PROMPT);
        assert!(out.events.is_empty());
        let chosen = step(&g, &out.state, HMONG);
        assert!(chosen.events.contains(&Event::SourceGiven {
            source: Source::Desk
        }));
        let next = step(&g, &chosen.state, choice("intro", "ok"));
        assert!(
            next.events
                .contains(&Event::CommuneChosen { commune: "son-vi" })
        );
    }

    #[test]
    fn a_tampered_start_link_is_a_plain_start() {
        let g = guide();
        for payload in [
            "poster_nowhere_hmn",
            "poster_son-vi_fr",
            "x".repeat(200).as_str(),
        ] {
            let plain = step(&g, &State::default(), Input::Start);
            let tampered = step(&g, &State::default(), Input::StartWith(payload));
            assert_eq!(tampered, plain, "{payload}");
        }
    }

    #[test]
    fn an_unknown_language_asks_again() {
        let g = guide();
        let out = step(&g, &State::default(), choice(LANGUAGE_STEP, "fr"));
        assert_eq!(out.state.lang, None);
        assert_eq!(out.replies[0].message, messages::LANGUAGE_PROMPT);
    }

    #[test]
    fn a_choice_moves_on_and_back_returns() {
        let g = guide();
        let (state, _) = walk(&g, &[HMONG, choice("intro", "ok")]);
        assert_eq!(at(&state), "commune");
        assert_eq!(state.history, vec!["intro".to_string()]);
        let out = step(&g, &state, Input::Back);
        assert_eq!(at(&out.state), "intro");
        assert_eq!(
            out.events,
            vec![
                Event::WentBack { from: "commune" },
                Event::StepEntered { step: "intro" }
            ]
        );
        // At the first step there is nowhere to go back to: the step is shown again.
        let again = step(&g, &out.state, Input::Back);
        assert_eq!(at(&again.state), "intro");
        assert!(again.events.is_empty());
    }

    #[test]
    fn the_commune_is_chosen_by_button_or_by_typing_its_name() {
        let g = guide();
        let (state, _) = walk(&g, &[HMONG, choice("intro", "ok")]);
        let out = step(&g, &state, choice("commune", "son-vi"));
        assert_eq!(at(&out.state), "task1");
        assert!(
            out.events
                .contains(&Event::CommuneChosen { commune: "son-vi" })
        );
        let typed = step(&g, &state, Input::Text(Typed::plain(" mèo vạc ")));
        assert!(
            typed
                .events
                .contains(&Event::CommuneChosen { commune: "meo-vac" })
        );
        let unknown = step(&g, &state, choice("commune", "nowhere"));
        assert_eq!(at(&unknown.state), "commune");
        assert!(unknown.events.is_empty());
    }

    #[test]
    fn a_stale_button_answers_with_the_current_step() {
        let g = guide();
        let (state, _) = walk(
            &g,
            &[HMONG, choice("intro", "ok"), choice("commune", "son-vi")],
        );
        let out = step(&g, &state, choice("intro", "ok"));
        assert_eq!(out.state, state);
        assert!(out.events.is_empty());
        assert_eq!(out.replies[0].message, messages::STALE_BUTTON);
        assert_eq!(out.replies[1].message, "m-task1");
    }

    #[test]
    fn tampered_button_data_shows_the_step_again() {
        let g = guide();
        let (state, _) = walk(&g, &[HMONG]);
        let out = step(&g, &state, choice("intro", "<script>"));
        assert_eq!(out.state, state);
        assert!(out.events.is_empty());
        assert_eq!(out.replies.last().map(|r| r.message), Some("m-intro"));
        assert_eq!(Input::from_button_data("zz:1"), None);
        assert_eq!(Input::from_button_data("c:only-step"), None);
    }

    #[test]
    fn typed_personal_numbers_are_warned_about_and_never_kept() {
        let g = guide();
        let (state, _) = walk(&g, &[HMONG]);
        for (text, warning, kind) in [
            (
                "012345678901",
                messages::WARN_ID_NUMBER,
                Sensitive::IdNumber,
            ),
            (
                "0912345678",
                messages::WARN_PHONE_NUMBER,
                Sensitive::PhoneNumber,
            ),
            ("123456", messages::WARN_CODE, Sensitive::Code),
        ] {
            let out = step(&g, &state, Input::Text(Typed::plain(text)));
            assert_eq!(out.replies[0].message, warning);
            assert_eq!(
                out.events,
                vec![Event::TextTyped {
                    sensitive: Some(kind)
                }]
            );
            assert_eq!(at(&out.state), "intro");
            let stored = serde_json::to_string(&out.state).expect("state serializes");
            assert!(!stored.contains(text));
        }
    }

    #[test]
    fn other_text_points_to_the_buttons_or_acts_as_a_keyword() {
        let g = guide();
        let (state, _) = walk(&g, &[HMONG]);
        let out = step(&g, &state, Input::Text(Typed::plain("kuv tsis paub")));
        assert_eq!(out.replies[0].message, messages::USE_BUTTONS);
        assert_eq!(out.events, vec![Event::TextTyped { sensitive: None }]);
        let help = step(&g, &state, Input::Text(Typed::plain("Thov pab kuv")));
        assert!(help.events.contains(&Event::HelpAsked {
            step: Some("intro")
        }));
        // "pab" inside another word is not the keyword.
        let word = step(&g, &state, Input::Text(Typed::plain("npab")));
        assert_eq!(word.replies[0].message, messages::USE_BUTTONS);
    }

    #[test]
    fn ask_staff_keeps_the_citizen_where_they_are() {
        let g = guide();
        let (state, _) = walk(&g, &[HMONG, choice("intro", "ok")]);
        let out = step(&g, &state, Input::AskStaff);
        assert_eq!(out.state, state);
        assert_eq!(
            out.events,
            vec![Event::HelpAsked {
                step: Some("commune")
            }]
        );
        assert_eq!(out.replies[0].message, messages::STAFF_ASKED);
        assert_eq!(out.replies[1].message, "m-commune");
    }

    #[test]
    fn changing_language_keeps_the_place_in_the_guide() {
        let g = guide();
        let (state, _) = walk(&g, &[HMONG, choice("intro", "ok")]);
        let ask = step(&g, &state, Input::ChangeLanguage);
        assert_eq!(ask.replies[0].message, messages::LANGUAGE_PROMPT);
        let out = step(&g, &ask.state, choice(LANGUAGE_STEP, "vi"));
        assert_eq!(out.state.lang, Some(Lang::Vi));
        assert_eq!(at(&out.state), "commune");
        assert_eq!(out.events, vec![Event::LanguageChosen { lang: Lang::Vi }]);
    }

    #[test]
    fn restart_abandons_the_open_session_and_keeps_the_language() {
        let g = guide();
        let (state, _) = walk(&g, &[HMONG, choice("intro", "ok")]);
        let out = step(&g, &state, Input::Restart);
        assert_eq!(
            out.events,
            vec![
                Event::Abandoned,
                Event::SessionStarted { guide: "mini" },
                Event::StepEntered { step: "intro" },
            ]
        );
        assert_eq!(out.state.lang, Some(Lang::Hmn));
        assert!(
            out.replies
                .iter()
                .all(|r| r.message != messages::LANGUAGE_PROMPT)
        );
    }

    #[test]
    fn restart_pressed_again_and_again_is_one_session() {
        let g = guide();
        let (state, _) = walk(&g, &[HMONG, choice("intro", "ok")]);
        let first = step(&g, &state, Input::Restart);
        let mut state = first.state;
        for _ in 0..50 {
            for input in [Input::Restart, Input::Start] {
                let again = step(&g, &state, input);
                assert!(
                    !again
                        .events
                        .iter()
                        .any(|e| matches!(e, Event::SessionStarted { .. } | Event::Abandoned)),
                    "{:?}",
                    again.events
                );
                assert_eq!(again.replies.last().map(|r| r.message), Some("m-intro"));
                state = again.state;
            }
        }
        assert_eq!(at(&state), "intro");
    }

    #[test]
    fn resume_returns_past_every_trouble_step() {
        let g = guide();
        let (state, _) = walk(
            &g,
            &[
                HMONG,
                choice("intro", "ok"),
                choice("commune", "son-vi"),
                choice("task1", "fail"),
                choice("trouble", "more"),
                choice("trouble2", "fixed"),
            ],
        );
        assert_eq!(at(&state), "task1");
        assert_eq!(
            state.history,
            vec!["intro".to_string(), "commune".to_string()]
        );
    }

    #[test]
    fn a_full_walk_records_the_highest_milestone_purpose_and_rating() {
        let g = guide();
        let (state, events) = walk(
            &g,
            &[
                HMONG,
                choice("intro", "ok"),
                choice("commune", "son-vi"),
                choice("task1", "done"),
                choice("task2", "again"),
                choice("task1", "done"),
                choice("task2", "done"),
                choice("finish", "land"),
                choice("rate", "good"),
            ],
        );
        let milestones: Vec<_> = events
            .iter()
            .filter(|e| matches!(e, Event::MilestoneReached { .. }))
            .collect();
        // Level 1 reached twice is reported once.
        assert_eq!(milestones.len(), 2);
        assert!(events.contains(&Event::Finished {
            outcome: SessionOutcome::PortalLogin
        }));
        assert!(events.contains(&Event::PurposeGiven {
            purpose: Purpose::Land
        }));
        assert!(events.contains(&Event::Rated { rating: 5 }));
        assert_eq!(at(&state), "end");
        assert_eq!(state.phase, Phase::Idle);
        // After the end, /start begins a new session without asking the language.
        let again = step(&g, &state, Input::Start);
        assert_eq!(again.events[0], Event::SessionStarted { guide: "mini" });
        assert!(!again.events.contains(&Event::Abandoned));
    }

    #[test]
    fn a_session_ended_early_is_not_created() {
        let g = guide();
        let finish = g.step("finish").expect("finish step");
        let mut run = Run {
            guide: &g,
            state: State::with_lang(Some(Lang::Vi)),
            replies: vec![],
            events: vec![],
            reach: Reach::default(),
            caption_removed: false,
        };
        run.state.phase = Phase::Open;
        run.enter(finish);
        assert_eq!(
            run.events.last(),
            Some(&Event::Finished {
                outcome: SessionOutcome::NotCreated
            })
        );
    }

    #[test]
    fn a_stored_step_removed_from_the_guide_leads_to_its_section_start() {
        let g = guide();
        let stored = State {
            lang: Some(Lang::En),
            step: Some("task-that-was-renamed".into()),
            section: Some("work".into()),
            history: vec!["intro".into(), "gone".into()],
            phase: Phase::Open,
            milestone: None,
            ..State::default()
        };
        let out = step(&g, &stored, Input::Start);
        assert_eq!(at(&out.state), "task1");
        assert_eq!(out.state.history, vec!["intro".to_string()]);
        let lost = State {
            section: Some("gone-too".into()),
            ..stored
        };
        assert_eq!(at(&step(&g, &lost, Input::Start).state), "intro");
    }

    #[test]
    fn progress_counts_the_section_steps() {
        let g = guide();
        assert_eq!(g.step("task1").and_then(|s| s.progress), Some((1, 2)));
        assert_eq!(g.step("task2").and_then(|s| s.progress), Some((2, 2)));
        assert_eq!(g.step("intro").and_then(|s| s.progress), None);
    }

    #[test]
    fn a_number_in_a_caption_is_warned_about_and_kept_from_staff() {
        let g = guide();
        let staff = Reach { staff: true };
        let (state, _) = walk(&g, &[HMONG, choice("intro", "ok")]);
        let captioned = Input::Captioned {
            media: Media::Photo,
            caption: Typed::plain("CCCD 0123 4567 8901"),
        };
        let out = step(&g, &state, captioned);
        assert_eq!(out.replies[0].message, messages::WARN_ID_NUMBER);
        assert_eq!(out.replies[1].message, messages::MEDIA_PHOTO);
        assert!(out.events.contains(&Event::TextTyped {
            sensitive: Some(Sensitive::IdNumber)
        }));
        let open = step_with(&g, &state, Input::Text(Typed::plain("pab")), staff).state;
        let relayed = step(&g, &open, captioned);
        assert!(relayed.events.contains(&Event::Relayed {
            media: Some(Media::Photo),
            caption_removed: true
        }));
        let plain = Input::Captioned {
            media: Media::Photo,
            caption: Typed::plain("màn hình báo lỗi"),
        };
        let relayed = step(&g, &open, plain);
        assert!(relayed.events.contains(&Event::Relayed {
            media: Some(Media::Photo),
            caption_removed: false
        }));
    }

    #[test]
    fn a_hand_off_goes_quiet_relays_and_ends_at_the_finish() {
        let g = guide();
        let staff = Reach { staff: true };
        let (state, _) = walk(&g, &[HMONG, choice("intro", "ok")]);
        // Typed help where staff can answer opens a hand-off.
        let open = step_with(&g, &state, Input::Text(Typed::plain("pab")), staff);
        assert!(open.state.handoff);
        assert!(open.events.contains(&Event::HandoffOpened));
        assert_eq!(open.replies[0].message, messages::HANDOFF_OPENED);
        assert_eq!(open.replies[0].buttons[0].action, Action::Resume);
        let state = open.state;

        let text = step(&g, &state, Input::Text(Typed::plain("kuv tsis tau txais")));
        assert!(text.replies.is_empty(), "staff answer, not the bot");
        assert!(text.events.contains(&Event::Relayed {
            media: None,
            caption_removed: false
        }));
        let number = step(&g, &state, Input::Text(Typed::plain("0912345678")));
        assert!(
            !number
                .events
                .iter()
                .any(|e| matches!(e, Event::Relayed { .. }))
        );
        assert_eq!(number.replies[1].message, messages::HANDOFF_NUMBER);
        let old_button = step(&g, &state, choice("commune", "son-vi"));
        assert_eq!(old_button.state, state);
        assert_eq!(old_button.replies[0].message, messages::HANDOFF_ACTIVE);

        let closed = step(
            &g,
            &state,
            Input::StaffClosed {
                reached: Some(Milestone::VneidLevel2),
            },
        );
        assert!(!closed.state.handoff);
        assert!(closed.events.contains(&Event::HandoffClosed {
            reason: HandoffEnd::StaffClosed
        }));
        assert!(closed.events.contains(&Event::Finished {
            outcome: SessionOutcome::VneidLevel2
        }));
        assert_eq!(closed.state.step.as_deref(), Some("finish"));

        let back = step(&g, &state, Input::Resume);
        assert!(back.events.contains(&Event::HandoffClosed {
            reason: HandoffEnd::Citizen
        }));
        assert_eq!(back.replies.last().map(|r| r.message), Some("m-commune"));
    }

    #[test]
    fn without_staff_asking_is_only_recorded() {
        let g = guide();
        let (state, _) = walk(&g, &[HMONG]);
        let out = step(&g, &state, Input::Text(Typed::plain("help")));
        assert!(!out.state.handoff);
        assert_eq!(
            out.events,
            vec![
                Event::TextTyped { sensitive: None },
                Event::HelpAsked {
                    step: Some("intro")
                }
            ]
        );
    }

    #[test]
    fn every_button_round_trips_through_its_data() {
        let g = guide();
        for s in &g.steps {
            for b in screen(&g, s, true).buttons {
                let data = b.action.encode();
                assert_eq!(Input::from_button_data(&data), Some(b.action.input()));
            }
        }
    }
}
