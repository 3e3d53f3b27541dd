//! Running the probes: all at once (tokio tasks), each bounded by the timeout, the whole run
//! bounded by a deadline slightly above it; then the rows in report order and the overall
//! status.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

use super::probe::{Check, Finding, Probe, Status, SubCheck};
use crate::api::http::fmt_duration;

/// A probe's own safety margin over the HTTP timeout: the HTTP client's timeout normally
/// fires first and says which request hung; this one catches anything else.
pub const PROBE_GRACE: Duration = Duration::from_millis(100);
/// The whole run's margin over the timeout.
pub const RUN_GRACE: Duration = Duration::from_millis(250);

/// One row to fill: a probe to run, or a component that is switched off.
#[derive(Clone)]
pub enum Planned {
    Probe { probe: Arc<dyn Probe>, url: Option<String> },
    Skip { check: Check, reason: String },
}

impl Planned {
    pub fn check(&self) -> Check {
        match self {
            Planned::Probe { probe, .. } => probe.check(),
            Planned::Skip { check, .. } => *check,
        }
    }

    fn url(&self) -> Option<String> {
        match self {
            Planned::Probe { url, .. } => url.clone(),
            Planned::Skip { .. } => None,
        }
    }
}

impl std::fmt::Debug for Planned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Planned::Probe { url, .. } => write!(f, "Probe({}, {url:?})", self.check()),
            Planned::Skip { check, reason } => write!(f, "Skip({check}, {reason})"),
        }
    }
}

/// One finished row.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckResult {
    pub check: Check,
    pub url: Option<String>,
    pub status: Status,
    /// `None` for skipped rows.
    pub latency: Option<Duration>,
    pub message: String,
    pub details: Vec<SubCheck>,
}

/// A whole run.
#[derive(Debug, Clone)]
pub struct RunResult {
    pub results: Vec<CheckResult>,
    pub status: Status,
    pub duration: Duration,
    pub timeout: Duration,
}

/// How to run.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Each probe's time limit (`--timeout`).
    pub timeout: Duration,
    /// One after the other (only to measure what concurrency buys: see BENCHMARKS.md).
    pub sequential: bool,
}

fn no_answer(timeout: Duration, url: Option<&str>) -> Finding {
    let where_ = url.map(|u| format!(" [{u}]")).unwrap_or_default();
    Finding::single(SubCheck::unhealthy(
        "answer",
        format!("no answer within {}{where_}", fmt_duration(timeout)),
    ))
}

async fn run_one(
    probe: Arc<dyn Probe>,
    limit: Duration,
    timeout: Duration,
    url: Option<String>,
) -> (Finding, Duration) {
    let t0 = Instant::now();
    let f = match tokio::time::timeout(limit, probe.run()).await {
        Ok(f) => f,
        Err(_) => no_answer(timeout, url.as_deref()),
    };
    (f, t0.elapsed())
}

/// Run `plan` and return its rows in the order of `plan`.
pub async fn run(plan: Vec<Planned>, opts: RunOptions) -> RunResult {
    let start = Instant::now();
    let limit = opts.timeout + PROBE_GRACE;
    let n = plan.len();
    let mut slots: Vec<Option<(Finding, Option<Duration>)>> = vec![None; n];
    let meta: Vec<(Check, Option<String>)> = plan.iter().map(|p| (p.check(), p.url())).collect();

    if opts.sequential {
        for (i, p) in plan.into_iter().enumerate() {
            slots[i] = Some(match p {
                Planned::Skip { reason, .. } => (Finding::skipped(reason), None),
                Planned::Probe { probe, url } => {
                    let (f, d) = run_one(probe, limit, opts.timeout, url).await;
                    (f, Some(d))
                }
            });
        }
    } else {
        let mut set = JoinSet::new();
        for (i, p) in plan.into_iter().enumerate() {
            match p {
                Planned::Skip { reason, .. } => slots[i] = Some((Finding::skipped(reason), None)),
                Planned::Probe { probe, url } => {
                    set.spawn(async move {
                        let (f, d) = run_one(probe, limit, opts.timeout, url).await;
                        (i, f, d)
                    });
                }
            }
        }
        let deadline = tokio::time::Instant::from_std(start + opts.timeout + RUN_GRACE);
        loop {
            match tokio::time::timeout_at(deadline, set.join_next()).await {
                Ok(Some(Ok((i, f, d)))) => slots[i] = Some((f, Some(d))),
                // A probe panicked: its slot stays empty and is reported below.
                Ok(Some(Err(_))) => {}
                Ok(None) => break,
                Err(_) => {
                    set.abort_all();
                    break;
                }
            }
        }
    }

    let elapsed = start.elapsed();
    let results: Vec<CheckResult> = slots
        .into_iter()
        .zip(meta)
        .map(|(slot, (check, url))| {
            let (f, latency) = match slot {
                Some(s) => s,
                None if elapsed >= opts.timeout => {
                    (no_answer(opts.timeout, url.as_deref()), Some(elapsed))
                }
                None => (
                    Finding::single(SubCheck::unhealthy("probe", "the probe failed unexpectedly")),
                    Some(elapsed),
                ),
            };
            CheckResult {
                check,
                url,
                status: f.status,
                latency,
                message: f.message,
                details: f.details,
            }
        })
        .collect();
    let status = Status::overall(results.iter().map(|r| r.status));
    RunResult { results, status, duration: start.elapsed(), timeout: opts.timeout }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::probe::ProbeFuture;

    /// A probe that sleeps, then answers `status`; or never answers.
    struct Sleepy {
        check: Check,
        delay: Option<Duration>,
        status: Status,
    }

    impl Probe for Sleepy {
        fn check(&self) -> Check {
            self.check
        }
        fn run(&self) -> ProbeFuture<'_> {
            Box::pin(async move {
                match self.delay {
                    Some(d) => tokio::time::sleep(d).await,
                    None => std::future::pending::<()>().await,
                }
                Finding::single(SubCheck::new("x", self.status, "done"))
            })
        }
    }

    fn probe(check: Check, ms: Option<u64>, status: Status) -> Planned {
        Planned::Probe {
            probe: Arc::new(Sleepy { check, delay: ms.map(Duration::from_millis), status }),
            url: Some(format!("http://{check}")),
        }
    }

    #[tokio::test]
    async fn probes_run_concurrently_and_keep_plan_order() {
        let plan = vec![
            probe(Check::Prometheus, Some(200), Status::Healthy),
            probe(Check::Grafana, Some(50), Status::Degraded),
            Planned::Skip { check: Check::Loki, reason: "off".into() },
            probe(Check::Cadvisor, Some(150), Status::Healthy),
        ];
        let r = run(plan, RunOptions { timeout: Duration::from_secs(2), sequential: false }).await;
        assert!(r.duration < Duration::from_millis(380), "{:?}", r.duration);
        let order: Vec<Check> = r.results.iter().map(|c| c.check).collect();
        assert_eq!(order, vec![Check::Prometheus, Check::Grafana, Check::Loki, Check::Cadvisor]);
        assert_eq!(r.status, Status::Degraded);
        assert_eq!(r.results[2].status, Status::Skipped);
        assert_eq!(r.results[2].latency, None);
        assert!(r.results[0].latency.is_some_and(|l| l >= Duration::from_millis(200)));
    }

    #[tokio::test]
    async fn sequential_adds_up() {
        let plan = vec![
            probe(Check::Prometheus, Some(100), Status::Healthy),
            probe(Check::Grafana, Some(100), Status::Healthy),
        ];
        let r = run(plan, RunOptions { timeout: Duration::from_secs(2), sequential: true }).await;
        assert!(r.duration >= Duration::from_millis(200));
        assert_eq!(r.status, Status::Healthy);
    }

    #[tokio::test]
    async fn a_hung_probe_is_unhealthy_within_the_deadline() {
        let plan = vec![
            probe(Check::Prometheus, None, Status::Healthy),
            probe(Check::Grafana, Some(10), Status::Healthy),
        ];
        let timeout = Duration::from_millis(300);
        let r = run(plan, RunOptions { timeout, sequential: false }).await;
        assert!(r.duration < timeout + RUN_GRACE + Duration::from_millis(100), "{:?}", r.duration);
        assert_eq!(r.results[0].status, Status::Unhealthy);
        assert_eq!(r.results[0].message, "no answer within 300ms [http://prometheus]");
        assert_eq!(r.results[1].status, Status::Healthy);
        assert_eq!(r.status, Status::Unhealthy);
    }
}
