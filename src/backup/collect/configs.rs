//! The stack directory: every file, except secrets unless `--include-secrets`.

use std::path::Path;

use anyhow::{Result, bail};

use super::{Staged, hash_files, walk};
use crate::backup::archive::{TMP_PREFIX, TMP_SUFFIX};
use crate::backup::manifest::ComponentInfo;

/// Whether a stack file holds secrets: `.env` (and `.env.*` except `.env.example`), and
/// everything in a `secrets/` folder except its README and `.gitignore`.
pub fn is_secret(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name == ".env" || (name.starts_with(".env.") && name != ".env.example") {
        return true;
    }
    let in_secrets = rel.split('/').rev().skip(1).any(|c| c == "secrets");
    in_secrets && !matches!(name, "README.md" | ".gitignore")
}

/// Files that are never configuration: archives, temporary files and the state file of
/// this tool.
fn is_ours(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    (name.starts_with("stellar-obs-backup-") && name.ends_with(".tar.gz"))
        || (name.starts_with(TMP_PREFIX) && name.ends_with(TMP_SUFFIX))
        || rel == crate::stack_dir::STATE_FILE
}

/// Collect the stack directory's files under `configs/`.
pub fn collect(
    dir: &Path,
    include_secrets: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(ComponentInfo, Vec<Staged>)> {
    if !dir.is_dir() {
        bail!(
            "the stack directory {} does not exist (set --dir, or leave configs out with --only)",
            dir.display()
        );
    }
    // `.git`, and staging folders of a backup or restore running inside the stack directory.
    let (files, skipped) = walk(dir, &|r| {
        let name = r.rsplit('/').next().unwrap_or(r);
        r == ".git" || name.starts_with(".stellar-obs-")
    })?;
    let mut kept = Vec::new();
    let mut secrets = Vec::new();
    let mut ours = Vec::new();
    let mut foreign = Vec::new();
    for f in files {
        if is_ours(&f.rel) {
            ours.push(f.rel);
        } else if crate::backup::allow::config_refusal(&f.rel).is_some() {
            foreign.push(f.rel.escape_debug().to_string());
        } else if is_secret(&f.rel) && !include_secrets {
            secrets.push(f.rel);
        } else {
            kept.push(f);
        }
    }
    let staged = hash_files(&kept, "configs/", true, progress)?;
    let mut info = ComponentInfo {
        included: true,
        source: Some(crate::backup::display_abs(dir)),
        method: Some("files of the stack directory".into()),
        ..Default::default()
    };
    info.count("files", staged.len() as u64);
    info.count("bytes", staged.iter().map(|s| s.member.size).sum());
    info.details
        .insert("secrets".into(), if include_secrets { "included" } else { "excluded" }.into());
    if !secrets.is_empty() {
        info.notes.push(format!(
            "secret files not archived (use --include-secrets to include them): {}",
            secrets.join(", ")
        ));
    }
    if include_secrets {
        info.notes
            .push("the archive holds secrets (.env, secrets/): store it like a password".into());
    }
    if !skipped.is_empty() {
        info.notes.push(format!("not regular files, skipped: {}", skipped.join(", ")));
    }
    if !foreign.is_empty() {
        info.notes.push(format!(
            "not part of the stack (restore accepts only the stack's files and folders), skipped: {}",
            shorten(&foreign)
        ));
    }
    if !ours.is_empty() {
        info.notes.push(format!("backup archives in the stack directory, skipped: {}", ours.len()));
    }
    Ok((info, staged))
}

/// At most 20 names, then how many more.
fn shorten(names: &[String]) -> String {
    let mut s = names.iter().take(20).cloned().collect::<Vec<_>>().join(", ");
    if names.len() > 20 {
        s.push_str(&format!(" and {} more", names.len() - 20));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_recognised() {
        for s in [".env", ".env.local", "alerting/secrets/smtp_password", "x/secrets/y/z"] {
            assert!(is_secret(s), "{s}");
        }
        for s in [
            ".env.example",
            "alerting/secrets/README.md",
            "alerting/secrets/.gitignore",
            "prometheus/prometheus.yml",
            "secrets",
        ] {
            assert!(!is_secret(s), "{s}");
        }
    }

    #[test]
    fn collects_without_secrets_by_default() {
        let d = tempfile::tempdir().expect("tmp");
        std::fs::create_dir_all(d.path().join("alerting/secrets")).expect("mk");
        std::fs::write(d.path().join(".env"), "GF_SECURITY_ADMIN_PASSWORD=x").expect("w");
        std::fs::write(d.path().join("alerting/secrets/smtp_password"), "pw").expect("w");
        std::fs::write(d.path().join("alerting/secrets/README.md"), "doc").expect("w");
        std::fs::write(d.path().join("alerting/alertmanager.yml"), "route: {}").expect("w");
        std::fs::write(d.path().join("stellar-obs-backup-20260101T000000Z.tar.gz"), "x")
            .expect("w");
        let (info, staged) = collect(d.path(), false, &|_| {}).expect("collect");
        let paths: Vec<&str> = staged.iter().map(|s| s.member.path.as_str()).collect();
        assert_eq!(
            paths,
            vec!["configs/alerting/alertmanager.yml", "configs/alerting/secrets/README.md"]
        );
        assert!(info.notes.iter().any(|n| n.contains(".env") && n.contains("smtp_password")));
        let (_, staged) = collect(d.path(), true, &|_| {}).expect("collect");
        assert_eq!(staged.len(), 4);
    }
}
