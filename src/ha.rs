//! The highly available topology (`init --ha`, `topology: ha` in `stellar-obs.yml`): two
//! Prometheus replicas with one configuration and a distinct `replica` external label, and
//! an Alertmanager cluster of three peers that every Prometheus lists (never one behind a
//! load balancer: each Prometheus must send every alert to every peer, the peers gossip
//! and deduplicate). It runs on Docker Swarm (`up --swarm`, see `engine/stack_file.rs`).
//!
//! The names, ports and files here are shared by `init`, the Swarm stack file, `validate`
//! and `check-health`. A leaf (it imports nothing of the crate), so `lint` uses it without
//! importing the stack.

use std::collections::BTreeMap;

use anyhow::{Result, bail};

/// The environment variable each Prometheus replica gets its name from; the HA
/// `prometheus.yml` has `replica: ${STELLAR_OBS_REPLICA}` in its external labels.
pub const REPLICA_ENV: &str = "STELLAR_OBS_REPLICA";
/// Alertmanager's cluster (gossip) port, TCP and UDP.
pub const CLUSTER_PORT: u16 = 9094;
/// The Compose service each HA group is derived from.
pub const PROMETHEUS: &str = "prometheus";
pub const ALERTMANAGER: &str = "alertmanager";

/// One replica or peer: its service name, the `.env` variable of its published port, and
/// that port's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    pub service: &'static str,
    pub port_var: &'static str,
    pub default_port: u16,
}

/// The Prometheus replicas. The first keeps the single stack's port.
pub const PROMETHEUS_REPLICAS: [Member; 2] = [
    Member { service: "prometheus-1", port_var: "PROMETHEUS_PORT", default_port: 9090 },
    Member { service: "prometheus-2", port_var: "PROMETHEUS_2_PORT", default_port: 9092 },
];

/// The Alertmanager peers. The first keeps the single stack's port.
pub const ALERTMANAGER_PEERS: [Member; 3] = [
    Member { service: "alertmanager-1", port_var: "ALERTMANAGER_PORT", default_port: 9093 },
    Member { service: "alertmanager-2", port_var: "ALERTMANAGER_2_PORT", default_port: 9095 },
    Member { service: "alertmanager-3", port_var: "ALERTMANAGER_3_PORT", default_port: 9096 },
];

/// The HA members a Compose service becomes (`prometheus` → its replicas), none for the
/// others.
pub fn members_of(service: &str) -> &'static [Member] {
    match service {
        PROMETHEUS => &PROMETHEUS_REPLICAS,
        ALERTMANAGER => &ALERTMANAGER_PEERS,
        _ => &[],
    }
}

/// The published port of `m` from the stack's `.env` (its default when unset or invalid).
pub fn port_of(m: &Member, dotenv: &BTreeMap<String, String>) -> u16 {
    dotenv.get(m.port_var).and_then(|p| p.trim().parse().ok()).unwrap_or(m.default_port)
}

/// Service names as a user may type them for `up --services` on the HA stack: `prometheus`
/// means both replicas, `alertmanager` every peer; others are kept.
pub fn expand_services(services: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for s in services {
        let members = members_of(s);
        if members.is_empty() {
            out.push(s.clone());
        } else {
            out.extend(members.iter().map(|m| m.service.to_string()));
        }
    }
    out.dedup();
    out
}

/// The Alertmanager targets of the HA `prometheus.yml`: every peer, by name.
pub fn alertmanager_targets() -> String {
    let t: Vec<String> =
        ALERTMANAGER_PEERS.iter().map(|m| format!("\"{}:9093\"", m.service)).collect();
    format!("[{}]", t.join(", "))
}

const SINGLE_TARGET: &str = "[\"alertmanager:9093\"]";

/// The HA `prometheus.yml` from the single one (the template, or a stack's own file): the
/// `replica` external label from [`REPLICA_ENV`] and every Alertmanager peer as a target
/// (alerting and the `alertmanager` scrape job). Everything else (scrape jobs, rule files,
/// a `remote_write` block) stays as it is, so both replicas share it.
pub fn prometheus_config(single: &str) -> Result<String> {
    if single.contains(&format!("${{{REPLICA_ENV}}}")) {
        return Ok(single.to_string());
    }
    let mut out = String::with_capacity(single.len() + 512);
    let mut labelled = false;
    for line in single.split_inclusive('\n') {
        out.push_str(line);
        let trimmed = line.trim_end();
        if !labelled && trimmed.trim_start() == "external_labels:" {
            let indent = trimmed.len() - trimmed.trim_start().len() + 2;
            let pad = " ".repeat(indent);
            out.push_str(&format!(
                "{pad}# This replica's name (prometheus-1, prometheus-2), from its environment\n{pad}# (Prometheus 3 expands it; 2.x needs --enable-feature=expand-external-labels).\n{pad}# Alertmanager deduplicates the replicas' identical alerts; a central store\n{pad}# deduplicates their samples on it.\n{pad}replica: ${{{REPLICA_ENV}}}\n"
            ));
            labelled = true;
        }
    }
    if !labelled {
        bail!(
            "prometheus.yml has no `external_labels:` under `global:`; the HA topology adds `replica: ${{{REPLICA_ENV}}}` there"
        );
    }
    if !out.contains(SINGLE_TARGET) {
        bail!(
            "prometheus.yml does not send alerts to {SINGLE_TARGET}; the HA topology lists every Alertmanager peer instead: {}",
            alertmanager_targets()
        );
    }
    let out = out.replace(SINGLE_TARGET, &alertmanager_targets());
    // The replica label is dropped from alerts: both replicas' alerts are then one alert to
    // Alertmanager, which notifies once.
    let mut with_relabel = String::with_capacity(out.len() + 256);
    let mut done = false;
    for line in out.split_inclusive('\n') {
        with_relabel.push_str(line);
        if !done && line.trim_end() == "alerting:" {
            with_relabel.push_str(ALERT_RELABEL);
            done = true;
        }
    }
    if !done {
        bail!("prometheus.yml has no top-level `alerting:` block; the HA topology needs one");
    }
    Ok(with_relabel)
}

/// Under `alerting:` in the HA `prometheus.yml`.
const ALERT_RELABEL: &str = "  # Both replicas send the same alerts; without their `replica` label they are one\n  # alert to Alertmanager, which then notifies once.\n  alert_relabel_configs:\n    - action: labeldrop\n      regex: replica\n";

/// `stellar-obs.yml` with `topology: ha` (after the `project:` line).
pub fn settings_file(single: &str) -> String {
    if single.lines().any(|l| l.trim_start().starts_with("topology:")) {
        return single.to_string();
    }
    let block = "\n# The stack's layout: `ha` = two Prometheus replicas and three Alertmanager peers\n# on Docker Swarm (`stellar-obs up --swarm`); `single` (the default) = one of each\n# on Docker Compose. Written by `stellar-obs init --ha`.\ntopology: ha\n";
    match single.find("\nproject:") {
        Some(i) => {
            let end = single[i + 1..].find('\n').map(|j| i + 1 + j + 1).unwrap_or(single.len());
            format!("{}{block}{}", &single[..end], &single[end..])
        }
        None => format!("{single}{block}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ha_prometheus_config_labels_the_replica_and_lists_every_peer() {
        let single = crate::templates::text("prometheus/prometheus.yml").expect("template");
        let ha = prometheus_config(single).expect("transform");
        assert!(ha.contains("    replica: ${STELLAR_OBS_REPLICA}\n"), "{ha}");
        assert!(!ha.contains(SINGLE_TARGET));
        // The alerting block and the alertmanager scrape job.
        assert_eq!(ha.matches(&alertmanager_targets()).count(), 2, "{ha}");
        assert!(ha.contains("alerting:\n  # Both replicas"), "{ha}");
        assert!(ha.contains("    - action: labeldrop\n      regex: replica\n"), "{ha}");
        assert_eq!(prometheus_config(&ha).expect("again"), ha, "idempotent");
        // Everything else is the single config, line for line.
        let dropped: Vec<&str> = single.lines().filter(|l| !ha.contains(l)).collect();
        assert!(dropped.iter().all(|l| l.contains(SINGLE_TARGET)), "{dropped:?}");
    }

    #[test]
    fn a_config_without_the_anchors_is_refused_with_what_is_missing() {
        let e =
            prometheus_config("global:\n  scrape_interval: 5s\n").expect_err("refused").to_string();
        assert!(e.contains("external_labels"), "{e}");
        let e = prometheus_config("global:\n  external_labels:\n    a: b\n")
            .expect_err("refused")
            .to_string();
        assert!(e.contains("alertmanager-1:9093"), "{e}");
        let e = prometheus_config(
            "global:\n  external_labels:\n    a: b\nx: [\"alertmanager:9093\"]\n",
        )
        .expect_err("refused")
        .to_string();
        assert!(e.contains("alerting:"), "{e}");
    }

    #[test]
    fn the_settings_file_records_the_topology_once() {
        let s = "# head\nproject: p\n\nendpoints: {}\n";
        let ha = settings_file(s);
        assert!(ha.starts_with("# head\nproject: p\n\n# The stack's layout"), "{ha}");
        assert!(ha.contains("\ntopology: ha\n"));
        assert!(ha.ends_with("endpoints: {}\n"));
        assert_eq!(settings_file(&ha), ha);
    }

    #[test]
    fn service_names_expand_to_replicas() {
        let v = expand_services(&["prometheus".into(), "pushgateway".into()]);
        assert_eq!(v, ["prometheus-1", "prometheus-2", "pushgateway"]);
        let dotenv = BTreeMap::from([("ALERTMANAGER_2_PORT".to_string(), "19095".to_string())]);
        assert_eq!(port_of(&ALERTMANAGER_PEERS[1], &dotenv), 19095);
        assert_eq!(port_of(&ALERTMANAGER_PEERS[2], &dotenv), 9096);
    }
}
