//! Positions inside scalar values: map "byte N of the decoded value" (a PromQL parse error,
//! a metric name in an expression) to the line and column in the file where that character
//! is written, whatever the scalar's style: plain, `'single'`, `"double"` (escapes), literal
//! `|` and folded `>` block scalars (indentation, folded line breaks), and JSON strings.
//!
//! The walk aligns the decoded value with the source text: a source character equal to the
//! next value character is that character; anything else (indentation, a folded line break,
//! a block header, a quote) is skipped. Escapes are consumed whole. When the source runs out
//! (an alias whose text is elsewhere) the scalar's own position is the answer.

use crate::yaml::{Node, Pos};

/// The position of byte `at` of `value` (the decoded text of a scalar starting at byte
/// `start` of `text`, written at `start_pos`). `at == value.len()` gives the position just
/// after the last character.
pub fn value_pos(text: &str, start: usize, start_pos: Pos, value: &str, at: usize) -> Pos {
    let Some(src) = text.get(start..) else {
        return start_pos;
    };
    let mut s = src.char_indices().peekable();
    let mut line = start_pos.line;
    let mut col = start_pos.col;
    let mut style = Style::Plain;
    // Opening quote or block header.
    match src.chars().next() {
        Some('"') => {
            style = Style::Double;
            s.next();
            col += 1;
        }
        Some('\'') => {
            style = Style::Single;
            s.next();
            col += 1;
        }
        Some('|') | Some('>') => {
            // Skip the header line (indicators and an optional comment).
            for (_, c) in s.by_ref() {
                if c == '\n' {
                    line += 1;
                    col = 1;
                    break;
                }
            }
        }
        _ => {}
    }
    let target = at.min(value.len());
    let mut last = Pos::new(line, col);
    for (vi, vc) in value.char_indices() {
        // Find the source character that produced `vc`.
        loop {
            let Some(&(_, sc)) = s.peek() else {
                return if vi >= target { Pos::new(line, col) } else { start_pos };
            };
            if style == Style::Double && sc == '\\' {
                // An escape produces one character (or none: an escaped line break).
                let here = Pos::new(line, col);
                s.next();
                col += 1;
                let Some((_, e)) = s.next() else { return start_pos };
                col += 1;
                let extra = match e {
                    'x' => 2,
                    'u' => 4,
                    'U' => 8,
                    '\n' => {
                        line += 1;
                        col = 1;
                        continue;
                    }
                    _ => 0,
                };
                for _ in 0..extra {
                    if s.next().is_some() {
                        col += 1;
                    }
                }
                if vi >= target {
                    return here;
                }
                last = here;
                break;
            }
            if style == Style::Single && sc == '\'' && vc == '\'' {
                let here = Pos::new(line, col);
                s.next();
                col += 1;
                if let Some(&(_, '\'')) = s.peek() {
                    s.next();
                    col += 1;
                }
                if vi >= target {
                    return here;
                }
                last = here;
                break;
            }
            if sc == vc {
                let here = Pos::new(line, col);
                if vi >= target {
                    return here;
                }
                s.next();
                if sc == '\n' {
                    line += 1;
                    col = 1;
                } else {
                    col += 1;
                }
                last = here;
                break;
            }
            // Not part of the value: skip.
            s.next();
            if sc == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
    }
    if target >= value.len() {
        return Pos::new(line, col);
    }
    last
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
}

/// The position of byte `at` of a YAML scalar node's string value.
pub fn node_value_pos(text: &str, node: &Node, value: &str, at: usize) -> Pos {
    match node.offset {
        Some(o) if o < text.len() => value_pos(text, o, node.pos, value, at),
        _ => node.pos,
    }
}

/// 1-based line and column (in characters) of byte `offset` of `text`.
pub fn offset_pos(text: &str, offset: usize) -> Pos {
    let end = offset.min(text.len());
    let end = (0..=end).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
    let before = &text[..end];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() as u32 + 1;
    Pos::new(line, col)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    fn pos_in(doc: &str, key: &str, needle: &str) -> Pos {
        let n = parse(doc).expect("yaml");
        let v = n.get(key).expect("key");
        let s = v.as_str().expect("string");
        let at = s.find(needle).expect("needle");
        node_value_pos(doc, v, s, at)
    }

    #[test]
    fn plain_and_quoted() {
        assert_eq!(pos_in("expr: rate(x[5m])\n", "expr", "x["), Pos::new(1, 12));
        assert_eq!(pos_in("expr: \"rate(x[5m])\"\n", "expr", "x["), Pos::new(1, 13));
        assert_eq!(pos_in("expr: 'a{b=''c''} + zz'\n", "expr", "zz"), Pos::new(1, 21));
        assert_eq!(pos_in("expr: \"a{b=\\\"c\\\"} + zz\"\n", "expr", "zz"), Pos::new(1, 21));
    }

    #[test]
    fn block_scalars() {
        let doc = "expr: |\n  sum(\n    rate(foo[5m])\n  )\n";
        assert_eq!(pos_in(doc, "expr", "foo"), Pos::new(3, 10));
        let doc = "expr: >-\n  sum(rate(foo[5m]))\n  > bar\n";
        assert_eq!(pos_in(doc, "expr", "bar"), Pos::new(3, 5));
        let doc = "k: 1\nexpr: a +\n  bb\n";
        assert_eq!(pos_in(doc, "expr", "bb"), Pos::new(3, 3));
    }

    #[test]
    fn offsets() {
        assert_eq!(offset_pos("ab\ncd", 4), Pos::new(2, 2));
        assert_eq!(offset_pos("ab", 0), Pos::new(1, 1));
        assert_eq!(offset_pos("é\nx", 3), Pos::new(2, 1));
    }
}
