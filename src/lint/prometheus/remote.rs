//! `remote_write` and `remote_read`: URL, headers, queue and metadata settings, the
//! authentication methods (HTTP client, SigV4, Azure AD, Google IAM) and their
//! exclusivity, write relabelling, unique names.

use std::collections::HashMap;

use crate::lint::schema::Fields;
use crate::yaml::{Node, Pos};

use super::code;
use super::cx::{Cx, Required, latest};
use super::{relabel, values};
use crate::lint::http_config::FIELDS as HTTP_FIELDS;

/// Headers remote write/read may not set (compared lower-cased).
const RESERVED_HEADERS: &[&str] = &[
    "host",
    "content-encoding",
    "content-length",
    "content-type",
    "user-agent",
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "www-authenticate",
    "accept-encoding",
    "x-prometheus-remote-write-version",
    "x-prometheus-remote-read-version",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
];

const PROTOBUF_MESSAGES: &[&str] = &["prometheus.WriteRequest", "io.prometheus.write.v2.Request"];

const WRITE_FIELDS: &[&str] = &[
    "url",
    "remote_timeout",
    "headers",
    "write_relabel_configs",
    "name",
    "send_exemplars",
    "send_native_histograms",
    "round_robin_dns",
    "protobuf_message",
    "failed_request_logging",
    "queue_config",
    "metadata_config",
    "sigv4",
    "azuread",
    "google_iam",
];

const READ_FIELDS: &[&str] = &[
    "url",
    "remote_timeout",
    "chunked_read_limit",
    "headers",
    "read_recent",
    "name",
    "required_matchers",
    "filter_external_labels",
];

/// Header checks of remote write/read (`validateHeaders`) and tracing
/// (`validateHeadersForTracing`, `tracing = true`).
pub fn check_headers(cx: &mut Cx<'_>, f: &Fields<'_>, tracing: bool) {
    let Some(headers) = cx.str_map(f, "headers") else { return };
    for (k, _) in headers {
        let lower = k.name.to_lowercase();
        if lower == "authorization" {
            if tracing {
                cx.err(
                    k.pos,
                    code::HEADER,
                    "custom authorization header configuration is not yet supported",
                );
            } else {
                cx.err(
                    k.pos,
                    code::HEADER,
                    "authorization header must be changed via the basic_auth, authorization, oauth2, sigv4, azuread or google_iam parameter",
                );
            }
        } else if RESERVED_HEADERS.contains(&lower.as_str()) {
            cx.err(
                k.pos,
                code::HEADER,
                format!("{} is a reserved header. It must not be changed", k.name),
            );
        }
    }
}

/// A required `url` (`config.URL`): null or absent is "empty".
fn required_url(cx: &mut Cx<'_>, f: &Fields<'_>, section: &str) {
    if f.get("url").is_none() {
        cx.err_help(
            f.key_pos("url").unwrap_or(f.pos()),
            code::REMOTE,
            format!("url for {section} is empty"),
            format!("every {section} entry needs `url:`"),
        );
    } else {
        cx.url(f, "url");
    }
}

pub fn check_remote_write(cx: &mut Cx<'_>, node: &Node) {
    let Some(items) = cx.list(node, "remote_write") else { return };
    let mut names: HashMap<String, Pos> = HashMap::new();
    for it in items {
        if it.is_null() {
            cx.err(it.pos, code::EMPTY_SECTION, "empty or null remote write config section");
            continue;
        }
        let mut known = WRITE_FIELDS.to_vec();
        known.extend_from_slice(HTTP_FIELDS);
        let Some(f) = cx.map(it, "remote_write entry", &known) else { continue };
        required_url(cx, &f, "remote_write");
        cx.duration(&f, "remote_timeout");
        check_headers(cx, &f, false);
        if let Some(name) = cx.set_str(&f, "name") {
            if let Some(first) = names.get(name.v) {
                cx.err_help(
                    name.pos,
                    code::REMOTE,
                    format!("found multiple remote write configs with job name {:?}", name.v),
                    format!("the first is at line {}", first.line),
                );
            } else {
                names.insert(name.v.to_string(), name.pos);
            }
        }
        for b in [
            "send_exemplars",
            "send_native_histograms",
            "round_robin_dns",
            "failed_request_logging",
        ] {
            cx.bool(&f, b);
        }
        if let Some(m) = cx.str(&f, "protobuf_message")
            && !PROTOBUF_MESSAGES.contains(&m.v)
        {
            cx.err(
                m.pos,
                code::REMOTE,
                format!(
                    "invalid protobuf_message value: unknown type for remote write protobuf message {}, supported: {}",
                    m.v,
                    PROTOBUF_MESSAGES.join(", ")
                ),
            );
        }
        if let Some(n) = f.get("write_relabel_configs") {
            let null = "empty or null relabeling rule in remote write config";
            let scheme = cx.scheme;
            relabel::check_list(cx, n, "write_relabel_configs", null, scheme);
        }
        let http = cx.http(&f, true, Required::Nothing);
        check_queue(cx, &f);
        if let Some(n) = f.get("metadata_config")
            && let Some(m) =
                cx.map(n, "metadata_config", &["send", "send_interval", "max_samples_per_send"])
        {
            cx.bool(&m, "send");
            cx.duration(&m, "send_interval");
            cx.int(&m, "max_samples_per_send");
        }
        let sigv4 = f.get("sigv4").map(|n| {
            check_sigv4(cx, n);
            f.key_pos("sigv4").unwrap_or(n.pos)
        });
        let azuread = f.get("azuread").map(|n| {
            check_azuread(cx, n);
            f.key_pos("azuread").unwrap_or(n.pos)
        });
        let google = f.get("google_iam").map(|n| {
            if let Some(g) = cx.map(n, "google_iam", &["credentials_file"]) {
                let cf = cx.str(&g, "credentials_file");
                cx.file_ref(cf, "google_iam credentials_file", false);
            }
            f.key_pos("google_iam").unwrap_or(n.pos)
        });
        let authorization =
            latest(&[http.authorization, http.bearer_token, http.bearer_token_file]);
        let configured: Vec<(&str, Pos)> = [
            ("basic_auth", http.basic_auth),
            ("authorization", authorization),
            ("oauth2", http.oauth2),
            ("sigv4", sigv4),
            ("azuread", azuread),
            ("google_iam", google),
        ]
        .into_iter()
        .filter_map(|(n, p)| p.map(|p| (n, p)))
        .collect();
        if configured.len() > 1 {
            let names: Vec<&str> = configured.iter().map(|(n, _)| *n).collect();
            let at = configured.iter().map(|(_, p)| *p).max().unwrap_or(f.pos());
            cx.err(
                at,
                code::AUTH_CONFLICT,
                format!(
                    "at most one of basic_auth, authorization, oauth2, sigv4, azuread or google_iam must be configured. Currently configured: [{}]",
                    names.join(" ")
                ),
            );
        }
    }
}

fn check_queue(cx: &mut Cx<'_>, f: &Fields<'_>) {
    let Some(raw) = f.get_raw("queue_config") else { return };
    let key = f.key_pos("queue_config").unwrap_or(raw.pos);
    // A null block zeroes every setting (Go's decoder), which the bounds reject.
    if raw.is_null() {
        cx.err(key, code::QUEUE_CONFIG, "remote write queue max_shards must be positive");
        return;
    }
    let Some(q) = cx.map(
        raw,
        "queue_config",
        &[
            "capacity",
            "max_shards",
            "min_shards",
            "max_samples_per_send",
            "batch_send_deadline",
            "min_backoff",
            "max_backoff",
            "retry_on_http_429",
            "sample_age_limit",
        ],
    ) else {
        return;
    };
    // Defaults, overridden by what is set; explicit null is zero.
    let int = |cx: &mut Cx<'_>, name: &str, default: i64| -> (i64, Pos) {
        let pos = q.key_pos(name).unwrap_or(key);
        match q.get_raw(name) {
            None => (default, pos),
            Some(n) if n.is_null() => (0, pos),
            Some(_) => (cx.int(&q, name).map_or(default, |v| v.v), pos),
        }
    };
    let (capacity, cap_pos) = int(cx, "capacity", 10_000);
    let (max_shards, max_pos) = int(cx, "max_shards", 50);
    let (min_shards, min_pos) = int(cx, "min_shards", 1);
    let (max_samples, ms_pos) = int(cx, "max_samples_per_send", 2000);
    cx.duration(&q, "batch_send_deadline");
    let dur = |cx: &mut Cx<'_>, name: &str, default: u64| -> (u64, Pos) {
        let pos = q.key_pos(name).unwrap_or(key);
        match q.get_raw(name) {
            None => (default, pos),
            Some(n) if n.is_null() => (0, pos),
            Some(_) => (cx.duration(&q, name).map_or(default, |v| v.v), pos),
        }
    };
    let (min_backoff, _) = dur(cx, "min_backoff", 30);
    let (max_backoff, mb_pos) = dur(cx, "max_backoff", 5_000);
    cx.bool(&q, "retry_on_http_429");
    cx.duration(&q, "sample_age_limit");

    if max_shards <= 0 {
        cx.err(max_pos, code::QUEUE_CONFIG, "remote write queue max_shards must be positive");
    }
    if min_shards <= 0 {
        cx.err(min_pos, code::QUEUE_CONFIG, "remote write queue min_shards must be positive");
    }
    if min_shards > max_shards && max_shards > 0 && min_shards > 0 {
        cx.err(
            min_pos.max(max_pos),
            code::QUEUE_CONFIG,
            "remote write queue min_shards must not be greater than max_shards",
        );
    }
    if max_samples <= 0 {
        cx.err(
            ms_pos,
            code::QUEUE_CONFIG,
            "remote write queue max_samples_per_send must be positive",
        );
    }
    if capacity <= 0 {
        cx.err(cap_pos, code::QUEUE_CONFIG, "remote write queue capacity must be positive");
    }
    if max_backoff < min_backoff {
        cx.err(
            mb_pos,
            code::QUEUE_CONFIG,
            "remote write queue max_backoff must not be less than min_backoff",
        );
    }
}

/// SigV4 signing settings (`sigv4:` of remote write and Alertmanager configs).
pub fn check_sigv4(cx: &mut Cx<'_>, n: &Node) {
    crate::lint::http_config::check_sigv4(&mut cx.ctx(), n, "sigv4");
}

fn check_azuread(cx: &mut Cx<'_>, n: &Node) {
    let Some(a) = cx.map(
        n,
        "azuread",
        &["managed_identity", "workload_identity", "oauth", "sdk", "certificate", "cloud", "scope"],
    ) else {
        return;
    };
    if let Some(c) = cx.str(&a, "cloud")
        && !c.v.is_empty()
        && !["AzureChina", "AzureGovernment", "AzurePublic"].contains(&c.v)
    {
        cx.err(c.pos, code::AUTH, "must provide a cloud in the Azure AD config");
    }
    let methods = ["managed_identity", "workload_identity", "oauth", "sdk", "certificate"];
    let set: Vec<&str> = methods.iter().copied().filter(|m| a.get(m).is_some()).collect();
    if set.is_empty() {
        cx.err(
            a.pos(),
            code::AUTH,
            "must provide an Azure Managed Identity, Azure Workload Identity, Azure OAuth, Azure Certificate or Azure SDK in the Azure AD config",
        );
    } else if set.len() > 1 {
        let at = set.iter().filter_map(|m| a.key_pos(m)).max().unwrap_or(a.pos());
        cx.err(
            at,
            code::AUTH_CONFLICT,
            "cannot provide multiple authentication methods in the Azure AD config",
        );
    }
    let sub = |cx: &mut Cx<'_>, name: &str, fields: &[&str]| -> Option<Fields<'_>> {
        let n = a.get(name)?;
        cx.map(n, name, fields)
    };
    if let Some(m) = sub(cx, "managed_identity", &["client_id"])
        && let Some(id) = cx.set_str(&m, "client_id")
        && !values::go_uuid_parses(id.v)
    {
        cx.err(id.pos, code::AUTH, "the provided Azure Managed Identity client_id is invalid");
    }
    if let Some(w) = sub(cx, "workload_identity", &["client_id", "tenant_id", "token_file_path"]) {
        let id = cx.set_str(&w, "client_id");
        let tenant = cx.set_str(&w, "tenant_id");
        let tf = cx.set_str(&w, "token_file_path");
        cx.file_ref(tf, "azuread workload_identity token_file_path", false);
        match id {
            None => cx.err(
                w.pos(),
                code::AUTH,
                "must provide an Azure Workload Identity client_id in the Azure AD config",
            ),
            Some(i) if !values::go_uuid_parses(i.v) => cx.err(
                i.pos,
                code::AUTH,
                "the provided Azure Workload Identity client_id is invalid",
            ),
            _ => {}
        }
        match tenant {
            None => cx.err(
                w.pos(),
                code::AUTH,
                "must provide an Azure Workload Identity tenant_id in the Azure AD config",
            ),
            Some(t) if !values::go_uuid_parses(t.v) => cx.err(
                t.pos,
                code::AUTH,
                "the provided Azure Workload Identity tenant_id is invalid",
            ),
            _ => {}
        }
    }
    if let Some(o) = sub(cx, "oauth", &["client_id", "client_secret", "tenant_id"]) {
        let id = cx.set_str(&o, "client_id");
        let secret = cx.set_str(&o, "client_secret");
        let tenant = cx.set_str(&o, "tenant_id");
        match id {
            None => cx.err(
                o.pos(),
                code::AUTH,
                "must provide an Azure OAuth client_id in the Azure AD config",
            ),
            Some(i) if !values::go_uuid_parses(i.v) => {
                cx.err(i.pos, code::AUTH, "the provided Azure OAuth client_id is invalid")
            }
            _ => {}
        }
        if secret.is_none() {
            cx.err(
                o.pos(),
                code::AUTH,
                "must provide an Azure OAuth client_secret in the Azure AD config",
            );
        }
        if tenant.is_none() {
            cx.err(
                o.pos(),
                code::AUTH,
                "must provide an Azure OAuth tenant_id in the Azure AD config",
            );
        }
    }
    if let Some(s) = sub(cx, "sdk", &["tenant_id"]) {
        cx.str(&s, "tenant_id");
    }
    if let Some(c) = sub(
        cx,
        "certificate",
        &[
            "client_id",
            "tenant_id",
            "certificate_path",
            "certificate_key_path",
            "certificate_password",
            "send_certificate_chain",
        ],
    ) {
        let id = cx.set_str(&c, "client_id");
        let tenant = cx.set_str(&c, "tenant_id");
        let path = cx.set_str(&c, "certificate_path");
        let key_path = cx.set_str(&c, "certificate_key_path");
        cx.str(&c, "certificate_password");
        cx.bool(&c, "send_certificate_chain");
        cx.file_ref(path, "azuread certificate_path", false);
        cx.file_ref(key_path, "azuread certificate_key_path", false);
        match id {
            None => cx.err(
                c.pos(),
                code::AUTH,
                "must provide an Azure Certificate client_id in the Azure AD config",
            ),
            Some(i) if !values::go_uuid_parses(i.v) => {
                cx.err(i.pos, code::AUTH, "the provided Azure Certificate client_id is invalid")
            }
            _ => {}
        }
        if tenant.is_none() {
            cx.err(
                c.pos(),
                code::AUTH,
                "must provide an Azure Certificate tenant_id in the Azure AD config",
            );
        }
        if path.is_none() {
            cx.err(
                c.pos(),
                code::AUTH,
                "must provide an Azure Certificate certificate_path in the Azure AD config",
            );
        }
    }
    if let Some(s) = cx.set_str(&a, "scope")
        && !s
            .v
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c.is_whitespace() || ":/.-".contains(c))
    {
        cx.err(s.pos, code::AUTH, "the provided scope contains invalid characters");
    }
}

pub fn check_remote_read(cx: &mut Cx<'_>, node: &Node) {
    let Some(items) = cx.list(node, "remote_read") else { return };
    let mut names: HashMap<String, Pos> = HashMap::new();
    for it in items {
        if it.is_null() {
            cx.err(it.pos, code::EMPTY_SECTION, "empty or null remote read config section");
            continue;
        }
        let mut known = READ_FIELDS.to_vec();
        known.extend_from_slice(HTTP_FIELDS);
        let Some(f) = cx.map(it, "remote_read entry", &known) else { continue };
        required_url(cx, &f, "remote_read");
        cx.duration(&f, "remote_timeout");
        cx.uint(&f, "chunked_read_limit");
        check_headers(cx, &f, false);
        cx.bool(&f, "read_recent");
        cx.bool(&f, "filter_external_labels");
        if let Some(name) = cx.set_str(&f, "name") {
            if let Some(first) = names.get(name.v) {
                cx.err_help(
                    name.pos,
                    code::REMOTE,
                    format!("found multiple remote read configs with job name {:?}", name.v),
                    format!("the first is at line {}", first.line),
                );
            } else {
                names.insert(name.v.to_string(), name.pos);
            }
        }
        if let Some(m) = cx.str_map(&f, "required_matchers") {
            for (k, _) in m {
                if k.name.is_empty() {
                    cx.err(k.pos, code::LABEL_NAME, "\"\" is not a valid label name");
                }
            }
        }
        cx.http(&f, true, Required::Nothing);
    }
}
