//! `stellar-obs routes`: the Alertmanager routing tree as a picture: in the terminal
//! (`tree`), as Graphviz DOT or a Mermaid flowchart (`graph`), or as JSON. Each route shows
//! its matchers, its receiver with the receiver's integrations (PagerDuty, Slack channel,
//! e-mail address...), group_by, timers, `continue` and time intervals; a table says which
//! severities reach which integrations.
//!
//! Loading a configuration for a command (`load`) is shared with `test routes`.

mod graph;
mod tree;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::{Value, json};

use crate::alerting::{Config, Labels, LoadError, ParserMode, Route};
use crate::cli::{GlobalArgs, MatcherParser, OutputFormat, RoutesArgs};
use crate::lint::LintReport;
use crate::lint::source::Source;
use crate::outcome::Outcome;
use crate::output::{Paint, Report, Ui};

/// Where the stack keeps its Alertmanager configuration.
pub const STACK_CONFIG: &str = "alerting/alertmanager.yml";

/// The severities of the seed's alert rules, shown first in the severity table.
pub const SEED_SEVERITIES: &[&str] = &["critical", "warning", "info"];

pub fn parser_mode(p: MatcherParser) -> ParserMode {
    match p {
        MatcherParser::Fallback => ParserMode::Fallback,
        MatcherParser::Classic => ParserMode::Classic,
        MatcherParser::Utf8Strict => ParserMode::Utf8Strict,
    }
}

/// The configuration a command works on: `--config`, else the stack's.
pub fn config_path(g: &GlobalArgs, explicit: Option<&Path>) -> PathBuf {
    match explicit {
        Some(p) => p.to_path_buf(),
        None => g
            .dir
            .clone()
            .unwrap_or_else(|| PathBuf::from(crate::settings::DEFAULT_DIR))
            .join(STACK_CONFIG),
    }
}

/// Load a configuration for a command: `Err` when it cannot be read (exit 2), `Ok(Err)`
/// with the linter's report when it does not validate (exit 1).
pub fn load(path: &Path, mode: ParserMode) -> Result<Result<Config, LintReport>> {
    let display = path.to_string_lossy().into_owned();
    match Config::load_with(path, &display, mode) {
        Ok(c) => Ok(Ok(c)),
        Err(LoadError::Unreadable(e)) => {
            Err(e.context(format!("cannot read the Alertmanager configuration {display}")))
        }
        Err(LoadError::Invalid(diags)) => {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let mut report = LintReport::default();
            report.add_file(Source::new(display, path, text), diags);
            report.finish();
            Ok(Err(report))
        }
    }
}

/// Run `routes`.
pub fn run(g: &GlobalArgs, ui: &Ui, args: &RoutesArgs) -> Result<Outcome> {
    ui.require_format("routes", &[OutputFormat::Json, OutputFormat::Dot, OutputFormat::Mermaid])?;
    let path = config_path(g, args.config.as_deref());
    let config = match load(&path, parser_mode(args.matcher_parser))? {
        Ok(c) => c,
        Err(report) => {
            if matches!(ui.format, OutputFormat::Human | OutputFormat::Json) {
                ui.emit(&report)?;
            } else {
                // The picture formats have no place for findings: they go to stderr.
                eprint!("{}", Ui::plain(OutputFormat::Human).render(&report)?);
            }
            return Ok(Outcome::Failure);
        }
    };
    let report = RoutesReport::new(config);
    ui.emit(&report).with_context(|| "cannot write the routing tree".to_string())?;
    Ok(Outcome::Success)
}

/// Which receivers (and integrations) an alert with only a `severity` label reaches.
#[derive(Debug, Clone)]
pub struct SeverityRow {
    pub severity: String,
    /// Receiver names, in routing order.
    pub receivers: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct RoutesReport {
    pub config: Config,
    pub severities: Vec<SeverityRow>,
}

impl RoutesReport {
    pub fn new(config: Config) -> Self {
        let mut sev: Vec<String> = SEED_SEVERITIES.iter().map(ToString::to_string).collect();
        for r in config.root.walk() {
            for m in &r.matchers {
                if m.name == "severity"
                    && m.op == crate::lint::alertmanager::MatchOp::Equal
                    && !sev.contains(&m.value)
                {
                    sev.push(m.value.clone());
                }
            }
        }
        let severities = sev
            .into_iter()
            .map(|s| {
                let labels: Labels = [("severity".to_string(), s.clone())].into_iter().collect();
                let receivers =
                    config.route_alert(&labels).into_iter().map(|m| m.receiver).collect();
                SeverityRow { severity: s, receivers }
            })
            .collect();
        RoutesReport { config, severities }
    }
}

/// A duration in milliseconds as Prometheus writes it (`1h30m`, `30s`, `500ms`).
pub fn fmt_duration(ms: u64) -> String {
    if ms == 0 {
        return "0s".to_string();
    }
    let mut out = String::new();
    let mut rest = ms;
    for (unit, size) in
        [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)]
    {
        if rest >= size {
            out.push_str(&format!("{}{unit}", rest / size));
            rest %= size;
        }
    }
    out
}

fn route_json(r: &Route) -> Value {
    json!({
        "path": r.path,
        "line": r.pos.line,
        "matchers": r.matchers.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "receiver": r.receiver,
        "group_by": r.group_by.names(),
        "group_wait": fmt_duration(r.group_wait_ms),
        "group_interval": fmt_duration(r.group_interval_ms),
        "repeat_interval": fmt_duration(r.repeat_interval_ms),
        "continue": r.continue_matching,
        "mute_time_intervals": r.mute_time_intervals,
        "active_time_intervals": r.active_time_intervals,
        "inherited": {
            "receiver": !r.written.receiver,
            "group_by": !r.written.group_by,
            "group_wait": !r.written.group_wait,
            "group_interval": !r.written.group_interval,
            "repeat_interval": !r.written.repeat_interval,
        },
        "routes": r.routes.iter().map(route_json).collect::<Vec<_>>(),
    })
}

impl Report for RoutesReport {
    fn human(&self, paint: &Paint) -> String {
        tree::render(self, paint)
    }

    fn json(&self) -> Value {
        let c = &self.config;
        json!({
            "config": c.path,
            "route": route_json(&c.root),
            "receivers": c.receivers,
            "inhibit_rules": c.inhibit_rules.iter().map(|r| json!({
                "index": r.index,
                "line": r.pos.line,
                "name": r.name,
                "source_matchers": r.source.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "target_matchers": r.target.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "equal": r.equal,
            })).collect::<Vec<_>>(),
            "severities": self.severities.iter().map(|s| json!({
                "severity": s.severity,
                "receivers": s.receivers,
                "integrations": s.receivers.iter()
                    .filter_map(|n| c.receiver(n))
                    .flat_map(|r| r.integrations.iter())
                    .collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }

    fn other(&self, format: OutputFormat) -> Option<String> {
        match format {
            OutputFormat::Dot => Some(graph::dot(&self.config)),
            OutputFormat::Mermaid => Some(graph::mermaid(&self.config)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
