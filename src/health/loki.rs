//! Loki: `/ready` answers 200 `ready`, or 503 with the reason (`Ingester not ready: ...`,
//! `Some services are not Running: ...`), which becomes the message.

use super::probe::{Check, Finding, Probe, ProbeFuture, SubCheck, first_line, get_ok};
use crate::api::Http;

pub struct LokiProbe {
    pub http: Http,
}

impl Probe for LokiProbe {
    fn check(&self) -> Check {
        Check::Loki
    }

    fn run(&self) -> ProbeFuture<'_> {
        Box::pin(async move {
            Finding::single(match get_ok(&self.http, "/ready", "ready").await {
                Ok(r) => {
                    let body = first_line(&r.body);
                    SubCheck::healthy("ready", if body.is_empty() { "ready".into() } else { body })
                }
                Err(s) => s,
            })
        })
    }
}
