//! `stellar-obs test routes`: routing tests for an Alertmanager configuration, run on the
//! Alertmanager model (`crate::alerting`). A test file (documented in `docs/test.md`):
//!
//! ```yaml
//! config: ../alertmanager.yml          # relative to this file; default: the stack's
//! tests:
//!   - name: critical pages and posts
//!     alert: {alertname: StellarConnectorDown, severity: critical}
//!     at: 2026-03-01T03:00:00Z          # optional: decides mute/active time intervals
//!     firing: [{alertname: X, severity: critical}]   # optional: for inhibition
//!     expect:
//!       receivers: [critical]           # in order; routes muted at `at` left out
//!       group_by: [alertname, instance] # optional: of the first notifying route
//!       inhibited: false                # optional
//! ```
//!
//! Or one ad hoc case from the command line (`--alert`, `--expect`, `--at`, `--firing`).
//! Results go into the shared [`TestReport`]; `-o json` adds `results` (the routing of each
//! case) to the shared JSON document.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value as Json;

use super::report::{DiffKind, DiffLine, Failure, TestCase, TestReport};
use crate::alerting::{Config, Labels, ParserMode, labels::parse_labels};
use crate::cli::{GlobalArgs, OutputFormat, TestRoutesArgs};
use crate::lint::diagnostic::Diagnostic;
use crate::lint::schema;
use crate::outcome::Outcome;
use crate::output::{Paint, Report, Ui};
use crate::yaml::{Node, Pos};

/// Where the stack keeps its routing tests.
pub const STACK_TESTS: &str = "alerting/tests";

/// What one case routed to (the `results` of the JSON document).
#[derive(Debug, Clone, Serialize)]
pub struct RouteResult {
    pub name: String,
    pub file: String,
    pub line: u32,
    pub alert: Labels,
    /// Receivers notified, in order (routes muted at `at` left out).
    pub receivers: Vec<String>,
    /// Receivers of routes muted at `at`, with the reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub muted: Vec<MutedReceiver>,
    pub inhibited: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inhibited_by: Option<crate::alerting::Inhibition>,
    /// group_by of the first route (`...` for all labels).
    pub group_by: Vec<String>,
    pub passed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct MutedReceiver {
    pub receiver: String,
    pub reason: String,
}

/// The test report plus the routing of each case.
#[derive(Debug, Clone, Default)]
pub struct RoutesTestReport {
    pub report: TestReport,
    pub results: Vec<RouteResult>,
    /// Ad hoc run without `--expect`: the human output shows the receivers, like amtool.
    pub show_only: bool,
}

impl Report for RoutesTestReport {
    fn human(&self, paint: &Paint) -> String {
        if self.show_only && self.report.diagnostics.is_empty() {
            let mut out = String::new();
            for r in &self.results {
                out.push_str(&show_result(r));
            }
            return out;
        }
        self.report.human(paint)
    }

    fn json(&self) -> Json {
        let mut v = self.report.json();
        v["results"] = crate::output::to_json(&self.results);
        v
    }

    fn other(&self, format: OutputFormat) -> Option<String> {
        self.report.other(format)
    }
}

fn show_result(r: &RouteResult) -> String {
    let s = |x: &str| crate::output::safe_text(x, 200);
    let mut out = format!(
        "{}\n",
        if r.receivers.is_empty() {
            "(no receiver notified)".to_string()
        } else {
            r.receivers.iter().map(|x| s(x)).collect::<Vec<_>>().join(",")
        }
    );
    for m in &r.muted {
        out.push_str(&format!("muted: {} ({})\n", s(&m.receiver), m.reason));
    }
    if let Some(i) = &r.inhibited_by {
        out.push_str(&format!(
            "inhibited by {} (inhibit_rules[{}], line {})\n",
            s(&crate::alerting::labels::show(&i.by)),
            i.rule,
            i.rule_line
        ));
    }
    out
}

/// Run `test routes`.
pub fn run(g: &GlobalArgs, ui: &Ui, a: &TestRoutesArgs) -> Result<Outcome> {
    ui.require_format("test routes", super::FORMATS)?;
    let mode = crate::routes::parser_mode(a.matcher_parser);
    let stack_dir = g.dir.clone().unwrap_or_else(|| PathBuf::from(crate::settings::DEFAULT_DIR));
    let report = if let Some(alert) = &a.alert {
        if !a.files.is_empty() {
            bail!("give test files or --alert, not both");
        }
        adhoc(g, a, alert, mode)?
    } else {
        if a.expect.is_some() || a.at.is_some() || !a.firing.is_empty() {
            bail!("--expect, --at and --firing go with --alert");
        }
        let files = if a.files.is_empty() { stack_files(&stack_dir)? } else { a.files.clone() };
        let mut r = RoutesTestReport::default();
        for f in &files {
            run_file(f, a.config.as_deref(), &stack_dir, mode, &mut r)?;
        }
        r.report.finish();
        r
    };
    ui.emit(&report)?;
    Ok(report.report.outcome())
}

fn stack_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let d = dir.join(STACK_TESTS);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&d)
        .with_context(|| format!("cannot read the stack's routing tests in {}", d.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    v.sort();
    if v.is_empty() {
        bail!("no routing test files (*.yml) in {}", d.display());
    }
    Ok(v)
}

/// Load the configuration; an invalid one becomes the report's diagnostics.
fn config_for(path: &Path, mode: ParserMode, r: &mut RoutesTestReport) -> Result<Option<Config>> {
    match crate::routes::load(path, mode)? {
        Ok(c) => Ok(Some(c)),
        Err(lint) => {
            r.report.diagnostics.extend(lint.diagnostics);
            r.report.sources.extend(lint.sources);
            Ok(None)
        }
    }
}

fn adhoc(
    g: &GlobalArgs,
    a: &TestRoutesArgs,
    alert: &str,
    mode: ParserMode,
) -> Result<RoutesTestReport> {
    let labels = parse_labels(alert).map_err(|e| anyhow::anyhow!("--alert: {e}"))?;
    let firing: Vec<Labels> = a
        .firing
        .iter()
        .map(|f| parse_labels(f).map_err(|e| anyhow::anyhow!("--firing: {e}")))
        .collect::<Result<_>>()?;
    let at = match &a.at {
        Some(s) => Some(parse_at(s).map_err(|e| anyhow::anyhow!("--at: {e}"))?),
        None => None,
    };
    let path = crate::routes::config_path(g, a.config.as_deref());
    let mut r = RoutesTestReport { show_only: a.expect.is_none(), ..Default::default() };
    r.report.files = 0;
    let Some(config) = config_for(&path, mode, &mut r)? else {
        r.report.finish();
        return Ok(r);
    };
    let expect: Option<Vec<String>> = a
        .expect
        .as_ref()
        .map(|e| e.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect());
    if let Some(exp) = &expect {
        for name in exp {
            if config.receiver(name).is_none() {
                bail!("--expect: receiver {name:?} is not defined in {}", config.path);
            }
        }
    }
    let case = Case {
        name: format!("--alert {}", crate::alerting::labels::show(&labels)),
        pos: Pos::new(0, 0),
        labels,
        firing,
        at,
        expect: Expect {
            receivers: expect.map(|v| (v, Pos::new(0, 0))),
            group_by: None,
            inhibited: None,
        },
    };
    run_case(&config, "(command line)", &case, &mut r);
    Ok(r)
}

fn parse_at(s: &str) -> Result<Timestamp, String> {
    s.parse::<Timestamp>()
        .map_err(|e| format!("{s:?} is not an RFC 3339 time such as 2026-03-01T03:00:00Z ({e})"))
}

#[derive(Debug)]
struct Expect {
    receivers: Option<(Vec<String>, Pos)>,
    group_by: Option<(Vec<String>, Pos)>,
    inhibited: Option<(bool, Pos)>,
}

#[derive(Debug)]
struct Case {
    name: String,
    pos: Pos,
    labels: Labels,
    firing: Vec<Labels>,
    at: Option<Timestamp>,
    expect: Expect,
}

fn run_file(
    path: &Path,
    config_flag: Option<&Path>,
    stack_dir: &Path,
    mode: ParserMode,
    r: &mut RoutesTestReport,
) -> Result<()> {
    let display = path.to_string_lossy().into_owned();
    let mut diags = Vec::new();
    let src = crate::lint::read_source(path, &display, &mut diags)?;
    r.report.files += 1;
    let fail = |r: &mut RoutesTestReport, diags: Vec<Diagnostic>, text: &str| {
        r.report.diagnostics.extend(diags);
        r.report.sources.insert(display.clone(), text.to_string());
    };
    if !diags.is_empty() {
        fail(r, diags, &src.text);
        return Ok(());
    }
    let tree = match crate::yaml::parse(&src.text) {
        Ok(t) => t,
        Err(e) => {
            let d = Diagnostic::error(&display, e.pos, crate::lint::check::YAML_SYNTAX, e.message);
            fail(r, vec![d], &src.text);
            return Ok(());
        }
    };
    let mut ctx = schema::Ctx::new(&display, &mut diags);
    let Some(f) = ctx.map(&tree, "routing test file", &["config", "tests"]) else {
        fail(r, diags, &src.text);
        return Ok(());
    };
    let written_config = f.get("config").and_then(|n| ctx.string(n, "config").map(str::to_string));
    let config_path = match (config_flag, written_config) {
        (Some(p), _) => p.to_path_buf(),
        (None, Some(c)) => src.resolve(&c),
        (None, None) => stack_dir.join(crate::routes::STACK_CONFIG),
    };
    let mut cases = Vec::new();
    if let Some(n) = ctx.require(&f, "tests", "routing test file")
        && let Some(items) = ctx.list(n, "tests")
    {
        for (i, item) in items.iter().enumerate() {
            if let Some(c) = parse_case(&mut ctx, item, i) {
                cases.push(c);
            }
        }
    }
    let Some(config) = config_for(&config_path, mode, r)? else {
        fail(r, diags, &src.text);
        return Ok(());
    };
    // Receivers named in `expect` must exist: a typo would otherwise read as a routing failure.
    for c in &cases {
        if let Some((names, pos)) = &c.expect.receivers {
            for n in names {
                if config.receiver(n).is_none() {
                    let known: Vec<&str> =
                        config.receivers.iter().map(|r| r.name.as_str()).collect();
                    let mut d = Diagnostic::error(
                        &display,
                        *pos,
                        schema::BAD_VALUE,
                        format!(
                            "test {:?}: expect.receivers: {n:?} is not a receiver of {}",
                            c.name, config.path
                        ),
                    );
                    if let Some(s) = schema::did_you_mean(n, &known) {
                        d = d.with_help(format!("did you mean `{s}`?"));
                    }
                    diags.push(d);
                }
            }
        }
    }
    let invalid = diags.iter().any(|d| d.severity == crate::lint::Severity::Error);
    if invalid {
        fail(r, diags, &src.text);
        return Ok(());
    }
    for c in &cases {
        run_case(&config, &display, c, r);
    }
    Ok(())
}

fn labels_of(ctx: &mut schema::Ctx<'_>, n: &Node, what: &str) -> Option<Labels> {
    let m = ctx.free_map(n, what)?;
    let mut out = Labels::new();
    for (k, v) in m {
        match v.scalar_text() {
            Some(s) => {
                if !s.is_empty() {
                    out.insert(k.name.clone(), s.to_string());
                }
            }
            None => ctx.error(
                v.pos,
                schema::WRONG_TYPE,
                format!(
                    "{what}.{}: a label value must be a string, got a {}",
                    k.name,
                    v.type_name()
                ),
            ),
        }
    }
    Some(out)
}

fn parse_case(ctx: &mut schema::Ctx<'_>, item: &Node, i: usize) -> Option<Case> {
    let f = ctx.map(item, "test", &["name", "alert", "at", "firing", "expect"])?;
    let name = f
        .get("name")
        .and_then(|n| ctx.string(n, "test: name").map(str::to_string))
        .unwrap_or_else(|| format!("tests[{i}]"));
    let what = format!("test {name:?}");
    let labels = match ctx.require(&f, "alert", &what) {
        Some(n) => labels_of(ctx, n, &format!("{what}: alert"))?,
        None => return None,
    };
    let mut firing = Vec::new();
    if let Some(n) = f.get("firing")
        && let Some(items) = ctx.list(n, &format!("{what}: firing"))
    {
        for it in items {
            firing.push(labels_of(ctx, it, &format!("{what}: firing"))?);
        }
    }
    let at = match f.get("at") {
        Some(n) => {
            let s = ctx.string(n, &format!("{what}: at"))?;
            match parse_at(s) {
                Ok(t) => Some(t),
                Err(e) => {
                    ctx.error(n.pos, schema::BAD_VALUE, format!("{what}: at: {e}"));
                    return None;
                }
            }
        }
        None => None,
    };
    let en = ctx.require(&f, "expect", &what)?;
    let ef = ctx.map(en, &format!("{what}: expect"), &["receivers", "group_by", "inhibited"])?;
    let list = |ctx: &mut schema::Ctx<'_>, key: &str| {
        ef.get(key).and_then(|n| {
            ctx.strings(n, &format!("{what}: expect.{key}"))
                .map(|v| (v.into_iter().map(|(s, _)| s.to_string()).collect::<Vec<_>>(), n.pos))
        })
    };
    let receivers = list(ctx, "receivers");
    let group_by = list(ctx, "group_by");
    let inhibited = ef
        .get("inhibited")
        .and_then(|n| ctx.bool(n, &format!("{what}: expect.inhibited")).map(|b| (b, n.pos)));
    if receivers.is_none() && group_by.is_none() && inhibited.is_none() {
        ctx.error(
            en.pos,
            schema::MISSING_FIELD,
            format!("{what}: expect needs at least one of receivers, group_by, inhibited"),
        );
        return None;
    }
    Some(Case {
        name,
        pos: item.pos,
        labels,
        firing,
        at,
        expect: Expect { receivers, group_by, inhibited },
    })
}

fn diff(expected: &[String], got: &[String]) -> Vec<DiffLine> {
    let mut v: Vec<DiffLine> =
        expected.iter().map(|s| DiffLine { kind: DiffKind::Expected, text: s.clone() }).collect();
    v.extend(got.iter().map(|s| DiffLine { kind: DiffKind::Got, text: s.clone() }));
    v
}

fn run_case(config: &Config, file: &str, c: &Case, r: &mut RoutesTestReport) {
    let start = Instant::now();
    let matches = match c.at {
        Some(t) => config.route_alert_at(&c.labels, t),
        None => config.route_alert(&c.labels),
    };
    let receivers: Vec<String> =
        matches.iter().filter(|m| m.muted.is_none()).map(|m| m.receiver.clone()).collect();
    let muted: Vec<MutedReceiver> = matches
        .iter()
        .filter_map(|m| {
            m.muted
                .as_ref()
                .map(|why| MutedReceiver { receiver: m.receiver.clone(), reason: why.to_string() })
        })
        .collect();
    let group_by = matches.first().map(|m| m.group_by.names()).unwrap_or_default();
    let inhibition = config.inhibition(&c.labels, &c.firing);
    let mut failures = Vec::new();
    let mut assertions = 0;
    let failure = |pos: Pos, message: String, diff: Vec<DiffLine>| Failure {
        path: file.to_string(),
        line: pos.line,
        column: pos.col,
        message,
        diff,
    };
    if let Some((exp, pos)) = &c.expect.receivers {
        assertions += 1;
        if *exp != receivers {
            let mut msg =
                format!("receivers: expected [{}], got [{}]", exp.join(", "), receivers.join(", "));
            if !muted.is_empty() {
                let m: Vec<String> =
                    muted.iter().map(|m| format!("{} ({})", m.receiver, m.reason)).collect();
                msg.push_str(&format!("; muted at `at`: {}", m.join(", ")));
            }
            failures.push(failure(*pos, msg, diff(exp, &receivers)));
        }
    }
    if let Some((exp, pos)) = &c.expect.group_by {
        assertions += 1;
        if *exp != group_by {
            failures.push(failure(
                *pos,
                format!("group_by: expected [{}], got [{}]", exp.join(", "), group_by.join(", ")),
                diff(exp, &group_by),
            ));
        }
    }
    if let Some((exp, pos)) = &c.expect.inhibited {
        assertions += 1;
        if *exp != inhibition.is_some() {
            let msg = match &inhibition {
                Some(i) => format!(
                    "inhibited: expected false, but inhibit_rules[{}] (line {}) mutes it while {} fires",
                    i.rule,
                    i.rule_line,
                    crate::alerting::labels::show(&i.by)
                ),
                None => "inhibited: expected true, but no inhibit rule mutes it with these firing alerts".to_string(),
            };
            failures.push(failure(*pos, msg, Vec::new()));
        }
    }
    let passed = failures.is_empty();
    r.results.push(RouteResult {
        name: c.name.clone(),
        file: file.to_string(),
        line: c.pos.line,
        alert: c.labels.clone(),
        receivers,
        muted,
        inhibited: inhibition.is_some(),
        inhibited_by: inhibition,
        group_by,
        passed,
    });
    r.report.cases.push(TestCase {
        name: c.name.clone(),
        path: file.to_string(),
        line: c.pos.line,
        column: c.pos.col,
        passed,
        assertions,
        failures,
        duration_ms: start.elapsed().as_secs_f64() * 1000.0,
    });
}
