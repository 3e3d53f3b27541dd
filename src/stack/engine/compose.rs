//! The Compose wrapper: one project on one engine. Every command gets `-p PROJECT -f
//! docker-compose.observability.yml --env-file .env --ansi never` (the env file when it
//! exists), so the tool never depends on the working directory or on a terminal.
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
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};

use super::detect::{COMPOSE_ENV, Engine, detect, detect_fast};
use super::errors::{failed, spawn_error};
use super::model::{
    Container, ProjectSpec, VolumeInfo, parse_config, parse_ps, parse_started, parse_volumes,
};
use super::runner::{Output, ProcessRunner, Runner};
use crate::settings::{DEFAULT_PROJECT, ProjectSource, Settings};
use crate::stack::ownership::{self, Foreign};
use crate::stack_dir::STATE_FILE;

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

    /// The names of the project's volumes (`volume ls`; no sizes).
    pub fn volume_names(&self) -> Result<Vec<String>> {
        let filter = format!("label=com.docker.compose.project={}", self.project);
        let ls = self.run_cli(&["volume", "ls", "-q", "--filter", filter.as_str()])?;
        let mut names: Vec<String> =
            ls.stdout.lines().map(str::trim).filter(|n| !n.is_empty()).map(String::from).collect();
        names.sort();
        Ok(names)
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

impl super::StackEngine for Compose {
    fn display(&self) -> &str {
        self.engine.display()
    }

    fn project(&self) -> &str {
        &self.project
    }

    fn working_dir(&self) -> &Path {
        &self.working_dir
    }

    fn services(&self) -> Result<ProjectSpec> {
        Compose::services(self)
    }

    fn services_and_split(&self) -> Result<(ProjectSpec, super::Split)> {
        self.services_and(Compose::ps_split)
    }

    fn services_and_owned(&self) -> Result<(ProjectSpec, Vec<Container>)> {
        self.services_and(Compose::ps_owned)
    }

    fn ps(&self) -> Result<Vec<Container>> {
        Compose::ps(self)
    }

    fn ps_owned(&self) -> Result<Vec<Container>> {
        Compose::ps_owned(self)
    }

    fn up_command_line(&self, services: &[String], timeout: Duration) -> String {
        let args = self.up_args(services, timeout);
        self.command_line(&args.iter().map(String::as_str).collect::<Vec<_>>())
    }

    fn up(&self, services: &[String], timeout: Duration) -> Result<Output> {
        Compose::up(self, services, timeout)
    }

    fn down(&self, volumes: bool) -> Result<()> {
        Compose::down(self, volumes)
    }

    fn volumes(&self) -> Result<Vec<VolumeInfo>> {
        Compose::volumes(self)
    }

    fn volume_names(&self) -> Result<Vec<String>> {
        Compose::volume_names(self)
    }

    fn logs_tail(&self, service: &str, lines: u32) -> Result<String> {
        Compose::logs_tail(self, service, lines)
    }

    fn logs_passthrough(&self, service: Option<&str>, follow: bool, tail: u32) -> Result<i32> {
        Compose::logs_passthrough(self, service, follow, tail)
    }

    fn started_at(&self, ids: &[&str]) -> BTreeMap<String, String> {
        Compose::started_at(self, ids)
    }
}
