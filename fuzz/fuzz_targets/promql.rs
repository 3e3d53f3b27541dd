//! Fuzz the PromQL engine and the series notation: no input may panic or run away.
//! The first line is a query; the other lines are series in the expanding notation
//! (`metric{a="b"} 1+2x10 _ stale`), one sample every 15 s. The query is evaluated as an
//! instant query at three times and as a short range query.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stellar_obs::promql::series::{SeriesValue, parse_series_line};
use stellar_obs::promql::value::STALE_NAN;
use stellar_obs::promql::{Engine, EngineOptions, Storage};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.lines();
    let Some(query) = lines.next() else { return };
    let mut st = Storage::new();
    let mut budget = 20_000usize;
    for l in lines {
        let Ok((labels, values)) = parse_series_line(l) else { continue };
        for (i, v) in values.into_iter().enumerate().take(budget) {
            let v = match v {
                None => continue,
                Some(SeriesValue::Float(f)) => f,
                Some(SeriesValue::Stale) => STALE_NAN,
            };
            st.add(labels.clone(), i as i64 * 15_000, v);
        }
        budget = budget.saturating_sub(1_000);
    }
    let Ok(expr) = promql_parser::parser::parse(query) else { return };
    let engine = Engine::new(EngineOptions { max_samples: 200_000, ..EngineOptions::default() });
    for t in [0, 90_000, 3_600_000] {
        let _ = engine.instant(&st, &expr, t);
    }
    let _ = engine.range(&st, &expr, 0, 600_000, 60_000);
});
