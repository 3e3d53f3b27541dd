//! Prometheus data: the snapshot's blocks replace the data directory, only while Prometheus
//! is stopped. The blocks are extracted into a staging folder inside the data directory
//! first; the old contents are moved aside and removed only once the new ones are in place.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::api::{Http, HttpErrorKind};
use crate::backup::archive::{self, Verified};
use crate::backup::collect::prometheus::{BB, PREFIX, SERVICE, container_tsdb_path};
use crate::backup::manifest::{Manifest, Part};
use crate::backup::report::{Action, Step};
use crate::stack::engine::Compose;

use super::swap::{STAGING_PREFIX, ours, swap};

/// Where the data goes.
#[derive(Debug, Clone)]
pub enum Target {
    /// `--prometheus-data-dir`: a directory on this machine.
    DataDir,
    /// The volume of the Compose service, at this path inside the container.
    Compose { compose: Compose, tsdb: String },
}

#[derive(Debug, Clone)]
pub struct PromPlan {
    pub target: Target,
    pub dir: PathBuf,
    pub action: Action,
    pub files: usize,
    pub bytes: u64,
    pub url: Option<String>,
}

/// Refuse while a Prometheus answers at `url`: its data must not change under it.
pub fn ensure_stopped(rt: &tokio::runtime::Runtime, url: Option<&str>, dir: &Path) -> Result<()> {
    let Some(url) = url else { return Ok(()) };
    let http = Http::new(url, std::time::Duration::from_secs(3)).context("Prometheus client")?;
    match rt.block_on(http.send_any(reqwest::Method::GET, "/-/healthy", None, &[])) {
        Ok(_) => bail!(
            "Prometheus answers at {url}: stop it before restoring its data into {} (with --prometheus-data-dir stellar-obs does not stop it; it is started again on the restored data)",
            dir.display()
        ),
        Err(e) if matches!(e.kind, HttpErrorKind::Refused | HttpErrorKind::Dns) => Ok(()),
        Err(e) => bail!(
            "cannot tell whether Prometheus at {url} is stopped ({e}); restore refuses to replace {} while it might run",
            dir.display()
        ),
    }
}

/// Whether a process works on the data directory: the TSDB's `lock` file is locked
/// (Prometheus takes `flock(LOCK_EX)` on it unless started without a lock file; Debian's
/// build needs `--storage.tsdb.use-lockfile`), or a process has a file under `dir` open
/// (`/proc/*/fd`, Linux; a Prometheus always holds its WAL segment open). Returns what
/// was found. The HTTP probe cannot see a Prometheus whose URL is `off` or elsewhere.
pub fn in_use(dir: &Path) -> Option<String> {
    let lock = dir.join("lock");
    if let Ok(f) = fs::File::open(&lock) {
        match f.try_lock() {
            Ok(()) => {
                let _ = f.unlock();
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Some(format!("{} is locked by a running Prometheus", lock.display()));
            }
            Err(_) => {}
        }
    }
    open_by_process(dir)
}

/// A process (other than this one) with a file under `dir` open, as `pid N (name)`.
#[cfg(target_os = "linux")]
fn open_by_process(dir: &Path) -> Option<String> {
    let root = fs::canonicalize(dir).ok()?;
    let me = std::process::id().to_string();
    for p in fs::read_dir("/proc").ok()?.flatten() {
        let pid = p.file_name().to_string_lossy().to_string();
        if !pid.bytes().all(|b| b.is_ascii_digit()) || pid == me {
            continue;
        }
        let Ok(fds) = fs::read_dir(p.path().join("fd")) else { continue };
        for fd in fds.flatten() {
            if let Ok(target) = fs::read_link(fd.path())
                && target.starts_with(&root)
            {
                let name = fs::read_to_string(p.path().join("comm")).unwrap_or_default();
                return Some(format!(
                    "process {pid} ({}) has {} open",
                    name.trim().escape_debug(),
                    target.display()
                ));
            }
        }
    }
    None
}

#[cfg(not(target_os = "linux"))]
fn open_by_process(_dir: &Path) -> Option<String> {
    None
}

/// Refuse while Prometheus answers at `url` or works on `dir` (its lock, its open files).
fn ensure_idle(rt: &tokio::runtime::Runtime, url: Option<&str>, dir: &Path) -> Result<()> {
    ensure_stopped(rt, url, dir)?;
    if let Some(why) = in_use(dir) {
        bail!(
            "{why}: stop Prometheus before restoring its data into {} (stellar-obs does not stop a Prometheus outside Compose)",
            dir.display()
        );
    }
    Ok(())
}

/// Plan the replacement of `dir` (checks that Prometheus is stopped).
pub fn plan(
    rt: &tokio::runtime::Runtime,
    url: Option<&str>,
    dir: &Path,
    m: &Manifest,
) -> Result<PromPlan> {
    if dir.exists() && !dir.is_dir() {
        bail!("--prometheus-data-dir {} is not a directory", dir.display());
    }
    ensure_idle(rt, url, dir)?;
    let existing = match fs::read_dir(dir) {
        Ok(rd) => rd.flatten().filter(|e| !ours(&e.file_name().to_string_lossy())).count(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
        Err(e) => return Err(e).with_context(|| format!("cannot list {}", dir.display())),
    };
    let members: Vec<_> = m.members_of(Part::Prometheus).collect();
    Ok(PromPlan {
        target: Target::DataDir,
        dir: dir.to_path_buf(),
        action: if existing > 0 { Action::Replace } else { Action::Create },
        files: members.len(),
        bytes: members.iter().map(|m| m.size).sum(),
        url: url.map(str::to_string),
    })
}

/// Plan the replacement of the Compose service's data: its container must exist (it holds
/// the volume); it is stopped, its data replaced, and started again.
pub fn plan_compose(
    rt: &tokio::runtime::Runtime,
    compose: Compose,
    url: Option<&str>,
    m: &Manifest,
) -> Result<PromPlan> {
    // Never stop or overwrite another stack directory's Prometheus.
    let Some(container) = compose.ps_owned()?.into_iter().find(|c| c.service == SERVICE) else {
        bail!(
            "there is no {SERVICE} container in Compose project {}: create it and its volume with `stellar-obs up --services {SERVICE}` (restore then stops it, replaces its data and starts it), or restore into a directory with --prometheus-data-dir",
            compose.project
        );
    };
    let tsdb = match url {
        Some(u) if container.is_running() => {
            let client = crate::api::PrometheusClient::new(
                Http::new(u, std::time::Duration::from_secs(5)).context("Prometheus client")?,
            );
            container_tsdb_path(rt, &client)
        }
        _ => "/prometheus".to_string(),
    };
    let members: Vec<_> = m.members_of(Part::Prometheus).collect();
    Ok(PromPlan {
        dir: PathBuf::from(format!("{SERVICE}:{tsdb}")),
        target: Target::Compose { compose, tsdb },
        action: Action::Replace,
        files: members.len(),
        bytes: members.iter().map(|m| m.size).sum(),
        url: url.map(str::to_string),
    })
}

pub fn steps(p: &PromPlan, m: &Manifest) -> Vec<Step> {
    let snap = m
        .components
        .get(&Part::Prometheus)
        .and_then(|c| c.details.get("snapshot"))
        .cloned()
        .unwrap_or_default();
    let what = match (&p.target, p.action) {
        (Target::Compose { .. }, _) => {
            "stops the service, replaces the data in its volume, starts it again"
        }
        (_, Action::Replace) => "replaces the current data",
        _ => "into an empty directory",
    };
    let what = if matches!(p.target, Target::DataDir) && super::swap::interrupted(&p.dir) {
        format!("{what}; an interrupted restore found there is finished or rolled back first")
    } else {
        what.to_string()
    };
    vec![Step::new(
        Part::Prometheus,
        p.dir.display().to_string(),
        p.action,
        format!(
            "snapshot {snap}: {}, {} ({what})",
            crate::output::words::count_s(p.files as u64, "file"),
            crate::output::words::size(p.bytes)
        ),
    )]
}

/// The swap inside the volume, run as root in a one-off container of the service (the
/// service itself is stopped): everything but the copied-in folder is removed, the folder's
/// contents moved up, and ownership given back to the data directory's owner.
const SWAP_SCRIPT: &str = r#"set -e
d="$0"; new="$d/$1"
[ -d "$new" ] || { echo "the restored data is not in $new" >&2; exit 1; }
owner=$(bb stat -c %u:%g "$d")
for f in "$d"/* "$d"/.[!.]* "$d"/..?*; do
  [ -e "$f" ] || [ -L "$f" ] || continue
  [ "$f" = "$new" ] && continue
  bb rm -rf "$f"
done
for f in "$new"/* "$new"/.[!.]* "$new"/..?*; do
  [ -e "$f" ] || [ -L "$f" ] || continue
  bb mv "$f" "$d"/
done
bb rmdir "$new"
bb chown -R "$owner" "$d"
"#;

/// Extract the snapshot, then replace the data: in the directory, or in the Compose volume.
/// Returns a note for the report.
pub fn apply(
    rt: &tokio::runtime::Runtime,
    archive_path: &Path,
    verified: &Verified,
    p: &PromPlan,
    progress: &dyn Fn(u64),
) -> Result<String> {
    match &p.target {
        Target::DataDir => {
            let recovered = apply_dir(rt, archive_path, verified, p, progress)?;
            let done = format!(
                "Prometheus data restored into {}: start Prometheus on it",
                p.dir.display()
            );
            Ok(match recovered {
                Some(r) => format!("{r}; {done}"),
                None => done,
            })
        }
        Target::Compose { compose, tsdb } => {
            apply_compose(rt, archive_path, verified, p, compose, tsdb, progress)
        }
    }
}

fn apply_compose(
    rt: &tokio::runtime::Runtime,
    archive_path: &Path,
    verified: &Verified,
    p: &PromPlan,
    compose: &Compose,
    tsdb: &str,
    progress: &dyn Fn(u64),
) -> Result<String> {
    let near = crate::fsutil::parent_dir(archive_path);
    crate::fsutil::ensure_free(&near, p.bytes, "staging the Prometheus snapshot")?;
    remove_stale_staging(&near);
    let staging = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(&near)
        .or_else(|_| tempfile::Builder::new().prefix(STAGING_PREFIX).tempdir())
        .context("cannot create a staging folder")?;
    // The lock says "a restore is using this folder": a restore killed with SIGKILL leaves
    // it unlocked, and the next restore removes it.
    let lock = fs::File::create(staging.path().join(STAGING_LOCK))
        .with_context(|| format!("cannot create a file in {}", staging.path().display()))?;
    let _ = lock.try_lock();
    let _on_interrupt = crate::interrupt::remove_on_interrupt(staging.path());
    let root = staging.path().join("data");
    fs::create_dir_all(&root).with_context(|| format!("cannot create {}", root.display()))?;
    extract_snapshot(archive_path, verified, &root, progress)?;
    // From here until the service is started again, Ctrl-C waits: a half-done swap or a
    // stopped Prometheus is worse than a few more seconds.
    let critical = crate::interrupt::critical();
    compose.stop(&[SERVICE])?;
    // A name of its own each run: a folder a killed run copied in is removed by the swap
    // (it removes everything but the new folder).
    let new_name = staging
        .path()
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| STAGING_PREFIX.to_string());
    let inside = format!("{}/{new_name}", tsdb.trim_end_matches('/'));
    let swapped = compose.cp_to(SERVICE, &root, &inside).and_then(|()| {
        let script = format!("{BB}\n{SWAP_SCRIPT}");
        compose
            .run(&[
                "run",
                "--rm",
                "--no-deps",
                "-T",
                "--user",
                "root",
                "--entrypoint",
                "sh",
                SERVICE,
                "-c",
                &script,
                tsdb,
                &new_name,
            ])
            .map(drop)
            .context("replacing the data in the volume")
    });
    // Start it again whatever happened: a failed swap leaves the old data in place.
    let started = compose.start(&[SERVICE]);
    drop(critical);
    swapped?;
    started?;
    let ready = p.url.as_deref().is_some_and(|u| wait_ready(rt, u));
    Ok(if ready {
        format!("Prometheus data restored into service {SERVICE}; Prometheus is up again")
    } else {
        format!(
            "Prometheus data restored into service {SERVICE}; it was started again but is not ready yet (see `stellar-obs logs {SERVICE}`)"
        )
    })
}

/// The lock file in a staging folder beside the archive.
const STAGING_LOCK: &str = ".lock";

/// Remove staging folders beside the archive that restores killed with SIGKILL left (their
/// lock file is no longer locked).
fn remove_stale_staging(near: &Path) {
    let Ok(rd) = fs::read_dir(near) else { return };
    for e in rd.flatten() {
        if !e.file_name().to_string_lossy().starts_with(STAGING_PREFIX) {
            continue;
        }
        let lock = e.path().join(STAGING_LOCK);
        if let Ok(f) = fs::File::open(&lock)
            && f.try_lock().is_ok()
        {
            drop(f);
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// Write the archived snapshot's files under `root` (the staging folder).
fn extract_snapshot(
    archive_path: &Path,
    verified: &Verified,
    root: &Path,
    progress: &dyn Fn(u64),
) -> Result<()> {
    archive::extract(archive_path, verified, &|m| m.path.starts_with(PREFIX), &mut |m, r| {
        let rel = m.path.strip_prefix(PREFIX).unwrap_or(&m.path);
        let n = archive::write_new_file(&root.join(rel), r, m.mode)?;
        progress(n);
        Ok(())
    })
}

/// Poll `/-/ready` for up to two minutes (the TSDB loads its blocks first).
fn wait_ready(rt: &tokio::runtime::Runtime, url: &str) -> bool {
    let Ok(http) = Http::new(url, std::time::Duration::from_secs(3)) else { return false };
    let end = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while std::time::Instant::now() < end {
        if rt.block_on(http.get("/-/ready")).is_ok() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    false
}

/// Extract the snapshot into a staging folder, then swap it in.
fn apply_dir(
    rt: &tokio::runtime::Runtime,
    archive_path: &Path,
    verified: &Verified,
    p: &PromPlan,
    progress: &dyn Fn(u64),
) -> Result<Option<String>> {
    let dir = &p.dir;
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // What an interrupted restore left: finished or rolled back first, and said.
    let recovered = super::swap::recover(dir)?;
    // The old data stays until the new data is in: the snapshot needs room of its own.
    crate::fsutil::ensure_free(dir, p.bytes, "the Prometheus snapshot")?;
    let staging = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(dir)
        .with_context(|| format!("cannot create a staging folder in {}", dir.display()))?;
    let _on_interrupt = crate::interrupt::remove_on_interrupt(staging.path());
    let root = staging.path().to_path_buf();
    extract_snapshot(archive_path, verified, &root, progress)?;
    ensure_idle(rt, p.url.as_deref(), dir)?;
    let _critical = crate::interrupt::critical();
    swap(dir, &root)?;
    match_owner(dir);
    Ok(recovered)
}

/// When the data directory belongs to another user (Prometheus'), give the restored files
/// to that user too (works when running as root; otherwise they keep our ownership).
#[cfg(unix)]
fn match_owner(dir: &Path) {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = fs::metadata(dir) else { return };
    let (uid, gid) = (meta.uid(), meta.gid());
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if let Ok(m) = fs::symlink_metadata(&p) {
                if m.uid() != uid || m.gid() != gid {
                    let _ = std::os::unix::fs::lchown(&p, Some(uid), Some(gid));
                }
                if m.is_dir() {
                    stack.push(p);
                }
            }
        }
    }
}

#[cfg(not(unix))]
fn match_owner(_dir: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_locked_lock_file_or_an_open_file_means_in_use() {
        let d = tempfile::tempdir().expect("tmp");
        assert_eq!(in_use(d.path()), None);
        let lock = d.path().join("lock");
        fs::write(&lock, "").expect("w");
        assert_eq!(in_use(d.path()), None, "an unlocked lock file left by a crash");
        // flock locks belong to the open file description: a second open() conflicts
        // even in this process.
        let held = fs::File::open(&lock).expect("open");
        held.lock().expect("flock");
        let why = in_use(d.path()).expect("locked");
        assert!(why.contains("locked by a running Prometheus"), "{why}");
    }

    #[test]
    fn swap_replaces_contents_and_keeps_the_directory() {
        let d = tempfile::tempdir().expect("tmp");
        let dir = d.path().join("data");
        fs::create_dir_all(dir.join("wal")).expect("mk");
        fs::write(dir.join("wal/000001"), "old wal").expect("w");
        fs::write(dir.join("lock"), "").expect("w");
        let staging = dir.join(format!("{STAGING_PREFIX}x"));
        fs::create_dir_all(staging.join("01BLOCK/chunks")).expect("mk");
        fs::write(staging.join("01BLOCK/meta.json"), "{}").expect("w");
        swap(&dir, &staging).expect("swap");
        let mut names: Vec<String> = fs::read_dir(&dir)
            .expect("ls")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        // The (empty) staging folder is removed by its TempDir in real use.
        assert_eq!(names, vec![format!("{STAGING_PREFIX}x"), "01BLOCK".to_string()]);
        assert!(dir.join("01BLOCK/meta.json").is_file());
    }
}
