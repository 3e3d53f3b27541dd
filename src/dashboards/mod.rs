//! `stellar-obs dashboards import|export|list` on Grafana's HTTP API.

use anyhow::{Result, bail};

use crate::cli::DashboardsCommand;
use crate::outcome::Outcome;
use crate::output::Ui;
use crate::settings::Settings;

pub fn run(_s: &Settings, _ui: &Ui, _c: &DashboardsCommand) -> Result<Outcome> {
    bail!("`dashboards` is not available in this build yet")
}
