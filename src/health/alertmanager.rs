//! Alertmanager: `/-/healthy`, `/-/ready`, and the cluster state from `/api/v2/status`
//! (`ready`, or `disabled` for a single node, is fine; `settling` is degraded).

use super::probe::{Check, Finding, Probe, ProbeFuture, SubCheck};
use crate::api::AlertmanagerClient;
use crate::api::alertmanager::Status as AmStatus;
use crate::api::http::HttpError;

pub struct AlertmanagerProbe {
    pub client: AlertmanagerClient,
}

impl Probe for AlertmanagerProbe {
    fn check(&self) -> Check {
        Check::Alertmanager
    }

    fn run(&self) -> ProbeFuture<'_> {
        Box::pin(async move {
            let c = &self.client;
            let (healthy, ready, status) = tokio::join!(c.healthy(), c.ready(), c.status());
            evaluate(healthy.map(drop), ready.map(drop), status)
        })
    }
}

pub fn evaluate(
    healthy: Result<(), HttpError>,
    ready: Result<(), HttpError>,
    status: Result<AmStatus, HttpError>,
) -> Finding {
    if let Err(e) = healthy {
        return Finding::single(SubCheck::from_http("healthy", &e));
    }
    if let Err(e) = ready {
        let mut s = SubCheck::from_http("ready", &e);
        s.message = format!("not ready: {}", s.message);
        return Finding::single(s);
    }
    let mut subs = vec![SubCheck::healthy("ready", "ready")];
    match status {
        Err(e) => subs.push(SubCheck::degraded_http("cluster", "/api/v2/status", &e)),
        Ok(st) => {
            if let Some(v) = st.version_info.as_ref().and_then(|v| v.get("version")) {
                subs.push(SubCheck::healthy("version", format!("v{v}")));
            }
            let cluster = st.cluster.as_ref();
            let peers = cluster.map(|c| c.peers.len()).unwrap_or(0);
            subs.push(match cluster.map(|c| c.status.as_str()) {
                Some("ready") => SubCheck::healthy(
                    "cluster",
                    format!("cluster ready ({peers} peer{})", if peers == 1 { "" } else { "s" }),
                ),
                Some("disabled") => {
                    SubCheck::healthy("cluster", "cluster disabled (single node)")
                }
                Some("settling") => SubCheck::degraded(
                    "cluster",
                    "cluster settling: gossip has not converged yet (normal for a minute after start)",
                ),
                Some(other) => SubCheck::degraded("cluster", format!("cluster status `{other}`")),
                None => SubCheck::degraded("cluster", "no cluster status in /api/v2/status"),
            });
        }
    }
    Finding::from_subchecks(subs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::probe::Status;

    fn st(json: &str) -> AmStatus {
        serde_json::from_str(json).expect("json")
    }

    #[test]
    fn single_node_is_healthy() {
        let f = evaluate(
            Ok(()),
            Ok(()),
            Ok(st(
                r#"{"cluster":{"status":"disabled","peers":[]},"versionInfo":{"version":"0.25.0"},"uptime":"x","config":{"original":""}}"#,
            )),
        );
        assert_eq!(f.status, Status::Healthy);
        assert_eq!(f.message, "ready; v0.25.0; cluster disabled (single node)");
    }

    #[test]
    fn settling_is_degraded() {
        let f =
            evaluate(Ok(()), Ok(()), Ok(st(r#"{"cluster":{"status":"settling","peers":[{}]}}"#)));
        assert_eq!(f.status, Status::Degraded);
        assert!(f.message.starts_with("cluster settling"));
    }
}
