//! `victorops_configs`.

use super::Entry;
use crate::lint::alertmanager::{Checker, codes};

pub const FIELDS: &[&str] = &[
    "send_resolved",
    "http_config",
    "api_key",
    "api_key_file",
    "api_url",
    "routing_key",
    "message_type",
    "state_message",
    "entity_display_name",
    "monitoring_tool",
    "custom_fields",
];

const RESERVED: &[&str] = &[
    "routing_key",
    "message_type",
    "state_message",
    "entity_display_name",
    "monitoring_tool",
    "entity_id",
    "entity_state",
];

impl Checker<'_, '_> {
    pub(super) fn victorops(&mut self, e: &Entry<'_>) {
        self.e_http(e);
        if !self.e_set(e, "routing_key") {
            self.e_error(
                e,
                None,
                codes::INTEGRATION_INCOMPLETE,
                "missing Routing key in VictorOps config",
            );
        }
        let (k, kf) = self.e_secret(e, "api_key", "api_key_file", true);
        self.e_require(
            e,
            k || kf,
            "victorops_api_key",
            "no global VictorOps API Key set: set `api_key_file` here or `global.victorops_api_key_file`",
        );
        self.e_url(e, "api_url");
        self.e_strings(
            e,
            &["message_type", "state_message", "entity_display_name", "monitoring_tool"],
        );
        for (name, pos, _) in self.e_string_map(e, "custom_fields") {
            if RESERVED.contains(&name.as_str()) {
                self.ctx.error(
                    pos,
                    codes::INTEGRATION_INVALID,
                    format!(
                        "{}: victorOps config contains custom field {name} which cannot be used as it conflicts with the fixed/static fields",
                        e.what
                    ),
                );
            }
        }
    }
}
