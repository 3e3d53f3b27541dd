//! Collecting each part of the stack into members ready to be archived. Every member's
//! size and sha256 are known before the archive is written, because the manifest comes
//! first; nothing is held in memory except small API documents.

pub mod alertmanager;
pub mod configs;
pub mod grafana;
pub mod prometheus;
pub mod secrets;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result};

use super::manifest::{self, Member};

/// Where a member's bytes come from.
#[derive(Debug, Clone)]
pub enum Src {
    /// A file on disk. `recheck`: hash it again while archiving (it may change meanwhile).
    File { path: PathBuf, recheck: bool },
    /// A small document fetched from an API.
    Bytes(Vec<u8>),
}

/// A member ready to be archived.
#[derive(Debug, Clone)]
pub struct Staged {
    pub member: Member,
    pub src: Src,
}

impl Staged {
    pub fn bytes(path: impl Into<String>, data: Vec<u8>, mode: u32) -> Staged {
        Staged {
            member: Member {
                path: path.into(),
                size: data.len() as u64,
                sha256: manifest::sha256_hex(&data),
                mode,
            },
            src: Src::Bytes(data),
        }
    }

    /// JSON document member (pretty, newline-terminated).
    pub fn json(path: impl Into<String>, value: &impl serde::Serialize) -> Result<Staged> {
        let mut data = serde_json::to_vec_pretty(value).context("cannot encode JSON")?;
        data.push(b'\n');
        Ok(Staged::bytes(path, data, 0o644))
    }
}

/// A regular file found under a directory.
#[derive(Debug, Clone)]
pub struct Found {
    /// Path relative to the root, `/`-separated.
    pub rel: String,
    pub path: PathBuf,
    pub size: u64,
    pub mode: u32,
}

/// Everything under `root`, sorted: regular files, and the relative paths of what was
/// skipped (links, sockets, ...). `skip_dir` prunes directories by relative path.
pub fn walk(root: &Path, skip_dir: &dyn Fn(&str) -> bool) -> Result<(Vec<Found>, Vec<String>)> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        let rd = fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?;
        let mut entries: Vec<_> = rd
            .collect::<std::io::Result<Vec<_>>>()
            .with_context(|| format!("cannot list {}", dir.display()))?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries.into_iter().rev() {
            let Some(name) = e.file_name().to_str().map(str::to_string) else {
                skipped
                    .push(format!("{rel}{} (name is not UTF-8)", e.file_name().to_string_lossy()));
                continue;
            };
            let r = format!("{rel}{name}");
            let ft =
                e.file_type().with_context(|| format!("cannot read {}", e.path().display()))?;
            if ft.is_dir() {
                if !skip_dir(&r) {
                    stack.push((e.path(), format!("{r}/")));
                }
            } else if ft.is_file() {
                let m =
                    e.metadata().with_context(|| format!("cannot read {}", e.path().display()))?;
                files.push(Found { rel: r, path: e.path(), size: m.len(), mode: mode_of(&m) });
            } else {
                skipped.push(r);
            }
        }
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    skipped.sort();
    Ok((files, skipped))
}

#[cfg(unix)]
fn mode_of(m: &fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    m.permissions().mode() & 0o777
}

#[cfg(not(unix))]
fn mode_of(_m: &fs::Metadata) -> u32 {
    0o644
}

/// Hash files on every core; `progress` gets byte counts. The result is in input order.
pub fn hash_files(
    files: &[Found],
    prefix: &str,
    recheck: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<Staged>> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Staged>>>> =
        Mutex::new((0..files.len()).map(|_| None).collect());
    let threads = super::pgzip::workers().min(files.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut buf = vec![0u8; 1 << 20];
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(f) = files.get(i) else { return };
                    let r = hash_one(f, prefix, recheck, &mut buf, progress);
                    let failed = r.is_err();
                    if let Ok(mut v) = results.lock() {
                        v[i] = Some(r);
                    }
                    if failed {
                        // Stop the other workers early.
                        next.store(files.len(), Ordering::Relaxed);
                        return;
                    }
                }
            });
        }
    });
    let v = results.into_inner().map_err(|_| anyhow::anyhow!("a hashing thread failed"))?;
    let mut out = Vec::with_capacity(files.len());
    for (i, r) in v.into_iter().enumerate() {
        match r {
            Some(r) => out.push(r?),
            None => anyhow::bail!("{} was not hashed", files[i].path.display()),
        }
    }
    Ok(out)
}

fn hash_one(
    f: &Found,
    prefix: &str,
    recheck: bool,
    buf: &mut [u8],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Staged> {
    let mut file =
        fs::File::open(&f.path).with_context(|| format!("cannot open {}", f.path.display()))?;
    let (size, sha256) = manifest::hash_reader(&mut file, buf, &|n| progress(n))
        .with_context(|| format!("cannot read {}", f.path.display()))?;
    Ok(Staged {
        member: Member { path: format!("{prefix}{}", f.rel), size, sha256, mode: f.mode },
        src: Src::File { path: f.path.clone(), recheck },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_and_hashes_in_order() {
        let d = tempfile::tempdir().expect("tmp");
        fs::create_dir_all(d.path().join("b/c")).expect("mk");
        fs::write(d.path().join("b/c/z.txt"), "z").expect("w");
        fs::write(d.path().join("a.txt"), "a").expect("w");
        fs::create_dir_all(d.path().join(".git")).expect("mk");
        fs::write(d.path().join(".git/HEAD"), "x").expect("w");
        #[cfg(unix)]
        std::os::unix::fs::symlink("/etc/passwd", d.path().join("link")).expect("ln");
        let (files, skipped) = walk(d.path(), &|r| r == ".git").expect("walk");
        let rels: Vec<&str> = files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, vec!["a.txt", "b/c/z.txt"]);
        #[cfg(unix)]
        assert_eq!(skipped, vec!["link".to_string()]);
        let staged = hash_files(&files, "configs/", true, &|_| {}).expect("hash");
        assert_eq!(staged[0].member.path, "configs/a.txt");
        assert_eq!(staged[1].member.sha256, manifest::sha256_hex(b"z"));
    }
}
