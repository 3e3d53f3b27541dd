//! Which member paths a stellar-obs archive may hold: an allow-list per component, shared by
//! `backup` (what it archives) and `backup verify`/`restore` (what they accept). An archive
//! made by hand cannot smuggle `configs/.git/hooks/post-checkout` or any other file the stack
//! does not have: the name alone is refused.
//!
//! - `configs/`: the stack's known top-level files (`.env`, `.env.example`,
//!   `stellar-obs.yml`, `connector-metrics.yml`, the compose files, `README.md`,
//!   `.gitignore`) and any file under its known folders (`prometheus/`, `alerting/`,
//!   `grafana/`, `loki/`, `promtail/`, `slo/`), never through a hidden folder (`.git/`, ...) and
//!   never a file named `.git`.
//! - `grafana/`: the documents `backup` writes (`folders.json`, `datasources.json`,
//!   `alerting/<kind>.json`) and `dashboards/<uid>.json`.
//! - `alertmanager/`: `silences.json`, `alertmanager.yml`.
//! - `prometheus/`: `snapshot/` and the block files under it (no hidden parts).
//!
//! Every part of every path is also free of control characters (C0, DEL, C1) and of the
//! Unicode bidirectional controls that make a terminal show another name.

/// The stack's folders whose files are configuration.
pub const CONFIG_FOLDERS: [&str; 6] =
    ["prometheus", "alerting", "grafana", "loki", "promtail", "slo"];

/// The stack's known top-level files.
pub const CONFIG_FILES: [&str; 7] = [
    ".env",
    ".env.example",
    "stellar-obs.yml",
    "connector-metrics.yml",
    "docker-compose.observability.yml",
    "README.md",
    ".gitignore",
];

/// Whether `c` must never appear in a member name: C0 and C1 controls, DEL, and the
/// bidirectional controls (U+061C, U+200E/F, U+202A-U+202E, U+2066-U+2069).
pub fn is_forbidden_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A top-level compose file other than the stack's own (`docker-compose.override.yml`,
/// `compose.yaml`, ...): Compose reads those too.
fn is_compose_file(name: &str) -> bool {
    (name.starts_with("docker-compose") || name.starts_with("compose"))
        && (name.ends_with(".yml") || name.ends_with(".yaml"))
}

/// Why a stack-relative path (`prometheus/prometheus.yml`) is not configuration `backup`
/// archives and `restore` writes; `None` when it is.
pub fn config_refusal(rel: &str) -> Option<String> {
    if let Some(c) = rel.chars().find(|c| is_forbidden_char(*c)) {
        return Some(format!("control character U+{:04X} in the name", c as u32));
    }
    let parts: Vec<&str> = rel.split('/').collect();
    let (dirs, file) = parts.split_at(parts.len() - 1);
    let file = file[0];
    if let Some(d) = dirs.iter().find(|d| d.starts_with('.')) {
        return Some(format!("inside the hidden folder `{d}` (not part of the stack)"));
    }
    if file.eq_ignore_ascii_case(".git") || file.starts_with(".stellar-obs-") {
        return Some(format!("`{file}` is not part of the stack"));
    }
    match dirs.first() {
        None if CONFIG_FILES.contains(&file) || is_compose_file(file) => None,
        None => Some(format!(
            "`{file}` is not one of the stack's files ({}, compose files)",
            CONFIG_FILES.join(", ")
        )),
        Some(d) if CONFIG_FOLDERS.contains(d) => None,
        Some(d) => Some(format!(
            "the folder `{d}/` is not one of the stack's ({}/)",
            CONFIG_FOLDERS.join("/, ")
        )),
    }
}

/// Why a member path (after the generic checks: relative, no `..`, under a part's folder)
/// is not one a stellar-obs archive holds; `None` when it is.
pub fn member_refusal(path: &str) -> Option<String> {
    if let Some(c) = path.chars().find(|c| is_forbidden_char(*c)) {
        return Some(format!("control character U+{:04X} in the name", c as u32));
    }
    let (part, rest) = path.split_once('/')?;
    match part {
        "configs" => config_refusal(rest),
        "grafana" => {
            let known = [
                "folders.json",
                "datasources.json",
                "alerting/alert-rules.json",
                "alerting/contact-points.json",
                "alerting/policies.json",
                "alerting/mute-timings.json",
                "alerting/templates.json",
            ];
            let dashboard = rest.strip_prefix("dashboards/").is_some_and(|n| {
                n.ends_with(".json")
                    && !n.contains('/')
                    && n.len() > 5
                    && n.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_%.".contains(&b))
            });
            (!known.contains(&rest) && !dashboard)
                .then(|| "not a Grafana document stellar-obs writes".to_string())
        }
        "alertmanager" => (!matches!(rest, "silences.json" | "alertmanager.yml"))
            .then(|| "not an Alertmanager document stellar-obs writes".to_string()),
        "prometheus" => {
            let snap = rest.strip_prefix("snapshot/");
            match snap {
                Some(s) if !s.split('/').any(|c| c.starts_with('.')) => None,
                Some(_) => Some("hidden file or folder in the snapshot".into()),
                None => Some("Prometheus data lies under prometheus/snapshot/".into()),
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_init_writes_is_configuration() {
        for t in crate::templates::all() {
            assert_eq!(config_refusal(t.path), None, "{}", t.path);
        }
    }

    #[test]
    fn the_stack_files_are_allowed() {
        for ok in [
            ".env",
            ".env.example",
            "stellar-obs.yml",
            "docker-compose.observability.yml",
            "docker-compose.override.yml",
            "prometheus/prometheus.yml",
            "prometheus/rules/extra.yml",
            "alerting/secrets/.gitignore",
            "alerting/secrets/smtp_password",
            "grafana/dashboards/x.json",
        ] {
            assert_eq!(config_refusal(ok), None, "{ok}");
        }
    }

    #[test]
    fn git_hidden_folders_unknown_files_and_controls_are_refused() {
        for (bad, why) in [
            (".git/hooks/post-checkout", "hidden folder `.git`"),
            ("prometheus/.git/config", "hidden folder `.git`"),
            ("alerting/.hooks/x", "hidden folder"),
            ("prometheus/.git", "not part of the stack"),
            ("evil.sh", "not one of the stack's files"),
            ("home/.bashrc", "folder `home/`"),
            ("prometheus/a\u{1b}[2Jb.yml", "U+001B"),
            ("prometheus/gpj.\u{202e}evil.yml", "U+202E"),
            ("prometheus/x\ny", "U+000A"),
            (".stellar-obs-restore-x", "not part of the stack"),
        ] {
            let r = config_refusal(bad).unwrap_or_else(|| panic!("{bad:?} accepted"));
            assert!(r.contains(why), "{bad:?}: {r}");
        }
    }

    #[test]
    fn members_per_component() {
        for ok in [
            "configs/prometheus/prometheus.yml",
            "grafana/folders.json",
            "grafana/dashboards/abc-1_2.json",
            "grafana/dashboards/a%2F%2E%2E%2Fb.json",
            "grafana/alerting/policies.json",
            "alertmanager/silences.json",
            "prometheus/snapshot/01ABC/chunks/000001",
        ] {
            assert_eq!(member_refusal(ok), None, "{ok}");
        }
        for bad in [
            "configs/.git/hooks/post-checkout",
            "grafana/evil.json",
            "grafana/dashboards/sub/x.json",
            "alertmanager/hooks.sh",
            "prometheus/other/x",
            "prometheus/snapshot/.hidden/x",
            "grafana/dashboards/\u{7}.json",
        ] {
            assert!(member_refusal(bad).is_some(), "{bad:?} accepted");
        }
    }
}
