//! The HTTP client configuration shared by Prometheus and Alertmanager
//! (`prometheus/common/config`: `HTTPClientConfig`, `TLSConfig`, `ProxyConfig`, `OAuth2`,
//! `Headers`), SigV4 signing (`prometheus/common/sigv4`) and the OTLP tracing exporter
//! (`tracing:`, Alertmanager's copy of Prometheus'): the strict schema and the load-time
//! rules — authentication methods are mutually exclusive, a secret and its
//! `_file`/`_ref` variants are exclusive, a client certificate needs its key, proxy settings
//! go together, reserved headers cannot be set. Every rule is reported (Go stops at the
//! first), each at the later of the settings in conflict.
//!
//! One checker for both: what depends on the caller comes back in [`HttpFacts`] — which
//! authentication is configured and where, secrets written inline (Alertmanager warns about
//! them) and referenced files (each checker checks them its own way: promtool's rules for
//! Prometheus, container paths for Alertmanager).
//!
//! `what` names the configuration in messages (`receiver "x": webhook_configs[0]:
//! http_config`); an empty `what` (Prometheus, whose messages are Go's own) adds nothing.

use crate::lint::check::Check;
use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::lint::schema::{self, Ctx, Fields, Sp, label, latest, values};
use crate::yaml::{Node, Pos, Value};

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
        summary: "HTTP client: mutually exclusive settings (two authentication methods, a secret and its _file/_ref, ca with ca_file, proxy_url with proxy_from_environment, ...).",
    },
    Check {
        id: INCOMPLETE,
        severity: Severity::Error,
        summary: "HTTP client: a setting needs another (TLS cert without key, oauth2 without client_id/token_url, no_proxy without proxy_url, SigV4 access key without secret key, ...).",
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

const BASIC_AUTH_FIELDS: &[&str] =
    &["username", "username_file", "username_ref", "password", "password_file", "password_ref"];

const AUTHORIZATION_FIELDS: &[&str] =
    &["type", "credentials", "credentials_file", "credentials_ref"];

const OAUTH2_FIELDS: &[&str] = &[
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
    "proxy_url",
    "no_proxy",
    "proxy_from_environment",
    "proxy_connect_header",
];

const SIGV4_FIELDS: &[&str] = &[
    "region",
    "access_key",
    "secret_key",
    "profile",
    "role_arn",
    "external_id",
    "use_fips_sts_endpoint",
    "service_name",
];

/// In the order of Go's `TLSVersions` values.
const TLS_VERSIONS: &[&str] = &["TLS10", "TLS11", "TLS12", "TLS13"];

const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

const SIGNATURE_ALGORITHMS: &[&str] = &["RS256", "RS384", "RS512"];

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
    /// The value is a placeholder (`xxxx`, `<secret>`, `changeme`), not a real secret.
    pub placeholder: bool,
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

/// What an HTTP client configuration sets, for the caller's own rules.
#[derive(Debug, Clone, Default)]
pub struct HttpFacts {
    /// Key positions of the authentication settings present.
    pub basic_auth: Option<Pos>,
    pub authorization: Option<Pos>,
    pub oauth2: Option<Pos>,
    pub bearer_token: Option<Pos>,
    pub bearer_token_file: Option<Pos>,
    /// `proxy_url` is set.
    pub proxy_url: bool,
    /// The first setting that differs from the default client (Kubernetes SD cares).
    pub custom: Option<Pos>,
    pub secrets: Vec<InlineSecret>,
    pub files: Vec<FileRef>,
}

impl HttpFacts {
    /// The last written of the authentication blocks (basic_auth, authorization, oauth2).
    pub fn any_auth(&self) -> Option<Pos> {
        latest(&[self.basic_auth, self.authorization, self.oauth2])
    }

    /// Requests carry an `Authorization` header of the `authorization` block, or of
    /// `bearer_token`/`bearer_token_file` (which the loader turns into one of type Bearer).
    pub fn sends_authorization(&self) -> bool {
        self.authorization.is_some()
            || self.bearer_token.is_some()
            || self.bearer_token_file.is_some()
    }

    /// Take the secrets and files of a nested block (`tls_config`), prefixing their fields.
    fn absorb(&mut self, inner: HttpFacts, prefix: &str) {
        for mut s in inner.secrets {
            s.field = format!("{prefix}.{}", s.field);
            s.file_field = s.file_field.map(|x| format!("{prefix}.{x}"));
            self.secrets.push(s);
        }
        for mut f in inner.files {
            f.field = format!("{prefix}.{}", f.field);
            self.files.push(f);
        }
    }

    fn secret(&mut self, field: &str, at: Option<Sp<&str>>, file_field: Option<&str>) {
        if let Some(v) = at {
            self.secrets.push(InlineSecret {
                field: field.to_string(),
                pos: v.pos,
                file_field: file_field.map(str::to_string),
                placeholder: crate::lint::placeholder::is_placeholder(v.v),
            });
        }
    }

    fn file(&mut self, field: &str, at: Option<Sp<&str>>, secret: bool) {
        if let Some(v) = at {
            self.files.push(FileRef {
                field: field.to_string(),
                path: v.v.to_string(),
                pos: v.pos,
                secret,
            });
        }
    }
}

/// Check an HTTP client configuration mapping (`http_config:`), validated as its loader
/// validates it.
pub fn check(ctx: &mut Ctx<'_>, node: &Node, what: &str) -> HttpFacts {
    match ctx.map(node, what, FIELDS) {
        Some(f) => check_fields(ctx, &f, what, true),
        None => HttpFacts::default(),
    }
}

/// Check the HTTP client keys of a mapping that inlines them among its own keys (Prometheus
/// scrape configs, service discoveries); unknown-field checking is the caller's (`ctx.map`
/// with [`FIELDS`] added to its own). `validate`: apply `HTTPClientConfig.Validate` (false
/// for the few structs whose loader never calls it, e.g. Prometheus' `aws_sd_configs`);
/// TLS and OAuth2 proxy settings are validated when decoded, so always.
pub fn check_fields(ctx: &mut Ctx<'_>, f: &Fields<'_>, what: &str, validate: bool) -> HttpFacts {
    let mut facts = HttpFacts {
        basic_auth: key_of(f, "basic_auth"),
        authorization: key_of(f, "authorization"),
        oauth2: key_of(f, "oauth2"),
        ..HttpFacts::default()
    };
    let bearer = set(ctx, f, "bearer_token", what);
    let bearer_file = set(ctx, f, "bearer_token_file", what);
    facts.bearer_token = bearer.map(|s| s.key);
    facts.bearer_token_file = bearer_file.map(|s| s.key);
    facts.secret("bearer_token", bearer, Some("bearer_token_file"));
    facts.file("bearer_token_file", bearer_file, true);
    let follow = ctx.bool_field(f, "follow_redirects", what);
    let http2 = ctx.bool_field(f, "enable_http2", what);
    let basic = f.get("basic_auth").and_then(|n| basic_auth(ctx, n, what, &mut facts));
    let authz = f.get("authorization").and_then(|n| authorization(ctx, n, what, &mut facts));
    let oauth = f.get("oauth2").and_then(|n| oauth2(ctx, n, what, &mut facts));
    if let Some(n) = f.get("tls_config") {
        let tls = check_tls(ctx, n, &label(what, "tls_config"));
        facts.absorb(tls, "tls_config");
    }
    facts.proxy_url = proxy(ctx, f, what, "", validate, &mut facts);
    if let Some(n) = f.get("http_headers") {
        headers(ctx, n, what, validate, &mut facts);
    }
    facts.custom = custom_setting(f, follow, http2);
    if validate {
        validate_auth(ctx, what, &facts, basic, authz, oauth);
    }
    facts
}

/// `HTTPClientConfig.Validate`'s authentication rules, in Go's order.
fn validate_auth(
    ctx: &mut Ctx<'_>,
    what: &str,
    h: &HttpFacts,
    basic: Option<Basic>,
    authz: Option<Authz>,
    oauth: Option<OAuth>,
) {
    let bearer_any = latest(&[h.bearer_token, h.bearer_token_file]);
    if let (Some(a), Some(b)) = (h.bearer_token, h.bearer_token_file) {
        let m = "at most one of bearer_token & bearer_token_file must be configured";
        ctx.error(a.max(b), CONFLICT, msg(what, m));
    }
    if let (Some(ba), Some(bt)) = (latest(&[h.basic_auth, h.oauth2]), bearer_any) {
        let m = "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured";
        ctx.error(ba.max(bt), CONFLICT, msg(what, m));
    }
    if let Some(b) = basic {
        if let Some(p) = more_than_one(&b.user) {
            let m = "at most one of basic_auth username, username_file & username_ref must be configured";
            ctx.error(p, CONFLICT, msg(what, m));
        }
        if let Some(p) = more_than_one(&b.pass) {
            let m = "at most one of basic_auth password, password_file & password_ref must be configured";
            ctx.error(p, CONFLICT, msg(what, m));
        }
    }
    if let Some(a) = h.authorization {
        if let Some(bt) = bearer_any {
            let m = "authorization is not compatible with bearer_token & bearer_token_file";
            ctx.error(a.max(bt), CONFLICT, msg(what, m));
        }
        if let Some(az) = &authz {
            if let Some(p) = more_than_one(&az.credentials) {
                let m = "at most one of authorization credentials & credentials_file must be configured";
                ctx.error(p, CONFLICT, msg(what, m));
            }
            if let Some(p) = az.type_basic {
                let m = r#"authorization type cannot be set to "basic", use "basic_auth" instead"#;
                ctx.push(
                    Diagnostic::error(ctx.path, p, schema::BAD_VALUE, msg(what, m))
                        .with_help("use `basic_auth: {username: ..., password_file: ...}`"),
                );
            }
        }
        if let Some(o) = latest(&[h.basic_auth, h.oauth2]) {
            let m = "at most one of basic_auth, oauth2 & authorization must be configured";
            ctx.error(a.max(o), CONFLICT, msg(what, m));
        }
    }
    if let (Some(o), Some(b), None) = (h.oauth2, h.basic_auth, h.authorization) {
        let m = "at most one of basic_auth, oauth2 & authorization must be configured";
        ctx.error(o.max(b), CONFLICT, msg(what, m));
    }
    if let Some(o) = oauth {
        o.report(ctx, what);
    }
}

/// The key positions of the `basic_auth` alternatives that are set.
struct Basic {
    user: [Option<Pos>; 3],
    pass: [Option<Pos>; 3],
}

fn basic_auth(ctx: &mut Ctx<'_>, n: &Node, what: &str, facts: &mut HttpFacts) -> Option<Basic> {
    let w = label(what, "basic_auth");
    let b = ctx.map(n, &w, BASIC_AUTH_FIELDS)?;
    let user = [set(ctx, &b, "username", &w), set(ctx, &b, "username_file", &w)];
    let user_ref = set(ctx, &b, "username_ref", &w);
    let pass = [set(ctx, &b, "password", &w), set(ctx, &b, "password_file", &w)];
    let pass_ref = set(ctx, &b, "password_ref", &w);
    facts.secret("basic_auth.password", pass[0], Some("basic_auth.password_file"));
    facts.file("basic_auth.username_file", user[1], true);
    facts.file("basic_auth.password_file", pass[1], true);
    Some(Basic {
        user: [user[0].map(|s| s.key), user[1].map(|s| s.key), user_ref.map(|s| s.key)],
        pass: [pass[0].map(|s| s.key), pass[1].map(|s| s.key), pass_ref.map(|s| s.key)],
    })
}

/// The key positions of the credential alternatives that are set, and where a type
/// `Basic` is.
struct Authz {
    credentials: [Option<Pos>; 3],
    type_basic: Option<Pos>,
}

fn authorization(ctx: &mut Ctx<'_>, n: &Node, what: &str, facts: &mut HttpFacts) -> Option<Authz> {
    let w = label(what, "authorization");
    let a = ctx.map(n, &w, AUTHORIZATION_FIELDS)?;
    let t = ctx.str_field(&a, "type", &w);
    let c = set(ctx, &a, "credentials", &w);
    let cf = set(ctx, &a, "credentials_file", &w);
    let cr = set(ctx, &a, "credentials_ref", &w);
    facts.secret("authorization.credentials", c, Some("authorization.credentials_file"));
    facts.file("authorization.credentials_file", cf, true);
    Some(Authz {
        credentials: [c.map(|s| s.key), cf.map(|s| s.key), cr.map(|s| s.key)],
        type_basic: t.filter(|t| t.v.trim().eq_ignore_ascii_case("basic")).map(|t| t.pos),
    })
}

/// OAuth2 findings that only apply when the HTTP client is validated.
struct OAuth {
    pos: Pos,
    missing_client_id: bool,
    missing_token_url: bool,
    key_conflict: Option<Pos>,
    bad_signature: Option<Pos>,
    secret_conflict: Option<Pos>,
}

impl OAuth {
    fn report(&self, ctx: &mut Ctx<'_>, what: &str) {
        if self.missing_client_id {
            ctx.error(self.pos, INCOMPLETE, msg(what, "oauth2 client_id must be configured"));
        }
        if self.missing_token_url {
            ctx.error(self.pos, INCOMPLETE, msg(what, "oauth2 token_url must be configured"));
        }
        if let Some(p) = self.key_conflict {
            let m = "at most one of oauth2 client_certificate_key, client_certificate_key_file & client_certificate_key_ref must be configured using grant-type=urn:ietf:params:oauth:grant-type:jwt-bearer";
            ctx.error(p, CONFLICT, msg(what, m));
        }
        if let Some(p) = self.bad_signature {
            let m = "valid signature algorithms are RS256, RS384 and RS512";
            ctx.error(p, schema::BAD_VALUE, msg(what, m));
        }
        if let Some(p) = self.secret_conflict {
            let m = "at most one of oauth2 client_secret, client_secret_file & client_secret_ref must be configured using grant-type=client_credentials";
            ctx.error(p, CONFLICT, msg(what, m));
        }
    }
}

fn oauth2(ctx: &mut Ctx<'_>, n: &Node, what: &str, facts: &mut HttpFacts) -> Option<OAuth> {
    let w = label(what, "oauth2");
    let o = ctx.map(n, &w, OAUTH2_FIELDS)?;
    let client_id = set(ctx, &o, "client_id", &w);
    let secret = set(ctx, &o, "client_secret", &w);
    let secret_file = set(ctx, &o, "client_secret_file", &w);
    let secret_ref = set(ctx, &o, "client_secret_ref", &w);
    ctx.str_field(&o, "client_certificate_key_id", &w);
    let key = set(ctx, &o, "client_certificate_key", &w);
    let key_file = set(ctx, &o, "client_certificate_key_file", &w);
    let key_ref = set(ctx, &o, "client_certificate_key_ref", &w);
    let grant = ctx.str_field(&o, "grant_type", &w);
    let sig = set(ctx, &o, "signature_algorithm", &w);
    ctx.str_field(&o, "iss", &w);
    ctx.str_field(&o, "audience", &w);
    if let Some(c) = o.get("claims") {
        ctx.free_map(c, &label(&w, "claims"));
    }
    if let Some(s) = o.get("scopes") {
        ctx.strings(s, &label(&w, "scopes"));
    }
    let token_url = set(ctx, &o, "token_url", &w);
    if let Some(p) = o.get("endpoint_params") {
        let pw = label(&w, "endpoint_params");
        if let Some(m) = ctx.free_map(p, &pw) {
            for (k, v) in m {
                if v.scalar_text().is_none() {
                    ctx.string(v, &format!("{pw}.{}", k.name));
                }
            }
        }
    }
    facts.secret("oauth2.client_secret", secret, Some("oauth2.client_secret_file"));
    facts.secret("oauth2.client_certificate_key", key, Some("oauth2.client_certificate_key_file"));
    facts.file("oauth2.client_secret_file", secret_file, true);
    facts.file("oauth2.client_certificate_key_file", key_file, true);
    if let Some(t) = o.get("tls_config") {
        let tls = check_tls(ctx, t, &label(&w, "tls_config"));
        facts.absorb(tls, "oauth2.tls_config");
    }
    proxy(ctx, &o, &w, "oauth2.", true, facts);

    let keys = |v: [Option<Sp<&str>>; 3]| v.map(|s| s.map(|s| s.key));
    let mut out = OAuth {
        pos: o.pos(),
        missing_client_id: client_id.is_none(),
        missing_token_url: token_url.is_none(),
        key_conflict: None,
        bad_signature: None,
        secret_conflict: None,
    };
    if grant.is_some_and(|g| g.v == JWT_BEARER) {
        out.key_conflict = more_than_one(&keys([key, key_file, key_ref]));
        out.bad_signature = sig.filter(|s| !SIGNATURE_ALGORITHMS.contains(&s.v)).map(|s| s.pos);
    } else {
        out.secret_conflict = more_than_one(&keys([secret, secret_file, secret_ref]));
    }
    Some(out)
}

/// Check a TLS configuration (`tls_config:`, `smtp_tls_config:`), validated as it is when
/// decoded. Its inline `key` comes back in `secrets`, its files in `files`.
pub fn check_tls(ctx: &mut Ctx<'_>, node: &Node, what: &str) -> HttpFacts {
    let mut facts = HttpFacts::default();
    let Some(t) = ctx.map(node, what, TLS_FIELDS) else {
        return facts;
    };
    let ca =
        [set(ctx, &t, "ca", what), set(ctx, &t, "ca_file", what), set(ctx, &t, "ca_ref", what)];
    let cert = [
        set(ctx, &t, "cert", what),
        set(ctx, &t, "cert_file", what),
        set(ctx, &t, "cert_ref", what),
    ];
    let key =
        [set(ctx, &t, "key", what), set(ctx, &t, "key_file", what), set(ctx, &t, "key_ref", what)];
    ctx.str_field(&t, "server_name", what);
    ctx.bool_field(&t, "insecure_skip_verify", what);
    let keys = |v: &[Option<Sp<&str>>; 3]| v.map(|s| s.map(|s| s.key));
    let (ca_keys, cert_keys, key_keys) = (keys(&ca), keys(&cert), keys(&key));
    if let Some(p) = more_than_one(&ca_keys) {
        let m = "at most one of ca, ca_file & ca_ref must be configured";
        ctx.error(p, CONFLICT, msg(what, m));
    }
    if let Some(p) = more_than_one(&cert_keys) {
        let m = "at most one of cert, cert_file & cert_ref must be configured";
        ctx.error(p, CONFLICT, msg(what, m));
    }
    if let Some(p) = more_than_one(&key_keys) {
        ctx.error(p, CONFLICT, msg(what, "at most one of key and key_file must be configured"));
    }
    match (latest(&cert_keys), latest(&key_keys)) {
        (Some(c), None) => ctx.push(
            Diagnostic::error(
                ctx.path,
                c,
                INCOMPLETE,
                msg(
                    what,
                    "exactly one of key or key_file must be configured when a client certificate is configured",
                ),
            )
            .with_help("a client certificate needs its private key: add `key_file`"),
        ),
        (None, Some(k)) => ctx.push(
            Diagnostic::error(
                ctx.path,
                k,
                INCOMPLETE,
                msg(
                    what,
                    "exactly one of cert or cert_file must be configured when a client key is configured",
                ),
            )
            .with_help("a client key needs its certificate: add `cert_file`"),
        ),
        _ => {}
    }
    let min = tls_version(ctx, &t, "min_version", what);
    let max = tls_version(ctx, &t, "max_version", what);
    if let (Some((lo, _)), Some((hi, hp))) = (min, max)
        && hi < lo
    {
        let m = "tls_config.max_version must be greater than or equal to tls_config.min_version if both are specified";
        ctx.error(hp, schema::BAD_VALUE, msg(what, m));
    }
    facts.secret("key", key[0], Some("key_file"));
    facts.file("ca_file", ca[1], false);
    facts.file("cert_file", cert[1], false);
    facts.file("key_file", key[1], false);
    facts
}

/// A TLS version field: its rank in [`TLS_VERSIONS`] and the value's position.
fn tls_version(ctx: &mut Ctx<'_>, t: &Fields<'_>, name: &str, what: &str) -> Option<(usize, Pos)> {
    let v = ctx.str_field(t, name, what)?;
    if let Some(i) = TLS_VERSIONS.iter().position(|x| *x == v.v) {
        return Some((i, v.pos));
    }
    let help = match schema::did_you_mean(v.v, TLS_VERSIONS) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("one of {}", TLS_VERSIONS.join(", ")),
    };
    let m = format!("unknown TLS version: {}", v.v);
    ctx.push(Diagnostic::error(ctx.path, v.pos, schema::BAD_VALUE, msg(what, &m)).with_help(help));
    None
}

/// The inline proxy settings of `f` (`ProxyConfig`); `validate`: apply its `Validate`.
/// Secrets found get `prefix` before their field. Returns whether `proxy_url` is set.
fn proxy(
    ctx: &mut Ctx<'_>,
    f: &Fields<'_>,
    what: &str,
    prefix: &str,
    validate: bool,
    facts: &mut HttpFacts,
) -> bool {
    let url = ctx.str_field(f, "proxy_url", what);
    if let Some(u) = url {
        if let Err(e) = values::parse_url(u.v) {
            ctx.error(u.pos, schema::BAD_VALUE, msg(what, &format!("proxy_url: {e}")));
        }
        if values::url_password(u.v).is_some() {
            facts.secret(&format!("{prefix}proxy_url"), url, None);
        }
    }
    // Go tests `ProxyURL.String() != ""` (set) and `ProxyURL.URL == nil` (absent).
    let url_set = url.filter(|u| !u.v.is_empty());
    let no_proxy = set(ctx, f, "no_proxy", what);
    let from_env = ctx.bool_field(f, "proxy_from_environment", what).filter(|b| b.v);
    let mut connect_header = false;
    if let Some(n) = f.get("proxy_connect_header") {
        let hw = label(what, "proxy_connect_header");
        if let Some(m) = ctx.free_map(n, &hw) {
            connect_header = !m.is_empty();
            for (k, v) in m {
                for (s, p) in ctx.strings(v, &format!("{hw}.{}", k.name)).unwrap_or_default() {
                    if !s.is_empty() {
                        let field = format!("{prefix}proxy_connect_header.{}", k.name);
                        facts.secret(&field, Some(Sp { v: s, pos: p, key: k.pos }), None);
                    }
                }
            }
        }
    }
    if validate {
        if connect_header && from_env.is_none() && url_set.is_none() {
            let m = "if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured";
            ctx.error(key_or(f, "proxy_connect_header"), INCOMPLETE, msg(what, m));
        }
        if let Some(e) = from_env {
            if let Some(u) = url_set {
                let m = "if proxy_from_environment is configured, proxy_url must not be configured";
                ctx.error(e.key.max(u.key), CONFLICT, msg(what, m));
            }
            if let Some(np) = no_proxy {
                let m = "if proxy_from_environment is configured, no_proxy must not be configured";
                ctx.error(e.key.max(np.key), CONFLICT, msg(what, m));
            }
        }
        if let Some(np) = no_proxy
            && f.get("proxy_url").is_none()
        {
            let m = "if no_proxy is configured, proxy_url must also be configured";
            ctx.error(np.key, INCOMPLETE, msg(what, m));
        }
    }
    url_set.is_some()
}

/// `http_headers`: header name → values / secrets / files; `validate`: reserved headers
/// are refused.
fn headers(ctx: &mut Ctx<'_>, node: &Node, what: &str, validate: bool, facts: &mut HttpFacts) {
    let w = label(what, "http_headers");
    let Some(m) = ctx.free_map(node, &w) else {
        return;
    };
    for (k, v) in m {
        if validate {
            let canon = canonical_header(&k.name);
            if RESERVED_HEADERS.contains(&canon.as_str()) {
                let m = format!("setting header {canon:?} is not allowed");
                ctx.error(k.pos, RESERVED_HEADER, msg(&w, &m));
            }
        }
        let hw = label(&w, &k.name);
        let Some(hf) = ctx.map(v, &hw, &["values", "secrets", "files"]) else {
            continue;
        };
        let list = |ctx: &mut Ctx<'_>, name: &str| match hf.get(name) {
            Some(n) => ctx.strings(n, &label(&hw, name)).unwrap_or_default(),
            None => Vec::new(),
        };
        list(ctx, "values");
        let field = |kind: &str| format!("http_headers.{}.{kind}", k.name);
        for (s, p) in list(ctx, "secrets") {
            if !s.is_empty() {
                facts.secret(
                    &field("secrets"),
                    Some(Sp { v: s, pos: p, key: p }),
                    Some(&field("files")),
                );
            }
        }
        for (s, p) in list(ctx, "files") {
            if !s.is_empty() {
                facts.file(&field("files"), Some(Sp { v: s, pos: p, key: p }), true);
            }
        }
    }
}

/// Where the settings first differ from the default client, if they do.
fn custom_setting(
    f: &Fields<'_>,
    follow: Option<Sp<bool>>,
    http2: Option<Sp<bool>>,
) -> Option<Pos> {
    let mut first: Option<Pos> = None;
    for name in FIELDS {
        let Some(n) = f.get(name) else { continue };
        let differs = match *name {
            "follow_redirects" => follow.is_some_and(|b| !b.v),
            "enable_http2" => http2.is_some_and(|b| !b.v),
            "tls_config" => !all_zero(n),
            "bearer_token" | "bearer_token_file" | "no_proxy" => {
                n.scalar_text().is_some_and(|s| !s.is_empty())
            }
            "proxy_from_environment" => values::yaml_bool(n) == Some(true),
            _ => true,
        };
        let key = f.key_pos(name).unwrap_or(n.pos);
        if differs && first.is_none_or(|q| key < q) {
            first = Some(key);
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

/// SigV4 request signing (`sigv4:` of Prometheus remote write and Alertmanager configs,
/// Alertmanager SNS). An inline `secret_key` comes back in `secrets`.
pub fn check_sigv4(ctx: &mut Ctx<'_>, node: &Node, what: &str) -> HttpFacts {
    let mut facts = HttpFacts::default();
    let Some(s) = ctx.map(node, what, SIGV4_FIELDS) else {
        return facts;
    };
    for k in ["region", "profile", "service_name"] {
        ctx.str_field(&s, k, what);
    }
    let access_key = set(ctx, &s, "access_key", what);
    let secret_key = set(ctx, &s, "secret_key", what);
    let role_arn = set(ctx, &s, "role_arn", what);
    let external_id = set(ctx, &s, "external_id", what);
    ctx.bool_field(&s, "use_fips_sts_endpoint", what);
    if access_key.is_some() != secret_key.is_some() {
        let at = access_key.or(secret_key).map_or(s.pos(), |v| v.key);
        let m = "must provide a AWS SigV4 Access key and Secret Key if credentials are specified in the SigV4 config";
        ctx.error(at, INCOMPLETE, msg(what, m));
    }
    if let (Some(e), None) = (external_id, role_arn) {
        ctx.error(e.key, INCOMPLETE, msg(what, "external_id can only be used with role_arn"));
    }
    facts.secret("secret_key", secret_key, None);
    facts
}

const TRACING_FIELDS: &[&str] = &[
    "client_type",
    "endpoint",
    "sampling_fraction",
    "insecure",
    "tls_config",
    "headers",
    "compression",
    "timeout",
];

/// The `tracing:` section: the OTLP exporter of the program's own traces (Alertmanager's
/// `TracingConfig` is a copy of Prometheus'). `key` is where the `tracing` key is written (a
/// missing endpoint is reported there), `code` the caller's check ID. `headers` is left to
/// the caller (a string map in Prometheus, a `Headers` block in Alertmanager): the fields
/// come back, with what `tls_config` names.
pub fn check_tracing<'n>(
    ctx: &mut Ctx<'_>,
    node: &'n Node,
    key: Pos,
    code: &'static str,
) -> Option<(Fields<'n>, HttpFacts)> {
    let what = "tracing";
    let f = ctx.map(node, what, TRACING_FIELDS)?;
    if let Some(t) = ctx.str_field(&f, "client_type", what)
        && t.v != "http"
        && t.v != "grpc"
    {
        let m = format!("expected tracing client type to be to be http or grpc, but got {}", t.v);
        ctx.error(t.pos, code, m);
    }
    if set(ctx, &f, "endpoint", what).is_none() {
        ctx.push(
            Diagnostic::error(
                ctx.path,
                key_of(&f, "endpoint").unwrap_or(key),
                code,
                "tracing endpoint must be set",
            )
            .with_help("e.g. `endpoint: jaeger:4317`"),
        );
    }
    if let Some(c) = set(ctx, &f, "compression", what)
        && c.v != "gzip"
    {
        let m = format!("invalid compression type {} provided, valid options: gzip", c.v);
        ctx.error(c.pos, code, m);
    }
    if let Some(n) = f.get("sampling_fraction") {
        ctx.float(n, &label(what, "sampling_fraction"));
    }
    ctx.bool_field(&f, "insecure", what);
    if let Some(n) = f.get("timeout") {
        ctx.duration(n, &label(what, "timeout"));
    }
    let tls = match f.get("tls_config") {
        Some(t) => check_tls(ctx, t, &label(what, "tls_config")),
        None => HttpFacts::default(),
    };
    Some((f, tls))
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

// ----------------------------------------------------------------------------------------
// Readers with Go's decoding rules (absent and null are the zero value; any scalar reads as
// a string; booleans as yaml.v2 reads them). The label of a type error is only built when
// there is one.

/// A rule's message, prefixed with `what` when there is one.
fn msg(what: &str, m: &str) -> String {
    label(what, m)
}

fn key_of(f: &Fields<'_>, name: &str) -> Option<Pos> {
    f.get(name).map(|n| f.key_pos(name).unwrap_or(n.pos))
}

fn key_or(f: &Fields<'_>, name: &str) -> Pos {
    f.key_pos(name).unwrap_or(f.pos())
}

/// A string field set to something other than "" (Go's `!= ""` test).
fn set<'n>(ctx: &mut Ctx<'_>, f: &Fields<'n>, name: &str, what: &str) -> Option<Sp<&'n str>> {
    ctx.str_field(f, name, what).filter(|s| !s.v.is_empty())
}

/// Where the last of several alternatives is, when more than one is set.
fn more_than_one(keys: &[Option<Pos>]) -> Option<Pos> {
    (keys.iter().flatten().count() > 1).then(|| latest(keys)).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let (d, _) = run("tls_config: {min_version: TLS13, max_version: TLS12}\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("max_version must be greater than or equal"));
        assert_eq!((d[0].line, d[0].column), (1, 47));
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
    fn booleans_are_read_as_yaml_v2_does() {
        let (d, f) = run("follow_redirects: no\nenable_http2: yes\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(f.custom, Some(Pos::new(1, 1)));
        let (d, _) = run("follow_redirects: maybe\n");
        assert_eq!(d[0].code, schema::WRONG_TYPE);
    }

    #[test]
    fn files_and_auth_facts() {
        let y = "bearer_token_file: /t\ntls_config: {ca_file: ca.pem, key: k, cert: c}\noauth2:\n  client_id: i\n  token_url: http://t/\n  client_secret_file: /s\n  tls_config: {cert_file: c, key_file: k}\n";
        let (d, f) = run(y);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("at most one of basic_auth, oauth2, bearer_token"));
        let files: Vec<(&str, bool)> =
            f.files.iter().map(|x| (x.field.as_str(), x.secret)).collect();
        assert_eq!(
            files,
            vec![
                ("bearer_token_file", true),
                ("oauth2.client_secret_file", true),
                ("oauth2.tls_config.cert_file", false),
                ("oauth2.tls_config.key_file", false),
                ("tls_config.ca_file", false),
            ]
        );
        assert_eq!(f.secrets[0].field, "tls_config.key");
        assert!(f.sends_authorization());
        assert_eq!(f.any_auth(), Some(Pos::new(3, 1)));
        assert_eq!(f.custom, Some(Pos::new(1, 1)));
    }

    #[test]
    fn unvalidated_clients_still_check_tls_and_oauth2_proxy() {
        let n = parse("c:\n  bearer_token: a\n  bearer_token_file: b\n  no_proxy: x\n  tls_config: {key_file: k}\n  oauth2: {client_id: i, token_url: t, no_proxy: y}\n").expect("yaml");
        let mut diags = Vec::new();
        let mut ctx = Ctx::new("h.yml", &mut diags);
        let f = ctx.map(n.get("c").expect("c"), "c", FIELDS).expect("map");
        check_fields(&mut ctx, &f, "", false);
        let mut found: Vec<(&str, u32, &str)> =
            diags.iter().map(|d| (d.code, d.line, d.message.as_str())).collect();
        found.sort();
        assert_eq!(found.len(), 2, "{diags:?}");
        assert_eq!((found[0].0, found[0].1), (INCOMPLETE, 5));
        assert!(found[0].2.starts_with("tls_config: exactly one of cert"));
        assert_eq!((found[1].0, found[1].1), (INCOMPLETE, 6));
        assert!(found[1].2.starts_with("oauth2: if no_proxy is configured"));
    }

    #[test]
    fn sigv4_keys_go_together() {
        let n = parse("sigv4: {region: r, access_key: a, external_id: e}\n").expect("yaml");
        let mut diags = Vec::new();
        let mut ctx = Ctx::new("h.yml", &mut diags);
        check_sigv4(&mut ctx, n.get("sigv4").expect("sigv4"), "sigv4");
        let found: Vec<(&str, u32, u32)> =
            diags.iter().map(|d| (d.code, d.line, d.column)).collect();
        assert_eq!(found, vec![(INCOMPLETE, 1, 20), (INCOMPLETE, 1, 35)], "{diags:?}");
        assert!(diags[0].message.contains("must provide a AWS SigV4 Access key and Secret Key"));
    }

    #[test]
    fn canonical_headers() {
        assert_eq!(canonical_header("x-api-KEY"), "X-Api-Key");
        assert_eq!(canonical_header("bad header"), "bad header");
    }
}
