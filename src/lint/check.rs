//! What a check is: a stable ID, its default severity and a one-line description. A leaf:
//! every module that reports findings lists its checks with this type, and the registry
//! (`lint/checks.rs`) gathers them.

use crate::lint::diagnostic::Severity;

/// A check: its stable ID, default severity and a one-line description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    pub id: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
}

/// The YAML syntax check's ID (reported by every reader of YAML files).
pub const YAML_SYNTAX: &str = "yaml/syntax";
