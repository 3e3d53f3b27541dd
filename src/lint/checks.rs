//! The registry of stable check IDs. Every module that reports findings lists its checks
//! here (one line of documentation each); `docs/checks.md` is generated from / tested
//! against this list.

use crate::lint::diagnostic::Severity;

/// A check: its stable ID, default severity and a one-line description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    pub id: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
}

/// The generic YAML checks shared by every YAML kind.
pub const YAML: &[Check] = &[
    Check {
        id: "yaml/syntax",
        severity: Severity::Error,
        summary: "The file is not valid YAML (or too large / too deeply nested).",
    },
    Check {
        id: crate::lint::schema::UNKNOWN_FIELD,
        severity: Severity::Error,
        summary: "A field the loader does not know (a typo or a field of another version).",
    },
    Check {
        id: crate::lint::schema::DUPLICATE_KEY,
        severity: Severity::Error,
        summary: "The same key twice in one mapping; the loaders reject it.",
    },
    Check {
        id: crate::lint::schema::WRONG_TYPE,
        severity: Severity::Error,
        summary: "A value of the wrong type (a list where a string is expected, ...).",
    },
    Check {
        id: crate::lint::schema::BAD_VALUE,
        severity: Severity::Error,
        summary: "A value of the right type but an invalid format or range (duration, size, enum).",
    },
    Check {
        id: crate::lint::schema::MISSING_FIELD,
        severity: Severity::Error,
        summary: "A required field is missing.",
    },
];

/// Every check of every kind.
pub fn all() -> Vec<Check> {
    let mut v: Vec<Check> = Vec::new();
    v.extend_from_slice(YAML);
    v.extend_from_slice(crate::lint::prometheus::CHECKS);
    v.extend_from_slice(crate::lint::alertmanager::CHECKS);
    v.extend_from_slice(crate::lint::http_config::CHECKS);
    v.sort_by_key(|c| c.id);
    v
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_unique_and_well_formed() {
        let all = super::all();
        let mut ids: Vec<&str> = all.iter().map(|c| c.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), all.len(), "duplicate check IDs");
        for c in &all {
            assert!(c.id.contains('/'), "{} must be group/name", c.id);
            assert!(
                c.id.chars().all(|ch| ch.is_ascii_lowercase()
                    || ch == '/'
                    || ch == '-'
                    || ch.is_ascii_digit()),
                "{}",
                c.id
            );
            assert!(!c.summary.is_empty());
        }
    }
}
