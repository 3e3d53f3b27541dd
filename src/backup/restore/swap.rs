//! The data swap of `restore --prometheus-data-dir`, made resumable: a journal in the data
//! directory (`.stellar-obs-restore.journal`) says which step ran, so a restore killed half
//! way (SIGKILL, power loss) is rolled back or finished by the next restore, which says so.
//!
//! 1. The snapshot is extracted into `.stellar-obs-restore-XXXX/` (no journal yet: killed
//!    here, the next run removes that folder; the data was never touched).
//! 2. Journal `moving-out`: the current entries move into `.stellar-obs-old-XXXX/`.
//!    Killed here: the next run moves them back (roll back).
//! 3. Journal `moving-in`: every old entry is aside; the new entries move in. Killed here:
//!    the next run moves in the rest (finish), since the staging folder is complete.
//! 4. Journal `done`: the old folder is removed, then the journal.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

pub const STAGING_PREFIX: &str = ".stellar-obs-restore-";
pub const OLD_PREFIX: &str = ".stellar-obs-old-";
pub const JOURNAL: &str = ".stellar-obs-restore.journal";

/// Entries of the data directory that belong to a restore, not to Prometheus.
pub fn ours(name: &str) -> bool {
    name.starts_with(STAGING_PREFIX) || name.starts_with(OLD_PREFIX) || name == JOURNAL
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Step {
    MovingOut,
    MovingIn,
    Done,
}

#[derive(Debug, Serialize, Deserialize)]
struct Journal {
    step: Step,
    /// Folder names inside the data directory.
    staging: String,
    old: String,
}

impl Journal {
    fn write(&self, dir: &Path) -> Result<()> {
        let b = serde_json::to_vec(self).context("journal")?;
        crate::fsutil::write_atomic(&dir.join(JOURNAL), &b, Some(0o600))
    }

    fn read(dir: &Path) -> Result<Option<Journal>> {
        let p = dir.join(JOURNAL);
        let b = match crate::fsutil::read_capped(&p, 64 * 1024) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", p.display())),
        };
        let j: Journal = serde_json::from_slice(&b).with_context(|| {
            format!("{} does not parse: remove it after checking {}", p.display(), dir.display())
        })?;
        let name_ok =
            |n: &str, prefix: &str| n.starts_with(prefix) && !n.contains('/') && n != "..";
        if !name_ok(&j.staging, STAGING_PREFIX) || !name_ok(&j.old, OLD_PREFIX) {
            bail!("{} names folders that are not a restore's: refused", p.display());
        }
        Ok(Some(j))
    }
}

fn names(d: &Path) -> Result<Vec<std::ffi::OsString>> {
    let mut v: Vec<_> = fs::read_dir(d)
        .with_context(|| format!("cannot list {}", d.display()))?
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| !ours(&n.to_string_lossy()))
        .collect();
    v.sort();
    Ok(v)
}

/// Move every entry of `from` into `to` that `to` does not have yet.
fn move_all(from: &Path, to: &Path) -> Result<()> {
    for n in names(from)? {
        if !to.join(&n).exists() {
            fs::rename(from.join(&n), to.join(&n)).with_context(|| {
                format!("cannot move {} to {}", from.join(&n).display(), to.display())
            })?;
        }
    }
    Ok(())
}

/// Finish or roll back a restore that was killed in `dir`, and remove folders an earlier
/// restore left. Returns what was done, for the report.
pub fn recover(dir: &Path) -> Result<Option<String>> {
    let said = match Journal::read(dir)? {
        Some(j) => {
            let (staging, old) = (dir.join(&j.staging), dir.join(&j.old));
            let said = match j.step {
                Step::MovingOut => {
                    if old.is_dir() {
                        move_all(&old, dir)?;
                    }
                    "an interrupted restore was rolled back: the data from before it is back in place"
                }
                Step::MovingIn | Step::Done => {
                    if staging.is_dir() {
                        move_all(&staging, dir)?;
                    }
                    "an interrupted restore was finished: its data is in place"
                }
            };
            crate::fsutil::sync_dir(dir);
            for d in [&staging, &old] {
                if d.exists() {
                    fs::remove_dir_all(d)
                        .with_context(|| format!("cannot remove {}", d.display()))?;
                }
            }
            fs::remove_file(dir.join(JOURNAL))
                .with_context(|| format!("cannot remove {}", dir.join(JOURNAL).display()))?;
            Some(format!("{said} ({})", dir.display()))
        }
        None => None,
    };
    // Without a journal, a staging folder is an extraction that never reached the data,
    // and an old folder is empty (the journal is written before anything moves into it).
    if let Ok(rd) = fs::read_dir(dir) {
        for e in rd.flatten() {
            let n = e.file_name().to_string_lossy().to_string();
            if n.starts_with(STAGING_PREFIX) {
                let _ = fs::remove_dir_all(e.path());
            } else if n.starts_with(OLD_PREFIX) && fs::remove_dir(e.path()).is_err() {
                bail!(
                    "{} holds data moved aside by an interrupted restore, and there is no journal that says how far it went: move its contents back into {} (or remove it) by hand",
                    e.path().display(),
                    dir.display()
                );
            }
        }
    }
    Ok(said)
}

/// Whether `dir` holds what an interrupted restore left (the plan says so).
pub fn interrupted(dir: &Path) -> bool {
    dir.join(JOURNAL).exists()
}

/// Move `dir`'s entries aside, move `staging`'s entries in, remove the old ones, with the
/// journal written before each step. On an error half way, the old entries are moved back.
pub fn swap(dir: &Path, staging: &Path) -> Result<()> {
    swap_with(dir, staging, &mut |_| Ok(()))
}

/// [`swap`] with `hook` called after the journal says each step (tests stop it there, as
/// a SIGKILL would).
fn swap_with(dir: &Path, staging: &Path, hook: &mut dyn FnMut(Step) -> Result<()>) -> Result<()> {
    // Kept (never removed on drop): after a failure it may hold the only copy of the data.
    let old = tempfile::Builder::new()
        .prefix(OLD_PREFIX)
        .tempdir_in(dir)
        .with_context(|| format!("cannot create a folder in {}", dir.display()))?
        .keep();
    let name =
        |p: &Path| p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let mut journal = Journal { step: Step::MovingOut, staging: name(staging), old: name(&old) };
    journal.write(dir)?;
    hook(Step::MovingOut)?;
    let current = names(dir)?;
    let mut moved_out = Vec::new();
    let undo = |moved_in: &[std::ffi::OsString], moved_out: &[std::ffi::OsString]| {
        for m in moved_in {
            let _ = fs::rename(dir.join(m), staging.join(m));
        }
        for m in moved_out {
            let _ = fs::rename(old.join(m), dir.join(m));
        }
        let _ = fs::remove_dir(&old);
        let _ = fs::remove_file(dir.join(JOURNAL));
    };
    for n in &current {
        if let Err(e) = fs::rename(dir.join(n), old.join(n)) {
            undo(&[], &moved_out);
            return Err(e).with_context(|| format!("cannot move {} aside", dir.join(n).display()));
        }
        moved_out.push(n.clone());
        hook(Step::MovingOut)?;
    }
    journal.step = Step::MovingIn;
    journal.write(dir)?;
    let mut moved_in = Vec::new();
    for n in names(staging)? {
        if let Err(e) = fs::rename(staging.join(&n), dir.join(&n)) {
            undo(&moved_in, &moved_out);
            return Err(e).with_context(|| {
                format!("cannot move the restored {} into place", n.to_string_lossy())
            });
        }
        moved_in.push(n);
        hook(Step::MovingIn)?;
    }
    crate::fsutil::sync_dir(dir);
    journal.step = Step::Done;
    journal.write(dir)?;
    fs::remove_dir_all(&old)
        .with_context(|| format!("cannot remove the old data in {}", old.display()))?;
    fs::remove_file(dir.join(JOURNAL))
        .with_context(|| format!("cannot remove {}", dir.join(JOURNAL).display()))?;
    crate::fsutil::sync_dir(dir);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(d: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(d)
            .expect("ls")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        v.sort();
        v
    }

    /// A data directory with old entries and a complete staging folder.
    fn setup() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
        let d = tempfile::tempdir().expect("tmp");
        let dir = d.path().join("data");
        for n in ["01OLD_A", "01OLD_B", "wal", "chunks_head"] {
            fs::create_dir_all(dir.join(n)).expect("mk");
            fs::write(dir.join(n).join("f"), n).expect("w");
        }
        fs::write(dir.join("lock"), "").expect("w");
        let staging = dir.join(format!("{STAGING_PREFIX}x"));
        for n in ["01NEW_A", "01NEW_B", "01NEW_C"] {
            fs::create_dir_all(staging.join(n)).expect("mk");
            fs::write(staging.join(n).join("meta.json"), n).expect("w");
        }
        (d, dir, staging)
    }

    /// Stop the swap after `after` hook calls at `step` (as SIGKILL would: no destructor).
    fn killed_at(dir: &Path, staging: &Path, step: Step, after: usize) {
        let mut n = 0;
        let r = swap_with(dir, staging, &mut |s| {
            if s == step {
                n += 1;
                if n > after {
                    bail!("killed");
                }
            }
            Ok(())
        });
        assert!(r.is_err());
    }

    #[test]
    fn killed_while_moving_out_is_rolled_back() {
        let (_d, dir, staging) = setup();
        let before = listing(&dir);
        // Two old entries moved aside, then killed (the old folder must survive: leak it).
        killed_at(&dir, &staging, Step::MovingOut, 2);
        assert!(listing(&dir).iter().any(|n| n.starts_with(OLD_PREFIX)), "the old folder survives");
        let said = recover(&dir).expect("recover").expect("said");
        assert!(said.contains("rolled back"), "{said}");
        assert_eq!(
            listing(&dir),
            before.into_iter().filter(|n| !n.starts_with(STAGING_PREFIX)).collect::<Vec<_>>()
        );
        assert_eq!(fs::read_to_string(dir.join("wal/f")).expect("r"), "wal");
    }

    #[test]
    fn killed_while_moving_in_is_finished() {
        let (_d, dir, staging) = setup();
        killed_at(&dir, &staging, Step::MovingIn, 1);
        let said = recover(&dir).expect("recover").expect("said");
        assert!(said.contains("finished"), "{said}");
        assert_eq!(listing(&dir), vec!["01NEW_A", "01NEW_B", "01NEW_C"]);
        assert_eq!(recover(&dir).expect("again"), None, "nothing left to do");
    }

    #[test]
    fn a_whole_swap_leaves_only_the_new_data() {
        let (_d, dir, staging) = setup();
        swap(&dir, &staging).expect("swap");
        fs::remove_dir(&staging).expect("staging empty");
        assert_eq!(listing(&dir), vec!["01NEW_A", "01NEW_B", "01NEW_C"]);
    }

    #[test]
    fn old_data_without_a_journal_is_never_deleted() {
        let (_d, dir, _staging) = setup();
        let old = dir.join(format!("{OLD_PREFIX}y"));
        fs::create_dir_all(old.join("01OLD_C")).expect("mk");
        let e = recover(&dir).expect_err("unknown state");
        assert!(e.to_string().contains("by hand"), "{e}");
        assert!(old.join("01OLD_C").is_dir());
    }
}
