//! Deciding, from Alertmanager's own counters and log, whether each expected integration
//! has delivered the drill notification, failed, or is still trying. Pure: the drill loop
//! feeds it snapshots.
//!
//! The counters (per integration type; with a `receiver_name` label in current
//! Alertmanager, per receiver too):
//! - `alertmanager_notifications_total`: a notification started (counted before the
//!   first attempt);
//! - `alertmanager_notifications_failed_total`: it finally failed (after retries, when
//!   the group's interval, at least 10s, ran out; at once for an unrecoverable error);
//! - `alertmanager_notification_requests_total` / `..._requests_failed_total`: each
//!   attempt. A delivered notification ends with exactly one successful request, so
//!   successes = requests − failed requests.
//!
//! Counters without a receiver label are shared by every receiver with that integration
//! type (Debian's Alertmanager 0.25): there, the log says which receiver failed
//! ([`super::super::amlog`]); without the log a failure that cannot be attributed is
//! reported as such, never guessed.

use std::collections::BTreeMap;

use crate::alerts::amlog::{Event, EventKind};
use crate::api::exposition::Exposition;

pub const NOTIFICATIONS: &str = "alertmanager_notifications_total";
pub const FAILED: &str = "alertmanager_notifications_failed_total";
pub const REQUESTS: &str = "alertmanager_notification_requests_total";
pub const REQUESTS_FAILED: &str = "alertmanager_notification_requests_failed_total";

/// One integration of one receiver, as Alertmanager names it (`critical/slack[0]`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    pub receiver: String,
    /// `email`, `pagerduty`, `slack`, `webhook`, ... (Alertmanager's integration names).
    pub integration: String,
    /// Index among the receiver's integrations of that type.
    pub index: usize,
    /// Where it goes, for people: a Slack channel, an address, a URL's host.
    pub destination: String,
}

impl Target {
    pub fn key(&self) -> String {
        format!("{}/{}[{}]", self.receiver, self.integration, self.index)
    }
}

/// The four counters for one integration type (and receiver, when labelled).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub notifications: f64,
    pub failed: f64,
    pub requests: f64,
    pub requests_failed: f64,
}

/// Counters keyed by (integration, receiver); the receiver is `None` when Alertmanager's
/// metrics do not carry one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counters {
    pub per_receiver: bool,
    pub counts: BTreeMap<(String, Option<String>), Counts>,
}

impl Counters {
    pub fn from_metrics(e: &Exposition) -> Counters {
        let mut c = Counters::default();
        for s in &e.samples {
            let field: fn(&mut Counts) -> &mut f64 = match s.name.as_str() {
                NOTIFICATIONS => |c| &mut c.notifications,
                FAILED => |c| &mut c.failed,
                REQUESTS => |c| &mut c.requests,
                REQUESTS_FAILED => |c| &mut c.requests_failed,
                _ => continue,
            };
            let Some(integration) = s.labels.get("integration") else { continue };
            let receiver = s.labels.get("receiver_name").cloned();
            c.per_receiver |= receiver.is_some();
            // failed_total may be split by `code`/`reason`: summed here.
            *field(c.counts.entry((integration.clone(), receiver)).or_default()) += s.value;
        }
        c
    }

    /// Whether the notification counters are there at all.
    pub fn present(&self) -> bool {
        !self.counts.is_empty()
    }

    fn get(&self, integration: &str, receiver: Option<&str>) -> Counts {
        self.counts
            .get(&(integration.to_string(), receiver.map(str::to_string)))
            .copied()
            .unwrap_or_default()
    }
}

/// Where an integration stands.
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    /// No attempt seen yet.
    Waiting,
    /// A notification started (no result yet).
    Attempting,
    /// An attempt failed; Alertmanager retries. The error from the log.
    Retrying(String),
    Sent,
    Failed(String),
}

impl State {
    pub fn is_final(&self) -> bool {
        matches!(self, State::Sent | State::Failed(_))
    }
}

fn delta(now: f64, base: f64) -> u64 {
    let d = now - base;
    // A counter that went down: Alertmanager restarted; count from zero.
    let d = if d < 0.0 { now } else { d };
    d.max(0.0).round() as u64
}

/// The state of every target, given counters at the start and now and the log events
/// since the start. `log_available` says whether a log was read at all (to word an
/// unattributable failure).
pub fn assess(
    targets: &[Target],
    base: &Counters,
    now: &Counters,
    events: &[Event],
    log_available: bool,
) -> Vec<State> {
    let mut states = vec![State::Waiting; targets.len()];
    // Targets sharing one set of counters.
    let mut groups: BTreeMap<(String, Option<String>), Vec<usize>> = BTreeMap::new();
    for (i, t) in targets.iter().enumerate() {
        let r = now.per_receiver.then(|| t.receiver.clone());
        groups.entry((t.integration.clone(), r)).or_default().push(i);
    }
    let last = |t: &Target, kind: EventKind| {
        events
            .iter()
            .rev()
            .find(|e| {
                e.kind == kind
                    && e.receiver == t.receiver
                    && e.integration == t.integration
                    && e.index == t.index
            })
            .map(|e| e.error.clone())
    };
    for ((integration, receiver), members) in groups {
        let (b, n) = (
            base.get(&integration, receiver.as_deref()),
            now.get(&integration, receiver.as_deref()),
        );
        let started = delta(n.notifications, b.notifications);
        let failed = delta(n.failed, b.failed);
        let succeeded = delta(n.requests, b.requests)
            .saturating_sub(delta(n.requests_failed, b.requests_failed));
        let mut open = Vec::new();
        let mut failed_known = 0u64;
        let mut succeeded_known = 0u64;
        for &i in &members {
            let t = &targets[i];
            if let Some(err) = last(t, EventKind::Failed) {
                states[i] = State::Failed(err);
                failed_known += 1;
            } else if last(t, EventKind::Succeeded).is_some() {
                states[i] = State::Sent;
                succeeded_known += 1;
            } else {
                open.push(i);
            }
        }
        let failed_unknown = failed.saturating_sub(failed_known);
        let succeeded = succeeded.saturating_sub(succeeded_known);
        let open_n = open.len() as u64;
        if open_n == 0 {
            continue;
        }
        if failed_unknown == 0 && succeeded >= open_n {
            for &i in &open {
                states[i] = State::Sent;
            }
            continue;
        }
        if failed_unknown >= open_n {
            for &i in &open {
                states[i] = State::Failed(last(&targets[i], EventKind::AttemptFailed).unwrap_or_else(|| {
                    format!("the {integration} notification failed (Alertmanager's metrics count it; its log has the error)")
                }));
            }
            continue;
        }
        if failed_unknown > 0 && succeeded + failed_unknown >= open_n {
            // Every open target has a result, but the counters do not say whose is whose.
            let retrying: Vec<usize> = open
                .iter()
                .copied()
                .filter(|&i| last(&targets[i], EventKind::AttemptFailed).is_some())
                .collect();
            if retrying.len() as u64 == failed_unknown {
                for &i in &open {
                    states[i] = match last(&targets[i], EventKind::AttemptFailed) {
                        Some(e) => State::Failed(e),
                        None => State::Sent,
                    };
                }
            } else {
                let why = if log_available {
                    "the log does not say which"
                } else {
                    "pass --alertmanager-log (or run it beside the stack's Compose project) for which one"
                };
                let msg = format!(
                    "{failed_unknown} of {open_n} {integration} notifications failed and Alertmanager's metrics do not name the receiver: {why}"
                );
                for &i in &open {
                    states[i] = State::Failed(msg.clone());
                }
            }
            continue;
        }
        // Still going. The successes so far belong to targets whose attempts have not
        // failed (a retrying one has not succeeded yet, or the log would say so).
        let clean =
            open.iter().filter(|&&i| last(&targets[i], EventKind::AttemptFailed).is_none()).count()
                as u64;
        for &i in &open {
            states[i] = match last(&targets[i], EventKind::AttemptFailed) {
                Some(e) => State::Retrying(e),
                None if failed_unknown == 0 && clean > 0 && succeeded >= clean => State::Sent,
                None if started > 0 => State::Attempting,
                None => State::Waiting,
            };
        }
    }
    states
}

/// The states at the deadline: whatever is not final failed, saying why.
pub fn at_deadline(states: &[State], waited: &str) -> Vec<State> {
    states
        .iter()
        .map(|s| match s {
            State::Sent | State::Failed(_) => s.clone(),
            State::Waiting => State::Failed(format!("no delivery attempt within {waited}")),
            State::Attempting => {
                State::Failed(format!("the notification did not finish within {waited}"))
            }
            State::Retrying(e) => {
                State::Failed(format!("still failing after {waited}, Alertmanager retries: {e}"))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(r: &str, i: &str, idx: usize) -> Target {
        Target { receiver: r.into(), integration: i.into(), index: idx, destination: String::new() }
    }

    fn metrics(text: &str) -> Counters {
        Counters::from_metrics(&Exposition::parse(text))
    }

    fn ev(kind: EventKind, r: &str, err: &str) -> Event {
        Event {
            kind,
            receiver: r.into(),
            integration: "webhook".into(),
            index: 0,
            error: err.into(),
            time: None,
        }
    }

    const BASE_025: &str = "\
# TYPE alertmanager_notifications_total counter
alertmanager_notifications_total{integration=\"webhook\"} 4
alertmanager_notifications_failed_total{integration=\"webhook\"} 1
alertmanager_notification_requests_total{integration=\"webhook\"} 9
alertmanager_notification_requests_failed_total{integration=\"webhook\"} 5
alertmanager_notifications_total{integration=\"email\"} 0
";

    #[test]
    fn counters_are_read_with_and_without_receiver_labels() {
        let c = metrics(BASE_025);
        assert!(!c.per_receiver && c.present());
        assert_eq!(c.get("webhook", None).requests, 9.0);
        let c = metrics(
            "alertmanager_notifications_failed_total{integration=\"slack\",reason=\"serverError\",receiver_name=\"critical\"} 2\nalertmanager_notifications_failed_total{integration=\"slack\",reason=\"other\",receiver_name=\"critical\"} 1\n",
        );
        assert!(c.per_receiver);
        assert_eq!(c.get("slack", Some("critical")).failed, 3.0);
    }

    #[test]
    fn shared_counters_and_the_log_name_the_failing_receiver() {
        let t = [target("ok", "webhook", 0), target("bad", "webhook", 0)];
        let base = metrics(BASE_025);
        // Both started; one success; one attempt failed (retrying).
        let mid =
            metrics(&BASE_025.replace("} 4", "} 6").replace("} 9", "} 12").replace("} 5", "} 7"));
        let events = vec![ev(EventKind::AttemptFailed, "bad", "unexpected status code 500")];
        let s = assess(&t, &base, &mid, &events, true);
        assert_eq!(s[0], State::Sent, "one success, one retrying: the other is the success");
        assert_eq!(s[1], State::Retrying("unexpected status code 500".into()));
        // Alertmanager gives up: failed_total goes up and the log names it.
        let end = metrics(
            &BASE_025
                .replace("} 4", "} 6")
                .replace("} 9", "} 14")
                .replace("} 5", "} 9")
                .replace("} 1\n", "} 2\n"),
        );
        let mut events = events;
        events.push(ev(EventKind::Failed, "bad", "notify retry canceled after 5 attempts: 500"));
        let s = assess(&t, &base, &end, &events, true);
        assert_eq!(s[0], State::Sent);
        assert_eq!(s[1], State::Failed("notify retry canceled after 5 attempts: 500".into()));
    }

    #[test]
    fn without_the_log_an_unattributable_failure_is_not_guessed() {
        let t = [target("ok", "webhook", 0), target("bad", "webhook", 0)];
        let base = metrics(BASE_025);
        let end = metrics(
            &BASE_025
                .replace("} 4", "} 6")
                .replace("} 9", "} 11")
                .replace("} 5", "} 6")
                .replace("} 1\n", "} 2\n"),
        );
        let s = assess(&t, &base, &end, &[], false);
        for st in &s {
            match st {
                State::Failed(m) => assert!(m.contains("--alertmanager-log"), "{m}"),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn per_receiver_counters_need_no_log() {
        let t = [target("ok", "webhook", 0), target("bad", "webhook", 0)];
        let line = |r: &str, n: u32, f: u32, q: u32, qf: u32| {
            format!(
                "alertmanager_notifications_total{{integration=\"webhook\",receiver_name=\"{r}\"}} {n}\nalertmanager_notifications_failed_total{{integration=\"webhook\",receiver_name=\"{r}\"}} {f}\nalertmanager_notification_requests_total{{integration=\"webhook\",receiver_name=\"{r}\"}} {q}\nalertmanager_notification_requests_failed_total{{integration=\"webhook\",receiver_name=\"{r}\"}} {qf}\n"
            )
        };
        let base = metrics(&(line("ok", 0, 0, 0, 0) + &line("bad", 0, 0, 0, 0)));
        let now = metrics(&(line("ok", 1, 0, 1, 0) + &line("bad", 1, 1, 4, 4)));
        let s = assess(&t, &base, &now, &[], false);
        assert_eq!(s[0], State::Sent);
        assert!(matches!(&s[1], State::Failed(m) if m.contains("its log")), "{:?}", s[1]);
    }

    #[test]
    fn nothing_yet_then_the_deadline() {
        let t = [target("critical", "email", 0)];
        let base = metrics(BASE_025);
        let s = assess(&t, &base, &base, &[], true);
        assert_eq!(s, vec![State::Waiting]);
        let started =
            metrics(&BASE_025.replace("integration=\"email\"} 0", "integration=\"email\"} 1"));
        assert_eq!(assess(&t, &base, &started, &[], true), vec![State::Attempting]);
        let d = at_deadline(&[State::Waiting, State::Sent, State::Retrying("x".into())], "30s");
        assert_eq!(d[0], State::Failed("no delivery attempt within 30s".into()));
        assert_eq!(d[1], State::Sent);
        assert!(matches!(&d[2], State::Failed(m) if m.ends_with(": x")));
    }

    #[test]
    fn a_restarted_alertmanager_counts_from_zero() {
        assert_eq!(delta(2.0, 10.0), 2);
        assert_eq!(delta(12.0, 10.0), 2);
    }
}
