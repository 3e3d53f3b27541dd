//! Prometheus: `/-/healthy`, `/-/ready`, then degraded when a scrape target is down, when
//! the last config reload failed, when a critical alert is firing, when rules fail to
//! evaluate (they can never fire), or when there are alerting rules but no Alertmanager to
//! send them to.

use std::collections::BTreeMap;

use super::probe::{Check, Finding, Probe, ProbeFuture, SubCheck, healthy_then_ready, list_some};
use crate::api::PrometheusClient;
use crate::api::http::HttpError;
use crate::api::prometheus::{Alert, RuleGroup, RuntimeInfo, Target};

pub struct PrometheusProbe {
    pub client: PrometheusClient,
    pub clock: std::sync::Arc<dyn crate::clock::Clock>,
    /// What the stack expects of remote write (a sub-check from Prometheus' `/metrics`).
    pub remote_write: super::remote_write::Expect,
}

/// Prometheus finds its Alertmanagers a few seconds after it starts (service discovery
/// updates are batched every 5 s): until then, no Alertmanager is not a finding.
const DISCOVERY_GRACE: std::time::Duration = std::time::Duration::from_secs(30);

/// What `/api/v1/rules` and `/api/v1/alertmanagers` said.
#[derive(Debug, Clone)]
pub struct RulesAnswer {
    pub groups: Vec<RuleGroup>,
    pub alertmanagers: usize,
    /// Prometheus started less than [`DISCOVERY_GRACE`] ago.
    pub just_started: bool,
    /// Its configuration names Alertmanagers (`alerting: alertmanagers:`); true when the
    /// configuration could not be read.
    pub configured: bool,
}

impl Probe for PrometheusProbe {
    fn check(&self) -> Check {
        Check::Prometheus
    }

    fn run(&self) -> ProbeFuture<'_> {
        Box::pin(async move {
            let c = &self.client;
            let (healthy, ready, targets, alerts, runtime, rules, ams, metrics) = tokio::join!(
                c.healthy(),
                c.ready(),
                c.targets(),
                c.alerts(),
                c.runtime_info(),
                c.rules(),
                c.active_alertmanagers(),
                c.metrics()
            );
            // Only alerting rules with no active Alertmanager need to know whether any is
            // configured: the running configuration is fetched for that case alone.
            let alerting = rules.as_ref().map_or(0, |groups| {
                groups.iter().flat_map(|g| &g.rules).filter(|r| r.kind == "alerting").count()
            });
            let configured = if alerting > 0 && matches!(ams, Ok(0)) {
                // Prometheus prints its configuration back canonically: the key stands alone
                // on its line when at least one Alertmanager block is configured.
                c.config_yaml()
                    .await
                    .map_or(true, |y| y.lines().any(|l| l.trim() == "alertmanagers:"))
            } else {
                true
            };
            let started = runtime
                .as_ref()
                .ok()
                .and_then(|r| r.start_time.as_deref())
                .and_then(crate::clock::parse_rfc3339);
            let just_started = started.is_some_and(|t| {
                self.clock.now().duration_since(t).unwrap_or_default() < DISCOVERY_GRACE
            });
            let rules = rules.and_then(|groups| {
                ams.map(|alertmanagers| RulesAnswer {
                    groups,
                    alertmanagers,
                    just_started,
                    configured,
                })
            });
            let finding =
                evaluate(healthy.map(drop), ready.map(drop), targets, alerts, runtime, rules);
            with_remote_write(finding, metrics, &self.remote_write)
        })
    }
}

/// `finding` with the remote-write sub-check added (when Prometheus answered at all).
pub fn with_remote_write(
    finding: Finding,
    metrics: Result<crate::api::exposition::Exposition, HttpError>,
    expect: &super::remote_write::Expect,
) -> Finding {
    if finding.details.is_empty() {
        return finding;
    }
    let sub = match metrics {
        Ok(e) => super::remote_write::evaluate(&e, expect),
        Err(e) if expect.settings.is_some() => {
            Some(SubCheck::degraded_http("remote_write", "its own /metrics", &e))
        }
        Err(_) => None,
    };
    match sub {
        Some(sub) => {
            let mut details = finding.details;
            details.push(sub);
            Finding::from_subchecks(details)
        }
        None => finding,
    }
}

/// The finding from the answers (pure: unit-tested with canned answers). `rules` is the
/// rule groups with the number of active Alertmanagers.
pub fn evaluate(
    healthy: Result<(), HttpError>,
    ready: Result<(), HttpError>,
    targets: Result<Vec<Target>, HttpError>,
    alerts: Result<Vec<Alert>, HttpError>,
    runtime: Result<RuntimeInfo, HttpError>,
    rules: Result<RulesAnswer, HttpError>,
) -> Finding {
    if let Err(f) = healthy_then_ready(healthy, ready) {
        return f;
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
    subs.push(match rules {
        Ok(r) => rules_check(&r),
        Err(e) => SubCheck::degraded_http("rules", "rules", &e),
    });
    subs.push(match alerts {
        Ok(a) => alerts_check(&a),
        Err(e) => SubCheck::degraded_http("alerts", "alerts", &e),
    });
    Finding::from_subchecks(subs)
}

/// Rules that fail to evaluate can never fire; alerting rules without an Alertmanager
/// fire into the void. Both are silent until the day an alert was needed.
fn rules_check(answer: &RulesAnswer) -> SubCheck {
    let (groups, alertmanagers) = (&answer.groups, answer.alertmanagers);
    let all = || groups.iter().flat_map(|g| g.rules.iter().map(move |r| (g, r)));
    let failing: Vec<String> = all()
        .filter(|(_, r)| r.health == "err")
        .map(|(g, r)| {
            let why = r.last_error.trim();
            if why.is_empty() {
                format!("{} (group {})", r.name, g.name)
            } else {
                let why: String = if why.chars().count() > 240 {
                    why.chars().take(240).chain("…".chars()).collect()
                } else {
                    why.to_string()
                };
                format!("{} (group {}: {why})", r.name, g.name)
            }
        })
        .collect();
    let total = all().count();
    let alerting = all().filter(|(_, r)| r.kind == "alerting").count();
    let mut problems = Vec::new();
    if !failing.is_empty() {
        problems.push(format!(
            "{} of {total} rules fail to evaluate: {}",
            failing.len(),
            list_some(&failing, 3)
        ));
    }
    let rules_word = if alerting == 1 { "rule" } else { "rules" };
    if alerting > 0 && alertmanagers == 0 && !answer.configured {
        problems.push(format!(
            "{alerting} alerting {rules_word} but no Alertmanager configured: alerts reach nobody (`alerting:` in prometheus.yml)"
        ));
    } else if alerting > 0 && alertmanagers == 0 && !answer.just_started {
        problems.push(format!(
            "{alerting} alerting {rules_word} but none of the configured Alertmanagers is active: alerts reach nobody (see /api/v1/alertmanagers)"
        ));
    }
    if problems.is_empty() {
        let to = if alerting > 0 && alertmanagers == 0 {
            ", Alertmanager discovery pending (Prometheus just started)".to_string()
        } else if alerting > 0 {
            format!(
                ", alerts to {alertmanagers} Alertmanager{}",
                if alertmanagers == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        };
        SubCheck::healthy("rules", format!("{total} rules evaluating{to}"))
    } else {
        SubCheck::degraded("rules", problems.join("; "))
    }
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

    /// Everything else fine: the finding from the rules answer alone.
    fn with_rules(r: Result<RulesAnswer, HttpError>) -> Finding {
        evaluate(Ok(()), Ok(()), Ok(vec![]), Ok(vec![]), Ok(rt(Some(true))), r)
    }

    fn no_rules() -> Result<RulesAnswer, HttpError> {
        answer(vec![], 0)
    }

    fn answer(groups: Vec<RuleGroup>, alertmanagers: usize) -> Result<RulesAnswer, HttpError> {
        Ok(RulesAnswer { groups, alertmanagers, just_started: false, configured: true })
    }

    fn rule(name: &str, kind: &str, health: &str, err: &str) -> crate::api::prometheus::RuleState {
        crate::api::prometheus::RuleState {
            name: name.into(),
            kind: kind.into(),
            health: health.into(),
            last_error: err.into(),
        }
    }

    fn group(rules: Vec<crate::api::prometheus::RuleState>) -> RuleGroup {
        RuleGroup { name: "stellar".into(), file: "a.yml".into(), rules }
    }

    #[test]
    fn failing_rules_and_alerts_without_alertmanager_degrade() {
        let good = group(vec![
            rule("Down", "alerting", "ok", ""),
            rule("job:rate5m", "recording", "unknown", ""),
        ]);
        let f = with_rules(answer(vec![good.clone()], 1));
        assert_eq!(f.status, Status::Healthy, "{}", f.message);
        assert!(
            f.message.contains("2 rules evaluating, alerts to 1 Alertmanager"),
            "{}",
            f.message
        );

        let f = with_rules(answer(vec![good], 0));
        assert_eq!(f.status, Status::Degraded);
        assert!(
            f.message.contains("none of the configured Alertmanagers is active"),
            "{}",
            f.message
        );

        let bad = group(vec![
            rule("Down", "alerting", "ok", ""),
            rule(
                "ErrorRate",
                "alerting",
                "err",
                "many-to-many matching not allowed: matching labels must be unique on one side",
            ),
        ]);
        let f = with_rules(answer(vec![bad], 2));
        assert_eq!(f.status, Status::Degraded);
        assert_eq!(
            f.message,
            "1 of 2 rules fail to evaluate: ErrorRate (group stellar: many-to-many matching not allowed: matching labels must be unique on one side)"
        );
        // Just started: Alertmanagers are found within seconds; not a finding yet.
        let young = group(vec![rule("Down", "alerting", "ok", "")]);
        let f = with_rules(Ok(RulesAnswer {
            groups: vec![young.clone()],
            alertmanagers: 0,
            just_started: true,
            configured: true,
        }));
        assert_eq!(f.status, Status::Healthy, "{}", f.message);
        assert!(f.message.contains("discovery pending"), "{}", f.message);
        // ... unless none is configured at all: no waiting makes that right.
        let f = with_rules(Ok(RulesAnswer {
            groups: vec![young],
            alertmanagers: 0,
            just_started: true,
            configured: false,
        }));
        assert_eq!(f.status, Status::Degraded);
        assert!(f.message.contains("no Alertmanager configured"), "{}", f.message);
        // Recording rules only: no Alertmanager needed.
        let rec = group(vec![rule("job:rate5m", "recording", "ok", "")]);
        let f = with_rules(answer(vec![rec], 0));
        assert_eq!(f.status, Status::Healthy, "{}", f.message);
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
            no_rules(),
        );
        assert_eq!(f.status, Status::Healthy);
        assert_eq!(
            f.message,
            "ready; 2/2 targets up; config loaded; 0 rules evaluating; no critical alerts firing (1 other firing)"
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
            no_rules(),
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
            no_rules(),
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
            Err(refused.clone()),
            Err(refused),
        );
        assert_eq!(f.status, Status::Unhealthy);
        assert_eq!(
            f.message,
            "connection refused (nothing listens there) [GET http://127.0.0.1:9/-/healthy]"
        );
        let not_ready = status_error("http://p/-/ready", 503, "Service Unavailable");
        let f = evaluate(Ok(()), Err(not_ready), Ok(vec![]), Ok(vec![]), Ok(rt(None)), no_rules());
        assert_eq!(f.status, Status::Unhealthy);
        assert!(f.message.starts_with("not ready: HTTP 503"), "{}", f.message);
    }

    #[test]
    fn an_api_error_degrades_only() {
        let e = status_error("http://p/api/v1/alerts", 500, "{\"error\":\"boom\"}");
        let f = evaluate(Ok(()), Ok(()), Ok(vec![]), Err(e), Ok(rt(Some(true))), no_rules());
        assert_eq!(f.status, Status::Degraded);
        assert!(f.message.contains("cannot read alerts: HTTP 500"), "{}", f.message);
    }
}
