//! Checks of the HA topology (`topology: ha` in `stellar-obs.yml`), on its
//! `prometheus/prometheus.yml` (both replicas read that one file): every Alertmanager peer
//! listed (a single one, or one name behind a load balancer, defeats the cluster: the
//! Alertmanager docs insist each Prometheus sends to every peer), an external label that
//! differs per replica (from the environment), and that label kept off alerts (otherwise
//! the replicas' alerts differ and every notification goes out twice).

use crate::lint::check::Check;
use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::yaml::Node;

pub const SINGLE_ALERTMANAGER: &str = "ha/single-alertmanager";
pub const SHARED_EXTERNAL_LABELS: &str = "ha/shared-external-labels";
pub const REPLICA_LABEL_ON_ALERTS: &str = "ha/replica-label-on-alerts";

pub const CHECKS: &[Check] = &[
    Check {
        id: SINGLE_ALERTMANAGER,
        severity: Severity::Warning,
        summary: "HA stack: Prometheus lists a single Alertmanager (or none); it must send to every peer of the cluster, never to one behind a load balancer.",
    },
    Check {
        id: SHARED_EXTERNAL_LABELS,
        severity: Severity::Warning,
        summary: "HA stack: the replicas share their external labels (none comes from the environment, such as `replica: ${STELLAR_OBS_REPLICA}`), so a central store cannot tell them apart.",
    },
    Check {
        id: REPLICA_LABEL_ON_ALERTS,
        severity: Severity::Warning,
        summary: "HA stack: the per-replica external label is not dropped from alerts (`alert_relabel_configs` labeldrop), so each replica's alert is a different alert and notifications go out twice.",
    },
];

/// Whether `stellar-obs.yml` text says `topology: ha`.
pub fn is_ha(settings_text: &str) -> bool {
    crate::yaml::parse(settings_text)
        .ok()
        .and_then(|t| t.get("topology").and_then(Node::as_str).map(|s| s.trim() == "ha"))
        .unwrap_or(false)
}

/// The HA checks on the Prometheus configuration `tree` (shown as `path`).
pub fn check(path: &str, tree: &Node, diags: &mut Vec<Diagnostic>) {
    let alerting = tree.get("alerting");
    // Targets listed statically; any service discovery can resolve to every peer.
    let mut targets = 0usize;
    let mut discovered = false;
    for am in alerting.and_then(|a| a.get("alertmanagers")).and_then(Node::as_seq).unwrap_or(&[]) {
        for (k, v) in am.as_map().unwrap_or(&[]) {
            if k.name == "static_configs" {
                for sc in v.as_seq().unwrap_or(&[]) {
                    targets += sc.get("targets").and_then(Node::as_seq).map_or(0, <[Node]>::len);
                }
            } else if k.name.ends_with("_sd_configs") {
                discovered = true;
            }
        }
    }
    if targets <= 1 && !discovered {
        let pos = alerting.map(|a| a.pos).unwrap_or(tree.pos);
        diags.push(
            Diagnostic::warning(
                path,
                pos,
                SINGLE_ALERTMANAGER,
                format!(
                    "this HA stack's Prometheus sends alerts to {}: list every Alertmanager peer ({}), never a single one or one name behind a load balancer; the peers deduplicate among themselves",
                    if targets == 0 { "no Alertmanager".to_string() } else { "a single Alertmanager".to_string() },
                    crate::ha::alertmanager_targets()
                ),
            )
            .with_help("`stellar-obs init --ha --force` writes the HA prometheus.yml"),
        );
    }
    let labels = tree.get("global").and_then(|g| g.get("external_labels"));
    let from_env: Vec<String> = labels
        .and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .filter(|(_, v)| v.scalar_text().is_some_and(|t| t.contains('$')))
        .map(|(k, _)| k.name.clone())
        .collect();
    if from_env.is_empty() {
        let pos = labels.map(|l| l.pos).or(tree.get("global").map(|g| g.pos)).unwrap_or(tree.pos);
        diags.push(Diagnostic::warning(
            path,
            pos,
            SHARED_EXTERNAL_LABELS,
            format!(
                "both Prometheus replicas read this file and no external label comes from their environment: they share their external labels; add `replica: ${{{}}}` (each replica gets its own name)",
                crate::ha::REPLICA_ENV
            ),
        ));
        return;
    }
    let dropped = |label: &str| {
        alerting
            .and_then(|a| a.get("alert_relabel_configs"))
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .any(|r| {
                r.get("action").and_then(Node::as_str) == Some("labeldrop")
                    && r.get("regex")
                        .and_then(Node::scalar_text)
                        .and_then(|re| regex::Regex::new(&format!("^(?:{re})$")).ok())
                        .is_some_and(|re| re.is_match(label))
            })
    };
    for label in from_env.iter().filter(|l| !dropped(l)) {
        let pos = alerting.map(|a| a.pos).unwrap_or(tree.pos);
        diags.push(Diagnostic::warning(
            path,
            pos,
            REPLICA_LABEL_ON_ALERTS,
            format!(
                "external label `{label}` differs per replica but is not dropped from alerts: Alertmanager then sees two different alerts and notifies twice; add under `alerting:` `alert_relabel_configs: [{{action: labeldrop, regex: {label}}}]`"
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<&'static str> {
        let tree = crate::yaml::parse(text).expect("yaml");
        let mut d = Vec::new();
        check("p.yml", &tree, &mut d);
        d.iter().map(|d| d.code).collect()
    }

    #[test]
    fn the_ha_template_passes_and_the_single_one_does_not() {
        let single = crate::templates::text("prometheus/prometheus.yml").expect("t");
        assert_eq!(codes(single), [SINGLE_ALERTMANAGER, SHARED_EXTERNAL_LABELS]);
        let ha = crate::ha::prometheus_config(single).expect("ha");
        assert!(codes(&ha).is_empty(), "{:?}", codes(&ha));
    }

    #[test]
    fn a_replica_label_kept_on_alerts_and_discovery_are_told_apart() {
        let text = "global:\n  external_labels:\n    replica: ${R}\nalerting:\n  alertmanagers:\n    - dns_sd_configs:\n        - names: [tasks.alertmanager]\n          type: A\n          port: 9093\n";
        assert_eq!(codes(text), [REPLICA_LABEL_ON_ALERTS]);
        let fixed = text.replace(
            "alerting:\n",
            "alerting:\n  alert_relabel_configs:\n    - action: labeldrop\n      regex: rep.*\n",
        );
        assert!(codes(&fixed).is_empty());
        assert!(is_ha("project: p\ntopology: ha\n"));
        assert!(!is_ha("project: p\n"));
    }
}
