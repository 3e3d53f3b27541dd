//! `stellar-obs test ...`: unit tests. `routes` runs routing tests on the Alertmanager
//! model (`crate::alerting`). Runners fill a [`report::TestReport`]; its renderers (human,
//! json, junit, github) are shared by every `test` subcommand.

pub mod report;
pub mod routes;

use anyhow::Result;

use crate::cli::{GlobalArgs, OutputFormat, TestCommand};
use crate::outcome::Outcome;
use crate::output::Ui;

pub use report::TestReport;

/// The formats every `test` subcommand supports besides human.
pub const FORMATS: &[OutputFormat] =
    &[OutputFormat::Json, OutputFormat::Junit, OutputFormat::Github];

/// Run a `test` subcommand.
pub fn run(g: &GlobalArgs, ui: &Ui, cmd: &TestCommand) -> Result<Outcome> {
    match cmd {
        TestCommand::Routes(a) => routes::run(g, ui, a),
    }
}
