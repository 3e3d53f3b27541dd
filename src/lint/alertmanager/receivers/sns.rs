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

const SIGV4_FIELDS: &[&str] = &[
    "region",
    "access_key",
    "secret_key",
    "profile",
    "role_arn",
    "external_id",
    "use_fips_sts_endpoint",
    "service_name",
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
            if let Some(f) = self.ctx.map(s, &w, SIGV4_FIELDS) {
                let ak = self.str_of(&f, "access_key", &w).is_some_and(|(s, _)| !s.is_empty());
                let sk = self.str_of(&f, "secret_key", &w);
                if let Some((v, pos)) = &sk
                    && !v.is_empty()
                {
                    self.plain_secret(*pos, &w, "secret_key", None);
                }
                let sk = sk.is_some_and(|(s, _)| !s.is_empty());
                if ak != sk {
                    self.ctx.error(
                        f.pos(),
                        codes::INTEGRATION_INCOMPLETE,
                        format!("{w}: must provide a AWS SigV4 Access key and Secret Key if credentials are specified in the SigV4 config"),
                    );
                }
                let role = self.str_of(&f, "role_arn", &w).is_some_and(|(s, _)| !s.is_empty());
                if self.str_of(&f, "external_id", &w).is_some_and(|(s, _)| !s.is_empty()) && !role {
                    self.ctx.error(
                        f.pos(),
                        codes::INTEGRATION_INCOMPLETE,
                        format!("{w}: external_id can only be used with role_arn"),
                    );
                }
                for k in ["region", "profile", "service_name"] {
                    self.str_of(&f, k, &w);
                }
                self.bool_of(&f, "use_fips_sts_endpoint", &w);
            }
        }
    }
}
