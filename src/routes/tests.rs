use super::*;
use crate::output::Paint;

fn shipped() -> RoutesReport {
    let text = crate::templates::text(STACK_CONFIG).expect("shipped");
    RoutesReport::new(Config::parse(STACK_CONFIG, text).expect("valid"))
}

#[test]
fn the_tree_names_matchers_receivers_integrations_and_timers() {
    let r = shipped();
    let s = r.human(&Paint { enabled: false, stderr_enabled: false });
    assert!(s.contains("├── severity=\"critical\"  → critical"), "{s}");
    assert!(
        s.contains("pagerduty Events API v2 · slack #ops-critical · email oncall@example.com"),
        "{s}"
    );
    assert!(s.contains("group_by severity · wait 30m · interval 1d · repeat 1d"), "{s}");
    assert!(s.contains("group_by alertname, instance, severity (inherited) · wait 10s · interval 1m · repeat 1h"), "{s}");
    assert!(s.contains("critical   → critical (pagerduty Events API v2 · slack #ops-critical · email oncall@example.com)"), "{s}");
    assert!(s.contains("info       → info-digest (email ops@example.com)"), "{s}");
}

#[test]
fn json_has_the_tree_and_the_severity_table() {
    let j = shipped().json();
    assert_eq!(j["route"]["receiver"], "email-default");
    assert_eq!(j["route"]["routes"][0]["matchers"][0], "severity=\"critical\"");
    assert_eq!(j["route"]["routes"][0]["inherited"]["group_by"], true);
    assert_eq!(j["severities"][0]["severity"], "critical");
    assert_eq!(j["severities"][0]["integrations"][1]["destination"], "#ops-critical");
    assert_eq!(j["inhibit_rules"][0]["equal"][1], "instance");
}

#[test]
fn labels_are_escaped_for_dot_and_mermaid_and_terminal() {
    let y = "route:\n  receiver: \"a\\\"b\"\n  routes:\n    - matchers: ['x=\"<y>#\\u001b[2J\"']\n      receiver: \"a\\\"b\"\nreceivers:\n  - name: \"a\\\"b\"\n";
    let c = Config::parse("am.yml", y).expect("valid");
    let d = graph::dot(&c);
    assert!(d.contains("receiver a\\\"b\\l"), "{d}");
    assert!(!d.contains('\u{1b}'), "{d}");
    let m = graph::mermaid(&c);
    assert!(m.contains("#lt;y#gt;#35;"), "{m}");
    assert!(m.contains("a#quot;b"), "{m}");
    let h = RoutesReport::new(c).human(&Paint { enabled: false, stderr_enabled: false });
    assert!(!h.contains('\u{1b}'), "{h}");
}

#[test]
fn durations_print_like_prometheus() {
    assert_eq!(fmt_duration(90_000), "1m30s");
    assert_eq!(fmt_duration(14_400_000), "4h");
    assert_eq!(fmt_duration(86_400_000), "1d");
    assert_eq!(fmt_duration(1_500), "1s500ms");
    assert_eq!(fmt_duration(0), "0s");
}
