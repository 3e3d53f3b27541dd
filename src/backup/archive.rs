//! The archive file: a tar stream in parallel gzip ([`super::pgzip`]), `manifest.json` first.
//!
//! Writing goes to a locked temporary file beside the target
//! (`.stellar-obs-backup-XXXXXX.tmp`), which is fsynced and renamed over the target only when
//! complete: an interrupted backup never leaves a file at the target path. A temporary file
//! left by a killed run is no longer locked and is removed by the next backup into the same
//! directory.
//!
//! Reading is two passes over the file. [`verify`] checks every entry (type, path, listed in
//! the manifest, size, sha256) and writes nothing; [`extract`] runs only on an archive that
//! passed, and checks every entry again while handing it to the restore code.

use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::manifest::{self, Hasher, MANIFEST_NAME, Manifest, Member};
use super::pgzip::{self, ParGzReader, ParGzWriter};
use super::sign::SIG_NAME;
use crate::fsutil;

/// Prefix and suffix of the temporary archive beside the target.
pub const TMP_PREFIX: &str = ".stellar-obs-backup-";
pub const TMP_SUFFIX: &str = ".tmp";

/// libdeflate level. At 6 the archive is no larger than `gzip -6` (what `tar czf` uses)
/// on Prometheus data, and still several times faster per core.
pub const DEFAULT_LEVEL: u32 = 6;

/// An archive being written. Dropping it without [`ArchiveWriter::finish`] removes the
/// temporary file.
pub struct ArchiveWriter {
    target: PathBuf,
    tmp: Option<tempfile::NamedTempFile>,
    tar: Option<tar::Builder<ParGzWriter<BufWriter<File>>>>,
    mtime: u64,
    staging: Option<PathBuf>,
    /// Removes the temporary file and the staging folder on Ctrl-C or SIGTERM.
    on_interrupt: Vec<crate::interrupt::Cleanup>,
}

/// The staging folder that belongs to a temporary archive.
fn staging_of(tmp: &Path) -> PathBuf {
    let mut s = tmp.as_os_str().to_owned();
    s.push(".staging");
    PathBuf::from(s)
}

impl Drop for ArchiveWriter {
    fn drop(&mut self) {
        if let Some(d) = self.staging.take() {
            let _ = fs::remove_dir_all(d);
        }
    }
}

impl std::fmt::Debug for ArchiveWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArchiveWriter").field("target", &self.target).finish()
    }
}

impl ArchiveWriter {
    /// Start writing the archive that will end up at `target`. `mtime` (Unix seconds) is
    /// stamped on members that have no file time of their own.
    pub fn create(target: &Path, level: u32, mtime: u64) -> Result<ArchiveWriter> {
        let dir = fsutil::parent_dir(target);
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        clean_stale_temp(&dir);
        let tmp = tempfile::Builder::new()
            .prefix(TMP_PREFIX)
            .suffix(TMP_SUFFIX)
            .tempfile_in(&dir)
            .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
        // The lock says "a backup is writing this": the next run leaves it alone.
        let _ = tmp.as_file().try_lock();
        set_mode(tmp.as_file(), 0o600);
        let file = tmp
            .as_file()
            .try_clone()
            .with_context(|| format!("cannot open {}", tmp.path().display()))?;
        let tmp_path = &tmp.path().to_path_buf();
        let gz = ParGzWriter::new(BufWriter::with_capacity(1 << 20, file), level, pgzip::workers());
        let mut tar = tar::Builder::new(gz);
        tar.mode(tar::HeaderMode::Deterministic);
        Ok(ArchiveWriter {
            target: target.to_path_buf(),
            tmp: Some(tmp),
            tar: Some(tar),
            mtime,
            staging: None,
            on_interrupt: vec![crate::interrupt::remove_on_interrupt(tmp_path)],
        })
    }

    /// The temporary file being written.
    pub fn temp_path(&self) -> Option<&Path> {
        self.tmp.as_ref().map(|t| t.path())
    }

    /// A folder beside the temporary file for data that must be copied before it is
    /// archived (`<temp>.staging`); removed with the writer, or by the next backup after a
    /// crash.
    pub fn staging_dir(&mut self) -> Result<PathBuf> {
        let tmp = self.temp_path().context("the archive is already finished")?;
        let dir = staging_of(tmp);
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        self.on_interrupt.push(crate::interrupt::remove_on_interrupt(&dir));
        self.staging = Some(dir.clone());
        Ok(dir)
    }

    fn header(&self, size: u64, mode: u32, mtime: Option<u64>) -> tar::Header {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Regular);
        h.set_size(size);
        h.set_mode(mode & 0o777);
        h.set_mtime(mtime.unwrap_or(self.mtime));
        h.set_uid(0);
        h.set_gid(0);
        h
    }

    fn builder(&mut self) -> Result<&mut tar::Builder<ParGzWriter<BufWriter<File>>>> {
        self.tar.as_mut().context("the archive is already finished")
    }

    /// Add a member from memory.
    pub fn append_bytes(&mut self, path: &str, data: &[u8], mode: u32) -> Result<()> {
        let mut h = self.header(data.len() as u64, mode, None);
        let target = self.target.display().to_string();
        self.builder()?
            .append_data(&mut h, path, data)
            .with_context(|| format!("cannot write {path} into {target}"))
    }

    /// Add a member from a file of known `size`; `progress` gets byte counts as they go.
    /// A file that is shorter than `size` when read is an error (it changed meanwhile), and
    /// so is one whose sha256 differs from `expect` when given.
    pub fn append_file(
        &mut self,
        path: &str,
        fs_path: &Path,
        size: u64,
        mode: u32,
        expect: Option<&str>,
        progress: &dyn Fn(u64),
    ) -> Result<()> {
        let f =
            File::open(fs_path).with_context(|| format!("cannot open {}", fs_path.display()))?;
        let mtime = f
            .metadata()
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_secs());
        let mut h = self.header(size, mode, mtime);
        let mut reader = Exact {
            inner: BufReader::with_capacity(256 * 1024, f).take(size),
            remaining: size,
            progress,
            hash: expect.map(|_| Hasher::new()),
        };
        let target = self.target.display().to_string();
        self.builder()?.append_data(&mut h, path, &mut reader).with_context(|| {
            format!("cannot write {} into {target} (as {path})", fs_path.display())
        })?;
        if let (Some(want), Some(h)) = (expect, reader.hash.take()) {
            let (_, got) = h.finish();
            if got != want {
                bail!(
                    "{} changed while it was being archived; run the backup again",
                    fs_path.display()
                );
            }
        }
        Ok(())
    }

    /// Finish the tar and gzip streams, fsync, and rename onto the target.
    /// Returns the archive's size in bytes.
    pub fn finish(mut self) -> Result<u64> {
        let tar = self.tar.take().context("the archive is already finished")?;
        let target = self.target.clone();
        let gz = tar.into_inner().with_context(|| format!("cannot write {}", target.display()))?;
        let buf = gz.finish().with_context(|| format!("cannot write {}", target.display()))?;
        let file = buf
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("cannot write {}", target.display()))?;
        file.sync_all().with_context(|| format!("cannot sync {}", target.display()))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        drop(file);
        let tmp = self.tmp.take().context("the archive is already finished")?;
        set_mode(tmp.as_file(), 0o600);
        tmp.persist(&target).map_err(|e| e.error).with_context(|| {
            format!("cannot rename the finished archive to {}", target.display())
        })?;
        fsutil::sync_dir(&fsutil::parent_dir(&target));
        Ok(size)
    }
}

/// Reads exactly `remaining` bytes or fails.
struct Exact<'a, R: Read> {
    inner: R,
    remaining: u64,
    progress: &'a dyn Fn(u64),
    hash: Option<Hasher>,
}

impl<R: Read> Read for Exact<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && self.remaining > 0 && !buf.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the file got shorter while it was being archived",
            ));
        }
        self.remaining -= n as u64;
        if let Some(h) = &mut self.hash {
            h.update(&buf[..n]);
        }
        (self.progress)(n as u64);
        Ok(n)
    }
}

#[cfg(unix)]
fn set_mode(f: &File, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = f.set_permissions(fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
fn set_mode(_f: &File, _mode: u32) {}

/// The staging folders in `dir` of backups that are no longer running (their temporary
/// archive is gone or no process holds it locked): what a SIGKILLed backup left.
pub fn stale_staging(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = fs::read_dir(dir) else { return Vec::new() };
    let mut out = Vec::new();
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if !(name.starts_with(TMP_PREFIX) && name.ends_with(".staging")) {
            continue;
        }
        let p = e.path();
        let owner = p.with_extension("");
        let alive = File::open(&owner).is_ok_and(|f| f.try_lock().is_err());
        if !alive {
            out.push(p);
        }
    }
    out
}

/// Remove temporary archives left in `dir` by killed runs (those no process holds locked).
pub fn clean_stale_temp(dir: &Path) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    let Ok(rd) = fs::read_dir(dir) else { return removed };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let p = e.path();
        if name.starts_with(TMP_PREFIX) && name.ends_with(".staging") {
            // A staging folder whose temporary archive is gone.
            let owner = p.with_extension("");
            if !owner.exists() && fs::remove_dir_all(&p).is_ok() {
                removed.push(p);
            }
            continue;
        }
        if !(name.starts_with(TMP_PREFIX) && name.ends_with(TMP_SUFFIX)) {
            continue;
        }
        let Ok(f) = File::open(&p) else { continue };
        if f.try_lock().is_ok() && fs::remove_file(&p).is_ok() {
            let _ = fs::remove_dir_all(staging_of(&p));
            removed.push(p);
        }
    }
    removed
}

/// The file's identity. The second pass refuses an archive that changed in between: any
/// write changes the ctime, which no program can set back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    inode: (u64, u64, i64, i64),
}

fn identity(f: &File) -> io::Result<Identity> {
    let m = f.metadata()?;
    Ok(Identity {
        len: m.len(),
        modified: m.modified().ok(),
        #[cfg(unix)]
        inode: {
            use std::os::unix::fs::MetadataExt;
            (m.dev(), m.ino(), m.ctime(), m.ctime_nsec())
        },
    })
}

/// What [`verify`] found.
#[derive(Debug, Clone)]
pub struct Verified {
    pub manifest: Option<Manifest>,
    /// Everything wrong, in archive order. Empty means intact.
    pub problems: Vec<String>,
    /// Members whose size and sha256 matched.
    pub members_ok: usize,
    /// Uncompressed bytes of the members read.
    pub bytes: u64,
    /// Size of the archive file.
    pub archive_bytes: u64,
    /// Content of the members the caller asked to keep (small ones: JSON, configs).
    pub kept: BTreeMap<String, Vec<u8>>,
    pub identity: Option<Identity>,
    /// The manifest's exact bytes (what a signature covers).
    pub manifest_raw: Vec<u8>,
    /// The content of `manifest.sig`, when the archive is signed.
    pub signature: Option<Vec<u8>>,
}

impl Verified {
    pub fn intact(&self) -> bool {
        self.problems.is_empty() && self.manifest.is_some()
    }
}

/// Most problems listed before the rest is summed up.
const MAX_PROBLEMS: usize = 50;
/// Members kept in memory by [`verify`] may not exceed this in total.
const MAX_KEPT: u64 = 256 << 20;

fn entry_kind_problem(path: &str, e: &tar::Entry<'_, impl Read>) -> Option<String> {
    use tar::EntryType as T;
    let t = e.header().entry_type();
    match t {
        T::Regular => None,
        T::Symlink | T::Link => {
            let target = e
                .link_name_bytes()
                .map(|b| String::from_utf8_lossy(&b).to_string())
                .unwrap_or_default();
            let kind = if t == T::Symlink { "symbolic link" } else { "hard link" };
            let outside = target.starts_with('/') || escapes(path, &target, t == T::Symlink);
            Some(if outside {
                format!(
                    "`{path}` is a {kind} to `{target}`, which points outside the archive: refused"
                )
            } else {
                format!(
                    "`{path}` is a {kind} to `{target}`: links are refused in stellar-obs archives"
                )
            })
        }
        T::Directory => {
            Some(format!("`{path}` is a directory entry: not part of a stellar-obs archive"))
        }
        T::Char | T::Block | T::Fifo => {
            Some(format!("`{path}` is a device or FIFO entry: refused"))
        }
        other => Some(format!("`{path}` has entry type {other:?}: refused")),
    }
}

/// Whether a link at `path` pointing to `target` resolves outside the archive root.
fn escapes(path: &str, target: &str, relative_to_parent: bool) -> bool {
    let mut depth: i64 = 0;
    if relative_to_parent {
        depth = path.split('/').count() as i64 - 1;
    }
    for c in target.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            _ => depth += 1,
        }
    }
    false
}

fn entry_path(e: &tar::Entry<'_, impl Read>) -> std::result::Result<String, String> {
    let b = e.path_bytes();
    String::from_utf8(b.to_vec()).map_err(|_| {
        format!("a member's path is not UTF-8 (`{}`): refused", String::from_utf8_lossy(&b))
    })
}

fn open(path: &Path) -> Result<(File, Identity)> {
    let f = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let m = f.metadata().with_context(|| format!("cannot read {}", path.display()))?;
    if !m.is_file() {
        bail!("{} is not a file", path.display());
    }
    let id = identity(&f).with_context(|| format!("cannot read {}", path.display()))?;
    Ok((f, id))
}

fn damaged(e: &io::Error) -> String {
    let s = e.to_string();
    if s.contains("damaged") || s.contains("truncated") || s.contains("gzip") {
        s
    } else {
        format!("the archive is damaged: {s}")
    }
}

/// Check an archive without writing anything: manifest first and valid, every entry a
/// regular file with a safe path listed in the manifest, sizes and sha256 equal, nothing
/// missing, nothing extra. `keep` picks members whose content is returned in
/// [`Verified::kept`]. `progress` gets uncompressed byte counts.
pub fn verify(
    path: &Path,
    keep: &dyn Fn(&Member) -> bool,
    progress: &dyn Fn(u64),
) -> Result<Verified> {
    let (file, id) = open(path)?;
    let mut out = verify_reader(file, id.len, keep, progress);
    out.identity = Some(id);
    Ok(out)
}

/// [`verify`] over any reader of an archive's bytes (`archive_bytes` long): what the fuzz
/// target drives. Never fails: whatever is wrong is in [`Verified::problems`].
pub fn verify_reader<R: Read + Send + 'static>(
    input: R,
    archive_bytes: u64,
    keep: &dyn Fn(&Member) -> bool,
    progress: &dyn Fn(u64),
) -> Verified {
    let mut out = Verified {
        manifest: None,
        problems: Vec::new(),
        members_ok: 0,
        bytes: 0,
        archive_bytes,
        kept: BTreeMap::new(),
        identity: None,
        manifest_raw: Vec::new(),
        signature: None,
    };
    let mut ar = tar::Archive::new(ParGzReader::new(input, pgzip::workers()));
    verify_entries(&mut ar, &mut out, keep, progress);
    if out.problems.is_empty()
        && let Some(p) = after_the_end(ar.into_inner())
    {
        problem(&mut out, p);
    }
    out
}

fn problem(out: &mut Verified, p: String) {
    if out.problems.len() < MAX_PROBLEMS {
        out.problems.push(p);
    } else if out.problems.len() == MAX_PROBLEMS {
        out.problems.push("… more problems not shown".into());
    }
}

/// What follows the tar's end-of-archive marker: only zero padding may, up to the end of
/// the gzip stream, and nothing may follow the gzip stream. A second archive appended
/// (`cat a.tar.gz b.tar.gz`), or any other bytes, would be data no check has seen.
fn after_the_end(mut rest: impl Read) -> Option<String> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut zeros = 0u64;
    loop {
        match rest.read(&mut buf) {
            Ok(0) => return None,
            Ok(n) => {
                if let Some(i) = buf[..n].iter().position(|b| *b != 0) {
                    let at = zeros + i as u64;
                    return Some(format!(
                        "data follows the end of the archive ({at} bytes after its end marker: another archive appended, or other bytes): refused"
                    ));
                }
                zeros += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                let s = e.to_string();
                return Some(if s.contains("unexpected data after a gzip member") {
                    "bytes that are not gzip follow the end of the archive's gzip stream: refused"
                        .to_string()
                } else {
                    damaged(&e)
                });
            }
        }
    }
}

fn verify_entries<R: Read>(
    ar: &mut tar::Archive<R>,
    out: &mut Verified,
    keep: &dyn Fn(&Member) -> bool,
    progress: &dyn Fn(u64),
) {
    let entries = match ar.entries() {
        Ok(e) => e,
        Err(e) => {
            problem(out, damaged(&e));
            return;
        }
    };
    let mut listed: HashMap<String, Member> = HashMap::new();
    let mut seen: HashMap<String, ()> = HashMap::new();
    let mut kept_total = 0u64;
    let mut buf = vec![0u8; 256 * 1024];
    let mut first = true;
    // Members after the manifest, counted from 1.
    let mut index = 0usize;
    for entry in entries {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problem(out, damaged(&e));
                return;
            }
        };
        let path = match entry_path(&entry) {
            Ok(p) => p,
            Err(p) => {
                problem(out, p);
                if first {
                    return;
                }
                continue;
            }
        };
        if first {
            first = false;
            if path != MANIFEST_NAME || entry.header().entry_type() != tar::EntryType::Regular {
                problem(
                    out,
                    format!(
                        "{MANIFEST_NAME} is missing: the first member is `{path}` (not a stellar-obs archive, or damaged)"
                    ),
                );
                return;
            }
            let size = entry.header().size().unwrap_or(u64::MAX);
            if size > manifest::MAX_MANIFEST_BYTES {
                problem(out, format!("{MANIFEST_NAME} is too large ({size} bytes): refused"));
                return;
            }
            let mut bytes = Vec::with_capacity(size as usize);
            if let Err(e) = entry.read_to_end(&mut bytes) {
                problem(out, damaged(&e));
                return;
            }
            match Manifest::parse(&bytes) {
                Ok(m) => {
                    for mem in &m.members {
                        listed.insert(mem.path.clone(), mem.clone());
                    }
                    out.manifest = Some(m);
                    out.manifest_raw = bytes;
                }
                Err(e) => {
                    problem(out, e.to_string());
                    return;
                }
            }
            continue;
        }
        index += 1;
        if path == SIG_NAME {
            let size = entry.header().size().unwrap_or(u64::MAX);
            if index != 1 || entry.header().entry_type() != tar::EntryType::Regular {
                problem(out, format!("`{SIG_NAME}` is not the second member: refused"));
                continue;
            }
            if size > super::sign::MAX_SIG_BYTES {
                problem(out, format!("`{SIG_NAME}` is too large ({size} bytes): refused"));
                return;
            }
            let mut sig = Vec::new();
            if let Err(e) = entry.read_to_end(&mut sig) {
                problem(out, damaged(&e));
                return;
            }
            out.signature = Some(sig);
            continue;
        }
        if let Some(p) = entry_kind_problem(&path, &entry) {
            problem(out, p);
            continue;
        }
        if let Err(why) = manifest::check_member_path(&path) {
            problem(out, format!("`{path}`: {why}: refused"));
            continue;
        }
        if seen.insert(path.clone(), ()).is_some() {
            problem(out, format!("`{path}` appears twice in the archive"));
            continue;
        }
        let Some(member) = listed.get(&path) else {
            problem(out, format!("`{path}` is in the archive but not in the manifest"));
            continue;
        };
        let size = entry.header().size().unwrap_or(u64::MAX);
        if size != member.size {
            problem(
                out,
                format!("`{path}`: {size} bytes in the archive, {} in the manifest", member.size),
            );
            continue;
        }
        let keep_it = keep(member) && kept_total + size <= MAX_KEPT;
        let mut kept = Vec::new();
        let mut h = Hasher::new();
        loop {
            match entry.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    h.update(&buf[..n]);
                    if keep_it {
                        kept.extend_from_slice(&buf[..n]);
                    }
                    progress(n as u64);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    problem(out, damaged(&e));
                    return;
                }
            }
        }
        let (n, sha) = h.finish();
        out.bytes += n;
        if n != member.size {
            problem(out, format!("`{path}` ends early: the archive is truncated"));
            return;
        }
        if sha != member.sha256 {
            problem(
                out,
                format!(
                    "`{path}`: sha256 {sha} does not match the manifest's {}: the member is damaged or was altered",
                    member.sha256
                ),
            );
            continue;
        }
        out.members_ok += 1;
        if keep_it {
            kept_total += n;
            out.kept.insert(path, kept);
        }
    }
    if first {
        problem(out, format!("the archive holds no members: {MANIFEST_NAME} is missing"));
        return;
    }
    if let Some(m) = &out.manifest {
        let missing: Vec<String> = m
            .members
            .iter()
            .filter(|x| !seen.contains_key(&x.path))
            .map(|x| x.path.clone())
            .collect();
        for p in missing {
            problem(out, format!("`{p}` is listed in the manifest but missing from the archive"));
        }
    }
}

/// The second pass over an archive that [`verify`] passed: the file must be the very one
/// verified (same inode, size, mtime and ctime), every entry is checked again (type, path,
/// listed, size; each gzip member's CRC-32) and the members `want` selects are handed to
/// `sink` as they stream by. The sha256 sums were checked by [`verify`] on these same bytes,
/// so they are not computed again. The sink must not make its writes final before this
/// returns `Ok`.
pub fn extract(
    path: &Path,
    verified: &Verified,
    want: &dyn Fn(&Member) -> bool,
    sink: &mut dyn FnMut(&Member, &mut dyn Read) -> Result<()>,
) -> Result<()> {
    let manifest = verified.manifest.as_ref().context("the archive was not verified")?;
    let (file, id) = open(path)?;
    if verified.identity.as_ref() != Some(&id) {
        bail!("{} changed since it was verified: restore stopped", path.display());
    }
    let listed: HashMap<&str, &Member> =
        manifest.members.iter().map(|m| (m.path.as_str(), m)).collect();
    let gz = ParGzReader::new(file, pgzip::workers());
    let mut ar = tar::Archive::new(gz);
    let mut first = true;
    let mut second_seen = false;
    for entry in ar.entries().map_err(|e| anyhow::anyhow!(damaged(&e)))? {
        let mut entry = entry.map_err(|e| anyhow::anyhow!(damaged(&e)))?;
        let p = entry_path(&entry).map_err(anyhow::Error::msg)?;
        if first {
            first = false;
            if p != MANIFEST_NAME {
                bail!("{MANIFEST_NAME} is not the first member any more: restore stopped");
            }
            continue;
        }
        if p == SIG_NAME && !second_seen && verified.signature.is_some() {
            second_seen = true;
            continue;
        }
        second_seen = true;
        if let Some(problem) = entry_kind_problem(&p, &entry) {
            bail!("{problem}");
        }
        manifest::check_member_path(&p).map_err(|why| anyhow::anyhow!("`{p}`: {why}: refused"))?;
        let member =
            *listed.get(p.as_str()).with_context(|| format!("`{p}` is not in the manifest"))?;
        if entry.header().size().ok() != Some(member.size) {
            bail!("`{p}` has a different size than when it was verified");
        }
        if !want(member) {
            continue;
        }
        let mut counted = Counted { inner: &mut entry, n: 0 };
        sink(member, &mut counted).with_context(|| format!("cannot restore `{p}`"))?;
        io::copy(&mut counted, &mut io::sink()).map_err(|e| anyhow::anyhow!(damaged(&e)))?;
        if counted.n != member.size {
            bail!("`{p}` ends early: the archive changed or is truncated; restore stopped");
        }
    }
    let (f, _) = open(path)?;
    if identity(&f).ok().as_ref() != verified.identity.as_ref() {
        bail!("{} changed while it was being restored: restore stopped", path.display());
    }
    Ok(())
}

/// A reader that counts what passes through.
struct Counted<'a, R: Read> {
    inner: &'a mut R,
    n: u64,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf).map_err(|e| io::Error::new(e.kind(), damaged(&e)))?;
        self.n += n as u64;
        Ok(n)
    }
}

fn create_new(dest: &Path, mode: u32) -> Result<File> {
    if let Some(p) = dest.parent() {
        fs::create_dir_all(p).with_context(|| format!("cannot create {}", p.display()))?;
    }
    let f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dest)
        .with_context(|| format!("cannot create {}", dest.display()))?;
    set_mode(&f, mode & 0o777);
    Ok(f)
}

/// Write `r` to `dest` (a new file; parent directories created) with `mode`.
pub fn write_new_file(dest: &Path, r: &mut dyn Read, mode: u32) -> Result<u64> {
    let f = create_new(dest, mode)?;
    let mut w = BufWriter::with_capacity(256 * 1024, f);
    let n = io::copy(r, &mut w).with_context(|| format!("cannot write {}", dest.display()))?;
    w.flush().with_context(|| format!("cannot write {}", dest.display()))?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup::manifest::{ComponentInfo, Part, sha256_hex};

    fn build(dir: &Path, members: &[(&str, &[u8])]) -> PathBuf {
        let target = dir.join("a.tar.gz");
        let mut m = Manifest::new("2026-01-01T00:00:00Z".into());
        m.components.insert(Part::Configs, ComponentInfo { included: true, ..Default::default() });
        for (p, d) in members {
            m.members.push(Member {
                path: p.to_string(),
                size: d.len() as u64,
                sha256: sha256_hex(d),
                mode: 0o644,
            });
        }
        let mut w = ArchiveWriter::create(&target, 1, 0).expect("create");
        w.append_bytes(MANIFEST_NAME, &m.to_json(), 0o644).expect("manifest");
        for (p, d) in members {
            w.append_bytes(p, d, 0o644).expect("member");
        }
        w.finish().expect("finish");
        target
    }

    #[test]
    fn writes_atomically_and_verifies() {
        let d = tempfile::tempdir().expect("tmp");
        let big: Vec<u8> = (0..3_000_000u32).map(|i| (i % 253) as u8).collect();
        let file = d.path().join("data.bin");
        fs::write(&file, &big).expect("w");
        let target = d.path().join("out/b.tar.gz");
        let mut m = Manifest::new("t".into());
        m.members.push(Member {
            path: "prometheus/snapshot/data.bin".into(),
            size: big.len() as u64,
            sha256: sha256_hex(&big),
            mode: 0o600,
        });
        let mut w = ArchiveWriter::create(&target, 3, 0).expect("create");
        let tmp = w.temp_path().expect("tmp").to_path_buf();
        assert!(tmp.file_name().expect("n").to_string_lossy().starts_with(TMP_PREFIX));
        w.append_bytes(MANIFEST_NAME, &m.to_json(), 0o644).expect("m");
        let counted = std::cell::Cell::new(0u64);
        let sha = sha256_hex(&big);
        w.append_file(
            "prometheus/snapshot/data.bin",
            &file,
            big.len() as u64,
            0o600,
            Some(&sha),
            &|n| counted.set(counted.get() + n),
        )
        .expect("file");
        assert!(!target.exists(), "nothing at the target before finish");
        let size = w.finish().expect("finish");
        assert_eq!(counted.get(), big.len() as u64);
        assert!(target.exists() && !tmp.exists());
        assert_eq!(fs::metadata(&target).expect("m").len(), size);

        let v = verify(&target, &|_| false, &|_| {}).expect("verify");
        assert!(v.intact(), "{:?}", v.problems);
        assert_eq!(v.members_ok, 1);

        // The standard tools read it.
        let out = d.path().join("x");
        fs::create_dir(&out).expect("mk");
        let st = std::process::Command::new("tar")
            .arg("xzf")
            .arg(&target)
            .arg("-C")
            .arg(&out)
            .status()
            .expect("tar");
        assert!(st.success());
        assert_eq!(fs::read(out.join("prometheus/snapshot/data.bin")).expect("r"), big);

        // Extraction hands the member over and checks it again.
        let mut got = Vec::new();
        extract(&target, &v, &|_| true, &mut |_, r| {
            r.read_to_end(&mut got)?;
            Ok(())
        })
        .expect("extract");
        assert_eq!(got, big);
    }

    #[test]
    fn dropped_writer_leaves_nothing() {
        let d = tempfile::tempdir().expect("tmp");
        let target = d.path().join("c.tar.gz");
        let mut w = ArchiveWriter::create(&target, 1, 0).expect("create");
        w.append_bytes("configs/prometheus/x", b"abc", 0o644).expect("w");
        drop(w);
        assert_eq!(fs::read_dir(d.path()).expect("ls").count(), 0);
    }

    #[test]
    fn stale_temp_files_are_cleaned_but_live_ones_kept() {
        let d = tempfile::tempdir().expect("tmp");
        let stale = d.path().join(format!("{TMP_PREFIX}dead{TMP_SUFFIX}"));
        fs::write(&stale, b"half").expect("w");
        let live = ArchiveWriter::create(&d.path().join("x.tar.gz"), 1, 0).expect("create");
        let live_tmp = live.temp_path().expect("t").to_path_buf();
        assert!(!stale.exists(), "stale temp removed when a backup starts");
        let removed = clean_stale_temp(d.path());
        assert!(removed.is_empty(), "a locked temp file is in use: {removed:?}");
        assert!(live_tmp.exists());
    }

    #[test]
    fn verify_finds_checksum_extra_and_missing() {
        let d = tempfile::tempdir().expect("tmp");
        let t =
            build(d.path(), &[("configs/prometheus/a", b"one"), ("configs/prometheus/b", b"two")]);
        let v = verify(&t, &|m| m.path == "configs/prometheus/a", &|_| {}).expect("v");
        assert!(v.intact(), "{:?}", v.problems);
        assert_eq!(v.kept.get("configs/prometheus/a").map(Vec::as_slice), Some(&b"one"[..]));
        assert!(!v.kept.contains_key("configs/prometheus/b"));

        // A manifest that lies about content, omits one member and lists a missing one.
        let target = d.path().join("bad.tar.gz");
        let mut m = Manifest::new("t".into());
        m.members.push(Member {
            path: "configs/prometheus/a".into(),
            size: 3,
            sha256: sha256_hex(b"ONE"),
            mode: 0o644,
        });
        m.members.push(Member {
            path: "configs/prometheus/gone".into(),
            size: 1,
            sha256: sha256_hex(b"x"),
            mode: 0o644,
        });
        let mut w = ArchiveWriter::create(&target, 1, 0).expect("c");
        w.append_bytes(MANIFEST_NAME, &m.to_json(), 0o644).expect("m");
        w.append_bytes("configs/prometheus/a", b"one", 0o644).expect("a");
        w.append_bytes("configs/prometheus/extra", b"e", 0o644).expect("e");
        w.finish().expect("f");
        let v = verify(&target, &|_| true, &|_| {}).expect("v");
        assert!(!v.intact());
        let all = v.problems.join("\n");
        assert!(all.contains("`configs/prometheus/a`: sha256"), "{all}");
        assert!(
            all.contains("`configs/prometheus/extra` is in the archive but not in the manifest"),
            "{all}"
        );
        assert!(
            all.contains("`configs/prometheus/gone` is listed in the manifest but missing"),
            "{all}"
        );
        assert!(v.kept.is_empty(), "nothing kept from a member that failed");
    }

    #[test]
    fn bytes_after_the_archive_fail_verification() {
        let d = tempfile::tempdir().expect("tmp");
        let t = build(d.path(), &[("configs/stellar-obs.yml", b"one")]);
        let good = fs::read(&t).expect("r");
        let verify_bytes = |b: Vec<u8>| {
            let n = b.len() as u64;
            verify_reader(io::Cursor::new(b), n, &|_| false, &|_| {})
        };
        assert!(verify_bytes(good.clone()).intact());

        // Bytes that are not gzip after the gzip stream.
        let mut junk = good.clone();
        junk.extend_from_slice(b"#!/bin/sh\nrm -rf /\n");
        let v = verify_bytes(junk);
        assert!(!v.intact());
        assert!(v.problems.join("\n").contains("not gzip follow the end"), "{:?}", v.problems);

        // A second archive appended: one gzip stream of two tars.
        let t2 = build(&d.path().join("other"), &[("configs/stellar-obs.yml", b"two")]);
        let mut two = good.clone();
        two.extend_from_slice(&fs::read(&t2).expect("r"));
        let v = verify_bytes(two);
        assert!(!v.intact());
        assert!(
            v.problems.join("\n").contains("data follows the end of the archive"),
            "{:?}",
            v.problems
        );

        // Zero padding after the end marker (as `tar` writes to fill a record) is fine.
        let mut padded_tar = Vec::new();
        {
            let mut gz = flate2::read::MultiGzDecoder::new(&good[..]);
            gz.read_to_end(&mut padded_tar).expect("gunzip");
        }
        padded_tar.extend_from_slice(&[0u8; 10240]);
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(&padded_tar).expect("w");
        let v = verify_bytes(e.finish().expect("gz"));
        assert!(v.intact(), "{:?}", v.problems);
    }

    #[test]
    fn link_escape_detection() {
        assert!(escapes("configs/a/link", "../../../etc", true));
        assert!(!escapes("configs/a/link", "../b", true));
        assert!(escapes("configs/link", "../../x", true));
    }
}
