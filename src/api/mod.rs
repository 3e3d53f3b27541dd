//! Typed HTTP clients shared by every command (one Prometheus client serves health and
//! backup; one Alertmanager client serves health and backup; one Grafana client serves
//! dashboards and backup).

pub mod alertmanager;
pub mod exposition;
pub mod horizon;
pub mod http;
pub mod prometheus;

pub use alertmanager::AlertmanagerClient;
pub use horizon::HorizonClient;
pub use http::{BodyCap, Http, HttpError, HttpErrorKind};
pub use prometheus::PrometheusClient;
pub mod grafana;
pub mod grafana_alerting;
pub use grafana::GrafanaClient;
