//! The HA topology on a real single-node Docker Swarm with the local images: two Prometheus
//! replicas, three Alertmanager peers, node-exporter and Pushgateway, a rule that fires at
//! once and a webhook receiver in this process. One deployment, then in sequence: exactly
//! one notification per cycle although two replicas send the alert; one Prometheus task
//! removed (the alert still arrives, check-health degraded, exit 1); one Alertmanager peer
//! stopped (still exactly once, the others see a cluster of 2); `down --swarm` keeps the
//! volumes, `--volumes --yes` deletes them. A Drop guard removes the stack whatever happens.
//!
//! Containers reach this process on the default bridge's gateway (docker0, what Docker's
//! `host-gateway` means): the webhook server listens there, not on 127.0.0.1.

use std::process::Command as StdCommand;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::docker::{TestStack, free_port, require_docker};
use crate::common::http_server::{Reply, Response, TestServer};
use crate::common::read;

/// Repeat interval of the test route. Peers 1 and 2 wait 15 s and 30 s (Alertmanager's
/// default peer timeout times their position) before they look at the notification log;
/// with 20 s, peer 0's notification (and its repeat) is there and not yet due again.
const REPEAT: Duration = Duration::from_secs(20);

fn docker(args: &[&str]) -> std::process::Output {
    StdCommand::new("docker").args(args).output().expect("docker runs")
}

fn docker_text(args: &[&str]) -> String {
    String::from_utf8_lossy(&docker(args).stdout).trim().to_string()
}

/// Initialise a single-node Swarm when the engine has none (left initialised: other tests
/// run on Compose, which a Swarm does not disturb).
fn require_swarm() {
    if docker_text(&["info", "--format", "{{.Swarm.LocalNodeState}}"]) != "active" {
        let out = docker(&["swarm", "init", "--advertise-addr", "127.0.0.1"]);
        assert!(out.status.success(), "swarm init: {}", String::from_utf8_lossy(&out.stderr));
    }
}

/// Removes the stack, then its volumes, even when an assertion failed.
struct StackGuard(String);

impl Drop for StackGuard {
    fn drop(&mut self) {
        let label = format!("label=com.docker.stack.namespace={}", self.0);
        let _ = docker(&["stack", "rm", &self.0]);
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline
            && !(docker_text(&["ps", "-aq", "--filter", &label]).is_empty()
                && docker_text(&["network", "ls", "-q", "--filter", &label]).is_empty())
        {
            std::thread::sleep(Duration::from_millis(500));
        }
        let vols = docker_text(&["volume", "ls", "-q", "--filter", &label]);
        for v in vols.lines().filter(|l| !l.is_empty()) {
            let _ = docker(&["volume", "rm", v]);
        }
    }
}

/// One webhook delivery: when, and the alerts it carried.
#[derive(Debug, Clone)]
struct Delivery {
    at: Instant,
    alerts: Vec<serde_json::Value>,
}

fn get_json(url: &str) -> Option<serde_json::Value> {
    let (code, body) = crate::common::http_server::http_get(url, Duration::from_secs(3)).ok()?;
    (code == 200).then(|| serde_json::from_str(&body).ok()).flatten()
}

/// The cluster size each peer reports (`None`: it does not answer).
fn cluster_sizes(ports: &[u16]) -> Vec<Option<usize>> {
    ports
        .iter()
        .map(|p| {
            get_json(&format!("http://127.0.0.1:{p}/api/v2/status"))
                .and_then(|v| v["cluster"]["peers"].as_array().map(|a| a.len()))
        })
        .collect()
}

fn wait_for<T>(what: &str, limit: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out after {limit:?} waiting for {what}");
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Deliveries after `since`.
fn after(log: &Mutex<Vec<Delivery>>, since: Instant) -> Vec<Delivery> {
    log.lock().expect("log").iter().filter(|d| d.at > since).cloned().collect()
}

/// Slack for the time between Alertmanager's notification log entry and our receipt.
const JITTER: Duration = Duration::from_secs(3);

/// Every delivery holds the one alert, without a replica label, and no two deliveries are
/// closer than the repeat interval less [`JITTER`]: a second replica's alert would come
/// within seconds, a peer that missed the gossip after its wait (15 s per position).
fn exactly_once(ds: &[Delivery], context: &str) {
    for d in ds {
        assert_eq!(d.alerts.len(), 1, "{context}: one alert per notification: {:?}", d.alerts);
        let labels = &d.alerts[0]["labels"];
        assert_eq!(labels["alertname"], "SwarmDrill", "{context}: {labels}");
        assert!(labels.get("replica").is_none(), "{context}: replica label sent: {labels}");
    }
    for w in ds.windows(2) {
        let gap = w[1].at - w[0].at;
        assert!(gap >= REPEAT - JITTER, "{context}: two notifications {gap:?} apart: {ds:?}");
    }
}

#[test]
fn swarm_ha_fails_over_and_notifies_exactly_once() {
    require_docker();
    require_swarm();
    let t0 = Instant::now();

    // The webhook receiver, on the Docker bridge's gateway.
    let gateway = docker_text(&[
        "network",
        "inspect",
        "bridge",
        "--format",
        "{{(index .IPAM.Config 0).Gateway}}",
    ]);
    assert!(!gateway.is_empty(), "no gateway on Docker's default bridge");
    let log: Arc<Mutex<Vec<Delivery>>> = Arc::default();
    let log2 = log.clone();
    let hook = TestServer::start_on(&gateway, move |req| {
        if req.path() == "/hook" {
            let v: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
            let alerts = v["alerts"].as_array().cloned().unwrap_or_default();
            log2.lock().expect("log").push(Delivery { at: Instant::now(), alerts });
        }
        Reply::Respond(Response::ok("ok"))
    });

    // The HA stack: local images, free ports, a rule that fires at once, the webhook route.
    let st = TestStack::new("swarm");
    let dir = st.path();
    let extra = [
        ("PROMETHEUS_2_PORT", free_port()),
        ("ALERTMANAGER_2_PORT", free_port()),
        ("ALERTMANAGER_3_PORT", free_port()),
    ];
    let mut env = read(&dir.join(".env"));
    for (k, v) in extra {
        env = stellar_obs::stack::env_file::set(&env, k, &v.to_string());
    }
    std::fs::write(dir.join(".env"), env).expect(".env");
    let settings = read(&dir.join("stellar-obs.yml"));
    std::fs::write(dir.join("stellar-obs.yml"), stellar_obs::ha::settings_file(&settings))
        .expect("settings");
    let prom = read(&dir.join("prometheus/prometheus.yml"));
    let ha = stellar_obs::ha::prometheus_config(&prom).expect("ha config");
    std::fs::write(dir.join("prometheus/prometheus.yml"), ha).expect("prometheus.yml");
    let prom = read(&dir.join("prometheus/prometheus.yml"));
    std::fs::write(
        dir.join("prometheus/prometheus.yml"),
        prom.replacen("rule_files:\n", "rule_files:\n  - swarm_drill.yml\n", 1),
    )
    .expect("rule_files");
    std::fs::write(
        dir.join("prometheus/swarm_drill.yml"),
        "groups:\n  - name: drill\n    interval: 1s\n    rules:\n      - alert: SwarmDrill\n        expr: vector(1)\n        labels:\n          severity: info\n        annotations:\n          summary: fires at once\n",
    )
    .expect("rules");
    std::fs::write(
        dir.join("alerting/alertmanager.yml"),
        format!(
            "route:\n  receiver: other\n  group_by: [alertname]\n  group_wait: 1s\n  group_interval: 2s\n  repeat_interval: {}s\n  routes:\n    - matchers: [alertname=SwarmDrill]\n      receiver: hook\nreceivers:\n  - name: other\n  - name: hook\n    webhook_configs:\n      - url: http://{gateway}:{}/hook\n        send_resolved: false\n",
            REPEAT.as_secs(),
            hook.port()
        ),
    )
    .expect("alertmanager.yml");
    let stack = st.project.clone();
    let _guard = StackGuard(stack.clone());
    let am_ports = [st.port("alertmanager"), extra[1].1, extra[2].1];
    let prom_ports = [st.port("prometheus"), extra[0].1];

    // up --swarm: validates, deploys, waits for every task, shows replicas and nodes.
    let out = st
        .cmd()
        .args(["up", "--swarm", "--timeout", "120", "--services"])
        .arg("prometheus,alertmanager,node-exporter,pushgateway")
        .output()
        .expect("up");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "up --swarm failed:\n{stdout}\n{stderr}");
    for svc in
        ["prometheus-1", "prometheus-2", "alertmanager-1", "alertmanager-2", "alertmanager-3"]
    {
        let line = stdout
            .lines()
            .find(|l| l.contains(&format!(" {svc} ")))
            .unwrap_or_else(|| panic!("{svc}:\n{stdout}"));
        assert!(
            line.contains("running") && line.contains("healthy") && line.contains("1/1"),
            "{line}"
        );
    }
    eprintln!("up --swarm: {:?}", t0.elapsed());

    // status finds the deployed stack by itself.
    let out = st.cmd().args(["status", "-o", "json"]).output().expect("status");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("status json");
    let row = |name: &str| {
        v["services"]
            .as_array()
            .and_then(|a| a.iter().find(|r| r["service"] == name))
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(row("node-exporter")["replicas"], "1/1", "{v}");
    assert!(row("prometheus-2")["nodes"].as_array().is_some_and(|n| n.len() == 1), "{v}");

    // The stack file holds values from .env (the Grafana password): owner only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join(".stellar-obs-swarm.yml"))
            .expect("stack file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "stack file mode {mode:o}");
    }
    // logs on Swarm: `docker service logs` of one service.
    let out = st.cmd().args(["logs", "alertmanager-2", "--tail", "50"]).output().expect("logs");
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("Listening on") || text.contains("cluster"),
        "alertmanager's own log: {text}"
    );

    // Both replicas label their data with their own name and send to all three peers.
    for (p, name) in prom_ports.iter().zip(["prometheus-1", "prometheus-2"]) {
        let q = format!("http://127.0.0.1:{p}/api/v1/status/config");
        let cfg = wait_for("the replica's config", Duration::from_secs(30), || get_json(&q));
        let yaml = cfg["data"]["yaml"].as_str().unwrap_or("");
        assert!(yaml.contains(&format!("replica: {name}")), "{name}: {yaml}");
        let am =
            get_json(&format!("http://127.0.0.1:{p}/api/v1/alertmanagers")).expect("alertmanagers");
        assert_eq!(am["data"]["activeAlertmanagers"].as_array().map(Vec::len), Some(3), "{am}");
    }

    // The peers form one cluster of three.
    wait_for("a cluster of 3 seen by every peer", Duration::from_secs(60), || {
        cluster_sizes(&am_ports).iter().all(|n| *n == Some(3)).then_some(())
    });
    eprintln!("cluster formed: {:?}", t0.elapsed());
    let out = st
        .cmd()
        .args(["check-health", "-o", "json", "--timeout", "3", "--only", "prometheus,alertmanager"])
        .output()
        .expect("check-health");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("health json");
    let am_row = v["checks"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["component"] == "alertmanager"))
        .cloned()
        .expect("row");
    let details = am_row.to_string();
    assert!(details.contains("every peer sees a cluster of 3"), "{am_row}");

    // Deduplication: both replicas send the alert; one notification per cycle.
    let first = wait_for("the first notification", Duration::from_secs(60), || {
        log.lock().expect("log").first().map(|d| d.at)
    });
    let since = first - Duration::from_millis(1);
    wait_for("a repeated notification", REPEAT * 3, || {
        (after(&log, since).len() >= 2).then_some(())
    });
    exactly_once(&after(&log, since), "both replicas");

    // Lose a Prometheus task: the alert still arrives; check-health says degraded (exit 1).
    let lost = Instant::now();
    let out = docker(&["service", "scale", "--detach", &format!("{stack}_prometheus-2=0")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let next = wait_for("a notification after losing prometheus-2", REPEAT * 3, || {
        after(&log, lost).first().map(|d| d.at)
    });
    eprintln!("MEASURED prometheus task loss -> next notification: {:?}", next - lost);
    wait_for("prometheus-2 gone", Duration::from_secs(30), || {
        crate::common::http_server::http_get(
            &format!("http://127.0.0.1:{}/-/healthy", prom_ports[1]),
            Duration::from_secs(1),
        )
        .is_err()
        .then_some(())
    });
    let out = st
        .cmd()
        .args(["check-health", "--swarm", "-o", "json", "--timeout", "3", "--only"])
        .arg("prometheus,alertmanager,node_exporter,pushgateway")
        .output()
        .expect("check-health");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("health json");
    assert_eq!(out.status.code(), Some(1), "degraded is exit 1: {v}");
    assert_eq!(v["status"], "degraded", "{v}");
    let prom_row = v["checks"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["component"] == "prometheus"))
        .cloned()
        .expect("row");
    assert_eq!(prom_row["status"], "degraded", "{prom_row}");
    assert!(prom_row["message"].as_str().is_some_and(|m| m.contains("prometheus-2")), "{prom_row}");

    // Stop an Alertmanager peer: still exactly once; the others see a cluster of 2.
    let stopped = Instant::now();
    let out = docker(&["service", "scale", "--detach", &format!("{stack}_alertmanager-1=0")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    wait_for("the remaining peers to see a cluster of 2", Duration::from_secs(90), || {
        let s = cluster_sizes(&am_ports);
        (s[0].is_none() && s[1] == Some(2) && s[2] == Some(2)).then_some(())
    });
    let next = wait_for("a notification after stopping alertmanager-1", REPEAT * 3, || {
        after(&log, stopped).first().map(|d| d.at)
    });
    eprintln!("MEASURED alertmanager peer loss -> next notification: {:?}", next - stopped);
    wait_for("notifications going on with two peers", REPEAT * 3, || {
        (after(&log, stopped).len() >= 2).then_some(())
    });
    exactly_once(&after(&log, stopped), "two peers");

    // down --swarm removes the stack and keeps the volumes; --volumes --yes deletes them.
    let label = format!("label=com.docker.stack.namespace={stack}");
    let out = st.cmd().args(["down", "--swarm"]).output().expect("down");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(docker_text(&["service", "ls", "-q", "--filter", &label]).is_empty(), "services left");
    let vols = docker_text(&["volume", "ls", "-q", "--filter", &label]);
    assert!(
        vols.contains("prometheus_data_1") && vols.contains("alertmanager_data_3"),
        "volumes kept: {vols}"
    );
    assert!(stdout.contains("down --volumes --yes"), "{stdout}");
    let out = st.cmd().args(["down", "--swarm", "--volumes", "--yes"]).output().expect("down -v");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(docker_text(&["volume", "ls", "-q", "--filter", &label]).is_empty(), "volumes deleted");
    eprintln!("swarm e2e: {:?}", t0.elapsed());
}

#[test]
fn swarm_refuses_a_stack_that_is_not_ha_and_says_what_to_change() {
    let d = crate::common::init_stack();
    let out = crate::common::bin()
        .arg("--dir")
        .arg(d.path())
        .args(["up", "--swarm"])
        .output()
        .expect("up");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("topology: ha") && stderr.contains("init --ha --force"), "{stderr}");
}

#[test]
fn swarm_up_names_the_images_the_node_lacks_and_deploys_nothing() {
    require_docker();
    require_swarm();
    let st = TestStack::new("swarm-img");
    let dir = st.path();
    let settings = read(&dir.join("stellar-obs.yml"));
    std::fs::write(dir.join("stellar-obs.yml"), stellar_obs::ha::settings_file(&settings))
        .expect("settings");
    let prom = read(&dir.join("prometheus/prometheus.yml"));
    std::fs::write(
        dir.join("prometheus/prometheus.yml"),
        stellar_obs::ha::prometheus_config(&prom).expect("ha"),
    )
    .expect("prometheus.yml");
    let env = read(&dir.join(".env"));
    let env = stellar_obs::stack::env_file::set(
        &env,
        "PUSHGATEWAY_IMAGE",
        "stellar-obs-test/not-built:local",
    );
    std::fs::write(dir.join(".env"), env).expect(".env");
    let _guard = StackGuard(st.project.clone());
    let out = st
        .cmd()
        .args(["up", "--swarm", "--no-validate", "--services", "pushgateway,prometheus-1"])
        .output()
        .expect("up");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("stellar-obs-test/not-built:local")
            && stderr.contains("docker pull stellar-obs-test/not-built:local"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("stellar-obs-test/prometheus:local"),
        "only the missing one: {stderr}"
    );
    let label = format!("label=com.docker.stack.namespace={}", st.project);
    assert!(docker_text(&["service", "ls", "-q", "--filter", &label]).is_empty(), "deployed");
}

#[test]
fn init_ha_writes_the_topology_keeps_it_and_validate_warns_about_ha_mistakes() {
    let d = tempfile::tempdir().expect("tmp");
    let dir = d.path().join("obs");
    let run = |args: &[&str]| {
        crate::common::bin().arg("--dir").arg(&dir).args(args).output().expect("runs")
    };
    let out = run(&["init", "--ha"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(read(&dir.join("stellar-obs.yml")).contains("\ntopology: ha\n"));
    let prom = read(&dir.join("prometheus/prometheus.yml"));
    assert!(prom.contains("replica: ${STELLAR_OBS_REPLICA}"), "{prom}");
    // A second init without --ha keeps the HA files as they are.
    let out = run(&["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(read(&dir.join("prometheus/prometheus.yml")), prom);
    let out = run(&["validate", "-o", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(out.status.code(), Some(0), "{v}");
    // One Alertmanager and no per-replica label: both warnings, positioned.
    let single = prom
        .replace(
            "[\"alertmanager-1:9093\", \"alertmanager-2:9093\", \"alertmanager-3:9093\"]",
            "[\"alertmanager:9093\"]",
        )
        .replace("    replica: ${STELLAR_OBS_REPLICA}\n", "");
    std::fs::write(dir.join("prometheus/prometheus.yml"), single).expect("write");
    let out = run(&["validate", "-o", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .expect("diags")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .filter(|c| c.starts_with("ha/"))
        .collect();
    // In the order of their positions: the label (global) before alerting.
    assert_eq!(codes, ["ha/shared-external-labels", "ha/single-alertmanager"], "{v}");
    let d0 = &v["diagnostics"]
        .as_array()
        .expect("d")
        .iter()
        .find(|d| d["code"] == "ha/single-alertmanager")
        .cloned()
        .expect("d");
    assert_eq!(
        d0["path"].as_str().map(|p| p.ends_with("prometheus/prometheus.yml")),
        Some(true),
        "{d0}"
    );
    assert!(d0["line"].as_u64().is_some_and(|l| l > 1), "{d0}");
}
