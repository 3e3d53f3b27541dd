//! `stellar-obs render kubernetes`: the stack as Helm values and manifests.
//!
//! The stack directory is validated first (errors: nothing written); the files are made in
//! memory (kubernetes.rs), their embedded rules and Alertmanager configuration checked
//! again by the linter, then written into `--out`, each atomically. A non-empty `--out`
//! is only written into with `--force`, and only the files named here are replaced.

pub mod kubernetes;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::cli::{OutputFormat, RenderCommand, RenderKubernetesArgs};
use crate::lint::{Diagnostic, FileKind, Severity, Source};
use crate::outcome::Outcome;
use crate::output::{Paint, Report, Ui, table, to_json};
use crate::settings::Settings;
use kubernetes::{OutFile, StackInput};

pub fn run(s: &Settings, ui: &Ui, c: &RenderCommand) -> Result<Outcome> {
    match c {
        RenderCommand::Kubernetes(a) => kubernetes_command(s, ui, a),
    }
}

#[derive(Debug, Serialize)]
pub struct RenderedFile {
    pub path: String,
    pub bytes: usize,
    pub action: &'static str,
}

#[derive(Debug, Serialize)]
pub struct RenderReport {
    pub target: &'static str,
    pub out: String,
    pub files: Vec<RenderedFile>,
}

impl Report for RenderReport {
    fn human(&self, paint: &Paint) -> String {
        let rows: Vec<Vec<String>> = self
            .files
            .iter()
            .map(|f| vec![f.path.clone(), f.bytes.to_string(), paint.green(f.action)])
            .collect();
        let mut s = table::render(&["FILE", "BYTES", "ACTION"], &rows);
        s.push_str(&format!(
            "Kubernetes values in {}; the helm commands are in its README.md.\n",
            self.out
        ));
        s
    }

    fn json(&self) -> serde_json::Value {
        to_json(self)
    }
}

fn kubernetes_command(s: &Settings, ui: &Ui, a: &RenderKubernetesArgs) -> Result<Outcome> {
    ui.require_format("render kubernetes", &[OutputFormat::Json])?;
    check_namespace(&a.namespace)?;
    if !s.dir.join("prometheus/prometheus.yml").is_file() {
        return Err(crate::outcome::usage(format!(
            "{} holds no stack (no prometheus/prometheus.yml); run `{}` first",
            s.dir.display(),
            s.command("init")
        )));
    }
    check_out(&a.out, a.force)?;
    validate_stack(&s.dir)?;
    let input = read_stack(s, &a.namespace)?;
    let files = kubernetes::render(&input)?;
    check_rendered(&files)?;
    std::fs::create_dir_all(&a.out)
        .with_context(|| format!("cannot create {}", a.out.display()))?;
    let mut out = Vec::new();
    for f in &files {
        let path = a.out.join(f.name);
        let action = match std::fs::read(&path) {
            Ok(old) if old == f.text.as_bytes() => "unchanged",
            Ok(_) => "replaced",
            Err(_) => "created",
        };
        if action != "unchanged" {
            crate::fsutil::write_atomic(&path, f.text.as_bytes(), None)?;
        }
        out.push(RenderedFile { path: f.name.to_string(), bytes: f.text.len(), action });
    }
    ui.emit(&RenderReport { target: "kubernetes", out: a.out.display().to_string(), files: out })?;
    Ok(Outcome::Success)
}

/// A Kubernetes namespace: a DNS-1123 label.
fn check_namespace(ns: &str) -> Result<()> {
    let ok = !ns.is_empty()
        && ns.len() <= 63
        && ns.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !ns.starts_with('-')
        && !ns.ends_with('-');
    if !ok {
        return Err(crate::outcome::usage(format!(
            "--namespace: `{ns}` is not a Kubernetes namespace (lowercase letters, digits and '-', at most 63)"
        )));
    }
    Ok(())
}

/// `--out` may be new or empty; anything else needs `--force`.
fn check_out(out: &Path, force: bool) -> Result<()> {
    match std::fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_some() && !force {
                bail!(
                    "{} is not empty; pass --force to write into it (only the rendered files are replaced, nothing is deleted)",
                    out.display()
                );
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(_) if out.exists() && !out.is_dir() => Err(crate::outcome::usage(format!(
            "--out {} exists and is not a directory",
            out.display()
        ))),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", out.display())),
    }
}

/// The stack must pass `validate` (errors only) before it is rendered.
fn validate_stack(dir: &Path) -> Result<()> {
    let diags = crate::lint::check_stack(dir)?;
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.severity == Severity::Error).collect();
    if errors.is_empty() {
        return Ok(());
    }
    for d in &errors {
        eprintln!(
            "{}",
            crate::output::terminal_safe(
                &format!("{}:{}:{}: error[{}]: {}", d.path, d.line, d.column, d.code, d.message),
                false
            )
        );
    }
    bail!(
        "refusing to render: the stack in {} has {} validation error{} (listed above); nothing was written",
        dir.display(),
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    )
}

fn read(dir: &Path, rel: &str) -> Result<String> {
    let p = dir.join(rel);
    crate::fsutil::read_capped_string(&p, crate::yaml::MAX_FILE_BYTES)
        .with_context(|| format!("cannot read {}", p.display()))
}

/// Files of `dir/rel` ending in `ext`, sorted by name: (name, text).
fn read_folder(dir: &Path, rel: &str, ext: &str) -> Result<Vec<(String, String)>> {
    let folder = dir.join(rel);
    let mut names: Vec<String> = match std::fs::read_dir(&folder) {
        Ok(entries) => entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| n.ends_with(ext) && !n.starts_with('.'))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", folder.display())),
    };
    names.sort();
    names.into_iter().map(|n| Ok((n.clone(), read(dir, &format!("{rel}/{n}"))?))).collect()
}

/// Everything the rendering needs, from the stack directory.
pub fn read_stack(s: &Settings, namespace: &str) -> Result<StackInput> {
    let dir = &s.dir;
    let prom_text = read(dir, "prometheus/prometheus.yml")?;
    let prom: serde_json::Value = serde_saphyr::from_str(&prom_text)
        .map_err(|e| anyhow::anyhow!("prometheus/prometheus.yml: {}", e.without_snippet()))?;
    let mut rule_files = Vec::new();
    for pattern in prom["rule_files"].as_array().into_iter().flatten().filter_map(|v| v.as_str()) {
        if pattern.starts_with('/') {
            bail!(
                "prometheus/prometheus.yml: rule file `{pattern}` is an absolute path; render kubernetes embeds rule files relative to prometheus/"
            );
        }
        let full = dir.join("prometheus").join(pattern);
        let mut matched: Vec<PathBuf> = glob::glob(&full.to_string_lossy())
            .with_context(|| format!("rule_files: `{pattern}`"))?
            .filter_map(|p| p.ok())
            .collect();
        matched.sort();
        for p in matched {
            let rel = p
                .strip_prefix(dir)
                .map(|r| r.to_string_lossy().into_owned())
                .unwrap_or_else(|_| p.display().to_string());
            rule_files.push((rel.clone(), read(dir, &rel)?));
        }
    }
    let scrape_jobs = prom["scrape_configs"].as_array().cloned().unwrap_or_default();
    let connector_interval = scrape_jobs
        .iter()
        .find(|j| j["job_name"] == "stellar-connector")
        .and_then(|j| j["scrape_interval"].as_str())
        .unwrap_or("5s")
        .to_string();
    let env = crate::env_file::read(&s.env_file()).unwrap_or_default();
    let env_or =
        |k: &str, d: &str| env.get(k).filter(|v| !v.is_empty()).cloned().unwrap_or(d.into());
    let loki: serde_json::Value = read(dir, "loki/loki-config.yml")
        .ok()
        .and_then(|t| serde_saphyr::from_str(&t).ok())
        .unwrap_or_default();
    Ok(StackInput {
        project: s.project.clone(),
        namespace: namespace.to_string(),
        stack_dir: s.dir.display().to_string(),
        rule_files,
        alertmanager: read(dir, "alerting/alertmanager.yml")?,
        am_templates: read_folder(dir, "alerting/templates", ".tmpl")?,
        dashboards: read_folder(dir, "grafana/dashboards", ".json")?,
        remote_write: s.remote_write.clone(),
        retention_time: env_or("PROMETHEUS_RETENTION_TIME", "15d"),
        retention_size: env_or("PROMETHEUS_RETENTION_SIZE", "5GB"),
        loki_retention: loki["limits_config"]["retention_period"]
            .as_str()
            .unwrap_or("744h")
            .to_string(),
        connector_interval,
        external_labels: prom["global"]["external_labels"]
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| crate::settings::remote_write::is_label_name(k))
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .filter(|(_, v)| !v.contains('$'))
            .collect(),
    })
}

/// The embedded rules and Alertmanager configuration, checked again by the linter as the
/// files they become in the cluster (an error here is a rendering bug: nothing is
/// written).
fn check_rendered(files: &[OutFile]) -> Result<()> {
    let values =
        files.iter().find(|f| f.name == kubernetes::VALUES).map(|f| f.text.as_str()).unwrap_or("");
    let v: serde_json::Value = serde_saphyr::from_str(values)
        .map_err(|e| anyhow::anyhow!("{}: {}", kubernetes::VALUES, e.without_snippet()))?;
    let mut docs: Vec<(String, FileKind, serde_json::Value)> = Vec::new();
    for (key, rules) in v["additionalPrometheusRulesMap"].as_object().into_iter().flatten() {
        docs.push((format!("additionalPrometheusRulesMap.{key}"), FileKind::Rules, rules.clone()));
    }
    docs.push((
        "alertmanager.config".into(),
        FileKind::Alertmanager,
        v["alertmanager"]["config"].clone(),
    ));
    let opts = crate::lint::Options::default();
    let mut problems = Vec::new();
    for (what, kind, doc) in docs {
        let text = serde_json::to_string_pretty(&doc)?;
        let display = format!("{}: {what}", kubernetes::VALUES);
        let src = Source::new(&display, Path::new(&display), text);
        let mut diags = Vec::new();
        crate::lint::check_source(&src, Some(kind), &opts, Default::default(), &mut diags);
        problems.extend(
            diags
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| format!("{}: {}[{}]: {}", d.path, d.severity, d.code, d.message)),
        );
    }
    if !problems.is_empty() {
        bail!("the rendered values do not validate:\n  {}", problems.join("\n  "));
    }
    Ok(())
}
