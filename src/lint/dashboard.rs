//! Grafana dashboard JSON: valid JSON, every Prometheus query (panels, panels of rows,
//! templating variables) parses as PromQL once Grafana's macros are substituted, and the
//! datasource UIDs it names are provisioned by the stack. Metrics used are collected for
//! the catalogue check (`cross`).

use crate::lint::check::Check;
use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::lint::json::{self, JNode};
use crate::lint::promql;
use crate::lint::source::Source;
use crate::lint::span::value_pos;
use crate::yaml::Pos;

pub const JSON_SYNTAX: &str = "dashboard/json-syntax";
pub const PROMQL_SYNTAX: &str = "dashboard/promql-syntax";
pub const DATASOURCE: &str = "dashboard/datasource";
pub const NOT_A_DASHBOARD: &str = "dashboard/structure";

pub const CHECKS: &[Check] = &[
    Check {
        id: JSON_SYNTAX,
        severity: Severity::Error,
        summary: "The dashboard file is not valid JSON.",
    },
    Check {
        id: PROMQL_SYNTAX,
        severity: Severity::Error,
        summary: "A panel's or variable's Prometheus query is not valid PromQL (after substituting Grafana's macros and variables).",
    },
    Check {
        id: DATASOURCE,
        severity: Severity::Error,
        summary: "A datasource UID or name that the stack's Grafana provisioning does not define.",
    },
    Check {
        id: NOT_A_DASHBOARD,
        severity: Severity::Error,
        summary: "The JSON is not a dashboard (no panels), or a panel field has the wrong type.",
    },
];

/// A provisioned datasource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Datasource {
    pub name: String,
    pub uid: String,
    pub kind: String,
}

/// What a dashboard uses.
#[derive(Debug, Clone, Default)]
pub struct DashboardFacts {
    /// Metric names in its Prometheus queries, with positions.
    pub metrics: Vec<(String, Pos)>,
}

/// Check a dashboard. `datasources`: the stack's provisioned datasources (None: unknown,
/// the references are not checked).
pub fn check(
    src: &Source,
    datasources: Option<&[Datasource]>,
    diags: &mut Vec<Diagnostic>,
) -> DashboardFacts {
    let mut facts = DashboardFacts::default();
    let root = match json::parse(&src.text) {
        Ok(r) => r,
        Err(e) => {
            diags.push(Diagnostic::error(&src.display, e.pos, JSON_SYNTAX, e.message));
            return facts;
        }
    };
    // API exports wrap the dashboard: {"dashboard": {...}, "meta": {...}}.
    let dash = root
        .get("dashboard")
        .filter(|d| d.get("panels").is_some() || d.get("rows").is_some())
        .unwrap_or(&root);
    if !matches!(dash.value, json::JValue::Obj(_))
        || (dash.get("panels").is_none() && dash.get("rows").is_none())
    {
        diags.push(
            Diagnostic::error(
                &src.display,
                dash.pos,
                NOT_A_DASHBOARD,
                "not a Grafana dashboard: no `panels` (or `rows`)",
            )
            .with_help("a dashboard is a JSON object with a `panels` list"),
        );
        return facts;
    }
    let mut c = Checker { src, datasources, diags, facts: &mut facts };
    if let Some(p) = dash.get("panels") {
        c.panels(p, None, 0);
    }
    if let Some(rows) = dash.get("rows").and_then(JNode::as_arr) {
        for r in rows {
            if let Some(p) = r.get("panels") {
                c.panels(p, r.get("datasource"), 0);
            }
        }
    }
    if let Some(list) = dash.get("templating").and_then(|t| t.get("list")).and_then(JNode::as_arr) {
        for v in list {
            c.variable(v);
        }
    }
    if let Some(list) = dash.get("annotations").and_then(|t| t.get("list")).and_then(JNode::as_arr)
    {
        for a in list {
            if let Some(ds) = a.get("datasource") {
                c.datasource_ref(ds);
            }
            // Annotation queries (Prometheus datasource): `expr`.
            let lang = a.get("datasource").map_or(Lang::Unknown, |d| c.lang(d));
            if lang != Lang::Other
                && let Some(e) = a.get("expr")
                && let Some(s) = e.as_str()
                && !s.trim().is_empty()
            {
                c.query(e, s);
            }
        }
    }
    facts
}

struct Checker<'a> {
    src: &'a Source,
    datasources: Option<&'a [Datasource]>,
    diags: &'a mut Vec<Diagnostic>,
    facts: &'a mut DashboardFacts,
}

/// What a datasource reference says about the query language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Prometheus,
    Other,
    Unknown,
}

impl Checker<'_> {
    fn panels(&mut self, node: &JNode, inherited: Option<&JNode>, depth: usize) {
        let Some(list) = node.as_arr() else {
            self.diags.push(Diagnostic::error(
                &self.src.display,
                node.pos,
                NOT_A_DASHBOARD,
                "`panels` must be a list",
            ));
            return;
        };
        if depth > 8 {
            return;
        }
        for p in list {
            let ds = p.get("datasource").or(inherited);
            if let Some(d) = p.get("datasource") {
                self.datasource_ref(d);
            }
            let panel_lang = ds.map_or(Lang::Unknown, |d| self.lang(d));
            let panel_type = p.get("type").and_then(JNode::as_str).unwrap_or("");
            if let Some(targets) = p.get("targets").and_then(JNode::as_arr) {
                for t in targets {
                    if let Some(d) = t.get("datasource") {
                        self.datasource_ref(d);
                    }
                    let lang = match t.get("datasource").map(|d| self.lang(d)) {
                        Some(Lang::Unknown) | None => panel_lang,
                        Some(l) => l,
                    };
                    if lang == Lang::Other || panel_type == "logs" {
                        continue;
                    }
                    if let Some(e) = t.get("expr")
                        && let Some(s) = e.as_str()
                        && !s.trim().is_empty()
                    {
                        self.query(e, s);
                    }
                }
            }
            if let Some(sub) = p.get("panels") {
                self.panels(sub, ds, depth + 1);
            }
        }
    }

    fn variable(&mut self, v: &JNode) {
        if let Some(d) = v.get("datasource") {
            self.datasource_ref(d);
        }
        if v.get("type").and_then(JNode::as_str) != Some("query") {
            return;
        }
        if v.get("datasource").is_some_and(|d| self.lang(d) == Lang::Other) {
            return;
        }
        let q = match v.get("query") {
            Some(q) if q.as_str().is_some() => q,
            Some(q) => match q.get("query") {
                Some(inner) if inner.as_str().is_some() => inner,
                _ => return,
            },
            None => return,
        };
        let Some(text) = q.as_str() else { return };
        let t = text.trim();
        // Grafana's Prometheus variable functions.
        let inner = if let Some(rest) = t.strip_prefix("label_values(") {
            let body = rest.strip_suffix(')').unwrap_or(rest);
            // label_values(label) or label_values(expr, label)
            body.rfind(',').map(|i| &body[..i])
        } else if let Some(rest) = t.strip_prefix("query_result(") {
            Some(rest.strip_suffix(')').unwrap_or(rest))
        } else if t.starts_with("label_names(") || t.starts_with("metrics(") || t.is_empty() {
            None
        } else {
            Some(t)
        };
        if let Some(expr) = inner {
            let start = text.find(expr).unwrap_or(0);
            self.query_part(q, text, start, expr);
        }
    }

    fn query(&mut self, node: &JNode, text: &str) {
        self.query_part(node, text, 0, text);
    }

    /// Parse `expr` (which starts at byte `start` of the string value `text` of `node`).
    fn query_part(&mut self, node: &JNode, text: &str, start: usize, expr: &str) {
        let (subst, map) = promql::substitute_grafana(expr);
        let pos_at = |o: usize| value_pos(&self.src.text, node.offset, node.pos, text, start + o);
        match promql::parse(&subst) {
            Err(e) => {
                let orig = e.offset.map_or(0, |o| map.get(o).copied().unwrap_or(0));
                self.diags.push(Diagnostic::error(
                    &self.src.display,
                    pos_at(orig),
                    PROMQL_SYNTAX,
                    format!("could not parse query: {}", e.message),
                ));
            }
            Ok(ast) => {
                for m in promql::facts(&ast).metrics {
                    let at = promql::find_metric(expr, &m).unwrap_or(0);
                    self.facts.metrics.push((m, pos_at(at)));
                }
            }
        }
    }

    /// The language of a datasource reference (`{"type":..,"uid":..}` or a name string).
    fn lang(&self, d: &JNode) -> Lang {
        let kind = d.get("type").and_then(JNode::as_str).map(str::to_string).or_else(|| {
            let uid = d.get("uid").and_then(JNode::as_str).or(d.as_str())?;
            self.datasources?.iter().find(|x| x.uid == uid || x.name == uid).map(|x| x.kind.clone())
        });
        match kind.as_deref() {
            Some("prometheus") => Lang::Prometheus,
            Some(k) if k.starts_with('$') || k.is_empty() => Lang::Unknown,
            Some("datasource") | None => Lang::Unknown,
            Some(_) => Lang::Other,
        }
    }

    fn datasource_ref(&mut self, d: &JNode) {
        let Some(known) = self.datasources else { return };
        let (value, node, by_name) = match d.get("uid") {
            Some(u) => match u.as_str() {
                Some(s) => (s, u, false),
                None => return,
            },
            None => match d.as_str() {
                Some(s) => (s, d, true),
                None => return,
            },
        };
        let special = value.is_empty()
            || value.starts_with('$')
            || value.starts_with("-- ")
            || matches!(
                value,
                "grafana" | "default" | "-- Grafana --" | "-- Mixed --" | "-- Dashboard --"
            );
        if special {
            return;
        }
        let found = known.iter().any(|x| x.uid == value || (by_name && x.name == value));
        if !found {
            let list: Vec<&str> = known.iter().map(|x| x.uid.as_str()).collect();
            self.diags.push(
                Diagnostic::error(
                    &self.src.display,
                    node.pos,
                    DATASOURCE,
                    format!("datasource `{value}` is not provisioned by the stack"),
                )
                .with_help(format!(
                    "provisioned datasource UIDs (grafana/provisioning/datasources): {}",
                    if list.is_empty() { "none".to_string() } else { list.join(", ") }
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, ds: Option<&[Datasource]>) -> (Vec<Diagnostic>, DashboardFacts) {
        let src = Source::memory("d.json", text);
        let mut d = Vec::new();
        let f = check(&src, ds, &mut d);
        (d, f)
    }

    fn prom() -> Vec<Datasource> {
        vec![
            Datasource {
                name: "Prometheus".into(),
                uid: "prometheus".into(),
                kind: "prometheus".into(),
            },
            Datasource { name: "Loki".into(), uid: "loki".into(), kind: "loki".into() },
        ]
    }

    #[test]
    fn valid_dashboard_with_rows_variables_and_macros() {
        let text = r#"{
  "panels": [
    {"type": "timeseries", "datasource": {"type": "prometheus", "uid": "prometheus"},
     "targets": [{"expr": "sum(rate(up{job=\"$job\"}[$__rate_interval]))"}]},
    {"type": "row", "panels": [
      {"type": "stat", "targets": [{"expr": "node_load1 > [[threshold]]"}]}]},
    {"type": "logs", "datasource": {"type": "loki", "uid": "loki"},
     "targets": [{"expr": "{job=\"x\"} |= \"error\""}]}
  ],
  "templating": {"list": [
    {"type": "query", "name": "job", "query": "label_values(up{instance=~\"${inst}\"}, job)"},
    {"type": "query", "name": "j2", "query": {"query": "label_values(job)"}}
  ]},
  "annotations": {"list": [{"datasource": {"type": "prometheus", "uid": "prometheus"}, "expr": "changes(process_start_time_seconds[2m]) > 0"}]}
}"#;
        let (d, f) = run(text, Some(&prom()));
        assert_eq!(d, vec![]);
        let names: Vec<&str> = f.metrics.iter().map(|(m, _)| m.as_str()).collect();
        assert_eq!(names, vec!["up", "node_load1", "up", "process_start_time_seconds"]);
        assert_eq!(f.metrics[0].1, Pos::new(4, 37));
    }

    #[test]
    fn bad_query_in_nested_row_is_reported_at_its_position() {
        let text = "{\"panels\": [\n {\"type\": \"row\", \"panels\": [\n  {\"targets\": [{\"expr\": \"rate(up)\"}]}]}]}";
        let (d, _) = run(text, None);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, PROMQL_SYNTAX);
        assert_eq!((d[0].line, d[0].column), (3, 26));
    }

    #[test]
    fn unknown_datasource_uid() {
        let text = "{\"panels\": [{\"datasource\": {\"type\": \"prometheus\", \"uid\": \"promx\"}, \"targets\": []}]}";
        let (d, _) = run(text, Some(&prom()));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, DATASOURCE);
        assert_eq!((d[0].line, d[0].column), (1, 58));
        let (d, _) = run(text, None);
        assert!(d.is_empty());
    }

    #[test]
    fn json_errors_and_non_dashboards() {
        let (d, _) = run("{\n \"panels\": [\n}", None);
        assert_eq!(d[0].code, JSON_SYNTAX);
        assert_eq!(d[0].line, 3);
        let (d, _) = run("{\"title\": \"x\"}", None);
        assert_eq!(d[0].code, NOT_A_DASHBOARD);
    }
}
