//! A whole stack directory: which files it holds and in which order they are checked.
//! The compose file, `prometheus/prometheus.yml` and every rule file its `rule_files` globs
//! reach (relative to the config's directory), the rule unit tests in `prometheus/tests/`,
//! `alerting/alertmanager.yml` and its
//! notification templates, Grafana provisioning and dashboards, Loki and Promtail YAML; then the
//! checks across files (`cross`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::lint::alertmanager::AmOptions;
use crate::lint::check::YAML_SYNTAX;
use crate::lint::cross::{self, StackFacts};
use crate::lint::dashboard::{self, Datasource};
use crate::lint::render::LintReport;
use crate::lint::{Around, FileKind, Options, read_source, rules};
use crate::yaml::Node;

/// Where the stack's files are, relative to the stack directory.
pub const PROMETHEUS: &str = "prometheus/prometheus.yml";
pub const ALERTMANAGER: &str = "alerting/alertmanager.yml";
pub const DATASOURCES: &str = "grafana/provisioning/datasources";
pub const DASHBOARD_PROVIDERS: &str = "grafana/provisioning/dashboards";
pub const DASHBOARDS: &str = "grafana/dashboards";
pub const RULE_TESTS: &str = "prometheus/tests";

fn display(dir: &Path, rel: &Path) -> String {
    if dir == Path::new(".") {
        rel.display().to_string()
    } else {
        dir.join(rel).display().to_string()
    }
}

/// Check every file of the stack in `dir`.
pub fn check_dir(dir: &Path, opts: &Options) -> Result<LintReport> {
    let compose = dir.join(crate::settings::COMPOSE_FILE);
    if !dir.is_dir() {
        bail!(crate::stack_dir::not_a_stack(
            dir,
            &format!("stack directory {} not found", dir.display())
        ));
    }
    if !compose.exists() {
        bail!(crate::stack_dir::not_a_stack(
            dir,
            &format!(
                "{} is not a stack directory: it has no {}",
                dir.display(),
                crate::settings::COMPOSE_FILE
            )
        ));
    }
    let opts = Options { check_files: true, ..opts.clone() };
    let mut report = LintReport::default();
    let mut facts = StackFacts { dir: Some(dir.to_path_buf()), ..StackFacts::default() };

    // One file, as a given kind, in the stack around it; returns what was learnt.
    let one = |report: &mut LintReport,
               path: &Path,
               kind: FileKind,
               around: Around<'_>|
     -> Result<crate::lint::Checked> {
        let disp = display(dir, path.strip_prefix(dir).unwrap_or(path));
        let mut diags = Vec::new();
        let src = read_source(path, &disp, &mut diags)?;
        let mut checked = crate::lint::check_source(&src, Some(kind), &opts, around, &mut diags);
        checked.unparsed = diags.iter().any(|d| {
            [YAML_SYNTAX, dashboard::JSON_SYNTAX, crate::lint::ENCODING].contains(&d.code)
        });
        report.add_file(src, diags);
        Ok(checked)
    };

    one(&mut report, &compose, FileKind::Compose, Around::default())?;

    // Prometheus and its rule files (the prometheus module resolves `rule_files` relative
    // to the config's directory and reports patterns that match nothing).
    let prom_path = dir.join(PROMETHEUS);
    if prom_path.exists() {
        let c = one(&mut report, &prom_path, FileKind::Prometheus, Around::default())?;
        let prom_display = display(dir, Path::new(PROMETHEUS));
        if let Some(text) = report.sources.get(&prom_display).cloned() {
            crate::lint::remote_write::check(dir, &prom_display, &text, &mut report.diagnostics);
        }
        if c.unparsed {
            facts.unparsed.push((display(dir, Path::new(PROMETHEUS)), FileKind::Prometheus));
        }
        if let (Some(pf), Some(tree)) = (c.prometheus, c.tree) {
            // Once each, however the patterns spell it (`rules/a.yml`, `rules/*.yml`,
            // `./rules/a.yml`).
            let mut seen: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
            for (path, _) in &pf.rule_file_paths {
                if !seen.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.clone())) {
                    continue;
                }
                let c = one(&mut report, path, FileKind::Rules, Around::default())?;
                if c.unparsed {
                    let shown = display(dir, path.strip_prefix(dir).unwrap_or(path));
                    facts.unparsed.push((shown, FileKind::Rules));
                }
                if let Some(r) = c.rules {
                    facts.rules.push((display(dir, path.strip_prefix(dir).unwrap_or(path)), r));
                }
            }
            facts.prometheus = Some((display(dir, Path::new(PROMETHEUS)), pf, tree));
        }
    }

    // The rule unit tests (`stellar-obs test rules`): their rule files and alert names.
    for path in files_in(&dir.join(RULE_TESTS), &["yml", "yaml"]) {
        one(&mut report, &path, FileKind::RuleTests, Around::default())?;
    }

    // Alertmanager, with the stack's mounts so its secret and template paths resolve
    // (the alertmanager module checks the notification templates).
    let am_path = dir.join(ALERTMANAGER);
    if am_path.exists() {
        let am = AmOptions::for_stack(dir);
        let around = Around { alertmanager: Some(&am), ..Around::default() };
        let c = one(&mut report, &am_path, FileKind::Alertmanager, around)?;
        let disp = display(dir, Path::new(ALERTMANAGER));
        if c.unparsed {
            facts.unparsed.push((disp.clone(), FileKind::Alertmanager));
        }
        if let (Some(af), Some(tree)) = (c.alertmanager, c.tree) {
            facts.alertmanager = Some((disp, af, tree));
        }
    }

    // Grafana: datasources first (the dashboards refer to them).
    let mut datasources: Vec<Datasource> = Vec::new();
    for path in files_in(&dir.join(DATASOURCES), &["yml", "yaml"]) {
        let c = one(&mut report, &path, FileKind::Yaml, Around::default())?;
        if let Some(tree) = c.tree {
            datasources.extend(provisioned_datasources(&tree));
        }
    }
    for path in files_in(&dir.join(DASHBOARD_PROVIDERS), &["yml", "yaml"]) {
        one(&mut report, &path, FileKind::Yaml, Around::default())?;
    }
    for path in files_under(&dir.join(DASHBOARDS), "json")? {
        let c = one(
            &mut report,
            &path,
            FileKind::Dashboard,
            Around { datasources: Some(&datasources), ..Around::default() },
        )?;
        if let Some(d) = c.dashboard {
            facts.dashboards.push((display(dir, path.strip_prefix(dir).unwrap_or(&path)), d));
        }
    }
    // Loki and the log shipper: YAML syntax.
    for sub in ["loki", "promtail"] {
        for path in files_in(&dir.join(sub), &["yml", "yaml"]) {
            one(&mut report, &path, FileKind::Yaml, Around::default())?;
        }
    }

    let refs: Vec<(&str, &rules::RuleFacts)> =
        facts.rules.iter().map(|(p, f)| (p.as_str(), f)).collect();
    rules::duplicates(&refs, &mut report.diagnostics);
    report.notes.extend(cross::check(&facts, &mut report.diagnostics));
    // The HA topology's own checks, on the one prometheus.yml both replicas read.
    if let (Ok(settings), Some((path, _, tree))) =
        (std::fs::read_to_string(dir.join(crate::settings::SETTINGS_FILE)), &facts.prometheus)
        && crate::lint::ha::is_ha(&settings)
    {
        crate::lint::ha::check(path, tree, &mut report.diagnostics);
    }
    report.finish();
    Ok(report)
}

/// Files directly in `dir` with one of `exts`, sorted. Anything but a directory is listed
/// (a FIFO or device named `x.yml` is then refused by the reader with a clear error, never
/// skipped in silence).
fn files_in(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    !p.is_dir()
                        && p.extension().and_then(|e| e.to_str()).is_some_and(|e| exts.contains(&e))
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Files under `dir` (recursively) with extension `ext`, sorted, each once: symlink loops
/// and a second link to a folder are not followed again ([`crate::fsutil::walk_files`]).
fn files_under(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let suffix = format!(".{ext}");
    crate::fsutil::walk_files(dir, &|name| name.ends_with(&suffix))
        .with_context(|| format!("cannot read {}", dir.display()))
}

/// The datasources a Grafana provisioning file defines.
pub fn provisioned_datasources(tree: &Node) -> Vec<Datasource> {
    tree.get("datasources")
        .and_then(Node::as_seq)
        .map(|items| {
            items
                .iter()
                .map(|d| {
                    let s =
                        |k: &str| d.get(k).and_then(Node::scalar_text).unwrap_or("").to_string();
                    Datasource { name: s("name"), uid: s("uid"), kind: s("type") }
                })
                .collect()
        })
        .unwrap_or_default()
}
