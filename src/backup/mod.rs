//! `stellar-obs backup`, `backup verify`, `restore`.

use anyhow::{Result, bail};

use crate::cli::{BackupArgs, BackupVerifyArgs, RestoreArgs};
use crate::outcome::Outcome;
use crate::output::Ui;
use crate::settings::Settings;

pub fn backup_command(_s: &Settings, _ui: &Ui, _a: &BackupArgs) -> Result<Outcome> {
    bail!("`backup` is not available in this build yet")
}

pub fn verify_command(_ui: &Ui, _a: &BackupVerifyArgs) -> Result<Outcome> {
    bail!("`backup verify` is not available in this build yet")
}

pub fn restore_command(_s: &Settings, _ui: &Ui, _a: &RestoreArgs) -> Result<Outcome> {
    bail!("`restore` is not available in this build yet")
}
