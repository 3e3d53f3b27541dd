//! Typed HTTP clients shared by every command (one Prometheus client serves health and
//! backup; one Grafana client serves dashboards and backup).

pub mod http;

pub use http::{Http, HttpError, HttpErrorKind};
