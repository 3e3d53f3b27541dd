//! The Swarm stack file, derived from the stack's own compose file as Compose resolves it
//! (`docker compose config --format json`: `.env` applied, paths absolute), so Compose and
//! Swarm run the same images, commands, healthchecks and limits.
//!
//! What changes for Swarm:
//! - `deploy`: node-exporter and cAdvisor run in global mode (one per node), every other
//!   service is replicated; a restart policy replaces `restart:`; each service is labelled
//!   with the stack directory (`org.stellar-obs.working-dir`), as Compose labels containers;
//! - the HA topology: `prometheus` becomes `prometheus-1`/`prometheus-2` (each its own data
//!   volume, its name in [`ha::REPLICA_ENV`]), `alertmanager` becomes three peers that
//!   gossip on port 9094 (TCP and UDP) over the overlay network, each advertising its
//!   overlay address explicitly (Alertmanager would otherwise pick the `docker_gwbridge`
//!   address, which other tasks cannot reach); both groups keep their old name as a network
//!   alias, so Grafana's datasources still resolve;
//! - configuration bind-mounted from the stack directory becomes Docker configs (one per
//!   file, named after its content so a change rolls the service), and
//!   `alerting/secrets/` becomes Docker secrets: nodes need no copy of the stack directory;
//! - published ports use `mode: host` (reachable on the node that runs the task, no ingress
//!   mesh); Swarm cannot bind a published port to one address, so `STELLAR_OBS_BIND` does
//!   not apply and a firewall must guard the ports;
//! - `depends_on`, `container_name`, `restart` and `security_opt` are dropped (Swarm ignores
//!   or refuses them); one overlay network replaces the bridge.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::ha;

/// The label that records which stack directory made a Swarm service.
pub const WORKING_DIR_LABEL: &str = "org.stellar-obs.working-dir";
/// The overlay network.
pub const NETWORK: &str = "observability";
/// Services that run once per node.
pub const GLOBAL_SERVICES: [&str; 2] = ["node-exporter", "cadvisor"];
/// Docker refuses configs and secrets above 500 KiB.
pub const MAX_CONFIG_BYTES: u64 = 500 * 1024;

/// What the derivation needs besides the resolved compose file.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    /// The stack's name (the project name).
    pub stack: &'a str,
    /// The stack directory, absolute.
    pub dir: &'a Path,
    /// The stack's `.env` (the HA members' ports).
    pub dotenv: &'a BTreeMap<String, String>,
    /// Services to deploy, by their Swarm names; `None`: all.
    pub selected: Option<&'a [String]>,
    /// Each image's `ENTRYPOINT` (Alertmanager's, to wrap it).
    pub entrypoints: &'a BTreeMap<String, Vec<String>>,
    pub ha: bool,
}

/// The derived stack file.
#[derive(Debug, Clone)]
pub struct StackFile {
    pub doc: Value,
    /// The services it deploys, sorted.
    pub services: Vec<String>,
}

/// The Swarm names of a compose service.
fn swarm_names(service: &str, ha: bool) -> Vec<String> {
    let members = if ha { ha::members_of(service) } else { &[] };
    if members.is_empty() {
        vec![service.to_string()]
    } else {
        members.iter().map(|m| m.service.to_string()).collect()
    }
}

/// Every service name the stack file would have, sorted.
pub fn all_names(config: &Value, ha: bool) -> Vec<String> {
    let mut v: Vec<String> = config
        .get("services")
        .and_then(Value::as_object)
        .map(|m| m.keys().flat_map(|k| swarm_names(k, ha)).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn short_hash(bytes: &[u8]) -> String {
    hex::encode(&Sha256::digest(bytes)[..4])
}

/// A Docker object name from parts: `[a-zA-Z0-9_.-]`, at most 64 characters, the hash kept.
fn object_name(stack: &str, what: &str, hash: &str) -> String {
    let clean: String = format!("{stack}_{what}")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || "_.-".contains(c) { c } else { '_' })
        .collect();
    let keep = 64 - hash.len() - 1;
    let head: String = clean.chars().take(keep).collect();
    format!("{head}_{hash}")
}

/// The files a configuration directory contributes: everything but hidden files, READMEs
/// and `tests/` folders (rule and routing tests are not read by the servers).
fn config_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).with_context(|| format!("cannot read {}", d.display()))?;
        for e in entries {
            let e = e.with_context(|| format!("cannot read {}", d.display()))?;
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name.to_ascii_lowercase().starts_with("readme") {
                continue;
            }
            let ft = e.file_type().with_context(|| format!("cannot read {}", d.display()))?;
            if ft.is_dir() {
                if name != "tests" {
                    stack.push(e.path());
                }
            } else if ft.is_file() {
                out.push(e.path());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Docker configs and secrets collected while converting services.
#[derive(Default)]
struct Objects {
    configs: Map<String, Value>,
    secrets: Map<String, Value>,
}

impl Objects {
    /// Mount every file under the bind mount `source` (a file or a folder of the stack
    /// directory) at the same place under `target`, as configs (or secrets).
    fn mount(
        &mut self,
        stack: &str,
        dir: &Path,
        source: &Path,
        target: &str,
        secret: bool,
    ) -> Result<Vec<Value>> {
        let files = if source.is_dir() { config_files(source)? } else { vec![source.into()] };
        let mut refs = Vec::new();
        for f in files {
            if !secret && is_secret_source(&f, dir) {
                continue;
            }
            let meta =
                std::fs::metadata(&f).with_context(|| format!("cannot read {}", f.display()))?;
            if meta.len() > MAX_CONFIG_BYTES {
                bail!(
                    "{} is {} bytes; Docker configs and secrets hold at most {MAX_CONFIG_BYTES} bytes, so it cannot go to Swarm as one (keep it smaller, or mount it from a volume)",
                    f.display(),
                    meta.len()
                );
            }
            let bytes =
                std::fs::read(&f).with_context(|| format!("cannot read {}", f.display()))?;
            let hash = short_hash(&bytes);
            let rel = f.strip_prefix(source).unwrap_or(Path::new(""));
            let in_stack = f.strip_prefix(dir).unwrap_or(&f).display().to_string();
            let key = object_name("", &in_stack, &hash).trim_start_matches('_').to_string();
            let name = object_name(stack, &in_stack, &hash);
            let target = if rel.as_os_str().is_empty() {
                target.to_string()
            } else {
                format!("{}/{}", target.trim_end_matches('/'), rel.display())
            };
            let def = json!({"name": name, "file": f.display().to_string()});
            if secret {
                self.secrets.insert(key.clone(), def);
            } else {
                self.configs.insert(key.clone(), def);
            }
            refs.push(json!({"source": key, "target": target, "mode": 0o444}));
        }
        Ok(refs)
    }
}

/// Whether a bind mount's source is the alerting secrets folder (or a file in it).
fn is_secret_source(source: &Path, dir: &Path) -> bool {
    source.starts_with(dir.join("alerting").join("secrets"))
}

/// `["a:b"]` or `{"a": "b"}` → `["a:b"]`.
fn extra_hosts(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Array(
            m.iter()
                .map(|(k, v)| {
                    let ip = match v {
                        Value::Array(a) => a.first().and_then(Value::as_str).unwrap_or(""),
                        other => other.as_str().unwrap_or(""),
                    };
                    Value::String(format!("{k}:{ip}"))
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The `$` of a value Swarm would interpolate, escaped.
fn literal(s: &str) -> String {
    s.replace('$', "$$")
}

/// One compose service as a Swarm service (before the HA changes).
fn convert(
    name: &str,
    svc: &Value,
    opts: &Options,
    objects: &mut Objects,
    volumes: &mut Map<String, Value>,
) -> Result<Map<String, Value>> {
    let mut out = Map::new();
    for key in [
        "image",
        "command",
        "entrypoint",
        "environment",
        "healthcheck",
        "stop_grace_period",
        "logging",
        "user",
        "working_dir",
    ] {
        if let Some(v) = svc.get(key).filter(|v| !v.is_null()) {
            let v = match v {
                Value::Array(a) => Value::Array(
                    a.iter()
                        .map(|x| x.as_str().map(|s| Value::String(literal(s))).unwrap_or(x.clone()))
                        .collect(),
                ),
                Value::String(s) => Value::String(literal(s)),
                Value::Object(m) if key == "environment" => Value::Object(
                    m.iter()
                        .map(|(k, v)| {
                            (
                                k.clone(),
                                v.as_str().map(|s| Value::String(literal(s))).unwrap_or(v.clone()),
                            )
                        })
                        .collect(),
                ),
                other => other.clone(),
            };
            out.insert(key.into(), v);
        }
    }
    if let Some(h) = svc.get("extra_hosts").filter(|v| !v.is_null()) {
        out.insert("extra_hosts".into(), extra_hosts(h));
    }
    let mut ports = Vec::new();
    for p in svc.get("ports").and_then(Value::as_array).into_iter().flatten() {
        let target = p.get("target").and_then(Value::as_u64).unwrap_or(0);
        let published = match p.get("published") {
            Some(Value::String(s)) => s.parse::<u64>().ok(),
            Some(Value::Number(n)) => n.as_u64(),
            _ => None,
        };
        let mut port = json!({"target": target, "protocol": p.get("protocol").and_then(Value::as_str).unwrap_or("tcp"), "mode": "host"});
        if let Some(pb) = published {
            port["published"] = json!(pb);
        }
        ports.push(port);
    }
    if !ports.is_empty() {
        out.insert("ports".into(), Value::Array(ports));
    }
    let mut mounts = Vec::new();
    let mut configs = Vec::new();
    let mut secrets = Vec::new();
    for m in svc.get("volumes").and_then(Value::as_array).into_iter().flatten() {
        let kind = m.get("type").and_then(Value::as_str).unwrap_or("");
        let source = m.get("source").and_then(Value::as_str).unwrap_or("");
        let target = m.get("target").and_then(Value::as_str).unwrap_or("");
        match kind {
            "volume" if !source.is_empty() => {
                volumes.insert(source.to_string(), json!({}));
                mounts.push(json!({"type": "volume", "source": source, "target": target}));
            }
            "bind" if Path::new(source).starts_with(opts.dir) => {
                let src = Path::new(source);
                if is_secret_source(src, opts.dir) {
                    secrets.extend(objects.mount(opts.stack, opts.dir, src, target, true)?);
                } else {
                    configs.extend(objects.mount(opts.stack, opts.dir, src, target, false)?);
                }
            }
            "bind" => {
                let ro = m.get("read_only").and_then(Value::as_bool).unwrap_or(false);
                mounts.push(
                    json!({"type": "bind", "source": source, "target": target, "read_only": ro}),
                );
            }
            "tmpfs" => mounts.push(json!({"type": "tmpfs", "target": target})),
            _ => {}
        }
    }
    if !mounts.is_empty() {
        out.insert("volumes".into(), Value::Array(mounts));
    }
    if !configs.is_empty() {
        out.insert("configs".into(), Value::Array(configs));
    }
    if !secrets.is_empty() {
        out.insert("secrets".into(), Value::Array(secrets));
    }
    out.insert("networks".into(), json!([NETWORK]));
    let mut deploy = Map::new();
    if GLOBAL_SERVICES.contains(&name) {
        deploy.insert("mode".into(), json!("global"));
    } else {
        deploy.insert("mode".into(), json!("replicated"));
        deploy.insert("replicas".into(), json!(1));
    }
    if let Some(mem) = svc.pointer("/deploy/resources/limits/memory") {
        deploy.insert("resources".into(), json!({"limits": {"memory": mem}}));
    }
    deploy.insert("restart_policy".into(), json!({"condition": "any", "delay": "5s"}));
    deploy.insert(
        "labels".into(),
        json!({ WORKING_DIR_LABEL: literal(&opts.dir.display().to_string()) }),
    );
    out.insert("deploy".into(), Value::Object(deploy));
    Ok(out)
}

/// Rename the named volumes of a member (`prometheus_data` → `prometheus_data_2`).
fn member_volumes(svc: &mut Map<String, Value>, n: usize, volumes: &mut Map<String, Value>) {
    if let Some(Value::Array(mounts)) = svc.get_mut("volumes") {
        for m in mounts.iter_mut() {
            if m.get("type").and_then(Value::as_str) == Some("volume")
                && let Some(src) = m.get("source").and_then(Value::as_str).map(str::to_string)
            {
                volumes.remove(&src);
                let name = format!("{src}_{n}");
                volumes.insert(name.clone(), json!({}));
                m["source"] = json!(name);
            }
        }
    }
}

fn set_published(svc: &mut Map<String, Value>, port: u16) {
    if let Some(Value::Array(ports)) = svc.get_mut("ports")
        && let Some(p) = ports.first_mut()
    {
        p["published"] = json!(port);
    }
}

fn args(svc: &Map<String, Value>) -> Vec<String> {
    svc.get("command")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// The shell line that starts Alertmanager advertising the task's overlay address (the
/// address its hostname has in `/etc/hosts`, which Docker writes for the first network).
pub fn advertise_script(entrypoint: &[String]) -> String {
    let bin: Vec<String> =
        entrypoint.iter().map(|a| format!("'{}'", a.replace('\'', "'\\''"))).collect();
    format!(
        "ip=$(grep -m1 \"$(cat /etc/hostname)\" /etc/hosts); ip=${{ip%%[[:space:]]*}}; if [ -n \"$ip\" ]; then set -- \"$@\" \"--cluster.advertise-address=$ip:{port}\"; fi; exec {bin} \"$@\"",
        port = ha::CLUSTER_PORT,
        bin = bin.join(" ")
    )
}

/// The stack file for `opts` from the resolved compose file.
pub fn derive(config: &Value, opts: &Options) -> Result<StackFile> {
    let Some(services) = config.get("services").and_then(Value::as_object) else {
        bail!("the resolved compose file has no services");
    };
    let all = all_names(config, opts.ha);
    if let Some(sel) = opts.selected {
        let unknown: Vec<&String> = sel.iter().filter(|s| !all.contains(s)).collect();
        if !unknown.is_empty() {
            bail!(
                "unknown service{} {}; the stack's services: {}",
                if unknown.len() == 1 { "" } else { "s" },
                unknown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
                all.join(", ")
            );
        }
    }
    let wanted = |n: &str| opts.selected.is_none_or(|s| s.iter().any(|x| x == n));
    let mut objects = Objects::default();
    let mut volumes = Map::new();
    let mut out = Map::new();
    for (name, svc) in services {
        let members = if opts.ha { ha::members_of(name) } else { &[] };
        if members.is_empty() {
            if wanted(name) {
                let s = convert(name, svc, opts, &mut objects, &mut volumes)?;
                out.insert(name.clone(), Value::Object(s));
            }
            continue;
        }
        for (i, m) in members.iter().enumerate() {
            if !wanted(m.service) {
                continue;
            }
            let mut s = convert(name, svc, opts, &mut objects, &mut volumes)?;
            member_volumes(&mut s, i + 1, &mut volumes);
            if i > 0 {
                set_published(&mut s, ha::port_of(m, opts.dotenv));
            }
            s.insert("hostname".into(), json!(m.service));
            s.insert("networks".into(), json!({ NETWORK: {"aliases": [name]} }));
            let mut a = args(&s);
            if name == ha::PROMETHEUS {
                if !a.iter().any(|x| x.contains("expand-external-labels")) {
                    a.push("--enable-feature=expand-external-labels".into());
                }
                let env = s.entry("environment").or_insert_with(|| json!({}));
                if let Value::Object(e) = env {
                    e.insert(ha::REPLICA_ENV.into(), json!(m.service));
                }
            } else {
                a.retain(|x| {
                    !x.starts_with("--cluster.listen-address")
                        && !x.starts_with("--cluster.peer")
                        && !x.starts_with("--cluster.advertise-address")
                });
                a.push(format!("--cluster.listen-address=0.0.0.0:{}", ha::CLUSTER_PORT));
                for other in members.iter().filter(|o| o.service != m.service) {
                    // `tasks.NAME` resolves to the task addresses (not the service VIP, which does
                    // not carry the gossip port).
                    a.push(format!("--cluster.peer=tasks.{}:{}", other.service, ha::CLUSTER_PORT));
                }
                let image = s.get("image").and_then(Value::as_str).unwrap_or("").to_string();
                let entrypoint = match svc.get("entrypoint").and_then(Value::as_array) {
                    Some(e) if !e.is_empty() => {
                        e.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()
                    }
                    _ => opts.entrypoints.get(&image).cloned().unwrap_or_default(),
                };
                if entrypoint.is_empty() {
                    bail!(
                        "cannot tell how image {image} starts Alertmanager (it has no ENTRYPOINT); set `entrypoint:` for the alertmanager service in the compose file"
                    );
                }
                s.insert(
                    "entrypoint".into(),
                    json!([
                        "/bin/sh",
                        "-c",
                        literal(&advertise_script(&entrypoint)),
                        "alertmanager"
                    ]),
                );
            }
            s.insert("command".into(), json!(a.iter().map(|x| literal(x)).collect::<Vec<_>>()));
            out.insert(m.service.to_string(), Value::Object(s));
        }
    }
    let mut names: Vec<String> = out.keys().cloned().collect();
    names.sort();
    let mut doc = json!({
        "version": "3.8",
        "services": out,
        "networks": { NETWORK: {"driver": "overlay", "attachable": true} },
    });
    if !volumes.is_empty() {
        doc["volumes"] = Value::Object(volumes);
    }
    if !objects.configs.is_empty() {
        doc["configs"] = Value::Object(objects.configs);
    }
    if !objects.secrets.is_empty() {
        doc["secrets"] = Value::Object(objects.secrets);
    }
    Ok(StackFile { doc, services: names })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(dir: &Path) -> Value {
        let d = dir.display();
        serde_json::from_str(&format!(
            r#"{{"name":"p","services":{{
  "prometheus":{{"image":"prom/prometheus:v3.5.0","command":["--config.file=/etc/prometheus/prometheus.yml"],
    "volumes":[{{"type":"bind","source":"{d}/prometheus","target":"/etc/prometheus","read_only":true}},
               {{"type":"volume","source":"prometheus_data","target":"/prometheus"}}],
    "ports":[{{"mode":"ingress","host_ip":"127.0.0.1","target":9090,"published":"9090","protocol":"tcp"}}],
    "extra_hosts":{{"host.docker.internal":["host-gateway"]}},
    "deploy":{{"resources":{{"limits":{{"memory":"2147483648"}}}}}},
    "depends_on":{{}},"restart":"unless-stopped","security_opt":["no-new-privileges:true"]}},
  "alertmanager":{{"image":"prom/alertmanager:v0.28.1","command":["--config.file=/etc/alertmanager/alertmanager.yml","--cluster.listen-address="],
    "volumes":[{{"type":"bind","source":"{d}/alerting","target":"/etc/alertmanager","read_only":true}},
               {{"type":"bind","source":"{d}/alerting/secrets","target":"/etc/alertmanager/secrets","read_only":true}},
               {{"type":"volume","source":"alertmanager_data","target":"/alertmanager"}}],
    "ports":[{{"target":9093,"published":"9093","protocol":"tcp"}}]}},
  "node-exporter":{{"image":"prom/node-exporter:v1.9.1","volumes":[{{"type":"bind","source":"/proc","target":"/host/proc","read_only":true}}]}}
}}}}"#
        ))
        .expect("json")
    }

    fn stack_dir() -> tempfile::TempDir {
        let t = tempfile::tempdir().expect("tmp");
        let p = t.path();
        std::fs::create_dir_all(p.join("prometheus/tests")).expect("mk");
        std::fs::create_dir_all(p.join("alerting/secrets")).expect("mk");
        std::fs::write(p.join("prometheus/prometheus.yml"), "global: {}\n").expect("w");
        std::fs::write(p.join("prometheus/rules.yml"), "groups: []\n").expect("w");
        std::fs::write(p.join("prometheus/tests/t.yml"), "tests: []\n").expect("w");
        std::fs::write(p.join("alerting/alertmanager.yml"), "route: {}\n").expect("w");
        std::fs::write(p.join("alerting/secrets/slack_webhook_url"), "https://x\n").expect("w");
        std::fs::write(p.join("alerting/secrets/README.md"), "how\n").expect("w");
        t
    }

    #[test]
    fn the_ha_stack_has_two_prometheus_replicas_and_three_gossiping_peers() {
        let t = stack_dir();
        let dotenv = BTreeMap::from([("PROMETHEUS_2_PORT".to_string(), "19092".to_string())]);
        let entrypoints = BTreeMap::from([(
            "prom/alertmanager:v0.28.1".to_string(),
            vec!["/bin/alertmanager".to_string()],
        )]);
        let opts = Options {
            stack: "p",
            dir: t.path(),
            dotenv: &dotenv,
            selected: None,
            entrypoints: &entrypoints,
            ha: true,
        };
        let f = derive(&config(t.path()), &opts).expect("derive");
        assert_eq!(
            f.services,
            [
                "alertmanager-1",
                "alertmanager-2",
                "alertmanager-3",
                "node-exporter",
                "prometheus-1",
                "prometheus-2"
            ]
        );
        let s = &f.doc["services"];
        // Replicas: own volume, own name, own port; the same config.
        assert_eq!(s["prometheus-2"]["environment"]["STELLAR_OBS_REPLICA"], "prometheus-2");
        assert_eq!(s["prometheus-2"]["volumes"][0]["source"], "prometheus_data_2");
        assert_eq!(s["prometheus-1"]["ports"][0]["published"], 9090);
        assert_eq!(s["prometheus-2"]["ports"][0]["published"], 19092);
        assert_eq!(s["prometheus-2"]["ports"][0]["mode"], "host");
        assert_eq!(s["prometheus-1"]["configs"], s["prometheus-2"]["configs"]);
        assert!(
            s["prometheus-1"]["command"]
                .as_array()
                .expect("cmd")
                .contains(&json!("--enable-feature=expand-external-labels"))
        );
        assert_eq!(s["prometheus-1"]["networks"]["observability"]["aliases"][0], "prometheus");
        // Configs: one per file, tests/ and READMEs left out; secrets from alerting/secrets.
        let configs = f.doc["configs"].as_object().expect("configs");
        assert_eq!(configs.len(), 3, "{configs:?}");
        let secrets = f.doc["secrets"].as_object().expect("secrets");
        assert_eq!(secrets.len(), 1, "{secrets:?}");
        let am = &s["alertmanager-2"];
        assert_eq!(am["secrets"][0]["target"], "/etc/alertmanager/secrets/slack_webhook_url");
        assert!(
            am["configs"]
                .as_array()
                .expect("c")
                .iter()
                .all(|c| !c["target"].as_str().unwrap_or("").contains("secrets"))
        );
        // Peers: listen on 9094, the two others as peers, the overlay address advertised.
        let cmd: Vec<&str> =
            am["command"].as_array().expect("cmd").iter().filter_map(Value::as_str).collect();
        assert!(cmd.contains(&"--cluster.listen-address=0.0.0.0:9094"), "{cmd:?}");
        assert!(cmd.contains(&"--cluster.peer=tasks.alertmanager-1:9094"));
        assert!(cmd.contains(&"--cluster.peer=tasks.alertmanager-3:9094"));
        assert!(!cmd.contains(&"--cluster.listen-address="));
        assert!(!cmd.iter().any(|c| c.contains("alertmanager-2:9094")));
        let script = am["entrypoint"][2].as_str().expect("script");
        assert!(script.contains("exec '/bin/alertmanager' \"$$@\""), "{script}");
        assert!(script.contains("--cluster.advertise-address=$$ip:9094"), "{script}");
        // Global node-exporter; Compose-only keys gone; host bind mounts kept.
        assert_eq!(s["node-exporter"]["deploy"]["mode"], "global");
        assert_eq!(s["node-exporter"]["volumes"][0]["source"], "/proc");
        for k in ["depends_on", "restart", "security_opt", "container_name"] {
            assert!(s["prometheus-1"].get(k).is_none(), "{k}");
        }
        assert_eq!(s["prometheus-1"]["extra_hosts"][0], "host.docker.internal:host-gateway");
        assert_eq!(
            s["prometheus-1"]["deploy"]["labels"][WORKING_DIR_LABEL],
            t.path().display().to_string()
        );
        let vols = f.doc["volumes"].as_object().expect("volumes");
        assert!(vols.contains_key("prometheus_data_1") && !vols.contains_key("prometheus_data"));
    }

    #[test]
    fn a_subset_deploys_only_what_was_asked_and_unknown_names_are_refused() {
        let t = stack_dir();
        let dotenv = BTreeMap::new();
        let ep = BTreeMap::from([(
            "prom/alertmanager:v0.28.1".to_string(),
            vec!["/bin/alertmanager".to_string()],
        )]);
        let sel = vec!["prometheus-2".to_string()];
        let opts = Options {
            stack: "p",
            dir: t.path(),
            dotenv: &dotenv,
            selected: Some(&sel),
            entrypoints: &ep,
            ha: true,
        };
        let f = derive(&config(t.path()), &opts).expect("derive");
        assert_eq!(f.services, ["prometheus-2"]);
        let bad = vec!["prometheus".to_string()];
        let opts = Options { selected: Some(&bad), ..opts };
        let e = derive(&config(t.path()), &opts).expect_err("refused").to_string();
        assert!(e.contains("unknown service prometheus") && e.contains("prometheus-1"), "{e}");
    }

    #[test]
    fn object_names_are_docker_safe_and_bounded() {
        let n = object_name(&"x".repeat(80), "prometheus/stellar alerts.yml", "abcd1234");
        assert!(n.len() <= 64 && n.ends_with("_abcd1234"), "{n}");
        assert!(n.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)));
    }
}
