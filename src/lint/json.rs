//! JSON read into a tree where every value keeps its line and column (for dashboards).
//! Syntax errors come from serde_json (its message, line and column); the positioned tree
//! is built by a small recursive-descent reader over text serde_json has accepted.

use crate::yaml::Pos;

/// Deepest nesting read (serde_json itself stops at 128).
const MAX_DEPTH: usize = 256;

#[derive(Debug, Clone, PartialEq)]
pub struct JNode {
    pub pos: Pos,
    /// Byte offset of the value's first character.
    pub offset: usize,
    pub value: JValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum JValue {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<JNode>),
    /// Members in order: key, key position, value.
    Obj(Vec<(String, Pos, JNode)>),
}

impl JNode {
    pub fn get(&self, key: &str) -> Option<&JNode> {
        match &self.value {
            JValue::Obj(m) => m.iter().rev().find(|(k, _, _)| k == key).map(|(_, _, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            JValue::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_arr(&self) -> Option<&[JNode]> {
        match &self.value {
            JValue::Arr(a) => Some(a),
            _ => None,
        }
    }

    pub fn members(&self) -> &[(String, Pos, JNode)] {
        match &self.value {
            JValue::Obj(m) => m,
            _ => &[],
        }
    }
}

/// A JSON syntax error with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub pos: Pos,
    pub message: String,
}

/// Parse `text` into a positioned tree.
pub fn parse(text: &str) -> Result<JNode, JsonError> {
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        let msg = e.to_string();
        let msg = match msg.find(" at line ") {
            Some(i) => msg[..i].to_string(),
            None => msg,
        };
        let (line, col) = (e.line().max(1) as u32, e.column().max(1) as u32);
        // serde_json counts bytes; turn that into characters.
        let col = text
            .lines()
            .nth(line as usize - 1)
            .map(|l| {
                let b = (col as usize).min(l.len());
                let b = (0..=b).rev().find(|i| l.is_char_boundary(*i)).unwrap_or(0);
                l[..b].chars().count().max(1) as u32
            })
            .unwrap_or(col);
        return Err(JsonError { pos: Pos::new(line, col), message: msg });
    }
    let mut r = Reader { b: text.as_bytes(), text, i: 0, line: 1, line_start: 0 };
    r.ws();
    r.value(0).ok_or(JsonError {
        pos: Pos::new(1, 1),
        message: format!("JSON nested deeper than {MAX_DEPTH} levels"),
    })
}

struct Reader<'a> {
    b: &'a [u8],
    text: &'a str,
    i: usize,
    line: u32,
    line_start: usize,
}

impl Reader<'_> {
    fn pos(&self) -> Pos {
        let col = self.text.get(self.line_start..self.i).map_or(1, |s| s.chars().count() + 1);
        Pos::new(self.line, col as u32)
    }

    fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b'\n' => {
                    self.i += 1;
                    self.line += 1;
                    self.line_start = self.i;
                }
                b' ' | b'\t' | b'\r' => self.i += 1,
                _ => break,
            }
        }
    }

    fn value(&mut self, depth: usize) -> Option<JNode> {
        if depth > MAX_DEPTH {
            return None;
        }
        let pos = self.pos();
        let offset = self.i;
        let value = match self.b.get(self.i)? {
            b'{' => {
                self.i += 1;
                let mut m = Vec::new();
                loop {
                    self.ws();
                    if self.b.get(self.i) == Some(&b'}') {
                        self.i += 1;
                        break;
                    }
                    let kpos = self.pos();
                    let k = self.string()?;
                    self.ws();
                    self.i += 1; // ':'
                    self.ws();
                    let v = self.value(depth + 1)?;
                    m.push((k, kpos, v));
                    self.ws();
                    if self.b.get(self.i) == Some(&b',') {
                        self.i += 1;
                    }
                }
                JValue::Obj(m)
            }
            b'[' => {
                self.i += 1;
                let mut a = Vec::new();
                loop {
                    self.ws();
                    if self.b.get(self.i) == Some(&b']') {
                        self.i += 1;
                        break;
                    }
                    a.push(self.value(depth + 1)?);
                    self.ws();
                    if self.b.get(self.i) == Some(&b',') {
                        self.i += 1;
                    }
                }
                JValue::Arr(a)
            }
            b'"' => JValue::Str(self.string()?),
            b't' => {
                self.i += 4;
                JValue::Bool(true)
            }
            b'f' => {
                self.i += 5;
                JValue::Bool(false)
            }
            b'n' => {
                self.i += 4;
                JValue::Null
            }
            _ => {
                let start = self.i;
                while self.b.get(self.i).is_some_and(|c| {
                    c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E')
                }) {
                    self.i += 1;
                }
                if self.i == start {
                    return None;
                }
                JValue::Num(self.text[start..self.i].parse().unwrap_or(0.0))
            }
        };
        Some(JNode { pos, offset, value })
    }

    fn string(&mut self) -> Option<String> {
        if self.b.get(self.i) != Some(&b'"') {
            return None;
        }
        self.i += 1;
        let start = self.i;
        // Fast path: no escapes.
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b'"' => {
                    let s = self.text[start..self.i].to_string();
                    self.i += 1;
                    return Some(s);
                }
                b'\\' => break,
                _ => self.i += 1,
            }
        }
        // Slow path: let serde_json decode the escapes of this one string.
        let mut j = start;
        while j < self.b.len() {
            match self.b[j] {
                b'\\' => j += 2,
                b'"' => break,
                _ => j += 1,
            }
        }
        let raw = self.text.get(start - 1..=j)?;
        self.i = j + 1;
        serde_json::from_str::<String>(raw).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_values() {
        let t = "{\n  \"a\": [1, \"x\\\"y\"],\n  \"b\": {\"c\": null}\n}";
        let n = parse(t).expect("json");
        let a = n.get("a").expect("a").as_arr().expect("arr");
        assert_eq!(a[0].pos, Pos::new(2, 9));
        assert_eq!(a[1].as_str(), Some("x\"y"));
        assert_eq!(a[1].pos, Pos::new(2, 12));
        assert_eq!(n.get("b").and_then(|b| b.get("c")).map(|c| c.pos), Some(Pos::new(3, 14)));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = parse("{\n  \"a\": 1,\n  \"b\" 2\n}").expect_err("bad");
        assert_eq!(e.pos.line, 3);
        assert!(e.message.contains("expected"), "{}", e.message);
    }
}
