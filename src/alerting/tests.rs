use super::*;

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn receivers(c: &Config, l: &Labels) -> Vec<String> {
    c.route_alert(l).into_iter().map(|m| m.receiver).collect()
}

const TREE: &str = r#"
route:
  receiver: default
  group_by: [alertname]
  group_wait: 20s
  routes:
    - matchers: ['severity="critical"']
      receiver: pager
      continue: true
      group_interval: 1m
    - matchers: ['severity=~"critical|warning"']
      receiver: chat
      group_by: ['...']
      routes:
        - match: {team: db}
          receiver: db-chat
          repeat_interval: 2h
    - match_re: {service: "api"}
      receiver: api
    - receiver: catch
      matchers: ['env="prod"']
receivers:
  - name: default
  - name: pager
  - name: chat
  - name: db-chat
  - name: api
  - name: catch
"#;

#[test]
fn continue_order_and_first_match_wins() {
    let c = Config::parse("am.yml", TREE).expect("valid");
    assert_eq!(receivers(&c, &labels(&[("severity", "critical")])), ["pager", "chat"]);
    assert_eq!(receivers(&c, &labels(&[("severity", "warning"), ("env", "prod")])), ["chat"]);
    assert_eq!(
        receivers(&c, &labels(&[("severity", "critical"), ("team", "db")])),
        ["pager", "db-chat"]
    );
    assert_eq!(receivers(&c, &labels(&[("env", "prod")])), ["catch"]);
    assert_eq!(receivers(&c, &labels(&[("severity", "info")])), ["default"]);
    assert_eq!(receivers(&c, &Labels::new()), ["default"]);
}

#[test]
fn match_re_is_anchored() {
    let c = Config::parse("am.yml", TREE).expect("valid");
    assert_eq!(receivers(&c, &labels(&[("service", "api")])), ["api"]);
    assert_eq!(receivers(&c, &labels(&[("service", "api2")])), ["default"]);
    assert_eq!(receivers(&c, &labels(&[("service", "my-api")])), ["default"]);
}

#[test]
fn group_by_and_timers_are_inherited() {
    let c = Config::parse("am.yml", TREE).expect("valid");
    let l = labels(&[("severity", "critical"), ("team", "db"), ("instance", "i1")]);
    let m = c.route_alert(&l);
    assert_eq!(m[0].route_path, "route.routes[0]");
    assert_eq!(m[0].group_by, GroupBy::Labels(vec!["alertname".into()]));
    assert_eq!(m[0].group_wait_ms, 20_000, "from the root");
    assert_eq!(m[0].group_interval_ms, 60_000);
    assert_eq!(m[0].repeat_interval_ms, 4 * 3_600_000, "Alertmanager's default");
    assert_eq!(m[1].route_path, "route.routes[1].routes[0]");
    assert_eq!(m[1].group_by, GroupBy::All, "`...` inherited from the parent");
    assert_eq!(m[1].group_labels, l);
    assert_eq!(m[1].group_interval_ms, 300_000, "not the sibling's 1m");
    assert_eq!(m[1].repeat_interval_ms, 7_200_000);
    assert!(m[0].group_labels.is_empty(), "no alertname label");
}

#[test]
fn parser_modes_differ_on_classic_only_and_utf8_only_input() {
    // Unquoted regex with a backslash-free value: both parse; `foo=bar baz` only classic.
    let y = r#"
route:
  receiver: a
  routes:
    - matchers: ['team=db ops']
      receiver: b
receivers: [{name: a}, {name: b}]
"#;
    let src = Source::memory("am.yml", y);
    let fallback = Config::from_source(&src, ParserMode::Fallback).expect("fallback accepts");
    assert_eq!(receivers(&fallback, &labels(&[("team", "db ops")])), ["b"]);
    assert!(!fallback.warnings.is_empty(), "classic-only input is warned about");
    assert!(Config::from_source(&src, ParserMode::Utf8Strict).is_err());
    // A UTF-8 label name is accepted by the UTF-8 parser only.
    let y2 = r#"
route:
  receiver: a
  routes:
    - matchers: ['"service.name"="api"']
      receiver: b
receivers: [{name: a}, {name: b}]
"#;
    let src2 = Source::memory("am.yml", y2);
    let strict = Config::from_source(&src2, ParserMode::Utf8Strict).expect("utf8");
    assert_eq!(receivers(&strict, &labels(&[("service.name", "api")])), ["b"]);
    let e = Config::from_source(&src2, ParserMode::Classic).expect_err("classic rejects");
    assert!(e.iter().any(|d| d.line == 5 && d.column > 7), "{e:?}");
}

#[test]
fn invalid_config_gives_positioned_errors() {
    let y = "route:\n  receiver: nope\n  routes:\n    - matchers: ['a=~\"(\"']\nreceivers: [{name: a}]\n";
    let e = Config::parse("am.yml", y).expect_err("invalid");
    let lines: Vec<u32> =
        e.iter().filter(|d| d.severity == crate::lint::Severity::Error).map(|d| d.line).collect();
    assert!(lines.contains(&2), "undefined receiver: {e:?}");
    assert!(lines.contains(&4), "bad regex: {e:?}");
    let z = "route:\n  receiver: a\n  routes:\n    - mute_time_intervals: [x]\ntime_intervals:\n  - name: x\n    time_intervals:\n      - location: Mars/Base\nreceivers: [{name: a}]\n";
    let e = Config::parse("am.yml", z).expect_err("bad zone");
    assert!(e.iter().any(|d| d.line == 8 && d.code == "alertmanager/time-zone"), "{e:?}");
}

const INHIBIT: &str = r#"
route: {receiver: a}
receivers: [{name: a}]
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [alertname, instance]
  - name: down-mutes-rest
    source_match: {alertname: Down}
    target_match_re: {component: "conn.*"}
    target_matchers: ['alertname!="Down"']
    equal: [instance]
  - source_matchers: ['kind="x"']
    target_matchers: ['kind="x"']
"#;

#[test]
fn inhibition_equal_and_sides() {
    let c = Config::parse("am.yml", INHIBIT).expect("valid");
    let warn = labels(&[("alertname", "Lag"), ("instance", "i1"), ("severity", "warning")]);
    let crit_same = labels(&[("alertname", "Lag"), ("instance", "i1"), ("severity", "critical")]);
    let crit_other = labels(&[("alertname", "Lag"), ("instance", "i2"), ("severity", "critical")]);
    assert!(c.inhibited(&warn, std::slice::from_ref(&crit_same)));
    assert!(!c.inhibited(&warn, &[crit_other]));
    assert!(!c.inhibited(&warn, &[]));
    assert!(!c.inhibited(&crit_same, std::slice::from_ref(&warn)), "the target does not inhibit");
    // equal on a label both lack: equal ("" == "").
    let w2 = labels(&[("alertname", "Lag"), ("severity", "warning")]);
    let c2 = labels(&[("alertname", "Lag"), ("severity", "critical")]);
    assert!(c.inhibited(&w2, &[c2]));
    // The named rule, `match_re` anchored.
    let down = labels(&[("alertname", "Down"), ("instance", "i1")]);
    let lag = labels(&[("alertname", "Lag"), ("instance", "i1"), ("component", "connector")]);
    let inh = c.inhibition(&lag, std::slice::from_ref(&down)).expect("inhibited");
    assert_eq!(inh.rule, 1);
    assert_eq!(inh.rule_name.as_deref(), Some("down-mutes-rest"));
    assert_eq!(inh.by, down);
    let other = labels(&[("alertname", "Lag"), ("instance", "i1"), ("component", "xconn")]);
    assert!(!c.inhibited(&other, std::slice::from_ref(&down)));
    assert!(!c.inhibited(&down, std::slice::from_ref(&down)), "target excludes Down itself");
}

#[test]
fn an_alert_matching_both_sides_never_inhibits_its_like() {
    let c = Config::parse("am.yml", INHIBIT).expect("valid");
    let x1 = labels(&[("kind", "x"), ("n", "1")]);
    let x2 = labels(&[("kind", "x"), ("n", "2")]);
    assert!(!c.inhibited(&x1, std::slice::from_ref(&x1)));
    assert!(!c.inhibited(&x1, &[x2]), "both match source and target: excluded");
}

const TIMES: &str = r#"
route:
  receiver: a
  routes:
    - matchers: ['severity="warning"']
      receiver: chat
      mute_time_intervals: [nights]
      continue: true
    - matchers: ['severity="warning"']
      receiver: office
      active_time_intervals: [office-hours]
receivers: [{name: a}, {name: chat}, {name: office}]
time_intervals:
  - name: nights
    time_intervals:
      - times: [{start_time: "00:00", end_time: "06:00"}]
        location: America/New_York
  - name: office-hours
    time_intervals:
      - weekdays: ['monday:friday']
        times: [{start_time: "09:00", end_time: "17:00"}]
        location: Europe/Berlin
"#;

#[test]
fn mute_and_active_intervals_in_their_zones() {
    let c = Config::parse("am.yml", TIMES).expect("valid");
    let w = labels(&[("severity", "warning")]);
    // 2026-03-03 (Tuesday) 07:00 UTC = 02:00 New York (muted), 08:00 Berlin (not active).
    let m = c.route_alert_at(&w, "2026-03-03T07:00:00Z".parse().expect("ts"));
    assert_eq!(m[0].muted, Some(Mute::MuteTimeInterval("nights".into())));
    assert_eq!(m[1].muted, Some(Mute::NotActive(vec!["office-hours".into()])));
    // 12:00 UTC = 07:00 New York, 13:00 Berlin: both notify.
    let m = c.route_alert_at(&w, "2026-03-03T12:00:00Z".parse().expect("ts"));
    assert!(m.iter().all(|x| x.muted.is_none()), "{m:?}");
    // Saturday noon: office is not active.
    let m = c.route_alert_at(&w, "2026-03-07T12:00:00Z".parse().expect("ts"));
    assert!(m[0].muted.is_none());
    assert!(m[1].muted.is_some());
    // Without an instant nothing is muted (amtool's view).
    assert!(c.route_alert(&w).iter().all(|x| x.muted.is_none()));
}

#[test]
fn receivers_show_destinations_without_secrets() {
    let y = r#"
route: {receiver: r}
receivers:
  - name: r
    slack_configs: [{channel: '#ops', api_url: 'https://hooks.slack.com/services/T/B/SECRET'}]
    email_configs: [{to: 'ops@example.com', smarthost: 'x:25', from: 'a@b.c'}]
    webhook_configs: [{url: 'http://user:pw@127.0.0.1:9/hook?token=SECRET'}]
    pagerduty_configs: [{routing_key: 'k'}]
"#;
    let c = Config::parse("am.yml", y).expect("valid");
    let r = c.receiver("r").expect("r");
    let d: Vec<(String, Option<String>)> =
        r.integrations.iter().map(|i| (i.kind.clone(), i.destination.clone())).collect();
    assert_eq!(
        d,
        [
            ("slack".to_string(), Some("#ops".to_string())),
            ("email".to_string(), Some("ops@example.com".to_string())),
            ("webhook".to_string(), Some("http://127.0.0.1:9".to_string())),
            ("pagerduty".to_string(), Some("Events API v2".to_string())),
        ]
    );
    let json = serde_json::to_string(&c.receivers).expect("json");
    assert!(!json.contains("SECRET") && !json.contains("pw"), "{json}");
}

#[test]
fn the_shipped_config_routes_by_severity() {
    let text = crate::templates::text("alerting/alertmanager.yml").expect("shipped");
    let c = Config::parse("alerting/alertmanager.yml", text).expect("valid");
    let crit = labels(&[("alertname", "StellarConnectorDown"), ("severity", "critical")]);
    assert_eq!(receivers(&c, &crit), ["critical"]);
    let kinds: Vec<&str> =
        c.receiver("critical").expect("r").integrations.iter().map(|i| i.kind.as_str()).collect();
    assert_eq!(kinds, ["pagerduty", "slack", "email"]);
    assert_eq!(receivers(&c, &labels(&[("severity", "info")])), ["info-digest"]);
    assert_eq!(receivers(&c, &labels(&[("severity", "debug")])), ["email-default"]);
    let info = c.route_alert(&labels(&[("severity", "info"), ("alertname", "X")]));
    assert_eq!(info[0].group_by, GroupBy::Labels(vec!["severity".into()]));
    assert_eq!(info[0].repeat_interval_ms, 24 * 3_600_000);
}
