use super::*;

fn parse_str(text: &str) -> (Vec<Slo>, Vec<Diagnostic>) {
    let mut d = Vec::new();
    let s = parse("spec.yml", text, &mut d);
    (s, d)
}

const GOOD: &str = r#"version: "prometheus/v1"
service: "api"
labels:
  team: ops
slos:
  - name: "availability"
    objective: 99.9
    sli:
      events:
        error_query: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total[{{ .window }}]))
    alerting:
      name: ApiAvailability
      page_alert:
        labels:
          severity: critical
      ticket_alert:
        disable: true
"#;

#[test]
fn a_sloth_spec_is_read() {
    let (slos, d) = parse_str(GOOD);
    assert!(d.is_empty(), "{d:?}");
    let s = &slos[0];
    assert_eq!(s.id(), "api-availability");
    assert_eq!(s.labels.get("team").map(String::as_str), Some("ops"));
    assert!((s.error_budget() - 0.001).abs() < 1e-12);
    assert!(s.alerting.page.is_some() && s.alerting.ticket.is_none());
    assert!(s.error_ratio_expr("1h").contains("[1h])))\n/\n(sum(rate(http_requests_total[1h])))"));
}

#[test]
fn bad_input_is_positioned() {
    let cases: [(&str, &str, &str, u32); 5] = [
        ("objective: 99.9", "objective: 100", OBJECTIVE, 7),
        ("objective: 99.9", "objective: 0", OBJECTIVE, 7),
        ("[{{ .window }}]", "[5m]", WINDOW_TEMPLATE, 11),
        ("version: \"prometheus/v1\"", "version: \"prometheus/v2\"", VERSION, 1),
        ("objective: 99.9", "objective: 99.9\n    extra: 1", crate::lint::schema::UNKNOWN_FIELD, 8),
    ];
    for (from, to, code, line) in cases {
        let (slos, d) = parse_str(&GOOD.replace(from, to));
        assert!(slos.is_empty(), "{to}");
        assert!(d.iter().any(|x| x.code == code && x.line == line), "{to}: {code} {line} {d:#?}");
    }
}

#[test]
fn openslo_objectives_become_slos() {
    let text = "apiVersion: openslo/v1alpha\nkind: SLO\nmetadata:\n  name: lat\nspec:\n  service: api\n  budgetingMethod: Occurrences\n  objectives:\n    - ratioMetrics:\n        good: {source: prometheus, queryType: promql, query: 'sum(rate(ok[{{.window}}]))'}\n        total: {source: prometheus, queryType: promql, query: 'sum(rate(all[{{.window}}]))'}\n      target: 0.99\n  timeWindows:\n    - count: 7\n      unit: Day\n";
    let (slos, d) = parse_str(text);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(slos[0].name, "lat-0");
    assert_eq!(slos[0].period_ms, Some(7 * MS_DAY));
    assert!((slos[0].objective - 99.0).abs() < 1e-9);
    let (_, d) = parse_str(&text.replace("target: 0.99", "target: 1.5"));
    assert_eq!((d[0].code, d[0].line), (OBJECTIVE, 12));
    let (_, d) = parse_str(&text.replace("openslo/v1alpha", "openslo/v9"));
    assert_eq!((d[0].code, d[0].line, d[0].column), (VERSION, 1, 13));
}

#[test]
fn durations_are_formatted_in_whole_units() {
    assert_eq!(format_duration(300_000), "5m");
    assert_eq!(format_duration(36 * 3_600_000), "36h");
    assert_eq!(format_duration(30 * MS_DAY), "30d");
    assert!(parse_period("30s").is_err());
    assert_eq!(parse_period("4w"), Ok(28 * MS_DAY));
}
