//! `opsgenie_configs`.

use super::Entry;
use crate::lint::alertmanager::{Checker, codes};

pub const FIELDS: &[&str] = &[
    "send_resolved",
    "http_config",
    "api_key",
    "api_key_file",
    "api_url",
    "message",
    "description",
    "source",
    "details",
    "entity",
    "responders",
    "actions",
    "tags",
    "note",
    "priority",
    "update_alerts",
];

const RESPONDER_TYPES: &[&str] = &["team", "teams", "user", "escalation", "schedule"];

impl Checker<'_, '_> {
    pub(super) fn opsgenie(&mut self, e: &Entry<'_>) {
        self.e_http(e);
        let (key, key_file) = self.e_secret(e, "api_key", "api_key_file", true);
        self.e_require(
            e,
            key || key_file,
            "opsgenie_api_key",
            "no global OpsGenie API Key set either inline or in a file: set `api_key_file` here or `global.opsgenie_api_key_file`",
        );
        self.e_url(e, "api_url");
        self.e_strings(
            e,
            &["message", "description", "source", "entity", "actions", "tags", "note", "priority"],
        );
        self.e_bool(e, "update_alerts");
        self.e_string_map(e, "details");
        let what = e.what.clone();
        for r in self.e_objects(
            e,
            "responders",
            "opsgenie responder",
            &["id", "name", "username", "type"],
        ) {
            let w = format!("{what}: responders");
            let mut any = false;
            for k in ["id", "name", "username"] {
                any |= self.str_of(&r, k, &w).is_some_and(|(s, _)| !s.is_empty());
            }
            if !any {
                self.ctx.error(
                    r.pos(),
                    codes::INTEGRATION_INCOMPLETE,
                    format!(
                        "{w}: responder has to have at least one of id, username or name specified"
                    ),
                );
            }
            if let Some((t, pos)) = self.str_of(&r, "type", &w) {
                if t.contains("{{") {
                    continue;
                }
                if !RESPONDER_TYPES.contains(&t.to_lowercase().as_str()) {
                    self.ctx.error(
                        pos,
                        codes::INTEGRATION_INVALID,
                        format!("{w}: responder type {t:?} does not match valid options ^(team|teams|user|escalation|schedule)$"),
                    );
                }
            } else {
                self.ctx.error(
                    r.pos(),
                    codes::INTEGRATION_INVALID,
                    format!("{w}: responder type \"\" does not match valid options ^(team|teams|user|escalation|schedule)$"),
                );
            }
        }
    }
}
