//! Fuzz the YAML loader and every validator kind: no input may panic.
//! The first byte picks the kind, the rest is the file's text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stellar_obs::cli::OutputFormat;
use stellar_obs::lint::{self, FileKind, Options, Source};
use stellar_obs::output::Report;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let kind = match sel % 7 {
        0 => None,
        1 => Some(FileKind::Prometheus),
        2 => Some(FileKind::Rules),
        3 => Some(FileKind::Alertmanager),
        4 => Some(FileKind::Dashboard),
        5 => Some(FileKind::Compose),
        _ => Some(FileKind::Yaml),
    };
    let name = if sel & 0x80 != 0 { "f.json" } else { "f.yml" };
    let src = Source::memory(name, &text);
    let mut diags = Vec::new();
    let checked =
        lint::check_source(&src, kind, &Options::default(), Default::default(), &mut diags);
    let mut report = lint::LintReport::default();
    let mut facts = Vec::new();
    if let Some(r) = checked.rules {
        facts.push((name.to_string(), r));
    }
    let refs: Vec<(&str, &lint::rules::RuleFacts)> =
        facts.iter().map(|(p, f)| (p.as_str(), f)).collect();
    lint::rules::duplicates(&refs, &mut diags);
    for d in &diags {
        assert!(d.line >= 1 && d.column >= 1, "position 0: {d:?}");
    }
    report.add_file(src, diags);
    report.finish();
    let _ = report.human(&Default::default());
    let _ = report.json();
    let _ = report.other(OutputFormat::Github);
    let _ = report.other(OutputFormat::Sarif);
});
