//! Why a Docker command failed, in one sentence that says what to do: the engine itself
//! ([`DockerProblem`]: not installed, daemon down, socket permissions) or the engine's own
//! message without progress lines and ANSI escapes ([`clean_error`]).

use std::fmt;

use anyhow::anyhow;

use super::runner::Output;

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

/// A program that could not be started: not installed, or why not (`what` names it).
pub(crate) fn spawn_error(e: &std::io::Error, what: &str) -> anyhow::Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        anyhow!(DockerProblem::NotInstalled)
    } else {
        anyhow!("cannot run {what}: {e}")
    }
}

/// A program that ran and failed: the engine's problem, or its own sentence.
pub(crate) fn failed(what: &str, out: &Output) -> anyhow::Error {
    if let Some(p) = classify(&out.stderr) {
        return anyhow!(p);
    }
    anyhow!("{what} failed: {}", clean_error(&out.stderr))
}
