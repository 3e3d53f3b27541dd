//! Service discovery: every `<name>_sd_configs` mechanism Prometheus 3.x registers, plus
//! `static_configs`. Each mechanism is one row of [`KINDS`]: its YAML key, its fields with
//! their types, whether it inlines the HTTP client settings, and a function with its
//! own validation rules (the `UnmarshalYAML` checks of the upstream SD package).

mod cloud;
pub(crate) mod kubernetes;
mod service;

use crate::lint::schema::Fields;
use crate::yaml::{Node, Pos};

use super::code;
use super::cx::{Cx, Required, Sp};
use crate::lint::http_config::{FIELDS as HTTP_FIELDS, HttpFacts};

/// How a mechanism treats the inline HTTP client settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMode {
    /// No HTTP client fields.
    None,
    /// Inline fields, validated (`HTTPClientConfig.Validate`).
    Validated,
    /// Inline fields the loader never validates (`aws_sd_configs`).
    Unvalidated,
}

/// Field types, as the upstream struct declares them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum T {
    Str,
    Bool,
    Int,
    Dur,
    Strs,
    StrMap,
    Url,
    Tls,
    /// A list of `{name, values}` filters.
    Filters,
    /// Checked by the mechanism's own function.
    Custom,
}

/// One service-discovery mechanism.
pub struct Kind {
    /// YAML key, e.g. `consul_sd_configs`.
    pub key: &'static str,
    /// Its name in messages, e.g. `consul`.
    pub name: &'static str,
    pub fields: &'static [(&'static str, T)],
    pub http: HttpMode,
    pub check: fn(&mut Cx<'_>, &Fields<'_>, &HttpFacts),
}

impl std::fmt::Debug for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kind").field("key", &self.key).finish()
    }
}

/// Every mechanism, in alphabetical order of key.
pub static KINDS: &[&Kind] = &[
    &cloud::AWS,
    &cloud::AZURE,
    &service::CONSUL,
    &cloud::DIGITALOCEAN,
    &service::DNS,
    &service::DOCKER,
    &service::DOCKERSWARM,
    &cloud::EC2,
    &cloud::ECS,
    &cloud::ELASTICACHE,
    &service::EUREKA,
    &FILE,
    &cloud::GCE,
    &cloud::HETZNER,
    &service::HTTP,
    &cloud::IONOS,
    &kubernetes::KUBERNETES,
    &service::KUMA,
    &cloud::LIGHTSAIL,
    &cloud::LINODE,
    &service::MARATHON,
    &cloud::MSK,
    &service::NERVE,
    &service::NOMAD,
    &cloud::OCI,
    &cloud::OPENSTACK,
    &cloud::OUTSCALE,
    &cloud::OVHCLOUD,
    &service::PUPPETDB,
    &cloud::RDS,
    &cloud::SCALEWAY,
    &service::SERVERSET,
    &cloud::STACKIT,
    &cloud::TRITON,
    &service::UYUNI,
    &cloud::VULTR,
];

/// The YAML keys of every mechanism and `static_configs`.
pub fn keys() -> impl Iterator<Item = &'static str> {
    KINDS.iter().map(|k| k.key).chain(std::iter::once("static_configs"))
}

pub use super::target_group::TargetGroup;

/// What the scrape / Alertmanager checks need from the discovery sections.
#[derive(Debug, Default)]
pub struct Discovered {
    pub static_groups: Vec<TargetGroup>,
    /// `file_sd_configs` file patterns as written.
    pub file_patterns: Vec<Sp<String>>,
}

/// Check every discovery section of a scrape or Alertmanager config.
pub fn check_all(cx: &mut Cx<'_>, f: &Fields<'_>) -> Discovered {
    let mut out = Discovered::default();
    for (k, v) in f.entries() {
        if k.name == "static_configs" {
            check_static(cx, v, &mut out.static_groups);
            continue;
        }
        let Some(kind) = KINDS.iter().find(|x| x.key == k.name) else { continue };
        let Some(items) = cx.list(v, kind.key) else { continue };
        for it in items {
            if it.is_null() {
                cx.err(
                    it.pos,
                    code::EMPTY_SECTION,
                    format!("empty or null section in {}", kind.key),
                );
                continue;
            }
            check_one(cx, kind, it, &mut out);
        }
    }
    out
}

fn check_one(cx: &mut Cx<'_>, kind: &Kind, node: &Node, out: &mut Discovered) {
    let mut known: Vec<&str> = kind.fields.iter().map(|(n, _)| *n).collect();
    if kind.http != HttpMode::None {
        known.extend_from_slice(HTTP_FIELDS);
    }
    let what = format!("{} SD config", kind.name);
    let Some(f) = cx.map(node, &what, &known) else { return };
    for (name, t) in kind.fields {
        typecheck(cx, &f, name, *t);
    }
    // promtool requires only Kubernetes SD's TLS client files; Prometheus reads the others
    // when discovery runs.
    let required = if kind.key == "kubernetes_sd_configs" {
        Required::KubernetesSd
    } else {
        Required::Nothing
    };
    let http = match kind.http {
        HttpMode::None => HttpFacts::default(),
        HttpMode::Validated => cx.http(&f, true, required),
        HttpMode::Unvalidated => cx.http(&f, false, required),
    };
    (kind.check)(cx, &f, &http);
    if kind.key == "file_sd_configs"
        && let Some(files) = f.get("files").and_then(|n| n.as_seq())
    {
        for it in files {
            if let Some(s) = it.scalar_text() {
                out.file_patterns.push(Sp { v: s.to_string(), pos: it.pos, key: it.pos });
            }
        }
    }
}

/// Report a value that does not decode into the field's type.
pub fn typecheck(cx: &mut Cx<'_>, f: &Fields<'_>, name: &str, t: T) {
    match t {
        T::Str => {
            cx.str(f, name);
        }
        T::Bool => {
            cx.bool(f, name);
        }
        T::Int => {
            cx.int(f, name);
        }
        T::Dur => {
            cx.duration(f, name);
        }
        T::Strs => {
            cx.strs(f, name);
        }
        T::StrMap => {
            cx.str_map(f, name);
        }
        T::Url => {
            cx.url(f, name);
        }
        T::Tls => {
            if let Some(n) = f.get(name) {
                cx.tls(n, name);
            }
        }
        T::Filters => check_filters(cx, f, name),
        T::Custom => {}
    }
}

fn check_filters(cx: &mut Cx<'_>, f: &Fields<'_>, name: &str) {
    let Some(items) = cx.list_field(f, name) else { return };
    for it in items {
        if let Some(ff) = cx.map(it, "filter", &["name", "values"]) {
            cx.str(&ff, "name");
            cx.strs(&ff, "values");
        }
    }
}

// ---- helpers for the mechanism rules (values were type-checked already) ----

/// The text of a scalar field, "" when absent, null or not a scalar.
pub fn txt<'n>(f: &Fields<'n>, name: &str) -> &'n str {
    f.get(name).and_then(Node::scalar_text).unwrap_or("")
}

/// Whether the field is present with a non-null value.
pub fn has(f: &Fields<'_>, name: &str) -> bool {
    f.get(name).is_some()
}

/// The field's key position, or the mapping's when absent.
pub fn at(f: &Fields<'_>, name: &str) -> Pos {
    f.key_pos(name).unwrap_or(f.pos())
}

/// The field's value position, or the mapping's when absent.
pub fn val_at(f: &Fields<'_>, name: &str) -> Pos {
    f.get_raw(name).map(|n| n.pos).unwrap_or(f.pos())
}

/// A string field with a default: the default when absent; "" when null (Go zero).
pub fn txt_or<'n>(f: &Fields<'n>, name: &str, default: &'n str) -> &'n str {
    match f.get_raw(name) {
        None => default,
        Some(n) => n.scalar_text().unwrap_or(""),
    }
}

/// Number of items of a list field (0 when absent or not a list).
pub fn len(f: &Fields<'_>, name: &str) -> usize {
    f.get(name).and_then(Node::as_seq).map_or(0, <[Node]>::len)
}

/// A duration field in ms (default when absent, 0 when null, `None` when malformed).
pub fn dur_or(f: &Fields<'_>, name: &str, default: u64) -> Option<u64> {
    match f.get_raw(name) {
        None => Some(default),
        Some(n) if n.is_null() => Some(0),
        Some(n) => n.scalar_text().and_then(|s| crate::lint::schema::parse_duration(s).ok()),
    }
}

/// A referenced file, checked when files are checked; promtool does not require it (a
/// warning when missing: Prometheus reads it when discovery runs).
pub fn file(cx: &mut Cx<'_>, f: &Fields<'_>, name: &str, what: &str) {
    let v = f.get(name).and_then(|n| {
        n.scalar_text().map(|s| Sp { v: s, pos: n.pos, key: f.key_pos(name).unwrap_or(n.pos) })
    });
    cx.file_ref(v, what, false);
}

/// `parse "..."`-style errors of `url.Parse` on a field, reported at its value.
pub fn parse_url_field(
    cx: &mut Cx<'_>,
    f: &Fields<'_>,
    name: &str,
) -> Option<super::values::GoUrl> {
    let s = txt(f, name);
    match super::values::parse_url(s) {
        Ok(u) => Some(u),
        Err(e) => {
            cx.err(val_at(f, name), code::URL, e);
            None
        }
    }
}

/// Role-like enum field: reports an unknown value with the upstream message.
pub fn role(
    cx: &mut Cx<'_>,
    f: &Fields<'_>,
    name: &str,
    allowed: &[&str],
    unknown: impl FnOnce(&str) -> String,
) -> Option<String> {
    let n = f.get_raw(name)?;
    let s = n.scalar_text().unwrap_or("");
    if n.is_null() {
        return Some(String::new());
    }
    if allowed.contains(&s) {
        return Some(s.to_string());
    }
    let mut d = crate::lint::Diagnostic::error(cx.path, n.pos, code::SD_CONFIG, unknown(s));
    d = match crate::lint::schema::did_you_mean(s, allowed) {
        Some(h) => d.with_help(format!("did you mean `{h}`?")),
        None => d.with_help(format!("one of: {}", allowed.join(", "))),
    };
    cx.diags.push(d);
    None
}

// ---- file_sd ----

static FILE: Kind = Kind {
    key: "file_sd_configs",
    name: "file",
    fields: &[("files", T::Strs), ("refresh_interval", T::Dur)],
    http: HttpMode::None,
    check: check_file,
};

fn check_file(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    let files: Vec<(&str, Pos)> = f
        .get("files")
        .and_then(Node::as_seq)
        .map(|v| v.iter().map(|n| (n.scalar_text().unwrap_or(""), n.pos)).collect())
        .unwrap_or_default();
    if files.is_empty() {
        cx.err(
            at(f, "files"),
            code::SD_CONFIG,
            "file service discovery config must contain at least one path name",
        );
    }
    for (name, pos) in files {
        if !valid_file_sd_name(name) {
            cx.err_help(
                pos,
                code::SD_CONFIG,
                format!("path name {name:?} is not valid for file discovery"),
                "file_sd files end in .json, .yml or .yaml; `*` may appear only in the last path element",
            );
        }
    }
}

/// `^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$`.
pub fn valid_file_sd_name(s: &str) -> bool {
    let Some((stem, ext)) = s.rsplit_once('.') else { return false };
    if !["json", "yml", "yaml", "JSON", "YML", "YAML"].contains(&ext) {
        return false;
    }
    valid_star_path(stem)
}

/// `^[^*]*(\*[^/]*)?$`: at most one `*`-containing tail, in the last path element.
pub fn valid_star_path(s: &str) -> bool {
    match s.find('*') {
        None => true,
        Some(i) => !s[i + 1..].contains('/') && !s[i + 1..].contains('*'),
    }
}

// ---- static_configs ----

fn check_static(cx: &mut Cx<'_>, node: &Node, out: &mut Vec<TargetGroup>) {
    let Some(items) = cx.list(node, "static_configs") else { return };
    for it in items {
        if it.is_null() {
            cx.err(it.pos, code::EMPTY_SECTION, "empty or null section in static_configs");
            continue;
        }
        if let Some(tg) = target_group(cx, it, "static_configs entry") {
            out.push(tg);
        }
    }
}

/// A target group: `targets` (strings) and `labels` (valid names and values).
pub fn target_group(cx: &mut Cx<'_>, node: &Node, what: &str) -> Option<TargetGroup> {
    let f = cx.map(node, what, &["targets", "labels"])?;
    let mut tg = TargetGroup::default();
    if let Some(t) = cx.strs(&f, "targets") {
        tg.targets = t.v.into_iter().map(|s| s.map(str::to_string)).collect();
    }
    if let Some(labels) = cx.str_map(&f, "labels") {
        for (k, v) in labels {
            if k.name.is_empty() {
                cx.err(k.pos, code::LABEL_NAME, format!("{:?} is not a valid label name", k.name));
                continue;
            }
            tg.labels.push((k.name.clone(), v.v.to_string()));
        }
    }
    Some(tg)
}
