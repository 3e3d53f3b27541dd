//! `pushover_configs`.

use super::Entry;
use crate::lint::alertmanager::{Checker, codes};

pub const FIELDS: &[&str] = &[
    "send_resolved",
    "http_config",
    "user_key",
    "user_key_file",
    "token",
    "token_file",
    "title",
    "message",
    "url",
    "url_title",
    "device",
    "sound",
    "priority",
    "retry",
    "expire",
    "ttl",
    "html",
    "monospace",
];

impl Checker<'_, '_> {
    pub(super) fn pushover(&mut self, e: &Entry<'_>) {
        self.e_http(e);
        for (k, kf) in [("user_key", "user_key_file"), ("token", "token_file")] {
            let (v, f) = self.e_secret(e, k, kf, true);
            if !v && !f {
                self.e_error(
                    e,
                    None,
                    codes::INTEGRATION_INCOMPLETE,
                    &format!("one of {k} or {kf} must be configured"),
                );
            }
        }
        let html = self.e_bool(e, "html").unwrap_or(false);
        let mono = self.e_bool(e, "monospace").unwrap_or(false);
        if html && mono {
            self.e_error(
                e,
                self.e_key_pos(e, "monospace"),
                codes::CONFLICT,
                "at most one of monospace & html must be configured",
            );
        }
        for k in ["retry", "expire", "ttl"] {
            self.e_go_duration_text(e, k);
        }
        self.e_strings(e, &["title", "message", "url", "url_title", "device", "sound", "priority"]);
    }
}
