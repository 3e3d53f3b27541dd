//! `slo report` against a real Prometheus (Debian's) started on a data directory backfilled
//! with `promtool tsdb create-blocks-from openmetrics` from an OpenMetrics file written here:
//! 31 days of requests every 5 minutes, 2000 per interval, 1 failing (99.95 %), and one
//! 2-hour outage on day 20 of the period in which 10 % fail. The expected SLI, budget, burn
//! rates, exhaustion time and daily SLI are computed by hand below and compared in every
//! format; the HTML page is opened in a real headless Chromium.
//!
//! Range windows: Debian's Prometheus (2.42) includes a sample at the window's left edge,
//! Prometheus 3 does not, so over 30 days 3.x counts one 5-minute interval less; the hand
//! figures follow the server in the test (8640 intervals) and the tolerances admit 3.x's
//! (the difference is below 1e-7 in the SLI).

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use crate::common::servers::{RealServer, prometheus};
use crate::common::{bin, require_tool};

const STEP: i64 = 300;
const DAY: i64 = 86_400;
const PER_STEP: f64 = 2000.0;
const OUTAGE_DAY: i64 = 20;
const OUTAGE_STEPS: i64 = 24;

/// The end of the period: midnight UTC before yesterday's (safely in the past).
fn period_end() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    now - now % DAY - DAY
}

/// Errors in the 5-minute interval ending at `t`.
fn errors_at(t: i64, to: i64) -> f64 {
    let outage_start = to - 30 * DAY + OUTAGE_DAY * DAY + 2 * 3600;
    if t > outage_start && t <= outage_start + OUTAGE_STEPS * STEP { 200.0 } else { 1.0 }
}

fn openmetrics(to: i64) -> String {
    let start = to - 31 * DAY;
    let mut errs = String::new();
    let mut oks = String::new();
    let (mut e, mut ok) = (0.0, 0.0);
    let mut t = start;
    while t <= to {
        if t > start {
            let x = errors_at(t, to);
            e += x;
            ok += PER_STEP - x;
        }
        errs.push_str(&format!("slo_requests_total{{code=\"500\"}} {e} {t}\n"));
        oks.push_str(&format!("slo_requests_total{{code=\"200\"}} {ok} {t}\n"));
        t += STEP;
    }
    format!("# TYPE slo_requests counter\n{errs}{oks}# EOF\n")
}

const SPEC: &str = r#"version: "prometheus/v1"
service: "checkout"
slos:
  - name: "availability"
    objective: 99.9
    sli:
      events:
        error_query: sum(rate(slo_requests_total{code="500"}[{{.window}}]))
        total_query: sum(rate(slo_requests_total[{{.window}}]))
"#;

const NO_DATA_SPEC: &str = r#"version: "prometheus/v1"
service: "ghost"
slos:
  - name: "availability"
    objective: 99.5
    sli:
      events:
        error_query: sum(rate(nothing_here_total{code="500"}[{{.window}}]))
        total_query: sum(rate(nothing_here_total[{{.window}}]))
"#;

struct Fixture {
    _tmp: tempfile::TempDir,
    prom: RealServer,
    spec: PathBuf,
    no_data: PathBuf,
    to: i64,
}

fn backfilled() -> Fixture {
    let promtool = require_tool("promtool");
    require_tool("prometheus");
    let tmp = tempfile::tempdir().expect("tmp");
    let to = period_end();
    let om = tmp.path().join("series.om");
    std::fs::write(&om, openmetrics(to)).expect("write openmetrics");
    let blocks = tmp.path().join("blocks");
    let out = Command::new(&promtool)
        .args(["tsdb", "create-blocks-from", "openmetrics", "--quiet"])
        .arg(&om)
        .arg(&blocks)
        .output()
        .expect("promtool runs");
    assert!(out.status.success(), "backfill failed: {}", String::from_utf8_lossy(&out.stderr));
    let prom = prometheus().data_from(&blocks).arg("--storage.tsdb.retention.time=2y").start();
    let spec = tmp.path().join("checkout.yml");
    std::fs::write(&spec, SPEC).expect("spec");
    let no_data = tmp.path().join("ghost.yml");
    std::fs::write(&no_data, NO_DATA_SPEC).expect("spec");
    Fixture { _tmp: tmp, prom, spec, no_data, to }
}

fn report(f: &Fixture, extra: &[&str]) -> std::process::Output {
    bin()
        .args(["slo", "report", "--at", &f.to.to_string()])
        .args(extra)
        .env("STELLAR_OBS_PROMETHEUS_URL", f.prom.url())
        .output()
        .expect("runs")
}

fn close(a: f64, b: f64, tol: f64, what: &str) {
    assert!((a - b).abs() <= tol, "{what}: {a} vs {b} (tolerance {tol})");
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// The hand computation: errors and events over the 8640 intervals of the period.
struct Expected {
    sli: f64,
    remaining: f64,
    worst_sli: f64,
    normal_day_sli: f64,
}

fn expected() -> Expected {
    let intervals = 30.0 * 288.0;
    let errors = (intervals - OUTAGE_STEPS as f64) * 1.0 + OUTAGE_STEPS as f64 * 200.0; // 13416
    let events = intervals * PER_STEP; // 17 280 000
    let e = errors / events;
    let outage_day =
        ((288 - OUTAGE_STEPS) as f64 + OUTAGE_STEPS as f64 * 200.0) / (288.0 * PER_STEP);
    Expected {
        sli: 1.0 - e,
        remaining: 1.0 - e / 0.001,
        worst_sli: 1.0 - outage_day,
        normal_day_sli: 1.0 - 1.0 / PER_STEP,
    }
}

fn date(t: i64) -> String {
    let out = Command::new("date")
        .args(["-u", "-d", &format!("@{t}"), "+%Y-%m-%d"])
        .output()
        .expect("date");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn check_json(j: &Value, f: &Fixture) {
    let x = expected();
    assert_eq!(j["period"], "30d");
    let s = &j["slos"][0];
    assert_eq!(
        (s["service"].as_str(), s["name"].as_str()),
        (Some("checkout"), Some("availability"))
    );
    close(num(&s["objective"]), 0.999, 1e-12, "objective");
    close(num(&s["sli"]), x.sli, 2e-7, "SLI over 30 days");
    assert!(
        (num(&s["sli"]) - 0.999_223_6).abs() < 1e-6,
        "the SLI is about 99.92236 %: {}",
        s["sli"]
    );
    assert_eq!(s["met"], true);
    close(num(&s["error_budget_remaining"]), x.remaining, 2e-4, "error budget left");
    for w in ["1h", "6h", "1d", "3d"] {
        close(num(&s["burn_rate"][w]), 0.5, 1e-6, &format!("burn rate {w}"));
    }
    // At half the budget per period, the rest lasts remaining / 0.5 periods.
    let at = s["budget_exhausted_at"].as_str().expect("exhausted at");
    let at_unix = stellar_obs::clock::parse_rfc3339(at)
        .expect("rfc3339")
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after epoch")
        .as_secs() as f64;
    close(
        at_unix,
        f.to as f64 + x.remaining / 0.5 * 30.0 * DAY as f64,
        600.0,
        "budget exhausted at",
    );
    let daily = s["daily"].as_array().expect("daily");
    assert_eq!(daily.len(), 30);
    assert_eq!(daily[0]["date"], date(f.to - 30 * DAY));
    for (k, d) in daily.iter().enumerate() {
        let want = if k as i64 == OUTAGE_DAY { x.worst_sli } else { x.normal_day_sli };
        close(num(&d["sli"]), want, 1e-6, &format!("daily SLI of {}", d["date"]));
    }
    assert_eq!(s["worst_day"]["date"], date(f.to - 30 * DAY + OUTAGE_DAY * DAY));
    assert!(s["notes"].as_array().is_some_and(|n| n.is_empty()), "{}", s["notes"]);
}

/// One backfilled Prometheus for every case (promtool writes one block per 2 hours, 372
/// blocks for 31 days: the slow part).
#[test]
fn report_on_backfilled_prometheus() {
    let f = backfilled();
    hand_computed_figures_in_every_format(&f);
    an_slo_without_data_is_said_and_fails(&f);
}

fn hand_computed_figures_in_every_format(f: &Fixture) {
    let out = report(f, &["-o", "json", f.spec.to_str().expect("utf-8")]);
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let j: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    check_json(&j, f);
    let x = expected();

    // Human: the table, the figures rounded, the sparkline with the outage day lowest.
    let out = report(f, &[f.spec.to_str().expect("utf-8")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains(&format!("{:.3}%", x.sli * 100.0)), "{text}");
    assert!(text.contains(&format!("{:.3}%", x.remaining * 100.0)), "{text}");
    assert!(text.contains("0.50× 0.50× 0.50× 0.50×"), "{text}");
    let spark: String = text
        .lines()
        .find(|l| l.contains("daily SLI"))
        .expect("sparkline")
        .chars()
        .rev()
        .take(30)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    assert_eq!(spark.chars().nth(OUTAGE_DAY as usize), Some('▁'), "{spark}");
    assert_eq!(spark.chars().filter(|c| *c == '█').count(), 29, "{spark}");

    // Markdown: one table row per SLO with the same figures.
    let out = report(f, &["-o", "markdown", f.spec.to_str().expect("utf-8")]);
    let md = String::from_utf8_lossy(&out.stdout);
    let row = md.lines().find(|l| l.starts_with("| checkout/availability")).expect("row");
    assert!(row.contains(&format!("{:.3}%", x.sli * 100.0)) && row.contains("| yes |"), "{row}");

    // HTML: written with --out, opened in Chromium, charts checked against the JSON.
    let html = f.prom.dir().join("report.html");
    let out = report(
        f,
        &["-o", "html", "--out", html.to_str().expect("utf-8"), f.spec.to_str().expect("utf-8")],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    super::browser::check_page(&html, &j);
    // An existing --out is kept without --force.
    let out = report(
        f,
        &["-o", "html", "--out", html.to_str().expect("utf-8"), f.spec.to_str().expect("utf-8")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
}

fn an_slo_without_data_is_said_and_fails(f: &Fixture) {
    let out = report(
        f,
        &["-o", "json", f.spec.to_str().expect("utf-8"), f.no_data.to_str().expect("utf-8")],
    );
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let j: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let ghost = &j["slos"][1];
    assert_eq!(ghost["service"], "ghost");
    assert!(ghost["sli"].is_null() && ghost["met"].is_null(), "{ghost}");
    assert!(ghost["notes"][0].as_str().is_some_and(|n| n.starts_with("no data")), "{ghost}");
    assert_eq!(j["slos"][0]["met"], true, "the other SLO is still reported");

    // A period longer than Prometheus has data: said per SLO.
    let out = report(f, &["-o", "json", "--period", "60d", f.spec.to_str().expect("utf-8")]);
    let j: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let notes = j["slos"][0]["notes"].to_string();
    assert!(notes.contains("data for 31 of 60 days") && notes.contains("younger"), "{notes}");

    // A bad spec: positioned, exit 2, nothing on stdout.
    let bad = f.prom.dir().join("bad.yml");
    std::fs::write(&bad, SPEC.replace("objective: 99.9", "objective: 120")).expect("write");
    let out = report(f, &[bad.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bad.yml:5:16"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
}

/// The stack's default specs are read from `--dir`'s slo/ when none are named.
#[test]
fn unreachable_prometheus_is_an_error_that_names_it() {
    let d = crate::common::init_stack();
    let addr = crate::common::servers::closed_port_addr();
    let out = bin()
        .args(["--dir"])
        .arg(d.path())
        .args(["slo", "report", "--timeout", "2"])
        .env("STELLAR_OBS_PROMETHEUS_URL", format!("http://{addr}"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&addr) && err.contains("Prometheus"), "{err}");
}
