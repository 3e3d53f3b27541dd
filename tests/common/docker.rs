//! Docker helpers for the end-to-end tests: the real engine, local images, a stack on free
//! ports under a unique project name, removed again whatever happens (a Drop guard).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{bin, repo};

/// The four services that have local images (built from the Debian packages).
pub const CORE: [&str; 4] = ["alertmanager", "node-exporter", "prometheus", "pushgateway"];

/// `.env` variables of the core services' host ports.
pub const PORT_VARS: [(&str, &str); 4] = [
    ("prometheus", "PROMETHEUS_PORT"),
    ("alertmanager", "ALERTMANAGER_PORT"),
    ("node-exporter", "NODE_EXPORTER_PORT"),
    ("pushgateway", "PUSHGATEWAY_PORT"),
];

/// The local image of a core service (see scripts/build-test-images.sh).
pub fn local_image(service: &str) -> String {
    format!("stellar-obs-test/{service}:local")
}

/// Panics with a hint unless the Docker engine and Compose v2 answer; then makes sure the
/// local images exist (scripts/build-test-images.sh is idempotent and fast when they do).
pub fn require_docker() {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    let r = READY.get_or_init(|| {
        let info = StdCommand::new("docker").args(["info", "--format", "{{.ServerVersion}}"]).output();
        match info {
            Ok(o) if o.status.success() => {}
            Ok(o) => {
                return Err(format!(
                    "the Docker daemon does not answer ({}); start it (`nohup dockerd >/tmp/dockerd.log 2>&1 &`) or run .ci/run",
                    String::from_utf8_lossy(&o.stderr).trim()
                ));
            }
            Err(e) => return Err(format!("docker is not installed ({e}); run .ci/run")),
        }
        let compose = StdCommand::new("docker").args(["compose", "version", "--short"]).output();
        if !compose.is_ok_and(|o| o.status.success()) {
            return Err("Docker Compose v2 (`docker compose`) is missing; run scripts/ci-setup.sh".into());
        }
        let script = repo().join("scripts/build-test-images.sh");
        let out = StdCommand::new("bash").arg(&script).output().map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!(
                "{} failed:\n{}{}",
                script.display(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(())
    });
    if let Err(e) = r {
        panic!("{e}");
    }
}

/// A free TCP port on 127.0.0.1 (bind port 0, read it, let it go).
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    l.local_addr().expect("addr").port()
}

/// A stack written by `init` into a temporary directory, configured for the local images
/// and free ports, under a project name of its own. Dropping it removes every container,
/// network and volume of the project.
pub struct TestStack {
    pub dir: tempfile::TempDir,
    pub project: String,
    /// Host port of each core service.
    pub ports: Vec<(String, u16)>,
}

impl TestStack {
    pub fn new(tag: &str) -> TestStack {
        static N: AtomicUsize = AtomicUsize::new(0);
        let project = format!(
            "stellar-obs-e2e-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let dir = super::init_stack();
        // The containers run as nobody: the stack directory must be traversable, as a
        // directory made by `mkdir` is (a temporary directory is 0700).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
                .expect("chmod stack dir");
        }
        let ports: Vec<(String, u16)> =
            PORT_VARS.iter().map(|(svc, _)| (svc.to_string(), free_port())).collect();
        let mut env = super::read(&dir.path().join(".env"));
        let mut set = |k: &str, v: &str| {
            env = stellar_obs::env_file::set(&env, k, v);
        };
        for svc in CORE {
            let var = format!("{}_IMAGE", svc.to_ascii_uppercase().replace('-', "_"));
            set(&var, &local_image(svc));
        }
        for ((_, var), (_, port)) in PORT_VARS.iter().zip(&ports) {
            set(var, &port.to_string());
        }
        std::fs::write(dir.path().join(".env"), env).expect("write .env");
        TestStack { dir, project, ports }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn port(&self, service: &str) -> u16 {
        self.ports.iter().find(|(s, _)| s == service).map(|(_, p)| *p).expect("known service")
    }

    /// `stellar-obs` pointed at this stack (`--dir`, `--project`).
    pub fn cmd(&self) -> assert_cmd::Command {
        let mut c = bin();
        c.arg("--dir").arg(self.path()).arg("--project").arg(&self.project);
        c
    }

    /// `docker compose -p PROJECT -f FILE ARGS...` (bypassing stellar-obs).
    pub fn compose(&self, args: &[&str]) -> std::process::Output {
        StdCommand::new("docker")
            .arg("compose")
            .args(["-p", &self.project, "-f"])
            .arg(self.compose_file())
            .arg("--env-file")
            .arg(self.path().join(".env"))
            .args(args)
            .output()
            .expect("docker compose runs")
    }

    pub fn compose_file(&self) -> PathBuf {
        self.path().join("docker-compose.observability.yml")
    }

    /// Names of the project's containers that are running (`docker ps`).
    pub fn running_containers(&self) -> Vec<String> {
        docker_lines(&[
            "ps",
            "--filter",
            &format!("label=com.docker.compose.project={}", self.project),
            "--format",
            "{{.Names}}",
        ])
    }

    /// Names of the project's volumes.
    pub fn volumes(&self) -> Vec<String> {
        docker_lines(&[
            "volume",
            "ls",
            "--filter",
            &format!("label=com.docker.compose.project={}", self.project),
            "--format",
            "{{.Name}}",
        ])
    }
}

impl Drop for TestStack {
    fn drop(&mut self) {
        let out = self.compose(&["down", "--volumes", "--remove-orphans", "--timeout", "5"]);
        if !out.status.success() {
            eprintln!(
                "cleanup of project {} failed: {}",
                self.project,
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

pub fn docker_lines(args: &[&str]) -> Vec<String> {
    let out = StdCommand::new("docker").args(args).output().expect("docker runs");
    let mut v = lines(&out.stdout);
    v.sort();
    v
}

/// The non-empty lines of a command's output.
fn lines(out: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(out)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Removes a Compose project's containers, volumes and network when dropped (a test that
/// fails half-way leaves nothing behind), for a project a test made without [`TestStack`].
/// Never panics: cleanup that fails leaves what it could not remove.
pub struct ProjectGuard(pub String);

impl Drop for ProjectGuard {
    fn drop(&mut self) {
        let label = format!("label=com.docker.compose.project={}", self.0);
        let lists: [(&[&str], &[&str]); 2] =
            [(&["ps", "-aq"], &["rm", "-fv"]), (&["volume", "ls", "-q"], &["volume", "rm", "-f"])];
        for (list, remove) in lists {
            let ids = StdCommand::new("docker")
                .args(list)
                .args(["--filter", &label])
                .output()
                .map(|o| lines(&o.stdout))
                .unwrap_or_default();
            if !ids.is_empty() {
                let _ = StdCommand::new("docker").args(remove).args(&ids).output();
            }
        }
        let _ = StdCommand::new("docker")
            .args(["network", "rm", &format!("{}_observability", self.0)])
            .output();
    }
}
