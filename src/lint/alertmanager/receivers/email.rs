//! `email_configs`.

use super::Entry;
use crate::lint::alertmanager::{Checker, codes, values};
use crate::lint::http_config::canonical_header;
use crate::lint::schema;

pub const FIELDS: &[&str] = &[
    "send_resolved",
    "to",
    "from",
    "hello",
    "smarthost",
    "auth_username",
    "auth_password",
    "auth_password_file",
    "auth_secret",
    "auth_secret_file",
    "auth_identity",
    "headers",
    "html",
    "text",
    "require_tls",
    "tls_config",
    "force_implicit_tls",
    "threading",
];

impl Checker<'_, '_> {
    pub(super) fn email(&mut self, e: &Entry<'_>) {
        if !self.e_set(e, "to") {
            self.e_error(
                e,
                None,
                codes::INTEGRATION_INCOMPLETE,
                "missing to address in email config",
            );
        }
        let smarthost = match self.e_str(e, "smarthost") {
            Some((s, pos)) if !s.is_empty() => match values::parse_host_port(&s) {
                Ok(()) => true,
                Err(err) => {
                    self.ctx.error(pos, schema::BAD_VALUE, format!("{}: smarthost: {err}", e.what));
                    true
                }
            },
            _ => false,
        };
        if !smarthost && !self.globals.has("smtp_smarthost") {
            self.e_error(
                e,
                None,
                codes::INTEGRATION_INCOMPLETE,
                "no global SMTP smarthost set: set `smarthost` here or `global.smtp_smarthost`",
            );
        }
        if !self.e_set(e, "from") && !self.globals.has("smtp_from") {
            self.e_error(
                e,
                None,
                codes::INTEGRATION_INCOMPLETE,
                "no global SMTP from set: set `from` here or `global.smtp_from`",
            );
        }
        self.e_strings(e, &["hello", "auth_username", "auth_identity", "html", "text"]);
        self.e_secret(e, "auth_password", "auth_password_file", false);
        self.e_secret(e, "auth_secret", "auth_secret_file", false);
        self.e_bool(e, "require_tls");
        self.e_bool(e, "force_implicit_tls");
        if let Some(t) = e.get("tls_config") {
            let w = format!("{}: tls_config", e.what);
            let facts = crate::lint::http_config::check_tls(&mut self.ctx, t, &w);
            self.http_facts(&facts, &w);
        }
        let headers = self.e_string_map(e, "headers");
        let mut seen: Vec<String> = Vec::new();
        for (k, pos, _) in &headers {
            let c = canonical_header(k);
            if seen.contains(&c) {
                self.ctx.error(
                    *pos,
                    codes::INTEGRATION_INVALID,
                    format!("{}: duplicate header {c:?} in email config (header names are case-insensitive)", e.what),
                );
            } else {
                seen.push(c);
            }
        }
        if let Some(t) = e.get("threading") {
            let w = format!("{}: threading", e.what);
            if let Some(tf) = self.ctx.map(t, &w, &["enabled", "thread_by_date"]) {
                let enabled = self.bool_of(&tf, "enabled", &w).unwrap_or(false);
                let by_date = self.str_of(&tf, "thread_by_date", &w);
                if enabled {
                    for h in ["References", "In-Reply-To"] {
                        if seen.iter().any(|s| s == h) {
                            self.ctx.error(
                                tf.pos(),
                                codes::CONFLICT,
                                format!("{w}: conflicting configuration: threading.enabled conflicts with custom {h} header"),
                            );
                        }
                    }
                    let v = by_date.as_ref().map_or("", |(s, _)| s.as_str());
                    if v != "none" && v != "daily" {
                        let pos = by_date.as_ref().map_or(tf.pos(), |(_, p)| *p);
                        self.ctx.error(
                            pos,
                            schema::BAD_VALUE,
                            format!(
                                "{w}: threading.thread_by_date must be either 'none' or 'daily'"
                            ),
                        );
                    }
                }
            }
        }
    }
}
