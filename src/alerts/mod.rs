//! `stellar-obs alerts drill` and `stellar-obs silence add|list|expire`, on Alertmanager's
//! API v2 (`api/alertmanager.rs`).
//!
//! - [`drill`]: post a labelled synthetic alert, confirm where Alertmanager routes it,
//!   watch each integration attempt delivery (Alertmanager's own notification metrics, its
//!   log for the error), report, and always resolve the alert.
//! - [`silence`]: maintenance windows with matchers in Alertmanager's syntax.

pub mod amlog;
pub mod drill;
pub mod silence;

use std::time::Duration;

use anyhow::{Result, anyhow};

use crate::api::alertmanager::Matcher as ApiMatcher;
use crate::api::{AlertmanagerClient, Http};
use crate::cli::AlertsCommand;
use crate::lint::alertmanager::matchers::{self, MatchOp, ParserMode};
use crate::outcome::{Outcome, UsageError};
use crate::output::Ui;
use crate::settings::{Component, Settings};

/// Per-request timeout for Alertmanager's API.
pub const API_TIMEOUT: Duration = Duration::from_secs(10);

pub fn run_alerts(s: &Settings, ui: &Ui, c: &AlertsCommand) -> Result<Outcome> {
    match c {
        AlertsCommand::Drill(a) => drill::run(s, ui, a),
    }
}

/// The Alertmanager base URL from the settings; an error when the endpoint is `off`.
pub fn alertmanager_url(s: &Settings) -> Result<String> {
    s.url(Component::Alertmanager).map(str::to_string).ok_or_else(|| {
        anyhow!(
            "the Alertmanager endpoint is off (STELLAR_OBS_ALERTMANAGER_URL=off or stellar-obs.yml); set it to Alertmanager's URL"
        )
    })
}

/// A client for the stack's Alertmanager.
pub fn client(s: &Settings) -> Result<AlertmanagerClient> {
    let url = alertmanager_url(s)?;
    Ok(AlertmanagerClient::new(Http::new(&url, API_TIMEOUT)?))
}

/// Matchers given on the command line, each in Alertmanager's syntax (`a=b`, `a=~"x|y"`,
/// or a list `{a="b",c!="d"}`), parsed as Alertmanager does by default (the UTF-8 parser,
/// falling back to the classic one). A malformed one is a usage error that names it.
pub fn parse_cli_matchers(args: &[String]) -> Result<Vec<ApiMatcher>> {
    let mut out = Vec::new();
    for a in args {
        let parsed = matchers::parse_matchers(a, ParserMode::Fallback).map_err(|e| {
            let at = e.column.map(|c| format!(" (at character {})", c + 1)).unwrap_or_default();
            UsageError(format!("matcher `{a}`: {}{at}", e.message))
        })?;
        if parsed.matchers.is_empty() {
            return Err(UsageError(format!("matcher `{a}` is empty")).into());
        }
        out.extend(parsed.matchers.iter().map(to_api));
    }
    Ok(out)
}

fn to_api(m: &matchers::Matcher) -> ApiMatcher {
    let (is_regex, is_equal) = match m.op {
        MatchOp::Equal => (false, true),
        MatchOp::NotEqual => (false, false),
        MatchOp::Regexp => (true, true),
        MatchOp::NotRegexp => (true, false),
    };
    ApiMatcher { name: m.name.clone(), value: m.value.clone(), is_regex, is_equal }
}

/// `=`, `!=`, `=~` or `!~`.
pub fn op(m: &ApiMatcher) -> &'static str {
    match (m.is_equal, m.is_regex) {
        (true, false) => "=",
        (false, false) => "!=",
        (true, true) => "=~",
        (false, true) => "!~",
    }
}

/// One matcher as Alertmanager writes it: `name="value"`.
pub fn matcher_text(m: &ApiMatcher) -> String {
    let v = m.value.replace('\\', "\\\\").replace('\n', "\\n").replace('"', "\\\"");
    format!("{}{}\"{v}\"", m.name, op(m))
}

/// A list of matchers: `{a="b", c=~"d"}`.
pub fn matchers_text(ms: &[ApiMatcher]) -> String {
    format!("{{{}}}", ms.iter().map(matcher_text).collect::<Vec<_>>().join(", "))
}

/// Whether `m` would match an alert that lacks the label (Alertmanager wants at least one
/// matcher of a silence not to).
pub fn matches_empty(m: &ApiMatcher) -> bool {
    let o = match (m.is_equal, m.is_regex) {
        (true, false) => MatchOp::Equal,
        (false, false) => MatchOp::NotEqual,
        (true, true) => MatchOp::Regexp,
        (false, true) => MatchOp::NotRegexp,
    };
    matchers::Matcher::new(&m.name, o, &m.value).map(|x| x.matches("")).unwrap_or(false)
}

/// The user who runs the command: `$USER` (`$USERNAME` on Windows).
pub fn current_user() -> Option<String> {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_matchers_in_both_syntaxes() {
        let m = parse_cli_matchers(&[
            "alertname=StellarConnectorDown".into(),
            "{severity=~\"warn.*\",job!=\"x\"}".into(),
        ])
        .expect("parse");
        assert_eq!(m.len(), 3);
        assert_eq!(
            matchers_text(&m),
            "{alertname=\"StellarConnectorDown\", severity=~\"warn.*\", job!=\"x\"}"
        );
        assert!(!matches_empty(&m[0]));
        assert!(matches_empty(&m[2]), "job!=\"x\" matches a missing job");
    }

    #[test]
    fn a_bad_matcher_is_a_usage_error_naming_it() {
        let e = parse_cli_matchers(&["severity=~\"(\"".into()]).expect_err("bad regex");
        assert!(e.downcast_ref::<UsageError>().is_some());
        assert!(e.to_string().starts_with("matcher `severity=~\"(\"`"), "{e}");
        let e = parse_cli_matchers(&["no operator".into()]).expect_err("no op");
        assert!(e.to_string().contains("no operator"), "{e}");
    }
}
