//! The stack that `init` writes passes the real tools: promtool, amtool, Docker Compose.

use std::process::Command;

use crate::common::{init_stack, require_tool};

fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().expect("tool runs");
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{cmd:?} failed:\n{text}");
    text
}

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
