//! The connector's metric catalogue (`connector-metrics.yml`): the contract between the
//! connector's `/metrics` and the stack's alerts and dashboards.
//!
//! Shared by every command that needs it (`check-health` reports the families the connector
//! does not expose). The stack directory's copy wins when it exists (users may extend it);
//! otherwise the copy embedded in the binary is used.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::templates;

/// The catalogue's file name, in `templates/` and in the stack directory.
pub const FILE: &str = "connector-metrics.yml";

/// A metric family's type as the catalogue declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MetricType {
    Counter,
    Gauge,
    Histogram,
    Summary,
}

/// One family of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricDef {
    /// Full name as exposed; for a histogram or summary the base name.
    pub name: String,
    #[serde(rename = "type")]
    pub kind: MetricType,
    #[serde(default)]
    pub labels: Vec<String>,
    #[serde(default)]
    pub help: String,
    #[serde(default)]
    pub category: String,
}

impl MetricDef {
    /// The sample names this family produces in the text exposition format.
    pub fn sample_names(&self) -> Vec<String> {
        match self.kind {
            MetricType::Counter | MetricType::Gauge => vec![self.name.clone()],
            MetricType::Histogram => {
                ["_bucket", "_sum", "_count"].iter().map(|s| format!("{}{s}", self.name)).collect()
            }
            MetricType::Summary => vec![
                self.name.clone(),
                format!("{}_sum", self.name),
                format!("{}_count", self.name),
            ],
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    metrics: Vec<MetricDef>,
}

/// The catalogue and where it came from.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub metrics: Vec<MetricDef>,
    /// The file read, or `None` for the embedded copy.
    pub source: Option<PathBuf>,
}

impl Catalogue {
    /// Parse catalogue text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Catalogue> {
        let file: CatalogueFile = serde_saphyr::from_str(text).map_err(|e| {
            let loc =
                e.location().map(|l| format!(":{}:{}", l.line(), l.column())).unwrap_or_default();
            let msg = e.without_snippet().to_string();
            anyhow::anyhow!("{origin}{loc}: {}", msg.lines().next().unwrap_or(""))
        })?;
        let mut seen = std::collections::BTreeSet::new();
        for m in &file.metrics {
            if m.name.is_empty() {
                bail!("{origin}: a metric has an empty name");
            }
            if !seen.insert(m.name.as_str()) {
                bail!("{origin}: metric `{}` is listed twice", m.name);
            }
        }
        Ok(Catalogue { metrics: file.metrics, source: None })
    }

    /// The copy embedded in the binary.
    pub fn embedded() -> Result<Catalogue> {
        let text = templates::text(FILE)
            .with_context(|| format!("{FILE} is missing from the embedded templates"))?;
        Catalogue::parse(text, &format!("(embedded) {FILE}"))
    }

    /// The stack directory's `connector-metrics.yml` when it exists, else the embedded copy.
    pub fn load(stack_dir: &Path) -> Result<Catalogue> {
        let path = stack_dir.join(FILE);
        match crate::fsutil::read_capped_string(&path, crate::yaml::MAX_FILE_BYTES) {
            Ok(text) => {
                let mut c = Catalogue::parse(&text, &path.display().to_string())?;
                c.source = Some(path);
                Ok(c)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Catalogue::embedded(),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// Where the catalogue came from, for messages.
    pub fn origin(&self) -> String {
        match &self.source {
            Some(p) => p.display().to_string(),
            None => format!("embedded {FILE}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_catalogue_loads() {
        let c = Catalogue::embedded().expect("loads");
        assert!(c.metrics.len() > 50, "{}", c.metrics.len());
        assert!(c.metrics.iter().all(|m| m.name.starts_with("stellar_connector_")));
        let h = c
            .metrics
            .iter()
            .find(|m| m.name == "stellar_connector_request_duration_seconds")
            .expect("histogram listed");
        assert_eq!(h.kind, MetricType::Histogram);
        assert_eq!(h.sample_names()[0], "stellar_connector_request_duration_seconds_bucket");
    }

    #[test]
    fn errors_name_the_file_and_duplicates() {
        let e = Catalogue::parse("metrics:\n  - name: a\n    type: countr\n", "x.yml")
            .expect_err("bad type");
        assert!(format!("{e:#}").starts_with("x.yml:"), "{e:#}");
        let e = Catalogue::parse(
            "metrics:\n  - {name: a, type: gauge}\n  - {name: a, type: gauge}\n",
            "x.yml",
        )
        .expect_err("dup");
        assert!(format!("{e:#}").contains("listed twice"));
    }

    #[test]
    fn the_stack_copy_wins() {
        let d = tempfile::tempdir().expect("tmp");
        std::fs::write(d.path().join(FILE), "metrics:\n  - {name: only_one, type: gauge}\n")
            .expect("w");
        let c = Catalogue::load(d.path()).expect("loads");
        assert_eq!(c.metrics.len(), 1);
        assert!(c.origin().ends_with(FILE));
        let e = tempfile::tempdir().expect("tmp");
        assert!(Catalogue::load(e.path()).expect("embedded").source.is_none());
    }
}
