//! `global:` (defaults every scrape job inherits, external labels, name validation) and
//! `runtime:`.

use crate::lint::schema::Fields;
use crate::yaml::{Node, Pos};

use super::code;
use super::cx::{Cx, Sp};
use super::values::NameScheme;

const FIELDS: &[&str] = &[
    "scrape_interval",
    "scrape_timeout",
    "scrape_protocols",
    "evaluation_interval",
    "rule_query_offset",
    "query_log_file",
    "scrape_failure_log_file",
    "external_labels",
    "body_size_limit",
    "metric_name_validation_scheme",
    "metric_name_escaping_scheme",
    "scrape_native_histograms",
    "convert_classic_histograms_to_nhcb",
    "always_scrape_classic_histograms",
    "extra_scrape_metrics",
];

/// The per-target limits `global` sets defaults for and scrape configs override (`uint`).
pub const LIMITS: &[&str] = &[
    "sample_limit",
    "target_limit",
    "label_limit",
    "label_name_length_limit",
    "label_value_length_limit",
    "keep_dropped_targets",
];

/// Escaping schemes (`metric_name_escaping_scheme`).
pub const ESCAPING: &[&str] = &["allow-utf-8", "underscores", "dots", "values"];

/// The effective global settings.
#[derive(Debug, Clone)]
pub struct Global {
    pub scrape_interval_ms: u64,
    pub scrape_timeout_ms: u64,
    pub evaluation_interval_ms: u64,
    pub scheme: NameScheme,
    /// Where `metric_name_validation_scheme` is set.
    pub scheme_pos: Option<Pos>,
    /// `metric_name_escaping_scheme` as written ("" when unset) and where.
    pub escaping: Option<Sp<String>>,
    pub scrape_native_histograms: bool,
    pub convert_classic_histograms_to_nhcb: bool,
    pub always_scrape_classic_histograms: bool,
    pub external_labels: Vec<(String, String)>,
}

impl Default for Global {
    fn default() -> Self {
        Global {
            scrape_interval_ms: 60_000,
            scrape_timeout_ms: 10_000,
            evaluation_interval_ms: 60_000,
            scheme: NameScheme::Utf8,
            scheme_pos: None,
            escaping: None,
            scrape_native_histograms: false,
            convert_classic_histograms_to_nhcb: false,
            always_scrape_classic_histograms: false,
            external_labels: Vec::new(),
        }
    }
}

/// A `metric_name_validation_scheme` value: "" (unset), `legacy` or `utf8`.
pub fn validation_scheme(cx: &mut Cx<'_>, v: Option<Sp<&str>>) -> Option<Sp<NameScheme>> {
    let v = v?;
    match v.v {
        "" => None,
        "legacy" => Some(v.map(|_| NameScheme::Legacy)),
        "utf8" => Some(v.map(|_| NameScheme::Utf8)),
        other => {
            cx.err_help(
                v.pos,
                code::NAME_VALIDATION,
                format!("unrecognized ValidationScheme: {other:?}"),
                "metric_name_validation_scheme is `utf8` (default) or `legacy`",
            );
            None
        }
    }
}

pub fn check_global(cx: &mut Cx<'_>, node: Option<&Node>) -> Global {
    let mut g = Global::default();
    let Some(node) = node else { return g };
    let Some(f) = cx.map(node, "global", &[FIELDS, LIMITS].concat()) else { return g };

    let scheme_raw = cx.str(&f, "metric_name_validation_scheme");
    if let Some(s) = validation_scheme(cx, scheme_raw) {
        g.scheme = s.v;
        g.scheme_pos = Some(s.key);
    }
    cx.scheme = g.scheme;

    if let Some(labels) = cx.str_map(&f, "external_labels") {
        for (k, v) in labels {
            if !g.scheme.valid_label_name(&k.name) {
                cx.err(k.pos, code::LABEL_NAME, format!("{:?} is not a valid label name", k.name));
            }
            g.external_labels.push((k.name.clone(), v.v.to_string()));
        }
    }

    let interval = cx.duration(&f, "scrape_interval");
    let timeout = cx.duration(&f, "scrape_timeout");
    if let Some(i) = interval.filter(|i| i.v > 0) {
        g.scrape_interval_ms = i.v;
    }
    match timeout {
        Some(t) if t.v > g.scrape_interval_ms => {
            cx.err_help(
                t.pos,
                code::SCRAPE_TIMEOUT,
                "global scrape timeout greater than scrape interval",
                format!(
                    "the global scrape_interval is {}; scrape_timeout must not exceed it",
                    super::values::duration_string(g.scrape_interval_ms)
                ),
            );
            g.scrape_timeout_ms = g.scrape_interval_ms;
        }
        Some(t) if t.v > 0 => g.scrape_timeout_ms = t.v,
        _ => g.scrape_timeout_ms = g.scrape_timeout_ms.min(g.scrape_interval_ms),
    }
    if let Some(e) = cx.duration(&f, "evaluation_interval").filter(|e| e.v > 0) {
        g.evaluation_interval_ms = e.v;
    }
    cx.duration(&f, "rule_query_offset");
    cx.str(&f, "query_log_file");
    cx.str(&f, "scrape_failure_log_file");
    cx.size(&f, "body_size_limit");
    for n in LIMITS {
        cx.uint(&f, n);
    }
    if let Some(e) = cx.str(&f, "metric_name_escaping_scheme") {
        if !e.v.is_empty() && !ESCAPING.contains(&e.v) {
            cx.err(
                e.pos,
                code::NAME_VALIDATION,
                format!(
                    "unknown global name escaping method specified, must be one of 'allow-utf-8', 'underscores', 'dots', or 'values', got {:?}",
                    e.v
                ),
            );
        } else {
            g.escaping = Some(e.map(str::to_string));
        }
    }
    g.scrape_native_histograms = cx.bool(&f, "scrape_native_histograms").is_some_and(|b| b.v);
    g.convert_classic_histograms_to_nhcb =
        cx.bool(&f, "convert_classic_histograms_to_nhcb").is_some_and(|b| b.v);
    g.always_scrape_classic_histograms =
        cx.bool(&f, "always_scrape_classic_histograms").is_some_and(|b| b.v);
    cx.bool(&f, "extra_scrape_metrics");
    if f.get("scrape_protocols").is_some() {
        check_protocols(cx, &f, "for global config");
    }
    g
}

pub fn check_runtime(cx: &mut Cx<'_>, node: &Node) {
    if let Some(f) = cx.map(node, "runtime", &["gogc"]) {
        cx.int(&f, "gogc");
    }
}

/// Supported scrape protocols, sorted as the upstream message lists them.
pub const PROTOCOLS: &[&str] = &[
    "OpenMetricsText0.0.1",
    "OpenMetricsText1.0.0",
    "PrometheusProto",
    "PrometheusText0.0.4",
    "PrometheusText1.0.0",
];

/// Check a `scrape_protocols` field; `suffix` ends the messages ("for global config").
pub fn check_protocols(cx: &mut Cx<'_>, f: &Fields<'_>, suffix: &str) {
    let Some(list) = cx.strs(f, "scrape_protocols") else { return };
    if list.v.is_empty() {
        cx.err(
            list.pos,
            code::SCRAPE_PROTOCOL,
            format!("scrape_protocols cannot be empty {suffix}"),
        );
        return;
    }
    let all: Vec<&str> = list.v.iter().map(|s| s.v).collect();
    let mut seen: Vec<String> = Vec::with_capacity(all.len());
    for s in &list.v {
        let lower = s.v.to_lowercase();
        if seen.contains(&lower) {
            cx.err(
                s.pos,
                code::SCRAPE_PROTOCOL,
                format!(
                    "duplicated protocol in scrape_protocols, got [{}] {suffix}",
                    all.join(" ")
                ),
            );
            continue;
        }
        seen.push(lower);
        if !PROTOCOLS.contains(&s.v) {
            let mut d = crate::lint::Diagnostic::error(
                cx.path,
                s.pos,
                code::SCRAPE_PROTOCOL,
                format!(
                    "scrape_protocols: unknown scrape protocol {}, supported: [{}] {suffix}",
                    s.v,
                    PROTOCOLS.join(" ")
                ),
            );
            if let Some(h) = crate::lint::schema::did_you_mean(s.v, PROTOCOLS) {
                d = d.with_help(format!("did you mean `{h}`? (names are case-sensitive)"));
            }
            cx.diags.push(d);
        }
    }
}
