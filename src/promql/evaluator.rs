//! What the operators and functions need from the evaluator: a sub-expression evaluated as
//! a value, vector, scalar, string or range, a selector, and the query's times. `eval.rs`
//! implements it; `aggregate.rs`, `binary.rs` and `functions.rs` take it, so the evaluator
//! and the operators it dispatches to do not import each other.

use promql_parser::parser::{Expr, VectorSelector};

use super::EvalError;
use super::value::{Sample, Series, Value};

/// The evaluator, as the operator and function modules call it back.
pub(crate) trait Evaluator {
    fn eval(&self, e: &Expr, t: i64) -> Result<Value, EvalError>;
    fn eval_vector(&self, e: &Expr, t: i64) -> Result<Vec<Sample>, EvalError>;
    fn eval_scalar(&self, e: &Expr, t: i64) -> Result<f64, EvalError>;
    fn eval_string(&self, e: &Expr, t: i64) -> Result<String, EvalError>;
    fn eval_range(&self, e: &Expr, t: i64) -> Result<RangeArg, EvalError>;
    /// The latest sample of each matching series in the lookback window. `keep_time` keeps
    /// the sample's own timestamp (for `timestamp()`), otherwise `t`.
    fn vector_selector(
        &self,
        vs: &VectorSelector,
        t: i64,
        keep_time: bool,
    ) -> Result<Vec<Sample>, EvalError>;
    /// The query's start, end and step (0 for an instant query), for `start()`, `end()`,
    /// `step()`.
    fn start(&self) -> i64;
    fn end(&self) -> i64;
    fn step(&self) -> i64;
}

/// A range argument of a function: the series, and the window `(end - range_ms, end]`.
pub(crate) struct RangeArg {
    pub series: Vec<Series>,
    pub range_ms: i64,
    pub end: i64,
}
