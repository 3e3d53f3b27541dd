//! The Prometheus text exposition format as served on `/metrics`, read with
//! `prometheus-parse`, plus what that parser leaves out.
//!
//! prometheus-parse's quirks (anchors.md 2.4) and how this module copes:
//! - metric names are `\w+`: colon names (recording-rule style) are dropped. A health check
//!   only looks for the connector's and node-exporter's own names, which have no colons.
//! - a histogram's `_bucket` lines are folded into one sample named after the family (the
//!   base name); its `_sum` and `_count` lines stay separate untyped samples. A summary's
//!   quantile lines are folded under the base name too. [`Exposition::has_any`] therefore
//!   takes every name a family may appear under.
//! - HELP lines are kept (`docs`), TYPE lines are not: this module scans TYPE lines itself,
//!   so a family that is declared but has no sample yet (a labelled family nobody observed)
//!   still counts as exposed.

use std::collections::{BTreeMap, BTreeSet};

use super::http::{Http, HttpError, HttpErrorKind};

/// One sample with a plain number value (gauge, counter, untyped, or a histogram's
/// `_sum`/`_count`).
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub value: f64,
}

/// A parsed `/metrics` answer.
#[derive(Debug, Clone, Default)]
pub struct Exposition {
    /// Samples with a single value (histogram buckets and summary quantiles are not here).
    pub samples: Vec<Sample>,
    /// Every name that has at least one sample line (histograms: the base name, `_sum`,
    /// `_count`).
    pub sample_names: BTreeSet<String>,
    /// Every family named by a `# HELP` or `# TYPE` line.
    pub declared: BTreeSet<String>,
}

impl Exposition {
    /// Parse exposition text. Lines the parser does not understand are skipped, as
    /// Prometheus' own scrape would not be (this is a reader, not a validator).
    pub fn parse(text: &str) -> Exposition {
        let lines = text.lines().map(|l| Ok(l.to_string()));
        // parse() only fails on I/O errors of the line iterator, which cannot happen here.
        let scrape = prometheus_parse::Scrape::parse(lines)
            .unwrap_or(prometheus_parse::Scrape { docs: Default::default(), samples: vec![] });
        let mut out = Exposition::default();
        out.declared.extend(scrape.docs.keys().cloned());
        for line in text.lines() {
            let mut words = line.split_whitespace();
            if words.next() == Some("#")
                && matches!(words.next(), Some("TYPE") | Some("HELP"))
                && let Some(name) = words.next()
            {
                out.declared.insert(name.to_string());
            }
        }
        for s in scrape.samples {
            out.sample_names.insert(s.metric.clone());
            let value = match s.value {
                prometheus_parse::Value::Counter(v)
                | prometheus_parse::Value::Gauge(v)
                | prometheus_parse::Value::Untyped(v) => v,
                prometheus_parse::Value::Histogram(_) | prometheus_parse::Value::Summary(_) => {
                    continue;
                }
            };
            let labels = s.labels.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            out.samples.push(Sample { name: s.metric, labels, value });
        }
        out
    }

    /// No sample at all: an empty answer or not the exposition format.
    pub fn is_empty(&self) -> bool {
        self.sample_names.is_empty()
    }

    /// Number of samples with a plain value.
    pub fn len(&self) -> usize {
        self.samples.len()
    }

    /// Whether any of `names` has a sample or is declared by HELP/TYPE.
    pub fn has_any<S: AsRef<str>>(&self, names: &[S]) -> bool {
        names.iter().any(|n| {
            let n = n.as_ref();
            self.sample_names.contains(n) || self.declared.contains(n)
        })
    }

    /// The samples named `name`.
    pub fn samples<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Sample> + 'a {
        self.samples.iter().filter(move |s| s.name == name)
    }

    /// The first sample named `name` (any labels).
    pub fn first(&self, name: &str) -> Option<&Sample> {
        self.samples.iter().find(|s| s.name == name)
    }
}

/// GET `path` (e.g. `/metrics`) and parse it. A non-2xx status is an error; an answer with
/// no sample at all is an error too ("not the exposition format").
pub async fn scrape(http: &Http, path: &str) -> Result<Exposition, HttpError> {
    let r = http.get(path).await?;
    let e = Exposition::parse(&r.body);
    if e.is_empty() {
        let ctype = r
            .headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("no content type");
        return Err(HttpError {
            kind: HttpErrorKind::Body,
            url: http.url(path),
            message: format!(
                "no metrics in the answer ({} bytes, {ctype}): not the Prometheus text format",
                r.body.len()
            ),
            body: Some(super::http::truncate(&r.body, 300)),
        });
    }
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"# HELP x_requests Requests.
# TYPE x_requests counter
x_requests_total{target="horizon",outcome="success"} 12
x_requests_created{target="horizon",outcome="success"} 1.7e9
# HELP x_latency_seconds Latency.
# TYPE x_latency_seconds histogram
x_latency_seconds_bucket{le="0.1"} 1
x_latency_seconds_bucket{le="+Inf"} 2
x_latency_seconds_sum 0.3
x_latency_seconds_count 2
# HELP x_declared_only Nobody observed this yet.
# TYPE x_declared_only gauge
# TYPE x_health gauge
x_health{check="horizon"} 1
x_health{check="database"} 0
job:rate:5m 3
"#;

    #[test]
    fn reads_samples_families_and_quirks() {
        let e = Exposition::parse(TEXT);
        assert!(!e.is_empty());
        assert!(e.has_any(&["x_requests_total"]));
        assert!(e.has_any(&["x_requests"]), "declared by HELP/TYPE");
        assert!(e.has_any(&["x_latency_seconds_bucket", "x_latency_seconds_sum"]));
        assert!(e.sample_names.contains("x_latency_seconds"), "buckets fold to the base name");
        assert!(e.has_any(&["x_declared_only"]));
        assert!(!e.has_any(&["x_absent"]));
        assert!(!e.sample_names.iter().any(|n| n.contains(':')), "colon names are dropped");
        let failing: Vec<_> = e
            .samples("x_health")
            .filter(|s| s.value == 0.0)
            .filter_map(|s| s.labels.get("check").cloned())
            .collect();
        assert_eq!(failing, vec!["database".to_string()]);
        assert_eq!(e.first("x_latency_seconds_count").map(|s| s.value), Some(2.0));
    }

    #[test]
    fn html_is_not_an_exposition() {
        assert!(Exposition::parse("<html><body>Hello</body></html>\n").is_empty());
        assert!(Exposition::parse("").is_empty());
    }
}
