//! `stellar-obs validate`: the linter for the stack's configuration files.

pub mod diagnostic;

use anyhow::{Result, bail};

use crate::cli::{GlobalArgs, ValidateArgs};
use crate::outcome::Outcome;
use crate::output::Ui;

pub use diagnostic::{Diagnostic, Severity};

/// Run `validate`.
pub fn run(_g: &GlobalArgs, _ui: &Ui, _args: &ValidateArgs) -> Result<Outcome> {
    bail!("`validate` is not available in this build yet")
}
