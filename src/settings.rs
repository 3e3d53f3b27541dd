//! Checked settings: the stack directory, `stellar-obs.yml`, `STELLAR_OBS_*` overrides and
//! Grafana credentials. Arguments become settings here, before any side effect.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::cli::GlobalArgs;
use crate::env_file;

pub mod remote_write;

use crate::stack_dir::{self, State};
pub use crate::stack_dir::{DEFAULT_DIR, DEFAULT_PROJECT, DirSource, SETTINGS_FILE, shell_quote};
pub use remote_write::RemoteWrite;
/// The compose file in the stack directory.
pub const COMPOSE_FILE: &str = "docker-compose.observability.yml";

/// A component of the stack, or an external endpoint the tool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Component {
    Prometheus,
    Alertmanager,
    Grafana,
    Loki,
    Jaeger,
    /// Jaeger's admin port (health); `STELLAR_OBS_JAEGER_ADMIN_URL`.
    JaegerAdmin,
    NodeExporter,
    Cadvisor,
    Pushgateway,
    Connector,
    Horizon,
}

impl Component {
    pub const ALL: [Component; 11] = [
        Component::Prometheus,
        Component::Alertmanager,
        Component::Grafana,
        Component::Loki,
        Component::Jaeger,
        Component::JaegerAdmin,
        Component::NodeExporter,
        Component::Cadvisor,
        Component::Pushgateway,
        Component::Connector,
        Component::Horizon,
    ];

    /// The key in `stellar-obs.yml` and the name users type in `--only`.
    pub fn key(self) -> &'static str {
        match self {
            Component::Prometheus => "prometheus",
            Component::Alertmanager => "alertmanager",
            Component::Grafana => "grafana",
            Component::Loki => "loki",
            Component::Jaeger => "jaeger",
            Component::JaegerAdmin => "jaeger_admin",
            Component::NodeExporter => "node_exporter",
            Component::Cadvisor => "cadvisor",
            Component::Pushgateway => "pushgateway",
            Component::Connector => "connector",
            Component::Horizon => "horizon",
        }
    }

    /// `STELLAR_OBS_<COMPONENT>_URL`.
    pub fn env_var(self) -> String {
        format!("STELLAR_OBS_{}_URL", self.key().to_ascii_uppercase())
    }

    pub fn default_url(self) -> &'static str {
        match self {
            Component::Prometheus => "http://127.0.0.1:9090",
            Component::Alertmanager => "http://127.0.0.1:9093",
            Component::Grafana => "http://127.0.0.1:3000",
            Component::Loki => "http://127.0.0.1:3100",
            Component::Jaeger => "http://127.0.0.1:16686",
            Component::JaegerAdmin => "http://127.0.0.1:14269",
            Component::NodeExporter => "http://127.0.0.1:9100",
            Component::Cadvisor => "http://127.0.0.1:8080",
            Component::Pushgateway => "http://127.0.0.1:9091",
            Component::Connector => "http://127.0.0.1:8000",
            Component::Horizon => "https://horizon.stellar.org",
        }
    }

    /// The `.env` variable holding this component's published host port, for stack
    /// components.
    pub fn port_var(self) -> Option<&'static str> {
        Some(match self {
            Component::Prometheus => "PROMETHEUS_PORT",
            Component::Alertmanager => "ALERTMANAGER_PORT",
            Component::Grafana => "GRAFANA_PORT",
            Component::Loki => "LOKI_PORT",
            Component::Jaeger => "JAEGER_UI_PORT",
            Component::JaegerAdmin => "JAEGER_ADMIN_PORT",
            Component::NodeExporter => "NODE_EXPORTER_PORT",
            Component::Cadvisor => "CADVISOR_PORT",
            Component::Pushgateway => "PUSHGATEWAY_PORT",
            Component::Connector | Component::Horizon => return None,
        })
    }

    /// The Compose service that runs this component in the stack (`None` for what lives
    /// outside it: the connector, Horizon).
    pub fn service(self) -> Option<&'static str> {
        Some(match self {
            Component::Prometheus => "prometheus",
            Component::Alertmanager => "alertmanager",
            Component::Grafana => "grafana",
            Component::Loki => "loki",
            Component::Jaeger | Component::JaegerAdmin => "jaeger",
            Component::NodeExporter => "node-exporter",
            Component::Cadvisor => "cadvisor",
            Component::Pushgateway => "pushgateway",
            Component::Connector | Component::Horizon => return None,
        })
    }

    /// Parse a user-typed name (`node-exporter` and `node_exporter` both work).
    pub fn parse(s: &str) -> Option<Component> {
        let norm = s.trim().to_ascii_lowercase().replace('-', "_");
        Component::ALL.into_iter().find(|c| c.key() == norm)
    }
}

impl fmt::Display for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Where a component is, or that it is switched off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    Url(String),
    Off,
}

impl Endpoint {
    pub fn url(&self) -> Option<&str> {
        match self {
            Endpoint::Url(u) => Some(u),
            Endpoint::Off => None,
        }
    }
}

/// Horizon expectations.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HorizonSettings {
    #[serde(default = "default_passphrase")]
    pub network_passphrase: String,
    #[serde(default = "default_ledger_age")]
    pub max_ledger_age_seconds: u64,
}

fn default_passphrase() -> String {
    "Public Global Stellar Network ; September 2015".to_string()
}

fn default_ledger_age() -> u64 {
    60
}

impl Default for HorizonSettings {
    fn default() -> Self {
        HorizonSettings {
            network_passphrase: default_passphrase(),
            max_ledger_age_seconds: default_ledger_age(),
        }
    }
}

/// Host resource thresholds in percent (the seed's 80%).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    #[serde(default = "default_pct")]
    pub cpu_percent: f64,
    #[serde(default = "default_pct")]
    pub memory_percent: f64,
    #[serde(default = "default_pct")]
    pub disk_percent: f64,
}

fn default_pct() -> f64 {
    80.0
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { cpu_percent: 80.0, memory_percent: 80.0, disk_percent: 80.0 }
    }
}

/// `stellar-obs.yml` as written by `init`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsFile {
    #[serde(default)]
    pub project: Option<String>,
    #[serde(default)]
    pub endpoints: BTreeMap<String, String>,
    #[serde(default)]
    pub horizon: Option<HorizonSettings>,
    #[serde(default)]
    pub thresholds: Option<Thresholds>,
    /// Where every Prometheus sends its samples (settings/remote_write.rs).
    #[serde(default)]
    pub remote_write: Option<RemoteWrite>,
    /// `single` (default) or `ha` (written by `init --ha`).
    #[serde(default)]
    pub topology: Option<String>,
}

/// How the stack is laid out: one Prometheus and one Alertmanager on one Docker host
/// (Compose), or the highly available one (two Prometheus replicas, three Alertmanager
/// peers) that runs on Docker Swarm. `topology:` in `stellar-obs.yml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Topology {
    #[default]
    Single,
    Ha,
}

impl Topology {
    pub fn as_str(self) -> &'static str {
        match self {
            Topology::Single => "single",
            Topology::Ha => "ha",
        }
    }
}

/// How to authenticate to Grafana. Never from argv.
#[derive(Clone, PartialEq, Eq)]
pub enum GrafanaAuth {
    Token(String),
    Basic { user: String, password: String },
    None,
}

impl fmt::Debug for GrafanaAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GrafanaAuth::Token(_) => f.write_str("Token(***)"),
            GrafanaAuth::Basic { user, .. } => write!(f, "Basic({user}, ***)"),
            GrafanaAuth::None => f.write_str("None"),
        }
    }
}

/// Everything a command needs to know about where things are.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The stack directory.
    pub dir: PathBuf,
    /// The Compose project name.
    pub project: String,
    pub endpoints: BTreeMap<Component, Endpoint>,
    pub horizon: HorizonSettings,
    pub thresholds: Thresholds,
    /// `remote_write:` of `stellar-obs.yml`, checked.
    pub remote_write: Option<RemoteWrite>,
    /// Whether `stellar-obs.yml` was found and read.
    pub settings_file_found: bool,
    /// `--project NAME` when the project is not what a bare command in this stack directory
    /// would use (it came from `--project` or `STELLAR_OBS_PROJECT`); see [`Settings::command`].
    pub project_flag: Option<String>,
    /// Where the project name came from.
    pub project_source: ProjectSource,
    /// Where the stack directory came from.
    pub dir_source: DirSource,
    /// What the tool remembers about this stack ([`stack_dir::STATE_FILE`]).
    pub state: State,
    /// `topology:` in `stellar-obs.yml`.
    pub topology: Topology,
}

/// Where the Compose project name came from, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectSource {
    /// `--project` or `STELLAR_OBS_PROJECT`.
    Flag,
    /// `project:` in `stellar-obs.yml`.
    File,
    /// Adopted earlier: the stack's containers already ran under it (the state file).
    Adopted,
    /// From the stack directory's place ([`stack_dir::default_project`]).
    Derived,
}

/// Reads environment variables; a seam so tests need not touch the process environment.
pub trait Env {
    fn var(&self, name: &str) -> Option<String>;
}

/// The process environment.
#[derive(Debug, Default, Clone, Copy)]
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

/// A fixed environment (tests).
#[derive(Debug, Default, Clone)]
pub struct MapEnv(pub BTreeMap<String, String>);

impl Env for MapEnv {
    fn var(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }
}

impl Settings {
    /// Settings from the global flags and the process environment.
    /// Any error is a wrong request (exit 2, [`crate::outcome::UsageError`]): nothing has
    /// been done yet.
    pub fn load(g: &GlobalArgs) -> Result<Settings> {
        crate::outcome::as_usage(Self::load_with(g.dir.clone(), g.project.clone(), &ProcessEnv))
    }

    /// [`Settings::load`] for a command that needs the stack directory to exist: a `--dir`
    /// that does not is a wrong request, said with what to do (never probing defaults
    /// instead).
    pub fn load_existing(g: &GlobalArgs) -> Result<Settings> {
        let s = Self::load(g)?;
        if s.dir_source == DirSource::Flag && !s.dir.is_dir() {
            return Err(crate::outcome::usage(stack_dir::not_a_stack(
                &s.dir,
                &format!("stack directory {} not found", s.dir.display()),
            )));
        }
        Ok(s)
    }

    /// The stack directory a command uses: `--dir`/`STELLAR_OBS_DIR`, else the one found
    /// from the current directory ([`stack_dir::discover`]).
    pub fn resolve_dir(dir: Option<PathBuf>) -> (PathBuf, DirSource) {
        match dir {
            Some(d) => (d, DirSource::Flag),
            None => match std::env::current_dir() {
                Ok(cwd) => stack_dir::discover(&cwd),
                Err(_) => (PathBuf::from(DEFAULT_DIR), DirSource::Default),
            },
        }
    }

    /// Settings from an explicit directory, project flag and environment.
    pub fn load_with(
        dir: Option<PathBuf>,
        project: Option<String>,
        env: &dyn Env,
    ) -> Result<Settings> {
        let (dir, dir_source) = Self::resolve_dir(dir);
        if dir.exists() && !dir.is_dir() {
            bail!("the stack directory {} exists and is not a directory", dir.display());
        }
        let file_path = dir.join(SETTINGS_FILE);
        let (file, found) =
            match crate::fsutil::read_capped_string(&file_path, crate::yaml::MAX_FILE_BYTES) {
                Ok(text) => (parse_settings_file(&text, &file_path)?, true),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    (SettingsFile::default(), false)
                }
                Err(e) => {
                    return Err(e).with_context(|| format!("cannot read {}", file_path.display()));
                }
            };

        // The stack's .env decides the published ports; endpoints not named in
        // stellar-obs.yml follow it.
        let dotenv = env_file::read(&dir.join(".env")).unwrap_or_default();
        let bind = dotenv
            .get("STELLAR_OBS_BIND")
            .map(|b| b.trim().to_string())
            .filter(|b| !b.is_empty() && b != "0.0.0.0" && b != "::")
            .unwrap_or_else(|| "127.0.0.1".to_string());

        let mut endpoints = BTreeMap::new();
        for key in file.endpoints.keys() {
            if Component::parse(key).is_none() {
                bail!(
                    "{}: unknown endpoint `{key}`; known: {}",
                    file_path.display(),
                    Component::ALL.map(|c| c.key()).join(", ")
                );
            }
        }
        // Each explicit value with where it came from, for error messages.
        let explicit = |c: Component| {
            let from_file = file
                .endpoints
                .iter()
                .find(|(k, _)| Component::parse(k) == Some(c))
                .map(|(k, v)| (v.clone(), format!("{}: endpoints.{k}", file_path.display())));
            let from_env =
                env.var(&c.env_var()).filter(|v| !v.trim().is_empty()).map(|v| (v, c.env_var()));
            from_env.or(from_file)
        };
        for c in Component::ALL {
            let from_dotenv = c
                .port_var()
                .and_then(|v| dotenv.get(v))
                .filter(|p| p.trim().parse::<u16>().is_ok())
                .map(|p| (format!("http://{}:{}", url_host(&bind), p.trim()), ".env".to_string()));
            let (raw, source) = explicit(c)
                .or(from_dotenv)
                .unwrap_or_else(|| (c.default_url().to_string(), "the default".to_string()));
            endpoints.insert(c, parse_endpoint(c, &raw, &source)?);
        }
        // Jaeger's admin port follows an explicit jaeger override when not set itself: the
        // same host on port 14269, or off when jaeger is off.
        if explicit(Component::JaegerAdmin).is_none() && explicit(Component::Jaeger).is_some() {
            let admin = match endpoints.get(&Component::Jaeger) {
                Some(Endpoint::Url(u)) => jaeger_admin_for(u),
                _ => Endpoint::Off,
            };
            endpoints.insert(Component::JaegerAdmin, admin);
        }

        if let Some(rw) = &file.remote_write {
            rw.check(&format!("{}: remote_write", file_path.display()))?;
        }
        let topology = match file.topology.as_deref().map(str::trim) {
            None | Some("single") => Topology::Single,
            Some("ha") => Topology::Ha,
            Some(other) => bail!(
                "{}: topology: unknown value `{}`; known: single (one Docker host, Compose), ha (two Prometheus replicas and three Alertmanager peers on Docker Swarm)",
                file_path.display(),
                crate::output::terminal_safe(other, false)
            ),
        };

        let state = State::read(&dir);
        let (implied, implied_source) = match (&file.project, &state.project) {
            (Some(p), _) => (p.clone(), ProjectSource::File),
            (None, Some(p)) => (p.clone(), ProjectSource::Adopted),
            (None, None) => (stack_dir::default_project(&dir), ProjectSource::Derived),
        };
        let source = match (project.is_some(), implied_source) {
            (true, _) => "--project (or STELLAR_OBS_PROJECT)".to_string(),
            (false, ProjectSource::Adopted) => {
                format!("{}: project", dir.join(stack_dir::STATE_FILE).display())
            }
            (false, _) => format!("{}: project", file_path.display()),
        };
        let project_source = if project.is_some() { ProjectSource::Flag } else { implied_source };
        let project = project.unwrap_or_else(|| implied.clone());
        check_project_name(&project).with_context(|| source.clone())?;
        let project_flag = (project != implied).then(|| project.clone());

        Ok(Settings {
            dir,
            project,
            endpoints,
            horizon: file.horizon.unwrap_or_default(),
            thresholds: file.thresholds.unwrap_or_default(),
            remote_write: file.remote_write,
            settings_file_found: found,
            project_flag,
            project_source,
            dir_source,
            state,
            topology,
        })
    }

    /// A `stellar-obs` command line for this same stack that a user can copy and paste:
    /// `--dir` and `--project` are included when a bare command would not find them.
    /// `rest` is the subcommand and its arguments (`down --volumes --yes`).
    pub fn command(&self, rest: &str) -> String {
        let dir = (self.dir_source == DirSource::Flag).then_some(self.dir.as_path());
        command_for(dir, self.project_flag.as_deref(), rest)
    }

    /// Why `c` is left out by default: the last `up --services` did not start its service
    /// (a partial stack); `None` when it was started, or the whole stack was.
    pub fn not_started(&self, c: Component) -> Option<String> {
        let selected = self.state.services.as_ref()?;
        let service = c.service()?;
        // HA members (`prometheus-1`) count for their component.
        let member = |s: &str| {
            s.strip_prefix(service)
                .and_then(|r| r.strip_prefix('-'))
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        };
        if selected.iter().any(|s| s == service || member(s)) {
            return None;
        }
        Some(format!(
            "not started: the last `up --services` started only {} (`{}` starts the whole stack)",
            selected.join(", "),
            self.command("up")
        ))
    }

    pub fn endpoint(&self, c: Component) -> &Endpoint {
        self.endpoints.get(&c).unwrap_or(&Endpoint::Off)
    }

    /// The base URL of `c`, without a trailing slash, or `None` when it is off.
    pub fn url(&self, c: Component) -> Option<&str> {
        self.endpoint(c).url()
    }

    pub fn compose_file(&self) -> PathBuf {
        self.dir.join(COMPOSE_FILE)
    }

    pub fn env_file(&self) -> PathBuf {
        self.dir.join(".env")
    }

    /// Grafana credentials: GRAFANA_TOKEN, else GRAFANA_USER/GRAFANA_PASSWORD, else the
    /// admin user and password in the stack's `.env`.
    pub fn grafana_auth(&self, env: &dyn Env) -> Result<GrafanaAuth> {
        if let Some(t) = env.var("GRAFANA_TOKEN").filter(|t| !t.is_empty()) {
            return Ok(GrafanaAuth::Token(t));
        }
        let user = env.var("GRAFANA_USER").filter(|s| !s.is_empty());
        let password = env.var("GRAFANA_PASSWORD").filter(|s| !s.is_empty());
        if let Some(password) = password {
            return Ok(GrafanaAuth::Basic {
                user: user.unwrap_or_else(|| "admin".into()),
                password,
            });
        }
        let env_path = self.env_file();
        if env_path.exists() {
            let vars = env_file::read(&env_path)?;
            if let Some(password) = vars.get("GF_SECURITY_ADMIN_PASSWORD").filter(|p| !p.is_empty())
            {
                let file_user = vars.get("GRAFANA_ADMIN_USER").cloned();
                return Ok(GrafanaAuth::Basic {
                    user: user.or(file_user).unwrap_or_else(|| "admin".into()),
                    password: password.clone(),
                });
            }
        }
        Ok(GrafanaAuth::None)
    }
}

/// `stellar-obs [--dir DIR] [--project NAME] REST`, with `--dir` only when `dir` is given and
/// not the default, and shell quoting where a value needs it.
pub fn command_for(dir: Option<&Path>, project: Option<&str>, rest: &str) -> String {
    let mut s = String::from("stellar-obs");
    if let Some(dir) = dir.filter(|d| *d != Path::new(DEFAULT_DIR)) {
        s.push_str(" --dir ");
        s.push_str(&shell_quote(&dir.to_string_lossy()));
    }
    if let Some(p) = project {
        s.push_str(" --project ");
        s.push_str(&shell_quote(p));
    }
    if !rest.is_empty() {
        s.push(' ');
        s.push_str(rest);
    }
    s
}

pub fn parse_settings_file(text: &str, path: &Path) -> Result<SettingsFile> {
    serde_saphyr::from_str::<Option<SettingsFile>>(text).map(Option::unwrap_or_default).map_err(
        |e| {
            let loc =
                e.location().map(|l| format!(":{}:{}", l.line(), l.column())).unwrap_or_default();
            let msg = e.without_snippet().to_string();
            let first = msg.lines().next().unwrap_or("");
            // The position is already in front of the message.
            let first = match first.rfind(" at line ") {
                Some(i) if !loc.is_empty() && first[i..].contains(" column ") => &first[..i],
                _ => first,
            };
            // The parser's advice is for programmers ("set DuplicateKeyPolicy in Options").
            let first = first.split(", set DuplicateKeyPolicy").next().unwrap_or(first);
            anyhow::anyhow!("{}{loc}: {first}", path.display())
        },
    )
}

fn parse_endpoint(c: Component, raw: &str, source: &str) -> Result<Endpoint> {
    let v = raw.trim();
    if v.eq_ignore_ascii_case("off") {
        return Ok(Endpoint::Off);
    }
    match check_base_url(v) {
        Ok(u) => Ok(Endpoint::Url(u)),
        Err(why) => bail!("{source}: the {c} URL {why}; write it as http(s)://host:port, or `off`"),
    }
}

/// Check a component's base URL (`http(s)://host[:port][/prefix]`): the URL without a
/// trailing slash, or why it is not one, starting with the value (`` `x` is not a URL: ``).
pub fn check_base_url(v: &str) -> std::result::Result<String, String> {
    let v = v.trim();
    // `127.0.0.1:9090` does not parse, `localhost:9090` parses with the scheme `localhost`:
    // both lack `scheme://`.
    if !v.contains("://") && !v.contains(char::is_whitespace) && !v.is_empty() {
        return Err(format!("`{v}` has no scheme (did you mean http://{v}?)"));
    }
    let url = reqwest::Url::parse(v).map_err(|e| format!("`{v}` is not a URL: {e}"))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(format!("`{v}` is not http:// or https://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("`{v}` has no host"));
    }
    Ok(v.trim_end_matches('/').to_string())
}

/// Jaeger's admin endpoint next to its UI endpoint `ui`: same scheme and host, port 14269.
fn jaeger_admin_for(ui: &str) -> Endpoint {
    match reqwest::Url::parse(ui) {
        Ok(mut u) => {
            if u.set_port(Some(14269)).is_err() {
                return Endpoint::Url(Component::JaegerAdmin.default_url().to_string());
            }
            u.set_path("");
            Endpoint::Url(u.as_str().trim_end_matches('/').to_string())
        }
        Err(_) => Endpoint::Url(Component::JaegerAdmin.default_url().to_string()),
    }
}

fn url_host(bind: &str) -> String {
    if bind.contains(':') && !bind.starts_with('[') {
        format!("[{bind}]")
    } else {
        bind.to_string()
    }
}

fn check_project_name(p: &str) -> Result<()> {
    let ok = !p.is_empty()
        && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && p.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !ok {
        bail!(
            "`{p}` is not a valid Docker Compose project name: use lowercase letters, digits, '-' and '_', starting with a letter or digit"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> MapEnv {
        MapEnv(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn defaults_without_a_settings_file() {
        let d = tempfile::tempdir().expect("tmp");
        let s = Settings::load_with(Some(d.path().into()), None, &env(&[])).expect("loads");
        assert_eq!(s.project, stack_dir::default_project(d.path()));
        assert_eq!(s.project_source, ProjectSource::Derived);
        assert!(!s.settings_file_found);
        // A project adopted earlier (the state file) wins over the derived name, the
        // settings file over both.
        State { project: Some("stellar-obs".into()), services: None, volumes: None }
            .write(d.path())
            .expect("state");
        let s = Settings::load_with(Some(d.path().into()), None, &env(&[])).expect("loads");
        assert_eq!((s.project.as_str(), s.project_source), ("stellar-obs", ProjectSource::Adopted));
        assert_eq!(s.project_flag, None);
        std::fs::write(d.path().join(SETTINGS_FILE), "project: mine\n").expect("w");
        let s = Settings::load_with(Some(d.path().into()), None, &env(&[])).expect("loads");
        assert_eq!((s.project.as_str(), s.project_source), ("mine", ProjectSource::File));
        assert_eq!(s.url(Component::Prometheus), Some("http://127.0.0.1:9090"));
        assert_eq!(s.url(Component::Horizon), Some("https://horizon.stellar.org"));
    }

    #[test]
    fn env_overrides_file_and_off_disables() {
        let d = tempfile::tempdir().expect("tmp");
        std::fs::write(
            d.path().join(SETTINGS_FILE),
            "project: mystack\nendpoints:\n  prometheus: http://10.0.0.1:9090/\n  loki: http://127.0.0.1:3101\n",
        )
        .expect("write");
        let e = env(&[
            ("STELLAR_OBS_PROMETHEUS_URL", "http://127.0.0.1:19090"),
            ("STELLAR_OBS_HORIZON_URL", "off"),
        ]);
        let s = Settings::load_with(Some(d.path().into()), None, &e).expect("loads");
        assert_eq!(s.project, "mystack");
        assert_eq!(s.url(Component::Prometheus), Some("http://127.0.0.1:19090"));
        assert_eq!(s.url(Component::Loki), Some("http://127.0.0.1:3101"));
        assert_eq!(s.endpoint(Component::Horizon), &Endpoint::Off);
    }

    #[test]
    fn dotenv_ports_decide_unnamed_stack_endpoints() {
        let d = tempfile::tempdir().expect("tmp");
        std::fs::write(
            d.path().join(".env"),
            "PROMETHEUS_PORT=19090\nSTELLAR_OBS_BIND=0.0.0.0\nGRAFANA_PORT=13000\n",
        )
        .expect("w");
        std::fs::write(
            d.path().join(SETTINGS_FILE),
            "endpoints:\n  grafana: http://grafana.internal:3000\n",
        )
        .expect("w");
        let s = Settings::load_with(Some(d.path().into()), None, &env(&[])).expect("loads");
        assert_eq!(s.url(Component::Prometheus), Some("http://127.0.0.1:19090"));
        assert_eq!(
            s.url(Component::Grafana),
            Some("http://grafana.internal:3000"),
            "file wins over .env"
        );
        assert_eq!(s.url(Component::Alertmanager), Some("http://127.0.0.1:9093"));
    }

    #[test]
    fn bad_settings_file_names_file_and_line() {
        let d = tempfile::tempdir().expect("tmp");
        std::fs::write(d.path().join(SETTINGS_FILE), "endpoints:\n  prometheus: [1\n").expect("w");
        let err = Settings::load_with(Some(d.path().into()), None, &env(&[])).expect_err("bad");
        let msg = format!("{err:#}");
        assert!(msg.contains("stellar-obs.yml:2:15: "), "{msg}");
        assert!(!msg.contains(" at line "), "the position is said once: {msg}");
    }

    #[test]
    fn unknown_endpoint_and_bad_url_are_errors() {
        let d = tempfile::tempdir().expect("tmp");
        std::fs::write(d.path().join(SETTINGS_FILE), "endpoints:\n  promethus: http://x\n")
            .expect("w");
        let err = Settings::load_with(Some(d.path().into()), None, &env(&[])).expect_err("bad");
        assert!(format!("{err:#}").contains("unknown endpoint `promethus`"));
        let e = env(&[("STELLAR_OBS_GRAFANA_URL", "not a url")]);
        let d2 = tempfile::tempdir().expect("tmp");
        let err = Settings::load_with(Some(d2.path().into()), None, &e).expect_err("bad");
        assert!(format!("{err:#}").contains("STELLAR_OBS_GRAFANA_URL"));
    }

    #[test]
    fn bad_urls_say_where_they_come_from_and_what_is_wrong() {
        let load = |file: &str, pairs: &[(&str, &str)]| {
            let d = tempfile::tempdir().expect("tmp");
            if !file.is_empty() {
                std::fs::write(d.path().join(SETTINGS_FILE), file).expect("w");
            }
            let r = Settings::load_with(Some(d.path().into()), None, &env(pairs));
            r.map(|_| ())
                .map_err(|e| format!("{e:#}").replace(&d.path().display().to_string(), "D"))
        };
        assert_eq!(
            load("", &[("STELLAR_OBS_PROMETHEUS_URL", "127.0.0.1:9090")]).expect_err("no scheme"),
            "STELLAR_OBS_PROMETHEUS_URL: the prometheus URL `127.0.0.1:9090` has no scheme (did you mean http://127.0.0.1:9090?); write it as http(s)://host:port, or `off`"
        );
        assert_eq!(
            load("", &[("STELLAR_OBS_LOKI_URL", "localhost:3100")]).expect_err("no scheme"),
            "STELLAR_OBS_LOKI_URL: the loki URL `localhost:3100` has no scheme (did you mean http://localhost:3100?); write it as http(s)://host:port, or `off`"
        );
        assert_eq!(
            load("endpoints:\n  grafana: ftp://g\n", &[]).expect_err("scheme"),
            "D/stellar-obs.yml: endpoints.grafana: the grafana URL `ftp://g` is not http:// or https://; write it as http(s)://host:port, or `off`"
        );
        let port = load("", &[("STELLAR_OBS_PUSHGATEWAY_URL", "http://h:99999")]).expect_err("p");
        assert!(port.contains("`http://h:99999` is not a URL: invalid port number"), "{port}");
        assert!(load("", &[("STELLAR_OBS_HORIZON_URL", "OFF")]).is_ok());
        assert_eq!(check_base_url(" https://h:1/p/ "), Ok("https://h:1/p".to_string()));
    }

    #[test]
    fn project_names_are_checked() {
        let d = tempfile::tempdir().expect("tmp");
        let err = Settings::load_with(Some(d.path().into()), Some("My Stack".into()), &env(&[]))
            .expect_err("bad");
        assert!(format!("{err:#}").starts_with("--project (or STELLAR_OBS_PROJECT): `My Stack` is not a valid Docker Compose project name"), "{err:#}");
        std::fs::write(d.path().join(SETTINGS_FILE), "project: Ops\n").expect("w");
        let err = Settings::load_with(Some(d.path().into()), None, &env(&[])).expect_err("bad");
        assert!(
            format!("{err:#}").contains("stellar-obs.yml: project: `Ops` is not a valid"),
            "{err:#}"
        );
        std::fs::write(
            d.path().join(SETTINGS_FILE),
            "endpoints:\n  loki: http://a\n  loki: http://b\n",
        )
        .expect("w");
        let err = Settings::load_with(Some(d.path().into()), None, &env(&[])).expect_err("dup");
        assert!(
            format!("{err:#}").ends_with("stellar-obs.yml:3:3: duplicate mapping key: loki"),
            "{err:#}"
        );
    }

    #[test]
    fn grafana_auth_order() {
        let d = tempfile::tempdir().expect("tmp");
        std::fs::write(d.path().join(".env"), "GF_SECURITY_ADMIN_PASSWORD=fromfile\n").expect("w");
        let s = Settings::load_with(Some(d.path().into()), None, &env(&[])).expect("loads");
        assert_eq!(
            s.grafana_auth(&env(&[])).expect("auth"),
            GrafanaAuth::Basic { user: "admin".into(), password: "fromfile".into() }
        );
        assert_eq!(
            s.grafana_auth(&env(&[("GRAFANA_USER", "u"), ("GRAFANA_PASSWORD", "p")])).expect("a"),
            GrafanaAuth::Basic { user: "u".into(), password: "p".into() }
        );
        assert_eq!(
            s.grafana_auth(&env(&[("GRAFANA_TOKEN", "glsa_x"), ("GRAFANA_PASSWORD", "p")]))
                .expect("a"),
            GrafanaAuth::Token("glsa_x".into())
        );
        assert_eq!(format!("{:?}", GrafanaAuth::Token("secret".into())), "Token(***)");
    }

    #[test]
    fn jaeger_admin_follows_an_explicit_jaeger() {
        let d = tempfile::tempdir().expect("tmp");
        let e = env(&[("STELLAR_OBS_JAEGER_URL", "http://10.1.2.3:16686")]);
        let s = Settings::load_with(Some(d.path().into()), None, &e).expect("loads");
        assert_eq!(s.url(Component::JaegerAdmin), Some("http://10.1.2.3:14269"));
        let e = env(&[("STELLAR_OBS_JAEGER_URL", "off")]);
        let s = Settings::load_with(Some(d.path().into()), None, &e).expect("loads");
        assert_eq!(s.endpoint(Component::JaegerAdmin), &Endpoint::Off);
        let e = env(&[
            ("STELLAR_OBS_JAEGER_URL", "http://10.1.2.3:16686"),
            ("STELLAR_OBS_JAEGER_ADMIN_URL", "http://10.1.2.3:13133"),
        ]);
        let s = Settings::load_with(Some(d.path().into()), None, &e).expect("loads");
        assert_eq!(s.url(Component::JaegerAdmin), Some("http://10.1.2.3:13133"));
        let s = Settings::load_with(Some(d.path().into()), None, &env(&[])).expect("loads");
        assert_eq!(s.url(Component::JaegerAdmin), Some("http://127.0.0.1:14269"));
    }

    #[test]
    fn suggested_commands_name_the_same_stack() {
        let e = env(&[]);
        let s = Settings::load_with(Some(DEFAULT_DIR.into()), None, &e).expect("loads");
        assert_eq!(s.command("down --volumes --yes"), "stellar-obs down --volumes --yes");
        let d = tempfile::tempdir().expect("tmp");
        let spaced = d.path().join("my stack");
        let s = Settings::load_with(Some(spaced.clone()), Some("ops".into()), &e).expect("loads");
        assert_eq!(
            s.command("status"),
            format!("stellar-obs --dir '{}' --project ops status", spaced.display())
        );
        // The project stellar-obs.yml names needs no flag; another one does.
        std::fs::write(d.path().join(SETTINGS_FILE), "project: mystack\n").expect("w");
        let s = Settings::load_with(Some(d.path().into()), None, &e).expect("loads");
        assert_eq!(s.project_flag, None);
        let s = Settings::load_with(Some(d.path().into()), Some("mystack".into()), &e).expect("l");
        assert_eq!(s.project_flag, None);
        let s = Settings::load_with(Some(d.path().into()), Some("other".into()), &e).expect("l");
        assert!(s.command("up").ends_with(" --project other up"), "{}", s.command("up"));
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
    }

    #[test]
    fn a_partial_stack_leaves_out_what_was_not_started() {
        let d = tempfile::tempdir().expect("tmp");
        let s = Settings::load_with(Some(d.path().into()), None, &env(&[])).expect("loads");
        assert_eq!(s.not_started(Component::Grafana), None, "whole stack: nothing left out");
        State {
            project: None,
            services: Some(vec!["pushgateway".into(), "jaeger".into()]),
            volumes: None,
        }
        .write(d.path())
        .expect("state");
        let s = Settings::load_with(Some(d.path().into()), None, &env(&[])).expect("loads");
        let why = s.not_started(Component::Grafana).expect("left out");
        assert!(
            why.starts_with(
                "not started: the last `up --services` started only pushgateway, jaeger"
            ),
            "{why}"
        );
        assert_eq!(s.not_started(Component::Pushgateway), None);
        assert_eq!(s.not_started(Component::JaegerAdmin), None, "jaeger's admin port is jaeger");
        assert_eq!(s.not_started(Component::Horizon), None, "not a service of the stack");
    }

    #[test]
    fn component_names() {
        assert_eq!(Component::parse("node-exporter"), Some(Component::NodeExporter));
        assert_eq!(Component::NodeExporter.env_var(), "STELLAR_OBS_NODE_EXPORTER_URL");
        assert_eq!(Component::parse("nope"), None);
    }
}
