//! `receivers`: names (present, unique), labels, and every integration list. One file per
//! integration; each checks its schema and the loader's rules, the globals considered.

mod chat;
mod email;
mod incidentio;
mod jira;
mod opsgenie;
mod pagerduty;
mod pushover;
mod slack;
mod sns;
mod telegram;
mod victorops;
mod webhook;
mod wechat;

use super::templates::Funcs;
use super::{Checker, ReceiverFact, codes, values};
use crate::lint::Diagnostic;
use crate::lint::schema::{self, Fields};
use crate::yaml::{Node, Pos, Value};

/// Integration list keys, their short names, and whether a null entry is accepted as an
/// empty configuration (the loader then applies the globals) rather than rejected.
pub(super) const INTEGRATIONS: &[(&str, &str, bool)] = &[
    ("discord_configs", "discord", false),
    ("email_configs", "email", false),
    ("incidentio_configs", "incidentio", false),
    ("pagerduty_configs", "pagerduty", false),
    ("slack_configs", "slack", true),
    ("webhook_configs", "webhook", false),
    ("opsgenie_configs", "opsgenie", true),
    ("wechat_configs", "wechat", true),
    ("pushover_configs", "pushover", false),
    ("victorops_configs", "victorops", false),
    ("sns_configs", "sns", false),
    ("telegram_configs", "telegram", false),
    ("webex_configs", "webex", false),
    ("msteams_configs", "msteams", false),
    ("msteamsv2_configs", "msteamsv2", false),
    ("jira_configs", "jira", false),
    ("rocketchat_configs", "rocketchat", true),
    ("mattermost_configs", "mattermost", false),
];

/// One integration entry under check.
pub(super) struct Entry<'n> {
    /// The entry's fields; `None` for a null entry accepted as empty.
    pub f: Option<Fields<'n>>,
    /// `receiver "x": slack_configs[0]`.
    pub what: String,
    /// Position of the entry.
    pub pos: Pos,
}

impl Entry<'_> {
    /// The value of a field, when the entry has it.
    pub fn get(&self, name: &str) -> Option<&Node> {
        self.f.as_ref().and_then(|f| f.get(name))
    }
}

impl Checker<'_, '_> {
    pub(super) fn receivers(&mut self, node: &Node) {
        let Some(items) = self.ctx.list(node, "receivers") else {
            return;
        };
        let mut known: Vec<&str> = vec!["name", "labels"];
        known.extend(INTEGRATIONS.iter().map(|(k, _, _)| *k));
        for (i, item) in items.iter().enumerate() {
            let Some(f) = self.ctx.map(item, "receiver", &known) else {
                continue;
            };
            let name = self.str_of(&f, "name", "receiver");
            let (name, name_pos) = match name {
                Some((n, p)) if !n.is_empty() => (n, p),
                Some((_, p)) => {
                    self.ctx.error(p, schema::MISSING_FIELD, "missing name in receiver");
                    (String::new(), p)
                }
                None => {
                    self.ctx.error(f.pos(), schema::MISSING_FIELD, "missing name in receiver");
                    (String::new(), f.pos())
                }
            };
            let what = if name.is_empty() {
                format!("receivers[{i}]")
            } else {
                format!("receiver {name:?}")
            };
            if !name.is_empty() {
                if let Some((_, first)) = self.receiver_names.iter().find(|(n, _)| *n == name) {
                    let first = *first;
                    self.ctx.push(
                        Diagnostic::error(
                            self.ctx.path,
                            name_pos,
                            codes::RECEIVER_DUPLICATE,
                            format!("notification config name {name:?} is not unique"),
                        )
                        .with_help(format!(
                            "the first receiver {name:?} is at line {}",
                            first.line
                        )),
                    );
                } else {
                    self.receiver_names.push((name.clone(), name_pos));
                }
            }
            if let Some(n) = f.get("labels")
                && let Some(m) = self.ctx.free_map(n, &format!("{what}: labels"))
            {
                for (k, v) in m {
                    let Some(s) = self.ctx.string(v, &format!("{what}: labels.{}", k.name)) else {
                        continue;
                    };
                    if k.name == "name" && !name.is_empty() && s != name {
                        self.ctx.error(
                            v.pos,
                            codes::RECEIVER_LABELS,
                            format!("receiver label \"name\" must match receiver name {name:?}, got {s:?}"),
                        );
                    }
                }
            }
            let mut integrations = Vec::new();
            for (key, short, null_ok) in INTEGRATIONS {
                let Some(list_node) = f.get(key) else {
                    continue;
                };
                let Some(entries) = self.ctx.list(list_node, &format!("{what}: {key}")) else {
                    continue;
                };
                for (j, e) in entries.iter().enumerate() {
                    let w = format!("{what}: {key}[{j}]");
                    integrations.push((*short).to_string());
                    if e.is_null() {
                        if *null_ok {
                            self.ctx.warning(
                                e.pos,
                                codes::INTEGRATION_INCOMPLETE,
                                format!(
                                    "{w}: empty {short} config (only the global settings apply)"
                                ),
                            );
                            let entry = Entry { f: None, what: w, pos: e.pos };
                            self.integration(short, &entry);
                        } else {
                            self.ctx.error(
                                e.pos,
                                codes::INTEGRATION_INCOMPLETE,
                                format!("{w}: missing {short} config"),
                            );
                        }
                        continue;
                    }
                    let Some(known) = fields_of(short) else {
                        continue;
                    };
                    let Some(ef) = self.ctx.map(e, &format!("{short} config"), known) else {
                        continue;
                    };
                    self.bool_of(&ef, "send_resolved", &w);
                    let entry = Entry { f: Some(ef), what: w, pos: e.pos };
                    self.integration(short, &entry);
                    let skip: &[&str] = if *short == "webhook" {
                        &["url", "http_config"]
                    } else {
                        &["http_config"]
                    };
                    self.templates_in(e, &entry.what, skip);
                }
            }
            let has = !integrations.is_empty();
            if !name.is_empty() {
                self.facts.receivers.push((name.clone(), name_pos, has));
                self.facts.receiver_details.push(ReceiverFact {
                    name,
                    pos: name_pos,
                    integrations,
                });
            }
        }
    }

    fn integration(&mut self, short: &str, e: &Entry<'_>) {
        match short {
            "discord" => self.discord(e),
            "email" => self.email(e),
            "incidentio" => self.incidentio(e),
            "pagerduty" => self.pagerduty(e),
            "slack" => self.slack(e),
            "webhook" => self.webhook(e),
            "opsgenie" => self.opsgenie(e),
            "wechat" => self.wechat(e),
            "pushover" => self.pushover(e),
            "victorops" => self.victorops(e),
            "sns" => self.sns(e),
            "telegram" => self.telegram(e),
            "webex" => self.webex(e),
            "msteams" => self.msteams(e, "msteams"),
            "msteamsv2" => self.msteams(e, "msteamsv2"),
            "jira" => self.jira(e),
            "rocketchat" => self.rocketchat(e),
            "mattermost" => self.mattermost(e),
            _ => {}
        }
    }

    /// Every Go template among the entry's string values (notification fields, details,
    /// headers, ...), except under the keys in `skip`.
    fn templates_in(&mut self, node: &Node, what: &str, skip: &[&str]) {
        match &node.value {
            Value::Map(m) => {
                for (k, v) in m {
                    if skip.contains(&k.name.as_str()) {
                        continue;
                    }
                    self.templates_in(v, &format!("{what}.{}", k.name), &[]);
                }
            }
            Value::Seq(items) => {
                for (i, it) in items.iter().enumerate() {
                    self.templates_in(it, &format!("{what}[{i}]"), &[]);
                }
            }
            Value::Str(s) if s.contains("{{") => {
                let s = s.clone();
                self.template_string(&s, node.pos, what, Funcs::Alertmanager);
            }
            _ => {}
        }
    }

    // ------------------------------------------------------------------------------------
    // Helpers for entries (null entries have no fields).

    pub(super) fn e_str(&mut self, e: &Entry<'_>, name: &str) -> Option<(String, Pos)> {
        let f = e.f.as_ref()?;
        self.str_of(f, name, &e.what)
    }

    /// A non-empty string field.
    pub(super) fn e_set(&mut self, e: &Entry<'_>, name: &str) -> bool {
        self.e_str(e, name).is_some_and(|(s, _)| !s.is_empty())
    }

    pub(super) fn e_bool(&mut self, e: &Entry<'_>, name: &str) -> Option<bool> {
        let f = e.f.as_ref()?;
        self.bool_of(f, name, &e.what)
    }

    pub(super) fn e_url(&mut self, e: &Entry<'_>, name: &str) -> Option<String> {
        let f = e.f.as_ref()?;
        self.url_of(f, name, &e.what)
    }

    /// A secret and its `_file`: both set is an error (`strict`) or a warning (the file
    /// wins). Returns (secret set, file set).
    pub(super) fn e_secret(
        &mut self,
        e: &Entry<'_>,
        name: &str,
        file: &str,
        strict: bool,
    ) -> (bool, bool) {
        let Some(f) = e.f.as_ref() else {
            return (false, false);
        };
        if strict {
            return self.secret_pair(f, name, file, &e.what);
        }
        let v = self.str_of(f, name, &e.what);
        let has_file = self.file_of(f, file, &e.what, true);
        let has_v = v.as_ref().is_some_and(|(s, _)| !s.is_empty());
        if let Some((s, pos)) = &v
            && !s.is_empty()
        {
            self.plain_secret(
                *pos,
                &e.what,
                name,
                Some(file),
                crate::lint::placeholder::is_placeholder(s),
            );
        }
        if has_v && has_file {
            self.ctx.warning(
                f.key_pos(name).unwrap_or(f.pos()),
                codes::CONFLICT,
                format!("{}: both {name} and {file} are set; Alertmanager uses {file} and ignores {name}", e.what),
            );
        }
        (has_v, has_file)
    }

    /// A secret URL (`webhook_url`) and its `_file`. Returns (url set, file set).
    pub(super) fn e_secret_url(&mut self, e: &Entry<'_>, name: &str, file: &str) -> (bool, bool) {
        let Some(f) = e.f.as_ref() else {
            return (false, false);
        };
        let v = self.secret_url_of(f, name, Some(file), &e.what);
        let has_file = self.file_of(f, file, &e.what, true);
        (v, has_file)
    }

    pub(super) fn e_http(&mut self, e: &Entry<'_>) -> Option<crate::lint::http_config::HttpFacts> {
        let f = e.f.as_ref()?;
        self.http_of(f, &e.what)
    }

    pub(super) fn e_go_duration(&mut self, e: &Entry<'_>, name: &str) {
        if let Some(f) = e.f.as_ref() {
            self.go_duration_of(f, name, &e.what);
        }
    }

    /// A Go duration read as text (`UnmarshalText`): integers are refused.
    pub(super) fn e_go_duration_text(&mut self, e: &Entry<'_>, name: &str) {
        let Some(n) = e.get(name) else {
            return;
        };
        if let Some(s) = n.scalar_text()
            && let Err(err) = values::parse_go_duration(s)
        {
            self.ctx.error(n.pos, schema::BAD_VALUE, format!("{}: {name}: {err}", e.what));
        } else if n.scalar_text().is_none() {
            self.ctx.string(n, &format!("{}: {name}", e.what));
        }
    }

    pub(super) fn e_int(&mut self, e: &Entry<'_>, name: &str, min: i64, max: i64) -> Option<i64> {
        let f = e.f.as_ref()?;
        self.int_of(f, name, &e.what, min, max)
    }

    /// A map of strings (labels, details, attributes).
    pub(super) fn e_string_map(&mut self, e: &Entry<'_>, name: &str) -> Vec<(String, Pos, String)> {
        let mut out = Vec::new();
        let Some(n) = e.get(name) else {
            return out;
        };
        let w = format!("{}: {name}", e.what);
        if let Some(m) = self.ctx.free_map(n, &w) {
            for (k, v) in m {
                if let Some(s) = self.ctx.string(v, &format!("{w}.{}", k.name)) {
                    out.push((k.name.clone(), k.pos, s.to_string()));
                }
            }
        }
        out
    }

    /// A list of mappings with known fields; returns the mappings.
    pub(super) fn e_objects<'n>(
        &mut self,
        e: &Entry<'n>,
        name: &str,
        what: &str,
        fields: &[&str],
    ) -> Vec<Fields<'n>> {
        let mut out = Vec::new();
        let Some(f) = e.f.as_ref() else {
            return out;
        };
        let Some(n) = f.get(name) else {
            return out;
        };
        let Some(items) = self.ctx.list(n, &format!("{}: {name}", e.what)) else {
            return out;
        };
        for it in items {
            if let Some(of) = self.ctx.map(it, what, fields) {
                out.push(of);
            }
        }
        out
    }

    /// Strings of the given fields, checked for type.
    pub(super) fn e_strings(&mut self, e: &Entry<'_>, names: &[&str]) {
        for n in names {
            self.e_str(e, n);
        }
    }

    /// A setting the integration needs: set here (`here`) or in `global` (`global`, the
    /// value or its `_file`); reports `msg` at the entry when neither is.
    pub(super) fn e_require(&mut self, e: &Entry<'_>, here: bool, global: &str, msg: &str) {
        if !here && !self.globals.has_either(global) {
            self.e_error(e, None, codes::INTEGRATION_INCOMPLETE, msg);
        }
    }

    pub(super) fn e_error(
        &mut self,
        e: &Entry<'_>,
        pos: Option<Pos>,
        code: &'static str,
        msg: &str,
    ) {
        self.ctx.error(pos.unwrap_or(e.pos), code, format!("{}: {msg}", e.what));
    }

    pub(super) fn e_key_pos(&self, e: &Entry<'_>, name: &str) -> Option<Pos> {
        e.f.as_ref().and_then(|f| f.key_pos(name))
    }
}

/// The fields of each integration (`send_resolved` and `http_config` included where the
/// integration has them).
fn fields_of(short: &str) -> Option<&'static [&'static str]> {
    Some(match short {
        "discord" => chat::DISCORD_FIELDS,
        "email" => email::FIELDS,
        "incidentio" => incidentio::FIELDS,
        "pagerduty" => pagerduty::FIELDS,
        "slack" => slack::FIELDS,
        "webhook" => webhook::FIELDS,
        "opsgenie" => opsgenie::FIELDS,
        "wechat" => wechat::FIELDS,
        "pushover" => pushover::FIELDS,
        "victorops" => victorops::FIELDS,
        "sns" => sns::FIELDS,
        "telegram" => telegram::FIELDS,
        "webex" => chat::WEBEX_FIELDS,
        "msteams" => chat::MSTEAMS_FIELDS,
        "msteamsv2" => chat::MSTEAMSV2_FIELDS,
        "jira" => jira::FIELDS,
        "rocketchat" => chat::ROCKETCHAT_FIELDS,
        "mattermost" => chat::MATTERMOST_FIELDS,
        _ => return None,
    })
}
