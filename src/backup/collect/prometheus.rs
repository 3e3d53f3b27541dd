//! Prometheus: a TSDB snapshot through the admin API, read from the data directory
//! (`--prometheus-data-dir`) or copied out of the Compose service, then removed from the
//! server.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::{Staged, hash_files, walk};
use crate::api::PrometheusClient;
use crate::backup::manifest::ComponentInfo;
use crate::stack::engine::Compose;

/// The Compose service that runs Prometheus.
pub const SERVICE: &str = "prometheus";

/// The TSDB path inside the container: what Prometheus says (`storage.tsdb.path`), else the
/// stack's `/prometheus`.
pub fn container_tsdb_path(rt: &tokio::runtime::Runtime, client: &PrometheusClient) -> String {
    rt.block_on(client.flags())
        .ok()
        .and_then(|f| f.get("storage.tsdb.path").cloned())
        .filter(|p| p.starts_with('/'))
        .unwrap_or_else(|| "/prometheus".to_string())
}

/// A shell snippet that runs busybox applets when the image has busybox (the official
/// images and the test images do) and the plain commands otherwise.
pub const BB: &str = "bb() { if [ -x /bin/busybox ]; then /bin/busybox \"$@\"; else \"$@\"; fi; }";

/// Remove a directory inside the running Prometheus container.
pub fn remove_in_container(compose: &Compose, path: &str) -> Result<()> {
    let script = format!("{BB}; bb rm -rf \"$0\"");
    compose
        .run(&["exec", "-T", SERVICE, "sh", "-c", &script, path])
        .map(drop)
        .with_context(|| format!("cannot remove {path} in service {SERVICE}"))
}

/// Take a snapshot in the Compose service and copy it out (`compose cp`) into `staging`;
/// the snapshot is removed from the container right after the copy.
pub fn from_compose(
    rt: &tokio::runtime::Runtime,
    client: &PrometheusClient,
    compose: &Compose,
    staging: &Path,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(ComponentInfo, Vec<Staged>, SnapshotGuard)> {
    // Never copy another stack directory's data under the same project name.
    let own = compose.ps_owned()?;
    if !own.iter().any(|c| c.service == SERVICE && c.is_running()) {
        bail!(
            "Prometheus is not running in Compose project {} (start it with `stellar-obs up`); for a Prometheus outside Compose give --prometheus-data-dir",
            compose.project
        );
    }
    let mut info = ComponentInfo { included: true, ..Default::default() };
    rt.block_on(describe(client, &mut info));
    let tsdb = container_tsdb_path(rt, client);
    let name = rt
        .block_on(client.snapshot(false))
        .with_context(|| format!("cannot take a TSDB snapshot through {}", client.http.base()))?;
    let inside = format!("{}/snapshots/{name}", tsdb.trim_end_matches('/'));
    SnapshotRecord {
        name: name.clone(),
        data_dir: None,
        project: Some(compose.project.clone()),
        inside: Some(inside.clone()),
    }
    .save(staging);
    let local = staging.join(&name);
    let on_interrupt = {
        let (compose, inside) = (compose.clone(), inside.clone());
        crate::interrupt::on_interrupt(
            format!("the snapshot {inside} in service {SERVICE}"),
            move || {
                let _ = remove_in_container(&compose, &inside);
            },
        )
    };
    let copied = compose.cp_from(SERVICE, &inside, &local);
    // Prometheus never deletes snapshots: remove it whether the copy worked or not.
    if let Err(e) = remove_in_container(compose, &inside) {
        info.notes.push(format!(
            "the snapshot {inside} could not be removed from the container ({e:#}); remove it by hand"
        ));
    }
    drop(on_interrupt);
    copied?;
    let guard = SnapshotGuard::new(local.clone());
    let staged = stage_dir(&local, progress)?;
    info.method = Some(format!(
        "TSDB snapshot through the admin API, copied out of service {SERVICE} of Compose project {} (docker compose cp)",
        compose.project
    ));
    info.details.insert("snapshot".into(), name);
    info.details.insert("storage.tsdb.path".into(), tsdb);
    info.count("files", staged.len() as u64);
    info.count("bytes", staged.iter().map(|s| s.member.size).sum());
    Ok((info, staged, guard))
}

/// The record of a snapshot this backup made, in its staging folder (`<temp>.staging/`):
/// a backup killed with SIGKILL cannot remove its snapshot, and Prometheus never does; the
/// next backup into the same directory reads the record and removes that snapshot by name.
pub const RECORD: &str = "prometheus-snapshot.json";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SnapshotRecord {
    /// The snapshot's name (Prometheus': `20261125T203000Z-4c2a...`).
    pub name: String,
    /// `--prometheus-data-dir`, absolute, when Prometheus runs outside Compose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<String>,
    /// The Compose project and the path inside the container, under Compose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inside: Option<String>,
}

impl SnapshotRecord {
    /// Write it into `staging` (best effort: a failure only loses the crash cleanup).
    pub fn save(&self, staging: &Path) {
        if let Ok(b) = serde_json::to_vec(self) {
            let _ = crate::fsutil::write_atomic(&staging.join(RECORD), &b, Some(0o600));
        }
    }

    pub fn load(staging: &Path) -> Option<SnapshotRecord> {
        let b = crate::fsutil::read_capped(&staging.join(RECORD), 64 * 1024).ok()?;
        let r: SnapshotRecord = serde_json::from_slice(&b).ok()?;
        // A name, never a path: nothing outside `snapshots/` can be named.
        let safe = !r.name.is_empty()
            && r.name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        safe.then_some(r)
    }

    /// Remove the snapshot it names; `compose` is this run's project (a record from another
    /// project is left alone). Returns what was done, for a warning.
    pub fn remove(&self, compose: Option<&Compose>) -> Option<String> {
        if let Some(d) = &self.data_dir {
            let snap = Path::new(d).join("snapshots").join(&self.name);
            if snap.is_dir() {
                return Some(match std::fs::remove_dir_all(&snap) {
                    Ok(()) => format!(
                        "removed the Prometheus snapshot {} left by a backup that was killed",
                        snap.display()
                    ),
                    Err(e) => format!(
                        "cannot remove the Prometheus snapshot {} left by a killed backup: {e}",
                        snap.display()
                    ),
                });
            }
            return None;
        }
        let (Some(project), Some(inside)) = (&self.project, &self.inside) else { return None };
        let expected = format!("/snapshots/{}", self.name);
        match compose {
            Some(c) if &c.project == project && inside.ends_with(&expected) => {
                Some(match remove_in_container(c, inside) {
                    Ok(()) => format!(
                        "removed the Prometheus snapshot {inside} (service {SERVICE}) left by a backup that was killed"
                    ),
                    Err(e) => format!("{e:#}"),
                })
            }
            _ => Some(format!(
                "a killed backup left the Prometheus snapshot {inside} in Compose project {project}: remove it with `docker compose exec {SERVICE} rm -rf {inside}`"
            )),
        }
    }
}

/// Archive folder of the snapshot's files.
pub const PREFIX: &str = "prometheus/snapshot/";

/// Removes a snapshot directory when dropped (Prometheus never deletes snapshots).
/// Also on Ctrl-C or SIGTERM.
#[derive(Debug)]
pub struct SnapshotGuard {
    dir: Option<PathBuf>,
    _on_interrupt: crate::interrupt::Cleanup,
}

impl SnapshotGuard {
    pub fn new(dir: PathBuf) -> Self {
        let on_interrupt = crate::interrupt::remove_on_interrupt(&dir);
        SnapshotGuard { dir: Some(dir), _on_interrupt: on_interrupt }
    }

    /// Remove it now; the error says what was left behind.
    pub fn remove(mut self) -> Result<()> {
        match self.dir.take() {
            Some(d) => match std::fs::remove_dir_all(&d) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    Err(e).with_context(|| format!("cannot remove the snapshot {}", d.display()))
                }
                _ => Ok(()),
            },
            None => Ok(()),
        }
    }
}

impl Drop for SnapshotGuard {
    fn drop(&mut self) {
        if let Some(d) = self.dir.take() {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}

/// Facts about the server for the manifest (best effort).
pub async fn describe(client: &PrometheusClient, info: &mut ComponentInfo) {
    info.source = Some(client.http.base().to_string());
    if let Ok(b) = client.buildinfo().await {
        info.version = Some(b.version);
    }
}

/// Take a snapshot and name its files, with `data_dir` the directory Prometheus runs with.
pub fn from_data_dir(
    rt: &tokio::runtime::Runtime,
    client: &PrometheusClient,
    data_dir: &Path,
    staging: &Path,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(ComponentInfo, Vec<Staged>, SnapshotGuard)> {
    if !data_dir.is_dir() {
        bail!("--prometheus-data-dir {} is not a directory", data_dir.display());
    }
    let mut info = ComponentInfo { included: true, ..Default::default() };
    rt.block_on(describe(client, &mut info));
    if let Ok(flags) = rt.block_on(client.flags())
        && let Some(p) = flags.get("storage.tsdb.path")
    {
        info.details.insert("storage.tsdb.path".into(), p.clone());
    }
    let name = rt
        .block_on(client.snapshot(false))
        .with_context(|| format!("cannot take a TSDB snapshot through {}", client.http.base()))?;
    SnapshotRecord {
        name: name.clone(),
        data_dir: Some(crate::backup::display_abs(data_dir)),
        project: None,
        inside: None,
    }
    .save(staging);
    let snap = data_dir.join("snapshots").join(&name);
    if !snap.is_dir() {
        let hint = info
            .details
            .get("storage.tsdb.path")
            .map(|p| format!(" (Prometheus says its data directory is {p})"))
            .unwrap_or_default();
        bail!(
            "Prometheus made the snapshot {name}, but it is not in {}{hint}: --prometheus-data-dir must be the directory Prometheus runs with (--storage.tsdb.path); remove the snapshot from that directory's snapshots/ by hand",
            snap.display()
        );
    }
    let guard = SnapshotGuard::new(snap.clone());
    let staged = stage_dir(&snap, progress)?;
    info.method = Some(format!(
        "TSDB snapshot through the admin API, read from {}",
        crate::backup::display_abs(data_dir)
    ));
    info.details.insert("snapshot".into(), name);
    info.count("files", staged.len() as u64);
    info.count("bytes", staged.iter().map(|s| s.member.size).sum());
    Ok((info, staged, guard))
}

/// Name and hash every file of a snapshot directory.
pub fn stage_dir(snap: &Path, progress: &(dyn Fn(u64) + Sync)) -> Result<Vec<Staged>> {
    let (files, skipped) = walk(snap, &|_| false)?;
    if !skipped.is_empty() {
        bail!(
            "the snapshot {} holds entries that are not regular files: {}",
            snap.display(),
            skipped.join(", ")
        );
    }
    // Snapshot files are hard links to immutable blocks: hashed once, not re-checked.
    hash_files(&files, PREFIX, false, progress)
}
