//! `pagerduty_configs`.

use super::Entry;
use crate::lint::alertmanager::{Checker, codes};

pub const FIELDS: &[&str] = &[
    "send_resolved",
    "http_config",
    "service_key",
    "service_key_file",
    "routing_key",
    "routing_key_file",
    "url",
    "client",
    "client_url",
    "description",
    "details",
    "images",
    "links",
    "source",
    "severity",
    "class",
    "component",
    "group",
    "timeout",
];

impl Checker<'_, '_> {
    pub(super) fn pagerduty(&mut self, e: &Entry<'_>) {
        self.e_http(e);
        let (rk, rkf) = self.e_secret(e, "routing_key", "routing_key_file", true);
        let (sk, skf) = self.e_secret(e, "service_key", "service_key_file", true);
        if !(rk || rkf || sk || skf) {
            self.e_error(
                e,
                None,
                codes::INTEGRATION_INCOMPLETE,
                "missing service or routing key in PagerDuty config: set `routing_key_file` (Events API v2) or `service_key_file`",
            );
        }
        self.e_url(e, "url");
        self.e_strings(
            e,
            &[
                "client",
                "client_url",
                "description",
                "source",
                "severity",
                "class",
                "component",
                "group",
            ],
        );
        self.e_go_duration(e, "timeout");
        if let Some(n) = e.get("details") {
            self.ctx.free_map(n, &format!("{}: details", e.what));
        }
        let what = e.what.clone();
        for f in self.e_objects(e, "images", "pagerduty image", &["src", "alt", "href"]) {
            for k in ["src", "alt", "href"] {
                self.str_of(&f, k, &format!("{what}: images"));
            }
        }
        for f in self.e_objects(e, "links", "pagerduty link", &["href", "text"]) {
            for k in ["href", "text"] {
                self.str_of(&f, k, &format!("{what}: links"));
            }
        }
    }
}
