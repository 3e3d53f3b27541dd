//! `stellar-obs test rules`: upstream's promtool unit-test cases (exit codes as upstream's own
//! test expects them), the stack's shipped tests under both our tool and Debian's promtool,
//! output formats and bad input.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::{self, bin, init_stack, require_tool};

fn unittest_dir() -> PathBuf {
    let d = common::conformance_dir().join("promql-eval/promtool-unittest");
    assert!(
        d.join("cases.tsv").is_file(),
        "the promtool unit-test corpus was not found at {}: it is expected at ../shared/conformance \
         next to the repository (set STELLAR_OBS_CONFORMANCE to its path)",
        d.display()
    );
    d
}

/// Why each failing case must fail: text its output must contain, so a case cannot pass
/// for the wrong reason (an exit code 1 for an unrelated error).
const REASONS: &[(&str, &str)] = &[
    (
        "bad-input-series.yml",
        "input series \"up{job=\\\"prometheus\\\", instance=\\\"localhost:9090\\\"\": expected",
    ),
    ("bad-promql.yml", "many-to-many matching not allowed"),
    ("bad-rules-syntax-test.yml", "error[rules/promql-syntax]"),
    ("bad-rules-error-test.yml", "rule \"joined\" failed at 0s"),
    ("failing.yml", "expr \"test\" at eval_time 0m: the samples differ"),
    ("rules_run.yml", "FAIL wrong test"),
    ("rules_run_extrafields.yml", "error[yaml/unknown-field]"),
    ("rules_run_no_fuzzy.yml", "the samples differ"),
    ("rules_run_fuzzy.yml", "FAIL wrong fuzzy match"),
];

#[test]
fn promtool_unittest_cases_exit_as_upstream_expects() {
    let dir = unittest_dir();
    let tsv = common::read(&dir.join("cases.tsv"));
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for line in tsv.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, args, expected) = (cols[0], cols[1], cols[2]);
        let expected: i32 = expected.parse().expect("exit code");
        let out = bin()
            .current_dir(&dir)
            .args(["test", "rules", file])
            .args(args.split_whitespace())
            .output()
            .expect("runs");
        let code = out.status.code().expect("exit code");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        checked += 1;
        if code != expected {
            mismatches.push(format!("{file} {args}: expected {expected}, got {code}\n{text}"));
            continue;
        }
        if expected == 1 {
            let (_, why) =
                REASONS.iter().find(|(f, _)| *f == file).expect("a reason for every failing case");
            assert!(
                text.contains(why),
                "{file} {args}: fails, but not because of {why:?}:\n{text}"
            );
        } else {
            assert!(!text.contains("FAIL"), "{file} {args}:\n{text}");
        }
    }
    assert!(checked >= 20, "cases.tsv has {checked} cases");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

fn tests_dir(stack: &Path) -> PathBuf {
    stack.join("prometheus/tests")
}

fn test_files(stack: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(tests_dir(stack))
        .expect("tests dir")
        .map(|e| e.expect("entry").path())
        .collect();
    v.sort();
    v
}

#[test]
fn the_shipped_tests_pass_under_our_tool_and_promtool() {
    let promtool = require_tool("promtool");
    let d = init_stack();
    let out = bin()
        .args(["test", "rules", "--coverage", "-o", "json", "--dir"])
        .arg(d.path())
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(out.status.code(), Some(0), "{v:#}");
    assert_eq!(v["summary"]["failed"], 0);
    assert!(v["summary"]["tests"].as_u64().expect("n") >= 50, "{v}");
    // Every alert and recording rule of stellar_alerts.yml is asserted, alerts both firing
    // and silent.
    let rules = common::read(&d.path().join("prometheus/stellar_alerts.yml"));
    let alerts = rules.matches("- alert:").count();
    let records = rules.matches("- record:").count();
    let items = v["coverage"]["items"].as_array().expect("coverage items");
    let of = |file: &'static str| {
        items.iter().filter(move |i| i["path"].as_str().is_some_and(|p| p.ends_with(file)))
    };
    assert_eq!(of("stellar_alerts.yml").count(), alerts + records, "{}", v["coverage"]);
    let uncovered: Vec<&Value> =
        of("stellar_alerts.yml").filter(|i| i["covered"] != true).collect();
    assert!(uncovered.is_empty(), "{uncovered:?}");
    // The generated SLO alerts (slo_connector.yml) are tested too: they fire on a fast burn
    // and stay silent at the objective.
    for alert in ["StellarConnectorOrderPlacementBudgetBurn", "StellarConnectorHorizonBudgetBurn"] {
        let it = of("slo_connector.yml").find(|i| i["name"] == alert).expect(alert);
        assert_eq!(it["covered"], true, "{it}");
    }

    let out = Command::new(&promtool)
        .args(["test", "rules"])
        .args(test_files(d.path()))
        .output()
        .expect("promtool runs");
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "promtool test rules failed:\n{text}");
    assert_eq!(text.matches("SUCCESS").count(), test_files(d.path()).len(), "{text}");
}

#[test]
fn the_shipped_tests_catch_a_changed_threshold() {
    let promtool = require_tool("promtool");
    let d = init_stack();
    let rules = d.path().join("prometheus/stellar_alerts.yml");
    let text = common::read(&rules);
    let changed = text.replace(
        "stellar_connector:request_errors:ratio_rate5m > 0.10",
        "stellar_connector:request_errors:ratio_rate5m > 0.12",
    );
    assert_ne!(text, changed, "the threshold is written as expected");
    std::fs::write(&rules, changed).expect("write");
    let out = bin().args(["test", "rules", "--dir"]).arg(d.path()).output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FAIL StellarConnectorHighErrorRate fires"), "{stdout}");
    assert!(
        stdout.contains("alertname \"StellarConnectorHighErrorRate\" at eval_time 10m"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().filter(|l| l.starts_with("FAIL")).count(), 1, "{stdout}");
    // The oracle agrees.
    let out = Command::new(&promtool)
        .args(["test", "rules"])
        .arg(tests_dir(d.path()).join("critical.yml"))
        .output()
        .expect("promtool runs");
    assert!(!out.status.success());
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

const RULES: &str = "groups:\n  - name: g\n    rules:\n      - alert: Down\n        expr: up == 0\n        for: 1m\n        labels: {severity: page}\n        annotations: {summary: '{{ $labels.job }} down at {{ $value }}'}\n      - record: job:up:sum\n        expr: sum by (job) (up)\n";

#[test]
fn a_failure_shows_where_and_what_in_every_format() {
    let d = tempfile::tempdir().expect("tmp");
    write(d.path(), "rules.yml", RULES);
    let t = write(
        d.path(),
        "t.yml",
        "rule_files: [rules.yml]\ntests:\n  - name: down\n    input_series:\n      - series: up{job=\"a\"}\n        values: 0x5\n    alert_rule_test:\n      - eval_time: 3m\n        alertname: Down\n        exp_alerts:\n          - exp_labels: {severity: ticket, job: a}\n            exp_annotations: {summary: a down at 0}\n",
    );
    let out = bin().args(["test", "rules"]).arg(&t).output().expect("runs");
    let s = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{s}");
    assert!(
        s.contains(&format!("{}:11:13: alertname \"Down\" at eval_time 3m", t.display())),
        "{s}"
    );
    assert!(s.contains("    - {alertname=\"Down\", job=\"a\", severity=\"ticket\"} annotations {summary=\"a down at 0\"}"), "{s}");
    assert!(s.contains("    + {alertname=\"Down\", job=\"a\", severity=\"page\"} annotations {summary=\"a down at 0\"}"), "{s}");

    let out = bin().args(["test", "rules", "-o", "json"]).arg(&t).output().expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["tests"][0]["status"], "failed");
    assert_eq!(v["tests"][0]["failures"][0]["line"], 11);
    assert_eq!(v["tests"][0]["failures"][0]["diff"][0]["kind"], "expected");

    let out = bin().args(["test", "rules", "-o", "junit"]).arg(&t).output().expect("runs");
    let x = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(x.contains("<testcase name=\"down\"") && x.contains("<failure message="), "{x}");
    // The XML is well-formed (Python's parser, installed by ci-setup with python3).
    let py = require_tool("python3");
    let mut child = Command::new(py)
        .args([
            "-c",
            "import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.buffer.read())",
        ])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), x.as_bytes()).expect("pipe");
    assert!(child.wait().expect("wait").success(), "not well-formed XML:\n{x}");

    let out = bin().args(["test", "rules", "-o", "github"]).arg(&t).output().expect("runs");
    let g = String::from_utf8_lossy(&out.stdout);
    assert!(g.starts_with(&format!("::error file={},line=11,col=13,", t.display())), "{g}");
}

#[test]
fn bad_input_is_one_positioned_error() {
    let d = tempfile::tempdir().expect("tmp");
    write(d.path(), "rules.yml", RULES);
    write(
        d.path(),
        "broken.yml",
        "groups:\n  - name: g\n    rules:\n      - record: x\n        expr: rate(up[5m]\n",
    );
    let cases: &[(&str, &str, &str)] = &[
        (
            "series.yml",
            "tests:\n  - input_series:\n      - series: up\n        values: 1+1xz\n",
            "series.yml:4:",
        ),
        (
            "function.yml",
            "tests:\n  - promql_expr_test:\n      - expr: nosuchfunc(up)\n        exp_samples: []\n",
            "function.yml:3:",
        ),
        ("rulefile.yml", "rule_files: [broken.yml]\ntests: []\n", "broken.yml:5:"),
        (
            "unknown-alert.yml",
            "rule_files: [rules.yml]\ntests:\n  - alert_rule_test:\n      - eval_time: 1m\n        alertname: Dwon\n        exp_alerts: []\n",
            "unknown-alert.yml:5:20: alertname \"Dwon\": no alerting rule of that name",
        ),
        ("missing-rules.yml", "rule_files: [nope.yml]\ntests: []\n", "missing-rules.yml:1:14"),
        ("typo.yml", "tests:\n  - input_seriez: []\n", "typo.yml:2:5"),
    ];
    for (name, text, want) in cases {
        let p = write(d.path(), name, text);
        let out = bin()
            .current_dir(d.path())
            .args(["test", "rules"])
            .arg(p.file_name().expect("name"))
            .output()
            .expect("runs");
        let s = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(1), "{name}: {s}");
        assert!(s.contains(want), "{name}: wanted {want:?} in:\n{s}");
        assert!(!s.contains("panicked"), "{name}: {s}");
    }
    // Unreadable files and usage errors: 2.
    let out =
        bin().current_dir(d.path()).args(["test", "rules", "absent.yml"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("absent.yml"));
    let out = bin()
        .current_dir(d.path())
        .args(["test", "rules", "series.yml", "--run", "("])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let out = bin()
        .current_dir(d.path())
        .args(["test", "rules", "series.yml", "-o", "sarif"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn coverage_lists_what_no_test_asserts() {
    let d = tempfile::tempdir().expect("tmp");
    write(d.path(), "rules.yml", RULES);
    let t = write(
        d.path(),
        "t.yml",
        "rule_files: [rules.yml]\ntests:\n  - input_series:\n      - series: up{job=\"a\"}\n        values: 1x5\n    alert_rule_test:\n      - eval_time: 3m\n        alertname: Down\n        exp_alerts: []\n",
    );
    let out =
        bin().args(["test", "rules", "--coverage", "-o", "json"]).arg(&t).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["coverage"]["total"], 2);
    assert_eq!(v["coverage"]["covered"], 0);
    assert_eq!(v["coverage"]["items"][0]["name"], "Down");
    assert_eq!(v["coverage"]["items"][0]["asserted"][0], "silent");
    assert_eq!(v["coverage"]["items"][0]["missing"][0], "firing");
    assert_eq!(v["coverage"]["uncovered"][1], "job:up:sum");
    let out = bin().args(["test", "rules", "--coverage"]).arg(&t).output().expect("runs");
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("0 of 2 covered (0%)") && s.contains("uncovered: Down, job:up:sum"), "{s}");
}
