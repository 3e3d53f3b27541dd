//! Alertmanager's HTTP API (v2): health, readiness, status, silences, alerts and alert
//! groups. One client for `check-health`, `backup`/`restore`, `silence` and `alerts drill`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::http::{BodyCap, Http, HttpError};

#[derive(Debug, Clone)]
pub struct AlertmanagerClient {
    pub http: Http,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Status {
    #[serde(default)]
    pub cluster: Option<ClusterStatus>,
    #[serde(default, rename = "versionInfo")]
    pub version_info: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default)]
    pub uptime: Option<String>,
    #[serde(default)]
    pub config: Option<ConfigStatus>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ClusterStatus {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub peers: Vec<Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ConfigStatus {
    #[serde(default)]
    pub original: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Matcher {
    pub name: String,
    pub value: String,
    pub is_regex: bool,
    #[serde(default = "yes")]
    pub is_equal: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Silence {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub matchers: Vec<Matcher>,
    pub starts_at: String,
    pub ends_at: String,
    #[serde(default)]
    pub created_by: String,
    #[serde(default)]
    pub comment: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<SilenceStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SilenceStatus {
    pub state: String,
}

/// An alert as `POST /api/v2/alerts` takes it. `ends_at` in the past resolves it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PostableAlert {
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<String>,
    #[serde(rename = "generatorURL", skip_serializing_if = "Option::is_none")]
    pub generator_url: Option<String>,
}

/// A receiver named in an alert or a group.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ReceiverRef {
    pub name: String,
}

/// Whether an alert is delivered or held back, and by what.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AlertStatus {
    /// `active`, `suppressed` or `unprocessed`.
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub silenced_by: Vec<String>,
    #[serde(default)]
    pub inhibited_by: Vec<String>,
}

/// An alert as `GET /api/v2/alerts` and the groups return it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GettableAlert {
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    #[serde(default)]
    pub fingerprint: String,
    #[serde(default)]
    pub receivers: Vec<ReceiverRef>,
    #[serde(default)]
    pub status: AlertStatus,
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub ends_at: String,
}

/// One aggregation group (`GET /api/v2/alerts/groups`): its group labels, the receiver it
/// notifies and its alerts.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct AlertGroup {
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    pub receiver: ReceiverRef,
    #[serde(default)]
    pub alerts: Vec<GettableAlert>,
}

/// `?filter=...&filter=...` for the alert endpoints: each filter is one matcher in
/// Alertmanager's syntax (`drill_id="x"`).
fn filter_query(filters: &[String]) -> String {
    let q: Vec<String> =
        filters.iter().map(|f| format!("filter={}", super::http::encode(f))).collect();
    if q.is_empty() { String::new() } else { format!("?{}", q.join("&")) }
}

#[derive(Debug, Deserialize)]
struct SilenceCreated {
    #[serde(rename = "silenceID")]
    silence_id: String,
}

impl AlertmanagerClient {
    pub fn new(http: Http) -> Self {
        AlertmanagerClient { http }
    }

    pub async fn healthy(&self) -> Result<String, HttpError> {
        Ok(self.http.capped(BodyCap::Status).get("/-/healthy").await?.body)
    }

    pub async fn ready(&self) -> Result<String, HttpError> {
        Ok(self.http.capped(BodyCap::Status).get("/-/ready").await?.body)
    }

    pub async fn status(&self) -> Result<Status, HttpError> {
        self.http.get_json("/api/v2/status").await
    }

    /// Its own `/metrics`, parsed.
    pub async fn metrics(&self) -> Result<super::exposition::Exposition, HttpError> {
        super::exposition::scrape(&self.http, "/metrics").await
    }

    /// POST `/-/reload`: re-read the configuration; a configuration the server rejects is its
    /// 500 message.
    pub async fn reload(&self) -> Result<(), HttpError> {
        self.http.send(reqwest::Method::POST, "/-/reload", None, &[]).await.map(drop)
    }

    /// Every silence the server keeps (active, pending and expired).
    pub async fn silences(&self) -> Result<Vec<Silence>, HttpError> {
        self.http.get_json("/api/v2/silences").await
    }

    /// Create a silence (without id); returns the new id.
    pub async fn create_silence(&self, s: &Silence) -> Result<String, HttpError> {
        let mut s = s.clone();
        s.id = None;
        s.status = None;
        s.updated_at = None;
        let body = serde_json::to_value(&s).map_err(|e| HttpError {
            kind: super::http::HttpErrorKind::Body,
            url: self.http.url("/api/v2/silences"),
            message: e.to_string(),
            body: None,
        })?;
        let r: SilenceCreated = self.http.post_json("/api/v2/silences", &body).await?;
        Ok(r.silence_id)
    }

    /// Expire a silence (`DELETE /api/v2/silence/{id}`).
    pub async fn expire_silence(&self, id: &str) -> Result<(), HttpError> {
        let id = super::http::encode(id);
        self.http
            .send(reqwest::Method::DELETE, &format!("/api/v2/silence/{id}"), None, &[])
            .await?;
        Ok(())
    }

    /// Post alerts (`POST /api/v2/alerts`); an alert whose `ends_at` has passed is resolved.
    pub async fn post_alerts(&self, alerts: &[PostableAlert]) -> Result<(), HttpError> {
        let body = serde_json::to_value(alerts).map_err(|e| HttpError {
            kind: super::http::HttpErrorKind::Body,
            url: self.http.url("/api/v2/alerts"),
            message: e.to_string(),
            body: None,
        })?;
        self.http.send(reqwest::Method::POST, "/api/v2/alerts", Some(&body), &[]).await.map(drop)
    }

    /// The alerts matching every filter (`GET /api/v2/alerts`), silenced and inhibited
    /// ones included.
    pub async fn alerts(&self, filters: &[String]) -> Result<Vec<GettableAlert>, HttpError> {
        self.http.get_json(&format!("/api/v2/alerts{}", filter_query(filters))).await
    }

    /// The aggregation groups holding alerts that match every filter
    /// (`GET /api/v2/alerts/groups`).
    pub async fn alert_groups(&self, filters: &[String]) -> Result<Vec<AlertGroup>, HttpError> {
        self.http.get_json(&format!("/api/v2/alerts/groups{}", filter_query(filters))).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alerts_are_posted_in_the_api_shape() {
        let a = PostableAlert {
            labels: BTreeMap::from([("alertname".to_string(), "X".to_string())]),
            annotations: BTreeMap::new(),
            starts_at: None,
            ends_at: Some("2026-01-01T00:00:00Z".into()),
            generator_url: Some("stellar-obs://drill".into()),
        };
        let v = serde_json::to_value([&a]).expect("json");
        assert_eq!(v[0]["labels"]["alertname"], "X");
        assert_eq!(v[0]["endsAt"], "2026-01-01T00:00:00Z");
        assert_eq!(v[0]["generatorURL"], "stellar-obs://drill");
        assert!(v[0].get("startsAt").is_none());
        assert_eq!(
            filter_query(&["drill_id=\"a b\"".into(), "x=~\"y\"".into()]),
            "?filter=drill_id%3D%22a%20b%22&filter=x%3D~%22y%22"
        );
        assert_eq!(filter_query(&[]), "");
    }

    #[test]
    fn groups_parse_as_alertmanager_sends_them() {
        let j = r#"[{"alerts":[{"annotations":{"summary":"s"},"endsAt":"2026-12-02T04:26:59.854Z","fingerprint":"f041","receivers":[{"name":"bad"},{"name":"ok"}],"startsAt":"2026-12-02T04:21:59.854Z","status":{"inhibitedBy":[],"silencedBy":["s1"],"state":"suppressed"},"updatedAt":"2026-12-02T04:21:59.854Z","labels":{"alertname":"X"}}],"labels":{"alertname":"X"},"receiver":{"name":"bad"}}]"#;
        let g: Vec<AlertGroup> = serde_json::from_str(j).expect("groups");
        assert_eq!(g[0].receiver.name, "bad");
        assert_eq!(g[0].alerts[0].receivers.len(), 2);
        assert_eq!(g[0].alerts[0].status.state, "suppressed");
        assert_eq!(g[0].alerts[0].status.silenced_by, vec!["s1".to_string()]);
    }

    #[test]
    fn silence_round_trips_without_server_fields() {
        let j = r#"{"id":"abc","status":{"state":"active"},"updatedAt":"2026-01-01T00:00:00Z","matchers":[{"name":"alertname","value":"X","isRegex":false,"isEqual":true}],"startsAt":"2026-01-01T00:00:00Z","endsAt":"2026-01-02T00:00:00Z","createdBy":"me","comment":"c"}"#;
        let s: Silence = serde_json::from_str(j).expect("json");
        assert_eq!(s.status.as_ref().map(|s| s.state.as_str()), Some("active"));
        let mut c = s.clone();
        c.id = None;
        c.status = None;
        c.updated_at = None;
        let v = serde_json::to_value(&c).expect("json");
        assert!(v.get("id").is_none() && v.get("status").is_none());
        assert_eq!(v["matchers"][0]["isRegex"], false);
    }
}
