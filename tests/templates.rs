//! The stack that `init` writes passes the real tools: promtool, amtool, Docker Compose.

use std::process::Command;

use crate::common::{init_stack, require_tool, run_ok};

#[test]
fn promtool_accepts_the_prometheus_config_and_rules() {
    let promtool = require_tool("promtool");
    let d = init_stack();
    let text = run_ok(
        Command::new(&promtool)
            .arg("check")
            .arg("config")
            .arg(d.path().join("prometheus/prometheus.yml")),
    );
    assert!(text.contains("SUCCESS"), "{text}");
    assert!(text.contains("stellar_alerts.yml"), "rule files must be wired: {text}");
    let text = run_ok(
        Command::new(&promtool)
            .args(["check", "rules"])
            .arg(d.path().join("prometheus/stellar_alerts.yml")),
    );
    assert!(text.contains("SUCCESS"), "{text}");
    assert!(!text.contains("duplicate"), "{text}");
}

#[test]
fn amtool_accepts_the_alertmanager_config() {
    let amtool = require_tool("amtool");
    let d = init_stack();
    let text = run_ok(
        Command::new(&amtool).arg("check-config").arg(d.path().join("alerting/alertmanager.yml")),
    );
    assert!(text.contains("SUCCESS"), "{text}");
}

#[test]
fn docker_compose_accepts_the_compose_file() {
    let docker = require_tool("docker");
    let d = init_stack();
    let text = run_ok(
        Command::new(&docker)
            .args(["compose", "--project-name", "stellar-obs-test", "-f"])
            .arg(d.path().join("docker-compose.observability.yml"))
            .arg("--env-file")
            .arg(d.path().join(".env"))
            .args(["config", "--services"]),
    );
    for s in [
        "prometheus",
        "grafana",
        "alertmanager",
        "loki",
        "jaeger",
        "node-exporter",
        "cadvisor",
        "pushgateway",
    ] {
        assert!(text.lines().any(|l| l.trim() == s), "service {s} missing: {text}");
    }
}

/// Every PromQL expression in the alert rules and in every dashboard panel parses, and
/// every metric it uses is in the connector catalogue, is recorded by a rule, or is
/// exposed by the real exporter it is named after (checked against the running Debian
/// Prometheus, Alertmanager, node-exporter and Pushgateway; cAdvisor has no binary here,
/// so `container_*`/`machine_*` names are checked by prefix only).
#[test]
fn every_template_expression_parses_and_uses_known_metrics() {
    use std::collections::{BTreeSet, HashSet};

    use stellar_obs::lint::{cross, promql};

    let d = init_stack();
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut recorded: HashSet<String> = HashSet::new();

    // Alert and recording rules.
    let rules_text = crate::common::read(&d.path().join("prometheus/stellar_alerts.yml"));
    let tree = stellar_obs::yaml::parse(&rules_text).expect("rules parse as YAML");
    let mut rule_exprs = 0;
    for g in tree.get("groups").and_then(|g| g.as_seq()).expect("groups") {
        for r in g.get("rules").and_then(|r| r.as_seq()).expect("rules") {
            let expr = r.get("expr").and_then(|e| e.scalar_text()).expect("expr");
            let facts = promql::analyse(expr)
                .unwrap_or_else(|e| panic!("rule expr does not parse: {expr}: {}", e.message));
            used.extend(facts.metrics);
            if let Some(name) = r.get("record").and_then(|n| n.as_str()) {
                recorded.insert(name.to_string());
            }
            rule_exprs += 1;
        }
    }

    // Every `expr` in the dashboard (panels, rows, templating, annotations).
    let dash: serde_json::Value = serde_json::from_str(&crate::common::read(
        &d.path().join("grafana/dashboards/stellar-connector-dashboard.json"),
    ))
    .expect("dashboard JSON");
    let mut exprs = Vec::new();
    collect_exprs(&dash, &mut exprs);
    for expr in &exprs {
        let (substituted, _) = promql::substitute_grafana(expr);
        let facts = promql::analyse(&substituted)
            .unwrap_or_else(|e| panic!("dashboard expr does not parse: {expr}: {}", e.message));
        used.extend(facts.metrics);
    }
    assert!(rule_exprs >= 30, "only {rule_exprs} rule expressions");
    assert!(exprs.len() >= 40, "only {} dashboard expressions", exprs.len());

    // Known: catalogue, recorded, or a standard exporter's.
    let catalogue = cross::catalogue(Some(d.path()));
    let rec: HashSet<&str> = recorded.iter().map(String::as_str).collect();
    let unknown: Vec<&String> =
        used.iter().filter(|m| !cross::known_metric(m, &catalogue, &rec)).collect();
    assert!(unknown.is_empty(), "metrics in no catalogue: {unknown:?}");
    assert!(!cross::known_metric("stellar_connector_no_such_metric_total", &catalogue, &rec));

    // The standard ones really exist in the real exporters.
    let servers = [
        // With the stack's rules loaded, so the rule-evaluation series exist.
        crate::common::servers::prometheus().rules("stellar_alerts.yml", &rules_text).start(),
        crate::common::servers::alertmanager().start(),
        crate::common::servers::node_exporter().start(),
        crate::common::servers::pushgateway().start(),
    ];
    let mut exposed: HashSet<String> = HashSet::new();
    for s in &servers {
        let (status, body) = crate::common::http_server::http_get(
            &format!("{}/metrics", s.url()),
            std::time::Duration::from_secs(10),
        )
        .expect("/metrics answers");
        assert_eq!(status, 200);
        for line in body.lines() {
            if let Some(name) =
                line.strip_prefix("# TYPE ").and_then(|rest| rest.split_whitespace().next())
            {
                exposed.insert(name.to_string());
            }
        }
    }
    let base = |m: &str| {
        for suffix in ["_bucket", "_sum", "_count"] {
            if let Some(b) = m.strip_suffix(suffix) {
                return b.to_string();
            }
        }
        m.to_string()
    };
    let standard: Vec<&String> = used
        .iter()
        .filter(|m| !catalogue.contains(m.as_str()) && !rec.contains(m.as_str()))
        .filter(|m| !matches!(m.as_str(), "up" | "ALERTS" | "ALERTS_FOR_STATE"))
        .filter(|m| !m.starts_with("container_") && !m.starts_with("machine_"))
        .collect();
    let missing: Vec<&&String> = standard
        .iter()
        .filter(|m| !exposed.contains(m.as_str()) && !exposed.contains(&base(m)))
        .collect();
    assert!(missing.is_empty(), "not exposed by the real exporters: {missing:?} (of {standard:?})");
}

fn collect_exprs(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("expr", serde_json::Value::String(s)) if !s.trim().is_empty() => {
                        out.push(s.clone())
                    }
                    _ => collect_exprs(x, out),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_exprs(x, out)),
        _ => {}
    }
}
