//! Fakes for `check-health`: the connector fixture, Horizon passphrases, and a whole stack
//! of delayed local servers (one per HTTP component). Shared by `tests/health.rs` and
//! `benches/health_concurrency.rs` (which includes this file with `#[path]`).

#![allow(dead_code)]

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use super::http_server::{Response, TestServer};

pub const PUBNET: &str = "Public Global Stellar Network ; September 2015";
pub const TESTNET: &str = "Test SDF Network ; September 2015";

/// A file under `tests/fixtures/health/`.
pub fn fixture(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/health").join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// RFC 3339 UTC with seconds, as Horizon writes times.
pub fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// The HTTP components `delayed_stack` serves, as `--only` names.
pub const HTTP_COMPONENTS: [&str; 10] = [
    "prometheus",
    "alertmanager",
    "grafana",
    "loki",
    "jaeger",
    "node_exporter",
    "cadvisor",
    "pushgateway",
    "connector",
    "horizon",
];

/// Ten local servers, one per HTTP component, each answering its component's paths after
/// `delay` with a healthy answer. Returns the servers and the env to point at them.
pub fn delayed_stack(delay: Duration) -> (Vec<TestServer>, Vec<(&'static str, String)>) {
    let d = |r: Response| r.with_delay(delay);
    let routes: Vec<(&'static str, Vec<(&'static str, Response)>)> = vec![
        (
            "PROMETHEUS",
            vec![
                ("/-/healthy", d(Response::ok("Prometheus Server is Healthy.\n"))),
                ("/-/ready", d(Response::ok("Prometheus Server is Ready.\n"))),
                (
                    "/api/v1/targets",
                    d(Response::json(
                        r#"{"status":"success","data":{"activeTargets":[{"scrapePool":"p","scrapeUrl":"http://x/metrics","health":"up","lastError":"","labels":{"job":"p"}}],"droppedTargets":[]}}"#,
                    )),
                ),
                (
                    "/api/v1/alerts",
                    d(Response::json(r#"{"status":"success","data":{"alerts":[]}}"#)),
                ),
                (
                    "/api/v1/status/runtimeinfo",
                    d(Response::json(
                        r#"{"status":"success","data":{"reloadConfigSuccess":true,"lastConfigTime":"2026-11-25T20:00:00Z"}}"#,
                    )),
                ),
                (
                    "/api/v1/rules",
                    d(Response::json(
                        r#"{"status":"success","data":{"groups":[{"name":"g","file":"r.yml","rules":[{"name":"Down","type":"alerting","health":"ok","lastError":""}]}]}}"#,
                    )),
                ),
                (
                    "/api/v1/alertmanagers",
                    d(Response::json(
                        r#"{"status":"success","data":{"activeAlertmanagers":[{"url":"http://am/api/v2/alerts"}],"droppedAlertmanagers":[]}}"#,
                    )),
                ),
            ],
        ),
        (
            "ALERTMANAGER",
            vec![
                ("/-/healthy", d(Response::ok("OK"))),
                ("/-/ready", d(Response::ok("OK"))),
                (
                    "/api/v2/status",
                    d(Response::json(
                        r#"{"cluster":{"status":"disabled","peers":[]},"versionInfo":{"version":"0.25.0"}}"#,
                    )),
                ),
            ],
        ),
        (
            "GRAFANA",
            vec![("/api/health", d(Response::json(r#"{"database":"ok","version":"11.3.0"}"#)))],
        ),
        ("LOKI", vec![("/ready", d(Response::ok("ready\n")))]),
        ("JAEGER_ADMIN", vec![("/", d(Response::json(r#"{"status":"Server available"}"#)))]),
        (
            "NODE_EXPORTER",
            vec![(
                "/metrics",
                d(Response::metrics(
                    "node_exporter_build_info{version=\"1.5.0\"} 1\nnode_load1 0.1\n",
                )),
            )],
        ),
        ("CADVISOR", vec![("/healthz", d(Response::ok("ok")))]),
        (
            "PUSHGATEWAY",
            vec![("/-/healthy", d(Response::ok("OK"))), ("/-/ready", d(Response::ok("OK")))],
        ),
        ("CONNECTOR", vec![("/metrics", d(Response::metrics(fixture("connector-metrics.prom"))))]),
    ];
    let mut servers = Vec::new();
    let mut env = Vec::new();
    for (k, r) in routes {
        let s = TestServer::routes(r);
        env.push((k, s.url()));
        servers.push(s);
    }
    // Horizon: the latest ledger closed "just now" at every request (runs may be long).
    let horizon = TestServer::start(move |req| {
        let r = match req.path() {
            "/health" => Response::text(
                200,
                r#"{"database_connected":true,"core_up":true,"core_synced":true}"#,
            ),
            "/" => Response::json(format!(
                r#"{{"history_latest_ledger":1,"history_latest_ledger_closed_at":"{}","network_passphrase":"{PUBNET}"}}"#,
                rfc3339(SystemTime::now())
            )),
            _ => Response::text(404, "not found"),
        };
        r.with_delay(delay).into()
    });
    env.push(("HORIZON", horizon.url()));
    servers.push(horizon);
    env.push(("JAEGER", "http://127.0.0.1:1".into()));
    (servers, env)
}
