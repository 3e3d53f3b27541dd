//! Pushgateway: `/-/healthy` and `/-/ready`. Unlike the other components it answers
//! **500** (not 503) with the error text when it is not healthy (handler/misc.go); any
//! non-2xx is unhealthy and the text becomes the message.

use super::probe::{Check, Finding, Probe, ProbeFuture, SubCheck};
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
            if let Err(e) = healthy {
                return Finding::single(SubCheck::from_http("healthy", &e));
            }
            if let Err(e) = ready {
                let mut s = SubCheck::from_http("ready", &e);
                s.message = format!("not ready: {}", s.message);
                return Finding::single(s);
            }
            Finding::single(SubCheck::healthy("ready", "healthy and ready"))
        })
    }
}
