//! From SLOs to a Prometheus rule file, with the rule names and labels Sloth uses (so
//! dashboards and alerts written for Sloth's rules work on these): SLI recording rules per
//! window, metadata rules, and the multi-window multi-burn-rate page and ticket alerts.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::slo::spec::{Slo, format_duration};
use crate::slo::windows::{BurnWindow, Windows};

/// What the rules say about the generator (`sloth_version` of `sloth_slo_info`).
pub const GENERATOR: &str = concat!("stellar-obs-", env!("CARGO_PKG_VERSION"));

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    Record,
    Alert,
}

/// One rule of a generated group.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub kind: RuleKind,
    pub name: String,
    pub expr: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub name: String,
    pub rules: Vec<Rule>,
}

/// The rule groups of `slo` with `windows`; `extra` labels go on every recording rule
/// (Sloth's `--extra-labels`).
pub fn generate(slo: &Slo, windows: &Windows, extra: &BTreeMap<String, String>) -> Vec<Group> {
    let id = slo.id();
    let mut ids = BTreeMap::new();
    ids.insert("sloth_id".to_string(), id.clone());
    ids.insert("sloth_service".to_string(), slo.service.clone());
    ids.insert("sloth_slo".to_string(), slo.name.clone());
    let sel = selector(&ids);
    let mut base = slo.labels.clone();
    base.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
    base.extend(ids.clone());

    let record = |name: String, expr: String, labels: BTreeMap<String, String>| Rule {
        kind: RuleKind::Record,
        name,
        expr,
        labels,
        annotations: BTreeMap::new(),
    };

    // SLI recording rules: one per alert window, then the period from the shortest one.
    let alert_windows = windows.alert_windows();
    let shortest = format_duration(alert_windows.first().copied().unwrap_or(300_000));
    let period = format_duration(windows.period_ms);
    let mut sli = Vec::new();
    for w in &alert_windows {
        let w = format_duration(*w);
        let mut labels = base.clone();
        labels.insert("sloth_window".into(), w.clone());
        sli.push(record(sli_name(&w), slo.error_ratio_expr(&w), labels));
    }
    if !alert_windows.contains(&windows.period_ms) {
        let mut labels = base.clone();
        labels.insert("sloth_window".into(), period.clone());
        let short = sli_name(&shortest);
        let expr = format!(
            "sum_over_time({short}{sel}[{period}])\n/ ignoring (sloth_window)\ncount_over_time({short}{sel}[{period}])"
        );
        sli.push(record(sli_name(&period), expr, labels));
    }

    // Metadata.
    let objective = slo.objective_ratio();
    let by_id = "on(sloth_id, sloth_slo, sloth_service) group_left";
    let days = windows.period_ms as f64 / 86_400_000.0;
    let mut info = base.clone();
    info.insert("sloth_mode".into(), slo.format.mode().into());
    info.insert("sloth_objective".into(), format!("{}", slo.objective));
    info.insert("sloth_spec".into(), slo.format.spec().into());
    info.insert("sloth_version".into(), GENERATOR.into());
    let meta = vec![
        record("slo:objective:ratio".into(), format!("vector({objective})"), base.clone()),
        record("slo:error_budget:ratio".into(), format!("vector(1-{objective})"), base.clone()),
        record("slo:time_period:days".into(), format!("vector({days})"), base.clone()),
        record(
            "slo:current_burn_rate:ratio".into(),
            format!("{}{sel}\n/ {by_id}\nslo:error_budget:ratio{sel}", sli_name(&shortest)),
            base.clone(),
        ),
        record(
            "slo:period_burn_rate:ratio".into(),
            format!("{}{sel}\n/ {by_id}\nslo:error_budget:ratio{sel}", sli_name(&period)),
            base.clone(),
        ),
        record(
            "slo:period_error_budget_remaining:ratio".into(),
            format!("1 - slo:period_burn_rate:ratio{sel}"),
            base.clone(),
        ),
        record("sloth_slo_info".into(), "vector(1)".into(), info),
    ];

    let mut groups = vec![
        Group { name: format!("sloth-slo-sli-recordings-{id}"), rules: sli },
        Group { name: format!("sloth-slo-meta-recordings-{id}"), rules: meta },
    ];
    let alerts = alerts(slo, windows, &sel);
    if !alerts.is_empty() {
        groups.push(Group { name: format!("sloth-slo-alerts-{id}"), rules: alerts });
    }
    groups
}

/// `slo:sli_error:ratio_rate<window>`.
pub fn sli_name(window: &str) -> String {
    format!("slo:sli_error:ratio_rate{window}")
}

/// `{k="v", ...}` with PromQL string escaping.
pub fn selector(labels: &BTreeMap<String, String>) -> String {
    let parts: Vec<String> =
        labels.iter().map(|(k, v)| format!("{k}={}", promql_string(v))).collect();
    format!("{{{}}}", parts.join(", "))
}

/// A PromQL double-quoted string.
pub fn promql_string(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn condition(windows: &Windows, w: &BurnWindow, sel: &str, budget: f64) -> String {
    let f = windows.factor(w);
    let one = |ms: u64| {
        format!(
            "max({}{sel} > ({f} * {budget})) without (sloth_window)",
            sli_name(&format_duration(ms))
        )
    };
    format!("(\n    {}\n    and\n    {}\n)", one(w.short_ms), one(w.long_ms))
}

fn alerts(slo: &Slo, windows: &Windows, sel: &str) -> Vec<Rule> {
    let a = &slo.alerting;
    let Some(name) = &a.name else { return Vec::new() };
    let budget = slo.error_budget();
    let mut out = Vec::new();
    for (severity, spec, quick, slow) in [
        ("page", &a.page, &windows.page_quick, &windows.page_slow),
        ("ticket", &a.ticket, &windows.ticket_quick, &windows.ticket_slow),
    ] {
        let Some(spec) = spec else { continue };
        let expr = format!(
            "{}\nor\n{}",
            condition(windows, quick, sel, budget),
            condition(windows, slow, sel, budget)
        );
        let mut labels = a.labels.clone();
        labels.extend(spec.labels.clone());
        labels.insert("sloth_severity".into(), severity.into());
        let mut annotations = BTreeMap::new();
        annotations.insert(
            "summary".to_string(),
            "{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.".to_string(),
        );
        annotations.insert(
            "title".to_string(),
            format!("({severity}) {{{{$labels.sloth_service}}}} {{{{$labels.sloth_slo}}}} SLO error budget burn rate is too fast."),
        );
        annotations.extend(a.annotations.clone());
        annotations.extend(spec.annotations.clone());
        out.push(Rule { kind: RuleKind::Alert, name: name.clone(), expr, labels, annotations });
    }
    out
}

/// The rule file as YAML: `groups:` with each rule's record/alert, expr, labels and
/// annotations. Strings are written so that any content survives (block scalars for
/// multi-line expressions, JSON-style quoting otherwise).
pub fn render(groups: &[Group]) -> String {
    let mut s = String::from("groups:\n");
    for g in groups {
        let _ = writeln!(s, "- name: {}", scalar(&g.name, 2));
        s.push_str("  rules:\n");
        for r in &g.rules {
            let key = match r.kind {
                RuleKind::Record => "record",
                RuleKind::Alert => "alert",
            };
            let _ = writeln!(s, "  - {key}: {}", scalar(&r.name, 4));
            let _ = writeln!(s, "    expr: {}", scalar(&r.expr, 6));
            for (title, map) in [("labels", &r.labels), ("annotations", &r.annotations)] {
                if map.is_empty() {
                    continue;
                }
                let _ = writeln!(s, "    {title}:");
                for (k, v) in map {
                    let _ = writeln!(s, "      {}: {}", quoted(k), scalar(v, 8));
                }
            }
        }
    }
    s
}

/// Plain when YAML reads it back as the same string (a name, not a number, boolean or
/// null), JSON-style double quotes otherwise.
fn quoted(s: &str) -> String {
    let plain = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || "_./:-".contains(c))
        && !s.ends_with(':')
        && !["true", "false", "null", "yes", "no", "on", "off", "y", "n"]
            .contains(&s.to_ascii_lowercase().as_str());
    if plain { s.to_string() } else { serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()) }
}

/// A block scalar for multi-line text that YAML keeps as is, a quoted string otherwise.
fn scalar(s: &str, indent: usize) -> String {
    let block_safe = s.contains('\n')
        && !s.starts_with([' ', '\t', '\n'])
        && !s.ends_with([' ', '\t', '\n'])
        && s.lines()
            .all(|l| l.chars().all(|c| !c.is_control() || c == '\t') && !l.ends_with([' ', '\t']));
    if block_safe {
        let pad = " ".repeat(indent);
        let mut o = String::from("|-");
        for l in s.lines() {
            o.push('\n');
            if !l.is_empty() {
                o.push_str(&pad);
                o.push_str(l);
            }
        }
        o
    } else {
        quoted(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_survive_a_round_trip() {
        for s in [
            "a",
            "2",
            "true",
            "No",
            "a:",
            "a:b",
            "x: y",
            "#c",
            "multi\nline {{.x}}",
            " lead\nx",
            "tab\tin\nit",
            "é\"\\",
        ] {
            let y = format!("k: {}\n", scalar(s, 2));
            let t = crate::yaml::parse(&y).expect("yaml");
            assert_eq!(t.get("k").and_then(|n| n.as_str()), Some(s), "{y}");
        }
    }

    #[test]
    fn promql_strings_are_escaped() {
        assert_eq!(promql_string("a\"b\\"), r#""a\"b\\""#);
    }
}
