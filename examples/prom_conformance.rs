//! Runs the Prometheus config checker over the conformance corpus and prints agreement
//! with upstream's verdicts.
//!
//! `cargo run --example prom_conformance [-- CORPUS_DIR] [--full] [-v]`
//! (default corpus: /work/shared/conformance/prometheus-config). Rows whose verdict comes
//! from promtool's tests are checked with referenced files (as promtool does); the others
//! parse-only, as upstream's loader tests do. `--full` checks files for every row. `-v`
//! prints every finding.

use std::path::PathBuf;

use stellar_obs::lint::{Options, Severity, prometheus};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let full = args.iter().any(|a| a == "--full");
    let verbose = args.iter().any(|a| a == "-v");
    let dir = PathBuf::from(
        args.iter()
            .find(|a| !a.starts_with('-'))
            .cloned()
            .unwrap_or_else(|| "/work/shared/conformance/prometheus-config".into()),
    );
    let tsv = match std::fs::read_to_string(dir.join("cases.tsv")) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {}: {e}", dir.join("cases.tsv").display());
            std::process::exit(2);
        }
    };
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let col = |n: &str| header.iter().position(|h| *h == n);
    let (Some(cf), Some(ce), Some(cs), Some(cc), Some(cx)) = (
        col("file"),
        col("expected"),
        col("error_substring"),
        col("conditions"),
        col("expected_source"),
    ) else {
        eprintln!("unexpected header");
        std::process::exit(2);
    };
    let (mut total, mut agree, mut substr_hits, mut substr_total) = (0, 0, 0, 0);
    let start = std::time::Instant::now();
    for line in lines {
        let c: Vec<&str> = line.split('\t').collect();
        let (file, expected, substring, conditions) = (c[cf], c[ce], c[cs], c[cc]);
        let agent = conditions.contains("agent mode");
        // Rows whose verdict comes from promtool's own tests were checked the way promtool
        // checks (files included); the rest come from parse-only loader tests.
        let by_promtool = c[cx].contains("promtool main_test");
        let opts = Options { check_files: full || by_promtool, agent, ..Options::default() };
        let path = dir.join(file);
        let mut diags = Vec::new();
        if let Err(e) = prometheus::check_file(&path, file, &opts, &mut diags) {
            println!("IOERR {file}: {e}");
            continue;
        }
        let errors: Vec<_> = diags.iter().filter(|d| d.severity == Severity::Error).collect();
        let verdict = if errors.is_empty() { "valid" } else { "invalid" };
        total += 1;
        let ok = verdict == expected;
        if ok {
            agree += 1;
        }
        let mut sub_ok = true;
        if expected == "invalid" && !substring.is_empty() && ok {
            substr_total += 1;
            sub_ok = errors.iter().any(|d| d.message.contains(substring));
            if sub_ok {
                substr_hits += 1;
            }
        }
        if !ok || verbose || !sub_ok {
            let tag = if !ok { "DISAGREE" } else { "WORDING " };
            println!("{tag} {file}: expected {expected} ({substring}) got {verdict}");
            for d in &diags {
                println!(
                    "    {}:{}:{} {} {} {}",
                    d.path, d.line, d.column, d.severity, d.code, d.message
                );
            }
        }
    }
    println!(
        "agreement: {agree}/{total} ({:.1}%); error_substring found verbatim: {substr_hits}/{substr_total}; {:.1} ms",
        100.0 * agree as f64 / total.max(1) as f64,
        start.elapsed().as_secs_f64() * 1000.0
    );
}
