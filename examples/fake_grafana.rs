//! The test suite's fake Grafana as a process, for benchmarks and trying the commands by hand.
//!
//! ```text
//! cargo run --example fake_grafana -- [--latency-ms N] [--version 11.6.0] [--port P] [--url-file F]
//! ```
//! Prints its URL (and writes it to `--url-file`), then serves until killed. Token:
//! `glsa_fake_token_0123456789`; basic auth `admin` / `admin-password`. `POST /__fake/reset`
//! empties dashboards and folders; `GET /__fake/stats` shows counts.

#![allow(clippy::print_stdout)]

#[path = "../tests/common/fake_grafana.rs"]
mod fake_grafana;

use std::time::Duration;

use fake_grafana::{FakeConfig, FakeGrafana};

fn main() {
    let mut cfg = FakeConfig::default();
    let mut port = 0u16;
    let mut url_file: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_else(|| usage(&format!("{a} needs a value")));
        match a.as_str() {
            "--latency-ms" => {
                let v = val();
                cfg.latency =
                    Duration::from_millis(v.parse().unwrap_or_else(|_| usage("--latency-ms N")));
            }
            "--version" => cfg.version = val(),
            "--port" => port = val().parse().unwrap_or_else(|_| usage("--port P")),
            "--url-file" => url_file = Some(val()),
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    let g = FakeGrafana::start_on(&format!("127.0.0.1:{port}"), cfg);
    g.add_datasource("prometheus", "Prometheus", "prometheus");
    println!("{}", g.url);
    if let Some(f) = url_file
        && let Err(e) = std::fs::write(&f, &g.url)
    {
        eprintln!("cannot write {f}: {e}");
        std::process::exit(1);
    }
    loop {
        std::thread::park();
    }
}

fn usage(msg: &str) -> ! {
    if !msg.is_empty() {
        eprintln!("fake_grafana: {msg}");
    }
    eprintln!("usage: fake_grafana [--latency-ms N] [--version V] [--port P] [--url-file F]");
    std::process::exit(2)
}
