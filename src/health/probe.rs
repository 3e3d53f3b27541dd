//! What a probe is and what it finds: [`Check`] (the row), [`Status`], [`SubCheck`],
//! [`Finding`] and the [`Probe`] trait every component file implements.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use serde::Serialize;

use crate::api::http::{Http, HttpError, Response, truncate};
use crate::settings::Component;

/// One row of the report: a component of the stack, an external endpoint, or the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Check {
    Prometheus,
    Alertmanager,
    Grafana,
    Loki,
    Jaeger,
    NodeExporter,
    Cadvisor,
    Pushgateway,
    Connector,
    Horizon,
    Host,
}

impl Check {
    /// Every check, in report order.
    pub const ALL: [Check; 11] = [
        Check::Prometheus,
        Check::Alertmanager,
        Check::Grafana,
        Check::Loki,
        Check::Jaeger,
        Check::NodeExporter,
        Check::Cadvisor,
        Check::Pushgateway,
        Check::Connector,
        Check::Horizon,
        Check::Host,
    ];

    /// The name in reports and in `--only`.
    pub fn name(self) -> &'static str {
        match self {
            Check::Host => "host",
            other => other.component().map(Component::key).unwrap_or("host"),
        }
    }

    /// The endpoint this check talks to (`None` for the host). Jaeger is probed on its
    /// admin endpoint, see `jaeger.rs`.
    pub fn component(self) -> Option<Component> {
        Some(match self {
            Check::Prometheus => Component::Prometheus,
            Check::Alertmanager => Component::Alertmanager,
            Check::Grafana => Component::Grafana,
            Check::Loki => Component::Loki,
            Check::Jaeger => Component::Jaeger,
            Check::NodeExporter => Component::NodeExporter,
            Check::Cadvisor => Component::Cadvisor,
            Check::Pushgateway => Component::Pushgateway,
            Check::Connector => Component::Connector,
            Check::Horizon => Component::Horizon,
            Check::Host => return None,
        })
    }

    /// Parse a user-typed name: `node-exporter` and `node_exporter` both work, and
    /// `jaeger_admin` means jaeger.
    pub fn parse(s: &str) -> Option<Check> {
        let norm = s.trim().to_ascii_lowercase().replace('-', "_");
        if norm == "host" {
            return Some(Check::Host);
        }
        if norm == "jaeger_admin" {
            return Some(Check::Jaeger);
        }
        Check::ALL.into_iter().find(|c| c.name() == norm)
    }

    /// The accepted names, for error messages.
    pub fn names() -> String {
        Check::ALL.map(Check::name).join(", ")
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a check went. The order is the severity order; the overall status is the worst
/// status that is not `Skipped`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Disabled (`off`), not probed.
    Skipped,
    /// Reachable and every sub-check passed.
    Healthy,
    /// Reachable, but a sub-check failed.
    Degraded,
    /// Unreachable, timed out, or answered 5xx (or something as bad, see the docs).
    Unhealthy,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Skipped => "skipped",
            Status::Healthy => "healthy",
            Status::Degraded => "degraded",
            Status::Unhealthy => "unhealthy",
        }
    }

    /// The value of `stellar_obs_check_status` (and the monitoring-plugin exit code).
    pub fn code(self) -> Option<u8> {
        match self {
            Status::Skipped => None,
            Status::Healthy => Some(0),
            Status::Degraded => Some(1),
            Status::Unhealthy => Some(2),
        }
    }

    /// The worst of `statuses` ignoring skipped ones; healthy when there is none.
    pub fn overall(statuses: impl IntoIterator<Item = Status>) -> Status {
        statuses.into_iter().filter(|s| *s != Status::Skipped).max().unwrap_or(Status::Healthy)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing a probe looked at (an endpoint, a target list, a gauge).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubCheck {
    pub check: String,
    pub status: Status,
    pub message: String,
}

impl SubCheck {
    pub fn new(check: &str, status: Status, message: impl Into<String>) -> SubCheck {
        SubCheck { check: check.to_string(), status, message: message.into() }
    }

    pub fn healthy(check: &str, message: impl Into<String>) -> SubCheck {
        SubCheck::new(check, Status::Healthy, message)
    }

    pub fn degraded(check: &str, message: impl Into<String>) -> SubCheck {
        SubCheck::new(check, Status::Degraded, message)
    }

    pub fn unhealthy(check: &str, message: impl Into<String>) -> SubCheck {
        SubCheck::new(check, Status::Unhealthy, message)
    }

    /// A failed request: unreachable, timeout, error status → unhealthy.
    pub fn from_http(check: &str, e: &HttpError) -> SubCheck {
        SubCheck::unhealthy(check, http_message(e))
    }

    /// A failed request for a secondary API of a component that is otherwise up →
    /// degraded (the component answers, we just cannot see this part).
    pub fn degraded_http(check: &str, what: &str, e: &HttpError) -> SubCheck {
        SubCheck::degraded(check, format!("cannot read {what}: {}", http_message(e)))
    }
}

/// The gate of the components with `/-/healthy` and `/-/ready` (Prometheus, Alertmanager,
/// Pushgateway): either failing is the whole finding, unhealthy (`not ready: ...` for the
/// second).
pub fn healthy_then_ready(
    healthy: Result<(), HttpError>,
    ready: Result<(), HttpError>,
) -> Result<(), Finding> {
    if let Err(e) = healthy {
        return Err(Finding::single(SubCheck::from_http("healthy", &e)));
    }
    if let Err(e) = ready {
        let mut s = SubCheck::from_http("ready", &e);
        s.message = format!("not ready: {}", s.message);
        return Err(Finding::single(s));
    }
    Ok(())
}

/// How an HTTP failure reads in a report row: what went wrong, then what was asked,
/// e.g. `connection refused (nothing listens there) [GET http://127.0.0.1:9100/metrics]`.
pub fn http_message(e: &HttpError) -> String {
    format!("{} [GET {}]", e.message, e.url)
}

/// What a probe found: a status, the row's message and the sub-checks behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub status: Status,
    pub message: String,
    pub details: Vec<SubCheck>,
}

impl Finding {
    /// The finding of a list of sub-checks: the worst status; the message joins the
    /// messages of the sub-checks with that worst status (all of them when healthy).
    pub fn from_subchecks(details: Vec<SubCheck>) -> Finding {
        let status = Status::overall(details.iter().map(|d| d.status));
        let message = details
            .iter()
            .filter(|d| d.status == status)
            .map(|d| d.message.as_str())
            .filter(|m| !m.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        Finding { status, message, details }
    }

    /// A finding with a single sub-check.
    pub fn single(sub: SubCheck) -> Finding {
        Finding::from_subchecks(vec![sub])
    }

    pub fn skipped(message: impl Into<String>) -> Finding {
        Finding { status: Status::Skipped, message: message.into(), details: vec![] }
    }
}

/// The future a probe returns.
pub type ProbeFuture<'a> = Pin<Box<dyn Future<Output = Finding> + Send + 'a>>;

/// One component's probe. Implementations do their own requests concurrently where they
/// have several, and never take longer than the timeout of the [`crate::api::Http`] they
/// were given; the runner enforces the timeout anyway.
pub trait Probe: Send + Sync {
    /// The row this probe fills.
    fn check(&self) -> Check;

    /// Probe once.
    fn run(&self) -> ProbeFuture<'_>;
}

/// GET `path`; a failure becomes an unhealthy sub-check named `sub`.
pub async fn get_ok(http: &Http, path: &str, sub: &str) -> Result<Response, SubCheck> {
    http.get(path).await.map_err(|e| SubCheck::from_http(sub, &e))
}

/// The body's first line, trimmed and shortened, for messages ("ok", "ready").
pub fn first_line(body: &str) -> String {
    truncate(body.trim().lines().next().unwrap_or("").trim(), 80)
}

/// Join names for a message: the first `max`, then "and N more".
pub fn list_some(names: &[String], max: usize) -> String {
    if names.len() <= max {
        return names.join(", ");
    }
    format!("{}, and {} more", names[..max].join(", "), names.len() - max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_both_spellings_and_host() {
        assert_eq!(Check::parse("node-exporter"), Some(Check::NodeExporter));
        assert_eq!(Check::parse("node_exporter"), Some(Check::NodeExporter));
        assert_eq!(Check::parse("HOST"), Some(Check::Host));
        assert_eq!(Check::parse("jaeger-admin"), Some(Check::Jaeger));
        assert_eq!(Check::parse("promethus"), None);
        assert_eq!(Check::NodeExporter.name(), "node_exporter");
        assert!(Check::names().ends_with("horizon, host"));
    }

    #[test]
    fn overall_is_the_worst_ignoring_skipped() {
        use Status::*;
        assert_eq!(Status::overall([Healthy, Skipped]), Healthy);
        assert_eq!(Status::overall([Skipped]), Healthy);
        assert_eq!(Status::overall([Healthy, Degraded, Skipped]), Degraded);
        assert_eq!(Status::overall([Unhealthy, Degraded]), Unhealthy);
        assert_eq!(Unhealthy.code(), Some(2));
        assert_eq!(Skipped.code(), None);
    }

    #[test]
    fn findings_keep_the_worst_messages() {
        let f = Finding::from_subchecks(vec![
            SubCheck::healthy("healthy", "healthy"),
            SubCheck::degraded("targets", "1 target down: node"),
            SubCheck::degraded("alerts", "critical alert firing: X"),
        ]);
        assert_eq!(f.status, Status::Degraded);
        assert_eq!(f.message, "1 target down: node; critical alert firing: X");
        let ok = Finding::from_subchecks(vec![
            SubCheck::healthy("a", "ready"),
            SubCheck::healthy("b", "3/3 targets up"),
        ]);
        assert_eq!(ok.message, "ready; 3/3 targets up");
    }

    #[test]
    fn lists_are_shortened() {
        let v: Vec<String> = (1..=5).map(|i| format!("m{i}")).collect();
        assert_eq!(list_some(&v, 3), "m1, m2, m3, and 2 more");
        assert_eq!(list_some(&v[..2], 3), "m1, m2");
    }
}
