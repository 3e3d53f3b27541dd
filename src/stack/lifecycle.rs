//! `up`, `down`, `status`, `logs`, `restart` on Docker Compose.

use anyhow::{Result, bail};

use crate::cli::{DownArgs, LogsArgs, RestartArgs, UpArgs};
use crate::outcome::Outcome;
use crate::output::Ui;
use crate::settings::Settings;

pub fn up(_s: &Settings, _ui: &Ui, _a: &UpArgs) -> Result<Outcome> {
    bail!("`up` is not available in this build yet")
}

pub fn down(_s: &Settings, _ui: &Ui, _a: &DownArgs) -> Result<Outcome> {
    bail!("`down` is not available in this build yet")
}

pub fn status(_s: &Settings, _ui: &Ui) -> Result<Outcome> {
    bail!("`status` is not available in this build yet")
}

pub fn logs(_s: &Settings, _ui: &Ui, _a: &LogsArgs) -> Result<Outcome> {
    bail!("`logs` is not available in this build yet")
}

pub fn restart(_s: &Settings, _ui: &Ui, _a: &RestartArgs) -> Result<Outcome> {
    bail!("`restart` is not available in this build yet")
}
