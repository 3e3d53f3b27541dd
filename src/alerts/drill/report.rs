//! What `alerts drill` shows: the plan (receivers, integrations, destinations) and, after a
//! run, per integration sent/failed with Alertmanager's error and the latency.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::json;

use super::plan::{Drill, Expectation};
use super::watch::{State, Target};
use crate::api::http::fmt_duration;
use crate::outcome::Outcome;
use crate::output::{Paint, Report, safe_text, table};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// No `--yes`: the plan, nothing posted (exit 1).
    Plan,
    /// `--dry-run`: the plan, nothing posted (exit 0).
    DryRun,
    /// A real drill.
    Run,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Plan => "plan",
            Mode::DryRun => "dry-run",
            Mode::Run => "run",
        }
    }
}

/// One watched integration.
#[derive(Debug, Clone)]
pub struct Row {
    pub target: Target,
    pub state: State,
    /// From posting the alert to the result.
    pub latency: Option<Duration>,
}

#[derive(Debug, Clone)]
pub struct DrillReport {
    pub mode: Mode,
    pub drill: Drill,
    pub expected: Expectation,
    pub timeout: Duration,
    /// The receivers Alertmanager put the alert's groups under (a run).
    pub actual_receivers: Option<Vec<String>>,
    /// The group labels of those groups.
    pub groups: Vec<BTreeMap<String, String>>,
    pub rows: Vec<Row>,
    pub problems: Vec<String>,
    pub timed_out: bool,
    /// Whether the alert was resolved at the end (a run): the error otherwise.
    pub resolved: Option<Result<(), String>>,
    /// Where Alertmanager's errors were read from.
    pub log: String,
}

/// `30m`, `1h30m`, as Alertmanager's configuration writes durations.
fn go_duration(d: Duration) -> String {
    crate::lint::schema::values::duration_string(d.as_millis() as u64)
}

fn labels_text(l: &BTreeMap<String, String>) -> String {
    let parts: Vec<String> = l.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
    format!("{{{}}}", parts.join(", "))
}

fn status_name(s: &State) -> &'static str {
    match s {
        State::Sent => "sent",
        State::Failed(_) => "failed",
        State::Waiting => "waiting",
        State::Attempting => "attempting",
        State::Retrying(_) => "retrying",
    }
}

fn error_of(s: &State) -> &str {
    match s {
        State::Failed(e) | State::Retrying(e) => e,
        _ => "",
    }
}

impl DrillReport {
    pub fn plan(mode: Mode, drill: Drill, expected: Expectation, timeout: Duration) -> Self {
        DrillReport {
            mode,
            drill,
            expected,
            timeout,
            actual_receivers: None,
            groups: Vec::new(),
            rows: Vec::new(),
            problems: Vec::new(),
            timed_out: false,
            resolved: None,
            log: String::new(),
        }
    }

    pub fn failed(&self) -> Vec<&Row> {
        self.rows.iter().filter(|r| !matches!(r.state, State::Sent)).collect()
    }

    pub fn outcome(&self) -> Outcome {
        match self.mode {
            Mode::Plan => Outcome::Failure,
            Mode::DryRun => Outcome::Success,
            Mode::Run => {
                if self.problems.is_empty() && !self.rows.is_empty() && self.failed().is_empty() {
                    Outcome::Success
                } else {
                    Outcome::Failure
                }
            }
        }
    }

    fn plan_text(&self, p: &Paint) -> String {
        let mut out = String::new();
        let line = |k: &str, v: &str| format!("  {:<11}{v}\n", k);
        out.push_str(&line("alert", &safe_text(&labels_text(&self.drill.labels), 1000)));
        if let Some(s) = self.drill.annotations.get("summary") {
            out.push_str(&line("summary", &safe_text(s, 400)));
        }
        out.push_str(&line("config", &safe_text(&self.expected.source, 300)));
        let receivers = if self.expected.receivers.is_empty() {
            p.yellow("(not known before posting)")
        } else {
            self.expected.receivers.join(", ")
        };
        out.push_str(&line("receivers", &safe_text(&receivers, 400)));
        if let Some(g) = &self.expected.group_by {
            out.push_str(&line("group_by", &g.join(", ")));
        }
        if let Some(w) = self.expected.group_wait {
            out.push_str(&line("group_wait", &go_duration(w)));
        }
        out.push_str(&line("timeout", &go_duration(self.timeout)));
        for n in &self.expected.notes {
            out.push_str(&format!("  {} {}\n", p.yellow("note:"), safe_text(n, 400)));
        }
        out
    }

    fn targets_table(&self) -> String {
        let rows: Vec<Vec<String>> = self
            .expected
            .targets
            .iter()
            .map(|t| {
                vec![
                    safe_text(&t.receiver, 80),
                    format!("{}[{}]", t.integration, t.index),
                    safe_text(&t.destination, 120),
                ]
            })
            .collect();
        if rows.is_empty() {
            return String::new();
        }
        table::render(&["RECEIVER", "INTEGRATION", "DESTINATION"], &rows)
    }
}

impl Report for DrillReport {
    fn human(&self, p: &Paint) -> String {
        let mut out = String::new();
        match self.mode {
            Mode::Plan | Mode::DryRun => {
                let head = if self.mode == Mode::Plan {
                    "Drill plan: nothing was posted. These people would be notified; run again with --yes to do it."
                } else {
                    "Drill dry run: nothing was posted. This alert would go to:"
                };
                out.push_str(&p.bold(head));
                out.push('\n');
                out.push_str(&self.plan_text(p));
                out.push_str(&self.targets_table());
                return out;
            }
            Mode::Run => {}
        }
        out.push_str(&format!(
            "{} {} (started by {})\n",
            p.bold("Drill"),
            safe_text(&self.drill.drill_id, 80),
            safe_text(&self.drill.started_by, 120)
        ));
        if let Some(a) = &self.actual_receivers {
            let groups: Vec<String> = self.groups.iter().map(labels_text).collect();
            out.push_str(&format!(
                "  routed to  {}{}\n",
                safe_text(&a.join(", "), 400),
                if groups.is_empty() {
                    String::new()
                } else {
                    format!(" (group {})", safe_text(&groups.join(", "), 400))
                }
            ));
        }
        if !self.rows.is_empty() {
            let rows: Vec<Vec<String>> = self
                .rows
                .iter()
                .map(|r| {
                    let st = match &r.state {
                        State::Sent => p.green("sent"),
                        State::Failed(_) => p.red("failed"),
                        other => p.yellow(status_name(other)),
                    };
                    vec![
                        safe_text(&r.target.receiver, 80),
                        format!("{}[{}]", r.target.integration, r.target.index),
                        safe_text(&r.target.destination, 80),
                        st,
                        r.latency.map(fmt_duration).unwrap_or_else(|| "-".into()),
                        safe_text(error_of(&r.state), 300),
                    ]
                })
                .collect();
            out.push_str(&table::render(
                &["RECEIVER", "INTEGRATION", "DESTINATION", "RESULT", "LATENCY", "ERROR"],
                &rows,
            ));
        }
        for pr in &self.problems {
            out.push_str(&format!("{} {}\n", p.red("problem:"), safe_text(pr, 600)));
        }
        let failed = self.failed();
        let sent = self.rows.len() - failed.len();
        if !self.rows.is_empty() {
            let names: Vec<String> = failed.iter().map(|r| r.target.key()).collect();
            out.push_str(&format!(
                "{sent} of {} integrations delivered{}\n",
                self.rows.len(),
                if names.is_empty() {
                    String::new()
                } else {
                    format!("; failed: {}", safe_text(&names.join(", "), 600))
                }
            ));
        }
        match &self.resolved {
            Some(Ok(())) => out.push_str(
                "the drill alert is resolved (receivers with send_resolved get a resolved notice)\n",
            ),
            Some(Err(e)) => out.push_str(&format!(
                "{} the drill alert could not be resolved: {}\n",
                p.red("problem:"),
                safe_text(e, 400)
            )),
            None => {}
        }
        out
    }

    fn json(&self) -> serde_json::Value {
        let targets: Vec<serde_json::Value> = self
            .expected
            .targets
            .iter()
            .map(|t| {
                json!({"receiver": t.receiver, "integration": t.integration, "index": t.index, "destination": t.destination})
            })
            .collect();
        let results: Vec<serde_json::Value> = self
            .rows
            .iter()
            .map(|r| {
                json!({
                    "receiver": r.target.receiver,
                    "integration": r.target.integration,
                    "index": r.target.index,
                    "destination": r.target.destination,
                    "status": status_name(&r.state),
                    "error": error_of(&r.state),
                    "latency_ms": r.latency.map(|d| d.as_millis() as u64),
                })
            })
            .collect();
        let mut v = json!({
            "mode": self.mode.name(),
            "drill_id": self.drill.drill_id,
            "started_by": self.drill.started_by,
            "alert": {"labels": self.drill.labels, "annotations": self.drill.annotations},
            "config_source": self.expected.source,
            "expected": {
                "receivers": self.expected.receivers,
                "integrations": targets,
                "group_by": self.expected.group_by,
                "group_wait_s": self.expected.group_wait.map(|d| d.as_secs_f64()),
            },
            "timeout_s": self.timeout.as_secs_f64(),
            "notes": self.expected.notes,
            "posted": self.mode == Mode::Run,
        });
        if self.mode == Mode::Run {
            v["receivers"] = json!(self.actual_receivers);
            v["groups"] = json!(self.groups);
            v["results"] = json!(results);
            v["problems"] = json!(self.problems);
            v["timed_out"] = json!(self.timed_out);
            v["resolved"] = json!(matches!(self.resolved, Some(Ok(()))));
            v["resolve_error"] = json!(self.resolved.as_ref().and_then(|r| r.as_ref().err()));
            v["log"] = json!(self.log);
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{DrillArgs, DrillSeverity};

    fn report(mode: Mode) -> DrillReport {
        let a = DrillArgs {
            severity: DrillSeverity::Critical,
            labels: vec![],
            timeout: None,
            dry_run: false,
            yes: false,
            alertmanager_log: None,
        };
        let d = super::super::plan::drill(&a, std::time::SystemTime::now(), Some("bob".into()))
            .expect("drill");
        let t = |r: &str| Target {
            receiver: r.into(),
            integration: "webhook".into(),
            index: 0,
            destination: "127.0.0.1".into(),
        };
        let e = Expectation {
            receivers: vec!["ok".into(), "bad".into()],
            targets: vec![t("ok"), t("bad")],
            source: "am.yml".into(),
            ..Default::default()
        };
        let mut r = DrillReport::plan(mode, d, e, Duration::from_secs(60));
        if mode == Mode::Run {
            r.actual_receivers = Some(vec!["ok".into(), "bad".into()]);
            r.rows = vec![
                Row {
                    target: t("ok"),
                    state: State::Sent,
                    latency: Some(Duration::from_millis(1200)),
                },
                Row {
                    target: t("bad"),
                    state: State::Failed("unexpected status code 500\u{1b}[2J".into()),
                    latency: Some(Duration::from_secs(11)),
                },
            ];
            r.resolved = Some(Ok(()));
        }
        r
    }

    #[test]
    fn the_plan_exits_1_the_dry_run_0() {
        let p = Paint { enabled: false, stderr_enabled: false };
        let plan = report(Mode::Plan);
        assert_eq!(plan.outcome(), Outcome::Failure);
        let h = plan.human(&p);
        assert!(h.contains("nothing was posted") && h.contains("--yes"), "{h}");
        assert!(h.contains("│ bad      │ webhook[0]"), "{h}");
        assert_eq!(plan.json()["posted"], false);
        assert_eq!(report(Mode::DryRun).outcome(), Outcome::Success);
    }

    #[test]
    fn a_run_names_the_failing_integration_with_its_error() {
        let p = Paint { enabled: false, stderr_enabled: false };
        let r = report(Mode::Run);
        assert_eq!(r.outcome(), Outcome::Failure);
        let h = r.human(&p);
        assert!(h.contains("1 of 2 integrations delivered; failed: bad/webhook[0]"), "{h}");
        assert!(h.contains("the drill alert is resolved"), "{h}");
        assert!(!h.contains('\u{1b}'), "server text is escaped: {h}");
        let j = r.json();
        assert_eq!(j["results"][1]["status"], "failed");
        assert_eq!(j["results"][0]["latency_ms"], 1200);
        assert_eq!(j["resolved"], true);
        let mut ok = r.clone();
        ok.rows.truncate(1);
        assert_eq!(ok.outcome(), Outcome::Success);
        ok.problems.push("x".into());
        assert_eq!(ok.outcome(), Outcome::Failure);
    }
}
