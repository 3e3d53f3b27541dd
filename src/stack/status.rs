//! The status report: one row per service of the compose file, containers or not.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::outcome::Outcome;
use crate::output::{Paint, Report, table, to_json};
use crate::stack::engine::{Container, ProjectSpec};

/// One service's row (the contract's `status` JSON shape, plus `uptime_seconds`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceRow {
    pub service: String,
    /// `running`, `exited`, `created`, `restarting`, `paused`, `dead`, or `missing` when
    /// the service has no container.
    pub state: String,
    /// `healthy`, `unhealthy`, `starting`, or `none` (no healthcheck, or no container).
    pub health: String,
    /// Published ports, `127.0.0.1:9090->9090/tcp`.
    pub ports: Vec<String>,
    /// How long it has been running (`3m 12s`), `null` when not running.
    pub uptime: Option<String>,
    pub uptime_seconds: Option<u64>,
    /// The container's image, or the configured one when there is no container.
    pub image: String,
    /// Exit code of a stopped container.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i64>,
    /// Swarm: the service's tasks running/desired (`1/1`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<String>,
    /// Swarm: the node of each of its tasks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<String>,
}

impl ServiceRow {
    pub fn is_running(&self) -> bool {
        self.state == "running"
    }

    /// Running, and healthy when it has a healthcheck.
    pub fn is_ready(&self) -> bool {
        self.is_running() && (self.health == "healthy" || self.health == "none")
    }

    /// A container exists but is not running, or it is unhealthy.
    pub fn is_bad(&self) -> bool {
        self.state != "missing" && (!self.is_running() || self.health == "unhealthy")
    }
}

/// `status`: every service of the compose file.
#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    pub services: Vec<ServiceRow>,
    /// Something the user should know about the rows (containers of another stack
    /// directory under the same project name, left out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl StatusReport {
    /// Rows for every service of `spec` (sorted by name), from `containers`; `started`
    /// maps container id (or its prefix) to its RFC 3339 start time.
    pub fn build(
        spec: &ProjectSpec,
        containers: &[Container],
        started: &BTreeMap<String, String>,
        now: SystemTime,
    ) -> StatusReport {
        let mut services: Vec<ServiceRow> = spec
            .services
            .iter()
            .map(|s| {
                match containers
                    .iter()
                    .filter(|c| c.service == s.name)
                    .min_by(|a, b| a.name.cmp(&b.name))
                {
                    Some(c) => row_for(&s.name, c, started, now),
                    None => ServiceRow {
                        service: s.name.clone(),
                        state: "missing".into(),
                        health: "none".into(),
                        ports: Vec::new(),
                        uptime: None,
                        uptime_seconds: None,
                        image: s.image.clone(),
                        exit_code: None,
                        replicas: None,
                        nodes: Vec::new(),
                    },
                }
            })
            .collect();
        // Containers of services no longer in the file (orphans) are shown too.
        for c in containers {
            if spec.get(&c.service).is_none() && !services.iter().any(|r| r.service == c.service) {
                services.push(row_for(&c.service, c, started, now));
            }
        }
        // Swarm: every task's node on its service's row.
        for r in &mut services {
            let mut nodes: Vec<String> = containers
                .iter()
                .filter(|c| c.service == r.service && !c.node.is_empty())
                .map(|c| c.node.clone())
                .collect();
            nodes.sort();
            r.nodes = nodes;
        }
        services.sort_by(|a, b| a.service.cmp(&b.service));
        StatusReport { services, note: None }
    }

    pub fn row(&self, service: &str) -> Option<&ServiceRow> {
        self.services.iter().find(|r| r.service == service)
    }

    /// 0 when something runs and no container is stopped, dead or unhealthy; services
    /// without a container (not started, e.g. after `up --services`) do not count against it.
    pub fn outcome(&self) -> Outcome {
        let any_running = self.services.iter().any(ServiceRow::is_running);
        if any_running && !self.services.iter().any(ServiceRow::is_bad) {
            Outcome::Success
        } else {
            Outcome::Failure
        }
    }

    /// One line that sums it up.
    pub fn summary(&self) -> String {
        let total = self.services.len();
        let running = self.services.iter().filter(|r| r.is_running()).count();
        let healthy = self.services.iter().filter(|r| r.health == "healthy").count();
        let names = |f: &dyn Fn(&ServiceRow) -> bool| {
            self.services.iter().filter(|r| f(r)).map(|r| r.service.as_str()).collect::<Vec<_>>()
        };
        let mut s = if total == 1 {
            format!("{running} of 1 service running, {healthy} healthy")
        } else {
            format!("{running} of {total} services running, {healthy} healthy")
        };
        let bad = names(&|r| r.is_bad());
        if !bad.is_empty() {
            s.push_str(&format!("; not running or unhealthy: {}", bad.join(", ")));
        }
        let missing = names(&|r| r.state == "missing");
        if !missing.is_empty() {
            s.push_str(&format!("; no container: {}", missing.join(", ")));
        }
        s
    }

    /// The table (shared by `status`, `up` and `restart`).
    pub fn table(&self, paint: &Paint) -> String {
        let swarm = self.services.iter().any(|r| r.replicas.is_some() || !r.nodes.is_empty());
        let rows: Vec<Vec<String>> = self
            .services
            .iter()
            .map(|r| {
                let state = match r.exit_code {
                    Some(code) if !r.is_running() => {
                        format!("{} ({code})", paint.status(&r.state))
                    }
                    _ => paint.status(&r.state),
                };
                let health =
                    if r.health == "none" { paint.dim("-") } else { paint.status(&r.health) };
                let mut row = vec![
                    r.service.clone(),
                    state,
                    health,
                    if r.ports.is_empty() { "-".into() } else { r.ports.join(", ") },
                    r.uptime.clone().unwrap_or_else(|| "-".into()),
                    r.image.clone(),
                ];
                if swarm {
                    row.insert(3, r.replicas.clone().unwrap_or_else(|| "-".into()));
                    row.insert(4, if r.nodes.is_empty() { "-".into() } else { r.nodes.join(", ") });
                }
                row
            })
            .collect();
        if swarm {
            return table::render(
                &["SERVICE", "STATE", "HEALTH", "REPLICAS", "NODES", "PORTS", "UPTIME", "IMAGE"],
                &rows,
            );
        }
        table::render(&["SERVICE", "STATE", "HEALTH", "PORTS", "UPTIME", "IMAGE"], &rows)
    }
}

fn row_for(
    service: &str,
    c: &Container,
    started: &BTreeMap<String, String>,
    now: SystemTime,
) -> ServiceRow {
    let running = c.is_running();
    let uptime_seconds = if running {
        started
            .iter()
            .find(|(id, _)| id.starts_with(&c.id) || (!id.is_empty() && c.id.starts_with(*id)))
            .and_then(|(_, t)| since(t, now))
    } else {
        None
    };
    ServiceRow {
        service: service.to_string(),
        state: if c.state.is_empty() { "unknown".into() } else { c.state.clone() },
        health: if c.health.is_empty() { "none".into() } else { c.health.clone() },
        ports: c.ports(),
        uptime: uptime_seconds.map(|s| format_duration(Duration::from_secs(s))),
        uptime_seconds,
        image: c.image.clone(),
        exit_code: (!running && c.state == "exited").then_some(c.exit_code),
        replicas: (!c.replicas.is_empty()).then(|| c.replicas.clone()),
        nodes: Vec::new(),
    }
}

/// Seconds from an RFC 3339 time to `now` (0 if in the future), `None` when it does not parse.
fn since(rfc3339: &str, now: SystemTime) -> Option<u64> {
    let start = crate::clock::parse_rfc3339(rfc3339)?;
    Some(now.duration_since(start).map(|d| d.as_secs()).unwrap_or(0))
}

/// `45s`, `3m 12s`, `2h 5m`, `4d 3h`.
pub fn format_duration(d: Duration) -> String {
    let s = d.as_secs();
    let (days, hours, mins, secs) = (s / 86_400, (s / 3600) % 24, (s / 60) % 60, s % 60);
    if days > 0 {
        format!("{days}d {hours}h")
    } else if hours > 0 {
        format!("{hours}h {mins}m")
    } else if mins > 0 {
        format!("{mins}m {secs}s")
    } else {
        format!("{secs}s")
    }
}

impl Report for StatusReport {
    fn human(&self, paint: &Paint) -> String {
        let mut s = self.table(paint);
        s.push_str(&self.summary());
        s.push('\n');
        if let Some(n) = &self.note {
            s.push_str(&format!("{} {n}\n", paint.yellow("note:")));
        }
        s
    }

    fn json(&self) -> serde_json::Value {
        to_json(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stack::engine::{parse_config, parse_ps};
    use std::time::UNIX_EPOCH;

    fn spec() -> ProjectSpec {
        parse_config(
            r#"{"services":{"prometheus":{"image":"prom/prometheus:v3.5.0"},
                "pushgateway":{"image":"prom/pushgateway:v1.11.1"},
                "grafana":{"image":"grafana/grafana:12.1.1"}}}"#,
        )
        .expect("config")
    }

    const PS: &str = r#"{"ID":"aaa111","Name":"s-prometheus-1","Service":"prometheus","Image":"local/prometheus","State":"running","Health":"healthy","ExitCode":0,"Publishers":[{"URL":"127.0.0.1","TargetPort":9090,"PublishedPort":19090,"Protocol":"tcp"}]}
{"ID":"bbb222","Name":"s-pushgateway-1","Service":"pushgateway","Image":"local/pushgateway","State":"exited","Health":"","ExitCode":137,"Publishers":[]}
"#;

    fn now() -> SystemTime {
        // 2026-11-25T21:03:42Z
        UNIX_EPOCH + Duration::from_secs(1_795_640_622)
    }

    #[test]
    fn every_service_has_a_row_missing_included() {
        let started: BTreeMap<String, String> =
            [("aaa111ffff".to_string(), "2026-11-25T21:00:30.123456789Z".to_string())].into();
        let r = StatusReport::build(&spec(), &parse_ps(PS).expect("ps"), &started, now());
        let names: Vec<&str> = r.services.iter().map(|s| s.service.as_str()).collect();
        assert_eq!(names, ["grafana", "prometheus", "pushgateway"]);
        let g = r.row("grafana").expect("grafana");
        assert_eq!((g.state.as_str(), g.health.as_str()), ("missing", "none"));
        assert_eq!(g.image, "grafana/grafana:12.1.1");
        let p = r.row("prometheus").expect("prometheus");
        assert_eq!(p.uptime_seconds, Some(191));
        assert_eq!(p.uptime.as_deref(), Some("3m 11s"));
        assert_eq!(p.ports, ["127.0.0.1:19090->9090/tcp"]);
        let pg = r.row("pushgateway").expect("pushgateway");
        assert_eq!(pg.exit_code, Some(137));
        assert_eq!(pg.uptime, None);
        assert_eq!(r.outcome(), Outcome::Failure, "an exited container fails status");
        assert!(r.summary().contains("not running or unhealthy: pushgateway"), "{}", r.summary());
    }

    #[test]
    fn json_has_the_contract_keys() {
        let r = StatusReport::build(&spec(), &parse_ps(PS).expect("ps"), &BTreeMap::new(), now());
        let v = r.json();
        let rows = v["services"].as_array().expect("services");
        assert_eq!(rows.len(), 3);
        for row in rows {
            for k in ["service", "state", "health", "ports", "uptime", "image"] {
                assert!(row.get(k).is_some(), "{k} missing in {row}");
            }
        }
        assert_eq!(rows[0]["state"], "missing");
    }

    #[test]
    fn partial_stack_running_is_success_nothing_running_is_not() {
        let ps = r#"{"ID":"a","Name":"s-prometheus-1","Service":"prometheus","State":"running","Health":"healthy"}"#;
        let r = StatusReport::build(&spec(), &parse_ps(ps).expect("ps"), &BTreeMap::new(), now());
        assert_eq!(r.outcome(), Outcome::Success);
        let r = StatusReport::build(&spec(), &[], &BTreeMap::new(), now());
        assert_eq!(r.outcome(), Outcome::Failure);
        let unhealthy = ps.replace("\"healthy\"", "\"unhealthy\"");
        let r = StatusReport::build(
            &spec(),
            &parse_ps(&unhealthy).expect("ps"),
            &BTreeMap::new(),
            now(),
        );
        assert_eq!(r.outcome(), Outcome::Failure);
    }

    #[test]
    fn human_table_shows_states() {
        let r = StatusReport::build(&spec(), &parse_ps(PS).expect("ps"), &BTreeMap::new(), now());
        let h = r.human(&Paint::default());
        assert!(h.contains("exited (137)"), "{h}");
        assert!(h.contains("missing"), "{h}");
        assert!(h.contains("1 of 3 services running, 1 healthy"), "{h}");
    }

    #[test]
    fn durations() {
        assert_eq!(format_duration(Duration::from_secs(45)), "45s");
        assert_eq!(format_duration(Duration::from_secs(7500)), "2h 5m");
        assert_eq!(format_duration(Duration::from_secs(4 * 86_400 + 3 * 3600 + 5)), "4d 3h");
    }
}
