//! The domain's names as the store, the reports and `check` write them: one string form for
//! each, read back with `parse`, so a value in the database is never spelled twice.

use serde::{Deserialize, Serialize};

/// An enum of names, each with one string form: `as_str`, `parse` and `ALL`.
macro_rules! names {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            /// Every value, in the order reports list them.
            pub const ALL: &[$name] = &[$($name::$variant),*];

            /// The form stored in the database and shown in reports' codes.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            /// The value whose string form is `text`; `None` for any other text (a value a
            /// newer version wrote).
            pub fn parse(text: &str) -> Option<$name> {
                match text {
                    $($text => Some($name::$variant),)*
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

names! {
    /// How far a citizen got in creating an account; the highest one reached is the outcome
    /// (declared from the lowest: the order is the ranking).
    pub enum Milestone {
        /// The guide gave the citizen their next step to take in person (at the police, the
        /// carrier's shop or the desk) and what to bring.
        Referred = "referred",
        /// A parent sent the application for a child's account (under 14) in their own VNeID.
        ChildApplied = "child_applied",
        VneidLevel1 = "vneid_level1",
        VneidLevel2 = "vneid_level2",
        PortalLogin = "portal_login",
    }
}

names! {
    /// What the citizen wants the account for, as officials count it.
    pub enum Purpose {
        Justice = "justice",
        LabourSocial = "labour_social",
        Land = "land",
        HealthInsurance = "health_insurance",
        Other = "other",
    }
}

names! {
    /// How a session was helped, as officials count it.
    pub enum Channel {
        /// The citizen followed the guide alone.
        SelfGuided = "self_guided",
        /// A hand-off opened: staff helped through the bot.
        StaffRemote = "staff_remote",
        /// Staff helped at the desk and logged it with `/assist`.
        InPerson = "in_person",
    }
}

names! {
    /// Where a citizen found the bot, as the start link they opened says
    /// ([`crate::start_link`]); a session without one came from elsewhere ("other").
    pub enum Source {
        /// A commune's poster (`dvc-onboard poster`).
        Poster = "poster",
        /// The link or QR code shown at the commune's one-stop desk.
        Desk = "desk",
    }
}

names! {
    /// How a session ended, as officials count it.
    pub enum SessionOutcome {
        PortalLogin = "portal_login",
        VneidLevel2 = "vneid_level2",
        VneidLevel1 = "vneid_level1",
        ChildApplied = "child_applied",
        Referred = "referred",
        NotCreated = "not_created",
        /// Staff had the citizen and have not closed the case yet.
        HandedOff = "handed_off",
        Abandoned = "abandoned",
        /// Reports only: a session still open at the report's date.
        InProgress = "in_progress",
    }
}

impl SessionOutcome {
    /// The outcome of a session whose highest milestone is `m`.
    pub fn from_milestone(m: Option<Milestone>) -> SessionOutcome {
        match m {
            Some(Milestone::PortalLogin) => SessionOutcome::PortalLogin,
            Some(Milestone::VneidLevel2) => SessionOutcome::VneidLevel2,
            Some(Milestone::VneidLevel1) => SessionOutcome::VneidLevel1,
            Some(Milestone::ChildApplied) => SessionOutcome::ChildApplied,
            Some(Milestone::Referred) => SessionOutcome::Referred,
            None => SessionOutcome::NotCreated,
        }
    }

    /// The outcomes that are an account (the highest first).
    pub const ACCOUNTS: [SessionOutcome; 3] = [
        SessionOutcome::PortalLogin,
        SessionOutcome::VneidLevel2,
        SessionOutcome::VneidLevel1,
    ];

    pub fn is_account(self) -> bool {
        SessionOutcome::ACCOUNTS.contains(&self)
    }
}

names! {
    /// Where a hand-off case stands.
    pub enum CaseStatus {
        /// Posted to staff (or waiting to be), nobody has taken it.
        Open = "open",
        /// A staff member took it.
        Taken = "taken",
        /// Closed by staff, by the citizen's erasure, or by its maximum age.
        Closed = "closed",
    }
}

names! {
    /// What staff did in a case, as its events record it.
    pub enum StaffEvent {
        /// A staff member took the case.
        Taken = "handoff_taken",
        /// A staff member wrote to the citizen.
        Answered = "staff_answered",
        /// A staff member closed the case with an outcome.
        Closed = "staff_closed",
        /// A staff member sent the citizen back to the guide.
        ToGuide = "staff_to_guide",
    }
}
