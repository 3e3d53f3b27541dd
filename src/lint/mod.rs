//! `stellar-obs validate`: the linter for the stack's configuration files.
//!
//! Layout: `source` (files), `diagnostic` (the one finding type), `schema` (strict,
//! positioned schema helpers), `check` (what a check is), `checks` (the registry of check IDs: every
//! module's `CHECKS`, for docs and SARIF), one module per kind
//! (`prometheus`, `rules`, `alertmanager`, `dashboard`, `compose`), `cross` (checks across
//! files of a stack), `stack` (which files a stack directory holds), `render` (one module
//! per output format).

pub mod alertmanager;
pub mod check;
pub mod checks;
pub mod compose;
pub mod cross;
pub mod dashboard;
pub mod diagnostic;
pub mod generated;
pub mod gotemplate;
pub mod ha;
pub mod http_config;
pub mod json;
pub mod placeholder;
pub mod prometheus;
pub mod promql;
pub mod remote_write;
pub mod render;
pub mod rule_tests;
pub mod rules;
pub mod schema;
pub mod source;
pub mod span;
pub mod stack;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::cli::{GlobalArgs, Kind, OutputFormat, ValidateArgs};
use crate::outcome::Outcome;
use crate::output::Ui;

pub use diagnostic::{Diagnostic, Severity};
pub use render::LintReport;
pub use source::Source;

/// Stable IDs of the checks this module makes itself.
pub const UNKNOWN_KIND: &str = "validate/unknown-kind";
pub const ENCODING: &str = "validate/encoding";

pub const CHECKS: &[check::Check] = &[
    check::Check {
        id: UNKNOWN_KIND,
        severity: Severity::Warning,
        summary: "The kind of a file could not be told from its content or name; only its syntax was checked (use --kind).",
    },
    check::Check {
        id: ENCODING,
        severity: Severity::Error,
        summary: "The file is not valid UTF-8.",
    },
];

/// How strictly to check.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Check that files referenced by a config exist (rule files, TLS and credential files:
    /// errors; file_sd files: warnings), as `promtool check config` does.
    pub check_files: bool,
    /// Prometheus runs in agent mode (no rules, no alerting).
    pub agent: bool,
    /// Legacy (pre-3.0) metric and label name validation instead of UTF-8.
    pub legacy_names: bool,
    /// Every use of a repeated finding (deprecated Alertmanager matchers) instead of one
    /// per file with the count (`--verbose`).
    pub verbose: bool,
}

/// What kind of file a path holds, once decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Prometheus,
    Rules,
    Alertmanager,
    Dashboard,
    Compose,
    /// A rule unit-test file (promtool's `test rules` format).
    RuleTests,
    /// Only the YAML syntax is checked (Loki, Promtail, Grafana provisioning, unknown).
    Yaml,
}

impl FileKind {
    pub fn from_cli(k: Kind) -> Option<FileKind> {
        match k {
            Kind::Auto => None,
            Kind::Prometheus => Some(FileKind::Prometheus),
            Kind::Rules => Some(FileKind::Rules),
            Kind::Alertmanager => Some(FileKind::Alertmanager),
            Kind::Dashboard => Some(FileKind::Dashboard),
            Kind::Compose => Some(FileKind::Compose),
            Kind::RuleTests => Some(FileKind::RuleTests),
        }
    }
}

/// Run `validate`.
pub fn run(g: &GlobalArgs, ui: &Ui, args: &ValidateArgs) -> Result<Outcome> {
    ui.require_format(
        "validate",
        &[OutputFormat::Json, OutputFormat::Github, OutputFormat::Sarif],
    )?;
    // Like `promtool check config` (without --syntax-only): referenced files must exist.
    let opts = Options { check_files: true, verbose: g.verbose > 0, ..Options::default() };
    let report = if args.paths.is_empty() {
        let (dir, _) = crate::settings::Settings::resolve_dir(g.dir.clone());
        stack::check_dir(&dir, &opts)?
    } else {
        check_paths(&args.paths, FileKind::from_cli(args.kind), &opts)?
    };
    // -v: which files were checked (the stack's, and the rule files `rule_files` reached).
    for path in report.sources.keys() {
        ui.debug(format!("checked {path}"));
    }
    ui.emit(&report)?;
    Ok(report.outcome(args.strict))
}

/// Validate the whole stack directory (used by `up` before starting): every finding.
pub fn check_stack(dir: &Path) -> Result<Vec<Diagnostic>> {
    Ok(check_stack_report(dir)?.diagnostics)
}

/// [`check_stack`] with the whole report (notes on skipped checks, errors-first order).
pub fn check_stack_report(dir: &Path) -> Result<LintReport> {
    stack::check_dir(dir, &Options { check_files: true, ..Options::default() })
}

/// Read a file for checking: I/O errors are errors (exit 2); bad UTF-8 is a finding.
pub fn read_source(path: &Path, display: &str, diags: &mut Vec<Diagnostic>) -> Result<Source> {
    let bytes = match crate::fsutil::read_capped(path, crate::yaml::MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => bail!("{display}: {e}"),
        Err(e) => return Err(e).with_context(|| format!("cannot read {display}")),
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            diags.push(Diagnostic::error(
                display,
                span::offset_pos(&prefix, valid),
                ENCODING,
                "the file is not valid UTF-8",
            ));
            return Ok(Source::new(display, path, lossy));
        }
    };
    Ok(Source::new(display, path, text))
}

/// Check files (and directories, as stacks) named on the command line. With
/// `check_files`, the rule files a Prometheus config names are checked too, as rule files,
/// once each (as `promtool check config` parses them), unless they were named themselves.
pub fn check_paths(
    paths: &[PathBuf],
    forced: Option<FileKind>,
    opts: &Options,
) -> Result<LintReport> {
    let mut report = LintReport::default();
    let mut rule_facts: Vec<(String, rules::RuleFacts)> = Vec::new();
    let mut seen: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let mut referenced: Vec<PathBuf> = Vec::new();
    for (p, r) in paths.iter().zip(check_files_parallel(paths, forced, opts)) {
        match r? {
            None => report.merge(stack::check_dir(p, opts)?),
            Some((src, diags, checked)) => {
                seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()));
                if let Some(f) = checked.rules {
                    rule_facts.push((src.display.clone(), f));
                }
                if opts.check_files
                    && let Some(pf) = checked.prometheus
                {
                    // `./rules/a.yml` (a config named without a directory) is shown as
                    // `rules/a.yml`.
                    referenced.extend(
                        pf.rule_file_paths
                            .into_iter()
                            .map(|(p, _)| p.strip_prefix(".").map(Path::to_path_buf).unwrap_or(p)),
                    );
                }
                report.add_file(src, diags);
            }
        }
    }
    let referenced: Vec<PathBuf> = referenced
        .into_iter()
        .filter(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())))
        .collect();
    for r in check_files_parallel(&referenced, Some(FileKind::Rules), opts) {
        if let Some((src, diags, checked)) = r? {
            if let Some(f) = checked.rules {
                rule_facts.push((src.display.clone(), f));
            }
            report.add_file(src, diags);
        }
    }
    let refs: Vec<(&str, &rules::RuleFacts)> =
        rule_facts.iter().map(|(p, f)| (p.as_str(), f)).collect();
    rules::duplicates(&refs, &mut report.diagnostics);
    report.finish();
    Ok(report)
}

/// One file's text, findings and facts (its YAML tree dropped); `None` for a directory.
type FileResult = Result<Option<(Source, Vec<Diagnostic>, Checked)>>;

/// Check files in parallel, at most [`PARALLEL_BYTES`] of them at once (a big file runs
/// alone), so memory stays that of one file at the cap; results in the order given.
fn check_files_parallel(
    paths: &[PathBuf],
    forced: Option<FileKind>,
    opts: &Options,
) -> Vec<FileResult> {
    let size = |p: &PathBuf| {
        std::fs::metadata(p).map_or(0, |m| if m.is_file() { m.len() as usize } else { 0 })
    };
    parallel_map_within(paths, size, PARALLEL_BYTES, |p| -> FileResult {
        let display = p.display().to_string();
        let meta = std::fs::metadata(p).with_context(|| format!("cannot read {display}"))?;
        if meta.is_dir() {
            return Ok(None);
        }
        let mut diags = Vec::new();
        let src = read_source(p, &display, &mut diags)?;
        let mut checked = check_source(&src, forced, opts, Around::default(), &mut diags);
        checked.tree = None;
        Ok(Some((src, diags, checked)))
    })
}

/// How many bytes of files `validate` checks at once: files run in parallel while their
/// sizes add up to at most this; a file this large or larger runs alone.
pub const PARALLEL_BYTES: usize = crate::yaml::MAX_FILE_BYTES;

/// [`parallel_map`] with a memory budget: an item costs `cost(item)` (its size), and items
/// run at once only while their costs add up to at most `budget` (an item costing more
/// than the budget runs alone). Items are started in order.
pub fn parallel_map_within<T: Sync, R: Send>(
    items: &[T],
    cost: impl Fn(&T) -> usize + Sync,
    budget: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let free = std::sync::Mutex::new(budget);
    let freed = std::sync::Condvar::new();
    parallel_map(items, |item| {
        let c = cost(item).min(budget);
        {
            let mut left = free.lock().unwrap_or_else(|e| e.into_inner());
            while *left < c {
                left = freed.wait(left).unwrap_or_else(|e| e.into_inner());
            }
            *left -= c;
        }
        // Given back even when `f` panics.
        struct Release<'a>(&'a std::sync::Mutex<usize>, &'a std::sync::Condvar, usize);
        impl Drop for Release<'_> {
            fn drop(&mut self) {
                *self.0.lock().unwrap_or_else(|e| e.into_inner()) += self.2;
                self.1.notify_all();
            }
        }
        let _release = Release(&free, &freed, c);
        f(item)
    })
}

/// `f` over `items` on all cores (each thread takes the next item), results in order.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<R>>> =
        items.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let r = f(item);
                    if let Ok(mut slot) = slots[i].lock() {
                        *slot = Some(r);
                    }
                }
            });
        }
    });
    slots
        .into_iter()
        .zip(items)
        .map(|(m, item)| match m.into_inner().ok().flatten() {
            Some(r) => r,
            // Only a panic in `f` leaves a slot empty: run it again here so it surfaces.
            None => f(item),
        })
        .collect()
}

/// What checking one file found out, for checks across files.
#[derive(Debug, Default)]
pub struct Checked {
    pub kind: Option<FileKind>,
    pub rules: Option<rules::RuleFacts>,
    pub prometheus: Option<prometheus::PromFacts>,
    pub alertmanager: Option<alertmanager::AmFacts>,
    pub dashboard: Option<dashboard::DashboardFacts>,
    pub tree: Option<crate::yaml::Node>,
    /// The file did not parse (YAML/JSON syntax, encoding): what it says is unknown.
    pub unparsed: bool,
}

/// What a file's checks know about the stack around it; nothing for a file on its own.
#[derive(Debug, Clone, Copy, Default)]
pub struct Around<'a> {
    /// Alertmanager's container paths and feature flags (the stack's mounts).
    pub alertmanager: Option<&'a alertmanager::AmOptions>,
    /// The datasources Grafana provisions, which dashboards refer to.
    pub datasources: Option<&'a [dashboard::Datasource]>,
}

/// Check one file's text as `forced` (or the detected kind), in the stack `around` it.
pub fn check_source(
    src: &Source,
    forced: Option<FileKind>,
    opts: &Options,
    around: Around<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Checked {
    let mut out = Checked::default();
    let is_json = forced == Some(FileKind::Dashboard)
        || (forced.is_none() && src.path.extension().is_some_and(|e| e == "json"));
    if is_json {
        out.kind = Some(FileKind::Dashboard);
        out.dashboard = Some(dashboard::check(src, around.datasources, diags));
        return out;
    }
    let tree = match crate::yaml::parse(&src.text) {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic::error(&src.display, e.pos, check::YAML_SYNTAX, e.message));
            out.kind = forced;
            return out;
        }
    };
    let kind = match forced.or_else(|| detect(&src.path, &tree)) {
        Some(k) => k,
        None => {
            let pos = tree.as_map().and_then(|m| m.first()).map_or(tree.pos, |(k, _)| k.pos);
            diags.push(
                Diagnostic::warning(
                    &src.display,
                    pos,
                    UNKNOWN_KIND,
                    "cannot tell what kind of file this is; only its YAML syntax was checked",
                )
                .with_help(
                    "pass --kind prometheus|rules|alertmanager|dashboard|compose|rule-tests",
                ),
            );
            FileKind::Yaml
        }
    };
    out.kind = Some(kind);
    match kind {
        FileKind::Prometheus => {
            out.prometheus = Some(prometheus::check_config(src, &tree, opts, diags));
        }
        FileKind::Rules => {
            out.rules = Some(rules::check_file(src, &tree, opts, diags));
            generated::check(src, diags);
        }
        FileKind::Alertmanager => {
            let am = around.alertmanager.cloned().unwrap_or_default();
            out.alertmanager = Some(alertmanager::check_config_with(src, &tree, opts, &am, diags));
        }
        FileKind::Compose => compose::check(src, &tree, diags),
        FileKind::RuleTests => rule_tests::check(src, &tree, diags),
        FileKind::Dashboard | FileKind::Yaml => {}
    }
    out.tree = Some(tree);
    out
}

/// Tell a YAML file's kind from its top-level keys, then from its name.
pub fn detect(path: &Path, tree: &crate::yaml::Node) -> Option<FileKind> {
    let has = |k: &str| tree.get(k).is_some();
    if rule_tests::looks_like(tree) {
        return Some(FileKind::RuleTests);
    }
    if has("groups") {
        return Some(FileKind::Rules);
    }
    if has("services") {
        return Some(FileKind::Compose);
    }
    if has("route") || has("receivers") || has("inhibit_rules") || has("time_intervals") {
        return Some(FileKind::Alertmanager);
    }
    if has("scrape_configs")
        || has("rule_files")
        || has("scrape_config_files")
        || has("remote_write")
        || has("remote_read")
        || has("alerting")
        || has("storage")
        || has("otlp")
    {
        return Some(FileKind::Prometheus);
    }
    if let Some(g) = tree.get("global") {
        let prom = ["scrape_interval", "evaluation_interval", "external_labels", "scrape_timeout"];
        if prom.iter().any(|k| g.get(k).is_some()) {
            return Some(FileKind::Prometheus);
        }
        let am = ["resolve_timeout", "smtp_smarthost", "smtp_from", "slack_api_url", "http_config"];
        if am.iter().any(|k| g.get(k).is_some()) {
            return Some(FileKind::Alertmanager);
        }
    }
    let name = path.file_name()?.to_string_lossy().to_lowercase();
    if name.contains("compose") {
        Some(FileKind::Compose)
    } else if name.contains("alertmanager") {
        Some(FileKind::Alertmanager)
    } else if name.contains("rules") || name.contains("alerts") || name.ends_with(".rules") {
        Some(FileKind::Rules)
    } else if name.contains("prometheus") {
        Some(FileKind::Prometheus)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    fn kind(name: &str, text: &str) -> Option<FileKind> {
        detect(Path::new(name), &parse(text).expect("yaml"))
    }

    #[test]
    fn parallel_work_stays_within_its_byte_budget() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let (now, peak) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let run = |sizes: &[usize], budget: usize| -> Vec<usize> {
            now.store(0, Ordering::SeqCst);
            peak.store(0, Ordering::SeqCst);
            parallel_map_within(
                sizes,
                |s| *s,
                budget,
                |s| {
                    let n = now.fetch_add(*s, Ordering::SeqCst) + *s;
                    peak.fetch_max(n, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    now.fetch_sub(*s, Ordering::SeqCst);
                    *s * 10
                },
            )
        };
        // Two 6-byte files never run together under a 10-byte budget.
        assert_eq!(run(&[6, 6, 6, 6], 10), vec![60, 60, 60, 60]);
        assert!(peak.load(Ordering::SeqCst) <= 10, "{peak:?}");
        // A file over the budget runs alone, and does not block the rest forever.
        assert_eq!(run(&[50, 1, 1], 10), vec![500, 10, 10]);
        assert!(peak.load(Ordering::SeqCst) <= 50, "{peak:?}");
        assert_eq!(run(&[], 10), Vec::<usize>::new());
    }

    #[test]
    fn unknown_kinds_and_bad_encoding() {
        let mut d = Vec::new();
        let src = Source::memory("loki.yml", "auth_enabled: false\nserver: {}\n");
        let c = check_source(&src, None, &Options::default(), Around::default(), &mut d);
        assert_eq!(c.kind, Some(FileKind::Yaml));
        assert_eq!(
            (d[0].code, d[0].line, d[0].column, d[0].severity),
            (UNKNOWN_KIND, 1, 1, Severity::Warning)
        );

        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("bad.yml");
        std::fs::write(&p, b"groups:\n  - name: \xff\n").expect("write");
        let mut d = Vec::new();
        read_source(&p, "bad.yml", &mut d).expect("readable");
        assert_eq!((d[0].code, d[0].line, d[0].column), (ENCODING, 2, 11));
    }

    #[test]
    fn stack_files_reached_through_globs() {
        let dir = tempfile::tempdir().expect("tmp");
        let w = |rel: &str, text: &str| {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        };
        w(crate::settings::COMPOSE_FILE, "services:\n  a:\n    image: x\n");
        w(stack::PROMETHEUS, "rule_files:\n  - missing.yml\n  - 'rules/*.yml'\n");
        w("prometheus/rules/a.yml", "groups: []\n");
        w(
            stack::ALERTMANAGER,
            "route:\n  receiver: a\nreceivers:\n  - name: a\ntemplates:\n  - 't/*.tmpl'\n",
        );
        w("alerting/t/x.tmpl", "{{ define \"x\" }}{{ if }}{{ end }}\n");
        let r = stack::check_dir(dir.path(), &Options::default()).expect("stack");
        let got: Vec<(&str, u32, u32)> =
            r.diagnostics.iter().map(|d| (d.code, d.line, d.column)).collect();
        // The prometheus and alertmanager modules report these; the stack checks the file
        // the glob reaches.
        assert!(got.contains(&("prometheus/file-missing", 2, 5)), "{got:?}");
        assert!(got.iter().any(|g| g.0 == "alertmanager/template-syntax"), "{got:?}");
        assert_eq!(r.files, 4);
    }

    #[test]
    fn rule_files_named_by_configs_are_checked_once_each() {
        let dir = tempfile::tempdir().expect("tmp");
        let w = |rel: &str, text: &str| {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, text).expect("write");
            p
        };
        let rules = w(
            "rules/load.yml",
            "groups:\n  - name: g\n    rules:\n      - alert: Load\n        expr: node_load1 > > 0.5\n",
        );
        let a = w("a.yml", "rule_files: [rules/load.yml, 'rules/*.yml']\n");
        let b = w("b.yml", "rule_files: ['rules/*.yml']\n");
        let opts = Options { check_files: true, ..Options::default() };
        let at = |r: &LintReport| -> Vec<(String, &str, u32, u32)> {
            r.diagnostics.iter().map(|d| (d.path.clone(), d.code, d.line, d.column)).collect()
        };
        let want = vec![(rules.display().to_string(), rules::PROMQL_SYNTAX, 5, 28)];
        // Two configs and two globs name it: checked once, positions in the rule file.
        let r = check_paths(&[a.clone(), b.clone()], None, &opts).expect("check");
        assert_eq!(at(&r), want);
        assert_eq!(r.files, 3);
        // Named on the command line as well: still once.
        let r = check_paths(&[rules.clone(), a.clone()], None, &opts).expect("check");
        assert_eq!(r.files, 2);
        assert_eq!(at(&r).len(), 1, "{:?}", at(&r));
        // Parse-only (no file checks): the rule file is not read.
        let r = check_paths(&[a], None, &Options::default()).expect("check");
        assert_eq!((r.files, r.diagnostics.len()), (1, 0));
    }

    #[test]
    fn kinds_are_detected_from_content_then_name() {
        assert_eq!(kind("x.yml", "groups: []"), Some(FileKind::Rules));
        assert_eq!(kind("x.yml", "scrape_configs: []"), Some(FileKind::Prometheus));
        assert_eq!(kind("x.yml", "global:\n  scrape_interval: 1m"), Some(FileKind::Prometheus));
        assert_eq!(kind("x.yml", "route: {receiver: a}"), Some(FileKind::Alertmanager));
        assert_eq!(kind("x.yml", "global:\n  resolve_timeout: 1m"), Some(FileKind::Alertmanager));
        assert_eq!(kind("x.yml", "services: {}"), Some(FileKind::Compose));
        assert_eq!(kind("first.rules", ""), Some(FileKind::Rules));
        assert_eq!(kind("alertmanager.yml", "{}"), Some(FileKind::Alertmanager));
        assert_eq!(kind("loki.yml", "auth_enabled: false"), None);
    }
}
