//! `dvc-onboard backup`: a consistent copy of a live SQLite database, made with SQLite's online
//! backup while the bot goes on writing.

use anyhow::{Context, bail};
use rusqlite::backup::StepResult;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// Copies the SQLite database `source` to `target` (which must not exist yet), checks the copy,
/// and returns its size in bytes. The pages are copied in one step of SQLite's online backup:
/// inside one read of the database, so the copy is the database as it was at one moment; the
/// bot's writes go on meanwhile (the write-ahead log lets them). The copy is written beside
/// `target` first and renamed when whole, so a cut-off backup leaves no file that looks done.
pub fn sqlite(source: &Path, target: &Path) -> anyhow::Result<u64> {
    if target.exists() {
        bail!(
            "{} exists already: give a new file name (a backup never overwrites)",
            target.display()
        );
    }
    if !source.is_file() {
        bail!("there is no database at {}", source.display());
    }
    let from = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("cannot open {}", source.display()))?;
    from.busy_timeout(std::time::Duration::from_secs(10))?;
    let partial = PathBuf::from(format!("{}.partial", target.display()));
    let _ = std::fs::remove_file(&partial);
    {
        let mut to = Connection::open(&partial)
            .with_context(|| format!("cannot create {}", partial.display()))?;
        let backup = rusqlite::backup::Backup::new(&from, &mut to)?;
        // Every page in one step (-1): one read of the database. Busy: the bot holds a lock
        // for a moment (a checkpoint); tried again for up to ten seconds.
        let mut tries = 0;
        loop {
            match backup.step(-1).context("the online backup failed")? {
                StepResult::Done => break,
                _ if tries >= 100 => bail!("the database stayed busy for ten seconds"),
                _ => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
            }
        }
        drop(backup);
        let check: String = to.query_row("PRAGMA integrity_check", [], |row| row.get(0))?;
        if check != "ok" {
            bail!("the copy does not pass SQLite's integrity check: {check}");
        }
        // One file, with nothing in a write-ahead log beside it.
        to.pragma_update(None, "journal_mode", "DELETE")?;
    }
    std::fs::rename(&partial, target)
        .with_context(|| format!("cannot write {}", target.display()))?;
    Ok(std::fs::metadata(target)?.len())
}
