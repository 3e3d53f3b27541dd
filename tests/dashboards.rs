//! `stellar-obs dashboards import|export|list`: the real binary against the fake Grafana
//! (`common/fake_grafana.rs`), plus the Grafana client against the fake.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::{Value, json};

use crate::common::fake_grafana::{FakeConfig, FakeGrafana};
use crate::common::{bin, conformance_dir};

/// The binary pointed at `g` with its token and a stack directory.
fn cmd(g: &FakeGrafana, stack: &Path) -> Command {
    let mut c = bin();
    c.env("STELLAR_OBS_GRAFANA_URL", &g.url)
        .env("GRAFANA_TOKEN", g.token())
        .arg("--dir")
        .arg(stack);
    c
}

/// Run `dashboards <args> -o json`; exit code and the JSON document.
fn run_json(g: &FakeGrafana, stack: &Path, args: &[&str]) -> (i32, Value) {
    let out =
        cmd(g, stack).arg("dashboards").args(args).args(["-o", "json"]).output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let v: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {stdout}\nstderr: {}", String::from_utf8_lossy(&out.stderr))
    });
    (out.status.code().unwrap_or(-1), v)
}

fn import(g: &FakeGrafana, stack: &Path, args: &[&str]) -> (i32, Vec<Value>) {
    let mut a = vec!["import"];
    a.extend_from_slice(args);
    let (code, v) = run_json(g, stack, &a);
    let rows = v["results"].as_array().cloned().unwrap_or_else(|| panic!("no results: {v}"));
    (code, rows)
}

fn actions(rows: &[Value]) -> Vec<String> {
    rows.iter().map(|r| r["action"].as_str().unwrap_or("?").to_string()).collect()
}

fn all(rows: &[Value], action: &str) -> bool {
    !rows.is_empty() && rows.iter().all(|r| r["action"] == action)
}

fn write(path: &Path, v: &Value) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).expect("mkdir");
    }
    std::fs::write(path, serde_json::to_string_pretty(v).expect("json")).expect("write");
}

fn dash(uid: Option<&str>, title: &str, expr: &str) -> Value {
    let mut v = json!({
        "title": title,
        "schemaVersion": 39,
        "tags": ["stellar"],
        "panels": [{"id": 1, "type": "timeseries", "title": "p", "targets": [{"expr": expr, "refId": "A"}]}],
        "time": {"from": "now-6h", "to": "now"}
    });
    if let Some(u) = uid {
        v["uid"] = json!(u);
    }
    v
}

/// Without id/version/iteration, keys sorted by serde_json's map.
fn normalized(v: &Value) -> Value {
    let mut v = v.clone();
    if let Value::Object(m) = &mut v {
        for k in ["id", "version", "iteration"] {
            m.remove(k);
        }
    }
    v
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("tmp")
}

// ---------------------------------------------------------------------------------------------
// import

#[test]
fn first_import_creates_second_is_unchanged_and_posts_nothing() {
    let g = FakeGrafana::start(FakeConfig::default());
    let d = tmp();
    let files = d.path().join("files");
    write(&files.join("a.json"), &dash(Some("dash-a"), "A", "up"));
    write(&files.join("b.json"), &dash(Some("dash-b"), "B", "rate(x[5m])"));
    write(&files.join("c.json"), &dash(None, "No Uid Here", "sum(y)"));
    let files_s = files.to_str().expect("utf-8");

    let (code, rows) = import(&g, d.path(), &[files_s, "--folder", "Ops/Prod"]);
    assert_eq!(code, 0, "{rows:?}");
    assert!(all(&rows, "created"), "{rows:?}");
    assert_eq!(g.dashboards().len(), 3);
    for r in &rows {
        assert_eq!(r["folder"], "Ops/Prod");
        assert_eq!(r["version"], 1);
        let keys: Vec<&String> = r.as_object().expect("obj").keys().collect();
        assert_eq!(keys, ["action", "folder", "message", "path", "title", "uid", "version"]);
    }
    // The uid-less file got a stable derived uid, and the dashboard is in Ops/Prod.
    let c = rows.iter().find(|r| r["title"] == "No Uid Here").expect("c");
    let c_uid = c["uid"].as_str().expect("uid").to_string();
    assert!(c_uid.starts_with("no-uid-here-"), "{c_uid}");
    let stored = g.dashboard(&c_uid).expect("stored");
    assert_eq!(g.folder_path(stored.folder_uid.as_deref()), "Ops/Prod");
    assert_eq!(g.requests("POST /api/folders"), 2);

    g.reset_counters();
    let (code, rows) = import(&g, d.path(), &[files_s, "--folder", "Ops/Prod"]);
    assert_eq!(code, 0);
    assert!(all(&rows, "unchanged"), "{rows:?}");
    assert_eq!(
        rows.iter().find(|r| r["title"] == "No Uid Here").expect("c")["uid"],
        c_uid.as_str()
    );
    assert_eq!(g.requests("POST /api/dashboards/db"), 0);
    assert_eq!(g.requests("POST /api/folders"), 0);
    assert!(g.dashboards().iter().all(|x| x.version == 1 && x.saves == 1));
}

#[test]
fn a_changed_dashboard_is_a_conflict_unless_overwrite() {
    let g = FakeGrafana::start(FakeConfig::default());
    let d = tmp();
    let f = d.path().join("a.json");
    write(&f, &dash(Some("dash-a"), "A", "up"));
    let fs = f.to_str().expect("utf-8");
    assert_eq!(import(&g, d.path(), &[fs]).0, 0);

    // Someone edits it in Grafana: version 2.
    g.edit_dashboard("dash-a", |m| m["panels"][0]["title"] = json!("edited in the UI"));
    let (code, rows) = import(&g, d.path(), &[fs]);
    assert_eq!(code, 1);
    assert_eq!(actions(&rows), ["failed"]);
    let msg = rows[0]["message"].as_str().expect("msg");
    assert!(
        msg.contains("conflict") && msg.contains("--overwrite") && msg.contains("version 2"),
        "{msg}"
    );
    let kept = g.dashboard("dash-a").expect("a");
    assert_eq!(kept.version, 2);
    assert_eq!(kept.model["panels"][0]["title"], "edited in the UI");

    let (code, rows) = import(&g, d.path(), &[fs, "--overwrite"]);
    assert_eq!(code, 0, "{rows:?}");
    assert_eq!(actions(&rows), ["updated"]);
    assert_eq!(rows[0]["version"], 3);
    let now = g.dashboard("dash-a").expect("a");
    assert_eq!(now.version, 3);
    assert_eq!(normalized(&now.model), normalized(&dash(Some("dash-a"), "A", "up")));

    // A local edit is a conflict too; moving to another folder as well.
    write(&f, &dash(Some("dash-a"), "A", "up == 1"));
    let (code, rows) = import(&g, d.path(), &[fs]);
    assert_eq!((code, actions(&rows)), (1, vec!["failed".to_string()]));
    write(&f, &dash(Some("dash-a"), "A", "up"));
    let (code, rows) = import(&g, d.path(), &[fs, "--folder", "Elsewhere"]);
    assert_eq!(code, 1);
    assert!(rows[0]["message"].as_str().expect("m").contains("folder"), "{rows:?}");
    assert_eq!(g.dashboard("dash-a").expect("a").version, 3);
}

#[test]
fn nested_folders_are_created_once_under_concurrency() {
    let g = FakeGrafana::start(FakeConfig {
        latency: Duration::from_millis(5),
        ..FakeConfig::default()
    });
    g.add_folder("existing-a", "A", None);
    let d = tmp();
    let files = d.path().join("many");
    for i in 0..40 {
        write(
            &files.join(format!("d{i:02}.json")),
            &dash(Some(&format!("many-{i}")), &format!("Dash {i}"), "up"),
        );
    }
    let (code, rows) = import(
        &g,
        d.path(),
        &[files.to_str().expect("utf-8"), "--folder", "A/B/C", "--concurrency", "8"],
    );
    assert_eq!(code, 0, "{rows:?}");
    assert!(all(&rows, "created"));
    // A existed (reused by title), B and C created exactly once each.
    assert_eq!(g.requests("POST /api/folders"), 2);
    let folders = g.folders();
    assert_eq!(folders.len(), 3);
    let c = folders.iter().find(|f| f.title == "C").expect("C");
    assert_eq!(g.folder_path(Some(&c.uid)), "A/B/C");
    assert!(g.dashboards().iter().all(|x| x.folder_uid.as_deref() == Some(c.uid.as_str())));
    assert!(g.max_in_flight() > 1, "requests were not concurrent");
    assert!(g.max_in_flight() <= 8, "pool bound exceeded: {}", g.max_in_flight());
}

#[test]
fn concurrency_is_bounded() {
    let g = FakeGrafana::start(FakeConfig {
        latency: Duration::from_millis(10),
        ..FakeConfig::default()
    });
    let d = tmp();
    for i in 0..12 {
        write(
            &d.path().join(format!("x/{i}.json")),
            &dash(Some(&format!("b-{i}")), &format!("B{i}"), "up"),
        );
    }
    let x = d.path().join("x");
    let (code, _) = import(&g, d.path(), &[x.to_str().expect("utf-8"), "--concurrency", "3"]);
    assert_eq!(code, 0);
    assert!(g.max_in_flight() <= 3, "max in flight {}", g.max_in_flight());
    assert!(g.max_in_flight() >= 2, "max in flight {}", g.max_in_flight());
}

#[test]
fn provisioned_dashboard_is_skipped_from_the_default_path() {
    let g = FakeGrafana::start(FakeConfig::default());
    g.add_folder("stellar", "Stellar", None);
    let provisioned = dash(Some("stellar-connector"), "Stellar Connector", "up");
    g.add_provisioned_dashboard(
        provisioned.clone(),
        Some("stellar"),
        "stellar-connector-dashboard.json",
    );
    let stack = tmp();
    // The stack's default dashboards directory, with a locally changed copy.
    write(
        &stack.path().join("grafana/dashboards/stellar-connector-dashboard.json"),
        &dash(Some("stellar-connector"), "Stellar Connector", "changed locally"),
    );
    write(&stack.path().join("grafana/dashboards/extra.json"), &dash(Some("extra"), "Extra", "up"));
    let (code, rows) = import(&g, stack.path(), &[]);
    assert_eq!(code, 0, "{rows:?}");
    let r = rows.iter().find(|r| r["uid"] == "stellar-connector").expect("row");
    assert_eq!(r["action"], "skipped");
    assert!(r["message"].as_str().expect("m").contains("provisioned"), "{r}");
    assert_eq!(r["folder"], "Stellar");
    assert_eq!(rows.iter().find(|r| r["uid"] == "extra").expect("extra")["action"], "created");
    let kept = g.dashboard("stellar-connector").expect("kept");
    assert_eq!(kept.version, 1);
    assert_eq!(normalized(&kept.model), normalized(&provisioned));
    // Even --overwrite leaves it alone.
    let (_, rows) = import(&g, stack.path(), &["--overwrite"]);
    assert_eq!(
        rows.iter().find(|r| r["uid"] == "stellar-connector").expect("r")["action"],
        "skipped"
    );
    assert_eq!(g.requests("POST /api/dashboards/db"), 1);
}

#[test]
fn missing_default_directory_is_a_clear_error() {
    let g = FakeGrafana::start(FakeConfig::default());
    let stack = tmp();
    let out = cmd(&g, stack.path()).args(["dashboards", "import"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    // The suggested command names the directory this run used, so it can be pasted as is.
    let init = format!("stellar-obs --dir {} init", stack.path().display());
    assert!(err.contains("grafana/dashboards") && err.contains(&init), "{err}");
}

fn template(uid: &str) -> Value {
    json!({
        "__inputs": [
            {"name": "DS_PROMETHEUS", "label": "Prometheus", "type": "datasource", "pluginId": "prometheus", "pluginName": "Prometheus"},
            {"name": "DS_EXPRESSION", "label": "Expression", "type": "datasource", "pluginId": "__expr__"},
            {"name": "VAR_JOB", "type": "constant", "value": "stellar"}
        ],
        "__requires": [{"type": "datasource", "id": "prometheus", "name": "Prometheus", "version": "1.0.0"}],
        "uid": uid,
        "title": format!("Template {uid}"),
        "panels": [{"id": 1, "type": "stat", "datasource": {"type": "prometheus", "uid": "${DS_PROMETHEUS}"},
                    "targets": [{"expr": "up{job=\"${VAR_JOB}\"}", "refId": "A", "datasource": {"uid": "${DS_PROMETHEUS}"}}]}],
        "templating": {"list": [{"name": "ds", "type": "datasource", "query": "prometheus", "current": {"value": "${DS_PROMETHEUS}"}}]}
    })
}

#[test]
fn inputs_are_resolved_and_imported_through_the_import_api() {
    let g = FakeGrafana::start(FakeConfig::default());
    g.add_datasource("prom-main", "Prometheus", "prometheus");
    g.add_datasource("loki", "Loki", "loki");
    let d = tmp();
    let f = d.path().join("t.json");
    write(&f, &template("tpl-1"));
    let fs = f.to_str().expect("utf-8");
    let (code, rows) = import(&g, d.path(), &[fs]);
    assert_eq!(code, 0, "{rows:?}");
    assert_eq!(actions(&rows), ["created"]);
    assert_eq!(rows[0]["version"], 1);
    assert_eq!(g.requests("POST /api/dashboards/import"), 1);
    assert_eq!(g.requests("POST /api/dashboards/db"), 0);
    let stored = g.dashboard("tpl-1").expect("stored").model;
    assert!(stored.get("__inputs").is_none() && stored.get("__requires").is_none());
    assert_eq!(stored["panels"][0]["datasource"]["uid"], "prom-main");
    assert_eq!(stored["panels"][0]["targets"][0]["expr"], "up{job=\"stellar\"}");
    assert!(!stored.to_string().contains("${DS_PROMETHEUS}"));

    // Importing the template again compares the substituted model: unchanged.
    let (code, rows) = import(&g, d.path(), &[fs]);
    assert_eq!((code, actions(&rows)), (0, vec!["unchanged".to_string()]));
    assert_eq!(g.requests("POST /api/dashboards/import"), 1);

    // A second Prometheus makes the input ambiguous: the error names it and the fix.
    g.add_datasource("prom-other", "Prometheus 2", "prometheus");
    let f2 = d.path().join("t2.json");
    write(&f2, &template("tpl-2"));
    let f2s = f2.to_str().expect("utf-8");
    let (code, rows) = import(&g, d.path(), &[f2s]);
    assert_eq!(code, 1);
    let msg = rows[0]["message"].as_str().expect("m");
    assert!(
        msg.contains("DS_PROMETHEUS") && msg.contains("ambiguous") && msg.contains("--datasource"),
        "{msg}"
    );
    let (code, rows) = import(&g, d.path(), &[f2s, "--datasource", "DS_PROMETHEUS=prom-other"]);
    assert_eq!((code, actions(&rows)), (0, vec!["created".to_string()]), "{rows:?}");
    assert_eq!(
        g.dashboard("tpl-2").expect("t2").model["panels"][0]["datasource"]["uid"],
        "prom-other"
    );

    // No datasource of the type at all.
    let g2 = FakeGrafana::start(FakeConfig::default());
    let (code, rows) = import(&g2, d.path(), &[fs]);
    assert_eq!(code, 1);
    let msg = rows[0]["message"].as_str().expect("m");
    assert!(msg.contains("DS_PROMETHEUS") && msg.contains("none"), "{msg}");
    assert!(g2.dashboards().is_empty());
}

#[test]
fn same_title_in_a_folder_depends_on_the_grafana_version() {
    for (version, unique) in [("10.4.0", true), ("11.2.0", true), ("11.6.0", false)] {
        let g = FakeGrafana::start(FakeConfig::version(version));
        g.add_dashboard(dash(Some("theirs"), "Same Title", "theirs"), None);
        let d = tmp();
        let f = d.path().join("mine.json");
        write(&f, &dash(Some("mine"), "Same Title", "mine"));
        let fs = f.to_str().expect("utf-8");
        let (code, rows) = import(&g, d.path(), &[fs, "--overwrite"]);
        let theirs = g.dashboard("theirs").expect("theirs kept");
        assert_eq!(theirs.version, 1, "{version}: the other dashboard was touched");
        assert_eq!(theirs.model["panels"][0]["targets"][0]["expr"], "theirs");
        if unique {
            assert_eq!(code, 1, "{version}: {rows:?}");
            let msg = rows[0]["message"].as_str().expect("m");
            assert!(
                msg.contains(version) && msg.contains("unique") && msg.contains("theirs"),
                "{msg}"
            );
            assert!(g.dashboard("mine").is_none());
        } else {
            assert_eq!((code, actions(&rows)), (0, vec!["created".to_string()]), "{version}");
            assert_eq!(g.dashboards().len(), 2);
        }
    }
}

#[test]
fn a_uidless_file_is_not_matched_by_title() {
    let g = FakeGrafana::start(FakeConfig::version("11.6.0"));
    g.add_dashboard(dash(Some("made-in-ui"), "Overview", "ui"), None);
    let d = tmp();
    let f = d.path().join("overview.json");
    write(&f, &dash(None, "Overview", "file"));
    let (code, rows) = import(&g, d.path(), &[f.to_str().expect("utf-8"), "--overwrite"]);
    assert_eq!(code, 1);
    let msg = rows[0]["message"].as_str().expect("m");
    assert!(msg.contains("made-in-ui") && msg.contains("\"uid\""), "{msg}");
    assert_eq!(g.dashboards().len(), 1);
    assert_eq!(g.dashboard("made-in-ui").expect("ui").version, 1);
}

#[test]
fn nested_folders_need_grafana_11() {
    let g = FakeGrafana::start(FakeConfig::version("10.4.0"));
    let d = tmp();
    let f = d.path().join("a.json");
    write(&f, &dash(Some("a"), "A", "up"));
    let fs = f.to_str().expect("utf-8");
    let (code, rows) = import(&g, d.path(), &[fs, "--folder", "Team/Sub"]);
    assert_eq!(code, 1);
    let msg = rows[0]["message"].as_str().expect("m");
    assert!(msg.contains("10.4.0") && msg.contains("nest"), "{msg}");
    assert!(g.dashboard("a").is_none());
    let (code, rows) = import(&g, d.path(), &[fs, "--folder", "Team"]);
    assert_eq!((code, actions(&rows)), (0, vec!["created".to_string()]), "{rows:?}");
}

#[test]
fn bad_files_fail_alone() {
    let g = FakeGrafana::start(FakeConfig::default());
    let d = tmp();
    let dir = d.path().join("in");
    write(&dir.join("1-good.json"), &dash(Some("good"), "Good", "up"));
    std::fs::write(dir.join("2-broken.json"), "{\"title\": ").expect("w");
    write(&dir.join("3-dup.json"), &dash(Some("good"), "Good copy", "up"));
    write(&dir.join("4-notitle.json"), &json!({"panels": []}));
    let (code, rows) = import(&g, d.path(), &[dir.to_str().expect("utf-8")]);
    assert_eq!(code, 1);
    assert_eq!(actions(&rows), ["created", "failed", "failed", "failed"]);
    assert!(rows[1]["message"].as_str().expect("m").contains("not valid JSON"));
    assert!(rows[2]["message"].as_str().expect("m").contains("1-good.json"));
    assert!(rows[3]["message"].as_str().expect("m").contains("title"));
}

#[test]
fn grafana_errors_are_retried_only_when_transient() {
    let g = FakeGrafana::start(FakeConfig::default());
    let d = tmp();
    let f = d.path().join("a.json");
    write(&f, &dash(Some("a"), "A", "up"));
    let fs = f.to_str().expect("utf-8");
    g.fail_next("GET /api/dashboards/uid/{uid}", 503, 2);
    let (code, rows) = import(&g, d.path(), &[fs]);
    assert_eq!((code, actions(&rows)), (0, vec!["created".to_string()]), "{rows:?}");
    assert_eq!(g.requests("GET /api/dashboards/uid/{uid}"), 3);

    // A 4xx is final: one request, Grafana's message shown.
    let f2 = d.path().join("b.json");
    write(&f2, &dash(Some("b"), "B", "up"));
    g.fail_next("POST /api/dashboards/db", 400, 1);
    g.reset_counters();
    let (code, rows) = import(&g, d.path(), &[f2.to_str().expect("utf-8")]);
    assert_eq!(code, 1);
    assert!(rows[0]["message"].as_str().expect("m").contains("injected failure"), "{rows:?}");
    assert_eq!(g.requests("POST /api/dashboards/db"), 1);
}

#[test]
fn credentials_and_org() {
    let g = FakeGrafana::start(FakeConfig::default());
    let stack = tmp();
    // A wrong token: 401 with Grafana's words and which credentials were sent, never the secret.
    let out = bin()
        .env("STELLAR_OBS_GRAFANA_URL", &g.url)
        .env("GRAFANA_TOKEN", "glsa_wrong_secret")
        .args(["dashboards", "list", "--dir"])
        .arg(stack.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("401") && err.contains("invalid API key") && err.contains("GRAFANA_TOKEN"),
        "{err}"
    );
    assert!(!err.contains("glsa_wrong_secret"));

    // Basic auth from GRAFANA_USER/GRAFANA_PASSWORD, and the org header.
    bin()
        .env("STELLAR_OBS_GRAFANA_URL", &g.url)
        .env("GRAFANA_USER", "admin")
        .env("GRAFANA_PASSWORD", "admin-password")
        .args(["dashboards", "list", "--org-id", "2", "--dir"])
        .arg(stack.path())
        .assert()
        .success();
    let log = g.log();
    let search = log.iter().rfind(|r| r.route == "/api/search").expect("searched");
    assert_eq!(search.org_id.as_deref(), Some("2"));

    // The stack's .env admin password when nothing is set.
    let st = crate::common::init_stack();
    let env = std::fs::read_to_string(st.path().join(".env")).expect(".env");
    let pw = env
        .lines()
        .find_map(|l| l.strip_prefix("GF_SECURITY_ADMIN_PASSWORD="))
        .expect("admin password in .env")
        .trim_matches('"')
        .to_string();
    let g2 = FakeGrafana::start(FakeConfig {
        users: vec![("admin".into(), pw)],
        tokens: vec![],
        ..FakeConfig::default()
    });
    bin()
        .env("STELLAR_OBS_GRAFANA_URL", &g2.url)
        .args(["dashboards", "list", "--dir"])
        .arg(st.path())
        .assert()
        .success();
}

#[test]
fn unreachable_grafana_names_the_url() {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", l.local_addr().expect("addr"));
    drop(l);
    let stack = tmp();
    let out = bin()
        .env("STELLAR_OBS_GRAFANA_URL", &url)
        .args(["dashboards", "list", "--dir"])
        .arg(stack.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&url) && err.contains("connection refused"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// export, list

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    fn walk(d: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    walk(dir, &mut out);
    out.sort();
    out
}

#[test]
fn export_pages_through_everything_and_round_trips() {
    let g = FakeGrafana::start(FakeConfig::default());
    g.add_folder("ops", "Ops", None);
    g.add_folder("prod", "Prod / EU", Some("ops"));
    g.add_folder("team", "Team", None);
    g.add_datasource("prom", "Prometheus", "prometheus");
    g.update_datasource("prom", |d| {
        d.secure_json_data.insert("basicAuthPassword".into(), "s3cret-value".into());
        d.read_only = true;
    });
    let folders = [None, Some("ops"), Some("prod"), Some("team")];
    for i in 0..1200 {
        let title = if i == 7 { "Same Name".to_string() } else { format!("Dash {i:04}") };
        g.add_dashboard(
            dash(Some(&format!("u{i:04}")), &title, &format!("up{{i=\"{i}\"}}")),
            folders[i % 4],
        );
    }
    g.add_dashboard(dash(Some("same-2"), "Same Name", "other"), None);
    let out = tmp();
    let stack = tmp();
    let o = out.path().to_str().expect("utf-8");
    let (code, v) = run_json(&g, stack.path(), &["export", "--out", o]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["dashboards"].as_array().expect("list").len(), 1201);
    // Default page size 1000: the export had to ask for page 2.
    let pages: Vec<String> =
        g.log().iter().filter(|r| r.route == "/api/search").map(|r| r.query.clone()).collect();
    assert!(pages.iter().any(|q| q.contains("page=2")), "{pages:?}");

    let files = files_under(out.path());
    // 1201 dashboards, folders.json, datasources.json and the export's own index.
    assert_eq!(files.len(), 1201 + 3);
    let nested = out.path().join("Ops/Prod _ EU");
    assert_eq!(std::fs::read_dir(&nested).expect("nested dir").count(), 300);
    assert!(out.path().join("dash-0004-u0004.json").is_file());
    assert!(out.path().join("Ops/Prod _ EU/dash-0002-u0002.json").is_file());
    // Same title, two files: the uid keeps them apart.
    assert!(out.path().join("Team/same-name-u0007.json").is_file());
    assert!(out.path().join("same-name-same-2.json").is_file());
    let one = std::fs::read_to_string(out.path().join("dash-0000-u0000.json")).expect("file");
    let m: Value = serde_json::from_str(&one).expect("json");
    assert!(m.get("id").is_none() && m.get("version").is_none());
    assert!(one.ends_with("}\n"));
    let ds = std::fs::read_to_string(out.path().join("datasources.json")).expect("ds");
    assert!(!ds.contains("s3cret-value"));
    assert!(ds.contains("basicAuthPassword"));
    let fj: Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("folders.json")).expect("f"))
            .expect("j");
    assert_eq!(fj.as_array().expect("a").len(), 3);

    // Re-export after a dashboard was deleted in Grafana: its file (recorded in the export's
    // index) is removed; a file the export did not write is kept; the rest byte-identical.
    let gone = out.path().join("Team/same-name-u0007.json");
    let index = out.path().join(".stellar-obs-export.json");
    let before: Vec<(PathBuf, String)> = files
        .iter()
        .filter(|p| **p != gone && **p != index)
        .map(|p| (p.clone(), std::fs::read_to_string(p).expect("r")))
        .collect();
    g.state().dashboards.remove("u0007");
    std::fs::write(out.path().join("Team/mine.json"), "{}").expect("w");
    let (code, v) = run_json(&g, stack.path(), &["export", "--out", o]);
    assert_eq!(code, 0);
    assert_eq!(v["removed"], json!(["Team/same-name-u0007.json"]));
    assert!(!gone.exists() && out.path().join("Team/mine.json").is_file());
    for (p, text) in &before {
        assert_eq!(&std::fs::read_to_string(p).expect("r"), text, "{} changed", p.display());
    }
    std::fs::remove_file(out.path().join("Team/mine.json")).expect("rm");

    // Import the export into an empty Grafana: same dashboards, same folders.
    let g2 = FakeGrafana::start(FakeConfig::default());
    g2.add_datasource("prom", "Prometheus", "prometheus");
    let (code, rows) = import(&g2, stack.path(), &[o]);
    assert_eq!(code, 0, "{:?}", rows.iter().find(|r| r["action"] != "created"));
    assert_eq!(rows.len(), 1200);
    assert!(all(&rows, "created"));
    let f1: Vec<(String, String, Option<String>)> =
        g.folders().into_iter().map(|f| (f.uid, f.title, f.parent_uid)).collect();
    let f2: Vec<(String, String, Option<String>)> =
        g2.folders().into_iter().map(|f| (f.uid, f.title, f.parent_uid)).collect();
    assert_eq!(f1, f2);
    for a in g.dashboards() {
        let b = g2.dashboard(&a.uid).unwrap_or_else(|| panic!("{} missing", a.uid));
        assert_eq!(normalized(&a.model), normalized(&b.model), "{}", a.uid);
        assert_eq!(a.folder_uid, b.folder_uid, "{}", a.uid);
    }
    // And importing it again changes nothing.
    let (code, rows) = import(&g2, stack.path(), &[o]);
    assert_eq!(code, 0);
    assert!(all(&rows, "unchanged"));
}

#[test]
fn list_shows_folder_version_and_provisioning() {
    let g = FakeGrafana::start(FakeConfig::default());
    g.add_folder("ops", "Ops", None);
    g.add_folder("prod", "Prod", Some("ops"));
    g.add_dashboard(dash(Some("a"), "Alpha", "up"), Some("prod"));
    g.add_provisioned_dashboard(dash(Some("p"), "Provisioned", "up"), None, "p.json");
    g.edit_dashboard("a", |m| m["title"] = json!("Alpha"));
    let stack = tmp();
    let (code, v) = run_json(&g, stack.path(), &["list"]);
    assert_eq!(code, 0);
    assert_eq!(
        v["dashboards"],
        json!([
            {"folder": "", "title": "Provisioned", "uid": "p", "version": 1, "provisioned": true},
            {"folder": "Ops/Prod", "title": "Alpha", "uid": "a", "version": 2, "provisioned": false},
        ])
    );
    let out = cmd(&g, stack.path()).args(["dashboards", "list"]).output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Ops/Prod") && text.contains("General") && text.contains("2 dashboards"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------------
// Real-world dashboards

#[test]
fn the_large_conformance_dashboards_import_and_stay_unchanged() {
    let dir = conformance_dir().join("grafana-dashboards");
    assert!(dir.is_dir(), "{} is missing", dir.display());
    let g = FakeGrafana::start(FakeConfig::default());
    let stack = tmp();
    let ds = dir.to_str().expect("utf-8");
    let (code, rows) = import(&g, stack.path(), &[ds, "--folder", "Community"]);
    assert_eq!(code, 0, "{rows:?}");
    assert_eq!(rows.len(), 4);
    assert!(all(&rows, "created"), "{rows:?}");
    let node = g.dashboard("rYdddlPWk").expect("node exporter full");
    assert_eq!(node.title, "Node Exporter Full");
    assert!(node.model.to_string().len() > 150_000);
    let (code, rows) = import(&g, stack.path(), &[ds, "--folder", "Community"]);
    assert_eq!(code, 0);
    assert!(all(&rows, "unchanged"), "{rows:?}");
    assert!(g.dashboards().iter().all(|d| d.version == 1));
}

#[test]
fn human_summary_table() {
    let g = FakeGrafana::start(FakeConfig::default());
    let d = tmp();
    let f = d.path().join("a.json");
    write(&f, &dash(Some("a"), "Alpha", "up"));
    let out = cmd(&g, d.path()).args(["dashboards", "import"]).arg(&f).output().expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("ACTION") && text.contains("created") && text.contains("General"),
        "{text}"
    );
    assert!(
        text.contains("1 dashboard: 1 created, 0 updated, 0 unchanged, 0 skipped, 0 failed"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------------
// The client against the fake (what the backup code builds on)

mod client {
    use super::*;
    use stellar_obs::api::grafana::{
        GrafanaClient, GrafanaOptions, GrafanaVersion, ImportDashboard, RetryPolicy, SaveDashboard,
        SearchQuery, grafana_status,
    };
    use stellar_obs::settings::GrafanaAuth;

    fn client(g: &FakeGrafana) -> GrafanaClient {
        let opts = GrafanaOptions {
            retry: RetryPolicy {
                initial_backoff: Duration::from_millis(10),
                ..RetryPolicy::default()
            },
            ..GrafanaOptions::default()
        };
        GrafanaClient::new(&g.url, &GrafanaAuth::Token(g.token()), &opts).expect("client")
    }

    #[tokio::test]
    async fn version_search_limits_and_pages() {
        let g = FakeGrafana::start(FakeConfig::version("11.2.0"));
        for i in 0..25 {
            g.add_dashboard(dash(Some(&format!("s{i:02}")), &format!("S {i:02}"), "up"), None);
        }
        let c = client(&g);
        assert_eq!(c.version().await.expect("v"), Some(GrafanaVersion::new(11, 2, 0)));
        let e = c.search_page(&SearchQuery::dashboards(), 5001, 1).await.expect_err("422");
        assert_eq!(e.status(), Some(422));
        assert!(e.to_string().contains("Limit is above maximum allowed (5000)"), "{e}");
        let q = SearchQuery { limit: Some(10), ..SearchQuery::dashboards() };
        let all = c.search(&q).await.expect("all");
        assert_eq!(all.len(), 25);
        assert_eq!(g.requests("GET /api/search"), 1 + 3);
        let mut uids: Vec<_> = all.iter().map(|h| h.uid.clone()).collect();
        uids.dedup();
        assert_eq!(uids.len(), 25);
    }

    #[tokio::test]
    async fn folders_nest_and_clash() {
        let g = FakeGrafana::start(FakeConfig::default());
        let c = client(&g);
        let a = c
            .create_folder(&stellar_obs::api::grafana::NewFolder {
                uid: Some("a".into()),
                title: "A".into(),
                parent_uid: None,
            })
            .await
            .expect("a");
        let b = c
            .create_folder(&stellar_obs::api::grafana::NewFolder {
                uid: Some("b".into()),
                title: "B".into(),
                parent_uid: Some(a.uid.clone()),
            })
            .await
            .expect("b");
        assert_eq!(b.parent_uid.as_deref(), Some("a"));
        let e = c
            .create_folder(&stellar_obs::api::grafana::NewFolder {
                uid: Some("a".into()),
                title: "Other".into(),
                parent_uid: None,
            })
            .await
            .expect_err("409");
        assert_eq!(e.status(), Some(409));
        let tree = c.all_folders().await.expect("tree");
        assert_eq!(tree.len(), 2);
        assert_eq!(tree[1].parent_uid.as_deref(), Some("a"));
        assert_eq!(c.folders(None).await.expect("root").len(), 1);
        assert!(c.folder("nope").await.expect("404 is none").is_none());
    }

    #[tokio::test]
    async fn db_versions_and_the_412_cases() {
        let g = FakeGrafana::start(FakeConfig::version("11.2.0"));
        let c = client(&g);
        let save = |model: Value, overwrite: bool| SaveDashboard {
            dashboard: model,
            folder_uid: None,
            overwrite,
            message: None,
        };
        let r = c.save_dashboard(&save(dash(Some("x"), "X", "up"), false)).await.expect("create");
        assert_eq!(r.version, 1);
        let mut m = dash(Some("x"), "X", "up2");
        m["version"] = json!(1);
        assert_eq!(c.save_dashboard(&save(m.clone(), false)).await.expect("update").version, 2);
        let e = c.save_dashboard(&save(m.clone(), false)).await.expect_err("stale");
        assert_eq!(
            (e.status(), grafana_status(&e).as_deref()),
            (Some(412), Some("version-mismatch"))
        );
        // name-exists on 11.2, and with overwrite Grafana takes the other dashboard over.
        let e =
            c.save_dashboard(&save(dash(Some("y"), "X", "other"), false)).await.expect_err("name");
        assert_eq!(grafana_status(&e).as_deref(), Some("name-exists"));
        let r =
            c.save_dashboard(&save(dash(Some("y"), "X", "other"), true)).await.expect("takeover");
        assert_eq!(r.uid, "x");
        assert!(g.dashboard("y").is_none());
        // Provisioned: 400.
        g.add_provisioned_dashboard(dash(Some("p"), "P", "up"), None, "p.json");
        let e = c.save_dashboard(&save(dash(Some("p"), "P", "x"), true)).await.expect_err("prov");
        assert_eq!(e.status(), Some(400));
        assert!(e.to_string().contains("Cannot save provisioned dashboard"));
        let meta = c.dashboard("p").await.expect("get").expect("some");
        assert!(meta.meta.provisioned);
    }

    #[tokio::test]
    async fn import_missing_input_and_datasources() {
        let g = FakeGrafana::start(FakeConfig::default());
        g.add_datasource("prom", "Prometheus", "prometheus");
        g.update_datasource("prom", |d| {
            d.secure_json_data.insert("password".into(), "hunter2".into());
        });
        let c = client(&g);
        let req = ImportDashboard {
            dashboard: template("t"),
            inputs: vec![],
            folder_uid: None,
            overwrite: false,
        };
        let e = c.import_dashboard(&req).await.expect_err("missing input");
        assert!(
            e.to_string()
                .contains("Dashboard input variable: DS_PROMETHEUS missing from import command"),
            "{e}"
        );
        let list = c.datasources().await.expect("list");
        assert_eq!(list.len(), 1);
        assert!(list[0].secure_json_fields.is_empty());
        let one = c.datasource("prom").await.expect("get").expect("some");
        assert_eq!(one.secure_json_fields.get("password"), Some(&true));
        assert!(!serde_json::to_string(&one).expect("j").contains("hunter2"));
        assert!(c.datasource("nope").await.expect("none").is_none());
    }

    #[tokio::test]
    async fn datasource_writes_clash_and_keep_secrets() {
        let g = FakeGrafana::start(FakeConfig::default());
        let c = client(&g);
        let body = json!({"name": "Prom", "type": "prometheus", "uid": "prom", "url": "http://p:9090",
                          "access": "proxy", "secureJsonData": {"basicAuthPassword": "pw1"}});
        let r: Value = c.post("/api/datasources", &body).await.expect("created");
        assert_eq!(r["message"], "Datasource added");
        assert_eq!(r["datasource"]["secureJsonFields"], json!({"basicAuthPassword": true}));
        let e = c.post::<Value>("/api/datasources", &body).await.expect_err("409 name");
        assert_eq!(e.status(), Some(409));
        let e = c
            .post::<Value>(
                "/api/datasources",
                &json!({"name": "Other", "type": "loki", "uid": "prom"}),
            )
            .await
            .expect_err("409 uid");
        assert_eq!(e.status(), Some(409));
        // An update without secureJsonData keeps the stored secret.
        let r: Value = c
            .put(
                "/api/datasources/uid/prom",
                &json!({"name": "Prom", "type": "prometheus", "url": "http://q:9090"}),
            )
            .await
            .expect("updated");
        assert_eq!(r["datasource"]["url"], "http://q:9090");
        assert_eq!(g.state().datasources["prom"].secure_json_data["basicAuthPassword"], "pw1");
        g.update_datasource("prom", |d| d.read_only = true);
        let e = c
            .put::<Value>(
                "/api/datasources/uid/prom",
                &json!({"name": "Prom", "type": "prometheus"}),
            )
            .await
            .expect_err("403");
        assert_eq!(e.status(), Some(403));
        assert!(e.to_string().contains("Cannot update read-only data source"), "{e}");
    }

    #[tokio::test]
    async fn retries_stop_at_the_policy() {
        let g = FakeGrafana::start(FakeConfig::default());
        g.fail_next("GET /api/folders", 500, 10);
        let c = client(&g);
        let e = c.folders(None).await.expect_err("500s");
        assert_eq!(e.status(), Some(500));
        assert!(e.to_string().contains("after 4 tries"), "{e}");
        assert_eq!(g.requests("GET /api/folders"), 4);
        let unauth =
            GrafanaClient::new(&g.url, &GrafanaAuth::None, &GrafanaOptions::default()).expect("c");
        let e = unauth.check_auth().await.expect_err("401");
        assert_eq!(e.status(), Some(401));
        assert!(e.to_string().contains("no credentials"), "{e}");
    }
}

// ---------------------------------------------------------------------------------------------
// The stack's own connector dashboard

#[test]
fn the_stack_connector_dashboard_is_skipped_where_provisioned_and_imported_elsewhere() {
    let stack = crate::common::init_stack();
    let file = stack.path().join("grafana/dashboards/stellar-connector-dashboard.json");
    let model: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("template")).expect("json");
    let uid = model["uid"].as_str().expect("the connector dashboard has a uid").to_string();

    // As in the running stack: provisioned by file into folder Stellar.
    let g = FakeGrafana::start(FakeConfig::default());
    g.add_folder("stellar", "Stellar", None);
    g.add_provisioned_dashboard(model.clone(), Some("stellar"), "stellar-connector-dashboard.json");
    // The stack provisions its SLO dashboard the same way.
    let slo_file = stack.path().join("grafana/dashboards/stellar-slo-dashboard.json");
    let slo: Value =
        serde_json::from_str(&std::fs::read_to_string(&slo_file).expect("template")).expect("json");
    g.add_provisioned_dashboard(slo, Some("stellar"), "stellar-slo-dashboard.json");
    let (code, rows) = import(&g, stack.path(), &[]);
    assert_eq!(code, 0, "{rows:?}");
    let r = rows.iter().find(|r| r["uid"] == uid.as_str()).expect("row");
    assert_eq!(r["action"], "skipped", "{r}");
    assert_eq!(g.requests("POST /api/dashboards/db"), 0);
    assert_eq!(g.dashboard(&uid).expect("kept").version, 1);

    // Into a Grafana that does not provision it: created, then unchanged.
    let g2 = FakeGrafana::start(FakeConfig::default());
    let (code, rows) = import(&g2, stack.path(), &["--folder", "Stellar"]);
    assert_eq!(code, 0, "{rows:?}");
    assert!(all(&rows, "created"), "{rows:?}");
    let (code, rows) = import(&g2, stack.path(), &["--folder", "Stellar"]);
    assert_eq!(code, 0);
    assert!(all(&rows, "unchanged"), "{rows:?}");
    assert_eq!(g2.dashboard(&uid).expect("imported").version, 1);
}
