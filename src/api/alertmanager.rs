//! Alertmanager's HTTP API (v2): health, readiness, status, silences.
//! One client for `check-health` and `backup`/`restore`.

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
        self.http
            .send(reqwest::Method::DELETE, &format!("/api/v2/silence/{id}"), None, &[])
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
