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
use crate::output::{Paint, Report, table, to_json, words};
use crate::remote_write;
use crate::settings::{RemoteWrite, Topology};
use crate::{env_file, templates};

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
    /// `init --env-only`: only `.env` was looked at.
    #[serde(skip)]
    pub env_only: bool,
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
        // Unchanged files are counted, not listed: a second `init` says one line.
        let unchanged = self.files.iter().filter(|f| f.action == Action::Unchanged).count();
        let rows: Vec<Vec<String>> = self
            .files
            .iter()
            .filter(|f| f.action != Action::Unchanged)
            .map(|f| {
                let a = match f.action {
                    Action::Kept => paint.yellow("kept"),
                    Action::Created | Action::Replaced => paint.green(f.action.as_str()),
                    Action::Unchanged => paint.dim("unchanged"),
                };
                vec![f.path.clone(), a]
            })
            .collect();
        let mut s =
            if rows.is_empty() { String::new() } else { table::render(&["FILE", "ACTION"], &rows) };
        if self.env_only {
            // Said below.
        } else if unchanged == self.files.len() {
            s.push_str(&format!(
                "Nothing to do: {} in {} already as init writes {}.\n",
                words::count(unchanged as u64, "file is", "files are"),
                self.dir,
                if unchanged == 1 { "it" } else { "them" }
            ));
        } else if unchanged > 0 {
            s.push_str(&format!(
                "{} already as init writes {}.\n",
                words::count(unchanged as u64, "other file is", "other files are"),
                if unchanged == 1 { "it" } else { "them" }
            ));
        }
        let kept = self.kept();
        if self.env_only {
            if self.files.iter().any(|f| f.action == Action::Created) {
                s.push_str(&format!(
                    "Wrote {}/.env with a fresh Grafana admin password (mode 0600); no other file was touched.\n",
                    self.dir
                ));
            } else {
                s.push_str(&format!(
                    "{}/.env exists and was left as it is (--env-only never replaces it).\n",
                    self.dir
                ));
            }
        } else if unchanged == self.files.len() {
            // A second `init`: the one line above says it all.
        } else if kept.is_empty() {
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

/// The Prometheus configuration template.
const PROMETHEUS_CONFIG: &str = "prometheus/prometheus.yml";

/// What `init` writes besides the templates as they are.
#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    /// Replace files that differ from what `init` writes.
    pub force: bool,
    /// `remote_write:` of the stack's `stellar-obs.yml` (already there, or made from
    /// `--remote-write URL`): `prometheus.yml` gets the matching block.
    pub remote_write: Option<RemoteWrite>,
    /// `--remote-write URL`: the section `stellar-obs.yml` is written with.
    pub remote_write_url: Option<String>,
    /// The URL came from `--remote-write` (not from the existing `stellar-obs.yml`).
    pub remote_write_flag: bool,
    /// `--ha` (or `topology: ha` already in `stellar-obs.yml`): the HA topology.
    pub topology: Topology,
}

/// A template's contents as `init` writes them into a stack whose project is `project`.
pub fn rendered(t: &templates::Template, project: &str) -> Vec<u8> {
    rendered_with(t, project, &InitOptions::default())
}

/// [`rendered`] with the options: `stellar-obs.yml` with the project (and the
/// `remote_write` section `--remote-write` asks for), `prometheus.yml` with the
/// generated `remote_write` block.
pub fn rendered_with(t: &templates::Template, project: &str, opts: &InitOptions) -> Vec<u8> {
    let single = rendered_single(t, project, opts);
    if opts.topology == Topology::Single {
        return single;
    }
    let text = String::from_utf8_lossy(&single);
    match t.path {
        crate::settings::SETTINGS_FILE => crate::ha::settings_file(&text).into_bytes(),
        // The template always has the anchors (a unit test of crate::ha says so).
        PROMETHEUS_CONFIG => {
            crate::ha::prometheus_config(&text).map(String::into_bytes).unwrap_or(single)
        }
        _ => single,
    }
}

/// The template for `topology`, before any generated block: what a `prometheus.yml` that
/// only differs by its `remote_write` block is compared with.
fn template_for(t: &templates::Template, topology: Topology) -> Vec<u8> {
    match (topology, std::str::from_utf8(t.contents)) {
        (Topology::Ha, Ok(text)) if t.path == PROMETHEUS_CONFIG => {
            crate::ha::prometheus_config(text)
                .map(String::into_bytes)
                .unwrap_or_else(|_| t.contents.to_vec())
        }
        _ => t.contents.to_vec(),
    }
}

/// [`rendered_with`] for the single topology.
fn rendered_single(t: &templates::Template, project: &str, opts: &InitOptions) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(t.contents) else {
        return t.contents.to_vec();
    };
    if t.path == crate::settings::SETTINGS_FILE && text.contains(PROJECT_LINE) {
        let mut s = text.replacen(PROJECT_LINE, &format!("\nproject: {project}\n"), 1);
        if let Some(url) = &opts.remote_write_url {
            s.push_str(&remote_write::settings_section(url));
        }
        return s.into_bytes();
    }
    if t.path == PROMETHEUS_CONFIG {
        return remote_write::render(text, opts.remote_write.as_ref(), project).into_bytes();
    }
    t.contents.to_vec()
}

/// The options `init` runs with: `--remote-write URL` (checked: a wrong one is a wrong
/// request) over the `remote_write:` already in the stack's `stellar-obs.yml`.
pub fn options(
    force: bool,
    url: Option<&str>,
    existing: Option<&RemoteWrite>,
) -> Result<InitOptions> {
    let Some(url) = url else {
        // stellar-obs.yml is written as a --remote-write wrote it: unchanged when that is
        // what it holds.
        return Ok(InitOptions {
            force,
            remote_write: existing.cloned(),
            remote_write_url: existing.map(|r| r.url.clone()),
            remote_write_flag: false,
            topology: Topology::Single,
        });
    };
    crate::settings::remote_write::check_url(url)
        .map_err(|why| crate::outcome::usage(format!("--remote-write: {why}")))?;
    let rw = match existing {
        Some(e) => RemoteWrite { url: url.to_string(), ..e.clone() },
        None => RemoteWrite::with_url(url),
    };
    Ok(InitOptions {
        force,
        remote_write: Some(rw),
        remote_write_url: Some(url.to_string()),
        remote_write_flag: true,
        topology: Topology::Single,
    })
}

/// Write the stack into `dir`, its Compose project named `project`.
pub fn init(dir: &Path, project: &str, force: bool) -> Result<InitReport> {
    init_with(dir, project, &InitOptions { force, ..InitOptions::default() })
}

/// [`init`] with options.
pub fn init_with(dir: &Path, project: &str, opts: &InitOptions) -> Result<InitReport> {
    let force = opts.force;
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
        let contents = rendered_with(&t, project, opts);
        // A prometheus.yml that differs from the template only by its generated block is
        // not the user's edit: it follows stellar-obs.yml.
        let generated_only = t.path == PROMETHEUS_CONFIG
            && fs::read(&target).is_ok_and(|old| {
                std::str::from_utf8(&old).is_ok_and(|old| {
                    remote_write::strip(old).as_bytes() == template_for(&t, opts.topology)
                })
            });
        // stellar-obs.yml whose only difference is its `remote_write:` section: that
        // section is the user's (it was read, and prometheus.yml follows it); a new
        // --remote-write URL replaces its `url:` and keeps the rest of it.
        let mut action = None;
        if t.path == crate::settings::SETTINGS_FILE
            && opts.remote_write.is_some()
            && !force
            && let Ok(old) = fs::read_to_string(&target)
            && old.as_bytes() != contents.as_slice()
            && let Ok(new) = std::str::from_utf8(&contents)
            && remote_write::without_settings_section(&old)
                == remote_write::without_settings_section(new)
        {
            action = Some(match (&opts.remote_write_url, opts.remote_write_flag) {
                (Some(url), true) => match remote_write::with_settings_url(&old, url) {
                    Some(text) if text == old => Action::Unchanged,
                    Some(text) => {
                        fsutil::write_atomic(&target, text.as_bytes(), mode)?;
                        Action::Replaced
                    }
                    None => Action::Kept,
                },
                _ => Action::Unchanged,
            });
        }
        let action = match action {
            Some(a) => a,
            None => place(&target, &contents, force || generated_only, mode)?,
        };
        files.push(FileResult { path: t.path.to_string(), action });
    }
    files.push(FileResult { path: ".env".into(), action: write_env(dir, force)? });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(InitReport {
        dir: dir.display().to_string(),
        files,
        cli: crate::settings::command_for(Some(dir), None, ""),
        env_only: false,
    })
}

/// `init --env-only`: write `.env` (fresh random password, mode 0600) into an existing stack
/// directory that has none, as after restoring an archive (archives never hold `.env`: it
/// holds secrets). Nothing else is read or written; an existing `.env` is left alone.
pub fn init_env_only(dir: &Path) -> Result<InitReport> {
    if !dir.join(crate::settings::SETTINGS_FILE).is_file() {
        return Err(crate::outcome::usage(format!(
            "{} is not a stack directory (no {}): `init --env-only` fills in a stack's missing .env; write the whole stack with `init`",
            dir.display(),
            crate::settings::SETTINGS_FILE
        )));
    }
    let action = write_env(dir, false)?;
    Ok(InitReport {
        dir: dir.display().to_string(),
        files: vec![FileResult { path: ".env".into(), action }],
        cli: crate::settings::command_for(Some(dir), None, ""),
        env_only: true,
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

    #[test]
    fn remote_write_follows_stellar_obs_yml() {
        let d = tempfile::tempdir().expect("tmp");
        let url = "https://mimir.example/api/v1/push";
        let opts = options(false, Some(url), None).expect("options");
        let r = init_with(d.path(), "t-obs", &opts).expect("init");
        assert_eq!(r.outcome(), Outcome::Success, "{r:?}");
        let prom = d.path().join("prometheus/prometheus.yml");
        let text = std::fs::read_to_string(&prom).expect("read");
        assert!(text.contains(&format!("    url: \"{url}\"\n")), "{text}");
        assert!(text.contains("replacement: \"t-obs\""), "cluster defaults to the project");
        // The next init reads the settings back: nothing changes.
        let s = crate::settings::Settings::load_with(
            Some(d.path().into()),
            None,
            &crate::settings::MapEnv::default(),
        )
        .expect("settings");
        assert_eq!(s.remote_write.as_ref().map(|r| r.url.as_str()), Some(url));
        let again = options(false, None, s.remote_write.as_ref()).expect("options");
        let r2 = init_with(d.path(), "t-obs", &again).expect("again");
        assert!(r2.files.iter().all(|f| f.action == Action::Unchanged), "{r2:?}");
        // Another store: prometheus.yml only held the generated block, so it follows
        // without --force; stellar-obs.yml was written by init with the old URL.
        let other =
            options(false, Some("http://10.0.0.9:9009/api/v1/push"), s.remote_write.as_ref())
                .expect("options");
        let r3 = init_with(d.path(), "t-obs", &other).expect("other");
        let action =
            |r: &InitReport, p: &str| r.files.iter().find(|f| f.path == p).map(|f| f.action);
        assert_eq!(action(&r3, "prometheus/prometheus.yml"), Some(Action::Replaced));
        // stellar-obs.yml gets the new URL in its section.
        assert_eq!(action(&r3, "stellar-obs.yml"), Some(Action::Replaced));
        assert_eq!(r3.outcome(), Outcome::Success);
        let settings = std::fs::read_to_string(d.path().join("stellar-obs.yml")).expect("r");
        assert!(settings.contains("  url: \"http://10.0.0.9:9009/api/v1/push\"\n"), "{settings}");
        // Keys the user adds under the section are theirs: init applies them, exit 0.
        std::fs::write(d.path().join("stellar-obs.yml"), format!("{settings}  username: tenant\n"))
            .expect("w");
        let s = crate::settings::Settings::load_with(
            Some(d.path().into()),
            None,
            &crate::settings::MapEnv::default(),
        )
        .expect("settings");
        let user = options(false, None, s.remote_write.as_ref()).expect("options");
        let r_user = init_with(d.path(), "t-obs", &user).expect("user");
        assert_eq!(action(&r_user, "stellar-obs.yml"), Some(Action::Unchanged));
        assert_eq!(action(&r_user, "prometheus/prometheus.yml"), Some(Action::Replaced));
        assert_eq!(r_user.outcome(), Outcome::Success, "{r_user:?}");
        let text = std::fs::read_to_string(&prom).expect("read");
        assert!(text.contains("password_file: secrets/remote_write_password"), "{text}");
        // A prometheus.yml edited by hand is kept.
        std::fs::write(&prom, format!("{text}# mine\n")).expect("w");
        let r4 = init_with(d.path(), "t-obs", &again).expect("edited");
        assert_eq!(action(&r4, "prometheus/prometheus.yml"), Some(Action::Kept));
        // Without remote write, the generated block goes away again.
        std::fs::write(&prom, &text).expect("w");
        let none = InitOptions::default();
        let r5 = init_with(d.path(), "t-obs", &none).expect("none");
        assert_eq!(action(&r5, "prometheus/prometheus.yml"), Some(Action::Replaced));
        let plain = std::fs::read(&prom).expect("read");
        assert_eq!(plain, templates::get("prometheus/prometheus.yml").expect("t").contents);
        let bad = options(false, Some("https://u:secret@h/push"), None).expect_err("creds");
        assert!(format!("{bad:#}").contains("credentials do not go into the URL"), "{bad:#}");
    }
}
