//! What amtool cannot answer, checked against a real Alertmanager (Debian's): grouping
//! (receiver and group labels of `/api/v2/alerts/groups`) and inhibition (`/api/v2/alerts`,
//! `status.inhibitedBy`) compared with the model's predictions.

use std::collections::BTreeSet;
use std::time::Duration;

use stellar_obs::alerting::{Config, Labels};

use crate::common::http_server::http_get;
use crate::common::servers::{self, wait_until};

const AM: &str = r#"
route:
  receiver: default
  group_by: [alertname, instance]
  group_wait: 1h
  routes:
    - matchers: ['severity="critical"']
      receiver: pager
      continue: true
    - matchers: ['severity=~"critical|warning"']
      receiver: chat
      group_by: ['...']
    - matchers: ['severity="info"']
      receiver: digest
      group_by: [severity]
receivers:
  - name: default
  - name: pager
  - name: chat
  - name: digest
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [alertname]
"#;

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn grouping_and_inhibition_match_a_real_alertmanager() {
    let am = servers::alertmanager().config(AM).start();
    let alerts = [
        labels(&[("alertname", "Down"), ("instance", "a"), ("severity", "critical")]),
        labels(&[("alertname", "Down"), ("instance", "b"), ("severity", "warning")]),
        labels(&[("alertname", "Lag"), ("instance", "a"), ("severity", "warning")]),
        labels(&[("alertname", "Restart"), ("instance", "a"), ("severity", "info")]),
        labels(&[("alertname", "Restart"), ("instance", "b"), ("severity", "info")]),
        labels(&[("alertname", "Other"), ("instance", "c")]),
    ];
    let body = serde_json::to_string(
        &alerts.iter().map(|l| serde_json::json!({ "labels": l })).collect::<Vec<_>>(),
    )
    .expect("json");
    // The small test client sends no content type; Alertmanager wants JSON: curl posts.
    let curl = crate::common::require_tool("curl");
    let o = std::process::Command::new(curl)
        .args([
            "-sS",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "-H",
            "Content-Type: application/json",
        ])
        .args(["--data-binary", &body])
        .arg(format!("{}/api/v2/alerts", am.url()))
        .output()
        .expect("curl");
    assert_eq!(String::from_utf8_lossy(&o.stdout), "200", "{}", String::from_utf8_lossy(&o.stderr));

    let config = Config::parse("am.yml", AM).expect("valid");
    // Predicted groups: (receiver, group labels).
    let mut predicted: BTreeSet<(String, Labels)> = BTreeSet::new();
    for l in &alerts {
        for m in config.route_alert(l) {
            predicted.insert((m.receiver, m.group_labels));
        }
    }
    let groups_url = format!("{}/api/v2/alerts/groups", am.url());
    let mut seen: BTreeSet<(String, Labels)> = BTreeSet::new();
    wait_until(Duration::from_secs(20), "Alertmanager's groups", || {
        let Ok((200, text)) = http_get(&groups_url, Duration::from_secs(5)) else {
            return false;
        };
        let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        seen = v
            .as_array()
            .map(|gs| {
                gs.iter()
                    .map(|g| {
                        let r = g["receiver"]["name"].as_str().unwrap_or("").to_string();
                        let l: Labels =
                            serde_json::from_value(g["labels"].clone()).unwrap_or_default();
                        (r, l)
                    })
                    .collect()
            })
            .unwrap_or_default();
        seen.len() >= predicted.len()
    });
    assert_eq!(seen, predicted, "groups: Alertmanager vs stellar-obs");

    // Inhibition: every alert's inhibited state as Alertmanager reports it.
    let (_, text) =
        http_get(&format!("{}/api/v2/alerts", am.url()), Duration::from_secs(5)).expect("alerts");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let mut checked = 0;
    for a in v.as_array().expect("array") {
        let l: Labels = serde_json::from_value(a["labels"].clone()).expect("labels");
        let theirs = a["status"]["inhibitedBy"].as_array().is_some_and(|x| !x.is_empty());
        let ours = config.inhibited(&l, &alerts);
        assert_eq!(ours, theirs, "inhibition of {l:?}");
        checked += 1;
    }
    assert_eq!(checked, alerts.len());
    assert!(config.inhibited(&alerts[1], &alerts), "the test must include an inhibited alert");
}
