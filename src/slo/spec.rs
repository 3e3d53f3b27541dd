//! SLO specifications: Sloth's `prometheus/v1` and OpenSLO `v1alpha`, read from the
//! positioned YAML tree, so every problem is a [`Diagnostic`] with `file:line:col`.
//!
//! A file may hold several documents (`---`); each is one service's SLOs (Sloth) or one SLO
//! with one or more objectives (OpenSLO, each objective becomes an SLO named `<name>-<i>`,
//! as Sloth does).

use std::collections::BTreeMap;

use crate::lint::check::{Check, YAML_SYNTAX};
use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::lint::schema::{BAD_VALUE, Ctx, Fields, MISSING_FIELD, parse_duration};
use crate::yaml::{Node, Pos};

pub const VERSION: &str = "slo/version";
pub const OBJECTIVE: &str = "slo/objective";
pub const WINDOW_TEMPLATE: &str = "slo/window-template";
pub const PERIOD: &str = "slo/period";
pub const QUERY: &str = "slo/query";
pub const NAME: &str = "slo/name";

/// The checks of SLO specs (documented in docs/slo.md).
pub const CHECKS: &[Check] = &[
    Check {
        id: VERSION,
        severity: Severity::Error,
        summary: "Not a Sloth `prometheus/v1` or OpenSLO `openslo/v1alpha` SLO document.",
    },
    Check {
        id: OBJECTIVE,
        severity: Severity::Error,
        summary: "The objective is not a percentage strictly between 0 and 100 (OpenSLO: a target between 0 and 1).",
    },
    Check {
        id: WINDOW_TEMPLATE,
        severity: Severity::Error,
        summary: "An SLI query without `{{.window}}`: it cannot be evaluated over the alert windows.",
    },
    Check {
        id: PERIOD,
        severity: Severity::Error,
        summary: "The SLO period is shorter than the longest alert window, or not a whole duration.",
    },
    Check {
        id: QUERY,
        severity: Severity::Error,
        summary: "An SLI query that is not valid PromQL once the window is filled in.",
    },
    Check {
        id: NAME,
        severity: Severity::Error,
        summary: "A service or SLO name that is empty, repeated, or not a valid label value for rule names.",
    },
];

pub const SLOTH_V1: &str = "prometheus/v1";
pub const OPENSLO_V1ALPHA: &str = "openslo/v1alpha";

const MS_DAY: u64 = 24 * 3600 * 1000;

/// The spec format an SLO came from (it shows in `sloth_spec` and `sloth_mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Sloth,
    OpenSlo,
}

impl Format {
    pub fn spec(self) -> &'static str {
        match self {
            Format::Sloth => SLOTH_V1,
            Format::OpenSlo => OPENSLO_V1ALPHA,
        }
    }

    pub fn mode(self) -> &'static str {
        match self {
            Format::Sloth => "cli-gen-prom",
            Format::OpenSlo => "cli-gen-openslo",
        }
    }
}

/// How the error ratio of an SLO is measured. Queries hold `{{.window}}`.
#[derive(Debug, Clone, PartialEq)]
pub enum Sli {
    /// Bad events over all events.
    Events { error: String, total: String },
    /// A query that is the error ratio itself.
    Raw { error_ratio: String },
    /// OpenSLO ratio metrics: good events over all events.
    GoodTotal { good: String, total: String },
}

/// Labels and annotations of a page or ticket alert.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AlertSpec {
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Alerting {
    /// The alert name; no alerts are generated without it.
    pub name: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    /// `None` when disabled.
    pub page: Option<AlertSpec>,
    pub ticket: Option<AlertSpec>,
}

/// One SLO, ready for generation and reporting.
#[derive(Debug, Clone, PartialEq)]
pub struct Slo {
    pub service: String,
    pub name: String,
    pub description: String,
    /// Percent, in (0, 100).
    pub objective: f64,
    /// The service's labels, then the SLO's own.
    pub labels: BTreeMap<String, String>,
    pub sli: Sli,
    pub alerting: Alerting,
    pub format: Format,
    /// The SLO period in milliseconds when the spec says it (OpenSLO `timeWindows`).
    pub period_ms: Option<u64>,
    /// Where the SLO is written (for messages).
    pub pos: Pos,
}

impl Slo {
    /// `<service>-<name>`: the `sloth_id` label and the suffix of the rule groups.
    pub fn id(&self) -> String {
        format!("{}-{}", self.service, self.name)
    }

    /// The objective as a fraction (`99.9` → `0.999`).
    pub fn objective_ratio(&self) -> f64 {
        self.objective / 100.0
    }

    /// The error budget as a fraction (`99.9` → `0.001`), computed as Sloth does.
    pub fn error_budget(&self) -> f64 {
        (100.0 - self.objective) / 100.0
    }

    /// The error-ratio expression over `window` (a Prometheus duration such as `5m`).
    pub fn error_ratio_expr(&self, window: &str) -> String {
        let w = |q: &str| fill_window(q, window);
        match &self.sli {
            Sli::Events { error, total } => {
                format!("({})\n/\n({})", w(error).trim(), w(total).trim())
            }
            Sli::Raw { error_ratio } => format!("({})", w(error_ratio).trim()),
            Sli::GoodTotal { good, total } => {
                format!("(1 - (({})\n/\n({})))", w(good).trim(), w(total).trim())
            }
        }
    }

    /// The expression that counts all events over `window` (per second), when the SLI has
    /// one: the weight of a day in the report's burn-down.
    pub fn total_expr(&self, window: &str) -> Option<String> {
        match &self.sli {
            Sli::Events { total, .. } | Sli::GoodTotal { total, .. } => {
                Some(fill_window(total, window).trim().to_string())
            }
            Sli::Raw { .. } => None,
        }
    }
}

/// Every spellings of Sloth's window placeholder: `{{.window}}`, `{{ .window }}`.
fn window_placeholder() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r"\{\{-?\s*\.window\s*-?\}\}").expect("static regex"))
}

/// `q` with its `{{.window}}` placeholders replaced by `window`.
pub fn fill_window(q: &str, window: &str) -> String {
    window_placeholder().replace_all(q, window).into_owned()
}

/// Read every SLO of one spec file. Problems go to `diags` (positions are the file's);
/// SLOs with errors are left out.
pub fn parse(path: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Vec<Slo> {
    let mut out = Vec::new();
    let docs = crate::yaml::parse_documents(text);
    if docs.is_empty() {
        diags.push(Diagnostic::error(path, Pos::new(1, 1), VERSION, "the file holds no SLO spec"));
    }
    for doc in docs {
        let tree = match doc.tree {
            Ok(t) => t,
            Err(e) => {
                diags.push(Diagnostic::error(path, e.pos, YAML_SYNTAX, e.message));
                continue;
            }
        };
        let mut ctx = Ctx::new(path, diags);
        let before = ctx.error_count();
        let slos = if tree.get("apiVersion").is_some() {
            openslo(&mut ctx, &tree)
        } else {
            sloth(&mut ctx, &tree, doc.first_line)
        };
        for s in &slos {
            check_queries(&mut ctx, s);
        }
        if ctx.error_count() == before {
            out.extend(slos);
        }
    }
    // The same SLO twice would give the same rule names twice.
    let mut seen: BTreeMap<String, Pos> = BTreeMap::new();
    for s in &out {
        if let Some(first) = seen.insert(s.id(), s.pos) {
            diags.push(Diagnostic::error(
                path,
                s.pos,
                NAME,
                format!("SLO `{}` is already defined at line {}", s.id(), first.line),
            ));
        }
    }
    out
}

fn labels(ctx: &mut Ctx<'_>, node: Option<&Node>, what: &str) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    if let Some(node) = node
        && let Some(entries) = ctx.free_map(node, what)
    {
        for (k, v) in entries {
            if let Some(s) = ctx.string(v, &format!("{what} `{}`", k.name)) {
                m.insert(k.name.clone(), s.to_string());
            }
        }
    }
    m
}

fn required_str(ctx: &mut Ctx<'_>, f: &Fields<'_>, name: &str, what: &str) -> Option<String> {
    let v = ctx.require(f, name, what)?;
    let s = ctx.string(v, &format!("{what} `{name}`"))?;
    if s.trim().is_empty() {
        ctx.error(v.pos, MISSING_FIELD, format!("{what}: `{name}` is empty"));
        return None;
    }
    Some(s.to_string())
}

/// A name used in rule group names and label values: no spaces or control characters.
fn check_name(ctx: &mut Ctx<'_>, name: &str, pos: Pos, what: &str) {
    if name.chars().any(|c| c.is_whitespace() || c.is_control()) || name.len() > 128 {
        ctx.error(
            pos,
            NAME,
            format!(
                "{what} `{}` must be at most 128 characters without spaces",
                name.escape_debug()
            ),
        );
    }
}

fn sloth(ctx: &mut Ctx<'_>, tree: &Node, first_line: u32) -> Vec<Slo> {
    let Some(f) = ctx.map(tree, "SLO spec", &["version", "service", "labels", "slos"]) else {
        return Vec::new();
    };
    match f.get("version") {
        None => {
            ctx.push(
                Diagnostic::error(
                    ctx.path,
                    Pos::new(first_line, 1),
                    VERSION,
                    "SLO spec: `version` is missing",
                )
                .with_help("Sloth specs start with `version: \"prometheus/v1\"`; OpenSLO with `apiVersion: openslo/v1alpha`"),
            );
            return Vec::new();
        }
        Some(v) => {
            let s = v.scalar_text().unwrap_or("");
            if s != SLOTH_V1 {
                ctx.push(
                    Diagnostic::error(
                        ctx.path,
                        v.pos,
                        VERSION,
                        format!("unknown SLO spec version `{}`", s.escape_debug()),
                    )
                    .with_help(format!(
                        "supported: `{SLOTH_V1}` (Sloth), `apiVersion: {OPENSLO_V1ALPHA}` (OpenSLO)"
                    )),
                );
                return Vec::new();
            }
        }
    }
    let service = required_str(ctx, &f, "service", "SLO spec");
    if let (Some(s), Some(n)) = (&service, f.get("service")) {
        check_name(ctx, s, n.pos, "service");
    }
    let svc_labels = labels(ctx, f.get("labels"), "labels");
    let Some(slos_node) = ctx.require(&f, "slos", "SLO spec") else { return Vec::new() };
    let Some(items) = ctx.list(slos_node, "slos") else { return Vec::new() };
    if items.is_empty() {
        ctx.error(slos_node.pos, MISSING_FIELD, "slos: the list is empty");
    }
    let mut out = Vec::new();
    for item in items {
        if let Some(s) = sloth_slo(ctx, item, service.as_deref().unwrap_or(""), &svc_labels) {
            out.push(s);
        }
    }
    if service.is_none() { Vec::new() } else { out }
}

fn sloth_slo(
    ctx: &mut Ctx<'_>,
    node: &Node,
    service: &str,
    svc_labels: &BTreeMap<String, String>,
) -> Option<Slo> {
    let f =
        ctx.map(node, "slo", &["name", "objective", "description", "labels", "sli", "alerting"])?;
    let name = required_str(ctx, &f, "name", "slo");
    if let (Some(n), Some(v)) = (&name, f.get("name")) {
        check_name(ctx, n, v.pos, "SLO name");
    }
    let objective = ctx.require(&f, "objective", "slo").and_then(|v| {
        let o = ctx.float(v, "slo `objective`")?;
        if o > 0.0 && o < 100.0 {
            Some(o)
        } else {
            ctx.push(
                Diagnostic::error(
                    ctx.path,
                    v.pos,
                    OBJECTIVE,
                    format!("objective {o} is outside (0, 100): it is a percentage, e.g. 99.9"),
                )
                .with_help("100 would leave no error budget; 0 would promise nothing"),
            );
            None
        }
    });
    let description = match f.get("description") {
        Some(v) => ctx.string(v, "slo `description`").unwrap_or("").to_string(),
        None => String::new(),
    };
    let mut all_labels = svc_labels.clone();
    all_labels.extend(labels(ctx, f.get("labels"), "slo labels"));
    let sli = ctx.require(&f, "sli", "slo").and_then(|v| sloth_sli(ctx, v));
    let alerting = match f.get("alerting") {
        Some(a) => alerting(ctx, a)?,
        None => Alerting::default(),
    };
    Some(Slo {
        service: service.to_string(),
        name: name?,
        description,
        objective: objective?,
        labels: all_labels,
        sli: sli?,
        alerting,
        format: Format::Sloth,
        period_ms: None,
        pos: node.pos,
    })
}

fn query(ctx: &mut Ctx<'_>, f: &Fields<'_>, name: &str, what: &str) -> Option<String> {
    let v = ctx.require(f, name, what)?;
    let q = ctx.string(v, &format!("{what} `{name}`"))?;
    if !window_placeholder().is_match(q) {
        ctx.push(
            Diagnostic::error(
                ctx.path,
                v.pos,
                WINDOW_TEMPLATE,
                format!("{what} `{name}` has no `{{{{.window}}}}`: the query must be evaluated over each alert window"),
            )
            .with_help("write the range as `[{{.window}}]`, e.g. rate(http_requests_total[{{.window}}])"),
        );
        return None;
    }
    Some(q.to_string())
}

fn sloth_sli(ctx: &mut Ctx<'_>, node: &Node) -> Option<Sli> {
    let f = ctx.map(node, "sli", &["events", "raw", "plugin"])?;
    let kinds = ["events", "raw", "plugin"].iter().filter(|k| f.has(k)).count();
    if kinds != 1 {
        ctx.error(node.pos, MISSING_FIELD, "sli: exactly one of `events` or `raw` is required");
        return None;
    }
    if let Some(p) = f.get("plugin") {
        ctx.error(
            p.pos,
            BAD_VALUE,
            "sli: Sloth SLI plugins are not supported; use `events` or `raw`",
        );
        return None;
    }
    if let Some(e) = f.get("events") {
        let ef = ctx.map(e, "sli.events", &["error_query", "total_query"])?;
        let error = query(ctx, &ef, "error_query", "sli.events");
        let total = query(ctx, &ef, "total_query", "sli.events");
        return Some(Sli::Events { error: error?, total: total? });
    }
    let r = f.get("raw")?;
    let rf = ctx.map(r, "sli.raw", &["error_ratio_query"])?;
    Some(Sli::Raw { error_ratio: query(ctx, &rf, "error_ratio_query", "sli.raw")? })
}

fn alert_spec(ctx: &mut Ctx<'_>, node: Option<&Node>, what: &str) -> Option<Option<AlertSpec>> {
    let Some(node) = node else { return Some(Some(AlertSpec::default())) };
    let f = ctx.map(node, what, &["disable", "labels", "annotations"])?;
    if let Some(d) = f.get("disable")
        && ctx.bool(d, &format!("{what} `disable`"))?
    {
        return Some(None);
    }
    Some(Some(AlertSpec {
        labels: labels(ctx, f.get("labels"), &format!("{what} labels")),
        annotations: labels(ctx, f.get("annotations"), &format!("{what} annotations")),
    }))
}

fn alerting(ctx: &mut Ctx<'_>, node: &Node) -> Option<Alerting> {
    let f = ctx.map(
        node,
        "alerting",
        &["name", "labels", "annotations", "page_alert", "ticket_alert"],
    )?;
    let name = match f.get("name") {
        Some(v) => {
            let s = ctx.string(v, "alerting `name`")?;
            if crate::lint::promql::parse(&format!("{s} == 1")).is_err() || s.contains(['{', ' ']) {
                ctx.error(
                    v.pos,
                    NAME,
                    format!("alerting `name` `{}` is not a valid alert name", s.escape_debug()),
                );
                return None;
            }
            Some(s.to_string())
        }
        None => None,
    };
    let labels_ = labels(ctx, f.get("labels"), "alerting labels");
    let annotations = labels(ctx, f.get("annotations"), "alerting annotations");
    let page = alert_spec(ctx, f.get("page_alert"), "page_alert")?;
    let ticket = alert_spec(ctx, f.get("ticket_alert"), "ticket_alert")?;
    Some(Alerting { name, labels: labels_, annotations, page, ticket })
}

fn openslo(ctx: &mut Ctx<'_>, tree: &Node) -> Vec<Slo> {
    let Some(f) = ctx.map(tree, "OpenSLO document", &["apiVersion", "kind", "metadata", "spec"])
    else {
        return Vec::new();
    };
    if let Some(v) = f.get("apiVersion") {
        let s = v.scalar_text().unwrap_or("");
        if s != OPENSLO_V1ALPHA {
            ctx.push(
                Diagnostic::error(
                    ctx.path,
                    v.pos,
                    VERSION,
                    format!("unknown apiVersion `{}`", s.escape_debug()),
                )
                .with_help(format!(
                    "supported: `{OPENSLO_V1ALPHA}` (OpenSLO), `version: {SLOTH_V1}` (Sloth)"
                )),
            );
            return Vec::new();
        }
    }
    match f.get("kind") {
        Some(k) if k.scalar_text() == Some("SLO") => {}
        Some(k) => {
            ctx.error(
                k.pos,
                VERSION,
                format!(
                    "kind `{}`: only `SLO` documents hold objectives",
                    crate::lint::schema::show(k)
                ),
            );
            return Vec::new();
        }
        None => {
            ctx.error(f.pos(), MISSING_FIELD, "OpenSLO document: `kind` is required");
            return Vec::new();
        }
    }
    let meta = ctx.require(&f, "metadata", "OpenSLO document");
    let name = meta.and_then(|m| {
        let mf = ctx.map(m, "metadata", &["name", "displayName", "labels", "annotations"])?;
        let n = required_str(ctx, &mf, "name", "metadata")?;
        check_name(ctx, &n, mf.get("name")?.pos, "metadata.name");
        Some(n)
    });
    let Some(spec) = ctx.require(&f, "spec", "OpenSLO document") else { return Vec::new() };
    let Some(sf) = ctx.map(
        spec,
        "spec",
        &["service", "description", "budgetingMethod", "objectives", "timeWindows", "indicator"],
    ) else {
        return Vec::new();
    };
    let service = required_str(ctx, &sf, "service", "spec");
    if let (Some(s), Some(n)) = (&service, sf.get("service")) {
        check_name(ctx, s, n.pos, "spec.service");
    }
    let description = match sf.get("description") {
        Some(v) => ctx.string(v, "spec `description`").unwrap_or("").to_string(),
        None => String::new(),
    };
    if let Some(b) = sf.get("budgetingMethod") {
        ctx.one_of(b, "spec `budgetingMethod`", &["Occurrences"]);
    }
    let period_ms = sf.get("timeWindows").and_then(|tw| time_windows(ctx, tw));
    let Some(objs) = ctx.require(&sf, "objectives", "spec").and_then(|o| ctx.list(o, "objectives"))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        let Some(of) = ctx.map(o, "objective", &["displayName", "value", "target", "ratioMetrics"])
        else {
            continue;
        };
        let target = ctx.require(&of, "target", "objective").and_then(|v| {
            let t = ctx.float(v, "objective `target`")?;
            if t > 0.0 && t < 1.0 {
                Some(t)
            } else {
                ctx.error(
                    v.pos,
                    OBJECTIVE,
                    format!("target {t} is outside (0, 1): it is a ratio, e.g. 0.999"),
                );
                None
            }
        });
        let sli = ctx.require(&of, "ratioMetrics", "objective").and_then(|rm| {
            let rf = ctx.map(rm, "ratioMetrics", &["good", "total", "counter", "incremental"])?;
            let mut q = |key: &str| -> Option<String> {
                let m = ctx.require(&rf, key, "ratioMetrics")?;
                let mf = ctx.map(
                    m,
                    &format!("ratioMetrics.{key}"),
                    &["source", "queryType", "query", "metricSource"],
                )?;
                if let Some(s) = mf.get("source") {
                    ctx.one_of(s, &format!("ratioMetrics.{key} `source`"), &["prometheus"])?;
                }
                query(ctx, &mf, "query", &format!("ratioMetrics.{key}"))
            };
            let good = q("good");
            let total = q("total");
            Some(Sli::GoodTotal { good: good?, total: total? })
        });
        if let (Some(name), Some(service), Some(target), Some(sli)) = (&name, &service, target, sli)
        {
            out.push(Slo {
                service: service.clone(),
                name: format!("{name}-{i}"),
                description: description.clone(),
                objective: target * 100.0,
                labels: BTreeMap::new(),
                sli,
                alerting: Alerting::default(),
                format: Format::OpenSlo,
                period_ms,
                pos: o.pos,
            });
        }
    }
    out
}

fn time_windows(ctx: &mut Ctx<'_>, node: &Node) -> Option<u64> {
    let items = ctx.list(node, "timeWindows")?;
    if items.len() > 1 {
        ctx.error(items[1].pos, PERIOD, "timeWindows: only one time window per SLO is supported");
    }
    let w = items.first()?;
    let f = ctx.map(w, "timeWindows item", &["count", "unit", "isRolling", "calendar"])?;
    let count = ctx
        .require(&f, "count", "timeWindows item")
        .and_then(|c| ctx.int(c, "timeWindows `count`", 1, 3650));
    let unit = ctx
        .require(&f, "unit", "timeWindows item")
        .and_then(|u| ctx.one_of(u, "timeWindows `unit`", &["Day", "Week"]));
    let unit_ms = match unit? {
        "Week" => 7 * MS_DAY,
        _ => MS_DAY,
    };
    Some(count? as u64 * unit_ms)
}

/// Each query must be PromQL once a window is filled in (checked with the shortest window).
fn check_queries(ctx: &mut Ctx<'_>, slo: &Slo) {
    let qs: Vec<&String> = match &slo.sli {
        Sli::Events { error, total } => vec![error, total],
        Sli::Raw { error_ratio } => vec![error_ratio],
        Sli::GoodTotal { good, total } => vec![good, total],
    };
    for q in qs {
        if let Err(e) = crate::lint::promql::parse(&fill_window(q, "5m")) {
            ctx.error(
                slo.pos,
                QUERY,
                format!("SLO `{}`: the SLI query is not valid PromQL: {}", slo.name, e.message),
            );
        }
    }
}

/// A Prometheus duration in its shortest whole unit (`300000` → `5m`, `86400000` → `1d`).
pub fn format_duration(ms: u64) -> String {
    const UNITS: [(&str, u64); 5] =
        [("d", MS_DAY), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)];
    if ms == 0 {
        return "0s".into();
    }
    for (u, n) in UNITS {
        if ms.is_multiple_of(n) {
            return format!("{}{u}", ms / n);
        }
    }
    format!("{ms}ms")
}

/// A duration flag or field (`30d`, `4w`), in milliseconds, at least a minute.
pub fn parse_period(s: &str) -> Result<u64, String> {
    let ms = parse_duration(s.trim())?;
    if ms < 60_000 {
        return Err(format!("{s:?} is shorter than a minute"));
    }
    Ok(ms)
}

#[cfg(test)]
#[path = "spec_tests.rs"]
mod tests;
