//! Stellar Horizon's status endpoints: `/health` and the root document `/`.
//!
//! `/health` answers 200 `{"database_connected":true,"core_up":true,"core_synced":true}`
//! and **503 with the same JSON** when any of them is false (its Content-Type is text/plain),
//! so the body is read whatever the status. The root `/` carries the ledger Horizon has
//! ingested last and the network passphrase it serves.

use serde::Deserialize;

use super::http::{Http, HttpError, HttpErrorKind, status_error};

/// The passphrases of the public Stellar networks.
pub const PUBNET: &str = "Public Global Stellar Network ; September 2015";
pub const TESTNET: &str = "Test SDF Network ; September 2015";
pub const FUTURENET: &str = "Test SDF Future Network ; October 2022";

/// A short name for a known network passphrase.
pub fn network_name(passphrase: &str) -> Option<&'static str> {
    match passphrase {
        PUBNET => Some("pubnet"),
        TESTNET => Some("testnet"),
        FUTURENET => Some("futurenet"),
        _ => None,
    }
}

#[derive(Debug, Clone)]
pub struct HorizonClient {
    pub http: Http,
}

/// `/health`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Health {
    pub database_connected: bool,
    pub core_up: bool,
    pub core_synced: bool,
}

/// The parts of the root document a health check needs.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Root {
    #[serde(default)]
    pub horizon_version: Option<String>,
    #[serde(default)]
    pub core_version: Option<String>,
    #[serde(default)]
    pub history_latest_ledger: Option<u64>,
    /// RFC 3339, e.g. `2026-11-25T20:30:00Z`.
    #[serde(default)]
    pub history_latest_ledger_closed_at: Option<String>,
    #[serde(default)]
    pub core_latest_ledger: Option<u64>,
    #[serde(default)]
    pub network_passphrase: Option<String>,
    #[serde(default)]
    pub current_protocol_version: Option<u64>,
}

impl HorizonClient {
    pub fn new(http: Http) -> Self {
        HorizonClient { http }
    }

    /// GET `/health`: the three flags and the HTTP status (200, or 503 when one is false).
    pub async fn health(&self) -> Result<(u16, Health), HttpError> {
        let url = self.http.url("/health");
        let r = self.http.send_any(reqwest::Method::GET, "/health", None, &[]).await?;
        if r.status == 200 || r.status == 503 {
            if let Ok(h) = serde_json::from_str::<Health>(&r.body) {
                return Ok((r.status, h));
            }
            if r.status == 200 {
                return Err(HttpError {
                    kind: HttpErrorKind::Body,
                    url,
                    message: "unexpected answer: no database_connected/core_up/core_synced (is this Horizon?)".into(),
                    body: Some(super::http::truncate(&r.body, 300)),
                });
            }
        }
        Err(status_error(&url, r.status, &r.body))
    }

    /// GET `/`: the root document.
    pub async fn root(&self) -> Result<Root, HttpError> {
        self.http.get_json("/").await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_root_document() {
        let j = r#"{"_links":{},"horizon_version":"23.0.0","core_version":"stellar-core 23.0.1","ingest_latest_ledger":58000000,"history_latest_ledger":58000000,"history_latest_ledger_closed_at":"2026-11-25T20:30:00Z","history_elder_ledger":2,"core_latest_ledger":58000000,"network_passphrase":"Public Global Stellar Network ; September 2015","current_protocol_version":23,"supported_protocol_version":23,"core_supported_protocol_version":23}"#;
        let r: Root = serde_json::from_str(j).expect("json");
        assert_eq!(r.history_latest_ledger, Some(58_000_000));
        assert_eq!(network_name(r.network_passphrase.as_deref().unwrap_or("")), Some("pubnet"));
    }
}
