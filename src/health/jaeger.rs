//! Jaeger, on its admin endpoint (`jaeger_admin` in stellar-obs.yml,
//! `STELLAR_OBS_JAEGER_ADMIN_URL`; it follows the jaeger URL's host on port 14269 when only
//! jaeger is set):
//! - Jaeger v1 (the stack's all-in-one 1.x): admin port 14269, `/` answers 200
//!   `{"status":"Server available","upSince":...,"uptime":...}`, 503 `Server not available`.
//! - Jaeger v2: no 14269; the healthcheckv2 extension answers on `/status` (port 13133 by
//!   default). When `/` answers 404 the probe asks `/status`, so pointing `jaeger_admin` at
//!   `http://host:13133` is all a v2 user does.
//! - With `jaeger_admin` set to `off` but jaeger on, the UI's `/` is asked instead (it proves
//!   the process serves HTTP, nothing more, and the message says so).

use serde_json::Value;

use super::probe::{Check, Finding, Probe, ProbeFuture, SubCheck, http_message};
use crate::api::Http;
use crate::api::http::status_error;

pub struct JaegerProbe {
    /// The admin endpoint; `None` when switched off.
    pub admin: Option<Http>,
    /// The UI endpoint, used only without an admin endpoint.
    pub ui: Http,
}

impl Probe for JaegerProbe {
    fn check(&self) -> Check {
        Check::Jaeger
    }

    fn run(&self) -> ProbeFuture<'_> {
        Box::pin(async move {
            let Some(admin) = &self.admin else {
                return Finding::single(match self.ui.get("/").await {
                    Ok(_) => SubCheck::healthy(
                        "ui",
                        "UI answers (no admin endpoint configured: health not checked)",
                    ),
                    Err(e) => SubCheck::from_http("ui", &e),
                });
            };
            let v1 = match admin.send_any(reqwest::Method::GET, "/", None, &[]).await {
                Ok(r) => r,
                Err(e) => return Finding::single(SubCheck::from_http("admin", &e)),
            };
            if v1.status != 404 {
                return Finding::single(evaluate(&admin.url("/"), v1.status, &v1.body, "v1"));
            }
            match admin.send_any(reqwest::Method::GET, "/status", None, &[]).await {
                Ok(r) => Finding::single(evaluate(&admin.url("/status"), r.status, &r.body, "v2")),
                Err(e) => Finding::single(SubCheck::from_http("admin", &e)),
            }
        })
    }
}

/// Judge an admin answer: v1 `{"status":"Server available"}`, v2 healthcheckv2
/// `{"healthy":true,"status":"StatusOK",...}`; a 2xx without either is taken as healthy.
pub fn evaluate(url: &str, status: u16, body: &str, api: &str) -> SubCheck {
    let json: Option<Value> = serde_json::from_str(body).ok();
    let state = json.as_ref().and_then(|j| j.get("status")).and_then(Value::as_str);
    let healthy_flag = json.as_ref().and_then(|j| j.get("healthy")).and_then(Value::as_bool);
    if (200..300).contains(&status) && healthy_flag != Some(false) {
        let what = state.unwrap_or("ok");
        let uptime = json
            .as_ref()
            .and_then(|j| j.get("uptime"))
            .and_then(Value::as_str)
            .map(|u| format!(", up {}", short_uptime(u)))
            .unwrap_or_default();
        return SubCheck::healthy("admin", format!("{what} ({api} admin{uptime})"));
    }
    match state {
        Some(s) => SubCheck::unhealthy("admin", format!("{s} (HTTP {status}) [GET {url}]")),
        None => SubCheck::unhealthy("admin", http_message(&status_error(url, status, body))),
    }
}

/// Go durations like `3h2m1.123456789s` → `3h2m1s`.
fn short_uptime(u: &str) -> String {
    match u.find('.') {
        Some(i) if u.ends_with('s') => format!("{}s", &u[..i]),
        _ => u.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::probe::Status;

    #[test]
    fn v1_and_v2_answers() {
        let s = evaluate(
            "u",
            200,
            r#"{"status":"Server available","upSince":"2026-11-25T20:00:00Z","uptime":"1h2m3.456s"}"#,
            "v1",
        );
        assert_eq!(
            (s.status, s.message.as_str()),
            (Status::Healthy, "Server available (v1 admin, up 1h2m3s)")
        );
        let s = evaluate("u", 503, r#"{"status":"Server not available"}"#, "v1");
        assert_eq!(s.status, Status::Unhealthy);
        assert_eq!(s.message, "Server not available (HTTP 503) [GET u]");
        let s = evaluate("u", 200, r#"{"healthy":true,"status":"StatusOK"}"#, "v2");
        assert_eq!(s.status, Status::Healthy);
        let s = evaluate("u", 503, r#"{"healthy":false,"status":"StatusRecoverableError"}"#, "v2");
        assert_eq!(s.status, Status::Unhealthy);
    }
}
