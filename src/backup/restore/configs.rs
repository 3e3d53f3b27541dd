//! Configs: the stack directory's files, written back atomically with their modes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::backup::manifest::{Manifest, Part};
use crate::backup::report::{Action, Step, StepStatus};
use crate::fsutil;

#[derive(Debug, Clone)]
pub struct FilePlan {
    pub rel: String,
    pub target: PathBuf,
    pub member: String,
    pub mode: u32,
    pub action: Action,
}

/// Compare each archived config file with the stack directory.
pub fn plan(dir: &Path, m: &Manifest, kept: &BTreeMap<String, Vec<u8>>) -> Result<Vec<FilePlan>> {
    let mut out = Vec::new();
    for mem in m.members_of(Part::Configs) {
        let rel = mem.path.strip_prefix("configs/").unwrap_or(&mem.path).to_string();
        let Some(content) = kept.get(&mem.path) else {
            bail!(
                "`{}` was not kept while verifying (config files over 256 MiB in total)",
                mem.path
            );
        };
        let target = dir.join(&rel);
        check_no_link(dir, &rel)?;
        let action = match std::fs::read(&target) {
            Ok(existing) if existing == *content => Action::Unchanged,
            Ok(_) => Action::Replace,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Action::Create,
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", target.display())),
        };
        // Permission bits only: never setuid, setgid or sticky (the manifest check refuses
        // more; this keeps it so whatever reads the manifest).
        let mode = mem.mode & 0o777;
        out.push(FilePlan { rel, target, member: mem.path.clone(), mode, action });
    }
    Ok(out)
}

/// Refuse to write through a symbolic link inside the stack directory: it could point
/// anywhere.
fn check_no_link(dir: &Path, rel: &str) -> Result<()> {
    let mut p = dir.to_path_buf();
    for c in rel.split('/') {
        p.push(c);
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => bail!(
                "{} is a symbolic link: restore does not write through links (remove it first)",
                p.display()
            ),
            Ok(_) => {}
            Err(_) => break,
        }
    }
    Ok(())
}

pub fn steps(plan: &[FilePlan]) -> Vec<Step> {
    plan.iter().map(|f| Step::new(Part::Configs, f.rel.clone(), f.action, "")).collect()
}

/// Write the files that differ or are missing.
pub fn apply(
    plan: &[FilePlan],
    kept: &BTreeMap<String, Vec<u8>>,
    steps: &mut [Step],
) -> Result<()> {
    for (f, st) in plan.iter().zip(steps.iter_mut()) {
        if matches!(f.action, Action::Create | Action::Replace) {
            let content = kept.get(&f.member).map(Vec::as_slice).unwrap_or_default();
            if let Err(e) = fsutil::write_atomic(&f.target, content, Some(f.mode)) {
                st.status = StepStatus::Failed;
                st.detail = format!("{e:#}");
                return Err(e);
            }
        }
        st.status = StepStatus::Done;
    }
    Ok(())
}

/// What reads the files a restore changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Affected {
    /// `prometheus/`: Prometheus reloads its configuration and rules on `POST /-/reload`.
    pub prometheus: bool,
    /// `alerting/`: Alertmanager reloads on `POST /-/reload`.
    pub alertmanager: bool,
    /// `grafana/`: Grafana reads provisioning when it starts.
    pub grafana: bool,
    /// `loki/`, `promtail/`: read when they start.
    pub logs: bool,
    /// The compose file or `.env`: applied by `up`.
    pub compose: bool,
}

impl Affected {
    pub fn of(plan: &[FilePlan]) -> Self {
        let mut a = Affected::default();
        for f in plan.iter().filter(|f| matches!(f.action, Action::Create | Action::Replace)) {
            match f.rel.split('/').next().unwrap_or_default() {
                "prometheus" => a.prometheus = true,
                "alerting" => a.alertmanager = true,
                "grafana" => a.grafana = true,
                "loki" | "promtail" => a.logs = true,
                _ if f.rel.starts_with("docker-compose") || f.rel.starts_with(".env") => {
                    a.compose = true;
                }
                _ => {}
            }
        }
        a
    }
}

/// How asking a running server to reload went, as one sentence for the report.
pub fn reload_note(
    name: &str,
    outcome: Result<(), crate::api::http::HttpError>,
    restart: &str,
) -> (String, bool) {
    use crate::api::http::HttpErrorKind;
    match outcome {
        Ok(()) => (format!("{name} reloaded the restored configuration"), true),
        Err(e) if matches!(e.kind, HttpErrorKind::Refused | HttpErrorKind::Dns) => (
            format!(
                "{name} is not running ({}): it reads the restored files when it starts",
                e.url
            ),
            true,
        ),
        Err(e) => (
            format!(
                "{name} did not reload the restored configuration: {e}; fix it, then `{restart}`"
            ),
            false,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup::manifest::{ComponentInfo, Member, sha256_hex};

    #[test]
    fn plans_create_replace_unchanged_and_refuses_links() {
        let d = tempfile::tempdir().expect("tmp");
        std::fs::create_dir_all(d.path().join("p")).expect("mk");
        std::fs::write(d.path().join("p/same.yml"), "same").expect("w");
        std::fs::write(d.path().join("p/diff.yml"), "old").expect("w");
        let mut m = Manifest::new("t".into());
        m.components.insert(Part::Configs, ComponentInfo { included: true, ..Default::default() });
        let mut kept = BTreeMap::new();
        for (p, c) in [("p/same.yml", "same"), ("p/diff.yml", "new"), ("q/new.yml", "n")] {
            let path = format!("configs/{p}");
            m.members.push(Member {
                path: path.clone(),
                size: c.len() as u64,
                sha256: sha256_hex(c.as_bytes()),
                mode: 0o600,
            });
            kept.insert(path, c.as_bytes().to_vec());
        }
        let plan = plan(d.path(), &m, &kept).expect("plan");
        let actions: Vec<Action> = plan.iter().map(|f| f.action).collect();
        assert_eq!(actions, vec![Action::Unchanged, Action::Replace, Action::Create]);
        let mut steps = steps(&plan);
        apply(&plan, &kept, &mut steps).expect("apply");
        assert_eq!(std::fs::read_to_string(d.path().join("p/diff.yml")).expect("r"), "new");
        assert_eq!(std::fs::read_to_string(d.path().join("q/new.yml")).expect("r"), "n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode =
                std::fs::metadata(d.path().join("q/new.yml")).expect("m").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let outside = tempfile::tempdir().expect("tmp");
            std::os::unix::fs::symlink(outside.path(), d.path().join("q2")).expect("ln");
            let mut m2 = m.clone();
            m2.members = vec![Member {
                path: "configs/q2/x".into(),
                size: 1,
                sha256: sha256_hex(b"x"),
                mode: 0o644,
            }];
            let mut k2 = BTreeMap::new();
            k2.insert("configs/q2/x".to_string(), b"x".to_vec());
            let e = super::plan(d.path(), &m2, &k2).expect_err("link");
            assert!(e.to_string().contains("symbolic link"), "{e}");
        }
    }

    fn file(rel: &str, action: Action) -> FilePlan {
        FilePlan {
            rel: rel.into(),
            target: PathBuf::from(rel),
            member: format!("configs/{rel}"),
            mode: 0o644,
            action,
        }
    }

    #[test]
    fn only_changed_files_name_the_services_that_read_them() {
        let plan = [
            file("prometheus/stellar_alerts.yml", Action::Replace),
            file("alerting/alertmanager.yml", Action::Unchanged),
            file("grafana/dashboards/x.json", Action::Create),
            file("docker-compose.observability.yml", Action::Unchanged),
            file("stellar-obs.yml", Action::Replace),
        ];
        let a = Affected::of(&plan);
        assert_eq!(
            a,
            Affected { prometheus: true, grafana: true, ..Affected::default() },
            "unchanged files reload nothing; stellar-obs.yml is read by this tool only"
        );
        let a =
            Affected::of(&[file(".env", Action::Create), file("promtail/p.yml", Action::Replace)]);
        assert_eq!(a, Affected { compose: true, logs: true, ..Affected::default() });
    }

    #[test]
    fn reload_outcomes_are_one_sentence_each() {
        use crate::api::http::{HttpError, HttpErrorKind};
        let err = |kind, message: &str| HttpError {
            kind,
            url: "http://127.0.0.1:9090/-/reload".into(),
            message: message.into(),
            body: None,
        };
        let (n, ok) = reload_note("Prometheus", Ok(()), "stellar-obs restart prometheus");
        assert!(ok && n == "Prometheus reloaded the restored configuration", "{n}");
        let (n, ok) = reload_note(
            "Prometheus",
            Err(err(HttpErrorKind::Refused, "connection refused")),
            "stellar-obs restart prometheus",
        );
        assert!(ok && n.contains("is not running") && n.contains("when it starts"), "{n}");
        let (n, ok) = reload_note(
            "Alertmanager",
            Err(err(HttpErrorKind::Status(500), "HTTP 500: bad config")),
            "stellar-obs restart alertmanager",
        );
        assert!(!ok, "{n}");
        assert!(
            n.contains("HTTP 500: bad config") && n.ends_with("`stellar-obs restart alertmanager`"),
            "{n}"
        );
    }
}
