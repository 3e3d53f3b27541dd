//! Alertmanager configuration (`alertmanager.yml`): the strict schema of the official
//! loader (current Alertmanager), routing tree, receivers and integrations, matchers,
//! time intervals, templates — each finding with its position.

use std::collections::BTreeMap;

use crate::lint::Options;
use crate::lint::checks::Check;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::source::Source;
use crate::yaml::{Node, Pos};

/// The checks of this module.
pub const CHECKS: &[Check] = &[];

/// What cross-file checks need to know about an Alertmanager config.
#[derive(Debug, Clone, Default)]
pub struct AmFacts {
    /// Receivers: name, position, whether it has at least one integration.
    pub receivers: Vec<(String, Pos, bool)>,
}

impl AmFacts {
    /// The receivers an alert with `labels` is routed to (following `continue`).
    pub fn route(&self, labels: &BTreeMap<String, String>) -> Vec<String> {
        let _ = labels;
        Vec::new()
    }
}

/// Check a parsed `alertmanager.yml`.
pub fn check_config(
    src: &Source,
    tree: &Node,
    opts: &Options,
    diags: &mut Vec<Diagnostic>,
) -> AmFacts {
    let _ = (src, tree, opts, diags);
    AmFacts::default()
}
