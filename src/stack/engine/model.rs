//! What the engine prints, parsed: containers (`ps`), the resolved compose file
//! (`config`), volumes (`volume ls`, `system df`), start times (`inspect`).

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::stack::ownership;

/// A published port of a container (`ps` → `Publishers`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Publisher {
    #[serde(rename = "URL", default)]
    pub url: String,
    #[serde(rename = "TargetPort", default)]
    pub target_port: u16,
    #[serde(rename = "PublishedPort", default)]
    pub published_port: u16,
    #[serde(rename = "Protocol", default)]
    pub protocol: String,
}

/// One container as `ps -a --format json` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Container {
    #[serde(rename = "ID", default)]
    pub id: String,
    #[serde(rename = "Name", default)]
    pub name: String,
    #[serde(rename = "Service", default)]
    pub service: String,
    #[serde(rename = "Image", default)]
    pub image: String,
    /// `running`, `exited`, `created`, `restarting`, `paused`, `dead`, `removing`.
    #[serde(rename = "State", default)]
    pub state: String,
    /// `healthy`, `unhealthy`, `starting`, or empty without a healthcheck.
    #[serde(rename = "Health", default)]
    pub health: String,
    #[serde(rename = "ExitCode", default)]
    pub exit_code: i64,
    /// Docker's own summary (`Up 5 minutes (healthy)`).
    #[serde(rename = "Status", default)]
    pub status: String,
    #[serde(rename = "Publishers", default, deserialize_with = "null_as_empty")]
    pub publishers: Vec<Publisher>,
    /// Docker's `k=v,k=v` label text.
    #[serde(rename = "Labels", default)]
    pub labels: String,
    /// The Swarm node that runs the task (empty on Compose).
    #[serde(skip)]
    pub node: String,
    /// The service's replicas running/desired (`1/1`; empty on Compose).
    #[serde(skip)]
    pub replicas: String,
}

impl Container {
    /// The value of label `key`. Docker joins labels with commas without escaping them, so a
    /// value runs up to the next `,key=` whose key has a dot (as `com.docker.compose.*` and
    /// other namespaced keys do): a path with a comma in it is still read whole.
    pub fn label(&self, key: &str) -> Option<String> {
        let text = self.labels.as_str();
        let mut starts = vec![0];
        for (i, _) in text.match_indices(',') {
            let rest = &text[i + 1..];
            let k = rest.split('=').next().unwrap_or("");
            let keyish = rest.contains('=')
                && k.contains('.')
                && k.chars().all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c));
            if keyish {
                starts.push(i + 1);
            }
        }
        starts.push(text.len() + 1);
        starts.windows(2).find_map(|w| {
            let item = &text[w[0]..w[1] - 1];
            let (k, v) = item.split_once('=')?;
            (k == key).then(|| v.to_string())
        })
    }

    pub fn is_running(&self) -> bool {
        self.state == "running"
    }

    /// Running, and healthy if it has a healthcheck.
    pub fn is_ready(&self) -> bool {
        self.is_running() && (self.health.is_empty() || self.health == "healthy")
    }

    /// Published ports as `127.0.0.1:9090->9090/tcp`, deduplicated (IPv4 and IPv6 bindings
    /// of the same port are one entry when the address is the wildcard).
    pub fn ports(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in &self.publishers {
            if p.published_port == 0 {
                continue;
            }
            let addr = match p.url.as_str() {
                "" | "0.0.0.0" | "::" => "0.0.0.0".to_string(),
                a if a.contains(':') => format!("[{a}]"),
                a => a.to_string(),
            };
            let proto = if p.protocol.is_empty() { "tcp" } else { p.protocol.as_str() };
            let s = format!("{addr}:{}->{}/{proto}", p.published_port, p.target_port);
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }
}

impl ownership::Owned for Container {
    fn service(&self) -> &str {
        &self.service
    }

    fn label(&self, key: &str) -> Option<String> {
        Container::label(self, key)
    }
}

fn null_as_empty<'de, D, T>(d: D) -> std::result::Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Parse `ps --format json`: a JSON array (Compose before 2.21) or one object per line
/// (2.21 and later); empty output means no containers.
pub fn parse_ps(stdout: &str) -> Result<Vec<Container>> {
    let t = stdout.trim();
    if t.is_empty() {
        return Ok(Vec::new());
    }
    if t.starts_with('[') {
        return serde_json::from_str(t).context("cannot read `compose ps` JSON (array form)");
    }
    t.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l)
                .with_context(|| format!("cannot read line {} of `compose ps` JSON", i + 1))
        })
        .collect()
}

/// A service as `config --format json` resolves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceSpec {
    pub name: String,
    pub image: String,
    /// Services it depends on (`depends_on`).
    pub depends_on: Vec<String>,
    /// Named volumes: (volume key in the file, full Docker volume name, target path).
    pub volumes: Vec<VolumeMount>,
    /// Whether it has a healthcheck (not disabled).
    pub healthcheck: bool,
}

/// A named volume mounted into a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VolumeMount {
    /// The key under top-level `volumes:` (e.g. `prometheus_data`).
    pub key: String,
    /// The Docker volume's name (e.g. `stellar-obs_prometheus_data`).
    pub name: String,
    /// Where it is mounted in the container (e.g. `/prometheus`).
    pub target: String,
}

/// The resolved compose file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectSpec {
    /// Services sorted by name.
    pub services: Vec<ServiceSpec>,
}

impl ProjectSpec {
    pub fn get(&self, name: &str) -> Option<&ServiceSpec> {
        self.services.iter().find(|s| s.name == name)
    }

    pub fn names(&self) -> Vec<String> {
        self.services.iter().map(|s| s.name.clone()).collect()
    }

    /// `services` and everything they depend on, transitively, sorted. Unknown names are an
    /// error that lists the known ones.
    pub fn with_dependencies(&self, services: &[String]) -> Result<Vec<String>> {
        self.check_names(services)?;
        let mut out: Vec<String> = Vec::new();
        let mut todo: Vec<String> = services.to_vec();
        while let Some(s) = todo.pop() {
            if out.contains(&s) {
                continue;
            }
            if let Some(spec) = self.get(&s) {
                todo.extend(spec.depends_on.iter().cloned());
            }
            out.push(s);
        }
        out.sort();
        Ok(out)
    }

    /// Fail with the list of known services when a name is not one of them.
    pub fn check_names(&self, services: &[String]) -> Result<()> {
        let unknown: Vec<&String> = services.iter().filter(|s| self.get(s).is_none()).collect();
        if !unknown.is_empty() {
            let list = unknown.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
            let names = self.names();
            let known: Vec<&str> = names.iter().map(String::as_str).collect();
            let hint = match unknown.as_slice() {
                [one] => crate::suggest::did_you_mean(one, &known)
                    .map(|k| format!(" (did you mean `{k}`?)"))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            return Err(crate::outcome::usage(format!(
                "unknown service {list}{hint}: the compose file has {}",
                names.join(", ")
            )));
        }
        Ok(())
    }
}

/// Parse `config --format json`.
pub fn parse_config(stdout: &str) -> Result<ProjectSpec> {
    let v: serde_json::Value =
        serde_json::from_str(stdout.trim()).context("cannot read `compose config` JSON")?;
    let volume_names: BTreeMap<String, String> = v
        .get("volumes")
        .and_then(|x| x.as_object())
        .map(|m| {
            m.iter()
                .map(|(k, val)| {
                    let name = val
                        .get("name")
                        .and_then(|n| n.as_str())
                        .map(str::to_string)
                        .unwrap_or_else(|| k.clone());
                    (k.clone(), name)
                })
                .collect()
        })
        .unwrap_or_default();
    let mut services = Vec::new();
    if let Some(map) = v.get("services").and_then(|s| s.as_object()) {
        for (name, s) in map {
            let depends_on = match s.get("depends_on") {
                Some(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
                Some(serde_json::Value::Array(a)) => {
                    a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()
                }
                _ => Vec::new(),
            };
            let volumes = s
                .get("volumes")
                .and_then(|x| x.as_array())
                .map(|a| {
                    a.iter()
                        .filter(|m| m.get("type").and_then(|t| t.as_str()) == Some("volume"))
                        .filter_map(|m| {
                            let key = m.get("source")?.as_str()?.to_string();
                            let target = m.get("target")?.as_str()?.to_string();
                            let name = volume_names.get(&key).cloned().unwrap_or(key.clone());
                            Some(VolumeMount { key, name, target })
                        })
                        .collect()
                })
                .unwrap_or_default();
            let healthcheck = s.get("healthcheck").is_some_and(|h| {
                !h.get("disable").and_then(|d| d.as_bool()).unwrap_or(false)
                    && h.get("test")
                        .and_then(|t| t.as_array())
                        .is_none_or(|t| t.first().and_then(|x| x.as_str()) != Some("NONE"))
            });
            services.push(ServiceSpec {
                name: name.clone(),
                image: s.get("image").and_then(|i| i.as_str()).unwrap_or("").to_string(),
                depends_on,
                volumes,
                healthcheck,
            });
        }
    }
    services.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(ProjectSpec { services })
}

/// A Docker volume of the project, with its size when the engine reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VolumeInfo {
    pub name: String,
    /// The key in the compose file (`com.docker.compose.volume` label).
    pub key: String,
    /// As Docker prints it (`57.2kB`), `unknown` when it could not be measured.
    pub size: String,
    /// The same in bytes, when known.
    pub bytes: Option<u64>,
}

/// `57.2kB`, `1.3GB`, `0B`, `12.5MiB` → bytes (Docker prints decimal units).
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let i = s.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (num, unit) = s.split_at(i);
    let n: f64 = num.parse().ok()?;
    let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "tb" => 1e12,
        "pb" => 1e15,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        "tib" => 1024f64.powi(4),
        _ => return None,
    };
    Some((n * mult).round() as u64)
}

/// Parse JSON lines (`--format '{{json .}}'`) into values, skipping blank lines.
fn json_lines(stdout: &str) -> Result<Vec<serde_json::Value>> {
    let t = stdout.trim();
    if t.starts_with('[') {
        let v: Vec<serde_json::Value> = serde_json::from_str(t)?;
        return Ok(v);
    }
    t.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).map_err(Into::into))
        .collect()
}

/// Labels come as an object (inspect) or as `k=v,k=v` text (`ls`).
fn label(v: &serde_json::Value, key: &str) -> Option<String> {
    match v.get("Labels")? {
        serde_json::Value::Object(m) => m.get(key)?.as_str().map(str::to_string),
        serde_json::Value::String(s) => s.split(',').find_map(|kv| {
            let (k, val) = kv.split_once('=')?;
            (k == key).then(|| val.to_string())
        }),
        _ => None,
    }
}

/// Parse `volume ls --format '{{json .}}'` and `system df -v --format '{{json .}}'`.
pub fn parse_volumes(ls: &str, df: Option<&str>) -> Result<Vec<VolumeInfo>> {
    let mut sizes: BTreeMap<String, String> = BTreeMap::new();
    if let Some(df) = df
        && let Ok(docs) = json_lines(df)
    {
        for d in docs {
            if let Some(vols) = d.get("Volumes").and_then(|v| v.as_array()) {
                for v in vols {
                    if let (Some(n), Some(s)) = (
                        v.get("Name").and_then(|x| x.as_str()),
                        v.get("Size").and_then(|x| x.as_str()),
                    ) {
                        sizes.insert(n.to_string(), s.to_string());
                    }
                }
            }
        }
    }
    let mut out: Vec<VolumeInfo> = json_lines(ls)
        .context("cannot read `volume ls` JSON")?
        .iter()
        .filter_map(|v| {
            let name = v.get("Name")?.as_str()?.to_string();
            let key = label(v, "com.docker.compose.volume").unwrap_or_else(|| name.clone());
            let size = sizes.get(&name).cloned().unwrap_or_else(|| "unknown".into());
            let bytes = parse_size(&size);
            Some(VolumeInfo { name, key, size, bytes })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// `State.StartedAt` of containers from `inspect` JSON: id → RFC 3339 start time.
pub fn parse_started(inspect: &str) -> BTreeMap<String, String> {
    let Ok(v) = serde_json::from_str::<Vec<serde_json::Value>>(inspect.trim()) else {
        return BTreeMap::new();
    };
    v.iter()
        .filter_map(|c| {
            let id = c.get("Id")?.as_str()?.to_string();
            let started = c.get("State")?.get("StartedAt")?.as_str()?.to_string();
            Some((id, started))
        })
        .collect()
}
