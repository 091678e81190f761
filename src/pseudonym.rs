//! Citizens are pseudonyms: a keyed HMAC of the channel's user id.
//!
//! With the key, the same person always gets the same pseudonym (so a returning citizen
//! continues and reports count people once); without it, a pseudonym cannot be turned back into
//! a Telegram id, even by trying every id. The key is therefore kept apart from the database.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::path::Path;

#[derive(Clone)]
pub struct Pseudonymizer {
    key: Vec<u8>,
}

impl std::fmt::Debug for Pseudonymizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pseudonymizer(<key hidden>)")
    }
}

impl Pseudonymizer {
    pub fn new(key: &[u8]) -> Pseudonymizer {
        Pseudonymizer { key: key.to_vec() }
    }

    /// Reads the key from `path`, or creates it there (readable by the owner only) on first run.
    pub fn from_key_file(path: &Path) -> std::io::Result<Pseudonymizer> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(Pseudonymizer::new(text.trim().as_bytes())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = hex::encode(rand::random::<[u8; 32]>());
                write_private(path, &key)?;
                tracing::info!(path = %path.display(), "created a new pseudonym key; keep it with the database backups");
                Ok(Pseudonymizer::new(key.as_bytes()))
            }
            Err(e) => Err(e),
        }
    }

    /// A random key that lives as long as the process (in-memory databases, tests).
    pub fn ephemeral() -> Pseudonymizer {
        Pseudonymizer::new(&rand::random::<[u8; 32]>())
    }

    /// The pseudonym of a user of a channel (`telegram`, `terminal`, …).
    pub fn pseudonym(&self, channel: &str, user_id: &str) -> String {
        // HMAC takes keys of any length, so this cannot fail.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
        mac.update(channel.as_bytes());
        mac.update(b":");
        mac.update(user_id.as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..16])
    }
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(contents.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_user_same_pseudonym_other_key_other_pseudonym() {
        let a = Pseudonymizer::new(b"key one");
        let b = Pseudonymizer::new(b"key two");
        assert_eq!(a.pseudonym("telegram", "42"), a.pseudonym("telegram", "42"));
        assert_ne!(a.pseudonym("telegram", "42"), a.pseudonym("telegram", "43"));
        assert_ne!(a.pseudonym("telegram", "42"), a.pseudonym("terminal", "42"));
        assert_ne!(a.pseudonym("telegram", "42"), b.pseudonym("telegram", "42"));
        assert!(!a.pseudonym("telegram", "42").contains("42"));
    }

    #[test]
    fn key_file_is_created_once_and_reused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("k");
        let first = Pseudonymizer::from_key_file(&path).expect("create");
        let again = Pseudonymizer::from_key_file(&path).expect("read");
        assert_eq!(first.pseudonym("t", "1"), again.pseudonym("t", "1"));
    }
}
