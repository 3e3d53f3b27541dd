//! Aggregation operators with `by` / `without`: sum, avg, min, max, count, group, stddev,
//! stdvar, topk, bottomk, limitk, quantile, count_values.

use std::collections::HashMap;

use promql_parser::parser::token::{
    T_AVG, T_BOTTOMK, T_COUNT, T_COUNT_VALUES, T_GROUP, T_LIMIT_RATIO, T_LIMITK, T_MAX, T_MIN,
    T_QUANTILE, T_STDDEV, T_STDVAR, T_SUM, T_TOPK,
};
use promql_parser::parser::{AggregateExpr, LabelModifier};

use super::EvalError;
use super::evaluator::Evaluator;
use super::labels::{Labels, METRIC_NAME};
use super::stats::{Mean, format_go_f, kahan_inc, quantile};
use super::value::{Sample, Value};

/// The grouping of an aggregation: `by` keeps the listed labels, `without` drops them and
/// the metric name.
struct Grouping {
    by: bool,
    names: Vec<String>,
}

impl Grouping {
    fn of(a: &AggregateExpr) -> Grouping {
        match &a.modifier {
            Some(LabelModifier::Include(l)) => Grouping { by: true, names: l.labels.clone() },
            Some(LabelModifier::Exclude(l)) => {
                let mut names = l.labels.clone();
                names.push(METRIC_NAME.to_string());
                Grouping { by: false, names }
            }
            None => Grouping { by: true, names: Vec::new() },
        }
    }

    fn key(&self, l: &Labels, buf: &mut Vec<u8>) {
        l.group_key(&self.names, self.by, buf);
    }

    fn labels(&self, l: &Labels) -> Labels {
        l.retain_names(&self.names, self.by)
    }
}

/// Groups sample indexes in order of first appearance.
fn groups(g: &Grouping, v: &[Sample]) -> Vec<Vec<usize>> {
    let mut index: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut buf = Vec::new();
    for (i, s) in v.iter().enumerate() {
        g.key(&s.labels, &mut buf);
        match index.get(&buf) {
            Some(&gi) => out[gi].push(i),
            None => {
                index.insert(buf.clone(), out.len());
                out.push(vec![i]);
            }
        }
    }
    out
}

pub(crate) fn aggregate(ev: &dyn Evaluator, a: &AggregateExpr, t: i64) -> Result<Value, EvalError> {
    let op = a.op.id();
    let g = Grouping::of(a);
    // The parameter is evaluated first, as Prometheus does.
    let param = match &a.param {
        Some(p) if op == T_COUNT_VALUES => Param::Str(ev.eval_string(p, t)?),
        Some(p) => Param::Num(ev.eval_scalar(p, t)?),
        None => Param::None,
    };
    let v = ev.eval_vector(&a.expr, t)?;
    let out = match (op, param) {
        (T_TOPK | T_BOTTOMK | T_LIMITK, Param::Num(k)) => top_k(op, k, &g, v)?,
        (T_LIMIT_RATIO, _) => {
            return Err(EvalError::unsupported(
                "limit_ratio is not supported (it samples by Prometheus' internal label hash)",
            ));
        }
        (T_COUNT_VALUES, Param::Str(name)) => count_values(&name, &g, v, t)?,
        (T_QUANTILE, Param::Num(q)) => groups(&g, &v)
            .into_iter()
            .map(|idx| {
                let mut vals: Vec<f64> = idx.iter().map(|&i| v[i].v).collect();
                Sample { labels: g.labels(&v[idx[0]].labels), t, v: quantile(q, &mut vals) }
            })
            .collect(),
        _ => groups(&g, &v)
            .into_iter()
            .map(|idx| {
                let vals = idx.iter().map(|&i| v[i].v);
                Ok(Sample { labels: g.labels(&v[idx[0]].labels), t, v: simple(op, vals)? })
            })
            .collect::<Result<Vec<_>, EvalError>>()?,
    };
    Ok(Value::Vector(out))
}

enum Param {
    None,
    Num(f64),
    Str(String),
}

fn simple(op: u16, vals: impl Iterator<Item = f64>) -> Result<f64, EvalError> {
    Ok(match op {
        T_SUM => {
            let (mut s, mut c) = (0.0, 0.0);
            for v in vals {
                (s, c) = kahan_inc(v, s, c);
            }
            s + c
        }
        T_AVG => {
            let mut m = Mean::default();
            vals.for_each(|v| m.add(v));
            m.value()
        }
        T_COUNT => vals.count() as f64,
        T_GROUP => 1.0,
        T_MIN | T_MAX => {
            let mut acc = f64::NAN;
            for v in vals {
                let better = if op == T_MAX { acc < v } else { acc > v };
                if better || acc.is_nan() {
                    acc = v;
                }
            }
            acc
        }
        T_STDDEV | T_STDVAR => {
            let (mut n, mut mean, mut m2) = (0.0, 0.0, 0.0);
            for v in vals {
                if v.is_nan() || v.is_infinite() {
                    m2 = f64::NAN;
                    n += 1.0;
                    continue;
                }
                n += 1.0;
                let delta = v - mean;
                mean += delta / n;
                m2 += delta * (v - mean);
            }
            let var = m2 / n;
            if op == T_STDDEV { var.sqrt() } else { var }
        }
        _ => {
            return Err(EvalError::unsupported(format!(
                "aggregation operator {op} is not supported"
            )));
        }
    })
}

fn top_k(op: u16, k: f64, g: &Grouping, v: Vec<Sample>) -> Result<Vec<Sample>, EvalError> {
    if k.is_nan() {
        return Err(EvalError::exec("Parameter value is NaN"));
    }
    let k = if k >= i64::MAX as f64 {
        i64::MAX
    } else if k <= i64::MIN as f64 {
        i64::MIN
    } else {
        k as i64
    };
    if k < 1 {
        return Ok(Vec::new());
    }
    let k = usize::try_from(k).unwrap_or(usize::MAX);
    let mut out = Vec::new();
    for idx in groups(g, &v) {
        let mut members: Vec<&Sample> = idx.iter().map(|&i| &v[i]).collect();
        if op != T_LIMITK {
            // NaN ranks last in both directions; ties keep input order.
            members.sort_by(|a, b| {
                let (x, y) = (a.v, b.v);
                match (x.is_nan(), y.is_nan()) {
                    (true, true) => std::cmp::Ordering::Equal,
                    (true, false) => std::cmp::Ordering::Greater,
                    (false, true) => std::cmp::Ordering::Less,
                    _ if op == T_TOPK => y.total_cmp(&x),
                    _ => x.total_cmp(&y),
                }
            });
        }
        out.extend(members.into_iter().take(k).cloned());
    }
    Ok(out)
}

fn count_values(
    name: &str,
    g: &Grouping,
    v: Vec<Sample>,
    t: i64,
) -> Result<Vec<Sample>, EvalError> {
    if name.is_empty() {
        return Err(EvalError::exec(format!("invalid label name {name:?}")));
    }
    let mut names = g.names.clone();
    if g.by {
        names.push(name.to_string());
    } else {
        names.retain(|n| n != name);
    }
    let g2 = Grouping { by: g.by, names };
    let with_value: Vec<Sample> = v
        .into_iter()
        .map(|s| Sample { labels: s.labels.with(name, &format_go_f(s.v)), t, v: 1.0 })
        .collect();
    Ok(groups(&g2, &with_value)
        .into_iter()
        .map(|idx| Sample { labels: g2.labels(&with_value[idx[0]].labels), t, v: idx.len() as f64 })
        .collect())
}

#[cfg(test)]
mod tests {
    use crate::promql::testutil::{err, load, q};

    fn st() -> crate::promql::Storage {
        load(
            60_000,
            &[
                r#"m{job="a", inst="1"} 1"#,
                r#"m{job="a", inst="2"} 2"#,
                r#"m{job="b", inst="1"} 4"#,
                r#"m{job="b", inst="2"} NaN"#,
            ],
        )
    }

    #[test]
    fn grouping() {
        let s = st();
        assert_eq!(q(&s, r#"sum(m{job="a"})"#, 0), ["{} 3"]);
        assert_eq!(q(&s, "sum by (job) (m)", 0), [r#"{job="a"} 3"#, r#"{job="b"} NaN"#]);
        assert_eq!(
            q(&s, "max without (inst) (m)", 0),
            [r#"{job="a"} 2"#, r#"{job="b"} 4"#],
            "NaN loses"
        );
        assert_eq!(q(&s, "min by (inst) (m)", 0), [r#"{inst="1"} 1"#, r#"{inst="2"} 2"#]);
        assert_eq!(q(&s, "count(m)", 0), ["{} 4"]);
        assert_eq!(q(&s, "group by (job) (m)", 0), [r#"{job="a"} 1"#, r#"{job="b"} 1"#]);
        assert_eq!(q(&s, r#"avg(m{job="a"})"#, 0), ["{} 1.5"]);
        assert_eq!(q(&s, r#"stddev(m{job="a"})"#, 0), ["{} 0.5"]);
        assert_eq!(q(&s, r#"stdvar(m{job="a"})"#, 0), ["{} 0.25"]);
        assert_eq!(q(&s, r#"quantile(0.5, m{inst="1"})"#, 0), ["{} 2.5"]);
        assert_eq!(q(&s, "sum by (nope) (m)", 0), ["{} NaN"]);
    }

    #[test]
    fn topk_bottomk_and_count_values() {
        let s = st();
        assert_eq!(q(&s, "topk(1, m)", 0), [r#"m{inst="1", job="b"} 4"#]);
        assert_eq!(
            q(&s, "bottomk by (job) (1, m)", 0),
            [r#"m{inst="1", job="a"} 1"#, r#"m{inst="1", job="b"} 4"#]
        );
        assert!(q(&s, "topk(0, m)", 0).is_empty());
        assert_eq!(
            err(&s, "topk(scalar(m{job=\"b\", inst=\"2\"}), m)", 0),
            "Parameter value is NaN"
        );
        assert_eq!(q(&s, r#"count_values("v", m{job="a"})"#, 0), [r#"{v="1"} 1"#, r#"{v="2"} 1"#]);
        assert_eq!(
            q(&s, r#"count_values by (job) ("v", m > 1)"#, 0),
            [r#"{job="a", v="2"} 1"#, r#"{job="b", v="4"} 1"#]
        );
    }
}
