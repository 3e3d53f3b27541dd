//! Prometheus' HTTP API: health, readiness, targets, alerts, runtime info, TSDB snapshots.
//! One client for `check-health` and `backup`.

use serde::Deserialize;
use serde_json::Value;

use super::http::{BodyCap, Http, HttpError, HttpErrorKind, encode};

#[derive(Debug, Clone)]
pub struct PrometheusClient {
    pub http: Http,
}

/// The `{"status","data"}` envelope of /api/v1.
#[derive(Debug, Deserialize)]
struct Envelope<T> {
    status: String,
    data: Option<T>,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    #[serde(default)]
    pub scrape_pool: String,
    #[serde(default)]
    pub scrape_url: String,
    #[serde(default)]
    pub health: String,
    #[serde(default)]
    pub last_error: String,
    #[serde(default)]
    pub labels: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Targets {
    #[serde(default)]
    pub active_targets: Vec<Target>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    #[serde(default)]
    pub labels: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub active_at: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct Alerts {
    #[serde(default)]
    alerts: Vec<Alert>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeInfo {
    #[serde(default)]
    pub reload_config_success: Option<bool>,
    #[serde(default)]
    pub last_config_time: Option<String>,
    #[serde(default)]
    pub storage_retention: Option<String>,
    #[serde(default)]
    pub start_time: Option<String>,
}

/// One group of `GET /api/v1/rules`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct RuleGroup {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub file: String,
    #[serde(default)]
    pub rules: Vec<RuleState>,
}

/// A rule's evaluation state.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RuleState {
    #[serde(default)]
    pub name: String,
    /// `alerting` or `recording`.
    #[serde(default, rename = "type")]
    pub kind: String,
    /// `ok`, `err` or `unknown` (not evaluated yet).
    #[serde(default)]
    pub health: String,
    #[serde(default)]
    pub last_error: String,
}

#[derive(Debug, Clone, Deserialize)]
struct RuleGroups {
    #[serde(default)]
    groups: Vec<RuleGroup>,
}

#[derive(Debug, Clone, Deserialize)]
struct ConfigYaml {
    #[serde(default)]
    yaml: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Alertmanagers {
    #[serde(default)]
    active_alertmanagers: Vec<Value>,
}

/// `GET /api/v1/status/buildinfo`.
#[derive(Debug, Clone, Deserialize)]
pub struct BuildInfo {
    #[serde(default)]
    pub version: String,
}

#[derive(Debug, Clone, Deserialize)]
struct SnapshotData {
    name: String,
}

impl PrometheusClient {
    pub fn new(http: Http) -> Self {
        PrometheusClient { http }
    }

    /// GET `/-/healthy`: the body on 200.
    pub async fn healthy(&self) -> Result<String, HttpError> {
        Ok(self.http.capped(BodyCap::Status).get("/-/healthy").await?.body)
    }

    /// GET `/-/ready`: the body on 200 (503 while the TSDB loads).
    pub async fn ready(&self) -> Result<String, HttpError> {
        Ok(self.http.capped(BodyCap::Status).get("/-/ready").await?.body)
    }

    async fn api<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, HttpError> {
        let env: Envelope<T> = self.http.get_json(path).await?;
        unwrap_envelope(&self.http.url(path), env)
    }

    /// GET `/metrics`: Prometheus' own metrics (remote-write queues), parsed.
    pub async fn metrics(&self) -> Result<super::exposition::Exposition, HttpError> {
        super::exposition::scrape(&self.http.capped(BodyCap::Api), "/metrics").await
    }

    pub async fn targets(&self) -> Result<Vec<Target>, HttpError> {
        Ok(self.api::<Targets>("/api/v1/targets?state=active").await?.active_targets)
    }

    pub async fn alerts(&self) -> Result<Vec<Alert>, HttpError> {
        Ok(self.api::<Alerts>("/api/v1/alerts").await?.alerts)
    }

    pub async fn runtime_info(&self) -> Result<RuntimeInfo, HttpError> {
        self.api("/api/v1/status/runtimeinfo").await
    }

    /// Every rule group with each rule's evaluation health.
    pub async fn rules(&self) -> Result<Vec<RuleGroup>, HttpError> {
        Ok(self.api::<RuleGroups>("/api/v1/rules").await?.groups)
    }

    /// The configuration Prometheus runs, as it prints it back (canonical YAML).
    pub async fn config_yaml(&self) -> Result<String, HttpError> {
        Ok(self.api::<ConfigYaml>("/api/v1/status/config").await?.yaml)
    }

    /// How many Alertmanagers Prometheus currently sends alerts to.
    pub async fn active_alertmanagers(&self) -> Result<usize, HttpError> {
        Ok(self.api::<Alertmanagers>("/api/v1/alertmanagers").await?.active_alertmanagers.len())
    }

    /// An instant query; returns the raw `data` object (`resultType`, `result`).
    pub async fn query(&self, promql: &str) -> Result<Value, HttpError> {
        self.api(&format!("/api/v1/query?query={}", encode(promql))).await
    }

    /// An instant query evaluated at `time` (Unix seconds, fractions allowed).
    pub async fn query_at(&self, promql: &str, time: f64) -> Result<Value, HttpError> {
        self.api(&format!("/api/v1/query?query={}&time={time:.3}", encode(promql))).await
    }

    /// A range query from `start` to `end` (Unix seconds) every `step` seconds; returns the
    /// raw `data` object (`resultType` matrix, `result`).
    pub async fn query_range(
        &self,
        promql: &str,
        start: f64,
        end: f64,
        step: f64,
    ) -> Result<Value, HttpError> {
        self.api(&format!(
            "/api/v1/query_range?query={}&start={start:.3}&end={end:.3}&step={step}",
            encode(promql)
        ))
        .await
    }

    /// `GET /api/v1/status/buildinfo`: the server's version.
    pub async fn buildinfo(&self) -> Result<BuildInfo, HttpError> {
        self.api("/api/v1/status/buildinfo").await
    }

    /// `GET /api/v1/status/flags`: the command-line flags the server runs with.
    pub async fn flags(&self) -> Result<std::collections::BTreeMap<String, String>, HttpError> {
        self.api("/api/v1/status/flags").await
    }

    /// POST `path`. An answer that says the API behind a flag is off (`off_status`, or
    /// `off_text` in the body) becomes `hint`; any other non-2xx is the server's message.
    async fn post_behind_flag(
        &self,
        path: &str,
        off_status: u16,
        off_text: &str,
        hint: &str,
    ) -> Result<(super::http::Response, String), HttpError> {
        let r = self.http.send_any(reqwest::Method::POST, path, None, &[]).await?;
        let url = self.http.url(path);
        if r.status == off_status || r.body.contains(off_text) {
            return Err(HttpError {
                kind: HttpErrorKind::Status(r.status),
                url,
                message: hint.into(),
                body: Some(r.body),
            });
        }
        if !(200..300).contains(&r.status) {
            return Err(super::http::status_error(&url, r.status, &r.body));
        }
        Ok((r, url))
    }

    /// POST `/-/reload`: re-read the configuration and rule files. A disabled lifecycle API
    /// (403) is reported as such; a configuration the server rejects is its 500 message.
    pub async fn reload(&self) -> Result<(), HttpError> {
        self.post_behind_flag(
            "/-/reload",
            403,
            "Lifecycle API is not enabled",
            "the lifecycle API is disabled: start Prometheus with --web.enable-lifecycle (the stack's compose file does)",
        )
        .await
        .map(|_| ())
    }

    /// POST `/api/v1/admin/tsdb/snapshot`: the snapshot's directory name under
    /// `<data>/snapshots/`. A disabled admin API is reported as such.
    pub async fn snapshot(&self, skip_head: bool) -> Result<String, HttpError> {
        let (r, url) = self
            .post_behind_flag(
                &format!("/api/v1/admin/tsdb/snapshot?skip_head={skip_head}"),
                503,
                "admin APIs disabled",
                "the admin API is disabled: start Prometheus with --web.enable-admin-api (the stack's compose file does)",
            )
            .await?;
        let env: Envelope<SnapshotData> = r.json(&url)?;
        Ok(unwrap_envelope(&url, env)?.name)
    }
}

fn unwrap_envelope<T>(url: &str, env: Envelope<T>) -> Result<T, HttpError> {
    match (env.status.as_str(), env.data) {
        ("success", Some(d)) => Ok(d),
        _ => Err(HttpError {
            kind: HttpErrorKind::Body,
            url: url.to_string(),
            message: format!(
                "Prometheus answered status {}: {}",
                env.status,
                env.error.unwrap_or_else(|| "no data".into())
            ),
            body: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_targets() {
        let j = r#"{"status":"success","data":{"activeTargets":[{"scrapePool":"node","scrapeUrl":"http://x:9100/metrics","health":"down","lastError":"connection refused","labels":{"job":"node"}}],"droppedTargets":[]}}"#;
        let env: Envelope<Targets> = serde_json::from_str(j).expect("json");
        let t = unwrap_envelope("u", env).expect("ok").active_targets;
        assert_eq!(t[0].health, "down");
        assert_eq!(t[0].labels.get("job").map(String::as_str), Some("node"));
    }

    #[test]
    fn error_envelope_is_an_error() {
        let env: Envelope<Targets> =
            serde_json::from_str(r#"{"status":"error","errorType":"bad_data","error":"boom"}"#)
                .expect("json");
        let e = unwrap_envelope("u", env).expect_err("error");
        assert!(e.message.contains("boom"));
    }
}
