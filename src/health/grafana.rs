//! Grafana: `/api/health` answers 200 `{"database":"ok","version":...}`, or 503 with
//! `"database":"failing"` when its database does not answer `SELECT 1`. Unauthenticated.

use serde::Deserialize;

use super::probe::{Check, Finding, Probe, ProbeFuture, SubCheck, http_message};
use crate::api::Http;
use crate::api::http::status_error;

pub struct GrafanaProbe {
    pub http: Http,
}

#[derive(Debug, Deserialize)]
struct ApiHealth {
    #[serde(default)]
    database: Option<String>,
    #[serde(default)]
    version: Option<String>,
}

impl Probe for GrafanaProbe {
    fn check(&self) -> Check {
        Check::Grafana
    }

    fn run(&self) -> ProbeFuture<'_> {
        Box::pin(async move {
            let url = self.http.url("/api/health");
            match self.http.send_any(reqwest::Method::GET, "/api/health", None, &[]).await {
                Ok(r) => evaluate(&url, r.status, &r.body),
                Err(e) => Finding::single(SubCheck::from_http("api/health", &e)),
            }
        })
    }
}

/// The finding from `/api/health`'s status and body.
pub fn evaluate(url: &str, status: u16, body: &str) -> Finding {
    let parsed = serde_json::from_str::<ApiHealth>(body).ok();
    let db = parsed.as_ref().and_then(|h| h.database.clone());
    let version = parsed.as_ref().and_then(|h| h.version.clone());
    let sub = match (status, db.as_deref()) {
        (200, Some("ok")) => SubCheck::healthy(
            "database",
            match version {
                Some(v) => format!("database ok, version {v}"),
                None => "database ok".to_string(),
            },
        ),
        (_, Some(db)) if status >= 500 || status == 200 => SubCheck::unhealthy(
            "database",
            format!("database {db} (HTTP {status}): Grafana cannot reach its database [GET {url}]"),
        ),
        (200, None) => SubCheck::degraded(
            "database",
            format!("unexpected answer without `database` (is this Grafana?) [GET {url}]"),
        ),
        _ => SubCheck::unhealthy("api/health", http_message(&status_error(url, status, body))),
    };
    Finding::single(sub)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::probe::Status;

    #[test]
    fn answers() {
        let u = "http://g/api/health";
        let f = evaluate(u, 200, r#"{"commit":"abc","database":"ok","version":"11.3.0"}"#);
        assert_eq!(
            (f.status, f.message.as_str()),
            (Status::Healthy, "database ok, version 11.3.0")
        );
        let f = evaluate(u, 503, r#"{"database":"failing"}"#);
        assert_eq!(f.status, Status::Unhealthy);
        assert!(f.message.starts_with("database failing (HTTP 503)"), "{}", f.message);
        let f = evaluate(u, 200, "<html>");
        assert_eq!(f.status, Status::Degraded);
        let f = evaluate(u, 404, "Not found");
        assert_eq!(f.status, Status::Unhealthy);
        assert!(f.message.starts_with("HTTP 404 Not Found"), "{}", f.message);
    }
}
