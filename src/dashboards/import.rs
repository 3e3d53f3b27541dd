//! `stellar-obs dashboards import [PATH...]`: dashboard files into Grafana.
//!
//! Per dashboard (at most `--concurrency` at once):
//! 1. its folder path is found or created (parents first, each once: [`FolderResolver`]);
//! 2. Grafana's copy is read by uid (`GET /api/dashboards/uid/:uid`);
//! 3. provisioned → `skipped`; same content (normalised model, same folder) → `unchanged`,
//!    nothing posted; different → `failed` as a conflict unless `--overwrite`, then
//!    `updated`; absent → `created`;
//! 4. writes pin Grafana's current `version` (no `overwrite` flag on the wire), so a change
//!    made in Grafana between our read and our write is refused (412), never lost.
//!
//! Templates with `__inputs` go through `/api/dashboards/import` with every input resolved
//! (`--datasource NAME=UID`, else the one datasource of the wanted type); others through
//! `/api/dashboards/db`. A file without `uid` gets a stable one derived from its title
//! ([`model::derive_uid`]); it is never matched to another dashboard by title (the
//! grafana-import pitfall): a same-titled dashboard in the target folder is reported instead.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::folders::{FolderResolver, FolderSpec, display_path, parse_path};
use super::model::{self, InputSpec};
use super::{Connected, bounded, connect};
use crate::api::grafana::{
    Datasource, GrafanaClient, ImportDashboard, ImportInput, SaveDashboard, SearchQuery,
    grafana_message, grafana_status,
};
use crate::cli::DashboardsImportArgs;
use crate::outcome::Outcome;
use crate::output::progress::{Line, Progress};
use crate::output::{Paint, Report, Ui, table, to_json};
use crate::settings::Settings;

/// The export's folder list; import reads it back to recreate folders with their uids.
pub const FOLDERS_FILE: &str = "folders.json";
/// The export's datasource list (not a dashboard).
pub const DATASOURCES_FILE: &str = "datasources.json";

/// What happened to one dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Created,
    Updated,
    Unchanged,
    Skipped,
    Failed,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Updated => "updated",
            Action::Unchanged => "unchanged",
            Action::Skipped => "skipped",
            Action::Failed => "failed",
        }
    }
}

/// One row of the summary (the contract's JSON shape).
#[derive(Debug, Clone, Serialize)]
pub struct ImportRow {
    pub path: String,
    pub uid: String,
    pub title: String,
    /// Folder path of titles (`Ops/Prod`); `""` is the root ("General").
    pub folder: String,
    pub action: Action,
    /// Grafana's version of the dashboard after the action (`null` if unknown).
    pub version: Option<i64>,
    pub message: String,
}

/// The summary of a run.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub results: Vec<ImportRow>,
}

impl ImportReport {
    pub fn count(&self, a: Action) -> usize {
        self.results.iter().filter(|r| r.action == a).count()
    }

    pub fn outcome(&self) -> Outcome {
        if self.count(Action::Failed) > 0 { Outcome::Failure } else { Outcome::Success }
    }
}

impl Report for ImportReport {
    fn human(&self, paint: &Paint) -> String {
        let rows: Vec<Vec<String>> = self
            .results
            .iter()
            .map(|r| {
                vec![
                    r.path.clone(),
                    r.title.clone(),
                    r.uid.clone(),
                    if r.folder.is_empty() { "General".into() } else { r.folder.clone() },
                    paint.status(r.action.as_str()),
                    r.version.map(|v| v.to_string()).unwrap_or_else(|| "-".into()),
                    r.message.clone(),
                ]
            })
            .collect();
        let mut s = if rows.is_empty() {
            String::new()
        } else {
            table::render(
                &["PATH", "TITLE", "UID", "FOLDER", "ACTION", "VERSION", "MESSAGE"],
                &rows,
            )
        };
        let parts: Vec<String> =
            [Action::Created, Action::Updated, Action::Unchanged, Action::Skipped, Action::Failed]
                .iter()
                .map(|a| format!("{} {}", self.count(*a), a.as_str()))
                .collect();
        s.push_str(&format!(
            "{}: {}\n",
            crate::output::words::count_s(self.results.len() as u64, "dashboard"),
            parts.join(", ")
        ));
        s
    }

    fn json(&self) -> Value {
        to_json(self)
    }
}

// ---------------------------------------------------------------------------------------------
// Input files

/// A dashboard file to import and the folder path it goes to.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// As shown to the user.
    pub display: String,
    pub file: PathBuf,
    pub folder: Vec<FolderSpec>,
}

/// An entry of an export's `folders.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ExportedFolder {
    pub uid: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_uid: Option<String>,
    /// The directory of its dashboards, relative to the export root (`Ops/Prod`).
    pub path: String,
}

/// The files named by `paths` (default: the stack's `grafana/dashboards/`). A directory is
/// walked recursively; its sub-directories become folders (unless `--folder` puts everything
/// in one folder), and an export's `folders.json` gives those folders their titles and uids.
pub fn collect_jobs(paths: &[PathBuf], folder: Option<&str>, stack_dir: &Path) -> Result<Vec<Job>> {
    let forced = folder.map(parse_path);
    let defaulted;
    let paths = if paths.is_empty() {
        let d = stack_dir.join("grafana").join("dashboards");
        if !d.is_dir() {
            bail!(
                "no dashboards to import: {} does not exist (run `{}`, or name files or directories)",
                d.display(),
                crate::settings::command_for(Some(stack_dir), None, "init")
            );
        }
        defaulted = vec![d];
        &defaulted
    } else {
        paths
    };
    let mut jobs = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).with_context(|| format!("cannot read {}", p.display()))?;
        if meta.is_dir() {
            let exported = read_folders_file(p)?;
            let mut files = Vec::new();
            walk(p, &mut files).with_context(|| format!("cannot read {}", p.display()))?;
            for f in files {
                let rel = f.strip_prefix(p).unwrap_or(&f);
                let rel_dir: Vec<String> = rel
                    .parent()
                    .map(|d| {
                        d.components()
                            .map(|c| c.as_os_str().to_string_lossy().into_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                if rel_dir.is_empty() && exported.is_some() {
                    let name = rel.to_string_lossy();
                    if name == FOLDERS_FILE || name == DATASOURCES_FILE {
                        continue;
                    }
                }
                let folder = match &forced {
                    Some(f) => f.clone(),
                    None => folder_for_dir(&rel_dir, exported.as_ref()),
                };
                jobs.push(Job { display: f.display().to_string(), file: f.clone(), folder });
            }
        } else {
            jobs.push(Job {
                display: p.display().to_string(),
                file: p.clone(),
                folder: forced.clone().unwrap_or_default(),
            });
        }
    }
    Ok(jobs)
}

/// The most `folders.json` may hold (an export of 50 000 folders is about 10 MiB).
pub const MAX_FOLDERS_FILE_BYTES: usize = 16 * 1024 * 1024;

fn read_folders_file(dir: &Path) -> Result<Option<HashMap<String, ExportedFolder>>> {
    let p = dir.join(FOLDERS_FILE);
    if std::fs::symlink_metadata(&p).is_err() {
        return Ok(None);
    }
    // Capped, and refused when it is not a regular file (a FIFO would block forever).
    let text = crate::fsutil::read_capped_string(&p, MAX_FOLDERS_FILE_BYTES)
        .map_err(|e| anyhow::anyhow!(crate::output::without_os_error_codes(&e.to_string())))
        .with_context(|| format!("cannot read {}", p.display()))?;
    let list: Vec<ExportedFolder> = serde_json::from_str(&text).with_context(|| {
        format!("{}: not a folder list written by `dashboards export`", p.display())
    })?;
    Ok(Some(list.into_iter().map(|f| (f.path.clone(), f)).collect()))
}

fn folder_for_dir(
    rel_dir: &[String],
    exported: Option<&HashMap<String, ExportedFolder>>,
) -> Vec<FolderSpec> {
    let mut out = Vec::new();
    for i in 0..rel_dir.len() {
        let key = rel_dir[..=i].join("/");
        match exported.and_then(|m| m.get(&key)) {
            Some(f) => out.push(FolderSpec { title: f.title.clone(), uid: Some(f.uid.clone()) }),
            None => out.push(FolderSpec::titled(&rel_dir[i])),
        }
    }
    out
}

/// `*.json` files under `dir`, sorted, skipping hidden files and directories, each once
/// (symlink loops are not followed again; [`crate::fsutil::walk_files`]).
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    out.extend(crate::fsutil::walk_files(dir, &|name| name.ends_with(".json"))?);
    Ok(())
}

/// Dashboard files over this size are refused (the largest public dashboards are a few
/// hundred KiB; Grafana itself refuses request bodies far smaller than this).
pub const MAX_DASHBOARD_BYTES: usize = 64 * 1024 * 1024;

/// A parsed dashboard file.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub model: Value,
    pub uid: String,
    /// The file had no uid; `uid` was derived from the title.
    pub derived_uid: bool,
    pub title: String,
}

/// Read a dashboard file: a model, or `{"dashboard": model, "meta": …}` as Grafana's API
/// returns it.
pub fn parse_file(path: &Path) -> Result<Parsed, String> {
    let text = crate::fsutil::read_capped_string(path, MAX_DASHBOARD_BYTES).map_err(|e| match e
        .kind()
    {
        // Already a sentence about the file ("the file is ... bytes", "... not valid UTF-8").
        std::io::ErrorKind::FileTooLarge | std::io::ErrorKind::InvalidData => e.to_string(),
        _ => crate::output::without_os_error_codes(&format!("cannot read the file: {e}")),
    })?;
    parse_text(&text)
}

pub fn parse_text(text: &str) -> Result<Parsed, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        // serde_json ends its message with the position; say it once, in front.
        let msg = e.to_string();
        let msg = msg.rsplit_once(" at line ").map_or(msg.as_str(), |(m, _)| m);
        format!("not valid JSON (line {}, column {}): {msg}", e.line(), e.column())
    })?;
    let model = match v.get("dashboard") {
        Some(d @ Value::Object(_)) if v.get("panels").is_none() => d.clone(),
        _ => v,
    };
    if !model.is_object() {
        return Err("not a dashboard: the file is not a JSON object".into());
    }
    let title = model.get("title").and_then(Value::as_str).map(str::trim).unwrap_or_default();
    if title.is_empty() {
        return Err("not a dashboard: no `title`".into());
    }
    let (uid, derived_uid) = match model
        .get("uid")
        .and_then(Value::as_str)
        .filter(|u| !u.is_empty())
    {
        Some(u) => {
            if !model::uid_is_valid(u) {
                return Err(format!(
                    "uid `{u}` is not valid for Grafana: at most 40 characters of a-z A-Z 0-9 - _"
                ));
            }
            (u.to_string(), false)
        }
        None => (model::derive_uid(title), true),
    };
    Ok(Parsed { title: title.to_string(), uid, derived_uid, model })
}

// ---------------------------------------------------------------------------------------------
// Inputs

/// Resolves `__inputs` to values: `--datasource NAME=UID` first, else the only datasource of
/// the wanted type.
#[derive(Debug, Clone, Default)]
pub struct InputResolver {
    pub overrides: BTreeMap<String, String>,
    pub datasources: Vec<Datasource>,
}

/// `NAME=UID` pairs from `--datasource`.
pub fn parse_overrides(raw: &[String]) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for r in raw {
        let Some((k, v)) = r.split_once('=') else {
            bail!("--datasource `{r}`: expected NAME=UID (e.g. DS_PROMETHEUS=prometheus)");
        };
        let (k, v) = (k.trim(), v.trim());
        if k.is_empty() || v.is_empty() {
            bail!("--datasource `{r}`: expected NAME=UID (e.g. DS_PROMETHEUS=prometheus)");
        }
        out.insert(k.to_string(), v.to_string());
    }
    Ok(out)
}

impl InputResolver {
    /// The inputs to send and the `(name, value)` pairs Grafana will substitute.
    pub fn resolve(&self, specs: &[InputSpec]) -> Result<Vec<ImportInput>, String> {
        let mut out = Vec::new();
        for s in specs {
            let value = self.value_for(s)?;
            out.push(ImportInput {
                name: s.name.clone(),
                kind: s.kind.clone(),
                plugin_id: s.plugin_id.clone(),
                value,
            });
        }
        Ok(out)
    }

    fn value_for(&self, s: &InputSpec) -> Result<String, String> {
        if let Some(v) = self.overrides.get(&s.name) {
            if s.kind != "datasource" {
                return Ok(v.clone());
            }
            if self.datasources.iter().any(|d| &d.uid == v) {
                return Ok(v.clone());
            }
            if let Some(d) = self.datasources.iter().find(|d| &d.name == v) {
                return Ok(d.uid.clone());
            }
            return Err(format!(
                "input {}: --datasource {}={v} names no datasource Grafana has (by uid or name)",
                s.name, s.name
            ));
        }
        match s.kind.as_str() {
            "datasource" if s.plugin_id == "__expr__" => Ok("__expr__".into()),
            "datasource" => {
                let cands: Vec<&Datasource> =
                    self.datasources.iter().filter(|d| d.kind == s.plugin_id).collect();
                match cands.as_slice() {
                    [one] => Ok(one.uid.clone()),
                    [] => Err(format!(
                        "input {} needs a `{}` datasource and Grafana has none; create one or pass --datasource {}=<uid>",
                        s.name, s.plugin_id, s.name
                    )),
                    many => Err(format!(
                        "input {} is ambiguous: Grafana has {} `{}` datasources ({}); choose one with --datasource {}=<uid>",
                        s.name,
                        many.len(),
                        s.plugin_id,
                        many.iter()
                            .map(|d| format!("{} [uid {}]", d.name, d.uid))
                            .collect::<Vec<_>>()
                            .join(", "),
                        s.name
                    )),
                }
            }
            "constant" => s.value.clone().ok_or_else(|| {
                format!(
                    "input {} (constant) has no value; pass --datasource {}=VALUE",
                    s.name, s.name
                )
            }),
            other => Err(format!(
                "input {} has type `{other}`, which stellar-obs cannot fill; pass --datasource {}=VALUE",
                s.name, s.name
            )),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The run

struct Ctx {
    client: GrafanaClient,
    folders: FolderResolver,
    inputs: InputResolver,
    overwrite: bool,
    /// Titles are unique per folder on this Grafana (≤ 11.2, or version hidden).
    unique_titles: bool,
    version_label: String,
    bar: Line,
}

/// A job with its parsed file, or why it cannot be imported.
struct Prepared {
    job: Job,
    parsed: Result<Parsed, String>,
}

pub async fn run(settings: &Settings, ui: &Ui, a: &DashboardsImportArgs) -> Result<Outcome> {
    let overrides = parse_overrides(&a.datasources)?;
    if a.concurrency == 0 {
        bail!("--concurrency must be at least 1");
    }
    let jobs = collect_jobs(&a.paths, a.folder.as_deref(), &settings.dir)?;
    if jobs.is_empty() {
        bail!("no dashboard files (*.json) found in {}", describe_paths(&a.paths, settings));
    }
    let prepared = prepare(jobs);
    let Connected { client, version } = connect(settings, &a.grafana, a.timeout, ui).await?;
    let needs_datasources =
        prepared.iter().any(|p| p.parsed.as_ref().is_ok_and(|x| model::has_inputs(&x.model)));
    let datasources = if needs_datasources {
        client.datasources().await.with_context(|| {
            format!("cannot list Grafana's datasources at {}", client.base_url())
        })?
    } else {
        Vec::new()
    };
    let progress = Progress::new(ui);
    let bar = progress.bar("dashboards", prepared.len() as u64);
    let ctx = Arc::new(Ctx {
        folders: FolderResolver::new(client.clone(), version),
        client,
        inputs: InputResolver { overrides, datasources },
        overwrite: a.overwrite,
        unique_titles: version.is_none_or(|v| v.unique_titles_per_folder()),
        version_label: version.map(|v| format!("Grafana {v}")).unwrap_or_else(|| "Grafana".into()),
        bar: bar.clone(),
    });
    let fallback: Vec<(String, String, String)> = prepared
        .iter()
        .map(|p| {
            let (uid, title) =
                p.parsed.as_ref().map(|x| (x.uid.clone(), x.title.clone())).unwrap_or_default();
            (p.job.display.clone(), uid, title)
        })
        .collect();
    let c2 = ctx.clone();
    let rows = bounded(prepared, a.concurrency, move |p| {
        let ctx = c2.clone();
        async move {
            let row = import_one(&ctx, p).await;
            ctx.bar.inc(1);
            row
        }
    })
    .await;
    bar.clear();
    let results: Vec<ImportRow> = rows
        .into_iter()
        .zip(fallback)
        .map(|(r, (path, uid, title))| {
            r.unwrap_or(ImportRow {
                path,
                uid,
                title,
                folder: String::new(),
                action: Action::Failed,
                version: None,
                message: "internal error: the import task stopped".into(),
            })
        })
        .collect();
    for r in &results {
        ui.debug(format!("{}: {} {}", r.path, r.action.as_str(), r.message));
    }
    let report = ImportReport { results };
    ui.emit(&report)?;
    Ok(report.outcome())
}

fn describe_paths(paths: &[PathBuf], s: &Settings) -> String {
    if paths.is_empty() {
        s.dir.join("grafana").join("dashboards").display().to_string()
    } else {
        paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    }
}

/// Parse every file and refuse a uid used by two files (they would overwrite each other).
fn prepare(jobs: Vec<Job>) -> Vec<Prepared> {
    let mut first: HashMap<String, String> = HashMap::new();
    jobs.into_iter()
        .map(|job| {
            let parsed = parse_file(&job.file).and_then(|p| {
                match first.get(&p.uid) {
                    Some(other) => Err(format!(
                        "uid `{}` is also the uid of {other} (imported that one); give one of them another uid",
                        p.uid
                    )),
                    None => {
                        first.insert(p.uid.clone(), job.display.clone());
                        Ok(p)
                    }
                }
            });
            Prepared { job, parsed }
        })
        .collect()
}

async fn import_one(ctx: &Ctx, p: Prepared) -> ImportRow {
    let folder_path = display_path(&p.job.folder);
    let mut row = ImportRow {
        path: p.job.display.clone(),
        uid: String::new(),
        title: String::new(),
        folder: folder_path,
        action: Action::Failed,
        version: None,
        message: String::new(),
    };
    let parsed = match p.parsed {
        Ok(x) => x,
        Err(e) => {
            row.message = e;
            return row;
        }
    };
    row.uid = parsed.uid.clone();
    row.title = parsed.title.clone();
    match import_parsed(ctx, &p.job, &parsed, &mut row).await {
        Ok((action, message)) => {
            row.action = action;
            row.message = message;
        }
        Err(message) => {
            row.action = Action::Failed;
            row.message = message;
        }
    }
    row
}

/// The decision for one dashboard; fills `row.version`/`row.folder` on the way.
async fn import_parsed(
    ctx: &Ctx,
    job: &Job,
    parsed: &Parsed,
    row: &mut ImportRow,
) -> Result<(Action, String), String> {
    let uid = parsed.uid.as_str();
    // What Grafana will store, and how to send it.
    let specs = model::inputs(&parsed.model);
    let inputs = if specs.is_empty() { Vec::new() } else { ctx.inputs.resolve(&specs)? };
    let values: Vec<(String, String)> =
        inputs.iter().map(|i| (i.name.clone(), i.value.clone())).collect();
    let stored = if inputs.is_empty() && !model::has_inputs(&parsed.model) {
        model::for_save(&parsed.model, uid, None)
    } else {
        model::substitute(&model::for_save(&parsed.model, uid, None), &values)
    };

    let existing =
        ctx.client.dashboard(uid).await.map_err(|e| format!("cannot read it from Grafana: {e}"))?;
    if let Some(e) = &existing
        && e.meta.provisioned
    {
        {
            row.version = Some(e.meta.version);
            row.folder = e.meta.folder_title.clone();
            let from = if e.meta.provisioned_external_id.is_empty() {
                String::new()
            } else {
                format!(" (`{}`)", e.meta.provisioned_external_id)
            };
            return Ok((
                Action::Skipped,
                format!(
                    "provisioned: Grafana loads it from a provisioning file{from}; change that file instead"
                ),
            ));
        }
    }

    let folder_uid = ctx.folders.ensure(&job.folder).await?;

    if let Some(e) = &existing {
        row.version = Some(e.meta.version);
        let same_folder = e.folder_uid() == folder_uid.as_deref();
        if same_folder && model::normalize(&e.dashboard) == model::normalize(&stored) {
            return Ok((Action::Unchanged, String::new()));
        }
        if !ctx.overwrite {
            let what =
                match (same_folder, model::normalize(&e.dashboard) == model::normalize(&stored)) {
                    (false, true) => format!(
                        "is in folder `{}` in Grafana, not `{}`",
                        folder_label(&e.meta.folder_title),
                        folder_label(&row.folder)
                    ),
                    (false, false) => format!(
                        "differs from Grafana's version {} and is in folder `{}` there",
                        e.meta.version,
                        folder_label(&e.meta.folder_title)
                    ),
                    _ => format!("differs from Grafana's version {}", e.meta.version),
                };
            return Err(format!(
                "conflict: the file {what} (changed in Grafana or in the file); re-run with --overwrite to replace Grafana's copy, or `stellar-obs dashboards export` to keep Grafana's changes"
            ));
        }
    }

    // Same title in the target folder under another uid.
    if (parsed.derived_uid || ctx.unique_titles)
        && let Some(other) =
            title_clash(&ctx.client, &parsed.title, folder_uid.as_deref(), uid).await?
    {
        {
            let msg = if parsed.derived_uid {
                format!(
                    "a dashboard titled `{}` already exists in `{}` with uid `{other}`; the file has no uid: add \"uid\": \"{other}\" to it to import over that dashboard",
                    parsed.title,
                    folder_label(&row.folder)
                )
            } else {
                format!(
                    "{} keeps titles unique per folder and dashboard `{other}` in `{}` already has the title `{}`; rename one of them or import into another folder (--overwrite would make Grafana replace `{other}`, so it is not used)",
                    ctx.version_label,
                    folder_label(&row.folder),
                    parsed.title
                )
            };
            return Err(msg);
        }
    }

    let version = existing.as_ref().map(|e| e.meta.version);
    let body = model::for_save(&parsed.model, uid, version);
    let saved_version = if inputs.is_empty() && !model::has_inputs(&parsed.model) {
        let req = SaveDashboard {
            dashboard: body,
            folder_uid: folder_uid.clone(),
            overwrite: false,
            message: Some("imported by stellar-obs".into()),
        };
        match ctx.client.save_dashboard(&req).await {
            Ok(r) => Some(r.version),
            Err(e) => return save_error(ctx, &e),
        }
    } else {
        let req = ImportDashboard {
            dashboard: body,
            inputs,
            folder_uid: folder_uid.clone(),
            overwrite: false,
        };
        match ctx.client.import_dashboard(&req).await {
            // /import does not say the version: read it back.
            Ok(_) => ctx.client.dashboard(uid).await.ok().flatten().map(|d| d.meta.version),
            Err(e) => return save_error(ctx, &e),
        }
    };
    row.version = saved_version;
    Ok(match existing {
        Some(e) => (Action::Updated, format!("replaced version {}", e.meta.version)),
        None => (Action::Created, String::new()),
    })
}

fn folder_label(f: &str) -> &str {
    if f.is_empty() { "General" } else { f }
}

/// Grafana's refusal, worded for the user.
fn save_error(ctx: &Ctx, e: &crate::api::HttpError) -> Result<(Action, String), String> {
    let msg = grafana_message(e);
    match (e.status(), grafana_status(e).as_deref()) {
        (Some(400), _) if msg.to_ascii_lowercase().contains("provisioned") => Ok((
            Action::Skipped,
            format!(
                "provisioned: Grafana refuses to save it ({msg}); change its provisioning file instead"
            ),
        )),
        (Some(412), Some("version-mismatch")) => Err(format!(
            "conflict: the dashboard changed in Grafana while importing ({msg}); run the import again"
        )),
        (Some(412), Some("name-exists")) => Err(format!(
            "{} keeps titles unique per folder: {msg}; rename the dashboard or import into another folder",
            ctx.version_label
        )),
        _ => Err(format!("Grafana refused it: {e}")),
    }
}

/// A dashboard with exactly this title in the folder, under another uid.
async fn title_clash(
    client: &GrafanaClient,
    title: &str,
    folder_uid: Option<&str>,
    uid: &str,
) -> Result<Option<String>, String> {
    let q = SearchQuery {
        query: Some(title.to_string()),
        folder_uids: vec![folder_uid.unwrap_or("general").to_string()],
        ..SearchQuery::dashboards()
    };
    let hits = client.search(&q).await.map_err(|e| format!("cannot search Grafana: {e}"))?;
    Ok(hits
        .into_iter()
        .find(|h| {
            h.title == title
                && h.uid != uid
                && h.folder_uid.as_deref().unwrap_or("") == folder_uid.unwrap_or("")
        })
        .map(|h| h.uid))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ds(uid: &str, name: &str, kind: &str) -> Datasource {
        serde_json::from_value(json!({"uid": uid, "name": name, "type": kind})).expect("ds")
    }

    #[test]
    fn parses_models_and_api_wrappers() {
        let p = parse_text(r#"{"title":"T","uid":"abc","panels":[]}"#).expect("ok");
        assert_eq!((p.uid.as_str(), p.derived_uid), ("abc", false));
        let p = parse_text(r#"{"dashboard":{"title":"T"},"meta":{}}"#).expect("ok");
        assert!(p.derived_uid);
        assert_eq!(p.uid, model::derive_uid("T"));
        assert!(parse_text("[1]").expect_err("an error").contains("not a JSON object"));
        assert!(parse_text(r#"{"panels":[]}"#).expect_err("an error").contains("no `title`"));
        assert!(parse_text("{").expect_err("an error").contains("line 1"));
        assert!(
            parse_text(r#"{"title":"T","uid":"a b"}"#).expect_err("an error").contains("not valid")
        );
    }

    #[test]
    fn inputs_resolve_or_explain() {
        let r = InputResolver {
            overrides: BTreeMap::new(),
            datasources: vec![
                ds("p1", "Prom", "prometheus"),
                ds("l1", "Loki", "loki"),
                ds("l2", "Loki 2", "loki"),
            ],
        };
        let spec = |n: &str, k: &str, p: &str| InputSpec {
            name: n.into(),
            kind: k.into(),
            plugin_id: p.into(),
            value: None,
        };
        let got = r.resolve(&[spec("DS_P", "datasource", "prometheus")]).expect("one prometheus");
        assert_eq!(got[0].value, "p1");
        let e = r.resolve(&[spec("DS_L", "datasource", "loki")]).expect_err("an error");
        assert!(
            e.contains("DS_L") && e.contains("ambiguous") && e.contains("--datasource DS_L="),
            "{e}"
        );
        let e = r.resolve(&[spec("DS_T", "datasource", "tempo")]).expect_err("an error");
        assert!(e.contains("DS_T") && e.contains("none"), "{e}");
        let e = r.resolve(&[spec("C", "constant", "")]).expect_err("an error");
        assert!(e.contains("constant"), "{e}");

        let r2 = InputResolver {
            overrides: parse_overrides(&["DS_L=Loki 2".into(), "DS_X=nope".into()]).expect("ok"),
            ..r.clone()
        };
        assert_eq!(
            r2.resolve(&[spec("DS_L", "datasource", "loki")]).expect("by name")[0].value,
            "l2"
        );
        assert!(
            r2.resolve(&[spec("DS_X", "datasource", "loki")])
                .expect_err("an error")
                .contains("names no datasource")
        );
        assert!(parse_overrides(&["nope".into()]).is_err());
    }

    #[test]
    fn collects_directories_with_folders() {
        let d = tempfile::tempdir().expect("tmp");
        let root = d.path();
        std::fs::create_dir_all(root.join("Ops/Prod")).expect("mkdir");
        std::fs::create_dir_all(root.join(".git")).expect("mkdir");
        std::fs::write(root.join("a.json"), "{}").expect("w");
        std::fs::write(root.join("Ops/Prod/b.json"), "{}").expect("w");
        std::fs::write(root.join(".git/c.json"), "{}").expect("w");
        std::fs::write(root.join("notes.txt"), "x").expect("w");
        let jobs = collect_jobs(&[root.to_path_buf()], None, root).expect("jobs");
        assert_eq!(jobs.len(), 2);
        // Sorted by name: `Ops/` before `a.json`.
        assert_eq!(display_path(&jobs[0].folder), "Ops/Prod");
        assert!(jobs[1].folder.is_empty());
        let jobs = collect_jobs(&[root.to_path_buf()], Some("X/Y"), root).expect("jobs");
        assert!(jobs.iter().all(|j| display_path(&j.folder) == "X/Y"));

        // An export root: folders.json gives uids and titles, and is not a dashboard.
        let list = vec![
            ExportedFolder {
                uid: "o".into(),
                title: "Ops".into(),
                parent_uid: None,
                path: "Ops".into(),
            },
            ExportedFolder {
                uid: "p".into(),
                title: "Prod: EU".into(),
                parent_uid: Some("o".into()),
                path: "Ops/Prod".into(),
            },
        ];
        std::fs::write(root.join(FOLDERS_FILE), serde_json::to_string(&list).expect("j"))
            .expect("w");
        std::fs::write(root.join(DATASOURCES_FILE), "[]").expect("w");
        let jobs = collect_jobs(&[root.to_path_buf()], None, root).expect("jobs");
        assert_eq!(jobs.len(), 2);
        assert_eq!(
            jobs[0].folder[1],
            FolderSpec { title: "Prod: EU".into(), uid: Some("p".into()) }
        );

        let e = collect_jobs(&[], None, root).expect_err("an error");
        assert!(format!("{e:#}").contains("grafana/dashboards"));
    }
}
