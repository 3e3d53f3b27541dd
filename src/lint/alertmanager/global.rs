//! The `global:` section: defaults every integration falls back on, and the load-time
//! rules on them (a secret and its `_file` are exclusive; Slack's webhook URL and app
//! token are exclusive).

use std::collections::BTreeSet;

use super::{Checker, codes, values};
use crate::lint::schema;
use crate::yaml::Node;

const FIELDS: &[&str] = &[
    "resolve_timeout",
    "http_config",
    "jira_api_url",
    "smtp_from",
    "smtp_hello",
    "smtp_smarthost",
    "smtp_auth_username",
    "smtp_auth_password",
    "smtp_auth_password_file",
    "smtp_auth_secret",
    "smtp_auth_secret_file",
    "smtp_auth_identity",
    "smtp_require_tls",
    "smtp_tls_config",
    "smtp_force_implicit_tls",
    "slack_api_url",
    "slack_api_url_file",
    "slack_app_token",
    "slack_app_token_file",
    "slack_app_url",
    "pagerduty_url",
    "opsgenie_api_url",
    "opsgenie_api_key",
    "opsgenie_api_key_file",
    "wechat_api_url",
    "wechat_api_secret",
    "wechat_api_secret_file",
    "wechat_api_corp_id",
    "victorops_api_url",
    "victorops_api_key",
    "victorops_api_key_file",
    "telegram_api_url",
    "telegram_bot_token",
    "telegram_bot_token_file",
    "webex_api_url",
    "rocketchat_api_url",
    "rocketchat_token",
    "rocketchat_token_file",
    "rocketchat_token_id",
    "rocketchat_token_id_file",
    "mattermost_webhook_url",
    "mattermost_webhook_url_file",
];

/// The Slack API URL Alertmanager uses with app tokens.
pub const DEFAULT_SLACK_APP_URL: &str = "https://slack.com/api/chat.postMessage";

/// What the global section sets (after defaults).
#[derive(Debug, Clone, Default)]
pub struct Globals {
    /// Settings present with a value (for secrets: non-empty; for URL and pointer
    /// settings: present).
    set: BTreeSet<&'static str>,
    /// The global http_config has an `authorization` (or bearer token).
    pub http_authorization: bool,
}

/// The global URLs Alertmanager sets by default.
const DEFAULT_URLS: &[&str] = &[
    "pagerduty_url",
    "opsgenie_api_url",
    "wechat_api_url",
    "victorops_api_url",
    "telegram_api_url",
    "webex_api_url",
    "rocketchat_api_url",
    "slack_app_url",
];

impl Globals {
    /// Defaults when there is no `global:` section: the default URLs are set.
    pub fn defaults() -> Globals {
        let mut g = Globals::default();
        g.set.extend(DEFAULT_URLS);
        g
    }

    pub fn has(&self, k: &str) -> bool {
        self.set.contains(k)
    }

    /// Either of a secret and its file.
    pub fn has_either(&self, k: &str) -> bool {
        self.has(k) || self.set.iter().any(|s| s.strip_suffix("_file") == Some(k))
    }
}

impl Checker<'_, '_> {
    pub(super) fn global(&mut self, node: &Node) {
        self.globals = Globals::defaults();
        let what = "global";
        let Some(f) = self.ctx.map(node, what, FIELDS) else {
            return;
        };
        let mark = |g: &mut Globals, k: &'static str| {
            g.set.insert(k);
        };
        self.prom_duration_of(&f, "resolve_timeout", what);
        if let Some(h) = self.http_of(&f, what) {
            self.globals.http_authorization = h.sends_authorization();
        }
        // URLs (present with a value replaces the default; null keeps it).
        for &k in DEFAULT_URLS.iter().chain(&["jira_api_url"]) {
            if self.url_of(&f, k, what).is_some() {
                mark(&mut self.globals, k);
            }
        }
        // Plain strings.
        for k in [
            "smtp_from",
            "smtp_hello",
            "smtp_auth_username",
            "smtp_auth_identity",
            "wechat_api_corp_id",
        ] {
            if let Some((s, _)) = self.str_of(&f, k, what)
                && !s.is_empty()
            {
                mark(&mut self.globals, k);
            }
        }
        if let Some((s, pos)) = self.str_of(&f, "smtp_smarthost", what)
            && !s.is_empty()
        {
            // Set even when invalid: its own error is enough, e-mail configs relying on it
            // are not reported again.
            mark(&mut self.globals, "smtp_smarthost");
            if let Err(e) = values::parse_host_port(&s) {
                self.ctx.error(pos, schema::BAD_VALUE, format!("global: smtp_smarthost: {e}"));
            }
        }
        for k in ["smtp_require_tls", "smtp_force_implicit_tls"] {
            self.bool_of(&f, k, what);
        }
        if let Some(t) = f.get("smtp_tls_config") {
            let facts =
                crate::lint::http_config::check_tls(&mut self.ctx, t, "global: smtp_tls_config");
            self.http_facts(&facts, "global: smtp_tls_config");
        }
        // Secrets and their files; both set is an error.
        for (k, kf, file_name) in [
            ("smtp_auth_password", "smtp_auth_password_file", "smtp_auth_password_file"),
            ("smtp_auth_secret", "smtp_auth_secret_file", "smtp_auth_secret_file"),
            ("opsgenie_api_key", "opsgenie_api_key_file", "opsgenie_api_key_file"),
            ("wechat_api_secret", "wechat_api_secret_file", "wechat_api_secret_file"),
            ("victorops_api_key", "victorops_api_key_file", "victorops_api_key_file"),
            ("telegram_bot_token", "telegram_bot_token_file", "telegram_bot_token_file"),
            ("slack_app_token", "slack_app_token_file", "slack_app_token_file"),
        ] {
            let (v, file) = self.secret_pair(&f, k, file_name, what);
            if v {
                mark(&mut self.globals, k);
            }
            if file {
                mark(&mut self.globals, kf);
            }
        }
        // Pointer secrets: present (even empty) counts as set.
        for (k, kf) in [
            ("rocketchat_token", "rocketchat_token_file"),
            ("rocketchat_token_id", "rocketchat_token_id_file"),
        ] {
            let v = self.str_of(&f, k, what);
            let file = self.file_of(&f, kf, what, true);
            if let Some((s, pos)) = &v {
                mark(&mut self.globals, k);
                if !s.is_empty() {
                    self.plain_secret(
                        *pos,
                        what,
                        k,
                        Some(kf),
                        crate::lint::placeholder::is_placeholder(s),
                    );
                }
                if file {
                    self.ctx.error(
                        f.key_pos(kf).unwrap_or(f.pos()),
                        codes::CONFLICT,
                        format!("global: at most one of {k} & {kf} must be configured"),
                    );
                }
            }
            if file {
                mark(&mut self.globals, kf);
            }
        }
        // Secret URLs.
        for (k, kf) in [
            ("slack_api_url", "slack_api_url_file"),
            ("mattermost_webhook_url", "mattermost_webhook_url_file"),
        ] {
            let v = self.secret_url_of(&f, k, Some(kf), what);
            let file = self.file_of(&f, kf, what, true);
            if v {
                mark(&mut self.globals, k);
            }
            if file {
                mark(&mut self.globals, kf);
            }
            if v && file {
                self.ctx.error(
                    f.key_pos(kf).unwrap_or(f.pos()),
                    codes::CONFLICT,
                    format!("global: at most one of {k} & {kf} must be configured"),
                );
            }
        }
        // Slack: a webhook URL and an app token exclude each other, unless the URL is the
        // app URL (a transition workaround upstream allows).
        let token = self.globals.has("slack_app_token") || self.globals.has("slack_app_token_file");
        let url = self.globals.has("slack_api_url") || self.globals.has("slack_api_url_file");
        if token && url {
            let api = f.get("slack_api_url").and_then(|n| n.scalar_text()).unwrap_or("");
            let app = f
                .get("slack_app_url")
                .and_then(|n| n.scalar_text())
                .unwrap_or(DEFAULT_SLACK_APP_URL);
            if api != app || self.globals.has("slack_api_url_file") {
                let at = f
                    .key_pos("slack_api_url")
                    .or(f.key_pos("slack_api_url_file"))
                    .unwrap_or(f.pos());
                self.ctx.error(
                    at,
                    codes::CONFLICT,
                    "global: at most one of slack_app_token/slack_app_token_file & slack_api_url/slack_api_url_file must be configured",
                );
            }
        }
    }
}
