//! Secrets in the stack directory found by content, not only by name: a copy of `.env`
//! (`alerting/env.backup`), a file that assigns the stack's secret variables, the targets of
//! `*_file` settings (`smtp_auth_password_file`, `password_file`, ...) wherever they lie,
//! and any file that holds the value of one of those secrets.

use std::collections::BTreeSet;
use std::path::Path;

use super::Found;
use crate::env_file;

/// Variables of the stack's `.env` whose values are secret.
pub const SECRET_VARS: [&str; 3] =
    ["GF_SECURITY_ADMIN_PASSWORD", "GF_SECURITY_SECRET_KEY", "GRAFANA_TOKEN"];
/// Placeholder values that are not secrets (`.env.example`).
const PLACEHOLDERS: [&str; 2] = ["", "change-me"];
/// Files larger than this are not read for secrets (dashboards, rule files stay fast).
const MAX_SCAN: u64 = 1 << 20;
/// Secret values shorter than this are not searched for in other files (too many false
/// matches).
const MIN_VALUE: usize = 8;

/// What the stack holds that is secret: the values, and the files `*_file` settings name.
#[derive(Debug, Default)]
pub struct Known {
    /// Secret values (passwords, tokens, webhook URLs) to look for in other files.
    pub values: Vec<String>,
    /// Stack-relative paths named by a `*_file` setting.
    pub targets: BTreeSet<String>,
}

/// Why a file is secret by its name: `.env` and its copies (`.env.local`, `.env~`,
/// `.envrc`, `env.backup`), and everything in a `secrets/` folder except its README and
/// `.gitignore`; `.env.example` is not.
pub fn secret_by_name(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name == ".env.example" {
        return false;
    }
    if name.starts_with(".env") || name.starts_with("env.") {
        return true;
    }
    let in_secrets = rel.split('/').rev().skip(1).any(|c| c == "secrets");
    in_secrets && !matches!(name, "README.md" | ".gitignore")
}

fn read_small(dir: &Path, rel: &str) -> Option<String> {
    let bytes = crate::fsutil::read_capped(&dir.join(rel), MAX_SCAN as usize).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The secret variables `text` assigns with a real value (read as a `.env` file).
fn assigned_secrets(text: &str) -> Vec<&'static str> {
    let vars = env_file::parse(text);
    SECRET_VARS
        .into_iter()
        .filter(|k| vars.get(*k).is_some_and(|v| !PLACEHOLDERS.contains(&v.as_str())))
        .collect()
}

/// Host-relative bind mounts of the compose file: (container path, stack-relative path).
fn mounts(compose: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in compose.lines() {
        let t = line.trim().trim_start_matches('-').trim().trim_matches('"').trim_matches('\'');
        let Some(rest) = t.strip_prefix("./") else { continue };
        let mut it = rest.splitn(3, ':');
        if let (Some(host), Some(inside)) = (it.next(), it.next())
            && inside.starts_with('/')
        {
            out.push((inside.trim_end_matches('/').to_string(), host.trim_end_matches('/').into()));
        }
    }
    // Longest container path first: `/etc/alertmanager/secrets` before `/etc/alertmanager`.
    out.sort_by_key(|m| std::cmp::Reverse(m.0.len()));
    out
}

/// The values of `*_file:` settings in a YAML file (one per line, as the stack writes them).
fn file_settings(yaml: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in yaml.lines() {
        let t = line.trim().trim_start_matches('-').trim();
        let Some((k, v)) = t.split_once(':') else { continue };
        if !k.ends_with("_file") || k.contains(' ') {
            continue;
        }
        let v = v.split(" #").next().unwrap_or("").trim().trim_matches('"').trim_matches('\'');
        if !v.is_empty() {
            out.push(v.to_string());
        }
    }
    out
}

/// Map a path as the container sees it to the stack directory (or a stack-relative path
/// given as is).
fn to_stack(path: &str, mounts: &[(String, String)]) -> Option<String> {
    for (inside, host) in mounts {
        if let Some(rest) = path.strip_prefix(inside.as_str())
            && (rest.is_empty() || rest.starts_with('/'))
        {
            let rest = rest.trim_start_matches('/');
            return Some(if rest.is_empty() { host.clone() } else { format!("{host}/{rest}") });
        }
    }
    (!path.starts_with('/')).then(|| path.trim_start_matches("./").to_string())
}

/// Learn the stack's secrets: `.env`'s secret values, the `*_file` targets of the
/// Prometheus and Alertmanager configurations (through the compose file's bind mounts), and
/// the content of those targets and of the `secrets/` files.
pub fn learn(dir: &Path, files: &[Found]) -> Known {
    let mut k = Known::default();
    if let Some(env) = read_small(dir, ".env") {
        let vars = env_file::parse(&env);
        for key in SECRET_VARS {
            if let Some(v) = vars.get(key).filter(|v| !PLACEHOLDERS.contains(&v.as_str())) {
                k.values.push(v.clone());
            }
        }
    }
    let compose = read_small(dir, "docker-compose.observability.yml").unwrap_or_default();
    let mounts = mounts(&compose);
    for cfg in ["alerting/alertmanager.yml", "prometheus/prometheus.yml"] {
        let Some(text) = read_small(dir, cfg) else { continue };
        let base = cfg.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        for v in file_settings(&text) {
            let rel = if v.starts_with('/') {
                to_stack(&v, &mounts)
            } else {
                // Relative paths are relative to the configuration file's directory.
                Some(format!("{base}/{}", v.trim_start_matches("./")))
            };
            if let Some(r) = rel {
                k.targets.insert(r);
            }
        }
    }
    for f in files {
        if (k.targets.contains(&f.rel) || (secret_by_name(&f.rel) && f.rel != ".env"))
            && f.size <= 4096
            && let Some(v) = read_small(dir, &f.rel)
        {
            let v = v.trim();
            if v.len() >= MIN_VALUE && !v.contains('\n') {
                k.values.push(v.to_string());
            }
        }
    }
    k.values.sort();
    k.values.dedup();
    k
}

/// Why a file (not secret by its name) holds secrets, found by its content; `None` when
/// it does not.
pub fn secret_by_content(dir: &Path, f: &Found, known: &Known) -> Option<String> {
    if known.targets.contains(&f.rel) {
        return Some("named by a *_file setting".into());
    }
    if f.size > MAX_SCAN {
        return None;
    }
    let text = read_small(dir, &f.rel)?;
    let vars = assigned_secrets(&text);
    if !vars.is_empty() {
        return Some(format!("assigns {}", vars.join(", ")));
    }
    known
        .values
        .iter()
        .filter(|v| v.len() >= MIN_VALUE)
        .any(|v| text.contains(v.as_str()))
        .then(|| "holds the value of one of the stack's secrets".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for s in [".env", ".env.local", ".env~", ".envrc", "env.backup", "a/secrets/smtp_password"]
        {
            assert!(secret_by_name(s), "{s}");
        }
        for s in
            [".env.example", "alerting/secrets/README.md", "prometheus/prometheus.yml", "secrets"]
        {
            assert!(!secret_by_name(s), "{s}");
        }
    }

    #[test]
    fn mounts_and_file_settings_map_into_the_stack() {
        let compose = "    volumes:\n      - ./alerting:/etc/alertmanager:ro\n      - ./alerting/secrets:/etc/alertmanager/secrets:ro\n      - data:/alertmanager\n";
        let m = mounts(compose);
        assert_eq!(
            to_stack("/etc/alertmanager/secrets/smtp_password", &m).as_deref(),
            Some("alerting/secrets/smtp_password")
        );
        assert_eq!(to_stack("/etc/alertmanager/pw", &m).as_deref(), Some("alerting/pw"));
        assert_eq!(to_stack("/var/run/x", &m), None);
        let yml = "global:\n  smtp_auth_password_file: /etc/alertmanager/pw # note\n  slack_api_url_file: '/etc/alertmanager/secrets/slack'\n  resolve_timeout: 5m\n";
        assert_eq!(
            file_settings(yml),
            vec!["/etc/alertmanager/pw".to_string(), "/etc/alertmanager/secrets/slack".to_string()]
        );
    }
}
