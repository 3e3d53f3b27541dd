//! A tiny HTTP/1.1 server for tests, on std threads (no async runtime needed), bound to
//! 127.0.0.1 on a port chosen by the OS: canned answers, delays, hanging connections,
//! a record of every request. Plus [`http_get`], a minimal blocking client for polling.
//!
//! ```ignore
//! // One answer for every path:
//! let s = TestServer::start(|_req| Response::text(503, "Service Unavailable").into());
//! // A route table (anything else is 404):
//! let s = TestServer::routes(vec![
//!     ("/health", Response::json(r#"{"database_connected":true}"#)),
//!     ("/", Response::json("{}").with_delay(Duration::from_millis(200))),
//! ]);
//! // Accepts connections and never answers:
//! let s = TestServer::hanging();
//! bin().env("STELLAR_OBS_LOKI_URL", s.url());
//! assert_eq!(s.hits("/ready"), 1);
//! ```
//! Dropping the server stops it (hanging connections are closed too).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The request target: path and query (`/api/v1/targets?state=active`).
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// A header's value (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A canned response.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: Duration,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    /// 200 text/plain.
    pub fn ok(body: impl Into<Vec<u8>>) -> Response {
        Response::new(200, "text/plain; charset=utf-8", body)
    }

    /// `status` text/plain.
    pub fn text(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response::new(status, "text/plain; charset=utf-8", body)
    }

    /// 200 application/json.
    pub fn json(body: impl Into<Vec<u8>>) -> Response {
        Response::new(200, "application/json", body)
    }

    /// 200 in the Prometheus text exposition format.
    pub fn metrics(body: impl Into<Vec<u8>>) -> Response {
        Response::new(200, "text/plain; version=0.0.4; charset=utf-8", body)
    }

    pub fn with_status(mut self, status: u16) -> Response {
        self.status = status;
        self
    }

    pub fn with_delay(mut self, d: Duration) -> Response {
        self.delay = d;
        self
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// What the handler wants done with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    Respond(Response),
    /// Keep the connection open and never answer.
    Hang,
    /// Close the connection without answering.
    Close,
    /// 200 with a chunked body that never ends: `chunk` again and again until the client
    /// goes away or the server stops (a misbehaving server, a memory attack).
    Endless {
        content_type: String,
        chunk: Vec<u8>,
    },
    /// 200 with a chunked body that sends one byte every `every`, forever (a slow drip
    /// that stays under any size cap: only a timeout that covers the body ends it).
    Drip {
        every: Duration,
    },
}

impl From<Response> for Reply {
    fn from(r: Response) -> Reply {
        Reply::Respond(r)
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync + 'static;

/// A running test server; stopped on drop.
pub struct TestServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    requests: Arc<Mutex<Vec<Request>>>,
    thread: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Serve every request with `handler`.
    pub fn start<F>(handler: F) -> TestServer
    where
        F: Fn(&Request) -> Reply + Send + Sync + 'static,
    {
        TestServer::start_on("127.0.0.1", handler)
    }

    /// Serve on `ip` (a port chosen by the OS): containers reach the host on the Docker
    /// bridge's gateway address, not on 127.0.0.1.
    pub fn start_on<F>(ip: &str, handler: F) -> TestServer
    where
        F: Fn(&Request) -> Reply + Send + Sync + 'static,
    {
        let listener =
            TcpListener::bind(format!("{ip}:0")).unwrap_or_else(|e| panic!("bind {ip}:0: {e}"));
        let addr = listener.local_addr().expect("local addr");
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let (stop2, reqs2) = (stop.clone(), requests.clone());
        let thread = std::thread::spawn(move || {
            let mut workers = Vec::new();
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = conn else { continue };
                let (h, s, r) = (handler.clone(), stop2.clone(), reqs2.clone());
                workers.push(std::thread::spawn(move || serve(stream, &*h, &s, &r)));
            }
            for w in workers {
                let _ = w.join();
            }
        });
        TestServer { addr, stop, requests, thread: Some(thread) }
    }

    /// Exact path → response (the query is ignored); anything else answers 404.
    pub fn routes(routes: Vec<(&str, Response)>) -> TestServer {
        let table: Vec<(String, Response)> =
            routes.into_iter().map(|(p, r)| (p.to_string(), r)).collect();
        TestServer::start(move |req| {
            table
                .iter()
                .find(|(p, _)| p == req.path())
                .map(|(_, r)| Reply::Respond(r.clone()))
                .unwrap_or_else(|| Response::text(404, "404 page not found\n").into())
        })
    }

    /// The same response for every request.
    pub fn always(r: Response) -> TestServer {
        TestServer::start(move |_| Reply::Respond(r.clone()))
    }

    /// Accepts connections, reads the request, never answers.
    pub fn hanging() -> TestServer {
        TestServer::start(|_| Reply::Hang)
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// How many requests asked for `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path() == path).count()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Sleep `d` in small steps, returning early (false) when the server stops.
fn nap(d: Duration, stop: &AtomicBool) -> bool {
    let end = Instant::now() + d;
    while Instant::now() < end {
        if stop.load(Ordering::SeqCst) {
            return false;
        }
        std::thread::sleep((end - Instant::now()).min(Duration::from_millis(20)));
    }
    true
}

fn serve(mut stream: TcpStream, handler: &Handler, stop: &AtomicBool, log: &Mutex<Vec<Request>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
    let Some(req) = read_request(&mut stream, stop) else { return };
    if let Ok(mut l) = log.lock() {
        l.push(req.clone());
    }
    match handler(&req) {
        Reply::Close => {}
        Reply::Hang => while nap(Duration::from_millis(50), stop) {},
        Reply::Endless { content_type, chunk } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            );
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
            framed.extend_from_slice(&chunk);
            framed.extend_from_slice(b"\r\n");
            let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
            while write_until_stop(&mut stream, &framed, stop) {}
        }
        Reply::Drip { every } => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n1\r\n[\r\n";
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            while nap(every, stop) && stream.write_all(b"1\r\n \r\n").is_ok() {}
        }
        Reply::Respond(r) => {
            if !nap(r.delay, stop) {
                return;
            }
            let reason = reason(r.status);
            let mut head = format!("HTTP/1.1 {} {reason}\r\n", r.status);
            for (k, v) in &r.headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str(&format!(
                "Content-Length: {}\r\nConnection: close\r\n\r\n",
                r.body.len()
            ));
            let _ = stream.write_all(head.as_bytes());
            if req.method != "HEAD" {
                let _ = stream.write_all(&r.body);
            }
            let _ = stream.flush();
        }
    }
}

/// Write all of `buf`, waiting while the client is slow; false when the client went away or
/// the server stops.
fn write_until_stop(stream: &mut TcpStream, mut buf: &[u8], stop: &AtomicBool) -> bool {
    while !buf.is_empty() {
        if stop.load(Ordering::SeqCst) {
            return false;
        }
        match stream.write(buf) {
            Ok(0) => return false,
            Ok(n) => buf = &buf[n..],
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut
                    || e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
    true
}

fn read_request(stream: &mut TcpStream, stop: &AtomicBool) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        if buf.first() == Some(&0x16) {
            // A TLS ClientHello on this plain-HTTP server: reject it as a plain HTTP server
            // would, so clients see a TLS error at once rather than a timeout.
            let _ = stream.write_all(
                b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
            return None;
        }
        match stream.read(&mut chunk) {
            Ok(0) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut =>
            {
                if stop.load(Ordering::SeqCst) {
                    return None;
                }
            }
            Err(_) => return None,
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split_whitespace();
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut =>
            {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    Some(Request { method, target, headers, body })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        412 => "Precondition Failed",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// A minimal blocking `GET` for `http://host:port/path` (tests poll servers with it):
/// the status and the body. Times out after `timeout`.
pub fn http_get(url: &str, timeout: Duration) -> std::io::Result<(u16, String)> {
    http_request("GET", url, None, timeout)
}

/// A minimal blocking request (`POST`/`PUT` with an optional body).
pub fn http_request(
    method: &str,
    url: &str,
    body: Option<&str>,
    timeout: Duration,
) -> std::io::Result<(u16, String)> {
    let bad = || {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("not http://host:port/path: {url}"),
        )
    };
    let rest = url.strip_prefix("http://").ok_or_else(bad)?;
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let addr: SocketAddr =
        std::net::ToSocketAddrs::to_socket_addrs(hostport)?.next().ok_or_else(bad)?;
    let mut s = TcpStream::connect_timeout(&addr, timeout)?;
    s.set_read_timeout(Some(timeout))?;
    s.set_write_timeout(Some(timeout))?;
    let body = body.unwrap_or("");
    let req = format!(
        "{method} {path} HTTP/1.0\r\nHost: {hostport}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes())?;
    let mut out = Vec::new();
    s.read_to_end(&mut out)?;
    let text = String::from_utf8_lossy(&out).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidData, "no HTTP status line")
    })?;
    Ok((status, body.to_string()))
}
