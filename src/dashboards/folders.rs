//! Folders: the tree as Grafana has it (paths of titles), and find-or-create of a folder
//! path with each folder created exactly once however many dashboards need it at once.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use crate::api::grafana::{FolderNode, GrafanaClient, GrafanaVersion, NewFolder, grafana_message};

/// Every folder by uid, with title paths (`["Ops", "Prod"]`) from the root.
#[derive(Debug, Clone, Default)]
pub struct FolderTree {
    pub nodes: BTreeMap<String, FolderNode>,
}

impl FolderTree {
    pub fn new(nodes: Vec<FolderNode>) -> Self {
        FolderTree { nodes: nodes.into_iter().map(|n| (n.uid.clone(), n)).collect() }
    }

    /// Titles from the root down to `uid` (empty for the root, `None`/`""`).
    pub fn titles(&self, uid: Option<&str>) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = uid.filter(|u| !u.is_empty()).map(str::to_string);
        let mut guard = 0;
        while let Some(u) = cur {
            guard += 1;
            let Some(n) = self.nodes.get(&u) else { break };
            out.push(n.title.clone());
            cur = n.parent_uid.clone();
            if guard > 64 {
                break;
            }
        }
        out.reverse();
        out
    }

    /// `Ops/Prod`; `""` at the root.
    pub fn path(&self, uid: Option<&str>) -> String {
        self.titles(uid).join("/")
    }
}

/// One folder of a wanted path: its title and, when known (from an export's
/// `folders.json`), the uid to create it with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FolderSpec {
    pub title: String,
    pub uid: Option<String>,
}

impl FolderSpec {
    pub fn titled(t: &str) -> Self {
        FolderSpec { title: t.to_string(), uid: None }
    }
}

/// `A/B` → two specs. Empty segments are dropped; `""` is the root.
pub fn parse_path(p: &str) -> Vec<FolderSpec> {
    p.split('/').map(str::trim).filter(|s| !s.is_empty()).map(FolderSpec::titled).collect()
}

/// `A/B` for display.
pub fn display_path(specs: &[FolderSpec]) -> String {
    specs.iter().map(|s| s.title.as_str()).collect::<Vec<_>>().join("/")
}

type Cell = Arc<OnceCell<Result<String, String>>>;

/// Finds or creates folder paths, parents first. Each distinct path prefix is resolved once
/// (an async once-cell per prefix), so fifty dashboards into `A/B` create `A` and `B` once.
/// A 409 from a concurrent creator elsewhere is handled by reading the folder back.
#[derive(Debug)]
pub struct FolderResolver {
    client: GrafanaClient,
    version: Option<GrafanaVersion>,
    cells: Mutex<HashMap<Vec<FolderSpec>, Cell>>,
}

impl FolderResolver {
    pub fn new(client: GrafanaClient, version: Option<GrafanaVersion>) -> Self {
        FolderResolver { client, version, cells: Mutex::new(HashMap::new()) }
    }

    /// The uid of the folder at `path` (created where missing); `None` for the root.
    pub async fn ensure(&self, path: &[FolderSpec]) -> Result<Option<String>, String> {
        let mut parent: Option<String> = None;
        for i in 0..path.len() {
            let cell = self.cell(&path[..=i]);
            let spec = &path[i];
            let p = parent.clone();
            let uid = cell
                .get_or_init(|| async move {
                    self.find_or_create(spec, p.as_deref())
                        .await
                        .map_err(|e| format!("folder `{}`: {e}", display_path(&path[..=i])))
                })
                .await
                .clone()?;
            parent = Some(uid);
        }
        Ok(parent)
    }

    fn cell(&self, prefix: &[FolderSpec]) -> Cell {
        let mut map = match self.cells.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        map.entry(prefix.to_vec()).or_default().clone()
    }

    async fn find_or_create(
        &self,
        spec: &FolderSpec,
        parent: Option<&str>,
    ) -> Result<String, String> {
        // An export names the uid: reuse that folder when it exists.
        if let Some(uid) = &spec.uid
            && let Some(f) = self.client.folder(uid).await.map_err(|e| e.to_string())?
        {
            return Ok(f.uid);
        }
        if let Some(uid) = self.find_by_title(&spec.title, parent).await? {
            return Ok(uid);
        }
        let new = NewFolder {
            uid: spec.uid.clone(),
            title: spec.title.clone(),
            parent_uid: parent.map(str::to_string),
        };
        match self.client.create_folder(&new).await {
            Ok(f) => {
                if parent.is_some() && f.parent_uid.as_deref() != parent {
                    return Err(self.no_nesting());
                }
                Ok(f.uid)
            }
            Err(e) if e.status() == Some(409) => {
                // Someone created it meanwhile (or the uid/title is taken): read it back.
                if let Some(uid) = &spec.uid
                    && let Some(f) = self.client.folder(uid).await.map_err(|e| e.to_string())?
                {
                    return Ok(f.uid);
                }
                match self.find_by_title(&spec.title, parent).await? {
                    Some(uid) => Ok(uid),
                    None => Err(format!("cannot create it: {}", grafana_message(&e))),
                }
            }
            Err(e) => Err(format!("cannot create it: {e}")),
        }
    }

    /// The folder titled `title` directly under `parent` (exact match; the first by uid if
    /// several). Under a parent, the folder's own `parentUid` is checked: a Grafana without
    /// nested folders ignores `parentUid` and lists root folders instead.
    async fn find_by_title(
        &self,
        title: &str,
        parent: Option<&str>,
    ) -> Result<Option<String>, String> {
        let list = self.client.folders(parent).await.map_err(|e| e.to_string())?;
        let mut hits: Vec<_> = list.into_iter().filter(|f| f.title == title).collect();
        hits.sort_by(|a, b| a.uid.cmp(&b.uid));
        let Some(hit) = hits.into_iter().next() else { return Ok(None) };
        if parent.is_some() {
            let f = self.client.folder(&hit.uid).await.map_err(|e| e.to_string())?;
            if f.and_then(|f| f.parent_uid).as_deref() != parent {
                return Err(self.no_nesting());
            }
        }
        Ok(Some(hit.uid))
    }

    fn no_nesting(&self) -> String {
        let v =
            self.version.map(|v| format!("Grafana {v}")).unwrap_or_else(|| "this Grafana".into());
        format!(
            "{v} does not nest folders (it ignores parentUid): nested folders need Grafana 11, or the nestedFolders feature toggle on 10.x; use a one-level --folder"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let t = FolderTree::new(vec![
            FolderNode { uid: "a".into(), title: "Ops".into(), parent_uid: None },
            FolderNode { uid: "b".into(), title: "Prod".into(), parent_uid: Some("a".into()) },
        ]);
        assert_eq!(t.path(Some("b")), "Ops/Prod");
        assert_eq!(t.path(None), "");
        assert_eq!(t.path(Some("")), "");
        assert_eq!(parse_path(" A / B/"), vec![FolderSpec::titled("A"), FolderSpec::titled("B")]);
        assert!(parse_path("").is_empty());
        assert_eq!(display_path(&parse_path("A/B")), "A/B");
    }
}
