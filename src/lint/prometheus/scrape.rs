//! One `scrape_configs` entry: its fields, the inheritance from `global`
//! (`ScrapeConfig.Validate`), scrape protocols, name validation and escaping, relabelling,
//! discovery sections, and promtool's check of static targets (after relabelling).

use std::collections::BTreeMap;

use crate::yaml::{Node, Pos};

use super::code;
use super::cx::{Cx, Required, Sp};
use super::global::{self, ESCAPING, Global};
use super::relabel::{self, Relabel};
use super::sd::{self, Discovered, TargetGroup};
use super::values::{self, NameScheme};
use crate::lint::http_config::FIELDS as HTTP_FIELDS;

const FIELDS: &[&str] = &[
    "job_name",
    "honor_labels",
    "honor_timestamps",
    "track_timestamps_staleness",
    "params",
    "scrape_interval",
    "scrape_timeout",
    "scrape_protocols",
    "fallback_scrape_protocol",
    "scrape_native_histograms",
    "always_scrape_classic_histograms",
    "convert_classic_histograms_to_nhcb",
    "scrape_failure_log_file",
    "metrics_path",
    "scheme",
    "enable_compression",
    "body_size_limit",
    "native_histogram_bucket_limit",
    "native_histogram_min_bucket_factor",
    "metric_name_validation_scheme",
    "metric_name_escaping_scheme",
    "extra_scrape_metrics",
    "relabel_configs",
    "metric_relabel_configs",
];

/// The lookback delta of PromQL (default): a scrape interval at or above it makes
/// series go stale between scrapes.
const LOOKBACK_MS: u64 = 5 * 60 * 1000;

/// All keys a scrape config accepts.
pub fn known_fields() -> Vec<&'static str> {
    let mut v: Vec<&str> = FIELDS.to_vec();
    v.extend_from_slice(global::LIMITS);
    v.extend_from_slice(HTTP_FIELDS);
    v.extend(sd::keys());
    v
}

/// What the rest of the checks need from a scrape config.
#[derive(Debug, Clone)]
pub struct ScrapeJob {
    pub name: String,
    /// The `job_name` value (or the mapping when missing).
    pub pos: Pos,
    pub interval_ms: u64,
    pub relabel: Vec<Relabel>,
    /// Every relabelling rule decoded and valid (targets can be checked).
    pub relabel_ok: bool,
    pub file_patterns: Vec<Sp<String>>,
    pub labels: JobLabels,
    pub scheme: NameScheme,
}

/// Check one scrape config (not null). `utf8_conflict_reported` makes the global
/// escaping/validation conflict appear once, not once per job.
pub fn check_scrape(
    cx: &mut Cx<'_>,
    node: &Node,
    g: &Global,
    utf8_conflict_reported: &mut bool,
) -> Option<ScrapeJob> {
    let known = known_fields();
    let f = cx.map(node, "scrape config", &known)?;

    let name = cx.str(&f, "job_name");
    let job_name = name.map(|s| s.v.to_string()).unwrap_or_default();
    let pos = name.map_or(f.pos(), |s| s.pos);
    if job_name.is_empty() {
        cx.err_help(
            name.map_or(f.pos(), |s| s.key),
            code::JOB_NAME,
            "job_name is empty",
            "every scrape config needs a unique `job_name`",
        );
    }

    for n in
        ["honor_labels", "honor_timestamps", "track_timestamps_staleness", "enable_compression"]
    {
        cx.bool(&f, n);
    }
    let mut params: Vec<(String, String)> = Vec::new();
    if let Some(p) = f.get("params")
        && let Some(entries) = cx.ctx().free_map(p, "params")
    {
        for (k, v) in entries {
            if let Some(vals) = cx.ctx().strings(v, "params")
                && let Some((first, _)) = vals.first()
            {
                params.push((k.name.clone(), first.to_string()));
            }
        }
    }
    let interval = cx.duration(&f, "scrape_interval");
    let timeout = cx.duration(&f, "scrape_timeout");
    let fallback = cx.str(&f, "fallback_scrape_protocol");
    let native = cx.bool(&f, "scrape_native_histograms");
    let always = cx.bool(&f, "always_scrape_classic_histograms");
    let nhcb = cx.bool(&f, "convert_classic_histograms_to_nhcb");
    cx.str(&f, "scrape_failure_log_file");
    let metrics_path = cx.str(&f, "metrics_path");
    let scheme = cx.str(&f, "scheme");
    cx.size(&f, "body_size_limit");
    for n in global::LIMITS.iter().chain(&["native_histogram_bucket_limit"]) {
        cx.uint(&f, n);
    }
    cx.float(&f, "native_histogram_min_bucket_factor");
    cx.bool(&f, "extra_scrape_metrics");
    let local_scheme_raw = cx.str(&f, "metric_name_validation_scheme");
    let local_scheme = global::validation_scheme(cx, local_scheme_raw);
    let local_escaping = cx.str(&f, "metric_name_escaping_scheme");

    cx.http(&f, true, Required::Scrape);
    let discovered: Discovered = sd::check_all(cx, &f);

    let relabel_rules = f.get("relabel_configs").map(|n| {
        relabel::parse_list(
            cx,
            n,
            "relabel_configs",
            "empty or null target relabeling rule in scrape config",
        )
    });
    let metric_rules = f.get("metric_relabel_configs").map(|n| {
        relabel::parse_list(
            cx,
            n,
            "metric_relabel_configs",
            "empty or null metric relabeling rule in scrape config",
        )
    });
    let relabel_len = f.get("relabel_configs").and_then(Node::as_seq).map_or(0, <[Node]>::len);

    // ScrapeConfig.Validate: inherit from global, then check.
    let interval_ms = interval.filter(|i| i.v > 0).map_or(g.scrape_interval_ms, |i| i.v);
    let mut timeout_ms = g.scrape_timeout_ms.min(interval_ms);
    if let Some(t) = timeout.filter(|t| t.v > 0) {
        if t.v > interval_ms {
            let from = if interval.is_some_and(|i| i.v > 0) { "its" } else { "the global" };
            cx.err_help(
                t.pos,
                code::SCRAPE_TIMEOUT,
                format!(
                    "scrape timeout greater than scrape interval for scrape config with job name {job_name:?}"
                ),
                format!(
                    "scrape_timeout {} exceeds {from} scrape_interval {}",
                    values::duration_string(t.v),
                    values::duration_string(interval_ms)
                ),
            );
        } else {
            timeout_ms = t.v;
        }
    }
    if interval_ms >= LOOKBACK_MS {
        cx.warn(
            interval.map_or(pos, |i| i.pos),
            code::LOOKBACK,
            format!(
                "too long scrape interval found, data point will be marked as stale - job: {job_name}, interval: {}",
                values::duration_string(interval_ms)
            ),
        );
    }
    let suffix = format!("for scrape config with job name {job_name:?}");
    if f.get("scrape_protocols").is_some() {
        global::check_protocols(cx, &f, &suffix);
    }
    if let Some(fb) = fallback.filter(|s| !s.v.is_empty())
        && !global::PROTOCOLS.contains(&fb.v)
    {
        cx.err(
            fb.pos,
            code::SCRAPE_PROTOCOL,
            format!(
                "invalid fallback_scrape_protocol {suffix}: unknown scrape protocol {}, supported: [{}]",
                fb.v,
                global::PROTOCOLS.join(" ")
            ),
        );
    }

    // Name validation and escaping.
    let eff_scheme = local_scheme.map_or(g.scheme, |s| s.v);
    let global_escaping = match g.escaping.as_ref().map(|e| e.v.as_str()) {
        Some(e) if !e.is_empty() => e.to_string(),
        _ if g.scheme == NameScheme::Legacy => "underscores".into(),
        _ => "allow-utf-8".into(),
    };
    let (escaping, escaping_pos, from_global) = match local_escaping.filter(|e| !e.v.is_empty()) {
        Some(e) => (e.v.to_string(), Some(e.pos), false),
        None if local_scheme.is_none() => {
            (global_escaping, g.escaping.as_ref().map(|e| e.pos), true)
        }
        None if eff_scheme == NameScheme::Legacy => ("underscores".into(), None, false),
        None => ("allow-utf-8".into(), None, false),
    };
    if escaping == "allow-utf-8" && eff_scheme != NameScheme::Utf8 {
        if !from_global || !*utf8_conflict_reported {
            let at = escaping_pos.or(local_scheme.map(|s| s.pos)).or(g.scheme_pos).unwrap_or(pos);
            cx.err_help(
                at,
                code::NAME_VALIDATION,
                "utf8 metric names requested but validation scheme is not set to UTF8",
                "metric_name_escaping_scheme `allow-utf-8` needs metric_name_validation_scheme `utf8`",
            );
            *utf8_conflict_reported |= from_global;
        }
    } else if !ESCAPING.contains(&escaping.as_str()) && !from_global {
        cx.err(
            escaping_pos.unwrap_or(pos),
            code::NAME_VALIDATION,
            format!(
                "unknown scrape config name escaping method specified, must be one of 'allow-utf-8', 'underscores', 'dots', or 'values', got {escaping:?}"
            ),
        );
    }

    let mut relabel_ok = relabel_rules.as_ref().is_none_or(|r| r.len() == relabel_len);
    if let Some(rules) = &relabel_rules {
        for r in rules {
            relabel_ok &= relabel::validate(cx, r, eff_scheme);
        }
    }
    if let Some(rules) = &metric_rules {
        for r in rules {
            relabel::validate(cx, r, eff_scheme);
        }
    }

    if let Some(s) = scheme.filter(|s| !s.v.is_empty() && s.v != "http" && s.v != "https") {
        cx.warn(
            s.pos,
            code::SCHEME,
            format!("scheme {:?}: targets are scraped over http or https only", s.v),
        );
    }

    let relabel = relabel_rules.unwrap_or_default();
    let labels = JobLabels {
        job: job_name.clone(),
        interval_ms,
        timeout_ms,
        metrics_path: metrics_path.map_or("/metrics", |m| m.v).to_string(),
        scheme: scheme.map_or("http", |s| s.v).to_string(),
        nhcb: nhcb.map_or(g.convert_classic_histograms_to_nhcb, |b| b.v),
        always: always.map_or(g.always_scrape_classic_histograms, |b| b.v),
        native: native.map_or(g.scrape_native_histograms, |b| b.v),
        params,
    };
    if relabel_ok {
        for (gi, tg) in discovered.static_groups.iter().enumerate() {
            check_scrape_targets(cx, tg, gi, &labels, &relabel, eff_scheme, None);
        }
    }

    Some(ScrapeJob {
        name: job_name,
        pos,
        interval_ms,
        relabel,
        relabel_ok,
        file_patterns: discovered.file_patterns,
        labels,
        scheme: eff_scheme,
    })
}

/// The job settings that become `__...__` labels of every target.
#[derive(Debug, Clone, Default)]
pub struct JobLabels {
    pub job: String,
    pub interval_ms: u64,
    pub timeout_ms: u64,
    pub metrics_path: String,
    pub scheme: String,
    pub nhcb: bool,
    pub always: bool,
    pub native: bool,
    /// First value of each `params` entry.
    pub params: Vec<(String, String)>,
}

/// promtool's per-target check (`scrape.TargetsFromGroup`): the labels a target gets,
/// relabelled; the address must be a host:port, the interval and timeout labels must
/// parse and fit. `file` names the file_sd file the group comes from, for messages.
pub fn check_scrape_targets(
    cx: &mut Cx<'_>,
    tg: &TargetGroup,
    gi: usize,
    job: &JobLabels,
    rules: &[Relabel],
    scheme: NameScheme,
    file: Option<&str>,
) {
    // The labels every target of the group starts with (group labels, then the job's
    // where the group does not set them); the target's address goes on top.
    let mut base: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in &tg.labels {
        if k != "__address__" {
            set(&mut base, k, v);
        }
    }
    for (k, v) in [
        ("job", job.job.clone()),
        ("__scrape_interval__", values::duration_string(job.interval_ms)),
        ("__scrape_timeout__", values::duration_string(job.timeout_ms)),
        ("__metrics_path__", job.metrics_path.clone()),
        ("__scheme__", job.scheme.clone()),
        ("__convert_classic_histograms_to_nhcb__", job.nhcb.to_string()),
        ("__always_scrape_classic_histograms__", job.always.to_string()),
        ("__scrape_native_histograms__", job.native.to_string()),
    ] {
        if base.get(k).is_none_or(String::is_empty) {
            set(&mut base, k, &v);
        }
    }
    for (k, v) in &job.params {
        let name = format!("__param_{k}");
        if base.get(&name).is_none_or(String::is_empty) {
            set(&mut base, &name, v);
        }
    }
    for (ti, t) in tg.targets.iter().enumerate() {
        let mut lb = base.clone();
        set(&mut lb, "__address__", &t.v);
        if !relabel::process(rules, &mut lb, scheme) {
            continue;
        }
        if let Err(e) = populated_ok(&lb) {
            let src = file.map(|f| format!(" (from {f})")).unwrap_or_default();
            let relabelled = if rules.is_empty() { "" } else { " after relabelling" };
            // Without relabelling the loader itself rejects the target, with its message;
            // after relabelling promtool reports it per instance and group.
            let msg =
                if rules.is_empty() { e } else { format!("instance {ti} in group {gi}: {e}") };
            cx.err_help(
                t.pos,
                code::TARGET,
                msg,
                format!(
                    "target {:?} of job {:?}{src} is invalid{relabelled}; targets are host:port, the scheme and path go in `scheme` and `metrics_path`",
                    t.v, job.job
                ),
            );
        }
    }
}

fn set(lb: &mut BTreeMap<String, String>, k: &str, v: &str) {
    if v.is_empty() {
        lb.remove(k);
    } else {
        lb.insert(k.to_string(), v.to_string());
    }
}

fn populated_ok(lb: &BTreeMap<String, String>) -> Result<(), String> {
    let get = |k: &str| lb.get(k).map(String::as_str).unwrap_or("");
    let addr = get("__address__");
    if addr.is_empty() {
        return Err("no address".into());
    }
    check_target_address(addr)?;
    let interval = get("__scrape_interval__");
    let i = crate::lint::schema::parse_duration(interval)
        .map_err(|e| format!("error parsing scrape interval: {e}"))?;
    if i == 0 {
        return Err("scrape interval cannot be 0".into());
    }
    let timeout = get("__scrape_timeout__");
    let t = crate::lint::schema::parse_duration(timeout)
        .map_err(|e| format!("error parsing scrape timeout: {e}"))?;
    if t == 0 {
        return Err("scrape timeout cannot be 0".into());
    }
    if t > i {
        return Err(format!(
            "scrape timeout cannot be greater than scrape interval ({timeout:?} > {interval:?})"
        ));
    }
    for (l, desc) in [
        ("__convert_classic_histograms_to_nhcb__", "convert classic histograms to nhcb"),
        ("__always_scrape_classic_histograms__", "always scrape classic histograms"),
        ("__scrape_native_histograms__", "scrape native histograms"),
    ] {
        let v = get(l);
        if !v.is_empty() && parse_go_bool(v).is_none() {
            return Err(format!(
                "error parsing {desc}: strconv.ParseBool: parsing {v:?}: invalid syntax"
            ));
        }
    }
    Ok(())
}

/// `config.CheckTargetAddress`: no URLs in target addresses.
pub fn check_target_address(addr: &str) -> Result<(), String> {
    if addr.contains('/') {
        return Err(format!("{addr:?} is not a valid hostname"));
    }
    Ok(())
}

/// `strconv.ParseBool`.
fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}
