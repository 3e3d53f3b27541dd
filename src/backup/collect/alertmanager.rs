//! Alertmanager: active and pending silences (API v2) and the running configuration.

use anyhow::{Context, Result};

use super::Staged;
use crate::api::AlertmanagerClient;
use crate::backup::manifest::ComponentInfo;

pub const SILENCES: &str = "alertmanager/silences.json";
pub const CONFIG: &str = "alertmanager/alertmanager.yml";

pub fn collect(
    rt: &tokio::runtime::Runtime,
    client: &AlertmanagerClient,
) -> Result<(ComponentInfo, Vec<Staged>)> {
    let base = client.http.base().to_string();
    let all = rt
        .block_on(client.silences())
        .with_context(|| format!("cannot read Alertmanager's silences from {base}"))?;
    let mut info = ComponentInfo {
        included: true,
        source: Some(base.clone()),
        method: Some("API v2: GET /api/v2/silences, GET /api/v2/status".into()),
        ..Default::default()
    };
    let keep: Vec<_> = all
        .into_iter()
        .filter(|s| s.status.as_ref().is_none_or(|st| st.state != "expired"))
        .collect();
    let count = |state: &str| {
        keep.iter().filter(|s| s.status.as_ref().is_some_and(|st| st.state == state)).count() as u64
    };
    info.count("silences", keep.len() as u64);
    info.count("active", count("active"));
    info.count("pending", count("pending"));
    let mut staged = vec![Staged::json(SILENCES, &keep)?];
    match rt.block_on(client.status()) {
        Ok(st) => {
            if let Some(v) = st.version_info.as_ref().and_then(|v| v.get("version")) {
                info.version = Some(v.clone());
            }
            if let Some(c) = st.config.filter(|c| !c.original.is_empty()) {
                staged.push(Staged::bytes(CONFIG, c.original.into_bytes(), 0o644));
                info.notes.push(
                    "alertmanager.yml is the running configuration as Alertmanager reports it (it masks secrets as <secret>); restore writes the stack's own file from configs/".into(),
                );
            }
        }
        Err(e) => info.notes.push(format!("the running configuration could not be read: {e}")),
    }
    info.notes.push("expired silences are not archived".into());
    Ok((info, staged))
}
