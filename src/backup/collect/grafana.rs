//! Grafana: folders (with their nesting), dashboards (with folder and meta), datasources,
//! and the alerting provisioning objects (alert rules, contact points, notification
//! policies, mute timings, templates), as Grafana's API returns them.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use serde_json::Value;

use super::Staged;
use crate::api::GrafanaClient;
use crate::api::grafana::DashboardWithMeta;
use crate::backup::manifest::ComponentInfo;
use crate::dashboards::DEFAULT_CONCURRENCY;

pub const FOLDERS: &str = "grafana/folders.json";
pub const DATASOURCES: &str = "grafana/datasources.json";
pub const DASHBOARDS: &str = "grafana/dashboards/";
pub const ALERT_RULES: &str = "grafana/alerting/alert-rules.json";
pub const CONTACT_POINTS: &str = "grafana/alerting/contact-points.json";
pub const POLICIES: &str = "grafana/alerting/policies.json";
pub const MUTE_TIMINGS: &str = "grafana/alerting/mute-timings.json";
pub const TEMPLATES: &str = "grafana/alerting/templates.json";

/// What Grafana answers for secret settings of contact points.
pub const REDACTED: &str = "[REDACTED]";

/// A file name for a dashboard uid (uids are `[A-Za-z0-9_-]`; anything else is escaped).
pub fn dashboard_member(uid: &str) -> String {
    let mut s = String::new();
    for b in uid.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => s.push(b as char),
            _ => s.push_str(&format!("%{b:02X}")),
        }
    }
    format!("{DASHBOARDS}{s}.json")
}

/// Secret settings Grafana redacted in a contact point.
pub fn redacted_keys(cp: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(Value::Object(m)) = cp.get("settings") {
        for (k, v) in m {
            if v.as_str() == Some(REDACTED) {
                out.push(k.clone());
            }
        }
    }
    out
}

fn name_of(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or_default().to_string()
}

pub fn collect(
    rt: &tokio::runtime::Runtime,
    client: &GrafanaClient,
) -> Result<(ComponentInfo, Vec<Staged>)> {
    rt.block_on(collect_async(client))
}

async fn collect_async(client: &GrafanaClient) -> Result<(ComponentInfo, Vec<Staged>)> {
    let base = client.base_url().to_string();
    let health = client.health().await.with_context(|| format!("Grafana at {base}"))?;
    client.check_auth().await.with_context(|| format!("Grafana at {base}"))?;
    let mut info = ComponentInfo {
        included: true,
        source: Some(base.clone()),
        version: health.version.clone(),
        method: Some(
            "HTTP API: folders, search + dashboards by uid, datasources, alerting provisioning API"
                .into(),
        ),
        ..Default::default()
    };
    let mut staged = Vec::new();

    let folders = client.all_folders().await.context("cannot list Grafana's folders")?;
    info.count("folders", folders.len() as u64);
    staged.push(Staged::json(FOLDERS, &folders)?);

    let uids = client.dashboard_uids().await.context("cannot search Grafana's dashboards")?;
    let mut dashboards: BTreeMap<String, DashboardWithMeta> = BTreeMap::new();
    // Fetched as `dashboards export` does: a bounded pool, not batches that wait for
    // their slowest request.
    let c = client.clone();
    let fetched = crate::dashboards::bounded(uids, DEFAULT_CONCURRENCY, move |uid: String| {
        let c = c.clone();
        async move {
            let d = c.dashboard(&uid).await;
            (uid, d)
        }
    })
    .await;
    for r in fetched {
        let (uid, d) = r.context("a dashboard download failed")?;
        // None: deleted between the search and the read; nothing to keep.
        if let Some(d) = d.with_context(|| format!("cannot read dashboard {uid}"))? {
            dashboards.insert(uid, d);
        }
    }
    let provisioned = dashboards.values().filter(|d| d.meta.provisioned).count();
    info.count("dashboards", dashboards.len() as u64);
    if provisioned > 0 {
        info.notes.push(format!(
            "{} provisioned from files: archived for reference; restore leaves them to Grafana's provisioning (the files are in configs/)",
            crate::output::words::count(provisioned as u64, "dashboard is", "dashboards are")
        ));
    }
    for (uid, d) in &dashboards {
        staged.push(Staged::json(dashboard_member(uid), d)?);
    }

    let list = client.datasources().await.context("cannot list Grafana's datasources")?;
    let mut datasources = Vec::new();
    let mut secrets = Vec::new();
    for ds in list {
        let full = client
            .datasource(&ds.uid)
            .await
            .with_context(|| format!("cannot read datasource {}", ds.name))?
            .unwrap_or(ds);
        for k in full.secure_json_fields.keys() {
            secrets.push(format!("{}.{k}", full.name));
        }
        datasources.push(full);
    }
    info.count("datasources", datasources.len() as u64);
    staged.push(Staged::json(DATASOURCES, &datasources)?);
    info.notes.push(if secrets.is_empty() {
        "datasource secrets (secureJsonData) cannot be read through Grafana's API; none are set".into()
    } else {
        format!(
            "datasource secrets (secureJsonData) cannot be read through Grafana's API and are not in the archive: {}; give them to restore with --secrets FILE",
            secrets.join(", ")
        )
    });

    let rules = client.alert_rules().await.context("cannot read Grafana's alert rules")?;
    let cps = client.contact_points().await.context("cannot read Grafana's contact points")?;
    let policies =
        client.policies().await.context("cannot read Grafana's notification policies")?;
    let mutes = client.mute_timings().await.context("cannot read Grafana's mute timings")?;
    let templates = client.templates().await.context("cannot read Grafana's templates")?;
    let redacted: Vec<String> = cps
        .iter()
        .flat_map(|cp| {
            let n = name_of(cp, "name");
            redacted_keys(cp).into_iter().map(move |k| format!("{n}.{k}"))
        })
        .collect();
    if !redacted.is_empty() {
        info.notes.push(format!(
            "contact point secrets come back from Grafana as {REDACTED} and are not in the archive: {}; give them to restore with --secrets FILE",
            redacted.join(", ")
        ));
    }
    info.count("alert_rules", rules.len() as u64);
    info.count("contact_points", cps.len() as u64);
    info.count("mute_timings", mutes.len() as u64);
    info.count("templates", templates.len() as u64);
    staged.push(Staged::json(ALERT_RULES, &rules)?);
    staged.push(Staged::json(CONTACT_POINTS, &cps)?);
    staged.push(Staged::json(POLICIES, &policies)?);
    staged.push(Staged::json(MUTE_TIMINGS, &mutes)?);
    staged.push(Staged::json(TEMPLATES, &templates)?);
    Ok((info, staged))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn member_names_and_redactions() {
        assert_eq!(dashboard_member("abc-1_2"), "grafana/dashboards/abc-1_2.json");
        assert_eq!(dashboard_member("a/../b"), "grafana/dashboards/a%2F%2E%2E%2Fb.json");
        assert!(crate::backup::manifest::check_member_path(&dashboard_member("../x")).is_ok());
        let cp = json!({"name": "slack", "settings": {"url": REDACTED, "title": "x"}});
        assert_eq!(redacted_keys(&cp), vec!["url".to_string()]);
    }
}
