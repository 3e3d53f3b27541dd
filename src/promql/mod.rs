//! A PromQL engine over the `promql-parser` AST, with Prometheus 3.x semantics for float
//! samples and classic (`_bucket`) histograms: left-open range selectors and lookback,
//! staleness markers, `offset` / `@` (incl. `start()` / `end()`), subqueries, functions,
//! aggregations and vector matching, with Prometheus' error wording.
//!
//! Pure and deterministic: no I/O, no clock, times in milliseconds since the epoch.
//!
//! - [`labels`]: label sets; [`series`]: the expanding notation (`1+2x10 _ stale`);
//!   [`storage`]: the in-memory series store; [`value`]: results;
//! - `eval` (selectors, subqueries, instant and range queries), `functions`, `aggregate`,
//!   `binary` (operators and vector matching), `stats` (the float arithmetic they share);
//!   `evaluator` (the trait through which the operators call the evaluator back).

mod aggregate;
mod binary;
mod eval;
mod evaluator;
mod functions;
pub mod labels;
mod range_functions;
pub mod series;
mod stats;
pub mod storage;
#[cfg(test)]
mod testutil;
pub mod value;

use std::fmt;

pub use eval::{Engine, EngineOptions};
pub use labels::Labels;
pub use storage::Storage;
pub use value::{Sample, Series, Value};

/// What kind of failure an [`EvalError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvalErrorKind {
    /// The query text does not parse.
    Parse,
    /// The query is valid but fails when evaluated (as it would in Prometheus).
    Execution,
    /// Prometheus would evaluate it, this engine does not (native histograms, ...).
    Unsupported,
}

/// An evaluation error, worded as Prometheus words it where tests depend on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError {
    pub kind: EvalErrorKind,
    pub message: String,
}

impl EvalError {
    pub(crate) fn exec(message: impl Into<String>) -> EvalError {
        EvalError { kind: EvalErrorKind::Execution, message: message.into() }
    }

    pub(crate) fn unsupported(message: impl Into<String>) -> EvalError {
        EvalError { kind: EvalErrorKind::Unsupported, message: message.into() }
    }

    pub(crate) fn parse(message: impl Into<String>) -> EvalError {
        EvalError { kind: EvalErrorKind::Parse, message: message.into() }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EvalError {}
