//! Chat integrations with a webhook URL or a token: `discord_configs`, `webex_configs`,
//! `msteams_configs`, `msteamsv2_configs`, `rocketchat_configs`, `mattermost_configs`.

use super::Entry;
use crate::lint::alertmanager::{Checker, codes};

pub const DISCORD_FIELDS: &[&str] = &[
    "send_resolved",
    "http_config",
    "webhook_url",
    "webhook_url_file",
    "content",
    "title",
    "message",
    "username",
    "avatar_url",
];

pub const WEBEX_FIELDS: &[&str] =
    &["send_resolved", "http_config", "api_url", "message", "room_id"];

pub const MSTEAMS_FIELDS: &[&str] = &[
    "send_resolved",
    "http_config",
    "webhook_url",
    "webhook_url_file",
    "title",
    "summary",
    "text",
];

pub const MSTEAMSV2_FIELDS: &[&str] =
    &["send_resolved", "http_config", "webhook_url", "webhook_url_file", "title", "text"];

pub const ROCKETCHAT_FIELDS: &[&str] = &[
    "send_resolved",
    "http_config",
    "api_url",
    "token_id",
    "token_id_file",
    "token",
    "token_file",
    "channel",
    "color",
    "title",
    "title_link",
    "text",
    "fields",
    "short_fields",
    "emoji",
    "icon_url",
    "image_url",
    "thumb_url",
    "link_names",
    "actions",
];

/// Rocket.Chat action fields have no YAML names upstream: the Go field names, lower-cased.
const ROCKETCHAT_ACTION_FIELDS: &[&str] = &[
    "type",
    "text",
    "url",
    "imageurl",
    "iswebview",
    "webviewheightratio",
    "msg",
    "msginchatwindow",
    "msgprocessingtype",
];

pub const MATTERMOST_FIELDS: &[&str] = &[
    "send_resolved",
    "http_config",
    "webhook_url",
    "webhook_url_file",
    "channel",
    "username",
    "text",
    "fallback",
    "color",
    "pretext",
    "author_name",
    "author_link",
    "author_icon",
    "title",
    "title_link",
    "fields",
    "thumb_url",
    "footer",
    "footer_icon",
    "image_url",
    "icon_url",
    "icon_emoji",
    "attachments",
    "type",
    "props",
    "priority",
];

const MATTERMOST_ATTACHMENT_FIELDS: &[&str] = &[
    "fallback",
    "color",
    "pretext",
    "text",
    "author_name",
    "author_link",
    "author_icon",
    "title",
    "title_link",
    "fields",
    "thumb_url",
    "footer",
    "footer_icon",
    "image_url",
];

impl Checker<'_, '_> {
    /// A webhook URL that must be set inline or from a file, not both.
    fn required_webhook(&mut self, e: &Entry<'_>) {
        let (u, f) = self.e_secret_url(e, "webhook_url", "webhook_url_file");
        if !u && !f {
            self.e_error(
                e,
                None,
                codes::INTEGRATION_INCOMPLETE,
                "one of webhook_url or webhook_url_file must be configured",
            );
        }
        if u && f {
            self.e_error(
                e,
                self.e_key_pos(e, "webhook_url_file"),
                codes::CONFLICT,
                "at most one of webhook_url & webhook_url_file must be configured",
            );
        }
    }

    pub(super) fn discord(&mut self, e: &Entry<'_>) {
        self.e_http(e);
        self.required_webhook(e);
        self.e_strings(e, &["content", "title", "message", "username", "avatar_url"]);
    }

    pub(super) fn msteams(&mut self, e: &Entry<'_>, _kind: &str) {
        self.e_http(e);
        self.required_webhook(e);
        self.e_strings(e, &["title", "summary", "text"]);
    }

    pub(super) fn webex(&mut self, e: &Entry<'_>) {
        let http = self.e_http(e);
        self.e_url(e, "api_url");
        if !self.e_set(e, "room_id") {
            self.e_error(e, None, codes::INTEGRATION_INCOMPLETE, "missing room_id on webex_config");
        }
        if !http.is_some_and(|h| h.sends_authorization()) {
            self.e_error(
                e,
                None,
                codes::INTEGRATION_INCOMPLETE,
                "missing webex_configs.http_config.authorization (the bot's access token)",
            );
        }
        self.e_strings(e, &["message"]);
    }

    pub(super) fn rocketchat(&mut self, e: &Entry<'_>) {
        self.e_http(e);
        self.e_url(e, "api_url");
        let mut set = [false; 2];
        for (i, (k, kf)) in
            [("token_id", "token_id_file"), ("token", "token_file")].into_iter().enumerate()
        {
            // Pointer secrets: present counts as set, even when empty.
            let v = self.e_str(e, k);
            let f = match e.f.as_ref() {
                Some(fl) => self.file_of(fl, kf, &e.what, true),
                None => false,
            };
            if let Some((s, pos)) = &v
                && !s.is_empty()
            {
                self.plain_secret(
                    *pos,
                    &e.what,
                    k,
                    Some(kf),
                    crate::lint::placeholder::is_placeholder(s),
                );
            }
            if v.is_some() && f {
                self.e_error(
                    e,
                    self.e_key_pos(e, kf),
                    codes::CONFLICT,
                    &format!("at most one of {k} & {kf} must be configured"),
                );
            }
            set[i] = v.is_some() || f;
        }
        self.e_require(
            e,
            set[0],
            "rocketchat_token_id",
            "no global Rocketchat TokenID set either inline or in a file: set `token_id_file` here or `global.rocketchat_token_id_file`",
        );
        self.e_require(
            e,
            set[1],
            "rocketchat_token",
            "no global Rocketchat Token set either inline or in a file: set `token_file` here or `global.rocketchat_token_file`",
        );
        self.e_strings(
            e,
            &[
                "channel",
                "color",
                "title",
                "title_link",
                "text",
                "emoji",
                "icon_url",
                "image_url",
                "thumb_url",
            ],
        );
        self.e_bool(e, "short_fields");
        self.e_bool(e, "link_names");
        let what = e.what.clone();
        for f in self.e_objects(e, "fields", "rocketchat field", &["short", "title", "value"]) {
            let w = format!("{what}: fields");
            self.bool_of(&f, "short", &w);
            self.str_of(&f, "title", &w);
            self.str_of(&f, "value", &w);
        }
        for a in self.e_objects(e, "actions", "rocketchat action", ROCKETCHAT_ACTION_FIELDS) {
            let w = format!("{what}: actions");
            for k in [
                "type",
                "text",
                "url",
                "imageurl",
                "webviewheightratio",
                "msg",
                "msgprocessingtype",
            ] {
                self.str_of(&a, k, &w);
            }
            for k in ["iswebview", "msginchatwindow"] {
                self.bool_of(&a, k, &w);
            }
        }
    }

    pub(super) fn mattermost(&mut self, e: &Entry<'_>) {
        self.e_http(e);
        let (u, f) = self.e_secret_url(e, "webhook_url", "webhook_url_file");
        if u && f {
            self.e_error(
                e,
                self.e_key_pos(e, "webhook_url_file"),
                codes::CONFLICT,
                "at most one of webhook_url & webhook_url_file must be configured",
            );
        }
        self.e_require(
            e,
            u || f,
            "mattermost_webhook_url",
            "missing webhook_url or webhook_url_file on mattermost_config: set `webhook_url_file` here or `global.mattermost_webhook_url_file`",
        );
        self.e_strings(
            e,
            &[
                "channel",
                "username",
                "text",
                "fallback",
                "color",
                "pretext",
                "author_name",
                "author_link",
                "author_icon",
                "title",
                "title_link",
                "thumb_url",
                "footer",
                "footer_icon",
                "image_url",
                "icon_url",
                "icon_emoji",
                "type",
            ],
        );
        let what = e.what.clone();
        let fields = self.e_objects(e, "fields", "mattermost field", &["title", "value", "short"]);
        self.mattermost_fields(&fields, &format!("{what}: fields"));
        for a in
            self.e_objects(e, "attachments", "mattermost attachment", MATTERMOST_ATTACHMENT_FIELDS)
        {
            let w = format!("{what}: attachments");
            for k in MATTERMOST_ATTACHMENT_FIELDS.iter().filter(|k| **k != "fields") {
                self.str_of(&a, k, &w);
            }
            if let Some(n) = a.get("fields")
                && let Some(items) = self.ctx.list(n, &format!("{w}: fields"))
            {
                let mut fl = Vec::new();
                for it in items {
                    if let Some(ff) =
                        self.ctx.map(it, "mattermost field", &["title", "value", "short"])
                    {
                        fl.push(ff);
                    }
                }
                self.mattermost_fields(&fl, &format!("{w}: fields"));
            }
        }
        if let Some(n) = e.get("props") {
            let w = format!("{what}: props");
            if let Some(pf) = self.ctx.map(n, &w, &["card"]) {
                self.str_of(&pf, "card", &w);
            }
        }
        if let Some(n) = e.get("priority") {
            let w = format!("{what}: priority");
            if let Some(pf) =
                self.ctx.map(n, &w, &["priority", "requested_ack", "persistent_notifications"])
            {
                self.str_of(&pf, "priority", &w);
                self.bool_of(&pf, "requested_ack", &w);
                self.bool_of(&pf, "persistent_notifications", &w);
            }
        }
    }

    fn mattermost_fields(&mut self, fields: &[crate::lint::schema::Fields<'_>], w: &str) {
        for f in fields {
            if self.str_of(f, "title", w).is_none_or(|(s, _)| s.is_empty()) {
                self.ctx.error(
                    f.pos(),
                    codes::INTEGRATION_INCOMPLETE,
                    format!("{w}: missing title in Mattermost field configuration"),
                );
            }
            if self.str_of(f, "value", w).is_none_or(|(s, _)| s.is_empty()) {
                self.ctx.error(
                    f.pos(),
                    codes::INTEGRATION_INCOMPLETE,
                    format!("{w}: missing value in Mattermost field configuration"),
                );
            }
            self.bool_of(f, "short", w);
        }
    }
}
