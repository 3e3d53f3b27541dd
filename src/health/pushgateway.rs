//! Pushgateway: `/-/healthy` and `/-/ready`. Unlike the other components it answers
//! **500** (not 503) with the error text when it is not healthy (handler/misc.go); any
//! non-2xx is unhealthy and the text becomes the message.

use super::probe::{Check, Finding, Probe, ProbeFuture, SubCheck, healthy_then_ready};
use crate::api::Http;

pub struct PushgatewayProbe {
    pub http: Http,
}

impl Probe for PushgatewayProbe {
    fn check(&self) -> Check {
        Check::Pushgateway
    }

    fn run(&self) -> ProbeFuture<'_> {
        Box::pin(async move {
            let (healthy, ready) =
                tokio::join!(self.http.get("/-/healthy"), self.http.get("/-/ready"));
            match healthy_then_ready(healthy.map(drop), ready.map(drop)) {
                Err(f) => f,
                Ok(()) => Finding::single(SubCheck::healthy("ready", "healthy and ready")),
            }
        })
    }
}
