//! The one HTTP seam: a reqwest client with timeouts, and errors turned into plain sentences
//! ("connection refused", "timed out after 2s", "DNS lookup failed", "TLS error") that name
//! the URL. Every API client in `api/` is built on [`Http`].
//!
//! Every response body is read through one capped reader ([`Http::send_any`]): a body
//! larger than the [`BodyCap`] of its endpoint kind is refused when its `Content-Length`
//! says so, and otherwise reading stops at the cap with a clear error, so a misbehaving
//! server (an endless chunked body, a 500 MB answer) costs at most the cap in memory. The
//! client's timeout covers the whole request, the body included: a server that drips its
//! body forever is cut at the timeout.

use std::error::Error as _;
use std::fmt;
use std::time::Duration;

use reqwest::{Method, StatusCode};

use crate::output::redact_url;
use serde::de::DeserializeOwned;

/// The most a response body may hold, by endpoint kind (documented in docs/health.md and
/// docs/dashboards.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyCap {
    /// Health and status answers (`/-/healthy`, `/-/ready`, Grafana's `/api/health`,
    /// Horizon's `/health` and root, Jaeger's admin and UI, Loki's `/ready`): 1 MiB.
    Status,
    /// API answers (Prometheus queries, targets, rules and alerts; Alertmanager status and
    /// silences; `/metrics` exposition text): 16 MiB.
    Api,
    /// Grafana objects (dashboards, search results, folders, data sources, alerting objects,
    /// as read by `dashboards` and `backup`): 64 MiB.
    Objects,
    /// Any other limit (tests, callers with their own budget).
    Bytes(usize),
}

impl BodyCap {
    pub const fn bytes(self) -> usize {
        match self {
            BodyCap::Status => 1 << 20,
            BodyCap::Api => 16 << 20,
            BodyCap::Objects => 64 << 20,
            BodyCap::Bytes(n) => n,
        }
    }

    fn what(self) -> &'static str {
        match self {
            BodyCap::Status => "a health or status answer",
            BodyCap::Api => "an API answer",
            BodyCap::Objects => "a Grafana object",
            BodyCap::Bytes(_) => "this answer",
        }
    }
}

/// `1 MiB`, `512 KiB`, `300 B`: the tool's one size unit.
pub fn fmt_bytes(n: u64) -> String {
    crate::output::words::size(n)
}

/// What went wrong talking to a server, classified for humans and for health statuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpErrorKind {
    /// Name resolution failed.
    Dns,
    /// Nothing listens at the address.
    Refused,
    /// No answer within the timeout.
    Timeout,
    /// TLS handshake or certificate problem.
    Tls,
    /// Other connection-level failure.
    Connect,
    /// The server answered with a non-success status.
    Status(u16),
    /// The body could not be read or decoded.
    Body,
    /// The URL itself is wrong.
    Url,
}

/// An HTTP failure with a message that says what happened and where.
#[derive(Debug, Clone)]
pub struct HttpError {
    pub kind: HttpErrorKind,
    pub url: String,
    pub message: String,
    /// The response body (for status errors), trimmed.
    pub body: Option<String>,
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.url, self.message)
    }
}

impl std::error::Error for HttpError {}

impl HttpError {
    pub fn status(&self) -> Option<u16> {
        match self.kind {
            HttpErrorKind::Status(s) => Some(s),
            _ => None,
        }
    }

    /// Connection-level problems and 5xx: worth a retry.
    pub fn is_retryable(&self) -> bool {
        match self.kind {
            HttpErrorKind::Refused | HttpErrorKind::Connect | HttpErrorKind::Timeout => true,
            HttpErrorKind::Status(s) => s >= 500,
            _ => false,
        }
    }

    /// Classify a reqwest error; `timeout` is what the caller allowed.
    pub fn from_reqwest(url: &str, e: &reqwest::Error, timeout: Duration) -> HttpError {
        let chain = error_chain(e);
        let lower = chain.to_ascii_lowercase();
        let (kind, message) = if e.is_timeout() || lower.contains("timed out") {
            (HttpErrorKind::Timeout, format!("no answer within {}", fmt_duration(timeout)))
        } else if lower.contains("dns error")
            || lower.contains("failed to lookup address")
            || lower.contains("name or service not known")
            || lower.contains("no address associated")
            || lower.contains("nodename nor servname")
        {
            let host = reqwest::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_string));
            (
                HttpErrorKind::Dns,
                format!("DNS lookup failed for {}", host.unwrap_or_else(|| "the host".into())),
            )
        } else if lower.contains("connection refused") {
            (HttpErrorKind::Refused, "connection refused (nothing listens there)".to_string())
        } else if lower.contains("invalidcontenttype") {
            // rustls got something that is not TLS: the server speaks plain HTTP.
            (
                HttpErrorKind::Tls,
                format!("TLS error: {} (the server speaks plain HTTP? use http://)", last_cause(e)),
            )
        } else if lower.contains("certificate")
            || lower.contains("tls")
            || lower.contains("handshake")
            || lower.contains("invalid peer")
            || lower.contains("unknownissuer")
            || lower.contains("corrupt message")
            || lower.contains("received fatal alert")
            || lower.contains("peer is incompatible")
            || lower.contains("peer misbehaved")
        {
            (HttpErrorKind::Tls, format!("TLS error: {}", last_cause(e)))
        } else if e.is_builder() {
            (HttpErrorKind::Url, format!("bad URL: {}", last_cause(e)))
        } else if e.is_decode() || e.is_body() {
            (HttpErrorKind::Body, format!("unreadable response: {}", last_cause(e)))
        } else if lower.contains("connection reset") || lower.contains("connection closed") {
            (HttpErrorKind::Connect, "the server closed the connection".to_string())
        } else {
            (HttpErrorKind::Connect, format!("cannot connect: {}", last_cause(e)))
        };
        HttpError {
            kind,
            url: redact_url(url).into_owned(),
            message: redact_url(&message).into_owned(),
            body: None,
        }
    }
}

fn error_chain(e: &reqwest::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        s.push_str(": ");
        s.push_str(&c.to_string());
        src = c.source();
    }
    s
}

fn last_cause(e: &reqwest::Error) -> String {
    let mut last = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        last = c.to_string();
        src = c.source();
    }
    last
}

/// `1.5s`, `200ms`.
pub fn fmt_duration(d: Duration) -> String {
    if d.as_millis() < 1000 {
        format!("{}ms", d.as_millis())
    } else if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// rustls needs a process-wide crypto provider (ring); installed once, before any client.
pub fn install_crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// A response whose status was a success.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Response {
    pub fn json<T: DeserializeOwned>(&self, url: &str) -> Result<T, HttpError> {
        serde_json::from_str(&self.body).map_err(|e| HttpError {
            kind: HttpErrorKind::Body,
            url: url.to_string(),
            message: self.not_json_message(&e),
            body: Some(truncate(&self.body, 300)),
        })
    }

    fn content_type(&self) -> &str {
        self.headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or(v).trim())
            .unwrap_or("")
    }

    /// Why the body could not be decoded, in words: an HTML page (a login page, a proxy, a
    /// web UI at the wrong URL) or other non-JSON text is told apart from JSON of the wrong
    /// shape.
    fn not_json_message(&self, e: &serde_json::Error) -> String {
        let body = self.body.trim_start();
        let ct = self.content_type();
        let looks_html = ct.contains("html")
            || body.get(..15).is_some_and(|b| b.eq_ignore_ascii_case("<!doctype html>"))
            || body.get(..5).is_some_and(|b| b.eq_ignore_ascii_case("<html"));
        if looks_html {
            let title = html_title(body).map(|t| format!(" (title \"{t}\")")).unwrap_or_default();
            return format!(
                "expected JSON, got an HTML page{title}: is the URL right, or is a proxy or login page in the way?"
            );
        }
        let is_json = serde_json::from_str::<serde::de::IgnoredAny>(&self.body).is_ok();
        if !is_json {
            let what = if body.is_empty() {
                "an empty body".to_string()
            } else {
                format!("\"{}\"", truncate(body.lines().next().unwrap_or(body), 60))
            };
            let ct = if ct.is_empty() { String::new() } else { format!(" ({ct})") };
            return format!("expected JSON, got {what}{ct}");
        }
        format!("unexpected JSON: {}", strip_position(&e.to_string()))
    }
}

/// The text of an HTML page's `<title>`, trimmed and shortened.
fn html_title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let t = html.get(open_end..close)?.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then(|| truncate(&t, 60))
}

/// serde_json's message without its ` at line L column C` (the position in a one-line
/// API answer tells a user nothing).
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) if msg[i..].contains(" column ") => msg[..i].to_string(),
        _ => msg.to_string(),
    }
}

/// A base URL plus a reqwest client with a per-request timeout.
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
    /// The base requests go to (credentials in it included).
    request_base: String,
    /// The base as shown: credentials hidden ([`crate::output::redact_url`]).
    base: String,
    timeout: Duration,
    headers: reqwest::header::HeaderMap,
    cap: BodyCap,
}

impl Http {
    /// A client for `base` (scheme://host:port[/prefix]) with `timeout` per request.
    pub fn new(base: &str, timeout: Duration) -> Result<Http, HttpError> {
        install_crypto_provider();
        let client = reqwest::Client::builder()
            .user_agent(concat!("stellar-obs/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(timeout)
            .timeout(timeout)
            .pool_idle_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| HttpError::from_reqwest(base, &e, timeout))?;
        let base = base.trim_end_matches('/').to_string();
        Ok(Http {
            client,
            base: redact_url(&base).into_owned(),
            request_base: base,
            timeout,
            headers: reqwest::header::HeaderMap::new(),
            cap: BodyCap::Api,
        })
    }

    /// The same client with another body cap (the default is [`BodyCap::Api`]).
    pub fn capped(&self, cap: BodyCap) -> Http {
        Http { cap, ..self.clone() }
    }

    pub fn cap(&self) -> BodyCap {
        self.cap
    }

    /// Add a header sent with every request (auth, org id). Values are never logged.
    pub fn with_header(mut self, name: &'static str, value: &str) -> Result<Http, HttpError> {
        let mut v = reqwest::header::HeaderValue::from_str(value).map_err(|_| HttpError {
            kind: HttpErrorKind::Url,
            url: self.base.clone(),
            message: format!("header {name} has characters HTTP does not allow"),
            body: None,
        })?;
        if name.eq_ignore_ascii_case("authorization") {
            v.set_sensitive(true);
        }
        self.headers.insert(name, v);
        Ok(self)
    }

    /// The same client (connection pool, timeout, headers) for another base URL: building
    /// a reqwest client costs milliseconds, sharing one is free.
    pub fn with_base(&self, base: &str) -> Http {
        let base = base.trim_end_matches('/').to_string();
        Http {
            client: self.client.clone(),
            base: redact_url(&base).into_owned(),
            request_base: base,
            timeout: self.timeout,
            headers: self.headers.clone(),
            cap: self.cap,
        }
    }

    /// The base URL as shown (credentials hidden).
    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The full URL of `path` (which starts with `/`) as shown: credentials hidden.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// The full URL requests go to.
    fn request_url(&self, path: &str) -> String {
        format!("{}{}", self.request_base, path)
    }

    /// Send a request; a non-2xx status is an error carrying the body.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        extra_headers: &[(&'static str, String)],
    ) -> Result<Response, HttpError> {
        let r = self.send_any(method, path, body, extra_headers).await?;
        if (200..300).contains(&r.status) {
            Ok(r)
        } else {
            let url = self.url(path);
            Err(status_error(&url, r.status, &r.body))
        }
    }

    /// Send a request and return the response whatever its status.
    pub async fn send_any(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        extra_headers: &[(&'static str, String)],
    ) -> Result<Response, HttpError> {
        let url = self.url(path);
        let mut req =
            self.client.request(method, self.request_url(path)).headers(self.headers.clone());
        for (k, v) in extra_headers {
            req = req.header(*k, v);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = req.send().await.map_err(|e| HttpError::from_reqwest(&url, &e, self.timeout))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = self.read_capped(&url, resp).await?;
        Ok(Response { status, body, headers })
    }

    /// The body, at most [`Self::cap`] bytes: refused up front when `Content-Length` says
    /// it is larger, cut off with an error when it grows past the cap while streaming.
    /// Invalid UTF-8 is replaced (bodies are JSON or text).
    async fn read_capped(
        &self,
        url: &str,
        mut resp: reqwest::Response,
    ) -> Result<String, HttpError> {
        let cap = self.cap.bytes();
        let too_large = |what: String| HttpError {
            kind: HttpErrorKind::Body,
            url: url.to_string(),
            message: format!(
                "the answer is too large: {what}, more than the {} allowed for {}; stopped reading (a misbehaving server, or the wrong URL?)",
                fmt_bytes(cap as u64),
                self.cap.what()
            ),
            body: None,
        };
        if let Some(n) = resp.content_length()
            && n > cap as u64
        {
            return Err(too_large(format!("Content-Length {}", fmt_bytes(n))));
        }
        let mut buf: Vec<u8> = Vec::new();
        while let Some(chunk) =
            resp.chunk().await.map_err(|e| HttpError::from_reqwest(url, &e, self.timeout))?
        {
            if buf.len() + chunk.len() > cap {
                return Err(too_large(format!(
                    "{} read so far",
                    fmt_bytes((buf.len() + chunk.len()) as u64)
                )));
            }
            buf.extend_from_slice(&chunk);
        }
        Ok(match String::from_utf8(buf) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        })
    }

    pub async fn get(&self, path: &str) -> Result<Response, HttpError> {
        self.send(Method::GET, path, None, &[]).await
    }

    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, HttpError> {
        let r = self.get(path).await?;
        r.json(&self.url(path))
    }

    pub async fn post_json<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<T, HttpError> {
        let r = self.send(Method::POST, path, Some(body), &[]).await?;
        r.json(&self.url(path))
    }

    /// The underlying reqwest client (streaming downloads).
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Headers sent with every request.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }
}

/// A status error whose message includes the server's own words: the `message` or `error`
/// field of a JSON body, else the start of the body.
pub fn status_error(url: &str, status: u16, body: &str) -> HttpError {
    let reason = StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason().map(str::to_string))
        .unwrap_or_default();
    let server = server_message(body);
    let message = match server {
        Some(m) => format!("HTTP {status} {reason}: {m}"),
        None => format!("HTTP {status} {reason}"),
    };
    HttpError {
        kind: HttpErrorKind::Status(status),
        url: redact_url(url).into_owned(),
        message: message.trim().to_string(),
        body: Some(truncate(body, 2000)),
    }
}

/// The server's message from a JSON error body (`message`, `error`), or the first line of a
/// text body.
pub fn server_message(body: &str) -> Option<String> {
    let t = body.trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(t) {
        for k in ["message", "error", "msg"] {
            if let Some(s) = v.get(k).and_then(|m| m.as_str()) {
                return Some(s.to_string());
            }
        }
        if let Some(s) = v.as_str() {
            return Some(s.to_string());
        }
    }
    Some(truncate(t.lines().next().unwrap_or(t), 200))
}

/// Percent-encode everything but RFC 3986 unreserved characters (query values, path
/// segments), for every client.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_messages() {
        assert_eq!(
            server_message(r#"{"message":"Dashboard not found"}"#).as_deref(),
            Some("Dashboard not found")
        );
        assert_eq!(
            server_message(r#"{"status":"error","error":"admin APIs disabled"}"#).as_deref(),
            Some("admin APIs disabled")
        );
        assert_eq!(
            server_message("end time can't be in the past\n").as_deref(),
            Some("end time can't be in the past")
        );
        assert_eq!(server_message("  "), None);
    }

    #[test]
    fn status_errors_carry_the_server_words() {
        let e = status_error(
            "http://x/api",
            412,
            r#"{"status":"version-mismatch","message":"changed"}"#,
        );
        assert_eq!(e.status(), Some(412));
        assert_eq!(e.message, "HTTP 412 Precondition Failed: changed");
        assert!(!e.is_retryable());
        assert!(status_error("u", 503, "").is_retryable());
    }

    fn response(content_type: &str, body: &str) -> Response {
        let mut headers = reqwest::header::HeaderMap::new();
        if !content_type.is_empty() {
            headers.insert(
                reqwest::header::CONTENT_TYPE,
                reqwest::header::HeaderValue::from_str(content_type).expect("header"),
            );
        }
        Response { status: 200, body: body.to_string(), headers }
    }

    #[test]
    fn answers_that_are_not_json_are_described() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Health {
            database: String,
        }
        let html = response(
            "text/html; charset=utf-8",
            "<!doctype html><html><head><title>\n Sign in - Acme SSO </title></head></html>",
        );
        let e = html.json::<Health>("http://g/api/health").expect_err("html");
        assert_eq!(e.kind, HttpErrorKind::Body);
        assert_eq!(
            e.message,
            "expected JSON, got an HTML page (title \"Sign in - Acme SSO\"): is the URL right, or is a proxy or login page in the way?"
        );
        let text = response("text/plain", "404 page not found\n");
        let e = text.json::<Health>("u").expect_err("text");
        assert_eq!(e.message, "expected JSON, got \"404 page not found\" (text/plain)");
        let e = response("", "").json::<Health>("u").expect_err("empty");
        assert_eq!(e.message, "expected JSON, got an empty body");
        let e =
            response("application/json", r#"{"db":"ok"}"#).json::<Health>("u").expect_err("shape");
        assert_eq!(e.message, "unexpected JSON: missing field `database`");
    }

    #[test]
    fn durations() {
        assert_eq!(fmt_duration(Duration::from_millis(200)), "200ms");
        assert_eq!(fmt_duration(Duration::from_secs(2)), "2s");
        assert_eq!(fmt_duration(Duration::from_millis(1500)), "1.5s");
    }

    #[tokio::test]
    async fn refused_connection_is_named() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().expect("addr").port();
        drop(l);
        let h =
            Http::new(&format!("http://127.0.0.1:{port}"), Duration::from_secs(2)).expect("client");
        let e = h.get("/").await.expect_err("refused");
        assert_eq!(e.kind, HttpErrorKind::Refused, "{e}");
        assert!(e.to_string().contains("connection refused"));
    }

    #[tokio::test]
    async fn https_to_a_plain_http_server_is_a_tls_error() {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = l.local_addr().expect("addr").port();
        let _srv = tokio::spawn(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            while let Ok((mut s, _)) = l.accept().await {
                let mut buf = [0u8; 1024];
                let _ = s.read(&mut buf).await;
                let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n").await;
            }
        });
        let h = Http::new(&format!("https://127.0.0.1:{port}"), Duration::from_secs(2)).expect("c");
        let e = h.get("/").await.expect_err("tls");
        assert_eq!(e.kind, HttpErrorKind::Tls, "{e}");
        assert!(e.message.starts_with("TLS error: "), "{e}");
    }

    /// A server that answers every connection with `head`, `body` repeated `times`, `tail`.
    async fn serve(
        head: &'static str,
        body: &'static [u8],
        times: usize,
        tail: &'static [u8],
    ) -> u16 {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = l.local_addr().expect("addr").port();
        tokio::spawn(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            while let Ok((mut s, _)) = l.accept().await {
                tokio::spawn(async move {
                    let mut buf = [0u8; 1024];
                    let _ = s.read(&mut buf).await;
                    let _ = s.write_all(head.as_bytes()).await;
                    for _ in 0..times {
                        if s.write_all(body).await.is_err() {
                            return;
                        }
                    }
                    let _ = s.write_all(tail).await;
                });
            }
        });
        port
    }

    #[tokio::test]
    async fn bodies_stop_at_the_cap() {
        // Chunked, 1000 chunks of 10 bytes: 10 000 bytes against a cap of 4 096.
        let port = serve(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
            b"a\r\n0123456789\r\n",
            1000,
            b"0\r\n\r\n",
        )
        .await;
        let h = Http::new(&format!("http://127.0.0.1:{port}"), Duration::from_secs(5))
            .expect("c")
            .capped(BodyCap::Bytes(4096));
        let e = h.get("/").await.expect_err("too large");
        assert_eq!(e.kind, HttpErrorKind::Body, "{e}");
        assert!(e.message.starts_with("the answer is too large: "), "{e}");
        assert!(e.message.contains("more than the 4 KiB allowed"), "{e}");
        // Under the cap, the same body is read whole.
        let h = h.capped(BodyCap::Bytes(20_000));
        assert_eq!(h.get("/").await.expect("read").body.len(), 10_000);

        // A Content-Length above the cap is refused before a byte of the body is read.
        let port =
            serve("HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n", b"x", 1, b"").await;
        let h = Http::new(&format!("http://127.0.0.1:{port}"), Duration::from_secs(5))
            .expect("c")
            .capped(BodyCap::Status);
        let e = h.get("/").await.expect_err("too large");
        assert!(e.message.contains("Content-Length 9.3 GiB, more than the 1 MiB"), "{e}");
        assert_eq!(fmt_bytes(300), "300 B");
        assert_eq!(fmt_bytes(16 << 20), "16 MiB");
    }

    #[tokio::test]
    async fn hanging_server_times_out() {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = l.local_addr().expect("addr").port();
        let _keep = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((s, _)) = l.accept().await {
                held.push(s);
            }
        });
        let h =
            Http::new(&format!("http://127.0.0.1:{port}"), Duration::from_millis(300)).expect("c");
        let t0 = std::time::Instant::now();
        let e = h.get("/").await.expect_err("timeout");
        assert_eq!(e.kind, HttpErrorKind::Timeout, "{e}");
        assert!(t0.elapsed() < Duration::from_secs(3));
        assert!(e.message.contains("300ms"));
    }
}
