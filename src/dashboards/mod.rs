//! `stellar-obs dashboards import|export|list` on Grafana's HTTP API (`api/grafana.rs`).
//!
//! - [`import`]: files or directories into Grafana, idempotent (unchanged dashboards are not
//!   posted), conflict-aware (no silent overwrite), concurrent with a bounded pool.
//! - [`export`]: every dashboard as a stable, diff-friendly file under its folder path, plus
//!   `folders.json` and `datasources.json` (no secrets).
//! - [`list`]: folder, title, uid, version, provisioned.

pub mod export;
pub mod folders;
pub mod import;
pub mod list;
pub mod model;

use std::future::Future;
use std::sync::Arc;

use anyhow::{Context, Result};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::api::grafana::{GrafanaClient, GrafanaVersion};
use crate::cli::{DashboardsCommand, GrafanaArgs, OutputFormat};
use crate::outcome::Outcome;
use crate::output::Ui;
use crate::settings::{ProcessEnv, Settings};

/// Default number of requests in flight for export and list.
pub const DEFAULT_CONCURRENCY: usize = 8;

pub fn run(s: &Settings, ui: &Ui, c: &DashboardsCommand) -> Result<Outcome> {
    let rt = crate::runtime::runtime()?;
    match c {
        DashboardsCommand::Import(a) => {
            ui.require_format("dashboards import", &[OutputFormat::Json])?;
            rt.block_on(import::run(s, ui, a))
        }
        DashboardsCommand::Export(a) => {
            ui.require_format("dashboards export", &[OutputFormat::Json])?;
            rt.block_on(export::run(s, ui, a))
        }
        DashboardsCommand::List(a) => {
            ui.require_format("dashboards list", &[OutputFormat::Json])?;
            rt.block_on(list::run(s, ui, a))
        }
    }
}

/// A client that has reached Grafana and been let in.
#[derive(Debug, Clone)]
pub struct Connected {
    pub client: GrafanaClient,
    /// `None` when Grafana hides its version.
    pub version: Option<GrafanaVersion>,
}

/// Build the client, read `/api/health` (the version decides version-specific behaviour) and
/// check the credentials once, so a wrong password is one clear error, not one per dashboard.
/// `timeout` (`--timeout`, seconds) bounds each request, its body included.
pub async fn connect(
    settings: &Settings,
    args: &GrafanaArgs,
    timeout: Option<f64>,
    ui: &Ui,
) -> Result<Connected> {
    let timeout = timeout.map(std::time::Duration::from_secs_f64);
    let client = GrafanaClient::from_settings_with(settings, args, timeout, &ProcessEnv)?;
    let base = client.base_url().to_string();
    let health = client.health().await.map_err(|e| {
        use crate::api::http::HttpErrorKind as K;
        let what = match e.kind {
            // It answered, but not as Grafana does: the wrong URL (another service, a proxy's
            // login page) more often than a broken Grafana.
            K::Body | K::Status(404) => format!("{base} does not look like Grafana"),
            K::Status(_) => format!("Grafana at {base} is not healthy"),
            // Not running (or not here): say how to start it or point at another one.
            _ => {
                return anyhow::anyhow!(
                    "cannot reach Grafana at {base}: {e} (start the stack's Grafana with `stellar-obs up --services grafana`, or point at another with --grafana-url URL or STELLAR_OBS_GRAFANA_URL)"
                );
            }
        };
        anyhow::Error::new(e).context(what)
    })?;
    let version = health.version.as_deref().and_then(GrafanaVersion::parse);
    ui.debug(format!(
        "Grafana at {base}: version {}, database {}",
        version.map(|v| v.to_string()).unwrap_or_else(|| "hidden".into()),
        health.database
    ));
    client.check_auth().await.with_context(|| format!("Grafana at {base} refused the request"))?;
    Ok(Connected { client, version })
}

/// Run `f` on every item with at most `limit` at once; results in input order. A task that
/// panicked yields `None`.
pub async fn bounded<I, T, F, Fut>(items: Vec<I>, limit: usize, f: F) -> Vec<Option<T>>
where
    I: Send + 'static,
    T: Send + 'static,
    F: Fn(I) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    let sem = Arc::new(Semaphore::new(limit.max(1)));
    let f = Arc::new(f);
    let n = items.len();
    let mut set = JoinSet::new();
    for (i, item) in items.into_iter().enumerate() {
        let sem = sem.clone();
        let f = f.clone();
        set.spawn(async move {
            let _permit = sem.acquire_owned().await;
            (i, f(item).await)
        });
    }
    let mut out: Vec<Option<T>> = (0..n).map(|_| None).collect();
    while let Some(r) = set.join_next().await {
        if let Ok((i, t)) = r {
            out[i] = Some(t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn bounded_keeps_order_and_limit() {
        let live = Arc::new(AtomicUsize::new(0));
        let max = Arc::new(AtomicUsize::new(0));
        let (l, m) = (live.clone(), max.clone());
        let out = bounded((0..20).collect(), 3, move |i: u32| {
            let (l, m) = (l.clone(), m.clone());
            async move {
                let now = l.fetch_add(1, Ordering::SeqCst) + 1;
                m.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                l.fetch_sub(1, Ordering::SeqCst);
                i * 2
            }
        })
        .await;
        assert_eq!(out, (0..20).map(|i| Some(i * 2)).collect::<Vec<_>>());
        assert!(max.load(Ordering::SeqCst) <= 3);
        assert!(max.load(Ordering::SeqCst) >= 2);
    }
}
