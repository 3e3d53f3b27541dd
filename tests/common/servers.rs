//! Launchers for the real Debian `prometheus` and `prometheus-alertmanager` binaries: on
//! 127.0.0.1, on free ports, in temporary directories, killed when dropped.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::require_tool;

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    l.local_addr().expect("addr").port()
}

/// A URL where nothing listens (connection refused).
pub fn dead_url() -> String {
    format!("http://127.0.0.1:{}", free_port())
}

/// A minimal HTTP/1.0 GET: the status code and body, or None when nothing answers.
pub fn http_get(url: &str) -> Option<(u16, String)> {
    let rest = url.strip_prefix("http://")?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let mut s = TcpStream::connect(host).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let text = String::from_utf8_lossy(&buf).to_string();
    let code = text.split_whitespace().nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Some((code, body))
}

fn wait_ready(child: &mut Child, url: &str, log: &Path, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(90);
    while Instant::now() < deadline {
        if let Ok(Some(st)) = child.try_wait() {
            panic!(
                "{what} exited with {st}:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        if let Some((200, _)) = http_get(&format!("{url}/-/ready")) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!(
        "{what} at {url} not ready in 90s:\n{}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

fn spawn(bin: &Path, args: &[String], log: &Path) -> Child {
    let out = std::fs::File::create(log).expect("log file");
    let err = out.try_clone().expect("log file");
    Command::new(bin)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err))
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()))
}

/// A running Prometheus.
pub struct Prometheus {
    child: Child,
    port: u16,
    data: PathBuf,
    log: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Prometheus {
    /// Start with `config_yaml` (`${PORT}` is replaced by the server's own port) and extra
    /// flags. The data directory is a fresh temporary one unless `extra_args` has
    /// `--storage.tsdb.path=DIR`.
    pub fn start(config_yaml: &str, extra_args: &[&str]) -> Prometheus {
        let bin = require_tool("prometheus");
        let tmp = tempfile::tempdir().expect("tmp");
        let port = free_port();
        let cfg = tmp.path().join("prometheus.yml");
        std::fs::write(&cfg, config_yaml.replace("${PORT}", &port.to_string())).expect("config");
        let data = extra_args
            .iter()
            .find_map(|a| a.strip_prefix("--storage.tsdb.path=").map(PathBuf::from))
            .unwrap_or_else(|| tmp.path().join("data"));
        let mut args = vec![
            format!("--config.file={}", cfg.display()),
            format!("--web.listen-address=127.0.0.1:{port}"),
        ];
        if !extra_args.iter().any(|a| a.starts_with("--storage.tsdb.path=")) {
            args.push(format!("--storage.tsdb.path={}", data.display()));
        }
        args.extend(extra_args.iter().map(|s| s.to_string()));
        let log = tmp.path().join("prometheus.log");
        let mut child = spawn(&bin, &args, &log);
        let url = format!("http://127.0.0.1:{port}");
        wait_ready(&mut child, &url, &log, "prometheus");
        Prometheus { child, port, data, log, _tmp: tmp }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn data_dir(&self) -> &Path {
        &self.data
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Stop it (SIGKILL) and wait until its port is closed.
    pub fn stop(mut self) {
        self.kill();
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A running Alertmanager (single instance, no clustering).
pub struct Alertmanager {
    child: Child,
    port: u16,
    log: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Alertmanager {
    pub fn start(config_yaml: &str) -> Alertmanager {
        let bin = require_tool("prometheus-alertmanager");
        let tmp = tempfile::tempdir().expect("tmp");
        let port = free_port();
        let cfg = tmp.path().join("alertmanager.yml");
        std::fs::write(&cfg, config_yaml).expect("config");
        let args = vec![
            format!("--config.file={}", cfg.display()),
            format!("--storage.path={}", tmp.path().join("data").display()),
            format!("--web.listen-address=127.0.0.1:{port}"),
            "--cluster.listen-address=".to_string(),
        ];
        let log = tmp.path().join("alertmanager.log");
        let mut child = spawn(&bin, &args, &log);
        let url = format!("http://127.0.0.1:{port}");
        wait_ready(&mut child, &url, &log, "alertmanager");
        Alertmanager { child, port, log, _tmp: tmp }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Alertmanager {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The simplest valid Alertmanager configuration.
pub const ALERTMANAGER_MINIMAL: &str =
    "route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n";
