//! The one finding type every check produces and every renderer consumes.

use std::cmp::Ordering;
use std::fmt;

use serde::Serialize;

use crate::yaml::Pos;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// Worth knowing, nothing to fix (a placeholder secret): never fails, not even with
    /// `--strict`.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// The level of a GitHub workflow command (`::error`, `::warning`, `::notice`).
    pub fn github_level(self) -> &'static str {
        match self {
            Severity::Info => "notice",
            s => s.as_str(),
        }
    }

    /// The SARIF result level (`error`, `warning`, `note`).
    pub fn sarif_level(self) -> &'static str {
        match self {
            Severity::Info => "note",
            s => s.as_str(),
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A finding at a position in a file. `line` and `column` are 1-based.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// The file as the user named it (or as reached from the stack directory).
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub severity: Severity,
    /// Stable check ID such as `rules/promql-syntax` (documented in docs/checks.md).
    pub code: &'static str,
    pub message: String,
    /// What to do about it, when there is something useful to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(
        path: impl Into<String>,
        pos: Pos,
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            line: pos.line.max(1),
            column: pos.col.max(1),
            severity,
            code,
            message: message.into(),
            help: None,
        }
    }

    pub fn error(
        path: impl Into<String>,
        pos: Pos,
        code: &'static str,
        msg: impl Into<String>,
    ) -> Self {
        Self::new(path, pos, Severity::Error, code, msg)
    }

    pub fn warning(
        path: impl Into<String>,
        pos: Pos,
        code: &'static str,
        msg: impl Into<String>,
    ) -> Self {
        Self::new(path, pos, Severity::Warning, code, msg)
    }

    pub fn info(
        path: impl Into<String>,
        pos: Pos,
        code: &'static str,
        msg: impl Into<String>,
    ) -> Self {
        Self::new(path, pos, Severity::Info, code, msg)
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn pos(&self) -> Pos {
        Pos::new(self.line, self.column)
    }
}

/// Findings are reported sorted by file, then position, then severity and code.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        a.path
            .cmp(&b.path)
            .then(a.line.cmp(&b.line))
            .then(a.column.cmp(&b.column))
            .then(a.severity.cmp(&b.severity))
            .then(a.code.cmp(b.code))
            .then_with(|| a.message.partial_cmp(&b.message).unwrap_or(Ordering::Equal))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_at_least_one() {
        let d = Diagnostic::error("f.yml", Pos::new(0, 0), "yaml/syntax", "x");
        assert_eq!((d.line, d.column), (1, 1));
    }

    #[test]
    fn sorting_is_by_path_then_position() {
        let mut v = vec![
            Diagnostic::error("b", Pos::new(1, 1), "x/a", "m"),
            Diagnostic::warning("a", Pos::new(3, 1), "x/a", "m"),
            Diagnostic::error("a", Pos::new(2, 5), "x/a", "m"),
        ];
        sort(&mut v);
        let order: Vec<(String, u32)> = v.iter().map(|d| (d.path.clone(), d.line)).collect();
        assert_eq!(order, vec![("a".into(), 2), ("a".into(), 3), ("b".into(), 1)]);
    }

    #[test]
    fn json_shape_matches_the_contract() {
        let d = Diagnostic::error("p.yml", Pos::new(4, 2), "rules/promql-syntax", "bad");
        let v = serde_json::to_value(&d).expect("json");
        assert_eq!(v["path"], "p.yml");
        assert_eq!(v["line"], 4);
        assert_eq!(v["column"], 2);
        assert_eq!(v["severity"], "error");
        assert_eq!(v["code"], "rules/promql-syntax");
        assert_eq!(v["message"], "bad");
    }
}
