//! An ordered label set: pairs sorted by name, `__name__` included, shared cheaply (`Arc`).

use std::fmt;
use std::sync::Arc;

/// The label holding the metric name.
pub const METRIC_NAME: &str = "__name__";

/// A label set sorted by name (no duplicate names, no empty values). Cloning is O(1).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Labels(Arc<[(String, String)]>);

impl Labels {
    /// The empty label set.
    pub fn empty() -> Labels {
        Labels(Arc::from(Vec::new()))
    }

    /// From pairs in any order; a later pair wins over an earlier one with the same name and
    /// pairs with an empty value are dropped (an empty value means "no such label" in Prometheus).
    pub fn new<I, K, V>(pairs: I) -> Labels
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let mut v: Vec<(String, String)> =
            pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        // Stable sort keeps insertion order among equal names: the last one wins below.
        v.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(String, String)> = Vec::with_capacity(v.len());
        for p in v {
            match out.last_mut() {
                Some(last) if last.0 == p.0 => *last = p,
                _ => out.push(p),
            }
        }
        out.retain(|(_, v)| !v.is_empty());
        Labels(Arc::from(out))
    }

    /// From pairs already sorted by name, unique and non-empty (not checked in release builds).
    pub fn from_sorted(v: Vec<(String, String)>) -> Labels {
        debug_assert!(v.windows(2).all(|w| w[0].0 < w[1].0));
        Labels(Arc::from(v))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The value of label `name`, if set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(name)).ok().map(|i| self.0[i].1.as_str())
    }

    /// The metric name (`__name__`), if any.
    pub fn name(&self) -> Option<&str> {
        self.get(METRIC_NAME)
    }

    /// A copy with `name` set to `value` (an empty value removes the label).
    pub fn with(&self, name: &str, value: &str) -> Labels {
        if value.is_empty() {
            return self.without(name);
        }
        let mut v: Vec<(String, String)> = Vec::with_capacity(self.0.len() + 1);
        let mut done = false;
        for (k, val) in self.0.iter() {
            if !done && k.as_str() >= name {
                v.push((name.to_string(), value.to_string()));
                done = true;
                if k == name {
                    continue;
                }
            }
            v.push((k.clone(), val.clone()));
        }
        if !done {
            v.push((name.to_string(), value.to_string()));
        }
        Labels(Arc::from(v))
    }

    /// A copy without label `name` (the same set, shared, when it is absent).
    pub fn without(&self, name: &str) -> Labels {
        if self.get(name).is_none() {
            return self.clone();
        }
        Labels(self.0.iter().filter(|(k, _)| k != name).cloned().collect::<Vec<_>>().into())
    }

    /// A copy without the metric name.
    pub fn without_name(&self) -> Labels {
        self.without(METRIC_NAME)
    }

    /// Only the labels whose name is in `names` (`keep`) or not in it (`!keep`).
    pub fn retain_names(&self, names: &[String], keep: bool) -> Labels {
        Labels(
            self.0
                .iter()
                .filter(|(k, _)| names.iter().any(|n| n == k) == keep)
                .cloned()
                .collect::<Vec<_>>()
                .into(),
        )
    }

    /// A stable key of the labels named in `names` (`include`) or of all others (`!include`),
    /// used for grouping and vector matching without building a label set.
    pub fn group_key(&self, names: &[String], include: bool, buf: &mut Vec<u8>) {
        buf.clear();
        for (k, v) in self.0.iter() {
            if names.iter().any(|n| n == k) == include {
                buf.extend_from_slice(k.as_bytes());
                buf.push(0xff);
                buf.extend_from_slice(v.as_bytes());
                buf.push(0xfe);
            }
        }
    }
}

impl fmt::Debug for Labels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Prometheus' form: `name{a="b", c="d"}`, `{a="b"}` without a name, `{}` when empty.
impl fmt::Display for Labels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name();
        if let Some(n) = name.filter(|n| is_legacy_metric_name(n)) {
            f.write_str(n)?;
            if self.0.len() == 1 {
                return Ok(());
            }
        }
        f.write_str("{")?;
        let mut first = true;
        if let Some(n) = name.filter(|n| !is_legacy_metric_name(n)) {
            write_quoted(f, n)?;
            first = false;
        }
        for (k, v) in self.0.iter() {
            if k == METRIC_NAME {
                continue;
            }
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            if is_legacy_label_name(k) {
                f.write_str(k)?;
            } else {
                write_quoted(f, k)?;
            }
            f.write_str("=")?;
            write_quoted(f, v)?;
        }
        f.write_str("}")
    }
}

fn write_quoted(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\t' => f.write_str("\\t")?,
            '\r' => f.write_str("\\r")?,
            c if c.is_control() => write!(f, "\\u{{{:04x}}}", c as u32)?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

/// `[a-zA-Z_:][a-zA-Z0-9_:]*`
pub fn is_legacy_metric_name(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == ':')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// `[a-zA-Z_][a-zA-Z0-9_]*`
pub fn is_legacy_label_name(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_deduplicated_and_empty_values_dropped() {
        let l = Labels::new([("b", "2"), ("a", "1"), ("b", "3"), ("c", "")]);
        assert_eq!(l.iter().collect::<Vec<_>>(), vec![("a", "1"), ("b", "3")]);
        assert_eq!(l.get("b"), Some("3"));
        assert_eq!(l.get("c"), None);
    }

    #[test]
    fn with_and_without() {
        let l = Labels::new([("__name__", "up"), ("job", "x")]);
        assert_eq!(l.name(), Some("up"));
        let l2 = l.with("instance", "i").with("job", "y");
        assert_eq!(l2.to_string(), r#"up{instance="i", job="y"}"#);
        assert_eq!(l2.without_name().to_string(), r#"{instance="i", job="y"}"#);
        assert_eq!(l2.with("job", "").to_string(), r#"up{instance="i"}"#);
        assert_eq!(l.with("zzz", "1").to_string(), r#"up{job="x", zzz="1"}"#);
        assert_eq!(Labels::empty().to_string(), "{}");
        assert_eq!(Labels::new([("__name__", "up")]).to_string(), "up");
    }

    #[test]
    fn display_quotes_and_escapes() {
        let l = Labels::new([("__name__", "my.metric"), ("a b", "x\"y\\\n")]);
        assert_eq!(l.to_string(), r#"{"my.metric", "a b"="x\"y\\\n"}"#);
    }

    #[test]
    fn ordering_and_group_keys() {
        let a = Labels::new([("a", "1")]);
        let b = Labels::new([("a", "2")]);
        assert!(a < b);
        let l = Labels::new([("a", "1"), ("b", "2"), ("c", "3")]);
        let (mut k1, mut k2) = (Vec::new(), Vec::new());
        l.group_key(&["a".into()], true, &mut k1);
        Labels::new([("a", "1"), ("z", "9")]).group_key(&["a".into()], true, &mut k2);
        assert_eq!(k1, k2);
        l.group_key(&["a".into()], false, &mut k2);
        assert_ne!(k1, k2);
        assert_eq!(l.retain_names(&["b".into()], false).to_string(), r#"{a="1", c="3"}"#);
    }
}
