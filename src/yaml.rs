//! YAML read into a tree where every key and value keeps its line and column.
//!
//! serde-saphyr parses; its `Spanned<T>` gives the position of every node. Checks then walk
//! the tree, so every finding (unknown field, duplicate key, bad duration, semantic problem)
//! carries a position, and one run reports all of them. Duplicate keys are passed through
//! (not rejected by the parser) so the linter can report each with both positions.
//!
//! Plain scalars that YAML resolves to null/bool/int/float keep their source text in `raw`,
//! because Go's YAML decoder (which Prometheus and Alertmanager use) reads them as strings
//! when the field is a string: `replacement: 1.0` means the string "1.0".

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{DuplicateKeyPolicy, Spanned};

/// Largest file `validate` reads (bytes); bigger files are refused with a clear error.
/// The positioned tree, the checks and the source kept for snippets take about 30 times the
/// file's size, so this bounds one file's memory to about 500 MB. The largest real rule
/// files are a few MB (promtool's own `rules_large.yml`, 10 002 rules, is 1.1 MB).
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
/// Deepest nesting accepted.
pub const MAX_DEPTH: usize = 64;
/// Most nodes accepted in one document (16 MiB of rules is about 1.1 million nodes).
pub const MAX_NODES: usize = 2_000_000;

/// A 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub const fn new(line: u32, col: u32) -> Self {
        Pos { line, col }
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// A mapping key with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

/// A YAML node with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
    /// Byte offset of the node in the source (for snippets), when known.
    pub offset: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `~`, `null` or nothing; `raw` is the source text.
    Null {
        raw: String,
    },
    Bool {
        value: bool,
        raw: String,
    },
    Int {
        value: i64,
        raw: String,
    },
    Float {
        value: f64,
        raw: String,
    },
    Str(String),
    Seq(Vec<Node>),
    /// Entries in source order; duplicate keys are kept.
    Map(Vec<(Key, Node)>),
}

/// Why a YAML document could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub pos: Pos,
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pos, self.message)
    }
}

impl std::error::Error for YamlError {}

impl Node {
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Null { .. } => "null",
            Value::Bool { .. } => "boolean",
            Value::Int { .. } => "integer",
            Value::Float { .. } => "number",
            Value::Str(_) => "string",
            Value::Seq(_) => "list",
            Value::Map(_) => "mapping",
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null { .. })
    }

    pub fn is_scalar(&self) -> bool {
        !matches!(self.value, Value::Seq(_) | Value::Map(_))
    }

    /// The text of a scalar as Go's YAML decoder gives it to a string field
    /// (plain `5` is "5"; null is `None`). Not a scalar: `None`.
    pub fn scalar_text(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            Value::Bool { raw, .. } | Value::Int { raw, .. } | Value::Float { raw, .. } => {
                Some(raw)
            }
            _ => None,
        }
    }

    /// A string value only (quoted or plain text that YAML did not resolve to another type).
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool { value, .. } => Some(*value),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match &self.value {
            Value::Int { value, .. } => Some(*value),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match &self.value {
            Value::Int { value, .. } => Some(*value as f64),
            Value::Float { value, .. } => Some(*value),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(v) => Some(v),
            _ => None,
        }
    }

    /// The last value of `key` in a mapping (Go's decoder keeps the last duplicate too).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?.iter().rev().find(|(k, _)| k.name == key).map(|(_, v)| v)
    }

    /// The key entry (with its position) of `key` in a mapping.
    pub fn get_key(&self, key: &str) -> Option<(&Key, &Node)> {
        self.as_map()?.iter().rev().find(|(k, _)| k.name == key).map(|(k, v)| (k, v))
    }

    /// Number of nodes in this subtree (this one included).
    pub fn count(&self) -> usize {
        1 + match &self.value {
            Value::Seq(v) => v.iter().map(Node::count).sum(),
            Value::Map(v) => v.iter().map(|(_, n)| n.count()).sum(),
            _ => 0,
        }
    }
}

/// Parse one YAML document (an empty document is a null node at 1:1).
pub fn parse(src: &str) -> Result<Node, YamlError> {
    if src.len() > MAX_FILE_BYTES {
        return Err(YamlError {
            pos: Pos::new(1, 1),
            message: format!(
                "file is {} bytes; files over {} MiB are refused",
                src.len(),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        });
    }
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_nodes = MAX_NODES;
    budget.max_events = MAX_NODES * 3;
    budget.max_total_scalar_bytes = MAX_FILE_BYTES;
    let mut options = serde_saphyr::Options::default();
    options.duplicate_keys = DuplicateKeyPolicy::PassThrough;
    options.budget = Some(budget);
    // Comments are not needed, and buffering them caps how many comment lines may stand
    // in a row (96): real configs (Prometheus' own examples) have longer comment blocks.
    options.emit_comments = false;

    if src.trim().is_empty() || only_comments(src) {
        return Ok(Node {
            pos: Pos::new(1, 1),
            value: Value::Null { raw: String::new() },
            offset: Some(0),
        });
    }
    let spanned: Spanned<RawNode> =
        serde_saphyr::from_str_with_options(src, options).map_err(|e| convert_error(&e))?;
    Ok(finish(spanned, src))
}

/// One document of a multi-document YAML stream, with the line it starts on.
#[derive(Debug, Clone)]
pub struct Document {
    /// 1-based line of the document's first content line (after its `---`, if any).
    pub first_line: u32,
    pub tree: Result<Node, YamlError>,
}

/// Parse a stream of YAML documents separated by `---` lines (Sloth and OpenSLO specs,
/// Kubernetes-style files). Positions are those of the whole file. Documents that hold
/// nothing but comments are left out.
pub fn parse_documents(src: &str) -> Vec<Document> {
    // Split at lines that start a document (`---`, optionally followed by a space or a
    // comment); each piece is parsed with the lines before it blanked out, so line numbers
    // stay those of the file; byte offsets are then moved to the piece's place.
    let mut starts = vec![0usize];
    let mut off = 0usize;
    for line in src.split_inclusive('\n') {
        let t = line.trim_end_matches(['\n', '\r']);
        if off > 0 && (t == "---" || t.starts_with("--- ") || t.starts_with("---\t")) {
            starts.push(off);
        }
        off += line.len();
    }
    let mut out = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(src.len());
        let piece = &src[start..end];
        if only_comments(piece) {
            continue;
        }
        let lines_before = src[..start].matches('\n').count();
        let mut padded = "\n".repeat(lines_before);
        padded.push_str(piece);
        let first_line = (lines_before
            + piece
                .lines()
                .take_while(|l| {
                    let t = l.trim();
                    t.is_empty() || t.starts_with('#') || t.starts_with("---")
                })
                .count()
            + 1) as u32;
        let tree = parse(&padded).map(|mut n| {
            shift_offsets(&mut n, start, lines_before);
            n
        });
        out.push(Document { first_line, tree });
    }
    out
}

fn shift_offsets(n: &mut Node, start: usize, padding: usize) {
    if let Some(o) = n.offset.as_mut() {
        *o = o.saturating_sub(padding) + start;
    }
    match &mut n.value {
        Value::Seq(items) => items.iter_mut().for_each(|i| shift_offsets(i, start, padding)),
        Value::Map(entries) => {
            entries.iter_mut().for_each(|(_, v)| shift_offsets(v, start, padding))
        }
        _ => {}
    }
}

fn only_comments(src: &str) -> bool {
    src.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

fn convert_error(e: &serde_saphyr::Error) -> YamlError {
    let pos = e
        .location()
        .map(|l| Pos::new(l.line() as u32, l.column() as u32))
        .filter(|p| p.line > 0)
        .unwrap_or(Pos::new(1, 1));
    let rendered = e.without_snippet().to_string();
    YamlError { pos, message: clean_message(&rendered) }
}

/// serde-saphyr messages look like `error: line 2 column 1: duplicate ...` followed by a
/// snippet; keep the sentence only.
fn clean_message(s: &str) -> String {
    let first = s.lines().next().unwrap_or(s).trim();
    let mut m = first.strip_prefix("error: ").unwrap_or(first);
    if let Some(rest) = m.strip_prefix("line ")
        && let Some(i) = rest.find(": ")
    {
        m = &rest[i + 2..];
    }
    if let Some(i) = m.find(" at line ") {
        m = &m[..i];
    }
    // Advice about the parser's own options means nothing to the user; say what is wrong.
    if let Some(i) = m.find(". If you just use !!binary") {
        m = &m[..i];
    }
    if m.starts_with("!!binary scalar is not valid UTF-8") {
        return "a !!binary value that is not valid UTF-8 text (label names and values must be UTF-8)"
            .into();
    }
    m.trim().to_string()
}

fn pos_of<T>(s: &Spanned<T>) -> Pos {
    Pos::new(s.referenced.line() as u32, s.referenced.column() as u32)
}

fn offset_of<T>(s: &Spanned<T>) -> Option<usize> {
    s.referenced.span().byte_offset().map(|o| o as usize)
}

fn raw_text<T>(s: &Spanned<T>, src: &str) -> String {
    let span = s.referenced.span();
    match (span.byte_offset(), span.byte_len()) {
        (Some(o), Some(l)) => src.get(o as usize..(o + l) as usize).unwrap_or("").to_string(),
        _ => String::new(),
    }
}

fn finish(s: Spanned<RawNode>, src: &str) -> Node {
    let pos = pos_of(&s);
    let offset = offset_of(&s);
    let value = match s.value {
        RawNode::Null => Value::Null { raw: raw_text(&s, src) },
        RawNode::Bool(b) => Value::Bool { value: b, raw: raw_text(&s, src) },
        RawNode::Int(i) => Value::Int { value: i, raw: raw_text(&s, src) },
        RawNode::Float(f) => Value::Float { value: f, raw: raw_text(&s, src) },
        RawNode::Str(t) => Value::Str(t),
        RawNode::Seq(items) => Value::Seq(items.into_iter().map(|i| finish(i, src)).collect()),
        RawNode::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (Key { pos: pos_of(&k), name: k.value }, finish(v, src)))
                .collect(),
        ),
    };
    Node { pos, value, offset }
}

/// What serde-saphyr hands us; turned into [`Node`] by [`finish`].
enum RawNode {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<RawNode>>),
    Map(Vec<(Spanned<String>, Spanned<RawNode>)>),
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawNode;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E>(self) -> Result<RawNode, E> {
                Ok(RawNode::Null)
            }
            fn visit_none<E>(self) -> Result<RawNode, E> {
                Ok(RawNode::Null)
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<RawNode, D2::Error> {
                RawNode::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<RawNode, E> {
                Ok(RawNode::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<RawNode, E> {
                Ok(RawNode::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<RawNode, E> {
                Ok(match i64::try_from(v) {
                    Ok(i) => RawNode::Int(i),
                    Err(_) => RawNode::Float(v as f64),
                })
            }
            fn visit_i128<E>(self, v: i128) -> Result<RawNode, E> {
                Ok(match i64::try_from(v) {
                    Ok(i) => RawNode::Int(i),
                    Err(_) => RawNode::Float(v as f64),
                })
            }
            fn visit_u128<E>(self, v: u128) -> Result<RawNode, E> {
                Ok(match i64::try_from(v) {
                    Ok(i) => RawNode::Int(i),
                    Err(_) => RawNode::Float(v as f64),
                })
            }
            fn visit_f64<E>(self, v: f64) -> Result<RawNode, E> {
                Ok(RawNode::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<RawNode, E> {
                Ok(RawNode::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<RawNode, E> {
                Ok(RawNode::Str(v))
            }
            fn visit_bytes<E>(self, v: &[u8]) -> Result<RawNode, E> {
                Ok(RawNode::Str(String::from_utf8_lossy(v).into_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<RawNode, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element::<Spanned<RawNode>>()? {
                    v.push(x);
                }
                Ok(RawNode::Seq(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<RawNode, A::Error> {
                let mut v = Vec::new();
                while let Some(k) = a.next_key::<Spanned<KeyText>>()? {
                    let val = a.next_value::<Spanned<RawNode>>()?;
                    let k = Spanned::new(k.value.0, k.referenced, k.defined);
                    v.push((k, val));
                }
                Ok(RawNode::Map(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// A mapping key of any scalar type, as text.
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = KeyText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a scalar mapping key")
            }
            fn visit_str<E>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<KeyText, E> {
                Ok(KeyText(v))
            }
            fn visit_bool<E>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<KeyText, E> {
                Ok(KeyText(String::new()))
            }
            fn visit_none<E>(self) -> Result<KeyText, E> {
                Ok(KeyText(String::new()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_keys_and_values() {
        let n = parse("a: 1\nb:\n  - x\n  - \"5\"\n  - {c: 2.5, d: ~}\n").expect("parses");
        let (k, v) = n.get_key("b").expect("b");
        assert_eq!(k.pos, Pos::new(2, 1));
        let seq = v.as_seq().expect("seq");
        assert_eq!(seq[0].pos, Pos::new(3, 5));
        assert_eq!(seq[1].as_str(), Some("5"));
        let m = &seq[2];
        assert_eq!(m.get("c").and_then(Node::as_f64), Some(2.5));
        assert_eq!(m.get("c").map(|n| n.pos), Some(Pos::new(5, 9)));
        assert!(m.get("d").is_some_and(Node::is_null));
        assert_eq!(n.get("a").and_then(Node::scalar_text), Some("1"));
    }

    #[test]
    fn plain_scalars_keep_their_text() {
        let n = parse("a: 1.0\nb: yes\nc: 0x1F\n").expect("parses");
        assert_eq!(n.get("a").and_then(Node::scalar_text), Some("1.0"));
        assert_eq!(n.get("b").and_then(Node::scalar_text), Some("yes"));
        assert_eq!(n.get("c").and_then(Node::scalar_text), Some("0x1F"));
    }

    #[test]
    fn duplicate_keys_are_kept() {
        let n = parse("a: 1\na: 2\n").expect("parses");
        let m = n.as_map().expect("map");
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].0.pos, Pos::new(2, 1));
        assert_eq!(n.get("a").and_then(Node::as_i64), Some(2));
    }

    #[test]
    fn binary_that_is_not_text_says_so_without_parser_advice() {
        let e = parse("labels:\n  a: !!binary /w==\n").expect_err("not UTF-8");
        assert_eq!(e.pos.line, 2, "{e}");
        assert!(e.message.contains("!!binary value that is not valid UTF-8"), "{}", e.message);
        assert!(!e.message.contains("Options"), "{}", e.message);
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = parse("a: [1, 2\nb: 3\n").expect_err("bad yaml");
        assert_eq!(e.pos.line, 2);
        assert!(!e.message.is_empty());
        assert!(!e.message.contains('\n'), "{}", e.message);
    }

    #[test]
    fn empty_and_comment_only_documents_are_null() {
        assert!(parse("").expect("empty").is_null());
        assert!(parse("# just a comment\n").expect("comment").is_null());
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let e = parse(&deep).expect_err("too deep");
        assert!(!e.message.is_empty());
    }

    #[test]
    fn long_comment_blocks_parse() {
        let text = format!("a:\n{}  b: 1\n", "  # comment\n".repeat(500));
        let n = parse(&text).expect("parses");
        assert_eq!(n.get("a").and_then(|a| a.get("b")).and_then(Node::as_i64), Some(1));
    }

    #[test]
    fn count_nodes() {
        let n = parse("a: [1, 2]\nb: {c: d}\n").expect("parses");
        assert_eq!(n.count(), 6);
    }

    #[test]
    fn documents_keep_file_positions() {
        let src = "# head\na: 1\n---\n# c\nb: 2\n--- # x\nc:\n  d: 3\n---\n";
        let docs = parse_documents(src);
        assert_eq!(docs.len(), 3);
        let b = docs[1].tree.as_ref().expect("b");
        assert_eq!(b.get_key("b").map(|(k, _)| k.pos), Some(Pos::new(5, 1)));
        assert_eq!(docs[1].first_line, 5);
        let c = docs[2].tree.as_ref().expect("c");
        let d = c.get("c").and_then(|c| c.get("d")).expect("d");
        assert_eq!(d.pos, Pos::new(8, 6));
        assert_eq!(d.offset.map(|o| &src[o..o + 1]), Some("3"));
        let bad = parse_documents("a: 1\n---\nb: [\n");
        assert!(bad[1].tree.as_ref().expect_err("syntax").pos.line >= 3);
    }
}
