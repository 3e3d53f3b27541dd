//! Runs a parsed script against the engine and compares results as upstream's promqltest does:
//! values equal within a relative 1e-6 (NaN equals NaN), label sets exact, order only with
//! `expect ordered`; an instant evaluation is also run as a range query around its time and
//! must give the same result (upstream checks this too).

use std::collections::{HashMap, HashSet};

use promql_parser::label::{MatchOp, Matcher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use promql_parser::parser::{AtModifier, Expr, parse};
use stellar_obs::promql::series::SeriesValue;
use stellar_obs::promql::value::{STALE_NAN, format_float};
use stellar_obs::promql::{
    Engine, EngineOptions, EvalError, EvalErrorKind, Labels, Storage, Value,
};

use super::script::{Command, Eval, Expected, When};

/// The verdict on one evaluation.
#[derive(Debug)]
pub enum Verdict {
    Pass,
    Fail(String),
    Skip(String),
}

#[derive(Debug)]
pub struct CaseResult {
    pub line: usize,
    pub expr: String,
    pub verdict: Verdict,
    /// The case expected annotations (warnings/info), which are not checked.
    pub annotations: bool,
}

pub fn run_script(cmds: &[Command]) -> Vec<CaseResult> {
    let engine = Engine::new(EngineOptions::default());
    let mut st = Storage::new();
    let mut histogram_names: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for c in cmds {
        match c {
            Command::Clear => {
                st.clear();
                histogram_names.clear();
            }
            Command::Load(l) => {
                histogram_names.extend(l.histogram_names.iter().cloned());
                for (labels, pts) in &l.series {
                    if let (true, Some(n), Some(_)) = (l.nhcb, labels.name(), labels.get("le")) {
                        histogram_names.insert(n.strip_suffix("_bucket").unwrap_or(n).to_string());
                    }
                    for &(t, v) in pts {
                        let v = match v {
                            SeriesValue::Float(f) => f,
                            SeriesValue::Stale => STALE_NAN,
                        };
                        st.add(labels.clone(), t, v);
                    }
                }
            }
            Command::Eval(e) => out.push(CaseResult {
                line: e.line,
                expr: e.expr.clone(),
                verdict: run_eval(&engine, &st, &histogram_names, e),
                annotations: e.annotations > 0,
            }),
        }
    }
    out
}

/// Metric names a query reads (selector names and `__name__="..."` matchers), and its
/// other `__name__` matchers (regular expressions).
fn selector_names(e: &Expr, out: &mut Vec<String>, res: &mut Vec<Matcher>) {
    match e {
        Expr::VectorSelector(vs) => {
            out.extend(vs.name.clone());
            for m in vs.matchers.matchers.iter().filter(|m| m.name == "__name__") {
                match m.op {
                    MatchOp::Equal => out.push(m.value.clone()),
                    _ => res.push(m.clone()),
                }
            }
        }
        Expr::MatrixSelector(ms) => selector_names(&Expr::VectorSelector(ms.vs.clone()), out, res),
        Expr::Aggregate(a) => {
            selector_names(&a.expr, out, res);
            if let Some(p) = &a.param {
                selector_names(p, out, res);
            }
        }
        Expr::Unary(u) => selector_names(&u.expr, out, res),
        Expr::Binary(b) => {
            selector_names(&b.lhs, out, res);
            selector_names(&b.rhs, out, res);
        }
        Expr::Paren(p) => selector_names(&p.expr, out, res),
        Expr::Subquery(s) => selector_names(&s.expr, out, res),
        Expr::Call(c) => c.args.args.iter().for_each(|a| selector_names(a, out, res)),
        _ => {}
    }
}

fn uses_experimental(e: &Expr) -> Option<String> {
    match e {
        Expr::Call(c) => {
            if c.func.experimental {
                return Some(c.func.name.to_string());
            }
            c.args.args.iter().find_map(|a| uses_experimental(a))
        }
        Expr::Aggregate(a) => {
            let op = a.op.to_string();
            if op == "limitk" || op == "limit_ratio" {
                return Some(op);
            }
            uses_experimental(&a.expr)
                .or_else(|| a.param.as_ref().and_then(|p| uses_experimental(p)))
        }
        Expr::Unary(u) => uses_experimental(&u.expr),
        Expr::Binary(b) => uses_experimental(&b.lhs).or_else(|| uses_experimental(&b.rhs)),
        Expr::Paren(p) => uses_experimental(&p.expr),
        Expr::Subquery(s) => uses_experimental(&s.expr),
        _ => None,
    }
}

fn run_eval(engine: &Engine, st: &Storage, histogram_names: &HashSet<String>, e: &Eval) -> Verdict {
    if let Some(why) = &e.unrepresentable {
        return Verdict::Skip(why.clone());
    }
    let expr = match parse(&e.expr) {
        Ok(x) => x,
        Err(msg) => {
            return match &e.fail {
                Some(_) => Verdict::Pass,
                None => Verdict::Fail(format!("promql-parser rejects the query: {}", msg.trim())),
            };
        }
    };
    let mut names = Vec::new();
    let mut name_res = Vec::new();
    selector_names(&expr, &mut names, &mut name_res);
    let reads_histograms = names.iter().any(|n| histogram_names.contains(n))
        || name_res.iter().any(|m| histogram_names.iter().any(|h| m.is_match(h)));
    if reads_histograms {
        return Verdict::Skip("native histogram samples in the input".into());
    }
    match e.when {
        When::Range { start, end, step } => {
            finish(engine.range(st, &expr, start, end, step), &expr, e)
                .map_or_else(|v| v, |_| Verdict::Pass)
        }
        When::Instant(t) => {
            // Upstream also evaluates the query with `@ t` on every selector at other times.
            for (x, et) in at_variants(&expr, t) {
                if let Err(v) = check_instant(engine, st, &x, et, e) {
                    return match (v, et == t && x == expr) {
                        (v, true) => v,
                        (Verdict::Fail(m), false) => {
                            Verdict::Fail(format!("with `@ {}` at {et}ms: {m}", t as f64 / 1000.0))
                        }
                        (v, false) => v,
                    };
                }
            }
            Verdict::Pass
        }
    }
}

/// Functions whose result changes with the evaluation time even when their arguments do not.
const AT_UNSAFE: &[&str] = &[
    "days_in_month",
    "day_of_month",
    "day_of_week",
    "day_of_year",
    "hour",
    "minute",
    "month",
    "year",
    "predict_linear",
    "time",
    "timestamp",
    // The query's own bounds and step: they differ between the variants by design.
    "start",
    "end",
    "range",
    "step",
];

/// Upstream's atModifierTestCases: the query as written at `t`, and (unless it uses an
/// at-unsafe function) the query with `@ t` on every selector and subquery that has none,
/// evaluated at -10t, 0, t/5, t and 10t (or -1s, 0, 1s when t is 0).
pub fn at_variants(expr: &Expr, t: i64) -> Vec<(Expr, i64)> {
    let mut out = vec![(expr.clone(), t)];
    let mut x = expr.clone();
    let mut unsafe_fn = false;
    let at = if t >= 0 {
        UNIX_EPOCH + Duration::from_millis(t as u64)
    } else {
        UNIX_EPOCH - Duration::from_millis(t.unsigned_abs())
    };
    set_at(&mut x, &at, &mut unsafe_fn);
    if unsafe_fn {
        return out;
    }
    let times = if t == 0 { vec![-1000, 0, 1000] } else { vec![-10 * t, 0, t / 5, t, 10 * t] };
    out.extend(times.into_iter().map(|et| (x.clone(), et)));
    out
}

fn set_at(e: &mut Expr, at: &SystemTime, unsafe_fn: &mut bool) {
    match e {
        Expr::VectorSelector(vs) => {
            vs.at.get_or_insert(AtModifier::At(*at));
        }
        Expr::MatrixSelector(ms) => {
            ms.vs.at.get_or_insert(AtModifier::At(*at));
        }
        Expr::Subquery(sq) => {
            // Selectors inside a subquery follow the subquery's time.
            sq.at.get_or_insert(AtModifier::At(*at));
        }
        Expr::Call(c) => {
            *unsafe_fn |= AT_UNSAFE.contains(&c.func.name);
            c.args.args.iter_mut().for_each(|a| set_at(a, at, unsafe_fn));
        }
        Expr::Aggregate(a) => {
            set_at(&mut a.expr, at, unsafe_fn);
            if let Some(p) = &mut a.param {
                set_at(p, at, unsafe_fn);
            }
        }
        Expr::Unary(u) => set_at(&mut u.expr, at, unsafe_fn),
        Expr::Binary(b) => {
            set_at(&mut b.lhs, at, unsafe_fn);
            set_at(&mut b.rhs, at, unsafe_fn);
        }
        Expr::Paren(p) => set_at(&mut p.expr, at, unsafe_fn),
        _ => {}
    }
}

/// Whether the query calls `start()`, `end()`, `range()` or `step()`, whose values are the
/// query's bounds: the range-mode check does not apply to it.
fn uses_query_bounds(e: &Expr) -> bool {
    match e {
        Expr::Call(c) => {
            ["start", "end", "range", "step"].contains(&c.func.name)
                || c.args.args.iter().any(|a| uses_query_bounds(a))
        }
        Expr::Aggregate(a) => {
            uses_query_bounds(&a.expr) || a.param.as_deref().is_some_and(uses_query_bounds)
        }
        Expr::Unary(u) => uses_query_bounds(&u.expr),
        Expr::Binary(b) => uses_query_bounds(&b.lhs) || uses_query_bounds(&b.rhs),
        Expr::Paren(p) => uses_query_bounds(&p.expr),
        Expr::Subquery(s) => uses_query_bounds(&s.expr),
        _ => false,
    }
}

/// An evaluation's result checked against its expectations: Err(verdict) when it does not
/// end as a compared value (an expected or unexpected error, an unsupported feature).
fn finish(result: Result<Value, EvalError>, expr: &Expr, e: &Eval) -> Result<Value, Verdict> {
    let value = match (result, &e.fail) {
        (Err(err), _) if err.kind == EvalErrorKind::Unsupported => {
            return Err(match uses_experimental(expr) {
                Some(f) => Verdict::Skip(format!(
                    "experimental `{f}` (--enable-feature=promql-experimental-functions) is not supported"
                )),
                None => Verdict::Fail(format!("unsupported: {err}")),
            });
        }
        (Err(err), Some(f)) => return Err(check_failure(&err, f)),
        (Err(err), None) => return Err(Verdict::Fail(format!("error: {err}"))),
        (Ok(_), Some(_)) => return Err(Verdict::Fail("expected an error, got a result".into())),
        (Ok(v), None) => v,
    };
    compare(&e.expected, &value, e.ordered)
        .map_err(|m| Verdict::Fail(format!("{m}; got {}", brief(&value))))?;
    Ok(value)
}

/// One instant evaluation and, as upstream does, the same query as a range query from t-1m to
/// t+1m whose middle step must agree (not for ordered results, range vectors or strings).
/// Ok when it passes; Err(Pass) when an expected failure happened.
fn check_instant(
    engine: &Engine,
    st: &Storage,
    expr: &Expr,
    t: i64,
    e: &Eval,
) -> Result<(), Verdict> {
    let value = match finish(engine.instant(st, expr, t), expr, e) {
        Ok(v) => v,
        Err(Verdict::Pass) => return Ok(()),
        Err(v) => return Err(v),
    };
    if e.ordered
        || matches!(value, Value::Matrix(_) | Value::String { .. })
        || uses_query_bounds(expr)
    {
        return Ok(());
    }
    let rv = match engine.range(st, expr, t - 60_000, t + 60_000, 60_000) {
        Ok(Value::Matrix(m)) => m,
        Ok(_) => return Err(Verdict::Fail("range mode: not a matrix".into())),
        Err(err) => return Err(Verdict::Fail(format!("range mode: error: {err}"))),
    };
    let at_t: Vec<(Labels, f64)> = rv
        .iter()
        .filter_map(|s| s.points.iter().find(|p| p.0 == t).map(|p| (s.labels.clone(), p.1)))
        .collect();
    let as_value = match value {
        Value::Scalar { .. } => match at_t.first() {
            Some((_, v)) => Value::Scalar { t, v: *v },
            None => {
                return Err(Verdict::Fail("range mode: no scalar at the evaluation time".into()));
            }
        },
        _ => Value::Vector(
            at_t.into_iter()
                .map(|(labels, v)| stellar_obs::promql::Sample { labels, t, v })
                .collect(),
        ),
    };
    compare(&e.expected, &as_value, false).map_err(|m| Verdict::Fail(format!("range mode: {m}")))
}

fn check_failure(err: &EvalError, f: &super::script::FailExpect) -> Verdict {
    if let Some(m) = f.msg.as_ref().filter(|m| err.message != **m) {
        return Verdict::Fail(format!("expected error {m:?}, got {:?}", err.message));
    }
    if let Some(r) = &f.regex {
        match regex::Regex::new(r) {
            Ok(re) if re.is_match(&err.message) => {}
            _ => {
                return Verdict::Fail(format!(
                    "expected an error matching {r:?}, got {:?}",
                    err.message
                ));
            }
        }
    }
    Verdict::Pass
}

fn almost_equal(a: f64, b: f64) -> bool {
    const EPS: f64 = 1e-6;
    if a.is_nan() && b.is_nan() || a == b {
        return true;
    }
    let abs_sum = a.abs() + b.abs();
    let diff = (a - b).abs();
    if a == 0.0 || b == 0.0 || abs_sum < f64::MIN_POSITIVE {
        return diff < EPS * f64::MIN_POSITIVE;
    }
    diff / abs_sum.min(f64::MAX) < EPS
}

fn compare(exp: &Expected, got: &Value, ordered: bool) -> Result<(), String> {
    match (exp, got) {
        (Expected::Scalar(x), Value::Scalar { v, .. }) => {
            if almost_equal(*x, *v) {
                Ok(())
            } else {
                Err(format!("expected scalar {} but got {}", format_float(*x), format_float(*v)))
            }
        }
        (Expected::String(x), Value::String { s, .. }) => {
            if x == s {
                Ok(())
            } else {
                Err(format!("expected string {x:?} but got {s:?}"))
            }
        }
        (Expected::Vector(want), Value::Vector(got)) => {
            let index: HashMap<&Labels, (usize, f64)> =
                want.iter().enumerate().map(|(i, (l, v))| (l, (i, *v))).collect();
            let mut seen = HashSet::new();
            for (pos, s) in got.iter().enumerate() {
                let Some((wpos, wv)) = index.get(&s.labels) else {
                    return Err(format!(
                        "unexpected metric {} in result, has value {}",
                        s.labels,
                        format_float(s.v)
                    ));
                };
                if ordered && *wpos != pos {
                    return Err(format!(
                        "expected metric {} at position {} but was at {}",
                        s.labels,
                        wpos + 1,
                        pos + 1
                    ));
                }
                if !almost_equal(*wv, s.v) {
                    return Err(format!(
                        "expected {} for {} but got {}",
                        format_float(*wv),
                        s.labels,
                        format_float(s.v)
                    ));
                }
                seen.insert(&s.labels);
            }
            match want.iter().find(|(l, _)| !seen.contains(l)) {
                Some((l, v)) => {
                    Err(format!("expected metric {l} with {} not found", format_float(*v)))
                }
                None => Ok(()),
            }
        }
        (Expected::Matrix(want), Value::Matrix(got)) => {
            let index: HashMap<&Labels, &Vec<(i64, f64)>> =
                want.iter().map(|(l, p)| (l, p)).collect();
            let mut seen = HashSet::new();
            for s in got {
                let Some(wp) = index.get(&s.labels) else {
                    return Err(format!(
                        "unexpected metric {} in result, has {} points",
                        s.labels,
                        s.points.len()
                    ));
                };
                let same = wp.len() == s.points.len()
                    && wp.iter().zip(&s.points).all(|(a, b)| a.0 == b.0 && almost_equal(a.1, b.1));
                if !same {
                    return Err(format!(
                        "expected {} for {} but got {}",
                        points(wp),
                        s.labels,
                        points(&s.points)
                    ));
                }
                seen.insert(&s.labels);
            }
            match want.iter().find(|(l, _)| !seen.contains(l)) {
                Some((l, p)) => Err(format!("expected metric {l} with {} not found", points(p))),
                None => Ok(()),
            }
        }
        (Expected::Vector(want), Value::Scalar { v, .. }) if want.is_empty() => {
            Err(format!("expected an empty vector, got scalar {}", format_float(*v)))
        }
        (exp, got) => Err(format!("expected a {} result, got a {}", kind(exp), got.type_name())),
    }
}

fn kind(e: &Expected) -> &'static str {
    match e {
        Expected::Vector(_) => "vector",
        Expected::Scalar(_) => "scalar",
        Expected::String(_) => "string",
        Expected::Matrix(_) => "matrix",
    }
}

fn points(p: &[(i64, f64)]) -> String {
    let v: Vec<String> = p.iter().map(|(t, v)| format!("{}@{}", format_float(*v), t)).collect();
    format!("[{}]", v.join(" "))
}

/// A short, one-line rendering of a result for failure messages.
fn brief(v: &Value) -> String {
    let s = match v {
        Value::Vector(v) if v.is_empty() => "an empty vector".to_string(),
        Value::Matrix(m) if m.is_empty() => "an empty matrix".to_string(),
        other => other.to_string().trim_end().replace('\n', "; "),
    };
    if s.chars().count() > 200 {
        format!("{}…", s.chars().take(200).collect::<String>())
    } else {
        s
    }
}
