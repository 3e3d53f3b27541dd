//! cAdvisor: `/healthz` answers 200 `ok`.

use super::probe::{Check, Finding, Probe, ProbeFuture, SubCheck, first_line, get_ok};
use crate::api::Http;

pub struct CadvisorProbe {
    pub http: Http,
}

impl Probe for CadvisorProbe {
    fn check(&self) -> Check {
        Check::Cadvisor
    }

    fn run(&self) -> ProbeFuture<'_> {
        Box::pin(async move {
            Finding::single(match get_ok(&self.http, "/healthz", "healthz").await {
                Ok(r) => {
                    let body = first_line(&r.body);
                    SubCheck::healthy("healthz", if body.is_empty() { "ok".into() } else { body })
                }
                Err(s) => s,
            })
        })
    }
}
