//! Configuration from the environment, read in one place.

use crate::pseudonym::Pseudonymizer;
use crate::store::Store;
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
    pub fn pseudonymizer(&self) -> anyhow::Result<Pseudonymizer> {
        if let Some(key) = &self.pseudonym_key {
            anyhow::ensure!(
                key.len() >= 16,
                "PSEUDONYM_KEY must be at least 16 characters"
            );
            return Ok(Pseudonymizer::new(key.as_bytes()));
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
