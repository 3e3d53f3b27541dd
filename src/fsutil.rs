//! File writes that never leave a half-written file at the target path.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Write `bytes` to `path` through a temporary file beside it, fsync, then rename.
/// `mode` (Unix permissions) applies to the new file; without one, the file keeps the mode
/// of the file it replaces, or gets 0644 when new (the temporary file's 0600 would keep the
/// stack's containers, which run as `nobody`, from reading their configuration).
pub fn write_atomic(path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<()> {
    let mode = mode.or_else(|| default_mode(path));
    let dir = parent_dir(path);
    fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".stellar-obs-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    set_mode(tmp.as_file(), mode)?;
    tmp.write_all(bytes).with_context(|| format!("cannot write {}", path.display()))?;
    tmp.as_file().sync_all().with_context(|| format!("cannot sync {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    sync_dir(&dir);
    Ok(())
}

/// Read `path` whole, refusing files over `max` bytes with an error of kind
/// `FileTooLarge` that says so. Reads through the open handle, never more than `max + 1`
/// bytes, so a huge file, a device that never ends (`/dev/zero`) or a FIFO cannot exhaust
/// memory.
pub fn read_capped(path: &Path, max: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let f = File::open(path)?;
    let hint = f.metadata().map(|m| m.len()).unwrap_or(0);
    if hint > max as u64 {
        return Err(too_large(Some(hint), max));
    }
    let mut buf = Vec::with_capacity(usize::try_from(hint).unwrap_or(0).min(max));
    f.take(max as u64 + 1).read_to_end(&mut buf)?;
    if buf.len() > max {
        return Err(too_large(None, max));
    }
    Ok(buf)
}

fn too_large(size: Option<u64>, max: usize) -> std::io::Error {
    let limit = if max >= 1024 * 1024 {
        format!("{} MiB", max / (1024 * 1024))
    } else {
        format!("{max} bytes")
    };
    let msg = match size {
        Some(n) => format!("refused: the file is {n} bytes, over the {limit} limit"),
        None => format!("refused: the file is over the {limit} limit"),
    };
    std::io::Error::new(std::io::ErrorKind::FileTooLarge, msg)
}

/// [`read_capped`] as UTF-8 text.
pub fn read_capped_string(path: &Path, max: usize) -> std::io::Result<String> {
    String::from_utf8(read_capped(path, max)?).map_err(|_| {
        std::io::Error::new(std::io::ErrorKind::InvalidData, "the file is not valid UTF-8")
    })
}

/// Bytes available to this user on the filesystem that holds `path` (or, when `path` does
/// not exist yet, its nearest existing ancestor); `None` when it cannot be told.
pub fn available_bytes(path: &Path) -> Option<u64> {
    let mut p = std::path::absolute(path).ok()?;
    while !p.exists() {
        p = p.parent()?.to_path_buf();
    }
    #[cfg(unix)]
    {
        let st = rustix::fs::statvfs(&p).ok()?;
        Some(st.f_bavail.saturating_mul(st.f_frsize))
    }
    #[cfg(not(unix))]
    None
}

/// Refuse when the filesystem of `path` has less than `needed` bytes (plus a little room)
/// free: `what` says what was to be written. Nothing is written either way.
pub fn ensure_free(path: &Path, needed: u64, what: &str) -> Result<()> {
    const ROOM: u64 = 64 * 1024;
    if let Some(free) = available_bytes(path)
        && free < needed.saturating_add(ROOM)
    {
        anyhow::bail!(
            "not enough free space for {what} in {}: {} needed, {} free; nothing was changed",
            path.display(),
            indicatif::HumanBytes(needed.saturating_add(ROOM)),
            indicatif::HumanBytes(free)
        );
    }
    Ok(())
}

/// The directory a path lives in (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// fsync a directory so a rename in it is durable (best effort).
pub fn sync_dir(dir: &Path) {
    if let Ok(f) = File::open(dir) {
        let _ = f.sync_all();
    }
}

/// The mode of an existing file at `path`, else 0644.
#[cfg(unix)]
fn default_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    Some(fs::metadata(path).map(|m| m.permissions().mode() & 0o7777).unwrap_or(0o644))
}

#[cfg(not(unix))]
fn default_mode(_path: &Path) -> Option<u32> {
    None
}

#[cfg(unix)]
fn set_mode(f: &File, mode: Option<u32>) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if let Some(m) = mode {
        f.set_permissions(fs::Permissions::from_mode(m))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn set_mode(_f: &File, _mode: Option<u32>) -> Result<()> {
    Ok(())
}

/// Create a directory with the given Unix mode (when newly created).
pub fn create_dir_with_mode(dir: &Path, mode: u32) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(mode))
            .with_context(|| format!("cannot set permissions of {}", dir.display()))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    Ok(())
}

/// Open a file for appending, creating it (used by logs in tests and tools).
pub fn open_append(path: &Path) -> Result<File> {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("cannot open {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_space_is_measured_and_checked() {
        let d = tempfile::tempdir().expect("tmp");
        let free = available_bytes(&d.path().join("not/yet")).expect("statvfs");
        assert!(free > 0);
        assert!(ensure_free(d.path(), 1, "a byte").is_ok());
        let e = ensure_free(d.path(), u64::MAX / 2, "the data").expect_err("too much");
        assert!(e.to_string().contains("not enough free space for the data"), "{e}");
    }

    #[test]
    fn atomic_write_replaces_and_sets_mode() {
        let d = tempfile::tempdir().expect("tmp");
        let p = d.path().join("sub/x.txt");
        write_atomic(&p, b"one", Some(0o600)).expect("write");
        write_atomic(&p, b"two", Some(0o600)).expect("write");
        assert_eq!(fs::read_to_string(&p).expect("read"), "two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let m = fs::metadata(&p).expect("meta").permissions().mode() & 0o777;
            assert_eq!(m, 0o600);
        }
        let leftovers: Vec<_> = fs::read_dir(d.path().join("sub"))
            .expect("ls")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn without_a_mode_new_files_are_world_readable_and_existing_modes_stay() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().expect("tmp");
        let p = d.path().join("c.yml");
        let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        write_atomic(&p, b"a", None).expect("write");
        assert_eq!(mode(&p), 0o644);
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).expect("chmod");
        write_atomic(&p, b"b", None).expect("write");
        assert_eq!(mode(&p), 0o640);
    }

    #[test]
    fn capped_reads_refuse_big_files_and_endless_devices() {
        let d = tempfile::tempdir().expect("tmp");
        let p = d.path().join("f");
        fs::write(&p, b"12345").expect("w");
        assert_eq!(read_capped(&p, 5).expect("fits"), b"12345");
        let e = read_capped(&p, 4).expect_err("too big");
        assert_eq!(e.kind(), std::io::ErrorKind::FileTooLarge);
        assert_eq!(e.to_string(), "refused: the file is 5 bytes, over the 4 bytes limit");
        // /dev/zero reports size 0 and never ends: the cap stops it.
        #[cfg(unix)]
        {
            let e = read_capped(Path::new("/dev/zero"), 1 << 20).expect_err("endless");
            assert_eq!(e.kind(), std::io::ErrorKind::FileTooLarge, "{e}");
            assert_eq!(e.to_string(), "refused: the file is over the 1 MiB limit");
        }
        fs::write(&p, [0xff, 0xfe]).expect("w");
        assert!(read_capped_string(&p, 10).expect_err("utf8").to_string().contains("UTF-8"));
    }
}
