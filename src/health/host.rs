//! The machine `check-health` runs on: CPU, memory, and the disk that holds the stack
//! directory, each against its threshold (`thresholds:` in stellar-obs.yml, 80% by default).
//!
//! - CPU: two samples of the `cpu` line of `/proc/stat`, 200 ms apart (less when the timeout
//!   is shorter): the share of non-idle time (idle and iowait count as idle) across all
//!   cores during that window. A snapshot, not an average: a short spike can show.
//! - Memory: `1 - MemAvailable / MemTotal` from `/proc/meminfo` (what `free` calls
//!   available; page cache is not "used").
//! - Disk: `statvfs` of the stack directory (or its nearest existing parent), and of Docker's
//!   data root `/var/lib/docker` (where the stack's named volumes live) when it exists on
//!   another filesystem; used the way `df` computes it:
//!   `used / (used + available to unprivileged users)`.
//!
//! Any of them above its threshold → degraded. Linux only: elsewhere (no `/proc`) the row is
//! skipped with a message.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::probe::{Check, Finding, Probe, ProbeFuture, SubCheck};
use crate::settings::Thresholds;

pub struct HostProbe {
    /// `/proc` (a seam for tests).
    pub proc_root: PathBuf,
    /// The directories whose filesystems are measured: the stack directory first, then
    /// Docker's data root. Missing ones are replaced by their nearest existing parent;
    /// directories on a filesystem already measured are skipped.
    pub data_paths: Vec<PathBuf>,
    pub thresholds: Thresholds,
    /// Time between the two CPU samples.
    pub cpu_window: Duration,
}

/// Jiffies from the `cpu` line of `/proc/stat`: (busy, total).
pub fn cpu_times(stat: &str) -> Option<(u64, u64)> {
    let line = stat.lines().find(|l| l.starts_with("cpu "))?;
    let v: Vec<u64> = line.split_whitespace().skip(1).filter_map(|x| x.parse().ok()).collect();
    if v.len() < 4 {
        return None;
    }
    // user nice system idle iowait irq softirq steal (guest is already in user).
    let total: u64 = v.iter().take(8).sum();
    let idle = v[3] + v.get(4).copied().unwrap_or(0);
    Some((total - idle, total))
}

/// Busy percentage between two samples; `None` when no time passed.
pub fn cpu_percent(a: (u64, u64), b: (u64, u64)) -> Option<f64> {
    let total = b.1.checked_sub(a.1)?;
    let busy = b.0.checked_sub(a.0)?;
    (total > 0).then(|| busy as f64 * 100.0 / total as f64)
}

/// Used memory percentage from `/proc/meminfo`.
pub fn memory_percent(meminfo: &str) -> Option<f64> {
    let field = |name: &str| {
        meminfo
            .lines()
            .find(|l| l.starts_with(name) && l[name.len()..].starts_with(':'))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
    };
    let total = field("MemTotal")?;
    let avail = field("MemAvailable")?;
    (total > 0.0).then(|| (total - avail) * 100.0 / total)
}

/// The nearest existing directory at or above `dir` (the stack directory may not exist yet).
fn existing(dir: &Path) -> PathBuf {
    let abs = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir().map(|c| c.join(dir)).unwrap_or_else(|_| dir.to_path_buf())
    };
    abs.ancestors()
        .find(|a| a.is_dir())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"))
}

/// Used disk percentage of the filesystem holding `dir`, as df computes it.
pub fn disk_percent(dir: &Path) -> Result<(PathBuf, f64), String> {
    let at = existing(dir);
    let s = rustix::fs::statvfs(&at).map_err(|e| format!("statvfs {}: {e}", at.display()))?;
    let used = s.f_blocks.saturating_sub(s.f_bfree);
    let denom = used + s.f_bavail;
    if denom == 0 {
        return Ok((at, 0.0));
    }
    Ok((at, used as f64 * 100.0 / denom as f64))
}

/// [`disk_percent`] of each path, skipping paths on a filesystem already measured (same
/// device). The first path is always measured.
pub fn disks(paths: &[PathBuf]) -> Vec<Result<(PathBuf, f64), String>> {
    use std::os::unix::fs::MetadataExt;
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for (i, p) in paths.iter().enumerate() {
        let at = existing(p);
        if i > 0 && !p.exists() {
            continue;
        }
        if let Ok(m) = std::fs::metadata(&at) {
            if seen.contains(&m.dev()) {
                continue;
            }
            seen.push(m.dev());
        }
        out.push(disk_percent(&at));
    }
    out
}

fn judge(name: &str, what: &str, pct: f64, limit: f64) -> SubCheck {
    if pct > limit {
        SubCheck::degraded(name, format!("{what} {pct:.0}% used (threshold {limit:.0}%)"))
    } else {
        SubCheck::healthy(name, format!("{what} {pct:.0}%"))
    }
}

impl Probe for HostProbe {
    fn check(&self) -> Check {
        Check::Host
    }

    fn run(&self) -> ProbeFuture<'_> {
        Box::pin(async move {
            let stat_path = self.proc_root.join("stat");
            let read_stat = || std::fs::read_to_string(&stat_path).ok().and_then(|s| cpu_times(&s));
            let Some(first) = read_stat() else {
                return Finding::skipped(format!(
                    "{} is not readable: host resources are read from /proc (Linux only)",
                    stat_path.display()
                ));
            };
            // The filesystem may hang (a dead NFS mount): statvfs runs off the async threads.
            let paths = self.data_paths.clone();
            let disk = tokio::task::spawn_blocking(move || disks(&paths));
            tokio::time::sleep(self.cpu_window).await;
            let t = &self.thresholds;
            let mut subs = Vec::new();
            subs.push(match read_stat().and_then(|second| cpu_percent(first, second)) {
                Some(p) => judge("cpu", "cpu", p, t.cpu_percent),
                None => SubCheck::healthy("cpu", "cpu n/a"),
            });
            let mem_path = self.proc_root.join("meminfo");
            subs.push(
                match std::fs::read_to_string(&mem_path).ok().as_deref().and_then(memory_percent) {
                    Some(p) => judge("memory", "memory", p, t.memory_percent),
                    None => SubCheck::degraded(
                        "memory",
                        format!("cannot read MemTotal/MemAvailable from {}", mem_path.display()),
                    ),
                },
            );
            match disk.await {
                Ok(list) => {
                    for d in list {
                        subs.push(match d {
                            Ok((at, p)) => judge(
                                "disk",
                                &format!("disk ({})", at.display()),
                                p,
                                t.disk_percent,
                            ),
                            Err(e) => SubCheck::degraded("disk", e),
                        });
                    }
                }
                Err(e) => subs.push(SubCheck::degraded("disk", format!("disk check failed: {e}"))),
            }
            Finding::from_subchecks(subs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::probe::Status;

    const STAT1: &str = "cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 50 0 50 400 0 0 0 0 0 0\n";
    const STAT2: &str = "cpu  190 0 190 820 0 0 0 0 0 0\n";

    #[test]
    fn cpu_from_two_samples() {
        let a = cpu_times(STAT1).expect("a");
        let b = cpu_times(STAT2).expect("b");
        assert_eq!(a, (200, 1000));
        let p = cpu_percent(a, b).expect("p");
        assert!((p - 90.0).abs() < 1e-9, "{p}");
        assert_eq!(cpu_percent(a, a), None);
    }

    #[test]
    fn memory_from_meminfo() {
        let m = "MemTotal:       1000 kB\nMemFree:         100 kB\nMemAvailable:    250 kB\n";
        assert_eq!(memory_percent(m), Some(75.0));
        assert_eq!(memory_percent("MemTotal: 1000 kB\n"), None);
    }

    #[test]
    fn disk_of_a_missing_dir_uses_its_parent() {
        let d = tempfile::tempdir().expect("tmp");
        let (at, p) = disk_percent(&d.path().join("not/yet")).expect("statvfs");
        assert_eq!(at, d.path());
        assert!((0.0..=100.0).contains(&p));
    }

    #[test]
    fn one_row_per_filesystem() {
        let d = tempfile::tempdir().expect("tmp");
        let same = disks(&[d.path().into(), d.path().join("sub")]);
        assert_eq!(same.len(), 1, "same filesystem, and a missing extra path, count once");
        let two = disks(&[d.path().into(), "/proc".into()]);
        assert_eq!(two.len(), 2, "/proc is another filesystem");
    }

    fn fake_proc(stat: &str, meminfo: &str) -> tempfile::TempDir {
        let d = tempfile::tempdir().expect("tmp");
        std::fs::write(d.path().join("stat"), stat).expect("w");
        std::fs::write(d.path().join("meminfo"), meminfo).expect("w");
        d
    }

    #[tokio::test]
    async fn thresholds_decide() {
        let p = fake_proc(STAT1, "MemTotal: 1000 kB\nMemAvailable: 100 kB\n");
        let probe = HostProbe {
            proc_root: p.path().into(),
            data_paths: vec![p.path().into()],
            thresholds: Thresholds { cpu_percent: 80.0, memory_percent: 80.0, disk_percent: 100.0 },
            cpu_window: Duration::from_millis(1),
        };
        let f = probe.run().await;
        assert_eq!(f.status, Status::Degraded, "{f:?}");
        assert_eq!(f.message, "memory 90% used (threshold 80%)");
        let missing = HostProbe { proc_root: p.path().join("nope"), ..probe };
        assert_eq!(missing.run().await.status, Status::Skipped);
    }

    #[tokio::test]
    async fn the_real_host_reads() {
        let probe = HostProbe {
            proc_root: "/proc".into(),
            data_paths: vec![".".into(), "/var/lib/docker".into()],
            thresholds: Thresholds {
                cpu_percent: 100.0,
                memory_percent: 100.0,
                disk_percent: 100.0,
            },
            cpu_window: Duration::from_millis(50),
        };
        let f = probe.run().await;
        assert_eq!(f.status, Status::Healthy, "{f:?}");
        assert!(f.message.starts_with("cpu "), "{}", f.message);
    }
}
