//! One valid and one invalid input per check, with the exact code and position.

use super::*;
use crate::lint::schema::{DUPLICATE_KEY, UNKNOWN_FIELD};
use crate::yaml::parse;

fn run_opts(text: &str, opts: &Options) -> (Vec<Diagnostic>, RuleFacts) {
    let src = Source::memory("r.yml", text);
    let tree = parse(text).expect("yaml");
    let mut d = Vec::new();
    let f = check_file(&src, &tree, opts, &mut d);
    (d, f)
}

fn run(text: &str) -> Vec<Diagnostic> {
    run_opts(text, &Options::default()).0
}

fn at(d: &[Diagnostic]) -> Vec<(&'static str, u32, u32)> {
    d.iter().map(|d| (d.code, d.line, d.column)).collect()
}

const GOOD: &str = "\
groups:
  - name: g
    interval: 30s
    query_offset: 1m
    limit: 10
    labels:
      team: core
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
      - alert: Down
        expr: |
          job:up:sum == 0
        for: 5m
        keep_firing_for: 1m
        labels:
          severity: critical
        annotations:
          summary: \"{{ $labels.job }} is down ({{ $value | humanize }})\"
";

#[test]
fn a_good_file_is_clean_and_yields_facts() {
    let (d, f) = run_opts(GOOD, &Options::default());
    assert_eq!(d, vec![]);
    assert_eq!(f.rules.len(), 2);
    let alert = &f.rules[1];
    assert_eq!(alert.kind, RuleKind::Alert);
    assert_eq!(alert.pos, Pos::new(11, 16));
    assert_eq!(alert.labels.get("severity").map(|(v, _)| v.as_str()), Some("critical"));
    assert_eq!(alert.labels.get("team").map(|(v, _)| v.as_str()), Some("core"));
    assert_eq!(alert.metrics, vec![("job:up:sum".to_string(), Pos::new(13, 11))]);
    assert_eq!(f.rules[0].grouping_labels, vec!["job".to_string()]);
}

#[test]
fn a_mapping_without_groups_is_zero_groups() {
    // Prometheus decodes `{}` (and `groups:` with nothing) to zero groups, like an empty file.
    for text in ["{}\n", "groups:\n", "", "# only a comment\n"] {
        let (d, f) = run_opts(text, &Options::default());
        assert_eq!(d, vec![], "{text:?}");
        assert!(f.rules.is_empty());
    }
    // Anything else at the top is still an unknown field.
    assert_eq!(at(&run("group: []\n")), vec![(UNKNOWN_FIELD, 1, 1)]);
}

#[test]
fn a_bad_regex_points_at_the_regex() {
    let d = run(
        "groups:\n  - name: g\n    rules:\n      - alert: a\n        expr: up{job=\"x\", instance=~\"((\"} == 0\n",
    );
    assert_eq!(at(&d), vec![(PROMQL_SYNTAX, 5, 37)]);
}

#[test]
fn group_names() {
    let d = run("groups:\n  - name: a\n    rules: []\n  - name: a\n    rules: []\n  - rules: []\n");
    assert_eq!(at(&d), vec![(GROUP_NAME, 4, 11), (GROUP_NAME, 6, 5)]);
    assert!(d[0].message.contains("groupname: \"a\" is repeated in the same file"));
}

#[test]
fn record_or_alert() {
    let d = run(
        "groups:\n  - name: g\n    rules:\n      - expr: up\n      - record: a\n        alert: b\n        expr: up\n",
    );
    assert_eq!(at(&d), vec![(RECORD_OR_ALERT, 4, 9), (RECORD_OR_ALERT, 5, 17)]);
    assert_eq!(d[0].message, "one of 'record' or 'alert' must be set");
    assert_eq!(d[1].message, "only one of 'record' and 'alert' must be set");
}

#[test]
fn missing_expr_points_at_the_rule() {
    let d = run("groups:\n  - name: g\n    rules:\n      - record: a\n");
    assert_eq!(at(&d), vec![(MISSING_FIELD, 4, 9)]);
    assert_eq!(d[0].message, "field 'expr' must be set in rule");
}

#[test]
fn promql_errors_point_into_the_expression() {
    // Plain scalar: `rate(` at column 15.
    let d = run("groups:\n  - name: g\n    rules:\n      - record: a\n        expr: rate(up)\n");
    assert_eq!(at(&d), vec![(PROMQL_SYNTAX, 5, 15)]);
    assert!(
        d[0].message.contains("expected type matrix in call to function 'rate'"),
        "{}",
        d[0].message
    );
    // Block scalar: the unknown function on the third line of the expression.
    let d = run(
        "groups:\n  - name: g\n    rules:\n      - alert: a\n        expr: |\n          sum(\n            nope(up)\n          )\n",
    );
    assert_eq!(at(&d), vec![(PROMQL_SYNTAX, 7, 13)]);
    // Double-quoted with escapes.
    let d = run(
        "groups:\n  - name: g\n    rules:\n      - alert: a\n        expr: \"up{a=\\\"b\\\"} + bad(1)\"\n",
    );
    assert_eq!(at(&d), vec![(PROMQL_SYNTAX, 5, 30)]);
    // An unclosed parenthesis: at the parenthesis.
    let d =
        run("groups:\n  - name: g\n    rules:\n      - alert: a\n        expr: sum(up) by (job\n");
    assert_eq!(at(&d), vec![(PROMQL_SYNTAX, 5, 26)]);
}

#[test]
fn experimental_functions_warn() {
    let d = run(
        "groups:\n  - name: g\n    rules:\n      - record: a\n        expr: sort_by_label(up, \"job\")\n",
    );
    assert_eq!(at(&d), vec![(PROMQL_EXPERIMENTAL, 5, 15)]);
    assert_eq!(d[0].severity, Severity::Warning);
}

#[test]
fn record_names() {
    let d = run(
        "groups:\n  - name: g\n    rules:\n      - record: a{b=\"c\"}\n        expr: up\n      - record: ok:name_1\n        expr: up\n",
    );
    assert_eq!(at(&d), vec![(RECORD_NAME, 4, 17)]);
    assert!(d[0].message.starts_with("braces present in the recording rule name"));
    let text = "groups:\n  - name: g\n    rules:\n      - record: my.metric\n        expr: up\n";
    let d = run(text);
    assert_eq!((d[0].code, d[0].severity), (RECORD_NAME, Severity::Warning));
    let (d, _) = run_opts(text, &Options { legacy_names: true, ..Options::default() });
    assert_eq!((d[0].code, d[0].severity), (RECORD_NAME, Severity::Error));
}

#[test]
fn recording_rules_reject_alert_fields() {
    let d = run(
        "groups:\n  - name: g\n    rules:\n      - record: a\n        expr: up\n        for: 5m\n        keep_firing_for: 1m\n        annotations:\n          x: y\n",
    );
    // At each offending key, with the rule's name in the message.
    assert_eq!(
        at(&d),
        vec![(RECORDING_FIELD, 6, 9), (RECORDING_FIELD, 7, 9), (RECORDING_FIELD, 8, 9)]
    );
    assert_eq!(d[0].message, "invalid field 'for' in recording rule \"a\"");
    assert_eq!(d[2].message, "invalid field 'annotations' in recording rule \"a\"");
    // `for: 0` is the zero value Go does not see.
    let d = run(
        "groups:\n  - name: g\n    rules:\n      - record: a\n        expr: up\n        for: 0s\n",
    );
    assert_eq!(d, vec![]);
}

#[test]
fn label_and_annotation_names() {
    let d = run(
        "groups:\n  - name: g\n    rules:\n      - alert: a\n        expr: up\n        labels:\n          __name__: x\n          ins-tance: y\n        annotations:\n          an-notation: z\n",
    );
    assert_eq!(at(&d), vec![(LABEL_NAME, 7, 11), (LABEL_NAME, 8, 11), (ANNOTATION_NAME, 10, 11)]);
    assert_eq!(d[0].severity, Severity::Error);
    assert_eq!(d[1].severity, Severity::Warning);
}

#[test]
fn templates_are_checked_with_prometheus_functions() {
    let d = run(
        "groups:\n  - name: g\n    rules:\n      - alert: a\n        expr: up\n        annotations:\n          s: \"{{ $label.instance }}\"\n          t: \"{{ humanizePercentage $value }} {{ nope 1 }}\"\n          u: \"{{ if }}\"\n",
    );
    assert_eq!(at(&d), vec![(TEMPLATE, 7, 18), (TEMPLATE, 8, 50), (TEMPLATE, 9, 15)]);
    assert!(d[0].message.contains("undefined variable \"$label\""), "{}", d[0].message);
    assert!(d[1].message.contains("function \"nope\" not defined"));
    // Recording rules' labels are not templates.
    let d = run(
        "groups:\n  - name: g\n    rules:\n      - record: a\n        expr: up\n        labels:\n          x: \"{{ if }}\"\n",
    );
    assert_eq!(d, vec![]);
}

#[test]
fn schema_strictness() {
    let d = run(
        "groups:\n  - name: g\n    namespace: x\n    rules:\n      - alert: a\n        expr: up\n        annotation: {}\n        expr: up\n",
    );
    assert_eq!(at(&d), vec![(UNKNOWN_FIELD, 3, 5), (UNKNOWN_FIELD, 7, 9), (DUPLICATE_KEY, 8, 9)]);
    let d = run("groups:\n  - name: g\n    interval: 5\n    rules: []\n");
    assert_eq!(at(&d), vec![(crate::lint::schema::BAD_VALUE, 3, 15)]);
}

#[test]
fn duplicates_within_and_across_files() {
    let text = "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        labels: {s: x}\n      - alert: A\n        expr: up == 0\n        labels: {s: x}\n      - alert: A\n        expr: up\n        labels: {s: y}\n";
    let (_, f1) = run_opts(text, &Options::default());
    let (_, f2) = run_opts(
        "groups:\n  - name: h\n    rules:\n      - alert: A\n        expr: up\n        labels: {s: y}\n",
        &Options::default(),
    );
    let mut d = Vec::new();
    duplicates(&[("a.yml", &f1), ("b.yml", &f2)], &mut d);
    let got: Vec<(&str, u32, u32)> =
        d.iter().map(|d| (d.path.as_str(), d.line, d.column)).collect();
    assert_eq!(got, vec![("a.yml", 7, 16), ("b.yml", 4, 16)]);
    assert!(d[1].message.contains("a.yml:10"));
}
