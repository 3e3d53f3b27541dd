//! `up`, `status`, `down`, `logs`, `restart` end to end, on the real Docker engine and
//! Compose v2, with local images of Prometheus, Alertmanager, node-exporter and Pushgateway
//! built from the Debian packages (scripts/build-test-images.sh). Each test has its own
//! project name and free host ports, and removes everything it created when it ends.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::common::docker::{CORE, ProjectGuard, TestStack, local_image, require_docker};
use crate::common::{bin, init_stack, read};

const CORE_LIST: &str = "prometheus,alertmanager,node-exporter,pushgateway";

/// The HTTP status of GET http://127.0.0.1:port/path.
fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut buf = String::new();
    s.read_to_string(&mut buf).ok()?;
    buf.split_whitespace().nth(1)?.parse().ok()
}

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(out)))
}

fn status_json(st: &TestStack) -> (i32, serde_json::Value) {
    let out = st.cmd().args(["status", "-o", "json"]).output().expect("runs");
    (out.status.code().unwrap_or(-1), json(&out.stdout))
}

fn row<'a>(v: &'a serde_json::Value, service: &str) -> &'a serde_json::Value {
    v["services"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["service"] == service))
        .unwrap_or_else(|| panic!("no row for {service} in {v}"))
}

/// The whole lifecycle: up a subset, status, up again (no change), logs, restart, a
/// container stopped by hand, `down --volumes` refused without `--yes`, down, data kept.
#[test]
fn lifecycle_end_to_end_on_the_real_engine() {
    require_docker();
    let st = TestStack::new("life");
    let t0 = std::time::Instant::now();

    // up: validates, starts the four core services, waits until healthy, shows the table.
    let out =
        st.cmd().args(["up", "--services", CORE_LIST, "--timeout", "120"]).output().expect("up");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "up failed:\n{stdout}\n{stderr}");
    for svc in CORE {
        assert!(
            stderr.contains(&format!("{svc}: healthy")),
            "no progress line for {svc}:\n{stderr}"
        );
        let line = stdout
            .lines()
            .find(|l| l.contains(&format!(" {svc} ")))
            .unwrap_or_else(|| panic!("{svc} not in table:\n{stdout}"));
        assert!(line.contains("running") && line.contains("healthy"), "{line}");
    }
    assert!(stdout.contains("4 services running and healthy"), "{stdout}");
    eprintln!("up took {:?}", t0.elapsed());

    // A partial stack is first-class: check-health and backup leave out what `up --services`
    // did not start, and say why; --only still overrides.
    let out = st.cmd().args(["check-health", "-o", "json", "--timeout", "3"]).output().expect("ch");
    let v = json(&out.stdout);
    let check = |name: &str| {
        v["checks"]
            .as_array()
            .and_then(|a| a.iter().find(|c| c["component"] == name))
            .cloned()
            .unwrap_or_else(|| panic!("no {name} in {v}"))
    };
    for svc in ["grafana", "loki", "jaeger", "cadvisor"] {
        let c = check(svc);
        assert_eq!(c["status"], "skipped", "{c}");
        assert!(c["message"].as_str().is_some_and(|m| m.contains("not started")), "{c}");
    }
    for svc in ["prometheus", "alertmanager", "pushgateway"] {
        assert_ne!(check(svc)["status"], "skipped", "{v}");
    }
    let out = st
        .cmd()
        .args(["check-health", "-o", "json", "--timeout", "3", "--only", "grafana"])
        .output()
        .expect("ch");
    let v = json(&out.stdout);
    assert_eq!(v["checks"][0]["component"], "grafana", "{v}");
    assert_ne!(v["checks"][0]["status"], "skipped", "--only overrides: {v}");
    let archive = st.path().join("partial.tar.gz");
    let out = st.cmd().args(["backup", "-o", "json", "--out"]).arg(&archive).output().expect("b");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("leaving out grafana: not started"), "{stderr}");
    let v = json(&out.stdout);
    assert_eq!(v["components"]["grafana"]["included"], false, "{v}");
    assert_eq!(v["components"]["prometheus"]["included"], true, "{v}");
    std::fs::remove_file(&archive).expect("rm");

    // The services really answer on the published ports.
    for (svc, path) in [
        ("prometheus", "/-/healthy"),
        ("alertmanager", "/-/healthy"),
        ("node-exporter", "/metrics"),
        ("pushgateway", "/-/healthy"),
    ] {
        assert_eq!(http_status(st.port(svc), path), Some(200), "{svc}{path}");
    }

    // status -o json: every service of the compose file, missing ones included.
    let (code, v) = status_json(&st);
    assert_eq!(code, 0, "{v}");
    let rows = v["services"].as_array().expect("services");
    let names: Vec<&str> = rows.iter().filter_map(|r| r["service"].as_str()).collect();
    assert_eq!(
        names,
        [
            "alertmanager",
            "cadvisor",
            "grafana",
            "jaeger",
            "loki",
            "node-exporter",
            "prometheus",
            "promtail",
            "pushgateway"
        ]
    );
    for (svc, target) in [
        ("prometheus", 9090),
        ("alertmanager", 9093),
        ("node-exporter", 9100),
        ("pushgateway", 9091),
    ] {
        let r = row(&v, svc);
        assert_eq!(r["state"], "running", "{r}");
        assert_eq!(r["health"], "healthy", "{r}");
        assert_eq!(r["image"], local_image(svc), "{r}");
        assert_eq!(
            r["ports"],
            serde_json::json!([format!("127.0.0.1:{}->{target}/tcp", st.port(svc))])
        );
        assert!(r["uptime"].is_string() && r["uptime_seconds"].as_u64().is_some(), "{r}");
    }
    // On a narrow terminal the table wraps at spaces and commas, never inside a port
    // mapping or an image reference.
    let dir = st.path().as_os_str().to_owned();
    let args = ["--dir".as_ref(), dir.as_os_str(), "--project".as_ref(), st.project.as_ref()];
    let narrow = crate::common::on_terminal(&[&args[..], &["status".as_ref()]].concat(), 60);
    let words: Vec<&str> = narrow
        .split(|c: char| c.is_whitespace() || "│╭╮╰╯─┬┴├┤┼".contains(c))
        .filter(|w| !w.is_empty())
        .collect();
    for r in rows.iter().filter(|r| r["state"] == "running") {
        let image = r["image"].as_str().expect("image");
        let port = r["ports"][0].as_str().expect("port");
        for tok in [image, port] {
            assert!(words.contains(&tok), "`{tok}` broken on a 60-column terminal:\n{narrow}");
        }
    }
    assert!(narrow.lines().any(|l| l.starts_with('╭')), "not a table:\n{narrow}");
    for svc in ["grafana", "loki", "jaeger", "cadvisor", "promtail"] {
        let r = row(&v, svc);
        assert_eq!(r["state"], "missing", "{r}");
        assert_eq!(r["health"], "none", "{r}");
        assert!(r["uptime"].is_null(), "{r}");
        assert!(
            r["image"].as_str().is_some_and(|i| !i.is_empty() && !i.contains("stellar-obs-test")),
            "{r}"
        );
    }

    // up again: nothing changes, and it says so.
    let ids_before = st.running_containers();
    let out =
        st.cmd().args(["up", "--services", CORE_LIST, "-o", "json"]).output().expect("up again");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out.stdout);
    assert_eq!(v["changed"], false, "{v}");
    for svc in CORE {
        assert_eq!(v["actions"][svc], "unchanged", "{v}");
    }
    assert!(v["failure"].is_null(), "{v}");
    assert_eq!(st.running_containers(), ids_before);
    let out = st.cmd().args(["up", "--services", "pushgateway"]).output().expect("up human");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Nothing changed: 1 service (pushgateway) was already running and healthy"),
        "{stdout}"
    );

    // logs of one service; an unknown one is refused with the list.
    let out = st.cmd().args(["logs", "prometheus", "--tail", "5"]).output().expect("logs");
    assert_eq!(out.status.code(), Some(0));
    let logs =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        logs.contains("Server is ready to receive web requests") || logs.lines().count() >= 1,
        "{logs}"
    );
    let out = st.cmd().args(["logs", "prometheus-x"]).output().expect("logs");
    assert_eq!(out.status.code(), Some(2), "a service that does not exist is a wrong request");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            "unknown service `prometheus-x` (did you mean `prometheus`?): the compose file has alertmanager, cadvisor"
        )
    );
    let out = st.cmd().args(["logs", "alertmanger"]).output().expect("logs");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("(did you mean `alertmanager`?)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // restart one service: same container, started again.
    let uptime_before =
        row(&status_json(&st).1, "alertmanager")["uptime_seconds"].as_u64().expect("uptime");
    std::thread::sleep(Duration::from_secs(2));
    let out = st.cmd().args(["restart", "alertmanager", "-o", "json"]).output().expect("restart");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let r = row(&json(&out.stdout), "alertmanager").clone();
    assert_eq!(r["state"], "running", "{r}");
    assert!(
        r["uptime_seconds"].as_u64().expect("uptime") < uptime_before + 2,
        "{r} vs {uptime_before}"
    );

    // A container stopped by hand shows up in status, which then fails.
    let name = format!("{}-pushgateway-1", st.project);
    let stop = std::process::Command::new("docker")
        .args(["stop", "-t", "5", &name])
        .output()
        .expect("docker stop");
    assert!(stop.status.success(), "{}", String::from_utf8_lossy(&stop.stderr));
    let (code, v) = status_json(&st);
    assert_eq!(code, 1, "{v}");
    let r = row(&v, "pushgateway");
    assert_eq!(r["state"], "exited", "{r}");
    assert!(r["uptime"].is_null(), "{r}");
    assert_eq!(row(&v, "prometheus")["state"], "running");
    let out = st.cmd().arg("status").output().expect("status human");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("not running or unhealthy: pushgateway"), "{stdout}");

    // down --volumes without --yes: lists the volumes and their sizes, changes nothing.
    let running_before = st.running_containers();
    assert_eq!(running_before.len(), 3, "{running_before:?}");
    let out = st.cmd().args(["down", "--volumes"]).output().expect("down -v");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    for vol in ["prometheus_data", "alertmanager_data", "pushgateway_data"] {
        let full = format!("{}_{vol}", st.project);
        let line = stdout
            .lines()
            .find(|l| l.contains(&full))
            .unwrap_or_else(|| panic!("{full} not listed:\n{stdout}"));
        assert!(line.contains('B'), "no size on: {line}");
    }
    assert!(stdout.contains("Nothing was changed"), "{stdout}");
    assert_eq!(st.running_containers(), running_before, "containers must still run");
    assert_eq!(st.volumes().len(), 3);
    let out = st.cmd().args(["down", "--volumes", "-o", "json"]).output().expect("down -v json");
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out.stdout);
    assert_eq!(v["refused"], true);
    assert_eq!(v["volumes"].as_array().map(Vec::len), Some(3), "{v}");
    assert!(v["volumes"][0]["bytes"].as_u64().is_some(), "{v}");

    // down: containers gone, data kept.
    let out = st.cmd().arg("down").output().expect("down");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("Stopped and removed 4 containers"), "{stdout}");
    assert!(stdout.contains("Kept 3 volumes"), "{stdout}");
    assert!(st.running_containers().is_empty());
    assert_eq!(st.volumes().len(), 3);
    let (code, v) = status_json(&st);
    assert_eq!(code, 1);
    assert!(v["services"].as_array().expect("rows").iter().all(|r| r["state"] == "missing"), "{v}");

    // down --volumes --yes deletes the data.
    let out = st.cmd().args(["down", "--volumes", "--yes"]).output().expect("down -v --yes");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Deleted 3 volumes"));
    assert!(st.volumes().is_empty());
    eprintln!("lifecycle test took {:?}", t0.elapsed());
}

/// A service that cannot start: `up` names it, shows its last log lines, exits 1.
#[test]
fn up_failure_names_the_service_and_shows_its_logs() {
    require_docker();
    let st = TestStack::new("fail");
    let am = st.path().join("alerting/alertmanager.yml");
    std::fs::write(&am, read(&am) + "\nroute: [\n").expect("break alertmanager.yml");
    // The broken Alertmanager config is the point here, so validation is skipped.
    let out = st
        .cmd()
        .args(["up", "--services", "alertmanager", "--timeout", "60", "--no-validate"])
        .output()
        .expect("up");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("up failed:"), "{stdout}");
    assert!(stdout.contains("alertmanager is "), "{stdout}");
    assert!(stdout.contains("Loading configuration file failed"), "log lines missing:\n{stdout}");
}

/// `up` on a broken stack refuses with the validator's findings, before touching Docker.
#[test]
fn up_refuses_a_broken_stack_with_the_findings() {
    let d = init_stack();
    let f = d.path().join("docker-compose.observability.yml");
    std::fs::write(&f, read(&f) + "  broken: [\n").expect("write");
    let out = bin()
        .arg("--dir")
        .arg(d.path())
        .args(["up", "--project", "never-started"])
        .output()
        .expect("up");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let finding = stderr
        .lines()
        .find(|l| l.contains("docker-compose.observability.yml:") && l.contains(": error["))
        .unwrap_or_else(|| panic!("no finding in:\n{stderr}"));
    // path:line:col: error[code]: message
    let rest = finding.split("docker-compose.observability.yml:").nth(1).expect("position");
    let mut parts = rest.splitn(3, ':');
    assert!(parts.next().and_then(|l| l.parse::<u32>().ok()).is_some(), "{finding}");
    assert!(parts.next().and_then(|c| c.parse::<u32>().ok()).is_some(), "{finding}");
    assert!(stderr.contains("refusing to start"), "{stderr}");
    assert!(stderr.contains("--no-validate"), "{stderr}");
    assert!(out.stdout.is_empty());

    // A prometheus.yml that does not parse: its error comes first, and the cross-file
    // checks that depend on it are skipped with one note, as `validate` does.
    std::fs::write(&f, read(&f).replace("  broken: [\n", "")).expect("write");
    let prom = d.path().join("prometheus/prometheus.yml");
    std::fs::write(&prom, read(&prom).replacen("\n  scrape_timeout:", "\n scrape_timeout:", 1))
        .expect("write");
    let out = bin().arg("--dir").arg(d.path()).args(["up", "--project", "never-started"]).output();
    let stderr = String::from_utf8_lossy(&out.expect("up").stderr).to_string();
    let first = stderr.lines().find(|l| l.contains("[")).unwrap_or_default();
    assert!(
        first.contains("prometheus.yml:") && first.contains(": error[yaml/syntax]"),
        "{stderr}"
    );
    assert!(!stderr.contains("[cross/"), "{stderr}");
    assert_eq!(stderr.lines().filter(|l| l.starts_with("note: ")).count(), 1, "{stderr}");
}

/// With --no-validate the broken file reaches Compose, whose complaint is one sentence.
#[test]
fn compose_errors_reach_the_user_as_one_sentence() {
    require_docker();
    let d = init_stack();
    let f = d.path().join("docker-compose.observability.yml");
    std::fs::write(&f, read(&f) + "  broken: [\n").expect("write");
    let out = bin()
        .arg("--dir")
        .arg(d.path())
        .args(["up", "--no-validate", "--project", "stellar-obs-e2e-never"])
        .output()
        .expect("up");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(
        errors[0].contains("`docker compose config` (project stellar-obs-e2e-never) failed: "),
        "{stderr}"
    );
    assert!(stderr.lines().count() <= 2, "more than the warning and one error:\n{stderr}");
}

/// Not installed, daemon not reachable: each gets its own message saying what to do.
#[test]
fn engine_problems_say_what_to_do() {
    let d = init_stack();
    let empty = tempfile::tempdir().expect("tmp");
    let out = bin()
        .arg("--dir")
        .arg(d.path())
        .arg("status")
        .env("PATH", empty.path())
        .output()
        .expect("status");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("Docker Compose v2 is not installed"), "{stderr}");
    assert!(stderr.contains("`docker compose version`"), "{stderr}");
    assert!(stderr.contains("install Docker Engine"), "{stderr}");

    require_docker();
    let out = bin()
        .arg("--dir")
        .arg(d.path())
        .arg("status")
        .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        .output()
        .expect("status");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("the Docker daemon is not reachable (nothing answers at unix:///nonexistent/docker.sock)"),
        "{stderr}"
    );
    assert!(stderr.contains("start it"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    let elsewhere = tempfile::tempdir().expect("tmp");
    let out = bin()
        .arg("--dir")
        .arg(elsewhere.path().join("nowhere"))
        .arg("status")
        .output()
        .expect("status");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "a --dir that is no stack is a wrong request");
    assert!(stderr.contains("run `stellar-obs --dir"), "{stderr}");
    assert!(stderr.contains(" init`"), "{stderr}");
    // Inside an existing stack, never an `init` (it would make a nested stack).
    let out =
        bin().arg("--dir").arg(d.path().join("nowhere")).arg("status").output().expect("status");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("is inside the stack in"), "{stderr}");
    assert!(!stderr.contains("init"), "{stderr}");
}

/// Two stack directories on one host. Under one project name (two old stacks, or the same
/// `--project`), the second directory neither sees nor touches the first one's containers:
/// `status` leaves them out, `down` and `up` refuse, naming the owner. With the names `init`
/// writes (from where each stack lives) they are two projects, and `down` in one leaves the
/// other running.
#[test]
fn two_stacks_on_one_host_never_touch_each_other() {
    require_docker();
    let a = TestStack::new("two-a");
    let mut b = TestStack::new("two-b");
    b.project = a.project.clone();
    let out =
        a.cmd().args(["up", "--services", "pushgateway", "--timeout", "60"]).output().expect("up");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let running = a.running_containers();
    assert_eq!(running.len(), 1, "{running:?}");

    // status in the other directory: not its container.
    let (_, v) = status_json(&b);
    assert_eq!(row(&v, "pushgateway")["state"], "missing", "{v}");
    let out = b.cmd().arg("status").output().expect("status");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&format!("made by the stack in {}", a.path().display())), "{stdout}");

    // down and up in the other directory refuse, say who owns them and how to target it.
    for args in [&["down"][..], &["up", "--services", "pushgateway", "--no-validate"]] {
        let out = b.cmd().args(args).output().expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("belong to the stack in {}", a.path().display())),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains(&format!("--project {}", a.project)), "{stderr}");
        assert_eq!(a.running_containers(), running, "{args:?} touched the other stack");
    }

    // The names init wrote: two projects; `down` in one leaves the other running.
    let own = || {
        let mut c = crate::common::bin();
        c.arg("--dir").arg(b.path());
        c
    };
    let out = own().args(["up", "--services", "pushgateway", "-o", "json"]).output().expect("up");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = own().args(["down", "--volumes", "--yes", "-o", "json"]).output().expect("down");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out.stdout);
    assert_eq!(v["removed"], serde_json::json!(["pushgateway"]), "{v}");
    assert_ne!(v["project"], a.project.as_str(), "{v}");
    assert_eq!(a.running_containers(), running, "down in one directory stopped the other stack");
    let (code, v) = status_json(&a);
    assert_eq!((code, &row(&v, "pushgateway")["state"]), (0, &serde_json::json!("running")));

    // Volume-only collision: a's containers are gone but its data is kept (`down`); b, under
    // the same project name, neither uses nor deletes a's volumes (they carry no directory
    // label: a's state file remembers them, b's does not).
    let out = a.cmd().arg("down").output().expect("down");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let volumes = a.volumes();
    assert!(!volumes.is_empty(), "down keeps the volumes");
    for args in
        [&["up", "--services", "pushgateway", "--no-validate"][..], &["down", "--volumes", "--yes"]]
    {
        let out = b.cmd().args(args).output().expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("did not make them"), "{args:?}: {stderr}");
        assert!(stderr.contains("--claim-volumes"), "{args:?}: {stderr}");
        assert_eq!(a.volumes(), volumes, "{args:?} touched the other stack's volumes");
        assert!(a.running_containers().is_empty(), "{args:?} started containers");
    }
    // a's own volumes stay a's: it may delete them.
    let out = a.cmd().args(["down", "--volumes", "--yes"]).output().expect("down -v");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(a.volumes().is_empty());
}

/// Removes what the adoption test made under the old fixed project name: containers made
/// from its directory, then the project's network (the test checked the name was unused).
struct LegacyCleanup(std::path::PathBuf);

impl Drop for LegacyCleanup {
    fn drop(&mut self) {
        let dir = self.0.display().to_string();
        let ids = crate::common::docker::docker_lines(&[
            "ps",
            "-aq",
            "--filter",
            "label=com.docker.compose.project=stellar-obs",
            "--filter",
            &format!("label=com.docker.compose.project.working_dir={dir}"),
        ]);
        if !ids.is_empty() {
            let mut args = vec!["rm", "-f"];
            args.extend(ids.iter().map(String::as_str));
            crate::common::docker::docker_lines(&args);
        }
        for n in crate::common::docker::docker_lines(&[
            "network",
            "ls",
            "-q",
            "--filter",
            "label=com.docker.compose.project=stellar-obs",
        ]) {
            crate::common::docker::docker_lines(&["network", "rm", &n]);
        }
    }
}

/// A stack made before project names came from the directory runs under the old fixed name
/// `stellar-obs`: it is found, adopted (said once, remembered), and managed as before.
#[test]
fn an_old_stack_under_the_fixed_project_name_is_adopted() {
    require_docker();
    let in_use = |what: &str| {
        let all = if what == "container" { "-aq" } else { "-q" };
        crate::common::docker::docker_lines(&[
            what,
            "ls",
            all,
            "--filter",
            "label=com.docker.compose.project=stellar-obs",
        ])
    };
    let taken: Vec<String> =
        ["container", "volume", "network"].into_iter().flat_map(in_use).collect();
    assert!(
        taken.is_empty(),
        "this test needs the Compose project name `stellar-obs` unused on this host (it is the old fixed name); in use by: {taken:?}"
    );
    let st = TestStack::new("adopt");
    let _cleanup = LegacyCleanup(st.path().to_path_buf());
    // An old stack: no `project:` in stellar-obs.yml, containers under `stellar-obs`.
    let settings = st.path().join("stellar-obs.yml");
    let text = read(&settings);
    let old: String =
        text.lines().filter(|l| !l.starts_with("project:")).map(|l| format!("{l}\n")).collect();
    assert_ne!(old, text, "init wrote no project line");
    std::fs::write(&settings, old).expect("w");
    let legacy = StackAt { stack: &st, project: "stellar-obs" };
    let out = legacy.compose(&["up", "-d", "node-exporter"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let run = |args: &[&str]| {
        let out =
            crate::common::bin().arg("--dir").arg(st.path()).args(args).output().expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (_, stdout, stderr) = run(&["status", "-o", "json"]);
    let v = json(stdout.as_bytes());
    assert_eq!(row(&v, "node-exporter")["state"], "running", "found under the old name: {v}");
    assert_eq!(stderr.matches("adopted it").count(), 1, "{stderr}");
    assert!(stderr.contains("`stellar-obs`"), "{stderr}");
    let state = read(&st.path().join(".stellar-obs-state.json"));
    assert!(state.contains("\"project\": \"stellar-obs\""), "{state}");
    // Said once: the next commands use the adopted name without a word.
    let (_, stdout, stderr) = run(&["status", "-o", "json"]);
    assert!(!stderr.contains("adopted"), "said twice: {stderr}");
    assert_eq!(row(&json(stdout.as_bytes()), "node-exporter")["state"], "running");
    let (code, stdout, stderr) = run(&["down"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("Stopped and removed 1 container"), "{stdout}");
    assert!(!stderr.contains("adopted"), "{stderr}");
}

/// `docker compose` on a test stack's files under another project name.
struct StackAt<'a> {
    stack: &'a TestStack,
    project: &'a str,
}

impl StackAt<'_> {
    fn compose(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new("docker")
            .arg("compose")
            .args(["-p", self.project, "-f"])
            .arg(self.stack.compose_file())
            .arg("--env-file")
            .arg(self.stack.path().join(".env"))
            .args(args)
            .output()
            .expect("docker compose runs")
    }
}

/// The README's first screen on a fresh machine: `stellar-obs up` where there is no stack
/// writes the default one (saying so) and starts it; from inside the stack directory (or a
/// folder of it) the commands find it without --dir, and never suggest a nested `init`.
#[test]
fn up_in_an_empty_place_writes_the_default_stack_and_commands_find_it_from_inside() {
    require_docker();
    let home = tempfile::tempdir().expect("tmp");
    let place = home.path().join("connector-a");
    std::fs::create_dir(&place).expect("mkdir");
    let project = "connector-a-observability";
    let _guard = ProjectGuard(project.to_string());
    let port = crate::common::docker::free_port();
    let cmd = |cwd: &std::path::Path| {
        let mut c = bin();
        c.current_dir(cwd)
            // Compose lets the environment override .env: the local image, a free port.
            .env("PUSHGATEWAY_IMAGE", local_image("pushgateway"))
            .env("PUSHGATEWAY_PORT", port.to_string());
        c
    };
    let out = cmd(&place)
        .args(["up", "--services", "pushgateway", "--timeout", "60"])
        .output()
        .expect("up");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}{}", String::from_utf8_lossy(&out.stdout));
    assert!(stderr.contains("wrote the default stack into observability"), "{stderr}");
    let stack = place.join("observability");
    let settings = read(&stack.join("stellar-obs.yml"));
    assert!(settings.contains(&format!("\nproject: {project}\n")), "{settings}");

    // From inside the stack and from a folder of it: found, same project.
    for cwd in [stack.clone(), stack.join("prometheus")] {
        let out = cmd(&cwd).args(["status", "-o", "json"]).output().expect("status");
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(row(&json(&out.stdout), "pushgateway")["state"], "running");
        let out = cmd(&cwd).arg("validate").output().expect("validate");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("not found") && !stderr.contains("init"), "{stderr}");
        assert_ne!(out.status.code(), Some(2), "{stderr}");
    }
    let out =
        cmd(&stack.join("prometheus")).args(["down", "--volumes", "--yes"]).output().expect("down");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("Stopped and removed 1 container: pushgateway")
    );
}
