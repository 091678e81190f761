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

/// The shortest key accepted, in bytes: an HMAC key shorter than its hash's 32 bytes is
/// weaker than it, and an empty one is public, so anyone could recompute every pseudonym from
/// Telegram ids.
pub const MIN_KEY_BYTES: usize = 32;

/// How to make a key, for the messages that refuse one.
pub const HOW_TO_MAKE_A_KEY: &str = "make one with `openssl rand -hex 32` (64 characters)";

impl Pseudonymizer {
    pub fn new(key: &[u8]) -> Pseudonymizer {
        Pseudonymizer { key: key.to_vec() }
    }

    /// A key given by the operator (`PSEUDONYM_KEY`), refused when shorter than
    /// [`MIN_KEY_BYTES`].
    pub fn from_key(key: &str) -> Result<Pseudonymizer, String> {
        let key = key.trim();
        if key.len() < MIN_KEY_BYTES {
            return Err(format!(
                "the pseudonym key has {} bytes, fewer than {MIN_KEY_BYTES}: {HOW_TO_MAKE_A_KEY}",
                key.len()
            ));
        }
        Ok(Pseudonymizer::new(key.as_bytes()))
    }

    /// Reads the key from `path`, or creates it there on first run: 32 random bytes in hex,
    /// written whole or not at all (a temporary file, flushed to disk, then renamed), readable
    /// by the owner only. A key file that is too short (empty after a power cut, say) or that
    /// others may read is refused, with what to do.
    pub fn from_key_file(path: &Path) -> std::io::Result<Pseudonymizer> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                refuse_if_shared(path)?;
                Pseudonymizer::from_key(&text)
                    .map_err(|e| invalid(format!("{}: {e}", path.display())))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = hex::encode(rand::random::<[u8; 32]>());
                write_private(path, &key)?;
                tracing::info!(path = %path.display(), "created a new pseudonym key; keep it safe and apart from the database backups");
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

fn invalid(message: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, message)
}

/// A key file that group or others may read is refused: the key makes pseudonyms people again.
fn refuse_if_shared(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(invalid(format!(
                "{} may be read by others (mode {:o}): `chmod 600 {}`",
                path.display(),
                mode & 0o777,
                path.display()
            )));
        }
    }
    Ok(())
}

/// Writes `contents` to `path` whole or not at all, readable by the owner only: into a new
/// temporary file beside it, flushed to disk, renamed over `path`, and the folder flushed, so a
/// power cut or a full disk never leaves an empty or partial key behind.
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "key".into());
    let temporary = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = (|| {
        let mut file = options.open(&temporary)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)?;
        if let Some(folder) = folder {
            std::fs::File::open(folder)?.sync_all()?;
        }
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
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
        let key = std::fs::read_to_string(&path).expect("the key");
        assert_eq!(key.len(), 64, "32 random bytes in hex");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
        assert_eq!(left.len(), 1, "no temporary file left behind");
    }

    #[test]
    fn a_short_empty_or_shared_key_is_refused() {
        assert!(Pseudonymizer::from_key("short").is_err());
        assert!(Pseudonymizer::from_key(&"k".repeat(31)).is_err());
        assert!(Pseudonymizer::from_key(&"k".repeat(32)).is_ok());
        let dir = tempfile::tempdir().expect("temp dir");
        let empty = dir.path().join("empty.key");
        write_private(&empty, "").expect("an empty key file");
        let refused = Pseudonymizer::from_key_file(&empty).expect_err("refused");
        assert!(
            refused.to_string().contains("openssl rand -hex 32"),
            "{refused}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let shared = dir.path().join("shared.key");
            write_private(&shared, &"a".repeat(64)).expect("a key file");
            std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o644))
                .expect("chmod");
            let refused = Pseudonymizer::from_key_file(&shared).expect_err("refused");
            assert!(refused.to_string().contains("chmod 600"), "{refused}");
        }
    }
}
