//! `stellar-obs alerts drill`: prove that alerts reach people.
//!
//! 1. Plan: the drill alert (`alertname=StellarObsDrill`, a unique `drill_id`, annotations
//!    that say it is a drill and who started it) and what the running configuration says
//!    happens to it (receivers, integrations). Without `--yes` the plan is all it does.
//! 2. Post it (`POST /api/v2/alerts`), with an `endsAt` past the timeout as a safety net.
//! 3. Confirm its group and receivers (`GET /api/v2/alerts/groups`), and that no silence
//!    or inhibition holds it back.
//! 4. Watch Alertmanager's notification counters (and its log, for the errors) until every
//!    integration has delivered or failed, or the timeout.
//! 5. Resolve it, always: on success, failure, timeout, an error, Ctrl-C and SIGTERM.

pub mod logsource;
pub mod plan;
pub mod report;
pub mod watch;

use std::time::{Duration, Instant, SystemTime};

use anyhow::Result;

use self::logsource::LogSource;
use self::plan::{Drill, Expectation};
use self::report::{DrillReport, Mode, Row};
use self::watch::{Counters, State, Target};
use crate::api::AlertmanagerClient;
use crate::api::http::{HttpErrorKind, fmt_duration};
use crate::cli::{DrillArgs, OutputFormat};
use crate::outcome::Outcome;
use crate::output::Ui;
use crate::settings::Settings;

/// How often the counters are read while waiting.
const POLL: Duration = Duration::from_millis(500);
/// How long Alertmanager may take to show a posted alert in its groups.
const CONFIRM_WITHIN: Duration = Duration::from_secs(10);

pub fn run(s: &Settings, ui: &Ui, a: &DrillArgs) -> Result<Outcome> {
    ui.require_format("alerts drill", &[OutputFormat::Json])?;
    let now = SystemTime::now();
    let drill = plan::drill(a, now, crate::alerts::current_user())?;
    let am = crate::alerts::client(s)?;
    let rt = crate::runtime::runtime()?;
    rt.block_on(run_async(s, ui, a, &am, drill))
}

/// Whether an error means Alertmanager could not be reached at all.
fn unreachable(e: &crate::api::HttpError) -> bool {
    matches!(
        e.kind,
        HttpErrorKind::Dns
            | HttpErrorKind::Refused
            | HttpErrorKind::Timeout
            | HttpErrorKind::Tls
            | HttpErrorKind::Connect
            | HttpErrorKind::Url
    )
}

/// The expectation from the running configuration (what Alertmanager reports in its
/// status), else from the stack's file, with a note saying why.
fn expectation_from(s: &Settings, running: Option<(&str, &str)>, drill: &Drill) -> Expectation {
    let mut notes = Vec::new();
    if let Some((text, base)) = running {
        let source = format!("the running configuration of {base}");
        match plan::expect(text, &drill.labels, &source) {
            Ok(e) => return e,
            Err(err) => notes.push(format!(
                "the running configuration does not load here ({err}); the stack's file is used"
            )),
        }
    }
    let file = s.dir.join("alerting/alertmanager.yml");
    let mut e = match crate::alerting::Config::load(&file) {
        Ok(c) => plan::from_config(&c, &drill.labels, &file.display().to_string()),
        Err(err) => {
            notes.push(format!(
                "no configuration to route the alert with ({err}): the receivers are taken from where Alertmanager routes it"
            ));
            Expectation { source: "Alertmanager itself".into(), ..Default::default() }
        }
    };
    notes.append(&mut e.notes);
    e.notes = notes;
    e
}

/// The expectation, or the HTTP error when Alertmanager cannot be asked (then, for a plan
/// or dry run, what the stack's file says).
async fn expectation(
    s: &Settings,
    am: &AlertmanagerClient,
    drill: &Drill,
) -> std::result::Result<Expectation, (crate::api::HttpError, Expectation)> {
    match am.status().await {
        Ok(st) => {
            let original = st.config.map(|c| c.original).filter(|c| !c.trim().is_empty());
            Ok(expectation_from(s, original.as_deref().map(|o| (o, am.http.base())), drill))
        }
        Err(e) => {
            let mut x = expectation_from(s, None, drill);
            x.notes.insert(
                0,
                format!("Alertmanager at {} could not be asked: {}", am.http.base(), e.message),
            );
            Err((e, x))
        }
    }
}

async fn run_async(
    s: &Settings,
    ui: &Ui,
    a: &DrillArgs,
    am: &AlertmanagerClient,
    drill: Drill,
) -> Result<Outcome> {
    let expected = match expectation(s, am, &drill).await {
        Ok(e) => e,
        Err((err, offline)) => {
            if (a.dry_run || !a.yes) && !offline.receivers.is_empty() {
                return emit_plan(ui, a, &drill, offline);
            }
            if unreachable(&err) {
                ui.error(format!("Alertmanager is unreachable: {err}"));
                return Ok(Outcome::Unreachable);
            }
            return Err(anyhow::Error::new(err).context("Alertmanager did not answer its status"));
        }
    };
    if a.dry_run || !a.yes {
        return emit_plan(ui, a, &drill, expected);
    }
    let timeout =
        a.timeout.map(Duration::from_secs).unwrap_or_else(|| plan::default_timeout(&expected));
    let base = match am.metrics().await {
        Ok(m) => Counters::from_metrics(&m),
        Err(e) if unreachable(&e) => {
            ui.error(format!("Alertmanager is unreachable: {e}"));
            return Ok(Outcome::Unreachable);
        }
        Err(e) => return Err(anyhow::Error::new(e).context("cannot read Alertmanager's /metrics")),
    };
    if !base.present() {
        anyhow::bail!(
            "Alertmanager's /metrics at {} has no alertmanager_notifications_total: the drill cannot see deliveries",
            am.http.base()
        );
    }
    let mut log = LogSource::open(s, a.alertmanager_log.as_deref(), ui);

    crate::interrupt::install();
    let start = SystemTime::now();
    let posted_at = Instant::now();
    // Safety net: should this process die without resolving, Alertmanager resolves the
    // alert by itself a little after the timeout.
    let safety = start + timeout + Duration::from_secs(300);
    // Registered before posting, so no signal can fall between the two (resolving an alert
    // that was never posted is harmless).
    let guard = {
        let base_url = am.http.base().to_string();
        let d = drill.clone();
        crate::interrupt::on_interrupt(
            format!("the drill alert {} from Alertmanager (resolving it)", drill.drill_id),
            move || resolve_blocking(&base_url, &d, start),
        )
    };
    am.post_alerts(&[drill.firing(start, safety)]).await.map_err(|e| {
        anyhow::Error::new(e).context("Alertmanager did not accept the drill alert")
    })?;
    ui.info(format!(
        "posted {} (drill_id {}); watching for up to {}",
        plan::ALERTNAME,
        drill.drill_id,
        fmt_duration(timeout)
    ));

    let watched =
        watch_delivery(ui, am, &drill, &expected, &base, &mut log, posted_at, timeout).await;

    // Always resolve, whatever happened above.
    let resolved = am.post_alerts(&[drill.resolved(start, SystemTime::now())]).await;
    drop(guard);
    let resolved = match resolved {
        Ok(()) => Ok(()),
        Err(e) => Err(format!("{e}; it resolves by itself at {}", crate::clock::rfc3339(safety))),
    };
    let mut report = match watched {
        Ok(r) => r,
        Err(e) => {
            if let Err(m) = &resolved {
                ui.error(format!("the drill alert could not be resolved: {m}"));
            }
            return Err(e);
        }
    };
    report.resolved = Some(resolved);
    ui.emit(&report)?;
    Ok(report.outcome())
}

fn emit_plan(ui: &Ui, a: &DrillArgs, drill: &Drill, expected: Expectation) -> Result<Outcome> {
    let mode = if a.dry_run { Mode::DryRun } else { Mode::Plan };
    let timeout =
        a.timeout.map(Duration::from_secs).unwrap_or_else(|| plan::default_timeout(&expected));
    let report = DrillReport::plan(mode, drill.clone(), expected, timeout);
    ui.emit(&report)?;
    Ok(report.outcome())
}

/// Resolve the drill alert from the signal handler: a fresh client on a small runtime of
/// its own (the command's runtime may be busy or gone).
fn resolve_blocking(base_url: &str, drill: &Drill, start: SystemTime) {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
        return;
    };
    let Ok(http) = crate::api::Http::new(base_url, Duration::from_secs(5)) else { return };
    let am = AlertmanagerClient::new(http);
    match rt.block_on(am.post_alerts(&[drill.resolved(start, SystemTime::now())])) {
        Ok(()) => eprintln!("interrupted: the drill alert {} is resolved", drill.drill_id),
        Err(e) => {
            eprintln!("interrupted: could not resolve the drill alert {}: {e}", drill.drill_id)
        }
    }
}

/// A receiver whose routes are muted by time intervals now is notified by nobody: its
/// integrations fail at once instead of at the timeout.
fn mark_muted(targets: &[Target], states: &mut [State], expected: &Expectation) {
    for (t, st) in targets.iter().zip(states.iter_mut()) {
        if let Some((_, why)) = expected.muted_receivers.iter().find(|(r, _)| r == &t.receiver) {
            *st = State::Failed(why.clone());
        }
    }
}

/// Steps 3 and 4: where Alertmanager put the alert, then the deliveries.
#[allow(clippy::too_many_arguments)]
async fn watch_delivery(
    ui: &Ui,
    am: &AlertmanagerClient,
    drill: &Drill,
    expected: &Expectation,
    base: &Counters,
    log: &mut LogSource,
    posted_at: Instant,
    timeout: Duration,
) -> Result<DrillReport> {
    let filter = vec![drill.filter()];
    let deadline = posted_at + timeout;
    // Step 3: the groups holding the alert, and its status.
    let (groups, alert) = loop {
        let groups = am.alert_groups(&filter).await?;
        let alerts = am.alerts(&filter).await?;
        let alert = alerts.into_iter().next();
        // Alertmanager's dispatcher adds the alert to one route's group at a time, so an
        // early answer can list only some of them: wait until every expected receiver
        // holds it (or the time is up, and the difference is reported).
        let holding: Vec<&str> = groups.iter().map(|g| g.receiver.name.as_str()).collect();
        let all_there =
            !groups.is_empty() && expected.receivers.iter().all(|r| holding.contains(&r.as_str()));
        let suppressed = alert.as_ref().is_some_and(|a| a.status.state == "suppressed");
        if all_there || suppressed || posted_at.elapsed() > CONFIRM_WITHIN {
            break (groups, alert);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let mut report = DrillReport::plan(Mode::Run, drill.clone(), expected.clone(), timeout);
    // Alertmanager lists groups in its own order: shown in routing order where known.
    let mut actual: Vec<String> = groups.iter().map(|g| g.receiver.name.clone()).collect();
    let rank = |r: &String| expected.receivers.iter().position(|x| x == r).unwrap_or(usize::MAX);
    actual.sort_by(|a, b| (rank(a), a).cmp(&(rank(b), b)));
    actual.dedup();
    report.actual_receivers = Some(actual.clone());
    report.groups = groups.iter().map(|g| g.labels.clone()).collect();
    if let Some(al) = &alert
        && al.status.state == "suppressed"
    {
        let mut why = Vec::new();
        if !al.status.silenced_by.is_empty() {
            why.push(format!("silenced by {}", al.status.silenced_by.join(", ")));
        }
        if !al.status.inhibited_by.is_empty() {
            why.push(format!("inhibited by alert {}", al.status.inhibited_by.join(", ")));
        }
        report.problems.push(format!(
            "Alertmanager holds the drill alert back ({}): nothing is delivered",
            if why.is_empty() { "suppressed".to_string() } else { why.join("; ") }
        ));
        return Ok(report);
    }
    if actual.is_empty() {
        report.problems.push(format!(
            "Alertmanager shows no group holding the drill alert within {}",
            fmt_duration(CONFIRM_WITHIN)
        ));
        return Ok(report);
    }
    // The integrations to watch: those of the receivers Alertmanager really uses.
    let mut targets: Vec<Target> = Vec::new();
    for r in &actual {
        let mine: Vec<Target> =
            expected.targets.iter().filter(|t| &t.receiver == r).cloned().collect();
        if mine.is_empty() && expected.receivers.contains(r) {
            report.problems.push(format!(
                "receiver {r} has no integrations: the drill alert reaches nobody there"
            ));
        } else if mine.is_empty() {
            report.problems.push(format!(
                "receiver {r} is not in {} (the running configuration differs?): its integrations cannot be watched",
                expected.source
            ));
        }
        targets.extend(mine);
    }
    if !expected.receivers.is_empty() && expected.receivers != actual {
        report.problems.push(format!(
            "Alertmanager routes the drill alert to {}, the configuration says {}",
            actual.join(", "),
            expected.receivers.join(", ")
        ));
    }
    // Step 4: watch.
    let mut first_final: Vec<Option<Duration>> = vec![None; targets.len()];
    let mut events = Vec::new();
    let mut shown: Vec<State> = Vec::new();
    let mut states;
    loop {
        let now_counters = match am.metrics().await {
            Ok(m) => Counters::from_metrics(&m),
            Err(e) => {
                report.problems.push(format!("stopped watching: {e}"));
                states = vec![
                    State::Failed("not known: Alertmanager stopped answering".into());
                    targets.len()
                ];
                break;
            }
        };
        events.extend(log.read_new().await);
        states = watch::assess(&targets, base, &now_counters, &events, log.available());
        mark_muted(&targets, &mut states, expected);
        for (i, st) in states.iter().enumerate() {
            if st.is_final() && first_final[i].is_none() {
                first_final[i] = Some(posted_at.elapsed());
            }
        }
        if states != shown {
            for (t, st) in targets.iter().zip(&states) {
                ui.debug(format!("{}: {st:?}", t.key()));
            }
            shown = states.clone();
        }
        if states.iter().all(State::is_final) {
            break;
        }
        if Instant::now() >= deadline {
            events.extend(log.read_all_remaining().await);
            let mut again = watch::assess(&targets, base, &now_counters, &events, log.available());
            mark_muted(&targets, &mut again, expected);
            states = watch::at_deadline(&again, &fmt_duration(timeout));
            report.timed_out = true;
            break;
        }
        tokio::time::sleep(POLL).await;
    }
    report.rows = targets
        .into_iter()
        .zip(states)
        .zip(first_final)
        .map(|((target, state), latency)| Row { target, state, latency })
        .collect();
    report.log = log.describe();
    Ok(report)
}
