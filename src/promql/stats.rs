//! Float arithmetic shared by functions and aggregations, written to give Prometheus' exact
//! results (Kahan-Neumaier sums, its mean with overflow fallback, its quantile).

/// One step of Kahan-Neumaier summation: the new sum and compensation.
pub fn kahan_inc(inc: f64, sum: f64, c: f64) -> (f64, f64) {
    let t = sum + inc;
    let c = if t.is_infinite() {
        0.0
    } else if sum.abs() >= inc.abs() {
        c + ((sum - t) + inc)
    } else {
        c + ((inc - t) + sum)
    };
    (t, c)
}

/// A compensated sum.
pub fn kahan_sum(values: impl Iterator<Item = f64>) -> f64 {
    let (mut s, mut c) = (0.0, 0.0);
    for v in values {
        (s, c) = kahan_inc(v, s, c);
    }
    s + c
}

/// Prometheus' mean: a compensated sum, switching to an incremental mean when the sum would
/// overflow.
#[derive(Debug, Default, Clone)]
pub struct Mean {
    count: f64,
    sum: f64,
    c: f64,
    mean: f64,
    incremental: bool,
}

impl Mean {
    pub fn add(&mut self, f: f64) {
        self.count += 1.0;
        if !self.incremental {
            let (s, c) = kahan_inc(f, self.sum, self.c);
            if self.count == 1.0 || !s.is_infinite() {
                self.sum = s;
                self.c = c;
                return;
            }
            self.incremental = true;
            self.mean = self.sum / (self.count - 1.0);
            self.c /= self.count - 1.0;
        }
        if self.mean.is_infinite() {
            if f.is_infinite() && (self.mean > 0.0) == (f > 0.0) {
                return;
            }
            if !f.is_infinite() && !f.is_nan() {
                return;
            }
        }
        let corrected = self.mean + self.c;
        (self.mean, self.c) = kahan_inc(f / self.count - corrected / self.count, self.mean, self.c);
    }

    pub fn value(&self) -> f64 {
        if self.incremental {
            self.mean + self.c
        } else {
            self.sum / self.count + self.c / self.count
        }
    }
}

/// Population variance with compensated running mean (stdvar_over_time).
pub fn variance(values: impl Iterator<Item = f64>) -> f64 {
    let (mut count, mut mean, mut c_mean, mut aux, mut c_aux) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for f in values {
        count += 1.0;
        let delta = f - (mean + c_mean);
        (mean, c_mean) = kahan_inc(delta / count, mean, c_mean);
        (aux, c_aux) = kahan_inc(delta * (f - (mean + c_mean)), aux, c_aux);
    }
    (aux + c_aux) / count
}

/// Prometheus' quantile over `values` (sorted here): φ<0 → -Inf, φ>1 → +Inf, linear
/// interpolation between the closest ranks.
pub fn quantile(q: f64, values: &mut [f64]) -> f64 {
    if values.is_empty() || q.is_nan() {
        return f64::NAN;
    }
    if q < 0.0 {
        return f64::NEG_INFINITY;
    }
    if q > 1.0 {
        return f64::INFINITY;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    // Go sorts NaN first (sort.Float64s); total_cmp puts positive NaN last and negative first.
    let nans = values.iter().filter(|v| v.is_nan()).count();
    if nans > 0 {
        let mut v: Vec<f64> = values.iter().copied().filter(|v| v.is_nan()).collect();
        v.extend(values.iter().copied().filter(|v| !v.is_nan()));
        values.copy_from_slice(&v);
    }
    let n = values.len() as f64;
    let rank = q * (n - 1.0);
    let lower = rank.floor().max(0.0);
    let upper = (lower + 1.0).min(n - 1.0);
    let weight = rank - rank.floor();
    values[lower as usize] * (1.0 - weight) + values[upper as usize] * weight
}

/// Go's math.Max: NaN wins.
pub fn go_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() { f64::NAN } else { a.max(b) }
}

/// Go's math.Min: NaN wins.
pub fn go_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() { f64::NAN } else { a.min(b) }
}

/// Prometheus' `almost.Equal` (relative epsilon, NaN equals NaN).
pub fn almost_equal(a: f64, b: f64, epsilon: f64) -> bool {
    const MIN_NORMAL: f64 = f64::MIN_POSITIVE;
    if a.is_nan() && b.is_nan() {
        return true;
    }
    if a == b {
        return true;
    }
    let abs_sum = a.abs() + b.abs();
    let diff = (a - b).abs();
    if a == 0.0 || b == 0.0 || abs_sum < MIN_NORMAL {
        return diff < epsilon * MIN_NORMAL;
    }
    diff / abs_sum.min(f64::MAX) < epsilon
}

/// Go's `strconv.FormatFloat(f, 'f', -1, 64)` (count_values labels): the same text as
/// Prometheus' float output, [`super::value::format_float`].
pub fn format_go_f(v: f64) -> String {
    super::value::format_float(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compensated_sum_keeps_small_terms() {
        assert_eq!(kahan_sum([1e100, 1.0, -1e100].into_iter()), 1.0);
        assert_eq!(kahan_sum([0.1, 0.2, 0.3].into_iter()), 0.6);
        assert!(kahan_sum([f64::INFINITY, 1.0].into_iter()).is_infinite());
    }

    #[test]
    fn mean_survives_overflow() {
        let mut m = Mean::default();
        for v in [f64::MAX, f64::MAX, f64::MAX] {
            m.add(v);
        }
        assert_eq!(m.value(), f64::MAX);
        let mut m = Mean::default();
        for v in [1.0, 2.0, 3.0, 4.0] {
            m.add(v);
        }
        assert_eq!(m.value(), 2.5);
    }

    #[test]
    fn quantiles_interpolate() {
        assert_eq!(quantile(0.5, &mut [1.0, 3.0, 2.0, 4.0]), 2.5);
        assert_eq!(quantile(0.0, &mut [5.0, 1.0]), 1.0);
        assert_eq!(quantile(2.0, &mut [5.0]), f64::INFINITY);
        assert_eq!(quantile(-1.0, &mut [5.0]), f64::NEG_INFINITY);
        assert!(quantile(0.5, &mut []).is_nan());
        assert_eq!(variance([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0].into_iter()), 4.0);
    }

    #[test]
    fn go_semantics() {
        assert!(go_max(f64::NAN, 1.0).is_nan());
        assert_eq!(go_min(1.0, 2.0), 1.0);
        assert!(almost_equal(1.0, 1.0 + 1e-9, 1e-6));
        assert!(!almost_equal(1.0, 1.1, 1e-6));
        assert!(almost_equal(f64::NAN, f64::NAN, 1e-6));
        assert_eq!(format_go_f(1e21), "1000000000000000000000");
        assert_eq!(format_go_f(-0.5), "-0.5");
    }
}
