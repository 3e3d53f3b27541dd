//! Checks across the stack's files: alerts reach a receiver that notifies someone, routes
//! shadowed by an earlier sibling, inhibit rules about labels no alert carries, and metrics
//! that neither the connector's catalogue nor a standard exporter of the stack provides.
//! The Alertmanager side comes from the alertmanager module's facts (routing tree, inhibit
//! labels); plain-text secrets and contradicting routes are that module's own checks.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::lint::alertmanager::{AmFacts, Matcher, Route};
use crate::lint::check::Check;
use crate::lint::dashboard;
use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::lint::rules;
use crate::lint::rules::RuleKind;
use crate::yaml::Node;

pub const UNROUTED: &str = "cross/alert-unrouted";
pub const UNREACHABLE_ROUTE: &str = "cross/route-unreachable";
pub const INHIBIT_LABEL: &str = "cross/inhibit-label";
pub const UNKNOWN_METRIC: &str = "cross/unknown-metric";

pub const CHECKS: &[Check] = &[
    Check {
        id: UNROUTED,
        severity: Severity::Warning,
        summary: "Alerts with this severity are routed to no receiver, or only to receivers without any integration: nobody is notified.",
    },
    Check {
        id: UNREACHABLE_ROUTE,
        severity: Severity::Warning,
        summary: "A route that can never match because an earlier sibling without `continue` has a subset of its matchers and so catches all its alerts first.",
    },
    Check {
        id: INHIBIT_LABEL,
        severity: Severity::Warning,
        summary: "An inhibit rule names a label that no alert rule of the stack carries.",
    },
    Check {
        id: UNKNOWN_METRIC,
        severity: Severity::Warning,
        summary: "A metric used by a rule or dashboard is neither in the connector's catalogue (connector-metrics.yml), a recording rule, nor a standard exporter's.",
    },
];

/// Everything the cross-file checks need, gathered while checking a stack.
#[derive(Debug, Default)]
pub struct StackFacts {
    /// The stack directory (for its `connector-metrics.yml`).
    pub dir: Option<std::path::PathBuf>,
    pub prometheus: Option<(String, crate::lint::prometheus::PromFacts, Node)>,
    pub alertmanager: Option<(String, crate::lint::alertmanager::AmFacts, Node)>,
    pub rules: Vec<(String, rules::RuleFacts)>,
    pub dashboards: Vec<(String, dashboard::DashboardFacts)>,
    /// Files the cross-file checks depend on that did not parse, with their kind.
    pub unparsed: Vec<(String, crate::lint::FileKind)>,
}

/// Run every cross-file check whose files all parsed; returns a note naming the checks
/// that were skipped because a file they depend on did not parse (their findings would
/// only be its echo: with `prometheus.yml` broken no rule file is read, and every metric
/// recorded by a rule looks unknown).
pub fn check(facts: &StackFacts, diags: &mut Vec<Diagnostic>) -> Option<String> {
    use crate::lint::FileKind as K;
    let broken = |kinds: &[K]| -> Vec<&str> {
        facts.unparsed.iter().filter(|(_, k)| kinds.contains(k)).map(|(p, _)| p.as_str()).collect()
    };
    // Alerts and their labels come from the rule files, which prometheus.yml names; the
    // external labels come from prometheus.yml.
    let rules_known = broken(&[K::Prometheus, K::Rules]).is_empty();
    let mut skipped: Vec<&str> = Vec::new();
    if let Some((path, am, _)) = &facts.alertmanager {
        if rules_known {
            routing(facts, am, path, diags);
            inhibit_labels(facts, path, am, diags);
        } else {
            skipped.extend([UNROUTED, INHIBIT_LABEL]);
        }
        if let Some(root) = &am.root {
            shadowed_routes(path, root, diags);
        }
    } else if !broken(&[K::Alertmanager]).is_empty() {
        skipped.extend([UNROUTED, UNREACHABLE_ROUTE, INHIBIT_LABEL]);
    }
    if rules_known {
        unknown_metrics(facts, diags);
    } else {
        skipped.push(UNKNOWN_METRIC);
    }
    if skipped.is_empty() {
        return None;
    }
    skipped.sort_unstable();
    let files = broken(&[K::Prometheus, K::Rules, K::Alertmanager]);
    Some(format!(
        "{} not parse, so the checks that depend on {} were skipped ({}); fix the syntax error first",
        match files.as_slice() {
            [one] => format!("{one} does"),
            many => format!("{} do", many.join(", ")),
        },
        if files.len() == 1 { "it" } else { "them" },
        skipped.join(", ")
    ))
}

// ---------------------------------------------------------------------------------------
// Routing: every alert reaches a receiver with an integration.

fn routing(
    facts: &StackFacts,
    am: &crate::lint::alertmanager::AmFacts,
    am_path: &str,
    diags: &mut Vec<Diagnostic>,
) {
    if am.receivers.is_empty() {
        // The Alertmanager module found no receivers (or could not read the routing tree):
        // it reports that itself.
        return;
    }
    // (severity value) -> first alert (path, pos), count, receivers
    let mut reported: HashSet<(String, Vec<String>)> = HashSet::new();
    for (path, rf) in &facts.rules {
        for r in rf.rules.iter().filter(|r| r.kind == RuleKind::Alert) {
            let mut labels: BTreeMap<String, String> =
                r.labels.iter().map(|(k, (v, _))| (k.clone(), v.clone())).collect();
            if labels.values().any(|v| v.contains("{{")) {
                continue; // templated labels: the value is only known when the alert fires
            }
            labels.insert("alertname".into(), r.name.clone());
            if let Some((_, pf, _)) = &facts.prometheus {
                for (k, v) in &pf.external_labels {
                    labels.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            let receivers = am.route(&labels);
            let notifying: Vec<&String> = receivers
                .iter()
                .filter(|name| am.receivers.iter().any(|(n, _, has)| n == *name && *has))
                .collect();
            if !notifying.is_empty() {
                continue;
            }
            let severity = labels.get("severity").cloned().unwrap_or_default();
            if !reported.insert((severity.clone(), receivers.clone())) {
                continue;
            }
            let pos = r.labels.get("severity").map_or(r.pos, |(_, p)| *p);
            let sev = if severity.is_empty() {
                "without a severity label".to_string()
            } else {
                format!("with severity `{severity}`")
            };
            let msg = if receivers.is_empty() {
                format!("alert `{}` {sev} reaches no receiver in {am_path}", r.name)
            } else {
                format!(
                    "alert `{}` {sev} is routed to {} in {am_path}, which has no integration: nobody is notified",
                    r.name,
                    receivers.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ")
                )
            };
            diags.push(
                Diagnostic::warning(path, pos, UNROUTED, msg)
                    .with_help("add a route for this severity to a receiver with e.g. email_configs, or give the receiver an integration"),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Routes shadowed by a narrower-looking sibling. (Routes after a catch-all sibling and
// routes whose matchers contradict an enclosing route's are the alertmanager module's
// `alertmanager/route-unreachable`.)

fn shadowed_routes(path: &str, route: &Route, diags: &mut Vec<Diagnostic>) {
    fn walk(path: &str, route: &Route, depth: usize, diags: &mut Vec<Diagnostic>) {
        if depth > 64 {
            return;
        }
        // Earlier siblings without `continue` that have matchers (catch-alls are reported
        // elsewhere).
        let mut catchers: Vec<&Route> = Vec::new();
        for child in &route.routes {
            let own: Vec<&Matcher> = child.matchers.iter().map(|m| &m.matcher).collect();
            let shadow =
                catchers.iter().find(|c| c.matchers.iter().all(|cm| own.contains(&&cm.matcher)));
            if let Some(c) = shadow {
                let list: Vec<String> = c.matchers.iter().map(|m| m.matcher.to_string()).collect();
                diags.push(
                    Diagnostic::warning(
                        path,
                        child.pos,
                        UNREACHABLE_ROUTE,
                        format!(
                            "this route can never match: the sibling route at line {} ({}) catches all of its alerts first and has no `continue: true`",
                            c.pos.line,
                            list.join(", ")
                        ),
                    )
                    .with_help("move this route above the broader one, or set `continue: true` on the broader one"),
                );
                continue;
            }
            if !child.continue_matching && !child.matchers.is_empty() {
                catchers.push(child);
            }
            walk(path, child, depth + 1, diags);
        }
    }
    walk(path, route, 0, diags);
}

// ---------------------------------------------------------------------------------------
// Inhibit rules.

fn inhibit_labels(facts: &StackFacts, path: &str, am: &AmFacts, diags: &mut Vec<Diagnostic>) {
    if facts.rules.is_empty() || am.inhibit_labels.is_empty() {
        return;
    }
    let mut known: BTreeSet<String> =
        ["alertname", "job", "instance"].iter().map(|s| s.to_string()).collect();
    for (_, rf) in &facts.rules {
        for r in &rf.rules {
            known.extend(r.labels.keys().cloned());
            known.extend(r.grouping_labels.iter().cloned());
        }
    }
    if let Some((_, pf, ptree)) = &facts.prometheus {
        known.extend(pf.external_labels.iter().map(|(k, _)| k.clone()));
        // Target labels from static_configs reach every series of the job.
        if let Some(jobs) = ptree.get("scrape_configs").and_then(Node::as_seq) {
            for j in jobs {
                for sc in j.get("static_configs").and_then(Node::as_seq).unwrap_or(&[]) {
                    if let Some(m) = sc.get("labels").and_then(Node::as_map) {
                        known.extend(m.iter().map(|(k, _)| k.name.clone()));
                    }
                }
            }
        }
    }
    let mut seen = HashSet::new();
    for l in &am.inhibit_labels {
        if !known.contains(&l.name) && seen.insert((l.rule, l.name.clone())) {
            diags.push(
                Diagnostic::warning(
                    path,
                    l.pos,
                    INHIBIT_LABEL,
                    format!("inhibit rule uses label `{}`, which no alert rule of the stack carries", l.name),
                )
                .with_help("labels come from the rules' `labels`, their expressions' `by (...)` clauses, target labels and external labels"),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Metrics: the connector's catalogue, recording rules, standard exporters.

/// Prefixes of the series the stack's standard components expose.
pub const STANDARD_PREFIXES: &[&str] = &[
    "node_",
    "container_",
    "machine_",
    "cadvisor_",
    "prometheus_",
    "alertmanager_",
    "go_",
    "process_",
    "promhttp_",
    "scrape_",
    "net_conntrack_",
    "pushgateway_",
    "push_time_seconds",
    "push_failure_time_seconds",
    "grafana_",
    "loki_",
    "promtail_",
    "jaeger_",
    "otelcol_",
    "http_",
    "grpc_",
    "cortex_",
    "prometheus_remote_storage_",
];

/// Synthetic series every Prometheus has.
pub const SYNTHETIC: &[&str] = &["up", "ALERTS", "ALERTS_FOR_STATE", "time"];

/// The sample names of the connector's catalogue: the stack's `connector-metrics.yml`, or
/// the embedded copy when the stack has none (or it cannot be read).
pub fn catalogue(stack_dir: Option<&std::path::Path>) -> HashSet<String> {
    use crate::catalogue::Catalogue;
    let cat = stack_dir
        .map_or_else(Catalogue::embedded, Catalogue::load)
        .or_else(|_| Catalogue::embedded());
    cat.map(|c| c.metrics.iter().flat_map(|m| m.sample_names()).collect()).unwrap_or_default()
}

/// Is `name` known to the stack?
pub fn known_metric(name: &str, catalogue: &HashSet<String>, recorded: &HashSet<&str>) -> bool {
    catalogue.contains(name)
        || recorded.contains(name)
        || SYNTHETIC.contains(&name)
        || STANDARD_PREFIXES.iter().any(|p| name.starts_with(p))
}

fn unknown_metrics(facts: &StackFacts, diags: &mut Vec<Diagnostic>) {
    let cat = catalogue(facts.dir.as_deref());
    let recorded: HashSet<&str> = facts
        .rules
        .iter()
        .flat_map(|(_, rf)| {
            rf.rules.iter().filter(|r| r.kind == RuleKind::Record).map(|r| r.name.as_str())
        })
        .collect();
    let uses = facts
        .rules
        .iter()
        .flat_map(|(p, rf)| {
            rf.rules.iter().flat_map(move |r| r.metrics.iter().map(move |m| (p, m)))
        })
        .chain(facts.dashboards.iter().flat_map(|(p, d)| d.metrics.iter().map(move |m| (p, m))));
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    for (path, (name, pos)) in uses {
        if known_metric(name, &cat, &recorded) || !seen.insert((path.as_str(), name.as_str())) {
            continue;
        }
        diags.push(
            Diagnostic::warning(path, *pos, UNKNOWN_METRIC, format!("metric `{name}` is not in the connector's catalogue, not recorded by a rule, and not a standard exporter's"))
                .with_help("add it to connector-metrics.yml (and to the connector), or fix the name"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    fn am_facts(yaml: &str) -> AmFacts {
        let src = crate::lint::Source::memory("am.yml", yaml);
        let tree = parse(yaml).expect("yaml");
        let mut d = Vec::new();
        crate::lint::alertmanager::check_config(
            &src,
            &tree,
            &crate::lint::Options::default(),
            &mut d,
        )
    }

    fn routes(yaml: &str) -> Vec<Diagnostic> {
        let am = am_facts(yaml);
        let mut d = Vec::new();
        shadowed_routes("am.yml", am.root.as_ref().expect("root"), &mut d);
        d
    }

    #[test]
    fn shadowed_siblings() {
        let d = routes(
            "route:\n  receiver: a\n  routes:\n    - matchers: [severity=\"critical\"]\n    - matchers: [severity=\"critical\", team=\"x\"]\n    - matchers: [severity=\"warning\"]\n      continue: true\n    - matchers: [severity=\"warning\"]\nreceivers:\n  - name: a\n",
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].code, d[0].line, d[0].column), (UNREACHABLE_ROUTE, 5, 7));
        // A catch-all sibling is the alertmanager module's finding, not repeated here.
        let d = routes(
            "route:\n  receiver: a\n  routes:\n    - receiver: a\n    - matchers: [x=\"1\"]\nreceivers:\n  - name: a\n",
        );
        assert_eq!(d, vec![]);
    }

    fn rules_facts(text: &str) -> crate::lint::rules::RuleFacts {
        let src = crate::lint::Source::memory("r.yml", text);
        let tree = parse(text).expect("yaml");
        let mut d = Vec::new();
        let f =
            crate::lint::rules::check_file(&src, &tree, &crate::lint::Options::default(), &mut d);
        assert_eq!(d, vec![]);
        f
    }

    const RULES: &str = "groups:\n  - name: g\n    rules:\n      - alert: Down\n        expr: sum by (cluster) (up) == 0\n        labels:\n          severity: critical\n      - alert: Slow\n        expr: stellar_connector_nope > 1\n        labels:\n          severity: critical\n";

    #[test]
    // AmFacts grows fields in the Alertmanager module; only `receivers` matters here.
    #[allow(clippy::field_reassign_with_default)]
    fn alerts_that_reach_no_receiver_are_reported_once_per_severity() {
        let mut facts = StackFacts::default();
        facts.rules.push(("r.yml".into(), rules_facts(RULES)));
        let mut am = crate::lint::alertmanager::AmFacts::default();
        am.receivers = vec![("null".into(), crate::yaml::Pos::new(3, 11), false)];
        let mut d = Vec::new();
        routing(&facts, &am, "am.yml", &mut d);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].code, d[0].line, d[0].column), (UNROUTED, 7, 21));
        // Without any receiver known (no Alertmanager facts), nothing is said.
        let mut d = Vec::new();
        routing(&facts, &crate::lint::alertmanager::AmFacts::default(), "am.yml", &mut d);
        assert!(d.is_empty());
    }

    #[test]
    fn inhibit_rules_about_unknown_labels() {
        let mut facts = StackFacts::default();
        facts.rules.push(("r.yml".into(), rules_facts(RULES)));
        let am = am_facts(
            "route:\n  receiver: a\nreceivers:\n  - name: a\ninhibit_rules:\n  - source_matchers: [severity=\"critical\"]\n    target_matchers: [severity=\"warning\"]\n    equal: [cluster, team]\n",
        );
        let mut d = Vec::new();
        inhibit_labels(&facts, "am.yml", &am, &mut d);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].code, d[0].line, d[0].column), (INHIBIT_LABEL, 8, 22));
        assert!(d[0].message.contains("`team`"));
    }

    #[test]
    fn unknown_metrics_of_rules() {
        let mut facts = StackFacts::default();
        facts.rules.push(("r.yml".into(), rules_facts(RULES)));
        let mut d = Vec::new();
        unknown_metrics(&facts, &mut d);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].code, d[0].line, d[0].column), (UNKNOWN_METRIC, 9, 15));
    }

    #[test]
    fn the_catalogue_is_read() {
        let c = catalogue(None);
        assert!(c.contains("stellar_connector_requests_total"));
        assert!(c.contains("stellar_connector_request_duration_seconds_bucket"));
        let rec = HashSet::new();
        assert!(known_metric("node_cpu_seconds_total", &c, &rec));
        assert!(!known_metric("stellar_connector_bogus", &c, &rec));
    }
}
