//! The registry of stable check IDs: every module's `CHECKS` (one line of documentation
//! each), gathered here for the two places that need all of them, `docs/checks.md`
//! (generated from / tested against this list) and SARIF's rule table. The `Check` type
//! itself is in the leaf module [`crate::lint::check`], so a module that defines checks
//! never imports this registry.

use crate::lint::check::{Check, YAML_SYNTAX};
use crate::lint::diagnostic::Severity;

/// The generic YAML checks shared by every YAML kind.
pub const YAML: &[Check] = &[
    Check {
        id: YAML_SYNTAX,
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
    v.extend_from_slice(crate::lint::CHECKS);
    v.extend_from_slice(crate::lint::rules::CHECKS);
    v.extend_from_slice(crate::lint::rule_tests::CHECKS);
    v.extend_from_slice(crate::lint::dashboard::CHECKS);
    v.extend_from_slice(crate::lint::compose::CHECKS);
    v.extend_from_slice(crate::lint::cross::CHECKS);
    v.extend_from_slice(crate::lint::http_config::CHECKS);
    v.extend_from_slice(crate::lint::generated::CHECKS);
    v.extend_from_slice(crate::lint::ha::CHECKS);
    v.extend_from_slice(crate::lint::remote_write::CHECKS);
    v.sort_by_key(|c| c.id);
    v
}

/// `docs/checks.md`, generated from the registry.
pub fn markdown() -> String {
    let mut s = String::from(
        "# Checks of `stellar-obs validate`\n\n\
Every finding carries one of these stable IDs (`code` in JSON, `ruleId` in SARIF, `title` in\n\
GitHub annotations). This page is generated from the check registry (`src/lint/checks.rs`);\n\
a test fails when it drifts. Regenerate with\n\
`STELLAR_OBS_REGEN_DOCS=1 cargo test --lib lint::checks`.\n\n\
| ID | default severity | what it finds |\n|---|---|---|\n",
    );
    for c in all() {
        s.push_str(&format!("| `{}` | {} | {} |\n", c.id, c.severity, c.summary));
    }
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn docs_checks_md_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/checks.md");
        let want = super::markdown();
        if std::env::var_os("STELLAR_OBS_REGEN_DOCS").is_some() {
            std::fs::write(&path, &want).expect("write docs/checks.md");
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "docs/checks.md differs from the check registry; run STELLAR_OBS_REGEN_DOCS=1 cargo test --lib lint::checks"
        );
    }

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
