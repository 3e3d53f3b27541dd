//! Prometheus: `/-/healthy`, `/-/ready`, then degraded when a scrape target is down, when
//! the last config reload failed, or when a critical alert is firing.

use std::collections::BTreeMap;

use super::probe::{Check, Finding, Probe, ProbeFuture, SubCheck, list_some};
use crate::api::PrometheusClient;
use crate::api::http::HttpError;
use crate::api::prometheus::{Alert, RuntimeInfo, Target};

pub struct PrometheusProbe {
    pub client: PrometheusClient,
}

impl Probe for PrometheusProbe {
    fn check(&self) -> Check {
        Check::Prometheus
    }

    fn run(&self) -> ProbeFuture<'_> {
        Box::pin(async move {
            let c = &self.client;
            let (healthy, ready, targets, alerts, runtime) =
                tokio::join!(c.healthy(), c.ready(), c.targets(), c.alerts(), c.runtime_info());
            evaluate(healthy.map(drop), ready.map(drop), targets, alerts, runtime)
        })
    }
}

/// The finding from the five answers (pure: unit-tested with canned answers).
pub fn evaluate(
    healthy: Result<(), HttpError>,
    ready: Result<(), HttpError>,
    targets: Result<Vec<Target>, HttpError>,
    alerts: Result<Vec<Alert>, HttpError>,
    runtime: Result<RuntimeInfo, HttpError>,
) -> Finding {
    if let Err(e) = healthy {
        return Finding::single(SubCheck::from_http("healthy", &e));
    }
    if let Err(e) = ready {
        let mut s = SubCheck::from_http("ready", &e);
        s.message = format!("not ready: {}", s.message);
        return Finding::single(s);
    }
    let mut subs = vec![SubCheck::healthy("ready", "ready")];
    subs.push(match targets {
        Ok(t) => targets_check(&t),
        Err(e) => SubCheck::degraded_http("targets", "scrape targets", &e),
    });
    subs.push(match runtime {
        Ok(r) => reload_check(&r),
        Err(e) => SubCheck::degraded_http("config", "runtime info", &e),
    });
    subs.push(match alerts {
        Ok(a) => alerts_check(&a),
        Err(e) => SubCheck::degraded_http("alerts", "alerts", &e),
    });
    Finding::from_subchecks(subs)
}

/// The short reason of a scrape error: Go's errors nest with ": ", the last part is the
/// cause (`Get "...": dial tcp 127.0.0.1:1: connect: connection refused` → `connection
/// refused`).
fn short_error(e: &str) -> &str {
    let e = e.trim();
    e.rsplit(": ").next().filter(|s| !s.is_empty()).unwrap_or(e)
}

fn targets_check(targets: &[Target]) -> SubCheck {
    let down: Vec<String> = targets
        .iter()
        .filter(|t| t.health == "down")
        .map(|t| {
            let job = t.labels.get("job").cloned().unwrap_or_else(|| t.scrape_pool.clone());
            let why = if t.last_error.is_empty() {
                String::new()
            } else {
                format!(" ({})", short_error(&t.last_error))
            };
            format!("{job} {}{why}", t.scrape_url)
        })
        .collect();
    if down.is_empty() {
        let up = targets.iter().filter(|t| t.health == "up").count();
        let msg = if up == targets.len() {
            format!("{up}/{} targets up", targets.len())
        } else {
            format!("{up}/{} targets up, {} not scraped yet", targets.len(), targets.len() - up)
        };
        SubCheck::healthy("targets", msg)
    } else {
        SubCheck::degraded(
            "targets",
            format!(
                "{} of {} scrape targets down: {}",
                down.len(),
                targets.len(),
                list_some(&down, 3)
            ),
        )
    }
}

fn reload_check(r: &RuntimeInfo) -> SubCheck {
    match r.reload_config_success {
        Some(false) => SubCheck::degraded(
            "config",
            format!(
                "last config reload failed{}: Prometheus still runs the previous configuration",
                r.last_config_time
                    .as_deref()
                    .map(|t| format!(" (config loaded {t})"))
                    .unwrap_or_default()
            ),
        ),
        _ => SubCheck::healthy("config", "config loaded"),
    }
}

fn alerts_check(alerts: &[Alert]) -> SubCheck {
    let firing: Vec<&Alert> = alerts.iter().filter(|a| a.state == "firing").collect();
    let mut critical: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &firing {
        if a.labels.get("severity").is_some_and(|s| s.eq_ignore_ascii_case("critical")) {
            let name = a.labels.get("alertname").map(String::as_str).unwrap_or("(unnamed)");
            *critical.entry(name).or_default() += 1;
        }
    }
    if critical.is_empty() {
        let msg = if firing.is_empty() {
            "no alerts firing".to_string()
        } else {
            format!("no critical alerts firing ({} other firing)", firing.len())
        };
        return SubCheck::healthy("alerts", msg);
    }
    let names: Vec<String> = critical
        .iter()
        .map(|(n, c)| if *c > 1 { format!("{n} ({c}x)") } else { n.to_string() })
        .collect();
    let total: usize = critical.values().sum();
    SubCheck::degraded(
        "alerts",
        format!(
            "{total} critical alert{} firing: {}",
            if total == 1 { "" } else { "s" },
            list_some(&names, 3)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::http::{HttpErrorKind, status_error};
    use crate::health::probe::Status;

    fn target(job: &str, health: &str, err: &str) -> Target {
        Target {
            scrape_pool: job.into(),
            scrape_url: format!("http://{job}:1/metrics"),
            health: health.into(),
            last_error: err.into(),
            labels: [("job".to_string(), job.to_string())].into_iter().collect(),
        }
    }

    fn alert(name: &str, severity: &str, state: &str) -> Alert {
        Alert {
            labels: [("alertname", name), ("severity", severity)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            annotations: Default::default(),
            state: state.into(),
            active_at: None,
        }
    }

    fn rt(ok: Option<bool>) -> RuntimeInfo {
        RuntimeInfo {
            reload_config_success: ok,
            last_config_time: Some("2026-11-25T20:00:00Z".into()),
            storage_retention: None,
            start_time: None,
        }
    }

    #[test]
    fn all_good_is_healthy() {
        let f = evaluate(
            Ok(()),
            Ok(()),
            Ok(vec![target("a", "up", ""), target("b", "up", "")]),
            Ok(vec![alert("W", "warning", "firing")]),
            Ok(rt(Some(true))),
        );
        assert_eq!(f.status, Status::Healthy);
        assert_eq!(
            f.message,
            "ready; 2/2 targets up; config loaded; no critical alerts firing (1 other firing)"
        );
    }

    #[test]
    fn a_down_target_is_named() {
        let f = evaluate(
            Ok(()),
            Ok(()),
            Ok(vec![
                target("a", "up", ""),
                target(
                    "dead",
                    "down",
                    "Get \"http://dead:1/metrics\": dial tcp 127.0.0.1:1: connect: connection refused",
                ),
            ]),
            Ok(vec![]),
            Ok(rt(Some(true))),
        );
        assert_eq!(f.status, Status::Degraded);
        assert_eq!(
            f.message,
            "1 of 2 scrape targets down: dead http://dead:1/metrics (connection refused)"
        );
    }

    #[test]
    fn failed_reload_and_critical_alerts_degrade() {
        let f = evaluate(
            Ok(()),
            Ok(()),
            Ok(vec![]),
            Ok(vec![
                alert("ConnectorDown", "critical", "firing"),
                alert("ConnectorDown", "critical", "firing"),
                alert("Soon", "critical", "pending"),
            ]),
            Ok(rt(Some(false))),
        );
        assert_eq!(f.status, Status::Degraded);
        assert!(
            f.message.contains("last config reload failed (config loaded 2026-11-25T20:00:00Z)"),
            "{}",
            f.message
        );
        assert!(
            f.message.contains("2 critical alerts firing: ConnectorDown (2x)"),
            "{}",
            f.message
        );
    }

    #[test]
    fn unhealthy_or_not_ready_is_unhealthy() {
        let refused = HttpError {
            kind: HttpErrorKind::Refused,
            url: "http://127.0.0.1:9/-/healthy".into(),
            message: "connection refused (nothing listens there)".into(),
            body: None,
        };
        let f = evaluate(
            Err(refused.clone()),
            Err(refused.clone()),
            Err(refused.clone()),
            Err(refused.clone()),
            Err(refused),
        );
        assert_eq!(f.status, Status::Unhealthy);
        assert_eq!(
            f.message,
            "connection refused (nothing listens there) [GET http://127.0.0.1:9/-/healthy]"
        );
        let not_ready = status_error("http://p/-/ready", 503, "Service Unavailable");
        let f = evaluate(Ok(()), Err(not_ready), Ok(vec![]), Ok(vec![]), Ok(rt(None)));
        assert_eq!(f.status, Status::Unhealthy);
        assert!(f.message.starts_with("not ready: HTTP 503"), "{}", f.message);
    }

    #[test]
    fn an_api_error_degrades_only() {
        let e = status_error("http://p/api/v1/alerts", 500, "{\"error\":\"boom\"}");
        let f = evaluate(Ok(()), Ok(()), Ok(vec![]), Err(e), Ok(rt(Some(true))));
        assert_eq!(f.status, Status::Degraded);
        assert!(f.message.contains("cannot read alerts: HTTP 500"), "{}", f.message);
    }
}
