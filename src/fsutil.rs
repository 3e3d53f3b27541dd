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

/// Open `path` for reading only when it is a regular file (symlinks to one are followed).
/// The open is non-blocking, so a FIFO with no writer cannot hang it, and the type is
/// checked on the open handle (no race between a check and the open). A FIFO, socket,
/// device or directory is refused with an error of kind `InvalidInput` that names the type.
pub fn open_regular(path: &Path) -> std::io::Result<File> {
    #[cfg(unix)]
    let f = {
        use std::os::unix::fs::OpenOptionsExt;
        let nonblock = rustix::fs::OFlags::NONBLOCK.bits() as i32;
        OpenOptions::new().read(true).custom_flags(nonblock).open(path)?
    };
    #[cfg(not(unix))]
    let f = File::open(path)?;
    let ty = f.metadata()?.file_type();
    if !ty.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("not a regular file ({}); refused", file_type_name(&ty)),
        ));
    }
    Ok(f)
}

/// What a file type is, in words (for errors about non-regular files).
pub fn file_type_name(ty: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ty.is_fifo() {
            return "a FIFO or pipe";
        }
        if ty.is_socket() {
            return "a socket";
        }
        if ty.is_char_device() {
            return "a character device";
        }
        if ty.is_block_device() {
            return "a block device";
        }
    }
    if ty.is_dir() {
        "a directory"
    } else if ty.is_symlink() {
        "a symlink"
    } else if ty.is_file() {
        "a regular file"
    } else {
        "not a file"
    }
}

/// Read `path` whole, refusing files over `max` bytes with an error of kind
/// `FileTooLarge` that says so. Reads through the open handle, never more than `max + 1`
/// bytes, so a huge file cannot exhaust memory; anything but a regular file (a FIFO that
/// would block forever, `/dev/zero`, `/dev/stdin` on a pipe) is refused by [`open_regular`].
pub fn read_capped(path: &Path, max: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let f = open_regular(path)?;
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
    let limit = crate::output::words::size(max as u64);
    let msg = match size {
        Some(n) => format!(
            "refused: the file is {}, over the {limit} limit",
            crate::output::words::size(n)
        ),
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
            crate::output::words::size(needed.saturating_add(ROOM)),
            crate::output::words::size(free)
        );
    }
    Ok(())
}

/// How deep [`walk_files`] goes below its root.
pub const MAX_WALK_DEPTH: usize = 32;

/// Files under `root` (recursively, symlinks followed) whose name passes `want`, sorted,
/// each file once: a directory already visited (same device and inode: a symlink loop, or
/// two links to one folder) is not entered again, a file reached twice is listed once, and
/// the walk stops at [`MAX_WALK_DEPTH`] levels with an error that says where. Hidden
/// entries (`.name`) are skipped. Entries that are not directories are listed whatever
/// their type, so a FIFO named `x.json` is reported by the reader, not skipped in silence.
pub fn walk_files(root: &Path, want: &dyn Fn(&str) -> bool) -> std::io::Result<Vec<PathBuf>> {
    use std::collections::HashSet;
    #[cfg(unix)]
    fn id(m: &fs::Metadata) -> (u64, u64) {
        use std::os::unix::fs::MetadataExt;
        (m.dev(), m.ino())
    }
    #[cfg(not(unix))]
    fn id(_m: &fs::Metadata) -> (u64, u64) {
        (0, 0)
    }
    fn go(
        dir: &Path,
        depth: usize,
        want: &dyn Fn(&str) -> bool,
        seen_dirs: &mut HashSet<(u64, u64)>,
        seen_files: &mut HashSet<(u64, u64)>,
        out: &mut Vec<PathBuf>,
    ) -> std::io::Result<()> {
        if depth > MAX_WALK_DEPTH {
            return Err(std::io::Error::other(format!(
                "{}: more than {MAX_WALK_DEPTH} directory levels; refused",
                dir.display()
            )));
        }
        let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<std::io::Result<Vec<_>>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let p = e.path();
            // Follows symlinks; a dangling link is listed when its name is wanted (the
            // reader then says it does not exist).
            let meta = fs::metadata(&p);
            match meta {
                Ok(m) if m.is_dir() => {
                    if cfg!(unix) && !seen_dirs.insert(id(&m)) {
                        continue;
                    }
                    go(&p, depth + 1, want, seen_dirs, seen_files, out)?;
                }
                Ok(m) => {
                    if want(&name) && (!cfg!(unix) || seen_files.insert(id(&m))) {
                        out.push(p);
                    }
                }
                Err(_) => {
                    if want(&name) {
                        out.push(p);
                    }
                }
            }
        }
        Ok(())
    }
    let mut seen_dirs = HashSet::new();
    if let Ok(m) = fs::metadata(root) {
        seen_dirs.insert(id(&m));
    }
    let mut out = Vec::new();
    go(root, 0, want, &mut seen_dirs, &mut HashSet::new(), &mut out)?;
    out.sort();
    Ok(out)
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

    #[cfg(unix)]
    #[test]
    fn walks_visit_each_file_once_through_symlink_loops() {
        use std::os::unix::fs::symlink;
        let d = tempfile::tempdir().expect("tmp");
        let root = d.path().join("dash");
        fs::create_dir_all(root.join("a/b")).expect("mkdir");
        fs::write(root.join("a/x.json"), "{}").expect("w");
        fs::write(root.join("a/b/y.json"), "{}").expect("w");
        fs::write(root.join("a/b/z.txt"), "").expect("w");
        fs::write(root.join(".hidden.json"), "").expect("w");
        symlink(&root, root.join("a/b/loop")).expect("loop to the root");
        symlink(root.join("a"), root.join("again")).expect("second link to a");
        symlink(root.join("a/x.json"), root.join("x-link.json")).expect("file link");
        let got = walk_files(&root, &|n| n.ends_with(".json")).expect("walk");
        let rel: Vec<String> = got
            .iter()
            .map(|p| p.strip_prefix(&root).expect("inside").display().to_string())
            .collect();
        // Entries are visited sorted (`a` first); the second path to the same folder
        // (`again`, `a/b/loop`) or file (`x-link.json`) is skipped, hidden files too.
        assert_eq!(rel, vec!["a/b/y.json", "a/x.json"], "{rel:?}");

        // A chain deeper than the bound is refused with a message, not walked forever.
        let mut deep = d.path().join("deep");
        for _ in 0..=MAX_WALK_DEPTH + 1 {
            deep = deep.join("d");
        }
        fs::create_dir_all(&deep).expect("mkdir");
        let e = walk_files(&d.path().join("deep"), &|_| true).expect_err("too deep");
        assert!(e.to_string().contains("directory levels"), "{e}");
    }

    #[test]
    fn capped_reads_refuse_big_files_and_endless_devices() {
        let d = tempfile::tempdir().expect("tmp");
        let p = d.path().join("f");
        fs::write(&p, b"12345").expect("w");
        assert_eq!(read_capped(&p, 5).expect("fits"), b"12345");
        let e = read_capped(&p, 4).expect_err("too big");
        assert_eq!(e.kind(), std::io::ErrorKind::FileTooLarge);
        assert_eq!(e.to_string(), "refused: the file is 5 B, over the 4 B limit");
        // /dev/zero never ends and a FIFO without a writer blocks forever: neither is a
        // regular file, both are refused at once.
        #[cfg(unix)]
        {
            let e = read_capped(Path::new("/dev/zero"), 1 << 20).expect_err("endless");
            assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput, "{e}");
            assert_eq!(e.to_string(), "not a regular file (a character device); refused");
            let fifo = d.path().join("fifo.yml");
            let st = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
            assert!(st.success());
            let e = read_capped(&fifo, 1 << 20).expect_err("fifo");
            assert_eq!(e.to_string(), "not a regular file (a FIFO or pipe); refused");
            let e = read_capped(d.path(), 1 << 20).expect_err("dir");
            assert!(e.to_string().contains("a directory"), "{e}");
        }
        fs::write(&p, [0xff, 0xfe]).expect("w");
        assert!(read_capped_string(&p, 10).expect_err("utf8").to_string().contains("UTF-8"));
    }
}
