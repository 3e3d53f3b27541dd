//! Functions over range vectors: rate / increase / delta, irate / idelta, deriv,
//! predict_linear, resets, changes, the `*_over_time` family and double_exponential_smoothing.

use super::EvalError;
use super::evaluator::RangeArg;
use super::stats::{Mean, go_max, go_min, kahan_inc, kahan_sum, quantile, variance};

/// Extra scalar arguments of a range function.
pub(crate) struct Extra {
    /// quantile_over_time's φ, predict_linear's seconds, smoothing factor.
    pub a: f64,
    /// double_exponential_smoothing's trend factor.
    pub b: f64,
}

/// Whether `name` is a range-vector function this engine evaluates.
pub(crate) fn is_range_function(name: &str) -> bool {
    matches!(
        name,
        "rate"
            | "increase"
            | "delta"
            | "irate"
            | "idelta"
            | "deriv"
            | "predict_linear"
            | "resets"
            | "changes"
            | "avg_over_time"
            | "min_over_time"
            | "max_over_time"
            | "sum_over_time"
            | "count_over_time"
            | "quantile_over_time"
            | "stddev_over_time"
            | "stdvar_over_time"
            | "last_over_time"
            | "first_over_time"
            | "present_over_time"
            | "mad_over_time"
            | "ts_of_last_over_time"
            | "ts_of_first_over_time"
            | "ts_of_min_over_time"
            | "ts_of_max_over_time"
            | "double_exponential_smoothing"
            | "holt_winters"
    )
}

/// Whether the function keeps the metric name of its input.
pub(crate) fn keeps_name(name: &str) -> bool {
    matches!(name, "last_over_time" | "first_over_time")
}

/// The function's value for one series' points, or None when it has no result.
/// `t` is the evaluation time (predict_linear's intercept).
pub(crate) fn apply(
    name: &str,
    pts: &[(i64, f64)],
    arg: &RangeArg,
    x: &Extra,
    t: i64,
) -> Result<Option<f64>, EvalError> {
    let vals = || pts.iter().map(|p| p.1);
    Ok(match name {
        "rate" => extrapolated(pts, arg, true, true),
        "increase" => extrapolated(pts, arg, true, false),
        "delta" => extrapolated(pts, arg, false, false),
        "irate" => instant(pts, true),
        "idelta" => instant(pts, false),
        "deriv" => {
            if pts.len() < 2 {
                None
            } else {
                Some(linear_regression(pts, pts[0].0).0)
            }
        }
        "predict_linear" => {
            if pts.len() < 2 {
                None
            } else {
                let (slope, intercept) = linear_regression(pts, t);
                Some(slope * x.a + intercept)
            }
        }
        "resets" => Some(pts.windows(2).filter(|w| w[1].1 < w[0].1).count() as f64),
        "changes" => Some(
            pts.windows(2)
                .filter(|w| w[1].1 != w[0].1 && !(w[1].1.is_nan() && w[0].1.is_nan()))
                .count() as f64,
        ),
        "avg_over_time" => {
            let mut m = Mean::default();
            vals().for_each(|v| m.add(v));
            Some(m.value())
        }
        "sum_over_time" => Some(kahan_sum(vals())),
        "count_over_time" => Some(pts.len() as f64),
        "min_over_time" | "max_over_time" => {
            let mut acc = pts[0].1;
            for v in vals() {
                let better = if name == "max_over_time" { v > acc } else { v < acc };
                if better || acc.is_nan() {
                    acc = v;
                }
            }
            Some(acc)
        }
        "quantile_over_time" => Some(quantile(x.a, &mut vals().collect::<Vec<_>>())),
        "stddev_over_time" => Some(variance(vals()).sqrt()),
        "stdvar_over_time" => Some(variance(vals())),
        "last_over_time" => pts.last().map(|p| p.1),
        "first_over_time" => pts.first().map(|p| p.1),
        "ts_of_last_over_time" => pts.last().map(|p| p.0 as f64 / 1000.0),
        "ts_of_first_over_time" => pts.first().map(|p| p.0 as f64 / 1000.0),
        "ts_of_min_over_time" | "ts_of_max_over_time" => {
            // The latest sample holding the extreme value.
            let (mut at, mut acc) = pts[0];
            for &(t, v) in pts {
                let better = if name == "ts_of_max_over_time" { v >= acc } else { v <= acc };
                if better || acc.is_nan() {
                    (at, acc) = (t, v);
                }
            }
            Some(at as f64 / 1000.0)
        }
        "present_over_time" => Some(1.0),
        "mad_over_time" if vals().any(f64::is_nan) => Some(f64::NAN),
        "mad_over_time" => {
            let median = quantile(0.5, &mut vals().collect::<Vec<_>>());
            Some(quantile(0.5, &mut vals().map(|v| (v - median).abs()).collect::<Vec<_>>()))
        }
        "double_exponential_smoothing" | "holt_winters" => smoothing(pts, x.a, x.b)?,
        _ => return Err(EvalError::unsupported(format!("function {name} is not supported"))),
    })
}

/// rate / increase / delta with Prometheus' extrapolation to the window's edges.
fn extrapolated(pts: &[(i64, f64)], arg: &RangeArg, counter: bool, rate: bool) -> Option<f64> {
    if pts.len() < 2 {
        return None;
    }
    let range_start = arg.end.saturating_sub(arg.range_ms);
    let range_end = arg.end;
    let (first_t, first_v) = pts[0];
    let (last_t, last_v) = pts[pts.len() - 1];
    let mut result = last_v - first_v;
    if counter {
        let mut prev = first_v;
        for &(_, v) in &pts[1..] {
            if v < prev {
                result += prev;
            }
            prev = v;
        }
    }
    let mut to_start = ms_between(range_start, first_t);
    let mut to_end = ms_between(last_t, range_end);
    let sampled = ms_between(first_t, last_t);
    let avg_between = sampled / (pts.len() - 1) as f64;
    let threshold = avg_between * 1.1;
    if to_start >= threshold {
        to_start = avg_between / 2.0;
    }
    if counter {
        let mut to_zero = to_start;
        if result > 0.0 && first_v >= 0.0 {
            to_zero = sampled * (first_v / result);
        }
        if to_zero < to_start {
            to_start = to_zero;
        }
    }
    if to_end >= threshold {
        to_end = avg_between / 2.0;
    }
    let mut factor = (sampled + to_start + to_end) / sampled;
    if rate {
        factor /= arg.range_ms as f64 / 1000.0;
    }
    Some(result * factor)
}

/// Seconds from `a` to `b` (milliseconds), without overflow.
fn ms_between(a: i64, b: i64) -> f64 {
    (i128::from(b) - i128::from(a)) as f64 / 1000.0
}

/// irate / idelta: the last two samples.
fn instant(pts: &[(i64, f64)], rate: bool) -> Option<f64> {
    if pts.len() < 2 {
        return None;
    }
    let (lt, lv) = pts[pts.len() - 1];
    let (pt, pv) = pts[pts.len() - 2];
    let mut v = if rate && lv < pv { lv } else { lv - pv };
    if lt == pt {
        return None;
    }
    if rate {
        v /= ms_between(pt, lt);
    }
    Some(v)
}

/// Least-squares slope and intercept (at `intercept_t`), compensated sums as in Prometheus.
pub(crate) fn linear_regression(pts: &[(i64, f64)], intercept_t: i64) -> (f64, f64) {
    let (mut n, mut sx, mut cx, mut sy, mut cy, mut sxy, mut cxy, mut sx2, mut cx2) =
        (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    let init_y = pts[0].1;
    let mut const_y = true;
    for (i, &(t, v)) in pts.iter().enumerate() {
        if const_y && i > 0 && v != init_y {
            const_y = false;
        }
        n += 1.0;
        let x = ms_between(intercept_t, t);
        (sx, cx) = kahan_inc(x, sx, cx);
        (sy, cy) = kahan_inc(v, sy, cy);
        (sxy, cxy) = kahan_inc(x * v, sxy, cxy);
        (sx2, cx2) = kahan_inc(x * x, sx2, cx2);
    }
    if const_y {
        if init_y.is_infinite() {
            return (f64::NAN, f64::NAN);
        }
        return (0.0, init_y);
    }
    let (sx, sy, sxy, sx2) = (sx + cx, sy + cy, sxy + cxy, sx2 + cx2);
    let cov = sxy - sx * sy / n;
    let var = sx2 - sx * sx / n;
    let slope = cov / var;
    (slope, sy / n - slope * sx / n)
}

fn smoothing(pts: &[(i64, f64)], sf: f64, tf: f64) -> Result<Option<f64>, EvalError> {
    if sf <= 0.0 || sf >= 1.0 {
        return Err(EvalError::exec(format!(
            "invalid smoothing factor. Expected: 0 < sf < 1, got: {sf:.6}"
        )));
    }
    if tf <= 0.0 || tf >= 1.0 {
        return Err(EvalError::exec(format!(
            "invalid trend factor. Expected: 0 < tf < 1, got: {tf:.6}"
        )));
    }
    if pts.len() < 2 {
        return Ok(None);
    }
    let (mut s0, mut s1) = (0.0, pts[0].1);
    let mut b = pts[1].1 - pts[0].1;
    for (i, &(_, v)) in pts.iter().enumerate().skip(1) {
        let x = sf * v;
        if i > 1 {
            b = tf * (s1 - s0) + (1.0 - tf) * b;
        }
        let y = (1.0 - sf) * (s1 + b);
        s0 = s1;
        s1 = x + y;
    }
    Ok(Some(s1))
}

/// Go's math.Max / math.Min reductions used by clamp (re-exported for functions.rs).
pub(crate) fn clamp(v: f64, lo: f64, hi: f64) -> f64 {
    go_max(lo, go_min(hi, v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arg(end: i64, range_ms: i64) -> RangeArg {
        RangeArg { series: Vec::new(), range_ms, end }
    }

    #[test]
    fn rate_extrapolates_like_prometheus() {
        // 0, 10, 20 ... every 15s; rate over 1m ending at 60s: samples at 15..60 (left-open).
        let pts: Vec<(i64, f64)> = (1..=4).map(|i| (i * 15_000, i as f64 * 10.0)).collect();
        let r = extrapolated(&pts, &arg(60_000, 60_000), true, true).expect("value");
        assert!((r - 10.0 / 15.0).abs() < 1e-12, "{r}");
        // A counter reset adds the value before the reset.
        let pts = [(0, 5.0), (10_000, 10.0), (20_000, 2.0)];
        let inc = extrapolated(&pts, &arg(20_000, 20_000), true, false).expect("value");
        assert!((inc - 7.0).abs() < 1e-9, "{inc}");
        assert_eq!(extrapolated(&pts[..1], &arg(20_000, 20_000), true, false), None);
    }

    #[test]
    fn instant_rates_and_regression() {
        assert_eq!(instant(&[(0, 1.0), (10_000, 6.0)], true), Some(0.5));
        assert_eq!(instant(&[(0, 10.0), (10_000, 6.0)], true), Some(0.6));
        assert_eq!(instant(&[(0, 10.0), (10_000, 6.0)], false), Some(-4.0));
        let (slope, icpt) = linear_regression(&[(0, 1.0), (1000, 2.0), (2000, 3.0)], 0);
        assert_eq!((slope, icpt), (1.0, 1.0));
        assert_eq!(linear_regression(&[(0, 3.0), (1000, 3.0)], 0), (0.0, 3.0));
        assert!(smoothing(&[(0, 1.0), (1, 2.0)], 1.5, 0.5).is_err());
        assert_eq!(clamp(5.0, 0.0, 1.0), 1.0);
        assert!(clamp(f64::NAN, 0.0, 1.0).is_nan());
    }
}
