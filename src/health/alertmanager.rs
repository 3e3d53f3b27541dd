//! Alertmanager: `/-/healthy`, `/-/ready`, the cluster state from `/api/v2/status`
//! (`ready`, or `disabled` for a single node, is fine; `settling` is degraded), and from its
//! `/metrics` whether the last configuration reload worked (a failed one leaves it running
//! the previous configuration, silently).

use super::probe::{Check, Finding, Probe, ProbeFuture, SubCheck, healthy_then_ready};
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
            let (healthy, ready, status, metrics) =
                tokio::join!(c.healthy(), c.ready(), c.status(), c.metrics());
            let reload_ok =
                metrics.ok().and_then(|m| m.first(RELOAD_METRIC).map(|s| s.value != 0.0));
            evaluate(healthy.map(drop), ready.map(drop), status, reload_ok)
        })
    }
}

/// 1 when the last configuration (re)load worked, 0 when it failed.
const RELOAD_METRIC: &str = "alertmanager_config_last_reload_successful";

/// `reload_ok`: [`RELOAD_METRIC`] when `/metrics` could be read (it says nothing otherwise).
pub fn evaluate(
    healthy: Result<(), HttpError>,
    ready: Result<(), HttpError>,
    status: Result<AmStatus, HttpError>,
    reload_ok: Option<bool>,
) -> Finding {
    if let Err(f) = healthy_then_ready(healthy, ready) {
        return f;
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
    match reload_ok {
        Some(true) => subs.push(SubCheck::healthy("config", "config loaded")),
        Some(false) => subs.push(SubCheck::degraded(
            "config",
            "last config reload failed: Alertmanager still runs the previous configuration (its log says why)",
        )),
        None => {}
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
            Some(true),
        );
        assert_eq!(f.status, Status::Healthy);
        assert_eq!(f.message, "ready; v0.25.0; cluster disabled (single node); config loaded");
    }

    #[test]
    fn settling_is_degraded() {
        let f = evaluate(
            Ok(()),
            Ok(()),
            Ok(st(r#"{"cluster":{"status":"settling","peers":[{}]}}"#)),
            None,
        );
        assert_eq!(f.status, Status::Degraded);
        assert!(f.message.starts_with("cluster settling"));
    }

    #[test]
    fn a_failed_reload_is_degraded() {
        let ok = || Ok(st(r#"{"cluster":{"status":"disabled","peers":[]}}"#));
        let f = evaluate(Ok(()), Ok(()), ok(), Some(false));
        assert_eq!(f.status, Status::Degraded);
        assert!(f.message.starts_with("last config reload failed"), "{}", f.message);
        // No /metrics: nothing said about the config either way.
        let f = evaluate(Ok(()), Ok(()), ok(), None);
        assert_eq!(f.status, Status::Healthy);
        assert!(!f.message.contains("config"), "{}", f.message);
    }
}
