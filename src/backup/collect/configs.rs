//! The stack directory: every file, except secrets unless `--include-secrets`.

use std::path::Path;

use anyhow::{Result, bail};

use super::{Staged, hash_files, walk};
use crate::backup::archive::{TMP_PREFIX, TMP_SUFFIX};
use crate::backup::manifest::ComponentInfo;

/// Whether a stack file holds secrets by its name (see [`super::secrets::secret_by_name`]).
pub fn is_secret(rel: &str) -> bool {
    super::secrets::secret_by_name(rel)
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
    let mut by_content = Vec::new();
    let known =
        if include_secrets { Default::default() } else { super::secrets::learn(dir, &files) };
    for f in files {
        if is_ours(&f.rel) {
            ours.push(f.rel);
        } else if crate::backup::allow::config_refusal(&f.rel).is_some() {
            foreign.push(f.rel.escape_debug().to_string());
        } else if is_secret(&f.rel) && !include_secrets {
            secrets.push(f.rel);
        } else if let Some(why) =
            (!include_secrets).then(|| super::secrets::secret_by_content(dir, &f, &known)).flatten()
        {
            by_content.push(format!("{} ({why})", f.rel));
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
    if !by_content.is_empty() {
        info.notes.push(format!(
            "files that hold secrets (found by their content) not archived (use --include-secrets to include them): {}",
            by_content.join(", ")
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
    fn copies_of_secrets_are_found_by_content() {
        let d = tempfile::tempdir().expect("tmp");
        let p = d.path();
        for dir in ["alerting/secrets", "prometheus", "grafana"] {
            std::fs::create_dir_all(p.join(dir)).expect("mk");
        }
        std::fs::write(p.join(".env"), "GF_SECURITY_ADMIN_PASSWORD=Xq7-very-secret-pw\n")
            .expect("w");
        std::fs::write(p.join("alerting/secrets/smtp_password"), "smtp-pass-123456\n").expect("w");
        std::fs::write(p.join("alerting/alertmanager.yml"), "global:\n  smtp_auth_password_file: /etc/alertmanager/secrets/smtp_password\n  slack_api_url_file: /etc/alertmanager/hook.txt\n").expect("w");
        std::fs::write(
            p.join("docker-compose.observability.yml"),
            "services:\n  a:\n    volumes:\n      - ./alerting:/etc/alertmanager:ro\n",
        )
        .expect("w");
        std::fs::write(p.join("alerting/hook.txt"), "https://hooks.example/x\n").expect("w");
        std::fs::write(p.join("alerting/passwords.bak"), "GF_SECURITY_ADMIN_PASSWORD='other'\n")
            .expect("w");
        std::fs::write(p.join("prometheus/notes.yml"), "# pw: Xq7-very-secret-pw\n").expect("w");
        std::fs::write(p.join("grafana/smtp.yml"), "password: smtp-pass-123456\n").expect("w");
        std::fs::write(p.join("prometheus/prometheus.yml"), "global: {}\n").expect("w");
        let (info, staged) = collect(p, false, &|_| {}).expect("collect");
        let paths: Vec<&str> = staged.iter().map(|s| s.member.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "configs/alerting/alertmanager.yml",
                "configs/docker-compose.observability.yml",
                "configs/prometheus/prometheus.yml"
            ]
        );
        let notes = info.notes.join("\n");
        for f in [
            "alerting/hook.txt (named by a *_file",
            "alerting/passwords.bak (assigns GF_SECURITY_ADMIN_PASSWORD",
            "prometheus/notes.yml (holds the value",
            "grafana/smtp.yml (holds the value",
        ] {
            assert!(notes.contains(f), "{f}: {notes}");
        }
        let (_, staged) = collect(p, true, &|_| {}).expect("collect");
        assert_eq!(staged.len(), 9, "--include-secrets takes them all");
    }

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
