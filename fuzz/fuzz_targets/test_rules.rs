//! Fuzz the parsers `stellar-obs test rules` reads its input with: no input may panic.
//! The first byte picks the parser, the rest is the text:
//! 0: a series line in the expanding notation (`metric{a="b"} 1+2x3 _ stale`);
//! 1: a rule unit-test file (schema, then validate's checks);
//! 2: an expected-sample label set; 3: an alert template, expanded.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use stellar_obs::lint::{Source, rule_tests};
use stellar_obs::promql::series;
use stellar_obs::test::template::{self, TemplateData};

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    match sel % 4 {
        0 => {
            if let Err(e) = series::parse_series_line(&text) {
                assert!(e.column >= 1, "column 0: {e:?}");
            }
        }
        1 => {
            let Ok(tree) = stellar_obs::yaml::parse(&text) else { return };
            // A file name in a directory of its own, so relative rule_files globs list
            // nothing of the machine.
            let src = Source::memory("/nonexistent-fuzz-dir/t.yml", &text);
            let mut diags = Vec::new();
            rule_tests::check(&src, &tree, &mut diags);
            for d in &diags {
                assert!(d.line >= 1 && d.column >= 1, "position 0: {d:?}");
            }
        }
        2 => {
            let _ = series::parse_series_labels(&text);
        }
        _ => {
            let labels: BTreeMap<String, String> =
                [("instance".to_string(), "a:1".to_string())].into_iter().collect();
            let data = TemplateData {
                labels: &labels,
                external_labels: &labels,
                external_url: "http://x",
                value: 1.5,
                time_ms: 0,
            };
            let _ = template::expand("Fuzz", &text, &data, None);
        }
    }
});
