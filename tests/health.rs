//! `stellar-obs check-health` against real servers (Debian's prometheus, alertmanager,
//! node-exporter, pushgateway) and small local HTTP servers (the connector's /metrics,
//! Horizon, a 503 server, a server that never answers).

use std::collections::BTreeMap;
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

use crate::common::health_fakes::{PUBNET, TESTNET, delayed_stack, fixture, rfc3339};
use crate::common::http_server::{Response, TestServer, http_request};
use crate::common::servers;
use crate::common::{bin, require_tool};

/// Every component's env var: the tests set each one explicitly (`off` unless given).
pub(crate) const COMPONENTS: [&str; 11] = [
    "PROMETHEUS",
    "ALERTMANAGER",
    "GRAFANA",
    "LOKI",
    "JAEGER",
    "JAEGER_ADMIN",
    "NODE_EXPORTER",
    "CADVISOR",
    "PUSHGATEWAY",
    "CONNECTOR",
    "HORIZON",
];

/// The endpoints of one test and an empty stack directory.
struct Endpoints {
    urls: BTreeMap<&'static str, String>,
    dir: tempfile::TempDir,
}

/// What one run printed and returned.
struct Run {
    code: i32,
    json: Value,
    stderr: String,
    elapsed: Duration,
}

impl Run {
    fn row(&self, component: &str) -> &Value {
        self.json["checks"]
            .as_array()
            .and_then(|a| a.iter().find(|c| c["component"] == component))
            .unwrap_or_else(|| panic!("no row for {component}: {}", self.json))
    }

    fn status(&self, component: &str) -> &str {
        self.row(component)["status"].as_str().unwrap_or("")
    }

    fn message(&self, component: &str) -> &str {
        self.row(component)["message"].as_str().unwrap_or("")
    }

    /// component → status of every row.
    fn statuses(&self) -> BTreeMap<String, String> {
        self.json["checks"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|c| {
                        (
                            c["component"].as_str().unwrap_or("").to_string(),
                            c["status"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Endpoints {
    fn new() -> Endpoints {
        Endpoints { urls: BTreeMap::new(), dir: tempfile::tempdir().expect("tmp") }
    }

    fn set(mut self, component: &'static str, url: impl Into<String>) -> Endpoints {
        self.urls.insert(component, url.into());
        self
    }

    fn settings_file(self, yaml: &str) -> Endpoints {
        std::fs::write(self.dir.path().join("stellar-obs.yml"), yaml).expect("write settings");
        self
    }

    fn cmd(&self, args: &[&str]) -> assert_cmd::Command {
        let mut c = bin();
        c.arg("check-health").arg("--dir").arg(self.dir.path()).args(args);
        for k in COMPONENTS {
            let v = self.urls.get(k).cloned().unwrap_or_else(|| "off".into());
            c.env(format!("STELLAR_OBS_{k}_URL"), v);
        }
        c
    }

    /// Run with `-o json`, parse stdout.
    fn run(&self, args: &[&str]) -> Run {
        let mut all = vec!["-o", "json"];
        all.extend_from_slice(args);
        let t0 = Instant::now();
        let out = self.cmd(&all).output().expect("run stellar-obs");
        let elapsed = t0.elapsed();
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        let json = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{stdout}\nstderr:\n{stderr}"));
        Run { code: out.status.code().unwrap_or(-1), json, stderr, elapsed }
    }
}

/// A fake Horizon: `/health` with the three flags (503 when one is false, as Horizon does)
/// and `/` with the given ledger close time and passphrase.
fn horizon(
    db: bool,
    core_up: bool,
    synced: bool,
    closed_at: SystemTime,
    passphrase: &str,
) -> TestServer {
    let health =
        format!(r#"{{"database_connected":{db},"core_up":{core_up},"core_synced":{synced}}}"#);
    let status = if db && core_up && synced { 200 } else { 503 };
    let root = serde_json::json!({
        "_links": {},
        "horizon_version": "23.0.0",
        "core_version": "stellar-core 23.0.1",
        "ingest_latest_ledger": 58000000,
        "history_latest_ledger": 58000000,
        "history_latest_ledger_closed_at": rfc3339(closed_at),
        "history_elder_ledger": 2,
        "core_latest_ledger": 58000000,
        "network_passphrase": passphrase,
        "current_protocol_version": 23,
        "supported_protocol_version": 23,
        "core_supported_protocol_version": 23
    })
    .to_string();
    TestServer::routes(vec![
        ("/health", Response::text(status, health)),
        ("/", Response::new(200, "application/hal+json; charset=utf-8", root)),
    ])
}

fn healthy_horizon() -> TestServer {
    horizon(true, true, true, SystemTime::now(), PUBNET)
}

fn connector(text: String) -> TestServer {
    TestServer::routes(vec![("/metrics", Response::metrics(text))])
}

// ---------------------------------------------------------------------------------------
// Real components: all healthy, then kill each one in turn.

#[test]
fn killing_any_one_component_turns_exactly_its_row_unhealthy() {
    let mut am = servers::alertmanager().start();
    let mut node = servers::node_exporter().start();
    let mut pgw = servers::pushgateway().start();
    // Prometheus scrapes nothing here, so killing another component changes only that row.
    let mut prom = servers::prometheus().alertmanager(&am.addr()).start();
    let mut conn = Some(connector(fixture("connector-metrics.prom")));
    let mut hz = Some(healthy_horizon());

    let conn_url = conn.as_ref().map(TestServer::url).unwrap_or_default();
    let hz_url = hz.as_ref().map(TestServer::url).unwrap_or_default();
    let e = Endpoints::new()
        .set("PROMETHEUS", prom.url())
        .set("ALERTMANAGER", am.url())
        .set("NODE_EXPORTER", node.url())
        .set("PUSHGATEWAY", pgw.url())
        .set("CONNECTOR", conn_url)
        .set("HORIZON", hz_url);
    let only = [
        "--only",
        "prometheus,alertmanager,node-exporter,pushgateway,connector,horizon",
        "--timeout",
        "3",
    ];

    let r = e.run(&only);
    assert_eq!(r.code, 0, "{}\n{}", r.json, r.stderr);
    assert_eq!(r.json["status"], "healthy");
    assert_eq!(r.statuses().len(), 6);
    assert!(r.statuses().values().all(|s| s == "healthy"), "{}", r.json);
    assert!(r.message("alertmanager").contains("cluster disabled"), "{}", r.json);
    assert!(r.message("node_exporter").starts_with("node_exporter 1."), "{}", r.json);
    assert!(r.message("connector").contains("74/74 catalogue families"), "{}", r.json);

    // Each kill: that row unhealthy with a refused connection, every other row healthy.
    let check = |killed: &str, r: &Run| {
        assert_eq!(r.code, 2, "{killed}: {}", r.json);
        assert_eq!(r.json["status"], "unhealthy");
        for (c, s) in r.statuses() {
            if c == killed {
                assert_eq!(s, "unhealthy", "{c}: {}", r.json);
                assert!(r.message(&c).starts_with("connection refused"), "{c}: {}", r.message(&c));
            } else {
                assert_eq!(s, "healthy", "{c} while {killed} is down: {}", r.json);
            }
        }
        assert!(r.elapsed < Duration::from_secs(4), "{killed}: {:?}", r.elapsed);
    };

    node.kill();
    check("node_exporter", &e.run(&only));
    node.restart();
    pgw.kill();
    check("pushgateway", &e.run(&only));
    pgw.restart();
    am.kill();
    check("alertmanager", &e.run(&only));
    am.restart();
    prom.kill();
    check("prometheus", &e.run(&only));
    prom.restart();
    conn.take();
    check("connector", &e.run(&only));
    let conn = connector(fixture("connector-metrics.prom"));
    let e = e.set("CONNECTOR", conn.url());
    hz.take();
    check("horizon", &e.run(&only));
}

#[test]
fn a_down_scrape_target_degrades_prometheus_and_names_it() {
    let dead = servers::closed_port_addr();
    let prom = servers::prometheus().scrape("ghost", &[&dead]).start();
    servers::wait_for_target(&prom, "ghost", "down");
    let e = Endpoints::new().set("PROMETHEUS", prom.url());
    let r = e.run(&["--only", "prometheus"]);
    assert_eq!(r.code, 1, "{}", r.json);
    assert_eq!(r.json["status"], "degraded");
    let m = r.message("prometheus");
    assert!(m.starts_with("1 of 1 scrape targets down: ghost"), "{m}");
    assert!(m.contains(&dead) && m.contains("connection refused"), "{m}");
}

#[test]
fn critical_alerts_and_a_failed_reload_degrade_prometheus() {
    let rules = "groups:\n  - name: t\n    rules:\n      - alert: AlwaysCritical\n        expr: vector(1)\n        labels:\n          severity: critical\n      - alert: JustAWarning\n        expr: vector(1)\n        labels:\n          severity: warning\n";
    let prom = servers::prometheus().rules("rules.yml", rules).start();
    servers::wait_until(Duration::from_secs(30), "AlwaysCritical to fire", || {
        crate::common::http_server::http_get(
            &format!("{}/api/v1/alerts", prom.url()),
            Duration::from_secs(2),
        )
        .is_ok_and(|(_, b)| b.contains("\"AlwaysCritical\"") && b.contains("\"firing\""))
    });
    let e = Endpoints::new().set("PROMETHEUS", prom.url());
    let r = e.run(&["--only", "prometheus"]);
    assert_eq!(r.code, 1, "{}", r.json);
    let m = r.message("prometheus");
    assert!(m.contains("1 critical alert firing: AlwaysCritical"), "{m}");
    assert!(!m.contains("JustAWarning"), "{m}");

    // Break the config and ask for a reload: Prometheus keeps running the old one.
    break_and_reload(&prom, "prometheus.yml", "global:\n  scrape_interval: nonsense\n");
    let r = e.run(&["--only", "prometheus"]);
    assert_eq!(r.code, 1, "{}", r.json);
    assert!(r.message("prometheus").contains("last config reload failed"), "{}", r.json);
}

#[test]
fn rules_that_fail_to_evaluate_and_alerts_with_no_alertmanager_degrade_prometheus() {
    // Both sides of `+ on()` hold two series with the same (empty) match group: every
    // evaluation fails with a many-to-many error, so the alert can never fire.
    let two = r#"(vector(1) or label_replace(vector(1), "a", "b", "", ""))"#;
    let rules = format!(
        "groups:\n  - name: broken\n    rules:\n      - alert: NeverFires\n        expr: '{two} + on() {two} > 0'\n        labels:\n          severity: critical\n"
    );
    let prom = servers::prometheus().rules("rules.yml", &rules).start();
    servers::wait_until(Duration::from_secs(30), "the rule to be evaluated", || {
        crate::common::http_server::http_get(
            &format!("{}/api/v1/rules", prom.url()),
            Duration::from_secs(2),
        )
        .is_ok_and(|(_, b)| b.contains("\"health\":\"err\""))
    });
    let e = Endpoints::new().set("PROMETHEUS", prom.url());
    let r = e.run(&["--only", "prometheus"]);
    assert_eq!(r.code, 1, "{}", r.json);
    let m = r.message("prometheus");
    assert!(m.contains("1 of 1 rules fail to evaluate: NeverFires (group broken: "), "{m}");
    assert!(m.contains("many-to-many"), "{m}");
    assert!(m.contains("1 alerting rule but no Alertmanager configured"), "{m}");

    // With an Alertmanager and a rule that works, the same check is healthy.
    let am = servers::alertmanager().start();
    let ok =
        "groups:\n  - name: fine\n    rules:\n      - alert: Fine\n        expr: vector(0) > 1\n";
    let prom = servers::prometheus().rules("rules.yml", ok).alertmanager(&am.addr()).start();
    servers::wait_until(Duration::from_secs(30), "the rule to be evaluated", || {
        crate::common::http_server::http_get(
            &format!("{}/api/v1/rules", prom.url()),
            Duration::from_secs(2),
        )
        .is_ok_and(|(_, b)| b.contains("\"health\":\"ok\""))
    });
    servers::wait_until(Duration::from_secs(30), "the Alertmanager to be discovered", || {
        crate::common::http_server::http_get(
            &format!("{}/api/v1/alertmanagers", prom.url()),
            Duration::from_secs(2),
        )
        .is_ok_and(|(_, b)| b.contains(&am.addr()))
    });

    let e = Endpoints::new().set("PROMETHEUS", prom.url());
    let r = e.run(&["--only", "prometheus"]);
    assert_eq!(r.code, 0, "{}", r.json);
    assert!(
        r.message("prometheus").contains("1 rules evaluating, alerts to 1 Alertmanager"),
        "{}",
        r.json
    );
}

/// Write a broken `file` into the server's directory and ask it to reload: the reload fails
/// (500) and the server keeps running its previous configuration.
fn break_and_reload(server: &servers::RealServer, file: &str, broken: &str) {
    std::fs::write(server.dir().join(file), broken).expect("write");
    let (status, body) =
        http_request("POST", &format!("{}/-/reload", server.url()), None, Duration::from_secs(5))
            .expect("reload");
    assert_eq!(status, 500, "reload of a broken config should fail: {body}");
}

#[test]
fn a_failed_alertmanager_reload_degrades_it() {
    let am = servers::alertmanager().start();
    let e = Endpoints::new().set("ALERTMANAGER", am.url());
    let r = e.run(&["--only", "alertmanager"]);
    assert_eq!(r.code, 0, "{}", r.json);
    assert!(r.message("alertmanager").contains("config loaded"), "{}", r.json);
    // Break the config and ask for a reload: Alertmanager keeps running the old one.
    break_and_reload(&am, "alertmanager.yml", "route:\n  receiver: nobody\n");
    let r = e.run(&["--only", "alertmanager"]);
    assert_eq!(r.code, 1, "{}", r.json);
    assert!(r.message("alertmanager").starts_with("last config reload failed"), "{}", r.json);
}

// ---------------------------------------------------------------------------------------
// Misbehaving servers: 503, hanging, refused, DNS, TLS.

#[test]
fn a_hanging_server_never_delays_the_run_beyond_the_timeout() {
    let hang = TestServer::hanging();
    let hang2 = TestServer::hanging();
    let loki = TestServer::always(Response::text(
        503,
        "Ingester not ready: waiting for 15s after being ready\n",
    ));
    let e = Endpoints::new()
        .set("CADVISOR", hang.url())
        .set("CONNECTOR", hang2.url())
        .set("LOKI", loki.url());
    let r = e.run(&["--timeout", "1.5", "--only", "cadvisor,connector,loki"]);
    assert_eq!(r.code, 2, "{}", r.json);
    assert!(r.elapsed < Duration::from_millis(2500), "took {:?}", r.elapsed);
    assert!(r.json["duration_ms"].as_u64().is_some_and(|d| d < 1900), "{}", r.json);
    for c in ["cadvisor", "connector"] {
        assert_eq!(r.status(c), "unhealthy");
        assert!(r.message(c).starts_with("no answer within 1.5s"), "{}", r.message(c));
    }
    assert_eq!(r.status("loki"), "unhealthy");
    assert_eq!(
        r.message("loki"),
        format!(
            "HTTP 503 Service Unavailable: Ingester not ready: waiting for 15s after being ready [GET {}/ready]",
            loki.url()
        )
    );
    assert_eq!(hang.hits("/healthz"), 1);
}

#[test]
fn refused_dns_and_tls_failures_each_say_what_happened() {
    let plain = TestServer::always(Response::ok("OK"));
    let closed = servers::closed_port_addr();
    let e = Endpoints::new()
        .set("NODE_EXPORTER", format!("http://{closed}"))
        .set("HORIZON", "http://no-such-host.invalid")
        .set("PUSHGATEWAY", format!("https://127.0.0.1:{}", plain.port()));
    let r = e.run(&["--timeout", "3", "--only", "node_exporter,horizon,pushgateway"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.message("node_exporter"),
        format!("connection refused (nothing listens there) [GET http://{closed}/metrics]")
    );
    assert!(
        r.message("horizon").starts_with("DNS lookup failed for no-such-host.invalid"),
        "{}",
        r.message("horizon")
    );
    assert!(r.message("pushgateway").starts_with("TLS error: "), "{}", r.message("pushgateway"));
    assert!(r.message("pushgateway").contains("plain HTTP"), "{}", r.message("pushgateway"));
}

#[test]
fn pushgateway_500_and_grafana_database_failing_are_unhealthy() {
    let pgw = TestServer::routes(vec![
        ("/-/healthy", Response::text(500, "persistence file unwritable\n")),
        ("/-/ready", Response::ok("OK")),
    ]);
    let grafana = TestServer::routes(vec![(
        "/api/health",
        Response::json(r#"{"database": "failing", "version": "11.3.0"}"#).with_status(503),
    )]);
    let e = Endpoints::new().set("PUSHGATEWAY", pgw.url()).set("GRAFANA", grafana.url());
    let r = e.run(&["--only", "pushgateway,grafana"]);
    assert_eq!(r.code, 2);
    assert!(
        r.message("pushgateway")
            .starts_with("HTTP 500 Internal Server Error: persistence file unwritable"),
        "{}",
        r.message("pushgateway")
    );
    assert!(
        r.message("grafana").starts_with("database failing (HTTP 503)"),
        "{}",
        r.message("grafana")
    );
}

#[test]
fn jaeger_v1_admin_and_v2_status() {
    let v1 = TestServer::routes(vec![(
        "/",
        Response::json(
            r#"{"status":"Server available","upSince":"2026-11-25T20:00:00Z","uptime":"1h0m0.5s"}"#,
        ),
    )]);
    let e = Endpoints::new().set("JAEGER", "http://127.0.0.1:1").set("JAEGER_ADMIN", v1.url());
    let r = e.run(&["--only", "jaeger"]);
    assert_eq!((r.code, r.status("jaeger")), (0, "healthy"), "{}", r.json);
    assert_eq!(r.message("jaeger"), "Server available (v1 admin, up 1h0m0s)");

    let v2 = TestServer::routes(vec![(
        "/status",
        Response::json(r#"{"healthy":false,"status":"StatusRecoverableError"}"#).with_status(503),
    )]);
    let e = Endpoints::new().set("JAEGER", "http://127.0.0.1:1").set("JAEGER_ADMIN", v2.url());
    let r = e.run(&["--only", "jaeger"]);
    assert_eq!((r.code, r.status("jaeger")), (2, "unhealthy"), "{}", r.json);
    assert!(r.message("jaeger").starts_with("StatusRecoverableError (HTTP 503)"), "{}", r.json);
    assert_eq!(v2.hits("/"), 1);
    assert_eq!(v2.hits("/status"), 1);
}

// ---------------------------------------------------------------------------------------
// The connector's metrics and Horizon.

#[test]
fn connector_metrics_against_the_catalogue() {
    let full = fixture("connector-metrics.prom");
    // Three families gone, one health check failing, one breaker open.
    let mut text = String::new();
    for line in full.lines() {
        if line.contains("stellar_connector_open_orders")
            || line.contains("stellar_connector_mid_price")
            || line.contains("stellar_connector_slippage_ratio")
        {
            continue;
        }
        let line = match line {
            "stellar_connector_health_check_status{check=\"database\"} 1.0" => {
                "stellar_connector_health_check_status{check=\"database\"} 0.0"
            }
            "stellar_connector_circuit_breaker_state{breaker=\"soroban_rpc\"} 0.0" => {
                "stellar_connector_circuit_breaker_state{breaker=\"soroban_rpc\"} 2.0"
            }
            l => l,
        };
        text.push_str(line);
        text.push('\n');
    }
    assert_ne!(text, full);
    let c = connector(text);
    let html = TestServer::routes(vec![(
        "/metrics",
        Response::new(200, "text/html", "<html><body>It works</body></html>"),
    )]);
    let e = Endpoints::new().set("CONNECTOR", c.url());
    let r = e.run(&["--only", "connector"]);
    assert_eq!(r.code, 1, "{}", r.json);
    assert_eq!(
        r.message("connector"),
        "3 of 74 catalogue families missing: stellar_connector_open_orders, stellar_connector_mid_price, stellar_connector_slippage_ratio; health check failing: database; circuit breaker open: soroban_rpc"
    );
    let details = r.row("connector")["details"].as_array().cloned().unwrap_or_default();
    assert!(details.iter().any(|d| d["check"] == "health_checks" && d["status"] == "degraded"));

    let e = Endpoints::new().set("CONNECTOR", format!("{}/metrics", html.url()));
    let r = e.run(&["--only", "connector"]);
    assert_eq!(r.code, 2, "{}", r.json);
    assert!(r.message("connector").starts_with("no metrics in the answer"), "{}", r.json);
}

#[test]
fn horizon_flags_ledger_age_and_network() {
    let now = SystemTime::now();
    let cases: Vec<(TestServer, i32, &str, &str)> = vec![
        (
            horizon(true, true, true, now, PUBNET),
            0,
            "healthy",
            "core synced; pubnet; ledger 58000000 closed",
        ),
        (horizon(true, true, false, now, PUBNET), 1, "degraded", "Stellar Core is not synced"),
        (
            horizon(false, true, true, now, PUBNET),
            2,
            "unhealthy",
            "Horizon's database is not connected",
        ),
        (
            horizon(true, true, true, now - Duration::from_secs(600), PUBNET),
            1,
            "degraded",
            // The seconds depend on how long the run takes; the minutes do not.
            "ledger 58000000 closed 10m ",
        ),
        (
            horizon(true, true, true, now, TESTNET),
            2,
            "unhealthy",
            "wrong network: Horizon serves testnet, expected pubnet",
        ),
    ];
    for (server, code, status, message) in &cases {
        let e = Endpoints::new().set("HORIZON", server.url());
        let r = e.run(&["--only", "horizon"]);
        assert_eq!((r.code, r.status("horizon")), (*code, *status), "{}", r.json);
        assert!(r.message("horizon").starts_with(message), "{} vs {message}", r.message("horizon"));
    }
    // The expected network and the ledger age limit come from stellar-obs.yml.
    let e = Endpoints::new().set("HORIZON", cases[4].0.url()).settings_file(&format!(
        "horizon:\n  network_passphrase: \"{TESTNET}\"\n  max_ledger_age_seconds: 30\n"
    ));
    let r = e.run(&["--only", "horizon"]);
    assert_eq!((r.code, r.status("horizon")), (0, "healthy"), "{}", r.json);
}

// ---------------------------------------------------------------------------------------
// The host, formats, flags, exit codes.

#[test]
fn host_resources_follow_the_thresholds() {
    let e = Endpoints::new().settings_file(
        "thresholds:\n  cpu_percent: 100\n  memory_percent: 100\n  disk_percent: 100\n",
    );
    let r = e.run(&["--only", "host"]);
    assert_eq!((r.code, r.status("host")), (0, "healthy"), "{}", r.json);
    let m = r.message("host");
    assert!(m.starts_with("cpu ") && m.contains("memory ") && m.contains("disk ("), "{m}");
    let e = Endpoints::new().settings_file(
        "thresholds:\n  cpu_percent: 100\n  memory_percent: 0.001\n  disk_percent: 100\n",
    );
    let r = e.run(&["--only", "host"]);
    assert_eq!((r.code, r.status("host")), (1, "degraded"), "{}", r.json);
    assert!(
        r.message("host").starts_with("memory ") && r.message("host").contains("(threshold 0%)"),
        "{}",
        r.json
    );
}

#[test]
fn prometheus_output_is_valid_exposition_text() {
    let promtool = require_tool("promtool");
    let node = servers::node_exporter().start();
    let loki = TestServer::always(Response::text(503, "not ready"));
    let e = Endpoints::new().set("NODE_EXPORTER", node.url()).set("LOKI", loki.url());
    let out =
        e.cmd(&["-o", "prometheus", "--only", "node_exporter,loki,grafana"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("stellar_obs_check_status{component=\"node_exporter\"} 0\n"), "{text}");
    assert!(text.contains("stellar_obs_check_status{component=\"loki\"} 2\n"), "{text}");
    assert!(text.contains("stellar_obs_check_skipped{component=\"grafana\"} 1\n"), "{text}");
    assert!(text.contains("stellar_obs_check_overall_status 2\n"), "{text}");
    let parsed =
        prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_string()))).expect("parse");
    assert!(parsed.samples.len() >= 8, "{text}");

    let mut child = std::process::Command::new(promtool)
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("promtool");
    use std::io::Write;
    child.stdin.take().expect("stdin").write_all(text.as_bytes()).expect("write");
    let o = child.wait_with_output().expect("promtool");
    assert!(
        o.status.success(),
        "promtool check metrics: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );

    // node-exporter's textfile collector reads it back as it would in production.
    std::fs::write(servers::textfile_dir(&node).join("stellar_obs.prom"), &text).expect("write");
    let (_, metrics) = crate::common::http_server::http_get(
        &format!("{}/metrics", node.url()),
        Duration::from_secs(5),
    )
    .expect("scrape node-exporter");
    assert!(
        metrics.contains("stellar_obs_check_status{component=\"loki\"} 2"),
        "textfile not collected"
    );
    assert!(metrics.contains("node_textfile_scrape_error 0"), "textfile error");
}

#[test]
fn human_table_and_usage_errors() {
    let cad = TestServer::routes(vec![("/healthz", Response::ok("ok"))]);
    let e = Endpoints::new().set("CADVISOR", cad.url());
    let out = e.cmd(&["--only", "cadvisor,loki"]).output().expect("run");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("│ COMPONENT │ STATUS  │ LATENCY │"), "{text}");
    assert!(text.contains("│ cadvisor  │ healthy │"), "{text}");
    assert!(text.contains("│ loki      │ skipped │ -       │ switched off"), "{text}");
    assert!(
        text.starts_with("OK: all healthy (1 healthy, 0 degraded, 0 unhealthy, 1 skipped in "),
        "{text}"
    );

    // Could not run: exit 3 (UNKNOWN) with a clear message.
    let out = e.cmd(&["--only", "cadvisor,grafna"]).output().expect("run");
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown component `grafna`; valid: prometheus, alertmanager, grafana"),
        "{err}"
    );
    assert!(err.contains("horizon, host"), "{err}");
    let out = e.cmd(&["-o", "sarif"]).output().expect("run");
    assert_eq!(out.status.code(), Some(3));
    let out = e.cmd(&["--timeout", "0"]).output().expect("run");
    assert_eq!(out.status.code(), Some(3));
    let bad = Endpoints::new().settings_file("endpoints:\n  prometheus: [1\n");
    let out = bad.cmd(&[]).output().expect("run");
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("stellar-obs.yml"));
    // Everything off: nothing to complain about.
    let r = Endpoints::new().run(&["--only", "prometheus,grafana"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.json["status"], "healthy");
    assert!(r.row("prometheus")["latency_ms"].is_null());
}

#[test]
fn watch_repeats_until_interrupted_and_keeps_the_last_code() {
    let cad = TestServer::routes(vec![("/healthz", Response::text(503, "no"))]);
    let e = Endpoints::new().set("CADVISOR", cad.url());
    let mut cmd = crate::common::bin_std();
    cmd.args(["check-health", "--only", "cadvisor", "--watch", "0.2", "--dir"])
        .arg(e.dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for k in COMPONENTS {
        cmd.env(
            format!("STELLAR_OBS_{k}_URL"),
            if k == "CADVISOR" { cad.url() } else { "off".into() },
        );
    }
    let child = cmd.spawn().expect("spawn");
    servers::wait_until(Duration::from_secs(20), "three rounds", || cad.hits("/healthz") >= 3);
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(status.success());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.matches("│ cadvisor  │ unhealthy │").count() >= 3, "{text}");
    assert!(!text.contains("\x1b[2J"), "no screen clearing when stdout is not a terminal");
}

// ---------------------------------------------------------------------------------------
// Concurrency: ten probes each delayed 200 ms.

fn delayed_endpoints(env: &[(&'static str, String)]) -> Endpoints {
    env.iter().fold(Endpoints::new(), |e, (k, v)| e.set(k, v.clone()))
}

#[test]
fn ten_delayed_probes_take_about_as_long_as_one() {
    let (_servers, env) = delayed_stack(Duration::from_millis(200));
    let e = delayed_endpoints(&env);
    let all = "prometheus,alertmanager,grafana,loki,jaeger,node_exporter,cadvisor,pushgateway,connector,horizon";
    let r = e.run(&["--only", all]);
    assert_eq!(r.code, 0, "{}", r.json);
    assert_eq!(r.statuses().len(), 10);
    let latencies: Vec<u64> = r.json["checks"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["latency_ms"].as_u64()).collect())
        .unwrap_or_default();
    assert!(latencies.iter().all(|l| *l >= 200), "{latencies:?}");
    let slowest = latencies.iter().copied().max().unwrap_or(0);
    let total = r.json["duration_ms"].as_u64().unwrap_or(u64::MAX);
    // BENCHMARKS.md records the precise ratio; here: clearly concurrent (sequential ≥ 2000ms).
    assert!(total <= slowest + 150, "total {total}ms vs slowest {slowest}ms");

    // The hidden sequential mode adds the probes up (what the benchmark compares against).
    let mut cmd = e.cmd(&["-o", "json", "--only", all]);
    cmd.env("STELLAR_OBS_HEALTH_SEQUENTIAL", "1");
    let out = cmd.output().expect("run");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(v["duration_ms"].as_u64().is_some_and(|d| d >= 2000), "{v}");
}

// ---------------------------------------------------------------------------------------
// The shared test HTTP server itself (other test modules rely on it).

#[test]
fn test_server_answers_delays_counts_and_hangs() {
    use crate::common::http_server::{Reply, http_get};
    let s = TestServer::start(|req| match req.path() {
        "/slow" => Response::ok("late").with_delay(Duration::from_millis(300)).into(),
        "/hang" => Reply::Hang,
        "/close" => Reply::Close,
        _ => Response::json(r#"{"ok":true}"#).with_header("X-Test", "1").into(),
    });
    let t0 = Instant::now();
    assert_eq!(
        http_get(&format!("{}/slow", s.url()), Duration::from_secs(2)).expect("slow"),
        (200, "late".into())
    );
    assert!(t0.elapsed() >= Duration::from_millis(300));
    assert_eq!(
        http_get(&format!("{}/x?y=1", s.url()), Duration::from_secs(2)).expect("x").1,
        r#"{"ok":true}"#
    );
    assert!(http_get(&format!("{}/hang", s.url()), Duration::from_millis(300)).is_err(), "hangs");
    assert!(http_get(&format!("{}/close", s.url()), Duration::from_secs(2)).is_err(), "closes");
    let (status, _) =
        http_request("POST", &format!("{}/post", s.url()), Some("body!"), Duration::from_secs(2))
            .expect("post");
    assert_eq!(status, 200);
    let reqs = s.requests();
    assert_eq!(s.hits("/x"), 1);
    assert_eq!(reqs.iter().find(|r| r.path() == "/x").map(|r| r.target.as_str()), Some("/x?y=1"));
    assert_eq!(
        reqs.iter().find(|r| r.method == "POST").map(|r| r.body.clone()),
        Some(b"body!".to_vec())
    );
    // Dropping the server closes hanging connections and stops it, promptly.
    let t0 = Instant::now();
    let url = s.url();
    drop(s);
    assert!(t0.elapsed() < Duration::from_secs(2));
    assert!(http_get(&url, Duration::from_millis(300)).is_err(), "stopped");
}
