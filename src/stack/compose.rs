//! The Compose engine wrapper: finds the engine, builds every command line, runs it and
//! parses what it prints. Every other module that needs Docker goes through [`Compose`].
//!
//! Engines, in order of preference: `docker compose` (the v2 plugin, including Compose 5.x),
//! the standalone `docker-compose` (v2 only: v1 lacks `--wait` and JSON output), then
//! `podman compose`. `STELLAR_OBS_COMPOSE` forces one (`docker compose`, `docker-compose`,
//! `podman compose`).
//!
//! Every command gets `-p PROJECT -f docker-compose.observability.yml --env-file .env
//! --ansi never` (the env file when it exists), so the tool never depends on the working
//! directory or on a terminal.
//!
//! The [`Runner`] trait is the seam: unit tests hand [`Compose`] canned answers; the real
//! [`ProcessRunner`] runs the programs. Failures come back as one sentence that says what to
//! do ([`DockerProblem`] for the engine itself, [`clean_error`] for Compose's own messages).
//!
//! API for other commands (backup, restore):
//! - [`Compose::ps`]: the stack's containers; [`Compose::is_running`]: is a service up;
//! - [`Compose::stop`] / [`Compose::start`] / [`Compose::restart`]: services by name;
//! - [`Compose::cp_from`] / [`Compose::cp_to`]: copy out of / into a service's container
//!   (works on a stopped container too);
//! - [`Compose::service_volume`]: the Docker volume mounted at a path of a service;
//!   [`Compose::volumes`]: the project's volumes with their sizes;
//! - [`Compose::services`]: the services of the compose file, with image, dependencies
//!   and mounts, as Compose itself resolves them (`config --format json`).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use serde::{Deserialize, Serialize};

use crate::settings::{DEFAULT_PROJECT, ProjectSource, Settings};
use crate::stack::ownership::{self, Foreign};
use crate::stack_dir::STATE_FILE;

/// Environment variable that forces the Compose command (`docker compose`, `docker-compose`,
/// `podman compose`).
pub const COMPOSE_ENV: &str = "STELLAR_OBS_COMPOSE";

// ----------------------------------------------------------------------------------------
// Running programs: the seam
// ----------------------------------------------------------------------------------------

/// What a finished program left behind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// Exit code; `None` when killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }

    /// A successful output with `stdout` (tests).
    pub fn ok(stdout: impl Into<String>) -> Self {
        Output { code: Some(0), stdout: stdout.into(), stderr: String::new() }
    }

    /// A failed output with `stderr` (tests).
    pub fn fail(code: i32, stderr: impl Into<String>) -> Self {
        Output { code: Some(code), stdout: String::new(), stderr: stderr.into() }
    }
}

/// Runs external programs. [`ProcessRunner`] is the real one; tests use canned answers.
pub trait Runner: Send + Sync {
    /// Run `program args`, capture stdout and stderr. `Err` only when it could not be
    /// started (`io::ErrorKind::NotFound`: not installed).
    fn run(&self, program: &str, args: &[String]) -> std::io::Result<Output>;

    /// Run `program args` with the terminal attached (stdout and stderr pass through);
    /// returns the exit code.
    fn passthrough(&self, program: &str, args: &[String]) -> std::io::Result<Option<i32>>;
}

/// Runs real processes.
#[derive(Debug, Default, Clone, Copy)]
pub struct ProcessRunner;

impl Runner for ProcessRunner {
    fn run(&self, program: &str, args: &[String]) -> std::io::Result<Output> {
        let mut cmd = Command::new(program);
        cmd.args(args).stdin(Stdio::null());
        // A step that must finish (restore's data swap) is not interrupted by the terminal's
        // Ctrl-C, which goes to the whole foreground process group.
        #[cfg(unix)]
        if crate::interrupt::in_critical() {
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
        }
        let out = cmd.output()?;
        Ok(Output {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    }

    fn passthrough(&self, program: &str, args: &[String]) -> std::io::Result<Option<i32>> {
        let status = Command::new(program).args(args).stdin(Stdio::null()).status()?;
        Ok(status.code())
    }
}

// ----------------------------------------------------------------------------------------
// Engines
// ----------------------------------------------------------------------------------------

/// Which Compose implementation runs the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EngineKind {
    /// `docker compose` (the CLI plugin).
    DockerPlugin,
    /// `docker-compose` (standalone binary, v2).
    Standalone,
    /// `podman compose`.
    Podman,
}

/// A detected Compose engine: how to call it and which version it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Engine {
    pub kind: EngineKind,
    /// The Compose version as printed (`2.40.3`, `5.0.0`).
    pub version: String,
}

impl Engine {
    /// The program to execute.
    pub fn program(&self) -> &'static str {
        match self.kind {
            EngineKind::DockerPlugin => "docker",
            EngineKind::Standalone => "docker-compose",
            EngineKind::Podman => "podman",
        }
    }

    /// Arguments before Compose's own (`compose` for the plugin forms).
    pub fn prefix(&self) -> &'static [&'static str] {
        match self.kind {
            EngineKind::DockerPlugin | EngineKind::Podman => &["compose"],
            EngineKind::Standalone => &[],
        }
    }

    /// The container CLI (`docker` or `podman`) for `inspect`, `volume`, `system df`.
    pub fn cli(&self) -> &'static str {
        match self.kind {
            EngineKind::Podman => "podman",
            _ => "docker",
        }
    }

    /// How the user would type it.
    pub fn display(&self) -> &'static str {
        match self.kind {
            EngineKind::DockerPlugin => "docker compose",
            EngineKind::Standalone => "docker-compose",
            EngineKind::Podman => "podman compose",
        }
    }

    /// (major, minor) of the version, when it parses.
    pub fn version_tuple(&self) -> Option<(u32, u32)> {
        parse_version(&self.version)
    }

    /// `--wait-timeout` exists since Compose 2.17 (Podman's wrapper: assume not).
    pub fn supports_wait_timeout(&self) -> bool {
        self.kind != EngineKind::Podman && self.version_tuple().is_some_and(|v| v >= (2, 17))
    }
}

/// `v2.40.3`, `2.40.3`, `5.0.0-rc1`, `docker-compose version 1.29.2, build ...` → (major, minor).
pub fn parse_version(s: &str) -> Option<(u32, u32)> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let rest = &s[start..];
    let mut it = rest.split(|c: char| !c.is_ascii_digit());
    let major = it.next()?.parse().ok()?;
    let minor = it.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    Some((major, minor))
}

/// How to get Docker Engine with Compose v2, per platform (Debian's own `docker-compose`
/// package is v1, and Debian has no `docker-compose-plugin`: that comes from Docker's
/// repository).
pub const COMPOSE_INSTALL_HINT: &str = "install Docker Engine with Compose v2. Debian: Docker's own apt repository (https://docs.docker.com/engine/install/debian/), then `apt-get install docker-ce docker-compose-plugin`; Debian's `docker-compose` package is v1, not enough. Ubuntu 24.04 and later: `apt-get install docker.io docker-compose-v2`. Fedora/RHEL: Docker's repository, `dnf install docker-ce docker-compose-plugin`. macOS/Windows: Docker Desktop. Check with `docker compose version` (2.x or later)";

/// Why the engine cannot be used; each says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DockerProblem {
    /// No Compose engine found at all.
    NotInstalled,
    /// Only Compose v1 (Python) found.
    TooOld { version: String },
    /// The engine is there but its daemon does not answer.
    DaemonUnreachable { detail: String },
    /// The daemon's socket refused us.
    PermissionDenied { detail: String },
}

impl fmt::Display for DockerProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DockerProblem::NotInstalled => write!(
                f,
                "Docker Compose v2 is not installed (tried `docker compose`, `docker-compose` and `podman compose`): {COMPOSE_INSTALL_HINT}"
            ),
            DockerProblem::TooOld { version } => write!(
                f,
                "only Docker Compose v1 ({version}) is installed, which cannot wait for healthchecks nor print JSON: {COMPOSE_INSTALL_HINT}"
            ),
            DockerProblem::DaemonUnreachable { detail } => write!(
                f,
                "the Docker daemon is not reachable ({detail}): start it (`sudo systemctl start docker`) or point DOCKER_HOST at a running one"
            ),
            DockerProblem::PermissionDenied { detail } => write!(
                f,
                "permission denied on the Docker socket ({detail}): add your user to the `docker` group (`sudo usermod -aG docker $USER`, then log in again) or run stellar-obs with sudo"
            ),
        }
    }
}

impl std::error::Error for DockerProblem {}

/// Recognise the engine's own failures (daemon down, socket permissions) in stderr.
pub fn classify(stderr: &str) -> Option<DockerProblem> {
    let text = strip_ansi(stderr);
    let lower = text.to_ascii_lowercase();
    let line = |needle: &str| {
        text.lines()
            .find(|l| l.to_ascii_lowercase().contains(needle))
            .map(|l| l.trim().trim_end_matches('.').to_string())
            .unwrap_or_default()
    };
    if lower.contains("permission denied") && (lower.contains(".sock") || lower.contains("socket"))
    {
        let detail = socket_in(&text).unwrap_or_else(|| line("permission denied"));
        return Some(DockerProblem::PermissionDenied { detail });
    }
    for needle in [
        "cannot connect to the docker daemon",
        "is the docker daemon running",
        "error during connect",
        "cannot connect to podman",
        "unable to connect to podman",
    ] {
        if lower.contains(needle) {
            let detail =
                socket_in(&text).map(|s| format!("nothing answers at {s}")).unwrap_or_else(|| {
                    let l = line(needle);
                    if l.is_empty() { needle.to_string() } else { l }
                });
            return Some(DockerProblem::DaemonUnreachable { detail });
        }
    }
    None
}

/// The first `unix://...` or `tcp://...` address in a message.
fn socket_in(text: &str) -> Option<String> {
    for scheme in ["unix://", "tcp://", "npipe://", "ssh://"] {
        if let Some(i) = text.find(scheme) {
            let rest = &text[i..];
            let end = rest[scheme.len()..]
                .find(|c: char| c.is_whitespace() || c == '"')
                .map(|e| e + scheme.len())
                .unwrap_or(rest.len());
            return Some(rest[..end].trim_end_matches(['.', ':', ',']).to_string());
        }
    }
    None
}

/// Remove ANSI escape sequences.
pub fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for d in chars.by_ref() {
                    if d.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// Compose's stderr reduced to the one sentence that explains a failure: engine problems
/// first, else the last line that reads like an error (not a progress line).
pub fn clean_error(stderr: &str) -> String {
    if let Some(p) = classify(stderr) {
        return p.to_string();
    }
    let text = strip_ansi(stderr);
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let is_progress = |l: &str| {
        let words: Vec<&str> = l.split_whitespace().collect();
        (words.first().is_some_and(|w| {
            matches!(*w, "Container" | "Network" | "Volume" | "Image" | "Service")
        }) && words.len() <= 4)
            || l.starts_with('#')
    };
    let pick = lines
        .iter()
        .rev()
        .find(|l| {
            let lower = l.to_ascii_lowercase();
            lower.starts_with("error") || lower.contains("error response from daemon")
        })
        .or_else(|| lines.iter().rev().find(|l| !is_progress(l)))
        .or_else(|| lines.last());
    let Some(line) = pick else {
        return "it failed without saying why".to_string();
    };
    let mut s = line.to_string();
    for prefix in ["Error response from daemon: ", "error: ", "Error: ", "ERROR: "] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.to_string();
        }
    }
    s.trim().trim_end_matches('.').to_string()
}

/// Find the Compose engine: `STELLAR_OBS_COMPOSE`, else the first that answers.
pub fn detect(runner: &dyn Runner, forced: Option<&str>) -> Result<Engine> {
    let candidates: Vec<EngineKind> = match forced.map(str::trim).filter(|s| !s.is_empty()) {
        Some(f) => vec![match f {
            "docker compose" | "docker" => EngineKind::DockerPlugin,
            "docker-compose" => EngineKind::Standalone,
            "podman compose" | "podman" => EngineKind::Podman,
            other => bail!(
                "{COMPOSE_ENV}=`{other}` is not a known engine; use `docker compose`, `docker-compose` or `podman compose`"
            ),
        }],
        None => vec![EngineKind::DockerPlugin, EngineKind::Standalone, EngineKind::Podman],
    };
    let mut too_old = None;
    for kind in candidates {
        let probe = Engine { kind, version: String::new() };
        let mut args: Vec<String> = probe.prefix().iter().map(|s| s.to_string()).collect();
        args.push("version".into());
        if kind != EngineKind::Podman {
            args.push("--short".into());
        }
        let out = match runner.run(probe.program(), &args) {
            Ok(o) => o,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                return Err(e).with_context(|| format!("cannot run `{}`", probe.display()));
            }
        };
        if !out.success() {
            // `docker compose` without the plugin: "'compose' is not a docker command".
            if let Some(p) = classify(&out.stderr) {
                return Err(p.into());
            }
            continue;
        }
        let version = version_from(&out.stdout).unwrap_or_else(|| out.stdout.trim().to_string());
        match parse_version(&version) {
            Some((major, _)) if major < 2 && kind != EngineKind::Podman => {
                too_old = Some(version);
                continue;
            }
            _ => return Ok(Engine { kind, version }),
        }
    }
    Err(match too_old {
        Some(version) => DockerProblem::TooOld { version }.into(),
        None => DockerProblem::NotInstalled.into(),
    })
}

/// The Docker CLI plugin directories, in the Docker CLI's order: `$DOCKER_CONFIG/cli-plugins`
/// (default `~/.docker/cli-plugins`), then the system ones.
pub fn plugin_dirs(docker_config: Option<&str>, home: Option<&str>) -> Vec<PathBuf> {
    let mut v = Vec::new();
    match (docker_config.filter(|s| !s.is_empty()), home.filter(|s| !s.is_empty())) {
        (Some(c), _) => v.push(Path::new(c).join("cli-plugins")),
        (None, Some(h)) => v.push(Path::new(h).join(".docker/cli-plugins")),
        (None, None) => {}
    }
    for d in [
        "/usr/local/lib/docker/cli-plugins",
        "/usr/local/libexec/docker/cli-plugins",
        "/usr/lib/docker/cli-plugins",
        "/usr/libexec/docker/cli-plugins",
    ] {
        v.push(PathBuf::from(d));
    }
    v
}

/// An executable file named `name` in one of the `PATH` directories.
pub fn find_in_path(name: &str, path: Option<&str>) -> Option<PathBuf> {
    std::env::split_paths(path?).map(|d| d.join(name)).find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// Detection without running anything, for the common case: `docker` on `PATH` and the
/// Compose plugin in a plugin directory. The version stays unknown (empty) until
/// [`Compose::ensure_version`]; anything unusual goes through [`detect`].
pub fn detect_fast(
    path: Option<&str>,
    docker_config: Option<&str>,
    home: Option<&str>,
) -> Option<Engine> {
    find_in_path("docker", path)?;
    plugin_dirs(docker_config, home)
        .iter()
        .any(|d| is_executable(&d.join("docker-compose")))
        .then(|| Engine { kind: EngineKind::DockerPlugin, version: String::new() })
}

/// The version number in `version` output (`v2.40.3`, `Docker Compose version v2.40.3`,
/// `podman-compose version 1.0.6` ...): the last token that starts with a digit or `v<digit>`.
fn version_from(stdout: &str) -> Option<String> {
    stdout
        .split_whitespace()
        .map(|t| t.trim_end_matches(','))
        .rfind(|t| {
            let t = t.strip_prefix('v').unwrap_or(t);
            t.chars().next().is_some_and(|c| c.is_ascii_digit()) && t.contains('.')
        })
        .map(|t| t.strip_prefix('v').unwrap_or(t).to_string())
}

// ----------------------------------------------------------------------------------------
// What Compose prints
// ----------------------------------------------------------------------------------------

/// A published port of a container (`ps` → `Publishers`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Publisher {
    #[serde(rename = "URL", default)]
    pub url: String,
    #[serde(rename = "TargetPort", default)]
    pub target_port: u16,
    #[serde(rename = "PublishedPort", default)]
    pub published_port: u16,
    #[serde(rename = "Protocol", default)]
    pub protocol: String,
}

/// One container as `ps -a --format json` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Container {
    #[serde(rename = "ID", default)]
    pub id: String,
    #[serde(rename = "Name", default)]
    pub name: String,
    #[serde(rename = "Service", default)]
    pub service: String,
    #[serde(rename = "Image", default)]
    pub image: String,
    /// `running`, `exited`, `created`, `restarting`, `paused`, `dead`, `removing`.
    #[serde(rename = "State", default)]
    pub state: String,
    /// `healthy`, `unhealthy`, `starting`, or empty without a healthcheck.
    #[serde(rename = "Health", default)]
    pub health: String,
    #[serde(rename = "ExitCode", default)]
    pub exit_code: i64,
    /// Docker's own summary (`Up 5 minutes (healthy)`).
    #[serde(rename = "Status", default)]
    pub status: String,
    #[serde(rename = "Publishers", default, deserialize_with = "null_as_empty")]
    pub publishers: Vec<Publisher>,
    /// Docker's `k=v,k=v` label text.
    #[serde(rename = "Labels", default)]
    pub labels: String,
}

impl Container {
    /// The value of label `key`. Docker joins labels with commas without escaping them, so a
    /// value runs up to the next `,key=` whose key has a dot (as `com.docker.compose.*` and
    /// other namespaced keys do): a path with a comma in it is still read whole.
    pub fn label(&self, key: &str) -> Option<String> {
        let text = self.labels.as_str();
        let mut starts = vec![0];
        for (i, _) in text.match_indices(',') {
            let rest = &text[i + 1..];
            let k = rest.split('=').next().unwrap_or("");
            let keyish = rest.contains('=')
                && k.contains('.')
                && k.chars().all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c));
            if keyish {
                starts.push(i + 1);
            }
        }
        starts.push(text.len() + 1);
        starts.windows(2).find_map(|w| {
            let item = &text[w[0]..w[1] - 1];
            let (k, v) = item.split_once('=')?;
            (k == key).then(|| v.to_string())
        })
    }

    pub fn is_running(&self) -> bool {
        self.state == "running"
    }

    /// Running, and healthy if it has a healthcheck.
    pub fn is_ready(&self) -> bool {
        self.is_running() && (self.health.is_empty() || self.health == "healthy")
    }

    /// Published ports as `127.0.0.1:9090->9090/tcp`, deduplicated (IPv4 and IPv6 bindings
    /// of the same port are one entry when the address is the wildcard).
    pub fn ports(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in &self.publishers {
            if p.published_port == 0 {
                continue;
            }
            let addr = match p.url.as_str() {
                "" | "0.0.0.0" | "::" => "0.0.0.0".to_string(),
                a if a.contains(':') => format!("[{a}]"),
                a => a.to_string(),
            };
            let proto = if p.protocol.is_empty() { "tcp" } else { p.protocol.as_str() };
            let s = format!("{addr}:{}->{}/{proto}", p.published_port, p.target_port);
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }
}

impl ownership::Owned for Container {
    fn service(&self) -> &str {
        &self.service
    }

    fn label(&self, key: &str) -> Option<String> {
        Container::label(self, key)
    }
}

fn null_as_empty<'de, D, T>(d: D) -> std::result::Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Parse `ps --format json`: a JSON array (Compose before 2.21) or one object per line
/// (2.21 and later); empty output means no containers.
pub fn parse_ps(stdout: &str) -> Result<Vec<Container>> {
    let t = stdout.trim();
    if t.is_empty() {
        return Ok(Vec::new());
    }
    if t.starts_with('[') {
        return serde_json::from_str(t).context("cannot read `compose ps` JSON (array form)");
    }
    t.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l)
                .with_context(|| format!("cannot read line {} of `compose ps` JSON", i + 1))
        })
        .collect()
}

/// A service as `config --format json` resolves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceSpec {
    pub name: String,
    pub image: String,
    /// Services it depends on (`depends_on`).
    pub depends_on: Vec<String>,
    /// Named volumes: (volume key in the file, full Docker volume name, target path).
    pub volumes: Vec<VolumeMount>,
    /// Whether it has a healthcheck (not disabled).
    pub healthcheck: bool,
}

/// A named volume mounted into a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VolumeMount {
    /// The key under top-level `volumes:` (e.g. `prometheus_data`).
    pub key: String,
    /// The Docker volume's name (e.g. `stellar-obs_prometheus_data`).
    pub name: String,
    /// Where it is mounted in the container (e.g. `/prometheus`).
    pub target: String,
}

/// The resolved compose file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectSpec {
    /// Services sorted by name.
    pub services: Vec<ServiceSpec>,
}

impl ProjectSpec {
    pub fn get(&self, name: &str) -> Option<&ServiceSpec> {
        self.services.iter().find(|s| s.name == name)
    }

    pub fn names(&self) -> Vec<String> {
        self.services.iter().map(|s| s.name.clone()).collect()
    }

    /// `services` and everything they depend on, transitively, sorted. Unknown names are an
    /// error that lists the known ones.
    pub fn with_dependencies(&self, services: &[String]) -> Result<Vec<String>> {
        self.check_names(services)?;
        let mut out: Vec<String> = Vec::new();
        let mut todo: Vec<String> = services.to_vec();
        while let Some(s) = todo.pop() {
            if out.contains(&s) {
                continue;
            }
            if let Some(spec) = self.get(&s) {
                todo.extend(spec.depends_on.iter().cloned());
            }
            out.push(s);
        }
        out.sort();
        Ok(out)
    }

    /// Fail with the list of known services when a name is not one of them.
    pub fn check_names(&self, services: &[String]) -> Result<()> {
        let unknown: Vec<&String> = services.iter().filter(|s| self.get(s).is_none()).collect();
        if !unknown.is_empty() {
            let list = unknown.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
            let names = self.names();
            let known: Vec<&str> = names.iter().map(String::as_str).collect();
            let hint = match unknown.as_slice() {
                [one] => crate::suggest::did_you_mean(one, &known)
                    .map(|k| format!(" (did you mean `{k}`?)"))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            return Err(crate::outcome::usage(format!(
                "unknown service {list}{hint}: the compose file has {}",
                names.join(", ")
            )));
        }
        Ok(())
    }
}

/// Parse `config --format json`.
pub fn parse_config(stdout: &str) -> Result<ProjectSpec> {
    let v: serde_json::Value =
        serde_json::from_str(stdout.trim()).context("cannot read `compose config` JSON")?;
    let volume_names: BTreeMap<String, String> = v
        .get("volumes")
        .and_then(|x| x.as_object())
        .map(|m| {
            m.iter()
                .map(|(k, val)| {
                    let name = val
                        .get("name")
                        .and_then(|n| n.as_str())
                        .map(str::to_string)
                        .unwrap_or_else(|| k.clone());
                    (k.clone(), name)
                })
                .collect()
        })
        .unwrap_or_default();
    let mut services = Vec::new();
    if let Some(map) = v.get("services").and_then(|s| s.as_object()) {
        for (name, s) in map {
            let depends_on = match s.get("depends_on") {
                Some(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
                Some(serde_json::Value::Array(a)) => {
                    a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()
                }
                _ => Vec::new(),
            };
            let volumes = s
                .get("volumes")
                .and_then(|x| x.as_array())
                .map(|a| {
                    a.iter()
                        .filter(|m| m.get("type").and_then(|t| t.as_str()) == Some("volume"))
                        .filter_map(|m| {
                            let key = m.get("source")?.as_str()?.to_string();
                            let target = m.get("target")?.as_str()?.to_string();
                            let name = volume_names.get(&key).cloned().unwrap_or(key.clone());
                            Some(VolumeMount { key, name, target })
                        })
                        .collect()
                })
                .unwrap_or_default();
            let healthcheck = s.get("healthcheck").is_some_and(|h| {
                !h.get("disable").and_then(|d| d.as_bool()).unwrap_or(false)
                    && h.get("test")
                        .and_then(|t| t.as_array())
                        .is_none_or(|t| t.first().and_then(|x| x.as_str()) != Some("NONE"))
            });
            services.push(ServiceSpec {
                name: name.clone(),
                image: s.get("image").and_then(|i| i.as_str()).unwrap_or("").to_string(),
                depends_on,
                volumes,
                healthcheck,
            });
        }
    }
    services.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(ProjectSpec { services })
}

/// A Docker volume of the project, with its size when the engine reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VolumeInfo {
    pub name: String,
    /// The key in the compose file (`com.docker.compose.volume` label).
    pub key: String,
    /// As Docker prints it (`57.2kB`), `unknown` when it could not be measured.
    pub size: String,
    /// The same in bytes, when known.
    pub bytes: Option<u64>,
}

/// `57.2kB`, `1.3GB`, `0B`, `12.5MiB` → bytes (Docker prints decimal units).
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let i = s.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (num, unit) = s.split_at(i);
    let n: f64 = num.parse().ok()?;
    let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "tb" => 1e12,
        "pb" => 1e15,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        "tib" => 1024f64.powi(4),
        _ => return None,
    };
    Some((n * mult).round() as u64)
}

/// Parse JSON lines (`--format '{{json .}}'`) into values, skipping blank lines.
fn json_lines(stdout: &str) -> Result<Vec<serde_json::Value>> {
    let t = stdout.trim();
    if t.starts_with('[') {
        let v: Vec<serde_json::Value> = serde_json::from_str(t)?;
        return Ok(v);
    }
    t.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).map_err(Into::into))
        .collect()
}

/// Labels come as an object (inspect) or as `k=v,k=v` text (`ls`).
fn label(v: &serde_json::Value, key: &str) -> Option<String> {
    match v.get("Labels")? {
        serde_json::Value::Object(m) => m.get(key)?.as_str().map(str::to_string),
        serde_json::Value::String(s) => s.split(',').find_map(|kv| {
            let (k, val) = kv.split_once('=')?;
            (k == key).then(|| val.to_string())
        }),
        _ => None,
    }
}

/// Parse `volume ls --format '{{json .}}'` and `system df -v --format '{{json .}}'`.
pub fn parse_volumes(ls: &str, df: Option<&str>) -> Result<Vec<VolumeInfo>> {
    let mut sizes: BTreeMap<String, String> = BTreeMap::new();
    if let Some(df) = df
        && let Ok(docs) = json_lines(df)
    {
        for d in docs {
            if let Some(vols) = d.get("Volumes").and_then(|v| v.as_array()) {
                for v in vols {
                    if let (Some(n), Some(s)) = (
                        v.get("Name").and_then(|x| x.as_str()),
                        v.get("Size").and_then(|x| x.as_str()),
                    ) {
                        sizes.insert(n.to_string(), s.to_string());
                    }
                }
            }
        }
    }
    let mut out: Vec<VolumeInfo> = json_lines(ls)
        .context("cannot read `volume ls` JSON")?
        .iter()
        .filter_map(|v| {
            let name = v.get("Name")?.as_str()?.to_string();
            let key = label(v, "com.docker.compose.volume").unwrap_or_else(|| name.clone());
            let size = sizes.get(&name).cloned().unwrap_or_else(|| "unknown".into());
            let bytes = parse_size(&size);
            Some(VolumeInfo { name, key, size, bytes })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// `State.StartedAt` of containers from `inspect` JSON: id → RFC 3339 start time.
pub fn parse_started(inspect: &str) -> BTreeMap<String, String> {
    let Ok(v) = serde_json::from_str::<Vec<serde_json::Value>>(inspect.trim()) else {
        return BTreeMap::new();
    };
    v.iter()
        .filter_map(|c| {
            let id = c.get("Id")?.as_str()?.to_string();
            let started = c.get("State")?.get("StartedAt")?.as_str()?.to_string();
            Some((id, started))
        })
        .collect()
}

// ----------------------------------------------------------------------------------------
// The wrapper
// ----------------------------------------------------------------------------------------

/// The stack's compose file must exist before anything else is tried.
fn check_compose_file(settings: &Settings) -> Result<()> {
    let compose_file = settings.compose_file();
    if !compose_file.is_file() {
        let problem = format!("{} does not exist", compose_file.display());
        if settings.settings_file_found {
            return Err(crate::outcome::usage(format!(
                "{problem}: the stack in {} lacks its compose file; `{}` writes the missing files (and keeps the ones you changed)",
                settings.dir.display(),
                settings.command("init")
            )));
        }
        return Err(crate::outcome::usage(crate::stack_dir::not_a_stack(&settings.dir, &problem)));
    }
    Ok(())
}

/// A program that could not be started: not installed, or why not (`what` names it).
fn spawn_error(e: &std::io::Error, what: &str) -> anyhow::Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        anyhow!(DockerProblem::NotInstalled)
    } else {
        anyhow!("cannot run {what}: {e}")
    }
}

/// A program that ran and failed: the engine's problem, or its own sentence.
fn failed(what: &str, out: &Output) -> anyhow::Error {
    if let Some(p) = classify(&out.stderr) {
        return anyhow!(p);
    }
    anyhow!("{what} failed: {}", clean_error(&out.stderr))
}

/// One Compose project on one engine: builds and runs every command.
#[derive(Clone)]
pub struct Compose {
    pub engine: Engine,
    pub project: String,
    pub compose_file: PathBuf,
    /// The stack directory, absolute: the `working_dir` label of the containers it made.
    pub working_dir: PathBuf,
    /// Passed as `--env-file` when present.
    pub env_file: Option<PathBuf>,
    /// Something to tell the user once about how the stack was opened (an adopted project).
    pub notice: Option<String>,
    runner: Arc<dyn Runner>,
}

impl fmt::Debug for Compose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Compose")
            .field("engine", &self.engine)
            .field("project", &self.project)
            .field("compose_file", &self.compose_file)
            .field("working_dir", &self.working_dir)
            .field("env_file", &self.env_file)
            .finish()
    }
}

impl Compose {
    /// The stack of `settings` on the detected engine (real processes).
    ///
    /// Without `STELLAR_OBS_COMPOSE`, `docker` on `PATH` with the Compose plugin installed
    /// is taken without running `docker compose version` (saves a process per command);
    /// [`Compose::ensure_version`] asks for the version when it matters.
    pub fn from_settings(settings: &Settings) -> Result<Compose> {
        let mut compose = Self::engine_for(settings)?;
        compose.adopt_legacy(settings)?;
        Ok(compose)
    }

    /// A stack whose project name comes from its directory, with no containers under that
    /// name but with containers made from this directory under the old fixed name
    /// ([`DEFAULT_PROJECT`]), keeps that name: it is adopted, remembered in the state file
    /// (so it is said once) and [`Compose::notice`] says so.
    pub fn adopt_legacy(&mut self, settings: &Settings) -> Result<()> {
        if settings.project_source != ProjectSource::Derived || self.project == DEFAULT_PROJECT {
            return Ok(());
        }
        if !self.ps_all()?.is_empty() {
            return Ok(());
        }
        let mut legacy = self.clone();
        legacy.project = DEFAULT_PROJECT.to_string();
        let ours = legacy.ps_all()?.into_iter().any(|c| {
            ownership::owner_of(&c)
                .is_some_and(|d| ownership::same_dir(Path::new(&d), &self.working_dir))
        });
        if !ours {
            return Ok(());
        }
        let derived = std::mem::replace(&mut self.project, DEFAULT_PROJECT.to_string());
        let mut state = settings.state.clone();
        state.project = Some(DEFAULT_PROJECT.to_string());
        let remembered = match state.write(&settings.dir) {
            Ok(()) => format!("remembered in {}", settings.dir.join(STATE_FILE).display()),
            Err(e) => format!(
                "not remembered: {}",
                crate::output::without_os_error_codes(&format!("{e:#}"))
            ),
        };
        self.notice = Some(format!(
            "this stack's containers run under the Compose project name `{DEFAULT_PROJECT}` (stacks made before project names came from the stack directory): adopted it ({remembered}). To move to its own name `{derived}`: `down`, then `project: {derived}` in {}, then `up`",
            settings.dir.join(crate::settings::SETTINGS_FILE).display()
        ));
        Ok(())
    }

    fn engine_for(settings: &Settings) -> Result<Compose> {
        let runner: Arc<dyn Runner> = Arc::new(ProcessRunner);
        let forced = std::env::var(COMPOSE_ENV).ok().filter(|s| !s.trim().is_empty());
        if forced.is_none() {
            let var = |k: &str| std::env::var(k).ok();
            if let Some(engine) = detect_fast(
                var("PATH").as_deref(),
                var("DOCKER_CONFIG").as_deref(),
                var("HOME").as_deref(),
            ) {
                check_compose_file(settings)?;
                let env_file = Some(settings.env_file()).filter(|p| p.is_file());
                return Ok(Compose::new(
                    engine,
                    &settings.project,
                    settings.compose_file(),
                    env_file,
                    runner,
                ));
            }
        }
        Self::open(settings, runner, forced.as_deref())
    }

    /// Learn the engine's version if detection skipped it (`up` needs it for
    /// `--wait-timeout`).
    pub fn ensure_version(&mut self) -> Result<()> {
        if !self.engine.version.is_empty() {
            return Ok(());
        }
        let forced = self.engine.display();
        self.engine = detect(self.runner.as_ref(), Some(forced))?;
        Ok(())
    }

    /// The stack of `settings` with `runner` (tests pass canned answers).
    pub fn open(
        settings: &Settings,
        runner: Arc<dyn Runner>,
        forced: Option<&str>,
    ) -> Result<Compose> {
        check_compose_file(settings)?;
        let compose_file = settings.compose_file();
        let engine = detect(runner.as_ref(), forced)?;
        let env_file = Some(settings.env_file()).filter(|p| p.is_file());
        Ok(Compose::new(engine, &settings.project, compose_file, env_file, runner))
    }

    /// A wrapper from its parts.
    pub fn new(
        engine: Engine,
        project: &str,
        compose_file: PathBuf,
        env_file: Option<PathBuf>,
        runner: Arc<dyn Runner>,
    ) -> Compose {
        let working_dir =
            crate::stack_dir::absolute(compose_file.parent().unwrap_or(Path::new(".")));
        Compose {
            engine,
            project: project.to_string(),
            compose_file,
            working_dir,
            env_file,
            notice: None,
            runner,
        }
    }

    /// The arguments every Compose command starts with (after the program).
    pub fn base_args(&self) -> Vec<String> {
        let mut a: Vec<String> = self.engine.prefix().iter().map(|s| s.to_string()).collect();
        a.push("-p".into());
        a.push(self.project.clone());
        a.push("-f".into());
        a.push(self.compose_file.display().to_string());
        if let Some(e) = &self.env_file {
            a.push("--env-file".into());
            a.push(e.display().to_string());
        }
        a.push("--ansi".into());
        a.push("never".into());
        a
    }

    /// The full argument list of a Compose subcommand.
    pub fn args(&self, sub: &[&str]) -> Vec<String> {
        let mut a = self.base_args();
        a.extend(sub.iter().map(|s| s.to_string()));
        a
    }

    /// The command line as the user could type it (for messages and -v).
    pub fn command_line(&self, sub: &[&str]) -> String {
        let mut parts = vec![self.engine.program().to_string()];
        parts.extend(self.args(sub).iter().map(|a| crate::settings::shell_quote(a)));
        parts.join(" ")
    }

    fn what(&self, sub: &[&str]) -> String {
        let verb = sub.first().copied().unwrap_or("");
        format!("`{} {verb}` (project {})", self.engine.display(), self.project)
    }

    /// Run a Compose subcommand; a failure becomes one sentence naming the command.
    pub fn run(&self, sub: &[&str]) -> Result<Output> {
        let out = self.run_raw(sub)?;
        if !out.success() {
            return Err(self.failure(sub, &out));
        }
        Ok(out)
    }

    /// Run a Compose subcommand and return its output whatever the exit code.
    pub fn run_raw(&self, sub: &[&str]) -> Result<Output> {
        let args = self.args(sub);
        self.runner.run(self.engine.program(), &args).map_err(|e| spawn_error(&e, &self.what(sub)))
    }

    /// The error for a failed subcommand: the engine's problem, or Compose's own sentence.
    pub fn failure(&self, sub: &[&str], out: &Output) -> anyhow::Error {
        failed(&self.what(sub), out)
    }

    /// Run the container CLI (`docker ...`/`podman ...`).
    fn run_cli(&self, args: &[&str]) -> Result<Output> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let out = self
            .runner
            .run(self.engine.cli(), &args)
            .map_err(|e| spawn_error(&e, &format!("`{}`", self.engine.cli())))?;
        if !out.success() {
            let what = format!(
                "`{} {}`",
                self.engine.cli(),
                args.first().map(String::as_str).unwrap_or("")
            );
            return Err(failed(&what, &out));
        }
        Ok(out)
    }

    /// The services of the compose file as Compose resolves them (`.env` applied).
    pub fn services(&self) -> Result<ProjectSpec> {
        let out = self.run(&["config", "--format", "json"])?;
        parse_config(&out.stdout)
    }

    /// Every container of the project, running or not, whichever directory made it
    /// (`ps -a --format json`).
    pub fn ps_all(&self) -> Result<Vec<Container>> {
        let out = self.run(&["ps", "-a", "--format", "json"])?;
        parse_ps(&out.stdout).with_context(|| format!("from {}", self.what(&["ps"])))
    }

    /// The project's containers split into this stack directory's own and another
    /// directory's ([`ownership::split`]).
    pub fn ps_split(&self) -> Result<(Vec<Container>, Option<Foreign>)> {
        Ok(ownership::split(self.ps_all()?, &self.working_dir))
    }

    /// This stack directory's containers of the project, running or not; containers another
    /// directory made under the same project name are left out.
    pub fn ps(&self) -> Result<Vec<Container>> {
        Ok(self.ps_split()?.0)
    }

    /// This stack directory's containers, for a command about to act on them: an error
    /// (naming the other directory and what to do) when the project also has containers
    /// another stack directory made, which `down`, `restart`, `up` or `restore` would touch.
    pub fn ps_owned(&self) -> Result<Vec<Container>> {
        match self.ps_split()? {
            (own, None) => Ok(own),
            (_, Some(f)) => bail!(ownership::refusal(&self.project, &self.working_dir, &f)),
        }
    }

    /// [`Compose::services`] and `containers` at once (two processes in parallel).
    pub fn services_and<T: Send>(
        &self,
        containers: impl FnOnce(&Compose) -> Result<T> + Send,
    ) -> Result<(ProjectSpec, T)> {
        let (spec, containers) = std::thread::scope(|s| {
            let spec = s.spawn(|| self.services());
            let containers = containers(self);
            (spec.join(), containers)
        });
        let spec = spec.map_err(|_| anyhow!("reading the compose file's services failed"))??;
        Ok((spec, containers?))
    }

    /// [`Compose::services`] and [`Compose::ps`] at once (two processes in parallel).
    pub fn services_and_ps(&self) -> Result<(ProjectSpec, Vec<Container>)> {
        self.services_and(Compose::ps)
    }

    /// The container of `service`, if one exists (the first, for scaled services).
    pub fn container(&self, service: &str) -> Result<Option<Container>> {
        Ok(self.ps()?.into_iter().find(|c| c.service == service))
    }

    /// Whether `service` has a running container.
    pub fn is_running(&self, service: &str) -> Result<bool> {
        Ok(self.container(service)?.is_some_and(|c| c.is_running()))
    }

    /// The `up` arguments: detached, waiting for health, for `services` (all when empty).
    pub fn up_args(&self, services: &[String], timeout: Duration) -> Vec<String> {
        let mut sub: Vec<String> = vec!["up".into(), "-d".into(), "--wait".into()];
        if self.engine.supports_wait_timeout() {
            sub.push("--wait-timeout".into());
            sub.push(timeout.as_secs().max(1).to_string());
        }
        sub.extend(services.iter().cloned());
        sub
    }

    /// `up -d --wait [--wait-timeout N] [SERVICE...]`; the raw output (a failure is for the
    /// caller to explain, with the services' states and logs).
    pub fn up(&self, services: &[String], timeout: Duration) -> Result<Output> {
        let sub = self.up_args(services, timeout);
        let refs: Vec<&str> = sub.iter().map(String::as_str).collect();
        self.run_raw(&refs)
    }

    /// `down` (containers and networks); with `volumes`, the named volumes too.
    pub fn down(&self, volumes: bool) -> Result<()> {
        let mut sub = vec!["down", "--remove-orphans"];
        if volumes {
            sub.push("--volumes");
        }
        self.run(&sub).map(drop)
    }

    fn with_services<'a>(verb: &'a str, services: &'a [&'a str]) -> Vec<&'a str> {
        let mut sub = vec![verb];
        sub.extend_from_slice(services);
        sub
    }

    /// Stop services (all when empty); containers are kept.
    pub fn stop(&self, services: &[&str]) -> Result<()> {
        self.run(&Self::with_services("stop", services)).map(drop)
    }

    /// Start existing, stopped containers of services (all when empty).
    pub fn start(&self, services: &[&str]) -> Result<()> {
        self.run(&Self::with_services("start", services)).map(drop)
    }

    /// Restart services (all when empty).
    pub fn restart(&self, services: &[&str]) -> Result<()> {
        self.run(&Self::with_services("restart", services)).map(drop)
    }

    /// Copy `container_path` out of `service`'s container to `host_path` (`compose cp`,
    /// works while the container is stopped).
    pub fn cp_from(&self, service: &str, container_path: &str, host_path: &Path) -> Result<()> {
        let src = format!("{service}:{container_path}");
        let dst = host_path.display().to_string();
        self.run(&["cp", src.as_str(), dst.as_str()])
            .map(drop)
            .with_context(|| format!("copying {container_path} out of service {service} to {dst}"))
    }

    /// Copy `host_path` into `service`'s container at `container_path`.
    pub fn cp_to(&self, service: &str, host_path: &Path, container_path: &str) -> Result<()> {
        let src = host_path.display().to_string();
        let dst = format!("{service}:{container_path}");
        self.run(&["cp", src.as_str(), dst.as_str()])
            .map(drop)
            .with_context(|| format!("copying {src} into service {service} at {container_path}"))
    }

    /// The last `lines` log lines of `service`, without colour or prefixes.
    pub fn logs_tail(&self, service: &str, lines: u32) -> Result<String> {
        let n = lines.to_string();
        let out =
            self.run(&["logs", "--no-color", "--no-log-prefix", "--tail", n.as_str(), service])?;
        let mut text = out.stdout;
        // Containers often log to stderr; Compose passes that through on stderr.
        if !out.stderr.trim().is_empty() {
            text.push_str(&out.stderr);
        }
        Ok(text)
    }

    /// `logs` with the terminal attached; returns the exit code.
    pub fn logs_passthrough(&self, service: Option<&str>, follow: bool, tail: u32) -> Result<i32> {
        let n = tail.to_string();
        let mut sub = vec!["logs", "--tail", n.as_str()];
        if follow {
            sub.push("--follow");
        }
        if let Some(s) = service {
            sub.push(s);
        }
        let args = self.args(&sub);
        let code = self
            .runner
            .passthrough(self.engine.program(), &args)
            .map_err(|e| spawn_error(&e, &self.what(&sub)))?;
        Ok(code.unwrap_or(130))
    }

    /// The Docker volume mounted at `container_path` in `service` (e.g. `prometheus`,
    /// `/prometheus` → `stellar-obs_prometheus_data`), `None` when that path is no named volume.
    pub fn service_volume(&self, service: &str, container_path: &str) -> Result<Option<String>> {
        let spec = self.services()?;
        spec.check_names(&[service.to_string()])?;
        let want = container_path.trim_end_matches('/');
        Ok(spec.get(service).and_then(|s| {
            s.volumes
                .iter()
                .find(|v| v.target.trim_end_matches('/') == want)
                .map(|v| v.name.clone())
        }))
    }

    /// The project's existing volumes (label `com.docker.compose.project`) with their sizes.
    pub fn volumes(&self) -> Result<Vec<VolumeInfo>> {
        let filter = format!("label=com.docker.compose.project={}", self.project);
        let ls =
            self.run_cli(&["volume", "ls", "--filter", filter.as_str(), "--format", "{{json .}}"])?;
        if ls.stdout.trim().is_empty() {
            return Ok(Vec::new());
        }
        // Sizes: `system df -v` measures every volume; not fatal when it fails.
        let df = self.run_cli(&["system", "df", "-v", "--format", "{{json .}}"]).ok();
        parse_volumes(&ls.stdout, df.as_ref().map(|o| o.stdout.as_str()))
    }

    /// When each container started (id → RFC 3339), from `inspect`; empty when it fails.
    pub fn started_at(&self, ids: &[&str]) -> BTreeMap<String, String> {
        if ids.is_empty() {
            return BTreeMap::new();
        }
        let mut args = vec!["inspect", "--type", "container"];
        args.extend_from_slice(ids);
        match self.run_cli(&args) {
            Ok(out) => parse_started(&out.stdout),
            Err(_) => BTreeMap::new(),
        }
    }
}

#[cfg(test)]
pub mod testing {
    //! Canned answers for unit tests.
    use std::sync::Mutex;

    use super::*;

    /// Answers by the first rule whose needle is contained in `program args...`; records calls.
    #[derive(Default)]
    pub struct FakeRunner {
        pub rules: Vec<(String, std::io::Result<Output>)>,
        pub calls: Mutex<Vec<String>>,
    }

    impl FakeRunner {
        pub fn new() -> Self {
            Self::default()
        }

        pub fn on(mut self, needle: &str, out: Output) -> Self {
            self.rules.push((needle.to_string(), Ok(out)));
            self
        }

        pub fn missing(mut self, needle: &str) -> Self {
            self.rules.push((
                needle.to_string(),
                Err(std::io::Error::new(std::io::ErrorKind::NotFound, "not found")),
            ));
            self
        }

        pub fn calls(&self) -> Vec<String> {
            self.calls.lock().map(|c| c.clone()).unwrap_or_default()
        }

        fn answer(&self, program: &str, args: &[String]) -> std::io::Result<Output> {
            let line = format!("{program} {}", args.join(" "));
            if let Ok(mut c) = self.calls.lock() {
                c.push(line.clone());
            }
            for (needle, out) in &self.rules {
                if line.contains(needle.as_str()) {
                    return match out {
                        Ok(o) => Ok(o.clone()),
                        Err(e) => Err(std::io::Error::new(e.kind(), e.to_string())),
                    };
                }
            }
            Ok(Output::fail(127, format!("FakeRunner: no rule for `{line}`")))
        }
    }

    impl Runner for FakeRunner {
        fn run(&self, program: &str, args: &[String]) -> std::io::Result<Output> {
            self.answer(program, args)
        }

        fn passthrough(&self, program: &str, args: &[String]) -> std::io::Result<Option<i32>> {
            self.answer(program, args).map(|o| o.code)
        }
    }

    pub fn docker_v2() -> Engine {
        Engine { kind: EngineKind::DockerPlugin, version: "2.40.3".into() }
    }

    pub fn compose_with(runner: FakeRunner) -> (Compose, Arc<FakeRunner>) {
        let r = Arc::new(runner);
        let c = Compose::new(
            docker_v2(),
            "stellar-obs",
            PathBuf::from("/s/docker-compose.observability.yml"),
            Some(PathBuf::from("/s/.env")),
            r.clone(),
        );
        (c, r)
    }
}

#[cfg(test)]
mod tests {
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
            let out = ProcessRunner
                .run("sh", &["-c".into(), "cat /proc/$$/stat".into()])
                .expect("sh runs");
            pgrp(&out.stdout)
        };
        assert_eq!(child_pgrp(), ours, "outside: the child shares our process group");
        let section = crate::interrupt::critical();
        let inside = child_pgrp();
        drop(section);
        assert_ne!(inside, ours, "inside: a group of its own, out of the terminal's Ctrl-C");
        assert!(!crate::interrupt::in_critical());
    }

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
        assert_eq!(
            standalone.args(&["ps"]),
            ["-p", "p", "-f", "/s/c.yml", "--ansi", "never", "ps"]
        );
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
        assert_eq!(
            c.command_line(&["ps"]),
            "docker compose -p p -f '/my stack/c.yml' --ansi never ps"
        );
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
        assert_eq!(
            detect(&r, Some("docker-compose")).expect("forced").kind,
            EngineKind::Standalone
        );
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
        assert_eq!(
            plugin_dirs(None, Some("/home/u"))[0],
            PathBuf::from("/home/u/.docker/cli-plugins")
        );
    }

    #[test]
    fn ensure_version_asks_the_engine_once() {
        let runner =
            FakeRunner::new().on("docker compose version --short", Output::ok("v2.40.3\n"));
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
            e.to_string().starts_with(
                "the Docker daemon is not reachable (nothing answers at unix:///x.sock)"
            ),
            "{e}"
        );
    }
}
