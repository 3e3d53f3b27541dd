//! `stellar-obs validate` through the real binary: output formats, exit codes, stacks.

use std::path::Path;

use predicates::prelude::*;

use crate::common::{bin, init_stack, read};

const BAD_RULES: &str = "groups:\n  - name: g\n    rules:\n      - alert: HighErrors\n        expr: rate(http_errors_total) > 1\n        labels:\n          severity: page\n";

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&p, text).expect("write");
    p
}

#[test]
fn human_output_has_the_caret_under_the_problem() {
    let d = tempfile::tempdir().expect("tmp");
    write(d.path(), "rules.yml", BAD_RULES);
    let out = bin()
        .current_dir(d.path())
        .args(["validate", "rules.yml"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let s = String::from_utf8(out).expect("utf8");
    assert_eq!(
        s,
        "error[rules/promql-syntax]: could not parse expression: expected type matrix in call to function 'rate', got vector\n \
--> rules.yml:5:15\n  |\n5 |         expr: rate(http_errors_total) > 1\n  |               ^^^^\n\n\
summary: 1 file checked: 1 error, 0 warnings\n"
    );
}

#[test]
fn json_output_follows_the_contract() {
    let d = tempfile::tempdir().expect("tmp");
    write(d.path(), "rules.yml", BAD_RULES);
    let out = bin()
        .current_dir(d.path())
        .args(["validate", "-o", "json", "rules.yml"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("only JSON on stdout");
    let d0 = &v["diagnostics"][0];
    assert_eq!(d0["path"], "rules.yml");
    assert_eq!(d0["line"], 5);
    assert_eq!(d0["column"], 15);
    assert_eq!(d0["severity"], "error");
    assert_eq!(d0["code"], "rules/promql-syntax");
    assert!(d0["message"].as_str().is_some_and(|m| m.contains("rate")));
    assert_eq!(
        v["summary"],
        serde_json::json!({"files": 1, "errors": 1, "warnings": 0, "infos": 0})
    );
}

#[test]
fn github_and_sarif_formats() {
    let d = tempfile::tempdir().expect("tmp");
    write(d.path(), "rules.yml", BAD_RULES);
    bin()
        .current_dir(d.path())
        .args(["validate", "-o", "github", "rules.yml"])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "::error file=rules.yml,line=5,col=15,title=rules/promql-syntax::could not parse expression",
        ));
    let out = bin()
        .current_dir(d.path())
        .args(["validate", "-o", "sarif", "rules.yml"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("sarif json");
    assert_eq!(v["version"], "2.1.0");
    let r = &v["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "rules/promql-syntax");
    assert_eq!(r["locations"][0]["physicalLocation"]["region"]["startLine"], 5);
    assert_eq!(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "rules.yml");
}

#[test]
fn exit_codes_and_strict() {
    let d = tempfile::tempdir().expect("tmp");
    write(
        d.path(),
        "good.yml",
        "groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n",
    );
    bin()
        .current_dir(d.path())
        .args(["validate", "good.yml"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no problems"));
    // A warning only (experimental function): 0, and 1 with --strict.
    write(
        d.path(),
        "warn.yml",
        "groups:\n  - name: g\n    rules:\n      - record: a:b\n        expr: sort_by_label(up, \"job\")\n",
    );
    bin().current_dir(d.path()).args(["validate", "warn.yml"]).assert().code(0);
    bin().current_dir(d.path()).args(["validate", "--strict", "warn.yml"]).assert().code(1);
    // Missing file and bad usage: 2.
    bin()
        .current_dir(d.path())
        .args(["validate", "nope.yml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.yml"));
    bin().current_dir(d.path()).args(["validate", "--kind", "bogus", "good.yml"]).assert().code(2);
    // A stack directory that is not one: 2.
    bin()
        .args(["validate", "--dir"])
        .arg(d.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a stack directory"));
}

#[test]
fn kinds_are_detected_or_forced() {
    let d = tempfile::tempdir().expect("tmp");
    write(
        d.path(),
        "x.yml",
        "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up ==\n",
    );
    bin()
        .current_dir(d.path())
        .args(["validate", "x.yml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("rules/promql-syntax"));
    write(d.path(), "c.yml", "services:\n  a:\n    imag: x\n");
    bin()
        .current_dir(d.path())
        .args(["validate", "--kind", "compose", "-o", "json", "c.yml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"line\": 3"));
    write(
        d.path(),
        "d.json",
        "{\n  \"panels\": [\n    {\"targets\": [{\"expr\": \"sum(\"}]}\n  ]\n}\n",
    );
    bin()
        .current_dir(d.path())
        .args(["validate", "d.json"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("d.json:3:"));
}

#[test]
fn huge_and_deep_yaml_is_refused_clearly() {
    let d = tempfile::tempdir().expect("tmp");
    let deep = format!("groups: {}{}\n", "[".repeat(5000), "]".repeat(5000));
    write(d.path(), "deep.yml", &deep);
    bin()
        .current_dir(d.path())
        .args(["validate", "deep.yml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("yaml/syntax"))
        .stdout(predicate::str::contains("deep.yml:1:"));
    let big = "a".repeat(stellar_obs::yaml::MAX_FILE_BYTES + 1);
    write(d.path(), "big.yml", &big);
    bin()
        .current_dir(d.path())
        .args(["validate", "big.yml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("refused"));
}

#[test]
fn a_fresh_stack_validates_strictly() {
    let stack = init_stack();
    let out = bin()
        .args(["validate", "--strict", "--dir"])
        .arg(stack.path())
        .assert()
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("no problems"), "{stdout}");
    // The stack directory as a PATH argument means the same.
    bin().arg("validate").arg(stack.path()).assert().code(0);
}

#[test]
fn a_broken_line_in_the_stack_is_reported_where_it_is() {
    let stack = init_stack();
    let rules = stack.path().join("prometheus/stellar_alerts.yml");
    let text = read(&rules);
    // Break the first recording rule's expression and remember its line.
    let (line_no, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("rate(stellar_connector_request_duration_seconds_bucket[5m])"))
        .expect("a rate() line");
    let broken = line.replacen("[5m]", "", 1);
    let col = broken.find("rate(").expect("rate") + 1;
    std::fs::write(&rules, text.replacen(line, &broken, 1)).expect("write");
    let out = bin()
        .args(["validate", "-o", "json", "--dir"])
        .arg(stack.path())
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    let diags = v["diagnostics"].as_array().expect("diags");
    let e = diags.iter().find(|d| d["severity"] == "error").expect("an error");
    assert_eq!(e["code"], "rules/promql-syntax");
    assert!(
        e["path"].as_str().is_some_and(|p| p.ends_with("prometheus/stellar_alerts.yml")),
        "{e}"
    );
    assert_eq!(e["line"], line_no as u64 + 1);
    assert_eq!(e["column"], col as u64);
}

/// A file that does not parse: its error comes first, the cross-file checks that depend on
/// it are skipped (one note says so) instead of burying it under their echoes, in every
/// format; `-v` lists the files checked.
#[test]
fn a_parse_error_is_not_buried_under_cross_file_warnings() {
    let stack = init_stack();
    let p = stack.path();
    let out = bin().args(["validate", "-v", "--dir"]).arg(p).output().expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for f in
        ["prometheus/prometheus.yml", "prometheus/stellar_alerts.yml", "alerting/alertmanager.yml"]
    {
        assert!(
            stderr.lines().any(|l| l.starts_with("debug: checked ") && l.ends_with(f)),
            "-v does not list {f}:\n{stderr}"
        );
    }
    let prom = p.join("prometheus/prometheus.yml");
    let text = read(&prom);
    assert!(text.contains("\n  scrape_timeout: 10s\n"), "template changed");
    std::fs::write(
        &prom,
        text.replacen("\n  scrape_timeout: 10s\n", "\n scrape_timeout: 10s\n", 1),
    )
    .expect("w");
    let run = |format: &str| {
        let out =
            bin().args(["validate", "-o", format, "--dir"]).arg(p).output().expect("validate");
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf8")
    };
    let human = run("human");
    assert!(human.starts_with("error[yaml/syntax]"), "{human}");
    assert!(!human.contains("warning[cross/"), "cascading cross-file findings:\n{human}");
    let notes: Vec<&str> = human.lines().filter(|l| l.starts_with("note: ")).collect();
    assert_eq!(notes.len(), 1, "{human}");
    assert!(notes[0].contains("prometheus/prometheus.yml does not parse"), "{}", notes[0]);
    assert!(notes[0].contains("cross/unknown-metric"), "{}", notes[0]);
    let v: serde_json::Value = serde_json::from_str(&run("json")).expect("json");
    assert_eq!(v["notes"].as_array().map(Vec::len), Some(1), "{v}");
    assert!(!v["diagnostics"].to_string().contains("\"cross/"), "{v}");
    let gh = run("github");
    assert!(gh.starts_with("::error "), "{gh}");
    assert_eq!(gh.lines().filter(|l| l.starts_with("::notice ")).count(), 1, "{gh}");
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).expect("sarif");
    let n = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(n.as_array().map(Vec::len), Some(1), "{sarif}");
    let problems = sarif_schema_problems(&sarif);
    assert!(problems.is_empty(), "SARIF schema violations:\n{}", problems.join("\n"));
}

/// A misspelt `rule_files` entry gets a "did you mean" naming the file that exists.
#[test]
fn a_misspelt_rule_file_gets_a_did_you_mean() {
    let stack = init_stack();
    let prom = stack.path().join("prometheus/prometheus.yml");
    let text = read(&prom);
    std::fs::write(&prom, text.replacen("  - stellar_alerts.yml\n", "  - stellar_alert.yml\n", 1))
        .expect("w");
    let out = bin().args(["validate", "--dir"]).arg(stack.path()).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("error[prometheus/file-missing]"), "{s}");
    assert!(s.contains("did you mean `stellar_alerts.yml`?"), "{s}");
}

#[test]
fn stack_cross_checks_find_plain_secrets_in_compose() {
    let stack = init_stack();
    let compose = stack.path().join("docker-compose.observability.yml");
    let text = read(&compose);
    let from = "GF_SECURITY_ADMIN_PASSWORD: \"${GF_SECURITY_ADMIN_PASSWORD:?set GF_SECURITY_ADMIN_PASSWORD in .env}\"";
    assert!(text.contains(from), "template changed");
    std::fs::write(&compose, text.replace(from, "GF_SECURITY_ADMIN_PASSWORD: hunter2"))
        .expect("write");
    bin()
        .args(["validate", "--dir"])
        .arg(stack.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("warning[compose/plain-secret]"));
    bin().args(["validate", "--strict", "--dir"]).arg(stack.path()).assert().code(1);
}

/// Validate `doc` against the official SARIF 2.1.0 JSON schema (draft-04) with Python's
/// `jsonschema` (Debian's python3-jsonschema, installed by `.ci/run`); the problems found.
fn sarif_schema_problems(doc: &serde_json::Value) -> Vec<String> {
    let schema =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif/sarif-2.1.0-rtm.5.json");
    let d = tempfile::tempdir().expect("tmp");
    let doc_path = d.path().join("out.sarif");
    std::fs::write(&doc_path, serde_json::to_vec(doc).expect("json")).expect("write");
    let script = "import json, sys, jsonschema\n\
        schema = json.load(open(sys.argv[1]))\n\
        doc = json.load(open(sys.argv[2]))\n\
        for e in jsonschema.Draft4Validator(schema).iter_errors(doc):\n    \
            print('/'.join(str(p) for p in e.absolute_path) + ': ' + e.message[:200])\n";
    // Debian's python3 has python3-jsonschema; another python3 first on PATH may not.
    let python = ["/usr/bin/python3", "python3"]
        .into_iter()
        .find(|py| {
            std::process::Command::new(py)
                .args(["-c", "import jsonschema"])
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect(
            "python3 with jsonschema (Debian python3-jsonschema; scripts/ci-setup.sh installs it)",
        );
    let out = std::process::Command::new(python)
        .args(["-c", script])
        .arg(&schema)
        .arg(&doc_path)
        .output()
        .expect("python3 runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

#[test]
fn sarif_output_is_valid_against_the_official_schema() {
    let stack = init_stack();
    let p = stack.path();
    // Findings of several kinds: PromQL, an undefined receiver, a plain-text secret (warning
    // with help), a dashboard query, a YAML syntax error in its own file.
    let rules = p.join("prometheus/stellar_alerts.yml");
    std::fs::write(&rules, read(&rules).replacen("for: 1m", "for: 1x", 1)).expect("w");
    let am = p.join("alerting/alertmanager.yml");
    let text = read(&am).replacen("receiver: ", "receiver: nobody # ", 1);
    std::fs::write(&am, text).expect("w");
    let out = bin().args(["validate", "-o", "sarif", "--dir"]).arg(p).output().expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif json");
    let results = doc["runs"][0]["results"].as_array().expect("results").len();
    assert!(results >= 2, "{doc}");
    let problems = sarif_schema_problems(&doc);
    assert!(problems.is_empty(), "SARIF schema violations:\n{}", problems.join("\n"));

    // The oracle can say no: a document that breaks the schema is caught.
    let mut broken = doc.clone();
    broken["version"] = serde_json::json!("2.0");
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    let problems = sarif_schema_problems(&broken);
    assert!(problems.iter().any(|p| p.starts_with("version")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("level")), "{problems:?}");
}

/// Issue 15's real-world misses through the binary: a config's rule file is checked with
/// positions in it; `{}` is a rule file with no groups; placeholder secrets are notes that
/// never fail (`::notice`), deprecated matchers one warning per file unless `-v`.
#[test]
fn real_world_misses_and_noise() {
    let d = tempfile::tempdir().expect("tmp");
    write(
        d.path(),
        "rules/load.yml",
        "groups:\n  - name: g\n    rules:\n      - alert: Load\n        expr: node_load1 > > 0.5\n",
    );
    write(d.path(), "prometheus.yml", "rule_files: ['rules/*.yml']\n");
    write(d.path(), "empty.rules.yml", "{}\n");
    let run = |args: &[&str]| {
        let out = bin().current_dir(d.path()).arg("validate").args(args).output().expect("run");
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let (code, s) = run(&["prometheus.yml", "-o", "json"]);
    let v: serde_json::Value = serde_json::from_str(&s).expect("json");
    assert_eq!(code, Some(1), "{s}");
    assert_eq!(v["summary"]["files"], 2, "{v}");
    assert_eq!(v["diagnostics"][0]["path"], "rules/load.yml", "{v}");
    assert_eq!(
        (&v["diagnostics"][0]["line"], &v["diagnostics"][0]["column"]),
        (&5.into(), &28.into())
    );
    assert_eq!(run(&["empty.rules.yml", "--kind", "rules"]).0, Some(0));

    let am = "route:\n  receiver: a\n  routes:\n    - {receiver: a, match: {x: '1'}}\n    - {receiver: a, match_re: {y: '2'}}\n    - {receiver: a, match: {z: '3'}}\nreceivers:\n  - name: a\n    pagerduty_configs:\n      - routing_key: <your-routing-key>\n";
    write(d.path(), "alertmanager.yml", am);
    let (code, s) = run(&["alertmanager.yml", "-o", "json"]);
    let v: serde_json::Value = serde_json::from_str(&s).expect("json");
    assert_eq!(code, Some(0), "{s}");
    assert_eq!(v["summary"]["warnings"], 1, "{v}");
    assert_eq!(v["summary"]["infos"], 1, "{v}");
    let (code, s) = run(&["alertmanager.yml", "-o", "github", "-v"]);
    assert_eq!(code, Some(0));
    assert_eq!(s.matches("title=alertmanager/deprecated").count(), 3, "{s}");
    assert!(
        s.contains(
            "::notice file=alertmanager.yml,line=10,col=22,title=alertmanager/placeholder-secret"
        ),
        "{s}"
    );
    // --strict fails on the deprecation warning, never on the note.
    assert_eq!(run(&["alertmanager.yml", "--strict"]).0, Some(1));
    let only_note = am
        .replace("match: {x: '1'}", "matchers: ['x=1']")
        .replace("match_re: {y: '2'}", "matchers: ['y=~2']")
        .replace("match: {z: '3'}", "matchers: ['z=3']");
    write(d.path(), "alertmanager.yml", &only_note);
    let (code, s) = run(&["alertmanager.yml", "--strict"]);
    assert_eq!(code, Some(0), "{s}");
    assert!(
        s.contains("info[alertmanager/placeholder-secret]")
            && s.contains("(1 note for information)"),
        "{s}"
    );
}
