//! The Compose file: a sanity check of the schema (top-level keys, service keys, image or
//! build, healthcheck forms, ports, depends_on, networks and named volumes declared), and
//! secrets written in plain text in a service's environment.

use std::collections::HashSet;

use crate::lint::check::Check;
use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::lint::schema::{BAD_VALUE, Ctx, MISSING_FIELD, UNKNOWN_FIELD, WRONG_TYPE, did_you_mean};
use crate::lint::source::Source;
use crate::yaml::{Key, Node, Value};

pub const PLAIN_SECRET: &str = "compose/plain-secret";
pub const REFERENCE: &str = "compose/undefined-reference";
pub const HEALTHCHECK: &str = "compose/healthcheck";
pub const PORTS: &str = "compose/ports";

pub const CHECKS: &[Check] = &[
    Check {
        id: PLAIN_SECRET,
        severity: Severity::Warning,
        summary: "A password, token or key written in plain text in a service's environment (use ${VAR} from .env or a *_FILE secret).",
    },
    Check {
        id: REFERENCE,
        severity: Severity::Error,
        summary: "A service depends on a service, or uses a network or named volume, that the file does not define.",
    },
    Check {
        id: HEALTHCHECK,
        severity: Severity::Error,
        summary: "A healthcheck `test` that Compose does not accept, or a bad healthcheck duration; depends_on service_healthy on a service without healthcheck.",
    },
    Check {
        id: PORTS,
        severity: Severity::Error,
        summary: "A port mapping that is not [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL] or a valid long form.",
    },
];

const TOP: &[&str] = &[
    "version", "name", "include", "services", "networks", "volumes", "configs", "secrets", "models",
];

const SERVICE: &[&str] = &[
    "annotations",
    "attach",
    "blkio_config",
    "build",
    "cap_add",
    "cap_drop",
    "cgroup",
    "cgroup_parent",
    "command",
    "configs",
    "container_name",
    "cpu_count",
    "cpu_percent",
    "cpu_period",
    "cpu_quota",
    "cpu_rt_period",
    "cpu_rt_runtime",
    "cpu_shares",
    "cpus",
    "cpuset",
    "credential_spec",
    "depends_on",
    "deploy",
    "develop",
    "device_cgroup_rules",
    "devices",
    "dns",
    "dns_opt",
    "dns_search",
    "domainname",
    "driver_opts",
    "entrypoint",
    "env_file",
    "environment",
    "expose",
    "extends",
    "external_links",
    "extra_hosts",
    "gpus",
    "group_add",
    "healthcheck",
    "hostname",
    "image",
    "init",
    "ipc",
    "isolation",
    "labels",
    "label_file",
    "links",
    "logging",
    "mac_address",
    "mem_limit",
    "mem_reservation",
    "mem_swappiness",
    "memswap_limit",
    "models",
    "network_mode",
    "networks",
    "oom_kill_disable",
    "oom_score_adj",
    "pid",
    "pids_limit",
    "platform",
    "ports",
    "post_start",
    "pre_stop",
    "privileged",
    "profiles",
    "provider",
    "pull_policy",
    "read_only",
    "restart",
    "runtime",
    "scale",
    "secrets",
    "security_opt",
    "shm_size",
    "stdin_open",
    "stop_grace_period",
    "stop_signal",
    "storage_opt",
    "sysctls",
    "tmpfs",
    "tty",
    "ulimits",
    "use_api_socket",
    "user",
    "userns_mode",
    "uts",
    "volumes",
    "volumes_from",
    "working_dir",
];

const HEALTH: &[&str] =
    &["test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"];

const PORT_LONG: &[&str] =
    &["target", "published", "host_ip", "protocol", "mode", "name", "app_protocol"];

/// Keys of a mapping, checked against `known` (extension keys `x-*` always allowed).
fn keys(ctx: &mut Ctx<'_>, node: &Node, what: &str, known: &[&str]) -> Option<Vec<(Key, Node)>> {
    let entries = ctx.free_map(node, what)?;
    for (k, _) in entries {
        if k.name.starts_with("x-") || known.contains(&k.name.as_str()) {
            continue;
        }
        let mut d = Diagnostic::error(
            ctx.path,
            k.pos,
            UNKNOWN_FIELD,
            format!("{what}: unknown key `{}`", k.name),
        );
        if let Some(s) = did_you_mean(&k.name, known) {
            d = d.with_help(format!("did you mean `{s}`?"));
        }
        ctx.push(d);
    }
    Some(entries.to_vec())
}

/// Check a parsed compose file.
pub fn check(src: &Source, tree: &Node, diags: &mut Vec<Diagnostic>) {
    let mut ctx = Ctx::new(&src.display, diags);
    let Some(top) = keys(&mut ctx, tree, "compose file", TOP) else { return };
    let get = |name: &str| top.iter().rev().find(|(k, _)| k.name == name).map(|(_, v)| v);
    let declared = |name: &str| -> HashSet<String> {
        get(name)
            .and_then(Node::as_map)
            .map(|m| m.iter().map(|(k, _)| k.name.clone()).collect())
            .unwrap_or_default()
    };
    let networks = declared("networks");
    let volumes = declared("volumes");
    let Some(services_node) = get("services") else {
        ctx.error(tree.pos, MISSING_FIELD, "compose file: `services` is missing");
        return;
    };
    let Some(services) = ctx.free_map(services_node, "services") else { return };
    let names: HashSet<&str> = services.iter().map(|(k, _)| k.name.as_str()).collect();
    let healthy: HashSet<&str> = services
        .iter()
        .filter(|(_, s)| {
            s.get("healthcheck")
                .is_some_and(|h| h.get("disable").and_then(Node::as_bool) != Some(true))
        })
        .map(|(k, _)| k.name.as_str())
        .collect();
    for (k, s) in services {
        let what = format!("service `{}`", k.name);
        let Some(fields) = keys(&mut ctx, s, &what, SERVICE) else { continue };
        let f = |n: &str| fields.iter().rev().find(|(k, _)| k.name == n).map(|(_, v)| v);
        if f("image").is_none() && f("build").is_none() && f("extends").is_none() {
            ctx.error(s.pos, MISSING_FIELD, format!("{what}: needs `image` or `build`"));
        }
        if let Some(img) = f("image")
            && let Some(t) = ctx.string(img, "image")
            && t.trim().is_empty()
        {
            ctx.error(img.pos, BAD_VALUE, format!("{what}: `image` is empty"));
        }
        if let Some(h) = f("healthcheck") {
            healthcheck(&mut ctx, h, &what);
        }
        if let Some(p) = f("ports") {
            ports(&mut ctx, p, &what);
        }
        if let Some(e) = f("environment") {
            environment(&mut ctx, e, &what);
        }
        if let Some(d) = f("depends_on") {
            depends_on(&mut ctx, d, &what, &names, &healthy);
        }
        if let Some(n) = f("networks") {
            let refs: Vec<(String, crate::yaml::Pos)> = match &n.value {
                Value::Seq(items) => items
                    .iter()
                    .filter_map(|i| i.scalar_text().map(|t| (t.to_string(), i.pos)))
                    .collect(),
                Value::Map(m) => m.iter().map(|(k, _)| (k.name.clone(), k.pos)).collect(),
                _ => Vec::new(),
            };
            for (name, pos) in refs {
                if name != "default" && !networks.contains(&name) {
                    ctx.error(
                        pos,
                        REFERENCE,
                        format!(
                            "{what}: network `{name}` is not defined under top-level `networks`"
                        ),
                    );
                }
            }
        }
        if let Some(v) = f("volumes")
            && let Some(items) = v.as_seq()
        {
            for it in items {
                let source = match &it.value {
                    Value::Str(s) => {
                        s.split(':').next().map(str::to_string).filter(|_| s.contains(':'))
                    }
                    Value::Map(_) => it
                        .get("source")
                        .and_then(Node::scalar_text)
                        .filter(|_| {
                            it.get("type").and_then(Node::as_str).is_none_or(|t| t == "volume")
                        })
                        .map(str::to_string),
                    _ => None,
                };
                let Some(source) = source else { continue };
                let is_path = source.starts_with(['.', '/', '~', '$']) || source.contains('/');
                if !is_path && !source.is_empty() && !volumes.contains(&source) {
                    ctx.error(it.pos, REFERENCE, format!("{what}: named volume `{source}` is not defined under top-level `volumes`"));
                }
            }
        }
    }
}

/// `${VAR:-default}` → default; other interpolations make the value unknown (None).
fn interpolate(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(a) = after.strip_prefix('$') {
            out.push('$');
            rest = a;
            continue;
        }
        let body = after.strip_prefix('{')?;
        let end = body.find('}')?;
        let inner = &body[..end];
        let default = inner
            .find(":-")
            .map(|j| &inner[j + 2..])
            .or_else(|| inner.find('-').map(|j| &inner[j + 1..]))?;
        out.push_str(default);
        rest = &body[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

fn healthcheck(ctx: &mut Ctx<'_>, h: &Node, what: &str) {
    let what = format!("{what} healthcheck");
    let Some(fields) = keys(ctx, h, &what, HEALTH) else { return };
    for (k, v) in &fields {
        match k.name.as_str() {
            "test" => match &v.value {
                Value::Str(s) if s.trim().is_empty() => {
                    ctx.error(v.pos, HEALTHCHECK, format!("{what}: `test` is empty"));
                }
                Value::Str(_) => {}
                Value::Seq(items) => {
                    let first = items.first().and_then(Node::scalar_text);
                    match first {
                        Some("NONE") => {}
                        Some("CMD") | Some("CMD-SHELL") if items.len() >= 2 => {}
                        Some("CMD") | Some("CMD-SHELL") => {
                            ctx.error(
                                v.pos,
                                HEALTHCHECK,
                                format!(
                                    "{what}: `test` has no command after {}",
                                    first.unwrap_or("")
                                ),
                            );
                        }
                        _ => {
                            let pos = items.first().map_or(v.pos, |n| n.pos);
                            ctx.push(
                                Diagnostic::error(ctx.path, pos, HEALTHCHECK, format!("{what}: a `test` list must start with NONE, CMD or CMD-SHELL"))
                                    .with_help("e.g. [\"CMD\", \"wget\", \"-q\", \"--spider\", \"http://127.0.0.1:9090/-/healthy\"]"),
                            );
                        }
                    }
                }
                _ => ctx.error(
                    v.pos,
                    WRONG_TYPE,
                    format!("{what}: `test` must be a string or a list"),
                ),
            },
            "interval" | "timeout" | "start_period" | "start_interval" => {
                if let Some(s) = ctx.string(v, &k.name)
                    && let Some(t) = interpolate(s)
                    && crate::lint::schema::values::parse_go_duration(&t).is_err()
                {
                    ctx.error(
                        v.pos,
                        HEALTHCHECK,
                        format!("{what}: `{}` is not a duration: `{s}` (e.g. 10s, 1m30s)", k.name),
                    );
                }
            }
            "retries"
                if v.scalar_text()
                    .and_then(interpolate)
                    .is_some_and(|t| t.parse::<u64>().is_err()) =>
            {
                ctx.error(v.pos, HEALTHCHECK, format!("{what}: `retries` must be a whole number"));
            }
            "disable" => {
                ctx.bool(v, "disable");
            }
            _ => {}
        }
    }
}

fn port_ok(p: &str) -> bool {
    let one = |x: &str| x.parse::<u32>().is_ok_and(|n| (1..=65535).contains(&n));
    match p.split_once('-') {
        Some((a, b)) => one(a) && one(b),
        None => one(p),
    }
}

/// `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`.
fn short_port(s: &str) -> Result<(), String> {
    let (main, proto) = match s.rsplit_once('/') {
        Some((m, p)) => (m, Some(p)),
        None => (s, None),
    };
    if let Some(p) = proto
        && !matches!(p, "tcp" | "udp" | "sctp")
    {
        return Err(format!("unknown protocol `{p}` (tcp, udp or sctp)"));
    }
    let (host, container) = match main.rsplit_once(':') {
        Some((h, c)) => (Some(h), c),
        None => (None, main),
    };
    if !port_ok(container) {
        return Err(format!("`{container}` is not a container port (1-65535 or a range)"));
    }
    if let Some(h) = host {
        // host part: [ip:]port, ip may be [v6]
        let (ip, port) = if let Some(rest) = h.strip_prefix('[') {
            match rest.split_once("]:") {
                Some((ip, port)) => (Some(ip), port),
                None => (Some(rest.trim_end_matches(']')), ""),
            }
        } else {
            match h.rsplit_once(':') {
                Some((ip, port)) => (Some(ip), port),
                None => (None, h),
            }
        };
        if !port.is_empty() && !port_ok(port) {
            return Err(format!("`{port}` is not a host port (1-65535 or a range)"));
        }
        if let Some(ip) = ip
            && ip.parse::<std::net::IpAddr>().is_err()
        {
            return Err(format!("`{ip}` is not an IP address"));
        }
    }
    Ok(())
}

fn ports(ctx: &mut Ctx<'_>, p: &Node, what: &str) {
    let Some(items) = ctx.list(p, "ports") else { return };
    for it in items {
        match &it.value {
            Value::Map(_) => {
                let Some(fields) = keys(ctx, it, &format!("{what} port"), PORT_LONG) else {
                    continue;
                };
                if !fields.iter().any(|(k, _)| k.name == "target") {
                    ctx.error(
                        it.pos,
                        MISSING_FIELD,
                        format!("{what}: a long-form port needs `target`"),
                    );
                }
            }
            _ => {
                let Some(s) = it.scalar_text() else {
                    ctx.error(
                        it.pos,
                        WRONG_TYPE,
                        format!("{what}: a port must be a string, a number or a mapping"),
                    );
                    continue;
                };
                let Some(t) = interpolate(s) else { continue };
                if let Err(e) = short_port(&t) {
                    ctx.push(
                        Diagnostic::error(ctx.path, it.pos, PORTS, format!("{what}: port `{s}`: {e}"))
                            .with_help("the form is [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], e.g. \"127.0.0.1:9090:9090\""),
                    );
                }
            }
        }
    }
}

/// Does this variable name look like it holds a secret?
pub fn secret_name(name: &str) -> bool {
    let u = name.to_ascii_uppercase();
    if u.ends_with("_FILE")
        || u.ends_with("_PATH")
        || u.ends_with("_USER")
        || u.ends_with("_USERNAME")
    {
        return false;
    }
    [
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "API_KEY",
        "APIKEY",
        "PRIVATE_KEY",
        "CREDENTIAL",
        "ACCESS_KEY",
    ]
    .iter()
    .any(|w| u.contains(w))
}

fn literal_secret(value: &str) -> bool {
    let v = value.trim();
    !v.is_empty()
        && !v.contains('$')
        && !matches!(v.to_ascii_lowercase().as_str(), "true" | "false")
}

fn environment(ctx: &mut Ctx<'_>, e: &Node, what: &str) {
    let mut found: Vec<(String, crate::yaml::Pos)> = Vec::new();
    match &e.value {
        Value::Map(m) => {
            for (k, v) in m {
                if secret_name(&k.name) && v.scalar_text().is_some_and(literal_secret) {
                    found.push((k.name.clone(), v.pos));
                }
            }
        }
        Value::Seq(items) => {
            for it in items {
                if let Some(s) = it.scalar_text()
                    && let Some((k, v)) = s.split_once('=')
                    && secret_name(k)
                    && literal_secret(v)
                {
                    found.push((k.to_string(), it.pos));
                }
            }
        }
        _ => {}
    }
    for (name, pos) in found {
        ctx.push(
            Diagnostic::warning(ctx.path, pos, PLAIN_SECRET, format!("{what}: `{name}` is a secret written in plain text"))
                .with_help(format!("write `{name}: ${{{name}:?set {name} in .env}}` and keep the value in .env (mode 0600), or use `{name}_FILE` with a Compose secret")),
        );
    }
}

fn depends_on(
    ctx: &mut Ctx<'_>,
    d: &Node,
    what: &str,
    names: &HashSet<&str>,
    healthy: &HashSet<&str>,
) {
    let refs: Vec<(String, crate::yaml::Pos, Option<&Node>)> = match &d.value {
        Value::Seq(items) => items
            .iter()
            .filter_map(|i| i.scalar_text().map(|t| (t.to_string(), i.pos, None)))
            .collect(),
        Value::Map(m) => m.iter().map(|(k, v)| (k.name.clone(), k.pos, Some(v))).collect(),
        _ => {
            ctx.error(
                d.pos,
                WRONG_TYPE,
                format!("{what}: `depends_on` must be a list or a mapping"),
            );
            return;
        }
    };
    for (name, pos, spec) in refs {
        if !names.contains(name.as_str()) {
            ctx.error(
                pos,
                REFERENCE,
                format!("{what}: depends on `{name}`, which is not a service of this file"),
            );
            continue;
        }
        if let Some(cond) = spec.and_then(|s| s.get("condition")) {
            let c = ctx.one_of(
                cond,
                "depends_on condition",
                &["service_started", "service_healthy", "service_completed_successfully"],
            );
            if c == Some("service_healthy") && !healthy.contains(name.as_str()) {
                ctx.error(
                    cond.pos,
                    HEALTHCHECK,
                    format!(
                        "{what}: waits for `{name}` to be healthy, but `{name}` has no healthcheck"
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    fn run(text: &str) -> Vec<Diagnostic> {
        let src = Source::memory("c.yml", text);
        let tree = parse(text).expect("yaml");
        let mut d = Vec::new();
        check(&src, &tree, &mut d);
        d
    }

    #[test]
    fn the_stack_compose_file_is_clean() {
        let t = crate::templates::text("docker-compose.observability.yml").expect("template");
        assert_eq!(run(t), vec![]);
    }

    #[test]
    fn plain_secrets_are_warned_interpolated_ones_are_not() {
        let d = run(
            "services:\n  g:\n    image: x\n    environment:\n      GF_SECURITY_ADMIN_PASSWORD: hunter2\n      OTHER_TOKEN: ${OTHER_TOKEN:?set it}\n      DB_PASSWORD_FILE: /run/secrets/db\n",
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].code, d[0].line, d[0].column), (PLAIN_SECRET, 5, 35));
        let d = run(
            "services:\n  g:\n    image: x\n    environment:\n      - API_TOKEN=abc\n      - MODE=prod\n",
        );
        assert_eq!((d.len(), d[0].line, d[0].column), (1, 5, 9));
    }

    #[test]
    fn schema_problems() {
        let d = run(
            "services:\n  a:\n    imgae: x\n    ports: [\"70000:80\", \"127.0.0.1:9090:9090\", \"${P:-1}:2/tcp\"]\n    healthcheck:\n      test: [\"wget\", \"x\"]\n      interval: 10\n    depends_on: [b]\n    networks: [nope]\n    volumes: [\"data:/x\", \"./y:/y\"]\nbogus: 1\n",
        );
        let codes: Vec<(&str, u32, u32)> = d.iter().map(|d| (d.code, d.line, d.column)).collect();
        assert!(codes.contains(&(UNKNOWN_FIELD, 3, 5)), "{codes:?}");
        assert!(codes.contains(&(MISSING_FIELD, 3, 5)), "{codes:?}");
        assert!(codes.contains(&(PORTS, 4, 13)), "{codes:?}");
        assert!(codes.contains(&(HEALTHCHECK, 6, 14)), "{codes:?}");
        assert!(codes.contains(&(HEALTHCHECK, 7, 17)), "{codes:?}");
        assert!(codes.contains(&(REFERENCE, 8, 18)), "{codes:?}");
        assert!(codes.contains(&(REFERENCE, 9, 16)), "{codes:?}");
        assert!(codes.contains(&(REFERENCE, 10, 15)), "{codes:?}");
        assert!(codes.contains(&(UNKNOWN_FIELD, 11, 1)), "{codes:?}");
        assert_eq!(d.len(), 9, "{d:?}");
    }

    #[test]
    fn ports_shapes() {
        assert!(short_port("9090").is_ok());
        assert!(short_port("127.0.0.1:9090:9090").is_ok());
        assert!(short_port("[::1]:80:80/udp").is_ok());
        assert!(short_port("8000-8010:8000-8010").is_ok());
        assert!(short_port("80/http").is_err());
        assert!(short_port("localhost:80:80").is_err());
    }
}
