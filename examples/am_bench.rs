//! Benchmark of the Alertmanager checker.
//!
//! - `am_bench gen N OUT`: write a large configuration (N routes with matchers, N
//!   receivers, N inhibit rules) to OUT.
//! - `am_bench check FILE...`: parse and check each file once (what `stellar-obs validate`
//!   does for an alertmanager.yml; compare with `amtool check-config FILE` in hyperfine).
//! - `am_bench loop FILE N`: N in-process runs, time per run.
//! - `am_bench show FILE...`: print the findings.
use std::time::Instant;

use stellar_obs::lint::alertmanager::{AmOptions, check_config_with};
use stellar_obs::lint::{Options, Severity, Source};

fn check(path: &str) -> (usize, usize) {
    check_show(path, false)
}

fn check_show(path: &str, show: bool) -> (usize, usize) {
    let text = std::fs::read_to_string(path).expect("read");
    let tree = stellar_obs::yaml::parse(&text).expect("yaml");
    let src = Source::new(path, path, text.as_str());
    let mut d = Vec::new();
    check_config_with(
        &src,
        &tree,
        &Options { check_files: true, ..Options::default() },
        &AmOptions::default(),
        &mut d,
    );
    if show {
        stellar_obs::lint::diagnostic::sort(&mut d);
        for x in &d {
            println!("{}:{}:{} {} {} {}", x.path, x.line, x.column, x.severity, x.code, x.message);
        }
    }
    (d.iter().filter(|x| x.severity == Severity::Error).count(), d.len())
}

fn generate(n: usize) -> String {
    let mut big = String::from(
        "global:\n  slack_api_url_file: /s/slack\nroute:\n  receiver: r0\n  routes:\n",
    );
    for i in 0..n {
        big.push_str(&format!(
            "    - matchers: ['team=\"t{i}\"', 'severity=~\"critical|warning\"']\n      receiver: r{i}\n      group_by: [alertname, instance]\n      repeat_interval: 4h\n"
        ));
    }
    big.push_str("receivers:\n");
    for i in 0..n {
        big.push_str(&format!(
            "  - name: r{i}\n    slack_configs:\n      - channel: '#t{i}'\n        title: '{{{{ template \"slack.default.title\" . }}}}'\n"
        ));
    }
    big.push_str("inhibit_rules:\n");
    for i in 0..n {
        big.push_str(&format!(
            "  - source_matchers: ['severity=\"critical\"', 'team=\"t{i}\"']\n    target_matchers: ['severity=\"warning\"']\n    equal: [alertname]\n"
        ));
    }
    big
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("gen") => {
            let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(2000);
            let out = args.get(2).expect("OUT");
            std::fs::write(out, generate(n)).expect("write");
        }
        Some("check") => {
            for f in &args[1..] {
                let (e, all) = check(f);
                println!("{f}: {e} errors, {all} findings");
            }
        }
        Some("show") => {
            for f in &args[1..] {
                check_show(f, true);
            }
        }
        Some("loop") => {
            let f = args.get(1).expect("FILE");
            let n: u32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100);
            let t = Instant::now();
            for _ in 0..n {
                check(f);
            }
            println!("{f}: {:?} per run", t.elapsed() / n);
        }
        _ => eprintln!("usage: am_bench gen N OUT | check FILE... | show FILE... | loop FILE N"),
    }
}
