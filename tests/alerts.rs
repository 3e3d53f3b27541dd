//! `alerts drill` and `silence` against a real Alertmanager (Debian's), with webhook
//! receivers pointing at a local test HTTP server: one that accepts, one that answers 500.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::http_server::{Response, TestServer, http_get};
use crate::common::servers::{self, RealServer, closed_port_addr, wait_until};
use crate::common::{bin, bin_std};

fn json_out(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Critical alerts go to `ok` (continue) and to `bad`; timers short so a failing webhook
/// is given up after Alertmanager's minimum of 10 s.
fn webhook_config(hook: &str) -> String {
    format!(
        "route:
  receiver: ok
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
  routes:
    - matchers: ['severity=\"critical\"']
      receiver: ok
      continue: true
    - matchers: ['severity=\"critical\"']
      receiver: bad
receivers:
  - name: ok
    webhook_configs:
      - url: {hook}/ok
        send_resolved: true
  - name: bad
    webhook_configs:
      - url: {hook}/fail
"
    )
}

fn hooks() -> TestServer {
    TestServer::routes(vec![
        ("/ok", Response::ok("ok")),
        ("/fail", Response::text(500, "receiver is broken")),
    ])
}

fn firing_drill_alerts(am: &RealServer) -> Vec<Value> {
    let (code, body) = http_get(
        &format!("{}/api/v2/alerts?filter=alertname%3D%22StellarObsDrill%22", am.url()),
        Duration::from_secs(5),
    )
    .expect("alerts");
    assert_eq!(code, 200, "{body}");
    let v: Value = serde_json::from_str(&body).expect("json");
    v.as_array().expect("array").clone()
}

fn drill(am: &RealServer, dir: &std::path::Path) -> assert_cmd::Command {
    let mut c = bin();
    c.args(["alerts", "drill", "--dir"])
        .arg(dir)
        .env("STELLAR_OBS_ALERTMANAGER_URL", am.url())
        .env("USER", "drill-tester");
    c
}

#[test]
fn drill_names_the_failing_webhook_exits_1_and_resolves_its_alert() {
    let hooks = hooks();
    let am = servers::alertmanager().config(&webhook_config(&hooks.url())).start();
    let dir = tempfile::tempdir().expect("tmp");

    // Without --yes: the plan, nothing posted, exit 1.
    let out = drill(&am, dir.path()).output().expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("nothing was posted") && text.contains("--yes"), "{text}");
    assert!(text.contains("ok, bad"), "{text}");
    assert!(firing_drill_alerts(&am).is_empty(), "a plan posts nothing");

    // --dry-run: the same plan as JSON, exit 0, nothing posted.
    let out = drill(&am, dir.path()).args(["--dry-run", "-o", "json"]).output().expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan = json_out(&out);
    assert_eq!(plan["mode"], "dry-run");
    assert_eq!(plan["posted"], false);
    assert_eq!(plan["expected"]["receivers"], serde_json::json!(["ok", "bad"]));
    assert_eq!(plan["alert"]["labels"]["alertname"], "StellarObsDrill");
    assert!(firing_drill_alerts(&am).is_empty(), "a dry run posts nothing");
    assert!(hooks.requests().is_empty());

    // The drill.
    let t0 = Instant::now();
    let log = am.dir().join("server.log");
    let out = drill(&am, dir.path())
        .args(["--yes", "--timeout", "60", "-o", "json", "--alertmanager-log"])
        .arg(&log)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r = json_out(&out);
    assert!(t0.elapsed() < Duration::from_secs(55), "it stops once both have a result");
    assert_eq!(r["mode"], "run");
    assert_eq!(r["receivers"], serde_json::json!(["ok", "bad"]), "{r}");
    let results = r["results"].as_array().expect("results");
    let by = |name: &str| results.iter().find(|x| x["receiver"] == name).expect(name).clone();
    assert_eq!(by("ok")["status"], "sent", "{r}");
    assert_eq!(by("bad")["status"], "failed", "{r}");
    let err = by("bad")["error"].as_str().unwrap_or_default().to_string();
    assert!(err.contains("500"), "Alertmanager's error for the failing webhook: {err}");
    assert!(by("ok")["latency_ms"].as_u64().is_some());
    assert_eq!(r["resolved"], true, "{r}");
    assert_eq!(r["timed_out"], false);

    // The webhook got a notification that says it is a drill and who started it.
    let posted: Vec<String> = hooks
        .requests()
        .iter()
        .filter(|q| q.path() == "/ok")
        .map(|q| String::from_utf8_lossy(&q.body).into_owned())
        .collect();
    let drill_id = r["drill_id"].as_str().expect("id");
    assert!(
        posted.iter().any(|b| b.contains("\"firing\"")
            && b.contains(drill_id)
            && b.contains("DRILL")
            && b.contains("drill-tester")),
        "{posted:?}"
    );
    // And the alert is resolved: not firing any more, and `ok` hears so (send_resolved).
    assert!(firing_drill_alerts(&am).is_empty(), "the drill left its alert firing");
    wait_until(Duration::from_secs(20), "the resolved notice", || {
        hooks.requests().iter().any(|q| {
            let b = String::from_utf8_lossy(&q.body);
            q.path() == "/ok" && b.contains("\"status\":\"resolved\"") && b.contains(drill_id)
        })
    });

    // Human output names the failing one.
    let out = drill(&am, dir.path())
        .args(["--yes", "--timeout", "60", "--alertmanager-log"])
        .arg(&log)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1 of 2 integrations delivered; failed: bad/webhook[0]"), "{text}");
    assert!(text.contains("the drill alert is resolved"), "{text}");
}

#[test]
fn drill_all_delivered_exits_0() {
    let hooks = hooks();
    let cfg = webhook_config(&hooks.url()).replace("/fail", "/ok");
    let am = servers::alertmanager().config(&cfg).start();
    let dir = tempfile::tempdir().expect("tmp");
    let out = drill(&am, dir.path())
        .args(["--yes", "--timeout", "60", "-o", "json"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        stderr(&out),
        String::from_utf8_lossy(&out.stdout)
    );
    let r = json_out(&out);
    assert!(r["results"].as_array().expect("r").iter().all(|x| x["status"] == "sent"), "{r}");
    assert_eq!(r["results"].as_array().map(Vec::len), Some(2));
    assert!(firing_drill_alerts(&am).is_empty());
}

#[test]
fn drill_unreachable_alertmanager_exits_2() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = bin()
        .args(["alerts", "drill", "--yes", "--dir"])
        .arg(dir.path())
        .env("STELLAR_OBS_ALERTMANAGER_URL", format!("http://{}", closed_port_addr()))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("Alertmanager is unreachable"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}

#[cfg(unix)]
#[test]
fn drill_resolves_its_alert_on_sigterm() {
    // A webhook that never answers keeps the drill waiting.
    let hang = TestServer::hanging();
    let cfg = format!(
        "route:\n  receiver: slow\n  group_wait: 1s\n  group_interval: 1s\nreceivers:\n  - name: slow\n    webhook_configs:\n      - url: {}/hook\n",
        hang.url()
    );
    let am = servers::alertmanager().config(&cfg).start();
    let dir = tempfile::tempdir().expect("tmp");
    let mut child = bin_std()
        .args(["alerts", "drill", "--yes", "--timeout", "300", "--dir"])
        .arg(dir.path())
        .env("STELLAR_OBS_ALERTMANAGER_URL", am.url())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    wait_until(Duration::from_secs(20), "the drill alert to fire", || {
        !firing_drill_alerts(&am).is_empty()
    });
    let _ = std::process::Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
    let end = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Ok(Some(s)) = child.try_wait() {
            break s;
        }
        assert!(Instant::now() < end, "the drill did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        use std::io::Read;
        let _ = e.read_to_string(&mut err);
    }
    assert_eq!(status.code(), Some(143), "{err}");
    assert!(err.contains("is resolved"), "{err}");
    assert!(firing_drill_alerts(&am).is_empty(), "the drill left its alert firing after SIGTERM");
}

fn silence_cmd(am: &RealServer) -> assert_cmd::Command {
    let mut c = bin();
    c.arg("silence").env("STELLAR_OBS_ALERTMANAGER_URL", am.url()).env("USER", "maint-bot");
    c
}

#[test]
fn silences_add_list_expire() {
    let am = servers::alertmanager().start();
    let add = |args: &[&str]| {
        silence_cmd(&am).arg("add").args(args).args(["-o", "json"]).output().expect("run")
    };
    let out = add(&[
        "alertname=StellarConnectorDown",
        "instance=~\"bot-1.*\"",
        "--duration",
        "2h",
        "--comment",
        "upgrade OPS-42",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let a = json_out(&out);
    let id1 = a["id"].as_str().expect("id").to_string();
    assert_eq!(a["created_by"], "maint-bot");
    assert_eq!(a["state"], "active");
    let out = add(&[
        "{severity=\"warning\",job=\"node\"}",
        "--duration",
        "30m",
        "--comment",
        "noisy",
        "--author",
        "alice",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let id2 = json_out(&out)["id"].as_str().expect("id").to_string();

    // Bad input: usage errors (2), nothing created.
    for bad in [
        vec!["severity=~\"(\"", "--comment", "x"],
        vec!["job=~\".*\"", "--comment", "x"],
        vec!["a=b", "--until", "2020-01-01T00:00:00Z", "--comment", "x"],
        vec!["a=b", "--duration", "soon", "--comment", "x"],
    ] {
        let out = silence_cmd(&am).arg("add").args(&bad).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", stderr(&out));
    }
    let out = silence_cmd(&am).args(["add", "a=b"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2), "--comment is required");

    let list = |args: &[&str]| {
        let out =
            silence_cmd(&am).arg("list").args(args).args(["-o", "json"]).output().expect("run");
        assert!(out.status.success(), "{}", stderr(&out));
        json_out(&out)["silences"].as_array().expect("silences").clone()
    };
    assert_eq!(list(&[]).len(), 2);
    let only = list(&["--match", "alertname=StellarConnectorDown"]);
    assert_eq!(only.len(), 1);
    assert_eq!(only[0]["id"], id1.as_str());
    assert_eq!(only[0]["comment"], "upgrade OPS-42");
    assert_eq!(
        only[0]["matchers"][1],
        serde_json::json!({"name": "instance", "op": "=~", "value": "bot-1.*"})
    );
    let out = silence_cmd(&am).arg("list").output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("alertname=\"StellarConnectorDown\"") && text.contains("maint-bot"),
        "{text}"
    );

    // Expire without ids or matchers: refused as a usage error.
    let out = silence_cmd(&am).arg("expire").output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    // By matchers without --yes: listed, nothing changed, exit 1.
    let out = silence_cmd(&am)
        .args(["expire", "--match", "severity=warning", "-o", "json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r = json_out(&out);
    assert_eq!(r["refused"], true);
    assert_eq!(r["silences"][0]["id"], id2.as_str());
    assert_eq!(r["silences"][0]["action"], "would-expire");
    assert_eq!(list(&[]).len(), 2, "nothing expired without --yes");
    // With --yes.
    let out = silence_cmd(&am)
        .args(["expire", "--match", "severity=warning", "--yes"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(list(&[]).len(), 1);
    // By id; an unknown id fails (exit 1) and says so.
    let out = silence_cmd(&am).args(["expire", &id1, "-o", "json"]).output().expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json_out(&out)["silences"][0]["action"], "expired");
    assert!(list(&[]).is_empty());
    assert_eq!(list(&["--expired"]).len(), 2);
    let out = silence_cmd(&am).args(["expire", "no-such-id"]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no silence with this id"));
}

#[test]
fn silences_round_trip_through_backup_and_restore() {
    let am = servers::alertmanager().start();
    let work = tempfile::tempdir().expect("tmp");
    let out = silence_cmd(&am)
        .args([
            "add",
            "alertname=StellarConnectorDown",
            "--duration",
            "3h",
            "--comment",
            "window",
            "-o",
            "json",
        ])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    let id = json_out(&out)["id"].as_str().expect("id").to_string();
    let archive = work.path().join("am.tar.gz");
    // `stellar-obs ARGS ARCHIVE` on the stack in `work` against this Alertmanager: succeeds.
    let with_archive = |args: &[&str]| {
        let out = bin()
            .args(args)
            .arg(&archive)
            .arg("--dir")
            .arg(work.path())
            .env("STELLAR_OBS_ALERTMANAGER_URL", am.url())
            .output()
            .expect("run");
        assert!(out.status.success(), "{}", stderr(&out));
    };
    with_archive(&["backup", "--only", "alertmanager", "--out"]);
    let out = silence_cmd(&am).args(["expire", &id]).output().expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    with_archive(&["restore", "--only", "alertmanager", "--yes"]);
    let out = silence_cmd(&am).args(["list", "-o", "json"]).output().expect("run");
    let v = json_out(&out);
    let s = v["silences"].as_array().expect("s");
    assert_eq!(s.len(), 1, "{v}");
    assert_eq!(s[0]["comment"], "window");
    assert_eq!(s[0]["created_by"], "maint-bot");
    assert_eq!(s[0]["matchers"][0]["value"], "StellarConnectorDown");
    assert_ne!(s[0]["id"], id.as_str(), "recreated under a new id");
}
