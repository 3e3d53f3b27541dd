//! What `backup`, `backup verify` and `restore` report (human and JSON).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::archive::Verified;
use super::manifest::{ComponentInfo, Part};
use crate::output::{Paint, Report, table, to_json};

/// `backup`: `{"archive","bytes","components":{...}}` plus details.
#[derive(Debug, Clone, Serialize)]
pub struct BackupReport {
    pub archive: String,
    /// Size of the archive file.
    pub bytes: u64,
    pub members: usize,
    /// Uncompressed size of the members.
    pub data_bytes: u64,
    pub created: String,
    pub seconds: f64,
    pub components: BTreeMap<String, ComponentInfo>,
    /// Older archives removed by `--keep`.
    pub pruned: Vec<String>,
    pub warnings: Vec<String>,
    /// Whether the archive carries `manifest.sig` (`--sign`).
    pub signed: bool,
}

fn component_rows(components: &BTreeMap<String, ComponentInfo>, paint: &Paint) -> Vec<Vec<String>> {
    Part::ALL
        .iter()
        .filter_map(|p| components.get(p.key()).map(|c| (p.key(), c)))
        .map(|(k, c)| {
            let what =
                if c.included { super::summary(c) } else { c.reason.clone().unwrap_or_default() };
            let inc = if c.included { paint.green("yes") } else { paint.dim("no") };
            vec![k.to_string(), inc, what]
        })
        .collect()
}

impl Report for BackupReport {
    fn human(&self, paint: &Paint) -> String {
        let mut s = table::render(
            &["COMPONENT", "INCLUDED", "WHAT"],
            &component_rows(&self.components, paint),
        );
        for p in Part::ALL {
            if let Some(c) = self.components.get(p.key()) {
                for n in &c.notes {
                    s.push_str(&format!("{}: {n}\n", p.key()));
                }
            }
        }
        s.push_str(&format!(
            "{} {} ({}, {}, {} of data) in {:.1}s\n",
            paint.green("wrote"),
            self.archive,
            crate::output::words::size(self.bytes),
            crate::output::words::count_s(self.members as u64, "member"),
            crate::output::words::size(self.data_bytes),
            self.seconds
        ));
        if self.signed {
            s.push_str(
                "signed: manifest.sig holds the manifest's HMAC-SHA256 (check with --verify-key)\n",
            );
        }
        for p in &self.pruned {
            s.push_str(&format!("removed older archive {p} (--keep)\n"));
        }
        s
    }

    fn json(&self) -> serde_json::Value {
        to_json(self)
    }
}

/// `backup verify`.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub archive: String,
    pub intact: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_version: Option<String>,
    pub components: BTreeMap<String, ComponentInfo>,
    /// Members listed in the manifest.
    pub members: usize,
    /// Members whose size and sha256 matched.
    pub members_ok: usize,
    pub bytes: u64,
    pub archive_bytes: u64,
    /// `verified` (`--verify-key` matched), `not checked` (signed, no key given), `none`.
    pub signature: &'static str,
    pub problems: Vec<String>,
}

impl VerifyReport {
    pub fn new(path: &Path, v: &Verified, key_given: bool) -> Self {
        let m = v.manifest.as_ref();
        VerifyReport {
            archive: path.display().to_string(),
            intact: v.intact(),
            created: m.map(|m| m.created.clone()),
            tool_version: m.map(|m| m.tool.version.clone()),
            components: m
                .map(|m| {
                    m.components.iter().map(|(p, c)| (p.key().to_string(), c.clone())).collect()
                })
                .unwrap_or_default(),
            members: m.map(|m| m.members.len()).unwrap_or(0),
            members_ok: v.members_ok,
            bytes: v.bytes,
            archive_bytes: v.archive_bytes,
            signature: match (v.signature.is_some(), key_given && v.intact()) {
                (true, true) => "verified",
                (true, false) => "not checked",
                (false, _) => "none",
            },
            problems: v.problems.clone(),
        }
    }
}

impl Report for VerifyReport {
    fn human(&self, paint: &Paint) -> String {
        let mut s = String::new();
        if !self.components.is_empty() {
            s.push_str(&table::render(
                &["COMPONENT", "INCLUDED", "WHAT"],
                &component_rows(&self.components, paint),
            ));
        }
        if self.intact {
            s.push_str(&format!(
                "{} {}: {}, {} of data, created {} by stellar-obs {}\n",
                paint.green("intact"),
                self.archive,
                crate::output::words::count_s(self.members_ok as u64, "member"),
                crate::output::words::size(self.bytes),
                self.created.clone().unwrap_or_default(),
                self.tool_version.clone().unwrap_or_default()
            ));
            match self.signature {
                "verified" => s.push_str("signature: verified with the given key\n"),
                "not checked" => {
                    s.push_str("signature: present, not checked (give --verify-key)\n")
                }
                _ => {}
            }
        } else {
            s.push_str(&format!("{} {}:\n", paint.red("NOT intact"), self.archive));
            for p in &self.problems {
                s.push_str(&format!("  - {p}\n"));
            }
        }
        s
    }

    fn json(&self) -> serde_json::Value {
        to_json(self)
    }
}

/// What a restore step does to an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// The object does not exist: it is created.
    Create,
    /// The object exists and differs: it is replaced (needs --yes).
    Replace,
    /// The object exists and is equal: nothing to do.
    Unchanged,
    /// Not restored (expired silence, ...); the detail says why.
    Skip,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Replace => "replace",
            Action::Unchanged => "unchanged",
            Action::Skip => "skip",
        }
    }
}

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    /// Planned only (`--dry-run`, or refused for want of `--yes`).
    Planned,
    Done,
    Failed,
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub component: Part,
    pub object: String,
    pub action: Action,
    pub status: StepStatus,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

impl Step {
    /// Whether the real run needs `--yes` for this step: replacing anything, and any change
    /// on a server (a silence or a Grafana object created from the archive takes effect at
    /// once, for everyone, whatever the archive's origin).
    pub fn needs_yes(&self) -> bool {
        self.action == Action::Replace
            || (self.action == Action::Create
                && matches!(self.component, Part::Grafana | Part::Alertmanager))
    }

    pub fn new(
        component: Part,
        object: impl Into<String>,
        action: Action,
        detail: impl Into<String>,
    ) -> Self {
        Step {
            component,
            object: object.into(),
            action,
            status: StepStatus::Planned,
            detail: detail.into(),
        }
    }
}

/// `restore`.
#[derive(Debug, Clone, Serialize)]
pub struct RestoreReport {
    pub archive: String,
    pub dry_run: bool,
    /// The archive passed verification.
    pub verified: bool,
    /// Nothing was changed because replacing data needs --yes.
    pub refused: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    pub components: Vec<Part>,
    pub steps: Vec<Step>,
    /// Verification problems (the archive was not used).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Restored config files that a running Prometheus or Alertmanager refused to reload
    /// (the notes say which and why).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub reload_failed: bool,
}

impl RestoreReport {
    pub fn failed(&self) -> bool {
        !self.verified
            || self.refused
            || self.reload_failed
            || self.steps.iter().any(|s| s.status == StepStatus::Failed)
    }
}

impl Report for RestoreReport {
    fn human(&self, paint: &Paint) -> String {
        let mut s = String::new();
        if !self.verified {
            s.push_str(&format!(
                "{} {} failed verification; nothing was restored:\n",
                paint.red("refused:"),
                self.archive
            ));
            for p in &self.problems {
                s.push_str(&format!("  - {p}\n"));
            }
            return s;
        }
        let rows: Vec<Vec<String>> = self
            .steps
            .iter()
            .map(|st| {
                let action = match st.action {
                    Action::Replace => paint.yellow("replace"),
                    Action::Create => paint.green("create"),
                    other => paint.dim(other.as_str()),
                };
                let status = match st.status {
                    StepStatus::Done => paint.green("done"),
                    StepStatus::Failed => paint.red("failed"),
                    StepStatus::Planned => paint.dim("planned"),
                };
                vec![
                    st.component.key().to_string(),
                    st.object.clone(),
                    action,
                    status,
                    st.detail.clone(),
                ]
            })
            .collect();
        if !rows.is_empty() {
            s.push_str(&table::render(
                &["COMPONENT", "OBJECT", "ACTION", "STATUS", "DETAIL"],
                &rows,
            ));
        }
        for n in &self.notes {
            s.push_str(&format!("note: {n}\n"));
        }
        let count = |a: Action| self.steps.iter().filter(|s| s.action == a).count();
        let tally_as = |create: &str, replace: &str| {
            format!(
                "{} {create}, {} {replace}, {} unchanged, {} skipped",
                count(Action::Create),
                count(Action::Replace),
                count(Action::Unchanged),
                count(Action::Skip)
            )
        };
        let tally = tally_as("to create", "to replace");
        if self.dry_run {
            s.push_str(&format!("dry run (nothing changed): {tally}\n"));
        } else if self.refused {
            s.push_str(&format!(
                "{} {tally}; replacing existing data or changing a server (silences, Grafana objects) needs --yes (see the plan with --dry-run). Nothing was changed.\n",
                paint.red("refused:")
            ));
        } else {
            let failed = self.steps.iter().filter(|s| s.status == StepStatus::Failed).count();
            if failed > 0 {
                s.push_str(&format!(
                    "{} {} failed; {tally}\n",
                    paint.red("restore incomplete:"),
                    crate::output::words::count_s(failed as u64, "step")
                ));
            } else {
                let done = tally_as("created", "replaced");
                if self.reload_failed {
                    s.push_str(&format!(
                        "{} {done}; a running service did not reload it (see the notes)\n",
                        paint.red("restored, not applied:")
                    ));
                } else {
                    s.push_str(&format!("{} {done}\n", paint.green("restored:")));
                }
            }
        }
        s
    }

    fn json(&self) -> serde_json::Value {
        to_json(self)
    }
}
