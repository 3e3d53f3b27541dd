//! The command-line contract (`cli-contract.md`, README "Exit codes") in one place, for the
//! CI authors who rely on it: where global options go, what `-o json` puts on stdout (the
//! document and nothing else; nothing at all when a command fails before it has a result),
//! the JSON keys, the exit codes, the environment overrides, credentials never on argv,
//! colour and table width only on a terminal, and error messages that are one sentence.
//!
//! The other modules test each command in depth; this one runs every command once or twice
//! against the same real servers (the fake Grafana, a refused port, the Docker engine) and
//! checks only what the contract promises.

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

use crate::common::docker::{TestStack, require_docker};
use crate::common::fake_grafana::{FakeConfig, FakeGrafana};
use crate::common::http_server::{Response, TestServer};
use crate::common::{bin, init_stack, read, require_tool};

/// What a run left behind.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(c: &mut Command) -> Run {
    let out = c.output().expect("the binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

impl Run {
    /// stdout is exactly one JSON document (whitespace around it allowed, nothing else).
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not one JSON document ({e}):\n{}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }

    /// A failure before any result: stdout empty, stderr one `error:` sentence that
    /// contains every needle, and no Rust internals.
    fn assert_one_error(&self, code: i32, needles: &[&str]) {
        assert_eq!(self.code, code, "exit code; stderr: {}", self.stderr);
        assert!(self.stdout.is_empty(), "stdout must stay empty, got: {}", self.stdout);
        let lines: Vec<&str> = self.stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "one line on stderr:\n{}", self.stderr);
        assert!(lines[0].starts_with("error: "), "{}", lines[0]);
        for n in needles {
            assert!(lines[0].contains(n), "`{n}` missing from: {}", lines[0]);
        }
        assert_no_internals(&self.stderr);
    }
}

/// No debug dumps, panics or errno numbers in what the user reads.
fn assert_no_internals(text: &str) {
    for bad in ["Os {", "Error {", "kind:", "panicked", "RUST_BACKTRACE", "(os error", "Custom {"] {
        assert!(!text.contains(bad), "`{bad}` in user-facing text:\n{text}");
    }
}

/// A 127.0.0.1 port nothing listens on.
fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// Every component's environment variable, as the contract lists them.
const COMPONENT_VARS: [(&str, &str); 10] = [
    ("prometheus", "STELLAR_OBS_PROMETHEUS_URL"),
    ("alertmanager", "STELLAR_OBS_ALERTMANAGER_URL"),
    ("grafana", "STELLAR_OBS_GRAFANA_URL"),
    ("loki", "STELLAR_OBS_LOKI_URL"),
    ("jaeger", "STELLAR_OBS_JAEGER_URL"),
    ("node_exporter", "STELLAR_OBS_NODE_EXPORTER_URL"),
    ("cadvisor", "STELLAR_OBS_CADVISOR_URL"),
    ("pushgateway", "STELLAR_OBS_PUSHGATEWAY_URL"),
    ("connector", "STELLAR_OBS_CONNECTOR_URL"),
    ("horizon", "STELLAR_OBS_HORIZON_URL"),
];

/// `check-health` with every component switched off except those in `on` (component, URL).
fn health(dir: &Path, on: &[(&str, String)]) -> Command {
    let mut c = bin();
    for (component, var) in COMPONENT_VARS {
        match on.iter().find(|(k, _)| *k == component) {
            Some((_, url)) => c.env(var, url),
            None => c.env(var, "off"),
        };
    }
    c.arg("--dir").arg(dir).arg("check-health");
    c
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
}

/// `v` has at least the keys `want` (the contract allows more).
fn has_keys(v: &Value, want: &[&str], what: &str) {
    let have = keys(v);
    for k in want {
        assert!(have.contains(*k), "{what}: key `{k}` missing in {v}");
    }
}

fn one_of(v: &Value, allowed: &[&str], what: &str) {
    let s = v.as_str().unwrap_or_else(|| panic!("{what}: not a string: {v}"));
    assert!(allowed.contains(&s), "{what}: `{s}` is not one of {allowed:?}");
}

// ---------------------------------------------------------------------------------------
// JSON shapes (stable keys, allowed values)
// ---------------------------------------------------------------------------------------

fn validate_shape(v: &Value) {
    has_keys(v, &["diagnostics", "summary"], "validate");
    has_keys(&v["summary"], &["files", "errors", "warnings"], "validate.summary");
    for d in v["diagnostics"].as_array().expect("diagnostics is an array") {
        has_keys(d, &["path", "line", "column", "severity", "code", "message"], "diagnostic");
        one_of(&d["severity"], &["error", "warning"], "severity");
        assert!(d["line"].as_u64().is_some_and(|l| l >= 1), "1-based line: {d}");
        assert!(d["column"].as_u64().is_some_and(|c| c >= 1), "1-based column: {d}");
        assert!(d["code"].as_str().is_some_and(|c| c.contains('/')), "check id: {d}");
    }
}

fn status_shape(v: &Value) {
    has_keys(v, &["services"], "status");
    for r in v["services"].as_array().expect("services is an array") {
        has_keys(r, &["service", "state", "health", "ports", "uptime", "image"], "status row");
        one_of(&r["health"], &["healthy", "unhealthy", "starting", "none"], "health");
        assert!(r["ports"].is_array(), "ports: {r}");
    }
}

fn health_shape(v: &Value) {
    has_keys(v, &["status", "checks"], "check-health");
    one_of(&v["status"], &["healthy", "degraded", "unhealthy"], "overall status");
    for c in v["checks"].as_array().expect("checks is an array") {
        has_keys(c, &["component", "status", "latency_ms", "message"], "check");
        one_of(&c["status"], &["healthy", "degraded", "unhealthy", "skipped"], "check status");
        assert!(c["latency_ms"].is_null() || c["latency_ms"].is_u64(), "latency_ms: {c}");
    }
}

fn import_shape(v: &Value) {
    has_keys(v, &["results"], "dashboards import");
    for r in v["results"].as_array().expect("results is an array") {
        has_keys(
            r,
            &["path", "uid", "title", "folder", "action", "version", "message"],
            "import row",
        );
        one_of(
            &r["action"],
            &["created", "updated", "unchanged", "skipped", "failed"],
            "import action",
        );
    }
}

// ---------------------------------------------------------------------------------------
// Global options
// ---------------------------------------------------------------------------------------

/// `--dir`, `-o` and the other global options mean the same before or after the
/// subcommand, and `STELLAR_OBS_DIR` stands in for `--dir`.
#[test]
fn global_options_go_before_or_after_the_subcommand_or_in_the_environment() {
    let stack = init_stack();
    let d = stack.path();
    let before = run(bin().arg("--dir").arg(d).args(["-o", "json", "validate"]));
    let after = run(bin().arg("validate").arg("--dir").arg(d).args(["-o", "json"]));
    let mixed = run(bin().args(["-o", "json", "validate", "--dir"]).arg(d));
    let env = run(bin().env("STELLAR_OBS_DIR", d).args(["validate", "--output", "json"]));
    assert_eq!(before.code, 0, "{}", before.stderr);
    validate_shape(&before.json());
    assert!(
        before.json()["summary"]["files"].as_u64().is_some_and(|n| n >= 5),
        "{}",
        before.stdout
    );
    for (name, r) in [("after", &after), ("mixed", &mixed), ("environment", &env)] {
        assert_eq!((r.code, r.json()), (0, before.json()), "{name}: {}", r.stderr);
    }
    // The flag wins over the environment.
    let other = tempfile::tempdir().expect("tmp");
    let r = run(bin().env("STELLAR_OBS_DIR", other.path()).arg("validate").arg("--dir").arg(d));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // -q, -v and --no-color are global too.
    let r = run(bin().arg("validate").arg("--dir").arg(d).args(["-q", "-v", "--no-color"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// `--project` and `STELLAR_OBS_PROJECT` name the Compose project (seen in `down`'s JSON;
/// `down --volumes` without `--yes` changes nothing).
#[test]
fn the_project_comes_from_the_flag_or_the_environment() {
    require_docker();
    let stack = init_stack();
    let project = format!("stellar-obs-contract-{}", std::process::id());
    let down = |c: &mut Command| {
        let r = run(c.args(["down", "--volumes", "-o", "json"]));
        assert_eq!(r.code, 1, "refused without --yes: {}", r.stderr);
        r.json()["project"].as_str().map(str::to_string)
    };
    let flag_after = down(bin().arg("--dir").arg(stack.path()).arg("--project").arg(&project));
    let flag_before = down(bin().arg("--project").arg(&project).arg("--dir").arg(stack.path()));
    let env = down(bin().env("STELLAR_OBS_PROJECT", &project).arg("--dir").arg(stack.path()));
    let default = down(bin().arg("--dir").arg(stack.path()));
    assert_eq!(flag_after.as_deref(), Some(project.as_str()));
    assert_eq!(flag_before, flag_after);
    assert_eq!(env, flag_after);
    // Without either, the name `init` wrote into stellar-obs.yml: made from where the stack
    // lives (parent + directory, normalised as Compose does), never the same for two stacks.
    let written = read(&stack.path().join("stellar-obs.yml"));
    let expected = stellar_obs::stack_dir::default_project(stack.path());
    assert!(written.contains(&format!("\nproject: {expected}\n")), "{written}");
    assert_eq!(default.as_deref(), Some(expected.as_str()));
    assert_ne!(expected, "stellar-obs");
}

// ---------------------------------------------------------------------------------------
// stdout holds the JSON document and nothing else
// ---------------------------------------------------------------------------------------

#[test]
fn json_mode_puts_one_document_on_stdout_for_every_command() {
    let fresh = tempfile::tempdir().expect("tmp");
    let dir = fresh.path().join("stack");
    // init
    let r = run(bin().arg("--dir").arg(&dir).args(["init", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let files = r.json()["files"].as_array().map(Vec::len).unwrap_or(0);
    assert!(files >= 10, "{}", r.stdout);

    // validate: clean, then with an error
    let r = run(bin().arg("--dir").arg(&dir).args(["validate", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    validate_shape(&r.json());
    let broken = fresh.path().join("rules.yml");
    std::fs::write(
        &broken,
        "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: rate(x[5m]\n",
    )
    .expect("write");
    let r = run(bin().arg("validate").arg(&broken).args(["-o", "json"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.json();
    validate_shape(&v);
    assert_eq!(v["summary"]["errors"], 1, "{v}");

    // check-health: one refused component, everything else off
    let url = format!("http://127.0.0.1:{}", closed_port());
    let r = run(health(&dir, &[("pushgateway", url.clone())]).args(["-o", "json"]));
    assert_eq!(r.code, 2, "CRITICAL: {}", r.stderr);
    let v = r.json();
    health_shape(&v);
    assert_eq!(v["status"], "unhealthy");

    // dashboards import, list, export against Grafana
    let g = FakeGrafana::start(FakeConfig::default());
    let grafana = |c: &mut Command| {
        c.env("STELLAR_OBS_GRAFANA_URL", &g.url)
            .env("GRAFANA_TOKEN", g.token())
            .arg("--dir")
            .arg(&dir);
    };
    let mut c = bin();
    grafana(&mut c);
    let r = run(c.args(["dashboards", "import", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    import_shape(&v);
    let shipped = std::fs::read_dir(dir.join("grafana/dashboards")).expect("dashboards").count();
    assert!(shipped >= 2, "the connector and SLO dashboards");
    assert_eq!(v["results"].as_array().map(Vec::len), Some(shipped), "{v}");
    let mut c = bin();
    grafana(&mut c);
    let r = run(c.args(["-o", "json", "dashboards", "list"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["dashboards"].as_array().map(Vec::len), Some(shipped), "{}", r.stdout);
    let mut c = bin();
    grafana(&mut c);
    let out = fresh.path().join("export");
    let r = run(c.args(["dashboards", "export", "-o", "json", "--out"]).arg(&out));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.json().is_object());

    // completions are not a report: -o json is refused, stdout stays empty
    run(bin().args(["completions", "bash", "-o", "json"])).assert_one_error(2, &["-o json"]);
}

/// `status` and `down` (the Docker side) in JSON, on a project with no containers.
#[test]
fn json_mode_for_the_compose_commands() {
    require_docker();
    let st = TestStack::new("contract");
    let r = run(st.cmd().args(["status", "-o", "json"]));
    assert_eq!(r.code, 1, "nothing runs: {}", r.stderr);
    let v = r.json();
    status_shape(&v);
    let services = v["services"].as_array().expect("rows");
    // Every service of the compose file has a row, `missing` without a container.
    assert!(services.len() >= 9, "{v}");
    assert!(services.iter().all(|s| s["state"] == "missing" && s["uptime"].is_null()), "{v}");
    for svc in ["prometheus", "alertmanager", "grafana", "loki", "pushgateway"] {
        assert!(services.iter().any(|s| s["service"] == svc), "{svc} has no row: {v}");
    }
    let r = run(st.cmd().args(["down", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["removed"], serde_json::json!([]), "{}", r.stdout);
    // logs is a pass-through, not a report.
    run(st.cmd().args(["logs", "-o", "json"]))
        .assert_one_error(2, &["`logs` does not support -o json"]);
}

/// A command line expected to fail: its exit code and what its error must name.
struct Case {
    args: Vec<String>,
    env: Vec<(String, String)>,
    code: i32,
    names: Vec<String>,
}

impl Case {
    fn new(args: &[&str], code: i32, names: &[&str]) -> Case {
        let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        Case { args: own(args), env: Vec::new(), code, names: own(names) }
    }

    fn env(mut self, k: &str, v: &str) -> Case {
        self.env.push((k.to_string(), v.to_string()));
        self
    }
}

/// A command that fails before it has a result prints nothing on stdout, even in JSON
/// mode, and one sentence on stderr; a CI step reads the exit code and stderr.
#[test]
fn failures_leave_stdout_empty_and_say_what_and_where_in_one_sentence() {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").expect("write");
    let missing = tmp.path().join("nowhere");
    let bad_yml = tmp.path().join("bad-settings");
    std::fs::create_dir(&bad_yml).expect("mkdir");
    std::fs::write(bad_yml.join("stellar-obs.yml"), "endpoints:\n  prometheus: [1\n").expect("w");

    let (f, m) = (file.display().to_string(), missing.display().to_string());
    let (x, b) = (missing.join("x.yml").display().to_string(), bad_yml.display().to_string());
    let cases = [
        Case::new(&["--dir", &f, "status"], 2, &[&f, "not a directory"]),
        Case::new(&["validate", "--dir", &m], 2, &[&m, "not found"]),
        Case::new(&["validate", &x], 2, &[&x, "No such file or directory"]),
        Case::new(
            &["validate", "/dev/zero"],
            2,
            &["/dev/zero", "not a regular file (a character device)"],
        ),
        Case::new(&["check-health", "--dir", &b], 3, &["stellar-obs.yml:2:"]),
        Case::new(&["check-health"], 3, &["STELLAR_OBS_PROMETHEUS_URL", "http://127.0.0.1:9090"])
            .env("STELLAR_OBS_PROMETHEUS_URL", "127.0.0.1:9090"),
        Case::new(&["check-health", "--only", "prometheus,grafna"], 3, &["grafna", "grafana"]),
        Case::new(&["check-health", "--timeout", "0"], 3, &["--timeout"]),
        Case::new(&["dashboards", "list"], 1, &["Grafana is switched off"])
            .env("STELLAR_OBS_GRAFANA_URL", "off"),
        Case::new(&["dashboards", "export", "--out", &f], 2, &["--out", "not a directory"]),
        Case::new(
            &["dashboards", "list", "--grafana-url", "ftp://g"],
            2,
            &["--grafana-url", "ftp://g"],
        ),
        Case::new(&["init", "--dir", &f], 2, &[&f, "not a directory"]),
        // A --dir that is no stack is a wrong request for every command (check-health:
        // UNKNOWN, never a silent probe of the defaults).
        Case::new(&["status", "--dir", &m], 2, &[&m, "not found", " init`"]),
        Case::new(&["up", "--dir", &m], 2, &[&m, "not found"]),
        Case::new(&["down", "--dir", &m], 2, &[&m, "not found"]),
        Case::new(&["backup", "--dir", &m], 2, &[&m, "not found"]),
        Case::new(&["dashboards", "list", "--dir", &m], 2, &[&m, "not found"]),
        Case::new(&["check-health", "--dir", &m], 3, &[&m, "not found"]),
        Case::new(
            &["backup", "--only", "promethus"],
            2,
            &["`promethus`", "did you mean `prometheus`"],
        ),
    ];
    for case in cases {
        for json in [false, true] {
            let mut c = bin();
            c.current_dir(tmp.path()).args(&case.args).envs(case.env.iter().cloned());
            if json {
                c.args(["-o", "json"]);
            }
            let needles: Vec<&str> = case.names.iter().map(String::as_str).collect();
            let r = run(&mut c);
            eprintln!("{:?} json={json}: {}", case.args, r.stderr.trim());
            r.assert_one_error(case.code, &needles);
        }
    }
}

/// Grafana URLs that answer, but not as Grafana: said so, not "cannot reach".
#[test]
fn a_grafana_url_that_is_not_grafana_is_named_as_such() {
    let html = TestServer::always(Response::new(
        200,
        "text/html",
        "<!doctype html><html><head><title>Sign in</title></head><body></body></html>",
    ));
    let r = run(bin().env("STELLAR_OBS_GRAFANA_URL", html.url()).args(["dashboards", "list"]));
    r.assert_one_error(
        1,
        &[&format!("{} does not look like Grafana", html.url()), "HTML page", "Sign in"],
    );
    let r = run(bin()
        .env("STELLAR_OBS_GRAFANA_URL", format!("http://127.0.0.1:{}", closed_port()))
        .args(["dashboards", "list", "-o", "json"]));
    r.assert_one_error(
        1,
        &[
            "cannot reach Grafana",
            "connection refused",
            "stellar-obs up --services grafana",
            "--grafana-url",
        ],
    );
}

// ---------------------------------------------------------------------------------------
// Exit codes
// ---------------------------------------------------------------------------------------

/// Help is 0 everywhere; a bad command line is 2 (usage), except for `check-health`, a
/// monitoring plugin, where it is 3 (UNKNOWN): 2 would read as CRITICAL.
#[test]
fn help_is_0_and_bad_command_lines_are_2_or_unknown_for_check_health() {
    use clap::CommandFactory;
    let root = stellar_obs::cli::Cli::command();
    let mut paths: Vec<Vec<String>> = Vec::new();
    for sub in root.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_name().to_string();
        if name == "help" {
            continue;
        }
        paths.push(vec![name.clone()]);
        for nested in sub.get_subcommands().filter(|s| s.get_name() != "help") {
            paths.push(vec![name.clone(), nested.get_name().to_string()]);
        }
    }
    assert!(paths.len() >= 15, "{paths:?}");
    for p in &paths {
        let r = run(bin().args(p).arg("--help"));
        assert_eq!(r.code, 0, "{p:?} --help: {}", r.stderr);
        assert!(r.stdout.contains("Usage: stellar-obs"), "{p:?}: {}", r.stdout);
        let r = run(bin().args(p).arg("--no-such-flag"));
        let want = if p[0] == "check-health" { 3 } else { 2 };
        assert_eq!(r.code, want, "{p:?} --no-such-flag: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{p:?}: usage errors go to stderr");
        assert!(r.stderr.contains("--no-such-flag"), "{p:?}: {}", r.stderr);
    }
    // Values clap cannot take are usage errors too.
    for args in [
        vec!["up", "--timeout", "0"],
        vec!["up", "--timeout", "-5"],
        vec!["dashboards", "import", "--concurrency", "0"],
        vec!["validate", "--kind", "nonsense"],
        vec!["-o", "yaml", "status"],
    ] {
        let r = run(bin().args(&args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
    }
    let r = run(bin().args(["check-health", "-o", "yaml"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    // A format the command does not have is the same wrong request as one clap does not
    // know: 2 whichever way it is refused.
    let stack = init_stack();
    for args in [
        vec!["status", "-o", "sarif"],
        vec!["status", "-o", "yaml"],
        vec!["backup", "-o", "github"],
        vec!["init", "-o", "sarif"],
        vec!["down", "-o", "prometheus"],
        vec!["dashboards", "list", "-o", "sarif"],
    ] {
        let r = run(bin().arg("--dir").arg(stack.path()).args(&args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
    }
    let r = run(bin().arg("--dir").arg(stack.path()).args(["check-health", "-o", "sarif"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
}

/// The check-health codes a monitoring system acts on: 0 OK, 1 WARNING, 2 CRITICAL,
/// 3 UNKNOWN, with the first line of the human output saying the same word.
#[test]
fn check_health_exit_codes_match_the_plugin_words() {
    let d = tempfile::tempdir().expect("tmp");
    let degraded_host = tempfile::tempdir().expect("tmp");
    std::fs::write(
        degraded_host.path().join("stellar-obs.yml"),
        "thresholds:\n  memory_percent: 0\n",
    )
    .expect("w");
    let refused = format!("http://127.0.0.1:{}", closed_port());
    let loki_refused = [("loki", refused)];
    // (stack directory, --only, components switched on, exit code, first word)
    type HealthCase<'a> = (&'a Path, &'a str, &'a [(&'a str, String)], i32, &'a str);
    let cases: [HealthCase; 4] = [
        (d.path(), "prometheus", &[], 0, "OK: "),
        (degraded_host.path(), "host", &[], 1, "WARNING: "),
        (d.path(), "loki", &loki_refused, 2, "CRITICAL: "),
        (d.path(), "lokki", &[], 3, ""),
    ];
    for (dir, only, on, code, word) in cases {
        let r = run(health(dir, on).args(["--only", only]));
        assert_eq!(r.code, code, "--only {only}: {}{}", r.stdout, r.stderr);
        assert!(r.stdout.starts_with(word), "--only {only}: {}", r.stdout);
    }
}

// ---------------------------------------------------------------------------------------
// Environment: endpoints, `off`, credentials
// ---------------------------------------------------------------------------------------

/// Every `STELLAR_OBS_<COMPONENT>_URL` of the contract moves its component, and `off`
/// turns its check into `skipped`.
#[test]
fn every_component_url_can_be_overridden_and_switched_off() {
    let d = tempfile::tempdir().expect("tmp");
    let port = closed_port();
    // A distinct loopback address per component, so each row shows it was moved.
    let on: Vec<(&str, String)> = COMPONENT_VARS
        .iter()
        .enumerate()
        .map(|(i, (c, _))| (*c, format!("http://127.0.0.{}:{port}", 10 + i)))
        .collect();
    let r = run(health(d.path(), &on).args(["--timeout", "2", "-o", "json"]));
    let v = r.json();
    health_shape(&v);
    for (i, (component, var)) in COMPONENT_VARS.iter().enumerate() {
        let row = v["checks"]
            .as_array()
            .and_then(|a| a.iter().find(|c| c["component"] == *component))
            .unwrap_or_else(|| panic!("no row for {component}: {v}"));
        let host = format!("127.0.0.{}", 10 + i);
        assert!(
            row["url"].as_str().is_some_and(|u| u.contains(&host))
                || row["message"].as_str().is_some_and(|m| m.contains(&host)),
            "{var} did not move {component}: {row}"
        );
        assert_eq!(row["status"], "unhealthy", "{row}");
    }
    // (`host` is left out: it measures this machine, which may be busy.)
    let all: Vec<&str> = COMPONENT_VARS.iter().map(|(c, _)| *c).collect();
    let r = run(health(d.path(), &[]).args(["-o", "json", "--only", &all.join(",")]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    for (component, _) in COMPONENT_VARS {
        let row =
            v["checks"].as_array().and_then(|a| a.iter().find(|c| c["component"] == component));
        assert_eq!(row.map(|r| r["status"].clone()), Some("skipped".into()), "{component}: {v}");
    }
}

/// No option takes a password, token or key: credentials come from the environment or
/// the stack's `.env`, never from argv (where `ps` and shell history would show them).
#[test]
fn no_option_takes_a_credential() {
    use clap::CommandFactory;
    fn walk(c: &clap::Command, path: &str, found: &mut Vec<String>) {
        for a in c.get_arguments() {
            let name = a.get_long().unwrap_or_else(|| a.get_id().as_str()).to_ascii_lowercase();
            if ["password", "passwd", "token", "api-key", "apikey", "credential"]
                .iter()
                .any(|w| name.contains(w))
            {
                found.push(format!("{path} --{name}"));
            }
        }
        for s in c.get_subcommands() {
            walk(s, &format!("{path} {}", s.get_name()), found);
        }
    }
    let mut found = Vec::new();
    walk(&stellar_obs::cli::Cli::command(), "stellar-obs", &mut found);
    assert!(found.is_empty(), "options that take credentials: {found:?}");
}

// ---------------------------------------------------------------------------------------
// Terminals: colour, width, progress
// ---------------------------------------------------------------------------------------

/// Run `args` with stdout and stderr on a pseudo-terminal (util-linux `script`).
fn on_a_terminal(args: &[String], env: &[(&str, &str)]) -> (i32, String) {
    let script = require_tool("script");
    let bin = assert_cmd::cargo::cargo_bin("stellar-obs");
    let quoted: Vec<String> = std::iter::once(bin.display().to_string())
        .chain(args.iter().cloned())
        .map(|a| stellar_obs::settings::shell_quote(&a))
        .collect();
    let mut c = std::process::Command::new(script);
    c.args(["-q", "-e", "-c", &quoted.join(" "), "/dev/null"]);
    crate::common::clean_env(&mut c);
    c.env_remove("NO_COLOR").env("TERM", "xterm-256color").envs(env.iter().copied());
    let out = c.output().expect("script runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"))
}

/// An SGR (colour) escape sequence: ESC [ digits/semicolons m. Cursor movement of progress
/// lines (ESC [ 2K) is not colour.
fn has_colour(s: &str) -> bool {
    s.split('\x1b').skip(1).any(|rest| {
        rest.strip_prefix('[').is_some_and(|r| {
            let params = r.bytes().take_while(|b| b.is_ascii_digit() || *b == b';').count();
            r.as_bytes().get(params) == Some(&b'm')
        })
    })
}

/// Colour only on a terminal and without NO_COLOR/--no-color/TERM=dumb; a table wider
/// than the terminal is wrapped to it there, and never when stdout is not a terminal.
#[test]
fn colour_and_table_width_follow_the_terminal() {
    let d = tempfile::tempdir().expect("tmp");
    let url = format!("http://127.0.0.1:{}", closed_port());
    let mut args = vec!["check-health".to_string(), "--only".into(), "connector".into()];
    args.extend(["--dir".to_string(), d.path().display().to_string()]);
    let env_url = [("STELLAR_OBS_CONNECTOR_URL", url.as_str()), ("COLUMNS", "64")];

    let (code, tty) = on_a_terminal(&args, &env_url);
    assert_eq!(code, 2, "{tty}");
    assert!(tty.contains("\x1b[31m") && has_colour(&tty), "colour on a terminal:\n{tty:?}");
    let plain = tty.replace("\x1b[31m", "").replace("\x1b[39m", "").replace("\x1b[0m", "");
    let widest = plain.lines().filter(|l| l.starts_with('│')).map(|l| l.chars().count()).max();
    // Fitted to 64 columns as far as whole tokens allow: the URL is never split, so the
    // message column is at least as wide as `http://…/metrics]` (issue 11, item 10).
    let token = format!("{url}/metrics]");
    let least = 3 * 4 + 1 + "COMPONENT".len() + "unhealthy".len() + "LATENCY".len() + token.len();
    assert!(widest.is_some_and(|w| w <= 64.max(least)), "table not fitted to COLUMNS=64:\n{plain}");
    assert!(plain.lines().any(|l| l.contains(&token)), "the URL was split:\n{plain}");
    assert!(
        plain.lines().filter(|l| l.starts_with('│')).count() > 2,
        "the message was not wrapped:\n{plain}"
    );

    for (k, v) in [("NO_COLOR", "1"), ("TERM", "dumb")] {
        let mut env = env_url.to_vec();
        env.push((k, v));
        let (_, out) = on_a_terminal(&args, &env);
        assert!(!has_colour(&out), "{k}={v} still coloured:\n{out:?}");
        if k == "TERM" {
            // A dumb terminal cannot move the cursor: no progress line drawing at all.
            assert!(!out.contains('\x1b'), "TERM=dumb got control sequences:\n{out:?}");
        }
    }
    let mut no_color = args.clone();
    no_color.push("--no-color".into());
    let (_, out) = on_a_terminal(&no_color, &env_url);
    assert!(!has_colour(&out), "--no-color still coloured:\n{out:?}");

    // Piped: no colour even without NO_COLOR, and the long message is whole on one line.
    let r = run(bin()
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color")
        .env("COLUMNS", "64")
        .env("STELLAR_OBS_CONNECTOR_URL", &url)
        .args(&args));
    assert_eq!(r.code, 2);
    assert!(!r.stdout.contains('\x1b') && !r.stderr.contains('\x1b'), "{r:?}");
    let message = format!("connection refused (nothing listens there) [GET {url}/metrics]");
    assert!(r.stdout.contains(&message), "cut or wrapped when piped:\n{}", r.stdout);
}

// ---------------------------------------------------------------------------------------
// Suggested commands
// ---------------------------------------------------------------------------------------

/// A message that suggests a command suggests one that works when pasted: with the
/// `--dir` and `--project` of the run that printed it.
#[test]
fn suggested_commands_carry_the_stack_directory_and_project() {
    let stack = init_stack();
    let d = stack.path();
    std::fs::write(d.join("prometheus/prometheus.yml"), "# changed\n").expect("write");
    let r = run(bin().arg("--dir").arg(d).arg("init"));
    assert_eq!(r.code, 1);
    let want = format!("`stellar-obs --dir {} init --force`", d.display());
    assert!(r.stdout.contains(&want), "{want} not in:\n{}", r.stdout);

    require_docker();
    let st = TestStack::new("suggest");
    let prefix = format!("stellar-obs --dir {} --project {}", st.path().display(), st.project);
    let r = run(st.cmd().args(["restart", "prometheus"]));
    r.assert_one_error(1, &[&format!("`{prefix} up --services prometheus`")]);
    // A volume of the project: `down --volumes` refuses and says how to go ahead.
    let volume = format!("{}_prometheus_data", st.project);
    let created = std::process::Command::new("docker")
        .args(["volume", "create", "--label"])
        .arg(format!("com.docker.compose.project={}", st.project))
        .args(["--label", "com.docker.compose.volume=prometheus_data", &volume])
        .output()
        .expect("docker volume create");
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    // Not made by this stack (its state file does not remember it): refused, and the way to
    // claim it carries the flags too.
    let r = run(st.cmd().args(["down", "--volumes", "--yes"]));
    r.assert_one_error(1, &[&format!("`{prefix} up --claim-volumes`")]);
    // Remembered as this stack's: listed, with the commands to go ahead.
    let state = serde_json::json!({ "volumes": [volume] }).to_string();
    std::fs::write(st.path().join(".stellar-obs-state.json"), state).expect("state");
    let r = run(st.cmd().args(["down", "--volumes"]));
    let _ = std::process::Command::new("docker").args(["volume", "rm", "-f", &volume]).output();
    assert_eq!(r.code, 1, "{}", r.stderr);
    for want in [format!("`{prefix} down --volumes --yes`"), format!("`{prefix} down`")] {
        assert!(r.stdout.contains(&want), "{want} not in:\n{}", r.stdout);
    }
}
