//! `stellar-obs validate`: the linter for the stack's configuration files.

pub mod diagnostic;

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::cli::{GlobalArgs, ValidateArgs};
use crate::outcome::Outcome;
use crate::output::Ui;
use crate::settings::COMPOSE_FILE;
use crate::yaml::Pos;

pub use diagnostic::{Diagnostic, Severity};

/// Run `validate`.
pub fn run(_g: &GlobalArgs, _ui: &Ui, _args: &ValidateArgs) -> Result<Outcome> {
    bail!("`validate` is not available in this build yet")
}

/// Check the whole stack directory; `up` refuses to start on any error-severity finding.
///
/// STAND-IN, TO BE REPLACED BY THE VALIDATOR (src/lint/, the `validate` issue): this
/// minimal version only checks that the compose file is readable YAML and reports the
/// parser's position. The validator's `check_stack` keeps this signature.
pub fn check_stack(dir: &Path) -> Result<Vec<Diagnostic>> {
    let path = dir.join(COMPOSE_FILE);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let shown = path.display().to_string();
    Ok(match crate::yaml::parse(&text) {
        Ok(root) if root.as_map().is_some() => Vec::new(),
        Ok(root) => vec![Diagnostic::error(
            shown,
            if root.is_null() { Pos::new(1, 1) } else { root.pos },
            "compose/not-a-mapping",
            format!(
                "the compose file must be a mapping with `services:`, not a {}",
                root.type_name()
            ),
        )],
        Err(e) => vec![Diagnostic::error(shown, e.pos, "yaml/syntax", e.message)],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_stack_reports_yaml_errors_with_positions() {
        let d = tempfile::tempdir().expect("tmp");
        std::fs::write(d.path().join(COMPOSE_FILE), "services:\n  a:\n    image: [x\n  b: 1\n")
            .expect("write");
        let diags = check_stack(d.path()).expect("runs");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].severity, Severity::Error);
        assert_eq!(diags[0].code, "yaml/syntax");
        assert!(diags[0].line >= 3, "{diags:?}");
        assert!(diags[0].path.ends_with(COMPOSE_FILE));

        std::fs::write(d.path().join(COMPOSE_FILE), "services:\n  a:\n    image: x\n").expect("w");
        assert!(check_stack(d.path()).expect("runs").is_empty());
        assert!(check_stack(&d.path().join("nowhere")).is_err());
    }
}
