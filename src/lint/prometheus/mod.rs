//! Prometheus configuration (`prometheus.yml`): the strict schema of the official loader
//! (Prometheus 3.x), every service-discovery mechanism, and the semantic checks promtool
//! makes — each finding with its position.
//!
//! Layout: `cx` (context and typed field readers), `values` (Go-compatible formats),
//! `global`, `scrape`, `relabel`, `sd/` (one table row per discovery mechanism), `remote`,
//! `alerting`, `storage`, `tracing`, `otlp`, `files` (rule files, file_sd files). The HTTP
//! client settings (auth, TLS, proxy, headers) and SigV4 are checked by
//! `crate::lint::http_config`, shared with the Alertmanager checker. Every finding of a file
//! is reported in one run.

mod alerting;
mod cx;
mod files;
mod global;
mod otlp;
mod relabel;
mod remote;
mod scrape;
mod sd;
mod storage;
mod target_group;
mod tracing;
pub mod values;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::lint::Options;
use crate::lint::check::Check;
use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::lint::source::Source;
use crate::yaml::{Node, Pos};

use cx::{Cx, Sp};

/// Stable IDs of the Prometheus checks.
pub mod code {
    pub const EMPTY_SECTION: &str = "prometheus/empty-section";
    pub const JOB_NAME: &str = "prometheus/job-name";
    pub const DUPLICATE_JOB: &str = "prometheus/duplicate-job";
    pub const SCRAPE_TIMEOUT: &str = "prometheus/scrape-timeout";
    pub const SCRAPE_PROTOCOL: &str = "prometheus/scrape-protocol";
    pub const NAME_VALIDATION: &str = "prometheus/name-validation";
    pub const RELABEL: &str = "prometheus/relabel";
    pub const REGEX: &str = "prometheus/regex";
    pub const LABEL_NAME: &str = "prometheus/label-name";
    pub const URL: &str = "prometheus/url";
    pub const AUTH: &str = "prometheus/auth";
    pub const AUTH_CONFLICT: &str = "prometheus/auth-conflict";
    pub const HEADER: &str = "prometheus/header";
    pub const SD_CONFIG: &str = "prometheus/sd-config";
    pub const TARGET: &str = "prometheus/target";
    pub const FILE_PATTERN: &str = "prometheus/file-pattern";
    pub const FILE_MISSING: &str = "prometheus/file-missing";
    pub const RULE_FILES_NO_MATCH: &str = "prometheus/rule-files-no-match";
    pub const FILE_SD_MISSING: &str = "prometheus/file-sd-missing";
    pub const FILE_SD: &str = "prometheus/file-sd";
    pub const SCRAPE_CONFIG_FILE: &str = "prometheus/scrape-config-file";
    pub const REMOTE: &str = "prometheus/remote";
    pub const QUEUE_CONFIG: &str = "prometheus/queue-config";
    pub const ALERTMANAGER: &str = "prometheus/alertmanager";
    pub const AGENT_MODE: &str = "prometheus/agent-mode";
    pub const STORAGE: &str = "prometheus/storage";
    pub const TRACING: &str = "prometheus/tracing";
    pub const OTLP: &str = "prometheus/otlp";
    pub const LOOKBACK: &str = "prometheus/scrape-interval-lookback";
    pub const SCHEME: &str = "prometheus/scheme";
}

const fn err(id: &'static str, summary: &'static str) -> Check {
    Check { id, severity: Severity::Error, summary }
}

const fn warn(id: &'static str, summary: &'static str) -> Check {
    Check { id, severity: Severity::Warning, summary }
}

/// The checks of this module.
pub const CHECKS: &[Check] = &[
    err(
        code::EMPTY_SECTION,
        "An empty or null entry in a list of sections (scrape config, relabel rule, SD config, remote write...).",
    ),
    err(code::JOB_NAME, "A scrape config without a job_name."),
    err(
        code::DUPLICATE_JOB,
        "Two scrape configs (here or in scrape_config_files) with the same job_name.",
    ),
    err(
        code::SCRAPE_TIMEOUT,
        "scrape_timeout greater than the scrape interval (of the job, or the global one).",
    ),
    err(
        code::SCRAPE_PROTOCOL,
        "Unknown, duplicated or empty scrape_protocols / fallback_scrape_protocol.",
    ),
    err(
        code::NAME_VALIDATION,
        "Invalid metric_name_validation_scheme / metric_name_escaping_scheme, or escaping that needs UTF-8 names under legacy validation.",
    ),
    err(
        code::RELABEL,
        "A relabel rule that breaks its action's constraints (hashmod modulus, target_label, fields an action does not take, unknown action).",
    ),
    err(
        code::REGEX,
        "A regex that does not compile (RE2 syntax, anchored as Prometheus anchors it).",
    ),
    err(
        code::LABEL_NAME,
        "An invalid label name (external labels, relabel target_label/replacement, static labels) under the validation scheme in force.",
    ),
    err(code::URL, "A URL the loader cannot parse or that lacks a required scheme or host."),
    err(
        code::AUTH,
        "Incomplete or invalid authentication settings Prometheus adds to the HTTP client (Azure AD, SD credentials).",
    ),
    err(
        code::AUTH_CONFLICT,
        "Authentication settings Prometheus adds that conflict with each other or with the HTTP client's (sigv4 with basic_auth, consul token with authorization, ...).",
    ),
    err(
        code::HEADER,
        "A remote write/read or tracing header that may not be set (reserved by Prometheus, or Authorization outside the auth settings).",
    ),
    err(
        code::SD_CONFIG,
        "A service-discovery config its mechanism rejects (missing server, unknown role, bad selector, ...).",
    ),
    err(
        code::TARGET,
        "A static or file_sd target that is not host:port after relabelling (e.g. a URL), or lacks an address.",
    ),
    err(code::FILE_PATTERN, "An invalid rule_files / scrape_config_files / file_sd pattern."),
    err(
        code::FILE_MISSING,
        "A referenced file that does not exist (rule files, credential, password, token, TLS files) — full check only.",
    ),
    warn(
        code::RULE_FILES_NO_MATCH,
        "A rule_files glob that matches no file while a file close to it exists (a likely typo) — full check only.",
    ),
    warn(
        code::FILE_SD_MISSING,
        "A file_sd_configs file (or pattern) that matches nothing — full check only, as promtool warns.",
    ),
    err(
        code::FILE_SD,
        "A file_sd file that cannot be read or is not a list of valid target groups — full check only.",
    ),
    err(
        code::SCRAPE_CONFIG_FILE,
        "A scrape_config_files file that cannot be read or is not valid.",
    ),
    err(
        code::REMOTE,
        "remote_write / remote_read problems: missing url, unknown protobuf_message, duplicate names.",
    ),
    err(
        code::QUEUE_CONFIG,
        "remote_write queue_config out of bounds (shards, capacity, samples per send, backoff).",
    ),
    err(
        code::ALERTMANAGER,
        "An Alertmanager config Prometheus 3 rejects (api_version other than v2).",
    ),
    err(
        code::AGENT_MODE,
        "A section not allowed in agent mode (rule_files, alerting, remote_read).",
    ),
    err(
        code::STORAGE,
        "Invalid storage.tsdb settings (retention size/percentage, chunk encoding).",
    ),
    err(code::TRACING, "Invalid tracing settings (missing endpoint, client type, compression)."),
    err(code::OTLP, "Invalid otlp settings (translation strategy, resource attribute promotion)."),
    warn(
        code::LOOKBACK,
        "A scrape interval at or above the 5m lookback delta: series go stale between scrapes.",
    ),
    warn(code::SCHEME, "A scrape scheme other than http or https."),
];

/// What other checks need to know about a Prometheus config.
#[derive(Debug, Clone, Default)]
pub struct PromFacts {
    /// `rule_files` patterns as written, with positions (relative to the config's directory).
    pub rule_files: Vec<(String, Pos)>,
    /// The files the `rule_files` patterns match now (resolved), with the pattern's position.
    pub rule_file_paths: Vec<(PathBuf, Pos)>,
    /// Scrape jobs: name, position, effective scrape interval in ms (including the jobs
    /// of `scrape_config_files`).
    pub jobs: Vec<Job>,
    pub global_scrape_interval_ms: u64,
    pub global_evaluation_interval_ms: u64,
    /// `global.external_labels`.
    pub external_labels: Vec<(String, String)>,
    /// The files `scrape_config_files` matched and that were checked.
    pub scrape_config_files: Vec<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Job {
    pub name: String,
    pub pos: Pos,
    pub scrape_interval_ms: u64,
    /// The `scrape_config_files` file defining the job (as displayed); `None`: the main file.
    pub file: Option<String>,
}

const TOP_FIELDS: &[&str] = &[
    "global",
    "runtime",
    "alerting",
    "rule_files",
    "scrape_config_files",
    "scrape_configs",
    "storage",
    "tracing",
    "remote_write",
    "remote_read",
    "otlp",
];

/// Check a parsed `prometheus.yml`.
pub fn check_config(
    src: &Source,
    tree: &Node,
    opts: &Options,
    diags: &mut Vec<Diagnostic>,
) -> PromFacts {
    values::with_glob_cache(|| check_config_inner(src, tree, opts, diags))
}

fn check_config_inner(
    src: &Source,
    tree: &Node,
    opts: &Options,
    diags: &mut Vec<Diagnostic>,
) -> PromFacts {
    let base = src.base_dir();
    let file_sd = target_group::FileSdCache::default();
    let mut cx = Cx {
        path: &src.display,
        diags,
        base: &base,
        opts,
        scheme: values::NameScheme::Utf8,
        file_sd: &file_sd,
    };
    let mut facts = PromFacts {
        global_scrape_interval_ms: 60_000,
        global_evaluation_interval_ms: 60_000,
        ..PromFacts::default()
    };
    let Some(top) = cx.map(tree, "prometheus config", TOP_FIELDS) else { return facts };

    let g = global::check_global(&mut cx, top.get("global"));
    facts.global_scrape_interval_ms = g.scrape_interval_ms;
    facts.global_evaluation_interval_ms = g.evaluation_interval_ms;
    facts.external_labels = g.external_labels.clone();

    if let Some(n) = top.get("runtime") {
        global::check_runtime(&mut cx, n);
    }

    if let Some(rf) = cx.strs(&top, "rule_files") {
        if opts.agent && !rf.v.is_empty() {
            cx.err(rf.key, code::AGENT_MODE, "field rule_files is not allowed in agent mode");
        }
        let (patterns, paths) = files::check_rule_files(&mut cx, &rf.v);
        facts.rule_files = patterns;
        facts.rule_file_paths = paths;
    }

    let scrape_files = cx.strs(&top, "scrape_config_files");
    let mut valid_scrape_files: Vec<Sp<&str>> = Vec::new();
    if let Some(sf) = &scrape_files {
        for p in &sf.v {
            if files::valid_pattern(p.v) {
                valid_scrape_files.push(*p);
            } else {
                cx.err_help(
                    p.pos,
                    code::FILE_PATTERN,
                    format!("invalid scrape config file path {:?}", p.v),
                    "`*` may appear only in the last path element, e.g. scrape_configs/*.yml",
                );
            }
        }
    }

    // Scrape configs of the main file, then of scrape_config_files.
    let mut names: HashMap<String, (Pos, Option<String>)> = HashMap::new();
    let mut utf8_reported = false;
    if let Some(n) = top.get("scrape_configs")
        && let Some(items) = cx.list(n, "scrape_configs")
    {
        for it in items {
            if it.is_null() {
                cx.err(it.pos, code::EMPTY_SECTION, "empty or null scrape config section");
                continue;
            }
            let Some(job) = scrape::check_scrape(&mut cx, it, &g, &mut utf8_reported) else {
                continue;
            };
            record_job(&mut cx, &mut facts, &mut names, &job, None);
            files::check_scrape_file_sd(&mut cx, &job);
        }
    }
    for pat in valid_scrape_files {
        check_scrape_config_file(&mut cx, pat, &g, &mut facts, &mut names, &mut utf8_reported);
    }

    if let Some((k, n)) = top.node.get_key("alerting").filter(|(_, n)| !n.is_null()) {
        let a = alerting::check_alerting(&mut cx, n, k.pos);
        if opts.agent
            && let Some(p) = a.configured
        {
            cx.err(p, code::AGENT_MODE, "field alerting is not allowed in agent mode");
        }
        for (patterns, am) in &a.file_sd {
            files::check_am_file_sd(&mut cx, patterns, am);
        }
    }
    if let Some(n) = top.get("remote_write") {
        remote::check_remote_write(&mut cx, n);
    }
    if let Some((k, n)) = top.node.get_key("remote_read").filter(|(_, n)| !n.is_null()) {
        if opts.agent && n.as_seq().is_some_and(|s| !s.is_empty()) {
            cx.err(k.pos, code::AGENT_MODE, "field remote_read is not allowed in agent mode");
        }
        remote::check_remote_read(&mut cx, n);
    }
    if let Some(n) = top.get("storage") {
        storage::check_storage(&mut cx, n);
    }
    if let Some((k, n)) = top.node.get_key("tracing").filter(|(_, n)| !n.is_null()) {
        tracing::check_tracing(&mut cx, n, k.pos);
    }
    if let Some(n) = top.get("otlp") {
        otlp::check_otlp(&mut cx, n);
    }
    facts
}

fn record_job(
    cx: &mut Cx<'_>,
    facts: &mut PromFacts,
    names: &mut HashMap<String, (Pos, Option<String>)>,
    job: &scrape::ScrapeJob,
    file: Option<&str>,
) {
    if !job.name.is_empty() {
        if let Some((first, first_file)) = names.get(&job.name) {
            let where_ = match first_file {
                Some(f) => format!("{f}, line {}", first.line),
                None if file.is_some() => format!("the main config file, line {}", first.line),
                None => format!("line {}", first.line),
            };
            cx.err_help(
                job.pos,
                code::DUPLICATE_JOB,
                format!("found multiple scrape configs with job name {:?}", job.name),
                format!("job names must be unique; the first is at {where_}"),
            );
        } else {
            names.insert(job.name.clone(), (job.pos, file.map(str::to_string)));
        }
    }
    facts.jobs.push(Job {
        name: job.name.clone(),
        pos: job.pos,
        scrape_interval_ms: job.interval_ms,
        file: file.map(str::to_string),
    });
}

/// One `scrape_config_files` pattern: every matching file holds `scrape_configs:` only;
/// each job is checked with the main file's globals, and job names are unique across all.
fn check_scrape_config_file(
    cx: &mut Cx<'_>,
    pat: Sp<&str>,
    g: &global::Global,
    facts: &mut PromFacts,
    names: &mut HashMap<String, (Pos, Option<String>)>,
    utf8_reported: &mut bool,
) {
    let full = cx.resolve(pat.v).to_string_lossy().into_owned();
    let found = match values::glob(&full) {
        Ok(f) => f,
        Err(values::BadPattern) => {
            cx.err(
                pat.pos,
                code::FILE_PATTERN,
                format!(
                    "error retrieving scrape config files for {:?}: syntax error in pattern",
                    pat.v
                ),
            );
            return;
        }
    };
    for path in found {
        if std::fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        let display = values::display_near(cx.path, cx.base, &path);
        let text = match crate::fsutil::read_capped_string(&path, crate::yaml::MAX_FILE_BYTES) {
            Ok(t) => t,
            Err(e) => {
                cx.err(
                    pat.pos,
                    code::SCRAPE_CONFIG_FILE,
                    format!("cannot read scrape config file {}: {e}", path.display()),
                );
                continue;
            }
        };
        facts.scrape_config_files.push(path.clone());
        let tree = match crate::yaml::parse(&text) {
            Ok(t) => t,
            Err(e) => {
                cx.diags.push(Diagnostic::error(display.as_str(), e.pos, "yaml/syntax", e.message));
                continue;
            }
        };
        let base = crate::fsutil::parent_dir(&path);
        check_included(&mut cx.for_file(&display, &base), &tree, g, facts, names, utf8_reported);
    }
}

fn check_included(
    cx: &mut Cx<'_>,
    tree: &Node,
    g: &global::Global,
    facts: &mut PromFacts,
    names: &mut HashMap<String, (Pos, Option<String>)>,
    utf8_reported: &mut bool,
) {
    let Some(f) = cx.map(tree, "scrape config file", &["scrape_configs"]) else { return };
    let Some(n) = f.get("scrape_configs") else { return };
    let Some(items) = cx.list(n, "scrape_configs") else { return };
    let display = cx.path.to_string();
    for it in items {
        if it.is_null() {
            cx.err(it.pos, code::EMPTY_SECTION, "empty or null scrape config section");
            continue;
        }
        let Some(job) = scrape::check_scrape(cx, it, g, utf8_reported) else { continue };
        record_job(cx, facts, names, &job, Some(&display));
        files::check_scrape_file_sd(cx, &job);
    }
}

/// Check a Prometheus config file on disk (convenience for callers and tests): read,
/// parse, check. YAML syntax errors become one `yaml/syntax` finding.
pub fn check_file(
    path: &Path,
    display: &str,
    opts: &Options,
    diags: &mut Vec<Diagnostic>,
) -> std::io::Result<PromFacts> {
    let text = crate::fsutil::read_capped_string(path, crate::yaml::MAX_FILE_BYTES)?;
    let src = Source::new(display, path, text);
    match crate::yaml::parse(&src.text) {
        Ok(tree) => Ok(check_config(&src, &tree, opts, diags)),
        Err(e) => {
            diags.push(Diagnostic::error(display, e.pos, "yaml/syntax", e.message));
            Ok(PromFacts::default())
        }
    }
}

#[cfg(test)]
mod tests;
