//! Configuration from the environment, read in one place into typed settings. `run` reads
//! all of it at once ([`RunConfig::from_env`]), every problem found before anything starts.
//! Secrets are [`Secret`]s: printing one shows no value. This module builds no adapter's types:
//! the adapters build theirs from these settings.

use crate::pseudonym::Pseudonymizer;
use crate::store::{Backend, Store};
use dvc_onboard_core::follow_up::SendingHours;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// A value that must not reach a log: its `Debug` says only that it is there.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Secret {
        Secret(value)
    }

    /// The value itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://dvc-onboard.db";

/// The database and the pseudonym key: what every command that touches data needs.
#[derive(Debug)]
pub struct Settings {
    /// `DATABASE_URL`; a SQLite file by default, created on first run. It may hold a password.
    pub database_url: Secret,
    /// `PSEUDONYM_KEY`: the key of the citizen pseudonyms.
    pub pseudonym_key: Option<Secret>,
    /// `PSEUDONYM_KEY_FILE`: where the key is kept when `PSEUDONYM_KEY` is not set.
    pub pseudonym_key_file: Option<PathBuf>,
}

impl Settings {
    pub fn from_env() -> anyhow::Result<Settings> {
        Ok(Settings {
            database_url: Secret(
                var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
            ),
            pseudonym_key: var("PSEUDONYM_KEY").map(Secret),
            pseudonym_key_file: var("PSEUDONYM_KEY_FILE").map(PathBuf::from),
        })
    }

    /// The pseudonym key's rules, without making a key file: a key that is given must be
    /// strong; an existing key file must be readable by its owner only and hold a strong key;
    /// PostgreSQL needs one of the two.
    fn check_key(&self) -> Result<(), String> {
        if let Some(key) = &self.pseudonym_key {
            return Pseudonymizer::from_key(key.expose())
                .map(drop)
                .map_err(|e| format!("PSEUDONYM_KEY: {e}"));
        }
        match self.key_file() {
            Some(path) if path.exists() => Pseudonymizer::from_key_file(&path)
                .map(drop)
                .map_err(|e| format!("the pseudonym key {}: {e}", path.display())),
            Some(_) => Ok(()),
            None => self.pseudonymizer().map(drop).map_err(|e| e.to_string()),
        }
    }

    pub async fn store(&self) -> anyhow::Result<Store> {
        Store::connect(self.database_url.expose()).await
    }

    /// The key from `PSEUDONYM_KEY`, else from a key file generated once beside the SQLite
    /// database (`<file>.key`), else (an in-memory database) a key for this process only.
    /// PostgreSQL needs one of the first two.
    pub fn pseudonymizer(&self) -> anyhow::Result<Pseudonymizer> {
        if let Some(key) = &self.pseudonym_key {
            return Pseudonymizer::from_key(key.expose())
                .map_err(|e| anyhow::anyhow!("PSEUDONYM_KEY: {e}"));
        }
        match self.key_file() {
            Some(path) => Pseudonymizer::from_key_file(&path).map_err(|e| {
                anyhow::anyhow!(
                    "cannot read or create the pseudonym key {}: {e}",
                    path.display()
                )
            }),
            // Instances sharing a server must make the same pseudonyms, and so must the
            // same instance after a restart: a key for this process only would split citizens.
            None if Backend::of(self.database_url.expose())? == Backend::Postgres => anyhow::bail!(
                "with PostgreSQL, set PSEUDONYM_KEY (at least 32 characters, the same on every \
                 instance: {}) or PSEUDONYM_KEY_FILE",
                crate::pseudonym::HOW_TO_MAKE_A_KEY
            ),
            None => Ok(Pseudonymizer::ephemeral()),
        }
    }
}

impl Settings {
    /// `PSEUDONYM_KEY_FILE`, else `<file>.key` beside a SQLite database file.
    pub fn key_file(&self) -> Option<PathBuf> {
        self.pseudonym_key_file.clone().or_else(|| {
            sqlite_path(self.database_url.expose()).map(|db| PathBuf::from(format!("{db}.key")))
        })
    }

    /// The SQLite file `DATABASE_URL` names, if it names one.
    pub fn sqlite_file(&self) -> Option<PathBuf> {
        sqlite_path(self.database_url.expose()).map(PathBuf::from)
    }

    /// Where the pseudonym key is, in words: the variable, or the key file; `None` without one.
    pub fn key_location(&self) -> Option<String> {
        match (&self.pseudonym_key, self.key_file()) {
            (Some(_), _) => Some("in PSEUDONYM_KEY (the environment)".to_string()),
            (None, Some(file)) => Some(format!("in {}", file.display())),
            (None, None) => None,
        }
    }

    /// The database URL as logs may show it: without its password.
    pub fn database_for_logs(&self) -> String {
        crate::store::redact(self.database_url.expose())
    }
}

/// The file of a `sqlite:` URL, if it names one.
fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then_some(path)
}

/// Everything `run` needs, read and checked at once.
#[derive(Debug)]
pub struct RunConfig {
    pub settings: Settings,
    pub telegram: TelegramSettings,
    /// With `--webhook`.
    pub webhook: Option<WebhookSettings>,
    /// With `STAFF_CHAT_ID`: hand-offs to staff are on.
    pub staff: Option<StaffSettings>,
}

/// The bot's token and how its messages go out.
#[derive(Debug)]
pub struct TelegramSettings {
    /// `TELOXIDE_TOKEN` (teloxide's convention).
    pub token: Secret,
    /// `TELEGRAM_API_URL`: another Bot API server (a local one, or a test server).
    pub api_url: Option<url::Url>,
    /// `TELEGRAM_PACE`: `telegram` (the default) keeps the bot's messages inside Telegram's
    /// flood limits; `off` sends as fast as it can, for a test server without limits.
    pub paced: bool,
    /// `CITIZEN_INPUT_LIMIT`: `human` (the default) answers a flood of one citizen's messages
    /// in part; `off` answers all, for a load generator.
    pub human_input_limit: bool,
    /// `FOLLOW_UP_HOURS` (default `08-20`): the hours of the day, in Vietnam, reminders to
    /// waiting citizens go out in.
    pub follow_up_hours: SendingHours,
    /// `METRICS_LISTEN`: where long polling serves `/metrics` (the webhook server always does).
    pub metrics_listen: Option<SocketAddr>,
}

/// `--webhook` mode: where Telegram posts and how it proves it is Telegram.
#[derive(Debug)]
pub struct WebhookSettings {
    /// `WEBHOOK_URL`: the public URL Telegram posts to; its path is where the bot listens.
    pub url: url::Url,
    /// `WEBHOOK_LISTEN`, default 0.0.0.0:8443.
    pub listen: SocketAddr,
    /// `WEBHOOK_SECRET`: a request without it is not from Telegram.
    pub secret: Secret,
}

/// The staff group and how long its cases may wait.
#[derive(Debug, Clone, Copy)]
pub struct StaffSettings {
    /// `STAFF_CHAT_ID`: a group's id (negative).
    pub chat_id: i64,
    /// `HANDOFF_WAIT_SECS` (default 30 minutes): how long a case may wait untaken before the
    /// citizen is told.
    pub wait: Duration,
    /// `HANDOFF_MAX_AGE_SECS` (default 7 days): how long a case may stay open at all.
    pub max_age: Duration,
}

impl RunConfig {
    /// Reads everything `run` needs from the environment, and checks it with the content in
    /// `dirs` by `check`'s rules: every problem, one sentence each, or the configuration.
    /// `webhook`: `--webhook` was given.
    pub fn from_env(
        dirs: &dvc_onboard_core::content::ContentDirs,
        webhook: bool,
    ) -> Result<RunConfig, Vec<String>> {
        let mut problems = Vec::new();
        let telegram = telegram_from_env().map_err(|p| problems.extend(p)).ok();
        let settings = keep(
            &mut problems,
            Settings::from_env().map_err(|e| e.to_string()),
        );
        if let Some(settings) = &settings {
            let backend = Backend::of(settings.database_url.expose());
            keep(
                &mut problems,
                backend.map_err(|e| format!("DATABASE_URL: {e}")),
            );
            keep(&mut problems, settings.check_key());
        }
        let staff = staff_from_env().map_err(|p| problems.extend(p)).ok();
        let webhook = match webhook {
            true => keep(&mut problems, webhook_from_env()).map(Some),
            false => Some(None),
        };
        keep(&mut problems, log_format());
        let desk = dvc_onboard_core::content::Desk::from_env();
        problems.extend(desk_problems(&desk));
        problems.extend(content_problems(dirs, &desk));
        match (settings, telegram, webhook, staff) {
            (Some(settings), Some(telegram), Some(webhook), Some(staff)) if problems.is_empty() => {
                Ok(RunConfig {
                    settings,
                    telegram,
                    webhook,
                    staff,
                })
            }
            _ => Err(problems),
        }
    }
}

/// The value, or `None` with its problem noted.
fn keep<T>(problems: &mut Vec<String>, result: Result<T, String>) -> Option<T> {
    result.map_err(|p| problems.push(p)).ok()
}

/// `TELOXIDE_TOKEN`, `TELEGRAM_API_URL`, `TELEGRAM_PACE`, `CITIZEN_INPUT_LIMIT`: each
/// problem found.
fn telegram_from_env() -> Result<TelegramSettings, Vec<String>> {
    let token = var("TELOXIDE_TOKEN")
        .ok_or_else(|| {
            "TELOXIDE_TOKEN is not set: `run` needs the bot's token (use `chat` to try the bot \
             without Telegram)"
                .to_string()
        })
        .and_then(|t| bot_token(&t).map(|()| Secret(t.trim().to_string())));
    let api_url = var("TELEGRAM_API_URL")
        .map(|u| {
            url::Url::parse(u.trim()).map_err(|e| format!("TELEGRAM_API_URL is not a URL: {e}"))
        })
        .transpose();
    let paced = switch(
        "TELEGRAM_PACE",
        "telegram",
        "`telegram` (the default) or `off` (a test server only)",
    );
    let human_input_limit = switch(
        "CITIZEN_INPUT_LIMIT",
        "human",
        "`human` (the default) or `off` (a load generator only)",
    );
    let follow_up_hours = var("FOLLOW_UP_HOURS").map_or(Ok(SendingHours::default()), |v| {
        v.parse()
            .map_err(|e| format!("FOLLOW_UP_HOURS: {e}, Vietnam time"))
    });
    let metrics_listen = var("METRICS_LISTEN")
        .map(|v| {
            v.trim()
                .parse::<SocketAddr>()
                .map_err(|e| format!("METRICS_LISTEN is not an address:port: {e}"))
        })
        .transpose();
    match (
        token,
        api_url,
        paced,
        human_input_limit,
        follow_up_hours,
        metrics_listen,
    ) {
        (
            Ok(token),
            Ok(api_url),
            Ok(paced),
            Ok(human_input_limit),
            Ok(follow_up_hours),
            Ok(metrics_listen),
        ) => Ok(TelegramSettings {
            token,
            api_url,
            paced,
            human_input_limit,
            follow_up_hours,
            metrics_listen,
        }),
        (token, api_url, paced, limit, hours, metrics) => Err([
            token.err(),
            api_url.err(),
            paced.err(),
            limit.err(),
            hours.err(),
            metrics.err(),
        ]
        .into_iter()
        .flatten()
        .collect()),
    }
}

/// A variable that is `on` (its default) or `off`.
fn switch(name: &str, on: &str, said: &str) -> Result<bool, String> {
    match var(name).as_deref().map(str::trim) {
        None => Ok(true),
        Some(value) if value == on => Ok(true),
        Some("off") => Ok(false),
        Some(other) => Err(format!("{name} is `{other}`: it is {said}")),
    }
}

/// `WEBHOOK_URL` (public URL), `WEBHOOK_LISTEN` (default 0.0.0.0:8443), `WEBHOOK_SECRET`
/// (required: a request without it is not from Telegram).
fn webhook_from_env() -> Result<WebhookSettings, String> {
    let url = var("WEBHOOK_URL")
        .ok_or("WEBHOOK_URL is not set: the public URL Telegram posts updates to")?;
    let url = url::Url::parse(url.trim()).map_err(|e| format!("WEBHOOK_URL is not a URL: {e}"))?;
    if url.scheme() != "https" {
        return Err(
            "WEBHOOK_URL must be an https:// address: Telegram posts updates over HTTPS only"
                .into(),
        );
    }
    let listen = var("WEBHOOK_LISTEN").unwrap_or_else(|| "0.0.0.0:8443".to_string());
    let listen = listen
        .trim()
        .parse()
        .map_err(|e| format!("WEBHOOK_LISTEN is not an address:port: {e}"))?;
    let secret = var("WEBHOOK_SECRET")
        .ok_or("WEBHOOK_SECRET is not set: it proves a request comes from Telegram")?;
    let good = (1..=256).contains(&secret.len())
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !good {
        return Err("WEBHOOK_SECRET must be 1 to 256 of A-Z a-z 0-9 _ - (Telegram's rule)".into());
    }
    Ok(WebhookSettings {
        url,
        listen,
        secret: Secret(secret),
    })
}

/// The staff group (`STAFF_CHAT_ID`), if hand-offs are on, with its wait times: each problem
/// found.
fn staff_from_env() -> Result<Option<StaffSettings>, Vec<String>> {
    let wait =
        var("HANDOFF_WAIT_SECS").map_or(Ok(Duration::from_secs(30 * 60)), |v| handoff_wait(&v));
    let max_age = var("HANDOFF_MAX_AGE_SECS").map_or(Ok(Duration::from_secs(7 * 24 * 3600)), |v| {
        handoff_max_age(&v)
    });
    let chat_id = var("STAFF_CHAT_ID")
        .map(|chat| staff_chat_id(&chat))
        .transpose();
    match (chat_id, wait, max_age) {
        (Ok(chat_id), Ok(wait), Ok(max_age)) => Ok(chat_id.map(|chat_id| StaffSettings {
            chat_id,
            wait,
            max_age,
        })),
        (chat_id, wait, max_age) => Err([chat_id.err(), wait.err(), max_age.err()]
            .into_iter()
            .flatten()
            .collect()),
    }
}

/// `HANDOFF_MAX_AGE_SECS`: from 1 second to 90 days.
fn handoff_max_age(raw: &str) -> Result<std::time::Duration, String> {
    const MAX: i64 = 90 * 24 * 3600;
    match raw.trim().parse::<i64>() {
        Ok(secs) if (1..=MAX).contains(&secs) => Ok(std::time::Duration::from_secs(secs as u64)),
        Ok(secs) => Err(format!(
            "HANDOFF_MAX_AGE_SECS {secs} is out of range: 1 to {MAX} seconds (90 days); \
             604800 is a week"
        )),
        Err(_) => Err(format!(
            "HANDOFF_MAX_AGE_SECS `{raw}` is not a number of seconds"
        )),
    }
}

/// An environment variable, if set to something.
fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// `STAFF_CHAT_ID`: a group's id, which Telegram makes negative; a positive id is a person.
fn staff_chat_id(raw: &str) -> Result<i64, String> {
    let id: i64 = raw.trim().parse().map_err(|_| {
        format!("STAFF_CHAT_ID `{raw}` is not a chat id (a supergroup's looks like -1001234567890)")
    })?;
    if id >= 0 {
        return Err(format!(
            "STAFF_CHAT_ID {id} is a person's chat, not a group: a group's id is negative \
             (a supergroup's looks like -1001234567890)"
        ));
    }
    Ok(id)
}

/// `HANDOFF_WAIT_SECS`: from 1 second to 7 days.
fn handoff_wait(raw: &str) -> Result<std::time::Duration, String> {
    const WEEK: u64 = 7 * 24 * 3600;
    match raw.trim().parse::<i64>() {
        Ok(secs) if (1..=WEEK as i64).contains(&secs) => {
            Ok(std::time::Duration::from_secs(secs as u64))
        }
        Ok(secs) => Err(format!(
            "HANDOFF_WAIT_SECS {secs} is out of range: 1 to {WEEK} seconds (7 days); 1800 is \
             half an hour"
        )),
        Err(_) => Err(format!(
            "HANDOFF_WAIT_SECS `{raw}` is not a number of seconds"
        )),
    }
}

/// The longest desk text (`DESK_HOURS`, `DESK_ADDRESS`) a screen takes, in characters.
const MAX_DESK_TEXT: usize = 300;

/// `LOG_FORMAT`: `text` or `json`.
fn log_format() -> Result<(), String> {
    match var("LOG_FORMAT")
        .map(|f| f.trim().to_ascii_lowercase())
        .as_deref()
    {
        None | Some("text" | "json") => Ok(()),
        Some(other) => Err(format!(
            "LOG_FORMAT is `{other}`: it is `text` (the default) or `json`"
        )),
    }
}

/// `DESK_HOURS` and `DESK_ADDRESS`: short enough for the screens that show them.
fn desk_problems(desk: &dvc_onboard_core::content::Desk) -> Vec<String> {
    [("DESK_HOURS", &desk.hours), ("DESK_ADDRESS", &desk.address)]
        .into_iter()
        .filter_map(|(name, value)| {
            let length = value.chars().count();
            (length > MAX_DESK_TEXT).then(|| {
                format!(
                    "{name} has {length} characters: at most {MAX_DESK_TEXT}, for the screens \
                     that show it to stay within Telegram's limit"
                )
            })
        })
        .collect()
}

/// A bot token as @BotFather gives it: the bot's number, a colon, the secret.
fn bot_token(token: &str) -> Result<(), String> {
    let (id, secret) = token.trim().split_once(':').unwrap_or(("", ""));
    let good = !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_digit())
        && !secret.is_empty()
        && !secret.chars().any(char::is_whitespace);
    if good {
        Ok(())
    } else {
        Err("TELOXIDE_TOKEN is not a bot token: @BotFather's look like 123456789:AAH…".into())
    }
}

/// The guide and the translations, by `check`'s rules, and every message with the desk's own
/// hours and address within Telegram's limit.
fn content_problems(
    dirs: &dvc_onboard_core::content::ContentDirs,
    desk: &dvc_onboard_core::content::Desk,
) -> Vec<String> {
    let loaded = dirs
        .guide_source()
        .and_then(|g| Ok((g, dirs.locale_files()?, dirs.media()?)));
    let (source, files, media) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => return vec![format!("{e:#}")],
    };
    let report = dvc_onboard_core::check::check(&source, &files, &media);
    if !report.problems.is_empty() {
        return report.problems;
    }
    let (locales, _) = dvc_onboard_core::i18n::Locales::build(&files);
    let args = desk.args();
    let mut problems = Vec::new();
    for lang in dvc_onboard_core::lang::Lang::ALL {
        for id in dvc_onboard_core::guide::engine::messages::ALL {
            let length = locales.format(lang, id, Some(&args)).chars().count();
            if length > dvc_onboard_core::check::MAX_TEXT {
                problems.push(format!(
                    "{lang}: message `{id}` has {length} characters with DESK_HOURS and \
                     DESK_ADDRESS in it: Telegram takes {} at most; shorten them",
                    dvc_onboard_core::check::MAX_TEXT
                ));
            }
        }
    }
    problems
}
