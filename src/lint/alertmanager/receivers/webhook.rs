//! `webhook_configs`: `url` may be a Go template (checked with Go's built-in functions
//! only, as the loader does), or a URL.

use super::Entry;
use crate::lint::alertmanager::templates::Funcs;
use crate::lint::alertmanager::{Checker, codes, values};
use crate::lint::schema;

pub const FIELDS: &[&str] =
    &["send_resolved", "http_config", "url", "url_file", "max_alerts", "timeout", "payload"];

impl Checker<'_, '_> {
    pub(super) fn webhook(&mut self, e: &Entry<'_>) {
        self.e_http(e);
        let url = self.e_str(e, "url");
        let url_set = url.as_ref().is_some_and(|(s, _)| !s.is_empty());
        let file = match e.f.as_ref() {
            Some(f) => self.file_of(f, "url_file", &e.what, true),
            None => false,
        };
        if !url_set && !file {
            self.e_error(
                e,
                None,
                codes::INTEGRATION_INCOMPLETE,
                "one of url or url_file must be configured",
            );
        }
        if url_set && file {
            self.e_error(
                e,
                self.e_key_pos(e, "url_file"),
                codes::CONFLICT,
                "at most one of url & url_file must be configured",
            );
        }
        if let Some((u, pos)) = url
            && !u.is_empty()
            && u != "<secret>"
        {
            if u.contains("{{") {
                self.template_string(&u, pos, &format!("{}: url", e.what), Funcs::Builtins);
            } else if let Err(err) = values::parse_http_url(&u) {
                self.ctx.error(
                    pos,
                    schema::BAD_VALUE,
                    format!("{}: url: invalid URL: {err}", e.what),
                );
            } else if values::url_has_credentials(&u) {
                self.plain_secret(
                    pos,
                    &e.what,
                    "url",
                    Some("url_file"),
                    crate::lint::placeholder::is_placeholder(&u),
                );
            }
        }
        self.e_int(e, "max_alerts", 0, i64::MAX);
        self.e_go_duration(e, "timeout");
    }
}
