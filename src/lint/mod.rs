//! `stellar-obs validate`: the linter for the stack's configuration files.
//!
//! Layout: `source` (files), `diagnostic` (the one finding type), `schema` (strict,
//! positioned schema helpers), `checks` (the registry of check IDs), one module per kind
//! (`prometheus`, `alertmanager`, ...), renderers per output format.

pub mod alertmanager;
pub mod checks;
pub mod diagnostic;
pub mod http_config;
pub mod prometheus;
pub mod schema;
pub mod source;

use std::path::Path;

use anyhow::{Result, bail};

use crate::cli::{GlobalArgs, ValidateArgs};
use crate::outcome::Outcome;
use crate::output::Ui;

pub use diagnostic::{Diagnostic, Severity};
pub use source::Source;

/// How strictly to check.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Check that files referenced by a config exist (rule files, TLS and credential files:
    /// errors; file_sd files: warnings), as `promtool check config` does.
    pub check_files: bool,
    /// Prometheus runs in agent mode (no rules, no alerting).
    pub agent: bool,
}

/// Run `validate`.
pub fn run(_g: &GlobalArgs, _ui: &Ui, _args: &ValidateArgs) -> Result<Outcome> {
    bail!("`validate` is not available in this build yet")
}

/// Validate the whole stack directory (used by `up` before starting). Provisional: only
/// YAML syntax of the main files until the full validator lands.
pub fn check_stack(dir: &Path) -> Result<Vec<Diagnostic>> {
    let mut out = Vec::new();
    for f in [
        crate::settings::COMPOSE_FILE,
        "prometheus/prometheus.yml",
        "prometheus/stellar_alerts.yml",
        "alerting/alertmanager.yml",
    ] {
        let p = dir.join(f);
        let text = match std::fs::read_to_string(&p) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => bail!("cannot read {}: {e}", p.display()),
        };
        if let Err(e) = crate::yaml::parse(&text) {
            out.push(Diagnostic::error(p.display().to_string(), e.pos, "yaml/syntax", e.message));
        }
    }
    Ok(out)
}
