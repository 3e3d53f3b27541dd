//! Alertmanager configuration (`alertmanager.yml`): the strict schema of the official
//! loader (current Alertmanager), routing tree, receivers and integrations, matchers,
//! time intervals, templates — each finding with its position, all findings in one run.
//!
//! Layout: `global` (the `global:` section), `route` (routing tree, matchers, routing of
//! label sets), `receivers/` (one file per integration), `inhibit`, `time_intervals`,
//! `templates` (template globs and Go templates), `misc` (tracing, event recorder),
//! `matchers` (the UTF-8 and classic matcher parsers), `values` (Go value formats).
//! The HTTP client configuration is shared with Prometheus: `crate::lint::http_config`.

mod global;
mod inhibit;
pub mod matchers;
mod misc;
mod receivers;
mod route;
mod templates;
pub mod time_intervals;
mod values;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::lint::Options;
use crate::lint::check::Check;
use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::lint::http_config::{FileRef, HttpFacts};
use crate::lint::schema::{self, Ctx};
use crate::lint::source::Source;
use crate::yaml::{Node, Pos};

pub use matchers::{MatchOp, Matcher, ParserMode};
pub use route::{MatcherSource, Route, RouteMatcher};

/// Stable check IDs of this module.
pub mod codes {
    pub const ROOT_ROUTE: &str = "alertmanager/root-route";
    pub const RECEIVER_UNDEFINED: &str = "alertmanager/receiver-undefined";
    pub const RECEIVER_DUPLICATE: &str = "alertmanager/receiver-duplicate";
    pub const RECEIVER_UNUSED: &str = "alertmanager/receiver-unused";
    pub const RECEIVER_LABELS: &str = "alertmanager/receiver-labels";
    pub const MATCHER: &str = "alertmanager/matcher";
    pub const MATCHER_CLASSIC: &str = "alertmanager/matcher-classic";
    pub const LABEL_NAME: &str = "alertmanager/label-name";
    pub const GROUP_BY: &str = "alertmanager/group-by";
    pub const ROUTE_TIMING: &str = "alertmanager/route-timing";
    pub const ROUTE_UNREACHABLE: &str = "alertmanager/route-unreachable";
    pub const TIME_INTERVAL_UNDEFINED: &str = "alertmanager/time-interval-undefined";
    pub const TIME_INTERVAL_DUPLICATE: &str = "alertmanager/time-interval-duplicate";
    pub const TIME_INTERVAL_SYNTAX: &str = "alertmanager/time-interval-syntax";
    pub const TIME_ZONE: &str = "alertmanager/time-zone";
    pub const INTEGRATION_INCOMPLETE: &str = "alertmanager/integration-incomplete";
    pub const INTEGRATION_INVALID: &str = "alertmanager/integration-invalid";
    pub const CONFLICT: &str = "alertmanager/conflicting-fields";
    pub const PLAIN_SECRET: &str = "alertmanager/plain-secret";
    pub const PLACEHOLDER_SECRET: &str = "alertmanager/placeholder-secret";
    pub const ENV_VAR: &str = "alertmanager/env-var";
    pub const DEPRECATED: &str = "alertmanager/deprecated";
    pub const TEMPLATE_MISSING: &str = "alertmanager/template-missing";
    pub const TEMPLATE_SYNTAX: &str = "alertmanager/template-syntax";
    pub const TEMPLATE_UNDEFINED: &str = "alertmanager/template-undefined";
    pub const FILE_MISSING: &str = "alertmanager/file-missing";
    pub const EVENT_RECORDER: &str = "alertmanager/event-recorder";
    pub const TRACING: &str = "alertmanager/tracing";
}

const fn check(id: &'static str, severity: Severity, summary: &'static str) -> Check {
    Check { id, severity, summary }
}

/// The checks of this module.
pub const CHECKS: &[Check] = &[
    check(
        codes::ROOT_ROUTE,
        Severity::Error,
        "The root route is missing, has no receiver, or has matchers, `continue` or mute/active time intervals.",
    ),
    check(
        codes::RECEIVER_UNDEFINED,
        Severity::Error,
        "A route names a receiver that is not defined.",
    ),
    check(
        codes::RECEIVER_DUPLICATE,
        Severity::Error,
        "Two receivers have the same name (or a receiver has no name).",
    ),
    check(codes::RECEIVER_UNUSED, Severity::Warning, "A receiver no route sends alerts to."),
    check(
        codes::RECEIVER_LABELS,
        Severity::Error,
        "A receiver's `name` label differs from its name.",
    ),
    check(
        codes::MATCHER,
        Severity::Error,
        "A matcher (`matchers`, `match`, `match_re`, inhibit source/target) does not parse, or its regex is not valid RE2.",
    ),
    check(
        codes::MATCHER_CLASSIC,
        Severity::Warning,
        "A matcher only the classic parser accepts (Alertmanager falls back to it and logs a warning).",
    ),
    check(
        codes::LABEL_NAME,
        Severity::Error,
        "An invalid label name in group_by, route labels, match keys or inhibit `equal`.",
    ),
    check(
        codes::GROUP_BY,
        Severity::Error,
        "group_by repeats a label, or mixes `...` with label names.",
    ),
    check(codes::ROUTE_TIMING, Severity::Error, "group_interval or repeat_interval is zero."),
    check(
        codes::ROUTE_UNREACHABLE,
        Severity::Warning,
        "A route that can never be reached: after a catch-all sibling (no matchers, no `continue`), or with matchers contradicting each other or an enclosing route's.",
    ),
    check(
        codes::TIME_INTERVAL_UNDEFINED,
        Severity::Error,
        "A route names a time interval that is not defined.",
    ),
    check(
        codes::TIME_INTERVAL_DUPLICATE,
        Severity::Error,
        "Two time intervals have the same name (or one has no name).",
    ),
    check(
        codes::TIME_INTERVAL_SYNTAX,
        Severity::Error,
        "A time interval's times, weekdays, days_of_month, months or years do not parse.",
    ),
    check(
        codes::TIME_ZONE,
        Severity::Error,
        "A time interval's location is not a known IANA time zone.",
    ),
    check(
        codes::INTEGRATION_INCOMPLETE,
        Severity::Error,
        "An integration lacks a required setting (SMTP smarthost/from, Slack URL or token, PagerDuty key, ...), globals considered.",
    ),
    check(
        codes::INTEGRATION_INVALID,
        Severity::Error,
        "An integration setting the loader rejects (reserved custom field, responder type, duplicate header, ...).",
    ),
    check(
        codes::CONFLICT,
        Severity::Error,
        "Mutually exclusive settings are both set (a secret and its `_file`, api_url and app_token, ...).",
    ),
    check(
        codes::PLAIN_SECRET,
        Severity::Warning,
        "A secret is written in plain text in the configuration; use the `_file` variant.",
    ),
    check(
        codes::PLACEHOLDER_SECRET,
        Severity::Info,
        "A secret field holds an obvious placeholder (`xxxx`, `<secret>`, `changeme`, `${VAR}`): noted, not a warning.",
    ),
    check(
        codes::ENV_VAR,
        Severity::Warning,
        "A value looks like `${VAR}`: Alertmanager does not expand environment variables.",
    ),
    check(
        codes::DEPRECATED,
        Severity::Warning,
        "A deprecated setting (`match`, `match_re`, `source_match`, top-level `mute_time_intervals`, ...).",
    ),
    check(
        codes::TEMPLATE_MISSING,
        Severity::Warning,
        "A `templates` glob matches no file (error: the pattern is malformed).",
    ),
    check(
        codes::TEMPLATE_SYNTAX,
        Severity::Error,
        "A Go template (template file or configuration field) does not parse, or calls an undefined function.",
    ),
    check(
        codes::TEMPLATE_UNDEFINED,
        Severity::Warning,
        "`{{ template \"x\" }}` names a template defined nowhere.",
    ),
    check(
        codes::FILE_MISSING,
        Severity::Error,
        "A file the configuration refers to does not exist (secrets: its directory).",
    ),
    check(
        codes::EVENT_RECORDER,
        Severity::Error,
        "An `event_recorder` output is incomplete or invalid.",
    ),
    check(codes::TRACING, Severity::Error, "The `tracing` section is incomplete or invalid."),
];

/// Alertmanager-specific options (feature flags of the running Alertmanager and where its
/// container paths are on this machine).
#[derive(Debug, Clone, Default)]
pub struct AmOptions {
    /// Which matcher parser runs (Alertmanager's `--enable-feature`); also decides which
    /// label names are valid (classic mode: `[a-zA-Z_][a-zA-Z0-9_]*`; otherwise any UTF-8).
    pub mode: ParserMode,
    /// Absolute paths as Alertmanager sees them → directories on this machine, longest
    /// prefix first wins (`/etc/alertmanager` → `<stack>/alerting`). Used with
    /// `Options::check_files`.
    pub path_map: Vec<(PathBuf, PathBuf)>,
}

impl AmOptions {
    /// The mounts of the stack's compose file: `./alerting` at `/etc/alertmanager` and
    /// `./alerting/secrets` at `/etc/alertmanager/secrets`.
    pub fn for_stack(stack_dir: &Path) -> AmOptions {
        AmOptions {
            mode: ParserMode::Fallback,
            path_map: vec![
                (PathBuf::from("/etc/alertmanager/secrets"), stack_dir.join("alerting/secrets")),
                (PathBuf::from("/etc/alertmanager"), stack_dir.join("alerting")),
            ],
        }
    }
}

/// A receiver as defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiverFact {
    pub name: String,
    pub pos: Pos,
    /// Names of its integrations (`email`, `slack`, ...), one per configured entry.
    pub integrations: Vec<String>,
}

/// A label name referenced by an inhibit rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InhibitLabel {
    pub name: String,
    pub pos: Pos,
    /// `source`, `target` (matchers) or `equal`.
    pub role: &'static str,
    /// Index of the rule in `inhibit_rules`.
    pub rule: usize,
}

/// What cross-file checks need to know about an Alertmanager config.
#[derive(Debug, Clone, Default)]
pub struct AmFacts {
    /// Receivers: name, position, whether it has at least one integration.
    pub receivers: Vec<(String, Pos, bool)>,
    /// Receivers with their integrations.
    pub receiver_details: Vec<ReceiverFact>,
    /// The routing tree (None when there is no usable root route).
    pub root: Option<Route>,
    /// Label names the inhibit rules use (source/target matchers and `equal`).
    pub inhibit_labels: Vec<InhibitLabel>,
    /// `templates:` globs as written.
    pub templates: Vec<(String, Pos)>,
    /// Defined time intervals (both lists).
    pub time_intervals: Vec<(String, Pos)>,
}

impl AmFacts {
    /// The receivers an alert with `labels` is routed to (following `continue`), in
    /// routing order, each once. Empty when there is no routing tree.
    pub fn route(&self, labels: &BTreeMap<String, String>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in self.matching_routes(labels) {
            if !out.contains(&r.receiver) {
                out.push(r.receiver.clone());
            }
        }
        out
    }

    /// The routes (leaves of the match) an alert with `labels` ends in.
    pub fn matching_routes(&self, labels: &BTreeMap<String, String>) -> Vec<&Route> {
        match &self.root {
            Some(r) => r.matching(labels),
            None => Vec::new(),
        }
    }

    /// Whether a receiver of that name exists and has at least one integration.
    pub fn receiver_has_integrations(&self, name: &str) -> Option<bool> {
        self.receivers.iter().find(|r| r.0 == name).map(|r| r.2)
    }
}

/// Check a parsed `alertmanager.yml` with default Alertmanager options (default feature
/// flags; container paths looked up as they are).
pub fn check_config(
    src: &Source,
    tree: &Node,
    opts: &Options,
    diags: &mut Vec<Diagnostic>,
) -> AmFacts {
    check_config_with(src, tree, opts, &AmOptions::default(), diags)
}

/// Check a parsed `alertmanager.yml`.
pub fn check_config_with(
    src: &Source,
    tree: &Node,
    opts: &Options,
    am: &AmOptions,
    diags: &mut Vec<Diagnostic>,
) -> AmFacts {
    let mut c = Checker {
        ctx: Ctx::new(&src.display, diags),
        src,
        opts,
        am,
        globals: global::Globals::default(),
        intervals: Vec::new(),
        interval_refs: Vec::new(),
        receiver_names: Vec::new(),
        receiver_refs: Vec::new(),
        files: Vec::new(),
        template_refs: Vec::new(),
        template_defines: Vec::new(),
        templates_known: false,
        deprecated_matchers: Vec::new(),
        facts: AmFacts::default(),
    };
    c.config(tree);
    c.facts
}

/// State of one check run.
pub(crate) struct Checker<'a, 'c> {
    pub(crate) ctx: Ctx<'a>,
    src: &'c Source,
    opts: &'c Options,
    am: &'c AmOptions,
    globals: global::Globals,
    /// Defined time intervals.
    intervals: Vec<time_intervals::Defined>,
    /// Time interval references: name, position.
    interval_refs: Vec<(String, Pos)>,
    /// Defined receivers: name, position of the name.
    receiver_names: Vec<(String, Pos)>,
    /// Receiver references in routes: name, position.
    receiver_refs: Vec<(String, Pos)>,
    /// Files the configuration refers to.
    files: Vec<FileRef>,
    /// `{{ template "x" }}` references: name, position, file.
    template_refs: Vec<(String, Pos, String)>,
    /// Templates defined by the template files.
    template_defines: Vec<String>,
    /// Whether every template file is known (all globs resolved), so that undefined
    /// template references can be reported.
    templates_known: bool,
    /// Uses of the deprecated `match`/`match_re` (routes) and `*_match`/`*_match_re`
    /// (inhibit rules): position, field, what to write instead. Reported together.
    deprecated_matchers: Vec<(Pos, String, String)>,
    facts: AmFacts,
}

const TOP_FIELDS: &[&str] = &[
    "global",
    "route",
    "inhibit_rules",
    "receivers",
    "templates",
    "mute_time_intervals",
    "time_intervals",
    "tracing",
    "event_recorder",
];

/// A path of the configuration as found on this machine.
pub(crate) struct HostPath {
    pub path: PathBuf,
    /// The written path was mapped through `AmOptions::path_map`.
    pub mapped: bool,
    /// The written path is absolute and was not mapped: it may only exist in a container.
    pub unmapped_absolute: bool,
}

impl HostPath {
    /// A note for messages: where a container path was looked for.
    pub fn note(&self) -> String {
        if self.mapped {
            format!(" (looked for at {})", self.path.display())
        } else if self.unmapped_absolute {
            " on this machine".to_string()
        } else {
            format!(" ({})", self.path.display())
        }
    }
}

impl Checker<'_, '_> {
    fn config(&mut self, tree: &Node) {
        if tree.is_null() {
            self.ctx.error(
                tree.pos,
                codes::ROOT_ROUTE,
                "no route provided in config (the file is empty)",
            );
            return;
        }
        let Some(f) = self.ctx.map(tree, "alertmanager config", TOP_FIELDS) else {
            return;
        };
        // Globals first: receivers fall back on them.
        match f.get("global") {
            Some(g) => self.global(g),
            None => self.globals = global::Globals::defaults(),
        }
        if let Some(n) = f.get("mute_time_intervals") {
            self.ctx.warning(
                f.key_pos("mute_time_intervals").unwrap_or(n.pos),
                codes::DEPRECATED,
                "top-level `mute_time_intervals` is deprecated; use `time_intervals` (routes reference both the same way)",
            );
            self.time_interval_list(n, "mute_time_intervals", true);
        }
        if let Some(n) = f.get("time_intervals") {
            self.time_interval_list(n, "time_intervals", false);
        }
        self.facts.time_intervals =
            self.intervals.iter().map(|d| (d.name.clone(), d.pos)).collect();
        if let Some(n) = f.get("receivers") {
            self.receivers(n);
        }
        match f.get("route") {
            Some(r) => {
                let root = self.root_route(r, f.key_pos("route").unwrap_or(r.pos));
                self.facts.root = root;
            }
            None => match f.key_pos("route") {
                Some(p) => {
                    self.ctx.error(p, codes::ROOT_ROUTE, "no routes provided: `route` is empty")
                }
                None => self.ctx.error(
                    f.pos(),
                    codes::ROOT_ROUTE,
                    "no routes provided: the configuration has no `route`",
                ),
            },
        }
        if let Some(n) = f.get("inhibit_rules") {
            self.inhibit_rules(n);
        }
        let mut globs = Vec::new();
        if let Some(n) = f.get("templates")
            && let Some(items) = self.ctx.strings(n, "templates")
        {
            globs = items.into_iter().map(|(s, p)| (s.to_string(), p)).collect();
        }
        self.template_globs(&globs);
        if let Some(n) = f.get("tracing") {
            self.tracing(n, f.key_pos("tracing").unwrap_or(n.pos));
        }
        if let Some(n) = f.get("event_recorder") {
            self.event_recorder(n);
        }
        self.env_vars(tree, "");
        self.check_references();
        self.check_files();
        self.check_template_refs();
        self.report_deprecated_matchers();
    }

    /// One warning per file for the deprecated matcher fields, at the first use with the
    /// count (accurate but repeated on real configs); each use with `--verbose`.
    fn report_deprecated_matchers(&mut self) {
        let uses = std::mem::take(&mut self.deprecated_matchers);
        if self.opts.verbose || uses.len() == 1 {
            for (pos, field, instead) in uses {
                let d = Diagnostic::warning(
                    self.ctx.path,
                    pos,
                    codes::DEPRECATED,
                    format!("`{field}` is deprecated"),
                )
                .with_help(format!("use `{instead}`"));
                self.ctx.push(d);
            }
            return;
        }
        let Some((pos, field, _)) = uses.first() else { return };
        let mut fields: Vec<&str> = uses.iter().map(|(_, f, _)| f.as_str()).collect();
        fields.sort_unstable();
        fields.dedup();
        let fields = fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
        let d = Diagnostic::warning(
            self.ctx.path,
            *pos,
            codes::DEPRECATED,
            format!(
                "deprecated matcher fields ({fields}) are used {} times in this file; the first is `{field}` here",
                uses.len()
            ),
        )
        .with_help(
            "use `matchers` (routes) and `source_matchers`/`target_matchers` (inhibit rules); --verbose lists every use",
        );
        self.ctx.push(d);
    }

    /// Receivers and time intervals named in routes exist; receivers are used.
    fn check_references(&mut self) {
        let refs = std::mem::take(&mut self.receiver_refs);
        for (name, pos) in &refs {
            if !self.receiver_names.iter().any(|(n, _)| n == name) {
                let known: Vec<&str> =
                    self.receiver_names.iter().map(|(n, _)| n.as_str()).collect();
                let mut d = Diagnostic::error(
                    self.ctx.path,
                    *pos,
                    codes::RECEIVER_UNDEFINED,
                    format!("undefined receiver {name:?} used in route"),
                );
                if let Some(s) = schema::did_you_mean(name, &known) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                self.ctx.push(d);
            }
        }
        if self.facts.root.is_some() {
            for (name, pos) in self.receiver_names.clone() {
                if !refs.iter().any(|(n, _)| *n == name) {
                    self.ctx.warning(
                        pos,
                        codes::RECEIVER_UNUSED,
                        format!("receiver {name:?} is not used by any route"),
                    );
                }
            }
        }
        self.receiver_refs = refs;
        let irefs = std::mem::take(&mut self.interval_refs);
        for (name, pos) in &irefs {
            if !self.intervals.iter().any(|d| d.name == *name) {
                let known: Vec<&str> = self.intervals.iter().map(|d| d.name.as_str()).collect();
                let mut d = Diagnostic::error(
                    self.ctx.path,
                    *pos,
                    codes::TIME_INTERVAL_UNDEFINED,
                    format!("undefined time interval {name:?} used in route"),
                );
                if let Some(s) = schema::did_you_mean(name, &known) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                self.ctx.push(d);
            }
        }
    }

    /// Resolve a path written in the configuration to this machine: relative to the
    /// config's directory, absolute ones through `AmOptions::path_map`.
    pub(crate) fn host_path(&self, written: &str) -> Option<HostPath> {
        if written.is_empty() {
            return None;
        }
        let p = Path::new(written);
        if p.is_absolute() {
            let best = self
                .am
                .path_map
                .iter()
                .filter(|(from, _)| p.starts_with(from))
                .max_by_key(|(from, _)| from.components().count());
            return Some(match best {
                Some((from, to)) => HostPath {
                    path: to.join(p.strip_prefix(from).unwrap_or(p)),
                    mapped: true,
                    unmapped_absolute: false,
                },
                None => HostPath { path: p.to_path_buf(), mapped: false, unmapped_absolute: true },
            });
        }
        Some(HostPath { path: self.src.resolve(written), mapped: false, unmapped_absolute: false })
    }

    /// How to show a file found on this machine: relative to the config's displayed
    /// directory when it is under the config's directory.
    pub(crate) fn display_path(&self, p: &Path) -> String {
        let base = self.src.base_dir();
        if let Ok(rel) = p.strip_prefix(&base) {
            let shown_dir = Path::new(&self.src.display).parent().unwrap_or(Path::new(""));
            return shown_dir.join(rel).to_string_lossy().into_owned();
        }
        p.to_string_lossy().into_owned()
    }

    /// Files referred to by the configuration (with `check_files`). Credentials are read
    /// when a notification is sent, so a missing credential file is not a load error; a
    /// missing *directory* is almost surely a wrong path. TLS files are read when the
    /// configuration is applied: missing is an error.
    fn check_files(&mut self) {
        if !self.opts.check_files {
            return;
        }
        let files = std::mem::take(&mut self.files);
        for f in &files {
            let Some(host) = self.host_path(&f.path) else {
                continue;
            };
            let container_help = "if this is a path inside the Alertmanager container, validate the stack directory: stellar-obs then looks for /etc/alertmanager/... in the stack's alerting/ directory";
            if f.secret {
                let dir = host.path.parent().map(Path::to_path_buf).unwrap_or_default();
                if !dir.as_os_str().is_empty() && !dir.is_dir() {
                    let mut d = Diagnostic::warning(
                        self.ctx.path,
                        f.pos,
                        codes::FILE_MISSING,
                        format!(
                            "{}: the directory of {:?} does not exist{}",
                            f.field,
                            f.path,
                            host.note()
                        ),
                    );
                    if host.unmapped_absolute {
                        d = d.with_help(container_help);
                    }
                    self.ctx.push(d);
                }
            } else if !host.path.exists() {
                let msg = format!("{}: file {:?} does not exist{}", f.field, f.path, host.note());
                if host.unmapped_absolute {
                    let d = Diagnostic::warning(self.ctx.path, f.pos, codes::FILE_MISSING, msg)
                        .with_help(container_help);
                    self.ctx.push(d);
                } else {
                    self.ctx.error(f.pos, codes::FILE_MISSING, msg);
                }
            }
        }
        self.files = files;
    }

    // ------------------------------------------------------------------------------------
    // Small shared helpers.

    /// A string field: `Some((value, pos))` when present and a scalar (the one reader,
    /// [`schema::Ctx::str_field`]).
    pub(crate) fn str_of(
        &mut self,
        f: &schema::Fields<'_>,
        name: &str,
        what: &str,
    ) -> Option<(String, Pos)> {
        self.ctx.str_field(f, name, what).map(|s| (s.v.to_string(), s.pos))
    }

    /// A boolean field as yaml.v2 reads it.
    pub(crate) fn bool_of(
        &mut self,
        f: &schema::Fields<'_>,
        name: &str,
        what: &str,
    ) -> Option<bool> {
        self.ctx.bool_field(f, name, what).map(|b| b.v)
    }

    /// An integer field within `min..=max`: Alertmanager takes whole numbers only (a float
    /// such as `1.5` is refused, unlike Prometheus' loader, which truncates it).
    pub(crate) fn int_of(
        &mut self,
        f: &schema::Fields<'_>,
        name: &str,
        what: &str,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        self.ctx.int_field(f, name, what, schema::IntRule::Whole, (min, max)).map(|i| i.v)
    }

    /// A Prometheus duration field (`model.Duration`), in milliseconds.
    pub(crate) fn prom_duration_of(
        &mut self,
        f: &schema::Fields<'_>,
        name: &str,
        what: &str,
    ) -> Option<(u64, Pos)> {
        let n = f.get(name)?;
        self.ctx.duration(n, &format!("{what}: {name}")).map(|d| (d, n.pos))
    }

    /// A Go duration field (`time.Duration`: `30s`, `1.5m`, or an integer of nanoseconds).
    pub(crate) fn go_duration_of(&mut self, f: &schema::Fields<'_>, name: &str, what: &str) {
        let Some(n) = f.get(name) else {
            return;
        };
        if values::yaml_int(n).is_some() {
            return;
        }
        if let Some(s) = self.ctx.string(n, &format!("{what}: {name}"))
            && let Err(e) = values::parse_go_duration(s)
        {
            self.ctx.error(n.pos, schema::BAD_VALUE, format!("{what}: {name}: {e}"));
        }
    }

    /// An HTTP(S) URL field (`config.URL`). Returns the URL when valid.
    pub(crate) fn url_of(
        &mut self,
        f: &schema::Fields<'_>,
        name: &str,
        what: &str,
    ) -> Option<String> {
        let (s, pos) = self.str_of(f, name, what)?;
        match values::parse_http_url(&s) {
            Ok(()) => Some(s),
            Err(e) => {
                self.ctx.error(pos, schema::BAD_VALUE, format!("{what}: {name}: {e}"));
                None
            }
        }
    }

    /// A secret URL field (`config.SecretURL`): a URL, or the `<secret>` placeholder.
    /// Returns whether it is set (valid or not).
    pub(crate) fn secret_url_of(
        &mut self,
        f: &schema::Fields<'_>,
        name: &str,
        file_field: Option<&str>,
        what: &str,
    ) -> bool {
        let Some((s, pos)) = self.str_of(f, name, what) else {
            return false;
        };
        if s != "<secret>" {
            if let Err(e) = values::parse_http_url(&s) {
                self.ctx.error(pos, schema::BAD_VALUE, format!("{what}: {name}: {e}"));
            } else if file_field.is_some() || values::url_has_credentials(&s) {
                // With a `_file` alternative the URL itself is the credential (Slack,
                // Discord, Teams, Mattermost webhooks); otherwise only embedded ones count.
                self.plain_secret(
                    pos,
                    what,
                    name,
                    file_field,
                    crate::lint::placeholder::is_placeholder(&s),
                );
            }
        }
        true
    }

    /// A secret string field and its `_file` variant: reports both set, a plain secret,
    /// and records the file. Returns (secret set, file set).
    pub(crate) fn secret_pair(
        &mut self,
        f: &schema::Fields<'_>,
        name: &str,
        file_name: &str,
        what: &str,
    ) -> (bool, bool) {
        let v = self.str_of(f, name, what);
        let file = self.file_of(f, file_name, what, true);
        let has_v = v.as_ref().is_some_and(|(s, _)| !s.is_empty());
        if let Some((s, pos)) = &v
            && !s.is_empty()
            && s != "<secret>"
        {
            self.plain_secret(
                *pos,
                what,
                name,
                Some(file_name),
                crate::lint::placeholder::is_placeholder(s),
            );
        }
        if has_v && file {
            self.ctx.error(
                f.key_pos(file_name).unwrap_or(f.pos()),
                codes::CONFLICT,
                format!("{what}: at most one of {name} & {file_name} must be configured"),
            );
        }
        (has_v, file)
    }

    /// A `_file` path field: recorded for the file checks. Returns whether it is set.
    pub(crate) fn file_of(
        &mut self,
        f: &schema::Fields<'_>,
        name: &str,
        what: &str,
        secret: bool,
    ) -> bool {
        let Some((s, pos)) = self.str_of(f, name, what) else {
            return false;
        };
        if s.is_empty() {
            return false;
        }
        self.files.push(FileRef { field: name.to_string(), path: s, pos, secret });
        true
    }

    /// Warn about a secret written inline; a placeholder (`xxxx`, `<secret>`, `changeme`)
    /// is only noted (info).
    pub(crate) fn plain_secret(
        &mut self,
        pos: Pos,
        what: &str,
        name: &str,
        file_field: Option<&str>,
        placeholder: bool,
    ) {
        if placeholder {
            let instead = file_field.map_or(String::new(), |ff| format!(" (or use `{ff}`)"));
            let d = Diagnostic::info(
                self.ctx.path,
                pos,
                codes::PLACEHOLDER_SECRET,
                format!("{what}: `{name}` holds a placeholder, not a secret"),
            )
            .with_help(format!("put the real secret here before deploying{instead}"));
            self.ctx.push(d);
            return;
        }
        let mut d = Diagnostic::warning(
            self.ctx.path,
            pos,
            codes::PLAIN_SECRET,
            format!("{what}: `{name}` is a secret written in plain text in the configuration"),
        );
        d = d.with_help(match file_field {
            Some(ff) => format!(
                "use `{ff}` with a file readable only by Alertmanager, and keep the secret out of this file"
            ),
            None => "keep secrets out of the configuration file where the setting allows it".to_string(),
        });
        self.ctx.push(d);
    }

    /// Values that look like `${VAR}` / `$VAR` anywhere in the file: Alertmanager never
    /// expands environment variables, so they are sent or used literally.
    fn env_vars(&mut self, node: &Node, path: &str) {
        match &node.value {
            crate::yaml::Value::Map(m) => {
                for (k, v) in m {
                    let p =
                        if path.is_empty() { k.name.clone() } else { format!("{path}.{}", k.name) };
                    self.env_vars(v, &p);
                }
            }
            crate::yaml::Value::Seq(items) => {
                for (i, it) in items.iter().enumerate() {
                    self.env_vars(it, &format!("{path}[{i}]"));
                }
            }
            crate::yaml::Value::Str(s) if crate::lint::placeholder::looks_like_env_var(s) => {
                let d = Diagnostic::warning(
                    self.ctx.path,
                    node.pos,
                    codes::ENV_VAR,
                    format!("{path}: `{s}` looks like an environment variable, but Alertmanager does not expand them"),
                )
                .with_help("write the value itself, or for a secret use the setting's `_file` variant");
                self.ctx.push(d);
            }
            _ => {}
        }
    }

    /// An `http_config` field: checked, its inline secrets reported, its files recorded.
    pub(crate) fn http_of(&mut self, f: &schema::Fields<'_>, what: &str) -> Option<HttpFacts> {
        let n = f.get("http_config")?;
        let w = format!("{what}: http_config");
        let facts = crate::lint::http_config::check(&mut self.ctx, n, &w);
        self.http_facts(&facts, &w);
        Some(facts)
    }

    pub(crate) fn http_facts(&mut self, facts: &HttpFacts, what: &str) {
        for s in &facts.secrets {
            self.plain_secret(s.pos, what, &s.field, s.file_field.as_deref(), s.placeholder);
        }
        for fr in &facts.files {
            self.files.push(FileRef { field: format!("{what}.{}", fr.field), ..fr.clone() });
        }
    }

    /// Label name validity in the configured mode.
    pub(crate) fn valid_label_name(&self, s: &str) -> bool {
        match self.am.mode {
            ParserMode::Classic => values::legacy_label_name(s),
            _ => !s.is_empty(),
        }
    }
}

#[cfg(test)]
mod tests;
