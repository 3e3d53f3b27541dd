//! In-memory series store for test data: series kept sorted by labels, indexed by metric name,
//! samples in time order per series.

use std::collections::HashMap;

use promql_parser::label::{MatchOp, Matcher, Matchers};

use super::labels::{Labels, METRIC_NAME};
use super::value::is_stale;

/// One stored series: timestamps (ms) and values in time order.
#[derive(Debug, Clone)]
pub struct StoredSeries {
    pub labels: Labels,
    pub ts: Vec<i64>,
    pub vs: Vec<f64>,
}

impl StoredSeries {
    /// The latest sample at or before `t` and after `t - lookback` (left-open), unless it is
    /// a stale marker.
    pub fn sample_at(&self, t: i64, lookback: i64) -> Option<(i64, f64)> {
        let i = self.ts.partition_point(|&x| x <= t);
        if i == 0 {
            return None;
        }
        let (st, v) = (self.ts[i - 1], self.vs[i - 1]);
        if st <= t.saturating_sub(lookback) || is_stale(v) { None } else { Some((st, v)) }
    }

    /// The samples in `(from, to]`, stale markers left out.
    pub fn range(&self, from: i64, to: i64, out: &mut Vec<(i64, f64)>) {
        let a = self.ts.partition_point(|&x| x <= from);
        let b = self.ts.partition_point(|&x| x <= to);
        if a < b {
            out.extend(
                self.ts[a..b]
                    .iter()
                    .zip(&self.vs[a..b])
                    .filter(|(_, v)| !is_stale(**v))
                    .map(|(t, v)| (*t, *v)),
            );
        }
    }
}

/// The series store.
#[derive(Debug, Default, Clone)]
pub struct Storage {
    series: Vec<StoredSeries>,
    index: HashMap<Labels, usize>,
    /// Series ids per metric name, sorted by labels.
    by_name: HashMap<String, Vec<usize>>,
    /// All series ids sorted by labels.
    all: Vec<usize>,
}

impl Storage {
    pub fn new() -> Storage {
        Storage::default()
    }

    /// Removes every series.
    pub fn clear(&mut self) {
        *self = Storage::default();
    }

    /// Number of series.
    pub fn len(&self) -> usize {
        self.series.len()
    }

    pub fn is_empty(&self) -> bool {
        self.series.is_empty()
    }

    /// Every series, sorted by labels.
    pub fn series(&self) -> impl Iterator<Item = &StoredSeries> {
        self.all.iter().map(|&i| &self.series[i])
    }

    /// Adds a sample (a stale marker is [`super::value::STALE_NAN`]). Samples normally come in
    /// time order; an earlier one is inserted in place, one at the same time replaces it.
    pub fn add(&mut self, labels: Labels, t_ms: i64, v: f64) {
        let id = match self.index.get(&labels) {
            Some(&id) => id,
            None => self.insert_series(labels),
        };
        let s = &mut self.series[id];
        match s.ts.last() {
            Some(&last) if last > t_ms => {
                let i = s.ts.partition_point(|&x| x < t_ms);
                if s.ts[i] == t_ms {
                    s.vs[i] = v;
                } else {
                    s.ts.insert(i, t_ms);
                    s.vs.insert(i, v);
                }
            }
            Some(&last) if last == t_ms => {
                if let Some(x) = s.vs.last_mut() {
                    *x = v;
                }
            }
            _ => {
                s.ts.push(t_ms);
                s.vs.push(v);
            }
        }
    }

    fn insert_series(&mut self, labels: Labels) -> usize {
        let id = self.series.len();
        let name = labels.name().unwrap_or("").to_string();
        self.series.push(StoredSeries { labels: labels.clone(), ts: Vec::new(), vs: Vec::new() });
        self.index.insert(labels, id);
        let series = &self.series;
        let pos = self.all.partition_point(|&i| series[i].labels < series[id].labels);
        self.all.insert(pos, id);
        let ids = self.by_name.entry(name).or_default();
        let pos = ids.partition_point(|&i| series[i].labels < series[id].labels);
        ids.insert(pos, id);
        id
    }

    /// The series matching a selector (`name` and/or matchers), sorted by labels.
    pub fn select(&self, name: Option<&str>, matchers: &Matchers) -> Vec<&StoredSeries> {
        let eq_name = name.or_else(|| {
            matchers
                .matchers
                .iter()
                .find(|m| m.name == METRIC_NAME && matches!(m.op, MatchOp::Equal))
                .map(|m| m.value.as_str())
        });
        let candidates: &[usize] = match eq_name {
            Some(n) => self.by_name.get(n).map_or(&[], |v| v.as_slice()),
            None => &self.all,
        };
        candidates
            .iter()
            .map(|&i| &self.series[i])
            .filter(|s| {
                name.is_none_or(|n| s.labels.name() == Some(n)) && matches(&s.labels, matchers)
            })
            .collect()
    }
}

/// Whether a label set satisfies all matchers (and one of the `or` groups, if any).
pub fn matches(labels: &Labels, m: &Matchers) -> bool {
    let one = |x: &Matcher| x.is_match(labels.get(&x.name).unwrap_or(""));
    m.matchers.iter().all(one)
        && (m.or_matchers.is_empty() || m.or_matchers.iter().any(|g| g.iter().all(one)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::promql::value::STALE_NAN;

    fn sel(st: &Storage, q: &str) -> Vec<String> {
        let e = promql_parser::parser::parse(q).expect("parses");
        let promql_parser::parser::Expr::VectorSelector(vs) = e else { panic!("not a selector") };
        st.select(vs.name.as_deref(), &vs.matchers).iter().map(|s| s.labels.to_string()).collect()
    }

    #[test]
    fn selects_sorted_by_labels() {
        let mut st = Storage::new();
        for (n, j) in [("b", "2"), ("a", "2"), ("a", "1"), ("c", "1")] {
            st.add(Labels::new([("__name__", n), ("job", j)]), 0, 1.0);
        }
        assert_eq!(sel(&st, "a"), [r#"a{job="1"}"#, r#"a{job="2"}"#]);
        assert_eq!(sel(&st, r#"{job="1"}"#), [r#"a{job="1"}"#, r#"c{job="1"}"#]);
        assert_eq!(sel(&st, r#"{__name__=~"a|b", job!="1"}"#), [r#"a{job="2"}"#, r#"b{job="2"}"#]);
        assert_eq!(sel(&st, r#"a{missing=""}"#).len(), 2);
        assert_eq!(sel(&st, r#"a{missing!=""}"#).len(), 0);
        assert_eq!(st.len(), 4);
        st.clear();
        assert!(st.is_empty());
    }

    #[test]
    fn lookback_is_left_open_and_stale_markers_end_series() {
        let mut st = Storage::new();
        let l = Labels::new([("__name__", "m")]);
        st.add(l.clone(), 0, 1.0);
        st.add(l.clone(), 60_000, 2.0);
        st.add(l.clone(), 120_000, STALE_NAN);
        st.add(l.clone(), 30_000, 1.5); // out of order: inserted in place
        let s = st.series().next().expect("one series");
        assert_eq!(s.ts, [0, 30_000, 60_000, 120_000]);
        assert_eq!(s.sample_at(60_000, 300_000), Some((60_000, 2.0)));
        assert_eq!(s.sample_at(119_999, 300_000), Some((60_000, 2.0)));
        assert_eq!(s.sample_at(120_000, 300_000), None);
        assert_eq!(s.sample_at(59_999 + 300_000, 300_000), None);
        assert_eq!(s.sample_at(-1, 300_000), None);
        assert_eq!(s.sample_at(300_000, 300_000 + 1), None, "stale marker is latest");
        let mut out = Vec::new();
        s.range(0, 120_000, &mut out);
        assert_eq!(out, [(30_000, 1.5), (60_000, 2.0)], "left-open, stale marker dropped");
    }
}
