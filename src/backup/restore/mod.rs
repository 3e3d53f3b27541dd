//! `restore ARCHIVE`: verify (nothing is touched if that fails), plan against what exists,
//! refuse to replace existing data without `--yes`, then apply in dependency order:
//! configs → Grafana → Alertmanager silences → Prometheus data.

pub mod alertmanager;
pub mod configs;
pub mod grafana;
pub mod prometheus;
pub mod swap;

use anyhow::{Context, Result, bail};

use super::archive;
use super::manifest::{Part, parse_only};
use super::report::{Action, RestoreReport, Step, StepStatus};
use crate::cli::{OutputFormat, RestoreArgs};
use crate::clock::{Clock, SystemClock};
use crate::outcome::Outcome;
use crate::output::Ui;
use crate::output::progress::Progress;
use crate::settings::{Component, Settings};

/// What will be done, per part.
#[derive(Debug, Default)]
struct Plan {
    configs: Option<Vec<configs::FilePlan>>,
    grafana: Option<(crate::api::GrafanaClient, Vec<grafana::Planned>)>,
    silences: Option<(crate::api::AlertmanagerClient, Vec<alertmanager::SilencePlan>)>,
    prometheus: Option<prometheus::PromPlan>,
}

pub fn run(s: &Settings, ui: &Ui, a: &RestoreArgs) -> Result<Outcome> {
    ui.require_format("restore", &[OutputFormat::Json])?;
    let only = if a.only.is_empty() { None } else { Some(parse_only(&a.only)?) };
    let progress = Progress::new(ui);

    let key = a.verify_key.as_deref().map(super::sign::Key::load).transpose()?;
    // Ctrl-C removes staging folders and waits for a data swap under way (exit 130).
    crate::interrupt::install();
    // 1. Verify. Small members (configs, API documents) are kept from this pass.
    let bar = progress.bytes("verifying", None);
    let t0 = std::time::Instant::now();
    let mut verified = archive::verify(
        &a.archive,
        &|m| Part::of_member(&m.path) != Some(Part::Prometheus),
        &|n| bar.inc(n),
    )?;
    bar.clear();
    super::check_signature(&mut verified, key.as_ref());
    ui.debug(format!(
        "verified {} ({}) in {:.2}s",
        crate::output::words::count_s(verified.members_ok as u64, "member"),
        crate::output::words::size(verified.bytes),
        t0.elapsed().as_secs_f64()
    ));
    let mut report = RestoreReport {
        archive: a.archive.display().to_string(),
        dry_run: a.dry_run,
        verified: verified.intact(),
        refused: false,
        created: verified.manifest.as_ref().map(|m| m.created.clone()),
        components: Vec::new(),
        steps: Vec::new(),
        problems: verified.problems.clone(),
        notes: Vec::new(),
        reload_failed: false,
    };
    match (&verified.signature, &key) {
        (Some(_), Some(_)) if verified.intact() => {
            report.notes.push("signature verified with the given key".into());
        }
        (Some(_), None) => report
            .notes
            .push("the archive is signed; --verify-key KEY checks that it comes from you".into()),
        _ => {}
    }
    let Some(manifest) = verified.manifest.as_ref().filter(|_| verified.intact()) else {
        ui.emit(&report)?;
        return Ok(Outcome::Failure);
    };

    // 2. What to restore.
    let held = manifest.included();
    let parts = match only {
        None => held.clone(),
        Some(o) => {
            for p in &o {
                if !held.contains(p) {
                    let names: Vec<&str> = held.iter().map(|p| p.key()).collect();
                    bail!(
                        "--only {}: the archive does not hold {} (it holds: {})",
                        p.key(),
                        p.key(),
                        if names.is_empty() { "nothing".into() } else { names.join(", ") }
                    );
                }
            }
            o
        }
    };
    if a.prometheus_data_dir.is_some() && !parts.contains(&Part::Prometheus) {
        bail!("--prometheus-data-dir is given but Prometheus data is not being restored");
    }
    report.components = parts.clone();

    // 3. Plan (reads only).
    let rt = crate::runtime::runtime()?;
    let mut plan = Plan::default();
    for part in &parts {
        match part {
            Part::Configs => {
                plan.configs = Some(configs::plan(&s.dir, manifest, &verified.kept)?);
            }
            Part::Grafana => {
                if s.url(Component::Grafana).is_none() && a.grafana.grafana_url.is_none() {
                    bail!(
                        "the archive holds Grafana objects but the Grafana endpoint is off; leave them out with --only"
                    );
                }
                let secrets = match &a.secrets {
                    Some(p) => {
                        grafana::check_secrets_file(p)?;
                        grafana::Secrets::load(p)?
                    }
                    None => grafana::Secrets::default(),
                };
                let client = crate::api::GrafanaClient::from_settings(
                    s,
                    &a.grafana,
                    &crate::settings::ProcessEnv,
                )?;
                let planned = grafana::plan(&rt, &client, &verified.kept, &secrets)?;
                plan.grafana = Some((client, planned));
            }
            Part::Alertmanager => {
                let Some(url) = s.url(Component::Alertmanager) else {
                    bail!(
                        "the archive holds Alertmanager silences but the Alertmanager endpoint is off; leave them out with --only"
                    );
                };
                let client = super::alertmanager_client(url)?;
                let now = SystemClock.now();
                let planned = match alertmanager::plan(&rt, &client, &verified.kept, now) {
                    Ok(p) => p,
                    // A dry run changes nothing: an Alertmanager that is down is a note.
                    Err(e) if a.dry_run => {
                        report.notes.push(format!(
                            "{e:#}: the plan cannot tell which archived silences Alertmanager already has; the real run needs it reachable (start it with `{}`)",
                            s.command("up --services alertmanager")
                        ));
                        alertmanager::plan_unreachable(&verified.kept, now)?
                    }
                    Err(e) => return Err(e),
                };
                plan.silences = Some((client, planned));
            }
            Part::Prometheus => {
                let url = s.url(Component::Prometheus);
                plan.prometheus = Some(match &a.prometheus_data_dir {
                    Some(dir) => prometheus::plan(&rt, url, dir, manifest)?,
                    None => {
                        let compose = crate::stack::engine::Compose::from_settings(s).context(
                            "Prometheus data goes into the Compose service unless --prometheus-data-dir says where",
                        )?;
                        prometheus::plan_compose(&rt, compose, url, manifest)?
                    }
                });
            }
        }
    }
    let mut steps = Vec::new();
    let mut ranges = Vec::new();
    let mut push = |steps: &mut Vec<Step>, part: Part, new: Vec<Step>| {
        let start = steps.len();
        steps.extend(new);
        ranges.push((part, start..steps.len()));
    };
    if let Some(p) = &plan.configs {
        push(&mut steps, Part::Configs, configs::steps(p));
    }
    if let Some((_, p)) = &plan.grafana {
        push(&mut steps, Part::Grafana, p.iter().map(|x| x.step.clone()).collect());
    }
    if let Some((_, p)) = &plan.silences {
        push(&mut steps, Part::Alertmanager, alertmanager::steps(p));
    }
    if let Some(p) = &plan.prometheus {
        push(&mut steps, Part::Prometheus, prometheus::steps(p, manifest));
    }
    report.steps = steps;
    let archived_env = manifest.members.iter().any(|m| m.path == "configs/.env");
    if parts.contains(&Part::Configs) && !archived_env && !s.dir.join(".env").exists() {
        report.notes.push(format!(
            ".env is not in the archive (it holds secrets) and {} has none: make one with fresh secrets with `{}` (it writes only the missing .env)",
            s.dir.display(),
            s.command("init --env-only")
        ));
    }
    let replaces = report.steps.iter().filter(|s| s.action == Action::Replace).count();
    let server_changes =
        report.steps.iter().filter(|s| s.needs_yes() && s.action != Action::Replace).count();
    let needs_yes = replaces + server_changes > 0;
    if a.dry_run {
        if let Some(p) = &plan.configs {
            let affected = configs::Affected::of(p);
            let reload: Vec<&str> =
                [(affected.prometheus, "Prometheus"), (affected.alertmanager, "Alertmanager")]
                    .into_iter()
                    .filter_map(|(changed, name)| changed.then_some(name))
                    .collect();
            if !reload.is_empty() {
                report.notes.push(format!(
                    "the real run asks {} to reload the restored configuration",
                    reload.join(" and ")
                ));
            }
        }
        if needs_yes && !a.yes {
            report.notes.push(format!(
                "{} and {server_changes} created on a server (silences, Grafana objects): the real run needs --yes",
                crate::output::words::count(replaces as u64, "object would be replaced", "objects would be replaced")
            ));
        }
        ui.emit(&report)?;
        return Ok(Outcome::Success);
    }
    if needs_yes && !a.yes {
        report.refused = true;
        ui.emit(&report)?;
        return Ok(Outcome::Failure);
    }

    // 4. Apply, in dependency order; a hard error stops the rest.
    let range = |p: Part| ranges.iter().find(|(q, _)| *q == p).map(|(_, r)| r.clone());
    let mut stop: Option<anyhow::Error> = None;
    if let (Some(p), Some(r)) = (&plan.configs, range(Part::Configs)) {
        let line = progress.line("configs");
        if let Err(e) = configs::apply(p, &verified.kept, &mut report.steps[r], &s.dir) {
            stop = Some(e);
        }
        line.finish(&if stop.is_none() {
            configs::written_summary(p)
        } else {
            "nothing written".to_string()
        });
        if stop.is_none() {
            let (notes, ok) = after_configs(&rt, s, configs::Affected::of(p));
            report.notes.extend(notes);
            report.reload_failed = !ok;
        }
    }
    if stop.is_none()
        && let (Some((client, p)), Some(r)) = (&plan.grafana, range(Part::Grafana))
    {
        let line = progress.line("grafana");
        line.set("writing");
        grafana::apply(&rt, client, p, &mut report.steps[r], &manifest.created);
        line.finish("done");
    }
    if stop.is_none()
        && let (Some((client, p)), Some(r)) = (&plan.silences, range(Part::Alertmanager))
    {
        alertmanager::apply(&rt, client, p, &mut report.steps[r]);
    }
    if stop.is_none()
        && let (Some(p), Some(r)) = (&plan.prometheus, range(Part::Prometheus))
    {
        let bar = progress.bytes("prometheus", Some(p.bytes));
        let t0 = std::time::Instant::now();
        let applied = prometheus::apply(&rt, &a.archive, &verified, p, &|n| bar.inc(n));
        ui.debug(format!("Prometheus data restored in {:.2}s", t0.elapsed().as_secs_f64()));
        match applied {
            Ok(note) => {
                for st in &mut report.steps[r] {
                    st.status = StepStatus::Done;
                }
                report.notes.push(note);
            }
            Err(e) => {
                for st in &mut report.steps[r] {
                    st.status = StepStatus::Failed;
                    st.detail = format!("{e:#}");
                }
                stop = Some(e);
            }
        }
        bar.clear();
    }
    ui.emit(&report)?;
    let stopped = stop.is_some();
    if let Some(e) = stop {
        ui.error(format!("{e:#}"));
    }
    Ok(if report.failed() || stopped { Outcome::Failure } else { Outcome::Success })
}

/// After config files changed: Prometheus and Alertmanager are asked to reload (they read
/// the stack directory through bind mounts); what only a restart or `up` applies is said.
/// Returns the notes and whether every reload that was tried worked.
fn after_configs(
    rt: &tokio::runtime::Runtime,
    s: &Settings,
    affected: configs::Affected,
) -> (Vec<String>, bool) {
    let mut notes = Vec::new();
    let mut ok = true;
    let timeout = std::time::Duration::from_secs(10);
    for (changed, component, name, service) in [
        (affected.prometheus, Component::Prometheus, "Prometheus", "prometheus"),
        (affected.alertmanager, Component::Alertmanager, "Alertmanager", "alertmanager"),
    ] {
        let Some(url) = s.url(component).filter(|_| changed) else { continue };
        let result = match component {
            Component::Prometheus => {
                super::prometheus_client(url, timeout).map(|c| rt.block_on(c.reload()))
            }
            _ => super::alertmanager_client(url).map(|c| rt.block_on(c.reload())),
        };
        let (note, good) = match result {
            Ok(r) => configs::reload_note(name, r, &s.command(&format!("restart {service}"))),
            Err(e) => (format!("{e:#}"), false),
        };
        notes.push(note);
        ok &= good;
    }
    if affected.grafana {
        notes.push(format!(
            "Grafana reads provisioning when it starts: `{}`",
            s.command("restart grafana")
        ));
    }
    if affected.logs {
        notes.push(format!(
            "Loki and Promtail read their configuration when they start: `{}` and `{}`",
            s.command("restart loki"),
            s.command("restart promtail")
        ));
    }
    if affected.compose {
        notes.push(format!("the compose file or .env changed: `{}` applies it", s.command("up")));
    }
    (notes, ok)
}
