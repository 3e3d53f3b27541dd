//! `stellar-obs slo`: service level objectives.
//!
//! `spec` reads Sloth `prometheus/v1` and OpenSLO `v1alpha` specs (positioned diagnostics),
//! `windows` holds the period and its burn-rate alert windows, `generate` makes the rule
//! file, `report` asks Prometheus what was delivered (SLI, budget, burn rates, daily SLI)
//! and `render` / `html` show it (table and sparklines, Markdown, a self-contained HTML page
//! with inline SVG charts).

pub mod generate;
pub mod html;
pub mod render;
pub mod report;
pub mod spec;
pub mod windows;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::cli::{OutputFormat, SloCommand, SloGenerateArgs};
use crate::lint::render::LintReport;
use crate::lint::{Diagnostic, Source};
use crate::outcome::Outcome;
use crate::output::Ui;
use crate::settings::Settings;
use spec::Slo;
use windows::Windows;

/// Where the stack keeps its SLO specs, relative to the stack directory.
pub const SPEC_DIR: &str = "slo";
/// The period when neither the spec nor `--period` says.
pub const DEFAULT_PERIOD_MS: u64 = 30 * 24 * 3600 * 1000;
/// The marker line of a generated rule file: `validate` checks the file against it.
pub const GENERATED_FROM: &str = crate::lint::generated::FROM;
pub const GENERATED_CONTENT: &str = crate::lint::generated::CONTENT;

/// Run an `slo` subcommand.
pub fn run(settings: &Settings, ui: &Ui, cmd: &SloCommand) -> Result<Outcome> {
    match cmd {
        SloCommand::Generate(a) => generate_command(settings, ui, a),
        SloCommand::Report(a) => report::command(settings, ui, a),
    }
}

/// SLOs read from spec files, with what was wrong in them.
#[derive(Debug, Default)]
pub struct Loaded {
    pub slos: Vec<Slo>,
    pub problems: LintReport,
    /// Each spec file read, with its bytes' sha256.
    pub files: Vec<(PathBuf, String)>,
}

impl Loaded {
    /// Spec errors are input errors: shown on stderr as `validate` shows findings, nothing
    /// is written, exit 2. `None` when the specs have none.
    pub fn refuse_errors(&self, ui: &Ui) -> Option<Outcome> {
        if self.problems.errors() == 0 {
            return None;
        }
        eprint!("{}", crate::lint::render::human::render(&self.problems, &ui.paint));
        Some(Outcome::Invalid)
    }
}

/// The spec files named, or the stack's `slo/*.yml` when none are.
pub fn spec_paths(settings: &Settings, given: &[PathBuf]) -> Result<Vec<PathBuf>> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    let dir = settings.dir.join(SPEC_DIR);
    let mut v: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml") && p.is_file())
            .collect(),
        Err(e) => {
            return crate::outcome::as_usage(Err(e).with_context(|| {
                format!(
                    "cannot read {} (name the spec files, or run `stellar-obs init`)",
                    dir.display()
                )
            }));
        }
    };
    v.sort();
    if v.is_empty() {
        return Err(crate::outcome::usage(format!("{} holds no SLO specs (*.yml)", dir.display())));
    }
    Ok(v)
}

/// Read and check every spec file. A file that cannot be read stops (exit 2, as in
/// `validate`: fix the request); problems in a spec are collected.
pub fn load(
    paths: &[PathBuf],
    period_override: Option<u64>,
    windows: Option<&Windows>,
) -> Result<Loaded> {
    let mut out = Loaded::default();
    for p in paths {
        let display = p.display().to_string();
        let mut diags: Vec<Diagnostic> = Vec::new();
        let src: Source =
            crate::outcome::as_usage(crate::lint::read_source(p, &display, &mut diags))?;
        let slos = if diags.is_empty() {
            spec::parse(&display, &src.text, &mut diags)
        } else {
            Vec::new()
        };
        // A period shorter than the longest alert window: positioned at the spec's window
        // when it has one, else at the SLO.
        for s in &slos {
            let w = windows_for(s, period_override, windows);
            if let Some(problem) = w.period_problem() {
                diags.push(Diagnostic::error(
                    &display,
                    s.pos,
                    spec::PERIOD,
                    format!("SLO `{}`: {problem}", s.name),
                ));
            }
        }
        out.files.push((p.clone(), hex::encode(Sha256::digest(src.text.as_bytes()))));
        if diags.is_empty() {
            out.slos.extend(slos);
        }
        out.problems.add_file(src, diags);
    }
    out.problems.finish();
    Ok(out)
}

/// The windows of one SLO: a windows file wins, then `--period`, then the spec's own
/// period (OpenSLO), then 30 days.
pub fn windows_for(slo: &Slo, period_override: Option<u64>, windows: Option<&Windows>) -> Windows {
    if let Some(w) = windows {
        return w.clone();
    }
    Windows::default_for(period_override.or(slo.period_ms).unwrap_or(DEFAULT_PERIOD_MS))
}

fn parse_extra_labels(v: &[String]) -> Result<BTreeMap<String, String>> {
    let mut m = BTreeMap::new();
    for kv in v {
        let Some((k, val)) = kv.split_once('=') else {
            bail!("--extra-labels {kv:?}: expected NAME=VALUE");
        };
        let ok = !k.is_empty()
            && k.chars()
                .enumerate()
                .all(|(i, c)| c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit()));
        if !ok {
            bail!("--extra-labels {kv:?}: `{k}` is not a label name");
        }
        m.insert(k.to_string(), val.to_string());
    }
    Ok(m)
}

/// The rule file for `loaded` (without the header).
pub fn rules_text(
    loaded: &Loaded,
    period: Option<u64>,
    windows: Option<&Windows>,
    extra: &BTreeMap<String, String>,
) -> (String, usize) {
    let mut groups = Vec::new();
    for s in &loaded.slos {
        groups.extend(generate::generate(s, &windows_for(s, period, windows), extra));
    }
    let n = groups.iter().map(|g| g.rules.len()).sum();
    (generate::render(&groups), n)
}

/// The header of a generated file: how it was made, and the marker lines `validate`
/// checks (each spec's sha256 and the sha256 of the rules below the header).
pub fn header(out: &Path, specs: &[(PathBuf, String)], command: &str, body: &str) -> String {
    let mut h = String::from(
        "# Generated by `stellar-obs slo generate`. DO NOT EDIT: change the SLO spec, then run\n",
    );
    h.push_str(&format!("#   {command}\n"));
    h.push_str(
        "# (`stellar-obs validate` reports this file when it no longer matches its spec.)\n",
    );
    let base = crate::fsutil::parent_dir(out);
    for (p, sha) in specs {
        h.push_str(&format!("{GENERATED_FROM} {} sha256:{sha}\n", relative(&base, p)));
    }
    h.push_str(&format!(
        "{GENERATED_CONTENT} sha256:{}\n",
        hex::encode(Sha256::digest(body.as_bytes()))
    ));
    h
}

/// `target` relative to the directory `base` (both made absolute first).
fn relative(base: &Path, target: &Path) -> String {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (b, t) = (abs(base), abs(target));
    let bc: Vec<_> = b.components().collect();
    let tc: Vec<_> = t.components().collect();
    let common = bc.iter().zip(&tc).take_while(|(x, y)| x == y).count();
    let mut r = PathBuf::new();
    for _ in common..bc.len() {
        r.push("..");
    }
    for c in &tc[common..] {
        r.push(c);
    }
    r.to_string_lossy().replace('\\', "/")
}

fn generate_command(settings: &Settings, ui: &Ui, a: &SloGenerateArgs) -> Result<Outcome> {
    ui.require_format("slo generate", &[])?;
    let period = a
        .period
        .as_deref()
        .map(spec::parse_period)
        .transpose()
        .map_err(|e| crate::outcome::usage(format!("--period {e}")))?;
    let extra = crate::outcome::as_usage(parse_extra_labels(&a.extra_labels))?;
    let mut window_problems = LintReport::default();
    let windows = match &a.windows {
        Some(p) => {
            let display = p.display().to_string();
            let mut diags = Vec::new();
            let src = crate::lint::read_source(p, &display, &mut diags)?;
            let w = windows::parse(&display, &src.text, &mut diags).map(|(w, _)| w);
            window_problems.add_file(src, diags);
            w
        }
        None => None,
    };
    let paths = spec_paths(settings, &a.specs)?;
    let mut loaded = load(&paths, period, windows.as_ref())?;
    loaded.problems.merge(window_problems);
    loaded.problems.finish();
    if let Some(refused) = loaded.refuse_errors(ui) {
        return Ok(refused);
    }
    let (body, rules) = rules_text(&loaded, period, windows.as_ref(), &extra);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = format!(
        "stellar-obs {}",
        args.iter().map(|s| crate::settings::shell_quote(s)).collect::<Vec<_>>().join(" ")
    );
    match &a.out {
        None => {
            print!(
                "# Generated by `stellar-obs slo generate` from {} SLO(s). DO NOT EDIT.\n{body}",
                loaded.slos.len()
            );
        }
        Some(out) => {
            let text = format!("{}{body}", header(out, &loaded.files, &command, &body));
            write_generated(out, &text, a.force)?;
            ui.info(format!(
                "{}: {}, {}",
                out.display(),
                crate::output::words::count_s(loaded.slos.len() as u64, "SLO"),
                crate::output::words::count_s(rules as u64, "rule")
            ));
        }
    }
    Ok(Outcome::Success)
}

/// Write a generated file atomically. A file that exists and was not generated by
/// stellar-obs is kept unless `force`.
pub fn write_generated(out: &Path, text: &str, force: bool) -> Result<()> {
    if let Ok(old) = crate::fsutil::read_capped_string(out, crate::yaml::MAX_FILE_BYTES) {
        if old == text {
            return Ok(());
        }
        if !force && !old.lines().take(10).any(|l| l.starts_with(GENERATED_CONTENT)) {
            bail!(
                "{} exists and was not generated by stellar-obs; kept (use --force to replace it)",
                out.display()
            );
        }
    }
    crate::fsutil::write_atomic(out, text.as_bytes(), None)
        .with_context(|| format!("cannot write {}", out.display()))
}

/// Whether the chosen output format is one of the report's.
pub fn report_format_ok(f: OutputFormat) -> bool {
    matches!(
        f,
        OutputFormat::Human | OutputFormat::Json | OutputFormat::Markdown | OutputFormat::Html
    )
}

/// `../shared/conformance` next to the repository (`../../shared` from a git worktree),
/// for the unit tests that read the shared corpus; they fail when it is missing.
#[cfg(test)]
pub(crate) fn conformance_dir() -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let next_to = repo.join("../shared/conformance");
    let from_worktree = repo.join("../../shared/conformance");
    if !next_to.is_dir() && from_worktree.is_dir() { from_worktree } else { next_to }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The command that regenerates the stack's SLO rules (run in the stack directory).
    const SHIPPED_COMMAND: &str =
        "stellar-obs slo generate slo/connector.yml --out prometheus/slo_connector.yml";

    #[test]
    fn the_shipped_slo_rules_are_current_with_the_shipped_spec() {
        let spec = crate::templates::text("slo/connector.yml").expect("spec template");
        let shipped =
            crate::templates::text("prometheus/slo_connector.yml").expect("rules template");
        let mut d = Vec::new();
        let slos = spec::parse("slo/connector.yml", spec, &mut d);
        assert!(d.is_empty(), "{d:?}");
        let names: Vec<&str> = slos.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "order-placement-availability",
                "api-latency",
                "horizon-reachability",
                "metrics-freshness"
            ]
        );
        let loaded = Loaded {
            slos,
            problems: LintReport::default(),
            files: vec![(
                PathBuf::from("slo/connector.yml"),
                hex::encode(Sha256::digest(spec.as_bytes())),
            )],
        };
        let (body, _) = rules_text(&loaded, None, None, &BTreeMap::new());
        let want = format!(
            "{}{body}",
            header(
                Path::new("prometheus/slo_connector.yml"),
                &loaded.files,
                SHIPPED_COMMAND,
                &body
            )
        );
        assert!(
            shipped == want,
            "templates/prometheus/slo_connector.yml is not what the generator makes from templates/slo/connector.yml; run in templates/: {SHIPPED_COMMAND}"
        );
    }

    #[test]
    fn the_shipped_spec_uses_catalogued_metrics() {
        let spec = crate::templates::text("slo/connector.yml").expect("spec");
        let catalogue = crate::templates::text("connector-metrics.yml").expect("catalogue");
        for m in [
            "stellar_connector_orders_failed_total",
            "stellar_connector_orders_placed_total",
            "stellar_connector_request_duration_seconds",
            "stellar_connector_requests_total",
        ] {
            assert!(spec.contains(m), "{m}");
            assert!(
                catalogue.contains(&format!("name: {m}\n")),
                "{m} is not in connector-metrics.yml"
            );
        }
    }
}
