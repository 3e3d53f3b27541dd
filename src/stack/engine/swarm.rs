//! The stack on Docker Swarm: `docker stack deploy` of the stack file derived from the
//! compose file ([`super::stack_file`]), tasks as [`Container`] rows, `docker stack rm`.
//!
//! Swarm ignores `depends_on` and `docker stack deploy` returns before anything runs, so
//! [`Swarm::up`] waits itself: every service's tasks running (replicas running = desired)
//! and healthy, or the deadline. The derived stack file is written to
//! `.stellar-obs-swarm.yml` in the stack directory (tool-written, safe to delete) so a user
//! can read what was deployed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::Value;

use super::compose::Compose;
use super::errors::{classify, clean_error, spawn_error};
use super::model::{
    Container, ProjectSpec, Publisher, VolumeInfo, parse_config, parse_started, parse_volumes,
};
use super::runner::{Output, ProcessRunner, Runner};
use super::stack_file::{self, WORKING_DIR_LABEL};
use crate::settings::{Settings, Topology};
use crate::stack::ownership::Foreign;
use crate::{env_file, ha};

/// The stack file as last deployed, in the stack directory.
pub const STACK_FILE: &str = ".stellar-obs-swarm.yml";
/// The label Swarm puts on everything of a stack.
pub const NAMESPACE_LABEL: &str = "com.docker.stack.namespace";

/// How often `up` and `down` look again.
const POLL: Duration = Duration::from_millis(500);

/// One stack on the Swarm this engine manages.
#[derive(Clone)]
pub struct Swarm {
    pub stack: String,
    pub working_dir: PathBuf,
    pub topology: Topology,
    dotenv: BTreeMap<String, String>,
    /// Resolves the compose file (`config --format json`).
    compose: Compose,
    /// That resolved file, read once per command (`docker compose config` is a process).
    resolved: std::sync::OnceLock<Value>,
    runner: Arc<dyn Runner>,
}

impl std::fmt::Debug for Swarm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Swarm").field("stack", &self.stack).field("dir", &self.working_dir).finish()
    }
}

/// The Swarm state of this engine, from `docker info`.
pub fn swarm_state(runner: &dyn Runner) -> Result<(String, bool)> {
    let args: Vec<String> =
        ["info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    let out = runner.run("docker", &args).map_err(|e| spawn_error(&e, "`docker info`"))?;
    if !out.success() {
        if let Some(p) = classify(&out.stderr) {
            return Err(anyhow!(p));
        }
        bail!("`docker info` failed: {}", clean_error(&out.stderr));
    }
    let mut it = out.stdout.split_whitespace();
    let state = it.next().unwrap_or("").to_string();
    let manager = it.next() == Some("true");
    Ok((state, manager))
}

/// Why this engine cannot deploy a stack, in one sentence that says what to run.
pub fn require_manager(state: &str, manager: bool) -> Result<()> {
    match state {
        "active" if manager => Ok(()),
        "active" => bail!(
            "this Docker engine is a Swarm worker; stacks are deployed from a manager: run stellar-obs on a manager node (`docker node ls` there lists them)"
        ),
        "pending" | "locked" => bail!(
            "this node's Swarm is {state}; `docker swarm unlock` (locked) or wait until it joined (pending), then run the command again"
        ),
        _ => bail!(
            "Docker Swarm is not initialised on this engine (`docker info` says Swarm: {}): run `docker swarm init` (a single node: `docker swarm init --advertise-addr 127.0.0.1`), or join this node to your swarm with `docker swarm join`",
            if state.is_empty() { "unknown" } else { state }
        ),
    }
}

/// `docker stack ps` JSON: one task.
fn task_service(stack: &str, name: &str) -> String {
    let base = name.strip_prefix(&format!("{stack}_")).unwrap_or(name);
    base.split_once('.').map(|(s, _)| s).unwrap_or(base).to_string()
}

/// `Up 5 minutes (healthy)` → `healthy`; `(health: starting)` → `starting`.
fn health_of(status: &str) -> String {
    if status.contains("(healthy)") {
        "healthy".into()
    } else if status.contains("(unhealthy)") {
        "unhealthy".into()
    } else if status.contains("health: starting") {
        "starting".into()
    } else {
        String::new()
    }
}

/// `0.0.0.0:9090->9090/tcp, :::9090->9090/tcp` → publishers.
fn publishers(ports: &str) -> Vec<Publisher> {
    ports
        .split(',')
        .filter_map(|p| {
            let (host, target) = p.trim().split_once("->")?;
            let (addr, published) = host.rsplit_once(':')?;
            let (target, proto) = target.split_once('/').unwrap_or((target, "tcp"));
            Some(Publisher {
                url: addr.trim_matches(|c| c == '[' || c == ']').to_string(),
                target_port: target.parse().ok()?,
                published_port: published.parse().ok()?,
                protocol: proto.to_string(),
            })
        })
        .collect()
}

fn json_lines(s: &str) -> Vec<Value> {
    s.lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

fn field(v: &Value, k: &str) -> String {
    v.get(k).and_then(Value::as_str).unwrap_or("").to_string()
}

/// Tasks (`docker stack ps --format json`) joined with this node's containers
/// (`docker ps --format json`, for state and health) and the services' replica counts
/// (`docker service ls --format json`).
pub fn tasks_as_containers(
    stack: &str,
    tasks: &str,
    containers: &str,
    services: &str,
) -> Vec<Container> {
    let local: Vec<Value> = json_lines(containers);
    let replicas: BTreeMap<String, String> = json_lines(services)
        .iter()
        .map(|s| (task_service(stack, &field(s, "Name")), field(s, "Replicas")))
        .collect();
    let mut out = Vec::new();
    for t in json_lines(tasks) {
        let task_id = field(&t, "ID");
        let service = task_service(stack, &field(&t, "Name"));
        let c = local.iter().find(|c| {
            let labels = field(c, "Labels");
            !task_id.is_empty() && labels.contains(&format!("com.docker.swarm.task.id={task_id}"))
        });
        let current = field(&t, "CurrentState");
        let task_state = current.split_whitespace().next().unwrap_or("").to_ascii_lowercase();
        let (id, state, status, health, pubs, labels) = match c {
            Some(c) => {
                let status = field(c, "Status");
                (
                    field(c, "ID"),
                    field(c, "State"),
                    status.clone(),
                    health_of(&status),
                    publishers(&field(c, "Ports")),
                    field(c, "Labels"),
                )
            }
            None => (
                task_id.clone(),
                task_state,
                current.clone(),
                String::new(),
                Vec::new(),
                String::new(),
            ),
        };
        out.push(Container {
            id,
            name: field(&t, "Name"),
            service: service.clone(),
            image: field(&t, "Image"),
            state,
            health,
            exit_code: 0,
            status: if field(&t, "Error").is_empty() {
                status
            } else {
                format!("{status}: {}", field(&t, "Error"))
            },
            publishers: pubs,
            labels,
            node: field(&t, "Node"),
            replicas: replicas.get(&service).cloned().unwrap_or_default(),
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

impl Swarm {
    /// The stack of `settings` on this engine's Swarm; refuses when the node manages none.
    pub fn from_settings(settings: &Settings) -> Result<Swarm> {
        let runner: Arc<dyn Runner> = Arc::new(ProcessRunner);
        let (state, manager) = swarm_state(runner.as_ref())?;
        require_manager(&state, manager)?;
        let compose = Compose::from_settings(settings)?;
        Ok(Swarm {
            stack: settings.project.clone(),
            working_dir: compose.working_dir.clone(),
            topology: settings.topology,
            dotenv: env_file::read(&settings.env_file()).unwrap_or_default(),
            compose,
            resolved: std::sync::OnceLock::new(),
            runner,
        })
    }

    /// Whether a stack of this name is deployed (tests and `--swarm` auto-detection).
    pub fn is_deployed(&self) -> Result<bool> {
        Ok(!self.service_lines()?.trim().is_empty())
    }

    fn docker(&self, args: &[&str]) -> Result<Output> {
        let a: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        self.runner.run("docker", &a).map_err(|e| spawn_error(&e, "`docker`"))
    }

    fn docker_ok(&self, args: &[&str]) -> Result<Output> {
        let out = self.docker(args)?;
        if !out.success() {
            if let Some(p) = classify(&out.stderr) {
                return Err(anyhow!(p));
            }
            bail!(
                "`docker {}` failed: {}",
                args.iter().take(2).copied().collect::<Vec<_>>().join(" "),
                clean_error(&out.stderr)
            );
        }
        Ok(out)
    }

    fn service_lines(&self) -> Result<String> {
        let filter = format!("label={NAMESPACE_LABEL}={}", self.stack);
        Ok(self
            .docker_ok(&["service", "ls", "--filter", &filter, "--format", "{{json .}}"])?
            .stdout)
    }

    /// The resolved compose file.
    fn resolved(&self) -> Result<&Value> {
        if let Some(v) = self.resolved.get() {
            return Ok(v);
        }
        let out = self.compose.run(&["config", "--format", "json"])?;
        let v =
            serde_json::from_str(out.stdout.trim()).context("cannot read `compose config` JSON")?;
        Ok(self.resolved.get_or_init(|| v))
    }

    /// The stack file derived from the resolved compose file.
    fn derive(
        &self,
        resolved: &Value,
        selected: Option<&[String]>,
        entrypoints: &BTreeMap<String, Vec<String>>,
    ) -> Result<stack_file::StackFile> {
        stack_file::derive(
            resolved,
            &stack_file::Options {
                stack: &self.stack,
                dir: &self.working_dir,
                dotenv: &self.dotenv,
                selected,
                entrypoints,
                ha: self.topology == Topology::Ha,
            },
        )
    }

    /// Each image's ENTRYPOINT; images this node does not have are refused, all named.
    fn entrypoints(&self, doc: &Value) -> Result<BTreeMap<String, Vec<String>>> {
        let mut images: Vec<String> = doc
            .get("services")
            .and_then(Value::as_object)
            .map(|m| {
                m.values()
                    .filter_map(|s| s.get("image").and_then(Value::as_str).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        images.sort();
        images.dedup();
        let mut out = BTreeMap::new();
        let mut missing = Vec::new();
        for image in images {
            let o = self.docker(&[
                "image",
                "inspect",
                "--format",
                "{{json .Config.Entrypoint}}",
                &image,
            ])?;
            if o.success() {
                let ep: Vec<String> = serde_json::from_str(o.stdout.trim()).unwrap_or_default();
                out.insert(image, ep);
            } else if let Some(p) = classify(&o.stderr) {
                return Err(anyhow!(p));
            } else {
                missing.push(image);
            }
        }
        if !missing.is_empty() {
            bail!(
                "this node does not have {} {}: run `docker pull {}` on every node of the swarm (local test images: `scripts/build-test-images.sh`), or point the <SERVICE>_IMAGE variables in {} at images the nodes can get",
                if missing.len() == 1 { "the image" } else { "the images" },
                missing.join(", "),
                missing.join(" && docker pull "),
                self.working_dir.join(".env").display()
            );
        }
        Ok(out)
    }

    /// The stack file for `services` (all when empty), derived and written to
    /// [`STACK_FILE`].
    pub fn write_stack_file(&self, services: &[String]) -> Result<(PathBuf, Vec<String>)> {
        let resolved = self.resolved()?;
        let selected = (!services.is_empty()).then(|| services.to_vec());
        let entrypoints = {
            // Only the images of what is deployed must be on the node.
            let mut probe = resolved.clone();
            if let (Some(sel), Some(Value::Object(m))) = (&selected, probe.get_mut("services")) {
                let ha = self.topology == Topology::Ha;
                m.retain(|name, _| {
                    stack_file::all_names(&serde_json::json!({"services": {name.clone(): {}}}), ha)
                        .iter()
                        .any(|n| sel.contains(n))
                });
            }
            self.entrypoints(&probe)?
        };
        let file = self.derive(resolved, selected.as_deref(), &entrypoints)?;
        let path = self.working_dir.join(STACK_FILE);
        let mut text = String::from(
            "# Written by `stellar-obs up --swarm` from docker-compose.observability.yml (and .env);\n# regenerated on every deploy, edit the compose file instead. JSON is YAML. Holds values\n# from .env (mode 0600, as .env).\n",
        );
        text.push_str(&serde_json::to_string_pretty(&file.doc).unwrap_or_default());
        text.push('\n');
        // Environment values resolved from `.env` are in it (Grafana's admin password):
        // readable by the owner only, as `.env` is.
        crate::fsutil::write_atomic(&path, text.as_bytes(), Some(0o600))?;
        Ok((path, file.services))
    }

    /// The services of the stack file (all of them, deployed or not).
    fn spec(&self) -> Result<ProjectSpec> {
        let resolved = self.resolved()?;
        // No image is inspected: the spec needs names, images and volumes only.
        let entrypoints: BTreeMap<String, Vec<String>> = resolved
            .get("services")
            .and_then(Value::as_object)
            .map(|m| {
                m.values()
                    .filter_map(|s| s.get("image").and_then(Value::as_str))
                    .map(|i| (i.to_string(), vec!["entrypoint".to_string()]))
                    .collect()
            })
            .unwrap_or_default();
        let file = self.derive(resolved, None, &entrypoints)?;
        let mut spec = parse_config(&file.doc.to_string())?;
        for s in &mut spec.services {
            for v in &mut s.volumes {
                v.name = format!("{}_{}", self.stack, v.key);
            }
        }
        Ok(spec)
    }

    fn tasks(&self) -> Result<Vec<Container>> {
        let tasks = self.docker(&[
            "stack",
            "ps",
            &self.stack,
            "--no-trunc",
            "--filter",
            "desired-state=running",
            "--format",
            "{{json .}}",
        ])?;
        if !tasks.success() {
            if let Some(p) = classify(&tasks.stderr) {
                return Err(anyhow!(p));
            }
            // `nothing found in stack: NAME`: not deployed.
            if tasks.stderr.contains("nothing found") {
                return Ok(Vec::new());
            }
            bail!("`docker stack ps {}` failed: {}", self.stack, clean_error(&tasks.stderr));
        }
        let filter = format!("label={NAMESPACE_LABEL}={}", self.stack);
        let containers =
            self.docker_ok(&["ps", "-a", "--filter", &filter, "--format", "{{json .}}"])?;
        let services = self.service_lines()?;
        Ok(tasks_as_containers(&self.stack, &tasks.stdout, &containers.stdout, &services))
    }

    /// The stack directory another stack of this name was deployed from, if any.
    fn foreign(&self) -> Result<Option<Foreign>> {
        let mut services = Vec::new();
        let mut dir = None;
        for s in json_lines(&self.service_lines()?) {
            let name = field(&s, "Name");
            let o = self.docker(&[
                "service",
                "inspect",
                "--format",
                &format!("{{{{index .Spec.Labels \"{WORKING_DIR_LABEL}\"}}}}"),
                &name,
            ])?;
            let d = o.stdout.trim().to_string();
            if o.success()
                && !d.is_empty()
                && !crate::stack::ownership::same_dir(Path::new(&d), &self.working_dir)
            {
                services.push(task_service(&self.stack, &name));
                dir = Some(d);
            }
        }
        Ok(dir.map(|dir| Foreign { dir, services }))
    }

    fn refuse_foreign(&self) -> Result<()> {
        if let Some(f) = self.foreign()? {
            bail!(
                "Swarm stack {} ({}) was deployed from the stack in {}, not from {}: target that one with `stellar-obs --dir {} ...`, or give this stack a name of its own (`project:` in {})",
                self.stack,
                f.services.join(", "),
                f.dir,
                self.working_dir.display(),
                f.dir,
                self.working_dir.join(crate::settings::SETTINGS_FILE).display()
            );
        }
        Ok(())
    }

    /// Wait until every service in `services` has all its tasks running and healthy.
    fn wait(&self, services: &[String], timeout: Duration) -> Result<Output> {
        let deadline = Instant::now() + timeout;
        loop {
            let tasks = self.tasks()?;
            let mut waiting = Vec::new();
            for s in services {
                let mine: Vec<&Container> = tasks.iter().filter(|c| &c.service == s).collect();
                let replicas = mine.first().map(|c| c.replicas.clone()).unwrap_or_default();
                let full = replicas.split_once('/').is_some_and(|(a, b)| {
                    let b = b.split_whitespace().next().unwrap_or(b);
                    a == b && a != "0"
                });
                let ready = !mine.is_empty() && mine.iter().all(|c| c.is_ready());
                if !(full && ready) {
                    let why = mine
                        .iter()
                        .map(|c| {
                            let h = if c.health.is_empty() {
                                String::new()
                            } else {
                                format!(", {}", c.health)
                            };
                            format!(
                                "{} on {}{h}",
                                c.state,
                                if c.node.is_empty() { "?" } else { &c.node }
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; ");
                    waiting.push(format!(
                        "{s} ({} running{})",
                        if replicas.is_empty() { "0/?".into() } else { replicas },
                        if why.is_empty() { String::new() } else { format!(": {why}") }
                    ));
                }
            }
            if waiting.is_empty() {
                return Ok(Output::ok(""));
            }
            if Instant::now() >= deadline {
                return Ok(Output::fail(
                    1,
                    format!(
                        "not running and healthy after {}s: {}",
                        timeout.as_secs(),
                        waiting.join(", ")
                    ),
                ));
            }
            std::thread::sleep(POLL);
        }
    }
}

impl super::StackEngine for Swarm {
    fn display(&self) -> &str {
        "docker stack"
    }

    fn project(&self) -> &str {
        &self.stack
    }

    fn working_dir(&self) -> &Path {
        &self.working_dir
    }

    fn expand_services(&self, services: &[String]) -> Vec<String> {
        if self.topology == Topology::Ha {
            ha::expand_services(services)
        } else {
            services.to_vec()
        }
    }

    fn services(&self) -> Result<ProjectSpec> {
        self.spec()
    }

    fn services_and_split(&self) -> Result<(ProjectSpec, super::Split)> {
        let spec = self.spec()?;
        let foreign = self.foreign()?;
        let tasks = if foreign.is_some() { Vec::new() } else { self.tasks()? };
        Ok((spec, (tasks, foreign)))
    }

    fn services_and_owned(&self) -> Result<(ProjectSpec, Vec<Container>)> {
        let spec = self.spec()?;
        Ok((spec, self.ps_owned()?))
    }

    fn ps(&self) -> Result<Vec<Container>> {
        self.tasks()
    }

    fn ps_owned(&self) -> Result<Vec<Container>> {
        self.refuse_foreign()?;
        self.tasks()
    }

    fn up_command_line(&self, _services: &[String], _timeout: Duration) -> String {
        format!(
            "docker stack deploy --resolve-image never -c {} {}",
            crate::settings::shell_quote(&self.working_dir.join(STACK_FILE).display().to_string()),
            self.stack
        )
    }

    fn up(&self, services: &[String], timeout: Duration) -> Result<Output> {
        let (path, deployed) = self.write_stack_file(services)?;
        let path = path.display().to_string();
        let out = self.docker(&[
            "stack",
            "deploy",
            "--resolve-image",
            "never",
            "-c",
            &path,
            &self.stack,
        ])?;
        if !out.success() {
            return Ok(out);
        }
        self.wait(&deployed, timeout)
    }

    fn down(&self, volumes: bool) -> Result<()> {
        let names: Vec<String> = self.volumes()?.into_iter().map(|v| v.name).collect();
        if self.is_deployed()? {
            self.docker_ok(&["stack", "rm", &self.stack])?;
        }
        // `stack rm` returns at once; the containers (and the network) go afterwards.
        let filter = format!("label={NAMESPACE_LABEL}={}", self.stack);
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            let left = self.docker_ok(&["ps", "-aq", "--filter", &filter])?;
            let nets = self.docker_ok(&["network", "ls", "-q", "--filter", &filter])?;
            if left.stdout.trim().is_empty() && nets.stdout.trim().is_empty() {
                break;
            }
            if Instant::now() >= deadline {
                bail!(
                    "`docker stack rm {}`: containers or networks still there after 90s; see `docker stack ps {}`",
                    self.stack,
                    self.stack
                );
            }
            std::thread::sleep(POLL);
        }
        if volumes && !names.is_empty() {
            let mut args = vec!["volume", "rm"];
            args.extend(names.iter().map(String::as_str));
            self.docker_ok(&args)?;
        }
        Ok(())
    }

    fn volumes(&self) -> Result<Vec<VolumeInfo>> {
        let filter = format!("label={NAMESPACE_LABEL}={}", self.stack);
        let ls =
            self.docker_ok(&["volume", "ls", "--filter", &filter, "--format", "{{json .}}"])?;
        if ls.stdout.trim().is_empty() {
            return Ok(Vec::new());
        }
        let df = self.docker_ok(&["system", "df", "-v", "--format", "{{json .}}"]).ok();
        let mut v = parse_volumes(&ls.stdout, df.as_ref().map(|o| o.stdout.as_str()))?;
        let prefix = format!("{}_", self.stack);
        for x in &mut v {
            if let Some(k) = x.name.strip_prefix(&prefix) {
                x.key = k.to_string();
            }
        }
        Ok(v)
    }

    fn logs_tail(&self, service: &str, lines: u32) -> Result<String> {
        let n = lines.to_string();
        let name = format!("{}_{service}", self.stack);
        let out =
            self.docker_ok(&["service", "logs", "--no-task-ids", "--raw", "--tail", &n, &name])?;
        let mut text = out.stdout;
        if !out.stderr.trim().is_empty() {
            text.push_str(&out.stderr);
        }
        Ok(text)
    }

    fn logs_passthrough(&self, service: Option<&str>, follow: bool, tail: u32) -> Result<i32> {
        let services: Vec<String> = match service {
            Some(s) => vec![s.to_string()],
            None if follow => bail!(
                "on Swarm, `logs -f` follows one service: name it (`docker service logs` takes one); the services: {}",
                self.spec()?.names().join(", ")
            ),
            None => {
                let mut v: Vec<String> = json_lines(&self.service_lines()?)
                    .iter()
                    .map(|s| task_service(&self.stack, &field(s, "Name")))
                    .collect();
                v.sort();
                v
            }
        };
        let n = tail.to_string();
        let mut code = 0;
        for s in services {
            let name = format!("{}_{s}", self.stack);
            let mut args: Vec<String> =
                ["service", "logs", "--tail", &n].iter().map(|x| x.to_string()).collect();
            if follow {
                args.push("--follow".into());
            }
            args.push(name);
            let c = self
                .runner
                .passthrough("docker", &args)
                .map_err(|e| spawn_error(&e, "`docker service logs`"))?
                .unwrap_or(130);
            if c != 0 {
                code = c;
            }
        }
        Ok(code)
    }

    fn started_at(&self, ids: &[&str]) -> BTreeMap<String, String> {
        if ids.is_empty() {
            return BTreeMap::new();
        }
        let mut args = vec!["inspect", "--type", "container"];
        args.extend_from_slice(ids);
        match self.docker(&args) {
            Ok(out) if out.success() => parse_started(&out.stdout),
            _ => BTreeMap::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_join_containers_for_state_health_ports_and_replicas() {
        let tasks = r#"{"CurrentState":"Running 2 minutes ago","DesiredState":"Running","Error":"","ID":"t1","Image":"p:1","Name":"s_prometheus-1.1","Node":"vm","Ports":""}
{"CurrentState":"Pending 3 seconds ago","DesiredState":"Running","Error":"no suitable node","ID":"t2","Image":"p:1","Name":"s_prometheus-2.1","Node":"","Ports":""}
{"CurrentState":"Running 1 minute ago","DesiredState":"Running","Error":"","ID":"t3","Image":"n:1","Name":"s_node-exporter.abc123","Node":"vm","Ports":""}"#;
        let containers = r#"{"ID":"c1","Labels":"com.docker.swarm.task.id=t1,com.docker.stack.namespace=s","Ports":"0.0.0.0:9090->9090/tcp, :::9090->9090/tcp","State":"running","Status":"Up 2 minutes (healthy)"}
{"ID":"c3","Labels":"com.docker.swarm.task.id=t3","Ports":"","State":"running","Status":"Up 1 minute (health: starting)"}"#;
        let services = r#"{"Name":"s_prometheus-1","Replicas":"1/1"}
{"Name":"s_prometheus-2","Replicas":"0/1"}
{"Name":"s_node-exporter","Replicas":"1/1 (max 1 per node)"}"#;
        let v = tasks_as_containers("s", tasks, containers, services);
        assert_eq!(v.len(), 3);
        let p1 = v.iter().find(|c| c.service == "prometheus-1").expect("p1");
        assert!(p1.is_ready());
        assert_eq!((p1.id.as_str(), p1.node.as_str(), p1.replicas.as_str()), ("c1", "vm", "1/1"));
        // IPv4 and IPv6 on every address: one entry.
        assert_eq!(p1.ports(), ["0.0.0.0:9090->9090/tcp"]);
        let p2 = v.iter().find(|c| c.service == "prometheus-2").expect("p2");
        assert_eq!(p2.state, "pending");
        assert!(p2.status.contains("no suitable node"), "{}", p2.status);
        let ne = v.iter().find(|c| c.service == "node-exporter").expect("ne");
        assert_eq!(ne.health, "starting");
    }

    #[test]
    fn a_node_without_a_swarm_is_told_what_to_run() {
        let e = require_manager("inactive", false).expect_err("refused").to_string();
        assert!(e.contains("docker swarm init --advertise-addr 127.0.0.1"), "{e}");
        let e = require_manager("active", false).expect_err("refused").to_string();
        assert!(e.contains("manager"), "{e}");
        assert!(require_manager("active", true).is_ok());
    }
}
