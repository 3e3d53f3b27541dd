//! `jira_configs`.

use super::Entry;
use crate::lint::alertmanager::{Checker, codes};

pub const FIELDS: &[&str] = &[
    "send_resolved",
    "http_config",
    "api_url",
    "api_type",
    "project",
    "summary",
    "description",
    "labels",
    "priority",
    "issue_type",
    "reopen_transition",
    "resolve_transition",
    "wont_fix_resolution",
    "reopen_duration",
    "fields",
];

impl Checker<'_, '_> {
    pub(super) fn jira(&mut self, e: &Entry<'_>) {
        self.e_http(e);
        if !self.e_set(e, "project") {
            self.e_error(e, None, codes::INTEGRATION_INCOMPLETE, "missing project in jira_config");
        }
        if !self.e_set(e, "issue_type") {
            self.e_error(
                e,
                None,
                codes::INTEGRATION_INCOMPLETE,
                "missing issue_type in jira_config",
            );
        }
        if let Some((t, pos)) = self.e_str(e, "api_type")
            && !["", "auto", "cloud", "datacenter"].contains(&t.as_str())
        {
            self.ctx.error(
                pos,
                codes::INTEGRATION_INVALID,
                format!(
                    "{}: unknown api_type on jira_config, must be auto, cloud or datacenter",
                    e.what
                ),
            );
        }
        let url = e.get("api_url").is_some();
        self.e_url(e, "api_url");
        if !url && !self.globals.has("jira_api_url") {
            self.e_error(
                e,
                None,
                codes::INTEGRATION_INCOMPLETE,
                "no global Jira Cloud URL set: set `api_url` here or `global.jira_api_url`",
            );
        }
        self.e_strings(
            e,
            &["priority", "reopen_transition", "resolve_transition", "wont_fix_resolution"],
        );
        if let Some(n) = e.get("labels") {
            self.ctx.strings(n, &format!("{}: labels", e.what));
        }
        if let Some(f) = e.f.as_ref() {
            self.prom_duration_of(f, "reopen_duration", &e.what);
        }
        for k in ["summary", "description"] {
            if let Some(n) = e.get(k)
                && !n.is_scalar()
            {
                let w = format!("{}: {k}", e.what);
                if let Some(f) = self.ctx.map(n, &w, &["template", "enable_update"]) {
                    self.str_of(&f, "template", &w);
                    self.bool_of(&f, "enable_update", &w);
                }
            }
        }
        if let Some(n) = e.get("fields") {
            self.ctx.free_map(n, &format!("{}: fields", e.what));
        }
    }
}
