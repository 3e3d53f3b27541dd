//! `alerting:`: alert relabelling and the Alertmanagers Prometheus sends to (API
//! version, HTTP client / SigV4, discovery, relabelling, static target addresses).

use std::collections::BTreeMap;

use crate::yaml::{Node, Pos};

use super::code;
use super::cx::{Cx, Required, Sp};
use super::relabel::{self, Relabel};
use super::remote;
use super::scrape::check_target_address;
use super::sd::{self, TargetGroup};
use crate::lint::http_config::FIELDS as HTTP_FIELDS;

const AM_FIELDS: &[&str] = &[
    "sigv4",
    "scheme",
    "path_prefix",
    "timeout",
    "api_version",
    "relabel_configs",
    "alert_relabel_configs",
];

/// What the rest of the checks need: whether alerting is configured (agent mode) and
/// the file_sd patterns of each Alertmanager config with its relabelling.
#[derive(Debug, Default)]
pub struct Alerting {
    /// Where alerting is configured (non-empty alertmanagers or alert_relabel_configs).
    pub configured: Option<Pos>,
    pub file_sd: Vec<(Vec<Sp<String>>, AmTarget)>,
}

/// The settings of an Alertmanager config its targets are checked with.
#[derive(Debug, Clone, Default)]
pub struct AmTarget {
    pub scheme: String,
    pub path_prefix: String,
    pub relabel: Vec<Relabel>,
    pub relabel_ok: bool,
}

pub fn check_alerting(cx: &mut Cx<'_>, node: &Node, key: Pos) -> Alerting {
    let mut out = Alerting::default();
    let Some(f) = cx.map(node, "alerting", &["alert_relabel_configs", "alertmanagers"]) else {
        return out;
    };
    let scheme = cx.scheme;
    if let Some(n) = f.get("alert_relabel_configs") {
        if n.as_seq().is_some_and(|s| !s.is_empty()) {
            out.configured = Some(key);
        }
        let null = "empty or null alert relabeling rule";
        relabel::check_list(cx, n, "alert_relabel_configs", null, scheme);
    }
    let Some(n) = f.get("alertmanagers") else { return out };
    let Some(items) = cx.list(n, "alertmanagers") else { return out };
    if !items.is_empty() {
        out.configured = Some(key);
    }
    for it in items {
        if it.is_null() {
            cx.err(it.pos, code::EMPTY_SECTION, "empty or null Alertmanager config");
            continue;
        }
        if let Some(am) = check_alertmanager(cx, it) {
            out.file_sd.push(am);
        }
    }
    out
}

fn check_alertmanager(cx: &mut Cx<'_>, node: &Node) -> Option<(Vec<Sp<String>>, AmTarget)> {
    let mut known: Vec<&str> = AM_FIELDS.to_vec();
    known.extend_from_slice(HTTP_FIELDS);
    known.extend(sd::keys());
    let f = cx.map(node, "alertmanager config", &known)?;
    let scheme = cx.str(&f, "scheme").map_or("http".to_string(), |s| s.v.to_string());
    let prefix = cx.str(&f, "path_prefix").map_or(String::new(), |s| s.v.to_string());
    cx.duration(&f, "timeout");
    if let Some(v) = cx.str(&f, "api_version")
        && v.v != "v2"
    {
        cx.err_help(
            v.pos,
            code::ALERTMANAGER,
            format!("expected Alertmanager api version to be one of [v2] but got {}", v.v),
            "Prometheus 3 speaks only the v2 Alertmanager API: use `api_version: v2` or remove it",
        );
    }
    let http = cx.http(&f, true, Required::Nothing);
    if let Some(n) = f.get("sigv4") {
        remote::check_sigv4(cx, n);
        if let Some(a) = http.any_auth() {
            cx.err(
                a.max(f.key_pos("sigv4").unwrap_or(n.pos)),
                code::AUTH_CONFLICT,
                "at most one of basic_auth, authorization, oauth2, & sigv4 must be configured",
            );
        }
    }
    let discovered = sd::check_all(cx, &f);
    let name_scheme = cx.scheme;
    let mut target =
        AmTarget { scheme, path_prefix: prefix, relabel: Vec::new(), relabel_ok: true };
    if let Some(n) = f.get("relabel_configs") {
        let null = "empty or null Alertmanager target relabeling rule";
        (target.relabel, target.relabel_ok) =
            relabel::check_list(cx, n, "relabel_configs", null, name_scheme);
    }
    if let Some(n) = f.get("alert_relabel_configs") {
        let null = "empty or null Alertmanager alert relabeling rule";
        relabel::check_list(cx, n, "alert_relabel_configs", null, name_scheme);
    }
    if target.relabel_ok {
        for tg in &discovered.static_groups {
            check_am_targets(cx, tg, &target, None);
        }
    }
    Some((discovered.file_patterns, target))
}

/// promtool's check of Alertmanager targets (`AlertmanagerFromGroup`).
pub fn check_am_targets(cx: &mut Cx<'_>, tg: &TargetGroup, am: &AmTarget, file: Option<&str>) {
    let scheme = cx.scheme;
    for t in &tg.targets {
        let mut lb: BTreeMap<String, String> = BTreeMap::new();
        if !t.v.is_empty() {
            lb.insert("__address__".into(), t.v.clone());
        }
        lb.insert("__scheme__".into(), am.scheme.clone());
        let path = format!("{}/api/v2/alerts", am.path_prefix.trim_end_matches('/'));
        lb.insert("__alerts_path__".into(), path);
        for (k, v) in &tg.labels {
            if k != "__address__" && !v.is_empty() {
                lb.insert(k.clone(), v.clone());
            }
        }
        if !relabel::process(&am.relabel, &mut lb, scheme) {
            continue;
        }
        let addr = lb.get("__address__").map(String::as_str).unwrap_or("");
        if let Err(e) = check_target_address(addr) {
            let src = file.map(|f| format!(" (from {f})")).unwrap_or_default();
            cx.err_help(
                t.pos,
                code::TARGET,
                e,
                format!(
                    "Alertmanager target {:?}{src} must be host:port; put the scheme in `scheme` and a path in `path_prefix`",
                    t.v
                ),
            );
        }
    }
}
