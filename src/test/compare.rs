//! Expected against got, as promtool compares them (alerts: sorted label sets and
//! annotations, equal; samples: sorted by labels, values equal, or within one ULP with
//! `fuzzy_compare`), and the expected-vs-got diff shown when they differ.

use std::collections::BTreeMap;

use crate::promql::Labels;
use crate::test::histogram::Hist;
use crate::test::report::{DiffKind, DiffLine};

/// An alert as compared: its labels and annotations.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AlertItem {
    pub labels: Labels,
    pub annotations: BTreeMap<String, String>,
}

impl AlertItem {
    pub fn text(&self) -> String {
        if self.annotations.is_empty() {
            return self.labels.to_string();
        }
        let ann: Vec<String> =
            self.annotations.iter().map(|(k, v)| format!("{k}={}", quote(v))).collect();
        format!("{} annotations {{{}}}", self.labels, ann.join(", "))
    }
}

fn quote(s: &str) -> String {
    format!("{s:?}")
}

/// Compare alerts; `None` when equal, else the diff.
pub fn alerts(mut exp: Vec<AlertItem>, mut got: Vec<AlertItem>) -> Option<Vec<DiffLine>> {
    exp.sort();
    got.sort();
    if exp == got {
        return None;
    }
    let mut diff = Vec::new();
    let mut rest: Vec<Option<AlertItem>> = got.into_iter().map(Some).collect();
    for e in &exp {
        match rest.iter_mut().find(|g| g.as_ref() == Some(e)) {
            Some(slot) => {
                *slot = None;
                diff.push(DiffLine { kind: DiffKind::Same, text: e.text() });
            }
            None => diff.push(DiffLine { kind: DiffKind::Expected, text: e.text() }),
        }
    }
    for g in rest.into_iter().flatten() {
        diff.push(DiffLine { kind: DiffKind::Got, text: g.text() });
    }
    if exp.is_empty() {
        diff.insert(0, DiffLine { kind: DiffKind::Expected, text: "no alert firing".into() });
    }
    if diff.iter().all(|d| d.kind != DiffKind::Got) {
        diff.push(DiffLine {
            kind: DiffKind::Got,
            text: "(the alerts marked - are not firing)".into(),
        });
    }
    Some(diff)
}

/// A sample as compared: a float, or a native histogram.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleItem {
    pub labels: Labels,
    pub value: f64,
    pub hist: Option<Hist>,
}

impl SampleItem {
    pub fn float(labels: Labels, value: f64) -> Self {
        SampleItem { labels, value, hist: None }
    }

    fn text(&self) -> String {
        match &self.hist {
            Some(h) => format!("{} {}", self.labels, h.text()),
            None => format!("{} {}", self.labels, crate::promql::value::format_float(self.value)),
        }
    }

    fn same_value(&self, o: &SampleItem, fuzzy: bool) -> bool {
        match (&self.hist, &o.hist) {
            (None, None) => float_eq(self.value, o.value, fuzzy),
            (Some(a), Some(b)) => crate::test::histogram::equal(a, b),
            _ => false,
        }
    }
}

/// Equal floats: identical, both NaN, or (fuzzy) at most one ULP apart.
pub fn float_eq(a: f64, b: f64, fuzzy: bool) -> bool {
    if a == b || (a.is_nan() && b.is_nan()) {
        return true;
    }
    fuzzy && a.is_finite() && b.is_finite() && next_toward(a, b) == b
}

/// Go's `math.Nextafter(a, b)` for finite `a != b`.
fn next_toward(a: f64, b: f64) -> f64 {
    if a == 0.0 {
        let tiny = f64::from_bits(1);
        return if b > 0.0 { tiny } else { -tiny };
    }
    let bits = a.to_bits();
    let up = (b > a) == (a > 0.0);
    f64::from_bits(if up { bits + 1 } else { bits - 1 })
}

/// Compare samples; `None` when equal, else the diff.
pub fn samples(
    mut exp: Vec<SampleItem>,
    mut got: Vec<SampleItem>,
    fuzzy: bool,
) -> Option<Vec<DiffLine>> {
    exp.sort_by(|a, b| a.labels.cmp(&b.labels));
    got.sort_by(|a, b| a.labels.cmp(&b.labels));
    let equal = exp.len() == got.len()
        && exp.iter().zip(&got).all(|(e, g)| e.labels == g.labels && e.same_value(g, fuzzy));
    if equal {
        return None;
    }
    let mut diff = Vec::new();
    let mut used = vec![false; got.len()];
    for e in &exp {
        let hit = got.iter().enumerate().find(|(i, g)| !used[*i] && g.labels == e.labels);
        match hit {
            Some((i, g)) => {
                used[i] = true;
                if e.same_value(g, fuzzy) {
                    diff.push(DiffLine { kind: DiffKind::Same, text: e.text() });
                } else {
                    diff.push(DiffLine { kind: DiffKind::Expected, text: e.text() });
                    diff.push(DiffLine { kind: DiffKind::Got, text: g.text() });
                }
            }
            None => diff.push(DiffLine { kind: DiffKind::Expected, text: e.text() }),
        }
    }
    for (i, g) in got.iter().enumerate() {
        if !used[i] {
            diff.push(DiffLine { kind: DiffKind::Got, text: g.text() });
        }
    }
    if exp.is_empty() {
        diff.insert(0, DiffLine { kind: DiffKind::Expected, text: "no samples".into() });
    }
    if got.is_empty() {
        diff.push(DiffLine { kind: DiffKind::Got, text: "no samples".into() });
    }
    Some(diff)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(pairs: &[(&str, &str)]) -> Labels {
        Labels::new(pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())))
    }

    #[test]
    fn fuzzy_is_one_ulp() {
        assert!(float_eq(3.0, 3.0, false));
        assert!(!float_eq(2.9999999999999996, 3.0, false));
        assert!(float_eq(2.9999999999999996, 3.0, true));
        assert!(float_eq(3.0000000000000004, 3.0, true));
        assert!(!float_eq(2.9999999999999987, 3.0, true));
        assert!(!float_eq(3.0000000000000013, 3.0, true));
        assert!(float_eq(f64::NAN, f64::NAN, false));
        assert!(float_eq(0.0, f64::from_bits(1), true));
    }

    #[test]
    fn sample_diffs() {
        let e = vec![SampleItem::float(l(&[("__name__", "up"), ("a", "1")]), 1.0)];
        let g = vec![
            SampleItem::float(l(&[("__name__", "up"), ("a", "1")]), 2.0),
            SampleItem::float(l(&[("__name__", "up"), ("a", "2")]), 1.0),
        ];
        assert!(samples(e.clone(), e.clone(), false).is_none());
        let d = samples(e, g, false).expect("differs");
        let kinds: Vec<DiffKind> = d.iter().map(|x| x.kind).collect();
        assert_eq!(kinds, vec![DiffKind::Expected, DiffKind::Got, DiffKind::Got]);
        assert_eq!(d[0].text, "up{a=\"1\"} 1");
        assert_eq!(d[1].text, "up{a=\"1\"} 2");
    }

    #[test]
    fn histograms_compare_by_value() {
        let h = |t: &str| crate::test::histogram::parse_expected(t).expect("histogram");
        let item =
            |t: &str| SampleItem { labels: l(&[("__name__", "h")]), value: 0.0, hist: Some(h(t)) };
        let a = "{{count:4 sum:5.6 buckets:[4]}}";
        assert!(samples(vec![item(a)], vec![item(a)], false).is_none());
        let d = samples(vec![item("{{count:4 sum:5.7 buckets:[4]}}")], vec![item(a)], true)
            .expect("differs");
        assert_eq!(d[0].kind, DiffKind::Expected);
        assert_eq!(d[1].text, "h {{schema:0 count:4 sum:5.6 buckets:[0:4]}}");
        // A float expectation never equals a histogram sample.
        assert!(
            samples(vec![SampleItem::float(l(&[("__name__", "h")]), 0.0)], vec![item(a)], false)
                .is_some()
        );
    }

    #[test]
    fn alert_diffs() {
        let a = |sev: &str| AlertItem {
            labels: l(&[("alertname", "Down"), ("severity", sev)]),
            annotations: [("summary".to_string(), "x".to_string())].into_iter().collect(),
        };
        assert!(alerts(vec![a("page")], vec![a("page")]).is_none());
        let d = alerts(vec![a("page")], vec![a("warn")]).expect("differs");
        assert_eq!(d[0].kind, DiffKind::Expected);
        assert_eq!(
            d[0].text,
            "{alertname=\"Down\", severity=\"page\"} annotations {summary=\"x\"}"
        );
        assert_eq!(d[1].kind, DiffKind::Got);
        let d = alerts(vec![], vec![a("page")]).expect("differs");
        assert_eq!(d[0].text, "no alert firing");
    }
}
