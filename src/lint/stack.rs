//! A whole stack directory: which files it holds and in which order they are checked.
//! The compose file, `prometheus/prometheus.yml` and every rule file its `rule_files` globs
//! reach (relative to the config's directory), `alerting/alertmanager.yml` and its
//! `templates` globs, Grafana provisioning and dashboards, Loki and Promtail YAML; then the
//! checks across files (`cross`).

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use crate::lint::checks::Check;
use crate::lint::dashboard::{self, Datasource};
use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::lint::render::LintReport;
use crate::lint::{FileKind, Options, cross, gotemplate, read_source, rules};
use crate::yaml::{Node, Pos};

pub const MISSING_FILE: &str = "stack/missing-file";
pub const AM_TEMPLATE: &str = "stack/alertmanager-template";

pub const CHECKS: &[Check] = &[
    Check {
        id: MISSING_FILE,
        severity: Severity::Error,
        summary: "A `rule_files` entry without wildcards names a file that does not exist (a `templates` entry: warning, Alertmanager ignores it).",
    },
    Check {
        id: AM_TEMPLATE,
        severity: Severity::Error,
        summary: "A notification template file reached through alertmanager.yml `templates` is not a valid Go template.",
    },
];

/// Where the stack's files are, relative to the stack directory.
pub const PROMETHEUS: &str = "prometheus/prometheus.yml";
pub const ALERTMANAGER: &str = "alerting/alertmanager.yml";
pub const DATASOURCES: &str = "grafana/provisioning/datasources";
pub const DASHBOARD_PROVIDERS: &str = "grafana/provisioning/dashboards";
pub const DASHBOARDS: &str = "grafana/dashboards";

/// Everything the cross-file checks need, gathered while checking a stack.
#[derive(Debug, Default)]
pub struct StackFacts {
    pub prometheus: Option<(String, crate::lint::prometheus::PromFacts, Node)>,
    pub alertmanager: Option<(String, crate::lint::alertmanager::AmFacts, Node)>,
    pub rules: Vec<(String, rules::RuleFacts)>,
    pub dashboards: Vec<(String, dashboard::DashboardFacts)>,
}

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
        bail!(
            "stack directory {} not found (run `stellar-obs init --dir {}` or pass --dir)",
            dir.display(),
            dir.display()
        );
    }
    if !compose.is_file() {
        bail!(
            "{} is not a stack directory: it has no {} (run `stellar-obs init --dir {}`)",
            dir.display(),
            crate::settings::COMPOSE_FILE,
            dir.display()
        );
    }
    let opts = Options { check_files: true, ..opts.clone() };
    let mut report = LintReport::default();
    let mut facts = StackFacts::default();

    // One file, as a given kind; returns what was learnt.
    let one = |report: &mut LintReport,
               path: &Path,
               kind: FileKind,
               ds: Option<&[Datasource]>|
     -> Result<crate::lint::Checked> {
        let disp = display(dir, path.strip_prefix(dir).unwrap_or(path));
        let mut diags = Vec::new();
        let src = read_source(path, &disp, &mut diags)?;
        let checked = if kind == FileKind::Dashboard {
            let f = dashboard::check(&src, ds, &mut diags);
            crate::lint::Checked { kind: Some(kind), dashboard: Some(f), ..Default::default() }
        } else {
            crate::lint::check_source(&src, Some(kind), &opts, &mut diags)
        };
        report.add_file(src, diags);
        Ok(checked)
    };

    one(&mut report, &compose, FileKind::Compose, None)?;

    // Prometheus and its rule files.
    let prom_path = dir.join(PROMETHEUS);
    if prom_path.is_file() {
        let c = one(&mut report, &prom_path, FileKind::Prometheus, None)?;
        let prom_disp = display(dir, Path::new(PROMETHEUS));
        if let (Some(pf), Some(tree)) = (c.prometheus, c.tree) {
            let patterns = if pf.rule_files.is_empty() {
                string_list(&tree, "rule_files")
            } else {
                pf.rule_files.clone()
            };
            let base = crate::fsutil::parent_dir(&prom_path);
            // The prometheus module reports missing files itself once it checks them.
            let missing = pf.rule_files.is_empty().then_some(Severity::Error);
            for path in expand(&base, &patterns, &prom_disp, missing, &mut report.diagnostics) {
                let c = one(&mut report, &path, FileKind::Rules, None)?;
                if let Some(r) = c.rules {
                    facts.rules.push((display(dir, path.strip_prefix(dir).unwrap_or(&path)), r));
                }
            }
            facts.prometheus = Some((prom_disp, pf, tree));
        }
    }

    // Alertmanager and its templates.
    let am_path = dir.join(ALERTMANAGER);
    if am_path.is_file() {
        let c = one(&mut report, &am_path, FileKind::Alertmanager, None)?;
        let am_disp = display(dir, Path::new(ALERTMANAGER));
        if let (Some(af), Some(tree)) = (c.alertmanager, c.tree) {
            let base = crate::fsutil::parent_dir(&am_path);
            let patterns = string_list(&tree, "templates");
            // Alertmanager ignores template patterns that match nothing: a warning.
            let missing = Some(Severity::Warning);
            for path in expand(&base, &patterns, &am_disp, missing, &mut report.diagnostics) {
                let disp = display(dir, path.strip_prefix(dir).unwrap_or(&path));
                let mut diags = Vec::new();
                let src = read_source(&path, &disp, &mut diags)?;
                for p in gotemplate::check(&src.text, &[], &[]) {
                    // Notification templates use Alertmanager's own functions: syntax and
                    // variables only.
                    if p.message.contains("not defined") {
                        continue;
                    }
                    diags.push(Diagnostic::error(
                        &disp,
                        crate::lint::span::offset_pos(&src.text, p.offset),
                        AM_TEMPLATE,
                        format!("template: {}", p.message),
                    ));
                }
                report.add_file(src, diags);
            }
            facts.alertmanager = Some((am_disp, af, tree));
        }
    }

    // Grafana: datasources first (the dashboards refer to them).
    let mut datasources: Vec<Datasource> = Vec::new();
    for path in files_in(&dir.join(DATASOURCES), &["yml", "yaml"]) {
        let c = one(&mut report, &path, FileKind::Yaml, None)?;
        if let Some(tree) = c.tree {
            datasources.extend(provisioned_datasources(&tree));
        }
    }
    for path in files_in(&dir.join(DASHBOARD_PROVIDERS), &["yml", "yaml"]) {
        one(&mut report, &path, FileKind::Yaml, None)?;
    }
    for path in files_under(&dir.join(DASHBOARDS), "json") {
        let c = one(&mut report, &path, FileKind::Dashboard, Some(&datasources))?;
        if let Some(d) = c.dashboard {
            facts.dashboards.push((display(dir, path.strip_prefix(dir).unwrap_or(&path)), d));
        }
    }
    // Loki and the log shipper: YAML syntax.
    for sub in ["loki", "promtail"] {
        for path in files_in(&dir.join(sub), &["yml", "yaml"]) {
            one(&mut report, &path, FileKind::Yaml, None)?;
        }
    }

    let refs: Vec<(&str, &rules::RuleFacts)> =
        facts.rules.iter().map(|(p, f)| (p.as_str(), f)).collect();
    rules::duplicates(&refs, &mut report.diagnostics);
    cross::check(&facts, &mut report.diagnostics);
    report.finish();
    Ok(report)
}

/// A top-level list of strings (`rule_files`, `templates`) with positions.
fn string_list(tree: &Node, key: &str) -> Vec<(String, Pos)> {
    tree.get(key)
        .and_then(Node::as_seq)
        .map(|items| {
            items.iter().filter_map(|i| i.scalar_text().map(|s| (s.to_string(), i.pos))).collect()
        })
        .unwrap_or_default()
}

/// Expand glob patterns relative to `base`. A pattern without wildcards that matches
/// nothing is reported with severity `missing` (not at all when None).
fn expand(
    base: &Path,
    patterns: &[(String, Pos)],
    from: &str,
    missing: Option<Severity>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for (pat, pos) in patterns {
        let full = if Path::new(pat).is_absolute() { PathBuf::from(pat) } else { base.join(pat) };
        let text = full.to_string_lossy().to_string();
        let mut found: Vec<PathBuf> = match glob::glob(&text) {
            Ok(paths) => paths.filter_map(|p| p.ok()).filter(|p| p.is_file()).collect(),
            Err(e) => {
                diags.push(Diagnostic::error(
                    from,
                    *pos,
                    crate::lint::schema::BAD_VALUE,
                    format!("`{pat}` is not a valid glob pattern: {e}"),
                ));
                continue;
            }
        };
        found.sort();
        let wild = pat.contains(['*', '?', '[']);
        if found.is_empty()
            && !wild
            && let Some(sev) = missing
        {
            diags.push(
                Diagnostic::new(
                    from,
                    *pos,
                    sev,
                    MISSING_FILE,
                    format!("\"{pat}\" does not point to an existing file"),
                )
                .with_help(format!("paths are relative to the directory of {from}")),
            );
        }
        for f in found {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    out
}

/// Files directly in `dir` with one of `exts`, sorted.
fn files_in(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && p.extension().and_then(|e| e.to_str()).is_some_and(|e| exts.contains(&e))
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Files under `dir` (recursively) with extension `ext`, sorted.
fn files_under(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let pattern = dir.join("**").join(format!("*.{ext}"));
    let mut v: Vec<PathBuf> = glob::glob(&pattern.to_string_lossy())
        .map(|g| g.filter_map(|p| p.ok()).filter(|p| p.is_file()).collect())
        .unwrap_or_default();
    v.sort();
    v
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
