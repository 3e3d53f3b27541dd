//! `stellar-obs dashboards export --out DIR`: every dashboard as a stable file.
//!
//! Layout (`dashboards import DIR` reads it back, folders and uids included):
//! ```text
//! DIR/folders.json                      [{uid, title, parentUid?, path}] sorted by path
//! DIR/datasources.json                  datasources without secrets (secureJsonFields names only)
//! DIR/<slug>-<uid>.json                 dashboards at the root ("General")
//! DIR/<Folder>/<Sub>/<slug>-<uid>.json  dashboards in nested folders
//! ```
//! Files have sorted keys, 2-space indentation and no volatile fields (`id`, `version`,
//! `iteration`), so an unchanged Grafana exports byte-identical files.
//!
//! `DIR/.stellar-obs-export.json` is the export's own index: the dashboard files it wrote.
//! Files an earlier export wrote that this one did not (a deleted or renamed dashboard) are
//! removed, and only those: a regular file named in the index, reached through real
//! directories inside DIR. Nothing is followed through a symlink, nothing outside DIR and
//! nothing the export did not write is ever deleted; dashboards are never written through a
//! symlinked folder either.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use serde::Serialize;
use serde_json::Value;

use super::folders::FolderTree;
use super::import::{DATASOURCES_FILE, ExportedFolder, FOLDERS_FILE};
use super::{Connected, DEFAULT_CONCURRENCY, bounded, connect, model};
use crate::api::grafana::{FolderNode, SearchQuery};
use crate::cli::DashboardsExportArgs;
use crate::fsutil;
use crate::outcome::Outcome;
use crate::output::progress::Progress;
use crate::output::{Paint, Report, Ui, table, to_json};
use crate::settings::Settings;

/// One exported dashboard.
#[derive(Debug, Clone, Serialize)]
pub struct ExportedDashboard {
    pub uid: String,
    pub title: String,
    pub folder: String,
    /// Relative to the output directory.
    pub file: String,
    pub provisioned: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportReport {
    pub out: String,
    pub dashboards: Vec<ExportedDashboard>,
    pub folders: usize,
    pub datasources: usize,
    /// Files of an earlier export that no longer match a dashboard, removed.
    pub removed: Vec<String>,
}

impl Report for ExportReport {
    fn human(&self, _paint: &Paint) -> String {
        let rows: Vec<Vec<String>> = self
            .dashboards
            .iter()
            .map(|d| vec![d.file.clone(), d.title.clone(), d.uid.clone()])
            .collect();
        let mut s = if rows.is_empty() {
            String::new()
        } else {
            table::render(&["FILE", "TITLE", "UID"], &rows)
        };
        for r in &self.removed {
            s.push_str(&format!("removed {r} (no longer in Grafana)\n"));
        }
        s.push_str(&format!(
            "exported {}, {}, {} to {}\n",
            crate::output::words::count_s(self.dashboards.len() as u64, "dashboard"),
            crate::output::words::count_s(self.folders as u64, "folder"),
            crate::output::words::count_s(self.datasources as u64, "datasource"),
            self.out
        ));
        s
    }

    fn json(&self) -> Value {
        to_json(self)
    }
}

/// Directory paths (relative, `/`-separated) for every folder: readable names from titles,
/// with the uid appended when two siblings would get the same name.
pub fn folder_dirs(tree: &FolderTree) -> BTreeMap<String, String> {
    let mut by_parent: BTreeMap<Option<String>, Vec<&FolderNode>> = BTreeMap::new();
    for n in tree.nodes.values() {
        by_parent.entry(n.parent_uid.clone()).or_default().push(n);
    }
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for siblings in by_parent.values() {
        let mut count: BTreeMap<String, usize> = BTreeMap::new();
        for n in siblings {
            *count.entry(model::dir_name(&n.title).to_lowercase()).or_default() += 1;
        }
        for n in siblings {
            let base = model::dir_name(&n.title);
            let name = if count.get(&base.to_lowercase()).copied().unwrap_or(0) > 1 {
                format!("{base}-{}", model::safe_uid(&n.uid))
            } else {
                base
            };
            names.insert(n.uid.clone(), name);
        }
    }
    let mut out = BTreeMap::new();
    for uid in tree.nodes.keys() {
        let mut parts = Vec::new();
        let mut cur = Some(uid.clone());
        let mut guard = 0;
        while let Some(u) = cur {
            guard += 1;
            let Some(n) = tree.nodes.get(&u) else { break };
            parts.push(names.get(&u).cloned().unwrap_or_else(|| model::dir_name(&n.title)));
            cur = n.parent_uid.clone();
            if guard > 64 {
                break;
            }
        }
        parts.reverse();
        out.insert(uid.clone(), parts.join("/"));
    }
    out
}

pub async fn run(settings: &Settings, ui: &Ui, a: &DashboardsExportArgs) -> Result<Outcome> {
    let out_dir = a.out.clone();
    // Checked before Grafana is asked anything: a wrong --out is the user's to fix first.
    if out_dir.exists() && !out_dir.is_dir() {
        return Err(crate::outcome::usage(format!(
            "--out {}: exists and is not a directory",
            out_dir.display()
        )));
    }
    let Connected { client, .. } = connect(settings, &a.grafana, a.timeout, ui).await?;
    let base = client.base_url().to_string();
    std::fs::create_dir_all(&out_dir)
        .with_context(|| format!("--out {}: cannot create the directory", out_dir.display()))?;
    let earlier = read_index(&out_dir)?;

    let nodes =
        client.all_folders().await.with_context(|| format!("cannot list folders at {base}"))?;
    let tree = FolderTree::new(nodes);
    let dirs = folder_dirs(&tree);
    let hits = client
        .search(&SearchQuery::dashboards())
        .await
        .with_context(|| format!("cannot search dashboards at {base}"))?;
    ui.debug(format!("{} dashboards, {} folders", hits.len(), tree.nodes.len()));

    let progress = Progress::new(ui);
    let bar = progress.bar("export", hits.len() as u64);
    let c = Arc::new(client.clone());
    let b2 = bar.clone();
    let uids: Vec<String> = hits.iter().map(|h| h.uid.clone()).collect();
    let fetched = bounded(uids.clone(), DEFAULT_CONCURRENCY, move |uid| {
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

    let mut written: BTreeSet<String> = BTreeSet::new();
    let mut dashboards = Vec::new();
    for (uid, r) in uids.iter().zip(fetched) {
        let d = match r {
            Some(Ok(Some(d))) => d,
            // Deleted between search and read: nothing to export.
            Some(Ok(None)) => continue,
            Some(Err(e)) => {
                return Err(e).with_context(|| format!("cannot read dashboard `{uid}`"));
            }
            None => anyhow::bail!("internal error reading dashboard `{uid}`"),
        };
        let title = d.dashboard.get("title").and_then(Value::as_str).unwrap_or(uid).to_string();
        let dir = match d.folder_uid() {
            None => String::new(),
            Some(f) => {
                dirs.get(f).cloned().unwrap_or_else(|| model::dir_name(&d.meta.folder_title))
            }
        };
        let rel = if dir.is_empty() {
            model::file_name(&title, uid)
        } else {
            format!("{dir}/{}", model::file_name(&title, uid))
        };
        let path = out_dir.join(&rel);
        refuse_symlinked_dirs(&out_dir, &rel)?;
        write_if_changed(&path, &model::to_pretty(&model::normalize(&d.dashboard)))?;
        written.insert(rel.clone());
        dashboards.push(ExportedDashboard {
            uid: uid.clone(),
            title,
            folder: tree.path(d.folder_uid()),
            file: rel,
            provisioned: d.meta.provisioned,
        });
    }

    // folders.json
    let mut folders: Vec<ExportedFolder> = tree
        .nodes
        .values()
        .map(|n| ExportedFolder {
            uid: n.uid.clone(),
            title: n.title.clone(),
            parent_uid: n.parent_uid.clone(),
            path: dirs.get(&n.uid).cloned().unwrap_or_default(),
        })
        .collect();
    folders.sort_by(|a, b| a.path.cmp(&b.path).then(a.uid.cmp(&b.uid)));
    let folders_json = serde_json::to_value(&folders)?;
    write_if_changed(&out_dir.join(FOLDERS_FILE), &model::to_pretty(&folders_json))?;

    // datasources.json
    let list =
        client.datasources().await.with_context(|| format!("cannot list datasources at {base}"))?;
    let mut ds_out = Vec::new();
    for d in &list {
        let full = client
            .datasource(&d.uid)
            .await
            .with_context(|| format!("cannot read datasource `{}`", d.name))?
            .unwrap_or_else(|| d.clone());
        ds_out.push(datasource_for_export(&serde_json::to_value(&full)?));
    }
    ds_out.sort_by(|a, b| {
        let k = |v: &Value| v.get("name").and_then(Value::as_str).unwrap_or("").to_string();
        k(a).cmp(&k(b))
    });
    write_if_changed(&out_dir.join(DATASOURCES_FILE), &model::to_pretty(&Value::Array(ds_out)))?;

    write_index(&out_dir, &written)?;
    let removed = remove_stale(&out_dir, &earlier, &written, ui);
    dashboards.sort_by(|a, b| a.file.cmp(&b.file));
    let report = ExportReport {
        out: out_dir.display().to_string(),
        dashboards,
        folders: folders.len(),
        datasources: list.len(),
        removed,
    };
    ui.emit(&report)?;
    Ok(Outcome::Success)
}

/// A datasource without anything secret or instance-specific: no `id`, no `secureJsonData`
/// (Grafana never returns it anyway), `secureJsonFields` kept as names.
pub fn datasource_for_export(v: &Value) -> Value {
    let mut v = v.clone();
    if let Value::Object(m) = &mut v {
        m.remove("id");
        m.remove("secureJsonData");
        m.remove("version");
        if let Some(Value::Object(f)) = m.get("secureJsonFields") {
            let names: serde_json::Map<String, Value> =
                f.keys().map(|k| (k.clone(), Value::Bool(true))).collect();
            m.insert("secureJsonFields".into(), Value::Object(names));
        }
    }
    model::sorted(&v)
}

/// Write only when the content differs (keeps mtimes of unchanged files).
fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    fsutil::write_atomic(path, text.as_bytes(), None)
}

/// The export's own index of the dashboard files it wrote, relative to `--out`.
pub const INDEX_FILE: &str = ".stellar-obs-export.json";

#[derive(Debug, Serialize, serde::Deserialize)]
struct Index {
    files: Vec<String>,
}

/// The files an earlier export recorded (none when there was no earlier export, or one
/// from before the index existed: then nothing is removed).
fn read_index(out: &Path) -> Result<BTreeSet<String>> {
    let p = out.join(INDEX_FILE);
    match std::fs::symlink_metadata(&p) {
        Ok(m) if m.is_file() => {}
        Ok(_) => anyhow::bail!("{}: not a regular file; remove it to export here", p.display()),
        Err(_) => return Ok(BTreeSet::new()),
    }
    let text = crate::fsutil::read_capped_string(&p, 16 << 20)
        .with_context(|| format!("cannot read {}", p.display()))?;
    let idx: Index = serde_json::from_str(&text).with_context(|| {
        format!("{}: not an export index; remove it to export here", p.display())
    })?;
    Ok(idx.files.into_iter().collect())
}

fn write_index(out: &Path, written: &BTreeSet<String>) -> Result<()> {
    let idx = Index { files: written.iter().cloned().collect() };
    let mut text = serde_json::to_string_pretty(&idx)?;
    text.push('\n');
    write_if_changed(&out.join(INDEX_FILE), &text)
}

/// Refuse to write `rel` when a folder on its way inside `out` is a symlink (it would put
/// the file outside `--out`).
fn refuse_symlinked_dirs(out: &Path, rel: &str) -> Result<()> {
    let mut p = out.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        p.push(part);
        if std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink()) {
            anyhow::bail!(
                "{} is a symlink: refusing to write a dashboard through it (outside --out); remove it or export elsewhere",
                p.display()
            );
        }
    }
    Ok(())
}

/// A relative path of the index as safe components: no `..`, no root, no empty part.
fn safe_parts(rel: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = rel.split('/').collect();
    let ok = !parts.is_empty()
        && parts.iter().all(|p| !p.is_empty() && *p != "." && *p != ".." && !p.contains('\\'));
    ok.then_some(parts)
}

/// Remove the files of the earlier export (`earlier`) that this one did not write (`keep`),
/// then the folders that became empty. Only a regular file reached through real
/// directories inside `out` is removed; a name that would leave `out`, a symlink on the way
/// and anything that is not a regular file are left alone with a warning.
fn remove_stale(
    out: &Path,
    earlier: &BTreeSet<String>,
    keep: &BTreeSet<String>,
    ui: &Ui,
) -> Vec<String> {
    let mut removed = Vec::new();
    for rel in earlier.difference(keep) {
        let Some(parts) =
            safe_parts(rel).filter(|p| p.last().is_some_and(|n| n.ends_with(".json")))
        else {
            ui.warn(format!("{INDEX_FILE}: ignoring `{rel}` (not a dashboard file inside --out)"));
            continue;
        };
        let mut p = out.to_path_buf();
        let mut through_real_dirs = true;
        for dir in &parts[..parts.len() - 1] {
            p.push(dir);
            if !std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_dir()) {
                through_real_dirs = false;
                break;
            }
        }
        if !through_real_dirs {
            if std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink()) {
                ui.warn(format!("not removing {rel}: {} is a symlink", p.display()));
            }
            continue;
        }
        p.push(parts[parts.len() - 1]);
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_file() => match std::fs::remove_file(&p) {
                Ok(()) => removed.push(rel.clone()),
                Err(e) => ui.warn(format!("cannot remove {}: {e}", p.display())),
            },
            Ok(_) => ui.warn(format!("not removing {rel}: not a regular file")),
            Err(_) => {}
        }
        // Folders left empty, innermost first, never `out` itself, never through a symlink.
        for depth in (1..parts.len()).rev() {
            let d = parts[..depth].iter().fold(out.to_path_buf(), |acc, x| acc.join(x));
            let empty = std::fs::symlink_metadata(&d).is_ok_and(|m| m.file_type().is_dir())
                && std::fs::read_dir(&d).is_ok_and(|mut it| it.next().is_none());
            if !empty || std::fs::remove_dir(&d).is_err() {
                break;
            }
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::OutputFormat;
    use serde_json::json;

    #[test]
    fn folder_dirs_are_unique_and_nested() {
        let n = |u: &str, t: &str, p: Option<&str>| FolderNode {
            uid: u.into(),
            title: t.into(),
            parent_uid: p.map(str::to_string),
        };
        let tree = FolderTree::new(vec![
            n("a", "Ops", None),
            n("b", "Prod/EU", Some("a")),
            n("c", "Ops", None),
            n("d", "Stellar", None),
        ]);
        let d = folder_dirs(&tree);
        assert_eq!(d["a"], "Ops-a");
        assert_eq!(d["c"], "Ops-c");
        assert_eq!(d["b"], "Ops-a/Prod_EU");
        assert_eq!(d["d"], "Stellar");
    }

    #[test]
    fn datasources_lose_secrets_and_ids() {
        let v = json!({"id": 3, "uid": "p", "name": "P", "version": 4, "secureJsonData": {"password": "x"}, "secureJsonFields": {"password": true}});
        let e = datasource_for_export(&v);
        assert_eq!(e, json!({"uid": "p", "name": "P", "secureJsonFields": {"password": true}}));
    }

    #[test]
    fn only_files_of_the_earlier_export_are_removed_and_never_through_a_symlink() {
        let d = tempfile::tempdir().expect("tmp");
        let root = d.path().join("out");
        let victim = d.path().join("victim");
        std::fs::create_dir_all(root.join("Old")).expect("mkdir");
        std::fs::create_dir_all(victim.join("sub")).expect("mkdir");
        std::fs::write(root.join("Old/x.json"), "{}").expect("w");
        std::fs::write(root.join("keep.json"), "{}").expect("w");
        std::fs::write(root.join("mine.json"), "{}").expect("w");
        std::fs::write(victim.join("a.json"), "{}").expect("w");
        std::fs::write(victim.join("sub/b.json"), "{}").expect("w");
        std::os::unix::fs::symlink(&victim, root.join("link")).expect("symlink");
        let earlier: BTreeSet<String> = [
            "Old/x.json",
            "keep.json",
            "link/a.json",
            "link/sub/b.json",
            "../victim/a.json",
            "/etc/passwd.json",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        let keep: BTreeSet<String> = ["keep.json".to_string()].into();
        let removed = remove_stale(&root, &earlier, &keep, &Ui::plain(OutputFormat::Human));
        assert_eq!(removed, vec!["Old/x.json".to_string()]);
        assert!(!root.join("Old").exists(), "emptied folder removed");
        assert!(root.join("keep.json").exists());
        assert!(root.join("mine.json").exists(), "not in the index: not ours");
        assert!(victim.join("a.json").exists() && victim.join("sub/b.json").exists());
        assert!(root.join("link").exists());
        assert!(refuse_symlinked_dirs(&root, "link/x.json").is_err());
        assert!(refuse_symlinked_dirs(&root, "Ops/x.json").is_ok());
    }
}
