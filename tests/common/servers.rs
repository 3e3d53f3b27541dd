//! Real servers for integration tests: the Debian binaries `prometheus`,
//! `prometheus-alertmanager`, `prometheus-node-exporter` and `prometheus-pushgateway`
//! (installed by `.ci/run` / `scripts/ci-setup.sh`), each started on 127.0.0.1 on a port
//! chosen at runtime, with its own temporary directory for config, data and log, waited for
//! until it answers, and killed when dropped.
//!
//! ```ignore
//! use crate::common::servers;
//! let am = servers::alertmanager().start();
//! let node = servers::node_exporter().start();
//! let prom = servers::prometheus()
//!     .scrape("node", &[&node.addr()])
//!     .scrape("dead", &[&servers::closed_port_addr()])   // a target that is down
//!     .rules("alerts.yml", "groups: []\n")
//!     .alertmanager(&am.addr())
//!     .start();                                            // waits for /-/ready
//! prom.url();          // http://127.0.0.1:PORT
//! prom.dir();          // temp dir: prometheus.yml, rule files, data/, server.log
//! prom.data_dir();     // --storage.tsdb.path (snapshots land in data/snapshots/)
//! servers::wait_for_target(&prom, "dead", "down");
//! ```
//! - Prometheus runs with `--web.enable-admin-api --web.enable-lifecycle` (snapshots,
//!   `/-/reload`), scrape and evaluation interval 1s unless set.
//! - Alertmanager runs with clustering off (`--cluster.listen-address=`), so parallel tests
//!   do not fight over :9094; its status is `disabled`.
//! - A server can be stopped mid-test: [`RealServer::kill`] (SIGKILL, the port is closed
//!   afterwards), [`RealServer::stop`] (SIGTERM and wait: Prometheus flushes its TSDB);
//!   [`RealServer::restart`] starts it again on the same port with the same directory
//!   (data survives: what a restore test needs).
//! - A server that does not come up fails the test with the tail of its log.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::http_server::http_get;
use super::require_tool;

/// How long a server may take to become ready.
pub const START_TIMEOUT: Duration = Duration::from_secs(40);

/// A free port on 127.0.0.1 (bound to port 0, then released; the caller binds it next).
pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    l.local_addr().expect("addr").port()
}

/// `127.0.0.1:PORT` where nothing listens (for targets that must be down).
pub fn closed_port_addr() -> String {
    format!("127.0.0.1:{}", free_port())
}

/// A running real server; killed on drop.
pub struct RealServer {
    pub name: &'static str,
    binary: PathBuf,
    args: Vec<String>,
    ready_path: &'static str,
    port: u16,
    dir: tempfile::TempDir,
    child: Option<Child>,
    /// Extra environment variables of the process.
    envs: Vec<(String, String)>,
}

impl RealServer {
    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `127.0.0.1:PORT` (for scrape targets and Alertmanager addresses).
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server's temporary directory (config, data, `server.log`).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The data directory (`DIR/data`): Prometheus' TSDB, Alertmanager's storage.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Whatever the server logged so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// Kill it now (SIGKILL) and wait: its port refuses connections afterwards.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Stop it gracefully (SIGTERM) and wait up to 30s, then kill.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = Command::new("kill").arg("-TERM").arg(c.id().to_string()).status();
            let end = Instant::now() + Duration::from_secs(30);
            while Instant::now() < end {
                if let Ok(Some(_)) = c.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Start it again (after `kill`/`stop`) on the same port, with the same directory.
    pub fn restart(&mut self) {
        self.kill();
        self.spawn_and_wait();
    }

    fn spawn_and_wait(&mut self) {
        if let Err(e) = self.try_spawn_and_wait() {
            panic!("{e}");
        }
    }

    /// Spawn the process and poll its ready path; on failure say why, with the log's tail.
    fn try_spawn_and_wait(&mut self) -> Result<(), String> {
        let log_path = self.dir.path().join("server.log");
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .map_err(|e| format!("cannot open {}: {e}", log_path.display()))?;
        let err = log.try_clone().map_err(|e| e.to_string())?;
        let child = Command::new(&self.binary)
            .args(&self.args)
            .envs(self.envs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.binary.display()))?;
        self.child = Some(child);
        let url = format!("{}{}", self.url(), self.ready_path);
        let end = Instant::now() + START_TIMEOUT;
        loop {
            if let Ok((200, _)) = http_get(&url, Duration::from_secs(2)) {
                return Ok(());
            }
            if let Some(c) = self.child.as_mut()
                && let Ok(Some(status)) = c.try_wait()
            {
                self.child = None;
                return Err(format!(
                    "{} exited ({status}) before answering {url}; log:\n{}",
                    self.name,
                    tail(&self.log(), 30)
                ));
            }
            if Instant::now() > end {
                self.kill();
                return Err(format!(
                    "{} did not answer {url} within {START_TIMEOUT:?}; log:\n{}",
                    self.name,
                    tail(&self.log(), 30)
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for RealServer {
    fn drop(&mut self) {
        self.kill();
    }
}

fn tail(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Start `binary` with the arguments `make_args(port, dir)` builds, retrying on another
/// port if the chosen one was taken in between (another test raced us to it).
fn launch(
    name: &'static str,
    binary: &str,
    ready_path: &'static str,
    dir: tempfile::TempDir,
    make_args: impl Fn(u16, &Path) -> Vec<String>,
) -> RealServer {
    launch_with_env(name, binary, ready_path, dir, Vec::new(), make_args)
}

/// [`launch`] with extra environment variables.
fn launch_with_env(
    name: &'static str,
    binary: &str,
    ready_path: &'static str,
    dir: tempfile::TempDir,
    envs: Vec<(String, String)>,
    make_args: impl Fn(u16, &Path) -> Vec<String>,
) -> RealServer {
    let binary = require_tool(binary);
    let port = free_port();
    let args = make_args(port, dir.path());
    let mut s = RealServer { name, binary, args, ready_path, port, dir, child: None, envs };
    let mut attempts = 0;
    loop {
        match s.try_spawn_and_wait() {
            Ok(()) => return s,
            Err(e) if attempts < 2 && e.contains("address already in use") => {
                attempts += 1;
                let _ = fs::remove_file(s.dir.path().join("server.log"));
                s.port = free_port();
                s.args = make_args(s.port, s.dir.path());
            }
            Err(e) => panic!("{e}"),
        }
    }
}

fn tmp() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("stellar-obs-test-").tempdir().expect("tempdir")
}

// --------------------------------------------------------------------------------------
// Prometheus

/// A Prometheus to start; see the module docs.
#[derive(Debug, Clone)]
pub struct PrometheusBuilder {
    scrape_interval: String,
    evaluation_interval: String,
    scrapes: Vec<(String, Vec<String>)>,
    rules: Vec<(String, String)>,
    alertmanagers: Vec<String>,
    extra_config: String,
    args: Vec<String>,
    admin_api: bool,
    lifecycle: bool,
    config_path: Option<PathBuf>,
    data_from: Option<PathBuf>,
    envs: Vec<(String, String)>,
}

pub fn prometheus() -> PrometheusBuilder {
    PrometheusBuilder {
        scrape_interval: "1s".into(),
        evaluation_interval: "1s".into(),
        scrapes: vec![],
        rules: vec![],
        alertmanagers: vec![],
        extra_config: String::new(),
        args: vec![],
        admin_api: true,
        lifecycle: true,
        config_path: None,
        data_from: None,
        envs: vec![],
    }
}

impl PrometheusBuilder {
    /// A static scrape job `job` with `targets` (`host:port`).
    pub fn scrape(mut self, job: &str, targets: &[&str]) -> Self {
        self.scrapes.push((job.into(), targets.iter().map(|t| t.to_string()).collect()));
        self
    }

    /// A rule file written next to prometheus.yml and listed in `rule_files`.
    pub fn rules(mut self, file_name: &str, yaml: &str) -> Self {
        self.rules.push((file_name.into(), yaml.into()));
        self
    }

    /// Send alerts to this Alertmanager (`host:port`).
    pub fn alertmanager(mut self, addr: &str) -> Self {
        self.alertmanagers.push(addr.into());
        self
    }

    pub fn scrape_interval(mut self, i: &str) -> Self {
        self.scrape_interval = i.into();
        self
    }

    pub fn evaluation_interval(mut self, i: &str) -> Self {
        self.evaluation_interval = i.into();
        self
    }

    /// Raw YAML appended to prometheus.yml (top-level keys).
    pub fn extra_config(mut self, yaml: &str) -> Self {
        self.extra_config.push_str(yaml);
        self
    }

    /// An extra command-line argument.
    pub fn arg(mut self, a: &str) -> Self {
        self.args.push(a.into());
        self
    }

    /// An environment variable of the process (`STELLAR_OBS_REPLICA` of an HA replica).
    pub fn env(mut self, k: &str, v: &str) -> Self {
        self.envs.push((k.into(), v.into()));
        self
    }

    /// Start without `--web.enable-admin-api` (snapshots answer 503).
    pub fn no_admin_api(mut self) -> Self {
        self.admin_api = false;
        self
    }

    /// Start without `--web.enable-lifecycle` (`/-/reload` answers 403).
    pub fn no_lifecycle(mut self) -> Self {
        self.lifecycle = false;
        self
    }

    /// Read this configuration file (left as it is) instead of writing one.
    pub fn config_file(mut self, path: &Path) -> Self {
        self.config_path = Some(path.to_path_buf());
        self
    }

    /// Start on a copy of the TSDB blocks in `dir` (e.g. made by `promtool tsdb
    /// create-blocks-from openmetrics`).
    pub fn data_from(mut self, dir: &Path) -> Self {
        self.data_from = Some(dir.to_path_buf());
        self
    }

    /// prometheus.yml as this builder writes it.
    pub fn config(&self) -> String {
        let mut c = format!(
            "global:\n  scrape_interval: {}\n  evaluation_interval: {}\n",
            self.scrape_interval, self.evaluation_interval
        );
        if !self.rules.is_empty() {
            c.push_str("rule_files:\n");
            for (f, _) in &self.rules {
                c.push_str(&format!("  - {f}\n"));
            }
        }
        if !self.alertmanagers.is_empty() {
            c.push_str("alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: [");
            c.push_str(
                &self
                    .alertmanagers
                    .iter()
                    .map(|a| format!("\"{a}\""))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            c.push_str("]\n");
        }
        c.push_str("scrape_configs:\n");
        if self.scrapes.is_empty() {
            c.push_str("  []\n");
        }
        for (job, targets) in &self.scrapes {
            let t = targets.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ");
            c.push_str(&format!(
                "  - job_name: \"{job}\"\n    scrape_timeout: 1s\n    static_configs:\n      - targets: [{t}]\n"
            ));
        }
        c.push_str(&self.extra_config);
        c
    }

    /// Write the config and start; returns once `/-/ready` answers 200.
    pub fn start(self) -> RealServer {
        let dir = tmp();
        fs::write(dir.path().join("prometheus.yml"), self.config()).expect("write prometheus.yml");
        for (f, y) in &self.rules {
            fs::write(dir.path().join(f), y).expect("write rule file");
        }
        if let Some(src) = &self.data_from {
            let st = Command::new("cp")
                .arg("-a")
                .arg(src)
                .arg(dir.path().join("data"))
                .status()
                .expect("cp runs");
            assert!(st.success(), "copying {} failed", src.display());
        }
        let extra = self.args.clone();
        let admin = self.admin_api;
        let lifecycle = self.lifecycle;
        let config = self.config_path.clone();
        let envs = self.envs.clone();
        launch_with_env("prometheus", "prometheus", "/-/ready", dir, envs, move |port, d| {
            let config = config.clone().unwrap_or_else(|| d.join("prometheus.yml"));
            let mut a = vec![
                format!("--config.file={}", config.display()),
                format!("--storage.tsdb.path={}", d.join("data").display()),
                format!("--web.listen-address=127.0.0.1:{port}"),
                "--log.level=warn".into(),
            ];
            if lifecycle {
                a.push("--web.enable-lifecycle".into());
            }
            if admin {
                a.push("--web.enable-admin-api".into());
            }
            a.extend(extra.iter().cloned());
            a
        })
    }
}

/// The health (`up`, `down`, `unknown`) of the first target of `job`, if Prometheus has it.
pub fn target_health(prom: &RealServer, job: &str) -> Option<String> {
    let (status, body) =
        http_get(&format!("{}/api/v1/targets?state=active", prom.url()), Duration::from_secs(2))
            .ok()?;
    if status != 200 {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(&body).ok()?;
    v["data"]["activeTargets"]
        .as_array()?
        .iter()
        .find(|t| t["labels"]["job"] == job)
        .and_then(|t| t["health"].as_str().map(str::to_string))
}

/// Wait (up to 30s) until `job`'s target has `health`; panics otherwise.
pub fn wait_for_target(prom: &RealServer, job: &str, health: &str) {
    wait_until(Duration::from_secs(30), &format!("target {job} to be {health}"), || {
        target_health(prom, job).as_deref() == Some(health)
    });
}

/// Poll `cond` every 100ms until it holds; panics naming `what` after `timeout`.
pub fn wait_until(timeout: Duration, what: &str, mut cond: impl FnMut() -> bool) {
    let end = Instant::now() + timeout;
    while Instant::now() < end {
        if cond() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out after {timeout:?} waiting for {what}");
}

// --------------------------------------------------------------------------------------
// Alertmanager

/// The smallest valid Alertmanager configuration: everything goes to a receiver that sends
/// nothing.
pub const ALERTMANAGER_MINIMAL: &str =
    "route:\n  receiver: \"null\"\nreceivers:\n  - name: \"null\"\n";

#[derive(Debug, Clone)]
pub struct AlertmanagerBuilder {
    config: String,
    args: Vec<String>,
    config_path: Option<PathBuf>,
}

pub fn alertmanager() -> AlertmanagerBuilder {
    AlertmanagerBuilder { config: ALERTMANAGER_MINIMAL.into(), args: vec![], config_path: None }
}

impl AlertmanagerBuilder {
    /// Use this alertmanager.yml instead of the minimal one.
    pub fn config(mut self, yaml: &str) -> Self {
        self.config = yaml.into();
        self
    }

    pub fn arg(mut self, a: &str) -> Self {
        self.args.push(a.into());
        self
    }

    /// Read this configuration file (left as it is) instead of writing one.
    pub fn config_file(mut self, path: &Path) -> Self {
        self.config_path = Some(path.to_path_buf());
        self
    }

    /// Write the config and start; returns once `/-/ready` answers 200.
    pub fn start(self) -> RealServer {
        let dir = tmp();
        fs::write(dir.path().join("alertmanager.yml"), &self.config)
            .expect("write alertmanager.yml");
        let extra = self.args.clone();
        let config = self.config_path.clone();
        launch("alertmanager", "prometheus-alertmanager", "/-/ready", dir, move |port, d| {
            let config = config.clone().unwrap_or_else(|| d.join("alertmanager.yml"));
            let mut a = vec![
                format!("--config.file={}", config.display()),
                format!("--storage.path={}", d.join("data").display()),
                format!("--web.listen-address=127.0.0.1:{port}"),
                "--cluster.listen-address=".into(),
                "--log.level=warn".into(),
            ];
            a.extend(extra.iter().cloned());
            a
        })
    }
}

// --------------------------------------------------------------------------------------
// node-exporter

#[derive(Debug, Clone, Default)]
pub struct NodeExporterBuilder {
    args: Vec<String>,
}

pub fn node_exporter() -> NodeExporterBuilder {
    NodeExporterBuilder::default()
}

impl NodeExporterBuilder {
    pub fn arg(mut self, a: &str) -> Self {
        self.args.push(a.into());
        self
    }

    /// Start with the textfile collector reading `DIR/textfile/` (write `*.prom` files
    /// there); returns once `/metrics` answers 200.
    pub fn start(self) -> RealServer {
        let dir = tmp();
        fs::create_dir_all(dir.path().join("textfile")).expect("mkdir textfile");
        let extra = self.args.clone();
        launch("node-exporter", "prometheus-node-exporter", "/metrics", dir, move |port, d| {
            let mut a = vec![
                format!("--web.listen-address=127.0.0.1:{port}"),
                format!("--collector.textfile.directory={}", d.join("textfile").display()),
                "--log.level=warn".into(),
            ];
            a.extend(extra.iter().cloned());
            a
        })
    }
}

/// The textfile collector directory of a node-exporter started by [`node_exporter`].
pub fn textfile_dir(node: &RealServer) -> PathBuf {
    node.dir().join("textfile")
}

// --------------------------------------------------------------------------------------
// Pushgateway

#[derive(Debug, Clone, Default)]
pub struct PushgatewayBuilder {
    args: Vec<String>,
}

pub fn pushgateway() -> PushgatewayBuilder {
    PushgatewayBuilder::default()
}

impl PushgatewayBuilder {
    pub fn arg(mut self, a: &str) -> Self {
        self.args.push(a.into());
        self
    }

    /// Start (persistence file in its temp dir); returns once `/-/ready` answers 200.
    pub fn start(self) -> RealServer {
        let dir = tmp();
        let extra = self.args.clone();
        launch("pushgateway", "prometheus-pushgateway", "/-/ready", dir, move |port, d| {
            let mut a = vec![
                format!("--web.listen-address=127.0.0.1:{port}"),
                format!("--persistence.file={}", d.join("pushgateway.data").display()),
                "--log.level=warn".into(),
            ];
            a.extend(extra.iter().cloned());
            a
        })
    }
}
