//! More of the one Grafana client ([`GrafanaClient`]): the alerting provisioning API
//! (`/api/v1/provisioning/*`: alert rules, contact points, notification policies, mute
//! timings, templates) and the writes `restore` needs besides dashboards (folder update and
//! move, datasource create and update).
//!
//! Alerting objects are kept as JSON values: a backup must keep every field Grafana sends,
//! including ones this tool does not know. Every provisioning write carries
//! `X-Disable-Provenance: true`, so restored objects stay editable in Grafana's UI (without
//! it they get provenance `api` and are locked; grafana-api.md §3.9).

use reqwest::Method;
use serde_json::{Value, json};

use super::grafana::{GrafanaClient, encode, is_not_found};
use super::http::HttpError;

/// The header that keeps provisioned alerting objects editable in the UI.
pub const DISABLE_PROVENANCE: &str = "X-Disable-Provenance";

const PROV: &str = "/api/v1/provisioning";

fn provenance() -> [(&'static str, String); 1] {
    [(DISABLE_PROVENANCE, "true".to_string())]
}

/// A JSON answer; an empty body (202 Ack from some versions) is `null`.
fn body_json(c: &GrafanaClient, path: &str, body: &str) -> Result<Value, HttpError> {
    if body.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(body).map_err(|e| HttpError {
        kind: super::http::HttpErrorKind::Body,
        url: c.url(path),
        message: format!("unexpected JSON: {e}"),
        body: Some(super::http::truncate(body, 300)),
    })
}

/// A list answer: `null` and 404 (nothing configured, on some versions) are empty.
fn as_list(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a,
        _ => Vec::new(),
    }
}

impl GrafanaClient {
    async fn get_value(&self, path: &str) -> Result<Value, HttpError> {
        let r = self.request(Method::GET, path, None).await?;
        body_json(self, path, &r.body)
    }

    async fn get_value_opt(&self, path: &str) -> Result<Option<Value>, HttpError> {
        match self.get_value(path).await {
            Ok(v) => Ok(Some(v)),
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn get_list(&self, path: &str) -> Result<Vec<Value>, HttpError> {
        Ok(self.get_value_opt(path).await?.map(as_list).unwrap_or_default())
    }

    /// A provisioning write with `X-Disable-Provenance: true`.
    async fn provision(
        &self,
        method: Method,
        path: &str,
        body: &Value,
    ) -> Result<Value, HttpError> {
        let r = self.request_with(method, path, Some(body), &provenance()).await?;
        body_json(self, path, &r.body)
    }

    // -- alert rules ----------------------------------------------------------------------

    /// `GET /api/v1/provisioning/alert-rules`: every Grafana-managed rule.
    pub async fn alert_rules(&self) -> Result<Vec<Value>, HttpError> {
        self.get_list(&format!("{PROV}/alert-rules")).await
    }

    /// `POST /api/v1/provisioning/alert-rules` (201); its folder and datasources must exist.
    pub async fn create_alert_rule(&self, rule: &Value) -> Result<Value, HttpError> {
        self.provision(Method::POST, &format!("{PROV}/alert-rules"), rule).await
    }

    /// `PUT /api/v1/provisioning/alert-rules/{uid}`.
    pub async fn update_alert_rule(&self, uid: &str, rule: &Value) -> Result<Value, HttpError> {
        self.provision(Method::PUT, &format!("{PROV}/alert-rules/{}", encode(uid)), rule).await
    }

    // -- contact points -------------------------------------------------------------------

    /// `GET /api/v1/provisioning/contact-points` (secure settings come back `[REDACTED]`).
    pub async fn contact_points(&self) -> Result<Vec<Value>, HttpError> {
        self.get_list(&format!("{PROV}/contact-points")).await
    }

    /// `POST /api/v1/provisioning/contact-points` (202).
    pub async fn create_contact_point(&self, cp: &Value) -> Result<Value, HttpError> {
        self.provision(Method::POST, &format!("{PROV}/contact-points"), cp).await
    }

    /// `PUT /api/v1/provisioning/contact-points/{uid}` (202). A setting sent as
    /// `[REDACTED]` keeps the stored secret.
    pub async fn update_contact_point(&self, uid: &str, cp: &Value) -> Result<Value, HttpError> {
        self.provision(Method::PUT, &format!("{PROV}/contact-points/{}", encode(uid)), cp).await
    }

    // -- notification policies ------------------------------------------------------------

    /// `GET /api/v1/provisioning/policies`: the whole routing tree.
    pub async fn policies(&self) -> Result<Value, HttpError> {
        self.get_value(&format!("{PROV}/policies")).await
    }

    /// `PUT /api/v1/provisioning/policies` (202): replaces the whole tree.
    pub async fn set_policies(&self, tree: &Value) -> Result<Value, HttpError> {
        self.provision(Method::PUT, &format!("{PROV}/policies"), tree).await
    }

    // -- mute timings ---------------------------------------------------------------------

    /// `GET /api/v1/provisioning/mute-timings`.
    pub async fn mute_timings(&self) -> Result<Vec<Value>, HttpError> {
        self.get_list(&format!("{PROV}/mute-timings")).await
    }

    /// `POST /api/v1/provisioning/mute-timings` (201).
    pub async fn create_mute_timing(&self, mt: &Value) -> Result<Value, HttpError> {
        self.provision(Method::POST, &format!("{PROV}/mute-timings"), mt).await
    }

    /// `PUT /api/v1/provisioning/mute-timings/{name}`.
    pub async fn update_mute_timing(&self, name: &str, mt: &Value) -> Result<Value, HttpError> {
        self.provision(Method::PUT, &format!("{PROV}/mute-timings/{}", encode(name)), mt).await
    }

    // -- templates ------------------------------------------------------------------------

    /// `GET /api/v1/provisioning/templates` (notification templates).
    pub async fn templates(&self) -> Result<Vec<Value>, HttpError> {
        self.get_list(&format!("{PROV}/templates")).await
    }

    /// `PUT /api/v1/provisioning/templates/{name}` (202): create or replace.
    pub async fn set_template(&self, name: &str, t: &Value) -> Result<Value, HttpError> {
        self.provision(Method::PUT, &format!("{PROV}/templates/{}", encode(name)), t).await
    }

    // -- folder and datasource writes -----------------------------------------------------

    /// `PUT /api/folders/:uid` with `overwrite: true` (no version check): a new title.
    pub async fn update_folder(
        &self,
        uid: &str,
        title: &str,
    ) -> Result<super::grafana::Folder, HttpError> {
        self.put(
            &format!("/api/folders/{}", encode(uid)),
            &json!({"title": title, "overwrite": true}),
        )
        .await
    }

    /// `POST /api/folders/:uid/move`: a new parent (`None` = the root).
    pub async fn move_folder(
        &self,
        uid: &str,
        parent: Option<&str>,
    ) -> Result<super::grafana::Folder, HttpError> {
        self.post(&format!("/api/folders/{}/move", encode(uid)), &json!({"parentUid": parent}))
            .await
    }

    /// `POST /api/datasources` (409 when the name or uid is taken).
    pub async fn create_datasource(&self, ds: &Value) -> Result<Value, HttpError> {
        self.post("/api/datasources", ds).await
    }

    /// `PUT /api/datasources/uid/:uid` (403 for read-only ones). Keys left out of
    /// `secureJsonData` keep their stored secret.
    pub async fn update_datasource(&self, uid: &str, ds: &Value) -> Result<Value, HttpError> {
        self.put(&format!("/api/datasources/uid/{}", encode(uid)), ds).await
    }

    /// Every dashboard uid (search pages followed).
    pub async fn dashboard_uids(&self) -> Result<Vec<String>, HttpError> {
        let hits = self.search(&super::grafana::SearchQuery::dashboards()).await?;
        Ok(hits.into_iter().map(|h| h.uid).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_tolerate_null() {
        assert!(as_list(Value::Null).is_empty());
        assert_eq!(as_list(json!([1, 2])).len(), 2);
        assert_eq!(provenance()[0].0, "X-Disable-Provenance");
    }
}
