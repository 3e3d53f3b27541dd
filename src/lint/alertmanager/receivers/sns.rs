//! `sns_configs` (with SigV4 signing).

use super::Entry;
use crate::lint::alertmanager::{Checker, codes};

pub const FIELDS: &[&str] = &[
    "send_resolved",
    "http_config",
    "api_url",
    "sigv4",
    "topic_arn",
    "phone_number",
    "target_arn",
    "subject",
    "message",
    "attributes",
    "use_aws_http_client",
];

impl Checker<'_, '_> {
    pub(super) fn sns(&mut self, e: &Entry<'_>) {
        self.e_http(e);
        let set = [
            self.e_set(e, "target_arn"),
            self.e_set(e, "topic_arn"),
            self.e_set(e, "phone_number"),
        ];
        let n = set.iter().filter(|b| **b).count();
        if n == 0 || n == 2 {
            self.e_error(
                e,
                None,
                codes::INTEGRATION_INCOMPLETE,
                "must provide either a Target ARN, Topic ARN, or Phone Number for SNS config",
            );
        } else if n == 3 {
            self.ctx.warning(
                e.pos,
                codes::CONFLICT,
                format!(
                    "{}: target_arn, topic_arn and phone_number are all set; set exactly one",
                    e.what
                ),
            );
        }
        self.e_strings(e, &["api_url", "subject", "message"]);
        self.e_bool(e, "use_aws_http_client");
        self.e_string_map(e, "attributes");
        if let Some(s) = e.get("sigv4") {
            let w = format!("{}: sigv4", e.what);
            let facts = crate::lint::http_config::check_sigv4(&mut self.ctx, s, &w);
            self.http_facts(&facts, &w);
        }
    }
}
