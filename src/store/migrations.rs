//! The migrations of each backend (`migrations/sqlite`, `migrations/postgres`), embedded at
//! build time.
//!
//! A migration, once applied somewhere, is never edited: sqlx records a checksum of each file
//! and refuses a database whose applied migrations changed, comments included. Where a comment
//! was reworded after release (to point at a document inside this repository), [`REWORDED`]
//! keeps the checksum of the file as first released, and a test proves that the comment is all
//! that changed.

use super::Backend;
use sqlx::migrate::Migrator;
use std::borrow::Cow;

/// A migration whose comment was reworded after release.
struct Reworded {
    backend: Backend,
    version: i64,
    /// SHA-384 of the file as released: what databases made since then have recorded.
    released_checksum: &'static str,
    /// SHA-384 of the released file without its comment lines, for the test that only a
    /// comment changed.
    #[cfg(test)]
    released_without_comments: &'static str,
}

const REWORDED: [Reworded; 2] = [
    Reworded {
        backend: Backend::Sqlite,
        version: 20261125000001,
        released_checksum: "e1b09573549b63189eb26be8b10dd75d7158b03e4bb7068727d95e0e18153995295200c4a13e03a4e8d69541f6bdf512",
        #[cfg(test)]
        released_without_comments: "da915cbc795f763651533c6be414a58547e2db338e42fa932a8952e19228a1c547a5bdc339fb4a3cd6f8e46296dfc53a",
    },
    Reworded {
        backend: Backend::Postgres,
        version: 20261125000001,
        released_checksum: "28d44bd1a6f9e99e34af1340e00c639644e0a72e96f7fdc1e2dafb4bd19f118a62b578a08196bcd4bee5844e53146cca",
        #[cfg(test)]
        released_without_comments: "defd8b316e2ed423c53afce18b760b738580bc2959763907249e849bde22ddd1256ea2335c17d4ee3d6e8cafbea621ae",
    },
];

/// The migrations of `backend`, with the released checksums of reworded ones.
pub(super) fn migrator(backend: Backend) -> Migrator {
    let embedded = match backend {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
        Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
    };
    let migrations = embedded
        .iter()
        .cloned()
        .map(|mut migration| {
            let reworded = REWORDED
                .iter()
                .find(|r| r.backend == backend && r.version == migration.version);
            if let Some(checksum) = reworded.and_then(|r| hex::decode(r.released_checksum).ok()) {
                migration.checksum = Cow::Owned(checksum);
            }
            migration
        })
        .collect();
    Migrator::with_migrations(migrations)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha384};

    #[test]
    fn a_reworded_migration_differs_from_its_release_in_its_comment_only() {
        for reworded in &REWORDED {
            let migrator = migrator(reworded.backend);
            let migration = migrator
                .iter()
                .find(|m| m.version == reworded.version)
                .expect("the reworded migration exists");
            let statements: String = migration
                .sql
                .as_str()
                .split_inclusive('\n')
                .filter(|line| !line.trim_start().starts_with("--"))
                .collect();
            assert_eq!(
                hex::encode(Sha384::digest(statements.as_bytes())),
                reworded.released_without_comments,
                "migration {} of {:?} changed beyond its comment",
                reworded.version,
                reworded.backend
            );
            assert_eq!(hex::encode(&migration.checksum), reworded.released_checksum);
        }
    }
}
