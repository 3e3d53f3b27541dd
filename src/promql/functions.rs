//! Function calls: dispatch, the instant-vector functions (math, clamp, round, time and date,
//! label_replace / label_join, sort*, absent, scalar / vector, timestamp, histogram_quantile).
//! Range-vector functions are in `range_functions.rs`.

use std::collections::HashMap;

use promql_parser::label::MatchOp;
use promql_parser::parser::{Call, Expr};
use regex::Regex;

use super::EvalError;
use super::evaluator::Evaluator;
use super::labels::{Labels, METRIC_NAME};
use super::range_functions::{self, Extra, clamp};
use super::stats::{almost_equal, go_max, go_min};
use super::value::check_unique;
use super::value::{Sample, Value};

pub(crate) fn call(ev: &dyn Evaluator, c: &Call, t: i64) -> Result<Value, EvalError> {
    let name = c.func.name;
    let args: Vec<&Expr> = c.args.args.iter().map(|b| b.as_ref()).collect();
    if range_functions::is_range_function(name) {
        return range_call(ev, name, &args, t);
    }
    let vector = |out: Vec<Sample>| -> Result<Value, EvalError> {
        check_unique(&out)?;
        Ok(Value::Vector(out))
    };
    match name {
        "absent_over_time" => absent_over_time(ev, args[0], t),
        "time" => Ok(Value::Scalar { t, v: t as f64 / 1000.0 }),
        "start" => Ok(Value::Scalar { t, v: ev.start() as f64 / 1000.0 }),
        "end" => Ok(Value::Scalar { t, v: ev.end() as f64 / 1000.0 }),
        "step" => Ok(Value::Scalar { t, v: ev.step() as f64 / 1000.0 }),
        "range" => Ok(Value::Scalar {
            t,
            v: (i128::from(ev.end()) - i128::from(ev.start())) as f64 / 1000.0,
        }),
        "min_of" | "max_of" => {
            let (a, b) = (ev.eval_scalar(args[0], t)?, ev.eval_scalar(args[1], t)?);
            Ok(Value::Scalar { t, v: if name == "min_of" { go_min(a, b) } else { go_max(a, b) } })
        }
        "pi" => Ok(Value::Scalar { t, v: std::f64::consts::PI }),
        "vector" => Ok(Value::Vector(vec![Sample {
            labels: Labels::empty(),
            t,
            v: ev.eval_scalar(args[0], t)?,
        }])),
        "scalar" => {
            let v = ev.eval_vector(args[0], t)?;
            Ok(Value::Scalar { t, v: if v.len() == 1 { v[0].v } else { f64::NAN } })
        }
        "absent" => {
            let v = ev.eval_vector(args[0], t)?;
            if !v.is_empty() {
                return Ok(Value::Vector(Vec::new()));
            }
            let labels = match args[0] {
                Expr::VectorSelector(vs) => absent_labels(&vs.matchers.matchers),
                _ => Labels::empty(),
            };
            Ok(Value::Vector(vec![Sample { labels, t, v: 1.0 }]))
        }
        "timestamp" => {
            let mut inner = args[0];
            while let Expr::Paren(p) = inner {
                inner = &p.expr;
            }
            let v = match inner {
                Expr::VectorSelector(vs) => ev.vector_selector(vs, t, true)?,
                _ => ev.eval_vector(args[0], t)?,
            };
            vector(
                v.into_iter()
                    .map(|s| Sample { labels: s.labels.without_name(), t, v: s.t as f64 / 1000.0 })
                    .collect(),
            )
        }
        "sort" | "sort_desc" => {
            let mut v = ev.eval_vector(args[0], t)?;
            let desc = name == "sort_desc";
            v.sort_by(|a, b| match (a.v.is_nan(), b.v.is_nan()) {
                (true, true) => std::cmp::Ordering::Equal,
                (true, false) => std::cmp::Ordering::Less,
                (false, true) => std::cmp::Ordering::Greater,
                _ if desc => b.v.total_cmp(&a.v),
                _ => a.v.total_cmp(&b.v),
            });
            Ok(Value::Vector(v))
        }
        "sort_by_label" | "sort_by_label_desc" => {
            let mut v = ev.eval_vector(args[0], t)?;
            let names = args[1..]
                .iter()
                .map(|a| ev.eval_string(a, t))
                .collect::<Result<Vec<String>, EvalError>>()?;
            v.sort_by(|a, b| {
                let mut o = std::cmp::Ordering::Equal;
                for n in &names {
                    let (x, y) = (a.labels.get(n).unwrap_or(""), b.labels.get(n).unwrap_or(""));
                    if x != y {
                        o = natural_cmp(x, y);
                        break;
                    }
                }
                let o = o.then_with(|| a.labels.cmp(&b.labels));
                if name == "sort_by_label_desc" { o.reverse() } else { o }
            });
            Ok(Value::Vector(v))
        }
        "label_replace" => {
            let v = ev.eval_vector(args[0], t)?;
            let dst = ev.eval_string(args[1], t)?;
            let repl = ev.eval_string(args[2], t)?;
            let src = ev.eval_string(args[3], t)?;
            let re_s = ev.eval_string(args[4], t)?;
            let re = Regex::new(&format!("^(?s:{re_s})$")).map_err(|e| {
                EvalError::exec(format!(
                    "invalid regular expression in label_replace(): {re_s}: {e}"
                ))
            })?;
            if dst.is_empty() {
                return Err(EvalError::exec(format!(
                    "invalid destination label name in label_replace(): {dst}"
                )));
            }
            let mut out = Vec::with_capacity(v.len());
            for mut s in v {
                if let Some(caps) = re.captures(s.labels.get(&src).unwrap_or("")) {
                    let mut res = String::new();
                    caps.expand(&repl, &mut res);
                    s.labels = s.labels.with(&dst, &res);
                }
                out.push(s);
            }
            vector(out)
        }
        "label_join" => {
            let v = ev.eval_vector(args[0], t)?;
            let dst = ev.eval_string(args[1], t)?;
            let sep = ev.eval_string(args[2], t)?;
            let srcs = args[3..]
                .iter()
                .map(|a| ev.eval_string(a, t))
                .collect::<Result<Vec<String>, EvalError>>()?;
            if dst.is_empty() {
                return Err(EvalError::exec(format!(
                    "invalid destination label name in label_join(): {dst}"
                )));
            }
            let out = v
                .into_iter()
                .map(|mut s| {
                    let joined: Vec<&str> =
                        srcs.iter().map(|n| s.labels.get(n).unwrap_or("")).collect();
                    s.labels = s.labels.with(&dst, &joined.join(&sep));
                    s
                })
                .collect();
            vector(out)
        }
        "histogram_quantile" => {
            let q = ev.eval_scalar(args[0], t)?;
            let v = ev.eval_vector(args[1], t)?;
            vector(
                bucket_groups(v)
                    .into_iter()
                    .map(|(labels, mut b)| Sample { labels, t, v: bucket_quantile(q, &mut b) })
                    .collect(),
            )
        }
        "histogram_quantiles" => {
            let v = ev.eval_vector(args[0], t)?;
            let label = ev.eval_string(args[1], t)?;
            let qs = args[2..]
                .iter()
                .map(|a| ev.eval_scalar(a, t))
                .collect::<Result<Vec<f64>, EvalError>>()?;
            let groups = bucket_groups(v);
            if let Some((l, _)) = groups.iter().find(|(l, _)| l.get(&label).is_some()) {
                return Err(EvalError::exec(format!(
                    "histogram_quantiles: label {label:?} already exists in the input series {l}"
                )));
            }
            let mut out = Vec::with_capacity(groups.len() * qs.len());
            for (labels, mut b) in groups {
                for &q in &qs {
                    out.push(Sample {
                        labels: labels.with(&label, &quantile_label(q)),
                        t,
                        v: bucket_quantile(q, &mut b),
                    });
                }
            }
            vector(out)
        }
        "histogram_fraction" => {
            let lo = ev.eval_scalar(args[0], t)?;
            let hi = ev.eval_scalar(args[1], t)?;
            let v = ev.eval_vector(args[2], t)?;
            vector(
                bucket_groups(v)
                    .into_iter()
                    .map(|(labels, mut b)| Sample { labels, t, v: bucket_fraction(lo, hi, &mut b) })
                    .collect(),
            )
        }
        "clamp" | "clamp_min" | "clamp_max" => {
            let v = ev.eval_vector(args[0], t)?;
            let (lo, hi) = match name {
                "clamp" => (ev.eval_scalar(args[1], t)?, ev.eval_scalar(args[2], t)?),
                "clamp_min" => (ev.eval_scalar(args[1], t)?, f64::NAN),
                _ => (f64::NAN, ev.eval_scalar(args[1], t)?),
            };
            if name == "clamp" && hi < lo {
                return Ok(Value::Vector(Vec::new()));
            }
            let f = |x: f64| match name {
                "clamp" => clamp(x, lo, hi),
                "clamp_min" => go_max(lo, x),
                _ => go_min(hi, x),
            };
            vector(map_values(v, t, f))
        }
        "round" => {
            let v = ev.eval_vector(args[0], t)?;
            let to = if args.len() > 1 { ev.eval_scalar(args[1], t)? } else { 1.0 };
            let inv = 1.0 / to;
            vector(map_values(v, t, |x| (x * inv + 0.5).floor() / inv))
        }
        "year" | "month" | "day_of_month" | "day_of_week" | "day_of_year" | "days_in_month"
        | "hour" | "minute" => {
            if args.is_empty() {
                return Ok(Value::Vector(vec![Sample {
                    labels: Labels::empty(),
                    t,
                    v: date_part(name, (t as f64 / 1000.0).floor()),
                }]));
            }
            let v = ev.eval_vector(args[0], t)?;
            vector(map_values(v, t, |x| date_part(name, x)))
        }
        _ => match math_fn(name) {
            Some(f) => {
                let v = ev.eval_vector(args[0], t)?;
                vector(map_values(v, t, f))
            }
            None if name.starts_with("histogram_") || name == "info" => {
                Err(EvalError::unsupported(format!(
                    "function {name} needs native histograms or info metrics, which this engine does not support"
                )))
            }
            None => Err(EvalError::unsupported(format!("function {name} is not supported"))),
        },
    }
}

fn map_values(v: Vec<Sample>, t: i64, f: impl Fn(f64) -> f64) -> Vec<Sample> {
    v.into_iter().map(|s| Sample { labels: s.labels.without_name(), t, v: f(s.v) }).collect()
}

fn math_fn(name: &str) -> Option<fn(f64) -> f64> {
    Some(match name {
        "abs" => f64::abs,
        "ceil" => f64::ceil,
        "floor" => f64::floor,
        "exp" => f64::exp,
        "sqrt" => f64::sqrt,
        "ln" => f64::ln,
        "log2" => f64::log2,
        "log10" => f64::log10,
        "sin" => f64::sin,
        "cos" => f64::cos,
        "tan" => f64::tan,
        "asin" => f64::asin,
        "acos" => f64::acos,
        "atan" => f64::atan,
        "sinh" => f64::sinh,
        "cosh" => f64::cosh,
        "tanh" => f64::tanh,
        "asinh" => f64::asinh,
        "acosh" => f64::acosh,
        "atanh" => f64::atanh,
        "deg" => |x| x * 180.0 / std::f64::consts::PI,
        "rad" => |x| x * std::f64::consts::PI / 180.0,
        "sgn" => |x| {
            if x < 0.0 {
                -1.0
            } else if x > 0.0 {
                1.0
            } else {
                x
            }
        },
        _ => return None,
    })
}

fn range_call(ev: &dyn Evaluator, name: &str, args: &[&Expr], t: i64) -> Result<Value, EvalError> {
    let (m_idx, extra) = match name {
        "quantile_over_time" => (1, Extra { a: ev.eval_scalar(args[0], t)?, b: 0.0 }),
        "predict_linear" => (0, Extra { a: ev.eval_scalar(args[1], t)?, b: 0.0 }),
        "double_exponential_smoothing" | "holt_winters" => {
            (0, Extra { a: ev.eval_scalar(args[1], t)?, b: ev.eval_scalar(args[2], t)? })
        }
        _ => (0, Extra { a: 0.0, b: 0.0 }),
    };
    let arg = ev.eval_range(args[m_idx], t)?;
    let keep = range_functions::keeps_name(name);
    let mut out = Vec::with_capacity(arg.series.len());
    for s in &arg.series {
        if let Some(v) = range_functions::apply(name, &s.points, &arg, &extra, t)? {
            let labels = if keep { s.labels.clone() } else { s.labels.without_name() };
            out.push(Sample { labels, t, v });
        }
    }
    check_unique(&out)?;
    Ok(Value::Vector(out))
}

/// The labels `absent()` gives: the equality matchers of the selector, except the name and
/// any label matched more than once.
fn absent_labels(ms: &[promql_parser::label::Matcher]) -> Labels {
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut has: Vec<&str> = Vec::new();
    for m in ms {
        if m.name == METRIC_NAME {
            continue;
        }
        if matches!(m.op, MatchOp::Equal) && !has.contains(&m.name.as_str()) {
            pairs.retain(|(k, _)| *k != m.name);
            pairs.push((m.name.clone(), m.value.clone()));
            has.push(&m.name);
        } else {
            pairs.retain(|(k, _)| *k != m.name);
        }
    }
    Labels::new(pairs)
}

/// `absent_over_time()`: the selector's equality labels when no series has a sample in range.
fn absent_over_time(ev: &dyn Evaluator, arg: &Expr, t: i64) -> Result<Value, EvalError> {
    let r = ev.eval_range(arg, t)?;
    if !r.series.is_empty() {
        return Ok(Value::Vector(Vec::new()));
    }
    let labels = match arg {
        Expr::MatrixSelector(ms) => absent_labels(&ms.vs.matchers.matchers),
        _ => Labels::empty(),
    };
    Ok(Value::Vector(vec![Sample { labels, t, v: 1.0 }]))
}

/// One part of the UTC date of `secs` seconds since the epoch.
fn date_part(name: &str, secs: f64) -> f64 {
    if !secs.is_finite() {
        return f64::NAN;
    }
    let Ok(d) = time::OffsetDateTime::from_unix_timestamp(secs as i64) else { return f64::NAN };
    f64::from(match name {
        "year" => return f64::from(d.year()),
        "month" => u16::from(u8::from(d.month())),
        "day_of_month" => u16::from(d.day()),
        "day_of_week" => u16::from(d.weekday().number_days_from_sunday()),
        "day_of_year" => d.ordinal(),
        "days_in_month" => u16::from(d.month().length(d.year())),
        "hour" => u16::from(d.hour()),
        _ => u16::from(d.minute()),
    })
}

/// A quantile as a label value, in OpenMetrics' float form (`0.0`, `0.25`, `1.0`, `+Inf`).
fn quantile_label(q: f64) -> String {
    if q.is_finite() && q.fract() == 0.0 && q.abs() < 1e15 {
        format!("{q:.1}")
    } else {
        crate::promql::value::format_float(q)
    }
}

/// Natural order: runs of digits compare as numbers.
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let b = s.as_bytes();
        for i in 1..=b.len() {
            if i == b.len() || b[i].is_ascii_digit() != b[start].is_ascii_digit() {
                out.push((b[start].is_ascii_digit(), &s[start..i]));
                start = i;
            }
        }
        out
    }
    let (ca, cb) = (chunks(a), chunks(b));
    for (x, y) in ca.iter().zip(cb.iter()) {
        let o = if x.0 && y.0 {
            let (tx, ty) = (x.1.trim_start_matches('0'), y.1.trim_start_matches('0'));
            tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty))
        } else {
            x.1.cmp(y.1)
        };
        if o != std::cmp::Ordering::Equal {
            return o;
        }
    }
    ca.len().cmp(&cb.len())
}

/// Classic histogram buckets (`le` labels) grouped by the other labels: the output labels
/// (no name, no `le`) and the (upper bound, cumulative count) pairs.
fn bucket_groups(v: Vec<Sample>) -> Vec<(Labels, Vec<(f64, f64)>)> {
    let mut index: HashMap<Labels, usize> = HashMap::new();
    let mut groups: Vec<(Labels, Vec<(f64, f64)>)> = Vec::new();
    for s in v {
        let Some(le) = s.labels.get("le").and_then(|x| x.parse::<f64>().ok()) else { continue };
        let key = s.labels.without("le");
        let i = *index.entry(key).or_insert_with_key(|k| {
            groups.push((k.without_name(), Vec::new()));
            groups.len() - 1
        });
        groups[i].1.push((le, s.v));
    }
    groups
}

/// Sorts, coalesces equal bounds and makes counts monotonic (ignoring tiny float differences),
/// as Prometheus does before reading classic buckets. None without a +Inf bucket.
fn normalise_buckets(buckets: &mut [(f64, f64)]) -> Option<Vec<(f64, f64)>> {
    buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
    if buckets.last().is_none_or(|b| b.0 != f64::INFINITY) {
        return None;
    }
    let mut merged: Vec<(f64, f64)> = Vec::with_capacity(buckets.len());
    for &(ub, c) in buckets.iter() {
        match merged.last_mut() {
            Some(last) if last.0 == ub => last.1 += c,
            _ => merged.push((ub, c)),
        }
    }
    let mut prev = merged[0].1;
    for b in merged.iter_mut().skip(1) {
        let curr = b.1;
        if curr == prev {
            continue;
        }
        if almost_equal(prev, curr, 1e-12) || curr < prev {
            b.1 = prev;
            continue;
        }
        prev = curr;
    }
    Some(merged)
}

/// The fraction of observations between `lower` and `upper` in classic buckets: linear
/// interpolation inside a finite bucket; the first bucket starts at 0 when its bound is
/// positive; inside a bucket of infinite width a value counts at the bucket's finite edge.
pub(crate) fn bucket_fraction(lower: f64, upper: f64, buckets: &mut [(f64, f64)]) -> f64 {
    let Some(b) = normalise_buckets(buckets) else { return f64::NAN };
    let count = b[b.len() - 1].1;
    if count == 0.0 || lower.is_nan() || upper.is_nan() {
        return f64::NAN;
    }
    if lower >= upper {
        return 0.0;
    }
    let rank = |v: f64| -> f64 {
        if v == f64::NEG_INFINITY {
            return 0.0;
        }
        let mut prev = 0.0;
        for (i, &(ub, c)) in b.iter().enumerate() {
            let lb = if i > 0 {
                b[i - 1].0
            } else if ub > 0.0 {
                0.0
            } else {
                f64::NEG_INFINITY
            };
            if v <= lb {
                return prev;
            }
            if v <= ub {
                if v == ub {
                    return c;
                }
                if lb == f64::NEG_INFINITY {
                    return c;
                }
                if ub == f64::INFINITY {
                    return prev;
                }
                return prev + (c - prev) * (v - lb) / (ub - lb);
            }
            prev = c;
        }
        count
    };
    ((rank(upper) - rank(lower)).max(0.0)) / count
}

/// Prometheus' BucketQuantile on (upper bound, cumulative count) pairs.
pub(crate) fn bucket_quantile(q: f64, buckets: &mut [(f64, f64)]) -> f64 {
    if q.is_nan() {
        return f64::NAN;
    }
    if q < 0.0 {
        return f64::NEG_INFINITY;
    }
    if q > 1.0 {
        return f64::INFINITY;
    }
    let Some(merged) = normalise_buckets(buckets) else { return f64::NAN };
    if merged.len() < 2 {
        return f64::NAN;
    }
    let observations = merged[merged.len() - 1].1;
    if observations == 0.0 {
        return f64::NAN;
    }
    let mut rank = q * observations;
    let n = merged.len();
    let b = merged[..n - 1].partition_point(|x| x.1 < rank);
    if b == n - 1 {
        return merged[n - 2].0;
    }
    if b == 0 && merged[0].0 <= 0.0 {
        return merged[0].0;
    }
    let (mut start, end, mut count) = (0.0, merged[b].0, merged[b].1);
    if b > 0 {
        start = merged[b - 1].0;
        count -= merged[b - 1].1;
        rank -= merged[b - 1].1;
    }
    start + (end - start) * (rank / count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_quantile_interpolates() {
        let mut b = vec![(1.0, 10.0), (2.0, 20.0), (f64::INFINITY, 20.0)];
        assert_eq!(bucket_quantile(0.5, &mut b), 1.0);
        let mut b = vec![(f64::INFINITY, 20.0), (2.0, 20.0), (1.0, 10.0)];
        assert_eq!(bucket_quantile(0.75, &mut b), 1.5);
        assert_eq!(bucket_quantile(1.0, &mut [(1.0, 10.0), (f64::INFINITY, 20.0)]), 1.0);
        assert!(bucket_quantile(0.5, &mut [(1.0, 10.0)]).is_nan(), "no +Inf bucket");
        assert_eq!(bucket_quantile(2.0, &mut [(1.0, 10.0)]), f64::INFINITY);
        // A decreasing bucket is forced monotonic.
        let mut b = vec![(1.0, 10.0), (2.0, 5.0), (f64::INFINITY, 20.0)];
        assert_eq!(bucket_quantile(0.25, &mut b), 0.5);
    }

    #[test]
    fn natural_order_and_dates() {
        assert_eq!(natural_cmp("a2", "a10"), std::cmp::Ordering::Less);
        assert_eq!(natural_cmp("b", "a10"), std::cmp::Ordering::Greater);
        assert_eq!(date_part("year", 0.0), 1970.0);
        assert_eq!(date_part("day_of_week", 0.0), 4.0);
        assert_eq!(date_part("days_in_month", 86400.0 * 31.0), 28.0);
        assert!(date_part("hour", f64::NAN).is_nan());
        let ms = promql_parser::parser::parse(r#"x{a="1", b="2", b="3", c=~"x"}"#).expect("parses");
        let Expr::VectorSelector(vs) = ms else { panic!("selector") };
        assert_eq!(absent_labels(&vs.matchers.matchers).to_string(), r#"{a="1"}"#);
    }
}

#[cfg(test)]
mod fraction_tests {
    use super::*;

    #[test]
    fn bucket_fraction_follows_upstream_examples() {
        let b = || vec![(1.0, 1.0), (2.0, 3.0), (3.0, 6.0), (f64::INFINITY, 100.0)];
        assert!((bucket_fraction(0.0, 1.5, &mut b()) - 0.02).abs() < 1e-12);
        assert!((bucket_fraction(0.5, 2.0, &mut b()) - 0.025).abs() < 1e-12);
        assert_eq!(bucket_fraction(4.0, 5.0, &mut b()), 0.0);
        assert!((bucket_fraction(400.0, f64::INFINITY, &mut b()) - 0.94).abs() < 1e-12);
        assert_eq!(bucket_fraction(3.0, 2.0, &mut b()), 0.0);
        let n = || vec![(-3.0, 10.0), (-2.0, 12.0), (-1.0, 15.0), (f64::INFINITY, 100.0)];
        assert!((bucket_fraction(-4.0, -2.0, &mut n()) - 0.02).abs() < 1e-12);
        assert!((bucket_fraction(f64::NEG_INFINITY, -1.5, &mut n()) - 0.135).abs() < 1e-12);
        assert!(bucket_fraction(0.0, 1.0, &mut [(f64::INFINITY, 0.0)]).is_nan());
    }
}

#[cfg(test)]
mod call_tests {
    use crate::promql::testutil::{err, load, q};

    #[test]
    fn counters_and_gauges() {
        let s = load(15_000, &[r#"c_total{a="x"} 0+10x20"#, r#"g{a="y"} 1 5 3 3 10"#]);
        assert_eq!(q(&s, "rate(c_total[1m])", 60_000), [r#"{a="x"} 0.6666666666666666"#]);
        assert_eq!(q(&s, "increase(c_total[1m])", 60_000), [r#"{a="x"} 40"#]);
        assert_eq!(q(&s, "irate(c_total[1m])", 60_000), [r#"{a="x"} 0.6666666666666666"#]);
        assert_eq!(q(&s, "resets(g[1m])", 60_000), [r#"{a="y"} 1"#]);
        assert_eq!(q(&s, "changes(g[1m])", 60_000), [r#"{a="y"} 2"#]);
        assert_eq!(q(&s, "max_over_time(g[1m])", 60_000), [r#"{a="y"} 10"#]);
        assert_eq!(q(&s, "last_over_time(g[1m])", 60_000), [r#"g{a="y"} 10"#], "keeps the name");
        assert_eq!(q(&s, "deriv(c_total[1m])", 60_000), [r#"{a="x"} 0.6666666666666666"#]);
        assert_eq!(q(&s, "predict_linear(c_total[1m], 60)", 60_000), [r#"{a="x"} 80"#]);
        assert_eq!(q(&s, "rate(c_total[1m:15s])", 60_000), [r#"{a="x"} 0.6666666666666666"#]);
    }

    #[test]
    fn instant_functions() {
        let s = load(
            60_000,
            &[r#"m{a="x", b="1"} -1.5"#, r#"h_bucket{le="1"} 2"#, r#"h_bucket{le="+Inf"} 4"#],
        );
        assert_eq!(q(&s, "abs(m)", 0), [r#"{a="x", b="1"} 1.5"#]);
        assert_eq!(q(&s, "round(m)", 0), [r#"{a="x", b="1"} -1"#]);
        assert_eq!(q(&s, "clamp(m, -1, 1)", 0), [r#"{a="x", b="1"} -1"#]);
        assert!(q(&s, "clamp(m, 1, -1)", 0).is_empty());
        assert_eq!(q(&s, "histogram_quantile(0.25, h_bucket)", 0), ["{} 0.5"]);
        assert_eq!(q(&s, "histogram_quantile(0.9, h_bucket)", 0), ["{} 1"]);
        assert_eq!(q(&s, r#"absent(nope{x="1", y=~"z"})"#, 0), [r#"{x="1"} 1"#]);
        assert!(q(&s, "absent(m)", 0).is_empty());
        assert_eq!(q(&s, "absent_over_time(nope[1m])", 0), ["{} 1"]);
        assert_eq!(
            q(&s, r#"label_replace(m, "c", "$1-z", "a", "(.)")"#, 0),
            [r#"m{a="x", b="1", c="x-z"} -1.5"#]
        );
        assert_eq!(
            q(&s, r#"label_join(m, "c", "/", "a", "b")"#, 0),
            [r#"m{a="x", b="1", c="x/1"} -1.5"#]
        );
        assert_eq!(q(&s, "timestamp(m)", 90_000), [r#"{a="x", b="1"} 0"#]);
        assert_eq!(q(&s, "scalar(m)", 0), ["scalar -1.5"]);
        assert_eq!(q(&s, "vector(time())", 5_000), ["{} 5"]);
        assert_eq!(q(&s, "year(vector(0))", 0), ["{} 1970"]);
        assert!(
            err(&s, r#"label_replace(m, "c", "", "a", "(")"#, 0)
                .starts_with("invalid regular expression")
        );
        assert_eq!(q(&s, "max_of(1, 2) + min_of(NaN, 1)", 0), ["scalar NaN"]);
        assert_eq!(q(&s, "max_of(1, 2)", 0), ["scalar 2"]);
        assert_eq!(q(&s, "step()", 5_000), ["scalar 0"]);
        assert_eq!(q(&s, "start() + end()", 5_000), ["scalar 10"]);
        assert_eq!(
            q(&s, r#"histogram_quantiles(h_bucket, "q", 0.25, 1)"#, 0),
            [r#"{q="0.25"} 0.5"#, r#"{q="1.0"} 1"#]
        );
        assert!(
            err(
                &s,
                r#"histogram_quantiles(label_replace(h_bucket, "q", "x", "", ""), "q", 0.5)"#,
                0
            )
            .contains("already exists")
        );
        let g = load(10_000, &["g 1 3 0 3 0 2"]);
        assert_eq!(q(&g, "ts_of_max_over_time(g[1m])", 50_000), ["{} 30"], "the latest maximum");
        assert_eq!(q(&g, "ts_of_min_over_time(g[1m])", 50_000), ["{} 40"]);
        let s2 = load(60_000, &[r#"a{x="1"} 1"#, r#"a{x="2"} 2"#]);
        assert_eq!(
            err(&s2, r#"label_replace(a, "x", "same", "x", ".*")"#, 0),
            "vector cannot contain metrics with the same labelset"
        );
    }
}
