//! The expanding series notation shared by promqltest `load` blocks and promtool's
//! `input_series`: `metric{a="b"} 1+2x10 _ stale 3x5 -1-1x3 _x2`.
//!
//! - `a` one value; `_` no sample; `stale` a stale marker;
//! - `axn` the value `a` n+1 times; `_xn` n missing samples;
//! - `a+bxn` / `a-bxn` n+1 values starting at `a`, adding `b` each time (repeated addition,
//!   as Prometheus does, so float rounding matches upstream).
//!
//! Errors carry the 1-based column (in characters) of the offending token.

use std::fmt;

use super::labels::{Labels, METRIC_NAME};

/// Most values one line may expand to (a typo such as `1x99999999999` is an error, not an OOM).
pub const MAX_VALUES: u64 = 10_000_000;

/// One value of a series line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SeriesValue {
    Float(f64),
    /// A stale marker (`stale`).
    Stale,
}

/// What went wrong in a series line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesErrorKind {
    Syntax,
    /// A native-histogram value (`{{...}}`), which this engine does not store.
    NativeHistogram,
}

/// A positioned error: `column` is 1-based, in characters of the line (or text) given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesError {
    pub column: usize,
    pub message: String,
    pub kind: SeriesErrorKind,
}

impl fmt::Display for SeriesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

impl std::error::Error for SeriesError {}

fn err(text: &str, byte: usize, message: impl Into<String>) -> SeriesError {
    SeriesError {
        column: column(text, byte),
        message: message.into(),
        kind: SeriesErrorKind::Syntax,
    }
}

fn column(text: &str, byte: usize) -> usize {
    text.get(..byte.min(text.len())).map_or(byte, |s| s.chars().count()) + 1
}

/// Parses `metric{a="b"} values...`: the label set and the expanded values (`None` = `_`).
pub fn parse_series_line(line: &str) -> Result<(Labels, Vec<Option<SeriesValue>>), SeriesError> {
    let (labels, used) = parse_series_labels(line)?;
    if used < line.len() && !line[used..].starts_with(char::is_whitespace) {
        return Err(err(line, used, "expected a space between the series and its values"));
    }
    let values = expand_values(&line[used..]).map_err(|mut e| {
        e.column += line[..used].chars().count();
        e
    })?;
    Ok((labels, values))
}

/// Parses the series part at the start of `text` (`metric`, `metric{a="b"}`, `{a="b"}`,
/// `{"utf8.name", a="b"}`), returning the labels and the number of bytes consumed
/// (leading whitespace included).
pub fn parse_series_labels(text: &str) -> Result<(Labels, usize), SeriesError> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    let mut pairs: Vec<(String, String)> = Vec::new();
    let name_start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b':') {
        i += 1;
    }
    if i > name_start {
        if b[name_start].is_ascii_digit() {
            return Err(err(text, name_start, "a metric name cannot start with a digit"));
        }
        pairs.push((METRIC_NAME.to_string(), text[name_start..i].to_string()));
    }
    if i < b.len() && b[i] == b'{' {
        i += 1;
        loop {
            i = skip_ws(b, i);
            if i >= b.len() {
                return Err(err(text, i, "unterminated label set: expected '}'"));
            }
            if b[i] == b'}' {
                i += 1;
                break;
            }
            let (name, quoted, next) = if b[i] == b'"' || b[i] == b'\'' || b[i] == b'`' {
                let (s, n) = parse_string(text, i)?;
                (s, true, n)
            } else {
                let s = i;
                let mut j = i;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                    j += 1;
                }
                if j == s || b[s].is_ascii_digit() {
                    return Err(err(text, s, "expected a label name"));
                }
                (text[s..j].to_string(), false, j)
            };
            i = skip_ws(b, next);
            if i < b.len() && b[i] == b'=' {
                i = skip_ws(b, i + 1);
                if i >= b.len() || !(b[i] == b'"' || b[i] == b'\'' || b[i] == b'`') {
                    return Err(err(text, i, "expected a quoted label value"));
                }
                let (v, n) = parse_string(text, i)?;
                if pairs.iter().any(|(k, _)| *k == name) {
                    return Err(err(text, i, format!("duplicate label name {name:?}")));
                }
                pairs.push((name, v));
                i = n;
            } else if quoted {
                // A bare quoted string is the metric name (UTF-8 syntax).
                if pairs.iter().any(|(k, _)| k == METRIC_NAME) {
                    return Err(err(text, i, "the metric name is given twice"));
                }
                pairs.push((METRIC_NAME.to_string(), name));
            } else {
                return Err(err(text, i, "expected '=' after the label name"));
            }
            i = skip_ws(b, i);
            match b.get(i) {
                Some(b',') => i += 1,
                Some(b'}') => {}
                Some(_) => return Err(err(text, i, "expected ',' or '}' in the label set")),
                None => return Err(err(text, i, "unterminated label set: expected '}'")),
            }
        }
    } else if i == name_start {
        return Err(err(text, i, "expected a metric name or '{'"));
    }
    Ok((Labels::new(pairs), i))
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// A Go string literal at `start` ("...", '...' with escapes, `...` raw): its value and the
/// byte after it.
pub fn parse_string(text: &str, start: usize) -> Result<(String, usize), SeriesError> {
    let quote = text.as_bytes()[start] as char;
    let mut out = String::new();
    let mut it = text[start + 1..].char_indices().peekable();
    while let Some((off, c)) = it.next() {
        let pos = start + 1 + off;
        if c == quote {
            return Ok((out, pos + 1));
        }
        if c == '\n' && quote != '`' {
            break;
        }
        if c != '\\' || quote == '`' {
            out.push(c);
            continue;
        }
        let Some((_, e)) = it.next() else { break };
        let simple = match e {
            'a' => Some('\x07'),
            'b' => Some('\x08'),
            'f' => Some('\x0c'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\x0b'),
            '\\' => Some('\\'),
            '\'' | '"' if e == quote => Some(e),
            _ => None,
        };
        if let Some(c) = simple {
            out.push(c);
            continue;
        }
        let (digits, radix) = match e {
            'x' => (2, 16),
            'u' => (4, 16),
            'U' => (8, 16),
            '0'..='7' => (3, 8),
            _ => return Err(err(text, pos, format!("unknown escape sequence \\{e}"))),
        };
        let mut s = String::new();
        if radix == 8 {
            s.push(e);
        }
        while s.len() < digits {
            match it.next() {
                Some((_, d)) if d.is_digit(radix) => s.push(d),
                _ => return Err(err(text, pos, "invalid escape sequence")),
            }
        }
        let n = u32::from_str_radix(&s, radix).map_err(|_| err(text, pos, "invalid escape"))?;
        if e == 'x' || radix == 8 {
            // A byte: only ASCII is representable in a Rust string.
            if n > 0x7f {
                return Err(err(text, pos, "escaped byte is not valid UTF-8"));
            }
        }
        out.push(char::from_u32(n).ok_or_else(|| err(text, pos, "invalid Unicode code point"))?);
    }
    Err(err(text, start, "unterminated string"))
}

/// Expands the values part of a series line (`1+2x3 _ stale`). Columns are relative to `text`.
pub fn expand_values(text: &str) -> Result<Vec<Option<SeriesValue>>, SeriesError> {
    let mut out: Vec<Option<SeriesValue>> = Vec::new();
    let mut total: u64 = 0;
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if text[i..].starts_with("{{") {
            return Err(SeriesError {
                column: column(text, i),
                message: "native histogram samples ({{...}}) are not supported".into(),
                kind: SeriesErrorKind::NativeHistogram,
            });
        }
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let tok = &text[start..i];
        let items = expand_token(tok).map_err(|(off, m)| err(text, start + off, m))?;
        total += items.count;
        if total > MAX_VALUES {
            return Err(err(
                text,
                start,
                format!("the series expands to more than {MAX_VALUES} values"),
            ));
        }
        items.push_into(&mut out);
    }
    Ok(out)
}

struct Expansion {
    first: Option<SeriesValue>,
    step: f64,
    count: u64,
}

impl Expansion {
    fn push_into(&self, out: &mut Vec<Option<SeriesValue>>) {
        match self.first {
            Some(SeriesValue::Float(mut v)) => {
                for k in 0..self.count {
                    if k > 0 {
                        v += self.step;
                    }
                    out.push(Some(SeriesValue::Float(v)));
                }
            }
            other => out.extend(std::iter::repeat_n(other, self.count as usize)),
        }
    }
}

/// One token: `_`, `_xN`, `stale`, `a`, `axN`, `a+bxN`, `a-bxN`. Errors: byte offset + message.
fn expand_token(tok: &str) -> Result<Expansion, (usize, String)> {
    let (body, times) = match tok.rfind('x') {
        Some(p) => {
            let n = &tok[p + 1..];
            if n.is_empty() || !n.bytes().all(|c| c.is_ascii_digit()) {
                return Err((
                    p + 1,
                    format!("expected a non-negative whole count after 'x', found {n:?}"),
                ));
            }
            let n: u64 =
                n.parse().map_err(|_| (p + 1, "the count after 'x' is too large".to_string()))?;
            (&tok[..p], Some(n))
        }
        None => (tok, None),
    };
    if body.is_empty() {
        return Err((0, "a repetition ('xN') needs a value before it".into()));
    }
    if body == "_" {
        return Ok(Expansion { first: None, step: 0.0, count: times.unwrap_or(1) });
    }
    if body == "stale" {
        if times.is_some() {
            return Err((0, "'stale' cannot be repeated with 'x'".into()));
        }
        return Ok(Expansion { first: Some(SeriesValue::Stale), step: 0.0, count: 1 });
    }
    // a, or a+b / a-b: the sign that splits is not the first character and not after an exponent.
    let bytes = body.as_bytes();
    let split = (1..bytes.len())
        .find(|&k| (bytes[k] == b'+' || bytes[k] == b'-') && !matches!(bytes[k - 1], b'e' | b'E'));
    let (a, b) = match split {
        Some(k) => (&body[..k], Some((k, &body[k..]))),
        None => (body, None),
    };
    let a = parse_number(a)
        .ok_or_else(|| (0, format!("invalid value {a:?}: expected a number, '_' or 'stale'")))?;
    match (b, times) {
        (None, None) => Ok(Expansion { first: Some(SeriesValue::Float(a)), step: 0.0, count: 1 }),
        (None, Some(n)) => {
            Ok(Expansion { first: Some(SeriesValue::Float(a)), step: 0.0, count: n + 1 })
        }
        (Some((k, b)), Some(n)) => {
            let step = parse_number(b).ok_or_else(|| (k, format!("invalid increment {b:?}")))?;
            Ok(Expansion { first: Some(SeriesValue::Float(a)), step, count: n + 1 })
        }
        (Some((k, _)), None) => Err((k, "an increment needs a count: a+bxN".into())),
    }
}

/// A PromQL/Go number: decimal or exponent form, `Inf`/`NaN` in any case, with an optional sign.
pub fn parse_number(s: &str) -> Option<f64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let v = match lower.as_str() {
        "inf" | "infinity" => f64::INFINITY,
        "nan" => f64::NAN,
        _ => {
            if body.is_empty()
                || !body.bytes().all(|c| {
                    c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-' | b'_')
                })
            {
                return None;
            }
            body.replace('_', "").parse::<f64>().ok()?
        }
    };
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn floats(v: &[Option<SeriesValue>]) -> Vec<String> {
        v.iter()
            .map(|x| match x {
                None => "_".into(),
                Some(SeriesValue::Stale) => "stale".into(),
                Some(SeriesValue::Float(f)) => format!("{f}"),
            })
            .collect()
    }

    #[test]
    fn expands_every_form() {
        let v = expand_values("1+2x3 _ stale 3x2 -1-1x2 _x2 4").expect("valid");
        assert_eq!(
            floats(&v),
            ["1", "3", "5", "7", "_", "stale", "3", "3", "3", "-1", "-2", "-3", "_", "_", "4"]
        );
        assert_eq!(
            floats(&expand_values("1e3 -Inf nan +2 0x5").expect("valid")),
            ["1000", "-inf", "NaN", "2", "0", "0", "0", "0", "0", "0"]
        );
        assert_eq!(floats(&expand_values("1e-1+1e1x1").expect("valid")), ["0.1", "10.1"]);
    }

    #[test]
    fn accumulates_by_repeated_addition() {
        let v = expand_values("0+0.1x3").expect("valid");
        let mut acc = 0.0;
        let mut want = vec![Some(SeriesValue::Float(0.0))];
        for _ in 0..3 {
            acc += 0.1;
            want.push(Some(SeriesValue::Float(acc)));
        }
        assert_eq!(v, want);
    }

    #[test]
    fn parses_labels() {
        let (l, v) = parse_series_line(r#"metric{a="b", c='d\n', e=`x\y`} 1 2"#).expect("valid");
        assert_eq!(l.to_string(), r#"metric{a="b", c="d\n", e="x\\y"}"#);
        assert_eq!(v.len(), 2);
        let (l, _) = parse_series_line(r#"{"my.metric", "a.b"="1",} 1"#).expect("valid");
        assert_eq!(l.name(), Some("my.metric"));
        assert_eq!(l.get("a.b"), Some("1"));
        let (l, v) = parse_series_line("up").expect("valid");
        assert_eq!((l.to_string(), v.len()), ("up".to_string(), 0));
        let (l, _) = parse_series_line(r#"{__name__="x", a="\u00e9"} 1"#).expect("valid");
        assert_eq!(l.to_string(), "x{a=\"é\"}");
    }

    #[test]
    fn errors_are_positioned() {
        let e = parse_series_line("m{a=\"b\"} 1 2 x3").expect_err("bad");
        assert_eq!(e.column, 14, "{e}");
        assert!(e.message.contains("needs a value"), "{e}");
        let e = parse_series_line("m 1x-1").expect_err("bad");
        assert_eq!(e.column, 5, "{e}");
        assert!(e.message.contains("count after 'x'"), "{e}");
        let e = parse_series_line("m{a=b} 1").expect_err("bad");
        assert_eq!(e.column, 5);
        let e = parse_series_line("m{a=\"b\" 1").expect_err("bad");
        assert_eq!(e.kind, SeriesErrorKind::Syntax);
        let e = parse_series_line("m 1 1+2").expect_err("bad");
        assert_eq!(e.column, 6, "{e}");
        let e = parse_series_line("m {{schema:0 sum:1}}").expect_err("bad");
        assert_eq!(e.kind, SeriesErrorKind::NativeHistogram);
        assert!(parse_series_line("m 1x99999999999").is_err());
        assert!(parse_series_line("m 1x99999999999999999999999").is_err());
        assert!(parse_series_line("m abc").is_err());
        assert!(parse_series_line("m{a=\"\\q\"} 1").is_err());
        assert!(parse_series_line("1m 1").is_err());
        assert!(parse_series_line("m{a=\"1\",a=\"2\"} 1").is_err());
        assert!(parse_series_line("").is_err());
    }
}
