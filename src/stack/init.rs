//! `stellar-obs init`: write the stack into the stack directory.
//!
//! Every template is written as is, plus `.env` (from `.env.example`, with a random Grafana
//! admin password, mode 0600). An existing file that differs from its template is kept
//! unless `--force`; `.env` keeps its existing password even with `--force`, because
//! Grafana's data volume keeps the password it was first started with.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;

use crate::fsutil;
use crate::outcome::Outcome;
use crate::output::{Paint, Report, table, to_json};
use crate::settings::Topology;
use crate::stack::{env_file, templates};

pub const PASSWORD_VAR: &str = "GF_SECURITY_ADMIN_PASSWORD";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// New file written.
    Created,
    /// Existing different file replaced (`--force`).
    Replaced,
    /// Existing file already equal to the template.
    Unchanged,
    /// Existing different file kept (no `--force`).
    Kept,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Replaced => "replaced",
            Action::Unchanged => "unchanged",
            Action::Kept => "kept",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FileResult {
    pub path: String,
    pub action: Action,
}

#[derive(Debug, Clone, Serialize)]
pub struct InitReport {
    pub dir: String,
    pub files: Vec<FileResult>,
    /// `stellar-obs` with the `--dir`/`--project` the next commands need
    /// ([`crate::settings::Settings::command`]).
    #[serde(skip)]
    pub cli: String,
}

impl InitReport {
    pub fn kept(&self) -> Vec<&str> {
        self.files.iter().filter(|f| f.action == Action::Kept).map(|f| f.path.as_str()).collect()
    }

    pub fn outcome(&self) -> Outcome {
        if self.kept().is_empty() { Outcome::Success } else { Outcome::Failure }
    }
}

impl Report for InitReport {
    fn human(&self, paint: &Paint) -> String {
        let rows: Vec<Vec<String>> = self
            .files
            .iter()
            .map(|f| {
                let a = match f.action {
                    Action::Kept => paint.yellow("kept"),
                    Action::Created | Action::Replaced => paint.green(f.action.as_str()),
                    Action::Unchanged => paint.dim("unchanged"),
                };
                vec![f.path.clone(), a]
            })
            .collect();
        let mut s = table::render(&["FILE", "ACTION"], &rows);
        let kept = self.kept();
        if kept.is_empty() {
            let up = format!("{} up", self.cli);
            s.push_str(&format!(
                "The stack is in {}. Next: put the alerting secrets in {}/alerting/secrets/ (see its README.md), then run `{up}`.\n",
                self.dir, self.dir
            ));
        } else {
            s.push_str(&format!(
                "{} from the templates and {} kept: {}. Run `{} init --force` to replace {}.\n",
                if kept.len() == 1 {
                    "1 existing file differs".to_string()
                } else {
                    format!("{} existing files differ", kept.len())
                },
                if kept.len() == 1 { "was" } else { "were" },
                kept.join(", "),
                self.cli,
                if kept.len() == 1 { "it" } else { "them" }
            ));
        }
        s
    }

    fn json(&self) -> serde_json::Value {
        to_json(self)
    }
}

/// The line of `stellar-obs.yml` that names the project (the template's own name is
/// replaced by the stack's).
const PROJECT_LINE: &str = "\nproject: stellar-obs\n";

/// A template's contents as `init` writes them into a stack whose project is `project`.
pub fn rendered(t: &templates::Template, project: &str) -> Vec<u8> {
    if t.path == crate::settings::SETTINGS_FILE
        && let Ok(text) = std::str::from_utf8(t.contents)
        && text.contains(PROJECT_LINE)
    {
        return text.replacen(PROJECT_LINE, &format!("\nproject: {project}\n"), 1).into_bytes();
    }
    t.contents.to_vec()
}

/// Write the stack into `dir`, its Compose project named `project`.
pub fn init(dir: &Path, project: &str, force: bool) -> Result<InitReport> {
    init_with(dir, project, force, Topology::Single)
}

/// A template as written for `topology`: the HA one has `topology: ha` in
/// `stellar-obs.yml` and the replica label and every Alertmanager peer in `prometheus.yml`.
pub fn rendered_for(t: &templates::Template, project: &str, topology: Topology) -> Result<Vec<u8>> {
    let single = rendered(t, project);
    if topology == Topology::Single {
        return Ok(single);
    }
    let text = || String::from_utf8_lossy(&single).into_owned();
    Ok(match t.path {
        crate::settings::SETTINGS_FILE => crate::stack::ha::settings_file(&text()).into_bytes(),
        "prometheus/prometheus.yml" => crate::stack::ha::prometheus_config(&text())?.into_bytes(),
        _ => single,
    })
}

/// [`init`] for a topology (`init --ha`).
pub fn init_with(dir: &Path, project: &str, force: bool, topology: Topology) -> Result<InitReport> {
    if dir.exists() && !dir.is_dir() {
        anyhow::bail!("{} exists and is not a directory", dir.display());
    }
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut files = Vec::new();
    for t in templates::all() {
        let target = dir.join(t.path);
        let mode = if t.path.contains("secrets/") { Some(0o600) } else { None };
        if t.path.contains("secrets/")
            && let Some(parent) = target.parent()
        {
            // 0711: others may traverse (Alertmanager runs as uid 65534) but not list.
            fsutil::create_dir_with_mode(parent, 0o711)?;
        }
        files.push(FileResult {
            path: t.path.to_string(),
            action: place(&target, &rendered_for(&t, project, topology)?, force, mode)?,
        });
    }
    files.push(FileResult { path: ".env".into(), action: write_env(dir, force)? });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(InitReport {
        dir: dir.display().to_string(),
        files,
        cli: crate::settings::command_for(Some(dir), None, ""),
    })
}

/// Write one file unless an existing different one must be kept.
fn place(target: &Path, contents: &[u8], force: bool, mode: Option<u32>) -> Result<Action> {
    match fs::read(target) {
        Ok(existing) if existing == contents => Ok(Action::Unchanged),
        Ok(_) if !force => Ok(Action::Kept),
        Ok(_) => {
            fsutil::write_atomic(target, contents, mode)?;
            Ok(Action::Replaced)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fsutil::write_atomic(target, contents, mode)?;
            Ok(Action::Created)
        }
        Err(e) => Err(e).with_context(|| format!("cannot read {}", target.display())),
    }
}

/// `.env`: the example with a fresh random password; an existing `.env` is left alone
/// without `--force`, and with `--force` is rebuilt from the example but keeps its password.
fn write_env(dir: &Path, force: bool) -> Result<Action> {
    let target: PathBuf = dir.join(".env");
    let example = templates::text(".env.example").unwrap_or("");
    let existing = match fs::read_to_string(&target) {
        Ok(s) => Some(s),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", target.display())),
    };
    let header = "# Written by `stellar-obs init`. Holds the Grafana admin password: keep it private (mode 0600).\n";
    match existing {
        // Without --force an existing .env is the user's: its values are left alone.
        Some(_) if !force => Ok(Action::Unchanged),
        Some(old) => {
            let has_password = env_file::parse(&old)
                .get(PASSWORD_VAR)
                .is_some_and(|p| !p.is_empty() && p.as_str() != "change-me");
            let base = format!("{header}{example}");
            // The password line is kept byte for byte (quotes, `$$`, inline comments): it is
            // what Compose gave Grafana, and re-quoting it could change its value.
            let text = match env_file::assignment_line(&old, PASSWORD_VAR) {
                Some(line) if has_password => env_file::set_line(&base, PASSWORD_VAR, line),
                _ => env_file::set(&base, PASSWORD_VAR, &random_password()),
            };
            if text == old {
                return Ok(Action::Unchanged);
            }
            fsutil::write_atomic(&target, text.as_bytes(), Some(0o600))?;
            Ok(Action::Replaced)
        }
        None => {
            let text =
                env_file::set(&format!("{header}{example}"), PASSWORD_VAR, &random_password());
            fsutil::write_atomic(&target, text.as_bytes(), Some(0o600))?;
            Ok(Action::Created)
        }
    }
}

/// 32 characters from [A-Za-z0-9], about 190 bits, from the OS random source.
pub fn random_password() -> String {
    use rand::RngExt;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..32).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_random_and_long() {
        let a = random_password();
        let b = random_password();
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
    }

    #[test]
    fn init_writes_everything_then_is_idempotent() {
        let d = tempfile::tempdir().expect("tmp");
        let r = init(d.path(), "t-obs", false).expect("init");
        assert!(r.files.iter().all(|f| f.action == Action::Created), "{r:?}");
        assert!(d.path().join("prometheus/prometheus.yml").exists());
        let settings = std::fs::read_to_string(d.path().join("stellar-obs.yml")).expect("read");
        assert!(settings.contains("\nproject: t-obs\n"), "the chosen name is written");
        let env = env_file::read(&d.path().join(".env")).expect("env");
        assert_eq!(env.get(PASSWORD_VAR).map(String::len), Some(32));
        let r2 = init(d.path(), "t-obs", false).expect("init again");
        assert!(r2.files.iter().all(|f| f.action == Action::Unchanged), "{r2:?}");
        assert_eq!(r2.outcome(), Outcome::Success);
        let env2 = env_file::read(&d.path().join(".env")).expect("env");
        assert_eq!(env.get(PASSWORD_VAR), env2.get(PASSWORD_VAR));
    }

    #[test]
    fn force_keeps_the_password() {
        let d = tempfile::tempdir().expect("tmp");
        init(d.path(), "t-obs", false).expect("init");
        let before = env_file::read(&d.path().join(".env")).expect("env");
        init(d.path(), "t-obs", true).expect("force");
        let after = env_file::read(&d.path().join(".env")).expect("env");
        assert_eq!(before.get(PASSWORD_VAR), after.get(PASSWORD_VAR));
    }

    #[test]
    fn force_keeps_a_quoted_password_line_byte_for_byte() {
        for line in [
            "GF_SECURITY_ADMIN_PASSWORD='Pa$$w0rd$x'",
            "GF_SECURITY_ADMIN_PASSWORD=\"my pass # with hash\"",
            "export GF_SECURITY_ADMIN_PASSWORD = plain  # a comment",
        ] {
            let d = tempfile::tempdir().expect("tmp");
            init(d.path(), "t-obs", false).expect("init");
            let env = d.path().join(".env");
            std::fs::write(&env, format!("PROMETHEUS_PORT=9999\n{line}\n")).expect("w");
            init(d.path(), "t-obs", true).expect("force");
            let text = std::fs::read_to_string(&env).expect("r");
            assert_eq!(
                text.lines().filter(|l| l.contains(PASSWORD_VAR)).collect::<Vec<_>>(),
                vec![line],
                "{text}"
            );
        }
    }
}
