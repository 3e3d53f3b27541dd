//! `stellar-obs test routes`: the shipped routing tests pass on the stack `init` writes;
//! failures, invalid files and invalid configurations are positioned; ad hoc cases; formats.

use std::path::Path;

use crate::common;

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

const AM: &str = r#"
route:
  receiver: default
  group_by: [alertname]
  routes:
    - matchers: ['severity="critical"']
      receiver: pager
      continue: true
    - matchers: ['severity=~"critical|warning"']
      receiver: chat
      mute_time_intervals: [nights]
receivers: [{name: default}, {name: pager}, {name: chat}]
time_intervals:
  - name: nights
    time_intervals:
      - times: [{start_time: "22:00", end_time: "24:00"}]
        location: Europe/Berlin
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [alertname]
"#;

#[test]
fn the_shipped_routing_tests_pass_on_the_stack_init_writes() {
    let stack = common::init_stack();
    assert!(stack.path().join("alerting/tests/routes.yml").is_file());
    let out = common::bin()
        .args(["test", "routes", "-o", "json", "--dir"])
        .arg(stack.path())
        .assert()
        .success();
    let j: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    assert_eq!(j["summary"]["failed"], 0, "{j:#}");
    assert!(j["summary"]["passed"].as_u64().expect("n") >= 10);
    let first = &j["results"][0];
    assert_eq!(first["receivers"][0], "critical");
    assert_eq!(first["passed"], true);
    assert!(first["line"].as_u64().expect("line") > 1);
    assert!(j["results"].as_array().expect("a").iter().any(|r| r["inhibited"] == true));
}

#[test]
fn failures_are_positioned_and_time_intervals_and_inhibition_count() {
    let d = tempfile::tempdir().expect("tmp");
    write(d.path(), "am.yml", AM);
    let t = write(
        d.path(),
        "t.yml",
        r#"config: am.yml
tests:
  - name: critical goes to pager then chat
    alert: {severity: critical, alertname: A}
    expect:
      receivers: [pager, chat]
  - name: at 23:00 Berlin chat is muted
    alert: {severity: critical, alertname: A}
    at: 2026-03-02T22:00:00Z
    expect:
      receivers: [pager]
  - name: wrong on purpose
    alert: {severity: warning, alertname: A}
    firing: [{severity: critical, alertname: A}]
    expect:
      receivers: [pager]
      group_by: [instance]
      inhibited: false
"#,
    );
    let out = common::bin().args(["test", "routes"]).arg(&t).assert().code(1);
    let s = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(s.contains("PASS critical goes to pager then chat"), "{s}");
    assert!(s.contains("PASS at 23:00 Berlin chat is muted"), "{s}");
    assert!(s.contains("FAIL wrong on purpose"), "{s}");
    assert!(s.contains("t.yml:16:18: receivers: expected [pager], got [chat]"), "{s}");
    assert!(s.contains("t.yml:17:17: group_by: expected [instance], got [alertname]"), "{s}");
    assert!(s.contains("t.yml:18:18: inhibited: expected false, but inhibit_rules[0]"), "{s}");
    // JUnit and GitHub through the shared renderers.
    let out = common::bin().args(["test", "routes", "-o", "junit"]).arg(&t).assert().code(1);
    let x = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(x.contains("<testsuite") && x.contains("failures=\"1\""), "{x}");
    let out = common::bin().args(["test", "routes", "-o", "github"]).arg(&t).assert().code(1);
    let g = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(g.contains("::error file=") && g.contains("line=16"), "{g}");
}

#[test]
fn bad_input_is_positioned_and_exits_1_unreadable_exits_2() {
    let d = tempfile::tempdir().expect("tmp");
    write(d.path(), "am.yml", AM);
    // `test routes` on a new test file: exit 1 and its stdout.
    let failing = |name: &str, text: &str| -> String {
        let t = write(d.path(), name, text);
        let out = common::bin().args(["test", "routes"]).arg(&t).assert().code(1);
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    // Unknown receiver in expect, with a suggestion; malformed `at`.
    let s = failing(
        "t.yml",
        "config: am.yml\ntests:\n  - name: typo\n    alert: {severity: critical}\n    expect:\n      receivers: [pagr]\n  - name: bad time\n    alert: {a: b}\n    at: yesterday\n    expect: {inhibited: false}\n",
    );
    assert!(s.contains("t.yml:6:18") && s.contains("\"pagr\" is not a receiver"), "{s}");
    assert!(s.contains("did you mean `pager`?"), "{s}");
    assert!(s.contains("t.yml:9:9") && s.contains("not an RFC 3339 time"), "{s}");
    // A configuration that does not validate: a bad time zone and a malformed matcher.
    let bad = AM.replace("Europe/Berlin", "Mars/Olympus").replace("critical|warning\"", "(\"");
    write(d.path(), "bad.yml", &bad);
    let s = failing(
        "t2.yml",
        "config: bad.yml\ntests:\n  - name: x\n    alert: {a: b}\n    expect: {receivers: [default]}\n",
    );
    assert!(s.contains("bad.yml:9:") && s.contains("alertmanager/matcher"), "{s}");
    assert!(s.contains("bad.yml:17:") && s.contains("Mars/Olympus"), "{s}");
    // Ad hoc: a malformed label set is a usage error; unreadable files exit 2.
    let am = d.path().join("am.yml");
    common::bin()
        .args(["test", "routes", "--config"])
        .arg(&am)
        .args(["--alert", "a=~b"])
        .assert()
        .code(2);
    common::bin().args(["test", "routes"]).arg(d.path().join("nope.yml")).assert().code(2);
    common::bin()
        .args(["test", "routes", "--alert", "a=b", "--config"])
        .arg(d.path().join("nope.yml"))
        .assert()
        .code(2);
}

#[test]
fn ad_hoc_cases_print_or_check_receivers() {
    let d = tempfile::tempdir().expect("tmp");
    let am = write(d.path(), "am.yml", AM);
    let out = common::bin()
        .args(["test", "routes", "--alert", "severity=critical,alertname=A", "--config"])
        .arg(&am)
        .assert()
        .success();
    assert_eq!(String::from_utf8_lossy(&out.get_output().stdout), "pager,chat\n");
    // `--expect` is the receivers in routing order: exit 0 when they are, 1 otherwise.
    let expect = |receivers: &str| {
        common::bin()
            .args(["test", "routes", "--alert", "severity=critical", "--expect", receivers])
            .arg("--config")
            .arg(&am)
            .assert()
    };
    expect("pager,chat").success();
    expect("chat,pager").code(1);
    let out = common::bin()
        .args(["test", "routes", "-o", "json", "--alert", "severity=warning,alertname=A"])
        .args(["--firing", "severity=critical,alertname=A", "--config"])
        .arg(&am)
        .assert()
        .success();
    let j: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    assert_eq!(j["results"][0]["inhibited"], true);
    assert_eq!(j["results"][0]["receivers"][0], "chat");
    assert_eq!(j["results"][0]["group_by"][0], "alertname");
}
