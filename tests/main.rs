//! The one integration-test binary: every module runs the real `stellar-obs` binary.

mod common;

mod alerts;
mod architecture;
mod backup;
mod backup_hardening;
mod cli;
mod conformance;
mod contract;
mod dashboards;
mod health;
mod hostile_files;
mod hostile_http;
mod init;
mod lifecycle;
mod promql_conformance;
mod remote_write;
mod render;
mod routes;
mod routes_alertmanager;
mod routing_conformance;
mod slo;
mod swarm;
mod templates;
mod test_routes;
mod test_rules;
mod validate;
