//! The evaluator: instant and range queries, selectors with lookback and staleness,
//! `offset` / `@`, subqueries. Operators, functions and aggregations live in sibling files.

use std::cell::Cell;
use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use promql_parser::parser::{
    AtModifier, Expr, MatrixSelector, Offset, SubqueryExpr, VectorSelector,
};

use super::evaluator::{Evaluator, RangeArg};
use super::labels::Labels;
use super::storage::Storage;
use super::value::{Sample, Series, Value, check_unique};
use super::{EvalError, aggregate, binary, functions};

/// Most steps one range query may have (Prometheus' limit of points per series).
pub const MAX_RANGE_STEPS: i64 = 11_000;
/// Most inner steps one subquery may evaluate at one outer step.
pub const MAX_SUBQUERY_STEPS: i64 = 1_000_000;

/// Engine settings.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// How far back an instant selector looks for a sample (Prometheus: 5 minutes).
    pub lookback_ms: i64,
    /// The step of a subquery written without one (`x[5m:]`): the global evaluation interval.
    pub default_subquery_step_ms: i64,
    /// Most samples one query may read, summed over all its steps and subquery steps (a guard
    /// against queries that would run for hours, like Prometheus' `--query.max-samples`).
    pub max_samples: u64,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            lookback_ms: 300_000,
            default_subquery_step_ms: 60_000,
            max_samples: 50_000_000,
        }
    }
}

/// The PromQL engine. Stateless apart from its options; evaluations are pure.
#[derive(Debug, Clone, Default)]
pub struct Engine {
    opts: EngineOptions,
}

impl Engine {
    pub fn new(opts: EngineOptions) -> Engine {
        Engine { opts }
    }

    pub fn options(&self) -> &EngineOptions {
        &self.opts
    }

    /// Evaluates `expr` at `t_ms`: a scalar, string, vector or (for a range expression) matrix.
    pub fn instant(&self, st: &Storage, expr: &Expr, t_ms: i64) -> Result<Value, EvalError> {
        let ev = Ev::new(st, &self.opts, t_ms, t_ms, 0);
        Ok(match ev.eval(expr, t_ms)? {
            Value::Vector(mut v) => {
                for s in &mut v {
                    s.t = t_ms;
                }
                Value::Vector(v)
            }
            other => other,
        })
    }

    /// Evaluates `expr` at every step from `start_ms` to `end_ms`: a matrix sorted by labels.
    pub fn range(
        &self,
        st: &Storage,
        expr: &Expr,
        start_ms: i64,
        end_ms: i64,
        step_ms: i64,
    ) -> Result<Value, EvalError> {
        if step_ms <= 0 {
            return Err(EvalError::exec(
                "zero or negative query resolution step widths are not accepted",
            ));
        }
        if end_ms < start_ms {
            return Err(EvalError::exec("end timestamp must not be before start time"));
        }
        if (i128::from(end_ms) - i128::from(start_ms)) / i128::from(step_ms)
            >= i128::from(MAX_RANGE_STEPS)
        {
            return Err(EvalError::exec(
                "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
            ));
        }
        let ev = Ev::new(st, &self.opts, start_ms, end_ms, step_ms);
        let mut index: HashMap<Labels, usize> = HashMap::new();
        let mut out: Vec<Series> = Vec::new();
        let mut push = |labels: Labels, t: i64, v: f64| -> Result<(), EvalError> {
            let i = *index.entry(labels).or_insert_with_key(|l| {
                out.push(Series { labels: l.clone(), points: Vec::new() });
                out.len() - 1
            });
            if out[i].points.last().is_some_and(|p| p.0 == t) {
                return Err(EvalError::exec(
                    "vector cannot contain metrics with the same labelset",
                ));
            }
            out[i].points.push((t, v));
            Ok(())
        };
        let mut t = start_ms;
        while t <= end_ms {
            match ev.eval(expr, t)? {
                Value::Scalar { v, .. } => push(Labels::empty(), t, v)?,
                Value::Vector(samples) => {
                    for s in samples {
                        push(s.labels, t, s.v)?;
                    }
                }
                other => {
                    return Err(EvalError::exec(format!(
                        "invalid expression type \"{}\" for range query, must be Scalar or instant Vector",
                        if other.type_name() == "matrix" {
                            "range vector"
                        } else {
                            other.type_name()
                        }
                    )));
                }
            }
            match t.checked_add(step_ms) {
                Some(n) => t = n,
                None => break,
            }
        }
        out.sort_by(|a, b| a.labels.cmp(&b.labels));
        Ok(Value::Matrix(out))
    }

    /// Parses `q` with promql-parser and evaluates it at `t_ms`.
    pub fn query_str(&self, st: &Storage, q: &str, t_ms: i64) -> Result<Value, EvalError> {
        let expr = promql_parser::parser::parse(q).map_err(EvalError::parse)?;
        self.instant(st, &expr, t_ms)
    }
}

/// One evaluation: the store, options and the query's start and end (for `@ start()/end()`).
pub(crate) struct Ev<'a> {
    pub st: &'a Storage,
    pub opts: &'a EngineOptions,
    pub start: i64,
    pub end: i64,
    /// The range query's step (0 for an instant query), for `step()`.
    pub step: i64,
    /// Samples read so far (see [`EngineOptions::max_samples`]).
    samples: Cell<u64>,
}

pub(crate) fn millis(st: &SystemTime) -> i64 {
    match st.duration_since(UNIX_EPOCH) {
        Ok(d) => dur_ms(&d),
        Err(e) => -dur_ms(&e.duration()),
    }
}

/// A duration in milliseconds, saturating at i64::MAX.
fn dur_ms(d: &std::time::Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

pub(crate) fn offset_ms(o: &Option<Offset>) -> i64 {
    match o {
        None => 0,
        Some(Offset::Pos(d)) => dur_ms(d),
        Some(Offset::Neg(d)) => -dur_ms(d),
    }
}

impl<'a> Ev<'a> {
    fn new(st: &'a Storage, opts: &'a EngineOptions, start: i64, end: i64, step: i64) -> Ev<'a> {
        Ev { st, opts, start, end, step, samples: Cell::new(0) }
    }

    /// Counts `n` samples read; an error once the query has read more than allowed.
    fn charge(&self, n: usize) -> Result<(), EvalError> {
        let total = self.samples.get().saturating_add(n as u64);
        self.samples.set(total);
        if total > self.opts.max_samples {
            return Err(EvalError::exec(
                "query processing would load too many samples into memory in query execution",
            ));
        }
        Ok(())
    }

    pub fn eval(&self, e: &Expr, t: i64) -> Result<Value, EvalError> {
        match e {
            Expr::NumberLiteral(n) => Ok(Value::Scalar { t, v: n.val }),
            Expr::StringLiteral(s) => Ok(Value::String { t, s: s.val.clone() }),
            Expr::Paren(p) => self.eval(&p.expr, t),
            Expr::Unary(u) => match self.eval(&u.expr, t)? {
                Value::Scalar { v, .. } => Ok(Value::Scalar { t, v: -v }),
                Value::Vector(v) => {
                    let out: Vec<Sample> = v
                        .into_iter()
                        .map(|s| Sample { labels: s.labels.without_name(), t, v: -s.v })
                        .collect();
                    check_unique(&out)?;
                    Ok(Value::Vector(out))
                }
                other => Err(EvalError::exec(format!("unary minus on a {}", other.type_name()))),
            },
            Expr::VectorSelector(vs) => Ok(Value::Vector(self.vector_selector(vs, t, false)?)),
            Expr::MatrixSelector(ms) => Ok(Value::Matrix(self.matrix_selector(ms, t)?.series)),
            Expr::Subquery(sq) => Ok(Value::Matrix(self.subquery(sq, t)?.series)),
            Expr::Call(c) => functions::call(self, c, t),
            Expr::Aggregate(a) => aggregate::aggregate(self, a, t),
            Expr::Binary(b) => binary::binary(self, b, t),
            Expr::Extension(_) => {
                Err(EvalError::unsupported("extension expressions are not supported"))
            }
        }
    }

    pub fn eval_vector(&self, e: &Expr, t: i64) -> Result<Vec<Sample>, EvalError> {
        match self.eval(e, t)? {
            Value::Vector(v) => Ok(v),
            other => Err(EvalError::exec(format!(
                "expected an instant vector, got a {}",
                other.type_name()
            ))),
        }
    }

    pub fn eval_scalar(&self, e: &Expr, t: i64) -> Result<f64, EvalError> {
        match self.eval(e, t)? {
            Value::Scalar { v, .. } => Ok(v),
            other => {
                Err(EvalError::exec(format!("expected a scalar, got a {}", other.type_name())))
            }
        }
    }

    pub fn eval_string(&self, e: &Expr, t: i64) -> Result<String, EvalError> {
        match self.eval(e, t)? {
            Value::String { s, .. } => Ok(s),
            other => {
                Err(EvalError::exec(format!("expected a string, got a {}", other.type_name())))
            }
        }
    }

    /// A range argument: a matrix selector or a subquery (parentheses allowed around it).
    pub fn eval_range(&self, e: &Expr, t: i64) -> Result<RangeArg, EvalError> {
        match e {
            Expr::Paren(p) => self.eval_range(&p.expr, t),
            Expr::MatrixSelector(ms) => self.matrix_selector(ms, t),
            Expr::Subquery(sq) => self.subquery(sq, t),
            _ => Err(EvalError::exec("expected a range vector")),
        }
    }

    /// The time a selector or subquery reads at: its `@` (or `t`), minus its offset.
    fn read_time(&self, at: &Option<AtModifier>, offset: &Option<Offset>, t: i64) -> i64 {
        let base = match at {
            None => t,
            Some(AtModifier::Start) => self.start,
            Some(AtModifier::End) => self.end,
            Some(AtModifier::At(st)) => millis(st),
        };
        base.saturating_sub(offset_ms(offset))
    }

    /// The latest sample of each matching series in the lookback window. `keep_time` keeps
    /// the sample's own timestamp (for `timestamp()`), otherwise `t`.
    pub fn vector_selector(
        &self,
        vs: &VectorSelector,
        t: i64,
        keep_time: bool,
    ) -> Result<Vec<Sample>, EvalError> {
        let rt = self.read_time(&vs.at, &vs.offset, t);
        let lookback = self.opts.lookback_ms;
        let series = self.st.select(vs.name.as_deref(), &vs.matchers);
        self.charge(series.len())?;
        Ok(series
            .into_iter()
            .filter_map(|s| {
                s.sample_at(rt, lookback).map(|(st, v)| Sample {
                    labels: s.labels.clone(),
                    t: if keep_time { st } else { t },
                    v,
                })
            })
            .collect())
    }

    fn matrix_selector(&self, ms: &MatrixSelector, t: i64) -> Result<RangeArg, EvalError> {
        let end = self.read_time(&ms.vs.at, &ms.vs.offset, t);
        let range_ms = dur_ms(&ms.range);
        let mut series = Vec::new();
        for s in self.st.select(ms.vs.name.as_deref(), &ms.vs.matchers) {
            let mut points = Vec::new();
            s.range(end.saturating_sub(range_ms), end, &mut points);
            self.charge(points.len() + 1)?;
            if !points.is_empty() {
                series.push(Series { labels: s.labels.clone(), points });
            }
        }
        Ok(RangeArg { series, range_ms, end })
    }

    fn subquery(&self, sq: &SubqueryExpr, t: i64) -> Result<RangeArg, EvalError> {
        let end = self.read_time(&sq.at, &sq.offset, t);
        let range_ms = dur_ms(&sq.range);
        let step = sq.step.map_or(self.opts.default_subquery_step_ms, |d| dur_ms(&d));
        if step <= 0 {
            return Err(EvalError::exec("zero or negative subquery step"));
        }
        let from = end.saturating_sub(range_ms);
        let mut ts = (from / step) * step;
        if ts <= from {
            ts = ts.saturating_add(step);
        }
        if end.saturating_sub(ts) / step > MAX_SUBQUERY_STEPS {
            return Err(EvalError::exec(format!(
                "subquery {sq} would evaluate more than {MAX_SUBQUERY_STEPS} steps"
            )));
        }
        let mut index: HashMap<Labels, usize> = HashMap::new();
        let mut series: Vec<Series> = Vec::new();
        while ts <= end {
            self.charge(1)?;
            let mut push = |labels: Labels, v: f64| {
                let i = *index.entry(labels).or_insert_with_key(|l| {
                    series.push(Series { labels: l.clone(), points: Vec::new() });
                    series.len() - 1
                });
                series[i].points.push((ts, v));
            };
            match self.eval(&sq.expr, ts)? {
                Value::Scalar { v, .. } => push(Labels::empty(), v),
                Value::Vector(samples) => {
                    for s in samples {
                        push(s.labels, s.v);
                    }
                }
                other => {
                    return Err(EvalError::exec(format!("subquery over a {}", other.type_name())));
                }
            }
            match ts.checked_add(step) {
                Some(n) => ts = n,
                None => break,
            }
        }
        series.sort_by(|a, b| a.labels.cmp(&b.labels));
        Ok(RangeArg { series, range_ms, end })
    }
}

impl Evaluator for Ev<'_> {
    fn eval(&self, e: &Expr, t: i64) -> Result<Value, EvalError> {
        Ev::eval(self, e, t)
    }
    fn eval_vector(&self, e: &Expr, t: i64) -> Result<Vec<Sample>, EvalError> {
        Ev::eval_vector(self, e, t)
    }
    fn eval_scalar(&self, e: &Expr, t: i64) -> Result<f64, EvalError> {
        Ev::eval_scalar(self, e, t)
    }
    fn eval_string(&self, e: &Expr, t: i64) -> Result<String, EvalError> {
        Ev::eval_string(self, e, t)
    }
    fn eval_range(&self, e: &Expr, t: i64) -> Result<RangeArg, EvalError> {
        Ev::eval_range(self, e, t)
    }
    fn vector_selector(
        &self,
        vs: &VectorSelector,
        t: i64,
        keep_time: bool,
    ) -> Result<Vec<Sample>, EvalError> {
        Ev::vector_selector(self, vs, t, keep_time)
    }
    fn start(&self) -> i64 {
        self.start
    }
    fn end(&self) -> i64 {
        self.end
    }
    fn step(&self) -> i64 {
        self.step
    }
}

#[cfg(test)]
mod tests {
    use crate::promql::testutil::{load, q};

    #[test]
    fn selectors_lookback_offset_and_at() {
        let st = load(60_000, &[r#"m{a="1"} 0+1x10"#, r#"m{a="2"} 5 _ _ stale 7"#]);
        assert_eq!(q(&st, "m", 120_000), [r#"m{a="1"} 2"#, r#"m{a="2"} 5"#]);
        assert_eq!(q(&st, "m", 180_000), [r#"m{a="1"} 3"#], "stale marker ends a{{2}}");
        assert_eq!(q(&st, "m offset 1m", 120_000), [r#"m{a="1"} 1"#, r#"m{a="2"} 5"#]);
        assert_eq!(q(&st, "m @ 60", 600_000), [r#"m{a="1"} 1"#, r#"m{a="2"} 5"#]);
        assert_eq!(q(&st, r#"m{a="1"} offset -1m"#, 60_000), [r#"m{a="1"} 2"#]);
        // Lookback is left-open: the sample at 0 is not seen at exactly 5m.
        let st2 = load(60_000, &["n 1"]);
        assert_eq!(q(&st2, "n", 299_999), ["n 1"]);
        assert!(q(&st2, "n", 300_000).is_empty());
        assert_eq!(q(&st, "max(m)", 0), [r#"{} 5"#]);
        assert_eq!(q(&st, "count_over_time(m[2m])", 120_000), [r#"{a="1"} 2"#]);
    }
}

#[cfg(test)]
mod range_tests {
    use super::*;
    use crate::promql::testutil::load;

    #[test]
    fn range_queries_are_sorted_matrices() {
        let st = load(30_000, &[r#"m{a="2"} 1+1x4"#, r#"m{a="1"} 10 _ _ stale"#]);
        let e = promql_parser::parser::parse("m").expect("parses");
        let Value::Matrix(m) =
            Engine::default().range(&st, &e, 0, 120_000, 60_000).expect("evaluates")
        else {
            panic!("matrix")
        };
        assert_eq!(m[0].labels.to_string(), r#"m{a="1"}"#);
        assert_eq!(m[0].points, [(0, 10.0), (60_000, 10.0)], "stale at 90s ends it");
        assert_eq!(m[1].points, [(0, 1.0), (60_000, 3.0), (120_000, 5.0)]);
        let s = promql_parser::parser::parse("1").expect("parses");
        let Value::Matrix(m) =
            Engine::default().range(&st, &s, 0, 60_000, 60_000).expect("evaluates")
        else {
            panic!("matrix")
        };
        assert_eq!(m[0].points, [(0, 1.0), (60_000, 1.0)]);
        let e = promql_parser::parser::parse("m[1m]").expect("parses");
        let bad =
            Engine::default().range(&st, &e, 0, 60_000, 60_000).expect_err("matrix range query");
        assert!(bad.message.contains("range vector"), "{bad}");
        assert!(Engine::default().range(&st, &s, 0, 60_000, 0).is_err());
        assert!(Engine::default().range(&st, &s, 0, 1_000_000_000, 1).is_err(), "too many steps");
    }

    #[test]
    fn subqueries_align_to_their_step() {
        let st = load(10_000, &["m 0+1x100"]);
        let e = promql_parser::parser::parse("m[1m:20s]").expect("parses");
        let Value::Matrix(m) = Engine::default().instant(&st, &e, 70_000).expect("evaluates")
        else {
            panic!("matrix")
        };
        assert_eq!(m[0].points, [(20_000, 2.0), (40_000, 4.0), (60_000, 6.0)]);
        assert_eq!(m[0].labels.to_string(), "m");
        let e = promql_parser::parser::parse("m[1m:20s] offset 10s").expect("parses");
        let Value::Matrix(m) = Engine::default().instant(&st, &e, 70_000).expect("evaluates")
        else {
            panic!("matrix")
        };
        assert_eq!(m[0].points, [(20_000, 2.0), (40_000, 4.0), (60_000, 6.0)]);
        let r = Engine::default().query_str(&st, "m[", 0).expect_err("parse error");
        assert_eq!(r.kind, crate::promql::EvalErrorKind::Parse);
    }
}

#[cfg(test)]
mod budget_tests {
    use super::*;
    use crate::promql::testutil::load;

    #[test]
    fn runaway_queries_stop_with_an_error() {
        let st = load(1_000, &["m 0+1x100"]);
        let opts = EngineOptions { max_samples: 10_000, ..EngineOptions::default() };
        let e = promql_parser::parser::parse("max_over_time((max_over_time(m[1d:1s]))[1d:1s])")
            .expect("parses");
        let err = Engine::new(opts.clone()).instant(&st, &e, 100_000).expect_err("over budget");
        assert!(err.message.contains("too many samples"), "{err}");
        let ok = promql_parser::parser::parse("sum_over_time(m[100s])").expect("parses");
        assert!(Engine::new(opts).instant(&st, &ok, 100_000).is_ok());
    }
}

#[cfg(test)]
mod extreme_tests {
    use super::*;
    use crate::promql::testutil::load;

    #[test]
    fn extreme_times_do_not_overflow() {
        let st = load(60_000, &["m 1 2 3"]);
        let e = Engine::default();
        for q in [
            "m offset 290000000y",
            "m offset -290000000y",
            "rate(m[290000000y])",
            "m @ 9000000000000000",
            "m @ -9000000000000000",
            "max_over_time(m[290000000y:290000000y])",
            "deriv(m[1h] @ 9000000000000000)",
            "predict_linear(m[10m], 1e300)",
            "timestamp(m @ -9000000000000000)",
        ] {
            let x = promql_parser::parser::parse(q).expect("parses");
            let _ = e.instant(&st, &x, i64::MAX);
            let _ = e.instant(&st, &x, i64::MIN);
            let _ = e.range(&st, &x, i64::MAX - 1000, i64::MAX, 100);
            let _ = e.range(&st, &x, i64::MIN, i64::MIN + 1000, 100);
        }
        let x = promql_parser::parser::parse("m").expect("parses");
        assert!(e.range(&st, &x, i64::MIN, i64::MAX, 1).is_err(), "too many steps");
    }
}
