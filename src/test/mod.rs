//! `stellar-obs test ...`: unit tests. Runners fill a [`report::TestReport`]; its renderers
//! (human, json, junit, github) are shared by every `test` subcommand.

pub mod report;

pub use report::TestReport;
