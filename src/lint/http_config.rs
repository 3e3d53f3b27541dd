//! The HTTP client configuration shared by Prometheus and Alertmanager
//! (`prometheus/common` `HTTPClientConfig`, `TLSConfig`, `ProxyConfig`, `OAuth2`, `Headers`):
//! its strict schema and the load-time rules (authentication methods are mutually exclusive,
//! a secret and its `_file` variant are exclusive, a client certificate needs its key, proxy
//! settings go together, reserved headers cannot be set).
//!
//! Self-contained on purpose: both checkers call it. The caller decides how to report secrets
//! written inline and which referenced files to check: they come back in [`HttpFacts`].

use crate::lint::checks::Check;
use crate::lint::diagnostic::Severity;
use crate::lint::schema::{self, Ctx, Fields};
use crate::yaml::{Node, Pos};

/// Mutually exclusive settings are both set.
pub const CONFLICT: &str = "http-config/conflict";
/// A setting needs another one that is missing.
pub const INCOMPLETE: &str = "http-config/incomplete";
/// A header the client manages itself.
pub const RESERVED_HEADER: &str = "http-config/reserved-header";

pub const CHECKS: &[Check] = &[
    Check {
        id: CONFLICT,
        severity: Severity::Error,
        summary: "HTTP client: mutually exclusive settings (two authentication methods, a secret and its _file, proxy_url with proxy_from_environment, ...).",
    },
    Check {
        id: INCOMPLETE,
        severity: Severity::Error,
        summary: "HTTP client: a setting needs another (TLS cert without key, oauth2 without client_id/token_url, no_proxy without proxy_url, ...).",
    },
    Check {
        id: RESERVED_HEADER,
        severity: Severity::Error,
        summary: "HTTP client: http_headers sets a header the client manages itself (Authorization, Host, User-Agent, ...).",
    },
];

/// The keys of an HTTP client configuration (for callers whose objects inline it).
pub const FIELDS: &[&str] = &[
    "basic_auth",
    "authorization",
    "oauth2",
    "bearer_token",
    "bearer_token_file",
    "tls_config",
    "follow_redirects",
    "enable_http2",
    "proxy_url",
    "no_proxy",
    "proxy_from_environment",
    "proxy_connect_header",
    "http_headers",
];

const TLS_FIELDS: &[&str] = &[
    "ca",
    "cert",
    "key",
    "ca_file",
    "cert_file",
    "key_file",
    "ca_ref",
    "cert_ref",
    "key_ref",
    "server_name",
    "insecure_skip_verify",
    "min_version",
    "max_version",
];

const PROXY_FIELDS: &[&str] =
    &["proxy_url", "no_proxy", "proxy_from_environment", "proxy_connect_header"];

const TLS_VERSIONS: &[&str] = &["TLS10", "TLS11", "TLS12", "TLS13"];

/// Headers the HTTP client sets itself (canonical form).
const RESERVED_HEADERS: &[&str] = &[
    "Authorization",
    "Host",
    "Content-Encoding",
    "Content-Length",
    "Content-Type",
    "User-Agent",
    "Connection",
    "Keep-Alive",
    "Proxy-Authenticate",
    "Proxy-Authorization",
    "Www-Authenticate",
    "Accept-Encoding",
    "X-Prometheus-Remote-Write-Version",
    "X-Prometheus-Remote-Read-Version",
    "X-Prometheus-Scrape-Timeout-Seconds",
    "X-Amz-Date",
    "X-Amz-Security-Token",
    "X-Amz-Content-Sha256",
];

/// A secret written inline in the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineSecret {
    /// The field as written, dotted from the HTTP config (`basic_auth.password`).
    pub field: String,
    /// Where the value is.
    pub pos: Pos,
    /// The field to use instead, reading the secret from a file, when there is one.
    pub file_field: Option<String>,
}

/// A file the configuration refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRef {
    /// Dotted field name (`tls_config.ca_file`).
    pub field: String,
    /// The path as written.
    pub path: String,
    pub pos: Pos,
    /// A credential read when a request is made (not at load): a missing file is a
    /// runtime failure, not a load failure.
    pub secret: bool,
}

/// What the HTTP client configuration sets, for the caller's own rules.
#[derive(Debug, Clone, Default)]
pub struct HttpFacts {
    /// `authorization`, or `bearer_token`/`bearer_token_file` (which the loader turns into
    /// an `authorization` of type Bearer).
    pub authorization: bool,
    pub basic_auth: bool,
    pub oauth2: bool,
    /// `proxy_url` is set.
    pub proxy_url: bool,
    pub secrets: Vec<InlineSecret>,
    pub files: Vec<FileRef>,
}

/// Check an HTTP client configuration mapping (`http_config:`). `what` names it in messages.
pub fn check(ctx: &mut Ctx<'_>, node: &Node, what: &str) -> HttpFacts {
    match ctx.map(node, what, FIELDS) {
        Some(f) => check_fields(ctx, &f, what),
        None => HttpFacts::default(),
    }
}

/// Check the HTTP client keys of a mapping that inlines them among its own keys (Prometheus
/// scrape configs, service discoveries). Unknown-field checking is the caller's (`ctx.map`
/// with [`FIELDS`] added to its own).
pub fn check_fields(ctx: &mut Ctx<'_>, f: &Fields<'_>, what: &str) -> HttpFacts {
    let mut facts = HttpFacts::default();
    let bearer = str_field(ctx, f, "bearer_token", what);
    let bearer_file = str_field(ctx, f, "bearer_token_file", what);
    if let Some((v, p)) = &bearer
        && !v.is_empty()
    {
        facts.secrets.push(secret("bearer_token", *p, Some("bearer_token_file")));
    }
    if let Some((v, p)) = &bearer_file
        && !v.is_empty()
    {
        facts.files.push(file("bearer_token_file", v, *p, true));
    }
    let has_bearer = bearer.as_ref().is_some_and(|(v, _)| !v.is_empty());
    let has_bearer_file = bearer_file.as_ref().is_some_and(|(v, _)| !v.is_empty());
    if has_bearer && has_bearer_file {
        ctx.error(
            key_or(f, "bearer_token_file"),
            CONFLICT,
            format!("{what}: at most one of bearer_token & bearer_token_file must be configured"),
        );
    }

    let basic = f.get("basic_auth");
    let oauth2 = f.get("oauth2");
    let authz = f.get("authorization");
    facts.basic_auth = basic.is_some();
    facts.oauth2 = oauth2.is_some();

    if let Some(b) = basic {
        check_basic_auth(ctx, b, what, &mut facts);
    }
    if (basic.is_some() || oauth2.is_some()) && (has_bearer || has_bearer_file) {
        let at = if has_bearer { "bearer_token" } else { "bearer_token_file" };
        ctx.error(
            key_or(f, at),
            CONFLICT,
            format!(
                "{what}: at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured"
            ),
        );
    }
    if let Some(a) = authz {
        facts.authorization = true;
        if has_bearer || has_bearer_file {
            ctx.error(
                key_or(f, "authorization"),
                CONFLICT,
                format!(
                    "{what}: authorization is not compatible with bearer_token & bearer_token_file"
                ),
            );
        }
        check_authorization(ctx, a, what, &mut facts);
        if basic.is_some() || oauth2.is_some() {
            ctx.error(
                key_or(f, "authorization"),
                CONFLICT,
                format!(
                    "{what}: at most one of basic_auth, oauth2 & authorization must be configured"
                ),
            );
        }
    } else if has_bearer || has_bearer_file {
        facts.authorization = true;
    }
    if let Some(o) = oauth2 {
        if basic.is_some() && authz.is_none() {
            ctx.error(
                key_or(f, "oauth2"),
                CONFLICT,
                format!(
                    "{what}: at most one of basic_auth, oauth2 & authorization must be configured"
                ),
            );
        }
        check_oauth2(ctx, o, what, &mut facts);
    }
    if let Some(t) = f.get("tls_config") {
        let tls = check_tls(ctx, t, &format!("{what}: tls_config"));
        for mut r in tls.files {
            r.field = format!("tls_config.{}", r.field);
            facts.files.push(r);
        }
        for mut s in tls.secrets {
            s.field = format!("tls_config.{}", s.field);
            s.file_field = s.file_field.map(|x| format!("tls_config.{x}"));
            facts.secrets.push(s);
        }
    }
    for b in ["follow_redirects", "enable_http2"] {
        if let Some(n) = f.get(b) {
            ctx.bool(n, &format!("{what}: {b}"));
        }
    }
    facts.proxy_url = check_proxy(ctx, f, what, &mut facts);
    if let Some(h) = f.get("http_headers") {
        check_headers(ctx, h, what, &mut facts);
    }
    facts
}

/// Check a TLS configuration (`tls_config:`, `smtp_tls_config:`). Its inline `key` is
/// reported in `secrets`, its files in `files`.
pub fn check_tls(ctx: &mut Ctx<'_>, node: &Node, what: &str) -> HttpFacts {
    let mut facts = HttpFacts::default();
    let Some(f) = ctx.map(node, what, TLS_FIELDS) else {
        return facts;
    };
    let set = |ctx: &mut Ctx<'_>, name: &str| -> bool {
        str_field(ctx, &f, name, what).is_some_and(|(v, _)| !v.is_empty())
    };
    let ca = [set(ctx, "ca"), set(ctx, "ca_file"), set(ctx, "ca_ref")];
    let cert = [set(ctx, "cert"), set(ctx, "cert_file"), set(ctx, "cert_ref")];
    let key = [set(ctx, "key"), set(ctx, "key_file"), set(ctx, "key_ref")];
    let count = |v: &[bool; 3]| v.iter().filter(|b| **b).count();
    if count(&ca) > 1 {
        ctx.error(
            f.pos(),
            CONFLICT,
            format!("{what}: at most one of ca, ca_file & ca_ref must be configured"),
        );
    }
    if count(&cert) > 1 {
        ctx.error(
            f.pos(),
            CONFLICT,
            format!("{what}: at most one of cert, cert_file & cert_ref must be configured"),
        );
    }
    if count(&key) > 1 {
        ctx.error(
            f.pos(),
            CONFLICT,
            format!("{what}: at most one of key and key_file must be configured"),
        );
    }
    let using_cert = count(&cert) > 0;
    let using_key = count(&key) > 0;
    if using_cert && !using_key {
        ctx.error(
            f.pos(),
            INCOMPLETE,
            format!(
                "{what}: exactly one of key or key_file must be configured when a client certificate is configured"
            ),
        );
    } else if using_key && !using_cert {
        ctx.error(
            f.pos(),
            INCOMPLETE,
            format!("{what}: exactly one of cert or cert_file must be configured when a client key is configured"),
        );
    }
    if let Some(k) = f.get("key")
        && k.scalar_text().is_some_and(|s| !s.is_empty())
    {
        facts.secrets.push(secret("key", k.pos, Some("key_file")));
    }
    for name in ["ca_file", "cert_file", "key_file"] {
        if let Some(n) = f.get(name)
            && let Some(s) = n.scalar_text()
            && !s.is_empty()
        {
            facts.files.push(file(name, s, n.pos, false));
        }
    }
    if let Some(n) = f.get("server_name") {
        ctx.string(n, &format!("{what}: server_name"));
    }
    if let Some(n) = f.get("insecure_skip_verify") {
        ctx.bool(n, &format!("{what}: insecure_skip_verify"));
    }
    let mut versions = Vec::new();
    for v in ["min_version", "max_version"] {
        if let Some(n) = f.get(v) {
            let s = ctx.string(n, &format!("{what}: {v}"));
            match s {
                Some(s) if TLS_VERSIONS.contains(&s) => versions.push(s),
                Some(s) => ctx.error(
                    n.pos,
                    schema::BAD_VALUE,
                    format!(
                        "{what}: unknown TLS version: {s} (one of {})",
                        TLS_VERSIONS.join(", ")
                    ),
                ),
                None => {}
            }
        }
    }
    facts
}

fn check_basic_auth(ctx: &mut Ctx<'_>, node: &Node, what: &str, facts: &mut HttpFacts) {
    let w = format!("{what}: basic_auth");
    let Some(f) = ctx.map(
        node,
        &w,
        &["username", "username_file", "username_ref", "password", "password_file", "password_ref"],
    ) else {
        return;
    };
    let user = [
        str_field(ctx, &f, "username", &w),
        str_field(ctx, &f, "username_file", &w),
        str_field(ctx, &f, "username_ref", &w),
    ];
    let pass = [
        str_field(ctx, &f, "password", &w),
        str_field(ctx, &f, "password_file", &w),
        str_field(ctx, &f, "password_ref", &w),
    ];
    let set = |v: &Option<(String, Pos)>| v.as_ref().is_some_and(|(s, _)| !s.is_empty());
    if user.iter().filter(|v| set(v)).count() > 1 {
        ctx.error(
            f.pos(),
            CONFLICT,
            format!("{what}: at most one of basic_auth username, username_file & username_ref must be configured"),
        );
    }
    if pass.iter().filter(|v| set(v)).count() > 1 {
        ctx.error(
            f.pos(),
            CONFLICT,
            format!("{what}: at most one of basic_auth password, password_file & password_ref must be configured"),
        );
    }
    if let Some((s, p)) = &pass[0]
        && !s.is_empty()
    {
        facts.secrets.push(secret("basic_auth.password", *p, Some("basic_auth.password_file")));
    }
    if let Some((s, p)) = &pass[1]
        && !s.is_empty()
    {
        facts.files.push(file("basic_auth.password_file", s, *p, true));
    }
    if let Some((s, p)) = &user[1]
        && !s.is_empty()
    {
        facts.files.push(file("basic_auth.username_file", s, *p, true));
    }
}

fn check_authorization(ctx: &mut Ctx<'_>, node: &Node, what: &str, facts: &mut HttpFacts) {
    let w = format!("{what}: authorization");
    let Some(f) =
        ctx.map(node, &w, &["type", "credentials", "credentials_file", "credentials_ref"])
    else {
        return;
    };
    let cred = str_field(ctx, &f, "credentials", &w);
    let cred_file = str_field(ctx, &f, "credentials_file", &w);
    let cred_ref = str_field(ctx, &f, "credentials_ref", &w);
    let set = |v: &Option<(String, Pos)>| v.as_ref().is_some_and(|(s, _)| !s.is_empty());
    if [&cred, &cred_file, &cred_ref].iter().filter(|v| set(v)).count() > 1 {
        ctx.error(
            f.pos(),
            CONFLICT,
            format!("{what}: at most one of authorization credentials & credentials_file must be configured"),
        );
    }
    if let Some((t, p)) = str_field(ctx, &f, "type", &w)
        && t.trim().eq_ignore_ascii_case("basic")
    {
        ctx.error(
            p,
            CONFLICT,
            format!(
                r#"{what}: authorization type cannot be set to "basic", use "basic_auth" instead"#
            ),
        );
    }
    if let Some((s, p)) = &cred
        && !s.is_empty()
    {
        facts.secrets.push(secret(
            "authorization.credentials",
            *p,
            Some("authorization.credentials_file"),
        ));
    }
    if let Some((s, p)) = &cred_file
        && !s.is_empty()
    {
        facts.files.push(file("authorization.credentials_file", s, *p, true));
    }
}

fn check_oauth2(ctx: &mut Ctx<'_>, node: &Node, what: &str, facts: &mut HttpFacts) {
    let w = format!("{what}: oauth2");
    let mut known = vec![
        "client_id",
        "client_secret",
        "client_secret_file",
        "client_secret_ref",
        "client_certificate_key_id",
        "client_certificate_key",
        "client_certificate_key_file",
        "client_certificate_key_ref",
        "grant_type",
        "signature_algorithm",
        "iss",
        "audience",
        "claims",
        "scopes",
        "token_url",
        "endpoint_params",
        "tls_config",
    ];
    known.extend_from_slice(PROXY_FIELDS);
    let Some(f) = ctx.map(node, &w, &known) else {
        return;
    };
    let s = |ctx: &mut Ctx<'_>, name: &str| str_field(ctx, &f, name, &w);
    let client_id = s(ctx, "client_id");
    let token_url = s(ctx, "token_url");
    let grant = s(ctx, "grant_type");
    let set = |v: &Option<(String, Pos)>| v.as_ref().is_some_and(|(s, _)| !s.is_empty());
    if !set(&client_id) {
        ctx.error(f.pos(), INCOMPLETE, format!("{what}: oauth2 client_id must be configured"));
    }
    if !set(&token_url) {
        ctx.error(f.pos(), INCOMPLETE, format!("{what}: oauth2 token_url must be configured"));
    }
    let jwt =
        grant.as_ref().is_some_and(|(g, _)| g == "urn:ietf:params:oauth:grant-type:jwt-bearer");
    let secret_v = s(ctx, "client_secret");
    let secret_f = s(ctx, "client_secret_file");
    let secret_r = s(ctx, "client_secret_ref");
    let key_v = s(ctx, "client_certificate_key");
    let key_f = s(ctx, "client_certificate_key_file");
    let key_r = s(ctx, "client_certificate_key_ref");
    if jwt {
        if [&key_v, &key_f, &key_r].iter().filter(|v| set(v)).count() > 1 {
            ctx.error(
                f.pos(),
                CONFLICT,
                format!(
                    "{what}: at most one of oauth2 client_certificate_key, client_certificate_key_file & client_certificate_key_ref must be configured using grant-type=urn:ietf:params:oauth:grant-type:jwt-bearer"
                ),
            );
        }
        if let Some((alg, p)) = s(ctx, "signature_algorithm")
            && !alg.is_empty()
            && !["RS256", "RS384", "RS512"].contains(&alg.as_str())
        {
            ctx.error(
                p,
                schema::BAD_VALUE,
                format!("{what}: valid signature algorithms are RS256, RS384 and RS512"),
            );
        }
    } else if [&secret_v, &secret_f, &secret_r].iter().filter(|v| set(v)).count() > 1 {
        ctx.error(
            f.pos(),
            CONFLICT,
            format!(
                "{what}: at most one of oauth2 client_secret, client_secret_file & client_secret_ref must be configured using grant-type=client_credentials"
            ),
        );
    }
    for n in ["client_certificate_key_id", "iss", "audience"] {
        s(ctx, n);
    }
    if let Some((v, p)) = &secret_v
        && !v.is_empty()
    {
        facts.secrets.push(secret("oauth2.client_secret", *p, Some("oauth2.client_secret_file")));
    }
    if let Some((v, p)) = &key_v
        && !v.is_empty()
    {
        facts.secrets.push(secret(
            "oauth2.client_certificate_key",
            *p,
            Some("oauth2.client_certificate_key_file"),
        ));
    }
    if let Some((v, p)) = &secret_f
        && !v.is_empty()
    {
        facts.files.push(file("oauth2.client_secret_file", v, *p, true));
    }
    if let Some((v, p)) = &key_f
        && !v.is_empty()
    {
        facts.files.push(file("oauth2.client_certificate_key_file", v, *p, true));
    }
    if let Some(n) = f.get("scopes") {
        ctx.strings(n, &format!("{w}: scopes"));
    }
    if let Some(n) = f.get("endpoint_params")
        && let Some(m) = ctx.free_map(n, &format!("{w}: endpoint_params"))
    {
        for (k, v) in m {
            ctx.string(v, &format!("{w}: endpoint_params.{}", k.name));
        }
    }
    if let Some(n) = f.get("claims") {
        ctx.free_map(n, &format!("{w}: claims"));
    }
    if let Some(t) = f.get("tls_config") {
        let tls = check_tls(ctx, t, &format!("{w}: tls_config"));
        for mut r in tls.files {
            r.field = format!("oauth2.tls_config.{}", r.field);
            facts.files.push(r);
        }
        for mut sct in tls.secrets {
            sct.field = format!("oauth2.tls_config.{}", sct.field);
            sct.file_field = sct.file_field.map(|x| format!("oauth2.tls_config.{x}"));
            facts.secrets.push(sct);
        }
    }
    let mut sub = HttpFacts::default();
    check_proxy(ctx, &f, &w, &mut sub);
    facts.secrets.extend(sub.secrets);
}

/// The proxy settings (inline in HTTP client and OAuth2 configs). Returns whether
/// `proxy_url` is set.
fn check_proxy(ctx: &mut Ctx<'_>, f: &Fields<'_>, what: &str, facts: &mut HttpFacts) -> bool {
    let mut proxy_url = false;
    if let Some(n) = f.get("proxy_url")
        && let Some(s) = ctx.string(n, &format!("{what}: proxy_url"))
    {
        if let Err(e) = parse_any_url(s) {
            ctx.error(n.pos, schema::BAD_VALUE, format!("{what}: proxy_url: {e}"));
        }
        proxy_url = !s.is_empty();
        if let Some(at) = userinfo_password(s) {
            let _ = at;
            facts.secrets.push(secret("proxy_url", n.pos, None));
        }
    }
    let no_proxy = f
        .get("no_proxy")
        .and_then(|n| ctx.string(n, &format!("{what}: no_proxy")))
        .is_some_and(|s| !s.is_empty());
    let from_env = f
        .get("proxy_from_environment")
        .and_then(|n| ctx.bool(n, &format!("{what}: proxy_from_environment")))
        .unwrap_or(false);
    let mut connect_header = false;
    if let Some(n) = f.get("proxy_connect_header")
        && let Some(m) = ctx.free_map(n, &format!("{what}: proxy_connect_header"))
    {
        connect_header = !m.is_empty();
        for (k, v) in m {
            if let Some(items) = ctx.strings(v, &format!("{what}: proxy_connect_header.{}", k.name))
            {
                for (s, p) in items {
                    if !s.is_empty() {
                        facts.secrets.push(secret(
                            &format!("proxy_connect_header.{}", k.name),
                            p,
                            None,
                        ));
                    }
                }
            }
        }
    }
    if connect_header && !from_env && !proxy_url {
        ctx.error(
            key_or(f, "proxy_connect_header"),
            INCOMPLETE,
            format!(
                "{what}: if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured"
            ),
        );
    }
    if from_env && proxy_url {
        ctx.error(
            key_or(f, "proxy_from_environment"),
            CONFLICT,
            format!(
                "{what}: if proxy_from_environment is configured, proxy_url must not be configured"
            ),
        );
    }
    if from_env && no_proxy {
        ctx.error(
            key_or(f, "no_proxy"),
            CONFLICT,
            format!(
                "{what}: if proxy_from_environment is configured, no_proxy must not be configured"
            ),
        );
    }
    if no_proxy && f.get("proxy_url").is_none() {
        ctx.error(
            key_or(f, "no_proxy"),
            INCOMPLETE,
            format!("{what}: if no_proxy is configured, proxy_url must also be configured"),
        );
    }
    proxy_url
}

fn check_headers(ctx: &mut Ctx<'_>, node: &Node, what: &str, facts: &mut HttpFacts) {
    let w = format!("{what}: http_headers");
    let Some(m) = ctx.free_map(node, &w) else {
        return;
    };
    for (k, v) in m {
        let canon = canonical_header(&k.name);
        if RESERVED_HEADERS.contains(&canon.as_str()) {
            ctx.error(
                k.pos,
                RESERVED_HEADER,
                format!("{w}: setting header {canon:?} is not allowed"),
            );
        }
        let hw = format!("{w}: {}", k.name);
        let Some(hf) = ctx.map(v, &hw, &["values", "secrets", "files"]) else {
            continue;
        };
        if let Some(n) = hf.get("values") {
            ctx.strings(n, &format!("{hw}: values"));
        }
        if let Some(n) = hf.get("secrets")
            && let Some(items) = ctx.strings(n, &format!("{hw}: secrets"))
        {
            for (s, p) in items {
                if !s.is_empty() {
                    facts.secrets.push(secret(
                        &format!("http_headers.{}.secrets", k.name),
                        p,
                        Some(&format!("http_headers.{}.files", k.name)),
                    ));
                }
            }
        }
        if let Some(n) = hf.get("files")
            && let Some(items) = ctx.strings(n, &format!("{hw}: files"))
        {
            for (s, p) in items {
                facts.files.push(file(&format!("http_headers.{}.files", k.name), s, p, true));
            }
        }
    }
}

/// Go's `http.CanonicalHeaderKey`: first letter and letters after '-' upper case, the rest
/// lower case (only for valid token names; others are returned unchanged).
pub fn canonical_header(h: &str) -> String {
    let valid = !h.is_empty()
        && h.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if !valid {
        return h.to_string();
    }
    let mut out = String::with_capacity(h.len());
    let mut upper = true;
    for c in h.chars() {
        out.push(if upper { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() });
        upper = c == '-';
    }
    out
}

/// Go's `url.Parse` acceptance, roughly: no control characters or spaces, a port (if any)
/// made of digits. Relative references are accepted, as Go does.
pub fn parse_any_url(s: &str) -> Result<(), String> {
    if s.chars().any(|c| c.is_control()) {
        return Err(format!("parse {s:?}: net/url: invalid control character in URL"));
    }
    if s.starts_with(':') {
        return Err(format!("parse {s:?}: missing protocol scheme"));
    }
    if let Some(i) = s.find("://") {
        let rest = &s[i + 3..];
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..end];
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        check_host(s, host)?;
    }
    Ok(())
}

/// Validate a URL authority's host[:port] as Go's url.Parse does (simplified).
pub fn check_host(full: &str, host: &str) -> Result<(), String> {
    let (h, port) = if let Some(rest) = host.strip_prefix('[') {
        match rest.find(']') {
            Some(i) => (&rest[..i], rest[i + 1..].strip_prefix(':')),
            None => return Err(format!("parse {full:?}: missing ']' in host")),
        }
    } else {
        match host.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host, None),
        }
    };
    if let Some(p) = port
        && !p.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(format!("parse {full:?}: invalid port \":{p}\" after host"));
    }
    if let Some(c) = h.chars().find(|c| c.is_whitespace() || "<>\"{}|\\^`".contains(*c)) {
        return Err(format!("parse {full:?}: invalid character {:?} in host name", c.to_string()));
    }
    Ok(())
}

/// The password part of a URL's user info, when there is one (`http://u:p@host`).
fn userinfo_password(s: &str) -> Option<&str> {
    let rest = &s[s.find("://")? + 3..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (user, _) = rest[..end].rsplit_once('@')?;
    user.split_once(':').map(|(_, p)| p).filter(|p| !p.is_empty())
}

fn str_field(ctx: &mut Ctx<'_>, f: &Fields<'_>, name: &str, what: &str) -> Option<(String, Pos)> {
    let n = f.get(name)?;
    ctx.string(n, &format!("{what}: {name}")).map(|s| (s.to_string(), n.pos))
}

fn key_or(f: &Fields<'_>, name: &str) -> Pos {
    f.key_pos(name).unwrap_or(f.pos())
}

fn secret(field: &str, pos: Pos, file_field: Option<&str>) -> InlineSecret {
    InlineSecret { field: field.to_string(), pos, file_field: file_field.map(str::to_string) }
}

fn file(field: &str, path: &str, pos: Pos, secret: bool) -> FileRef {
    FileRef { field: field.to_string(), path: path.to_string(), pos, secret }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Diagnostic;
    use crate::yaml::parse;

    fn run(y: &str) -> (Vec<Diagnostic>, HttpFacts) {
        let n = parse(y).expect("yaml");
        let mut diags = Vec::new();
        let mut ctx = Ctx::new("h.yml", &mut diags);
        let facts = check(&mut ctx, &n, "http_config");
        (diags, facts)
    }

    #[test]
    fn auth_methods_are_exclusive() {
        let (d, _) = run("basic_auth: {username: u}\nbearer_token: t\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, CONFLICT);
        assert_eq!((d[0].line, d[0].column), (2, 1));
        assert!(d[0].message.contains("at most one of basic_auth, oauth2, bearer_token"));

        let (d, _) = run("basic_auth: {username: u}\nauthorization: {credentials: x}\n");
        assert!(
            d.iter()
                .any(|x| x.message.contains("at most one of basic_auth, oauth2 & authorization"))
        );

        let (d, _) = run("authorization: {type: Basic, credentials: x}\n");
        assert!(d.iter().any(|x| x.message.contains(r#"cannot be set to "basic""#)), "{d:?}");
    }

    #[test]
    fn secret_and_file_are_exclusive_and_secrets_are_collected() {
        let (d, f) = run("basic_auth:\n  username: u\n  password: p\n  password_file: /f\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("password, password_file & password_ref"));
        assert_eq!(f.secrets.len(), 1);
        assert_eq!(f.secrets[0].pos, Pos::new(3, 13));
        assert_eq!(f.secrets[0].file_field.as_deref(), Some("basic_auth.password_file"));
        assert_eq!(f.files[0].path, "/f");
    }

    #[test]
    fn tls_cert_needs_key_and_versions_are_checked() {
        let (d, _) = run("tls_config:\n  cert_file: c\n  min_version: TLS14\n");
        let codes: Vec<&str> = d.iter().map(|x| x.code).collect();
        assert_eq!(codes, vec![INCOMPLETE, schema::BAD_VALUE], "{d:?}");
        assert_eq!(d[1].line, 3);
    }

    #[test]
    fn proxy_rules_and_reserved_headers() {
        let (d, f) = run("proxy_url: http://p:3128\nproxy_from_environment: true\n");
        assert_eq!(d.len(), 1);
        assert!(f.proxy_url);
        let (d, _) = run("no_proxy: localhost\n");
        assert_eq!(d[0].code, INCOMPLETE);
        let (d, _) = run("http_headers:\n  user-agent:\n    values: [x]\n");
        assert_eq!(d[0].code, RESERVED_HEADER);
        assert!(d[0].message.contains("\"User-Agent\""));
        let (d, _) = run("proxy_url: 'http://host:port'\n");
        assert_eq!(d[0].code, schema::BAD_VALUE);
    }

    #[test]
    fn oauth2_requires_client_id_and_token_url() {
        let (d, f) = run("oauth2:\n  client_secret: s\n");
        assert_eq!(d.iter().filter(|x| x.code == INCOMPLETE).count(), 2);
        assert_eq!(f.secrets[0].field, "oauth2.client_secret");
    }

    #[test]
    fn unknown_fields_are_reported() {
        let (d, _) = run("follow_redirect: true\n");
        assert_eq!(d[0].code, schema::UNKNOWN_FIELD);
        assert_eq!(d[0].help.as_deref(), Some("did you mean `follow_redirects`?"));
    }

    #[test]
    fn canonical_headers() {
        assert_eq!(canonical_header("x-api-KEY"), "X-Api-Key");
        assert_eq!(canonical_header("bad header"), "bad header");
    }
}
