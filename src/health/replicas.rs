//! The HA topology (`topology: ha`): the Prometheus row probes every replica and the
//! Alertmanager row every peer, plus the cluster as each peer sees it. One replica or peer
//! down is `degraded` (the others carry on); all down is `unhealthy`. A peer that sees a
//! smaller cluster than the peers that answer is `degraded`: gossip on port 9094 (TCP and
//! UDP) does not get through between them.

use std::sync::Arc;

use super::probe::{Check, Finding, Probe, ProbeFuture, Status, SubCheck};
use crate::api::AlertmanagerClient;

/// The replicas (or peers) of one component, each with its own probe.
pub struct ReplicasProbe {
    pub check: Check,
    pub members: Vec<(String, Arc<dyn Probe>)>,
    /// Alertmanager: each peer's client, for the cluster size it sees.
    pub peers: Vec<(String, AlertmanagerClient)>,
}

impl Probe for ReplicasProbe {
    fn check(&self) -> Check {
        self.check
    }

    fn run(&self) -> ProbeFuture<'_> {
        Box::pin(async move {
            let mut set = tokio::task::JoinSet::new();
            for (i, (_, p)) in self.members.iter().enumerate() {
                let p = p.clone();
                set.spawn(async move { (i, p.run().await) });
            }
            let mut clusters = tokio::task::JoinSet::new();
            for (i, (_, c)) in self.peers.iter().enumerate() {
                let c = c.clone();
                clusters.spawn(async move {
                    (i, c.status().await.ok().and_then(|s| s.cluster.map(|c| c.peers.len())))
                });
            }
            let mut findings: Vec<Option<Finding>> = vec![None; self.members.len()];
            while let Some(Ok((i, f))) = set.join_next().await {
                findings[i] = Some(f);
            }
            let mut seen: Vec<Option<usize>> = vec![None; self.peers.len()];
            while let Some(Ok((i, n))) = clusters.join_next().await {
                seen[i] = n;
            }
            let names: Vec<&str> = self.members.iter().map(|(n, _)| n.as_str()).collect();
            let findings: Vec<Finding> = findings
                .into_iter()
                .map(|f| {
                    f.unwrap_or(Finding {
                        status: Status::Unhealthy,
                        message: "the probe did not finish".into(),
                        details: vec![],
                    })
                })
                .collect();
            let peers: Vec<&str> = self.peers.iter().map(|(n, _)| n.as_str()).collect();
            combine(&names, &findings, &peers, &seen)
        })
    }
}

/// The row from each member's finding and, for Alertmanager, the cluster size each peer
/// reported (`None`: it did not answer).
pub fn combine(
    names: &[&str],
    findings: &[Finding],
    peers: &[&str],
    seen: &[Option<usize>],
) -> Finding {
    let total = names.len();
    let mut subs = Vec::new();
    let mut down = Vec::new();
    for (name, f) in names.iter().zip(findings) {
        let status = if f.status == Status::Unhealthy { Status::Degraded } else { f.status };
        if f.status == Status::Unhealthy {
            down.push(*name);
        }
        subs.push(SubCheck::new(name, status, format!("{name}: {}", f.message)));
    }
    let up = total - down.len();
    if up == 0 {
        return Finding {
            status: Status::Unhealthy,
            message: format!(
                "none of the {total} answers: {}",
                subs.iter().map(|s| s.message.as_str()).collect::<Vec<_>>().join("; ")
            ),
            details: subs,
        };
    }
    if !down.is_empty() {
        subs.push(SubCheck::degraded(
            "replicas",
            format!("{up} of {total} up ({} down; the others carry on)", down.join(", ")),
        ));
    } else {
        subs.push(SubCheck::healthy("replicas", format!("{up} of {total} up")));
    }
    let answering: Vec<(&str, usize)> =
        peers.iter().zip(seen).filter_map(|(p, n)| n.map(|n| (*p, n))).collect();
    if !answering.is_empty() {
        let expected = answering.len();
        let short: Vec<String> = answering
            .iter()
            .filter(|(_, n)| *n < expected)
            .map(|(p, n)| format!("{p} sees {n}"))
            .collect();
        let sizes: Vec<String> = answering.iter().map(|(p, n)| format!("{p}: {n}")).collect();
        subs.push(if short.is_empty() {
            SubCheck::healthy("cluster", format!("every peer sees a cluster of {expected} ({})", sizes.join(", ")))
        } else {
            SubCheck::degraded(
                "cluster",
                format!(
                    "{expected} peers answer but {}: their gossip (port 9094, TCP and UDP) does not get through; open it between the nodes (`docker network inspect` the overlay, check firewalls)",
                    short.join(", ")
                ),
            )
        });
    }
    let mut finding = Finding::from_subchecks(subs);
    // Each replica's remote-write queue, shown on its own (a member's row message holds
    // only its worst findings; the status already counts it).
    for (name, f) in names.iter().zip(findings) {
        for d in f.details.iter().filter(|d| d.check == "remote_write") {
            finding.details.push(SubCheck::new(
                &format!("{name}/remote_write"),
                d.status,
                format!("{name}: {}", d.message),
            ));
        }
    }
    finding
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(status: Status, m: &str) -> Finding {
        Finding { status, message: m.into(), details: vec![] }
    }

    #[test]
    fn each_replicas_remote_write_is_a_detail() {
        let names = ["prometheus-1", "prometheus-2"];
        let with_rw = Finding::from_subchecks(vec![
            SubCheck::healthy("ready", "ready"),
            SubCheck::healthy("remote_write", "remote write central: lag 1.0s"),
        ]);
        let r = combine(&names, &[with_rw.clone(), with_rw], &[], &[]);
        assert_eq!(r.status, Status::Healthy);
        let rw: Vec<&str> = r
            .details
            .iter()
            .filter(|d| d.check.ends_with("/remote_write"))
            .map(|d| d.check.as_str())
            .collect();
        assert_eq!(rw, vec!["prometheus-1/remote_write", "prometheus-2/remote_write"]);
    }

    #[test]
    fn one_replica_down_is_degraded_all_down_unhealthy() {
        let names = ["prometheus-1", "prometheus-2"];
        let ok = f(Status::Healthy, "ready");
        let bad = f(Status::Unhealthy, "connection refused");
        let r = combine(&names, &[ok.clone(), ok.clone()], &[], &[]);
        assert_eq!(r.status, Status::Healthy, "{r:?}");
        let r = combine(&names, &[ok.clone(), bad.clone()], &[], &[]);
        assert_eq!(r.status, Status::Degraded);
        assert!(r.message.contains("1 of 2 up (prometheus-2 down"), "{}", r.message);
        assert!(r.message.contains("prometheus-2: connection refused"), "{}", r.message);
        let r = combine(&names, &[bad.clone(), bad], &[], &[]);
        assert_eq!(r.status, Status::Unhealthy);
    }

    #[test]
    fn a_peer_that_sees_a_smaller_cluster_points_at_gossip() {
        let names = ["alertmanager-1", "alertmanager-2", "alertmanager-3"];
        let ok = f(Status::Healthy, "ready");
        let all = [ok.clone(), ok.clone(), ok.clone()];
        let r = combine(&names, &all, &names, &[Some(3), Some(3), Some(3)]);
        assert_eq!(r.status, Status::Healthy);
        assert!(r.message.contains("every peer sees a cluster of 3"), "{}", r.message);
        let r = combine(&names, &all, &names, &[Some(3), Some(3), Some(1)]);
        assert_eq!(r.status, Status::Degraded);
        assert!(
            r.message.contains("alertmanager-3 sees 1") && r.message.contains("9094, TCP and UDP"),
            "{}",
            r.message
        );
        // One peer stopped: the two others see a cluster of 2, which is what answers.
        let down = f(Status::Unhealthy, "refused");
        let r = combine(&names, &[down, ok.clone(), ok], &names, &[None, Some(2), Some(2)]);
        assert_eq!(r.status, Status::Degraded);
        assert!(
            r.details.iter().any(|d| d.check == "cluster"
                && d.status == Status::Healthy
                && d.message.contains("cluster of 2")),
            "{r:?}"
        );
    }
}
