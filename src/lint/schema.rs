//! Building blocks for strict, positioned schema checks over [`crate::yaml::Node`] trees.
//!
//! A checker walks the tree with a [`Ctx`]: `ctx.map(node, "scrape config", FIELDS)` reports
//! a node that is not a mapping, unknown fields (with a "did you mean" hint) and duplicate
//! keys, and returns the fields; value helpers (`string`, `duration`, `regex`, ...) report a
//! wrong type or format at the value's position and return `None`. Nothing stops at the
//! first problem: one run reports everything.

pub mod values;

use std::collections::HashMap;

use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::yaml::{Key, Node, Pos, Value};

/// Stable IDs of the generic schema checks.
pub const UNKNOWN_FIELD: &str = "yaml/unknown-field";
pub const DUPLICATE_KEY: &str = "yaml/duplicate-key";
pub const WRONG_TYPE: &str = "yaml/type";
pub const BAD_VALUE: &str = "yaml/value";
pub const MISSING_FIELD: &str = "yaml/missing-field";

/// A value read from a mapping, with the positions of its value and of its key.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sp<T> {
    pub v: T,
    pub pos: Pos,
    pub key: Pos,
}

impl<T> Sp<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Sp<U> {
        Sp { v: f(self.v), pos: self.pos, key: self.key }
    }
}

/// How a Go integer field takes what YAML wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntRule {
    /// Prometheus' loader: a finite float is truncated (`1.9` → 1), a number in a string
    /// is read.
    Truncate,
    /// Alertmanager's: an integer, or a float that is a whole number (`3.0`); `1.5` and
    /// strings are refused.
    Whole,
}

/// `what: name`, or `name` when `what` is empty: how a field is named in messages.
pub fn label(what: &str, name: &str) -> String {
    if what.is_empty() { name.to_string() } else { format!("{what}: {name}") }
}

/// The latest of the positions given: where the last written of conflicting settings is.
pub fn latest(ps: &[Option<Pos>]) -> Option<Pos> {
    ps.iter().flatten().copied().max()
}

/// Where diagnostics go while checking one file.
#[derive(Debug)]
pub struct Ctx<'a> {
    /// The file as shown to the user.
    pub path: &'a str,
    pub diags: &'a mut Vec<Diagnostic>,
}

/// The fields of a mapping that passed [`Ctx::map`].
#[derive(Debug, Clone, Copy)]
pub struct Fields<'n> {
    pub node: &'n Node,
}

impl<'n> Fields<'n> {
    /// The value of `name` (the last one if duplicated, as Go's decoder does), skipping
    /// explicit nulls (`key:` with nothing is treated as absent, like Go's zero value).
    pub fn get(&self, name: &str) -> Option<&'n Node> {
        self.node.get(name).filter(|n| !n.is_null())
    }

    /// The value even when it is null.
    pub fn get_raw(&self, name: &str) -> Option<&'n Node> {
        self.node.get(name)
    }

    /// Where the key `name` is written.
    pub fn key_pos(&self, name: &str) -> Option<Pos> {
        self.node.get_key(name).map(|(k, _)| k.pos)
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// All entries in source order.
    pub fn entries(&self) -> &'n [(Key, Node)] {
        self.node.as_map().unwrap_or(&[])
    }

    /// Position of the mapping itself.
    pub fn pos(&self) -> Pos {
        self.node.pos
    }
}

impl<'a> Ctx<'a> {
    pub fn new(path: &'a str, diags: &'a mut Vec<Diagnostic>) -> Self {
        Ctx { path, diags }
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub fn error(&mut self, pos: Pos, code: &'static str, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(self.path, pos, code, msg));
    }

    pub fn warning(&mut self, pos: Pos, code: &'static str, msg: impl Into<String>) {
        self.diags.push(Diagnostic::warning(self.path, pos, code, msg));
    }

    pub fn report(
        &mut self,
        severity: Severity,
        pos: Pos,
        code: &'static str,
        msg: impl Into<String>,
    ) {
        self.diags.push(Diagnostic::new(self.path, pos, severity, code, msg));
    }

    /// Number of errors reported so far (for this file and any before it in `diags`).
    pub fn error_count(&self) -> usize {
        self.diags.iter().filter(|d| d.severity == Severity::Error).count()
    }

    /// Check that `node` is a mapping whose keys are all in `known`, without duplicates.
    /// `what` names the object in messages ("scrape config", "route"). A null node is an
    /// empty mapping. Returns `None` (after reporting) when it is not a mapping.
    pub fn map<'n>(&mut self, node: &'n Node, what: &str, known: &[&str]) -> Option<Fields<'n>> {
        let entries = match &node.value {
            Value::Map(m) => m,
            Value::Null { .. } => return Some(Fields { node }),
            _ => {
                self.error(
                    node.pos,
                    WRONG_TYPE,
                    format!("{what}: expected a mapping, got a {}", node.type_name()),
                );
                return None;
            }
        };
        let reps = repeats(entries);
        let mut reps = reps.iter().peekable();
        for (i, (k, _)) in entries.iter().enumerate() {
            if let Some((_, first)) = reps.next_if(|(j, _)| *j == i) {
                self.error(
                    k.pos,
                    DUPLICATE_KEY,
                    format!(
                        "{what}: key `{}` is already set at line {}; YAML keys must be unique",
                        k.name, first.line
                    ),
                );
            }
            if !known.contains(&k.name.as_str()) {
                let mut d = Diagnostic::error(
                    self.path,
                    k.pos,
                    UNKNOWN_FIELD,
                    format!("{what}: unknown field `{}`", k.name),
                );
                if let Some(s) = did_you_mean(&k.name, known) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                self.diags.push(d);
            }
        }
        Some(Fields { node })
    }

    /// Report duplicate keys of a free-form mapping (labels, annotations) and return it.
    pub fn free_map<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [(Key, Node)]> {
        match &node.value {
            Value::Map(m) => {
                for (i, first) in repeats(m) {
                    let k = &m[i].0;
                    self.error(
                        k.pos,
                        DUPLICATE_KEY,
                        format!("{what}: key `{}` is already set at line {}", k.name, first.line),
                    );
                }
                Some(m)
            }
            Value::Null { .. } => Some(&[]),
            _ => {
                self.error(
                    node.pos,
                    WRONG_TYPE,
                    format!("{what}: expected a mapping, got a {}", node.type_name()),
                );
                None
            }
        }
    }

    /// A required field: reports `what: field is missing` at the mapping when absent.
    pub fn require<'n>(&mut self, f: &Fields<'n>, name: &str, what: &str) -> Option<&'n Node> {
        let v = f.get(name);
        if v.is_none() {
            self.error(f.pos(), MISSING_FIELD, format!("{what}: `{name}` is required"));
        }
        v
    }

    /// A string field of `f` (any scalar reads as its text, as Go reads string fields);
    /// absent or null: `None`. Messages name it `what: name` (`name` when `what` is "").
    /// The one string reader of every checker (Prometheus, Alertmanager, HTTP clients).
    pub fn str_field<'n>(&mut self, f: &Fields<'n>, name: &str, what: &str) -> Option<Sp<&'n str>> {
        let n = f.get(name)?;
        let v = self.string(n, &label(what, name))?;
        Some(Sp { v, pos: n.pos, key: f.key_pos(name).unwrap_or(n.pos) })
    }

    /// A boolean field as `yaml.v2` reads it (`yes`/`no`/`on`/`off` included).
    pub fn bool_field(&mut self, f: &Fields<'_>, name: &str, what: &str) -> Option<Sp<bool>> {
        let n = f.get(name)?;
        let v = match values::yaml_bool(n) {
            Some(b) => b,
            None => self.bool(n, &label(what, name))?,
        };
        Some(Sp { v, pos: n.pos, key: f.key_pos(name).unwrap_or(n.pos) })
    }

    /// A Go integer field within `min..=max`, decoded by `rule`.
    pub fn int_field(
        &mut self,
        f: &Fields<'_>,
        name: &str,
        what: &str,
        rule: IntRule,
        (min, max): (i64, i64),
    ) -> Option<Sp<i64>> {
        let n = f.get(name)?;
        let v = match (rule, &n.value) {
            (IntRule::Truncate, Value::Float { value, .. })
                if value.is_finite() && value.abs() < 9.2e18 =>
            {
                Some(*value as i64)
            }
            (IntRule::Truncate, Value::Str(s)) => s.trim().parse::<i64>().ok(),
            _ => values::yaml_int(n),
        };
        let label = label(what, name);
        let v = match v {
            Some(i) if (min..=max).contains(&i) => i,
            Some(i) => {
                self.error(
                    n.pos,
                    BAD_VALUE,
                    format!("{label}: {i} is out of range ({min}..={max})"),
                );
                return None;
            }
            None => {
                self.error(
                    n.pos,
                    WRONG_TYPE,
                    format!("{label}: expected an integer, got `{}`", show(n)),
                );
                return None;
            }
        };
        Some(Sp { v, pos: n.pos, key: f.key_pos(name).unwrap_or(n.pos) })
    }

    /// A list. Null is an empty list.
    pub fn list<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [Node]> {
        match &node.value {
            Value::Seq(v) => Some(v),
            Value::Null { .. } => Some(&[]),
            _ => {
                self.error(
                    node.pos,
                    WRONG_TYPE,
                    format!("{what}: expected a list, got a {}", node.type_name()),
                );
                None
            }
        }
    }

    /// A string field. Plain scalars of other types are read as their text (as Go does for
    /// string fields); lists and mappings are errors.
    pub fn string<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n str> {
        match node.scalar_text() {
            Some(s) => Some(s),
            None if node.is_null() => Some(""),
            None => {
                self.error(
                    node.pos,
                    WRONG_TYPE,
                    format!("{what}: expected a string, got a {}", node.type_name()),
                );
                None
            }
        }
    }

    /// A list of strings.
    pub fn strings<'n>(&mut self, node: &'n Node, what: &str) -> Option<Vec<(&'n str, Pos)>> {
        let items = self.list(node, what)?;
        let mut out = Vec::with_capacity(items.len());
        for it in items {
            if let Some(s) = self.string(it, what) {
                out.push((s, it.pos));
            }
        }
        Some(out)
    }

    pub fn bool(&mut self, node: &Node, what: &str) -> Option<bool> {
        match &node.value {
            Value::Bool { value, .. } => Some(*value),
            Value::Str(s) if s == "true" || s == "false" => Some(s == "true"),
            _ => {
                self.error(
                    node.pos,
                    WRONG_TYPE,
                    format!("{what}: expected true or false, got `{}`", show(node)),
                );
                None
            }
        }
    }

    /// An integer within `min..=max`.
    pub fn int(&mut self, node: &Node, what: &str, min: i64, max: i64) -> Option<i64> {
        let v = match &node.value {
            Value::Int { value, .. } => Some(*value),
            Value::Str(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        match v {
            Some(i) if i >= min && i <= max => Some(i),
            Some(i) => {
                self.error(
                    node.pos,
                    BAD_VALUE,
                    format!("{what}: {i} is out of range ({min}..={max})"),
                );
                None
            }
            None => {
                self.error(
                    node.pos,
                    WRONG_TYPE,
                    format!("{what}: expected an integer, got `{}`", show(node)),
                );
                None
            }
        }
    }

    pub fn float(&mut self, node: &Node, what: &str) -> Option<f64> {
        match node.as_f64() {
            Some(f) => Some(f),
            None => match node.as_str().and_then(|s| s.trim().parse::<f64>().ok()) {
                Some(f) => Some(f),
                None => {
                    self.error(
                        node.pos,
                        WRONG_TYPE,
                        format!("{what}: expected a number, got `{}`", show(node)),
                    );
                    None
                }
            },
        }
    }

    /// A Prometheus duration (`15s`, `1h30m`, `0`); milliseconds.
    pub fn duration(&mut self, node: &Node, what: &str) -> Option<u64> {
        let s = self.string(node, what)?;
        match parse_duration(s) {
            Ok(ms) => Some(ms),
            Err(e) => {
                self.error(node.pos, BAD_VALUE, format!("{what}: {e}"));
                None
            }
        }
    }

    /// One of a fixed set of values.
    pub fn one_of<'n>(&mut self, node: &'n Node, what: &str, allowed: &[&str]) -> Option<&'n str> {
        let s = self.string(node, what)?;
        if allowed.contains(&s) {
            Some(s)
        } else {
            let mut d = Diagnostic::error(
                self.path,
                node.pos,
                BAD_VALUE,
                format!("{what}: `{s}` is not one of {}", allowed.join(", ")),
            );
            if let Some(h) = did_you_mean(s, allowed) {
                d = d.with_help(format!("did you mean `{h}`?"));
            }
            self.diags.push(d);
            None
        }
    }
}

/// Entries that repeat an earlier key: (index, position of the first occurrence). Small
/// mappings (nearly all) are scanned without allocating; large ones use a hash map.
fn repeats(entries: &[(Key, Node)]) -> Vec<(usize, Pos)> {
    let mut out = Vec::new();
    if entries.len() <= 16 {
        for (i, (k, _)) in entries.iter().enumerate() {
            if let Some((f, _)) = entries[..i].iter().find(|(e, _)| e.name == k.name) {
                out.push((i, f.pos));
            }
        }
    } else {
        let mut seen: HashMap<&str, Pos> = HashMap::with_capacity(entries.len());
        for (i, (k, _)) in entries.iter().enumerate() {
            match seen.get(k.name.as_str()) {
                Some(first) => out.push((i, *first)),
                None => {
                    seen.insert(&k.name, k.pos);
                }
            }
        }
    }
    out
}

/// A short rendering of a scalar for messages.
pub fn show(node: &Node) -> String {
    match node.scalar_text() {
        Some(s) if s.chars().count() > 40 => format!("{}…", s.chars().take(40).collect::<String>()),
        Some(s) => s.to_string(),
        None => node.type_name().to_string(),
    }
}

/// Parse a Prometheus duration (`model.ParseDuration`): `0`, or units in the order
/// y w d h m s ms, each at most once, integers only. Returns milliseconds.
pub fn parse_duration(s: &str) -> Result<u64, String> {
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err("empty duration string".into());
    }
    const UNITS: [(&str, u64); 7] = [
        ("y", 365 * 24 * 3600 * 1000),
        ("w", 7 * 24 * 3600 * 1000),
        ("d", 24 * 3600 * 1000),
        ("h", 3600 * 1000),
        ("m", 60 * 1000),
        ("s", 1000),
        ("ms", 1),
    ];
    let invalid = || format!("not a valid duration string: {s:?}");
    let b = s.as_bytes();
    let mut i = 0;
    let mut next_unit = 0;
    let mut total: u64 = 0;
    while i < b.len() {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return Err(invalid());
        }
        let num: u64 = s[start..i].parse().map_err(|_| "duration out of range".to_string())?;
        let ustart = i;
        while i < b.len() && b[i].is_ascii_alphabetic() {
            i += 1;
        }
        let unit = &s[ustart..i];
        let idx = UNITS[next_unit..].iter().position(|(u, _)| *u == unit).ok_or_else(invalid)?
            + next_unit;
        next_unit = idx + 1;
        total = num
            .checked_mul(UNITS[idx].1)
            .and_then(|v| total.checked_add(v))
            .filter(|v| *v <= i64::MAX as u64 / 1_000_000)
            .ok_or_else(|| "duration out of range".to_string())?;
    }
    Ok(total)
}

/// Parse a base-2 byte size as Prometheus does (`units.ParseBase2Bytes`, see
/// [`values::parse_base2_bytes`]): a number and a unit B, KB, MB, GB, TB, PB, EB (powers of
/// 1024; KiB.. also accepted), or `0`. Negative sizes are refused.
pub fn parse_size(s: &str) -> Result<u64, String> {
    match values::parse_base2_bytes(s) {
        Ok(b) => u64::try_from(b).map_err(|_| format!("not a valid size: {s:?} (negative)")),
        Err(e) => Err(format!("not a valid size: {s:?} ({e}; e.g. 512MB, 5GB)")),
    }
}

pub use crate::suggest::did_you_mean;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    #[test]
    fn field_readers_and_the_integer_rule() {
        let tree = parse("a: 1.9\nb: '5'\nc: 3.0\nd: yes\ne: 7\nf: [x]\n").expect("yaml");
        let mut diags = Vec::new();
        let mut ctx = Ctx::new("f.yml", &mut diags);
        let f = ctx.map(&tree, "x", &["a", "b", "c", "d", "e", "f"]).expect("map");
        let all = (i64::MIN, i64::MAX);
        let int = |ctx: &mut Ctx<'_>, name: &str, rule: IntRule| {
            ctx.int_field(&f, name, "t", rule, all).map(|s| s.v)
        };
        // Prometheus truncates floats and reads numbers in strings; Alertmanager takes whole
        // numbers only.
        assert_eq!(int(&mut ctx, "a", IntRule::Truncate), Some(1));
        assert_eq!(int(&mut ctx, "b", IntRule::Truncate), Some(5));
        assert_eq!(int(&mut ctx, "c", IntRule::Whole), Some(3));
        assert_eq!(ctx.diags.len(), 0);
        assert_eq!(int(&mut ctx, "a", IntRule::Whole), None);
        assert_eq!(int(&mut ctx, "b", IntRule::Whole), None);
        assert_eq!(ctx.int_field(&f, "e", "", IntRule::Whole, (0, 5)).map(|s| s.v), None);
        let got: Vec<(&str, &str)> =
            ctx.diags.iter().map(|d| (d.code, d.message.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (WRONG_TYPE, "t: a: expected an integer, got `1.9`"),
                (WRONG_TYPE, "t: b: expected an integer, got `5`"),
                (BAD_VALUE, "e: 7 is out of range (0..=5)"),
            ]
        );
        assert_eq!(ctx.bool_field(&f, "d", "").map(|b| (b.v, b.key)), Some((true, Pos::new(4, 1))));
        let s = ctx.str_field(&f, "c", "t").expect("a scalar reads as text");
        assert_eq!((s.v, s.pos, s.key), ("3.0", Pos::new(3, 4), Pos::new(3, 1)));
        assert_eq!(ctx.str_field(&f, "f", "t"), None);
        assert_eq!(ctx.diags.last().map(|d| d.code), Some(WRONG_TYPE));
    }

    #[test]
    fn durations_follow_prometheus() {
        assert_eq!(parse_duration("15s"), Ok(15_000));
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("100ms"), Ok(100));
        assert_eq!(parse_duration("1d2h"), Ok(93_600_000));
        assert!(parse_duration("").is_err());
        assert!(parse_duration("15").is_err());
        assert!(parse_duration("1m1h").is_err(), "units out of order");
        assert!(parse_duration("1.5s").is_err());
        assert!(parse_duration("1s1s").is_err());
        assert!(parse_duration("-1s").is_err());
        assert!(parse_duration("99999999999999y").is_err());
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("5GB"), Ok(5 << 30));
        assert_eq!(parse_size("512MB"), Ok(512 << 20));
        assert_eq!(parse_size("0"), Ok(0));
        assert!(parse_size("5 apples").is_err());
        assert!(parse_size("GB").is_err());
    }

    #[test]
    fn did_you_mean_finds_typos_only() {
        let known = ["scrape_interval", "scrape_timeout", "job_name"];
        assert_eq!(did_you_mean("scrape_intervall", &known), Some("scrape_interval"));
        assert_eq!(did_you_mean("jobname", &known), Some("job_name"));
        assert_eq!(did_you_mean("totally_else", &known), None);
    }

    #[test]
    fn map_reports_unknown_and_duplicate_fields_with_positions() {
        let n = parse("job_name: a\nscrape_intervall: 5s\njob_name: b\n").expect("yaml");
        let mut diags = Vec::new();
        let mut ctx = Ctx::new("p.yml", &mut diags);
        let f = ctx.map(&n, "scrape config", &["job_name", "scrape_interval"]).expect("map");
        assert_eq!(f.get("job_name").and_then(Node::as_str), Some("b"));
        assert_eq!(diags.len(), 2, "{diags:?}");
        let unknown = diags.iter().find(|d| d.code == UNKNOWN_FIELD).expect("unknown");
        assert_eq!((unknown.line, unknown.column), (2, 1));
        assert_eq!(unknown.help.as_deref(), Some("did you mean `scrape_interval`?"));
        let dup = diags.iter().find(|d| d.code == DUPLICATE_KEY).expect("dup");
        assert_eq!(dup.line, 3);
    }

    #[test]
    fn value_helpers_report_at_the_value() {
        let n = parse("a: [1]\nb: 15\nc: maybe\nd: 70000\n").expect("yaml");
        let mut diags = Vec::new();
        let mut ctx = Ctx::new("p.yml", &mut diags);
        assert!(ctx.string(n.get("a").expect("a"), "a").is_none());
        assert!(ctx.duration(n.get("b").expect("b"), "b").is_none());
        assert!(ctx.bool(n.get("c").expect("c"), "c").is_none());
        assert!(ctx.int(n.get("d").expect("d"), "d", 0, 65535).is_none());
        let lines: Vec<(u32, u32)> = diags.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(lines, vec![(1, 4), (2, 4), (3, 4), (4, 4)]);
        assert!(diags[1].message.contains("not a valid duration string"));
    }
}
