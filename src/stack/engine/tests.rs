//! Unit tests of the engine wrappers and parsers.
/// The process group of `/proc/<pid>/stat` (field 5, after the parenthesised name).
#[cfg(target_os = "linux")]
fn pgrp(stat: &str) -> String {
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    after.split_whitespace().nth(2).unwrap_or_default().to_string()
}

#[cfg(target_os = "linux")]
#[test]
fn programs_started_in_a_critical_section_do_not_get_the_terminals_ctrl_c() {
    let ours = pgrp(&std::fs::read_to_string("/proc/self/stat").expect("stat"));
    let child_pgrp = || {
        let out =
            ProcessRunner.run("sh", &["-c".into(), "cat /proc/$$/stat".into()]).expect("sh runs");
        pgrp(&out.stdout)
    };
    assert_eq!(child_pgrp(), ours, "outside: the child shares our process group");
    let section = crate::interrupt::critical();
    let inside = child_pgrp();
    drop(section);
    assert_ne!(inside, ours, "inside: a group of its own, out of the terminal's Ctrl-C");
    assert!(!crate::interrupt::in_critical());
}

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::detect::version_from;
use super::testing::*;
use super::*;

#[test]
fn base_args_always_name_project_file_env_and_ansi() {
    let (c, _) = compose_with(FakeRunner::new());
    assert_eq!(
        c.args(&["ps"]),
        [
            "compose",
            "-p",
            "stellar-obs",
            "-f",
            "/s/docker-compose.observability.yml",
            "--env-file",
            "/s/.env",
            "--ansi",
            "never",
            "ps"
        ]
    );
    let standalone = Compose::new(
        Engine { kind: EngineKind::Standalone, version: "2.20.0".into() },
        "p",
        PathBuf::from("/s/c.yml"),
        None,
        Arc::new(FakeRunner::new()),
    );
    assert_eq!(standalone.args(&["ps"]), ["-p", "p", "-f", "/s/c.yml", "--ansi", "never", "ps"]);
    assert_eq!(standalone.engine.program(), "docker-compose");
}

#[test]
fn up_waits_with_a_timeout_when_the_engine_can() {
    let (c, _) = compose_with(FakeRunner::new());
    let a = c.up_args(&["prometheus".into(), "pushgateway".into()], Duration::from_secs(90));
    assert_eq!(a, ["up", "-d", "--wait", "--wait-timeout", "90", "prometheus", "pushgateway"]);
    let old = Compose::new(
        Engine { kind: EngineKind::DockerPlugin, version: "2.12.2".into() },
        "p",
        PathBuf::from("c.yml"),
        None,
        Arc::new(FakeRunner::new()),
    );
    assert_eq!(old.up_args(&[], Duration::from_secs(5)), ["up", "-d", "--wait"]);
    let five = Engine { kind: EngineKind::DockerPlugin, version: "5.0.0".into() };
    assert!(five.supports_wait_timeout());
}

#[test]
fn command_line_quotes_spaces() {
    let c = Compose::new(
        docker_v2(),
        "p",
        PathBuf::from("/my stack/c.yml"),
        None,
        Arc::new(FakeRunner::new()),
    );
    assert_eq!(c.command_line(&["ps"]), "docker compose -p p -f '/my stack/c.yml' --ansi never ps");
}

#[test]
fn versions_parse() {
    assert_eq!(parse_version("v2.40.3"), Some((2, 40)));
    assert_eq!(parse_version("2.17.0-desktop.1"), Some((2, 17)));
    assert_eq!(parse_version("5.0.0"), Some((5, 0)));
    assert_eq!(parse_version("docker-compose version 1.29.2, build 5becea4c"), Some((1, 29)));
    assert_eq!(parse_version("none"), None);
    assert_eq!(version_from("Docker Compose version v2.40.3\n").as_deref(), Some("2.40.3"));
    assert_eq!(version_from("2.40.3\n").as_deref(), Some("2.40.3"));
    assert_eq!(
        version_from("podman-compose version 1.0.6\npodman version 4.3.1\n").as_deref(),
        Some("4.3.1")
    );
}

#[test]
fn detection_prefers_the_plugin_then_standalone_then_podman() {
    let r = FakeRunner::new().on("docker compose version", Output::ok("v2.40.3\n"));
    let e = detect(&r, None).expect("plugin");
    assert_eq!(e, Engine { kind: EngineKind::DockerPlugin, version: "2.40.3".into() });

    let r = FakeRunner::new()
        .on(
            "docker compose version",
            Output::fail(1, "docker: 'compose' is not a docker command.\n"),
        )
        .on("docker-compose version", Output::ok("2.20.3\n"));
    assert_eq!(detect(&r, None).expect("standalone").kind, EngineKind::Standalone);

    let r = FakeRunner::new()
        .missing("docker compose")
        .missing("docker-compose")
        .on("podman compose version", Output::ok("podman-compose version 1.0.6\n"));
    assert_eq!(detect(&r, None).expect("podman").kind, EngineKind::Podman);

    let r = FakeRunner::new().missing("docker").missing("podman");
    let err = detect(&r, None).expect_err("none");
    assert!(err.to_string().contains("not installed"), "{err}");

    let r = FakeRunner::new()
        .on("docker compose version", Output::fail(1, "unknown command"))
        .on("docker-compose version", Output::ok("1.29.2\n"))
        .missing("podman");
    let err = detect(&r, None).expect_err("v1 only");
    assert!(err.to_string().contains("Compose v1 (1.29.2)"), "{err}");

    let r = FakeRunner::new().on("docker-compose version", Output::ok("2.30.0\n"));
    assert_eq!(detect(&r, Some("docker-compose")).expect("forced").kind, EngineKind::Standalone);
    assert_eq!(r.calls().len(), 1, "forcing tries nothing else");
    assert!(detect(&r, Some("nerdctl")).is_err());
}

#[cfg(unix)]
#[test]
fn fast_detection_needs_docker_on_path_and_the_plugin() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().expect("tmp");
    let bin = d.path().join("bin");
    let cfg = d.path().join("cfg");
    std::fs::create_dir_all(&bin).expect("mkdir");
    std::fs::create_dir_all(cfg.join("cli-plugins")).expect("mkdir");
    let exe = |p: &Path| {
        std::fs::write(p, "#!/bin/sh\n").expect("write");
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    };
    let path = bin.display().to_string();
    let cfg_s = cfg.display().to_string();
    // Only plugin dirs under DOCKER_CONFIG count here when the system ones lack it.
    let system_has_plugin =
        plugin_dirs(None, None).iter().any(|p| p.join("docker-compose").is_file());
    assert_eq!(detect_fast(Some(&path), Some(&cfg_s), None), None, "no docker on PATH");
    exe(&bin.join("docker"));
    assert_eq!(
        detect_fast(Some(&path), Some(&cfg_s), None).is_some(),
        system_has_plugin,
        "docker without a plugin"
    );
    exe(&cfg.join("cli-plugins/docker-compose"));
    let e = detect_fast(Some(&path), Some(&cfg_s), None).expect("plugin found");
    assert_eq!(e.kind, EngineKind::DockerPlugin);
    assert_eq!(e.version, "", "version is learnt later");
    assert_eq!(plugin_dirs(None, Some("/home/u"))[0], PathBuf::from("/home/u/.docker/cli-plugins"));
}

#[test]
fn ensure_version_asks_the_engine_once() {
    let runner = FakeRunner::new().on("docker compose version --short", Output::ok("v2.40.3\n"));
    let r = Arc::new(runner);
    let mut c = Compose::new(
        Engine { kind: EngineKind::DockerPlugin, version: String::new() },
        "p",
        PathBuf::from("c.yml"),
        None,
        r.clone(),
    );
    assert!(!c.engine.supports_wait_timeout());
    c.ensure_version().expect("version");
    c.ensure_version().expect("again");
    assert_eq!(c.engine.version, "2.40.3");
    assert!(c.engine.supports_wait_timeout());
    assert_eq!(r.calls().len(), 1);
}

#[test]
fn engine_problems_are_told_apart() {
    let down = classify(
        "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n",
    );
    assert_eq!(
        down,
        Some(DockerProblem::DaemonUnreachable {
            detail: "nothing answers at unix:///var/run/docker.sock".into()
        })
    );
    let perm = classify(
        "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get \"http://%2Fvar%2Frun%2Fdocker.sock/v1.24/containers/json\": dial unix /var/run/docker.sock: connect: permission denied\n",
    );
    let Some(DockerProblem::PermissionDenied { detail }) = perm else {
        panic!("expected permission denied, got {perm:?}")
    };
    assert_eq!(detail, "unix:///var/run/docker.sock");
    let msg = DockerProblem::PermissionDenied { detail }.to_string();
    assert!(msg.contains("docker` group"), "{msg}");
    assert_eq!(classify("service \"x\" has neither an image nor a build context"), None);
    assert!(DockerProblem::NotInstalled.to_string().contains("install"));
    // Hints that work: no `docker.io docker-compose-plugin` (Debian has no such plugin
    // package), Docker's repository, Ubuntu's v2 package, and how to check.
    for p in [DockerProblem::NotInstalled, DockerProblem::TooOld { version: "1.29.2".into() }] {
        let m = p.to_string();
        assert!(!m.contains("docker.io docker-compose-plugin"), "{m}");
        for needle in [
            "https://docs.docker.com/engine/install/debian/",
            "docker-ce docker-compose-plugin",
            "docker.io docker-compose-v2",
            "`docker compose version`",
            "Debian's `docker-compose` package is v1",
        ] {
            assert!(m.contains(needle), "{needle} missing: {m}");
        }
    }
}

#[test]
fn compose_errors_become_one_sentence() {
    let stderr = " Container p-prometheus-1  Running\n Container p-alertmanager-1  Waiting\ncontainer p-alertmanager-1 is unhealthy\n";
    assert_eq!(clean_error(stderr), "container p-alertmanager-1 is unhealthy");
    let stderr = " Network p_default  Creating\nError response from daemon: driver failed programming external connectivity: Bind for 127.0.0.1:9090 failed: port is already allocated\n";
    assert_eq!(
        clean_error(stderr),
        "driver failed programming external connectivity: Bind for 127.0.0.1:9090 failed: port is already allocated"
    );
    assert_eq!(
        clean_error(
            "\x1b[31merror\x1b[0m while interpolating services.grafana.environment: required variable GF_SECURITY_ADMIN_PASSWORD is missing a value: set it\n"
        ),
        "error while interpolating services.grafana.environment: required variable GF_SECURITY_ADMIN_PASSWORD is missing a value: set it"
    );
    assert_eq!(clean_error(""), "it failed without saying why");
}

const PS_LINES: &str = r#"{"Command":"\"/bin/prometheus\"","CreatedAt":"2026-11-25 21:00:30 +0000 UTC","ExitCode":0,"Health":"healthy","ID":"3061fae1d900","Image":"prom/prometheus:v3.5.0","Name":"stellar-obs-prometheus-1","Project":"stellar-obs","Publishers":[{"URL":"127.0.0.1","TargetPort":9090,"PublishedPort":9090,"Protocol":"tcp"}],"Service":"prometheus","State":"running","Status":"Up 18 seconds (healthy)"}
{"ExitCode":137,"Health":"","ID":"cdae95ceb7ff","Image":"prom/pushgateway:v1.11.1","Name":"stellar-obs-pushgateway-1","Publishers":null,"Service":"pushgateway","State":"exited","Status":"Exited (137) 3 seconds ago"}
"#;

#[test]
fn ps_json_lines_since_2_21() {
    let v = parse_ps(PS_LINES).expect("parses");
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].service, "prometheus");
    assert!(v[0].is_ready());
    assert_eq!(v[0].ports(), ["127.0.0.1:9090->9090/tcp"]);
    assert_eq!(v[1].state, "exited");
    assert_eq!(v[1].exit_code, 137);
    assert!(v[1].publishers.is_empty());
    assert!(!v[1].is_running());
}

#[test]
fn ps_json_array_before_2_21() {
    let old = r#"[{"ID":"abc","Name":"stellar-obs-alertmanager-1","Command":"/bin/alertmanager","Project":"stellar-obs","Service":"alertmanager","State":"running","Health":"starting","ExitCode":0,"Publishers":[{"URL":"0.0.0.0","TargetPort":9093,"PublishedPort":9093,"Protocol":"tcp"},{"URL":"::","TargetPort":9093,"PublishedPort":9093,"Protocol":"tcp"},{"URL":"","TargetPort":9094,"PublishedPort":0,"Protocol":"tcp"}]}]"#;
    let v = parse_ps(old).expect("parses");
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].health, "starting");
    assert!(v[0].is_running() && !v[0].is_ready());
    assert_eq!(v[0].ports(), ["0.0.0.0:9093->9093/tcp"]);
    assert!(parse_ps("").expect("empty").is_empty());
    assert!(parse_ps("[]").expect("empty array").is_empty());
    let err = parse_ps("{\"ID\":\"a\"}\nnot json\n").expect_err("bad line");
    assert!(format!("{err:#}").contains("line 2"), "{err:#}");
}

const CONFIG: &str = r#"{"name":"stellar-obs","services":{
  "prometheus":{"image":"prom/prometheus:v3.5.0","healthcheck":{"test":["CMD","wget"]},
    "volumes":[{"type":"bind","source":"/s/prometheus","target":"/etc/prometheus"},
               {"type":"volume","source":"prometheus_data","target":"/prometheus"}]},
  "grafana":{"image":"grafana/grafana:12.1.1","depends_on":{"prometheus":{"condition":"service_healthy"},"loki":{"condition":"service_healthy"}}},
  "loki":{"image":"grafana/loki:3.5.8","healthcheck":{"disable":true}},
  "cadvisor":{"image":"gcr.io/cadvisor/cadvisor:v0.52.1","healthcheck":{"test":["NONE"]}}},
  "volumes":{"prometheus_data":{"name":"stellar-obs_prometheus_data"}}}"#;

#[test]
fn config_json_gives_services_dependencies_and_volumes() {
    let p = parse_config(CONFIG).expect("parses");
    assert_eq!(p.names(), ["cadvisor", "grafana", "loki", "prometheus"]);
    let prom = p.get("prometheus").expect("prometheus");
    assert_eq!(prom.image, "prom/prometheus:v3.5.0");
    assert!(prom.healthcheck);
    assert_eq!(
        prom.volumes,
        [VolumeMount {
            key: "prometheus_data".into(),
            name: "stellar-obs_prometheus_data".into(),
            target: "/prometheus".into()
        }]
    );
    assert!(!p.get("loki").expect("loki").healthcheck);
    assert!(!p.get("cadvisor").expect("cadvisor").healthcheck);
    assert_eq!(
        p.with_dependencies(&["grafana".into()]).expect("deps"),
        ["grafana", "loki", "prometheus"]
    );
    let err = p.with_dependencies(&["grafna".into()]).expect_err("unknown");
    assert_eq!(
        err.to_string(),
        "unknown service `grafna` (did you mean `grafana`?): the compose file has cadvisor, grafana, loki, prometheus"
    );
}

#[test]
fn volumes_with_sizes_from_system_df() {
    let ls = r#"{"Driver":"local","Labels":"com.docker.compose.project=p,com.docker.compose.volume=prometheus_data","Name":"p_prometheus_data"}
{"Driver":"local","Labels":"com.docker.compose.volume=pushgateway_data,com.docker.compose.project=p","Name":"p_pushgateway_data"}
"#;
    let df = r#"{"Images":[],"Volumes":[{"Name":"p_prometheus_data","Size":"57.2kB"},{"Name":"other","Size":"1GB"},{"Name":"p_pushgateway_data","Size":"0B"}]}"#;
    let v = parse_volumes(ls, Some(df)).expect("parses");
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].key, "prometheus_data");
    assert_eq!(v[0].size, "57.2kB");
    assert_eq!(v[0].bytes, Some(57_200));
    assert_eq!(v[1].bytes, Some(0));
    let v = parse_volumes(ls, None).expect("no sizes");
    assert_eq!(v[0].size, "unknown");
    assert_eq!(v[0].bytes, None);
}

#[test]
fn sizes_parse() {
    assert_eq!(parse_size("0B"), Some(0));
    assert_eq!(parse_size("1.5GB"), Some(1_500_000_000));
    assert_eq!(parse_size("2MiB"), Some(2 * 1024 * 1024));
    assert_eq!(parse_size("N/A"), None);
}

#[test]
fn inspect_gives_start_times() {
    let m = parse_started(r#"[{"Id":"abc","State":{"StartedAt":"2026-11-25T21:00:31.5Z"}}]"#);
    assert_eq!(m.get("abc").map(String::as_str), Some("2026-11-25T21:00:31.5Z"));
    assert!(parse_started("garbage").is_empty());
}

#[test]
fn api_for_backup_builds_the_right_commands() {
    let runner = FakeRunner::new()
        .on(" cp ", Output::ok(""))
        .on(" stop ", Output::ok(""))
        .on(" start ", Output::ok(""))
        .on(" config ", Output::ok(CONFIG))
        .on(" ps ", Output::ok(PS_LINES));
    let (c, r) = compose_with(runner);
    c.cp_from("prometheus", "/prometheus/snapshots", Path::new("/tmp/out")).expect("cp from");
    c.cp_to("alertmanager", Path::new("/tmp/in"), "/alertmanager").expect("cp to");
    c.stop(&["prometheus"]).expect("stop");
    c.start(&["prometheus"]).expect("start");
    assert_eq!(
        c.service_volume("prometheus", "/prometheus/").expect("vol").as_deref(),
        Some("stellar-obs_prometheus_data")
    );
    assert_eq!(c.service_volume("prometheus", "/etc/prometheus").expect("bind"), None);
    assert!(c.service_volume("nope", "/x").is_err());
    assert!(c.is_running("prometheus").expect("ps"));
    assert!(!c.is_running("pushgateway").expect("ps"));
    assert!(!c.is_running("grafana").expect("ps"));
    let calls = r.calls();
    let tail = |i: usize| calls[i].split(" never ").nth(1).unwrap_or("").to_string();
    assert_eq!(tail(0), "cp prometheus:/prometheus/snapshots /tmp/out");
    assert_eq!(tail(1), "cp /tmp/in alertmanager:/alertmanager");
    assert_eq!(tail(2), "stop prometheus");
    assert_eq!(tail(3), "start prometheus");
}

#[test]
fn failures_name_the_command_and_keep_one_sentence() {
    let runner = FakeRunner::new()
        .on(" stop ", Output::fail(1, "no such service: grafanna\n"))
        .on(
            " ps ",
            Output::fail(1, "Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?\n"),
        );
    let (c, _) = compose_with(runner);
    let e = c.stop(&["grafanna"]).expect_err("fails");
    assert_eq!(
        e.to_string(),
        "`docker compose stop` (project stellar-obs) failed: no such service: grafanna"
    );
    let e = c.ps().expect_err("daemon down");
    assert!(
        e.to_string()
            .starts_with("the Docker daemon is not reachable (nothing answers at unix:///x.sock)"),
        "{e}"
    );
}
