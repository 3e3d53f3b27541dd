//! Benchmark of the Alertmanager checker: the stack's alertmanager.yml, and a generated
//! large configuration (N receivers, N routes with matchers, N inhibit rules).
//! `cargo run --release --example am_bench [-- N]`
use std::time::Instant;

use stellar_obs::lint::alertmanager::{AmOptions, check_config_with};
use stellar_obs::lint::{Options, Source};

fn time(label: &str, text: &str, am: &AmOptions, opts: &Options, iters: u32) {
    let src = Source::new("alertmanager.yml", "templates/alerting/alertmanager.yml", text);
    let t = Instant::now();
    let mut n = 0;
    for _ in 0..iters {
        let tree = stellar_obs::yaml::parse(text).expect("yaml");
        let mut d = Vec::new();
        check_config_with(&src, &tree, opts, am, &mut d);
        n = d.len();
    }
    let per = t.elapsed() / iters;
    println!("{label}: {} bytes, {n} findings, {per:?} per run (parse + check)", text.len());
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let stack = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let text =
        std::fs::read_to_string(stack.join("alerting/alertmanager.yml")).expect("stack file");
    let files = Options { check_files: true, ..Options::default() };
    time(
        "stack alertmanager.yml (check_files, templates parsed)",
        &text,
        &AmOptions::for_stack(&stack),
        &files,
        200,
    );
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
    let t = Instant::now();
    for _ in 0..5 {
        stellar_obs::yaml::parse(&big).expect("yaml");
    }
    println!("generated: YAML parse only {:?} per run", t.elapsed() / 5);
    time(
        &format!("generated: {n} routes, {n} receivers, {n} inhibit rules"),
        &big,
        &AmOptions::default(),
        &Options::default(),
        5,
    );
}
