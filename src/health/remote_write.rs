//! Prometheus' remote-write queues, from its own `/metrics`: the lag of each queue (newest
//! sample taken in minus newest sample sent) and the samples failed, retried and pending.
//! A sub-check of the Prometheus row, present when `remote_write:` is set in
//! `stellar-obs.yml` or Prometheus has a queue.
//!
//! Names differ by version (docs/scale.md): 3.x has the per-queue
//! `prometheus_remote_storage_queue_highest_timestamp_seconds`; 2.x only the global
//! `prometheus_remote_storage_highest_timestamp_in_seconds` (deprecated in 3.x, still
//! served). Failed samples are `prometheus_remote_storage_samples_failed_total` since 2.24,
//! `prometheus_remote_storage_failed_samples_total` before.

use std::collections::BTreeMap;

use super::probe::SubCheck;
use crate::api::exposition::Exposition;
use crate::settings::RemoteWrite;

const IN_3X: &str = "prometheus_remote_storage_queue_highest_timestamp_seconds";
const IN_2X: &str = "prometheus_remote_storage_highest_timestamp_in_seconds";
const SENT: &str = "prometheus_remote_storage_queue_highest_sent_timestamp_seconds";
const FAILED: &str = "prometheus_remote_storage_samples_failed_total";
const FAILED_OLD: &str = "prometheus_remote_storage_failed_samples_total";
const RETRIED: &str = "prometheus_remote_storage_samples_retried_total";
const PENDING: &str = "prometheus_remote_storage_samples_pending";
const START: &str = "process_start_time_seconds";

/// The lag allowed when `stellar-obs.yml` does not say (a hand-written `remote_write`).
pub const DEFAULT_MAX_LAG: u64 = 120;

/// What the stack expects of remote write.
#[derive(Debug, Clone, Default)]
pub struct Expect {
    /// `remote_write:` of `stellar-obs.yml`.
    pub settings: Option<RemoteWrite>,
    /// The secret file the settings need, when it is missing.
    pub missing_secret: Option<&'static str>,
}

/// One queue's figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Queue {
    pub name: String,
    pub url: String,
    /// Newest sample taken in (seconds since the epoch); 0 when none yet.
    pub highest_in: f64,
    /// Newest sample sent; 0 when nothing was sent yet.
    pub highest_sent: f64,
    pub failed: f64,
    pub retried: f64,
    pub pending: f64,
}

/// The queues in `e`, by name.
pub fn queues(e: &Exposition) -> Vec<Queue> {
    let mut out: BTreeMap<(String, String), Queue> = BTreeMap::new();
    let global_in = e.first(IN_2X).map(|s| s.value);
    for s in &e.samples {
        let (Some(name), Some(url)) = (s.labels.get("remote_name"), s.labels.get("url")) else {
            continue;
        };
        if !s.name.starts_with("prometheus_remote_storage_") {
            continue;
        }
        let q = out.entry((name.clone(), url.clone())).or_insert_with(|| Queue {
            name: name.clone(),
            url: url.clone(),
            highest_in: global_in.unwrap_or(0.0),
            ..Queue::default()
        });
        match s.name.as_str() {
            IN_3X => q.highest_in = s.value,
            SENT => q.highest_sent = s.value,
            FAILED | FAILED_OLD => q.failed += s.value,
            RETRIED => q.retried = s.value,
            PENDING => q.pending = s.value,
            _ => {}
        }
    }
    out.into_values().collect()
}

fn secs(v: f64) -> String {
    if v < 10.0 { format!("{v:.1}s") } else { format!("{:.0}s", v.round()) }
}

/// The sub-check, or `None` when remote write is neither configured nor running.
pub fn evaluate(e: &Exposition, expect: &Expect) -> Option<SubCheck> {
    let qs = queues(e);
    if qs.is_empty() && expect.settings.is_none() {
        return None;
    }
    let max_lag = expect.settings.as_ref().map_or(DEFAULT_MAX_LAG, |r| r.max_lag_seconds) as f64;
    let mut problems = Vec::new();
    let mut fine = Vec::new();
    if let Some(file) = expect.missing_secret {
        problems.push(format!(
            "{file} is missing: every request to the store fails authentication (prometheus/secrets/README.md)"
        ));
    }
    if qs.is_empty() {
        problems.push(
            "`remote_write:` is set in stellar-obs.yml but Prometheus has no remote-write queue: run `stellar-obs init` (it writes the block into prometheus.yml), then reload Prometheus".into(),
        );
    }
    let started = e.first(START).map(|s| s.value);
    for q in &qs {
        // Label values from the server: redacted and bounded (the output layer escapes
        // control characters last).
        let url = crate::api::http::truncate(&crate::output::sanitize::redact_url(&q.url), 120);
        let who = format!("{} ({url})", crate::api::http::truncate(&q.name, 60));
        let mut figures = Vec::new();
        let mut bad = Vec::new();
        if q.highest_in <= 0.0 {
            figures.push("no samples yet".to_string());
        } else if q.highest_sent <= 0.0 {
            let waiting = started.map_or(0.0, |t| q.highest_in - t);
            if waiting > max_lag {
                bad.push(format!(
                    "nothing sent in {} of data (limit {})",
                    secs(waiting),
                    secs(max_lag)
                ));
            } else {
                figures.push("nothing sent yet".into());
            }
        } else {
            let lag = (q.highest_in - q.highest_sent).max(0.0);
            if lag > max_lag {
                bad.push(format!("{} behind (limit {})", secs(lag), secs(max_lag)));
            } else {
                figures.push(format!("lag {}", secs(lag)));
            }
        }
        if q.failed > 0.0 {
            bad.push(format!(
                "{} samples failed since Prometheus started (not retried: lost to the store)",
                q.failed
            ));
        }
        figures.push(format!("{} pending, {} retried, {} failed", q.pending, q.retried, q.failed));
        if bad.is_empty() {
            fine.push(format!("{who}: {}", figures.join(", ")));
        } else {
            problems.push(format!("{who}: {}; {}", bad.join("; "), figures.join(", ")));
        }
    }
    Some(if problems.is_empty() {
        SubCheck::healthy("remote_write", format!("remote write {}", fine.join("; ")))
    } else {
        SubCheck::degraded("remote_write", format!("remote write {}", problems.join("; ")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::probe::Status;

    const V2_42: &str = r#"process_start_time_seconds 1000
prometheus_remote_storage_highest_timestamp_in_seconds 1300
prometheus_remote_storage_queue_highest_sent_timestamp_seconds{remote_name="central",url="http://u:p@127.0.0.1:9/api/v1/write"} 1299
prometheus_remote_storage_samples_failed_total{remote_name="central",url="http://u:p@127.0.0.1:9/api/v1/write"} 0
prometheus_remote_storage_samples_retried_total{remote_name="central",url="http://u:p@127.0.0.1:9/api/v1/write"} 4
prometheus_remote_storage_samples_pending{remote_name="central",url="http://u:p@127.0.0.1:9/api/v1/write"} 7
"#;

    #[test]
    fn prometheus_2_42_names() {
        let e = Exposition::parse(V2_42);
        let q = queues(&e);
        assert_eq!(q.len(), 1);
        assert_eq!((q[0].highest_in, q[0].highest_sent, q[0].retried), (1300.0, 1299.0, 4.0));
        let s = evaluate(&e, &Expect::default()).expect("a queue");
        assert_eq!(s.status, Status::Healthy, "{s:?}");
        assert!(s.message.contains("lag 1.0s"), "{}", s.message);
        assert!(!s.message.contains("u:p@"), "credentials are never shown: {}", s.message);
    }

    #[test]
    fn prometheus_3_names_lag_and_failures() {
        let text = "prometheus_remote_storage_highest_timestamp_in_seconds 5000\n\
            prometheus_remote_storage_queue_highest_timestamp_seconds{remote_name=\"central\",url=\"http://s/api/v1/push\"} 1300\n\
            prometheus_remote_storage_queue_highest_sent_timestamp_seconds{remote_name=\"central\",url=\"http://s/api/v1/push\"} 1000\n\
            prometheus_remote_storage_samples_failed_total{remote_name=\"central\",url=\"http://s/api/v1/push\"} 12\n";
        let e = Exposition::parse(text);
        let q = queues(&e);
        assert_eq!(q[0].highest_in, 1300.0, "the per-queue gauge wins over the global one");
        let s = evaluate(&e, &Expect::default()).expect("a queue");
        assert_eq!(s.status, Status::Degraded);
        assert!(s.message.contains("300s behind (limit 120s)"), "{}", s.message);
        assert!(s.message.contains("12 samples failed"), "{}", s.message);
        let old = "prometheus_remote_storage_highest_timestamp_in_seconds 10\n\
            prometheus_remote_storage_queue_highest_sent_timestamp_seconds{remote_name=\"a\",url=\"http://s\"} 10\n\
            prometheus_remote_storage_failed_samples_total{remote_name=\"a\",url=\"http://s\"} 3\n";
        let s = evaluate(&Exposition::parse(old), &Expect::default()).expect("queue");
        assert!(s.message.contains("3 samples failed"), "{}", s.message);
    }

    #[test]
    fn long_label_values_are_bounded() {
        let long = "x".repeat(5000);
        let text = format!(
            "prometheus_remote_storage_highest_timestamp_in_seconds 10\n\
             prometheus_remote_storage_queue_highest_sent_timestamp_seconds{{remote_name=\"{long}\",url=\"http://{long}\"}} 10\n"
        );
        let s = evaluate(&Exposition::parse(&text), &Expect::default()).expect("queue");
        assert!(s.message.len() < 400, "{}", s.message.len());
    }

    #[test]
    fn nothing_sent_configured_without_queue_and_missing_secret() {
        let text = "process_start_time_seconds 1000\n\
            prometheus_remote_storage_highest_timestamp_in_seconds 1500\n\
            prometheus_remote_storage_samples_pending{remote_name=\"central\",url=\"http://s\"} 900\n";
        let s = evaluate(&Exposition::parse(text), &Expect::default()).expect("queue");
        assert_eq!(s.status, Status::Degraded);
        assert!(s.message.contains("nothing sent in 500s of data"), "{}", s.message);
        let e = Exposition::parse("process_start_time_seconds 1\n");
        assert_eq!(evaluate(&e, &Expect::default()), None, "no remote write: no sub-check");
        let expect = Expect {
            settings: Some(RemoteWrite::with_url("http://s")),
            missing_secret: Some(crate::settings::remote_write::PASSWORD_FILE),
        };
        let s = evaluate(&e, &expect).expect("configured");
        assert_eq!(s.status, Status::Degraded);
        assert!(s.message.contains("no remote-write queue"), "{}", s.message);
        assert!(s.message.contains("remote_write_password is missing"), "{}", s.message);
    }
}
