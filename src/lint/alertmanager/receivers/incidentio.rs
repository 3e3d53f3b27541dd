//! `incidentio_configs`.

use super::Entry;
use crate::lint::alertmanager::{Checker, codes};

pub const FIELDS: &[&str] = &[
    "send_resolved",
    "http_config",
    "url",
    "url_file",
    "alert_source_token",
    "alert_source_token_file",
    "max_alerts",
    "timeout",
];

impl Checker<'_, '_> {
    pub(super) fn incidentio(&mut self, e: &Entry<'_>) {
        let http = self.e_http(e);
        let url = e.get("url").is_some();
        self.e_url(e, "url");
        let file = match e.f.as_ref() {
            Some(f) => self.file_of(f, "url_file", &e.what, true),
            None => false,
        };
        if !url && !file {
            self.e_error(
                e,
                None,
                codes::INTEGRATION_INCOMPLETE,
                "one of url or url_file must be configured",
            );
        }
        if url && file {
            self.e_error(
                e,
                self.e_key_pos(e, "url_file"),
                codes::CONFLICT,
                "at most one of url & url_file must be configured",
            );
        }
        let (t, tf) = self.e_secret(e, "alert_source_token", "alert_source_token_file", true);
        if let Some(h) = &http {
            if h.sends_authorization() && (t || tf) {
                self.e_error(
                    e,
                    self.e_key_pos(e, "http_config"),
                    codes::CONFLICT,
                    "cannot specify alert_source_token or alert_source_token_file when using http_config.authorization",
                );
            }
            if !h.sends_authorization() && !t && !tf {
                self.e_error(
                    e,
                    None,
                    codes::INTEGRATION_INCOMPLETE,
                    "at least one of alert_source_token, alert_source_token_file or http_config.authorization must be configured",
                );
            }
        }
        self.e_int(e, "max_alerts", 0, i64::MAX);
        self.e_go_duration(e, "timeout");
    }
}
