//! `up`, `down`, `status`, `logs`, `restart` on Docker Compose.
//!
//! `up` validates the stack first (the validator's [`crate::lint::check_stack`]), starts it
//! with `up -d --wait`, shows one progress line per service while Compose works (from
//! polling `ps`), and ends with the status table. A failure names the services that did not
//! become healthy, with their last log lines.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use serde::Serialize;

use crate::cli::{DownArgs, LogsArgs, OutputFormat, RestartArgs, UpArgs};
use crate::clock::{Clock, SystemClock};
use crate::lint::{Diagnostic, Severity};
use crate::outcome::Outcome;
use crate::output::progress::{Line, Progress};
use crate::output::{Paint, Report, Ui, table, to_json};
use crate::settings::{Settings, Topology};
use crate::stack::engine::{
    Compose, Container, DockerProblem, ProjectSpec, StackEngine, Swarm, VolumeInfo, classify,
    clean_error,
};
use crate::stack::ownership;
use crate::stack::status::StatusReport;

/// Log lines shown for each service that failed to start.
pub const FAILURE_LOG_LINES: u32 = 20;

/// The engine that runs the stack: Docker Swarm for the HA topology (`topology: ha`),
/// Compose otherwise. `--swarm` on a stack that is not HA is refused (exit 2) with what to
/// change.
pub fn open_engine(s: &Settings, ui: &Ui, swarm: bool) -> Result<Box<dyn StackEngine>> {
    match (s.topology, swarm) {
        (Topology::Ha, _) => Ok(Box::new(Swarm::from_settings(s)?)),
        (Topology::Single, true) => Err(crate::outcome::usage(format!(
            "--swarm: the stack in {} was not made with the HA topology ({} has no `topology: ha`), and Swarm runs only that one (two Prometheus replicas, three Alertmanager peers). Make it HA with `{}` (rewrites prometheus.yml and stellar-obs.yml: edits to them are replaced; the rest is kept), or run it on Compose without --swarm",
            s.dir.display(),
            s.dir.join(crate::settings::SETTINGS_FILE).display(),
            s.command("init --ha --force")
        ))),
        (Topology::Single, false) => {
            let mut compose = open(s, ui)?;
            compose.ensure_version()?;
            Ok(Box::new(compose))
        }
    }
}

/// The stack's Compose project, saying once if an old project name was adopted.
pub fn open(s: &Settings, ui: &Ui) -> Result<Compose> {
    let compose = Compose::from_settings(s)?;
    if let Some(n) = &compose.notice {
        ui.warn(n);
    }
    Ok(compose)
}

// ----------------------------------------------------------------------------------------
// status
// ----------------------------------------------------------------------------------------

pub fn status(s: &Settings, ui: &Ui, swarm: bool) -> Result<Outcome> {
    ui.require_format("status", &[OutputFormat::Json])?;
    let engine = open_engine(s, ui, swarm)?;
    let report = status_report(engine.as_ref(), &SystemClock)?;
    ui.emit(&report)?;
    Ok(report.outcome())
}

/// The status of every service of the compose file.
pub fn status_report(engine: &dyn StackEngine, clock: &dyn Clock) -> Result<StatusReport> {
    let (spec, (containers, foreign)) = engine.services_and_split()?;
    let mut report = status_of(engine, &spec, &containers, clock);
    if let Some(f) = foreign {
        report.note = Some(format!(
            "Compose project {} also has containers ({}) made by the stack in {}; they are not this stack's and are not shown. Give this stack a project name of its own (`project:` in {}).",
            engine.project(),
            f.services.join(", "),
            f.dir,
            engine.working_dir().join(crate::settings::SETTINGS_FILE).display()
        ));
    }
    Ok(report)
}

/// The status table from the compose file's services and the containers `ps` listed
/// (start times asked of the running ones).
fn status_of(
    engine: &dyn StackEngine,
    spec: &ProjectSpec,
    containers: &[Container],
    clock: &dyn Clock,
) -> StatusReport {
    let ids: Vec<&str> =
        containers.iter().filter(|c| c.is_running()).map(|c| c.id.as_str()).collect();
    let started = engine.started_at(&ids);
    StatusReport::build(spec, containers, &started, clock.now())
}

// ----------------------------------------------------------------------------------------
// up
// ----------------------------------------------------------------------------------------

/// What `up` did to one service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// No container before: created and started.
    Created,
    /// A different container now (configuration or image changed).
    Recreated,
    /// The same container, started again (it was stopped).
    Started,
    /// Already running before, the same container after.
    Unchanged,
    /// No container after `up`.
    Failed,
}

/// A service that did not come up, with what it last said.
#[derive(Debug, Clone, Serialize)]
pub struct FailedService {
    pub service: String,
    pub state: String,
    pub health: String,
    pub logs: Vec<String>,
}

/// Why `up` failed.
#[derive(Debug, Clone, Serialize)]
pub struct UpFailure {
    /// Compose's own explanation, one sentence.
    pub message: String,
    pub services: Vec<FailedService>,
    /// Images that could not be pulled (no registry access, a wrong name or tag), with
    /// their services; empty when pulling was not the problem.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unpulled: Vec<Unpulled>,
}

/// An image `up` could not pull.
#[derive(Debug, Clone, Serialize)]
pub struct Unpulled {
    pub service: String,
    pub image: String,
}

/// Whether Compose's error is about getting an image from a registry.
pub fn is_pull_failure(stderr: &str) -> bool {
    let l = stderr.to_ascii_lowercase();
    [
        "/v2/",
        "pull access denied",
        "manifest unknown",
        "not found: manifest",
        "no such host",
        "toomanyrequests",
        "error pulling image",
        "failed to resolve reference",
        "i/o timeout",
        "tls handshake timeout",
    ]
    .iter()
    .any(|n| l.contains(n))
}

/// The services whose containers Compose's error names (`container p-prometheus-1 is
/// unhealthy`, `dependency failed to start: container p-loki-1 exited (1)`).
fn named_in(stderr: &str, containers: &[Container]) -> Vec<String> {
    let mut v: Vec<String> = containers
        .iter()
        .filter(|c| !c.name.is_empty() && stderr.contains(c.name.as_str()))
        .map(|c| c.service.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// `up`'s result: the status of every service, what changed, and any failure.
#[derive(Debug, Clone, Serialize)]
pub struct UpReport {
    #[serde(flatten)]
    pub status: StatusReport,
    /// The services `up` was asked for, with their dependencies.
    pub targets: Vec<String>,
    /// `targets` when `--services` chose a part of the stack; `None` for the whole stack.
    #[serde(skip)]
    pub selection: Option<Vec<String>>,
    pub actions: BTreeMap<String, Action>,
    pub changed: bool,
    pub seconds: f64,
    pub failure: Option<UpFailure>,
    /// `stellar-obs` with the `--dir`/`--project` this run needed, for the commands the
    /// report suggests ([`Settings::command`]).
    #[serde(skip)]
    pub cli: String,
    /// The stack's `.env`, for the fixes the report suggests.
    #[serde(skip)]
    pub env_file: String,
}

/// The `.env` variable that overrides a service's image (`node-exporter` →
/// `NODE_EXPORTER_IMAGE`).
pub fn image_var(service: &str) -> String {
    format!("{}_IMAGE", service.to_ascii_uppercase().replace('-', "_"))
}

impl UpReport {
    pub fn outcome(&self) -> Outcome {
        if self.failure.is_some() { Outcome::Failure } else { Outcome::Success }
    }
}

impl Report for UpReport {
    fn human(&self, paint: &Paint) -> String {
        let mut s = self.status.table(paint);
        match &self.failure {
            None if !self.changed => s.push_str(&format!(
                "Nothing changed: {} ({}) {} already running and healthy.\n",
                plural(self.targets.len(), "service", "services"),
                self.targets.join(", "),
                if self.targets.len() == 1 { "was" } else { "were" }
            )),
            None => {
                let changed: Vec<String> = self
                    .actions
                    .iter()
                    .filter(|(_, a)| **a != Action::Unchanged)
                    .map(|(svc, a)| format!("{svc} ({})", action_word(*a)))
                    .collect();
                s.push_str(&format!(
                    "{} running and healthy in {:.0}s; changed: {}.\n",
                    plural(self.targets.len(), "service", "services"),
                    self.seconds,
                    changed.join(", ")
                ));
            }
            Some(f) => {
                s.push_str(&format!("{} {}\n", paint.red("up failed:"), f.message));
                if !f.unpulled.is_empty() {
                    s.push_str(&format!(
                        "\nThese images could not be pulled from their registry:\n{}",
                        f.unpulled
                            .iter()
                            .map(|u| format!("  {} ({})\n", u.image, u.service))
                            .collect::<String>()
                    ));
                    let first = &f.unpulled[0];
                    s.push_str(&format!(
                        "Fix: check registry access with `docker pull {}`; behind a proxy or without Docker Hub, set a mirror (`registry-mirrors` in /etc/docker/daemon.json, then restart Docker); or point `{}` in {} at an image you can reach (or one built locally).\n",
                        first.image,
                        image_var(&first.service),
                        self.env_file
                    ));
                }
                let mut with_logs = None;
                for svc in &f.services {
                    if svc.state == "missing" {
                        if !f.unpulled.iter().any(|u| u.service == svc.service) {
                            s.push_str(&format!(
                                "\n{} has no container.\n",
                                paint.bold(&svc.service)
                            ));
                        }
                        continue;
                    }
                    with_logs.get_or_insert(svc.service.as_str());
                    if svc.logs.is_empty() {
                        s.push_str(&format!(
                            "\n{} is {} (health: {}); it has logged nothing.\n",
                            paint.bold(&svc.service),
                            svc.state,
                            svc.health
                        ));
                        continue;
                    }
                    let last = match svc.logs.len() {
                        1 => "Its last log line".to_string(),
                        n => format!("Its last {n} log lines"),
                    };
                    s.push_str(&format!(
                        "\n{} is {} (health: {}). {last}:\n",
                        paint.bold(&svc.service),
                        svc.state,
                        svc.health,
                    ));
                    for l in &svc.logs {
                        s.push_str(&format!("  {l}\n"));
                    }
                }
                if let Some(svc) = with_logs {
                    s.push_str(&format!("\nMore: `{} logs {svc}`.\n", self.cli));
                }
            }
        }
        s
    }

    fn json(&self) -> serde_json::Value {
        to_json(self)
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

fn action_word(a: Action) -> &'static str {
    match a {
        Action::Created => "created",
        Action::Recreated => "recreated",
        Action::Started => "started",
        Action::Unchanged => "unchanged",
        Action::Failed => "failed",
    }
}

pub fn up(s: &Settings, ui: &Ui, a: &UpArgs) -> Result<Outcome> {
    ui.require_format("up", &[OutputFormat::Json])?;
    write_default_stack_if_none(s, ui)?;
    if a.no_validate {
        ui.warn("skipping validation (--no-validate)");
    } else {
        validate_first(s, ui)?;
    }
    let engine = open_engine(s, ui, a.swarm)?;
    guard_volumes(engine.as_ref(), s, ui, "use", a.claim_volumes)?;
    let mut report = up_with(engine.as_ref(), ui, a, &SystemClock)?;
    remember(s, ui, engine.as_ref(), &report);
    report.cli = s.command("");
    report.env_file = s.env_file().display().to_string();
    ui.emit(&report)?;
    Ok(report.outcome())
}

/// `up` where there is no stack (no `--dir`, none found here or above, no `./observability`):
/// write the default one first, as `init` would, and say so. `init` never replaces a file,
/// and a `--dir` that does not exist was refused before this.
pub fn write_default_stack_if_none(s: &Settings, ui: &Ui) -> Result<bool> {
    if s.dir_source != crate::settings::DirSource::Default || s.dir.exists() {
        return Ok(false);
    }
    let report = crate::stack::init::init(&s.dir, &s.project, false)?;
    ui.info(format!(
        "No stack here or in a parent directory: wrote the default stack into {} ({} files, Compose project {}; the Grafana admin password is in {}). Alerting secrets go in {}/alerting/secrets/ (see its README.md).",
        s.dir.display(),
        report.files.len(),
        s.project,
        s.env_file().display(),
        s.dir.display()
    ));
    Ok(true)
}

/// Remember what `up` selected, for `check-health` and `backup`: the services (with their
/// dependencies) after `up --services`, nothing after a plain `up` (the whole stack).
/// After `up`: the selected services, and the project's volumes now that this stack's
/// containers use them (read afresh: opening the stack may have adopted a project name).
fn remember(s: &Settings, ui: &Ui, engine: &dyn StackEngine, report: &UpReport) {
    let before = crate::stack_dir::State::read(&s.dir);
    let mut state = before.clone();
    state.services = report.selection.clone();
    if engine.ps().is_ok_and(|own| !own.is_empty())
        && let Ok(names) = engine.volume_names()
    {
        state.volumes = Some(names).filter(|v| !v.is_empty());
    }
    if state != before
        && let Err(e) = state.write(&s.dir)
    {
        ui.warn(format!("{:#}", e));
    }
}

/// Refuse to `what` (use, delete) the project's volumes when this stack directory cannot
/// show they are its own ([`ownership::unproven_volumes`]); `claim` takes them anyway.
fn guard_volumes(
    engine: &dyn StackEngine,
    s: &Settings,
    ui: &Ui,
    what: &str,
    claim: bool,
) -> Result<()> {
    let names = engine.volume_names()?;
    if names.is_empty() {
        return Ok(());
    }
    // Another directory's containers are refused here already.
    let own = !engine.ps_owned()?.is_empty();
    let state = crate::stack_dir::State::read(&s.dir);
    let unproven = ownership::unproven_volumes(&names, state.volumes.as_ref(), own);
    if unproven.is_empty() {
        return Ok(());
    }
    if claim {
        ui.warn(format!("claiming {} as this stack's own (--claim-volumes)", unproven.join(", ")));
        return Ok(());
    }
    let claim = s.command("up --claim-volumes");
    bail!(ownership::volume_refusal(engine.project(), &s.dir, what, &unproven, &claim))
}

/// One finding as `path:line:col: severity[code]: message`.
pub fn format_diagnostic(d: &Diagnostic) -> String {
    format!("{}:{}:{}: {}[{}]: {}", d.path, d.line, d.column, d.severity, d.code, d.message)
}

/// Run the validator on the stack; print its findings on stderr; refuse on errors.
pub fn validate_first(s: &Settings, ui: &Ui) -> Result<()> {
    let report = crate::lint::check_stack_report(&s.dir)?;
    let errors = report.errors();
    // Errors first (a parse error is never buried under warnings), then the notes.
    for d in report.errors_first() {
        let line = format_diagnostic(d);
        if d.severity == Severity::Error {
            eprintln!("{}", crate::output::terminal_safe(&line, false));
        } else {
            ui.info(line);
        }
    }
    for n in &report.notes {
        ui.info(format!("note: {n}"));
    }
    if errors > 0 {
        bail!(
            "refusing to start: the stack in {} has {} (listed above); fix them, or pass --no-validate to start anyway",
            s.dir.display(),
            plural(errors, "error", "errors")
        );
    }
    Ok(())
}

/// What `up` did, from the containers before and after.
pub fn actions(
    targets: &[String],
    before: &[Container],
    after: &[Container],
) -> BTreeMap<String, Action> {
    targets
        .iter()
        .map(|svc| {
            let b = before.iter().find(|c| &c.service == svc);
            let a = after.iter().find(|c| &c.service == svc);
            let action = match (b, a) {
                (_, None) => Action::Failed,
                (None, Some(_)) => Action::Created,
                (Some(b), Some(a)) if b.id != a.id => Action::Recreated,
                (Some(b), Some(_)) if !b.is_running() => Action::Started,
                (Some(_), Some(_)) => Action::Unchanged,
            };
            (svc.clone(), action)
        })
        .collect()
}

/// The word a progress line shows for a service's container.
pub fn progress_state(c: Option<&Container>) -> String {
    match c {
        None => "waiting".into(),
        Some(c) if c.state == "running" => match c.health.as_str() {
            "" => "running".into(),
            h => h.to_string(),
        },
        Some(c) if c.state == "exited" => format!("exited ({})", c.exit_code),
        Some(c) => c.state.clone(),
    }
}

/// Progress lines, one per service; plain mode prints a line only when a state changes.
struct Lines {
    lines: BTreeMap<String, (Line, String)>,
    /// indicatif bars (a terminal) rather than plain lines.
    bars: bool,
}

impl Lines {
    fn new(ui: &Ui, services: &[String]) -> Self {
        let progress = Progress::new(ui);
        let lines =
            services.iter().map(|s| (s.clone(), (progress.line(s), String::new()))).collect();
        Lines { lines, bars: ui.progress }
    }

    fn update(&mut self, containers: &[Container]) {
        for (svc, (line, last)) in self.lines.iter_mut() {
            let state = progress_state(containers.iter().find(|c| &c.service == svc));
            if *last != state {
                line.set(&state);
                *last = state;
            }
        }
    }

    fn finish(&mut self, containers: &[Container]) {
        for (svc, (line, last)) in self.lines.iter_mut() {
            let state = progress_state(containers.iter().find(|c| &c.service == svc));
            if self.bars {
                line.finish(&state);
            } else if *last != state {
                line.set(&state);
            }
            *last = state;
        }
    }
}

/// `up` on an opened engine: start, follow progress, explain a failure.
pub fn up_with(
    engine: &dyn StackEngine,
    ui: &Ui,
    a: &UpArgs,
    clock: &dyn Clock,
) -> Result<UpReport> {
    let t0 = Instant::now();
    // Refuses when the project's containers belong to another stack directory: `up` would
    // recreate them from this directory's files.
    let (spec, before) = engine.services_and_owned()?;
    let asked = engine.expand_services(&a.services);
    let targets = if asked.is_empty() { spec.names() } else { spec.with_dependencies(&asked)? };
    let timeout = Duration::from_secs(a.timeout.max(1));
    ui.debug(engine.up_command_line(&asked, timeout));

    let mut lines = Lines::new(ui, &targets);
    lines.update(&before);

    // The engine works in a thread; this one polls `ps` for the progress lines.
    let (tx, rx) = mpsc::channel();
    let result = std::thread::scope(|scope| {
        scope.spawn(|| {
            let _ = tx.send(engine.up(&asked, timeout));
        });
        loop {
            match rx.recv_timeout(Duration::from_millis(750)) {
                Ok(r) => break Ok(r),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if let Ok(now) = engine.ps() {
                        lines.update(&now);
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    break Err(anyhow::anyhow!("`{} up` stopped unexpectedly", engine.display()));
                }
            }
        }
    });
    let out = result??;

    let after = engine.ps()?;
    lines.finish(&after);
    let status = status_of(engine, &spec, &after, clock);
    let actions = actions(&targets, &before, &after);

    let mut not_ready: Vec<&str> = targets
        .iter()
        .filter(|t| status.row(t).is_none_or(|r| !r.is_ready()))
        .map(String::as_str)
        .collect();
    // A container in a restart loop can look running between two attempts: the services
    // Compose's error names failed whatever `ps` says now.
    let named = if out.success() { Vec::new() } else { named_in(&out.stderr, &after) };
    for svc in &named {
        if !not_ready.contains(&svc.as_str()) && targets.contains(svc) {
            not_ready.push(svc.as_str());
        }
    }
    not_ready.sort();
    let failure = if out.success() && not_ready.is_empty() {
        None
    } else {
        if !out.success()
            && let Some(p) = classify(&out.stderr)
        {
            // The engine itself failed (daemon gone, socket permissions): no report to show.
            return Err(anyhow::Error::new::<DockerProblem>(p));
        }
        let message = if out.success() {
            format!("{} did not become healthy", not_ready.join(", "))
        } else {
            clean_error(&out.stderr)
        };
        // Images that could not be pulled: the services left without a container.
        let unpulled: Vec<Unpulled> = if !out.success() && is_pull_failure(&out.stderr) {
            not_ready
                .iter()
                .filter(|svc| status.row(svc).is_none_or(|r| r.state == "missing"))
                .filter_map(|svc| {
                    spec.get(svc)
                        .map(|sp| Unpulled { service: svc.to_string(), image: sp.image.clone() })
                })
                .collect()
        } else {
            Vec::new()
        };
        let services = not_ready
            .iter()
            .map(|svc| {
                let row = status.row(svc);
                let logs = if row.is_some_and(|r| r.state != "missing") {
                    engine
                        .logs_tail(svc, FAILURE_LOG_LINES)
                        .map(|t| t.lines().map(str::to_string).collect())
                        .unwrap_or_else(|e| vec![format!("(no logs: {e})")])
                } else {
                    Vec::new()
                };
                FailedService {
                    service: svc.to_string(),
                    state: row.map(|r| r.state.clone()).unwrap_or_else(|| "missing".into()),
                    health: row.map(|r| r.health.clone()).unwrap_or_else(|| "none".into()),
                    logs,
                }
            })
            .collect();
        Some(UpFailure { message, services, unpulled })
    };
    // Only what really happened to a container is a change (a service that failed to
    // start changed nothing).
    let changed = actions
        .values()
        .any(|a| matches!(a, Action::Created | Action::Recreated | Action::Started));
    let selection = (!asked.is_empty()).then(|| targets.clone());
    Ok(UpReport {
        status,
        selection,
        targets,
        actions,
        changed,
        seconds: t0.elapsed().as_secs_f64(),
        failure,
        cli: "stellar-obs".into(),
        env_file: ".env".into(),
    })
}

// ----------------------------------------------------------------------------------------
// down
// ----------------------------------------------------------------------------------------

/// `down`'s result.
#[derive(Debug, Clone, Serialize)]
pub struct DownReport {
    pub project: String,
    /// `--volumes` without `--yes`: nothing was changed.
    pub refused: bool,
    /// Containers stopped and removed.
    pub removed: Vec<String>,
    /// Volumes deleted (`--volumes --yes`), or that would be deleted (refused).
    pub volumes: Vec<VolumeInfo>,
    /// Volumes kept (plain `down`).
    pub kept_volumes: Vec<VolumeInfo>,
    /// `stellar-obs` with the `--dir`/`--project` this run needed ([`Settings::command`]).
    #[serde(skip)]
    pub cli: String,
}

impl DownReport {
    pub fn outcome(&self) -> Outcome {
        if self.refused { Outcome::Failure } else { Outcome::Success }
    }
}

fn total_size(v: &[VolumeInfo]) -> String {
    let known: Vec<u64> = v.iter().filter_map(|x| x.bytes).collect();
    let sum: u64 = known.iter().sum();
    let s = crate::output::words::size(sum);
    if known.len() < v.len() { format!("at least {s}") } else { s }
}

fn volume_table(v: &[VolumeInfo]) -> String {
    // Docker prints decimal sizes (`1.5MB`); shown in the tool's one unit (KiB, MiB).
    let size = |x: &VolumeInfo| x.bytes.map_or_else(|| x.size.clone(), crate::output::words::size);
    let rows: Vec<Vec<String>> =
        v.iter().map(|x| vec![x.name.clone(), x.key.clone(), size(x)]).collect();
    table::render(&["VOLUME", "IN COMPOSE FILE", "SIZE"], &rows)
}

impl Report for DownReport {
    fn human(&self, paint: &Paint) -> String {
        let mut s = String::new();
        if self.refused {
            if self.volumes.is_empty() {
                s.push_str(&format!(
                    "Project {} has no volumes; nothing would be deleted. Nothing was changed: `--volumes` needs `--yes` as well.\n",
                    self.project
                ));
            } else {
                s.push_str(&format!(
                    "{} `down --volumes` would delete {} ({}) of project {}:\n",
                    paint.red("Refused:"),
                    plural(self.volumes.len(), "volume", "volumes"),
                    total_size(&self.volumes),
                    self.project
                ));
                s.push_str(&volume_table(&self.volumes));
                s.push_str(&format!(
                    "Nothing was changed. To delete this data run `{cli} down --volumes --yes`; to stop the stack and keep it, `{cli} down`.\n",
                    cli = self.cli
                ));
            }
            return s;
        }
        if self.removed.is_empty() {
            s.push_str(&format!("Nothing to stop: project {} has no containers.\n", self.project));
        } else {
            s.push_str(&format!(
                "Stopped and removed {}: {}.\n",
                plural(self.removed.len(), "container", "containers"),
                self.removed.join(", ")
            ));
        }
        if !self.volumes.is_empty() {
            s.push_str(&format!(
                "Deleted {} ({}): {}.\n",
                plural(self.volumes.len(), "volume", "volumes"),
                total_size(&self.volumes),
                self.volumes.iter().map(|v| v.name.as_str()).collect::<Vec<_>>().join(", ")
            ));
        } else if !self.kept_volumes.is_empty() {
            s.push_str(&format!(
                "Kept {} of data ({}); `{} down --volumes --yes` deletes them.\n",
                plural(self.kept_volumes.len(), "volume", "volumes"),
                total_size(&self.kept_volumes),
                self.cli
            ));
        }
        s
    }

    fn json(&self) -> serde_json::Value {
        to_json(self)
    }
}

pub fn down(s: &Settings, ui: &Ui, a: &DownArgs) -> Result<Outcome> {
    ui.require_format("down", &[OutputFormat::Json])?;
    let engine = open_engine(s, ui, a.swarm)?;
    if a.volumes {
        guard_volumes(engine.as_ref(), s, ui, "delete", false)?;
    }
    let mut report = down_with(engine.as_ref(), a)?;
    if a.volumes && !report.refused {
        let mut state = crate::stack_dir::State::read(&s.dir);
        if state.volumes.take().is_some()
            && let Err(e) = state.write(&s.dir)
        {
            ui.warn(format!("{e:#}"));
        }
    }
    report.cli = s.command("");
    ui.emit(&report)?;
    Ok(report.outcome())
}

/// `down` on an opened engine. `--volumes` without `--yes` changes nothing.
pub fn down_with(engine: &dyn StackEngine, a: &DownArgs) -> Result<DownReport> {
    let project = engine.project().to_string();
    // Another stack directory's containers under the same project name are never stopped,
    // nor their volumes listed as this stack's.
    let before = engine.ps_owned()?;
    if a.volumes && !a.yes {
        return Ok(DownReport {
            project,
            refused: true,
            removed: Vec::new(),
            volumes: engine.volumes()?,
            kept_volumes: Vec::new(),
            cli: "stellar-obs".into(),
        });
    }
    let volumes = engine.volumes()?;
    engine.down(a.volumes)?;
    let mut removed: Vec<String> = before.iter().map(|c| c.service.clone()).collect();
    removed.sort();
    removed.dedup();
    let (volumes, kept_volumes) =
        if a.volumes { (volumes, Vec::new()) } else { (Vec::new(), volumes) };
    Ok(DownReport {
        project,
        refused: false,
        removed,
        volumes,
        kept_volumes,
        cli: "stellar-obs".into(),
    })
}

// ----------------------------------------------------------------------------------------
// logs, restart
// ----------------------------------------------------------------------------------------

pub fn logs(s: &Settings, ui: &Ui, a: &LogsArgs) -> Result<Outcome> {
    ui.require_format("logs", &[])?;
    let engine = open_engine(s, ui, a.swarm)?;
    if let Some(svc) = &a.service {
        engine.services()?.check_names(std::slice::from_ref(svc))?;
    }
    let code = engine.logs_passthrough(a.service.as_deref(), a.follow, a.tail)?;
    Ok(if code == 0 { Outcome::Success } else { Outcome::Failure })
}

pub fn restart(s: &Settings, ui: &Ui, a: &RestartArgs) -> Result<Outcome> {
    ui.require_format("restart", &[OutputFormat::Json])?;
    if s.topology == Topology::Ha {
        bail!(
            "restart works on Compose; this stack runs on Docker Swarm (topology: ha): `docker service update --force {}_SERVICE` restarts a service's tasks one by one",
            s.project
        );
    }
    let compose = open(s, ui)?;
    let (spec, own) = compose.services_and(Compose::ps_owned)?;
    let services: Vec<&str> = match &a.service {
        Some(svc) => {
            spec.check_names(std::slice::from_ref(svc))?;
            let running = own.iter().any(|c| &c.service == svc);
            if !running {
                bail!(
                    "service {svc} has no container to restart: start it with `{}`",
                    s.command(&format!("up --services {svc}"))
                );
            }
            vec![svc.as_str()]
        }
        None => Vec::new(),
    };
    ui.info(match &a.service {
        Some(svc) => format!("restarting {svc} ..."),
        None => "restarting every service ...".to_string(),
    });
    compose.restart(&services)?;
    // The compose file has not changed: only the containers are asked again.
    let report = status_of(&compose, &spec, &compose.ps()?, &SystemClock);
    ui.emit(&report)?;
    Ok(report.outcome())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stack::engine::Output;
    use crate::stack::engine::parse_ps;
    use crate::stack::engine::testing::{FakeRunner, compose_with};

    const CONFIG: &str = r#"{"services":{
        "prometheus":{"image":"p","healthcheck":{"test":["CMD","wget"]}},
        "pushgateway":{"image":"g","healthcheck":{"test":["CMD","wget"]}},
        "grafana":{"image":"gr","depends_on":{"prometheus":{}}}}}"#;

    fn ps(rows: &[(&str, &str, &str, &str)]) -> String {
        rows.iter()
            .map(|(id, svc, state, health)| {
                format!(
                    r#"{{"ID":"{id}","Name":"p-{svc}-1","Service":"{svc}","Image":"img","State":"{state}","Health":"{health}"}}"#
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn actions_tell_created_started_recreated_unchanged() {
        let before = parse_ps(&ps(&[
            ("a", "prometheus", "running", "healthy"),
            ("b", "pushgateway", "exited", ""),
            ("c", "grafana", "running", ""),
        ]))
        .expect("ps");
        let after = parse_ps(&ps(&[
            ("a", "prometheus", "running", "healthy"),
            ("b", "pushgateway", "running", "healthy"),
            ("d", "grafana", "running", ""),
            ("e", "loki", "running", ""),
        ]))
        .expect("ps");
        let t: Vec<String> =
            ["grafana", "loki", "prometheus", "pushgateway", "x"].map(String::from).to_vec();
        let a = actions(&t, &before, &after);
        assert_eq!(a["grafana"], Action::Recreated);
        assert_eq!(a["loki"], Action::Created);
        assert_eq!(a["prometheus"], Action::Unchanged);
        assert_eq!(a["pushgateway"], Action::Started);
        assert_eq!(a["x"], Action::Failed);
    }

    #[test]
    fn progress_words() {
        let c = parse_ps(&ps(&[
            ("a", "x", "running", "starting"),
            ("b", "y", "running", ""),
            ("c", "z", "created", ""),
        ]))
        .expect("ps");
        assert_eq!(progress_state(None), "waiting");
        assert_eq!(progress_state(Some(&c[0])), "starting");
        assert_eq!(progress_state(Some(&c[1])), "running");
        assert_eq!(progress_state(Some(&c[2])), "created");
    }

    #[test]
    fn second_up_reports_nothing_changed() {
        let running = ps(&[
            ("a", "prometheus", "running", "healthy"),
            ("b", "pushgateway", "running", "healthy"),
        ]);
        let runner = FakeRunner::new()
            .on(" config ", Output::ok(CONFIG))
            .on(" ps ", Output::ok(running))
            .on(" up ", Output::ok(""))
            .on("inspect", Output::ok("[]"));
        let (c, r) = compose_with(runner);
        let args = UpArgs {
            services: vec!["prometheus".into(), "pushgateway".into()],
            timeout: 60,
            no_validate: false,
            swarm: false,
            claim_volumes: false,
        };
        let ui = Ui::plain(OutputFormat::Human);
        let rep = up_with(&c, &ui, &args, &SystemClock).expect("up");
        assert!(!rep.changed);
        assert_eq!(rep.outcome(), Outcome::Success);
        assert_eq!(rep.targets, ["prometheus", "pushgateway"]);
        let h = rep.human(&Paint::default());
        assert!(h.contains("Nothing changed: 2 services (prometheus, pushgateway) were already running and healthy"), "{h}");
        assert!(
            r.calls()
                .iter()
                .any(|l| l.ends_with("up -d --wait --wait-timeout 60 prometheus pushgateway")),
            "{:?}",
            r.calls()
        );
    }

    #[test]
    fn failed_up_names_the_service_and_shows_its_logs() {
        let runner = FakeRunner::new()
            .on(" config ", Output::ok(CONFIG))
            .on(" ps ", Output::ok(ps(&[("a", "prometheus", "restarting", "")])))
            .on(
                " up ",
                Output::fail(
                    1,
                    " Container p-prometheus-1  Waiting\ncontainer p-prometheus-1 is unhealthy\n",
                ),
            )
            .on(" logs ", Output::ok("level=error msg=\"bad config\"\nexiting\n"))
            .on("inspect", Output::ok("[]"));
        let (c, _) = compose_with(runner);
        let args = UpArgs {
            services: vec!["prometheus".into()],
            timeout: 10,
            no_validate: true,
            swarm: false,
            claim_volumes: false,
        };
        let rep = up_with(&c, &Ui::plain(OutputFormat::Human), &args, &SystemClock).expect("up");
        assert_eq!(rep.outcome(), Outcome::Failure);
        let f = rep.failure.as_ref().expect("failure");
        assert_eq!(f.message, "container p-prometheus-1 is unhealthy");
        assert_eq!(f.services.len(), 1);
        assert_eq!(f.services[0].service, "prometheus");
        assert_eq!(f.services[0].logs, ["level=error msg=\"bad config\"", "exiting"]);
        let h = rep.human(&Paint::default());
        assert!(h.contains("up failed: container p-prometheus-1 is unhealthy"), "{h}");
        assert!(h.contains("  exiting"), "{h}");
    }

    #[test]
    fn a_pull_failure_names_the_images_and_the_fixes_and_changes_nothing() {
        let runner = FakeRunner::new()
            .on(" config ", Output::ok(CONFIG))
            .on(" ps ", Output::ok(""))
            .on(
                " up ",
                Output::fail(
                    1,
                    " prometheus Pulling \n grafana Pulling \nError response from daemon: Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io on 127.0.0.53:53: no such host\n",
                ),
            )
            .on("inspect", Output::ok("[]"));
        let (c, r) = compose_with(runner);
        let args = UpArgs {
            services: vec!["grafana".into()],
            timeout: 10,
            no_validate: true,
            swarm: false,
            claim_volumes: false,
        };
        let mut rep =
            up_with(&c, &Ui::plain(OutputFormat::Human), &args, &SystemClock).expect("up");
        rep.env_file = "/s/.env".into();
        assert_eq!(rep.outcome(), Outcome::Failure);
        assert!(!rep.changed, "nothing was created");
        assert_eq!(rep.json()["changed"], false);
        let f = rep.failure.as_ref().expect("failure");
        let images: Vec<&str> = f.unpulled.iter().map(|u| u.image.as_str()).collect();
        assert_eq!(images, ["gr", "p"], "grafana and its dependency prometheus");
        let h = rep.human(&Paint::default());
        assert!(h.contains("These images could not be pulled"), "{h}");
        assert!(h.contains("`docker pull gr`"), "{h}");
        assert!(h.contains("registry-mirrors"), "{h}");
        assert!(h.contains("`GRAFANA_IMAGE` in /s/.env"), "{h}");
        assert!(!h.contains("last 0 log lines"), "{h}");
        assert!(!h.contains(" logs "), "no log advice for services without a container: {h}");
        assert!(!r.calls().iter().any(|l| l.contains(" logs ")), "{:?}", r.calls());
    }

    #[test]
    fn up_refuses_unknown_services() {
        let runner =
            FakeRunner::new().on(" config ", Output::ok(CONFIG)).on(" ps ", Output::ok(""));
        let (c, _) = compose_with(runner);
        let args = UpArgs {
            services: vec!["grafna".into()],
            timeout: 10,
            no_validate: true,
            swarm: false,
            claim_volumes: false,
        };
        let e =
            up_with(&c, &Ui::plain(OutputFormat::Human), &args, &SystemClock).expect_err("unknown");
        assert!(e.to_string().starts_with("unknown service `grafna`"), "{e}");
    }

    #[test]
    fn down_volumes_without_yes_changes_nothing() {
        let runner = FakeRunner::new()
            .on(" ps ", Output::ok(""))
            .on("volume ls", Output::ok(r#"{"Name":"p_prometheus_data","Labels":"com.docker.compose.volume=prometheus_data"}"#))
            .on("system df", Output::ok(r#"{"Volumes":[{"Name":"p_prometheus_data","Size":"1.5MB"}]}"#));
        let (c, r) = compose_with(runner);
        let rep =
            down_with(&c, &DownArgs { volumes: true, yes: false, swarm: false }).expect("down");
        assert!(rep.refused);
        assert_eq!(rep.outcome(), Outcome::Failure);
        assert!(!r.calls().iter().any(|l| l.contains(" down")), "{:?}", r.calls());
        let h = rep.human(&Paint::default());
        assert!(h.contains("would delete 1 volume (1.4 MiB)"), "{h}");
        assert!(h.contains("p_prometheus_data"), "{h}");
        assert!(h.contains("Nothing was changed"), "{h}");
    }

    #[test]
    fn down_with_yes_deletes_and_says_so() {
        let runner = FakeRunner::new()
            .on(" ps ", Output::ok(ps(&[("a", "prometheus", "running", "healthy")])))
            .on("volume ls", Output::ok(r#"{"Name":"p_prometheus_data"}"#))
            .on(
                "system df",
                Output::ok(r#"{"Volumes":[{"Name":"p_prometheus_data","Size":"2kB"}]}"#),
            )
            .on(" down ", Output::ok(""));
        let (c, r) = compose_with(runner);
        let rep =
            down_with(&c, &DownArgs { volumes: true, yes: true, swarm: false }).expect("down");
        assert_eq!(rep.outcome(), Outcome::Success);
        assert!(r.calls().iter().any(|l| l.ends_with("down --remove-orphans --volumes")));
        let h = rep.human(&Paint::default());
        assert!(h.contains("Stopped and removed 1 container: prometheus."), "{h}");
        assert!(h.contains("Deleted 1 volume (2 KiB): p_prometheus_data."), "{h}");
    }

    #[test]
    fn another_directorys_containers_are_never_touched() {
        let foreign = r#"{"ID":"a","Service":"pushgateway","State":"running","Labels":"com.docker.compose.project.working_dir=/elsewhere/observability,com.docker.compose.service=pushgateway"}"#;
        let runner = FakeRunner::new()
            .on(" config ", Output::ok(CONFIG))
            .on(" ps ", Output::ok(foreign))
            .on(" down", Output::ok(""))
            .on(" up ", Output::ok(""))
            .on("inspect", Output::ok("[]"));
        let (c, r) = compose_with(runner);
        let e = down_with(&c, &DownArgs { volumes: false, yes: false, swarm: false })
            .expect_err("refused");
        assert!(e.to_string().contains("belong to the stack in /elsewhere/observability"), "{e}");
        let args = UpArgs {
            services: vec!["pushgateway".into()],
            timeout: 10,
            no_validate: true,
            swarm: false,
            claim_volumes: false,
        };
        let e = up_with(&c, &Ui::plain(OutputFormat::Human), &args, &SystemClock).expect_err("up");
        assert!(
            e.to_string().starts_with("refusing to touch Compose project `stellar-obs`"),
            "{e}"
        );
        assert!(
            !r.calls().iter().any(|l| l.contains(" down") || l.contains(" up ")),
            "{:?}",
            r.calls()
        );
        let st = status_report(&c, &SystemClock).expect("status");
        assert_eq!(st.row("pushgateway").map(|r| r.state.as_str()), Some("missing"));
        assert!(st.note.as_deref().is_some_and(|n| n.contains("/elsewhere/observability")));
    }

    #[test]
    fn diagnostics_print_like_a_compiler() {
        let d = Diagnostic::error(
            "obs/docker-compose.observability.yml",
            crate::yaml::Pos::new(3, 7),
            "yaml/syntax",
            "did not find expected key",
        );
        assert_eq!(
            format_diagnostic(&d),
            "obs/docker-compose.observability.yml:3:7: error[yaml/syntax]: did not find expected key"
        );
    }
}
