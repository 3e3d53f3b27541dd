//! What concurrency buys `check-health`: ten local servers (one per HTTP component), each
//! answering after 200 ms, probed by the real binary
//! - concurrently (the default),
//! - sequentially (`STELLAR_OBS_HEALTH_SEQUENTIAL=1`, the hidden comparison mode),
//! - one component at a time (`--only X`), to find the slowest single probe.
//!
//! `cargo bench --bench health_concurrency` prints a Markdown table for BENCHMARKS.md, then,
//! when `hyperfine` is installed, a hyperfine comparison of the same three things against
//! the peer: a shell loop of `curl` over each component's health URL (liveness only, one
//! after the other — what a "pile of curl commands" does).
//! Wall time is the whole process (start-up included); `duration_ms` is the run as the
//! binary reports it. `RUNS` (env `HEALTH_BENCH_RUNS`, default 15) runs each, median shown.

#[path = "../tests/common/http_server.rs"]
mod http_server;

#[path = "../tests/common/health_fakes.rs"]
mod health_fakes;

use std::process::Command;
use std::time::{Duration, Instant};

use health_fakes::{HTTP_COMPONENTS, delayed_stack};

const DELAY: Duration = Duration::from_millis(200);

struct Sample {
    wall_ms: f64,
    run_ms: f64,
    max_latency_ms: f64,
}

fn run(env: &[(&'static str, String)], only: &str, sequential: bool) -> Sample {
    let dir = std::env::temp_dir();
    let mut c = Command::new(env!("CARGO_BIN_EXE_stellar-obs"));
    c.args(["check-health", "-o", "json", "--timeout", "5", "--only", only, "--dir"]).arg(&dir);
    for (k, _) in std::env::vars() {
        if k.starts_with("STELLAR_OBS_") {
            c.env_remove(k);
        }
    }
    for (k, v) in env {
        c.env(format!("STELLAR_OBS_{k}_URL"), v);
    }
    if sequential {
        c.env("STELLAR_OBS_HEALTH_SEQUENTIAL", "1");
    }
    let t0 = Instant::now();
    let out = c.output().expect("run stellar-obs");
    let wall_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(v["status"], "healthy", "the delayed stack should be healthy: {v}");
    let max_latency_ms = v["checks"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["latency_ms"].as_f64()).fold(0.0, f64::max))
        .unwrap_or(0.0);
    Sample { wall_ms, run_ms: v["duration_ms"].as_f64().unwrap_or(f64::NAN), max_latency_ms }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn series(n: usize, f: impl Fn() -> Sample) -> (f64, f64, f64) {
    let s: Vec<Sample> = (0..n).map(|_| f()).collect();
    (
        median(s.iter().map(|x| x.wall_ms).collect()),
        median(s.iter().map(|x| x.run_ms).collect()),
        median(s.iter().map(|x| x.max_latency_ms).collect()),
    )
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing useful: run short.
    let quick = !std::env::args().any(|a| a == "--bench");
    let n: usize = std::env::var("HEALTH_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 1 } else { 15 });
    let (_servers, env) = delayed_stack(DELAY);
    let all = HTTP_COMPONENTS.join(",");

    // Warm-up (page cache, connection set-up paths).
    run(&env, &all, false);

    let mut singles = Vec::new();
    for c in HTTP_COMPONENTS {
        let (wall, run_ms, _) = series(n, || run(&env, c, false));
        singles.push((c, wall, run_ms));
    }
    let slowest =
        singles.iter().cloned().fold(("", 0.0, 0.0), |a, b| if b.1 > a.1 { b } else { a });
    let (c_wall, c_run, c_lat) = series(n, || run(&env, &all, false));
    let (s_wall, s_run, _) = series(n, || run(&env, &all, true));

    println!("check-health, 10 probes each delayed {} ms, median of {n} runs", DELAY.as_millis());
    println!();
    println!(
        "| mode | wall time (process) | run (`duration_ms`) | ratio to the slowest single probe (wall) |"
    );
    println!("|---|---|---|---|");
    println!(
        "| slowest single probe (`--only {}`) | {:.0} ms | {:.0} ms | 1.00 |",
        slowest.0, slowest.1, slowest.2
    );
    println!(
        "| concurrent (default), 10 probes | {c_wall:.0} ms | {c_run:.0} ms (slowest probe inside: {c_lat:.0} ms) | {:.2} |",
        c_wall / slowest.1
    );
    println!(
        "| sequential (`STELLAR_OBS_HEALTH_SEQUENTIAL=1`), 10 probes | {s_wall:.0} ms | {s_run:.0} ms | {:.2} |",
        s_wall / slowest.1
    );
    println!();
    println!("single probes (wall / run ms):");
    for (c, w, r) in &singles {
        println!("  {c:<14} {w:>6.0} {r:>6.0}");
    }
    if !quick {
        hyperfine(&env, &all, n);
    }
}

/// The health URL a `curl` loop would ask for each component.
fn curl_urls(env: &[(&'static str, String)]) -> Vec<String> {
    let path = |k: &str| match k {
        "PROMETHEUS" | "ALERTMANAGER" | "PUSHGATEWAY" => Some("/-/ready"),
        "GRAFANA" => Some("/api/health"),
        "LOKI" => Some("/ready"),
        "JAEGER_ADMIN" => Some("/"),
        "NODE_EXPORTER" | "CONNECTOR" => Some("/metrics"),
        "CADVISOR" => Some("/healthz"),
        "HORIZON" => Some("/health"),
        _ => None,
    };
    env.iter().filter_map(|(k, u)| path(k).map(|p| format!("{u}{p}"))).collect()
}

fn hyperfine(env: &[(&'static str, String)], all: &str, n: usize) {
    if Command::new("hyperfine").arg("--version").output().is_err() {
        println!("\n(hyperfine not installed: skipped the hyperfine comparison)");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_stellar-obs");
    let dir = std::env::temp_dir();
    let base =
        format!("{bin} check-health -o json --timeout 5 --dir {} --only {all}", dir.display());
    let curl = curl_urls(env)
        .iter()
        .map(|u| format!("curl -fsS -m 5 -o /dev/null {u}"))
        .collect::<Vec<_>>()
        .join("; ");
    let md = std::env::temp_dir().join(format!("health-bench-{}.md", std::process::id()));
    let mut c = Command::new("hyperfine");
    c.args(["--warmup", "2", "--runs", &n.max(5).to_string(), "--export-markdown"])
        .arg(&md)
        .args(["-n", "stellar-obs check-health (concurrent)", &base])
        .args([
            "-n",
            "stellar-obs check-health (sequential)",
            &format!("env STELLAR_OBS_HEALTH_SEQUENTIAL=1 {base}"),
        ])
        .args(["-n", "curl loop over the 10 health URLs", &curl]);
    for (k, _) in std::env::vars() {
        if k.starts_with("STELLAR_OBS_") {
            c.env_remove(k);
        }
    }
    for (k, v) in env {
        c.env(format!("STELLAR_OBS_{k}_URL"), v);
    }
    let out = c.output().expect("run hyperfine");
    if !out.status.success() {
        println!("\nhyperfine failed: {}", String::from_utf8_lossy(&out.stderr));
        return;
    }
    println!("\nhyperfine (mean ± σ, relative to the fastest):\n");
    print!("{}", std::fs::read_to_string(&md).unwrap_or_default());
    let _ = std::fs::remove_file(&md);
}
