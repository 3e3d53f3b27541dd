//! `stellar-obs check-health`: concurrent probes of every component.

use anyhow::{Result, bail};

use crate::cli::CheckHealthArgs;
use crate::outcome::Outcome;
use crate::output::Ui;
use crate::settings::Settings;

pub fn run(_s: &Settings, _ui: &Ui, _a: &CheckHealthArgs) -> Result<Outcome> {
    bail!("`check-health` is not available in this build yet")
}
