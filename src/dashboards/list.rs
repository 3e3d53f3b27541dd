//! `stellar-obs dashboards list`: folder, title, uid, version, provisioned.

use std::sync::Arc;

use anyhow::{Context, Result};
use serde::Serialize;
use serde_json::Value;

use super::folders::FolderTree;
use super::{Connected, DEFAULT_CONCURRENCY, bounded, connect};
use crate::api::grafana::SearchQuery;
use crate::cli::DashboardsListArgs;
use crate::outcome::Outcome;
use crate::output::progress::Progress;
use crate::output::{Paint, Report, Ui, table, to_json};
use crate::settings::Settings;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ListedDashboard {
    /// Folder path of titles; `""` at the root.
    pub folder: String,
    pub title: String,
    pub uid: String,
    pub version: i64,
    pub provisioned: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListReport {
    pub dashboards: Vec<ListedDashboard>,
}

impl Report for ListReport {
    fn human(&self, paint: &Paint) -> String {
        let rows: Vec<Vec<String>> = self
            .dashboards
            .iter()
            .map(|d| {
                vec![
                    if d.folder.is_empty() { "General".into() } else { d.folder.clone() },
                    d.title.clone(),
                    d.uid.clone(),
                    d.version.to_string(),
                    if d.provisioned { paint.yellow("yes") } else { "no".into() },
                ]
            })
            .collect();
        let mut s = if rows.is_empty() {
            String::new()
        } else {
            table::render(&["FOLDER", "TITLE", "UID", "VERSION", "PROVISIONED"], &rows)
        };
        s.push_str(&format!(
            "{}\n",
            crate::output::words::count_s(self.dashboards.len() as u64, "dashboard")
        ));
        s
    }

    fn json(&self) -> Value {
        to_json(self)
    }
}

pub async fn run(settings: &Settings, ui: &Ui, a: &DashboardsListArgs) -> Result<Outcome> {
    let Connected { client, .. } = connect(settings, &a.grafana, a.timeout, ui).await?;
    let base = client.base_url().to_string();
    let tree = FolderTree::new(
        client.all_folders().await.with_context(|| format!("cannot list folders at {base}"))?,
    );
    let hits = client
        .search(&SearchQuery::dashboards())
        .await
        .with_context(|| format!("cannot search dashboards at {base}"))?;
    // Version and provisioned are only in each dashboard's meta.
    let progress = Progress::new(ui);
    let bar = progress.bar("list", hits.len() as u64);
    let c = Arc::new(client.clone());
    let b2 = bar.clone();
    let uids: Vec<String> = hits.iter().map(|h| h.uid.clone()).collect();
    let metas = bounded(uids, DEFAULT_CONCURRENCY, move |uid| {
        let c = c.clone();
        let b = b2.clone();
        async move {
            let r = c.dashboard(&uid).await;
            b.inc(1);
            r
        }
    })
    .await;
    bar.clear();
    let mut dashboards = Vec::new();
    for (h, m) in hits.iter().zip(metas) {
        let d = match m {
            Some(Ok(Some(d))) => d,
            Some(Ok(None)) => continue,
            Some(Err(e)) => {
                return Err(e).with_context(|| format!("cannot read dashboard `{}`", h.uid));
            }
            None => anyhow::bail!("internal error reading dashboard `{}`", h.uid),
        };
        dashboards.push(ListedDashboard {
            folder: tree.path(d.folder_uid()),
            title: h.title.clone(),
            uid: h.uid.clone(),
            version: d.meta.version,
            provisioned: d.meta.provisioned,
        });
    }
    dashboards.sort_by(|a, b| {
        a.folder.cmp(&b.folder).then_with(|| a.title.cmp(&b.title)).then_with(|| a.uid.cmp(&b.uid))
    });
    ui.emit(&ListReport { dashboards })?;
    Ok(Outcome::Success)
}
