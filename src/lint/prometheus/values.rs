//! Value formats of the Prometheus loader: label-name validation schemes and the legacy
//! relabel target pattern, on top of the Go formats shared with the Alertmanager checker
//! (`lint::schema::values`: `net/url`, RE2 regexes, globs, durations, base-2 sizes),
//! re-exported here.

use std::path::Path;

pub use crate::lint::schema::values::{
    Anchor, BadPattern, GoUrl, compile_anchored, duration_string, glob, glob_match, go_uuid_parses,
    is_uuid, legacy_label_name, parse_base2_bytes, parse_url, with_glob_cache,
};

/// How label and metric names are validated (`metric_name_validation_scheme`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NameScheme {
    /// Any non-empty valid UTF-8 (Prometheus 3.x default).
    #[default]
    Utf8,
    /// `[a-zA-Z_][a-zA-Z0-9_]*`.
    Legacy,
}

impl NameScheme {
    pub fn valid_label_name(self, name: &str) -> bool {
        match self {
            NameScheme::Utf8 => !name.is_empty(),
            NameScheme::Legacy => legacy_label_name(name),
        }
    }
}

/// The legacy relabel target pattern: legacy label-name characters plus `$var` / `${var}`
/// references (`^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$`).
pub fn legacy_relabel_target(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() {
        return false;
    }
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    // The pattern is a sequence of "heads" (a letter/underscore or a variable) each
    // followed by word characters; a digit can never start it.
    let mut first = true;
    while i < b.len() {
        let c = b[i];
        if c == b'$' {
            i += 1;
            if i < b.len() && b[i] == b'{' {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && word(b[j]) {
                    j += 1;
                }
                if j == start || j >= b.len() || b[j] != b'}' {
                    return false;
                }
                i = j + 1;
            } else {
                let start = i;
                while i < b.len() && word(b[i]) {
                    i += 1;
                }
                if i == start {
                    return false;
                }
            }
        } else if c.is_ascii_alphabetic() || c == b'_' || (c.is_ascii_digit() && !first) {
            i += 1;
        } else {
            return false;
        }
        first = false;
    }
    true
}

/// Display form of a path found from a file shown as `display` (keeps relative paths
/// relative to what the user typed).
pub fn display_near(display: &str, base: &Path, found: &Path) -> String {
    if let Ok(rel) = found.strip_prefix(base) {
        let parent = Path::new(display).parent().filter(|p| !p.as_os_str().is_empty());
        return match parent {
            Some(p) => p.join(rel).display().to_string(),
            None => rel.display().to_string(),
        };
    }
    found.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_names() {
        assert!(NameScheme::Legacy.valid_label_name("a_b1"));
        assert!(!NameScheme::Legacy.valid_label_name("1a"));
        assert!(!NameScheme::Legacy.valid_label_name("a.b"));
        assert!(NameScheme::Utf8.valid_label_name("a.b"));
        assert!(!NameScheme::Utf8.valid_label_name(""));
        assert!(legacy_relabel_target("${1}"));
        assert!(legacy_relabel_target("foo_$1_bar"));
        assert!(legacy_relabel_target("__tmp"));
        assert!(!legacy_relabel_target("1abc"));
        assert!(!legacy_relabel_target("a-b"));
        assert!(!legacy_relabel_target("${}"));
    }
}
