//! stellar-obs: the observability stack of the Stellar Hummingbot connector, as one tool.
//!
//! The binary (`main.rs`) is thin: it parses the command line and hands over to [`run::run`].
//! See `ARCHITECTURE.md` for how the modules fit together.

pub mod api;
pub mod catalogue;
pub mod cli;
pub mod clock;
pub mod env_file;
pub mod fsutil;
pub mod ha;
pub mod interrupt;
pub mod outcome;
pub mod output;
pub mod routes;
pub mod run;
pub mod runtime;
pub mod settings;
pub mod stack;
pub mod stack_dir;
pub mod suggest;
pub mod templates;
pub mod yaml;

pub mod alerting;
pub mod alerts;
pub mod backup;
pub mod dashboards;
pub mod health;
pub mod lint;
pub mod promql;
pub mod remote_write;
pub mod render;
pub mod slo;
pub mod test;
