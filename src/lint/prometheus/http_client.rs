//! The HTTP client settings shared by scrape configs, Alertmanager configs, remote
//! write/read and most service discoveries (`prometheus/common` `HTTPClientConfig`):
//! authentication (basic_auth, authorization, oauth2, bearer_token[_file]) and its
//! exclusivity rules, TLS, proxy, custom headers — and the files they name.

use crate::lint::schema::Fields;
use crate::yaml::{Node, Pos, Value};

use super::code;
use super::cx::{Cx, Sp, later, latest};

/// The fields `HTTPClientConfig` inlines into its parent.
pub const HTTP_FIELDS: &[&str] = &[
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

/// The fields `ProxyConfig` inlines (HTTP client and oauth2).
pub const PROXY_FIELDS: &[&str] =
    &["proxy_url", "no_proxy", "proxy_from_environment", "proxy_connect_header"];

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

const TLS_VERSIONS: &[&str] = &["TLS10", "TLS11", "TLS12", "TLS13"];

/// Headers Prometheus sets itself (`http_headers` may not set them).
const RESERVED_HTTP_HEADERS: &[&str] = &[
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

const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// What the rest of the checks need to know about an HTTP client config.
#[derive(Debug, Clone, Default)]
pub struct Http {
    pub basic_auth: Option<Pos>,
    pub authorization: Option<Pos>,
    pub oauth2: Option<Pos>,
    pub bearer_token: Option<Pos>,
    pub bearer_token_file: Option<Pos>,
    /// The first setting that differs from the default client (Kubernetes SD cares).
    pub custom: Option<Pos>,
}

impl Http {
    /// Whether any authentication is configured through the HTTP client settings.
    pub fn any_auth(&self) -> Option<Pos> {
        latest(&[self.basic_auth, self.authorization, self.oauth2])
    }
}

/// Check the inline HTTP client fields of `f`. `validate` is false for the few structs
/// whose loader never runs `HTTPClientConfig.Validate` (the generic `aws_sd_configs`).
pub fn check_http(cx: &mut Cx<'_>, f: &Fields<'_>, validate: bool) -> Http {
    let mut h = Http {
        basic_auth: f.get("basic_auth").map(|n| key_or(f, "basic_auth", n)),
        authorization: f.get("authorization").map(|n| key_or(f, "authorization", n)),
        oauth2: f.get("oauth2").map(|n| key_or(f, "oauth2", n)),
        ..Http::default()
    };
    let bearer = cx.set_str(f, "bearer_token");
    let bearer_file = cx.set_str(f, "bearer_token_file");
    h.bearer_token = bearer.map(|s| s.key);
    h.bearer_token_file = bearer_file.map(|s| s.key);
    cx.file_ref(bearer_file, "authorization credentials or bearer token file");
    let follow = cx.bool(f, "follow_redirects");
    let http2 = cx.bool(f, "enable_http2");

    let mut basic_user = 0;
    let mut basic_pos = None;
    if let Some(n) = f.get("basic_auth")
        && let Some(b) = cx.map(
            n,
            "basic_auth",
            &[
                "username",
                "username_file",
                "username_ref",
                "password",
                "password_file",
                "password_ref",
            ],
        )
    {
        let u = cx.set_str(&b, "username");
        let uf = cx.set_str(&b, "username_file");
        let ur = cx.set_str(&b, "username_ref");
        let p = cx.set_str(&b, "password");
        let pf = cx.set_str(&b, "password_file");
        let pr = cx.set_str(&b, "password_ref");
        cx.file_ref(uf, "basic_auth username file");
        cx.file_ref(pf, "basic_auth password file");
        basic_user = [u, uf, ur].iter().flatten().count();
        if basic_user > 1 {
            basic_pos = latest(&[u.map(|s| s.key), uf.map(|s| s.key), ur.map(|s| s.key)]);
        }
        if [p, pf, pr].iter().flatten().count() > 1 && validate {
            let pos = latest(&[p.map(|s| s.key), pf.map(|s| s.key), pr.map(|s| s.key)]);
            cx.err(
                pos.unwrap_or(b.pos()),
                code::AUTH_CONFLICT,
                "at most one of basic_auth password, password_file & password_ref must be configured",
            );
        }
    }
    if basic_user > 1 && validate {
        cx.err(
            basic_pos.unwrap_or_default(),
            code::AUTH_CONFLICT,
            "at most one of basic_auth username, username_file & username_ref must be configured",
        );
    }

    let mut auth_type_basic = None;
    if let Some(n) = f.get("authorization")
        && let Some(a) = cx.map(
            n,
            "authorization",
            &["type", "credentials", "credentials_file", "credentials_ref"],
        )
    {
        let t = cx.str(&a, "type");
        let c = cx.set_str(&a, "credentials");
        let cf = cx.set_str(&a, "credentials_file");
        let cr = cx.set_str(&a, "credentials_ref");
        cx.file_ref(cf, "authorization credentials or bearer token file");
        if [c, cf, cr].iter().flatten().count() > 1 && validate {
            let pos = latest(&[c.map(|s| s.key), cf.map(|s| s.key), cr.map(|s| s.key)]);
            cx.err(
                pos.unwrap_or(a.pos()),
                code::AUTH_CONFLICT,
                "at most one of authorization credentials & credentials_file must be configured",
            );
        }
        if let Some(t) = t
            && t.v.trim().eq_ignore_ascii_case("basic")
        {
            auth_type_basic = Some(t.pos);
        }
    }

    let mut oauth_checked = None;
    if let Some(n) = f.get("oauth2") {
        oauth_checked = check_oauth2(cx, n);
    }

    if let Some(n) = f.get("tls_config") {
        check_tls(cx, n, "tls_config");
    }
    check_proxy(cx, f, validate);
    if let Some(n) = f.get("http_headers") {
        check_http_headers(cx, n, validate);
    }

    h.custom = custom_setting(f, follow, http2);

    if !validate {
        return h;
    }
    // HTTPClientConfig.Validate, rule by rule (all reported, not only the first).
    if let (Some(a), Some(b)) = (h.bearer_token, h.bearer_token_file) {
        cx.err(
            later(a, b),
            code::AUTH_CONFLICT,
            "at most one of bearer_token & bearer_token_file must be configured",
        );
    }
    let bearer_any = latest(&[h.bearer_token, h.bearer_token_file]);
    if let (Some(ba), Some(bt)) = (latest(&[h.basic_auth, h.oauth2]), bearer_any)
        && h.authorization.is_none()
    {
        cx.err(
            later(ba, bt),
            code::AUTH_CONFLICT,
            "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured",
        );
    }
    if let Some(a) = h.authorization {
        if let Some(bt) = bearer_any {
            cx.err(
                later(a, bt),
                code::AUTH_CONFLICT,
                "authorization is not compatible with bearer_token & bearer_token_file",
            );
        }
        if let Some(p) = auth_type_basic {
            cx.err_help(
                p,
                code::AUTH,
                r#"authorization type cannot be set to "basic", use "basic_auth" instead"#,
                "use `basic_auth: {username: ..., password_file: ...}`",
            );
        }
        if let Some(o) = latest(&[h.basic_auth, h.oauth2]) {
            cx.err(
                later(a, o),
                code::AUTH_CONFLICT,
                "at most one of basic_auth, oauth2 & authorization must be configured",
            );
        }
    }
    if let (Some(o), Some(b)) = (h.oauth2, h.basic_auth)
        && h.authorization.is_none()
    {
        cx.err(
            later(o, b),
            code::AUTH_CONFLICT,
            "at most one of basic_auth, oauth2 & authorization must be configured",
        );
    }
    if let Some(o) = oauth_checked {
        o.report(cx);
    }
    h
}

fn key_or(f: &Fields<'_>, name: &str, n: &Node) -> Pos {
    f.key_pos(name).unwrap_or(n.pos)
}

/// Whether the settings differ from the default client, and where.
fn custom_setting(
    f: &Fields<'_>,
    follow: Option<Sp<bool>>,
    http2: Option<Sp<bool>>,
) -> Option<Pos> {
    let mut first: Option<Pos> = None;
    let mut note = |p: Pos| {
        if first.is_none_or(|q| p < q) {
            first = Some(p);
        }
    };
    for name in HTTP_FIELDS {
        let Some(n) = f.get(name) else { continue };
        let key = f.key_pos(name).unwrap_or(n.pos);
        match *name {
            "follow_redirects" => {
                if follow.is_some_and(|b| !b.v) {
                    note(key);
                }
            }
            "enable_http2" => {
                if http2.is_some_and(|b| !b.v) {
                    note(key);
                }
            }
            "tls_config" => {
                if !all_zero(n) {
                    note(key);
                }
            }
            "bearer_token" | "bearer_token_file" | "no_proxy" => {
                if n.scalar_text().is_some_and(|s| !s.is_empty()) {
                    note(key);
                }
            }
            "proxy_from_environment" => {
                if n.as_bool() == Some(true) {
                    note(key);
                }
            }
            _ => note(key),
        }
    }
    first
}

/// A mapping whose every value is a zero value (null, false, "" or an empty collection).
fn all_zero(n: &Node) -> bool {
    match &n.value {
        Value::Null { .. } => true,
        Value::Bool { value, .. } => !value,
        Value::Str(s) => s.is_empty(),
        Value::Seq(v) => v.is_empty(),
        Value::Map(m) => m.iter().all(|(_, v)| all_zero(v)),
        Value::Int { value, .. } => *value == 0,
        Value::Float { value, .. } => *value == 0.0,
    }
}

/// OAuth2 findings that only apply when the HTTP client is validated.
struct OAuthFindings {
    missing_client_id: Option<Pos>,
    missing_token_url: Option<Pos>,
    key_conflict: Option<Pos>,
    bad_signature: Option<Pos>,
    secret_conflict: Option<Pos>,
}

impl OAuthFindings {
    fn report(&self, cx: &mut Cx<'_>) {
        if let Some(p) = self.missing_client_id {
            cx.err(p, code::AUTH, "oauth2 client_id must be configured");
        }
        if let Some(p) = self.missing_token_url {
            cx.err(p, code::AUTH, "oauth2 token_url must be configured");
        }
        if let Some(p) = self.key_conflict {
            cx.err(
                p,
                code::AUTH_CONFLICT,
                "at most one of oauth2 client_certificate_key, client_certificate_key_file & client_certificate_key_ref must be configured using grant-type=urn:ietf:params:oauth:grant-type:jwt-bearer",
            );
        }
        if let Some(p) = self.bad_signature {
            cx.err(p, code::AUTH, "valid signature algorithms are RS256, RS384 and RS512");
        }
        if let Some(p) = self.secret_conflict {
            cx.err(
                p,
                code::AUTH_CONFLICT,
                "at most one of oauth2 client_secret, client_secret_file & client_secret_ref must be configured using grant-type=client_credentials",
            );
        }
    }
}

fn check_oauth2(cx: &mut Cx<'_>, n: &Node) -> Option<OAuthFindings> {
    let mut known: Vec<&str> = vec![
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
    let o = cx.map(n, "oauth2", &known)?;
    let client_id = cx.set_str(&o, "client_id");
    let secret = cx.set_str(&o, "client_secret");
    let secret_file = cx.set_str(&o, "client_secret_file");
    let secret_ref = cx.set_str(&o, "client_secret_ref");
    cx.str(&o, "client_certificate_key_id");
    let key = cx.set_str(&o, "client_certificate_key");
    let key_file = cx.set_str(&o, "client_certificate_key_file");
    let key_ref = cx.set_str(&o, "client_certificate_key_ref");
    let grant = cx.str(&o, "grant_type");
    let sig = cx.set_str(&o, "signature_algorithm");
    cx.str(&o, "iss");
    cx.str(&o, "audience");
    if let Some(c) = o.get("claims") {
        cx.ctx().free_map(c, "claims");
    }
    cx.strs(&o, "scopes");
    let token_url = cx.set_str(&o, "token_url");
    cx.str_map(&o, "endpoint_params");
    cx.file_ref(secret_file, "oauth2 client secret file");
    cx.file_ref(key_file, "oauth2 client certificate key file");
    if let Some(t) = o.get("tls_config") {
        check_tls(cx, t, "oauth2 tls_config");
    }
    check_proxy(cx, &o, true);

    let mut out = OAuthFindings {
        missing_client_id: None,
        missing_token_url: None,
        key_conflict: None,
        bad_signature: None,
        secret_conflict: None,
    };
    if client_id.is_none() {
        out.missing_client_id = Some(o.pos());
    }
    if token_url.is_none() {
        out.missing_token_url = Some(o.pos());
    }
    if grant.is_some_and(|g| g.v == JWT_BEARER) {
        if [key, key_file, key_ref].iter().flatten().count() > 1 {
            out.key_conflict =
                latest(&[key.map(|s| s.key), key_file.map(|s| s.key), key_ref.map(|s| s.key)]);
        }
        if let Some(s) = sig
            && !["RS256", "RS384", "RS512"].contains(&s.v)
        {
            out.bad_signature = Some(s.pos);
        }
    } else if [secret, secret_file, secret_ref].iter().flatten().count() > 1 {
        out.secret_conflict =
            latest(&[secret.map(|s| s.key), secret_file.map(|s| s.key), secret_ref.map(|s| s.key)]);
    }
    Some(out)
}

/// A `tls_config` block (`TLSConfig`, validated when decoded).
pub fn check_tls(cx: &mut Cx<'_>, n: &Node, what: &str) {
    let Some(t) = cx.map(n, what, TLS_FIELDS) else { return };
    let ca = cx.set_str(&t, "ca");
    let cert = cx.set_str(&t, "cert");
    let key = cx.set_str(&t, "key");
    let ca_file = cx.set_str(&t, "ca_file");
    let cert_file = cx.set_str(&t, "cert_file");
    let key_file = cx.set_str(&t, "key_file");
    let ca_ref = cx.set_str(&t, "ca_ref");
    let cert_ref = cx.set_str(&t, "cert_ref");
    let key_ref = cx.set_str(&t, "key_ref");
    cx.str(&t, "server_name");
    cx.bool(&t, "insecure_skip_verify");
    let min = version(cx, &t, "min_version");
    let max = version(cx, &t, "max_version");
    if let (Some((lo, _)), Some((hi, hp))) = (min, max)
        && hi < lo
    {
        cx.err(
            hp,
            code::TLS,
            "tls_config.max_version must be greater than or equal to tls_config.min_version if both are specified",
        );
    }
    cx.file_ref(ca_file, "CA file");
    cx.file_ref(cert_file, "client cert file");
    cx.file_ref(key_file, "client key file");

    let keys =
        |v: &[Option<Sp<&str>>]| latest(&v.iter().map(|s| s.map(|s| s.key)).collect::<Vec<_>>());
    let count = |v: &[Option<Sp<&str>>]| v.iter().flatten().count();
    if count(&[ca, ca_file, ca_ref]) > 1 {
        let p = keys(&[ca, ca_file, ca_ref]).unwrap_or(t.pos());
        cx.err(p, code::TLS, "at most one of ca, ca_file & ca_ref must be configured");
    }
    if count(&[cert, cert_file, cert_ref]) > 1 {
        let p = keys(&[cert, cert_file, cert_ref]).unwrap_or(t.pos());
        cx.err(p, code::TLS, "at most one of cert, cert_file & cert_ref must be configured");
    }
    if count(&[key, key_file, key_ref]) > 1 {
        let p = keys(&[key, key_file, key_ref]).unwrap_or(t.pos());
        cx.err(p, code::TLS, "at most one of key and key_file must be configured");
    }
    let using_cert = count(&[cert, cert_file, cert_ref]) > 0;
    let using_key = count(&[key, key_file, key_ref]) > 0;
    if using_cert && !using_key {
        let p = keys(&[cert, cert_file, cert_ref]).unwrap_or(t.pos());
        cx.err_help(
            p,
            code::TLS,
            "exactly one of key or key_file must be configured when a client certificate is configured",
            "a client certificate needs its private key: add `key_file`",
        );
    } else if using_key && !using_cert {
        let p = keys(&[key, key_file, key_ref]).unwrap_or(t.pos());
        cx.err_help(
            p,
            code::TLS,
            "exactly one of cert or cert_file must be configured when a client key is configured",
            "a client key needs its certificate: add `cert_file`",
        );
    }
}

fn version(cx: &mut Cx<'_>, t: &Fields<'_>, name: &str) -> Option<(usize, Pos)> {
    let v = cx.one_of(t, name, TLS_VERSIONS, code::TLS, |s| format!("unknown TLS version: {s}"))?;
    TLS_VERSIONS.iter().position(|x| *x == v.v).map(|i| (i, v.pos))
}

/// The inline proxy settings of `f`; `validate`: apply `ProxyConfig.Validate`.
pub fn check_proxy(cx: &mut Cx<'_>, f: &Fields<'_>, validate: bool) {
    let url = if f.get("proxy_url").is_some() { cx.url(f, "proxy_url") } else { None };
    let url_present = f.get("proxy_url").is_some();
    let url_set = url.as_ref().is_some_and(|u| u.v != Default::default());
    let no_proxy = cx.set_str(f, "no_proxy");
    let from_env = cx.bool(f, "proxy_from_environment").filter(|b| b.v);
    let mut connect_header: Option<Pos> = None;
    if let Some(n) = f.get("proxy_connect_header")
        && let Some(entries) = cx.ctx().free_map(n, "proxy_connect_header")
    {
        for (k, v) in entries {
            cx.ctx().strings(v, "proxy_connect_header");
            connect_header.get_or_insert(k.pos);
        }
    }
    if !validate {
        return;
    }
    if let Some(h) = connect_header
        && from_env.is_none()
        && !url_set
    {
        cx.err(
            h,
            code::PROXY,
            "if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured",
        );
    }
    if let Some(e) = from_env {
        if url_set && let Some(u) = &url {
            cx.err(
                later(e.key, u.key),
                code::PROXY,
                "if proxy_from_environment is configured, proxy_url must not be configured",
            );
        }
        if let Some(np) = no_proxy {
            cx.err(
                later(e.key, np.key),
                code::PROXY,
                "if proxy_from_environment is configured, no_proxy must not be configured",
            );
        }
    }
    if let Some(np) = no_proxy
        && !url_present
    {
        cx.err(np.key, code::PROXY, "if no_proxy is configured, proxy_url must also be configured");
    }
}

/// `http_headers`: header name → values / secrets / files.
fn check_http_headers(cx: &mut Cx<'_>, n: &Node, validate: bool) {
    let Some(entries) = cx.ctx().free_map(n, "http_headers") else { return };
    for (k, v) in entries {
        if validate && RESERVED_HTTP_HEADERS.iter().any(|r| r.eq_ignore_ascii_case(&k.name)) {
            cx.err(
                k.pos,
                code::HEADER,
                format!("setting header {:?} is not allowed", canonical_header(&k.name)),
            );
        }
        let Some(h) = cx.map(v, "http_headers entry", &["values", "secrets", "files"]) else {
            continue;
        };
        cx.strs(&h, "values");
        cx.strs(&h, "secrets");
        if let Some(files) = cx.strs(&h, "files") {
            for file in files.v {
                cx.file_ref(Some(file), "http_headers file");
            }
        }
    }
}

/// Go's `http.CanonicalHeaderKey` for well-formed names.
pub fn canonical_header(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut upper = true;
    for c in s.chars() {
        if upper {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        upper = c == '-';
    }
    out
}
