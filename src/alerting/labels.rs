//! Label sets written by people on the command line: `severity=critical,job=x`, or in
//! Alertmanager's matcher syntax `{severity="critical", job="x"}` (quoted values may hold
//! commas and spaces). Only `=` is allowed: a label set is not a selector.

use super::Labels;
use crate::lint::alertmanager::{MatchOp, ParserMode, matchers::parse_matchers};

/// Largest label set accepted (characters), so a pasted file cannot make a huge alert.
pub const MAX_LABELS_LEN: usize = 64 * 1024;

/// Parse a label set. Empty values are dropped (an empty label is an absent label).
pub fn parse_labels(input: &str) -> Result<Labels, String> {
    if input.len() > MAX_LABELS_LEN {
        return Err(format!(
            "label set too long ({} bytes, at most {MAX_LABELS_LEN})",
            input.len()
        ));
    }
    let parsed = parse_matchers(input, ParserMode::Fallback).map_err(|e| match e.column {
        Some(c) => format!("invalid label set at character {}: {}", c + 1, e.message),
        None => format!("invalid label set: {}", e.message),
    })?;
    let mut out = Labels::new();
    for m in parsed.matchers {
        if m.op != MatchOp::Equal {
            return Err(format!(
                "`{m}`: a label set takes `name=value` pairs, not `{}` matchers",
                m.op.as_str()
            ));
        }
        if m.name.is_empty() {
            return Err("a label has an empty name".to_string());
        }
        if out.contains_key(&m.name) {
            return Err(format!("label {:?} is given twice", m.name));
        }
        if !m.value.is_empty() {
            out.insert(m.name, m.value);
        }
    }
    Ok(out)
}

/// `{a="1", b="2"}` for messages.
pub fn show(labels: &Labels) -> String {
    let parts: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
    format!("{{{}}}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_syntaxes() {
        let a = parse_labels("severity=critical,job=x").expect("ok");
        assert_eq!(a.get("severity").map(String::as_str), Some("critical"));
        let b = parse_labels(r#"{severity="critical", job="x", note="a, b"}"#).expect("ok");
        assert_eq!(b.get("note").map(String::as_str), Some("a, b"));
        assert_eq!(parse_labels("a=").expect("ok").len(), 0);
    }

    #[test]
    fn selectors_and_garbage_are_refused() {
        assert!(parse_labels("severity=~crit.*").is_err_and(|e| e.contains("=~")));
        assert!(parse_labels("a=1,a=2").is_err_and(|e| e.contains("twice")));
        assert!(parse_labels("a=\"1").is_err());
        assert!(parse_labels("=x").is_err());
    }
}
