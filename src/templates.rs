//! The stack's files (`templates/`), embedded in the binary.

use include_dir::{Dir, DirEntry, include_dir};

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// One embedded file: its path relative to the stack directory and its bytes.
#[derive(Debug, Clone, Copy)]
pub struct Template {
    pub path: &'static str,
    pub contents: &'static [u8],
}

/// Every template file, sorted by path.
pub fn all() -> Vec<Template> {
    let mut out = Vec::new();
    collect(&TEMPLATES, &mut out);
    out.sort_by_key(|t| t.path);
    out
}

fn collect(dir: &'static Dir<'static>, out: &mut Vec<Template>) {
    for e in dir.entries() {
        match e {
            DirEntry::Dir(d) => collect(d, out),
            DirEntry::File(f) => {
                if let Some(p) = f.path().to_str() {
                    out.push(Template { path: p, contents: f.contents() });
                }
            }
        }
    }
}

/// One template by path (e.g. `connector-metrics.yml`).
pub fn get(path: &str) -> Option<Template> {
    TEMPLATES
        .get_file(path)
        .and_then(|f| Some(Template { path: f.path().to_str()?, contents: f.contents() }))
}

/// A template as text (templates are UTF-8).
pub fn text(path: &str) -> Option<&'static str> {
    get(path).and_then(|t| std::str::from_utf8(t.contents).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stack_is_embedded() {
        let paths: Vec<&str> = all().iter().map(|t| t.path).collect();
        for must in [
            "docker-compose.observability.yml",
            "prometheus/prometheus.yml",
            "prometheus/stellar_alerts.yml",
            "alerting/alertmanager.yml",
            "grafana/dashboards/stellar-connector-dashboard.json",
            "connector-metrics.yml",
            "slo/connector.yml",
            "prometheus/slo_connector.yml",
            "grafana/dashboards/stellar-slo-dashboard.json",
            "stellar-obs.yml",
            ".env.example",
        ] {
            assert!(paths.contains(&must), "missing template {must}: {paths:?}");
        }
        assert!(text("prometheus/prometheus.yml").is_some_and(|t| t.contains("stellar-connector")));
    }
}
