//! One citizen who sends a flood of messages costs the others nothing: each citizen's inputs
//! become turns at most at a human pace (a burst, then one a second). Past it, an input is
//! dropped before anything is stored, and the citizen is told once a minute, kindly, to send
//! more slowly; the latest input of a flood still counts as soon as the pace allows it.

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How often a flooding citizen is told to slow down, at most.
const TELL_EVERY: Duration = Duration::from_secs(60);

/// What becomes of one citizen input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admit {
    /// It becomes a turn.
    Yes,
    /// Dropped; `tell`: the citizen is to be told now.
    Dropped { tell: bool },
}

/// Per-chat limits on how fast inputs become turns.
pub struct InputLimit {
    limiter: Option<DefaultKeyedRateLimiter<i64>>,
    told: Mutex<HashMap<i64, Instant>>,
}

impl InputLimit {
    /// A burst of 10 inputs, then one a second: more than a person tapping through the guide
    /// needs, far less than a stuck key or a script.
    pub fn human() -> InputLimit {
        let quota = Quota::per_second(NonZeroU32::MIN)
            .allow_burst(NonZeroU32::new(10).unwrap_or(NonZeroU32::MIN));
        InputLimit {
            limiter: Some(RateLimiter::keyed(quota)),
            told: Mutex::default(),
        }
    }

    /// No limit: for a load generator.
    pub fn off() -> InputLimit {
        InputLimit {
            limiter: None,
            told: Mutex::default(),
        }
    }

    /// Whether one more input of `chat` becomes a turn now.
    pub fn admit(&self, chat: i64) -> Admit {
        let Some(limiter) = &self.limiter else {
            return Admit::Yes;
        };
        if limiter.check_key(&chat).is_ok() {
            return Admit::Yes;
        }
        let now = Instant::now();
        let mut told = self
            .told
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        told.retain(|_, at| now.duration_since(*at) < TELL_EVERY);
        let tell = !told.contains_key(&chat);
        if tell {
            told.insert(chat, now);
        }
        Admit::Dropped { tell }
    }

    /// Forgets chats quiet long enough to have a full allowance again (called by the sweep).
    pub fn forget_quiet(&self) {
        if let Some(limiter) = &self.limiter {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Admit, InputLimit};

    #[test]
    fn a_flood_is_cut_after_a_burst_and_told_once() {
        let limit = InputLimit::human();
        let answers: Vec<Admit> = (0..100).map(|_| limit.admit(7)).collect();
        let admitted = answers.iter().filter(|a| **a == Admit::Yes).count();
        assert!((10..=11).contains(&admitted), "{admitted}");
        let told = answers
            .iter()
            .filter(|a| **a == Admit::Dropped { tell: true })
            .count();
        assert_eq!(told, 1, "told once while it floods");
        assert_eq!(limit.admit(8), Admit::Yes, "another citizen is not held up");
        let off = InputLimit::off();
        assert!((0..1000).all(|_| off.admit(7) == Admit::Yes));
    }
}
