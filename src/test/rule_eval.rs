//! The rule groups under test and their evaluation, as Prometheus' rule manager does it
//! (`rules.Group.Eval`, `rules.AlertingRule.Eval`): rules in order inside a group, groups in
//! the test file's `group_eval_order`, recording rules written to the store so later rules
//! read them, alert state (`pending` → `firing` after `for`, `keep_firing_for`), the
//! `ALERTS` / `ALERTS_FOR_STATE` series, and stale markers for series a rule stopped
//! returning.

use std::collections::{BTreeMap, HashMap, HashSet};

use promql_parser::parser::Expr;

use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::lint::source::Source;
use crate::lint::{FileKind, Options};
use crate::promql::labels::METRIC_NAME;
use crate::promql::value::{STALE_NAN, Value};
use crate::promql::{Engine, Labels, Storage};
use crate::test::template::{self, QueryFn, QuerySample, TemplateData};
use crate::yaml::{Node, Pos};

/// A rule with its parsed expression and where it is written.
#[derive(Debug, Clone)]
pub struct Rule {
    pub name: String,
    pub alert: bool,
    pub expr: Expr,
    pub expr_text: String,
    pub for_ms: i64,
    pub keep_firing_for_ms: i64,
    /// Group labels, then the rule's own (the rule's win).
    pub labels: Vec<(String, String)>,
    pub annotations: Vec<(String, String)>,
    pub path: String,
    /// Position of the `alert:`/`record:` value.
    pub pos: Pos,
}

/// A rule group.
#[derive(Debug, Clone)]
pub struct Group {
    pub name: String,
    pub path: String,
    pub pos: Pos,
    pub query_offset_ms: i64,
    pub rules: Vec<Rule>,
}

/// Load the rule files under test. Each is checked as `validate` checks rule files (the
/// same schema, PromQL and template checks); errors are returned as diagnostics and the
/// file's groups are not used. `ignore_unknown_fields` drops unknown-field errors, as
/// promtool's `--ignore-unknown-fields` does.
pub fn load(
    paths: &[(std::path::PathBuf, String)],
    ignore_unknown_fields: bool,
    sources: &mut BTreeMap<String, String>,
) -> Result<(Vec<Group>, Vec<Diagnostic>), anyhow::Error> {
    let mut groups = Vec::new();
    let mut diags = Vec::new();
    for (path, display) in paths {
        let mut d = Vec::new();
        let src = crate::lint::read_source(path, display, &mut d)?;
        let checked = crate::lint::check_source(
            &src,
            Some(FileKind::Rules),
            &Options::default(),
            Default::default(),
            &mut d,
        );
        d.retain(|x| {
            x.severity == Severity::Error
                && !(ignore_unknown_fields && x.code == crate::lint::schema::UNKNOWN_FIELD)
        });
        if !d.is_empty() {
            sources.insert(src.display.clone(), src.text.clone());
            diags.extend(d);
            continue;
        }
        if let Some(tree) = &checked.tree {
            groups.extend(read_groups(&src, tree));
        }
    }
    Ok((groups, diags))
}

fn duration_ms(n: Option<&Node>) -> i64 {
    n.and_then(Node::scalar_text)
        .and_then(|s| crate::lint::schema::parse_duration(s).ok())
        .and_then(|ms| i64::try_from(ms).ok())
        .unwrap_or(0)
}

fn pairs(n: Option<&Node>) -> Vec<(String, String)> {
    n.and_then(Node::as_map)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.name.clone(), v.scalar_text().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// The groups of a rule file that passed the linter's checks.
fn read_groups(src: &Source, tree: &Node) -> Vec<Group> {
    let mut out = Vec::new();
    for g in tree.get("groups").and_then(Node::as_seq).unwrap_or(&[]) {
        let group_labels = pairs(g.get("labels"));
        let mut group = Group {
            name: g.get("name").and_then(Node::scalar_text).unwrap_or("").to_string(),
            path: src.display.clone(),
            pos: g.get("name").map_or(g.pos, |n| n.pos),
            query_offset_ms: duration_ms(g.get("query_offset")),
            rules: Vec::new(),
        };
        for r in g.get("rules").and_then(Node::as_seq).unwrap_or(&[]) {
            let (alert, name_node) = match (r.get("alert"), r.get("record")) {
                (Some(a), _) => (true, a),
                (None, Some(rec)) => (false, rec),
                (None, None) => continue,
            };
            let expr_text = r.get("expr").and_then(Node::scalar_text).unwrap_or("").to_string();
            // The linter has parsed every expression already; one that fails here is skipped.
            let Ok(expr) = promql_parser::parser::parse(&expr_text) else { continue };
            let mut labels = group_labels.clone();
            for (k, v) in pairs(r.get("labels")) {
                labels.retain(|(n, _)| *n != k);
                labels.push((k, v));
            }
            group.rules.push(Rule {
                name: name_node.scalar_text().unwrap_or("").to_string(),
                alert,
                expr,
                expr_text,
                for_ms: duration_ms(r.get("for")),
                keep_firing_for_ms: duration_ms(r.get("keep_firing_for")),
                labels,
                annotations: pairs(r.get("annotations")),
                path: src.display.clone(),
                pos: name_node.pos,
            });
        }
        out.push(group);
    }
    out
}

/// Order groups as promtool does: by their index in `group_eval_order` (groups not named
/// there count as 0), file order otherwise.
pub fn order(groups: &mut [Group], eval_order: &[String]) {
    let rank = |g: &Group| eval_order.iter().position(|n| *n == g.name).unwrap_or(0);
    groups.sort_by_key(rank);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertState {
    Pending,
    Firing,
}

/// An active alert of one rule.
#[derive(Debug, Clone)]
pub struct ActiveAlert {
    pub labels: Labels,
    pub annotations: Vec<(String, String)>,
    pub value: f64,
    pub state: AlertState,
    pub active_at_ms: i64,
    /// Set while the alert is kept firing by `keep_firing_for`.
    pub keep_firing_since_ms: Option<i64>,
}

/// Everything that changes while a test group's rules are evaluated.
pub struct Evaluator<'a> {
    pub engine: &'a Engine,
    pub groups: &'a [Group],
    pub external_labels: &'a BTreeMap<String, String>,
    pub external_url: &'a str,
    /// Active alerts per (group index, rule index), by label set.
    pub active: HashMap<(usize, usize), BTreeMap<Labels, ActiveAlert>>,
    /// Series each rule wrote at its last evaluation (for stale markers).
    written: HashMap<(usize, usize), HashSet<Labels>>,
}

/// A rule that failed to evaluate.
#[derive(Debug, Clone)]
pub struct RuleError {
    pub rule: String,
    pub path: String,
    pub pos: Pos,
    pub message: String,
}

impl<'a> Evaluator<'a> {
    pub fn new(
        engine: &'a Engine,
        groups: &'a [Group],
        external_labels: &'a BTreeMap<String, String>,
        external_url: &'a str,
    ) -> Self {
        Evaluator {
            engine,
            groups,
            external_labels,
            external_url,
            active: HashMap::new(),
            written: HashMap::new(),
        }
    }

    /// Evaluate every group at `ts`, writing results into `st`. Returns the rules that
    /// failed (all groups still run, as in Prometheus).
    pub fn eval(&mut self, st: &mut Storage, ts: i64) -> Vec<RuleError> {
        let mut errors = Vec::new();
        for gi in 0..self.groups.len() {
            let group = &self.groups[gi];
            for ri in 0..group.rules.len() {
                let rule = &group.rules[ri];
                let t = ts - group.query_offset_ms;
                let result = if rule.alert {
                    self.eval_alert(st, gi, ri, t, ts)
                } else {
                    self.eval_record(st, rule, t)
                };
                let out = match result {
                    Ok(v) => v,
                    Err(message) => {
                        errors.push(RuleError {
                            rule: rule.name.clone(),
                            path: rule.path.clone(),
                            pos: rule.pos,
                            message,
                        });
                        Vec::new()
                    }
                };
                let now: HashSet<Labels> = out.iter().map(|(l, _)| l.clone()).collect();
                let before = self.written.insert((gi, ri), now.clone()).unwrap_or_default();
                for (l, v) in out {
                    st.add(l, ts, v);
                }
                for gone in before.difference(&now) {
                    st.add(gone.clone(), ts, STALE_NAN);
                }
            }
        }
        errors
    }

    fn instant_vector(
        &self,
        st: &Storage,
        expr: &Expr,
        t: i64,
    ) -> Result<Vec<(Labels, f64)>, String> {
        match self.engine.instant(st, expr, t) {
            Ok(Value::Vector(v)) => Ok(v.into_iter().map(|s| (s.labels, s.v)).collect()),
            Ok(Value::Scalar { v, .. }) => Ok(vec![(Labels::empty(), v)]),
            Ok(other) => {
                Err(format!("rule result is not a vector or scalar (got {})", other.type_name()))
            }
            Err(e) => Err(e.to_string()),
        }
    }

    fn eval_record(&self, st: &Storage, rule: &Rule, t: i64) -> Result<Vec<(Labels, f64)>, String> {
        let v = self.instant_vector(st, &rule.expr, t)?;
        let mut out = Vec::with_capacity(v.len());
        let mut seen = HashSet::new();
        for (l, val) in v {
            let mut pairs: Vec<(String, String)> =
                l.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            pairs.push((METRIC_NAME.to_string(), rule.name.clone()));
            pairs.extend(rule.labels.iter().cloned());
            let labels = Labels::new(pairs);
            if !seen.insert(labels.clone()) {
                return Err(
                    "vector contains metrics with the same labelset after applying rule labels"
                        .into(),
                );
            }
            out.push((labels, val));
        }
        Ok(out)
    }

    fn query_fn(&self, st: &Storage, t: i64) -> QueryFn {
        let snapshot = std::sync::Arc::new(st.clone());
        let engine = self.engine.clone();
        std::sync::Arc::new(move |q: &str| match engine.query_str(&snapshot, q, t) {
            Ok(Value::Vector(v)) => Ok(v
                .into_iter()
                .map(|s| QuerySample {
                    labels: s.labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
                    value: s.v,
                })
                .collect()),
            Ok(Value::Scalar { v, .. }) => {
                Ok(vec![QuerySample { labels: BTreeMap::new(), value: v }])
            }
            Ok(other) => Err(format!("query result is a {}", other.type_name())),
            Err(e) => Err(e.to_string()),
        })
    }

    fn eval_alert(
        &mut self,
        st: &Storage,
        gi: usize,
        ri: usize,
        t: i64,
        ts: i64,
    ) -> Result<Vec<(Labels, f64)>, String> {
        let rule = &self.groups[gi].rules[ri];
        let v = self.instant_vector(st, &rule.expr, t)?;
        let needs_query = rule
            .labels
            .iter()
            .chain(rule.annotations.iter())
            .any(|(_, text)| text.contains("query"));
        let query = needs_query.then(|| self.query_fn(st, t));
        let mut found: BTreeMap<Labels, (Vec<(String, String)>, f64)> = BTreeMap::new();
        for (l, val) in v {
            let sample_labels: BTreeMap<String, String> =
                l.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            let data = TemplateData {
                labels: &sample_labels,
                external_labels: self.external_labels,
                external_url: self.external_url,
                value: val,
                time_ms: ts,
            };
            let mut pairs: Vec<(String, String)> = l
                .iter()
                .filter(|(k, _)| *k != METRIC_NAME)
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            for (k, text) in &rule.labels {
                pairs.push((k.clone(), template::expand(&rule.name, text, &data, query.clone())));
            }
            pairs.push(("alertname".to_string(), rule.name.clone()));
            let labels = Labels::new(pairs);
            let annotations: Vec<(String, String)> = rule
                .annotations
                .iter()
                .map(|(k, text)| {
                    (k.clone(), template::expand(&rule.name, text, &data, query.clone()))
                })
                .collect();
            if found.insert(labels, (annotations, val)).is_some() {
                return Err(
                    "vector contains metrics with the same labelset after applying alert labels"
                        .into(),
                );
            }
        }
        let (for_ms, keep_ms) = (rule.for_ms, rule.keep_firing_for_ms);
        let active = self.active.entry((gi, ri)).or_default();
        for (labels, (annotations, value)) in &found {
            match active.get_mut(labels) {
                Some(a) => {
                    a.value = *value;
                    a.annotations = annotations.clone();
                    a.keep_firing_since_ms = None;
                }
                None => {
                    active.insert(
                        labels.clone(),
                        ActiveAlert {
                            labels: labels.clone(),
                            annotations: annotations.clone(),
                            value: *value,
                            state: AlertState::Pending,
                            active_at_ms: ts,
                            keep_firing_since_ms: None,
                        },
                    );
                }
            }
        }
        let mut out = Vec::new();
        let mut resolved = Vec::new();
        for (labels, a) in active.iter_mut() {
            if !found.contains_key(labels) {
                let mut keep = false;
                if a.state == AlertState::Firing && keep_ms > 0 {
                    let since = *a.keep_firing_since_ms.get_or_insert(ts);
                    keep = ts - since < keep_ms;
                }
                if !keep {
                    resolved.push(labels.clone());
                    continue;
                }
            }
            if a.state == AlertState::Pending && ts - a.active_at_ms >= for_ms {
                a.state = AlertState::Firing;
            }
            let state = match a.state {
                AlertState::Pending => "pending",
                AlertState::Firing => "firing",
            };
            out.push((a.labels.with(METRIC_NAME, "ALERTS").with("alertstate", state), 1.0));
            out.push((
                a.labels.with(METRIC_NAME, "ALERTS_FOR_STATE"),
                (a.active_at_ms.div_euclid(1000)) as f64,
            ));
        }
        for l in resolved {
            active.remove(&l);
        }
        Ok(out)
    }

    /// The firing alerts of every rule named `name` (the same name may be used in several
    /// groups): labels and annotations.
    pub fn firing(&self, name: &str) -> Vec<(Labels, Vec<(String, String)>)> {
        let mut out = Vec::new();
        for (gi, g) in self.groups.iter().enumerate() {
            for (ri, r) in g.rules.iter().enumerate() {
                if !r.alert || r.name != name {
                    continue;
                }
                if let Some(active) = self.active.get(&(gi, ri)) {
                    for a in active.values().filter(|a| a.state == AlertState::Firing) {
                        out.push((a.labels.clone(), a.annotations.clone()));
                    }
                }
            }
        }
        out
    }
}
