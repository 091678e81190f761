//! Configuration from the environment, read in one place.

use crate::pseudonym::Pseudonymizer;
use crate::store::{Backend, Store};
use std::path::PathBuf;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://dvc-onboard.db";

pub struct Settings {
    /// `DATABASE_URL`; a SQLite file by default, created on first run.
    pub database_url: String,
    /// `PSEUDONYM_KEY`: the key of the citizen pseudonyms.
    pub pseudonym_key: Option<String>,
    /// `PSEUDONYM_KEY_FILE`: where the key is kept when `PSEUDONYM_KEY` is not set.
    pub pseudonym_key_file: Option<PathBuf>,
}

impl Settings {
    pub fn from_env() -> anyhow::Result<Settings> {
        Ok(Settings {
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
            pseudonym_key: var("PSEUDONYM_KEY"),
            pseudonym_key_file: var("PSEUDONYM_KEY_FILE").map(PathBuf::from),
        })
    }

    /// The pseudonym key's rules, without making a key file: a key that is given must be
    /// strong; an existing key file must be readable by its owner only and hold a strong key;
    /// PostgreSQL needs one of the two.
    fn check_key(&self) -> Result<(), String> {
        if let Some(key) = &self.pseudonym_key {
            return Pseudonymizer::from_key(key)
                .map(drop)
                .map_err(|e| format!("PSEUDONYM_KEY: {e}"));
        }
        let file = self.pseudonym_key_file.clone().or_else(|| {
            sqlite_path(&self.database_url).map(|db| PathBuf::from(format!("{db}.key")))
        });
        match file {
            Some(path) if path.exists() => Pseudonymizer::from_key_file(&path)
                .map(drop)
                .map_err(|e| format!("the pseudonym key {}: {e}", path.display())),
            Some(_) => Ok(()),
            None => self.pseudonymizer().map(drop).map_err(|e| e.to_string()),
        }
    }

    pub async fn store(&self) -> anyhow::Result<Store> {
        Store::connect(&self.database_url).await
    }

    /// The key from `PSEUDONYM_KEY`, else from a key file generated once beside the SQLite
    /// database (`<file>.key`), else (an in-memory database) a key for this process only.
    /// PostgreSQL needs one of the first two.
    pub fn pseudonymizer(&self) -> anyhow::Result<Pseudonymizer> {
        if let Some(key) = &self.pseudonym_key {
            return Pseudonymizer::from_key(key).map_err(|e| anyhow::anyhow!("PSEUDONYM_KEY: {e}"));
        }
        let file = self.pseudonym_key_file.clone().or_else(|| {
            sqlite_path(&self.database_url).map(|db| PathBuf::from(format!("{db}.key")))
        });
        match file {
            Some(path) => Pseudonymizer::from_key_file(&path).map_err(|e| {
                anyhow::anyhow!(
                    "cannot read or create the pseudonym key {}: {e}",
                    path.display()
                )
            }),
            // Instances sharing a server must make the same pseudonyms, and so must the
            // same instance after a restart: a key for this process only would split citizens.
            None if Backend::of(&self.database_url)? == Backend::Postgres => anyhow::bail!(
                "with PostgreSQL, set PSEUDONYM_KEY (at least 32 characters, the same on every \
                 instance: {}) or PSEUDONYM_KEY_FILE",
                crate::pseudonym::HOW_TO_MAKE_A_KEY
            ),
            None => Ok(Pseudonymizer::ephemeral()),
        }
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

/// What `run` needs besides the database: the bot token and how updates arrive.
pub struct TelegramSettings {
    /// `TELOXIDE_TOKEN` (teloxide's convention).
    pub token: String,
    /// `TELEGRAM_API_URL`: another Bot API server (a local one, or a test server).
    pub api_url: Option<url::Url>,
    /// `TELEGRAM_PACE`: `telegram` (the default) keeps the bot's messages inside Telegram's
    /// flood limits; `off` sends as fast as it can, for a test server without limits.
    pub paced: bool,
}

impl TelegramSettings {
    pub fn from_env() -> anyhow::Result<TelegramSettings> {
        let token = std::env::var("TELOXIDE_TOKEN")
            .ok()
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| anyhow::anyhow!("TELOXIDE_TOKEN is not set: `run` needs the bot's token (use `chat` to try the bot without Telegram)"))?;
        let api_url = match std::env::var("TELEGRAM_API_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())
        {
            Some(u) => Some(
                url::Url::parse(&u)
                    .map_err(|e| anyhow::anyhow!("TELEGRAM_API_URL is not a URL: {e}"))?,
            ),
            None => None,
        };
        let paced = match std::env::var("TELEGRAM_PACE")
            .ok()
            .as_deref()
            .map(str::trim)
        {
            None | Some("" | "telegram") => true,
            Some("off") => false,
            Some(other) => anyhow::bail!(
                "TELEGRAM_PACE is `{other}`: it is `telegram` (the default) or `off` (a test server only)"
            ),
        };
        Ok(TelegramSettings {
            token,
            api_url,
            paced,
        })
    }

    /// How fast a citizen's inputs may become turns (`CITIZEN_INPUT_LIMIT`: `human`, the
    /// default, or `off` for a load generator).
    pub fn input_limit(&self) -> anyhow::Result<crate::telegram::fairness::InputLimit> {
        use crate::telegram::fairness::InputLimit;
        match std::env::var("CITIZEN_INPUT_LIMIT")
            .ok()
            .as_deref()
            .map(str::trim)
        {
            None | Some("" | "human") => Ok(InputLimit::human()),
            Some("off") => Ok(InputLimit::off()),
            Some(other) => anyhow::bail!(
                "CITIZEN_INPUT_LIMIT is `{other}`: it is `human` (the default) or `off` (a load generator only)"
            ),
        }
    }

    /// How fast messages may go out.
    pub fn pace(&self) -> crate::telegram::call::Pace {
        if self.paced {
            crate::telegram::call::Pace::telegram()
        } else {
            crate::telegram::call::Pace::off()
        }
    }

    pub fn bot(&self) -> teloxide::Bot {
        let bot = teloxide::Bot::new(&self.token);
        match &self.api_url {
            Some(url) => bot.set_api_url(url.clone()),
            None => bot,
        }
    }
}

/// `--webhook` mode: `WEBHOOK_URL` (public URL), `WEBHOOK_LISTEN` (default 0.0.0.0:8443),
/// `WEBHOOK_SECRET` (required: a request without it is not from Telegram).
pub fn webhook_from_env() -> anyhow::Result<crate::telegram::webhook::WebhookConfig> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let url = var("WEBHOOK_URL").ok_or_else(|| {
        anyhow::anyhow!("WEBHOOK_URL is not set: the public URL Telegram posts updates to")
    })?;
    let url =
        url::Url::parse(&url).map_err(|e| anyhow::anyhow!("WEBHOOK_URL is not a URL: {e}"))?;
    anyhow::ensure!(
        url.scheme() == "https",
        "WEBHOOK_URL must be an https:// address: Telegram posts updates over HTTPS only"
    );
    let listen = var("WEBHOOK_LISTEN").unwrap_or_else(|| "0.0.0.0:8443".to_string());
    let listen = listen
        .parse()
        .map_err(|e| anyhow::anyhow!("WEBHOOK_LISTEN is not an address:port: {e}"))?;
    let secret = var("WEBHOOK_SECRET").ok_or_else(|| {
        anyhow::anyhow!("WEBHOOK_SECRET is not set: it proves a request comes from Telegram")
    })?;
    anyhow::ensure!(
        (1..=256).contains(&secret.len())
            && secret
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
        "WEBHOOK_SECRET must be 1 to 256 of A-Z a-z 0-9 _ - (Telegram's rule)"
    );
    Ok(crate::telegram::webhook::WebhookConfig {
        url,
        listen,
        secret,
    })
}

/// The staff group (`STAFF_CHAT_ID`), if hand-offs are on, and how long a case may wait untaken
/// before the citizen is told (`HANDOFF_WAIT_SECS`, default 30 minutes).
pub fn staff_from_env() -> anyhow::Result<Option<crate::telegram::staff::StaffGroup>> {
    let Some(chat) = var("STAFF_CHAT_ID") else {
        return Ok(None);
    };
    let chat_id = staff_chat_id(&chat).map_err(anyhow::Error::msg)?;
    let wait = match var("HANDOFF_WAIT_SECS") {
        Some(v) => handoff_wait(&v).map_err(anyhow::Error::msg)?,
        None => std::time::Duration::from_secs(30 * 60),
    };
    let max_age = match var("HANDOFF_MAX_AGE_SECS") {
        Some(v) => handoff_max_age(&v).map_err(anyhow::Error::msg)?,
        None => std::time::Duration::from_secs(7 * 24 * 3600),
    };
    Ok(Some(crate::telegram::staff::StaffGroup::new(
        chat_id, wait, max_age,
    )))
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

/// Everything `run` reads from the environment and the content, checked as a whole before it
/// starts: one sentence per problem, empty when all is well. `webhook`: `--webhook` was given.
pub fn check_run(dirs: &dvc_onboard_core::content::ContentDirs, webhook: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let mut check = |result: Result<(), String>| {
        if let Err(problem) = result {
            problems.push(problem);
        }
    };
    check(
        TelegramSettings::from_env()
            .and_then(|t| t.input_limit().map(drop))
            .map_err(|e| e.to_string()),
    );
    if let Some(token) = var("TELOXIDE_TOKEN") {
        check(bot_token(&token));
    }
    let settings = Settings::from_env().map_err(|e| e.to_string());
    check(settings.as_ref().map_err(Clone::clone).and_then(|s| {
        Backend::of(&s.database_url)
            .map(drop)
            .map_err(|e| format!("DATABASE_URL: {e}"))
    }));
    check(settings.and_then(|s| s.check_key()));
    if let Some(chat) = var("STAFF_CHAT_ID") {
        check(staff_chat_id(&chat).map(drop));
    }
    if let Some(wait) = var("HANDOFF_WAIT_SECS") {
        check(handoff_wait(&wait).map(drop));
    }
    if let Some(age) = var("HANDOFF_MAX_AGE_SECS") {
        check(handoff_max_age(&age).map(drop));
    }
    if webhook {
        check(webhook_from_env().map(drop).map_err(|e| e.to_string()));
    }
    if let Some(format) = var("LOG_FORMAT") {
        check(match format.trim().to_ascii_lowercase().as_str() {
            "text" | "json" => Ok(()),
            other => Err(format!(
                "LOG_FORMAT is `{other}`: it is `text` (the default) or `json`"
            )),
        });
    }
    let desk = dvc_onboard_core::content::Desk::from_env();
    for (name, value) in [("DESK_HOURS", &desk.hours), ("DESK_ADDRESS", &desk.address)] {
        let length = value.chars().count();
        if length > MAX_DESK_TEXT {
            problems.push(format!(
                "{name} has {length} characters: at most {MAX_DESK_TEXT}, for the screens that \
                 show it to stay within Telegram's limit"
            ));
        }
    }
    problems.extend(content_problems(dirs, &desk));
    problems
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
        .and_then(|g| Ok((g, dirs.locale_files()?)));
    let (source, files) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => return vec![format!("{e:#}")],
    };
    let report = dvc_onboard_core::check::check(&source, &files);
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
