//! `telegram_configs`.

use super::Entry;
use crate::lint::alertmanager::{Checker, codes};

pub const FIELDS: &[&str] = &[
    "send_resolved",
    "http_config",
    "api_url",
    "bot_token",
    "bot_token_file",
    "chat_id",
    "chat_id_file",
    "message_thread_id",
    "message",
    "disable_notifications",
    "parse_mode",
];

impl Checker<'_, '_> {
    pub(super) fn telegram(&mut self, e: &Entry<'_>) {
        self.e_http(e);
        self.e_url(e, "api_url");
        let (t, tf) = self.e_secret(e, "bot_token", "bot_token_file", true);
        self.e_require(
            e,
            t || tf,
            "telegram_bot_token",
            "missing bot_token or bot_token_file on telegram_config: set `bot_token_file` here or `global.telegram_bot_token_file`",
        );
        let chat = self.e_int(e, "chat_id", i64::MIN, i64::MAX).is_some_and(|v| v != 0);
        let chat_file = match e.f.as_ref() {
            Some(f) => self.file_of(f, "chat_id_file", &e.what, false),
            None => false,
        };
        if !chat && !chat_file {
            self.e_error(
                e,
                None,
                codes::INTEGRATION_INCOMPLETE,
                "missing chat_id or chat_id_file on telegram_config",
            );
        }
        if chat && chat_file {
            self.e_error(
                e,
                self.e_key_pos(e, "chat_id_file"),
                codes::CONFLICT,
                "at most one of chat_id & chat_id_file must be configured",
            );
        }
        self.e_int(e, "message_thread_id", i64::from(i32::MIN), i64::from(i32::MAX));
        self.e_bool(e, "disable_notifications");
        self.e_strings(e, &["message"]);
        if let Some((m, pos)) = self.e_str(e, "parse_mode")
            && !["", "Markdown", "MarkdownV2", "HTML"].contains(&m.as_str())
        {
            self.ctx.error(
                pos,
                codes::INTEGRATION_INVALID,
                format!("{}: unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string", e.what),
            );
        }
    }
}
