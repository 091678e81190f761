//! Every call to Telegram goes through [`Calls::call`]: paced under Telegram's flood limits, and
//! its answer classified the same way everywhere (citizen replies, relays, staff posts, cards,
//! reports):
//!
//! - a 429 is waited out for its `retry_after`, then the call is tried again;
//! - a server error (5xx) or a network error is tried again with back-off, a few times, then the
//!   call is [`Failure::Later`] (what it carried waits in the outbox);
//! - a 400 or 403 is [`Failure::Refused`], or [`Failure::Unreachable`] for a chat that is gone:
//!   never tried again, so nothing Telegram refuses blocks what stands behind it.
//!
//! Pacing: Telegram allows about one message a second per private chat (short bursts
//! tolerated), about 20 a minute per group and about 30 a second in all, and answers 429 past
//! them, with longer waits for bots that keep hitting them. So the bot stays inside them instead
//! of learning them from 429s. teloxide's `Throttle` adaptor queues only send, forward and copy
//! calls, while forum topics and edits count against a group's limit too; `governor`'s rate
//! limiters are awaited here before each of those, for whichever chat they go to.

use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::time::Duration;
use teloxide::{ApiError, RequestError};

/// Network and server errors are tried this many times per call; then the call is `Later`.
const NETWORK_TRIES: u32 = 5;
/// A 429 is waited out this many times per call before it is `Later`.
const RATE_LIMIT_TRIES: u32 = 30;

/// Why a call did not go through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Telegram will not take it, now or later (a deleted message to copy, a missing right in
    /// the group, a kind that cannot be copied). `class` is `bad_request` or `forbidden`;
    /// `description` is Telegram's own sentence, which quotes nothing of the message.
    Refused {
        class: &'static str,
        description: String,
    },
    /// The chat is gone for the bot: a citizen who blocked it or deleted their account, a group
    /// the bot was removed from.
    Unreachable,
    /// Not now: the network, Telegram's servers, or 429s past [`RATE_LIMIT_TRIES`].
    Later,
}

impl Failure {
    /// What a log line or a count says of it.
    pub fn class(&self) -> &'static str {
        match self {
            Failure::Refused { class, .. } => class,
            Failure::Unreachable => "unreachable",
            Failure::Later => "later",
        }
    }

    /// Telegram's sentence for a refusal ("Bad Request: not enough rights to …").
    pub fn description(&self) -> &str {
        match self {
            Failure::Refused { description, .. } => description,
            _ => "",
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Refused { class, description } => write!(f, "{class}: {description}"),
            other => f.write_str(other.class()),
        }
    }
}

impl std::error::Error for Failure {}

/// How fast messages may go out: per private chat, per group, in all.
pub struct Pace {
    private: Option<DefaultKeyedRateLimiter<i64>>,
    group: Option<DefaultKeyedRateLimiter<i64>>,
    all: Option<DefaultDirectRateLimiter>,
}

impl Pace {
    /// Just inside Telegram's limits: a private chat 3 at once then one every 1.05 s, a group
    /// 19 at once then one every 3.1 s (19 a minute), all chats 25 at once then one every
    /// 35 ms (28 a second). A little under the published figures, since a request may reach
    /// Telegram a moment after another that left later.
    pub fn telegram() -> Pace {
        let quota = |every_ms: u64, burst: u32| {
            Quota::with_period(Duration::from_millis(every_ms))
                .map(|q| q.allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN)))
        };
        Pace {
            private: quota(1050, 3).map(RateLimiter::keyed),
            group: quota(3100, 19).map(RateLimiter::keyed),
            all: quota(35, 25).map(RateLimiter::direct),
        }
    }

    /// No pacing: for a test server or a load generator that has no limits.
    pub fn off() -> Pace {
        Pace {
            private: None,
            group: None,
            all: None,
        }
    }

    /// Waits until one more message may go to `chat`. A flooding chat waits here alone: its
    /// own limit comes first, so it takes from the overall limit only at its own pace.
    pub async fn until_ready(&self, chat: i64) {
        let per_chat = if chat > 0 { &self.private } else { &self.group };
        if let Some(limiter) = per_chat {
            limiter.until_key_ready(&chat).await;
        }
        if let Some(all) = &self.all {
            all.until_ready().await;
        }
    }

    /// Forgets chats quiet long enough to have a full allowance again (called by the sweep).
    pub fn forget_quiet(&self) {
        for limiter in [&self.private, &self.group].into_iter().flatten() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

/// Makes calls to Telegram: paced, classified, retried (see the module's documentation).
pub struct Calls {
    pub pace: Pace,
}

impl Calls {
    /// Makes `call` until Telegram takes it or clearly will not now. `paced`: the chat the call
    /// puts a message in (a send, a copy, a new topic, an edit), or `None` for calls that
    /// create no message (answering a button press, reading a chat). `Ok(None)`: Telegram took
    /// it, but its answer could not be read (a field of a new shape): sending again would
    /// repeat the message.
    pub async fn call<T, F, Fut>(
        &self,
        method: &'static str,
        paced: Option<i64>,
        mut call: F,
    ) -> Result<Option<T>, Failure>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, RequestError>>,
    {
        let mut network_failures = 0;
        let mut rate_limited = 0;
        let counted = |result: &'static str| {
            ::metrics::counter!(crate::metrics::CALLS, "method" => method, "result" => result)
                .increment(1);
        };
        loop {
            if let Some(chat) = paced {
                self.pace.until_ready(chat).await;
            }
            let error = match call().await {
                Ok(answer) => {
                    counted("ok");
                    return Ok(Some(answer));
                }
                Err(RequestError::InvalidJson { raw, .. }) if telegram_took_it(&raw) => {
                    counted("ok");
                    tracing::warn!(
                        method,
                        "Telegram took a call but its answer could not be read"
                    );
                    return Ok(None);
                }
                Err(e) => super::loggable(e),
            };
            match classify(&error) {
                Retry::After(wait) => {
                    rate_limited += 1;
                    ::metrics::counter!(crate::metrics::RATE_LIMITED, "method" => method)
                        .increment(1);
                    if rate_limited > RATE_LIMIT_TRIES {
                        tracing::warn!(method, "429s from Telegram all along; left for later");
                        counted(Failure::Later.class());
                        return Err(Failure::Later);
                    }
                    tracing::info!(
                        method,
                        seconds = wait.as_secs(),
                        "429 from Telegram; waiting"
                    );
                    tokio::time::sleep(wait).await;
                }
                Retry::BackOff => {
                    network_failures += 1;
                    if network_failures >= NETWORK_TRIES {
                        tracing::warn!(method, error = %error, "Telegram unreachable; left for later");
                        counted(Failure::Later.class());
                        return Err(Failure::Later);
                    }
                    tokio::time::sleep(Duration::from_millis(250) * 2u32.pow(network_failures))
                        .await;
                }
                Retry::Never(failure) => {
                    match &failure {
                        Failure::Unreachable => tracing::info!(method, "chat unreachable"),
                        refused => tracing::warn!(
                            method,
                            class = refused.class(),
                            description = refused.description(),
                            "Telegram refused a call"
                        ),
                    }
                    counted(failure.class());
                    return Err(failure);
                }
            }
        }
    }
}

/// What to do after an error.
enum Retry {
    After(Duration),
    BackOff,
    Never(Failure),
}

/// The one place that says what each error of Telegram's means for the bot.
fn classify(error: &RequestError) -> Retry {
    match error {
        RequestError::RetryAfter(wait) => Retry::After(wait.duration()),
        RequestError::Network(_) | RequestError::Io(_) | RequestError::InvalidJson { .. } => {
            Retry::BackOff
        }
        RequestError::Api(ApiError::Unknown(description)) if is_server_error(description) => {
            Retry::BackOff
        }
        RequestError::Api(
            ApiError::BotBlocked
            | ApiError::UserDeactivated
            | ApiError::ChatNotFound
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::BotKickedFromChannel
            | ApiError::CantInitiateConversation
            | ApiError::GroupDeactivated,
        ) => Retry::Never(Failure::Unreachable),
        RequestError::Api(api) => {
            let description = match api {
                ApiError::Unknown(description) => description.clone(),
                known => known.to_string(),
            };
            let class = if description.starts_with("Forbidden") {
                "forbidden"
            } else {
                "bad_request"
            };
            Retry::Never(Failure::Refused { class, description })
        }
        // The group became a supergroup with another id: STAFF_CHAT_ID must change.
        RequestError::MigrateToChatId(_) => Retry::Never(Failure::Refused {
            class: "bad_request",
            description: "the group was upgraded to a supergroup with a new id".into(),
        }),
    }
}

/// Whether an answer teloxide could not read is still Telegram's `{"ok": true, ...}`, rather
/// than, say, a proxy's error page.
fn telegram_took_it(raw: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Answer {
        ok: bool,
    }
    serde_json::from_str::<Answer>(raw).is_ok_and(|answer| answer.ok)
}

/// Telegram's 5xx answers arrive as unknown API errors with descriptions like these.
fn is_server_error(description: &str) -> bool {
    [
        "Internal Server Error",
        "Bad Gateway",
        "Service Unavailable",
        "Gateway Timeout",
    ]
    .iter()
    .any(|s| description.contains(s))
}
