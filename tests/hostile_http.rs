//! Misbehaving servers and hostile server text against the real binary: endless and
//! dripping bodies (issue 14, item 2), escape sequences in titles and error messages
//! (item 8), credentials in URLs (item 10).
//!
//! Memory is bounded by construction (the capped reader stops at the cap); the tests check
//! it by the error the binary gives ("too large", naming the cap) and by the run ending on
//! its own long before the generous `--timeout`, never by timing assertions.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::bin;
use crate::common::fake_grafana::{FakeConfig, FakeGrafana};
use crate::common::http_server::{Reply, Response, TestServer};
use crate::health::COMPONENTS;

/// A server whose every answer is a chunked body that never ends.
fn endless() -> TestServer {
    TestServer::start(|_| Reply::Endless {
        content_type: "application/json".into(),
        chunk: vec![b' '; 64 * 1024],
    })
}

/// `check-health -o json` with only the given components pointed at `url` (the rest off).
fn health(dir: &Path, components: &[&str], url: &str, timeout: &str) -> (i32, Value, String) {
    let mut c = bin();
    c.arg("check-health").arg("--dir").arg(dir).args(["-o", "json", "--timeout", timeout]);
    c.arg("--only").arg(components.join(","));
    for k in COMPONENTS {
        let on = components.iter().any(|c| c.eq_ignore_ascii_case(k));
        c.env(format!("STELLAR_OBS_{k}_URL"), if on { url } else { "off" });
    }
    // A guard against a hang, far above what the run needs: not a timing assertion.
    c.timeout(Duration::from_secs(120));
    let out = c.output().expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let v = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\nstderr: {stderr}"));
    (out.status.code().unwrap_or(-1), v, stderr)
}

fn row<'a>(v: &'a Value, component: &str) -> &'a Value {
    v["checks"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["component"] == component))
        .unwrap_or_else(|| panic!("no row for {component}: {v}"))
}

#[test]
fn an_endless_body_is_cut_at_the_cap_for_every_probe() {
    let s = endless();
    let dir = tempfile::tempdir().expect("tmp");
    // 60 s allowed: if the body were read whole, the run would only end at the timeout
    // (or the machine's memory); the cap ends it with its own error first.
    let (code, v, stderr) = health(
        dir.path(),
        &["grafana", "alertmanager", "horizon", "prometheus", "connector"],
        &s.url(),
        "60",
    );
    assert_eq!(code, 2, "{v}\n{stderr}");
    for (component, cap) in [
        ("grafana", "1 MiB"),
        ("alertmanager", "1 MiB"),
        ("horizon", "1 MiB"),
        ("prometheus", "1 MiB"),
        ("connector", "16 MiB"),
    ] {
        let r = row(&v, component);
        assert_eq!(r["status"], "unhealthy", "{component}: {r}");
        let msg = r["message"].as_str().unwrap_or("");
        assert!(msg.contains("too large") && msg.contains(cap), "{component}: {msg}");
        assert!(!msg.contains("no answer within"), "cut by the cap, not the timeout: {msg}");
    }
}

#[test]
fn dashboards_list_stops_an_endless_body_at_its_cap_and_a_drip_at_its_timeout() {
    let dir = tempfile::tempdir().expect("tmp");
    let s = endless();
    let out = bin()
        .env("STELLAR_OBS_GRAFANA_URL", s.url())
        .env("GRAFANA_TOKEN", "t")
        .arg("--dir")
        .arg(dir.path())
        .args(["dashboards", "list", "--timeout", "60"])
        .timeout(Duration::from_secs(120))
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("too large") && err.contains("64 MiB"), "{err}");

    // One byte a second never reaches a cap: the timeout covers the body and ends it.
    let drip = TestServer::start(|_| Reply::Drip { every: Duration::from_millis(200) });
    let out = bin()
        .env("STELLAR_OBS_GRAFANA_URL", drip.url())
        .env("GRAFANA_TOKEN", "t")
        .arg("--dir")
        .arg(dir.path())
        .args(["dashboards", "list", "--timeout", "1.5"])
        .timeout(Duration::from_secs(120))
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("no answer within 1.5s"), "{err}");

    // The same drip against check-health: the probe's timeout covers the body too.
    let (code, v, _) = health(dir.path(), &["grafana"], &drip.url(), "1");
    assert_eq!(code, 2, "{v}");
    let msg = row(&v, "grafana")["message"].as_str().unwrap_or("").to_string();
    assert!(msg.contains("no answer within 1s"), "{msg}");

    // A bad --timeout is a usage error.
    bin().args(["dashboards", "list", "--timeout", "0"]).assert().code(2);
}

/// What an attacker puts in a title: a window-title OSC with BEL, a screen clear, and a
/// right-to-left override that makes `gpj.exe` read as `exe.jpg`.
const EVIL: &str = "Ops \u{1b}]0;pwned\u{7}\u{1b}[2J \u{202e}gpj.exe";

fn assert_no_raw_controls(what: &str, s: &str) {
    for c in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!s.contains(c), "{what} has a raw {c:?}:\n{s:?}");
    }
}

#[test]
fn titles_and_server_messages_reach_the_terminal_escaped_and_json_keeps_them_exact() {
    let g = FakeGrafana::start(FakeConfig::default());
    g.add_dashboard(json!({"uid": "evil", "title": EVIL, "panels": []}), None);
    let dir = tempfile::tempdir().expect("tmp");
    let run = |args: &[&str]| {
        bin()
            .env("STELLAR_OBS_GRAFANA_URL", &g.url)
            .env("GRAFANA_TOKEN", g.token())
            .arg("--dir")
            .arg(dir.path())
            .arg("dashboards")
            .args(args)
            .output()
            .expect("run")
    };
    let out = run(&["list"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let human = String::from_utf8_lossy(&out.stdout);
    assert_no_raw_controls("dashboards list", &human);
    assert!(human.contains("Ops \\u{1b}]0;pwned\\u{7}\\u{1b}[2J \\u{202e}gpj.exe"), "{human}");
    // The table stays aligned: every line of it is as wide as the others.
    let widths: Vec<usize> =
        human.lines().filter(|l| l.starts_with('│')).map(|l| l.chars().count()).collect();
    assert!(widths.windows(2).all(|w| w[0] == w[1]), "{human}");

    let out = run(&["list", "-o", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["dashboards"][0]["title"], EVIL, "JSON keeps the exact text");

    // A server's error text on stderr.
    let s = TestServer::always(Response::new(
        500,
        "application/json",
        json!({ "message": EVIL }).to_string(),
    ));
    let out = bin()
        .env("STELLAR_OBS_GRAFANA_URL", s.url())
        .env("GRAFANA_TOKEN", "t")
        .arg("--dir")
        .arg(dir.path())
        .args(["dashboards", "list"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_no_raw_controls("the error", &err);
    assert!(err.contains("pwned") && err.contains("\\u{202e}"), "{err}");

    // The same text in check-health's human table (an HTML title on a 503).
    let html = TestServer::always(Response::new(
        503,
        "text/html",
        format!("<html><head><title>{EVIL}</title></head></html>"),
    ));
    let out = bin()
        .arg("check-health")
        .arg("--dir")
        .arg(dir.path())
        .args(["--only", "grafana"])
        .env("STELLAR_OBS_GRAFANA_URL", html.url())
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_no_raw_controls("check-health", &text);
    assert!(text.contains("pwned"), "{text}");
}

#[test]
fn credentials_in_a_url_are_never_shown_or_stored() {
    const SECRET: &str = "s3cretpass";
    let dir = tempfile::tempdir().expect("tmp");
    let s = TestServer::routes(vec![(
        "/api/health",
        Response::json(r#"{"database":"ok","version":"11.2.0","commit":"x"}"#),
    )]);
    let with_creds = |u: &str| u.replace("http://", &format!("http://admin:{SECRET}@"));
    // check-health: the JSON url and message, healthy and refused.
    let (code, v, stderr) = health(dir.path(), &["grafana"], &with_creds(&s.url()), "5");
    assert_eq!(code, 0, "{v}\n{stderr}");
    assert_eq!(row(&v, "grafana")["url"], format!("http://***@127.0.0.1:{}", s.port()));
    // The credentials are still used for the request.
    let auth = s.requests().iter().find_map(|r| r.header("authorization").map(str::to_string));
    assert!(auth.is_some_and(|a| a.starts_with("Basic ")), "{:?}", s.requests());
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://127.0.0.1:{}", l.local_addr().expect("addr").port())
    };
    let (_, v, stderr) = health(dir.path(), &["grafana"], &with_creds(&refused), "2");
    let all = format!("{v}{stderr}");
    assert!(!all.contains(SECRET), "{all}");
    assert!(all.contains("***@127.0.0.1"), "{all}");
    // Human output and errors of dashboards and backup.
    for args in [&["dashboards", "list"][..], &["backup", "--only", "grafana", "-o", "json"][..]] {
        let out = bin()
            .env("STELLAR_OBS_GRAFANA_URL", with_creds(&refused))
            .env("GRAFANA_TOKEN", "t")
            .arg("--dir")
            .arg(dir.path())
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("run");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.status.success(), "{all}");
        assert!(!all.contains(SECRET) && all.contains("***@127.0.0.1"), "{args:?}: {all}");
    }
    // A backup's manifest stores the source without the credentials.
    let g = FakeGrafana::start(FakeConfig::default());
    let out = bin()
        .env("STELLAR_OBS_GRAFANA_URL", with_creds(&g.url))
        .env("GRAFANA_TOKEN", g.token())
        .arg("--dir")
        .arg(dir.path())
        .args(["backup", "--only", "grafana", "-o", "json", "--out"])
        .arg(dir.path().join("b.tar.gz"))
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let archive = std::fs::read(dir.path().join("b.tar.gz")).expect("archive");
    let mut raw = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&archive[..]), &mut raw)
        .expect("gunzip");
    let text = String::from_utf8_lossy(&raw);
    assert!(text.contains("***@127.0.0.1"), "the manifest names the source");
    assert!(!text.contains(SECRET) && !stdout.contains(SECRET), "{stdout}");
}
