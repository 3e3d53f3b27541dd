//! Rule unit-test files, promtool's format (`promtool test rules`): the strict schema with a
//! position on every value, read into a [`TestFile`] that `stellar-obs test rules` runs and
//! `validate` checks (rule files that do not exist, alert names no rule file defines).
//!
//! Upstream reads these files with `yaml.UnmarshalStrict`: unknown fields are errors, and
//! `--ignore-unknown-fields` only applies to the rule files under test.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::lint::check::Check;
use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::lint::schema::values;
use crate::lint::schema::{BAD_VALUE, Ctx, Fields, parse_duration};
use crate::lint::source::Source;
use crate::yaml::{Node, Pos};

pub const RULE_FILE: &str = "test/rule-file";
pub const UNKNOWN_ALERT: &str = "test/unknown-alert";
pub const UNKNOWN_GROUP: &str = "test/unknown-group";
pub const SERIES: &str = "test/series";
pub const EXPR: &str = "test/promql";
pub const ALERTNAME: &str = "test/alertname";

/// The checks of this module.
pub const CHECKS: &[Check] = &[
    Check {
        id: RULE_FILE,
        severity: Severity::Error,
        summary: "A rule unit-test file names a rule file that does not exist (a pattern that matches nothing is a warning), or one that is not valid.",
    },
    Check {
        id: UNKNOWN_ALERT,
        severity: Severity::Error,
        summary: "An `alert_rule_test` names an alert that no rule file under test defines.",
    },
    Check {
        id: UNKNOWN_GROUP,
        severity: Severity::Error,
        summary: "`group_eval_order` names a group twice, or a group that no rule file under test defines.",
    },
    Check {
        id: SERIES,
        severity: Severity::Error,
        summary: "An `input_series` entry whose series or values (expanding notation) do not parse.",
    },
    Check {
        id: EXPR,
        severity: Severity::Error,
        summary: "A `promql_expr_test` expression, or the labels of an expected sample, that do not parse.",
    },
    Check {
        id: ALERTNAME,
        severity: Severity::Error,
        summary: "An `alert_rule_test` item without `alertname`.",
    },
];

/// A string value with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub v: String,
    pub pos: Pos,
}

/// One `input_series` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct InputSeries {
    pub series: Text,
    pub values: Text,
    pub pos: Pos,
}

/// One `exp_alerts` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpAlert {
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub pos: Pos,
}

/// One `alert_rule_test` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertTest {
    pub eval_time_ms: i64,
    /// `eval_time` as written (for messages).
    pub eval_time: String,
    pub alertname: Text,
    pub exp_alerts: Vec<ExpAlert>,
    /// Where `exp_alerts` is written (or the item, when it is missing).
    pub exp_pos: Pos,
    pub pos: Pos,
}

/// One `exp_samples` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpSample {
    pub labels: Text,
    pub value: f64,
    /// A native-histogram expectation (`{{...}}`), as written.
    pub histogram: Option<Text>,
    pub pos: Pos,
}

/// One `promql_expr_test` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct ExprTest {
    pub expr: Text,
    pub eval_time_ms: i64,
    pub eval_time: String,
    pub exp_samples: Vec<ExpSample>,
    pub exp_pos: Pos,
    pub pos: Pos,
}

/// One entry of `tests:` (a test group).
#[derive(Debug, Clone, PartialEq)]
pub struct TestGroup {
    /// `name`, empty when not given.
    pub name: String,
    pub pos: Pos,
    /// `interval`; `None` means the file's evaluation interval.
    pub interval_ms: Option<i64>,
    pub input_series: Vec<InputSeries>,
    pub alert_tests: Vec<AlertTest>,
    pub expr_tests: Vec<ExprTest>,
    pub external_labels: BTreeMap<String, String>,
    pub external_url: String,
    /// `start_timestamp` in milliseconds since the epoch (0 when not given).
    pub start_ms: i64,
}

/// A rule unit-test file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TestFile {
    /// `rule_files` as written.
    pub rule_files: Vec<Text>,
    /// The files they match, resolved against the test file's directory, in order, with
    /// the position of the pattern that matched them.
    pub rule_paths: Vec<(PathBuf, Pos)>,
    pub evaluation_interval_ms: i64,
    pub group_eval_order: Vec<Text>,
    pub fuzzy_compare: bool,
    pub tests: Vec<TestGroup>,
}

const TOP: &[&str] =
    &["rule_files", "evaluation_interval", "group_eval_order", "tests", "fuzzy_compare"];
const GROUP: &[&str] = &[
    "interval",
    "input_series",
    "alert_rule_test",
    "promql_expr_test",
    "external_labels",
    "external_url",
    "name",
    "start_timestamp",
];

/// Default `evaluation_interval` (promtool's).
pub const DEFAULT_INTERVAL_MS: i64 = 60_000;

/// Does this parsed YAML look like a rule unit-test file?
pub fn looks_like(tree: &Node) -> bool {
    tree.get("tests").is_some() && tree.get("groups").is_none()
}

/// Read a test file's tree into a [`TestFile`], reporting every schema problem. Rule file
/// patterns are expanded (a pattern that matches nothing is an error when it has no `*`,
/// a warning otherwise).
pub fn parse(src: &Source, tree: &Node, diags: &mut Vec<Diagnostic>) -> TestFile {
    let mut ctx = Ctx::new(&src.display, diags);
    let mut out = TestFile { evaluation_interval_ms: DEFAULT_INTERVAL_MS, ..Default::default() };
    let Some(top) = ctx.map(tree, "test file", TOP) else { return out };
    if let Some(n) = top.get("rule_files")
        && let Some(list) = ctx.strings(n, "rule_files")
    {
        for (p, pos) in list {
            out.rule_files.push(Text { v: p.to_string(), pos });
            let full = src.resolve(p);
            let full_s = full.to_string_lossy().into_owned();
            match values::glob(&full_s) {
                Err(values::BadPattern) => ctx.error(
                    pos,
                    RULE_FILE,
                    format!("invalid rule file pattern {p:?}: syntax error in pattern"),
                ),
                Ok(found) if found.is_empty() => {
                    if values::has_glob_meta(p) {
                        ctx.warning(pos, RULE_FILE, format!("no file matches the pattern {p:?}"));
                    } else {
                        ctx.error(
                            pos,
                            RULE_FILE,
                            format!("rule file {p:?} does not exist (looked for {full_s})"),
                        );
                    }
                }
                Ok(found) => out.rule_paths.extend(found.into_iter().map(|f| (f, pos))),
            }
        }
    }
    if let Some(n) = top.get("evaluation_interval")
        && let Some(ms) = duration(&mut ctx, n, "evaluation_interval")
        && ms > 0
    {
        out.evaluation_interval_ms = ms;
    }
    if let Some(n) = top.get("group_eval_order")
        && let Some(list) = ctx.strings(n, "group_eval_order")
    {
        let mut seen: BTreeMap<&str, Pos> = BTreeMap::new();
        for (g, pos) in list {
            if let Some(first) = seen.get(g) {
                ctx.error(
                    pos,
                    UNKNOWN_GROUP,
                    format!(
                        "group name repeated in evaluation order: {g} (first at line {})",
                        first.line
                    ),
                );
            } else {
                seen.insert(g, pos);
            }
            out.group_eval_order.push(Text { v: g.to_string(), pos });
        }
    }
    if let Some(n) = top.get("fuzzy_compare") {
        out.fuzzy_compare = ctx.bool(n, "fuzzy_compare").unwrap_or(false);
    }
    if let Some(n) = top.get("tests")
        && let Some(items) = ctx.list(n, "tests")
    {
        for item in items {
            if let Some(g) = group(&mut ctx, item) {
                out.tests.push(g);
            }
        }
    }
    out
}

/// `validate` on a test file: the schema, then what can be known without running it:
/// rule files that exist, alert and group names those files define, input series and
/// expressions that parse.
pub fn check(src: &Source, tree: &Node, diags: &mut Vec<Diagnostic>) {
    let file = parse(src, tree, diags);
    let mut alerts: Vec<String> = Vec::new();
    let mut groups: Vec<String> = Vec::new();
    let mut readable = true;
    for (path, _) in &file.rule_paths {
        let Some(t) = std::fs::read_to_string(path).ok().and_then(|t| crate::yaml::parse(&t).ok())
        else {
            // The file itself is reported when it is checked (or by `test rules`).
            readable = false;
            continue;
        };
        for g in t.get("groups").and_then(Node::as_seq).unwrap_or(&[]) {
            groups.extend(g.get("name").and_then(Node::scalar_text).map(str::to_string));
            for r in g.get("rules").and_then(Node::as_seq).unwrap_or(&[]) {
                alerts.extend(r.get("alert").and_then(Node::scalar_text).map(str::to_string));
            }
        }
    }
    // Names are only checked when every rule file was found and read (a missing one is
    // reported on its own).
    let all_found = readable
        && file.rule_files.iter().all(|f| file.rule_paths.iter().any(|(_, p)| *p == f.pos));
    for g in &file.group_eval_order {
        if all_found && !groups.contains(&g.v) {
            diags.push(Diagnostic::error(
                &src.display,
                g.pos,
                UNKNOWN_GROUP,
                format!("group_eval_order names {:?}, which no rule file under test defines", g.v),
            ));
        }
    }
    for t in &file.tests {
        for s in &t.input_series {
            let line = format!("{} {}", s.series.v, s.values.v);
            // Native-histogram literals are read by `test rules` itself (test/histogram.rs).
            if let Err(e) = crate::promql::series::parse_series_line(&line)
                && e.kind != crate::promql::series::SeriesErrorKind::NativeHistogram
            {
                let n = s.series.v.chars().count();
                let pos = if e.column <= n + 1 {
                    Pos::new(s.series.pos.line, s.series.pos.col + e.column as u32 - 1)
                } else {
                    Pos::new(
                        s.values.pos.line,
                        s.values.pos.col + e.column.saturating_sub(n + 2) as u32,
                    )
                };
                diags.push(Diagnostic::error(
                    &src.display,
                    pos,
                    SERIES,
                    format!("input series: {}", e.message),
                ));
            }
        }
        for a in &t.alert_tests {
            if all_found && !alerts.contains(&a.alertname.v) {
                let mut d = Diagnostic::error(
                    &src.display,
                    a.alertname.pos,
                    UNKNOWN_ALERT,
                    format!(
                        "alertname {:?}: no alerting rule of that name in the rule files under test",
                        a.alertname.v
                    ),
                );
                let known: Vec<&str> = alerts.iter().map(String::as_str).collect();
                if let Some(h) = crate::lint::schema::did_you_mean(&a.alertname.v, &known) {
                    d = d.with_help(format!("did you mean `{h}`?"));
                }
                diags.push(d);
            }
        }
        for e in &t.expr_tests {
            if let Err(err) = promql_parser::parser::parse(&e.expr.v) {
                diags.push(Diagnostic::error(
                    &src.display,
                    e.expr.pos,
                    EXPR,
                    format!("expr {:?}: {err}", e.expr.v),
                ));
            }
            for s in &e.exp_samples {
                if s.labels.v.trim().is_empty() {
                    continue;
                }
                match crate::promql::series::parse_series_labels(&s.labels.v) {
                    Ok((_, used)) if s.labels.v[used..].trim().is_empty() => {}
                    Ok(_) => diags.push(Diagnostic::error(
                        &src.display,
                        s.labels.pos,
                        EXPR,
                        format!("labels {:?}: unexpected text after the label set", s.labels.v),
                    )),
                    Err(err) => diags.push(Diagnostic::error(
                        &src.display,
                        s.labels.pos,
                        EXPR,
                        format!("labels {:?}: {}", s.labels.v, err.message),
                    )),
                }
            }
        }
    }
}

/// A Prometheus duration field in milliseconds.
fn duration(ctx: &mut Ctx<'_>, n: &Node, what: &str) -> Option<i64> {
    let s = ctx.string(n, what)?;
    match parse_duration(s) {
        Ok(ms) => i64::try_from(ms).ok(),
        Err(e) => {
            ctx.error(n.pos, BAD_VALUE, format!("{what}: {e}"));
            None
        }
    }
}

fn text(ctx: &mut Ctx<'_>, f: &Fields<'_>, name: &str, what: &str) -> Option<Text> {
    let n = f.get(name)?;
    let v = ctx.string(n, what)?;
    Some(Text { v: v.to_string(), pos: n.pos })
}

fn string_map(ctx: &mut Ctx<'_>, n: &Node, what: &str) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    for (k, v) in ctx.free_map(n, what).unwrap_or(&[]) {
        if let Some(s) = ctx.string(v, what) {
            m.insert(k.name.clone(), s.to_string());
        }
    }
    m
}

/// `start_timestamp`: RFC 3339 or Unix seconds (integer or decimal).
fn start_timestamp(ctx: &mut Ctx<'_>, n: &Node) -> Option<i64> {
    let s = ctx.string(n, "start_timestamp")?.trim();
    if let Ok(secs) = s.parse::<f64>()
        && secs.is_finite()
        && secs.abs() < 9.2e15
    {
        return Some((secs * 1000.0).round() as i64);
    }
    match time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339) {
        Ok(t) => Some((t.unix_timestamp_nanos() / 1_000_000) as i64),
        Err(_) => {
            ctx.error(
                n.pos,
                BAD_VALUE,
                format!(
                    "start_timestamp: {s:?} is neither an RFC 3339 time nor a Unix timestamp in seconds"
                ),
            );
            None
        }
    }
}

fn group(ctx: &mut Ctx<'_>, item: &Node) -> Option<TestGroup> {
    let f = ctx.map(item, "test group", GROUP)?;
    let mut g = TestGroup {
        name: text(ctx, &f, "name", "name").map(|t| t.v).unwrap_or_default(),
        pos: item.pos,
        interval_ms: None,
        input_series: Vec::new(),
        alert_tests: Vec::new(),
        expr_tests: Vec::new(),
        external_labels: BTreeMap::new(),
        external_url: text(ctx, &f, "external_url", "external_url")
            .map(|t| t.v)
            .unwrap_or_default(),
        start_ms: 0,
    };
    if let Some(n) = f.get("interval") {
        g.interval_ms = duration(ctx, n, "interval").filter(|ms| *ms > 0);
    }
    if let Some(n) = f.get("start_timestamp") {
        g.start_ms = start_timestamp(ctx, n).unwrap_or(0);
    }
    if let Some(n) = f.get("external_labels") {
        g.external_labels = string_map(ctx, n, "external_labels");
    }
    for s in f.get("input_series").and_then(|n| ctx.list(n, "input_series")).unwrap_or(&[]) {
        let Some(sf) = ctx.map(s, "input series", &["series", "values"]) else { continue };
        let series = text(ctx, &sf, "series", "series");
        let values = text(ctx, &sf, "values", "values");
        match series {
            Some(series) => g.input_series.push(InputSeries {
                series,
                values: values.unwrap_or(Text { v: String::new(), pos: s.pos }),
                pos: s.pos,
            }),
            None => ctx.error(s.pos, SERIES, "input series: `series` is required"),
        }
    }
    for a in f.get("alert_rule_test").and_then(|n| ctx.list(n, "alert_rule_test")).unwrap_or(&[]) {
        if let Some(t) = alert_test(ctx, a) {
            g.alert_tests.push(t);
        }
    }
    for e in f.get("promql_expr_test").and_then(|n| ctx.list(n, "promql_expr_test")).unwrap_or(&[])
    {
        if let Some(t) = expr_test(ctx, e) {
            g.expr_tests.push(t);
        }
    }
    Some(g)
}

fn eval_time(ctx: &mut Ctx<'_>, f: &Fields<'_>) -> (i64, String) {
    match f.get("eval_time") {
        Some(n) => {
            let written = n.scalar_text().unwrap_or("0").to_string();
            (duration(ctx, n, "eval_time").unwrap_or(0), written)
        }
        None => (0, "0s".into()),
    }
}

fn alert_test(ctx: &mut Ctx<'_>, a: &Node) -> Option<AlertTest> {
    let f = ctx.map(a, "alert_rule_test item", &["eval_time", "alertname", "exp_alerts"])?;
    let (eval_time_ms, eval_time) = eval_time(ctx, &f);
    let alertname = text(ctx, &f, "alertname", "alertname").filter(|t| !t.v.is_empty());
    let Some(alertname) = alertname else {
        ctx.error(
            a.pos,
            ALERTNAME,
            format!("an item under alert_rule_test misses required attribute alertname at eval_time {eval_time}"),
        );
        return None;
    };
    let mut exp_alerts = Vec::new();
    let exp_node = f.get("exp_alerts");
    for e in exp_node.and_then(|n| ctx.list(n, "exp_alerts")).unwrap_or(&[]) {
        let Some(ef) = ctx.map(e, "expected alert", &["exp_labels", "exp_annotations"]) else {
            continue;
        };
        exp_alerts.push(ExpAlert {
            labels: ef
                .get("exp_labels")
                .map(|n| string_map(ctx, n, "exp_labels"))
                .unwrap_or_default(),
            annotations: ef
                .get("exp_annotations")
                .map(|n| string_map(ctx, n, "exp_annotations"))
                .unwrap_or_default(),
            pos: e.pos,
        });
    }
    Some(AlertTest {
        eval_time_ms,
        eval_time,
        alertname,
        exp_alerts,
        exp_pos: exp_node.map_or(a.pos, |n| n.pos),
        pos: a.pos,
    })
}

fn expr_test(ctx: &mut Ctx<'_>, e: &Node) -> Option<ExprTest> {
    let f = ctx.map(e, "promql_expr_test item", &["expr", "eval_time", "exp_samples"])?;
    let (eval_time_ms, eval_time) = eval_time(ctx, &f);
    let expr = text(ctx, &f, "expr", "expr").unwrap_or(Text { v: String::new(), pos: e.pos });
    let mut exp_samples = Vec::new();
    let exp_node = f.get("exp_samples");
    for s in exp_node.and_then(|n| ctx.list(n, "exp_samples")).unwrap_or(&[]) {
        let Some(sf) = ctx.map(s, "expected sample", &["labels", "value", "histogram"]) else {
            continue;
        };
        let labels =
            text(ctx, &sf, "labels", "labels").unwrap_or(Text { v: String::new(), pos: s.pos });
        let value = sf.get("value").and_then(|n| float(ctx, n)).unwrap_or(0.0);
        let histogram = text(ctx, &sf, "histogram", "histogram").filter(|t| !t.v.is_empty());
        exp_samples.push(ExpSample { labels, value, histogram, pos: s.pos });
    }
    Some(ExprTest {
        expr,
        eval_time_ms,
        eval_time,
        exp_samples,
        exp_pos: exp_node.map_or(e.pos, |n| n.pos),
        pos: e.pos,
    })
}

/// A sample value as Go's YAML decoder reads a float64 (also `.inf`, `NaN`, `+Inf`).
fn float(ctx: &mut Ctx<'_>, n: &Node) -> Option<f64> {
    if let Some(v) = n.as_f64() {
        return Some(v);
    }
    let s = ctx.string(n, "value")?.trim();
    let lower = s.to_ascii_lowercase();
    let v = match lower.as_str() {
        ".inf" | "+.inf" | "inf" | "+inf" => Some(f64::INFINITY),
        "-.inf" | "-inf" => Some(f64::NEG_INFINITY),
        ".nan" | "nan" => Some(f64::NAN),
        _ => s.parse::<f64>().ok(),
    };
    if v.is_none() {
        ctx.error(
            n.pos,
            crate::lint::schema::WRONG_TYPE,
            format!("value: expected a number, got `{s}`"),
        );
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> (TestFile, Vec<Diagnostic>) {
        let src = Source::memory("t.yml", text);
        let tree = crate::yaml::parse(text).expect("yaml");
        let mut d = Vec::new();
        let f = parse(&src, &tree, &mut d);
        (f, d)
    }

    #[test]
    fn reads_every_field_with_positions() {
        let (f, d) = parse_text(
            "evaluation_interval: 30s\nfuzzy_compare: true\ngroup_eval_order: [a, b]\ntests:\n  - name: one\n    interval: 15s\n    start_timestamp: 1609459200\n    external_labels: {env: prod}\n    external_url: http://x\n    input_series:\n      - series: up{job=\"a\"}\n        values: 1+1x3\n    alert_rule_test:\n      - eval_time: 2m\n        alertname: Down\n        exp_alerts:\n          - exp_labels: {severity: page}\n            exp_annotations: {summary: s}\n    promql_expr_test:\n      - expr: up\n        eval_time: 0\n        exp_samples:\n          - labels: up{job=\"a\"}\n            value: 1\n",
        );
        assert_eq!(d, vec![]);
        assert_eq!(f.evaluation_interval_ms, 30_000);
        assert!(f.fuzzy_compare);
        assert_eq!(f.group_eval_order.len(), 2);
        let g = &f.tests[0];
        assert_eq!(g.name, "one");
        assert_eq!(g.interval_ms, Some(15_000));
        assert_eq!(g.start_ms, 1_609_459_200_000);
        assert_eq!(g.external_labels["env"], "prod");
        assert_eq!(g.input_series[0].values.v, "1+1x3");
        assert_eq!(g.input_series[0].values.pos, Pos::new(12, 17));
        let a = &g.alert_tests[0];
        assert_eq!(a.eval_time_ms, 120_000);
        assert_eq!(a.alertname.v, "Down");
        assert_eq!(a.exp_alerts[0].labels["severity"], "page");
        assert_eq!(a.exp_alerts[0].pos, Pos::new(17, 13));
        let e = &g.expr_tests[0];
        assert_eq!(e.exp_samples[0].value, 1.0);
        assert_eq!(e.exp_samples[0].pos, Pos::new(23, 13));
    }

    #[test]
    fn schema_errors_are_positioned() {
        let (_, d) = parse_text(
            "tests:\n  - interval: 1x\n    bogus: 1\n    alert_rule_test:\n      - eval_time: 1m\n    start_timestamp: yesterday\n",
        );
        let codes: Vec<(&str, u32)> = d.iter().map(|d| (d.code, d.line)).collect();
        assert!(codes.contains(&("yaml/value", 2)), "{d:?}");
        assert!(codes.contains(&("yaml/unknown-field", 3)), "{d:?}");
        assert!(codes.contains(&(ALERTNAME, 5)), "{d:?}");
        assert!(codes.contains(&("yaml/value", 6)), "{d:?}");
    }

    #[test]
    fn missing_rule_files_and_repeated_groups() {
        let (_, d) = parse_text(
            "rule_files: [does-not-exist.yml, 'nothing-*.yml']\ngroup_eval_order: [a, a]\ntests: []\n",
        );
        let got: Vec<(&str, Severity, u32, u32)> =
            d.iter().map(|d| (d.code, d.severity, d.line, d.column)).collect();
        assert!(got.contains(&(RULE_FILE, Severity::Error, 1, 14)), "{d:?}");
        assert!(got.contains(&(RULE_FILE, Severity::Warning, 1, 34)), "{d:?}");
        assert!(got.contains(&(UNKNOWN_GROUP, Severity::Error, 2, 23)), "{d:?}");
    }

    #[test]
    fn validate_finds_unknown_alerts_groups_bad_series_and_expressions() {
        let dir = tempfile::tempdir().expect("tmp");
        let rules = dir.path().join("r.yml");
        std::fs::write(&rules, "groups:\n  - name: g\n    rules:\n      - alert: InstanceDown\n        expr: up == 0\n").expect("write");
        let text = "rule_files: [r.yml]\ngroup_eval_order: [g, h]\ntests:\n  - input_series:\n      - series: up\n        values: 1+1xq\n    alert_rule_test:\n      - alertname: InstanceDwon\n    promql_expr_test:\n      - expr: sum(up\n        exp_samples:\n          - labels: 'up{a=}'\n";
        let t = dir.path().join("t.yml");
        std::fs::write(&t, text).expect("write");
        let src = Source::new("t.yml", &t, text);
        let tree = crate::yaml::parse(text).expect("yaml");
        let mut d = Vec::new();
        check(&src, &tree, &mut d);
        let got: Vec<(&str, u32)> = d.iter().map(|d| (d.code, d.line)).collect();
        assert!(got.contains(&(UNKNOWN_GROUP, 2)), "{d:?}");
        assert!(got.contains(&(SERIES, 6)), "{d:?}");
        assert!(got.contains(&(UNKNOWN_ALERT, 8)), "{d:?}");
        assert!(got.contains(&(EXPR, 10)), "{d:?}");
        assert!(got.contains(&(EXPR, 12)), "{d:?}");
        let a = d.iter().find(|x| x.code == UNKNOWN_ALERT).expect("alert");
        assert_eq!(a.help.as_deref(), Some("did you mean `InstanceDown`?"));
        assert_eq!(d.len(), 5, "{d:?}");
    }

    #[test]
    fn rfc3339_start_and_special_values() {
        let (f, d) = parse_text(
            "tests:\n  - start_timestamp: \"2024-01-01T00:00:00Z\"\n    promql_expr_test:\n      - expr: x\n        exp_samples:\n          - value: \"+Inf\"\n          - value: NaN\n",
        );
        assert_eq!(d, vec![]);
        assert_eq!(f.tests[0].start_ms, 1_704_067_200_000);
        let s = &f.tests[0].expr_tests[0].exp_samples;
        assert_eq!(s[0].value, f64::INFINITY);
        assert!(s[1].value.is_nan());
    }
}
