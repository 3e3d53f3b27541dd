//! The connector: scrape its `/metrics` and compare it with the metric catalogue
//! (`connector-metrics.yml`), then read its own health gauges.
//!
//! - unreachable, 5xx, or an answer with no metrics at all → unhealthy;
//! - catalogue families missing from the answer → degraded ("3 of 73 catalogue families
//!   missing: a, b, c"): alerts and dashboards built on them see nothing;
//! - `stellar_connector_health_check_status{check} == 0` → degraded, naming the checks;
//! - `stellar_connector_circuit_breaker_state{breaker} == 2` (open) → degraded;
//! - `stellar_connector_stream_connected{stream} == 0` → degraded.
//!
//! A family counts as exposed when a sample or a HELP/TYPE line names it (a labelled family
//! nobody has observed yet has no sample). Counters may be declared without `_total` (as
//! Python's prometheus_client does); histograms appear as `_bucket`/`_sum`/`_count`.

use std::sync::Arc;

use super::probe::{Check, Finding, Probe, ProbeFuture, SubCheck, list_some};
use crate::api::Http;
use crate::api::exposition::{Exposition, scrape};
use crate::catalogue::{Catalogue, MetricDef, MetricType};

pub const HEALTH_CHECK_STATUS: &str = "stellar_connector_health_check_status";
pub const BREAKER_STATE: &str = "stellar_connector_circuit_breaker_state";
pub const STREAM_CONNECTED: &str = "stellar_connector_stream_connected";

pub struct ConnectorProbe {
    pub http: Http,
    pub path: String,
    pub catalogue: Arc<Catalogue>,
}

impl Probe for ConnectorProbe {
    fn check(&self) -> Check {
        Check::Connector
    }

    fn run(&self) -> ProbeFuture<'_> {
        Box::pin(async move {
            match scrape(&self.http, &self.path).await {
                Ok(e) => evaluate(&e, &self.catalogue),
                Err(e) => Finding::single(SubCheck::from_http("metrics", &e)),
            }
        })
    }
}

/// Every name under which `m` may show up in an exposition.
fn names_of(m: &MetricDef) -> Vec<String> {
    let mut n = m.sample_names();
    n.push(m.name.clone());
    if m.kind == MetricType::Counter
        && let Some(base) = m.name.strip_suffix("_total")
    {
        n.push(base.to_string());
    }
    n
}

/// The label `label` of the samples of `metric` whose value satisfies `bad`, sorted.
fn labels_where(
    e: &Exposition,
    metric: &str,
    label: &str,
    bad: impl Fn(f64) -> bool,
) -> Vec<String> {
    let mut v: Vec<String> = e
        .samples(metric)
        .filter(|s| bad(s.value))
        .map(|s| s.labels.get(label).cloned().unwrap_or_else(|| "(no label)".into()))
        .collect();
    v.sort();
    v.dedup();
    v
}

pub fn evaluate(e: &Exposition, catalogue: &Catalogue) -> Finding {
    let mut subs = Vec::new();

    let missing: Vec<String> = catalogue
        .metrics
        .iter()
        .filter(|m| !e.has_any(&names_of(m)))
        .map(|m| m.name.clone())
        .collect();
    let total = catalogue.metrics.len();
    subs.push(if missing.is_empty() {
        SubCheck::healthy("catalogue", format!("{total}/{total} catalogue families"))
    } else {
        let hint = if missing.len() == total { " (is this the connector's /metrics?)" } else { "" };
        SubCheck::degraded(
            "catalogue",
            format!(
                "{} of {total} catalogue families missing{hint}: {}",
                missing.len(),
                list_some(&missing, 3)
            ),
        )
    });

    let checks = e.samples(HEALTH_CHECK_STATUS).count();
    if checks > 0 {
        let failing = labels_where(e, HEALTH_CHECK_STATUS, "check", |v| v == 0.0);
        subs.push(if failing.is_empty() {
            SubCheck::healthy("health_checks", format!("{checks} health checks ok"))
        } else {
            SubCheck::degraded(
                "health_checks",
                format!("health check failing: {}", list_some(&failing, 5)),
            )
        });
    }

    let breakers = e.samples(BREAKER_STATE).count();
    if breakers > 0 {
        let open = labels_where(e, BREAKER_STATE, "breaker", |v| v >= 2.0);
        let half = labels_where(e, BREAKER_STATE, "breaker", |v| v == 1.0);
        subs.push(if !open.is_empty() {
            SubCheck::degraded(
                "circuit_breakers",
                format!("circuit breaker open: {}", list_some(&open, 5)),
            )
        } else if !half.is_empty() {
            SubCheck::healthy(
                "circuit_breakers",
                format!("circuit breaker half-open (probing): {}", list_some(&half, 5)),
            )
        } else {
            SubCheck::healthy("circuit_breakers", format!("{breakers} breakers closed"))
        });
    }

    let streams = e.samples(STREAM_CONNECTED).count();
    if streams > 0 {
        let down = labels_where(e, STREAM_CONNECTED, "stream", |v| v == 0.0);
        subs.push(if down.is_empty() {
            SubCheck::healthy("streams", format!("{streams} streams connected"))
        } else {
            SubCheck::degraded("streams", format!("stream disconnected: {}", list_some(&down, 5)))
        });
    }

    Finding::from_subchecks(subs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::probe::Status;

    fn catalogue() -> Catalogue {
        Catalogue::parse(
            "metrics:\n  - {name: stellar_connector_requests_total, type: counter}\n  - {name: stellar_connector_request_duration_seconds, type: histogram}\n  - {name: stellar_connector_health_check_status, type: gauge}\n  - {name: stellar_connector_circuit_breaker_state, type: gauge}\n  - {name: stellar_connector_open_orders, type: gauge}\n",
            "t",
        )
        .expect("catalogue")
    }

    const GOOD: &str = "# HELP stellar_connector_requests Requests.\n# TYPE stellar_connector_requests counter\nstellar_connector_requests_total{target=\"horizon\"} 3\n# TYPE stellar_connector_request_duration_seconds histogram\nstellar_connector_request_duration_seconds_bucket{le=\"+Inf\"} 1\nstellar_connector_request_duration_seconds_sum 0.2\nstellar_connector_request_duration_seconds_count 1\nstellar_connector_health_check_status{check=\"horizon\"} 1\nstellar_connector_health_check_status{check=\"database\"} 1\nstellar_connector_circuit_breaker_state{breaker=\"horizon\"} 0\n# HELP stellar_connector_open_orders Open orders.\n# TYPE stellar_connector_open_orders gauge\n";

    #[test]
    fn complete_and_ok_is_healthy() {
        let f = evaluate(&Exposition::parse(GOOD), &catalogue());
        assert_eq!(f.status, Status::Healthy, "{f:?}");
        assert_eq!(f.message, "5/5 catalogue families; 2 health checks ok; 1 breakers closed");
    }

    #[test]
    fn missing_families_failing_checks_and_open_breakers_degrade() {
        let text = GOOD
            .replace("stellar_connector_health_check_status{check=\"database\"} 1", "stellar_connector_health_check_status{check=\"database\"} 0")
            .replace("stellar_connector_circuit_breaker_state{breaker=\"horizon\"} 0", "stellar_connector_circuit_breaker_state{breaker=\"horizon\"} 2")
            .replace("# HELP stellar_connector_open_orders Open orders.\n# TYPE stellar_connector_open_orders gauge\n", "");
        let f = evaluate(&Exposition::parse(&text), &catalogue());
        assert_eq!(f.status, Status::Degraded);
        assert_eq!(
            f.message,
            "1 of 5 catalogue families missing: stellar_connector_open_orders; health check failing: database; circuit breaker open: horizon"
        );
    }

    #[test]
    fn a_foreign_exposition_says_so() {
        let f = evaluate(&Exposition::parse("go_goroutines 5\n"), &catalogue());
        assert!(
            f.message
                .contains("5 of 5 catalogue families missing (is this the connector's /metrics?)"),
            "{}",
            f.message
        );
    }
}
