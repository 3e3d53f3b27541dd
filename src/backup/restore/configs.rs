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

/// What the progress line says when the configs step ended well: how many files were
/// written, never "written" when every file was already as archived.
pub fn written_summary(plan: &[FilePlan]) -> String {
    let n = plan.iter().filter(|f| matches!(f.action, Action::Create | Action::Replace)).count();
    if n == 0 {
        "nothing written: every file is as archived".to_string()
    } else {
        format!("{} written", crate::output::words::count_s(n as u64, "file"))
    }
}

/// Write the files that differ or are missing, as one step: the free space is checked
/// first, then every file is written to a temporary file beside its target (fsynced), and
/// only when all are written are they renamed into place. A full disk or any write error
/// while staging leaves every file of the stack as it was.
pub fn apply(
    plan: &[FilePlan],
    kept: &BTreeMap<String, Vec<u8>>,
    steps: &mut [Step],
    dir: &Path,
) -> Result<()> {
    let content = |f: &FilePlan| kept.get(&f.member).map(Vec::as_slice).unwrap_or_default();
    let writes = |f: &FilePlan| matches!(f.action, Action::Create | Action::Replace);
    let needed: u64 = plan.iter().filter(|f| writes(f)).map(|f| content(f).len() as u64).sum();
    crate::fsutil::ensure_free(dir, needed, "the restored configuration files")?;
    apply_staged(plan, steps, &mut |f| stage(&f.target, content(f), f.mode))
}

/// A file written beside its target, not yet in place.
type Staged = tempfile::NamedTempFile;

fn stage(target: &Path, bytes: &[u8], mode: u32) -> Result<Staged> {
    use std::io::Write;
    let dir = fsutil::parent_dir(target);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".stellar-obs-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode & 0o777))
            .with_context(|| format!("cannot set the mode of {}", target.display()))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    tmp.write_all(bytes).with_context(|| format!("cannot write {}", target.display()))?;
    tmp.as_file().sync_all().with_context(|| format!("cannot sync {}", target.display()))?;
    Ok(tmp)
}

/// Stage every file with `write`, then rename them all into place.
fn apply_staged(
    plan: &[FilePlan],
    steps: &mut [Step],
    write: &mut dyn FnMut(&FilePlan) -> Result<Staged>,
) -> Result<()> {
    let mut staged = Vec::new();
    for (i, f) in plan.iter().enumerate() {
        if !matches!(f.action, Action::Create | Action::Replace) {
            continue;
        }
        match write(f) {
            Ok(t) => staged.push((i, t)),
            Err(e) => {
                // The staged files are removed when `staged` is dropped: nothing changed.
                steps[i].status = StepStatus::Failed;
                steps[i].detail = format!("{e:#} (no configuration file was changed)");
                return Err(
                    e.context("staging the restored configuration failed; no file was changed")
                );
            }
        }
    }
    for (i, tmp) in staged {
        let f = &plan[i];
        if let Err(e) = tmp.persist(&f.target) {
            steps[i].status = StepStatus::Failed;
            steps[i].detail = format!("cannot rename into place: {}", e.error);
            return Err(
                anyhow::Error::new(e.error).context(format!("cannot write {}", f.target.display()))
            );
        }
        fsutil::sync_dir(&fsutil::parent_dir(&f.target));
        steps[i].status = StepStatus::Done;
    }
    for (f, st) in plan.iter().zip(steps.iter_mut()) {
        if !matches!(f.action, Action::Create | Action::Replace) {
            st.status = StepStatus::Done;
        }
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
        assert_eq!(written_summary(&plan), "2 files written");
        let mut steps = steps(&plan);
        apply(&plan, &kept, &mut steps, d.path()).expect("apply");
        // A second restore finds every file as archived: it does not say "written".
        let again = super::plan(d.path(), &m, &kept).expect("plan");
        assert!(again.iter().all(|f| f.action == Action::Unchanged));
        assert_eq!(written_summary(&again), "nothing written: every file is as archived");
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

    #[test]
    fn a_write_failing_half_way_changes_no_file() {
        let d = tempfile::tempdir().expect("tmp");
        let mut plan = Vec::new();
        for i in 0..5 {
            let target = d.path().join(format!("prometheus/f{i}.yml"));
            std::fs::create_dir_all(target.parent().expect("p")).expect("mk");
            std::fs::write(&target, format!("old {i}")).expect("w");
            plan.push(FilePlan {
                rel: format!("prometheus/f{i}.yml"),
                target,
                member: format!("configs/prometheus/f{i}.yml"),
                mode: 0o644,
                action: Action::Replace,
            });
        }
        let mut steps = steps(&plan);
        let mut n = 0;
        // The fourth write fails as a full disk would.
        let e = apply_staged(&plan, &mut steps, &mut |f| {
            n += 1;
            if n == 4 {
                anyhow::bail!("No space left on device (os error 28)");
            }
            stage(&f.target, b"new", 0o644)
        })
        .expect_err("disk full");
        assert!(e.to_string().contains("no file was changed"), "{e:#}");
        for (i, f) in plan.iter().enumerate() {
            assert_eq!(std::fs::read_to_string(&f.target).expect("r"), format!("old {i}"));
        }
        let names: Vec<String> = std::fs::read_dir(d.path().join("prometheus"))
            .expect("ls")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(names.len(), 5, "no temporary file left: {names:?}");
        assert_eq!(steps[3].status, StepStatus::Failed);
        assert!(steps.iter().all(|s| s.status != StepStatus::Done));
        // And when every write works, every file is replaced.
        apply_staged(&plan, &mut steps, &mut |f| stage(&f.target, b"new", 0o644)).expect("ok");
        assert!(plan.iter().all(|f| std::fs::read_to_string(&f.target).expect("r") == "new"));
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
