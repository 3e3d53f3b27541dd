//! node-exporter: no health path; `/metrics` must answer with node_* series. Degraded when
//! the textfile collector reports an unreadable `.prom` file (`node_textfile_scrape_error`,
//! which is how a broken `check-health -o prometheus` file would show up) or when the
//! answer has no node_* series at all.

use super::probe::{Check, Finding, Probe, ProbeFuture, SubCheck};
use crate::api::Http;
use crate::api::exposition::{Exposition, scrape};

pub struct NodeExporterProbe {
    pub http: Http,
    /// `/metrics`, or the path the user's URL named.
    pub path: String,
}

impl Probe for NodeExporterProbe {
    fn check(&self) -> Check {
        Check::NodeExporter
    }

    fn run(&self) -> ProbeFuture<'_> {
        Box::pin(async move {
            match scrape(&self.http, &self.path).await {
                Ok(e) => evaluate(&e),
                Err(e) => Finding::single(SubCheck::from_http("metrics", &e)),
            }
        })
    }
}

pub fn evaluate(e: &Exposition) -> Finding {
    let node = e.samples.iter().filter(|s| s.name.starts_with("node_")).count();
    if node == 0 {
        return Finding::single(SubCheck::degraded(
            "metrics",
            format!("{} samples but no node_* series: is this node-exporter?", e.len()),
        ));
    }
    let version = e
        .first("node_exporter_build_info")
        .and_then(|s| s.labels.get("version"))
        .map(|v| format!("node_exporter {v}, "))
        .unwrap_or_default();
    let mut subs = vec![SubCheck::healthy("metrics", format!("{version}{} samples", e.len()))];
    if e.first("node_textfile_scrape_error").is_some_and(|s| s.value != 0.0) {
        subs.push(SubCheck::degraded(
            "textfile",
            "textfile collector cannot read a .prom file (node_textfile_scrape_error 1)",
        ));
    }
    Finding::from_subchecks(subs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::probe::Status;

    #[test]
    fn node_series_and_textfile_errors() {
        let ok = Exposition::parse(
            "node_exporter_build_info{version=\"1.5.0\",goversion=\"go1.19\"} 1\nnode_load1 0.5\nnode_textfile_scrape_error 0\n",
        );
        let f = evaluate(&ok);
        assert_eq!(
            (f.status, f.message.as_str()),
            (Status::Healthy, "node_exporter 1.5.0, 3 samples")
        );
        let bad = Exposition::parse("node_load1 0.5\nnode_textfile_scrape_error 1\n");
        assert_eq!(evaluate(&bad).status, Status::Degraded);
        let other = Exposition::parse("go_goroutines 7\n");
        assert!(evaluate(&other).message.contains("is this node-exporter?"));
    }
}
