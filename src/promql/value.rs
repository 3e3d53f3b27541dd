//! Evaluation results: scalars, strings, instant vectors and range vectors (matrices).

use std::fmt;

use super::EvalError;
use super::labels::Labels;

/// Prometheus' stale marker: a NaN with this exact bit pattern ends a series.
pub const STALE_NAN: f64 = f64::from_bits(0x7ff0_0000_0000_0002);

/// Whether `v` is the stale marker (an ordinary NaN is not).
pub fn is_stale(v: f64) -> bool {
    v.to_bits() == STALE_NAN.to_bits()
}

/// One sample of an instant vector. `t` is the evaluation time in results; inside the engine a
/// selected sample keeps its own timestamp until an operation replaces it (for `timestamp()`).
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub labels: Labels,
    pub t: i64,
    pub v: f64,
}

/// One series of a range vector: points in time order.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub labels: Labels,
    pub points: Vec<(i64, f64)>,
}

/// The result of an evaluation.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Scalar { t: i64, v: f64 },
    String { t: i64, s: String },
    Vector(Vec<Sample>),
    Matrix(Vec<Series>),
}

impl Value {
    /// `scalar`, `string`, `vector` or `matrix`, as Prometheus names the types.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Scalar { .. } => "scalar",
            Value::String { .. } => "string",
            Value::Vector(_) => "vector",
            Value::Matrix(_) => "matrix",
        }
    }
}

/// Formats a float as Prometheus does in text output (`+Inf`, `-Inf`, `NaN`, shortest form).
pub fn format_float(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v == f64::INFINITY {
        "+Inf".into()
    } else if v == f64::NEG_INFINITY {
        "-Inf".into()
    } else {
        format!("{v}")
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Scalar { v, .. } => write!(f, "scalar: {}", format_float(*v)),
            Value::String { s, .. } => write!(f, "string: {s:?}"),
            Value::Vector(samples) => {
                for s in samples {
                    writeln!(f, "{} => {} @{}", s.labels, format_float(s.v), s.t)?;
                }
                Ok(())
            }
            Value::Matrix(series) => {
                for s in series {
                    write!(f, "{} =>", s.labels)?;
                    for (t, v) in &s.points {
                        write!(f, " {} @{}", format_float(*v), t)?;
                    }
                    writeln!(f)?;
                }
                Ok(())
            }
        }
    }
}

/// Prometheus' check after operations that can merge series: no two samples share a label set.
pub(crate) fn check_unique(v: &[Sample]) -> Result<(), EvalError> {
    if v.len() < 2 {
        return Ok(());
    }
    let mut seen = std::collections::HashSet::with_capacity(v.len());
    for s in v {
        if !seen.insert(&s.labels) {
            return Err(EvalError::exec("vector cannot contain metrics with the same labelset"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_marker_is_a_particular_nan() {
        assert!(STALE_NAN.is_nan());
        assert!(is_stale(STALE_NAN));
        assert!(!is_stale(f64::NAN));
        assert!(!is_stale(1.0));
    }

    #[test]
    fn floats_print_like_prometheus() {
        assert_eq!(format_float(f64::INFINITY), "+Inf");
        assert_eq!(format_float(-f64::INFINITY), "-Inf");
        assert_eq!(format_float(f64::NAN), "NaN");
        assert_eq!(format_float(0.5), "0.5");
        let v = Value::Vector(vec![Sample { labels: Labels::new([("a", "b")]), t: 5, v: 1.0 }]);
        assert_eq!(v.to_string(), "{a=\"b\"} => 1 @5\n");
        assert_eq!(v.type_name(), "vector");
    }
}
