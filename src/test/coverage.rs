//! `test rules --coverage`: which alerting and recording rules of the files under test some
//! test asserts. An alert is covered when a test expects it firing (non-empty `exp_alerts`)
//! and a test expects it silent (empty `exp_alerts`); a recording rule when a
//! `promql_expr_test` selects its series.

use std::collections::{BTreeMap, BTreeSet};

use crate::test::report::CoverageItem;
use crate::test::rule_eval::Group;
use crate::yaml::Pos;

#[derive(Debug, Clone)]
struct RuleRef {
    alert: bool,
    name: String,
    path: String,
    pos: Pos,
}

/// What the tests run so far assert.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    /// Rules of every file under test, in the order first seen, without repeats.
    rules: Vec<RuleRef>,
    seen: BTreeSet<(String, String, bool)>,
    /// Alert name → (asserted firing, asserted silent).
    alerts: BTreeMap<String, (bool, bool)>,
    /// Metric names selected by `promql_expr_test` expressions.
    selected: BTreeSet<String>,
}

impl Coverage {
    /// Record the rules of the files under test.
    pub fn add_rules(&mut self, groups: &[Group]) {
        for g in groups {
            for r in &g.rules {
                if self.seen.insert((r.path.clone(), r.name.clone(), r.alert)) {
                    self.rules.push(RuleRef {
                        alert: r.alert,
                        name: r.name.clone(),
                        path: r.path.clone(),
                        pos: r.pos,
                    });
                }
            }
        }
    }

    /// An `alert_rule_test` for `name`, expecting alerts (`firing`) or none.
    pub fn assert_alert(&mut self, name: &str, firing: bool) {
        let e = self.alerts.entry(name.to_string()).or_default();
        if firing {
            e.0 = true;
        } else {
            e.1 = true;
        }
    }

    /// A `promql_expr_test` expression: the metrics it selects count as asserted.
    pub fn assert_expr(&mut self, expr: &str) {
        if let Ok(f) = crate::lint::promql::analyse(expr) {
            self.selected.extend(f.metrics);
        }
    }

    /// One item per rule, in file order.
    pub fn items(&self) -> Vec<CoverageItem> {
        self.rules
            .iter()
            .map(|r| {
                let (asserted, missing) = if r.alert {
                    let (firing, silent) = self.alerts.get(&r.name).copied().unwrap_or_default();
                    let mut a = Vec::new();
                    let mut m = Vec::new();
                    if firing {
                        a.push("firing".to_string())
                    } else {
                        m.push("firing".to_string())
                    }
                    if silent {
                        a.push("silent".to_string())
                    } else {
                        m.push("silent".to_string())
                    }
                    (a, m)
                } else if self.selected.contains(&r.name) {
                    (vec!["samples".to_string()], Vec::new())
                } else {
                    (Vec::new(), vec!["samples".to_string()])
                };
                CoverageItem {
                    kind: if r.alert { "alert" } else { "record" }.to_string(),
                    name: r.name.clone(),
                    path: r.path.clone(),
                    line: r.pos.line,
                    column: r.pos.col,
                    covered: missing.is_empty(),
                    asserted,
                    missing,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test::rule_eval::Rule;

    fn rule(name: &str, alert: bool) -> Rule {
        Rule {
            name: name.into(),
            alert,
            expr: promql_parser::parser::parse("up").expect("parses"),
            expr_text: "up".into(),
            for_ms: 0,
            keep_firing_for_ms: 0,
            labels: vec![],
            annotations: vec![],
            path: "r.yml".into(),
            pos: Pos::new(3, 16),
        }
    }

    #[test]
    fn alerts_need_firing_and_silent_records_need_a_query() {
        let g = Group {
            name: "g".into(),
            path: "r.yml".into(),
            pos: Pos::new(2, 11),
            query_offset_ms: 0,
            rules: vec![
                rule("Down", true),
                rule("Other", true),
                rule("job:up:sum", false),
                rule("job:x:sum", false),
            ],
        };
        let mut c = Coverage::default();
        c.add_rules(std::slice::from_ref(&g));
        c.add_rules(&[g]);
        c.assert_alert("Down", true);
        c.assert_alert("Down", false);
        c.assert_alert("Other", true);
        c.assert_expr("sum(job:up:sum) > 0");
        let items = c.items();
        assert_eq!(items.len(), 4, "repeats are counted once");
        assert!(items[0].covered);
        assert_eq!(items[0].asserted, vec!["firing", "silent"]);
        assert!(!items[1].covered);
        assert_eq!(items[1].missing, vec!["silent"]);
        assert!(items[2].covered);
        assert!(!items[3].covered);
        assert_eq!(items[3].kind, "record");
    }
}
