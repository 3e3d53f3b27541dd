//! Temporary conformance runner for the Alertmanager checker (until tests/conformance.rs
//! lands): runs `check_config` over every case of
//! /work/shared/conformance/alertmanager-config/cases.tsv and prints the agreement with
//! `expected`. Usage: `cargo run --example am_conformance [-- --mode fallback|classic|utf8] [-v]`.
//!
//! Upstream's expectations come from Go unit tests that never set Alertmanager's feature
//! flags, i.e. the package default, the classic matchers parser and classic label names:
//! that is the default mode here. `--mode fallback` is what amtool/alertmanager run with.

use std::path::Path;

use stellar_obs::lint::Options;
use stellar_obs::lint::Severity;
use stellar_obs::lint::Source;
use stellar_obs::lint::alertmanager::{AmOptions, ParserMode, check_config_with};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let verbose = args.iter().any(|a| a == "-v");
    let mode = match args
        .iter()
        .position(|a| a == "--mode")
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
    {
        Some("fallback") => ParserMode::Fallback,
        Some("utf8") => ParserMode::Utf8Strict,
        _ => ParserMode::Classic,
    };
    let root = Path::new("/work/shared/conformance/alertmanager-config");
    let tsv = std::fs::read_to_string(root.join("cases.tsv")).expect("cases.tsv");
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).expect(n);
    let (cf, ce, cs, cc) =
        (col("file"), col("expected"), col("error_substring"), col("conditions"));
    let (mut total, mut agree, mut phrase_ok, mut phrase_n) = (0, 0, 0, 0);
    let mut disagreements = Vec::new();
    for line in lines {
        let f: Vec<&str> = line.split('\t').collect();
        let file = f[cf];
        let expected = f[ce];
        let substring = f.get(cs).copied().unwrap_or("");
        let conditions = f.get(cc).copied().unwrap_or("");
        if !conditions.is_empty() {
            println!("EXCLUDED {file}: conditions {conditions}");
            continue;
        }
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).expect("case file");
        let src = Source::new(file, &path, text.as_str());
        let mut diags = Vec::new();
        match stellar_obs::yaml::parse(&text) {
            Ok(tree) => {
                let am = AmOptions { mode, path_map: Vec::new() };
                check_config_with(&src, &tree, &Options::default(), &am, &mut diags);
            }
            Err(e) => diags.push(stellar_obs::lint::Diagnostic::error(
                file,
                e.pos,
                "yaml/syntax",
                e.message,
            )),
        }
        let errors: Vec<_> = diags.iter().filter(|d| d.severity == Severity::Error).collect();
        let got = if errors.is_empty() { "valid" } else { "invalid" };
        total += 1;
        if got == expected {
            agree += 1;
        } else {
            disagreements.push(format!(
                "{file}: expected {expected}, got {got}: {}",
                errors.first().map_or(String::new(), |d| d.message.clone())
            ));
        }
        if expected == "invalid" && !substring.is_empty() {
            phrase_n += 1;
            let hit = errors.iter().any(|d| d.message.contains(substring));
            if hit {
                phrase_ok += 1;
            } else if verbose {
                println!(
                    "PHRASE {file}: want {substring:?}; got {:?}",
                    errors.iter().map(|d| d.message.as_str()).collect::<Vec<_>>()
                );
            }
        }
        if verbose {
            for d in &diags {
                println!(
                    "  {file}:{}:{} {} {} {}",
                    d.line, d.column, d.severity, d.code, d.message
                );
            }
        }
    }
    for d in &disagreements {
        println!("DISAGREE {d}");
    }
    println!(
        "mode {mode:?}: {agree}/{total} agree ({:.1}%); error phrase found in {phrase_ok}/{phrase_n} invalid cases",
        100.0 * agree as f64 / total as f64
    );
}
