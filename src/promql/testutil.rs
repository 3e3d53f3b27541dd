//! Helpers for the engine's unit tests: a store from series lines, results as sorted text.

use super::Engine;
use super::series::{SeriesValue, parse_series_line};
use super::storage::Storage;
use super::value::{STALE_NAN, Value};

/// A store from series lines, one sample per `step_ms`.
pub fn load(step_ms: i64, lines: &[&str]) -> Storage {
    let mut st = Storage::new();
    for l in lines {
        let (labels, vals) = parse_series_line(l).expect("valid series line");
        for (i, v) in vals.into_iter().enumerate() {
            let v = match v {
                None => continue,
                Some(SeriesValue::Float(f)) => f,
                Some(SeriesValue::Stale) => STALE_NAN,
            };
            st.add(labels.clone(), i as i64 * step_ms, v);
        }
    }
    st
}

/// `labels value` lines of an instant vector result, sorted.
pub fn q(st: &Storage, query: &str, t: i64) -> Vec<String> {
    match Engine::default().query_str(st, query, t).expect("evaluates") {
        Value::Vector(v) => {
            let mut out: Vec<String> = v.iter().map(|s| format!("{} {}", s.labels, s.v)).collect();
            out.sort();
            out
        }
        Value::Scalar { v, .. } => vec![format!("scalar {v}")],
        other => vec![other.to_string()],
    }
}

/// The error message of a query that must fail.
pub fn err(st: &Storage, query: &str, t: i64) -> String {
    match Engine::default().query_str(st, query, t) {
        Ok(v) => panic!("{query} evaluated to {v}"),
        Err(e) => e.message,
    }
}
