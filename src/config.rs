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
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Ok(Settings {
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
            pseudonym_key: var("PSEUDONYM_KEY"),
            pseudonym_key_file: var("PSEUDONYM_KEY_FILE").map(PathBuf::from),
        })
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
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let Some(chat) = var("STAFF_CHAT_ID") else {
        return Ok(None);
    };
    let chat_id: i64 = chat.trim().parse().map_err(|_| {
        anyhow::anyhow!(
            "STAFF_CHAT_ID is not a chat id (a supergroup's id looks like -1001234567890)"
        )
    })?;
    let wait_secs: u64 = match var("HANDOFF_WAIT_SECS") {
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("HANDOFF_WAIT_SECS is not a number of seconds"))?,
        None => 30 * 60,
    };
    Ok(Some(crate::telegram::staff::StaffGroup::new(
        chat_id,
        std::time::Duration::from_secs(wait_secs),
    )))
}
