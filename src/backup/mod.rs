//! `stellar-obs backup`, `backup verify`, `restore`.
//!
//! - [`manifest`]: the manifest format, member paths, checksums.
//! - [`archive`]: the archive file: streamed tar in parallel gzip, atomic write, the
//!   verify pass and the extract pass.
//! - [`collect`]: each part of the stack into members; [`restore`]: each part back.

pub mod allow;
pub mod archive;
pub mod collect;
pub mod manifest;
pub mod pgzip;
pub mod report;
pub mod restore;
pub mod sign;

use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};

use crate::api::{AlertmanagerClient, GrafanaClient, Http, PrometheusClient};
use crate::cli::{BackupArgs, BackupVerifyArgs, OutputFormat, RestoreArgs};
use crate::clock::{Clock, SystemClock, file_stamp, rfc3339};
use crate::outcome::Outcome;
use crate::output::Ui;
use crate::output::progress::Progress;
use crate::settings::{Component, ProcessEnv, Settings};
use crate::stack::engine::Compose;

use archive::ArchiveWriter;
use collect::{Src, Staged};
use manifest::{ComponentInfo, MANIFEST_NAME, Manifest, Part};
use report::{BackupReport, VerifyReport};

/// Default archive names: `stellar-obs-backup-<UTC stamp>.tar.gz`.
pub const NAME_PREFIX: &str = "stellar-obs-backup-";
pub const NAME_SUFFIX: &str = ".tar.gz";

/// Timeout of ordinary API calls.
pub const API_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
/// A snapshot persists the head block first: it may take a while on a big server.
pub const SNAPSHOT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(600);

/// A path as an absolute string for the manifest and reports.
pub fn display_abs(p: &Path) -> String {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()).display().to_string()
}

/// Where the archive goes: `--out` file, or the default name in `--out` directory or `.`.
pub fn resolve_target(out: Option<&Path>, now: SystemTime) -> Result<PathBuf> {
    let name = format!("{NAME_PREFIX}{}{NAME_SUFFIX}", file_stamp(now));
    match out {
        None => Ok(PathBuf::from(name)),
        Some(p) if p.is_dir() => Ok(p.join(name)),
        Some(p) => {
            let s = p.to_string_lossy();
            if s.ends_with('/') {
                bail!("--out {}: no such directory", p.display());
            }
            if p.exists() && !p.is_file() {
                bail!("--out {} exists and is not a file or directory", p.display());
            }
            Ok(p.to_path_buf())
        }
    }
}

fn prometheus_client(url: &str, timeout: std::time::Duration) -> Result<PrometheusClient> {
    Ok(PrometheusClient::new(Http::new(url, timeout).context("Prometheus client")?))
}

fn alertmanager_client(url: &str) -> Result<AlertmanagerClient> {
    Ok(AlertmanagerClient::new(Http::new(url, API_TIMEOUT).context("Alertmanager client")?))
}

/// A member with its size and hash known, plus what keeps its source alive.
struct Collected {
    info: ComponentInfo,
    staged: Vec<Staged>,
    guard: Option<collect::prometheus::SnapshotGuard>,
}

pub fn backup_command(s: &Settings, ui: &Ui, a: &BackupArgs) -> Result<Outcome> {
    ui.require_format("backup", &[OutputFormat::Json])?;
    let mut parts = manifest::parse_only(&a.only)?;
    // A partial stack: components `up --services` did not start are left out, and said so
    // (--only overrides).
    let mut not_started = Vec::new();
    if a.only.is_empty() {
        for (part, c) in [
            (Part::Prometheus, Component::Prometheus),
            (Part::Grafana, Component::Grafana),
            (Part::Alertmanager, Component::Alertmanager),
        ] {
            if let Some(why) = s.not_started(c) {
                parts.retain(|p| *p != part);
                not_started.push((part, why));
            }
        }
    }
    if let Some((_, why)) = not_started.first() {
        let names: Vec<&str> = not_started.iter().map(|(p, _)| p.key()).collect();
        ui.warn(format!("leaving out {}: {why}; `--only` backs them up anyway", names.join(", ")));
    }
    if a.keep == Some(0) {
        bail!("--keep must be at least 1");
    }
    if a.prometheus_data_dir.is_some() && !parts.contains(&Part::Prometheus) {
        bail!("--prometheus-data-dir is given but prometheus is not selected by --only");
    }
    // The key is read first: a missing or readable key stops before any snapshot.
    let key = a.sign.as_deref().map(sign::Key::load).transpose()?;
    let started = SystemClock.now();
    let t0 = Instant::now();
    let target = resolve_target(a.out.as_deref(), started)?;
    let secs = started.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    // Created first: a target directory we cannot write fails before any snapshot.
    // Ctrl-C removes the temporary archive, staged copies and snapshots (exit 130).
    crate::interrupt::install();
    // Snapshots a SIGKILLed backup into this directory left in Prometheus, by name.
    let mut warnings = remove_stale_snapshots(s, &crate::fsutil::parent_dir(&target));
    let mut writer = ArchiveWriter::create(&target, archive::DEFAULT_LEVEL, secs)?;
    // Data copied out of containers waits here (beside the target, same filesystem).
    let staging = writer.staging_dir()?;
    let rt = crate::runtime::runtime()?;
    let progress = Progress::new(ui);

    let mut manifest = Manifest::new(rfc3339(started));
    manifest.stack_dir = Some(display_abs(&s.dir));
    manifest.project = Some(s.project.clone());
    let mut staged: Vec<Staged> = Vec::new();
    let mut guards = Vec::new();
    for part in Part::ALL {
        if !parts.contains(&part) {
            let why = not_started
                .iter()
                .find(|(p, _)| *p == part)
                .map(|(_, w)| w.as_str())
                .unwrap_or("not selected by --only");
            manifest.components.insert(part, ComponentInfo::skipped(why));
            continue;
        }
        let c = collect_part(part, s, a, &rt, &progress, &staging).map_err(|e| {
            let off = match part {
                Part::Configs => String::new(),
                _ => format!(", or set STELLAR_OBS_{}_URL=off", part.key().to_ascii_uppercase()),
            };
            e.context(format!("cannot back up {} (leave it out with --only{off})", part.key()))
        })?;
        manifest.components.insert(part, c.info);
        staged.extend(c.staged);
        guards.extend(c.guard);
    }
    manifest.members = staged.iter().map(|s| s.member.clone()).collect();

    let total: u64 = manifest.total_bytes();
    let bar = progress.bytes("writing", Some(total));
    bar.set(&target.display().to_string());
    let manifest_bytes = manifest.to_json();
    writer.append_bytes(MANIFEST_NAME, &manifest_bytes, 0o644)?;
    if let Some(k) = &key {
        writer.append_bytes(sign::SIG_NAME, &k.signature(&manifest_bytes), 0o644)?;
    }
    for st in &staged {
        match &st.src {
            Src::Bytes(d) => {
                writer.append_bytes(&st.member.path, d, st.member.mode)?;
                bar.inc(d.len() as u64);
            }
            Src::File { path, recheck } => {
                let expect = recheck.then_some(st.member.sha256.as_str());
                writer.append_file(
                    &st.member.path,
                    path,
                    st.member.size,
                    st.member.mode,
                    expect,
                    &|n| bar.inc(n),
                )?;
            }
        }
    }
    let bytes = writer.finish()?;
    bar.clear();
    for g in guards {
        if let Err(e) = g.remove() {
            warnings.push(format!("{e:#}"));
        }
    }
    let pruned = match a.keep {
        Some(n) => prune(&target, n)?,
        None => Vec::new(),
    };
    for w in &warnings {
        ui.warn(w);
    }
    let report = BackupReport {
        archive: target.display().to_string(),
        bytes,
        members: manifest.members.len(),
        data_bytes: total,
        created: manifest.created.clone(),
        seconds: t0.elapsed().as_secs_f64(),
        components: manifest
            .components
            .iter()
            .map(|(p, c)| (p.key().to_string(), c.clone()))
            .collect(),
        pruned,
        warnings,
        signed: key.is_some(),
    };
    ui.emit(&report)?;
    Ok(Outcome::Success)
}

fn collect_part(
    part: Part,
    s: &Settings,
    a: &BackupArgs,
    rt: &tokio::runtime::Runtime,
    progress: &Progress,
    staging: &Path,
) -> Result<Collected> {
    let line = progress.line(part.key());
    let plain = |info: ComponentInfo, staged| Collected { info, staged, guard: None };
    let out = match part {
        Part::Configs => {
            line.set("reading the stack directory");
            let (info, staged) = collect::configs::collect(&s.dir, a.include_secrets, &|_| {})?;
            plain(info, staged)
        }
        Part::Grafana => match (s.url(Component::Grafana), &a.grafana.grafana_url) {
            (None, None) => {
                plain(ComponentInfo::skipped("the Grafana endpoint is off"), Vec::new())
            }
            _ => {
                line.set("reading Grafana");
                let (info, staged) = collect_grafana(rt, s, a)?;
                plain(info, staged)
            }
        },
        Part::Alertmanager => match s.url(Component::Alertmanager) {
            None => plain(ComponentInfo::skipped("the Alertmanager endpoint is off"), Vec::new()),
            Some(url) => {
                line.set("reading silences");
                let (info, staged) =
                    collect::alertmanager::collect(rt, &alertmanager_client(url)?)?;
                plain(info, staged)
            }
        },
        Part::Prometheus => match s.url(Component::Prometheus) {
            None => plain(ComponentInfo::skipped("the Prometheus endpoint is off"), Vec::new()),
            Some(url) => {
                line.set("taking a TSDB snapshot");
                let client = prometheus_client(url, SNAPSHOT_TIMEOUT)?;
                let hashing = progress.bytes("hashing", None);
                let (info, staged, guard) = match &a.prometheus_data_dir {
                    Some(dir) => {
                        collect::prometheus::from_data_dir(rt, &client, dir, staging, &|n| {
                            hashing.inc(n)
                        })?
                    }
                    None => {
                        let compose = Compose::from_settings(s).context(
                            "Prometheus runs under Compose unless --prometheus-data-dir says where its data is",
                        )?;
                        collect::prometheus::from_compose(rt, &client, &compose, staging, &|n| {
                            hashing.inc(n)
                        })?
                    }
                };
                hashing.clear();
                Collected { info, staged, guard: Some(guard) }
            }
        },
    };
    line.finish(&summary(&out.info));
    Ok(out)
}

fn collect_grafana(
    rt: &tokio::runtime::Runtime,
    s: &Settings,
    a: &BackupArgs,
) -> Result<(ComponentInfo, Vec<Staged>)> {
    let client = GrafanaClient::from_settings(s, &a.grafana, &ProcessEnv)?;
    collect::grafana::collect(rt, &client)
}

/// Remove the Prometheus snapshots recorded in the staging folders of killed backups in
/// `dir` (the folders themselves go when the new archive is created). Returns warnings that
/// say what was removed or what is left to remove by hand.
fn remove_stale_snapshots(s: &Settings, dir: &Path) -> Vec<String> {
    let records: Vec<_> = archive::stale_staging(dir)
        .iter()
        .filter_map(|st| collect::prometheus::SnapshotRecord::load(st))
        .collect();
    if records.is_empty() {
        return Vec::new();
    }
    let compose = Compose::from_settings(s).ok();
    records.iter().filter_map(|r| r.remove(compose.as_ref())).collect()
}

/// One line about what a component contributed.
pub fn summary(c: &ComponentInfo) -> String {
    if !c.included {
        return format!("skipped: {}", c.reason.clone().unwrap_or_default());
    }
    let mut parts: Vec<String> = Vec::new();
    for (k, v) in &c.counts {
        if k == "bytes" {
            parts.push(crate::output::words::size(*v));
        } else {
            parts.push(crate::output::words::count_key(*v, k));
        }
    }
    if let Some(v) = &c.version {
        parts.push(format!("version {v}"));
    }
    parts.join(", ")
}

/// Keep the newest `keep` default-named archives beside `target`; returns what was removed.
pub fn prune(target: &Path, keep: usize) -> Result<Vec<String>> {
    let dir = crate::fsutil::parent_dir(target);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.starts_with(NAME_PREFIX) && n.ends_with(NAME_SUFFIX))
        .collect();
    // UTC stamps in the names sort by time; newest first.
    names.sort_by(|a, b| b.cmp(a));
    let own = target.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let mut removed = Vec::new();
    let mut kept = 0usize;
    if names.contains(&own) {
        kept = 1;
    }
    for n in names {
        if n == own {
            continue;
        }
        if kept < keep {
            kept += 1;
            continue;
        }
        let p = dir.join(&n);
        std::fs::remove_file(&p).with_context(|| format!("cannot remove {}", p.display()))?;
        removed.push(p.display().to_string());
    }
    Ok(removed)
}

pub fn verify_command(ui: &Ui, a: &BackupVerifyArgs) -> Result<Outcome> {
    ui.require_format("backup verify", &[OutputFormat::Json])?;
    let progress = Progress::new(ui);
    let key = a.verify_key.as_deref().map(sign::Key::load).transpose()?;
    let bar = progress.bytes("verifying", None);
    let mut v = archive::verify(&a.archive, &|_| false, &|n| bar.inc(n))?;
    bar.clear();
    check_signature(&mut v, key.as_ref());
    let report = VerifyReport::new(&a.archive, &v, key.is_some());
    ui.emit(&report)?;
    Ok(if v.intact() { Outcome::Success } else { Outcome::Failure })
}

/// With a key: an intact archive must carry a signature that matches it (a problem
/// otherwise, so the archive counts as not intact).
pub fn check_signature(v: &mut archive::Verified, key: Option<&sign::Key>) {
    if let Some(k) = key
        && v.intact()
        && let Err(why) = k.check(&v.manifest_raw, v.signature.as_deref())
    {
        v.problems.push(why);
    }
}

pub fn restore_command(s: &Settings, ui: &Ui, a: &RestoreArgs) -> Result<Outcome> {
    restore::run(s, ui, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let t = UNIX_EPOCH + std::time::Duration::from_secs(1_764_102_600);
        assert_eq!(
            resolve_target(None, t).expect("default"),
            PathBuf::from("stellar-obs-backup-20251125T203000Z.tar.gz")
        );
        let d = tempfile::tempdir().expect("tmp");
        assert_eq!(
            resolve_target(Some(d.path()), t).expect("dir"),
            d.path().join("stellar-obs-backup-20251125T203000Z.tar.gz")
        );
        let f = d.path().join("mine.tar.gz");
        assert_eq!(resolve_target(Some(&f), t).expect("file"), f);
        assert!(resolve_target(Some(Path::new("/nonexistent-dir-xyz/")), t).is_err());
    }

    #[test]
    fn prune_keeps_the_newest() {
        let d = tempfile::tempdir().expect("tmp");
        for n in ["20260101T000000Z", "20260102T000000Z", "20260103T000000Z", "20260104T000000Z"] {
            std::fs::write(d.path().join(format!("{NAME_PREFIX}{n}{NAME_SUFFIX}")), "x")
                .expect("w");
        }
        std::fs::write(d.path().join("other.tar.gz"), "x").expect("w");
        let target = d.path().join(format!("{NAME_PREFIX}20260104T000000Z{NAME_SUFFIX}"));
        let removed = prune(&target, 2).expect("prune");
        assert_eq!(removed.len(), 2, "{removed:?}");
        let mut left: Vec<String> = std::fs::read_dir(d.path())
            .expect("ls")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        left.sort();
        assert_eq!(
            left,
            vec![
                "other.tar.gz".to_string(),
                format!("{NAME_PREFIX}20260103T000000Z{NAME_SUFFIX}"),
                format!("{NAME_PREFIX}20260104T000000Z{NAME_SUFFIX}"),
            ]
        );
    }

    #[test]
    fn summaries() {
        let mut c = ComponentInfo { included: true, ..Default::default() };
        c.count("files", 3);
        c.count("bytes", 2048);
        assert_eq!(summary(&c), "2 KiB, 3 files");
        assert!(summary(&ComponentInfo::skipped("x")).contains("skipped: x"));
    }
}
