//! `stellar-obs test ...`: unit tests. `rules` runs promtool's rule unit-test files on the
//! project's PromQL engine (`crate::promql`); `routes` runs routing tests on the
//! Alertmanager model (`crate::alerting`). Runners fill a [`report::TestReport`]; its
//! renderers (human, json, junit, github) are shared by every `test` subcommand.

pub mod compare;
pub mod coverage;
pub mod histogram;
pub mod report;
pub mod routes;
pub mod rule_eval;
pub mod rules;
pub mod template;

use std::path::PathBuf;

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
        TestCommand::Rules(a) => {
            ui.require_format("test rules", FORMATS)?;
            let opts = rules::Options {
                run: rules::run_filter(&a.run)?,
                ignore_unknown_fields: a.ignore_unknown_fields,
                coverage: a.coverage,
            };
            let dir = g.dir.clone().unwrap_or_else(|| PathBuf::from(crate::settings::DEFAULT_DIR));
            let report = rules::command(&dir, &a.files, &opts)?;
            ui.emit(&report)?;
            Ok(report.outcome())
        }
    }
}
