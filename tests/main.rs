//! The one integration-test binary: every module runs the real `stellar-obs` binary.

mod common;

mod backup;
mod cli;
mod conformance;
mod contract;
mod dashboards;
mod health;
mod init;
mod lifecycle;
mod slo;
mod templates;
mod validate;
