//! Binary operators: arithmetic, comparisons (with and without `bool`) and set operators,
//! between scalars and vectors, with `on` / `ignoring` and `group_left` / `group_right`.

use std::collections::{HashMap, HashSet};

use promql_parser::label::METRIC_NAME;
use promql_parser::parser::token::{
    T_ADD, T_ATAN2, T_DIV, T_EQLC, T_GTE, T_GTR, T_LAND, T_LOR, T_LSS, T_LTE, T_LUNLESS, T_MOD,
    T_MUL, T_NEQ, T_POW, T_SUB, TokenId,
};
use promql_parser::parser::{BinaryExpr, LabelModifier, VectorMatchCardinality};

use super::EvalError;
use super::evaluator::Evaluator;
use super::labels::Labels;
use super::value::check_unique;
use super::value::{Sample, Value};

fn is_comparison(op: TokenId) -> bool {
    matches!(op, T_EQLC | T_NEQ | T_GTR | T_LSS | T_GTE | T_LTE)
}

fn is_set(op: TokenId) -> bool {
    matches!(op, T_LAND | T_LOR | T_LUNLESS)
}

/// `lhs op rhs` on floats: the value and whether to keep it (comparisons).
fn apply(op: TokenId, l: f64, r: f64) -> (f64, bool) {
    match op {
        T_ADD => (l + r, true),
        T_SUB => (l - r, true),
        T_MUL => (l * r, true),
        T_DIV => (l / r, true),
        T_POW => (l.powf(r), true),
        T_MOD => (l % r, true),
        T_ATAN2 => (l.atan2(r), true),
        T_EQLC => (l, l == r),
        T_NEQ => (l, l != r),
        T_GTR => (l, l > r),
        T_LSS => (l, l < r),
        T_GTE => (l, l >= r),
        T_LTE => (l, l <= r),
        _ => (f64::NAN, false),
    }
}

pub(crate) fn binary(ev: &dyn Evaluator, b: &BinaryExpr, t: i64) -> Result<Value, EvalError> {
    let op = b.op.id();
    let return_bool = b.return_bool();
    let lhs = ev.eval(&b.lhs, t)?;
    // `x or y` / `x and y` need the right side; `and`/`unless` with an empty left side do not.
    if matches!(op, T_LAND | T_LUNLESS) && matches!(&lhs, Value::Vector(v) if v.is_empty()) {
        return Ok(Value::Vector(Vec::new()));
    }
    let rhs = ev.eval(&b.rhs, t)?;
    match (lhs, rhs) {
        (Value::Scalar { v: l, .. }, Value::Scalar { v: r, .. }) => {
            let (v, keep) = apply(op, l, r);
            let v = if is_comparison(op) { if keep { 1.0 } else { 0.0 } } else { v };
            Ok(Value::Scalar { t, v })
        }
        (Value::Vector(l), Value::Scalar { v: r, .. }) => {
            vector_scalar(op, l, r, false, return_bool)
        }
        (Value::Scalar { v: l, .. }, Value::Vector(r)) => {
            vector_scalar(op, r, l, true, return_bool)
        }
        (Value::Vector(l), Value::Vector(r)) => {
            if is_set(op) {
                Ok(Value::Vector(set_op(op, b, l, r)))
            } else {
                vector_vector(op, b, l, r, return_bool).map(Value::Vector)
            }
        }
        (l, r) => Err(EvalError::exec(format!(
            "binary operator {} between a {} and a {}",
            b.op,
            l.type_name(),
            r.type_name()
        ))),
    }
}

fn vector_scalar(
    op: TokenId,
    v: Vec<Sample>,
    scalar: f64,
    swap: bool,
    rb: bool,
) -> Result<Value, EvalError> {
    let cmp = is_comparison(op);
    let mut out = Vec::with_capacity(v.len());
    for mut s in v {
        let (l, r) = if swap { (scalar, s.v) } else { (s.v, scalar) };
        let (mut value, keep) = apply(op, l, r);
        if cmp && swap {
            value = r;
        }
        if rb {
            value = if keep { 1.0 } else { 0.0 };
        } else if !keep {
            continue;
        }
        if !cmp || rb {
            s.labels = s.labels.without_name();
        }
        s.v = value;
        out.push(s);
    }
    if !cmp || rb {
        check_unique(&out)?;
    }
    Ok(Value::Vector(out))
}

/// How samples are matched: the label names and whether they are the `on` list.
struct Matching<'a> {
    on: bool,
    /// The `on` / `ignoring` list as written.
    user: Vec<String>,
    /// The labels the signature uses (with `__name__` when ignoring).
    names: Vec<String>,
    card: &'a VectorMatchCardinality,
}

fn matching(b: &BinaryExpr) -> Matching<'_> {
    static ONE_TO_ONE: VectorMatchCardinality = VectorMatchCardinality::OneToOne;
    let (on, mut names) = match b.modifier.as_ref().and_then(|m| m.matching.as_ref()) {
        Some(LabelModifier::Include(l)) => (true, l.labels.clone()),
        Some(LabelModifier::Exclude(l)) => (false, l.labels.clone()),
        None => (false, Vec::new()),
    };
    let user = names.clone();
    if !on {
        names.push(METRIC_NAME.to_string());
    }
    let card = b.modifier.as_ref().map_or(&ONE_TO_ONE, |m| &m.card);
    Matching { on, user, names, card }
}

fn signature(l: &Labels, m: &Matching, buf: &mut Vec<u8>) -> Vec<u8> {
    l.group_key(&m.names, m.on, buf);
    buf.clone()
}

fn set_op(op: TokenId, b: &BinaryExpr, lhs: Vec<Sample>, rhs: Vec<Sample>) -> Vec<Sample> {
    let m = matching(b);
    let mut buf = Vec::new();
    match op {
        T_LAND | T_LUNLESS => {
            let right: HashSet<Vec<u8>> =
                rhs.iter().map(|s| signature(&s.labels, &m, &mut buf)).collect();
            let want = op == T_LAND;
            lhs.into_iter()
                .filter(|s| right.contains(&signature(&s.labels, &m, &mut buf)) == want)
                .collect()
        }
        _ => {
            let left: HashSet<Vec<u8>> =
                lhs.iter().map(|s| signature(&s.labels, &m, &mut buf)).collect();
            let mut out = lhs;
            out.extend(
                rhs.into_iter().filter(|s| !left.contains(&signature(&s.labels, &m, &mut buf))),
            );
            out
        }
    }
}

/// Prometheus' `{a="b"}` form with the name inside the braces (labels.String()).
fn braced(l: &Labels) -> String {
    let inner: Vec<String> = l.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
    format!("{{{}}}", inner.join(", "))
}

fn vector_vector(
    op: TokenId,
    b: &BinaryExpr,
    lhs: Vec<Sample>,
    rhs: Vec<Sample>,
    return_bool: bool,
) -> Result<Vec<Sample>, EvalError> {
    let m = matching(b);
    let (include, one_to_many) = match m.card {
        VectorMatchCardinality::ManyToOne(l) => (Some(&l.labels), false),
        VectorMatchCardinality::OneToMany(l) => (Some(&l.labels), true),
        _ => (None, false),
    };
    let (many, one) = if one_to_many { (rhs, lhs) } else { (lhs, rhs) };
    let mut buf = Vec::new();
    let mut one_sigs: HashMap<Vec<u8>, &Sample> = HashMap::with_capacity(one.len());
    for s in &one {
        let sig = signature(&s.labels, &m, &mut buf);
        if let Some(dup) = one_sigs.get(&sig) {
            let side = if one_to_many { "left" } else { "right" };
            let matched = s.labels.retain_names(&m.names, m.on);
            let mut pair = [braced(&s.labels), braced(&dup.labels)];
            pair.sort();
            return Err(EvalError::exec(format!(
                "found duplicate series for the match group {} on the {side} hand-side of the operation: [{}, {}];many-to-many matching not allowed: matching labels must be unique on one side",
                braced(&matched),
                pair[0],
                pair[1]
            )));
        }
        one_sigs.insert(sig, s);
    }
    let cmp = is_comparison(op);
    let one_to_one = include.is_none();
    let mut matched: HashMap<Vec<u8>, HashSet<Labels>> = HashMap::new();
    let mut out = Vec::new();
    for s in many {
        let sig = signature(&s.labels, &m, &mut buf);
        let Some(o) = one_sigs.get(&sig) else { continue };
        let (l, r) = if one_to_many { (o.v, s.v) } else { (s.v, o.v) };
        let (mut value, keep) = apply(op, l, r);
        let mut labels = if !cmp { s.labels.without_name() } else { s.labels.clone() };
        if one_to_one {
            labels = labels.retain_names(&m.user, m.on);
        }
        if let Some(inc) = include {
            for n in inc {
                labels = labels.with(n, o.labels.get(n).unwrap_or(""));
            }
        }
        if return_bool {
            labels = labels.without_name();
        }
        let seen = matched.entry(sig).or_default();
        if one_to_one {
            if !seen.is_empty() {
                return Err(EvalError::exec(
                    "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)",
                ));
            }
        } else if seen.contains(&labels) {
            return Err(EvalError::exec(
                "multiple matches for labels: grouping labels must ensure unique results",
            ));
        }
        seen.insert(labels.clone());
        if return_bool {
            value = if keep { 1.0 } else { 0.0 };
        } else if !keep {
            continue;
        }
        out.push(Sample { labels, t: s.t, v: value });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::promql::testutil::{err, load, q};

    fn st() -> crate::promql::Storage {
        load(
            60_000,
            &[
                r#"req{job="a", inst="1"} 10"#,
                r#"req{job="a", inst="2"} 20"#,
                r#"req{job="b", inst="1"} 30"#,
                r#"lim{job="a"} 15"#,
                r#"lim{job="b"} 100"#,
                r#"up{job="a", inst="1"} 1"#,
                r#"up{job="a", inst="2"} 0"#,
            ],
        )
    }

    #[test]
    fn scalars_and_vector_scalar() {
        let s = st();
        assert_eq!(q(&s, "1 + 2 * 3", 0), ["scalar 7"]);
        assert_eq!(q(&s, "2 ^ 3 % 5", 0), ["scalar 3"]);
        assert_eq!(q(&s, "1 < bool 2", 0), ["scalar 1"]);
        assert_eq!(
            q(&s, r#"req{job="b"} * 2"#, 0),
            [r#"{inst="1", job="b"} 60"#],
            "arithmetic drops the name"
        );
        assert_eq!(q(&s, "req > 15", 0).len(), 2, "comparison filters");
        assert_eq!(
            q(&s, r#"req{job="b"} > 15"#, 0),
            [r#"req{inst="1", job="b"} 30"#],
            "and keeps the name"
        );
        assert_eq!(q(&s, r#"req{job="b"} > bool 50"#, 0), [r#"{inst="1", job="b"} 0"#]);
        assert_eq!(
            q(&s, r#"100 > req{job="b"}"#, 0),
            [r#"req{inst="1", job="b"} 30"#],
            "the vector's value"
        );
    }

    #[test]
    fn vector_matching() {
        let s = st();
        assert_eq!(
            q(&s, "req / on(job) group_left lim", 0),
            [
                r#"{inst="1", job="a"} 0.6666666666666666"#,
                r#"{inst="1", job="b"} 0.3"#,
                r#"{inst="2", job="a"} 1.3333333333333333"#
            ]
        );
        assert_eq!(
            q(&s, "req > ignoring(inst) group_left lim", 0),
            [r#"req{inst="2", job="a"} 20"#]
        );
        assert_eq!(q(&s, "up == 1", 0), [r#"up{inst="1", job="a"} 1"#]);
        assert_eq!(q(&s, "req - up", 0), [r#"{inst="1", job="a"} 9"#, r#"{inst="2", job="a"} 20"#]);
        assert_eq!(
            q(&s, "sum by (job) (req) / on(job) lim", 0),
            [r#"{job="a"} 2"#, r#"{job="b"} 0.3"#]
        );
        let e = err(&s, "req / on(job) lim", 0);
        assert!(
            e.starts_with("multiple matches for labels: many-to-one matching must be explicit"),
            "{e}"
        );
        assert_eq!(q(&s, "lim / on(job) group_right req", 0).len(), 3);
        let e = err(&s, "lim * on(job) group_left req", 0);
        assert!(
            e.starts_with(
                r#"found duplicate series for the match group {job="a"} on the right hand-side"#
            ),
            "{e}"
        );
        assert!(e.ends_with(
            "many-to-many matching not allowed: matching labels must be unique on one side"
        ));
    }

    #[test]
    fn set_operators() {
        let s = st();
        assert_eq!(q(&s, "req and up", 0).len(), 2);
        assert_eq!(q(&s, "req unless up", 0), [r#"req{inst="1", job="b"} 30"#]);
        assert_eq!(q(&s, "req and on(job) lim", 0).len(), 3);
        assert_eq!(q(&s, r#"lim or on(job) req{job="c"}"#, 0).len(), 2);
        assert_eq!(
            q(&s, "up or req", 0).len(),
            3,
            "req series with the same labels as up are dropped"
        );
        assert_eq!(
            err(&s, r#"-{__name__=~"req|up", inst="2"}"#, 0),
            "vector cannot contain metrics with the same labelset"
        );
    }
}
