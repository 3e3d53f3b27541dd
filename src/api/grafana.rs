//! Grafana's HTTP API (10.x / 11.x): the one typed client of the project.
//!
//! `dashboards import|export|list` and `backup`/`restore` all talk to Grafana through
//! [`GrafanaClient`]. The contract it follows is `../shared/docs/grafana-api.md` (section 3).
//!
//! What it does for every caller:
//! - **Auth**: a service-account token as `Authorization: Bearer …`, or basic auth, from
//!   [`Settings::grafana_auth`] (never argv). The header is marked sensitive and never logged.
//! - **Organisation**: `X-Grafana-Org-Id` when an org id is given.
//! - **Retries**: connection failures and 5xx answers are retried with exponential backoff
//!   ([`RetryPolicy`]); a timeout is retried only for idempotent methods (GET/PUT/DELETE),
//!   since a POST that timed out may have been applied. 4xx answers are never retried.
//! - **Errors**: every error is an [`HttpError`] whose message carries Grafana's own
//!   `message`; [`grafana_status`] gives the machine-readable `status` of dashboard and
//!   folder errors (`version-mismatch`, `name-exists`, …).
//! - **Pagination**: [`GrafanaClient::search`] and [`GrafanaClient::folders`] page with
//!   `limit`/`page` until a short page; [`GrafanaClient::all_folders`] walks nested folders by
//!   `parentUid`.
//! - **Version**: [`GrafanaClient::version`] reads `/api/health`; [`GrafanaVersion`] says which
//!   version-specific behaviour applies (unique titles per folder up to 11.2, nested folders
//!   by default from 11).
//!
//! Adding an endpoint: write a typed method that builds the path with [`Query`], calls
//! [`GrafanaClient::get`]/[`GrafanaClient::post`]/… (which retry and authenticate), and
//! decodes into a struct that keeps unknown fields in `extra` when the object is meant to be
//! written back (backups).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::time::Duration;

use anyhow::{Context, bail};
use base64::Engine as _;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::http::{BodyCap, Http, HttpError, HttpErrorKind, Response};
use crate::cli::GrafanaArgs;
use crate::settings::{Component, Env, GrafanaAuth, Settings};

/// Per-request timeout unless the caller sets another.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Grafana's default and our page size for `/api/search` and `/api/folders`.
pub const DEFAULT_PAGE_LIMIT: u32 = 1000;
/// Grafana refuses `/api/search` limits above this (422).
pub const MAX_SEARCH_LIMIT: u32 = 5000;

// ---------------------------------------------------------------------------------------------
// Options

/// How often and how patiently to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total tries per request (1 = no retry).
    pub attempts: u32,
    /// Wait before the first retry; doubled for each further one.
    pub initial_backoff: Duration,
    /// Upper bound of one wait.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 4,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(3),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy { attempts: 1, ..RetryPolicy::default() }
    }

    /// The wait before retry number `retry` (1-based), with up to 25% jitter.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = self.initial_backoff.saturating_mul(1u32 << retry.saturating_sub(1).min(16));
        let base = exp.min(self.max_backoff);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let jitter = base.mul_f64(f64::from(nanos % 1000) / 4000.0);
        base + jitter
    }
}

/// Everything about a connection except the URL and credentials.
#[derive(Debug, Clone)]
pub struct GrafanaOptions {
    pub timeout: Duration,
    /// Sent as `X-Grafana-Org-Id`.
    pub org_id: Option<u64>,
    pub retry: RetryPolicy,
}

impl Default for GrafanaOptions {
    fn default() -> Self {
        GrafanaOptions { timeout: DEFAULT_TIMEOUT, org_id: None, retry: RetryPolicy::default() }
    }
}

// ---------------------------------------------------------------------------------------------
// Version

/// Grafana's version as `/api/health` reports it (`11.2.0`, `10.4.3+security-01`, `12.0.0-pre`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GrafanaVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl GrafanaVersion {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        GrafanaVersion { major, minor, patch }
    }

    /// Parse `MAJOR.MINOR[.PATCH][-pre|+build]`, with an optional leading `v`.
    pub fn parse(s: &str) -> Option<GrafanaVersion> {
        let s = s.trim().trim_start_matches('v');
        let core = s.split(['-', '+', ' ']).next()?;
        let mut it = core.split('.');
        let major = it.next()?.parse().ok()?;
        let minor = it.next().map_or(Some(0), |m| m.parse().ok())?;
        let patch = it.next().map_or(Some(0), |p| p.parse().ok())?;
        Some(GrafanaVersion { major, minor, patch })
    }

    /// Up to 11.2, dashboard titles are unique within a folder: saving a second dashboard
    /// with the same title answers 412 `name-exists`, and with `overwrite` Grafana *replaces*
    /// the other dashboard (taking over its uid). 11.3 dropped the rule (grafana PR#90687).
    pub fn unique_titles_per_folder(self) -> bool {
        (self.major, self.minor) <= (11, 2)
    }

    /// Nested folders are on by default from Grafana 11 (a feature toggle in 10.x).
    pub fn nested_folders_by_default(self) -> bool {
        self.major >= 11
    }
}

impl fmt::Display for GrafanaVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

// ---------------------------------------------------------------------------------------------
// Wire types

/// `GET /api/health`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Health {
    #[serde(default)]
    pub database: String,
    /// Hidden when `[auth.anonymous] hide_version` is set.
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub commit: Option<String>,
}

/// `type` of a search hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchType {
    Dashboard,
    Folder,
}

impl SearchType {
    pub fn as_str(self) -> &'static str {
        match self {
            SearchType::Dashboard => "dash-db",
            SearchType::Folder => "dash-folder",
        }
    }
}

/// What to search for; `limit` is the page size (pages are followed to the end).
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub query: Option<String>,
    pub kind: Option<SearchType>,
    pub folder_uids: Vec<String>,
    pub dashboard_uids: Vec<String>,
    pub tags: Vec<String>,
    /// Page size; [`DEFAULT_PAGE_LIMIT`] when `None`.
    pub limit: Option<u32>,
}

impl SearchQuery {
    /// Every dashboard (no folders).
    pub fn dashboards() -> Self {
        SearchQuery { kind: Some(SearchType::Dashboard), ..SearchQuery::default() }
    }
}

/// One item of `GET /api/search`. Folder fields are absent for dashboards at the root.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    #[serde(default)]
    pub id: Option<i64>,
    pub uid: String,
    #[serde(default)]
    pub title: String,
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub folder_uid: Option<String>,
    #[serde(default)]
    pub folder_title: Option<String>,
}

/// One item of `GET /api/folders` (a single level).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct FolderRef {
    #[serde(default)]
    pub id: Option<i64>,
    pub uid: String,
    #[serde(default)]
    pub title: String,
}

/// `GET /api/folders/:uid` and `POST /api/folders`. Unknown fields are kept in `extra`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Folder {
    #[serde(default)]
    pub id: Option<i64>,
    pub uid: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub version: Option<i64>,
    /// The parent folder; absent at the root and on Grafana without nested folders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_uid: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A folder with its place in the tree, as [`GrafanaClient::all_folders`] finds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FolderNode {
    pub uid: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_uid: Option<String>,
}

/// `POST /api/folders` body.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct NewFolder {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_uid: Option<String>,
}

/// `meta` of `GET /api/dashboards/uid/:uid` (the fields this project uses; others in `extra`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct DashboardMeta {
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub version: i64,
    /// `""` at the root.
    #[serde(default)]
    pub folder_uid: String,
    #[serde(default)]
    pub folder_title: String,
    #[serde(default)]
    pub provisioned: bool,
    #[serde(default)]
    pub provisioned_external_id: String,
    #[serde(default)]
    pub can_save: Option<bool>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `GET /api/dashboards/uid/:uid`: the model and its meta.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct DashboardWithMeta {
    pub dashboard: Value,
    #[serde(default)]
    pub meta: DashboardMeta,
}

impl DashboardWithMeta {
    /// The folder uid, `None` at the root.
    pub fn folder_uid(&self) -> Option<&str> {
        Some(self.meta.folder_uid.as_str()).filter(|s| !s.is_empty())
    }
}

/// `POST /api/dashboards/db` body.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SaveDashboard {
    /// The full model. `id` null to create; `version` = Grafana's current version to update
    /// without `overwrite` (412 `version-mismatch` if it changed meanwhile).
    pub dashboard: Value,
    /// `None` = the root ("General").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folder_uid: Option<String>,
    pub overwrite: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// `POST /api/dashboards/db` answer.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct SaveResult {
    #[serde(default)]
    pub id: Option<i64>,
    pub uid: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub version: i64,
    #[serde(default)]
    pub slug: String,
}

/// One `inputs[]` entry of `POST /api/dashboards/import`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ImportInput {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub plugin_id: String,
    pub value: String,
}

/// `POST /api/dashboards/import` body.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ImportDashboard {
    /// The model with its `__inputs`; Grafana substitutes `${NAME}` in string values.
    pub dashboard: Value,
    pub inputs: Vec<ImportInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folder_uid: Option<String>,
    pub overwrite: bool,
}

/// `POST /api/dashboards/import` answer (it carries no version).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ImportResult {
    pub uid: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub imported: bool,
    #[serde(default)]
    pub imported_url: String,
    #[serde(default)]
    pub dashboard_id: Option<i64>,
    #[serde(default)]
    pub folder_uid: Option<String>,
}

/// A datasource (`GET /api/datasources` items and `GET /api/datasources/uid/:uid`).
/// Secret values are never returned by Grafana; `secure_json_fields` names the stored ones.
/// Unknown fields are kept in `extra` so a backup loses nothing Grafana sent.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Datasource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    pub uid: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub access: String,
    #[serde(default)]
    pub is_default: bool,
    #[serde(default)]
    pub read_only: bool,
    #[serde(default)]
    pub json_data: Value,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub secure_json_fields: BTreeMap<String, bool>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// ---------------------------------------------------------------------------------------------
// Errors

/// The `status` field of Grafana's error body (`version-mismatch`, `name-exists`,
/// `plugin-dashboard`, `not-found`, …), if any.
pub fn grafana_status(e: &HttpError) -> Option<String> {
    let body = e.body.as_deref()?;
    let v: Value = serde_json::from_str(body).ok()?;
    v.get("status").and_then(Value::as_str).map(str::to_string)
}

/// Grafana's own `message`, else the whole error text.
pub fn grafana_message(e: &HttpError) -> String {
    e.body.as_deref().and_then(super::http::server_message).unwrap_or_else(|| e.message.clone())
}

/// 404.
pub fn is_not_found(e: &HttpError) -> bool {
    e.status() == Some(404)
}

// ---------------------------------------------------------------------------------------------
// Query strings

/// A query string builder with percent-encoding (`?a=1&b=x%20y`).
#[derive(Debug, Default, Clone)]
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn new() -> Self {
        Query(Vec::new())
    }

    pub fn push(mut self, key: &str, value: impl ToString) -> Self {
        self.0.push((key.to_string(), value.to_string()));
        self
    }

    pub fn push_opt(self, key: &str, value: Option<impl ToString>) -> Self {
        match value {
            Some(v) => self.push(key, v),
            None => self,
        }
    }

    /// `path?k=v&…` (just `path` without pairs).
    pub fn apply(&self, path: &str) -> String {
        if self.0.is_empty() {
            return path.to_string();
        }
        let q: Vec<String> =
            self.0.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
        format!("{path}?{}", q.join("&"))
    }
}

pub use super::http::encode;

// ---------------------------------------------------------------------------------------------
// The client

/// A Grafana connection: base URL, credentials, org, retries. Cheap to clone (shares the pool).
#[derive(Debug, Clone)]
pub struct GrafanaClient {
    http: Http,
    retry: RetryPolicy,
    /// Describes the credentials in use for error messages (never the secret itself).
    auth_hint: String,
}

impl GrafanaClient {
    /// A client for `base` authenticated by `auth`.
    pub fn new(
        base: &str,
        auth: &GrafanaAuth,
        opts: &GrafanaOptions,
    ) -> Result<GrafanaClient, HttpError> {
        let mut http = Http::new(base, opts.timeout)?.capped(BodyCap::Objects);
        let auth_hint = match auth {
            GrafanaAuth::Token(t) => {
                http = http.with_header("Authorization", &format!("Bearer {t}"))?;
                "a service-account token (GRAFANA_TOKEN)".to_string()
            }
            GrafanaAuth::Basic { user, password } => {
                let raw = format!("{user}:{password}");
                let b64 = base64::engine::general_purpose::STANDARD.encode(raw.as_bytes());
                http = http.with_header("Authorization", &format!("Basic {b64}"))?;
                format!(
                    "user `{user}` (GRAFANA_USER/GRAFANA_PASSWORD, else the stack's .env admin)"
                )
            }
            GrafanaAuth::None => {
                "no credentials (set GRAFANA_TOKEN, or GRAFANA_USER and GRAFANA_PASSWORD)"
                    .to_string()
            }
        };
        if let Some(org) = opts.org_id {
            http = http.with_header("X-Grafana-Org-Id", &org.to_string())?;
        }
        Ok(GrafanaClient { http, retry: opts.retry, auth_hint })
    }

    /// The client the commands use: URL from `--grafana-url`, else `stellar-obs.yml` /
    /// `STELLAR_OBS_GRAFANA_URL`; credentials from the environment or the stack's `.env`.
    pub fn from_settings(
        settings: &Settings,
        args: &GrafanaArgs,
        env: &dyn Env,
    ) -> anyhow::Result<GrafanaClient> {
        Self::from_settings_with(settings, args, None, env)
    }

    /// [`Self::from_settings`] with a per-request timeout (body included) instead of
    /// [`DEFAULT_TIMEOUT`].
    pub fn from_settings_with(
        settings: &Settings,
        args: &GrafanaArgs,
        timeout: Option<Duration>,
        env: &dyn Env,
    ) -> anyhow::Result<GrafanaClient> {
        let url = match &args.grafana_url {
            Some(u) => crate::settings::check_base_url(u)
                .map_err(|why| crate::outcome::usage(format!("--grafana-url: {why}")))?,
            None => match settings.url(Component::Grafana) {
                Some(u) => u.to_string(),
                None => bail!(
                    "Grafana is switched off ({} or stellar-obs.yml says `off`); set its URL or pass --grafana-url",
                    Component::Grafana.env_var()
                ),
            },
        };
        let auth = settings.grafana_auth(env)?;
        let opts = GrafanaOptions {
            org_id: args.org_id,
            timeout: timeout.unwrap_or(DEFAULT_TIMEOUT),
            ..GrafanaOptions::default()
        };
        GrafanaClient::new(&url, &auth, &opts)
            .with_context(|| format!("cannot set up a Grafana client for {url}"))
    }

    pub fn base_url(&self) -> &str {
        self.http.base()
    }

    /// The full URL of `path` (for messages and decoding errors).
    pub fn url(&self, path: &str) -> String {
        self.http.url(path)
    }

    /// Which credentials are in use, for messages (no secret).
    pub fn auth_hint(&self) -> &str {
        &self.auth_hint
    }

    // -- transport ------------------------------------------------------------------------

    /// Send with retries; a non-2xx answer is an error carrying Grafana's message. A 401 says
    /// which credentials were tried.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Response, HttpError> {
        self.request_with(method, path, body, &[]).await
    }

    /// [`GrafanaClient::request`] with extra headers (e.g. `X-Disable-Provenance`).
    pub async fn request_with(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        headers: &[(&'static str, String)],
    ) -> Result<Response, HttpError> {
        let idempotent =
            matches!(method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE);
        let mut attempt = 1;
        loop {
            match self.http.send(method.clone(), path, body, headers).await {
                Ok(r) => return Ok(r),
                Err(e) if attempt < self.retry.attempts && should_retry(&e, idempotent) => {
                    tokio::time::sleep(self.retry.backoff(attempt)).await;
                    attempt += 1;
                }
                Err(mut e) => {
                    if e.status() == Some(401) {
                        e.message = format!("{}; sent {}", e.message, self.auth_hint);
                    }
                    if attempt > 1 {
                        e.message = format!("{} (after {attempt} tries)", e.message);
                    }
                    return Err(e);
                }
            }
        }
    }

    /// GET and decode JSON.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, HttpError> {
        let r = self.request(Method::GET, path, None).await?;
        r.json(&self.http.url(path))
    }

    /// GET and decode JSON; 404 is `None`.
    pub async fn get_opt<T: DeserializeOwned>(&self, path: &str) -> Result<Option<T>, HttpError> {
        match self.get(path).await {
            Ok(v) => Ok(Some(v)),
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// POST a JSON body and decode the JSON answer.
    pub async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, HttpError> {
        let b = self.to_body(path, body)?;
        let r = self.request(Method::POST, path, Some(&b)).await?;
        r.json(&self.http.url(path))
    }

    /// PUT a JSON body and decode the JSON answer.
    pub async fn put<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, HttpError> {
        let b = self.to_body(path, body)?;
        let r = self.request(Method::PUT, path, Some(&b)).await?;
        r.json(&self.http.url(path))
    }

    /// DELETE; the answer body is returned as JSON (`null` when empty).
    pub async fn delete(&self, path: &str) -> Result<Value, HttpError> {
        let r = self.request(Method::DELETE, path, None).await?;
        if r.body.trim().is_empty() { Ok(Value::Null) } else { r.json(&self.http.url(path)) }
    }

    fn to_body(&self, path: &str, body: &impl Serialize) -> Result<Value, HttpError> {
        serde_json::to_value(body).map_err(|e| HttpError {
            kind: HttpErrorKind::Body,
            url: self.http.url(path),
            message: format!("cannot encode the request: {e}"),
            body: None,
        })
    }

    // -- health and auth ------------------------------------------------------------------

    /// `GET /api/health` (no auth). A 503 with `database: failing` is an error.
    pub async fn health(&self) -> Result<Health, HttpError> {
        self.get("/api/health").await
    }

    /// Grafana's version from `/api/health`; `None` when Grafana hides it.
    pub async fn version(&self) -> Result<Option<GrafanaVersion>, HttpError> {
        Ok(self.health().await?.version.as_deref().and_then(GrafanaVersion::parse))
    }

    /// A cheap authenticated call (`GET /api/search?limit=1`): fails with 401 on bad
    /// credentials, so commands can stop before doing any work.
    pub async fn check_auth(&self) -> Result<(), HttpError> {
        let path = Query::new().push("limit", 1).apply("/api/search");
        self.get::<Value>(&path).await.map(|_| ())
    }

    // -- search ---------------------------------------------------------------------------

    /// One page of `GET /api/search` (1-based `page`, `limit` items per page).
    pub async fn search_page(
        &self,
        q: &SearchQuery,
        limit: u32,
        page: u32,
    ) -> Result<Vec<SearchHit>, HttpError> {
        let mut query = Query::new().push_opt("query", q.query.as_deref());
        if let Some(k) = q.kind {
            query = query.push("type", k.as_str());
        }
        for f in &q.folder_uids {
            query = query.push("folderUIDs", f);
        }
        for d in &q.dashboard_uids {
            query = query.push("dashboardUIDs", d);
        }
        for t in &q.tags {
            query = query.push("tag", t);
        }
        let path = query.push("limit", limit).push("page", page).apply("/api/search");
        self.get(&path).await
    }

    /// Every hit of `q`, following pages until a short one. Stops with an error if Grafana
    /// answers the same page twice (a server that ignores `page` would loop forever).
    pub async fn search(&self, q: &SearchQuery) -> Result<Vec<SearchHit>, HttpError> {
        let limit = q.limit.unwrap_or(DEFAULT_PAGE_LIMIT);
        let mut out: Vec<SearchHit> = Vec::new();
        let mut seen = BTreeSet::new();
        for page in 1.. {
            let hits = self.search_page(q, limit, page).await?;
            let n = hits.len();
            for h in hits {
                if !seen.insert((h.kind.clone(), h.uid.clone())) {
                    return Err(HttpError {
                        kind: HttpErrorKind::Body,
                        url: self.http.url("/api/search"),
                        message: format!(
                            "page {page} repeats `{}`: this Grafana does not page /api/search",
                            h.uid
                        ),
                        body: None,
                    });
                }
                out.push(h);
            }
            if n < limit as usize || n == 0 {
                break;
            }
        }
        Ok(out)
    }

    // -- folders --------------------------------------------------------------------------

    /// One level of folders: the root's children, or `parent`'s, all pages.
    pub async fn folders(&self, parent: Option<&str>) -> Result<Vec<FolderRef>, HttpError> {
        let limit = DEFAULT_PAGE_LIMIT;
        let mut out: Vec<FolderRef> = Vec::new();
        let mut seen = BTreeSet::new();
        for page in 1.. {
            let path = Query::new()
                .push("limit", limit)
                .push("page", page)
                .push_opt("parentUid", parent)
                .apply("/api/folders");
            let items: Vec<FolderRef> = self.get(&path).await?;
            let n = items.len();
            for f in items {
                if seen.insert(f.uid.clone()) {
                    out.push(f);
                } else {
                    // The same folder on two pages: the server does not page; stop here.
                    return Ok(out);
                }
            }
            if n < limit as usize || n == 0 {
                break;
            }
        }
        Ok(out)
    }

    /// Every folder with its parent, parents before children (breadth-first walk of
    /// `parentUid`). On a Grafana without nested folders (10.x without the feature toggle)
    /// `parentUid` is ignored and every folder is at the root; the walk notices the repeat
    /// and stops.
    pub async fn all_folders(&self) -> Result<Vec<FolderNode>, HttpError> {
        let mut out: Vec<FolderNode> = Vec::new();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut queue: std::collections::VecDeque<Option<String>> = [None].into();
        while let Some(parent) = queue.pop_front() {
            let children = self.folders(parent.as_deref()).await?;
            if parent.is_some() && children.iter().any(|c| seen.contains(&c.uid)) {
                // parentUid was ignored: no nesting on this server.
                continue;
            }
            for c in children {
                if seen.insert(c.uid.clone()) {
                    queue.push_back(Some(c.uid.clone()));
                    out.push(FolderNode { uid: c.uid, title: c.title, parent_uid: parent.clone() });
                }
            }
        }
        Ok(out)
    }

    /// `GET /api/folders/:uid`; `None` if there is no such folder.
    pub async fn folder(&self, uid: &str) -> Result<Option<Folder>, HttpError> {
        self.get_opt(&format!("/api/folders/{}", encode(uid))).await
    }

    /// `POST /api/folders`. 409 when the uid is taken (older Grafana: also the title at the
    /// same level).
    pub async fn create_folder(&self, f: &NewFolder) -> Result<Folder, HttpError> {
        self.post("/api/folders", f).await
    }

    // -- dashboards -----------------------------------------------------------------------

    /// `GET /api/dashboards/uid/:uid`; `None` if there is no such dashboard.
    pub async fn dashboard(&self, uid: &str) -> Result<Option<DashboardWithMeta>, HttpError> {
        self.get_opt(&format!("/api/dashboards/uid/{}", encode(uid))).await
    }

    /// `POST /api/dashboards/db`: create or update. Errors worth telling apart (see
    /// [`grafana_status`]): 412 `version-mismatch` / `name-exists` / `plugin-dashboard`,
    /// 400 "Cannot save provisioned dashboard".
    pub async fn save_dashboard(&self, d: &SaveDashboard) -> Result<SaveResult, HttpError> {
        self.post("/api/dashboards/db", d).await
    }

    /// `POST /api/dashboards/import`: a dashboard with `__inputs`, resolved by `inputs`.
    pub async fn import_dashboard(&self, d: &ImportDashboard) -> Result<ImportResult, HttpError> {
        self.post("/api/dashboards/import", d).await
    }

    /// `DELETE /api/dashboards/uid/:uid` (provisioned ones answer 400).
    pub async fn delete_dashboard(&self, uid: &str) -> Result<(), HttpError> {
        self.delete(&format!("/api/dashboards/uid/{}", encode(uid))).await.map(|_| ())
    }

    // -- datasources ----------------------------------------------------------------------

    /// `GET /api/datasources` (not paged by Grafana).
    pub async fn datasources(&self) -> Result<Vec<Datasource>, HttpError> {
        self.get("/api/datasources").await
    }

    /// `GET /api/datasources/uid/:uid`, with `secureJsonFields`; `None` if absent.
    pub async fn datasource(&self, uid: &str) -> Result<Option<Datasource>, HttpError> {
        self.get_opt(&format!("/api/datasources/uid/{}", encode(uid))).await
    }
}

/// Connection failures and 5xx are worth another try; a timeout only when repeating the
/// request cannot apply it twice.
fn should_retry(e: &HttpError, idempotent: bool) -> bool {
    match e.kind {
        HttpErrorKind::Refused | HttpErrorKind::Connect => true,
        HttpErrorKind::Timeout => idempotent,
        HttpErrorKind::Status(s) => s >= 500,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_and_gate_behaviour() {
        let v = GrafanaVersion::parse("11.2.0").expect("v");
        assert_eq!(v, GrafanaVersion::new(11, 2, 0));
        assert!(v.unique_titles_per_folder());
        assert!(v.nested_folders_by_default());
        let v = GrafanaVersion::parse("11.3.0-pre").expect("v");
        assert!(!v.unique_titles_per_folder());
        let v = GrafanaVersion::parse("v10.4.3+security-01").expect("v");
        assert_eq!(v, GrafanaVersion::new(10, 4, 3));
        assert!(v.unique_titles_per_folder());
        assert!(!v.nested_folders_by_default());
        assert_eq!(GrafanaVersion::parse("12"), Some(GrafanaVersion::new(12, 0, 0)));
        assert_eq!(GrafanaVersion::parse("abc"), None);
        assert_eq!(GrafanaVersion::new(11, 6, 0).to_string(), "11.6.0");
    }

    #[test]
    fn queries_are_encoded() {
        let q = Query::new().push("query", "A / B&c").push_opt("parentUid", None::<&str>);
        assert_eq!(q.apply("/api/search"), "/api/search?query=A%20%2F%20B%26c");
        assert_eq!(Query::new().apply("/x"), "/x");
    }

    #[test]
    fn retry_decisions() {
        let s503 = super::super::http::status_error("u", 503, "");
        let s412 = super::super::http::status_error("u", 412, r#"{"status":"name-exists"}"#);
        assert!(should_retry(&s503, false));
        assert!(!should_retry(&s412, true));
        assert_eq!(grafana_status(&s412).as_deref(), Some("name-exists"));
        let timeout = HttpError {
            kind: HttpErrorKind::Timeout,
            url: "u".into(),
            message: "t".into(),
            body: None,
        };
        assert!(should_retry(&timeout, true));
        assert!(!should_retry(&timeout, false));
        let p = RetryPolicy::default();
        assert!(p.backoff(1) >= Duration::from_millis(200));
        assert!(p.backoff(10) <= Duration::from_millis(3750));
    }

    #[test]
    fn auth_header_is_never_in_debug_output() {
        let c = GrafanaClient::new(
            "http://127.0.0.1:1",
            &GrafanaAuth::Token("glsa_secret".into()),
            &GrafanaOptions { org_id: Some(3), ..GrafanaOptions::default() },
        )
        .expect("client");
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("glsa_secret"), "{dbg}");
        assert!(c.auth_hint().contains("GRAFANA_TOKEN"));
    }

    #[test]
    fn decodes_dashboard_meta_and_datasources() {
        let j = r#"{"dashboard":{"uid":"a","title":"T","version":3},"meta":{"version":3,"folderUid":"f","folderTitle":"F","provisioned":true,"provisionedExternalId":"x.json","created":"2024"}}"#;
        let d: DashboardWithMeta = serde_json::from_str(j).expect("json");
        assert!(d.meta.provisioned);
        assert_eq!(d.folder_uid(), Some("f"));
        assert_eq!(d.meta.extra.get("created"), Some(&Value::from("2024")));
        let ds: Datasource = serde_json::from_str(
            r#"{"id":1,"uid":"p","name":"P","type":"prometheus","url":"http://x","access":"proxy","isDefault":true,"readOnly":true,"jsonData":{},"secureJsonFields":{"basicAuthPassword":true},"version":2}"#,
        )
        .expect("ds");
        assert_eq!(ds.kind, "prometheus");
        assert!(ds.secure_json_fields.contains_key("basicAuthPassword"));
        assert_eq!(ds.extra.get("version"), Some(&Value::from(2)));
    }
}
