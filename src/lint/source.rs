//! A file under check: how the user named it, where it is, its text.

use std::path::{Path, PathBuf};

use crate::fsutil;

/// One input file of the linter.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file as the user named it (or as reached from the stack directory); used in
    /// every diagnostic's `path`.
    pub display: String,
    /// The file on disk.
    pub path: PathBuf,
    /// Its text (UTF-8).
    pub text: String,
}

impl Source {
    pub fn new(
        display: impl Into<String>,
        path: impl Into<PathBuf>,
        text: impl Into<String>,
    ) -> Self {
        Source { display: display.into(), path: path.into(), text: text.into() }
    }

    /// A source that exists only in memory (tests, fuzzing).
    pub fn memory(display: &str, text: &str) -> Self {
        Source::new(display, PathBuf::from(display), text)
    }

    /// The directory relative file references are resolved against (the file's directory).
    pub fn base_dir(&self) -> PathBuf {
        fsutil::parent_dir(&self.path)
    }

    /// Resolve a path written in this file: absolute stays, relative is joined to base_dir.
    pub fn resolve(&self, p: &str) -> PathBuf {
        let pp = Path::new(p);
        if pp.is_absolute() { pp.to_path_buf() } else { self.base_dir().join(pp) }
    }

    /// The text of 1-based line `n`, without its line ending.
    pub fn line(&self, n: u32) -> Option<&str> {
        if n == 0 {
            return None;
        }
        self.text.lines().nth(n as usize - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_resolution() {
        let s = Source::new("p.yml", "/etc/prom/p.yml", "a\nb\r\nc");
        assert_eq!(s.line(2), Some("b"));
        assert_eq!(s.line(4), None);
        assert_eq!(s.resolve("rules/x.yml"), PathBuf::from("/etc/prom/rules/x.yml"));
        assert_eq!(s.resolve("/abs/x.yml"), PathBuf::from("/abs/x.yml"));
    }
}
