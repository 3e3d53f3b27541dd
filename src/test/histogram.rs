//! Native-histogram samples in promtool test files, as far as the float-only PromQL engine
//! allows: `input_series` values written as histogram literals (`{{schema:1 sum:3 count:2
//! buckets:[1 1]}}`, repeated with `x3`, growing with `+{{...}}x3` / `-{{...}}x3`) are kept
//! in a store of their own, and a `promql_expr_test` whose expression is a bare selector
//! returns them, compared with its `histogram:` expectations. Any other expression over a
//! histogram series is refused with a clear message (the engine does not compute on native
//! histograms), never answered wrongly.
//!
//! The series part of a line is read by the engine's own `promql::series` parser; only the
//! histogram literals are read here.

use std::collections::BTreeMap;

use crate::promql::Labels;
use crate::promql::series::{parse_number, parse_series_labels};
use crate::promql::storage::matches;

/// A native histogram sample (float histogram), buckets by index.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Hist {
    pub schema: i64,
    pub sum: f64,
    pub count: f64,
    pub zero_count: f64,
    pub zero_threshold: f64,
    pub positive: BTreeMap<i64, f64>,
    pub negative: BTreeMap<i64, f64>,
    pub custom_values: Vec<f64>,
    /// `unknown`, `reset`, `not_reset` or `gauge`.
    pub hint: String,
}

impl Hist {
    fn add(&self, o: &Hist, sign: f64) -> Hist {
        let mut h = self.clone();
        h.sum += sign * o.sum;
        h.count += sign * o.count;
        h.zero_count += sign * o.zero_count;
        for (i, v) in &o.positive {
            *h.positive.entry(*i).or_default() += sign * v;
        }
        for (i, v) in &o.negative {
            *h.negative.entry(*i).or_default() += sign * v;
        }
        h
    }

    /// Whether `self` (the later sample) is lower than `prev` anywhere: a counter reset.
    fn is_reset_after(&self, prev: &Hist) -> bool {
        self.count < prev.count
            || self.zero_count < prev.zero_count
            || prev.positive.iter().any(|(i, v)| self.positive.get(i).copied().unwrap_or(0.0) < *v)
            || prev.negative.iter().any(|(i, v)| self.negative.get(i).copied().unwrap_or(0.0) < *v)
    }

    /// The same histogram for comparison: empty buckets dropped.
    fn normalised(&self) -> Hist {
        let mut h = self.clone();
        h.positive.retain(|_, v| *v != 0.0);
        h.negative.retain(|_, v| *v != 0.0);
        if h.hint.is_empty() {
            h.hint = "unknown".into();
        }
        h
    }

    /// The promqltest notation.
    pub fn text(&self) -> String {
        let f = crate::promql::value::format_float;
        let mut parts = vec![
            format!("schema:{}", self.schema),
            format!("count:{}", f(self.count)),
            format!("sum:{}", f(self.sum)),
        ];
        if self.zero_count != 0.0 {
            parts.push(format!("z_bucket:{}", f(self.zero_count)));
        }
        if self.zero_threshold != 0.0 {
            parts.push(format!("z_bucket_w:{}", f(self.zero_threshold)));
        }
        if !self.hint.is_empty() && self.hint != "unknown" {
            parts.push(format!("counter_reset_hint:{}", self.hint));
        }
        let buckets = |m: &BTreeMap<i64, f64>| -> Option<String> {
            if m.is_empty() {
                return None;
            }
            let v: Vec<String> = m.iter().map(|(i, v)| format!("{i}:{}", f(*v))).collect();
            Some(v.join(" "))
        };
        if let Some(b) = buckets(&self.positive) {
            parts.push(format!("buckets:[{b}]"));
        }
        if let Some(b) = buckets(&self.negative) {
            parts.push(format!("n_buckets:[{b}]"));
        }
        format!("{{{{{}}}}}", parts.join(" "))
    }
}

/// Two histograms are equal as promtool compares them (fields and buckets, hint included).
pub fn equal(a: &Hist, b: &Hist) -> bool {
    let (a, b) = (a.normalised(), b.normalised());
    let feq = |x: f64, y: f64| x == y || (x.is_nan() && y.is_nan());
    a.schema == b.schema
        && feq(a.sum, b.sum)
        && feq(a.count, b.count)
        && feq(a.zero_count, b.zero_count)
        && feq(a.zero_threshold, b.zero_threshold)
        && a.hint == b.hint
        && a.custom_values == b.custom_values
        && a.positive.len() == b.positive.len()
        && a.positive.iter().zip(&b.positive).all(|((i, x), (j, y))| i == j && feq(*x, *y))
        && a.negative.len() == b.negative.len()
        && a.negative.iter().zip(&b.negative).all(|((i, x), (j, y))| i == j && feq(*x, *y))
}

/// Parse one histogram literal at the start of `s` (which starts with `{{`); returns it
/// and the bytes used.
pub fn parse_literal(s: &str) -> Result<(Hist, usize), String> {
    let Some(end) = s.find("}}") else {
        return Err("unterminated histogram literal (missing `}}`)".into());
    };
    let body = &s[2..end];
    let mut h = Hist::default();
    let (mut pos_off, mut neg_off) = (0i64, 0i64);
    let (mut pos, mut neg): (Vec<f64>, Vec<f64>) = (Vec::new(), Vec::new());
    let mut rest = body.trim_start();
    while !rest.is_empty() {
        let Some(colon) = rest.find(':') else {
            return Err(format!("expected `key:value` in histogram literal, got {rest:?}"));
        };
        let key = rest[..colon].trim();
        rest = rest[colon + 1..].trim_start();
        let value: &str;
        if rest.starts_with('[') {
            let Some(close) = rest.find(']') else {
                return Err(format!("{key}: unterminated list"));
            };
            value = &rest[1..close];
            rest = rest[close + 1..].trim_start();
        } else {
            let n = rest.find(char::is_whitespace).unwrap_or(rest.len());
            value = &rest[..n];
            rest = rest[n..].trim_start();
        }
        let num = |v: &str| parse_number(v).ok_or_else(|| format!("{key}: {v:?} is not a number"));
        let int = |v: &str| v.parse::<i64>().map_err(|_| format!("{key}: {v:?} is not an integer"));
        let list = |v: &str| {
            v.split_whitespace()
                .map(|x| parse_number(x).ok_or_else(|| format!("{key}: {x:?} is not a number")))
                .collect::<Result<Vec<f64>, String>>()
        };
        match key {
            "schema" => h.schema = int(value)?,
            "sum" => h.sum = num(value)?,
            "count" => h.count = num(value)?,
            "z_bucket" => h.zero_count = num(value)?,
            "z_bucket_w" => h.zero_threshold = num(value)?,
            "buckets" => pos = list(value)?,
            "n_buckets" => neg = list(value)?,
            "offset" => pos_off = int(value)?,
            "n_offset" => neg_off = int(value)?,
            "custom_values" => h.custom_values = list(value)?,
            "counter_reset_hint" => match value {
                "unknown" | "reset" | "not_reset" | "gauge" => h.hint = value.to_string(),
                other => {
                    return Err(format!(
                        "counter_reset_hint: {other:?} is not one of unknown, reset, not_reset, gauge"
                    ));
                }
            },
            other => return Err(format!("unknown histogram field {other:?}")),
        }
    }
    for (k, v) in pos.into_iter().enumerate() {
        h.positive.insert(pos_off + k as i64, v);
    }
    for (k, v) in neg.into_iter().enumerate() {
        h.negative.insert(neg_off + k as i64, v);
    }
    Ok((h, end + 2))
}

/// Expand the values of a histogram series line: literals, `x n`, `+{{...}}x n`,
/// `-{{...}}x n`, `_` and `_x n`. Errors name the token.
pub fn expand(text: &str) -> Result<Vec<Option<Hist>>, String> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('_') {
            // `_` is one missing sample, `_xN` N of them.
            let (n, used) = times(r)?;
            out.extend(std::iter::repeat_n(None, n.map_or(1, |n| n as usize)));
            rest = r[used..].trim_start();
            continue;
        }
        if !rest.starts_with("{{") {
            return Err(format!(
                "expected a histogram literal ({{{{...}}}}) or `_`, got {:?}",
                rest.split_whitespace().next().unwrap_or("")
            ));
        }
        let (base, used) = parse_literal(rest)?;
        rest = &rest[used..];
        let sign = if rest.starts_with("+{{") {
            1.0
        } else if rest.starts_with("-{{") {
            -1.0
        } else {
            0.0
        };
        if sign != 0.0 {
            let (inc, used) = parse_literal(&rest[1..])?;
            rest = &rest[1 + used..];
            let (n, used) = times(rest)?;
            let Some(n) = n else {
                return Err("an increment must be followed by `x<count>`".into());
            };
            rest = rest[used..].trim_start();
            let mut cur = base;
            out.push(Some(cur.clone()));
            for _ in 0..n {
                cur = cur.add(&inc, sign);
                out.push(Some(cur.clone()));
            }
        } else {
            let (n, used) = times(rest)?;
            rest = rest[used..].trim_start();
            for _ in 0..=n.unwrap_or(0) {
                out.push(Some(base.clone()));
            }
        }
        if out.len() as u64 > crate::promql::series::MAX_VALUES {
            return Err("too many values".into());
        }
    }
    Ok(out)
}

/// `x<n>` at the start of `s`: the count and the bytes used (`None`, 0 when absent).
fn times(s: &str) -> Result<(Option<u64>, usize), String> {
    let Some(r) = s.strip_prefix('x') else { return Ok((None, 0)) };
    let digits = r.bytes().take_while(u8::is_ascii_digit).count();
    let n: u64 = r[..digits].parse().map_err(|_| {
        format!("expected a count after `x`, got {:?}", r.split_whitespace().next().unwrap_or(""))
    })?;
    if n > crate::promql::series::MAX_VALUES {
        return Err(format!("x{n}: too many values"));
    }
    Ok((Some(n), 1 + digits))
}

/// Whether a series line's values are histogram literals.
pub fn is_histogram_values(values: &str) -> bool {
    values.contains("{{")
}

/// The histogram series of a test group.
#[derive(Debug, Clone, Default)]
pub struct HistStore {
    series: Vec<(Labels, Vec<(i64, Hist)>)>,
}

impl HistStore {
    pub fn is_empty(&self) -> bool {
        self.series.is_empty()
    }

    /// Load a line whose values are histogram literals (`SeriesValue` floats are not
    /// mixed in: a line is one kind or the other).
    pub fn load(
        &mut self,
        series: &str,
        values: &str,
        start: i64,
        interval: i64,
    ) -> Result<(), String> {
        let (labels, used) = parse_series_labels(series).map_err(|e| e.message)?;
        if !series[used..].trim().is_empty() {
            return Err(format!("unexpected text after the series: {:?}", series[used..].trim()));
        }
        let vals = expand(values)?;
        let mut points: Vec<(i64, Hist)> = Vec::new();
        for (k, v) in vals.into_iter().enumerate() {
            let Some(mut h) = v else { continue };
            if h.hint.is_empty() || h.hint == "unknown" {
                // As the TSDB reads them back: the first sample of a series has an unknown
                // hint, later ones are `not_reset` unless a counter went down.
                h.hint = match points.last() {
                    None => "unknown".into(),
                    Some((_, prev)) if h.is_reset_after(prev) => "reset".into(),
                    Some(_) => "not_reset".into(),
                };
            }
            points.push((start.saturating_add((k as i64).saturating_mul(interval)), h));
        }
        self.series.push((labels, points));
        Ok(())
    }

    /// The metric names of the histogram series.
    pub fn names(&self) -> Vec<String> {
        self.series.iter().filter_map(|(l, _)| l.name().map(str::to_string)).collect()
    }

    /// A bare selector at `t`: the latest sample in `(t - lookback, t]` of each matching
    /// series.
    pub fn select(
        &self,
        vs: &promql_parser::parser::VectorSelector,
        t: i64,
        lookback: i64,
    ) -> Vec<(Labels, Hist)> {
        let mut out = Vec::new();
        for (labels, points) in &self.series {
            if vs.name.as_deref().is_some_and(|n| labels.name() != Some(n))
                || !matches(labels, &vs.matchers)
            {
                continue;
            }
            if let Some((_, h)) = points.iter().rev().find(|(ts, _)| *ts <= t && *ts > t - lookback)
            {
                out.push((labels.clone(), h.clone()));
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

/// Parse an `exp_samples` `histogram:` expectation.
pub fn parse_expected(text: &str) -> Result<Hist, String> {
    let t = text.trim();
    if !t.starts_with("{{") {
        return Err("expected a histogram literal ({{...}})".into());
    }
    let (h, used) = parse_literal(t)?;
    if !t[used..].trim().is_empty() {
        return Err(format!("unexpected text after the histogram: {:?}", t[used..].trim()));
    }
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_repeats_and_increments() {
        let v =
            expand("{{sum:3 count:2 buckets:[2]}}+{{sum:1.3 count:1 buckets:[1]}}x2").expect("ok");
        assert_eq!(v.len(), 3);
        let last = v[2].as_ref().expect("some");
        assert_eq!((last.sum, last.count), (5.6, 4.0));
        assert_eq!(last.positive.get(&0), Some(&4.0));
        let v = expand("{{sum:3 count:2 buckets:[2]}}x2 _ {{schema:1 sum:-0.3 count:32.1 z_bucket:7.1 z_bucket_w:0.05 buckets:[5.1 10 7] offset:-3 n_buckets:[4.1 5] n_offset:-5}}").expect("ok");
        assert_eq!(v.len(), 5);
        assert!(v[3].is_none());
        let h = v[4].as_ref().expect("some");
        assert_eq!(h.schema, 1);
        assert_eq!(h.positive.get(&-3), Some(&5.1));
        assert_eq!(h.negative.get(&-4), Some(&5.0));
        assert!(expand("{{sum:1").is_err());
        assert!(expand("{{bogus:1}}").is_err());
        assert!(expand("{{sum:1}}+{{sum:1}}").is_err());
        assert!(expand("{{sum:x}}").is_err());
    }

    #[test]
    fn hints_as_the_tsdb_reads_them_back() {
        let mut st = HistStore::default();
        st.load("h", "{{sum:3 count:2 buckets:[2]}}x2", 0, 60_000).expect("ok");
        st.load("r", "{{count:5 buckets:[5]}} {{count:1 buckets:[1]}}", 0, 60_000).expect("ok");
        let e = promql_parser::parser::parse("h").expect("parses");
        let promql_parser::parser::Expr::VectorSelector(vs) = e else { panic!("selector") };
        assert_eq!(st.select(&vs, 0, 300_000)[0].1.hint, "unknown");
        let got = &st.select(&vs, 120_000, 300_000)[0].1;
        let exp = parse_expected("{{count:2 sum:3 counter_reset_hint:not_reset buckets:[2]}}")
            .expect("ok");
        assert!(equal(got, &exp), "{} vs {}", got.text(), exp.text());
        assert!(!equal(got, &parse_expected("{{count:2 sum:3 buckets:[2]}}").expect("ok")));
        assert!(st.select(&vs, 120_000 + 300_000, 300_000).is_empty(), "lookback is 5m");
        let e = promql_parser::parser::parse("r").expect("parses");
        let promql_parser::parser::Expr::VectorSelector(vs) = e else { panic!("selector") };
        assert_eq!(st.select(&vs, 60_000, 300_000)[0].1.hint, "reset");
    }
}
