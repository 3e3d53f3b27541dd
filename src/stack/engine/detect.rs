//! Finding the Compose engine: `docker compose` (the v2 plugin, including Compose 5.x), the
//! standalone `docker-compose` (v2 only: v1 lacks `--wait` and JSON output), then
//! `podman compose`. `STELLAR_OBS_COMPOSE` forces one.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Serialize;

use super::errors::{DockerProblem, classify};
use super::runner::Runner;

/// Environment variable that forces the Compose command (`docker compose`, `docker-compose`,
/// `podman compose`).
pub const COMPOSE_ENV: &str = "STELLAR_OBS_COMPOSE";

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
pub(crate) fn version_from(stdout: &str) -> Option<String> {
    stdout
        .split_whitespace()
        .map(|t| t.trim_end_matches(','))
        .rfind(|t| {
            let t = t.strip_prefix('v').unwrap_or(t);
            t.chars().next().is_some_and(|c| c.is_ascii_digit()) && t.contains('.')
        })
        .map(|t| t.strip_prefix('v').unwrap_or(t).to_string())
}
