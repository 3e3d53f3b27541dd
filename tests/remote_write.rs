//! Remote write on real servers: a central Debian Prometheus with the remote-write receiver
//! takes the samples of two Prometheus replicas started from the HA stack's generated
//! configuration (`init --ha --remote-write`), each naming itself in `STELLAR_OBS_REPLICA`
//! (the `replica` external label; Debian's 2.42 expands it with
//! `--enable-feature=expand-external-labels`, 3.x always).
//! Asserted on the central store: every series carries `cluster` and the replica under
//! `__replica__` (Mimir's name), never `replica`; `go_*` series are dropped by
//! `write_relabel_configs` (the replicas have them); `check-health` reports the queue
//! healthy while the store answers, degraded once it is gone.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::http_server::http_get;
use crate::common::servers::{self, RealServer};
use crate::common::{bin, read};

/// Percent-encode a query parameter.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The instant vector of `promql` on `prom` (an empty list on any failure).
fn query(prom: &RealServer, promql: &str) -> Vec<serde_json::Value> {
    let url = format!("{}/api/v1/query?query={}", prom.url(), enc(promql));
    match http_get(&url, Duration::from_secs(5)) {
        Ok((200, body)) => serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["data"]["result"].as_array().cloned())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Poll `promql` on `prom` until `done` holds for its result, or panic after `within`.
fn wait_for(
    prom: &RealServer,
    promql: &str,
    within: Duration,
    done: impl Fn(&[serde_json::Value]) -> bool,
) -> Vec<serde_json::Value> {
    let end = Instant::now() + within;
    loop {
        let r = query(prom, promql);
        if done(&r) {
            return r;
        }
        assert!(Instant::now() < end, "`{promql}` never got there within {within:?}: {r:?}");
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// The HA stack's prometheus.yml (both replicas read it) with short intervals and the
/// `prometheus` job pointed at `self_target` (so it has Go runtime series to drop).
fn replica_config(stack: &Path, self_target: &str) -> std::path::PathBuf {
    let text = read(&stack.join("prometheus/prometheus.yml"));
    for must in
        ["    replica: ${STELLAR_OBS_REPLICA}\n", "  scrape_interval: 15s\n", "\"localhost:9090\""]
    {
        assert!(text.contains(must), "the template changed: {must:?} is gone");
    }
    let text = text
        .replace("  scrape_interval: 15s\n", "  scrape_interval: 1s\n")
        .replace("  scrape_timeout: 10s\n", "  scrape_timeout: 1s\n")
        .replace("  evaluation_interval: 15s\n", "  evaluation_interval: 1s\n")
        .replace("\"localhost:9090\"", &format!("\"{self_target}\""));
    // Next to the stack's file, so its rule files resolve as they do in the container.
    let path = stack.join("prometheus/test-replicas.yml");
    std::fs::write(&path, text).expect("write replica config");
    path
}

#[test]
fn two_replicas_write_to_a_central_store_with_the_labels_it_needs() {
    let central = servers::prometheus().arg("--web.enable-remote-write-receiver").start();
    // A scrape target with Go runtime series for both replicas: a third Prometheus.
    let target = servers::prometheus().start();
    let stack = tempfile::tempdir().expect("tmp");
    let push = format!("{}/api/v1/write", central.url());
    bin()
        .args(["--project", "rw-test", "init", "--ha", "--remote-write", &push, "--dir"])
        .arg(stack.path())
        .assert()
        .success();
    let cfg = replica_config(stack.path(), &target.addr());
    let replicas: Vec<RealServer> = ["prometheus-1", "prometheus-2"]
        .iter()
        .map(|r| {
            servers::prometheus()
                .config_file(&cfg)
                .env("STELLAR_OBS_REPLICA", r)
                .arg("--enable-feature=expand-external-labels")
                .start()
        })
        .collect();

    // Both replicas' samples arrive, each under its replica and the cluster.
    let got = wait_for(
        &central,
        "count by (cluster, __replica__, monitor) (up{job=\"prometheus\"})",
        Duration::from_secs(60),
        |r| r.len() == 2,
    );
    let mut seen: Vec<(String, String, String)> = got
        .iter()
        .map(|s| {
            let m = &s["metric"];
            let f = |k: &str| m[k].as_str().unwrap_or("").to_string();
            (f("cluster"), f("__replica__"), f("monitor"))
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        vec![
            ("rw-test".into(), "prometheus-1".into(), "stellar-obs".into()),
            ("rw-test".into(), "prometheus-2".into(), "stellar-obs".into())
        ]
    );
    // `replica` itself is never sent: the store deduplicates on __replica__.
    assert!(query(&central, "count({__name__=~\".+\", replica=~\".+\"})").is_empty());
    assert!(!query(&central, "count({__name__=~\".+\", cluster=\"rw-test\"})").is_empty());
    // go_* series exist on the replicas and never reach the store.
    let local =
        wait_for(&replicas[0], "count({__name__=~\"go_.*\"})", Duration::from_secs(30), |r| {
            !r.is_empty()
        });
    assert!(!local.is_empty());
    assert!(
        query(&central, "count({__name__=~\"go_.*\"})").is_empty(),
        "write_relabel_configs drops go_* before sending"
    );

    // check-health reads each replica's queue from its own /metrics (the HA row probes both:
    // the first at STELLAR_OBS_PROMETHEUS_URL, the second at PROMETHEUS_2_PORT)...
    let settings = stack.path().join("stellar-obs.yml");
    let mut text = read(&settings);
    text.push_str("  max_lag_seconds: 10\n");
    std::fs::write(&settings, text).expect("w");
    let env_path = stack.path().join(".env");
    let mut env = read(&env_path);
    env.push_str(&format!("\nPROMETHEUS_2_PORT={}\n", replicas[1].port()));
    std::fs::write(&env_path, env).expect("w");
    let health = || {
        let out = bin()
            .arg("--dir")
            .arg(stack.path())
            .args(["check-health", "--only", "prometheus", "-o", "json"])
            .env("STELLAR_OBS_PROMETHEUS_URL", replicas[0].url())
            .output()
            .expect("runs");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        (out.status.code(), doc)
    };
    // (The stack's other scrape targets do not exist here: the row itself is degraded for
    // them, so each replica's remote-write sub-check is read from `details`.)
    let remote = |doc: &serde_json::Value, replica: &str| {
        doc["checks"][0]["details"]
            .as_array()
            .and_then(|d| {
                d.iter().find(|s| s["check"] == format!("{replica}/remote_write").as_str()).cloned()
            })
            .unwrap_or_default()
    };
    let both = |doc: &serde_json::Value, status: &str| {
        ["prometheus-1", "prometheus-2"].iter().all(|r| remote(doc, r)["status"] == status)
    };
    // A batch leaves every 5 s (batch_send_deadline): the lag stays under the 10 s allowed
    // while the store answers; a loaded machine may need a moment.
    let end = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, doc) = health();
        if both(&doc, "healthy") {
            let msg = remote(&doc, "prometheus-2")["message"].as_str().unwrap_or("").to_string();
            assert!(msg.contains("central") && msg.contains("lag "), "{doc}");
            break;
        }
        assert!(Instant::now() < end, "remote write never healthy on both replicas: {doc}");
        std::thread::sleep(Duration::from_millis(500));
    }
    // ... and degraded, exit 1, once the store is gone and the queues fall behind.
    drop(central);
    let end = Instant::now() + Duration::from_secs(60);
    loop {
        let (code, doc) = health();
        if both(&doc, "degraded") {
            assert_eq!(code, Some(1), "degraded is exit 1: {doc}");
            let msg = remote(&doc, "prometheus-1")["message"].as_str().unwrap_or("").to_string();
            assert!(msg.contains("behind (limit 10s)"), "{doc}");
            break;
        }
        assert!(Instant::now() < end, "check-health never reported the lag: {doc}");
        std::thread::sleep(Duration::from_millis(500));
    }
}
