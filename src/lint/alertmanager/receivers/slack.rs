//! `slack_configs`: a webhook URL or an app token (inline, from a file, or global).

use super::Entry;
use crate::lint::alertmanager::global::DEFAULT_SLACK_APP_URL;
use crate::lint::alertmanager::{Checker, codes};

pub const FIELDS: &[&str] = &[
    "send_resolved",
    "http_config",
    "api_url",
    "api_url_file",
    "app_token",
    "app_token_file",
    "app_url",
    "channel",
    "username",
    "color",
    "title",
    "title_link",
    "pretext",
    "text",
    "message_text",
    "fields",
    "short_fields",
    "footer",
    "fallback",
    "callback_id",
    "icon_emoji",
    "icon_url",
    "image_url",
    "thumb_url",
    "link_names",
    "mrkdwn_in",
    "actions",
    "update_message",
    "timeout",
];

const ACTION_FIELDS: &[&str] = &["type", "text", "url", "style", "name", "value", "confirm"];

impl Checker<'_, '_> {
    pub(super) fn slack(&mut self, e: &Entry<'_>) {
        let http = self.e_http(e);
        let (url, url_file) = self.e_secret_url(e, "api_url", "api_url_file");
        let (token, token_file) = self.e_secret(e, "app_token", "app_token_file", true);
        self.e_url(e, "app_url");
        if url && url_file {
            self.e_error(
                e,
                self.e_key_pos(e, "api_url_file"),
                codes::CONFLICT,
                "at most one of api_url & api_url_file must be configured",
            );
        }
        let local_url = url || url_file;
        let local_token = token || token_file;
        if local_url && local_token {
            self.e_error(
                e,
                self.e_key_pos(e, "app_token").or(self.e_key_pos(e, "app_token_file")),
                codes::CONFLICT,
                "at most one of api_url/api_url_file & app_token/app_token_file must be configured",
            );
        }
        if self.e_bool(e, "update_message") == Some(true) {
            let api = e.get("api_url").and_then(|n| n.scalar_text()).unwrap_or("");
            if api != DEFAULT_SLACK_APP_URL {
                self.e_error(
                    e,
                    self.e_key_pos(e, "update_message"),
                    codes::CONFLICT,
                    "update_message can only be used with bot tokens. api_url must be set to https://slack.com/api/chat.postMessage",
                );
            }
        }
        // With the globals: the app token is taken from the globals only when this entry
        // has no token, no authorization and no webhook URL.
        let local_authz = http.as_ref().is_some_and(|h| h.sends_authorization());
        let g = &self.globals;
        let token_eff = local_token
            || (!local_authz
                && !url
                && (g.has("slack_app_token") || g.has("slack_app_token_file")));
        let url_eff = local_url || g.has("slack_api_url") || g.has("slack_api_url_file");
        if !url_eff && !token_eff {
            self.e_error(
                e,
                None,
                codes::INTEGRATION_INCOMPLETE,
                "no Slack API URL nor App token set either inline or in a file: set `api_url_file` (webhook URL) or `app_token_file` here, or `global.slack_api_url_file`",
            );
        }
        if token_eff {
            let authz = if http.is_some() { local_authz } else { self.globals.http_authorization };
            if authz {
                self.e_error(
                    e,
                    self.e_key_pos(e, "http_config"),
                    codes::CONFLICT,
                    "http authorization can't be set when using Slack App tokens",
                );
            }
        }
        self.e_strings(
            e,
            &[
                "channel",
                "username",
                "color",
                "title",
                "title_link",
                "pretext",
                "text",
                "message_text",
                "footer",
                "fallback",
                "callback_id",
                "icon_emoji",
                "icon_url",
                "image_url",
                "thumb_url",
            ],
        );
        self.e_bool(e, "short_fields");
        self.e_bool(e, "link_names");
        self.e_go_duration(e, "timeout");
        if let Some(n) = e.get("mrkdwn_in") {
            self.ctx.strings(n, &format!("{}: mrkdwn_in", e.what));
        }
        let what = e.what.clone();
        for f in self.e_objects(e, "fields", "slack field", &["title", "value", "short"]) {
            let w = format!("{what}: fields");
            if self.str_of(&f, "title", &w).is_none_or(|(s, _)| s.is_empty()) {
                self.ctx.error(
                    f.pos(),
                    codes::INTEGRATION_INCOMPLETE,
                    format!("{w}: missing title in Slack field configuration"),
                );
            }
            if self.str_of(&f, "value", &w).is_none_or(|(s, _)| s.is_empty()) {
                self.ctx.error(
                    f.pos(),
                    codes::INTEGRATION_INCOMPLETE,
                    format!("{w}: missing value in Slack field configuration"),
                );
            }
            self.bool_of(&f, "short", &w);
        }
        for a in self.e_objects(e, "actions", "slack action", ACTION_FIELDS) {
            let w = format!("{what}: actions");
            for (k, msg) in [
                ("type", "missing type in Slack action configuration"),
                ("text", "missing text in Slack action configuration"),
            ] {
                if self.str_of(&a, k, &w).is_none_or(|(s, _)| s.is_empty()) {
                    self.ctx.error(a.pos(), codes::INTEGRATION_INCOMPLETE, format!("{w}: {msg}"));
                }
            }
            let url = self.str_of(&a, "url", &w).is_some_and(|(s, _)| !s.is_empty());
            let name = self.str_of(&a, "name", &w).is_some_and(|(s, _)| !s.is_empty());
            self.str_of(&a, "style", &w);
            self.str_of(&a, "value", &w);
            if !url && !name {
                self.ctx.error(
                    a.pos(),
                    codes::INTEGRATION_INCOMPLETE,
                    format!("{w}: missing name or url in Slack action configuration"),
                );
            }
            if let Some(c) = a.get("confirm") {
                let cw = format!("{w}: confirm");
                if let Some(cf) =
                    self.ctx.map(c, &cw, &["text", "title", "ok_text", "dismiss_text"])
                {
                    if self.str_of(&cf, "text", &cw).is_none_or(|(s, _)| s.is_empty()) {
                        self.ctx.error(
                            cf.pos(),
                            codes::INTEGRATION_INCOMPLETE,
                            format!("{cw}: missing text in Slack confirmation configuration"),
                        );
                    }
                    for k in ["title", "ok_text", "dismiss_text"] {
                        self.str_of(&cf, k, &cw);
                    }
                }
            }
        }
    }
}
