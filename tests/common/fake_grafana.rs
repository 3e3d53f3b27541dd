//! A fake Grafana HTTP API (10.x / 11.x) for the tests, following
//! `../shared/docs/grafana-api.md` section 3. Grafana cannot run here; this server behaves
//! like it on the endpoints stellar-obs uses, including the error cases peers trip over.
//!
//! ```ignore
//! let g = FakeGrafana::start(FakeConfig { version: "11.2.0".into(), ..FakeConfig::default() });
//! g.add_folder("ops", "Ops", None);
//! // run the binary with STELLAR_OBS_GRAFANA_URL=g.url and GRAFANA_TOKEN=g.token()
//! assert_eq!(g.requests("POST /api/dashboards/db"), 1);
//! ```
//!
//! What it models:
//! - **auth**: `Authorization: Bearer <token>` or `Basic` for configured users; anything else
//!   401 (`/api/health` is open). `X-Grafana-Org-Id` is recorded per request.
//! - **`/api/search`**: `query` (case-insensitive substring), `type`, `folderUIDs` (`general` =
//!   root), `dashboardUIDs`, `tag`, `limit` (default 1000; above 5000 → 422), `page` (1-based).
//! - **folders**: list by `parentUid` (one level, paged), get, create (409 on uid clash; before
//!   Grafana 11 also on a title clash at the same level), update with version check (412),
//!   nesting only when enabled (default: Grafana ≥ 11; off → `parentUid` ignored).
//! - **`/api/dashboards/db`**: create (version 1) / update (version + 1); 412
//!   `version-mismatch`, `plugin-dashboard`, `name-exists` (Grafana ≤ 11.2 only; with
//!   `overwrite` the same-titled dashboard is taken over, as Grafana does); 400 for provisioned
//!   dashboards, empty titles, bad uids, missing folders.
//! - **`/api/dashboards/import`**: `__inputs` checked against `inputs` (by type and name or
//!   `*`; `__expr__` auto-filled), `${NAME}` substituted in strings, `__inputs`/`__requires`/
//!   `__elements` dropped, then saved as `/db` does; a missing input is a 400 naming it.
//! - **datasources**: list, get by uid (with `secureJsonFields`, never secret values), create
//!   (409 on name or uid clash), update (403 for read-only, secrets kept when omitted).
//! - **alerting provisioning** (`/api/v1/provisioning/*`): alert rules (folder and
//!   datasources must exist; 201), contact points (secret settings answered `[REDACTED]`,
//!   kept when written back as `[REDACTED]`; 202), the policy tree (receivers and mute
//!   timings must exist; 202), mute timings, templates. `provenance` is `api` unless the write
//!   carried `X-Disable-Provenance: true` (then `""`); `api` cannot go back to `""`.
//! - **folder moves**: `POST /api/folders/{uid}/move`.
//! - **test hooks**: request counts per route, max requests in flight, injected failures,
//!   latency per request, and `/__fake/reset` + `/__fake/stats` for out-of-process use.
//!
//! Extending it: add a route in [`router`], a handler that locks [`Shared`] only briefly
//! (never across an `.await`), and Grafana's error shape (`{"message"}` plus `status` where
//! the contract lists one).

#![allow(dead_code)]
// Handlers return Grafana-shaped error responses as `Err(Response)`; nested ifs mirror the
// order of checks in Grafana's code.
#![allow(clippy::result_large_err, clippy::collapsible_if)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{MatchedPath, Path, RawQuery, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use base64::Engine as _;
use serde_json::{Map, Value, json};

/// How the fake behaves.
#[derive(Debug, Clone)]
pub struct FakeConfig {
    /// Reported by `/api/health`; decides version-specific behaviour.
    pub version: String,
    /// Accepted service-account tokens (Bearer).
    pub tokens: Vec<String>,
    /// Accepted basic-auth users.
    pub users: Vec<(String, String)>,
    /// Added to every request (except `/__fake/*`).
    pub latency: Duration,
    /// Nested folders; `None` = on from Grafana 11.
    pub nested_folders: Option<bool>,
    /// `[auth.anonymous] hide_version`.
    pub hide_version: bool,
}

impl Default for FakeConfig {
    fn default() -> Self {
        FakeConfig {
            version: "11.6.0".into(),
            tokens: vec![DEFAULT_TOKEN.into()],
            users: vec![("admin".into(), "admin-password".into())],
            latency: Duration::ZERO,
            nested_folders: None,
            hide_version: false,
        }
    }
}

pub const DEFAULT_TOKEN: &str = "glsa_fake_token_0123456789";

impl FakeConfig {
    pub fn version(v: &str) -> Self {
        FakeConfig { version: v.into(), ..FakeConfig::default() }
    }

    fn parsed_version(&self) -> (u32, u32) {
        let mut it = self.version.split(['.', '-', '+']).map(|p| p.parse::<u32>().unwrap_or(0));
        (it.next().unwrap_or(0), it.next().unwrap_or(0))
    }

    /// Titles unique per folder (412 `name-exists`): Grafana ≤ 11.2.
    pub fn unique_titles(&self) -> bool {
        self.parsed_version() <= (11, 2)
    }

    pub fn nested(&self) -> bool {
        self.nested_folders.unwrap_or(self.parsed_version().0 >= 11)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FakeFolder {
    pub id: i64,
    pub uid: String,
    pub title: String,
    pub parent_uid: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FakeDashboard {
    pub id: i64,
    pub uid: String,
    pub title: String,
    pub folder_uid: Option<String>,
    pub version: i64,
    /// The stored model (with `id`, `uid`, `version` as Grafana sets them).
    pub model: Value,
    /// `Some(file)` when provisioned from a file.
    pub provisioned: Option<String>,
    /// `Some(plugin)` for a plugin's dashboard.
    pub plugin_id: Option<String>,
    /// How many saves went through the API.
    pub saves: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FakeDatasource {
    pub id: i64,
    pub uid: String,
    pub name: String,
    pub kind: String,
    pub url: String,
    pub access: String,
    pub is_default: bool,
    pub basic_auth: bool,
    pub basic_auth_user: String,
    pub json_data: Value,
    /// Never returned by the API; only the key names are (`secureJsonFields`).
    pub secure_json_data: BTreeMap<String, String>,
    pub read_only: bool,
    pub version: i64,
}

impl FakeDatasource {
    /// A new datasource as Grafana stores it: proxy access, no auth, version 1.
    fn new(id: i64, uid: &str, name: &str, kind: &str, url: String) -> FakeDatasource {
        FakeDatasource {
            id,
            uid: uid.into(),
            name: name.into(),
            kind: kind.into(),
            url,
            access: "proxy".into(),
            is_default: false,
            basic_auth: false,
            basic_auth_user: String::new(),
            json_data: json!({}),
            secure_json_data: BTreeMap::new(),
            read_only: false,
            version: 1,
        }
    }
}

/// One request as the fake saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub query: String,
    pub route: String,
    pub org_id: Option<String>,
    pub status: u16,
}

#[derive(Debug, Clone)]
struct Failure {
    route: String,
    status: u16,
    remaining: usize,
}

/// Everything the fake holds; tests read and change it through [`FakeGrafana`].
#[derive(Debug)]
pub struct FakeState {
    pub config: FakeConfig,
    next_id: i64,
    pub folders: BTreeMap<String, FakeFolder>,
    pub dashboards: BTreeMap<String, FakeDashboard>,
    pub datasources: BTreeMap<String, FakeDatasource>,
    /// `"POST /api/dashboards/db"` → count (route patterns, e.g. `/api/folders/{uid}`).
    pub requests: BTreeMap<String, usize>,
    pub log: Vec<RequestRecord>,
    pub in_flight: usize,
    pub max_in_flight: usize,
    failures: Vec<Failure>,
    /// Alerting provisioning objects: rules by uid, contact points by uid (secrets in the
    /// clear), the policy tree, mute timings and templates by name.
    pub alert_rules: BTreeMap<String, Value>,
    pub contact_points: BTreeMap<String, Value>,
    pub policies: Value,
    pub mute_timings: BTreeMap<String, Value>,
    pub templates: BTreeMap<String, Value>,
    /// Provisioning writes, and how many of them carried `X-Disable-Provenance: true`.
    pub provisioning_writes: usize,
    pub provenance_disabled: usize,
}

pub type Shared = Arc<Mutex<FakeState>>;

fn lock(s: &Shared) -> MutexGuard<'_, FakeState> {
    match s.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

impl FakeState {
    fn new(config: FakeConfig) -> Self {
        FakeState {
            config,
            next_id: 1,
            folders: BTreeMap::new(),
            dashboards: BTreeMap::new(),
            datasources: BTreeMap::new(),
            requests: BTreeMap::new(),
            log: Vec::new(),
            in_flight: 0,
            max_in_flight: 0,
            failures: Vec::new(),
            alert_rules: BTreeMap::new(),
            contact_points: BTreeMap::new(),
            policies: default_policies(),
            mute_timings: BTreeMap::new(),
            templates: BTreeMap::new(),
            provisioning_writes: 0,
            provenance_disabled: 0,
        }
    }

    fn id(&mut self) -> i64 {
        let i = self.next_id;
        self.next_id += 1;
        i
    }

    fn new_uid(&mut self, prefix: &str) -> String {
        let i = self.id();
        format!("{prefix}{i:010}")
    }

    /// Titles from the root to `uid`.
    pub fn folder_path(&self, uid: Option<&str>) -> String {
        let mut parts = Vec::new();
        let mut cur = uid.map(str::to_string);
        while let Some(u) = cur {
            let Some(f) = self.folders.get(&u) else { break };
            parts.push(f.title.clone());
            cur = f.parent_uid.clone();
        }
        parts.reverse();
        parts.join("/")
    }

    fn depth(&self, uid: &str) -> usize {
        let mut d = 0;
        let mut cur = Some(uid.to_string());
        while let Some(u) = cur {
            d += 1;
            cur = self.folders.get(&u).and_then(|f| f.parent_uid.clone());
        }
        d
    }
}

/// A running fake on `127.0.0.1:<random port>`; stops when dropped.
pub struct FakeGrafana {
    pub url: String,
    pub addr: SocketAddr,
    state: Shared,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl FakeGrafana {
    pub fn start(config: FakeConfig) -> FakeGrafana {
        Self::start_on("127.0.0.1:0", config)
    }

    /// Start on a given address (the benchmark harness picks a port).
    pub fn start_on(bind: &str, config: FakeConfig) -> FakeGrafana {
        let state: Shared = Arc::new(Mutex::new(FakeState::new(config)));
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let st = state.clone();
        let bind = bind.to_string();
        std::thread::spawn(move || {
            let rt = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = addr_tx.send(Err(e.to_string()));
                    return;
                }
            };
            rt.block_on(async move {
                let listener = match tokio::net::TcpListener::bind(&bind).await {
                    Ok(l) => l,
                    Err(e) => {
                        let _ = addr_tx.send(Err(e.to_string()));
                        return;
                    }
                };
                let _ = addr_tx.send(listener.local_addr().map_err(|e| e.to_string()));
                let _ = axum::serve(listener, router(st))
                    .with_graceful_shutdown(async {
                        let _ = stop_rx.await;
                    })
                    .await;
            });
        });
        let addr = addr_rx
            .recv()
            .expect("fake grafana thread")
            .unwrap_or_else(|e| panic!("fake grafana could not start: {e}"));
        FakeGrafana { url: format!("http://{addr}"), addr, state, shutdown: Some(stop_tx) }
    }

    pub fn state(&self) -> MutexGuard<'_, FakeState> {
        lock(&self.state)
    }

    /// The default accepted token.
    pub fn token(&self) -> String {
        self.state().config.tokens.first().cloned().unwrap_or_default()
    }

    pub fn add_folder(&self, uid: &str, title: &str, parent: Option<&str>) {
        let mut s = self.state();
        let id = s.id();
        s.folders.insert(
            uid.into(),
            FakeFolder {
                id,
                uid: uid.into(),
                title: title.into(),
                parent_uid: parent.map(str::to_string),
                version: 1,
            },
        );
    }

    /// A dashboard as if saved once through the API (version 1).
    pub fn add_dashboard(&self, model: Value, folder_uid: Option<&str>) -> FakeDashboard {
        self.insert_dashboard(model, folder_uid, None)
    }

    /// A dashboard loaded from a provisioning file (`external_id` is the file name).
    pub fn add_provisioned_dashboard(
        &self,
        model: Value,
        folder_uid: Option<&str>,
        external_id: &str,
    ) -> FakeDashboard {
        self.insert_dashboard(model, folder_uid, Some(external_id.to_string()))
    }

    fn insert_dashboard(
        &self,
        mut model: Value,
        folder_uid: Option<&str>,
        provisioned: Option<String>,
    ) -> FakeDashboard {
        let mut s = self.state();
        let id = s.id();
        let uid = match model.get("uid").and_then(Value::as_str) {
            Some(u) if !u.is_empty() => u.to_string(),
            _ => s.new_uid("d"),
        };
        let title = model.get("title").and_then(Value::as_str).unwrap_or("").to_string();
        if let Value::Object(m) = &mut model {
            m.insert("id".into(), json!(id));
            m.insert("uid".into(), json!(uid));
            m.insert("version".into(), json!(1));
        }
        let d = FakeDashboard {
            id,
            uid: uid.clone(),
            title,
            folder_uid: folder_uid.map(str::to_string),
            version: 1,
            model,
            provisioned,
            plugin_id: None,
            saves: 0,
        };
        s.dashboards.insert(uid, d.clone());
        d
    }

    pub fn add_datasource(&self, uid: &str, name: &str, kind: &str) -> FakeDatasource {
        let mut s = self.state();
        let id = s.id();
        let d = FakeDatasource::new(id, uid, name, kind, format!("http://{kind}:9000"));
        s.datasources.insert(uid.into(), d.clone());
        d
    }

    /// Change a stored datasource (secrets, readOnly …).
    pub fn update_datasource(&self, uid: &str, f: impl FnOnce(&mut FakeDatasource)) {
        if let Some(d) = self.state().datasources.get_mut(uid) {
            f(d);
        }
    }

    /// Edit a stored dashboard as a user in the UI would (version + 1).
    pub fn edit_dashboard(&self, uid: &str, f: impl FnOnce(&mut Value)) {
        let mut s = self.state();
        if let Some(d) = s.dashboards.get_mut(uid) {
            f(&mut d.model);
            d.version += 1;
            if let Value::Object(m) = &mut d.model {
                m.insert("version".into(), json!(d.version));
            }
            d.title = d.model.get("title").and_then(Value::as_str).unwrap_or("").to_string();
        }
    }

    pub fn dashboard(&self, uid: &str) -> Option<FakeDashboard> {
        self.state().dashboards.get(uid).cloned()
    }

    pub fn dashboards(&self) -> Vec<FakeDashboard> {
        self.state().dashboards.values().cloned().collect()
    }

    pub fn folders(&self) -> Vec<FakeFolder> {
        self.state().folders.values().cloned().collect()
    }

    /// `Ops/Prod` of a folder uid.
    pub fn folder_path(&self, uid: Option<&str>) -> String {
        self.state().folder_path(uid)
    }

    /// Requests seen for a route, e.g. `"POST /api/dashboards/db"` or
    /// `"GET /api/dashboards/uid/{uid}"`.
    pub fn requests(&self, route: &str) -> usize {
        self.state().requests.get(route).copied().unwrap_or(0)
    }

    pub fn total_requests(&self) -> usize {
        self.state().requests.values().sum()
    }

    pub fn log(&self) -> Vec<RequestRecord> {
        self.state().log.clone()
    }

    pub fn max_in_flight(&self) -> usize {
        self.state().max_in_flight
    }

    /// Answer the next `n` requests of `route` with `status`.
    pub fn fail_next(&self, route: &str, status: u16, n: usize) {
        self.state().failures.push(Failure { route: route.into(), status, remaining: n });
    }

    pub fn reset_counters(&self) {
        let mut s = self.state();
        s.requests.clear();
        s.log.clear();
        s.max_in_flight = 0;
    }
}

impl Drop for FakeGrafana {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Router and middleware

pub fn router(state: Shared) -> Router {
    let api = Router::new()
        .route("/api/health", get(health))
        .route("/api/search", get(search))
        .route("/api/folders", get(list_folders).post(create_folder))
        .route("/api/folders/{uid}", get(get_folder).put(update_folder))
        .route("/api/dashboards/uid/{uid}", get(get_dashboard).delete(delete_dashboard))
        .route("/api/dashboards/db", post(save_dashboard))
        .route("/api/dashboards/import", post(import_dashboard))
        .route("/api/datasources", get(list_datasources).post(create_datasource))
        .route("/api/datasources/uid/{uid}", get(get_datasource).put(update_datasource))
        .route("/api/folders/{uid}/move", post(move_folder))
        .route("/api/v1/provisioning/alert-rules", get(list_rules).post(create_rule))
        .route("/api/v1/provisioning/alert-rules/{uid}", get(get_rule).put(update_rule))
        .route("/api/v1/provisioning/contact-points", get(list_cps).post(create_cp))
        .route("/api/v1/provisioning/contact-points/{uid}", put(update_cp))
        .route("/api/v1/provisioning/policies", get(get_policies).put(set_policies))
        .route("/api/v1/provisioning/mute-timings", get(list_mutes).post(create_mute))
        .route("/api/v1/provisioning/mute-timings/{name}", get(get_mute).put(update_mute))
        .route("/api/v1/provisioning/templates", get(list_templates))
        .route("/api/v1/provisioning/templates/{name}", get(get_template).put(put_template))
        .route_layer(middleware::from_fn_with_state(state.clone(), track));
    Router::new()
        .route("/__fake/reset", post(fake_reset))
        .route("/__fake/stats", get(fake_stats))
        .merge(api)
        .fallback(|| async { err(StatusCode::NOT_FOUND, "Not found") })
        .with_state(state)
}

fn err(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({ "message": message }))).into_response()
}

fn err_status(status: StatusCode, code: &str, message: &str) -> Response {
    (status, axum::Json(json!({ "status": code, "message": message }))).into_response()
}

fn ok(v: Value) -> Response {
    (StatusCode::OK, axum::Json(v)).into_response()
}

/// Counting, latency, auth, injected failures, in-flight tracking.
async fn track(State(s): State<Shared>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| req.uri().path().to_string());
    let key = format!("{} {route}", req.method());
    let (latency, injected) = {
        let mut st = lock(&s);
        *st.requests.entry(key.clone()).or_default() += 1;
        st.in_flight += 1;
        st.max_in_flight = st.max_in_flight.max(st.in_flight);
        let injected =
            st.failures.iter_mut().find(|f| f.route == key && f.remaining > 0).map(|f| {
                f.remaining -= 1;
                f.status
            });
        (st.config.latency, injected)
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let org_id =
        req.headers().get("x-grafana-org-id").and_then(|v| v.to_str().ok()).map(str::to_string);
    let resp = if let Some(code) = injected {
        err(
            StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            "injected failure",
        )
    } else if route != "/api/health" && !authorized(&s, req.headers()).0 {
        let why = authorized(&s, req.headers()).1;
        err(StatusCode::UNAUTHORIZED, why)
    } else {
        next.run(req).await
    };
    let mut st = lock(&s);
    st.in_flight -= 1;
    let status = resp.status().as_u16();
    st.log.push(RequestRecord { method, path, query, route, org_id, status });
    resp
}

fn authorized(s: &Shared, h: &HeaderMap) -> (bool, &'static str) {
    let Some(auth) = h.get("authorization").and_then(|v| v.to_str().ok()) else {
        return (false, "Unauthorized");
    };
    let st = lock(s);
    if let Some(t) = auth.strip_prefix("Bearer ") {
        return if st.config.tokens.iter().any(|x| x == t) {
            (true, "")
        } else {
            (false, "invalid API key")
        };
    }
    if let Some(b) = auth.strip_prefix("Basic ") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(b.trim())
            .ok()
            .and_then(|v| String::from_utf8(v).ok())
            .unwrap_or_default();
        let ok = decoded
            .split_once(':')
            .is_some_and(|(u, p)| st.config.users.iter().any(|(uu, pp)| uu == u && pp == p));
        return if ok { (true, "") } else { (false, "invalid username or password") };
    }
    (false, "Unauthorized")
}

/// `a=1&b=x%20y` → pairs (repeated keys kept).
fn parse_query(q: Option<&str>) -> Vec<(String, String)> {
    fn dec(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < b.len() => {
                    let hex = |c: u8| (c as char).to_digit(16);
                    match (hex(b[i + 1]), hex(b[i + 2])) {
                        (Some(h), Some(l)) => {
                            out.push((h * 16 + l) as u8);
                            i += 2;
                        }
                        _ => out.push(b'%'),
                    }
                }
                c => out.push(c),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    q.unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (dec(k), dec(v)),
            None => (dec(p), String::new()),
        })
        .collect()
}

fn params<'a>(q: &'a [(String, String)], key: &str) -> Vec<&'a str> {
    q.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_str()).collect()
}

fn param<'a>(q: &'a [(String, String)], key: &str) -> Option<&'a str> {
    params(q, key).into_iter().next()
}

/// A JSON request body: the one parser of every handler that takes one. Not JSON: 400
/// "bad request data", as Grafana answers.
struct JsonBody(Value);

impl<S: Send + Sync> axum::extract::FromRequest<S> for JsonBody {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Response> {
        let body = Bytes::from_request(req, state).await.map_err(IntoResponse::into_response)?;
        serde_json::from_slice(&body)
            .map(JsonBody)
            .map_err(|_| err(StatusCode::BAD_REQUEST, "bad request data"))
    }
}

/// Set `fields` on a JSON object (the server's own: uid, name, provenance).
fn stamp(b: &mut Value, fields: &[(&str, Value)]) {
    if let Value::Object(m) = b {
        for (k, v) in fields {
            m.insert((*k).to_string(), v.clone());
        }
    }
}

fn slug(title: &str) -> String {
    let mut s = String::new();
    for c in title.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_matches('-').to_string()
}

fn valid_uid(u: &str) -> Result<(), &'static str> {
    if u.len() > 40 {
        return Err("uid too long, max 40 characters");
    }
    if !u.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err("uid contains illegal characters");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Handlers: health, search

async fn health(State(s): State<Shared>) -> Response {
    let st = lock(&s);
    let body = if st.config.hide_version {
        json!({"database": "ok"})
    } else {
        json!({"commit": "fake0000", "database": "ok", "version": st.config.version})
    };
    let text = serde_json::to_string_pretty(&body).unwrap_or_default();
    (StatusCode::OK, [("content-type", "application/json; charset=UTF-8")], text).into_response()
}

async fn search(State(s): State<Shared>, RawQuery(q): RawQuery) -> Response {
    let q = parse_query(q.as_deref());
    let limit: usize = match param(&q, "limit").map(str::parse::<i64>) {
        None => 1000,
        Some(Ok(n)) if n > 5000 => {
            return err(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Limit is above maximum allowed (5000), use page parameter to access hits beyond limit",
            );
        }
        Some(Ok(n)) if n > 0 => n as usize,
        _ => 1000,
    };
    let page: usize =
        param(&q, "page").and_then(|p| p.parse().ok()).filter(|p| *p > 0).unwrap_or(1);
    let query = param(&q, "query").map(str::to_lowercase).unwrap_or_default();
    let kind = param(&q, "type");
    let folder_uids = params(&q, "folderUIDs");
    let dash_uids = params(&q, "dashboardUIDs");
    let tags = params(&q, "tag");
    let st = lock(&s);
    let mut hits: Vec<(u8, String, String, Value)> = Vec::new();
    if kind.is_none() || kind == Some("dash-folder") {
        for f in st.folders.values() {
            if !f.title.to_lowercase().contains(&query) || !dash_uids.is_empty() || !tags.is_empty()
            {
                continue;
            }
            let parent = f.parent_uid.as_deref().unwrap_or("general");
            if !folder_uids.is_empty() && !folder_uids.contains(&parent) {
                continue;
            }
            let mut v = json!({
                "id": f.id, "uid": f.uid, "orgId": 1, "title": f.title,
                "uri": format!("db/{}", slug(&f.title)),
                "url": format!("/dashboards/f/{}/{}", f.uid, slug(&f.title)),
                "slug": "", "type": "dash-folder", "tags": [], "isStarred": false, "sortMeta": 0,
                "isDeleted": false,
            });
            if let (Some(p), Value::Object(m)) = (st.folders.get(parent), &mut v) {
                m.insert("folderUid".into(), json!(p.uid));
                m.insert("folderTitle".into(), json!(p.title));
            }
            hits.push((0, f.title.to_lowercase(), f.uid.clone(), v));
        }
    }
    if kind.is_none() || kind == Some("dash-db") {
        for d in st.dashboards.values() {
            if !d.title.to_lowercase().contains(&query) {
                continue;
            }
            let folder = d.folder_uid.as_deref().unwrap_or("general");
            if !folder_uids.is_empty() && !folder_uids.contains(&folder) {
                continue;
            }
            if !dash_uids.is_empty() && !dash_uids.contains(&d.uid.as_str()) {
                continue;
            }
            let dtags: Vec<String> = d
                .model
                .get("tags")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|t| t.as_str().map(str::to_string)).collect())
                .unwrap_or_default();
            if !tags.iter().all(|t| dtags.iter().any(|x| x == t)) {
                continue;
            }
            let mut v = json!({
                "id": d.id, "uid": d.uid, "orgId": 1, "title": d.title,
                "uri": format!("db/{}", slug(&d.title)),
                "url": format!("/d/{}/{}", d.uid, slug(&d.title)),
                "slug": "", "type": "dash-db", "tags": dtags, "isStarred": false, "sortMeta": 0,
                "isDeleted": false,
            });
            if let (Some(f), Value::Object(m)) =
                (d.folder_uid.as_deref().and_then(|u| st.folders.get(u)), &mut v)
            {
                m.insert("folderId".into(), json!(f.id));
                m.insert("folderUid".into(), json!(f.uid));
                m.insert("folderTitle".into(), json!(f.title));
                m.insert("folderUrl".into(), json!(format!("/dashboards/f/{}/", f.uid)));
            }
            hits.push((1, d.title.to_lowercase(), d.uid.clone(), v));
        }
    }
    hits.sort_by(|a, b| (a.0, &a.1, &a.2).cmp(&(b.0, &b.1, &b.2)));
    let page_hits: Vec<Value> =
        hits.into_iter().skip((page - 1) * limit).take(limit).map(|h| h.3).collect();
    ok(Value::Array(page_hits))
}

// ---------------------------------------------------------------------------------------------
// Folders

fn folder_json(st: &FakeState, f: &FakeFolder) -> Value {
    let mut v = json!({
        "id": f.id, "uid": f.uid, "orgId": 1, "title": f.title,
        "url": format!("/dashboards/f/{}/{}", f.uid, slug(&f.title)),
        "hasAcl": false, "canSave": true, "canEdit": true, "canAdmin": true, "canDelete": true,
        "createdBy": "admin", "created": "2024-01-01T00:00:00Z", "updatedBy": "admin",
        "updated": "2024-01-01T00:00:00Z", "version": f.version,
    });
    if st.config.nested() {
        if let (Some(p), Value::Object(m)) = (&f.parent_uid, &mut v) {
            m.insert("parentUid".into(), json!(p));
            let mut parents = Vec::new();
            let mut cur = Some(p.clone());
            while let Some(u) = cur {
                let Some(pf) = st.folders.get(&u) else { break };
                parents.push(json!({"uid": pf.uid, "title": pf.title}));
                cur = pf.parent_uid.clone();
            }
            parents.reverse();
            m.insert("parents".into(), Value::Array(parents));
        }
    }
    v
}

async fn list_folders(State(s): State<Shared>, RawQuery(q): RawQuery) -> Response {
    let q = parse_query(q.as_deref());
    let limit: usize =
        param(&q, "limit").and_then(|l| l.parse().ok()).filter(|l| *l > 0).unwrap_or(1000);
    let page: usize =
        param(&q, "page").and_then(|p| p.parse().ok()).filter(|p| *p > 0).unwrap_or(1);
    let st = lock(&s);
    let parent = param(&q, "parentUid").filter(|p| !p.is_empty());
    let mut items: Vec<&FakeFolder> = st
        .folders
        .values()
        .filter(|f| !st.config.nested() || f.parent_uid.as_deref() == parent)
        .collect();
    items.sort_by(|a, b| (a.title.to_lowercase(), &a.uid).cmp(&(b.title.to_lowercase(), &b.uid)));
    let out: Vec<Value> = items
        .into_iter()
        .skip((page - 1) * limit)
        .take(limit)
        .map(|f| json!({"id": f.id, "uid": f.uid, "title": f.title}))
        .collect();
    ok(Value::Array(out))
}

async fn get_folder(State(s): State<Shared>, Path(uid): Path<String>) -> Response {
    let st = lock(&s);
    match st.folders.get(&uid) {
        Some(f) => ok(folder_json(&st, f)),
        None => err_status(StatusCode::NOT_FOUND, "not-found", "folder not found"),
    }
}

async fn create_folder(State(s): State<Shared>, JsonBody(b): JsonBody) -> Response {
    let title = b.get("title").and_then(Value::as_str).unwrap_or("").trim().to_string();
    if title.is_empty() {
        return err(StatusCode::BAD_REQUEST, "folder title cannot be empty");
    }
    let mut st = lock(&s);
    let uid = match b.get("uid").and_then(Value::as_str).filter(|u| !u.is_empty()) {
        Some(u) => {
            if let Err(e) = valid_uid(u) {
                return err(StatusCode::BAD_REQUEST, e);
            }
            u.to_string()
        }
        None => st.new_uid("f"),
    };
    if st.folders.contains_key(&uid) {
        return err(StatusCode::CONFLICT, "a folder with the same uid already exists");
    }
    let nested = st.config.nested();
    let parent = if nested {
        b.get("parentUid").and_then(Value::as_str).filter(|p| !p.is_empty()).map(str::to_string)
    } else {
        None
    };
    if let Some(p) = &parent {
        if !st.folders.contains_key(p) {
            return err(StatusCode::NOT_FOUND, "parent folder not found");
        }
        if st.depth(p) >= 8 {
            return err(StatusCode::BAD_REQUEST, "Maximum nested folder depth reached");
        }
    }
    // Before Grafana 11 folder titles were unique at a level.
    if st.config.parsed_version().0 < 11
        && st.folders.values().any(|f| f.title == title && f.parent_uid == parent)
    {
        return err(
            StatusCode::CONFLICT,
            "a folder or dashboard in the general folder with the same name already exists",
        );
    }
    let id = st.id();
    let f = FakeFolder { id, uid: uid.clone(), title, parent_uid: parent, version: 1 };
    st.folders.insert(uid, f.clone());
    ok(folder_json(&st, &f))
}

async fn update_folder(
    State(s): State<Shared>,
    Path(uid): Path<String>,
    JsonBody(b): JsonBody,
) -> Response {
    let mut st = lock(&s);
    let Some(mut f) = st.folders.get(&uid).cloned() else {
        return err_status(StatusCode::NOT_FOUND, "not-found", "folder not found");
    };
    let overwrite = b.get("overwrite").and_then(Value::as_bool).unwrap_or(false);
    let version = b.get("version").and_then(Value::as_i64).unwrap_or(0);
    if !overwrite && version != f.version {
        return err_status(
            StatusCode::PRECONDITION_FAILED,
            "version-mismatch",
            "the folder has been changed by someone else",
        );
    }
    if let Some(t) = b.get("title").and_then(Value::as_str).filter(|t| !t.trim().is_empty()) {
        f.title = t.trim().to_string();
    }
    f.version += 1;
    st.folders.insert(uid, f.clone());
    ok(folder_json(&st, &f))
}

// ---------------------------------------------------------------------------------------------
// Dashboards

fn dashboard_json(st: &FakeState, d: &FakeDashboard) -> Value {
    let folder = d.folder_uid.as_deref().and_then(|u| st.folders.get(u));
    json!({
        "dashboard": d.model,
        "meta": {
            "type": "db", "canSave": d.provisioned.is_none(), "canEdit": true, "canAdmin": true,
            "canStar": true, "canDelete": d.provisioned.is_none(), "slug": slug(&d.title),
            "url": format!("/d/{}/{}", d.uid, slug(&d.title)), "expires": "0001-01-01T00:00:00Z",
            "created": "2024-01-01T00:00:00Z", "updated": "2024-01-01T00:00:00Z",
            "updatedBy": "admin", "createdBy": "admin", "version": d.version, "hasAcl": false,
            "isFolder": false, "folderId": folder.map_or(0, |f| f.id),
            "folderUid": folder.map_or("", |f| f.uid.as_str()),
            "folderTitle": folder.map_or("General", |f| f.title.as_str()),
            "folderUrl": folder.map_or(String::new(), |f| format!("/dashboards/f/{}/", f.uid)),
            "provisioned": d.provisioned.is_some(),
            "provisionedExternalId": d.provisioned.clone().unwrap_or_default(),
            "annotationsPermissions": {"dashboard": {"canAdd": true, "canEdit": true, "canDelete": true}},
        }
    })
}

async fn get_dashboard(State(s): State<Shared>, Path(uid): Path<String>) -> Response {
    let st = lock(&s);
    match st.dashboards.get(&uid) {
        Some(d) => ok(dashboard_json(&st, d)),
        None => err(StatusCode::NOT_FOUND, "Dashboard not found"),
    }
}

async fn delete_dashboard(State(s): State<Shared>, Path(uid): Path<String>) -> Response {
    let mut st = lock(&s);
    let Some(d) = st.dashboards.get(&uid).cloned() else {
        return err(StatusCode::NOT_FOUND, "Dashboard not found");
    };
    if d.provisioned.is_some() {
        return err(StatusCode::BAD_REQUEST, "provisioned dashboard cannot be deleted");
    }
    st.dashboards.remove(&uid);
    ok(json!({"title": d.title, "message": format!("Dashboard {} deleted", d.title), "id": d.id}))
}

/// The save path shared by `/db` and `/import` (Grafana's dashboard service).
fn save(
    st: &mut FakeState,
    mut model: Value,
    folder_uid: Option<String>,
    overwrite: bool,
    message: Option<&str>,
) -> Result<FakeDashboard, Response> {
    if !model.is_object() {
        return Err(err(StatusCode::BAD_REQUEST, "bad request data"));
    }
    if message.is_some_and(|m| m.len() > 500) {
        return Err(err(StatusCode::BAD_REQUEST, "Dashboard message too long, max 500 characters"));
    }
    let title = model.get("title").and_then(Value::as_str).unwrap_or("").trim().to_string();
    if title.is_empty() {
        return Err(err_status(
            StatusCode::BAD_REQUEST,
            "empty-name",
            "Dashboard title cannot be empty",
        ));
    }
    let mut uid = match model.get("uid").and_then(Value::as_str).filter(|u| !u.is_empty()) {
        Some(u) => {
            valid_uid(u).map_err(|e| err(StatusCode::BAD_REQUEST, e))?;
            u.to_string()
        }
        None => st.new_uid("d"),
    };
    let folder_uid = folder_uid.filter(|f| !f.is_empty() && f != "general");
    if let Some(f) = &folder_uid {
        if !st.folders.contains_key(f) {
            return Err(err(StatusCode::BAD_REQUEST, "Folder not found"));
        }
    }
    let id = model.get("id").and_then(Value::as_i64);
    if let Some(id) = id {
        if let Some(by_id) = st.dashboards.values().find(|d| d.id == id) {
            if by_id.uid != uid {
                return Err(err(
                    StatusCode::BAD_REQUEST,
                    "A dashboard with the same uid already exists",
                ));
            }
        }
    }
    let mut version = model.get("version").and_then(Value::as_i64).unwrap_or(0);
    if let Some(existing) = st.dashboards.get(&uid) {
        if version != existing.version {
            if overwrite {
                version = existing.version;
            } else {
                return Err(err_status(
                    StatusCode::PRECONDITION_FAILED,
                    "version-mismatch",
                    "The dashboard has been changed by someone else",
                ));
            }
        }
        if let Some(p) = &existing.plugin_id {
            if !overwrite {
                return Err(err_status(
                    StatusCode::PRECONDITION_FAILED,
                    "plugin-dashboard",
                    &format!("The dashboard belongs to plugin {p}."),
                ));
            }
        }
    }
    if st.config.unique_titles() {
        let clash = st
            .dashboards
            .values()
            .find(|d| d.uid != uid && d.title == title && d.folder_uid == folder_uid)
            .cloned();
        if let Some(other) = clash {
            if overwrite {
                // Grafana ≤ 11.2 takes over the same-titled dashboard.
                uid = other.uid.clone();
                version = other.version;
            } else {
                return Err(err_status(
                    StatusCode::PRECONDITION_FAILED,
                    "name-exists",
                    "A dashboard with the same name in the folder already exists",
                ));
            }
        }
    }
    if st.dashboards.get(&uid).is_some_and(|d| d.provisioned.is_some()) {
        return Err(err(StatusCode::BAD_REQUEST, "Cannot save provisioned dashboard"));
    }
    let (id, new_version, saves) = match st.dashboards.get(&uid) {
        Some(e) => (e.id, version + 1, e.saves + 1),
        None => (st.id(), 1, 1),
    };
    if let Value::Object(m) = &mut model {
        m.insert("id".into(), json!(id));
        m.insert("uid".into(), json!(uid));
        m.insert("version".into(), json!(new_version));
        m.insert("title".into(), json!(title));
    }
    let d = FakeDashboard {
        id,
        uid: uid.clone(),
        title,
        folder_uid,
        version: new_version,
        model,
        provisioned: None,
        plugin_id: None,
        saves,
    };
    st.dashboards.insert(uid, d.clone());
    Ok(d)
}

async fn save_dashboard(State(s): State<Shared>, JsonBody(b): JsonBody) -> Response {
    let Some(model) = b.get("dashboard").cloned() else {
        return err(StatusCode::BAD_REQUEST, "bad request data");
    };
    let mut st = lock(&s);
    let folder_uid = folder_from_body(&st, &b);
    let overwrite = b.get("overwrite").and_then(Value::as_bool).unwrap_or(false);
    let message = b.get("message").and_then(Value::as_str);
    match save(&mut st, model, folder_uid, overwrite, message) {
        Ok(d) => ok(json!({
            "id": d.id, "uid": d.uid, "url": format!("/d/{}/{}", d.uid, slug(&d.title)),
            "status": "success", "version": d.version, "slug": slug(&d.title),
            "folderUid": d.folder_uid.clone().unwrap_or_default(),
        })),
        Err(r) => r,
    }
}

/// `folderUid` wins over the deprecated `folderId`.
fn folder_from_body(st: &FakeState, b: &Value) -> Option<String> {
    if let Some(u) = b.get("folderUid").and_then(Value::as_str) {
        return Some(u.to_string());
    }
    let id = b.get("folderId").and_then(Value::as_i64).filter(|i| *i != 0)?;
    Some(
        st.folders
            .values()
            .find(|f| f.id == id)
            .map_or_else(|| format!("missing-id-{id}"), |f| f.uid.clone()),
    )
}

async fn import_dashboard(State(s): State<Shared>, JsonBody(b): JsonBody) -> Response {
    let Some(template) = b.get("dashboard").filter(|d| d.is_object()).cloned() else {
        return err(StatusCode::UNPROCESSABLE_ENTITY, "Dashboard must be set");
    };
    let inputs: Vec<Value> = b.get("inputs").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut vars: Vec<(String, String)> = Vec::new();
    for def in template.get("__inputs").and_then(Value::as_array).cloned().unwrap_or_default() {
        let name = def.get("name").and_then(Value::as_str).unwrap_or("").to_string();
        let kind = def.get("type").and_then(Value::as_str).unwrap_or("");
        let plugin = def.get("pluginId").and_then(Value::as_str).unwrap_or("");
        let found = inputs.iter().find(|i| {
            i.get("type").and_then(Value::as_str) == Some(kind)
                && matches!(i.get("name").and_then(Value::as_str), Some(n) if n == name || n == "*")
        });
        let value = match found {
            Some(i) => i.get("value").and_then(Value::as_str).unwrap_or("").to_string(),
            None if kind == "datasource" && plugin == "__expr__" => "__expr__".to_string(),
            None => {
                return err(
                    StatusCode::BAD_REQUEST,
                    &format!("Dashboard input variable: {name} missing from import command"),
                );
            }
        };
        vars.push((format!("${{{name}}}"), value));
    }
    let mut model = template;
    if let Value::Object(m) = &mut model {
        m.remove("__inputs");
        m.remove("__requires");
        m.remove("__elements");
    }
    substitute(&mut model, &vars);
    let mut st = lock(&s);
    let folder_uid = folder_from_body(&st, &b);
    let overwrite = b.get("overwrite").and_then(Value::as_bool).unwrap_or(false);
    match save(&mut st, model, folder_uid, overwrite, None) {
        Ok(d) => {
            let folder = d.folder_uid.as_deref().and_then(|u| st.folders.get(u));
            ok(json!({
                "uid": d.uid, "pluginId": "", "title": d.title, "imported": true,
                "importedUri": format!("db/{}", slug(&d.title)),
                "importedUrl": format!("/d/{}/{}", d.uid, slug(&d.title)),
                "slug": slug(&d.title), "dashboardId": d.id,
                "folderId": folder.map_or(0, |f| f.id),
                "folderUid": d.folder_uid.clone().unwrap_or_default(),
                "description": "", "path": "", "removed": false,
            }))
        }
        Err(r) => r,
    }
}

/// Grafana's template evaluator: `${NAME}` replaced in every string value.
fn substitute(v: &mut Value, vars: &[(String, String)]) {
    match v {
        Value::String(s) => {
            for (k, val) in vars {
                if s.contains(k.as_str()) {
                    *s = s.replace(k.as_str(), val);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| substitute(x, vars)),
        Value::Object(m) => m.values_mut().for_each(|x| substitute(x, vars)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Datasources

fn datasource_list_json(d: &FakeDatasource) -> Value {
    json!({
        "id": d.id, "uid": d.uid, "orgId": 1, "name": d.name, "type": d.kind,
        "typeLogoUrl": format!("public/app/plugins/datasource/{}/img/logo.svg", d.kind),
        "access": d.access, "url": d.url, "user": "", "database": "",
        "basicAuth": d.basic_auth, "isDefault": d.is_default, "jsonData": d.json_data,
        "readOnly": d.read_only,
    })
}

fn datasource_json(d: &FakeDatasource) -> Value {
    let mut v = datasource_list_json(d);
    if let Value::Object(m) = &mut v {
        m.insert("basicAuthUser".into(), json!(d.basic_auth_user));
        m.insert("withCredentials".into(), json!(false));
        let fields: Map<String, Value> =
            d.secure_json_data.keys().map(|k| (k.clone(), json!(true))).collect();
        m.insert("secureJsonFields".into(), Value::Object(fields));
        m.insert("version".into(), json!(d.version));
    }
    v
}

async fn list_datasources(State(s): State<Shared>) -> Response {
    let st = lock(&s);
    let mut items: Vec<&FakeDatasource> = st.datasources.values().collect();
    items.sort_by(|a, b| a.name.cmp(&b.name));
    ok(Value::Array(items.into_iter().map(datasource_list_json).collect()))
}

async fn get_datasource(State(s): State<Shared>, Path(uid): Path<String>) -> Response {
    let st = lock(&s);
    match st.datasources.get(&uid) {
        Some(d) => ok(datasource_json(d)),
        None => err(StatusCode::NOT_FOUND, "Data source not found"),
    }
}

fn apply_datasource_body(d: &mut FakeDatasource, b: &Value) {
    let s = |k: &str| b.get(k).and_then(Value::as_str).map(str::to_string);
    if let Some(v) = s("name") {
        d.name = v;
    }
    if let Some(v) = s("type") {
        d.kind = v;
    }
    if let Some(v) = s("url") {
        d.url = v;
    }
    if let Some(v) = s("access") {
        d.access = v;
    }
    if let Some(v) = s("basicAuthUser") {
        d.basic_auth_user = v;
    }
    if let Some(v) = b.get("basicAuth").and_then(Value::as_bool) {
        d.basic_auth = v;
    }
    if let Some(v) = b.get("isDefault").and_then(Value::as_bool) {
        d.is_default = v;
    }
    if let Some(v) = b.get("jsonData").filter(|v| v.is_object()) {
        d.json_data = v.clone();
    }
    // Keys omitted from secureJsonData keep their stored value.
    if let Some(Value::Object(sec)) = b.get("secureJsonData") {
        for (k, v) in sec {
            if let Some(v) = v.as_str() {
                d.secure_json_data.insert(k.clone(), v.to_string());
            }
        }
    }
}

async fn create_datasource(State(s): State<Shared>, JsonBody(b): JsonBody) -> Response {
    let name = b.get("name").and_then(Value::as_str).unwrap_or("").trim().to_string();
    if name.is_empty() || b.get("type").and_then(Value::as_str).is_none_or(str::is_empty) {
        return err(StatusCode::BAD_REQUEST, "Validation error, need to specify name and type");
    }
    let mut st = lock(&s);
    if st.datasources.values().any(|d| d.name == name) {
        return err(StatusCode::CONFLICT, "data source with the same name already exists");
    }
    let uid = match b.get("uid").and_then(Value::as_str).filter(|u| !u.is_empty()) {
        Some(u) => {
            if st.datasources.contains_key(u) {
                return err(StatusCode::CONFLICT, "data source with the same uid already exists");
            }
            if let Err(e) = valid_uid(u) {
                return err(StatusCode::BAD_REQUEST, e);
            }
            u.to_string()
        }
        None => st.new_uid("ds"),
    };
    let id = st.id();
    let mut d = FakeDatasource::new(id, &uid, &name, "", String::new());
    apply_datasource_body(&mut d, &b);
    saved_datasource(&mut st, d, "Datasource added")
}

/// Store `d` and answer as Grafana does after saving a datasource.
fn saved_datasource(st: &mut FakeState, d: FakeDatasource, message: &str) -> Response {
    st.datasources.insert(d.uid.clone(), d.clone());
    ok(json!({"datasource": datasource_json(&d), "id": d.id, "message": message, "name": d.name}))
}

async fn update_datasource(
    State(s): State<Shared>,
    Path(uid): Path<String>,
    JsonBody(b): JsonBody,
) -> Response {
    let mut st = lock(&s);
    let Some(mut d) = st.datasources.get(&uid).cloned() else {
        return err(StatusCode::NOT_FOUND, "Data source not found");
    };
    if d.read_only {
        return err(StatusCode::FORBIDDEN, "Cannot update read-only data source");
    }
    if let Some(n) = b.get("name").and_then(Value::as_str) {
        if st.datasources.values().any(|o| o.uid != uid && o.name == n) {
            return err(StatusCode::CONFLICT, "data source with the same name already exists");
        }
    }
    if let Some(v) = b.get("version").and_then(Value::as_i64) {
        if v != d.version {
            return err(
                StatusCode::CONFLICT,
                "Datasource has already been updated by someone else. Please reload and try again",
            );
        }
    }
    apply_datasource_body(&mut d, &b);
    d.version += 1;
    saved_datasource(&mut st, d, "Datasource updated")
}

// ---------------------------------------------------------------------------------------------
// Test hooks over HTTP (for a fake running in another process, e.g. the benchmark)

// ---------------------------------------------------------------------------------------------
// Folder moves and alerting provisioning

async fn move_folder(
    State(s): State<Shared>,
    Path(uid): Path<String>,
    JsonBody(b): JsonBody,
) -> Response {
    let mut st = lock(&s);
    if !st.config.nested() {
        return err(StatusCode::BAD_REQUEST, "nested folders are not enabled");
    }
    let Some(mut f) = st.folders.get(&uid).cloned() else {
        return err_status(StatusCode::NOT_FOUND, "not-found", "folder not found");
    };
    let parent =
        b.get("parentUid").and_then(Value::as_str).filter(|p| !p.is_empty()).map(str::to_string);
    if let Some(p) = &parent {
        if !st.folders.contains_key(p) {
            return err(StatusCode::NOT_FOUND, "parent folder not found");
        }
        // No folder may become its own ancestor.
        let mut cur = Some(p.clone());
        while let Some(u) = cur {
            if u == uid {
                return err(StatusCode::BAD_REQUEST, "A folder cannot be moved into itself");
            }
            cur = st.folders.get(&u).and_then(|x| x.parent_uid.clone());
        }
    }
    f.parent_uid = parent;
    f.version += 1;
    st.folders.insert(uid, f.clone());
    ok(folder_json(&st, &f))
}

/// Grafana's out-of-the-box policy tree.
pub fn default_policies() -> Value {
    json!({"receiver": "grafana-default-email", "group_by": ["grafana_folder", "alertname"]})
}

/// The provenance a write gives its object, counting the writes.
fn provenance_of(st: &mut FakeState, h: &HeaderMap) -> &'static str {
    st.provisioning_writes += 1;
    let off = h
        .get("x-disable-provenance")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if off {
        st.provenance_disabled += 1;
        ""
    } else {
        "api"
    }
}

fn provenance_change(old: &Value, new: &str) -> Result<(), Response> {
    if old.get("provenance").and_then(Value::as_str) == Some("api") && new.is_empty() {
        return Err(err(
            StatusCode::INTERNAL_SERVER_ERROR,
            "cannot change provenance from 'api' to ''",
        ));
    }
    Ok(())
}

fn created(v: Value) -> Response {
    (StatusCode::CREATED, axum::Json(v)).into_response()
}

fn accepted(v: Value) -> Response {
    (StatusCode::ACCEPTED, axum::Json(v)).into_response()
}

fn str_of(v: &Value, k: &str) -> String {
    v.get(k).and_then(Value::as_str).unwrap_or_default().to_string()
}

fn check_rule(st: &FakeState, r: &Value) -> Result<(), Response> {
    for k in ["title", "condition", "ruleGroup", "folderUID"] {
        if str_of(r, k).is_empty() {
            return Err(err(
                StatusCode::BAD_REQUEST,
                &format!("invalid alert rule: {k} is required"),
            ));
        }
    }
    if !st.folders.contains_key(&str_of(r, "folderUID")) {
        return Err(err(StatusCode::BAD_REQUEST, "invalid alert rule: folder does not exist"));
    }
    let data = r.get("data").and_then(Value::as_array).cloned().unwrap_or_default();
    if data.is_empty() {
        return Err(err(StatusCode::BAD_REQUEST, "invalid alert rule: no queries or expressions"));
    }
    for q in data {
        let ds = str_of(&q, "datasourceUid");
        if ds != "__expr__" && ds != "-100" && !st.datasources.contains_key(&ds) {
            return Err(err(
                StatusCode::BAD_REQUEST,
                &format!("invalid alert rule: data source {ds} not found"),
            ));
        }
    }
    Ok(())
}

fn store_rule(st: &mut FakeState, uid: &str, mut r: Value, provenance: &str, id: i64) -> Value {
    if let Value::Object(m) = &mut r {
        m.insert("uid".into(), json!(uid));
        m.insert("id".into(), json!(id));
        m.insert("orgID".into(), json!(1));
        m.insert("updated".into(), json!("2024-01-01T00:00:00Z"));
        m.insert("provenance".into(), json!(provenance));
    }
    st.alert_rules.insert(uid.to_string(), r.clone());
    r
}

async fn list_rules(State(s): State<Shared>) -> Response {
    ok(Value::Array(lock(&s).alert_rules.values().cloned().collect()))
}

async fn get_rule(State(s): State<Shared>, Path(uid): Path<String>) -> Response {
    match lock(&s).alert_rules.get(&uid) {
        Some(r) => ok(r.clone()),
        None => (StatusCode::NOT_FOUND, "").into_response(),
    }
}

async fn create_rule(State(s): State<Shared>, h: HeaderMap, JsonBody(b): JsonBody) -> Response {
    let mut st = lock(&s);
    if let Err(r) = check_rule(&st, &b) {
        return r;
    }
    let uid = match b.get("uid").and_then(Value::as_str).filter(|u| !u.is_empty()) {
        Some(u) if st.alert_rules.contains_key(u) => {
            return err(StatusCode::CONFLICT, "a rule with this UID already exists");
        }
        Some(u) => u.to_string(),
        None => st.new_uid("r"),
    };
    let prov = provenance_of(&mut st, &h);
    let id = st.id();
    created(store_rule(&mut st, &uid, b, prov, id))
}

async fn update_rule(
    State(s): State<Shared>,
    Path(uid): Path<String>,
    h: HeaderMap,
    JsonBody(b): JsonBody,
) -> Response {
    let mut st = lock(&s);
    let Some(old) = st.alert_rules.get(&uid).cloned() else {
        return err(StatusCode::NOT_FOUND, "rule not found");
    };
    if let Err(r) = check_rule(&st, &b) {
        return r;
    }
    let prov = provenance_of(&mut st, &h);
    if let Err(r) = provenance_change(&old, prov) {
        return r;
    }
    let id = old.get("id").and_then(Value::as_i64).unwrap_or(0);
    ok(store_rule(&mut st, &uid, b, prov, id))
}

/// Settings Grafana treats as secret for a contact point type.
fn secure_keys(kind: &str) -> &'static [&'static str] {
    match kind {
        "slack" => &["url", "token"],
        "discord" | "googlechat" | "teams" => &["url"],
        "pagerduty" => &["integrationKey"],
        "telegram" => &["bottoken"],
        "webhook" => &["password", "authorization_credentials"],
        _ => &[],
    }
}

/// A contact point as the API shows it: secrets redacted.
fn cp_json(cp: &Value) -> Value {
    let mut v = cp.clone();
    let kind = str_of(cp, "type");
    if let Some(Value::Object(m)) = v.get_mut("settings") {
        for k in secure_keys(&kind) {
            if m.get(*k).is_some_and(|x| x.as_str().is_some_and(|s| !s.is_empty())) {
                m.insert((*k).to_string(), json!("[REDACTED]"));
            }
        }
    }
    v
}

async fn list_cps(State(s): State<Shared>) -> Response {
    ok(Value::Array(lock(&s).contact_points.values().map(cp_json).collect()))
}

fn check_cp(b: &Value) -> Result<(), Response> {
    if str_of(b, "name").is_empty() || str_of(b, "type").is_empty() {
        return Err(err(StatusCode::BAD_REQUEST, "contact point name and type are required"));
    }
    if str_of(b, "type") == "slack"
        && b["settings"].get("url").is_none()
        && b["settings"].get("token").is_none()
    {
        return Err(err(
            StatusCode::BAD_REQUEST,
            "invalid settings of integration slack: token or url must be specified",
        ));
    }
    Ok(())
}

async fn create_cp(State(s): State<Shared>, h: HeaderMap, JsonBody(mut b): JsonBody) -> Response {
    if let Err(r) = check_cp(&b) {
        return r;
    }
    let mut st = lock(&s);
    let uid = match b.get("uid").and_then(Value::as_str).filter(|u| !u.is_empty()) {
        Some(u) if st.contact_points.contains_key(u) => {
            return err(StatusCode::BAD_REQUEST, "contact point with this UID already exists");
        }
        Some(u) => u.to_string(),
        None => st.new_uid("cp"),
    };
    let prov = provenance_of(&mut st, &h);
    stamp(&mut b, &[("uid", json!(uid)), ("provenance", json!(prov))]);
    st.contact_points.insert(uid, b.clone());
    accepted(cp_json(&b))
}

async fn update_cp(
    State(s): State<Shared>,
    Path(uid): Path<String>,
    h: HeaderMap,
    JsonBody(mut b): JsonBody,
) -> Response {
    let mut st = lock(&s);
    let Some(old) = st.contact_points.get(&uid).cloned() else {
        return err(StatusCode::NOT_FOUND, "contact point not found");
    };
    // A secret sent back as [REDACTED] keeps the stored value.
    if let (Some(Value::Object(new)), Some(Value::Object(prev))) =
        (b.get_mut("settings"), old.get("settings"))
    {
        for (k, v) in new.iter_mut() {
            if v.as_str() == Some("[REDACTED]") {
                *v = prev.get(k).cloned().unwrap_or(Value::Null);
            }
        }
    }
    if let Err(r) = check_cp(&b) {
        return r;
    }
    let prov = provenance_of(&mut st, &h);
    if let Err(r) = provenance_change(&old, prov) {
        return r;
    }
    stamp(&mut b, &[("uid", json!(uid)), ("provenance", json!(prov))]);
    st.contact_points.insert(uid, b);
    accepted(json!({"message": "contactpoint updated"}))
}

async fn get_policies(State(s): State<Shared>) -> Response {
    ok(lock(&s).policies.clone())
}

fn policy_refs(tree: &Value, receivers: &mut Vec<String>, mutes: &mut Vec<String>) {
    if let Some(r) = tree.get("receiver").and_then(Value::as_str) {
        receivers.push(r.to_string());
    }
    for m in tree.get("mute_time_intervals").and_then(Value::as_array).into_iter().flatten() {
        if let Some(m) = m.as_str() {
            mutes.push(m.to_string());
        }
    }
    for r in tree.get("routes").and_then(Value::as_array).into_iter().flatten() {
        policy_refs(r, receivers, mutes);
    }
}

async fn set_policies(
    State(s): State<Shared>,
    h: HeaderMap,
    JsonBody(mut b): JsonBody,
) -> Response {
    let mut st = lock(&s);
    let (mut receivers, mut mutes) = (Vec::new(), Vec::new());
    policy_refs(&b, &mut receivers, &mut mutes);
    for r in receivers {
        let known = r == "grafana-default-email"
            || st.contact_points.values().any(|c| str_of(c, "name") == r);
        if !known {
            return err(
                StatusCode::BAD_REQUEST,
                &format!("invalid object specification: receiver '{r}' does not exist"),
            );
        }
    }
    for m in mutes {
        if !st.mute_timings.contains_key(&m) {
            return err(
                StatusCode::BAD_REQUEST,
                &format!("invalid object specification: mute time interval '{m}' does not exist"),
            );
        }
    }
    let prov = provenance_of(&mut st, &h);
    stamp(&mut b, &[("provenance", json!(prov))]);
    st.policies = b;
    accepted(json!({"message": "policies updated"}))
}

async fn list_mutes(State(s): State<Shared>) -> Response {
    ok(Value::Array(lock(&s).mute_timings.values().cloned().collect()))
}

async fn get_mute(State(s): State<Shared>, Path(name): Path<String>) -> Response {
    match lock(&s).mute_timings.get(&name) {
        Some(m) => ok(m.clone()),
        None => err(StatusCode::NOT_FOUND, "mute timing not found"),
    }
}

async fn create_mute(State(s): State<Shared>, h: HeaderMap, JsonBody(mut b): JsonBody) -> Response {
    let name = str_of(&b, "name");
    if name.is_empty() {
        return err(StatusCode::BAD_REQUEST, "mute timing name is required");
    }
    let mut st = lock(&s);
    if st.mute_timings.contains_key(&name) {
        return err(StatusCode::CONFLICT, "a mute timing with this name already exists");
    }
    let prov = provenance_of(&mut st, &h);
    stamp(&mut b, &[("provenance", json!(prov))]);
    st.mute_timings.insert(name, b.clone());
    created(b)
}

async fn update_mute(
    State(s): State<Shared>,
    Path(name): Path<String>,
    h: HeaderMap,
    JsonBody(mut b): JsonBody,
) -> Response {
    let mut st = lock(&s);
    let Some(old) = st.mute_timings.get(&name).cloned() else {
        return err(StatusCode::NOT_FOUND, "mute timing not found");
    };
    let prov = provenance_of(&mut st, &h);
    if let Err(r) = provenance_change(&old, prov) {
        return r;
    }
    stamp(&mut b, &[("name", json!(name)), ("provenance", json!(prov))]);
    st.mute_timings.insert(name, b.clone());
    ok(b)
}

async fn list_templates(State(s): State<Shared>) -> Response {
    ok(Value::Array(lock(&s).templates.values().cloned().collect()))
}

async fn get_template(State(s): State<Shared>, Path(name): Path<String>) -> Response {
    match lock(&s).templates.get(&name) {
        Some(t) => ok(t.clone()),
        None => err(StatusCode::NOT_FOUND, "template not found"),
    }
}

async fn put_template(
    State(s): State<Shared>,
    Path(name): Path<String>,
    h: HeaderMap,
    JsonBody(b): JsonBody,
) -> Response {
    let mut st = lock(&s);
    let prov = provenance_of(&mut st, &h);
    let t = json!({"name": name, "template": b.get("template").cloned().unwrap_or(Value::Null), "provenance": prov});
    st.templates.insert(name, t.clone());
    accepted(t)
}

async fn fake_reset(State(s): State<Shared>) -> Response {
    let mut st = lock(&s);
    st.dashboards.clear();
    st.folders.clear();
    st.requests.clear();
    st.log.clear();
    st.max_in_flight = 0;
    ok(json!({"message": "reset"}))
}

async fn fake_stats(State(s): State<Shared>) -> Response {
    let st = lock(&s);
    ok(json!({
        "dashboards": st.dashboards.len(),
        "folders": st.folders.len(),
        "requests": st.requests,
        "maxInFlight": st.max_in_flight,
    }))
}
