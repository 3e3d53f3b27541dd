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
}
