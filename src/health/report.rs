//! The report of a run, in three formats: a table, the contract's JSON, and the Prometheus
//! text exposition format (for node-exporter's textfile collector).

use std::fmt::Write as _;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::probe::{Status, SubCheck};
use super::runner::RunResult;
use crate::cli::OutputFormat;
use crate::outcome::Outcome;
use crate::output::{Paint, Report, table, to_json};

/// One `check-health` run, ready to render.
#[derive(Debug, Clone)]
pub struct HealthReport {
    pub run: RunResult,
    pub finished_at: SystemTime,
}

#[derive(Serialize)]
struct JsonCheck<'a> {
    component: &'a str,
    status: Status,
    /// `null` for skipped components.
    latency_ms: Option<u64>,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    details: &'a [SubCheck],
}

#[derive(Serialize)]
struct JsonReport<'a> {
    status: Status,
    checks: Vec<JsonCheck<'a>>,
    duration_ms: u64,
    timeout_ms: u64,
    checked_at: String,
}

fn ms(d: Duration) -> u64 {
    d.as_millis().try_into().unwrap_or(u64::MAX)
}

/// `12ms`, `1.24s`.
fn latency(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{}ms", d.as_millis())
    } else {
        format!("{:.2}s", d.as_secs_f64())
    }
}

/// A label value escaped for the exposition format (backslash, double quote, newline).
pub fn escape_label(v: &str) -> String {
    let mut s = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '"' => s.push_str("\\\""),
            '\n' => s.push_str("\\n"),
            c => s.push(c),
        }
    }
    s
}

impl HealthReport {
    /// Healthy → success (0), degraded → WARNING (1), unhealthy → CRITICAL (2).
    pub fn outcome(&self) -> Outcome {
        match self.run.status {
            Status::Healthy | Status::Skipped => Outcome::Success,
            Status::Degraded => Outcome::Warning,
            Status::Unhealthy => Outcome::Critical,
        }
    }

    fn count(&self, s: Status) -> usize {
        self.run.results.iter().filter(|r| r.status == s).count()
    }

    /// The exposition text.
    pub fn prometheus(&self) -> String {
        let mut o = String::new();
        let family = |name: &str, help: &str, o: &mut String| {
            let _ = writeln!(o, "# HELP {name} {help}");
            let _ = writeln!(o, "# TYPE {name} gauge");
        };
        family(
            "stellar_obs_check_status",
            "Status of a component as seen by stellar-obs check-health: 0 healthy, 1 degraded, 2 unhealthy. Skipped components have no sample.",
            &mut o,
        );
        for r in &self.run.results {
            if let Some(code) = r.status.code() {
                let _ = writeln!(
                    o,
                    "stellar_obs_check_status{{component=\"{}\"}} {code}",
                    escape_label(r.check.name())
                );
            }
        }
        family(
            "stellar_obs_check_latency_seconds",
            "Time the component's probe took in seconds.",
            &mut o,
        );
        for r in &self.run.results {
            if let (Some(l), Some(_)) = (r.latency, r.status.code()) {
                let _ = writeln!(
                    o,
                    "stellar_obs_check_latency_seconds{{component=\"{}\"}} {}",
                    escape_label(r.check.name()),
                    l.as_secs_f64()
                );
            }
        }
        family(
            "stellar_obs_check_skipped",
            "1 for a component that is switched off (endpoint `off`) and was not probed.",
            &mut o,
        );
        for r in &self.run.results {
            if r.status == Status::Skipped {
                let _ = writeln!(
                    o,
                    "stellar_obs_check_skipped{{component=\"{}\"}} 1",
                    escape_label(r.check.name())
                );
            }
        }
        family(
            "stellar_obs_check_overall_status",
            "Worst status of the run: 0 healthy, 1 degraded, 2 unhealthy.",
            &mut o,
        );
        let _ =
            writeln!(o, "stellar_obs_check_overall_status {}", self.run.status.code().unwrap_or(0));
        family(
            "stellar_obs_check_duration_seconds",
            "Wall time of the whole check-health run in seconds.",
            &mut o,
        );
        let _ =
            writeln!(o, "stellar_obs_check_duration_seconds {}", self.run.duration.as_secs_f64());
        family(
            "stellar_obs_check_last_run_timestamp_seconds",
            "Unix time when the check-health run finished.",
            &mut o,
        );
        let ts = self.finished_at.duration_since(UNIX_EPOCH).unwrap_or_default();
        let _ = writeln!(o, "stellar_obs_check_last_run_timestamp_seconds {}", ts.as_secs());
        o
    }
}

impl HealthReport {
    /// One line in the monitoring-plugin style, first line of the human output (Nagios and
    /// Icinga show it): `CRITICAL: connector unhealthy, prometheus degraded (9 healthy,
    /// 1 degraded, 1 unhealthy, 0 skipped in 214ms)`.
    pub fn summary(&self, paint: &Paint) -> String {
        let verdict = match self.run.status {
            Status::Healthy | Status::Skipped => paint.green("OK"),
            Status::Degraded => paint.yellow("WARNING"),
            Status::Unhealthy => paint.red("CRITICAL"),
        };
        let mut bad: Vec<&super::runner::CheckResult> = self
            .run
            .results
            .iter()
            .filter(|r| matches!(r.status, Status::Degraded | Status::Unhealthy))
            .collect();
        bad.sort_by_key(|r| std::cmp::Reverse(r.status));
        let what = if bad.is_empty() {
            "all healthy".to_string()
        } else {
            bad.iter().map(|r| format!("{} {}", r.check, r.status)).collect::<Vec<_>>().join(", ")
        };
        format!(
            "{verdict}: {what} ({} healthy, {} degraded, {} unhealthy, {} skipped in {})",
            self.count(Status::Healthy),
            self.count(Status::Degraded),
            self.count(Status::Unhealthy),
            self.count(Status::Skipped),
            latency(self.run.duration),
        )
    }
}

impl Report for HealthReport {
    fn human(&self, paint: &Paint) -> String {
        let rows: Vec<Vec<String>> = self
            .run
            .results
            .iter()
            .map(|r| {
                vec![
                    r.check.name().to_string(),
                    paint.status(r.status.as_str()),
                    r.latency.map(latency).unwrap_or_else(|| "-".into()),
                    r.message.clone(),
                ]
            })
            .collect();
        let mut s = self.summary(paint);
        s.push('\n');
        s.push_str(&table::render(&["COMPONENT", "STATUS", "LATENCY", "MESSAGE"], &rows));
        s
    }

    fn json(&self) -> serde_json::Value {
        let checks = self
            .run
            .results
            .iter()
            .map(|r| JsonCheck {
                component: r.check.name(),
                status: r.status,
                latency_ms: r.latency.map(ms),
                message: &r.message,
                url: r.url.as_deref(),
                details: &r.details,
            })
            .collect();
        to_json(&JsonReport {
            status: self.run.status,
            checks,
            duration_ms: ms(self.run.duration),
            timeout_ms: ms(self.run.timeout),
            checked_at: crate::clock::rfc3339(self.finished_at),
        })
    }

    fn other(&self, format: OutputFormat) -> Option<String> {
        match format {
            OutputFormat::Prometheus => Some(self.prometheus()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::probe::Check;
    use crate::health::runner::CheckResult;

    fn report() -> HealthReport {
        let row = |check, status, ms: Option<u64>, message: &str| CheckResult {
            check,
            url: Some("http://x".into()),
            status,
            latency: ms.map(Duration::from_millis),
            message: message.into(),
            details: vec![SubCheck::new("a", status, message)],
        };
        HealthReport {
            run: RunResult {
                results: vec![
                    row(
                        Check::Prometheus,
                        Status::Degraded,
                        Some(12),
                        "1 of 2 scrape targets down: x",
                    ),
                    row(
                        Check::NodeExporter,
                        Status::Healthy,
                        Some(3),
                        "node_exporter 1.5.0, 10 samples",
                    ),
                    row(Check::Grafana, Status::Skipped, None, "disabled"),
                ],
                status: Status::Degraded,
                duration: Duration::from_millis(15),
                timeout: Duration::from_secs(5),
            },
            finished_at: UNIX_EPOCH + Duration::from_secs(1_764_102_600),
        }
    }

    #[test]
    fn json_has_the_contract_shape() {
        let j = report().json();
        assert_eq!(j["status"], "degraded");
        assert_eq!(j["checks"][0]["component"], "prometheus");
        assert_eq!(j["checks"][0]["status"], "degraded");
        assert_eq!(j["checks"][0]["latency_ms"], 12);
        assert_eq!(j["checks"][1]["component"], "node_exporter");
        assert_eq!(j["checks"][2]["status"], "skipped");
        assert!(j["checks"][2]["latency_ms"].is_null());
        assert_eq!(j["checks"][0]["details"][0]["check"], "a");
        assert_eq!(j["checked_at"], "2025-11-25T20:30:00Z");
        assert_eq!(report().outcome(), Outcome::Warning);
    }

    #[test]
    fn human_has_a_row_per_component_and_a_verdict() {
        let h = report().human(&Paint::default());
        assert!(
            h.contains("│ prometheus    │ degraded │ 12ms    │ 1 of 2 scrape targets down: x"),
            "{h}"
        );
        assert!(h.contains("│ grafana       │ skipped  │ -       │ disabled"), "{h}");
        assert!(
            h.starts_with("WARNING: prometheus degraded (1 healthy, 1 degraded, 0 unhealthy, 1 skipped in 15ms)\n╭"),
            "{h}"
        );
    }

    #[test]
    fn exposition_parses_back() {
        let text = report().prometheus();
        let e = crate::api::exposition::Exposition::parse(&text);
        let status: Vec<(String, f64)> = e
            .samples("stellar_obs_check_status")
            .map(|s| (s.labels["component"].clone(), s.value))
            .collect();
        assert_eq!(status, vec![("prometheus".into(), 1.0), ("node_exporter".into(), 0.0)]);
        assert_eq!(e.first("stellar_obs_check_overall_status").map(|s| s.value), Some(1.0));
        assert_eq!(
            e.first("stellar_obs_check_skipped").map(|s| s.labels["component"].as_str()),
            Some("grafana")
        );
        assert_eq!(e.first("stellar_obs_check_latency_seconds").map(|s| s.value), Some(0.012));
        assert!(text.contains("# TYPE stellar_obs_check_status gauge\n"));
        assert!(text.ends_with("stellar_obs_check_last_run_timestamp_seconds 1764102600\n"));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
