//! `wechat_configs`.

use super::Entry;
use crate::lint::alertmanager::{Checker, codes};

pub const FIELDS: &[&str] = &[
    "send_resolved",
    "http_config",
    "api_secret",
    "api_secret_file",
    "corp_id",
    "message",
    "api_url",
    "to_user",
    "to_party",
    "to_tag",
    "agent_id",
    "message_type",
];

impl Checker<'_, '_> {
    pub(super) fn wechat(&mut self, e: &Entry<'_>) {
        self.e_http(e);
        if let Some((t, pos)) = self.e_str(e, "message_type")
            && !t.is_empty()
            && t != "text"
            && t != "markdown"
        {
            self.ctx.error(
                pos,
                codes::INTEGRATION_INVALID,
                format!(
                    "{}: weChat message type {t:?} does not match valid options ^(text|markdown)$",
                    e.what
                ),
            );
        }
        let (s, sf) = self.e_secret(e, "api_secret", "api_secret_file", true);
        self.e_require(
            e,
            s || sf,
            "wechat_api_secret",
            "no global Wechat Api Secret set either inline or in a file: set `api_secret_file` here or `global.wechat_api_secret_file`",
        );
        if !self.e_set(e, "corp_id") && !self.globals.has("wechat_api_corp_id") {
            self.e_error(
                e,
                None,
                codes::INTEGRATION_INCOMPLETE,
                "no global Wechat CorpID set: set `corp_id` here or `global.wechat_api_corp_id`",
            );
        }
        self.e_url(e, "api_url");
        self.e_strings(e, &["message", "to_user", "to_party", "to_tag", "agent_id"]);
    }
}
