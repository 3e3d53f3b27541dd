//! The drill's plan: the alert it posts (labels, annotations that say it is a drill and who
//! started it) and what the Alertmanager configuration says should happen to it (receivers,
//! their integrations, group timers).

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use anyhow::Result;

use super::watch::Target;
use crate::api::alertmanager::PostableAlert;
use crate::cli::DrillArgs;
use crate::clock::rfc3339;
use crate::outcome::UsageError;

pub const ALERTNAME: &str = "StellarObsDrill";

/// Labels the drill sets itself (`--label` may not replace them).
const OWN_LABELS: [&str; 3] = ["alertname", "severity", "drill_id"];

/// What the configuration says happens to the drill alert.
#[derive(Debug, Clone, Default)]
pub struct Expectation {
    /// Receivers, in routing order.
    pub receivers: Vec<String>,
    /// Every integration of those receivers.
    pub targets: Vec<Target>,
    pub group_by: Option<Vec<String>>,
    pub group_wait: Option<Duration>,
    pub group_interval: Option<Duration>,
    /// Where the configuration came from.
    pub source: String,
    /// Routes muted by their time intervals right now (sentences).
    pub muted: Vec<String>,
    /// Receivers whose every matching route is muted now: (receiver, why).
    pub muted_receivers: Vec<(String, String)>,
    /// Why the expectation may be incomplete (the configuration has errors, ...).
    pub notes: Vec<String>,
}

/// The alert and who started the drill.
#[derive(Debug, Clone)]
pub struct Drill {
    pub drill_id: String,
    pub started_by: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
}

/// `YYYYmmddTHHMMSSZ-xxxxxx`: sortable, and unique enough for concurrent drills.
pub fn new_drill_id(now: SystemTime) -> String {
    let r: u32 = rand::random();
    format!("{}-{:06x}", crate::clock::file_stamp(now), r & 0xff_ffff)
}

/// The machine's name, for "who started it".
fn host_name() -> Option<String> {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty() && h.len() <= 253)
}

/// Build the drill alert from the command line. `--label` values are `NAME=VALUE`.
pub fn drill(a: &DrillArgs, now: SystemTime, user: Option<String>) -> Result<Drill> {
    let user = user.unwrap_or_else(|| "unknown user".into());
    let started_by = match host_name() {
        Some(h) => format!("{user}@{h}"),
        None => user,
    };
    let drill_id = new_drill_id(now);
    let severity = a.severity.name();
    let mut labels = BTreeMap::from([
        ("alertname".to_string(), ALERTNAME.to_string()),
        ("severity".to_string(), severity.to_string()),
        ("drill_id".to_string(), drill_id.clone()),
    ]);
    for l in &a.labels {
        let Some((k, v)) = l.split_once('=') else {
            return Err(UsageError(format!("--label {l:?}: expected NAME=VALUE")).into());
        };
        let k = k.trim();
        if k.is_empty() || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(UsageError(format!("--label {l:?}: {k:?} is not a label name")).into());
        }
        if OWN_LABELS.contains(&k) {
            return Err(UsageError(format!(
                "--label {l:?}: the drill sets {k} itself (use --severity for the route)"
            ))
            .into());
        }
        labels.insert(k.to_string(), v.to_string());
    }
    let annotations = BTreeMap::from([
        (
            "summary".to_string(),
            format!(
                "DRILL ({severity}): stellar-obs alert delivery test started by {started_by}. No action needed."
            ),
        ),
        (
            "description".to_string(),
            format!(
                "This is a drill, not an incident. {started_by} ran `stellar-obs alerts drill` at {} to prove that {severity} alerts reach everyone they should (drill_id {drill_id}). It is resolved when the drill ends.",
                rfc3339(now)
            ),
        ),
        ("started_by".to_string(), started_by.clone()),
    ]);
    Ok(Drill { drill_id, started_by, labels, annotations })
}

impl Drill {
    /// The alert, firing from `start` until `ends_at` (a safety net: Alertmanager resolves
    /// it by itself then, should the drill die without resolving it).
    pub fn firing(&self, start: SystemTime, ends_at: SystemTime) -> PostableAlert {
        PostableAlert {
            labels: self.labels.clone(),
            annotations: self.annotations.clone(),
            starts_at: Some(rfc3339(start)),
            ends_at: Some(rfc3339(ends_at)),
            generator_url: None,
        }
    }

    /// The same alert, resolved now.
    pub fn resolved(&self, start: SystemTime, now: SystemTime) -> PostableAlert {
        let mut a = self.firing(start, now);
        a.ends_at = Some(rfc3339(now));
        a
    }

    /// The API filter that finds this drill's alert.
    pub fn filter(&self) -> String {
        format!("drill_id=\"{}\"", self.drill_id)
    }
}

/// The timeout when `--timeout` is not given: the route's group_wait plus two minutes
/// (a failing integration is retried for the group's interval, at least 10 s).
pub fn default_timeout(e: &Expectation) -> Duration {
    e.group_wait.unwrap_or(Duration::from_secs(30)) + Duration::from_secs(120)
}

/// What the Alertmanager configuration says happens to an alert with `labels`: the
/// shared model (`alerting::Config`) routes it. `Err` carries the first error when the
/// configuration does not validate.
pub fn expect(
    yaml: &str,
    labels: &BTreeMap<String, String>,
    source: &str,
) -> std::result::Result<Expectation, String> {
    let config = crate::alerting::Config::parse(source, yaml)
        .map_err(|diags| crate::alerting::LoadError::Invalid(diags).to_string())?;
    Ok(from_config(&config, labels, source))
}

/// [`expect`] on a loaded configuration.
pub fn from_config(
    config: &crate::alerting::Config,
    labels: &BTreeMap<String, String>,
    source: &str,
) -> Expectation {
    let mut e = Expectation { source: source.to_string(), ..Default::default() };
    let matches = config.route_alert_at(labels, jiff::Timestamp::now());
    for m in &matches {
        if !e.receivers.contains(&m.receiver) {
            e.receivers.push(m.receiver.clone());
        }
        if let Some(why) = &m.muted {
            e.muted.push(format!(
                "the route {} to {} is {why} now: it notifies nobody",
                m.route_path, m.receiver
            ));
        }
    }
    for r in &e.receivers {
        let routes: Vec<_> = matches.iter().filter(|m| &m.receiver == r).collect();
        if let Some(why) = routes.iter().map(|m| m.muted.as_ref()).collect::<Option<Vec<_>>>() {
            let why: Vec<String> = why.iter().map(ToString::to_string).collect();
            e.muted_receivers.push((
                r.clone(),
                format!("its route is {} now: Alertmanager notifies nobody", why.join("; ")),
            ));
        }
    }
    if let Some(first) = matches.first() {
        e.group_by = Some(first.group_by.names());
        e.group_wait = matches.iter().map(|m| Duration::from_millis(m.group_wait_ms)).max();
        e.group_interval = Some(Duration::from_millis(first.group_interval_ms));
    }
    for r in &e.receivers {
        let Some(receiver) = config.receiver(r) else { continue };
        let mut per_kind: BTreeMap<&str, usize> = BTreeMap::new();
        for i in &receiver.integrations {
            let n = per_kind.entry(i.kind.as_str()).or_default();
            e.targets.push(Target {
                receiver: r.clone(),
                integration: i.kind.clone(),
                index: *n,
                destination: i.destination.clone().unwrap_or_default(),
            });
            *n += 1;
        }
    }
    if let (Some(first), Some(by)) = (matches.first(), &e.group_by)
        && !matches!(first.group_by, crate::alerting::GroupBy::All)
        && !by.iter().any(|l| l == "alertname" || l == "drill_id")
    {
        e.notes.push(format!(
            "the route groups by {} only: the drill alert joins any firing group with the same labels, and then waits for that group's next group_interval ({}) instead of group_wait",
            if by.is_empty() { "nothing".to_string() } else { by.join(", ") },
            crate::lint::schema::values::duration_string(first.group_interval_ms)
        ));
    }
    e.notes.extend(e.muted.iter().cloned());
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::DrillSeverity;

    fn args(labels: &[&str]) -> DrillArgs {
        DrillArgs {
            severity: DrillSeverity::Warning,
            labels: labels.iter().map(|s| s.to_string()).collect(),
            timeout: None,
            dry_run: false,
            yes: false,
            alertmanager_log: None,
        }
    }

    #[test]
    fn the_alert_says_it_is_a_drill_and_who_started_it() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_000_000);
        let d = drill(&args(&["team=ops"]), now, Some("alice".into())).expect("drill");
        assert_eq!(d.labels["alertname"], ALERTNAME);
        assert_eq!(d.labels["severity"], "warning");
        assert_eq!(d.labels["team"], "ops");
        assert!(d.drill_id.starts_with("20260528T"), "{}", d.drill_id);
        assert!(d.started_by.starts_with("alice"));
        assert!(d.annotations["summary"].starts_with("DRILL (warning)"));
        assert!(d.annotations["summary"].contains("alice"));
        assert!(d.annotations["description"].contains(&d.drill_id));
        assert_eq!(d.filter(), format!("drill_id=\"{}\"", d.drill_id));
        let r = d.resolved(now, now + Duration::from_secs(5));
        assert_eq!(r.ends_at.as_deref(), Some("2026-05-28T20:26:45Z"));
        let other = drill(&args(&[]), now, Some("alice".into())).expect("drill");
        assert_ne!(other.drill_id, d.drill_id, "unique per drill");
    }

    #[test]
    fn a_route_muted_now_is_known_before_posting() {
        let yaml = "route:\n  receiver: a\n  routes:\n    - matchers: ['severity=\"critical\"']\n      receiver: b\n      mute_time_intervals: [always]\n      continue: true\n    - matchers: ['severity=\"critical\"']\n      receiver: a\nreceivers:\n  - name: a\n    webhook_configs: [{url: 'http://127.0.0.1:9/a'}]\n  - name: b\n    webhook_configs: [{url: 'http://127.0.0.1:9/b'}]\ntime_intervals:\n  - name: always\n    time_intervals:\n      - weekdays: ['sunday:saturday']\n";
        let labels = BTreeMap::from([("severity".to_string(), "critical".to_string())]);
        let e = expect(yaml, &labels, "am.yml").expect("valid");
        assert_eq!(e.receivers, ["b", "a"]);
        assert_eq!(e.muted_receivers.len(), 1, "{:?}", e.muted_receivers);
        assert_eq!(e.muted_receivers[0].0, "b");
        assert!(e.muted_receivers[0].1.contains("always"), "{:?}", e.muted_receivers);
        assert_eq!(e.targets[0].destination, "http://127.0.0.1:9");
    }

    #[test]
    fn labels_are_checked() {
        let now = SystemTime::now();
        for bad in ["novalue", "drill_id=x", "severity=info", "bad name=x"] {
            let e = drill(&args(&[bad]), now, None).expect_err(bad);
            assert!(e.downcast_ref::<UsageError>().is_some(), "{bad}: {e}");
        }
    }

    #[test]
    fn the_stack_routes_a_critical_drill_to_pagerduty_slack_and_email() {
        let yaml = crate::templates::text("alerting/alertmanager.yml").expect("template");
        let labels = BTreeMap::from([
            ("alertname".to_string(), ALERTNAME.to_string()),
            ("severity".to_string(), "critical".to_string()),
        ]);
        let e = expect(yaml, &labels, "alertmanager.yml").expect("valid");
        assert_eq!(e.receivers, vec!["critical".to_string()]);
        let keys: Vec<String> =
            e.targets.iter().map(|t| format!("{} → {}", t.key(), t.destination)).collect();
        assert_eq!(
            keys,
            [
                "critical/pagerduty[0] → Events API v2",
                "critical/slack[0] → #ops-critical",
                "critical/email[0] → oncall@example.com"
            ]
        );
        assert_eq!(e.group_wait, Some(Duration::from_secs(10)));
        assert_eq!(default_timeout(&e), Duration::from_secs(130));
        assert!(e.muted.is_empty());
        assert!(e.notes.is_empty(), "{:?}", e.notes);
        let info = BTreeMap::from([("severity".to_string(), "info".to_string())]);
        let i = expect(yaml, &info, "alertmanager.yml").expect("valid");
        assert!(
            i.notes.iter().any(|n| n.contains("groups by severity only") && n.contains("(1d)")),
            "{:?}",
            i.notes
        );
        let bad = expect("route: {}\n", &labels, "x.yml").expect_err("invalid");
        assert!(bad.contains("x.yml:"), "{bad}");
    }
}
