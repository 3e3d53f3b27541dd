//! Grafana, in dependency order: datasources (secrets from the `--secrets` overlay) →
//! folders (parents first, upsert by uid) → dashboards (overwrite) → templates → mute
//! timings → contact points → alert rules → notification policies (last: they name contact
//! points and mute timings). Provisioning writes carry `X-Disable-Provenance: true`.
//!
//! Everything is planned first by reading what Grafana has (nothing is written), so
//! `--dry-run` shows exactly what a run would do and objects equal to the archived ones are
//! left alone (restoring twice changes nothing).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::api::GrafanaClient;
use crate::api::grafana::{DashboardWithMeta, Datasource, FolderNode, NewFolder, SaveDashboard};
use crate::backup::collect::grafana::{
    ALERT_RULES, CONTACT_POINTS, DASHBOARDS, DATASOURCES, FOLDERS, MUTE_TIMINGS, POLICIES,
    REDACTED, TEMPLATES, redacted_keys,
};
use crate::backup::manifest::Part;
use crate::backup::report::{Action, Step, StepStatus};

/// `--secrets FILE`: datasource `secureJsonData` and contact point secret settings, by uid
/// or name.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Secrets {
    #[serde(default)]
    pub datasources: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    pub contact_points: BTreeMap<String, BTreeMap<String, String>>,
}

impl Secrets {
    /// Read the overlay (YAML or JSON).
    pub fn load(path: &Path) -> Result<Secrets> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the secrets file {}", path.display()))?;
        let s: Option<Secrets> = serde_saphyr::from_str(&text).map_err(|e| {
            // Never echo the file's content: it holds secrets.
            let loc = e.location().map(|l| format!(":{}", l.line())).unwrap_or_default();
            anyhow::anyhow!(
                "{}{loc}: not a secrets file (expected `datasources:` and/or `contact_points:` maps of uid or name to key: value)",
                path.display()
            )
        })?;
        Ok(s.unwrap_or_default())
    }

    fn for_ds(&self, ds: &Datasource) -> Option<&BTreeMap<String, String>> {
        self.datasources.get(&ds.uid).or_else(|| self.datasources.get(&ds.name))
    }

    fn for_cp(&self, uid: &str, name: &str) -> Option<&BTreeMap<String, String>> {
        self.contact_points.get(uid).or_else(|| self.contact_points.get(name))
    }
}

/// One thing to do in Grafana.
#[derive(Debug, Clone)]
pub enum Item {
    Datasource { body: Value, uid: String, exists: bool },
    Folder { node: FolderNode, exists: bool, retitle: bool, moved: bool },
    Dashboard { d: DashboardWithMeta },
    Template { name: String, body: Value },
    MuteTiming { name: String, body: Value, exists: bool },
    ContactPoint { uid: String, body: Value, exists: bool },
    AlertRule { uid: String, body: Value, exists: bool },
    Policies { body: Value },
}

#[derive(Debug, Clone)]
pub struct Planned {
    pub item: Item,
    pub step: Step,
}

fn parse<T: serde::de::DeserializeOwned>(
    kept: &BTreeMap<String, Vec<u8>>,
    member: &str,
) -> Result<Option<T>> {
    match kept.get(member) {
        None => Ok(None),
        Some(b) => {
            Ok(Some(serde_json::from_slice(b).with_context(|| format!("{member} does not parse"))?))
        }
    }
}

fn s(v: &Value, k: &str) -> String {
    v.get(k).and_then(Value::as_str).unwrap_or_default().to_string()
}

/// A copy without the keys Grafana sets itself.
fn without(v: &Value, keys: &[&str]) -> Value {
    match v {
        Value::Object(m) => {
            let mut m: Map<String, Value> = m.clone();
            for k in keys {
                m.remove(*k);
            }
            Value::Object(m)
        }
        other => other.clone(),
    }
}

/// Equal, treating a `[REDACTED]` string on either side as equal to anything.
fn same_redacted(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), _) if x == REDACTED => true,
        (_, Value::String(y)) if y == REDACTED => true,
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_redacted(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same_redacted(v, w))
        }
        _ => a == b,
    }
}

/// The datasource fields a restore compares and writes.
const DS_FIELDS: &[&str] = &[
    "uid",
    "name",
    "type",
    "url",
    "access",
    "basicAuth",
    "basicAuthUser",
    "user",
    "database",
    "isDefault",
    "jsonData",
    "withCredentials",
];

fn ds_body(ds: &Datasource) -> Value {
    let full = serde_json::to_value(ds).unwrap_or(Value::Null);
    let mut m = Map::new();
    for k in DS_FIELDS {
        if let Some(v) = full.get(*k) {
            m.insert((*k).to_string(), v.clone());
        }
    }
    Value::Object(m)
}

/// Folders with parents before children; ones whose parent is not archived go first.
fn topo(folders: Vec<FolderNode>) -> Vec<FolderNode> {
    let known: BTreeSet<String> = folders.iter().map(|f| f.uid.clone()).collect();
    let mut placed: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    let mut rest = folders;
    while !rest.is_empty() {
        let before = rest.len();
        let (ready, wait): (Vec<_>, Vec<_>) = rest.into_iter().partition(|f| match &f.parent_uid {
            None => true,
            Some(p) => placed.contains(p) || !known.contains(p),
        });
        for f in ready {
            placed.insert(f.uid.clone());
            out.push(f);
        }
        rest = wait;
        if rest.len() == before {
            // A cycle (cannot happen in Grafana): keep the archived order.
            out.append(&mut rest);
        }
    }
    out
}

fn step(object: String, action: Action, detail: impl Into<String>) -> Step {
    Step::new(Part::Grafana, object, action, detail)
}

/// Read the archive's Grafana objects and decide what to do with each.
pub fn plan(
    rt: &tokio::runtime::Runtime,
    client: &GrafanaClient,
    kept: &BTreeMap<String, Vec<u8>>,
    secrets: &Secrets,
) -> Result<Vec<Planned>> {
    rt.block_on(plan_async(client, kept, secrets))
}

async fn plan_async(
    client: &GrafanaClient,
    kept: &BTreeMap<String, Vec<u8>>,
    secrets: &Secrets,
) -> Result<Vec<Planned>> {
    let base = client.base_url().to_string();
    client.check_auth().await.with_context(|| format!("Grafana at {base}"))?;
    let mut out = Vec::new();

    // Datasources.
    let datasources: Vec<Datasource> = parse(kept, DATASOURCES)?.unwrap_or_default();
    let current_ds = client.datasources().await.context("cannot list Grafana's datasources")?;
    for ds in datasources {
        let mut body = ds_body(&ds);
        let overlay = secrets.for_ds(&ds);
        if let Some(o) = overlay {
            body["secureJsonData"] = json!(o);
        }
        let object = format!("datasource {} ({})", ds.name, ds.uid);
        let wanted: BTreeSet<&String> = ds.secure_json_fields.keys().collect();
        let missing_secrets: Vec<&String> = wanted
            .iter()
            .filter(|k| overlay.is_none_or(|o| !o.contains_key(**k)))
            .copied()
            .collect();
        let secret_note = if missing_secrets.is_empty() {
            String::new()
        } else {
            format!(
                "; secrets not restored (not in --secrets): {}",
                missing_secrets.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            )
        };
        let existing = client
            .datasource(&ds.uid)
            .await
            .with_context(|| format!("cannot read datasource {}", ds.uid))?;
        let (action, detail, exists) = match existing {
            None => match current_ds.iter().find(|c| c.name == ds.name) {
                Some(other) => (
                    Action::Skip,
                    format!(
                        "a datasource named `{}` exists with another uid ({}): not restored",
                        ds.name, other.uid
                    ),
                    false,
                ),
                None => (Action::Create, format!("type {}{secret_note}", ds.kind), false),
            },
            Some(cur) if cur.read_only => (
                Action::Skip,
                "read-only in this Grafana (provisioned from a file): left alone".into(),
                true,
            ),
            Some(cur) => {
                let equal = without(&ds_body(&cur), &[]) == without(&body, &["secureJsonData"]);
                let has_overlay_keys = overlay
                    .is_none_or(|o| o.keys().all(|k| cur.secure_json_fields.contains_key(k)));
                if equal && has_overlay_keys {
                    (Action::Unchanged, String::new(), true)
                } else {
                    (Action::Replace, format!("type {}{secret_note}", ds.kind), true)
                }
            }
        };
        out.push(Planned {
            item: Item::Datasource { body, uid: ds.uid.clone(), exists },
            step: step(object, action, detail),
        });
    }

    // Folders, parents first.
    let folders: Vec<FolderNode> = parse(kept, FOLDERS)?.unwrap_or_default();
    for node in topo(folders) {
        let cur = client
            .folder(&node.uid)
            .await
            .with_context(|| format!("cannot read folder {}", node.uid))?;
        let object = format!("folder {} ({})", node.title, node.uid);
        let (action, detail, exists, retitle, moved) = match cur {
            None => (Action::Create, parent_detail(&node), false, false, false),
            Some(f) => {
                let retitle = f.title != node.title;
                let moved =
                    f.parent_uid.as_deref().filter(|p| !p.is_empty()) != node.parent_uid.as_deref();
                if retitle || moved {
                    (Action::Replace, format!("now `{}`", f.title), true, retitle, moved)
                } else {
                    (Action::Unchanged, String::new(), true, false, false)
                }
            }
        };
        out.push(Planned {
            item: Item::Folder { node, exists, retitle, moved },
            step: step(object, action, detail),
        });
    }

    // Dashboards.
    let mut dashboards: Vec<(String, DashboardWithMeta)> = Vec::new();
    for (path, bytes) in kept.range(DASHBOARDS.to_string()..) {
        if !path.starts_with(DASHBOARDS) {
            break;
        }
        let d: DashboardWithMeta =
            serde_json::from_slice(bytes).with_context(|| format!("{path} does not parse"))?;
        dashboards.push((path.clone(), d));
    }
    for (_, d) in dashboards {
        let uid = s(&d.dashboard, "uid");
        let title = s(&d.dashboard, "title");
        let object = format!("dashboard {title} ({uid})");
        if d.meta.provisioned {
            out.push(Planned {
                item: Item::Dashboard { d: d.clone() },
                step: step(
                    object,
                    Action::Skip,
                    format!(
                        "provisioned from {} in the source: Grafana provisions it from the stack's files",
                        d.meta.provisioned_external_id
                    ),
                ),
            });
            continue;
        }
        let cur =
            client.dashboard(&uid).await.with_context(|| format!("cannot read dashboard {uid}"))?;
        let folder = d.folder_uid().map(str::to_string);
        let (action, detail) = match cur {
            None => (Action::Create, folder_detail(&d)),
            Some(c) if c.meta.provisioned => {
                (Action::Skip, "provisioned from a file in this Grafana: left alone".to_string())
            }
            Some(c) => {
                let same_model = without(&c.dashboard, &["id", "version"])
                    == without(&d.dashboard, &["id", "version"]);
                if same_model && c.folder_uid().map(str::to_string) == folder {
                    (Action::Unchanged, String::new())
                } else {
                    (Action::Replace, format!("version {} is overwritten", c.meta.version))
                }
            }
        };
        out.push(Planned { item: Item::Dashboard { d }, step: step(object, action, detail) });
    }

    // Alerting.
    let strip = ["provenance", "id", "updated", "version"];
    let templates: Vec<Value> = parse(kept, TEMPLATES)?.unwrap_or_default();
    let cur_templates = client.templates().await.context("cannot read Grafana's templates")?;
    for t in templates {
        let name = s(&t, "name");
        let action = match cur_templates.iter().find(|c| s(c, "name") == name) {
            None => Action::Create,
            Some(c) if s(c, "template") == s(&t, "template") => Action::Unchanged,
            Some(_) => Action::Replace,
        };
        let body = json!({"template": t.get("template").cloned().unwrap_or(Value::Null)});
        out.push(Planned {
            item: Item::Template { name: name.clone(), body },
            step: step(format!("template {name}"), action, ""),
        });
    }
    let mutes: Vec<Value> = parse(kept, MUTE_TIMINGS)?.unwrap_or_default();
    let cur_mutes = client.mute_timings().await.context("cannot read Grafana's mute timings")?;
    for mt in mutes {
        let name = s(&mt, "name");
        let body = without(&mt, &strip);
        let (action, exists) = match cur_mutes.iter().find(|c| s(c, "name") == name) {
            None => (Action::Create, false),
            Some(c) if without(c, &strip) == body => (Action::Unchanged, true),
            Some(_) => (Action::Replace, true),
        };
        out.push(Planned {
            item: Item::MuteTiming { name: name.clone(), body, exists },
            step: step(format!("mute timing {name}"), action, ""),
        });
    }
    let cps: Vec<Value> = parse(kept, CONTACT_POINTS)?.unwrap_or_default();
    let cur_cps = client.contact_points().await.context("cannot read Grafana's contact points")?;
    for cp in cps {
        let uid = s(&cp, "uid");
        let name = s(&cp, "name");
        let mut body = without(&cp, &["provenance"]);
        let overlay = secrets.for_cp(&uid, &name);
        let mut unresolved = Vec::new();
        for k in redacted_keys(&cp) {
            match overlay.and_then(|o| o.get(&k)) {
                Some(v) => body["settings"][&k] = json!(v),
                None => unresolved.push(k),
            }
        }
        let existing = cur_cps.iter().find(|c| s(c, "uid") == uid);
        if existing.is_none() {
            // A new contact point must not get "[REDACTED]" as its secret.
            if let Some(Value::Object(m)) = body.get_mut("settings") {
                for k in &unresolved {
                    m.remove(k);
                }
            }
        }
        let detail = if unresolved.is_empty() {
            format!("type {}", s(&cp, "type"))
        } else if existing.is_some() {
            format!("type {}; secrets kept as stored: {}", s(&cp, "type"), unresolved.join(", "))
        } else {
            format!(
                "type {}; secrets not restored (not in --secrets): {}",
                s(&cp, "type"),
                unresolved.join(", ")
            )
        };
        let action = match existing {
            None => Action::Create,
            // Secrets cannot be compared (Grafana redacts them): set ones count as equal.
            Some(c)
                if same_redacted(&without(c, &["provenance"]), &body)
                    && overlay.is_none_or(|o| {
                        o.keys().all(|k| c["settings"].get(k).is_some_and(|v| !v.is_null()))
                    }) =>
            {
                Action::Unchanged
            }
            Some(_) => Action::Replace,
        };
        out.push(Planned {
            item: Item::ContactPoint { uid: uid.clone(), body, exists: existing.is_some() },
            step: step(format!("contact point {name} ({uid})"), action, detail),
        });
    }
    let rules: Vec<Value> = parse(kept, ALERT_RULES)?.unwrap_or_default();
    // One list request, as for the other alerting objects (not one request per rule).
    let cur_rules = if rules.is_empty() {
        Vec::new()
    } else {
        client.alert_rules().await.context("cannot read Grafana's alert rules")?
    };
    for r in rules {
        let uid = s(&r, "uid");
        let body = without(&r, &strip);
        let (action, exists) = match cur_rules.iter().find(|c| s(c, "uid") == uid) {
            None => (Action::Create, false),
            Some(c) if without(c, &strip) == body => (Action::Unchanged, true),
            Some(_) => (Action::Replace, true),
        };
        out.push(Planned {
            item: Item::AlertRule { uid: uid.clone(), body, exists },
            step: step(
                format!("alert rule {} ({uid})", s(&r, "title")),
                action,
                format!("folder {}, group {}", s(&r, "folderUID"), s(&r, "ruleGroup")),
            ),
        });
    }
    if let Some(tree) = parse::<Value>(kept, POLICIES)?.filter(|t| t.is_object()) {
        let body = without(&tree, &["provenance"]);
        let cur = client.policies().await.context("cannot read Grafana's notification policies")?;
        let action = if without(&cur, &["provenance"]) == body {
            Action::Unchanged
        } else if is_default_policy(&cur) {
            Action::Create
        } else {
            Action::Replace
        };
        out.push(Planned {
            item: Item::Policies { body },
            step: step(
                "notification policies".into(),
                action,
                format!("root receiver {}", s(&tree, "receiver")),
            ),
        });
    }
    Ok(out)
}

/// Grafana's out-of-the-box tree: everything to the default email contact point.
fn is_default_policy(tree: &Value) -> bool {
    s(tree, "receiver") == "grafana-default-email"
        && tree.get("routes").and_then(Value::as_array).is_none_or(|r| r.is_empty())
}

fn parent_detail(n: &FolderNode) -> String {
    match &n.parent_uid {
        Some(p) => format!("in {p}"),
        None => "at the root".into(),
    }
}

fn folder_detail(d: &DashboardWithMeta) -> String {
    match d.folder_uid() {
        Some(f) => format!("in folder {f}"),
        None => "in General".into(),
    }
}

/// Apply the plan in order; a rejected object is a failed step, the others go on.
pub fn apply(
    rt: &tokio::runtime::Runtime,
    client: &GrafanaClient,
    plan: &[Planned],
    steps: &mut [Step],
    created: &str,
) {
    rt.block_on(async {
        for (p, st) in plan.iter().zip(steps.iter_mut()) {
            if matches!(st.action, Action::Unchanged | Action::Skip) {
                st.status = StepStatus::Done;
                continue;
            }
            match apply_one(client, &p.item, created).await {
                Ok(()) => st.status = StepStatus::Done,
                Err(e) => {
                    st.status = StepStatus::Failed;
                    st.detail = format!("{e:#}");
                }
            }
        }
    });
}

async fn apply_one(client: &GrafanaClient, item: &Item, created: &str) -> Result<()> {
    match item {
        Item::Datasource { body, uid, exists } => {
            if *exists {
                client.update_datasource(uid, body).await?;
            } else {
                client.create_datasource(body).await?;
            }
        }
        Item::Folder { node, exists, retitle, moved } => {
            if !*exists {
                client
                    .create_folder(&NewFolder {
                        uid: Some(node.uid.clone()),
                        title: node.title.clone(),
                        parent_uid: node.parent_uid.clone(),
                    })
                    .await?;
            } else {
                if *retitle {
                    client.update_folder(&node.uid, &node.title).await?;
                }
                if *moved {
                    client.move_folder(&node.uid, node.parent_uid.as_deref()).await?;
                }
            }
        }
        Item::Dashboard { d } => {
            let mut model = d.dashboard.clone();
            if let Value::Object(m) = &mut model {
                m.insert("id".into(), Value::Null);
            }
            client
                .save_dashboard(&SaveDashboard {
                    dashboard: model,
                    folder_uid: d.folder_uid().map(str::to_string),
                    overwrite: true,
                    message: Some(format!("restored by stellar-obs from the backup of {created}")),
                })
                .await?;
        }
        Item::Template { name, body } => {
            client.set_template(name, body).await?;
        }
        Item::MuteTiming { name, body, exists } => {
            if *exists {
                client.update_mute_timing(name, body).await?;
            } else {
                client.create_mute_timing(body).await?;
            }
        }
        Item::ContactPoint { uid, body, exists } => {
            if *exists {
                client.update_contact_point(uid, body).await?;
            } else {
                client.create_contact_point(body).await?;
            }
        }
        Item::AlertRule { uid, body, exists } => {
            if *exists {
                client.update_alert_rule(uid, body).await?;
            } else {
                client.create_alert_rule(body).await?;
            }
        }
        Item::Policies { body } => {
            client.set_policies(body).await?;
        }
    }
    Ok(())
}

/// Refuse a secrets file others can read (it holds passwords).
pub fn check_secrets_file(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let m = std::fs::metadata(path)
            .with_context(|| format!("cannot read the secrets file {}", path.display()))?;
        if m.permissions().mode() & 0o077 != 0 {
            bail!(
                "the secrets file {} can be read by other users (mode {:o}); chmod 600 it",
                path.display(),
                m.permissions().mode() & 0o777
            );
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_ordered_parents_first() {
        let f = |u: &str, p: Option<&str>| FolderNode {
            uid: u.into(),
            title: u.into(),
            parent_uid: p.map(str::to_string),
        };
        let order: Vec<String> =
            topo(vec![f("c", Some("b")), f("b", Some("a")), f("a", None), f("x", Some("gone"))])
                .into_iter()
                .map(|n| n.uid)
                .collect();
        assert_eq!(order, vec!["a", "x", "b", "c"]);
    }

    #[test]
    fn redacted_values_compare_equal() {
        let a = json!({"settings": {"url": REDACTED, "title": "t"}});
        let b = json!({"settings": {"url": "https://hooks", "title": "t"}});
        assert!(same_redacted(&a, &b));
        assert!(!same_redacted(&a, &json!({"settings": {"url": "x", "title": "other"}})));
    }

    #[test]
    fn secrets_file_parses_yaml_and_hides_content_on_error() {
        let d = tempfile::tempdir().expect("tmp");
        let p = d.path().join("s.yml");
        std::fs::write(&p, "datasources:\n  prom:\n    basicAuthPassword: hunter2\ncontact_points:\n  slack:\n    url: https://hooks\n").expect("w");
        let s = Secrets::load(&p).expect("parses");
        assert_eq!(s.datasources["prom"]["basicAuthPassword"], "hunter2");
        assert_eq!(s.contact_points["slack"]["url"], "https://hooks");
        std::fs::write(&p, "datasource:\n  prom: hunter2\n").expect("w");
        let e = Secrets::load(&p).expect_err("unknown key");
        assert!(!format!("{e:#}").contains("hunter2"), "{e:#}");
        assert!(is_default_policy(&json!({"receiver": "grafana-default-email"})));
        assert!(!is_default_policy(&json!({"receiver": "ops"})));
    }
}
