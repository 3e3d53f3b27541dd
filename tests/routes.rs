//! `stellar-obs routes`: the tree in the terminal, JSON, and the DOT picture rendered by the
//! real Graphviz; bad input.

use std::io::Write as _;
use std::process::{Command, Stdio};

use crate::common;

#[test]
fn the_stack_tree_shows_receivers_integrations_and_severities() {
    let stack = common::init_stack();
    let out = common::bin().arg("routes").arg("--dir").arg(stack.path()).assert().success();
    let s = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(s.contains("├── severity=\"critical\"  → critical"), "{s}");
    assert!(
        s.contains("pagerduty Events API v2 · slack #ops-critical · email oncall@example.com"),
        "{s}"
    );
    assert!(
        s.contains("warning    → warning (slack #ops-warnings · email ops@example.com)"),
        "{s}"
    );

    let out =
        common::bin().args(["routes", "-o", "json", "--dir"]).arg(stack.path()).assert().success();
    let j: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    assert_eq!(j["route"]["routes"][2]["receiver"], "info-digest");
    assert_eq!(j["route"]["routes"][2]["group_interval"], "1d");
    assert_eq!(j["severities"][1]["receivers"][0], "warning");
}

#[test]
fn the_dot_output_renders_with_graphviz() {
    let dot = common::require_tool("dot");
    let out = common::bin()
        .args(["routes", "-o", "dot", "--config"])
        .arg(common::repo().join("templates/alerting/alertmanager.yml"))
        .assert()
        .success();
    let text = out.get_output().stdout.clone();
    let mut child = Command::new(dot)
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dot");
    child.stdin.take().expect("stdin").write_all(&text).expect("write");
    let o = child.wait_with_output().expect("dot");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success() && err.trim().is_empty(), "dot failed: {err}");
    let svg = String::from_utf8_lossy(&o.stdout);
    assert!(svg.contains("<svg"), "{svg}");
    // Every route and receiver became a node, with its text.
    assert_eq!(svg.matches("class=\"node\"").count(), 8, "4 routes + 4 receivers");
    assert!(svg.contains("slack: #ops&#45;critical"), "{svg}");
    assert!(svg.contains("severity=&quot;info&quot;"), "{svg}");
}

#[test]
fn a_config_that_does_not_validate_is_shown_with_positions() {
    let d = tempfile::tempdir().expect("tmp");
    let p = d.path().join("am.yml");
    std::fs::write(
        &p,
        "route:\n  receiver: a\n  routes:\n    - matchers: ['severity=~\"(\"']\n      receiver: b\nreceivers: [{name: a}]\n",
    )
    .expect("write");
    let out = common::bin().args(["routes", "--config"]).arg(&p).assert().code(1);
    let s = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(s.contains("am.yml:4:"), "{s}");
    assert!(s.contains("am.yml:5:") && s.contains("undefined receiver \"b\""), "{s}");
    // Picture formats keep stdout clean and show the findings on stderr.
    let out = common::bin().args(["routes", "-o", "dot", "--config"]).arg(&p).assert().code(1);
    assert!(out.get_output().stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("am.yml:4:"));
    // Unreadable: exit 2, named.
    let out = common::bin()
        .args(["routes", "--config"])
        .arg(d.path().join("missing.yml"))
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("missing.yml"));
    // A format routes does not have.
    common::bin().args(["routes", "-o", "sarif", "--config"]).arg(&p).assert().code(2);
}
