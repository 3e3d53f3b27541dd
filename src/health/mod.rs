//! `stellar-obs check-health`: concurrent probes of every component, the connector's metrics,
//! Stellar's Horizon and the host; one row each, the worst status decides the exit code
//! (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN when the check cannot run).
//!
//! Layout: `probe.rs` (Check, Status, Finding, the Probe trait), one file per component,
//! `runner.rs` (concurrency, timeouts, overall status), `report.rs` (table, JSON,
//! exposition format). This file turns arguments and settings into a plan and runs it, once
//! or every `--watch` seconds.

pub mod alertmanager;
pub mod cadvisor;
pub mod connector;
pub mod grafana;
pub mod horizon;
pub mod host;
pub mod jaeger;
pub mod loki;
pub mod node_exporter;
pub mod probe;
pub mod prometheus;
pub mod pushgateway;
pub mod remote_write;
pub mod replicas;
pub mod report;
pub mod runner;

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::api::http::BodyCap;
use crate::api::{AlertmanagerClient, HorizonClient, Http, PrometheusClient};
use crate::catalogue::Catalogue;
use crate::cli::{CheckHealthArgs, OutputFormat};
use crate::clock::{Clock, SystemClock};
use crate::outcome::Outcome;
use crate::output::{Paint, Report, Ui};
use crate::settings::{Component, Endpoint, Env, ProcessEnv, Settings, Topology};

pub use probe::{Check, Status};
pub use report::HealthReport;
pub use runner::{Planned, RunOptions};

/// Set to `1` to run the probes one after the other (to measure what concurrency buys;
/// see BENCHMARKS.md). Not for production use.
pub const SEQUENTIAL_ENV: &str = "STELLAR_OBS_HEALTH_SEQUENTIAL";

/// Docker's data root, where the stack's named volumes live; the host check measures its
/// filesystem too when it exists.
pub const DOCKER_DATA_ROOT: &str = "/var/lib/docker";

/// Checked `check-health` arguments.
#[derive(Debug, Clone)]
pub struct Options {
    pub timeout: Duration,
    /// `None`: every check.
    pub only: Option<BTreeSet<Check>>,
    pub watch: Option<Duration>,
    pub sequential: bool,
}

fn seconds(flag: &str, v: f64) -> Result<Duration> {
    if !v.is_finite() || v <= 0.0 || v > 86_400.0 {
        bail!("{flag} must be a number of seconds above 0 (and at most a day), not {v}");
    }
    Ok(Duration::from_secs_f64(v))
}

impl Options {
    pub fn from_args(a: &CheckHealthArgs, env: &dyn Env) -> Result<Options> {
        let timeout = seconds("--timeout", a.timeout)?;
        let watch = a.watch.map(|w| seconds("--watch", w)).transpose()?;
        let only = if a.only.is_empty() {
            None
        } else {
            let mut set = BTreeSet::new();
            let mut unknown = Vec::new();
            for name in a.only.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
                match Check::parse(name) {
                    Some(c) => {
                        set.insert(c);
                    }
                    None => unknown.push(name.to_string()),
                }
            }
            if !unknown.is_empty() {
                bail!(
                    "--only: unknown component{} {}; valid: {}",
                    if unknown.len() == 1 { "" } else { "s" },
                    unknown.iter().map(|u| format!("`{u}`")).collect::<Vec<_>>().join(", "),
                    Check::names()
                );
            }
            if set.is_empty() {
                bail!("--only names no component; valid: {}", Check::names());
            }
            Some(set)
        };
        let sequential = env.var(SEQUENTIAL_ENV).is_some_and(|v| v == "1" || v == "true");
        Ok(Options { timeout, only, watch, sequential })
    }

    fn wants(&self, c: Check) -> bool {
        self.only.as_ref().is_none_or(|s| s.contains(&c))
    }
}

/// `(base, path)` of a `/metrics` endpoint: a URL that already ends in `/metrics` is taken
/// as is, any other gets `/metrics` appended.
fn metrics_endpoint(url: &str) -> (String, String) {
    let u = url.trim_end_matches('/');
    match u.strip_suffix("/metrics") {
        Some(base) => (base.to_string(), "/metrics".to_string()),
        None => (u.to_string(), "/metrics".to_string()),
    }
}

fn off_reason(c: Component) -> String {
    format!("switched off (`off` in {} or stellar-obs.yml)", c.env_var())
}

/// The rows to fill for `settings` and `opts`, in report order.
/// The probe of one Prometheus (or one replica), with what the stack expects of its
/// remote write.
fn prometheus_probe(
    http: Http,
    clock: &Arc<dyn Clock>,
    settings: &Settings,
) -> prometheus::PrometheusProbe {
    prometheus::PrometheusProbe {
        client: PrometheusClient::new(http),
        clock: clock.clone(),
        remote_write: remote_write::Expect {
            settings: settings.remote_write.clone(),
            missing_secret: settings
                .remote_write
                .as_ref()
                .and_then(|r| r.missing_secret(&settings.dir)),
        },
    }
}

pub fn plan(settings: &Settings, opts: &Options, clock: Arc<dyn Clock>) -> Result<Vec<Planned>> {
    let base = Http::new("http://127.0.0.1", opts.timeout)
        .map_err(|e| anyhow::anyhow!("cannot set up the HTTP client: {e}"))?;
    let mut plan = Vec::new();
    for check in Check::ALL {
        if !opts.wants(check) {
            continue;
        }
        let Some(component) = check.component() else {
            plan.push(Planned::Probe {
                probe: Arc::new(host::HostProbe {
                    proc_root: "/proc".into(),
                    data_paths: vec![settings.dir.clone(), DOCKER_DATA_ROOT.into()],
                    thresholds: settings.thresholds.clone(),
                    cpu_window: (opts.timeout / 2).min(Duration::from_millis(200)),
                }),
                url: None,
            });
            continue;
        };
        let Some(url) = settings.url(component) else {
            plan.push(Planned::Skip { check, reason: off_reason(component) });
            continue;
        };
        // A partial stack: what `up --services` did not start is left out (--only overrides).
        if opts.only.is_none()
            && let Some(why) = settings.not_started(component)
        {
            plan.push(Planned::Skip {
                check,
                reason: format!("{why}; `--only {}` checks it anyway", check),
            });
            continue;
        }
        let http = base.with_base(url);
        let (probe, shown): (Arc<dyn probe::Probe>, String) = match check {
            Check::Prometheus => {
                (Arc::new(prometheus_probe(http, &clock, settings)), url.to_string())
            }
            Check::Alertmanager => (
                Arc::new(alertmanager::AlertmanagerProbe { client: AlertmanagerClient::new(http) }),
                url.to_string(),
            ),
            Check::Grafana => (
                Arc::new(grafana::GrafanaProbe { http: http.capped(BodyCap::Status) }),
                url.to_string(),
            ),
            Check::Loki => {
                (Arc::new(loki::LokiProbe { http: http.capped(BodyCap::Status) }), url.to_string())
            }
            Check::Jaeger => {
                let admin = match settings.endpoint(Component::JaegerAdmin) {
                    Endpoint::Url(a) => Some(base.with_base(a).capped(BodyCap::Status)),
                    Endpoint::Off => None,
                };
                let shown = admin.as_ref().map(|a| a.base().to_string()).unwrap_or(url.into());
                (Arc::new(jaeger::JaegerProbe { admin, ui: http.capped(BodyCap::Status) }), shown)
            }
            Check::NodeExporter => {
                let (b, path) = metrics_endpoint(url);
                let shown = format!("{b}{path}");
                (
                    Arc::new(node_exporter::NodeExporterProbe { http: base.with_base(&b), path }),
                    shown,
                )
            }
            Check::Cadvisor => (
                Arc::new(cadvisor::CadvisorProbe { http: http.capped(BodyCap::Status) }),
                url.to_string(),
            ),
            Check::Pushgateway => (
                Arc::new(pushgateway::PushgatewayProbe { http: http.capped(BodyCap::Status) }),
                url.to_string(),
            ),
            Check::Connector => {
                let catalogue = Catalogue::load(&settings.dir)
                    .context("cannot load the connector's metric catalogue")?;
                let (b, path) = metrics_endpoint(url);
                let shown = format!("{b}{path}");
                (
                    Arc::new(connector::ConnectorProbe {
                        http: base.with_base(&b),
                        path,
                        catalogue: Arc::new(catalogue),
                    }),
                    shown,
                )
            }
            Check::Horizon => (
                Arc::new(horizon::HorizonProbe {
                    client: HorizonClient::new(http.capped(BodyCap::Status)),
                    expect: settings.horizon.clone(),
                    clock: clock.clone(),
                }),
                url.to_string(),
            ),
            Check::Host => continue,
        };
        let probe = if settings.topology == Topology::Ha {
            ha_group(settings, check, probe, url, &base, &clock)?
        } else {
            probe
        };
        // Shown in the table and the JSON: credentials in the URL hidden.
        plan.push(Planned::Probe {
            probe,
            url: Some(crate::output::redact_url(&shown).into_owned()),
        });
    }
    Ok(plan)
}

/// The HA topology: the Prometheus and Alertmanager rows probe every replica and peer (the
/// first on the component's URL, the others on the same host at their `.env` ports).
fn ha_group(
    settings: &Settings,
    check: Check,
    first: Arc<dyn probe::Probe>,
    url: &str,
    base: &Http,
    clock: &Arc<dyn Clock>,
) -> Result<Arc<dyn probe::Probe>> {
    let members = match check {
        Check::Prometheus => &crate::ha::PROMETHEUS_REPLICAS[..],
        Check::Alertmanager => &crate::ha::ALERTMANAGER_PEERS[..],
        _ => return Ok(first),
    };
    let dotenv = crate::stack::env_file::read(&settings.env_file()).unwrap_or_default();
    let mut list: Vec<(String, Arc<dyn probe::Probe>)> = Vec::new();
    let mut peers = Vec::new();
    for (i, m) in members.iter().enumerate() {
        let member_url = if i == 0 {
            url.to_string()
        } else {
            let mut u = reqwest::Url::parse(url)
                .with_context(|| format!("{check}: cannot read the URL {url}"))?;
            let _ = u.set_port(Some(crate::ha::port_of(m, &dotenv)));
            u.as_str().trim_end_matches('/').to_string()
        };
        let http = base.with_base(&member_url);
        let p: Arc<dyn probe::Probe> = if i == 0 {
            first.clone()
        } else if check == Check::Prometheus {
            Arc::new(prometheus_probe(http.clone(), clock, settings))
        } else {
            Arc::new(alertmanager::AlertmanagerProbe {
                client: AlertmanagerClient::new(http.clone()),
            })
        };
        if check == Check::Alertmanager {
            peers.push((m.service.to_string(), AlertmanagerClient::new(http)));
        }
        list.push((m.service.to_string(), p));
    }
    Ok(Arc::new(replicas::ReplicasProbe { check, members: list, peers }))
}

/// Run `plan` once.
pub async fn run_once(plan: Vec<Planned>, opts: &Options, clock: &dyn Clock) -> HealthReport {
    let run =
        runner::run(plan, RunOptions { timeout: opts.timeout, sequential: opts.sequential }).await;
    HealthReport { run, finished_at: clock.now() }
}

/// `--watch` on a terminal: a header line over the report ([`Ui::emit_redraw`] clears the
/// screen first).
struct Redraw<'a> {
    report: &'a HealthReport,
    every: Duration,
}

impl Report for Redraw<'_> {
    fn human(&self, paint: &Paint) -> String {
        format!(
            "{}\n{}",
            paint.dim(&format!(
                "stellar-obs check-health, every {}, Ctrl-C to stop; last run {}",
                crate::api::http::fmt_duration(self.every),
                crate::clock::rfc3339(self.report.finished_at)
            )),
            self.report.human(paint)
        )
    }

    fn json(&self) -> serde_json::Value {
        self.report.json()
    }

    fn other(&self, format: OutputFormat) -> Option<String> {
        self.report.other(format)
    }
}

/// `stellar-obs check-health`.
pub fn run(settings: &Settings, ui: &Ui, a: &CheckHealthArgs) -> Result<Outcome> {
    ui.require_format("check-health", &[OutputFormat::Json, OutputFormat::Prometheus])?;
    let opts = Options::from_args(a, &ProcessEnv)?;
    if a.swarm && settings.topology != Topology::Ha {
        bail!(
            "--swarm: the stack in {} is not HA (no `topology: ha` in stellar-obs.yml), so it does not run on Swarm; leave --swarm out",
            settings.dir.display()
        );
    }
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let plan = plan(settings, &opts, clock.clone())?;
    let rt = crate::runtime::runtime()?;
    let result = match opts.watch {
        None => rt.block_on(once(plan, &opts, ui, clock.as_ref())),
        Some(every) => rt.block_on(watch(plan, &opts, every, ui, clock.as_ref())),
    };
    // A probe stuck in a blocking call (statvfs on a dead mount) must not hold the exit.
    rt.shutdown_background();
    result
}

fn log_details(ui: &Ui, report: &HealthReport) {
    for r in &report.run.results {
        for d in &r.details {
            ui.debug(format!("{} {}: {} ({})", r.check, d.check, d.message, d.status));
        }
    }
}

async fn once(plan: Vec<Planned>, opts: &Options, ui: &Ui, clock: &dyn Clock) -> Result<Outcome> {
    let progress = ui.progress.then(|| {
        let line = crate::output::progress::Progress::new(ui).line("check-health");
        line.set(&match plan.len() {
            1 => "probing 1 component".to_string(),
            n => format!("probing {n} components"),
        });
        line
    });
    let report = run_once(plan, opts, clock).await;
    if let Some(p) = progress {
        p.clear();
    }
    log_details(ui, &report);
    ui.emit(&report)?;
    Ok(report.outcome())
}

async fn watch(
    plan: Vec<Planned>,
    opts: &Options,
    every: Duration,
    ui: &Ui,
    clock: &dyn Clock,
) -> Result<Outcome> {
    let redraw = ui.format == OutputFormat::Human && std::io::stdout().is_terminal();
    let mut last: Option<Outcome> = None;
    loop {
        tokio::select! {
            report = run_once(plan.clone(), opts, clock) => {
                log_details(ui, &report);
                if redraw {
                    ui.emit_redraw(&Redraw { report: &report, every })?;
                } else {
                    ui.emit(&report)?;
                }
                last = Some(report.outcome());
            }
            _ = tokio::signal::ctrl_c() => break,
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = tokio::signal::ctrl_c() => break,
        }
    }
    match last {
        Some(o) => Ok(o),
        None => bail!("interrupted before the first round of probes finished"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::MapEnv;

    fn args(only: &[&str], timeout: f64) -> CheckHealthArgs {
        CheckHealthArgs {
            only: only.iter().map(|s| s.to_string()).collect(),
            timeout,
            watch: None,
            swarm: false,
        }
    }

    #[test]
    fn only_accepts_both_spellings_and_rejects_unknown_names() {
        let o = Options::from_args(
            &args(&["node-exporter", "host", "prometheus"], 2.0),
            &MapEnv::default(),
        )
        .expect("ok");
        let only = o.only.expect("set");
        assert!(only.contains(&Check::NodeExporter) && only.contains(&Check::Host));
        let e = Options::from_args(&args(&["prometheus", "grafna"], 2.0), &MapEnv::default())
            .expect_err("unknown");
        let m = format!("{e:#}");
        assert!(m.contains("unknown component `grafna`"), "{m}");
        assert!(m.contains("valid: prometheus, alertmanager"), "{m}");
        assert!(Options::from_args(&args(&[], 0.0), &MapEnv::default()).is_err());
        assert!(Options::from_args(&args(&[], f64::NAN), &MapEnv::default()).is_err());
    }

    #[test]
    fn metrics_urls() {
        assert_eq!(metrics_endpoint("http://h:8000"), ("http://h:8000".into(), "/metrics".into()));
        assert_eq!(
            metrics_endpoint("http://h:8000/metrics/"),
            ("http://h:8000".into(), "/metrics".into())
        );
        assert_eq!(
            metrics_endpoint("http://proxy/connector"),
            ("http://proxy/connector".into(), "/metrics".into())
        );
    }

    #[test]
    fn the_plan_follows_settings_and_only() {
        let d = tempfile::tempdir().expect("tmp");
        let env = MapEnv(
            [("STELLAR_OBS_GRAFANA_URL", "off"), ("STELLAR_OBS_JAEGER_URL", "off")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        );
        let s = Settings::load_with(Some(d.path().into()), None, &env).expect("settings");
        let o = Options::from_args(&args(&[], 1.0), &MapEnv::default()).expect("opts");
        let p = plan(&s, &o, Arc::new(SystemClock)).expect("plan");
        let names: Vec<String> = p.iter().map(|p| format!("{p:?}")).collect();
        assert_eq!(p.len(), 11, "{names:?}");
        assert!(
            matches!(&p[2], Planned::Skip { check: Check::Grafana, reason } if reason.contains("STELLAR_OBS_GRAFANA_URL"))
        );
        assert!(matches!(&p[4], Planned::Skip { check: Check::Jaeger, .. }));
        assert!(names[5].contains("http://127.0.0.1:9100/metrics"), "{}", names[5]);
        let o =
            Options::from_args(&args(&["horizon", "host"], 1.0), &MapEnv::default()).expect("opts");
        let p = plan(&s, &o, Arc::new(SystemClock)).expect("plan");
        assert_eq!(
            p.iter().map(Planned::check).collect::<Vec<_>>(),
            vec![Check::Horizon, Check::Host]
        );
    }
}
