//! `dvc-onboard doctor`: checks a deployment the way a careful person would, before citizens
//! find out: the configuration, the desk, the pseudonym key, the database, and what Telegram
//! says (the token, the clock, the webhook, the staff group). One line per check, with the fix.

use crate::config::{RunConfig, Settings};
use crate::store::Store;
use dvc_onboard_core::content::ContentDirs;
use std::fmt;

/// One check: passed, or failed with what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub ok: bool,
    pub text: String,
}

impl Line {
    pub fn good(text: impl Into<String>) -> Line {
        Line {
            ok: true,
            text: text.into(),
        }
    }

    pub fn bad(text: impl Into<String>) -> Line {
        Line {
            ok: false,
            text: text.into(),
        }
    }
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", if self.ok { "✓" } else { "✗" }, self.text)
    }
}

/// Every check, in order. Changes nothing: no database is created or migrated, no key made.
pub async fn examine(dirs: &ContentDirs) -> Vec<Line> {
    let webhook = std::env::var_os("WEBHOOK_URL").is_some();
    let config = RunConfig::from_env(dirs, webhook);
    let mut lines = match &config {
        Ok(_) => vec![Line::good(
            "the configuration: every variable, the guide and the translations",
        )],
        Err(problems) => problems
            .iter()
            .map(|p| Line::bad(format!("the configuration: {p}")))
            .collect(),
    };
    lines.extend(desk());
    if let Ok(settings) = Settings::from_env() {
        lines.extend(key(&settings));
        lines.extend(database(&settings).await);
    }
    match &config {
        Ok(config) => lines.extend(
            crate::telegram::doctor::checks(
                &config.telegram,
                config.staff,
                config.webhook.as_ref().map(|w| &w.url),
            )
            .await,
        ),
        Err(_) => lines.push(Line::bad(
            "Telegram: not asked until the configuration above is right",
        )),
    }
    lines
}

/// The desk's hours and address are the commune's, not the placeholder.
fn desk() -> Vec<Line> {
    let unset = |name: &str| std::env::var(name).map_or(true, |v| v.trim().is_empty());
    let missing: Vec<&str> = ["DESK_HOURS", "DESK_ADDRESS"]
        .into_iter()
        .filter(|name| unset(name))
        .collect();
    if missing.is_empty() {
        return vec![Line::good("the desk: its hours and address are set")];
    }
    missing
        .into_iter()
        .map(|name| {
            Line::bad(format!(
                "{name} is not set: citizens who ask for staff are told a placeholder; set the \
                 commune's own"
            ))
        })
        .collect()
}

/// The pseudonym key: where it is, and that a copy of the database's folder does not take it.
fn key(settings: &Settings) -> Vec<Line> {
    let Some(at) = settings.key_location() else {
        return vec![Line::bad(
            "the pseudonym key: none lasts (an in-memory database): citizens would count anew \
             at every start",
        )];
    };
    let file = settings
        .key_file()
        .filter(|_| settings.pseudonym_key.is_none());
    let (Some(file), Some(db)) = (file, settings.sqlite_file()) else {
        return vec![Line::good(format!("the pseudonym key is {at}"))];
    };
    let folder = |p: &std::path::Path| {
        std::fs::canonicalize(p.parent().unwrap_or(p))
            .unwrap_or_else(|_| p.parent().unwrap_or(p).to_path_buf())
    };
    if folder(&file) == folder(&db) {
        return vec![Line::bad(format!(
            "the pseudonym key is {at}, in the database's folder: a backup of the folder holds \
             both; set PSEUDONYM_KEY_FILE to a folder of its own (docs/operations.md, Backups)"
        ))];
    }
    if !file.exists() {
        return vec![Line::good(format!(
            "the pseudonym key will be made {at} at the first start"
        ))];
    }
    vec![Line::good(format!(
        "the pseudonym key is {at}, apart from the database"
    ))]
}

/// The database: there, reachable, migrated by this version, and taking writes.
async fn database(settings: &Settings) -> Vec<Line> {
    let shown = settings.database_for_logs();
    if let Some(file) = settings.sqlite_file()
        && !file.exists()
    {
        return vec![Line::bad(format!(
            "the database: there is none at {} yet: `dvc-onboard migrate` makes it",
            file.display()
        ))];
    }
    let store = match Store::open(settings.database_url.expose()).await {
        Ok(store) => store,
        Err(e) => {
            return vec![Line::bad(format!(
                "the database {shown}: cannot reach it: {e:#}"
            ))];
        }
    };
    let mut lines = vec![match store.pending_migrations().await {
        Ok(0) => Line::good(format!("the database {shown}: reachable and up to date")),
        Ok(n) => Line::bad(format!(
            "the database {shown}: {n} migrations to apply: run `dvc-onboard migrate` (`run` \
             applies them when it starts)"
        )),
        Err(e) => Line::bad(format!(
            "the database {shown}: {e:#}: run the newer version, or restore a backup"
        )),
    }];
    if lines[0].ok {
        lines.push(match store.try_write().await {
            Ok(()) => Line::good("the database takes writes"),
            Err(e) => Line::bad(format!(
                "the database takes no writes ({e:#}): check the disk space and the file's \
                 owner and mode, or the database user's rights"
            )),
        });
    }
    lines
}
