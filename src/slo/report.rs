//! `slo report`: what each SLO delivered over a period, from the running Prometheus.
//!
//! Per SLO the report asks (all queries at once): the error ratio over the period, over
//! the burn-rate windows (1h, 6h, 1d, 3d), and per day (a range query with a 1-day step);
//! for event-based SLIs also the daily event rate, so that the budget burn-down weighs
//! each day by its traffic. The arithmetic is in [`compute`], apart from the network.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, anyhow, bail};
use serde::Serialize;
use serde_json::Value;

use crate::api::PrometheusClient;
use crate::api::http::Http;
use crate::cli::SloReportArgs;
use crate::outcome::Outcome;
use crate::output::Ui;
use crate::settings::{Component, Settings};
use crate::slo::spec::{Slo, format_duration, parse_period};

/// The burn-rate windows of the report (the JSON keys of `burn_rate`).
pub const BURN_WINDOWS: [(&str, u64); 4] =
    [("1h", 3_600_000), ("6h", 21_600_000), ("1d", 86_400_000), ("3d", 259_200_000)];
const DAY_S: i64 = 86_400;

/// One day of the daily SLI: the 24 hours starting at `date`'s time of day of `from`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Daily {
    /// `YYYY-MM-DD` of the day's start (UTC).
    pub date: String,
    /// `None`: no data that day.
    pub sli: Option<f64>,
    /// Error budget left at the end of the day (fraction of the period's budget).
    #[serde(skip)]
    pub budget_remaining: Option<f64>,
}

/// What one SLO delivered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SloResult {
    pub service: String,
    pub name: String,
    /// Fraction (`0.999`).
    pub objective: f64,
    /// Fraction of good events over the period; `None` when there is no data.
    pub sli: Option<f64>,
    pub met: Option<bool>,
    /// Fraction of the period's error budget left (negative when overspent).
    pub error_budget_remaining: Option<f64>,
    pub error_budget_consumed: Option<f64>,
    pub burn_rate: BTreeMap<String, Option<f64>>,
    /// RFC 3339: when the budget ran out (past) or runs out at the current (1h) burn rate.
    pub budget_exhausted_at: Option<String>,
    pub daily: Vec<Daily>,
    pub worst_day: Option<Daily>,
    pub days_with_data: usize,
    /// Missing data, several series where one was expected, ...: said, not hidden.
    pub notes: Vec<String>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SloReport {
    pub period: String,
    pub from: String,
    pub to: String,
    pub slos: Vec<SloResult>,
}

impl SloReport {
    pub fn outcome(&self) -> Outcome {
        if self.slos.iter().all(|s| s.met == Some(true)) {
            Outcome::Success
        } else {
            Outcome::Failure
        }
    }
}

/// What Prometheus answered for one SLO (each `None`: no sample).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answers {
    pub period_error: Option<f64>,
    pub burn_error: BTreeMap<String, Option<f64>>,
    /// Error ratio per day, by the day's end time (Unix seconds).
    pub daily_error: BTreeMap<i64, f64>,
    /// Events per second per day (event SLIs only).
    pub daily_total: BTreeMap<i64, f64>,
    pub notes: Vec<String>,
}

/// Fill in a result from Prometheus' answers. `to` is the period's end, `days` its length
/// in whole days.
pub fn compute(slo: &Slo, to: i64, period_ms: u64, a: &Answers) -> SloResult {
    let budget = slo.error_budget();
    let objective = slo.objective_ratio();
    let mut notes = a.notes.clone();
    let days = (period_ms / 86_400_000).max(1) as i64;
    let from = to - (period_ms / 1000) as i64;

    // The days, oldest first; the burn-down weighs each by its events when known.
    let mut daily = Vec::new();
    let weights: Vec<Option<f64>> = (1..=days)
        .map(|i| {
            let end = from + i * DAY_S;
            a.daily_error.get(&end).map(|_| {
                if a.daily_total.is_empty() {
                    1.0
                } else {
                    a.daily_total.get(&end).copied().unwrap_or(0.0)
                }
            })
        })
        .collect();
    let total_weight: f64 = weights.iter().flatten().sum();
    let mut spent = 0.0;
    for i in 1..=days {
        let end = from + i * DAY_S;
        let err = a.daily_error.get(&end).copied();
        if let (Some(e), Some(w)) = (err, weights[(i - 1) as usize]) {
            spent += e * w;
        }
        let remaining = (total_weight > 0.0).then(|| 1.0 - spent / (budget * total_weight));
        daily.push(Daily {
            date: date(end - DAY_S),
            sli: err.map(|e| 1.0 - e),
            budget_remaining: remaining,
        });
    }
    let days_with_data = daily.iter().filter(|d| d.sli.is_some()).count();
    let worst_day = daily
        .iter()
        .filter(|d| d.sli.is_some())
        .min_by(|x, y| x.sli.partial_cmp(&y.sli).unwrap_or(std::cmp::Ordering::Equal))
        .cloned();

    let sli = a.period_error.map(|e| 1.0 - e);
    if sli.is_none() {
        notes.push("no data: the SLI query returned nothing over the period".into());
    } else if days_with_data < daily.len() {
        let first = daily.iter().position(|d| d.sli.is_some());
        let gap = match first {
            Some(i) if i > 0 && daily[i..].iter().all(|d| d.sli.is_some()) => {
                format!("data starts on {} (Prometheus is younger than the period)", daily[i].date)
            }
            _ => "gaps in the data".to_string(),
        };
        notes.push(format!(
            "data for {days_with_data} of {} days: {gap}; the SLI covers only the time with data",
            daily.len()
        ));
    }
    let remaining = sli.map(|s| 1.0 - (1.0 - s) / budget);
    let burn_rate: BTreeMap<String, Option<f64>> = BURN_WINDOWS
        .iter()
        .map(|(w, _)| (w.to_string(), a.burn_error.get(*w).copied().flatten().map(|e| e / budget)))
        .collect();
    let exhausted = match remaining {
        Some(r) if r <= 0.0 => {
            // Already spent: the end of the first day the burn-down crossed zero.
            let i = daily.iter().position(|d| d.budget_remaining.is_some_and(|b| b <= 0.0));
            Some(i.map_or(to, |i| from + (i as i64 + 1) * DAY_S))
        }
        Some(r) => burn_rate.get("1h").copied().flatten().filter(|b| *b > 0.0).map(|b| {
            let secs = r / b * (period_ms / 1000) as f64;
            to.saturating_add(secs.min(1e11) as i64)
        }),
        None => None,
    };
    SloResult {
        service: slo.service.clone(),
        name: slo.name.clone(),
        objective,
        sli,
        met: sli.map(|s| s >= objective),
        error_budget_remaining: remaining,
        error_budget_consumed: remaining.map(|r| 1.0 - r),
        burn_rate,
        budget_exhausted_at: exhausted.map(rfc3339),
        daily,
        worst_day,
        days_with_data,
        notes,
    }
}

/// `YYYY-MM-DD` of a Unix time (UTC).
pub fn date(t: i64) -> String {
    rfc3339(t).chars().take(10).collect()
}

/// RFC 3339 (UTC, seconds) of a Unix time.
pub fn rfc3339(t: i64) -> String {
    let st = if t >= 0 { UNIX_EPOCH + Duration::from_secs(t as u64) } else { UNIX_EPOCH };
    crate::clock::rfc3339(st)
}

/// `--at`: RFC 3339 or Unix seconds.
pub fn parse_at(s: &str) -> Result<i64> {
    let s = s.trim();
    if let Ok(n) = s.parse::<f64>()
        && n.is_finite()
        && n >= 0.0
    {
        return Ok(n as i64);
    }
    let t = crate::clock::parse_rfc3339(s).ok_or_else(|| {
        anyhow!("--at {s:?}: expected RFC 3339 (2026-11-30T00:00:00Z) or Unix seconds")
    })?;
    Ok(t.duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0))
}

/// The single value of an instant-query answer; more than one series: the highest error
/// ratio (the worst), with a note. NaN (no events) is no value.
fn instant_value(data: &Value, what: &str, notes: &mut Vec<String>) -> Option<f64> {
    let result = data.get("result")?;
    let values: Vec<f64> = match data.get("resultType").and_then(Value::as_str) {
        Some("scalar") => vec![sample(result)?],
        _ => result.as_array()?.iter().filter_map(|s| sample(s.get("value")?)).collect(),
    };
    if values.len() > 1 {
        notes.push(format!(
            "{what}: the query returns {} series; the worst is reported (aggregate it with sum())",
            values.len()
        ));
    }
    values.into_iter().filter(|v| v.is_finite()).reduce(f64::max)
}

fn sample(pair: &Value) -> Option<f64> {
    pair.get(1)?.as_str()?.parse().ok()
}

/// The values of a range-query answer by time (the worst series where several).
fn range_values(data: &Value) -> BTreeMap<i64, f64> {
    let mut out: BTreeMap<i64, f64> = BTreeMap::new();
    for series in data.get("result").and_then(Value::as_array).into_iter().flatten() {
        for p in series.get("values").and_then(Value::as_array).into_iter().flatten() {
            let (Some(t), Some(v)) = (p.get(0).and_then(Value::as_f64), sample(p)) else {
                continue;
            };
            if v.is_finite() {
                let e = out.entry(t.round() as i64).or_insert(v);
                *e = e.max(v);
            }
        }
    }
    out
}

/// Ask Prometheus everything the report needs for `slos`, concurrently.
pub async fn gather(
    client: &PrometheusClient,
    slos: &[Slo],
    to: i64,
    period_ms: u64,
) -> Result<Vec<Answers>> {
    let from = to - (period_ms / 1000) as i64;
    let days = (period_ms / 86_400_000).max(1) as i64;
    let mut set = tokio::task::JoinSet::new();
    // (slo index, what, promql, range?)
    for (i, s) in slos.iter().enumerate() {
        let mut qs: Vec<(String, String, bool)> =
            vec![("period".into(), s.error_ratio_expr(&format_duration(period_ms)), false)];
        for (w, _) in BURN_WINDOWS {
            qs.push((format!("burn:{w}"), s.error_ratio_expr(w), false));
        }
        qs.push(("daily".into(), s.error_ratio_expr("1d"), true));
        if let Some(t) = s.total_expr("1d") {
            qs.push(("total".into(), t, true));
        }
        for (what, q, range) in qs {
            let c = client.clone();
            set.spawn(async move {
                let r = if range {
                    c.query_range(
                        &q,
                        (from + DAY_S) as f64,
                        (from + days * DAY_S) as f64,
                        DAY_S as f64,
                    )
                    .await
                } else {
                    c.query_at(&q, to as f64).await
                };
                (i, what, r)
            });
        }
    }
    let mut answers = vec![Answers::default(); slos.len()];
    while let Some(j) = set.join_next().await {
        let (i, what, r) = j.context("a query task failed")?;
        let data = r.map_err(|e| anyhow!("Prometheus: {e}"))?;
        let a = &mut answers[i];
        match what.as_str() {
            "period" => a.period_error = instant_value(&data, "SLI over the period", &mut a.notes),
            "daily" => a.daily_error = range_values(&data),
            "total" => a.daily_total = range_values(&data),
            w => {
                let w = w.trim_start_matches("burn:").to_string();
                let v = instant_value(&data, &format!("{w} burn rate"), &mut a.notes);
                a.burn_error.insert(w, v);
            }
        }
    }
    for a in &mut answers {
        a.notes.sort();
        a.notes.dedup();
    }
    Ok(answers)
}

/// Run `slo report`.
pub fn command(settings: &Settings, ui: &Ui, args: &SloReportArgs) -> Result<Outcome> {
    if !crate::slo::report_format_ok(ui.format) {
        return Err(crate::outcome::usage(format!(
            "`slo report` does not support -o {}; use one of: human, json, markdown, html",
            ui.format.name()
        )));
    }
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 3600.0) {
        return Err(crate::outcome::usage(
            "--timeout must be a number of seconds above 0 (at most 3600)",
        ));
    }
    let period_flag = args
        .period
        .as_deref()
        .map(parse_period)
        .transpose()
        .map_err(|e| crate::outcome::usage(format!("--period {e}")))?;
    let to = match &args.at {
        Some(s) => crate::outcome::as_usage(parse_at(s))?,
        None => {
            SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
        }
    };
    let paths = crate::slo::spec_paths(settings, &args.specs)?;
    let loaded = crate::slo::load(&paths, period_flag, None)?;
    if let Some(refused) = loaded.refuse_errors(ui) {
        return Ok(refused);
    }
    // One period for the whole report: the flag, else the specs' own (they must agree).
    let period_ms = match period_flag {
        Some(p) => p,
        None => {
            let mut ps: Vec<u64> = loaded
                .slos
                .iter()
                .map(|s| s.period_ms.unwrap_or(crate::slo::DEFAULT_PERIOD_MS))
                .collect();
            ps.sort_unstable();
            ps.dedup();
            if ps.len() > 1 {
                bail!(
                    "the SLOs have different periods ({}); choose one with --period",
                    ps.iter().map(|p| format_duration(*p)).collect::<Vec<_>>().join(", ")
                );
            }
            ps.first().copied().unwrap_or(crate::slo::DEFAULT_PERIOD_MS)
        }
    };
    if !period_ms.is_multiple_of(86_400_000) {
        bail!(
            "--period {}: the report needs whole days (e.g. 7d, 28d, 30d)",
            format_duration(period_ms)
        );
    }
    let url = match &args.prometheus_url {
        Some(u) => crate::settings::check_base_url(u).map_err(|e| crate::outcome::usage(format!("--prometheus-url: {e}")))?,
        None => settings
            .url(Component::Prometheus)
            .ok_or_else(|| anyhow!("Prometheus is turned off (STELLAR_OBS_PROMETHEUS_URL=off); pass --prometheus-url"))?
            .to_string(),
    };
    let http =
        Http::new(&url, Duration::from_secs_f64(args.timeout)).context("Prometheus client")?;
    let client = PrometheusClient::new(http);
    let rt = crate::runtime::runtime()?;
    let answers = rt.block_on(gather(&client, &loaded.slos, to, period_ms))?;
    let report = SloReport {
        period: format_duration(period_ms),
        from: rfc3339(to - (period_ms / 1000) as i64),
        to: rfc3339(to),
        slos: loaded.slos.iter().zip(&answers).map(|(s, a)| compute(s, to, period_ms, a)).collect(),
    };
    match &args.out {
        Some(out) => {
            if out.exists() && !args.force {
                bail!("{} exists; kept (use --force to replace it)", out.display());
            }
            let text = ui.render(&report)?;
            crate::fsutil::write_atomic(out, text.as_bytes(), None)
                .with_context(|| format!("cannot write {}", out.display()))?;
            ui.info(format!(
                "{}: {}",
                out.display(),
                crate::output::words::count_s(report.slos.len() as u64, "SLO")
            ));
        }
        None => ui.emit(&report)?,
    }
    Ok(report.outcome())
}

/// How the report writes its figures (table, markdown and HTML alike).
/// `0.99953` → `99.953%` (as many decimals as the objective needs, at least 2).
pub fn percent(v: Option<f64>) -> String {
    match v {
        Some(v) => format!("{:.3}%", v * 100.0),
        None => "no data".into(),
    }
}

/// A burn rate: `0.52×`.
pub fn times(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |v| format!("{v:.2}×"))
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
