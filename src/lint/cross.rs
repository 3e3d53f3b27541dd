//! Checks across the stack's files: alerts reach a receiver that notifies someone, routes
//! that can never match, inhibit rules about labels no alert carries, secrets in plain text
//! in alertmanager.yml, and metrics that neither the connector's catalogue nor a standard
//! exporter of the stack provides.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::lint::checks::Check;
use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::lint::rules::RuleKind;
use crate::lint::stack::StackFacts;
use crate::yaml::{Node, Pos, Value};

pub const UNROUTED: &str = "cross/alert-unrouted";
pub const UNREACHABLE_ROUTE: &str = "cross/route-unreachable";
pub const INHIBIT_LABEL: &str = "cross/inhibit-label";
pub const PLAIN_SECRET: &str = "cross/alertmanager-plain-secret";
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
        summary: "A route that can never match: its matchers contradict a parent's, or an earlier sibling without `continue` catches all its alerts.",
    },
    Check {
        id: INHIBIT_LABEL,
        severity: Severity::Warning,
        summary: "An inhibit rule names a label that no alert rule of the stack carries.",
    },
    Check {
        id: PLAIN_SECRET,
        severity: Severity::Warning,
        summary: "A password, key or webhook URL written in plain text in alertmanager.yml instead of its `*_file` field.",
    },
    Check {
        id: UNKNOWN_METRIC,
        severity: Severity::Warning,
        summary: "A metric used by a rule or dashboard is neither in the connector's catalogue (connector-metrics.yml), a recording rule, nor a standard exporter's.",
    },
];

/// Run every cross-file check.
pub fn check(facts: &StackFacts, diags: &mut Vec<Diagnostic>) {
    if let Some((path, am, tree)) = &facts.alertmanager {
        routing(facts, am, path, diags);
        if let Some(route) = tree.get("route") {
            unreachable_routes(path, route, diags);
        }
        inhibit_labels(facts, path, tree, diags);
        plain_secrets(path, tree, diags);
    }
    unknown_metrics(facts, diags);
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
// Matchers as Alertmanager writes them.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matcher {
    pub name: String,
    pub op: String,
    pub value: String,
}

/// Parse `name op value` (`=`, `!=`, `=~`, `!~`; value optionally double-quoted).
pub fn parse_matcher(s: &str) -> Option<Matcher> {
    let s = s.trim().trim_start_matches('{').trim_end_matches('}').trim();
    let i = s.find(['=', '!'])?;
    let name = s[..i].trim().trim_matches('"').to_string();
    let rest = &s[i..];
    let op = ["=~", "!~", "!=", "="].into_iter().find(|o| rest.starts_with(o))?;
    let raw = rest[op.len()..].trim();
    let value = if raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"') {
        serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw[1..raw.len() - 1].to_string())
    } else {
        raw.to_string()
    };
    (!name.is_empty()).then(|| Matcher { name, op: op.to_string(), value })
}

/// The matchers of a route or inhibit side: `<prefix>matchers`, `<prefix>match`, `<prefix>match_re`.
fn matchers_of(node: &Node, prefix: &str) -> Vec<(Matcher, Pos)> {
    let mut out = Vec::new();
    if let Some(items) = node.get(&format!("{prefix}matchers")).and_then(Node::as_seq) {
        for it in items {
            if let Some(s) = it.scalar_text() {
                // One string may hold several comma-separated matchers in braces.
                let inner = s.trim().trim_start_matches('{').trim_end_matches('}');
                for part in split_matchers(inner) {
                    if let Some(m) = parse_matcher(&part) {
                        out.push((m, it.pos));
                    }
                }
            }
        }
    }
    for (key, op) in [(format!("{prefix}match"), "="), (format!("{prefix}match_re"), "=~")] {
        if let Some(m) = node.get(&key).and_then(Node::as_map) {
            for (k, v) in m {
                if let Some(val) = v.scalar_text() {
                    out.push((
                        Matcher { name: k.name.clone(), op: op.into(), value: val.to_string() },
                        k.pos,
                    ));
                }
            }
        }
    }
    out
}

fn split_matchers(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut in_q = false;
    let mut esc = false;
    for c in s.chars() {
        if esc {
            cur.push(c);
            esc = false;
            continue;
        }
        match c {
            '\\' if in_q => {
                esc = true;
                cur.push(c);
            }
            '"' => {
                in_q = !in_q;
                cur.push(c);
            }
            ',' if !in_q => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        parts.push(cur);
    }
    parts
}

fn full_match(re: &str, v: &str) -> Option<bool> {
    regex::Regex::new(&format!("^(?:{re})$")).ok().map(|r| r.is_match(v))
}

/// Can an alert satisfy both `a` (a child's) and `b` (an ancestor's)? `false` only when
/// certain.
fn compatible(a: &Matcher, b: &Matcher) -> bool {
    if a.name != b.name {
        return true;
    }
    match (a.op.as_str(), b.op.as_str()) {
        ("=", "=") => a.value == b.value,
        ("=", "!=") | ("!=", "=") => a.value != b.value,
        ("=", "=~") => full_match(&b.value, &a.value).unwrap_or(true),
        ("=~", "=") => full_match(&a.value, &b.value).unwrap_or(true),
        ("=", "!~") => !full_match(&b.value, &a.value).unwrap_or(false),
        ("!~", "=") => !full_match(&a.value, &b.value).unwrap_or(false),
        _ => true,
    }
}

fn unreachable_routes(path: &str, root: &Node, diags: &mut Vec<Diagnostic>) {
    fn walk(
        path: &str,
        node: &Node,
        ancestors: &mut Vec<Matcher>,
        depth: usize,
        diags: &mut Vec<Diagnostic>,
    ) {
        if depth > 64 {
            return;
        }
        let Some(children) = node.get("routes").and_then(Node::as_seq) else { return };
        let mut catchers: Vec<(Vec<Matcher>, Pos)> = Vec::new();
        for child in children {
            let own = matchers_of(child, "");
            let mut dead = false;
            for (m, pos) in &own {
                if let Some(a) = ancestors.iter().find(|a| !compatible(m, a)) {
                    diags.push(
                        Diagnostic::warning(
                            path,
                            *pos,
                            UNREACHABLE_ROUTE,
                            format!(
                                "this route can never match: `{}{}\"{}\"` contradicts its parent's `{}{}\"{}\"`",
                                m.name, m.op, m.value, a.name, a.op, a.value
                            ),
                        )
                        .with_help("an alert reaches a child route only if it matched the parent route"),
                    );
                    dead = true;
                    break;
                }
            }
            if !dead {
                let own_ms: Vec<Matcher> = own.iter().map(|(m, _)| m.clone()).collect();
                // An earlier sibling without `continue` whose matchers are all among ours
                // takes every alert this route could get.
                if let Some((_, spos)) =
                    catchers.iter().find(|(c, _)| c.iter().all(|m| own_ms.contains(m)))
                {
                    diags.push(
                        Diagnostic::warning(
                            path,
                            child.pos,
                            UNREACHABLE_ROUTE,
                            format!("this route can never match: the sibling route at line {} matches all of its alerts first and has no `continue: true`", spos.line),
                        )
                        .with_help("move this route above the broader one, or set `continue: true` on the broader one"),
                    );
                    dead = true;
                }
                if child.get("continue").and_then(Node::as_bool) != Some(true) {
                    catchers.push((own_ms.clone(), child.pos));
                }
                if !dead {
                    let mark = ancestors.len();
                    ancestors.extend(own_ms);
                    walk(path, child, ancestors, depth + 1, diags);
                    ancestors.truncate(mark);
                }
            }
        }
    }
    let mut anc: Vec<Matcher> = matchers_of(root, "").into_iter().map(|(m, _)| m).collect();
    walk(path, root, &mut anc, 0, diags);
}

// ---------------------------------------------------------------------------------------
// Inhibit rules.

fn inhibit_labels(facts: &StackFacts, path: &str, tree: &Node, diags: &mut Vec<Diagnostic>) {
    let Some(rules) = tree.get("inhibit_rules").and_then(Node::as_seq) else { return };
    if facts.rules.is_empty() {
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
    for r in rules {
        let mut named: Vec<(String, Pos)> = Vec::new();
        for side in ["source_", "target_"] {
            named.extend(matchers_of(r, side).into_iter().map(|(m, p)| (m.name, p)));
        }
        if let Some(eq) = r.get("equal").and_then(Node::as_seq) {
            named.extend(eq.iter().filter_map(|e| e.scalar_text().map(|s| (s.to_string(), e.pos))));
        }
        let mut seen = HashSet::new();
        for (label, pos) in named {
            if !known.contains(&label) && seen.insert(label.clone()) {
                diags.push(
                    Diagnostic::warning(path, pos, INHIBIT_LABEL, format!("inhibit rule uses label `{label}`, which no alert rule of the stack carries"))
                        .with_help("labels come from the rules' `labels`, their expressions' `by (...)` clauses, target labels and external labels"),
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Plain-text secrets in alertmanager.yml.

/// Fields that hold a secret, each with its `*_file` alternative.
const SECRET_FIELDS: &[(&str, &str)] = &[
    ("smtp_auth_password", "smtp_auth_password_file"),
    ("auth_password", "auth_password_file"),
    ("slack_api_url", "slack_api_url_file"),
    ("opsgenie_api_key", "opsgenie_api_key_file"),
    ("victorops_api_key", "victorops_api_key_file"),
    ("telegram_bot_token", "telegram_bot_token_file"),
    ("webex_api_url", "webex_api_url_file"),
    ("routing_key", "routing_key_file"),
    ("service_key", "service_key_file"),
    ("api_key", "api_key_file"),
    ("bot_token", "bot_token_file"),
    ("user_key", "user_key_file"),
    ("token", "token_file"),
    ("webhook_url", "webhook_url_file"),
    ("api_secret", "api_secret_file"),
    ("password", "password_file"),
    ("credentials", "credentials_file"),
    ("bearer_token", "bearer_token_file"),
    ("client_secret", "client_secret_file"),
];

fn plain_secrets(path: &str, tree: &Node, diags: &mut Vec<Diagnostic>) {
    fn walk(path: &str, n: &Node, parent_key: &str, depth: usize, diags: &mut Vec<Diagnostic>) {
        if depth > 64 {
            return;
        }
        match &n.value {
            Value::Map(m) => {
                for (k, v) in m {
                    let slack_url = k.name == "api_url" && parent_key == "slack_configs";
                    let alt = SECRET_FIELDS
                        .iter()
                        .find(|(f, _)| *f == k.name)
                        .map(|(_, a)| *a)
                        .or(slack_url.then_some("api_url_file"));
                    if let Some(alt) = alt
                        && let Some(s) = v.scalar_text()
                        && !s.trim().is_empty()
                        && !s.starts_with("<secret>")
                    {
                        diags.push(
                            Diagnostic::warning(path, v.pos, PLAIN_SECRET, format!("`{}` holds a secret in plain text", k.name))
                                .with_help(format!("put the secret in a file (e.g. secrets/{}) and use `{alt}` instead", k.name)),
                        );
                    }
                    walk(path, v, &k.name, depth + 1, diags);
                }
            }
            Value::Seq(items) => {
                for i in items {
                    walk(path, i, parent_key, depth + 1, diags);
                }
            }
            _ => {}
        }
    }
    walk(path, tree, "", 0, diags);
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

/// Metric names of the connector's catalogue (histograms and summaries with their series).
pub fn catalogue() -> HashSet<String> {
    let mut out = HashSet::new();
    let Some(text) = crate::stack::templates::text("connector-metrics.yml") else { return out };
    let Ok(tree) = crate::yaml::parse(text) else { return out };
    for m in tree.get("metrics").and_then(Node::as_seq).unwrap_or(&[]) {
        let Some(name) = m.get("name").and_then(Node::scalar_text) else { continue };
        out.insert(name.to_string());
        match m.get("type").and_then(Node::scalar_text) {
            Some("histogram") => {
                for s in ["_bucket", "_sum", "_count"] {
                    out.insert(format!("{name}{s}"));
                }
            }
            Some("summary") => {
                for s in ["_sum", "_count"] {
                    out.insert(format!("{name}{s}"));
                }
            }
            _ => {}
        }
    }
    out
}

/// Is `name` known to the stack?
pub fn known_metric(name: &str, catalogue: &HashSet<String>, recorded: &HashSet<&str>) -> bool {
    catalogue.contains(name)
        || recorded.contains(name)
        || SYNTHETIC.contains(&name)
        || STANDARD_PREFIXES.iter().any(|p| name.starts_with(p))
}

fn unknown_metrics(facts: &StackFacts, diags: &mut Vec<Diagnostic>) {
    let cat = catalogue();
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

    #[test]
    fn matchers() {
        assert_eq!(
            parse_matcher("severity=\"critical\""),
            Some(Matcher { name: "severity".into(), op: "=".into(), value: "critical".into() })
        );
        assert_eq!(
            parse_matcher("a =~ x|y").map(|m| (m.op, m.value)),
            Some(("=~".into(), "x|y".into()))
        );
        assert_eq!(parse_matcher("b!=\"q\"").map(|m| m.op), Some("!=".into()));
        assert_eq!(split_matchers("a=\"x,y\", b=c").len(), 2);
    }

    fn routes(yaml: &str) -> Vec<Diagnostic> {
        let t = parse(yaml).expect("yaml");
        let mut d = Vec::new();
        unreachable_routes("am.yml", t.get("route").expect("route"), &mut d);
        d
    }

    #[test]
    fn contradicting_child_routes() {
        let d = routes(
            "route:\n  receiver: a\n  routes:\n    - matchers: [team=\"x\"]\n      routes:\n        - matchers: [team=\"y\"]\n        - matchers: [team=~\"x|z\"]\n",
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].code, d[0].line, d[0].column), (UNREACHABLE_ROUTE, 6, 22));
    }

    #[test]
    fn shadowed_siblings() {
        let d = routes(
            "route:\n  receiver: a\n  routes:\n    - matchers: [severity=\"critical\"]\n    - matchers: [severity=\"critical\", team=\"x\"]\n    - matchers: [severity=\"warning\"]\n      continue: true\n    - matchers: [severity=\"warning\"]\n",
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, 5);
        let d = routes(
            "route:\n  receiver: a\n  routes:\n    - receiver: catchall\n    - matchers: [x=\"1\"]\n",
        );
        assert_eq!(d.len(), 1, "{d:?}");
    }

    #[test]
    fn secrets_in_alertmanager() {
        let t = parse("global:\n  smtp_auth_password: hunter2\nreceivers:\n  - name: s\n    slack_configs:\n      - api_url: https://hooks.slack.com/x\n  - name: p\n    pagerduty_configs:\n      - routing_key_file: /etc/x\n").expect("yaml");
        let mut d = Vec::new();
        plain_secrets("am.yml", &t, &mut d);
        let at: Vec<(u32, u32)> = d.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(at, vec![(2, 23), (6, 18)]);
        assert!(d[0].help.as_deref().is_some_and(|h| h.contains("smtp_auth_password_file")));
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
        am.receivers = vec![("null".into(), Pos::new(3, 11), false)];
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
        let am = parse("inhibit_rules:\n  - source_matchers: [severity=\"critical\"]\n    target_matchers: [severity=\"warning\"]\n    equal: [cluster, team]\n").expect("yaml");
        let mut d = Vec::new();
        inhibit_labels(&facts, "am.yml", &am, &mut d);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].code, d[0].line, d[0].column), (INHIBIT_LABEL, 4, 22));
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
        let c = catalogue();
        assert!(c.contains("stellar_connector_requests_total"));
        assert!(c.contains("stellar_connector_request_duration_seconds_bucket"));
        let rec = HashSet::new();
        assert!(known_metric("node_cpu_seconds_total", &c, &rec));
        assert!(!known_metric("stellar_connector_bogus", &c, &rec));
    }
}
