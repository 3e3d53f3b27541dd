//! Label matchers as Alertmanager parses them: the UTF-8 matchers parser of current
//! Alertmanager (`matcher/parse`), the classic parser (`pkg/labels`), and the default
//! "fallback" mode that tries the UTF-8 parser and falls back to the classic one (with a
//! warning, as Alertmanager logs one).

use std::fmt;

use regex::Regex;

use super::values::{Anchor, compile_anchored};

/// Which matcher parser(s) Alertmanager runs (its `--enable-feature` flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ParserMode {
    /// Default: UTF-8 parser, falling back to the classic one; UTF-8 label names.
    #[default]
    Fallback,
    /// `--enable-feature=classic-mode`: classic parser only; classic label names.
    Classic,
    /// `--enable-feature=utf8-strict-mode`: UTF-8 parser only.
    Utf8Strict,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchOp {
    Equal,
    NotEqual,
    Regexp,
    NotRegexp,
}

impl MatchOp {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchOp::Equal => "=",
            MatchOp::NotEqual => "!=",
            MatchOp::Regexp => "=~",
            MatchOp::NotRegexp => "!~",
        }
    }
}

/// One parsed matcher.
#[derive(Debug, Clone)]
pub struct Matcher {
    pub name: String,
    pub op: MatchOp,
    pub value: String,
    re: Option<Regex>,
}

impl PartialEq for Matcher {
    fn eq(&self, o: &Self) -> bool {
        self.name == o.name && self.op == o.op && self.value == o.value
    }
}

impl Matcher {
    pub fn new(name: &str, op: MatchOp, value: &str) -> Result<Matcher, String> {
        let re = match op {
            MatchOp::Regexp | MatchOp::NotRegexp => Some(compile_anchored(value, Anchor::Whole)?),
            _ => None,
        };
        Ok(Matcher { name: name.to_string(), op, value: value.to_string(), re })
    }

    /// Whether a label value (empty when the label is absent) satisfies the matcher.
    pub fn matches(&self, v: &str) -> bool {
        match self.op {
            MatchOp::Equal => v == self.value,
            MatchOp::NotEqual => v != self.value,
            MatchOp::Regexp => self.re.as_ref().is_some_and(|r| r.is_match(v)),
            MatchOp::NotRegexp => !self.re.as_ref().is_some_and(|r| r.is_match(v)),
        }
    }
}

impl fmt::Display for Matcher {
    /// Alertmanager's canonical form (`name="value"`, quoted name when needed).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.name.chars().any(is_reserved) {
            write!(f, "{:?}{}{:?}", self.name, self.op.as_str(), self.value)
        } else {
            let v = self.value.replace('\\', "\\\\").replace('\n', "\\n").replace('"', "\\\"");
            write!(f, "{}{}\"{}\"", self.name, self.op.as_str(), v)
        }
    }
}

/// A parse failure; `column` is the 0-based character offset in the input where known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub column: Option<usize>,
}

/// The outcome of parsing one `matchers:` entry.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub matchers: Vec<Matcher>,
    /// Set when only the classic parser accepted the input (fallback mode): the
    /// suggested UTF-8-compatible spelling.
    pub classic_only: Option<String>,
}

/// Parse one `matchers:` list entry as Alertmanager does in `mode`.
pub fn parse_matchers(input: &str, mode: ParserMode) -> Result<Parsed, ParseError> {
    match mode {
        ParserMode::Classic => {
            classic_matchers(input).map(|m| Parsed { matchers: m, classic_only: None })
        }
        ParserMode::Utf8Strict => {
            utf8_matchers(input).map(|m| Parsed { matchers: m, classic_only: None })
        }
        ParserMode::Fallback => {
            let n = utf8_matchers(input);
            let c = classic_matchers(input);
            match (n, c) {
                (Ok(_), Ok(cm)) => Ok(Parsed { matchers: cm, classic_only: None }),
                (Ok(nm), Err(_)) => Ok(Parsed { matchers: nm, classic_only: None }),
                (Err(_), Ok(cm)) => {
                    let s: Vec<String> = cm.iter().map(ToString::to_string).collect();
                    Ok(Parsed { matchers: cm, classic_only: Some(s.join(",")) })
                }
                (Err(ne), Err(_)) => Err(ne),
            }
        }
    }
}

// ----------------------------------------------------------------------------------------
// The UTF-8 matchers parser.

fn is_reserved(c: char) -> bool {
    c.is_whitespace() || "{}!=~,\\\"'`".contains(c)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open,
    Close,
    Comma,
    Eq,
    Ne,
    Re,
    Nre,
    Quoted(String),
    Unquoted(String),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    col_start: usize,
    col_end: usize,
}

fn lex(input: &str) -> Result<Vec<Token>, ParseError> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |msg: String, col: usize| ParseError { message: msg, column: Some(col) };
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        match c {
            '{' | '}' | ',' => {
                i += 1;
                let tok = match c {
                    '{' => Tok::Open,
                    '}' => Tok::Close,
                    _ => Tok::Comma,
                };
                out.push(Token { tok, col_start: start, col_end: i });
            }
            '=' | '!' => {
                i += 1;
                let next = chars.get(i).copied();
                let tok = if c == '!' {
                    match next {
                        Some('=') => Tok::Ne,
                        Some('~') => Tok::Nre,
                        _ => {
                            let shown: String =
                                chars[start..(i + 1).min(chars.len())].iter().collect();
                            return Err(match next {
                                None => err(
                                    format!(
                                        "{}:{}: unexpected end of input, expected one of '=~'",
                                        start, i
                                    ),
                                    start,
                                ),
                                Some(_) => err(
                                    format!("{}:{}: {}: expected one of '=~'", start, i + 1, shown),
                                    start,
                                ),
                            });
                        }
                    }
                } else if next == Some('~') {
                    Tok::Re
                } else {
                    out.push(Token { tok: Tok::Eq, col_start: start, col_end: i });
                    continue;
                };
                i += 1;
                out.push(Token { tok, col_start: start, col_end: i });
            }
            '"' => {
                i += 1;
                let mut escaped = false;
                let mut closed = false;
                while i < chars.len() {
                    let d = chars[i];
                    i += 1;
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == '"' {
                        closed = true;
                        break;
                    }
                }
                let raw: String = chars[start..i].iter().collect();
                if !closed {
                    return Err(err(format!("{}:{}: {}: missing end \"", start, i, raw), start));
                }
                out.push(Token { tok: Tok::Quoted(raw), col_start: start, col_end: i });
            }
            c if c.is_whitespace() => i += 1,
            c if !is_reserved(c) => {
                while i < chars.len() && !is_reserved(chars[i]) {
                    i += 1;
                }
                let raw: String = chars[start..i].iter().collect();
                out.push(Token { tok: Tok::Unquoted(raw), col_start: start, col_end: i });
            }
            c => {
                return Err(err(format!("{}:{}: {}: invalid input", start, start + 1, c), start));
            }
        }
    }
    Ok(out)
}

fn tok_text(t: &Tok) -> String {
    match t {
        Tok::Open => "{".into(),
        Tok::Close => "}".into(),
        Tok::Comma => ",".into(),
        Tok::Eq => "=".into(),
        Tok::Ne => "!=".into(),
        Tok::Re => "=~".into(),
        Tok::Nre => "!~".into(),
        Tok::Quoted(s) | Tok::Unquoted(s) => s.clone(),
    }
}

/// Parse with the UTF-8 matchers parser (`matcher/parse.Matchers`).
pub fn utf8_matchers(input: &str) -> Result<Vec<Matcher>, ParseError> {
    let toks = lex(input)?;
    let end_col = input.chars().count();
    let mut i = 0;
    let mut out = Vec::new();
    let unexpected = |t: &Token, what: &str| ParseError {
        message: format!("{}:{}: unexpected {}: {what}", t.col_start, t.col_end, tok_text(&t.tok)),
        column: Some(t.col_start),
    };
    let eof = |what: &str| ParseError {
        message: format!("0:{end_col}: end of input: {what}"),
        column: Some(end_col),
    };
    if toks.is_empty() {
        return Ok(out);
    }
    let has_open = toks[0].tok == Tok::Open;
    if has_open {
        i += 1;
    }
    // Zero matchers: "{}" (or "{" alone, an error below).
    let mut expect_matcher = !(i < toks.len() && toks[i].tok == Tok::Close) && i < toks.len();
    while expect_matcher {
        // Label name.
        let Some(t) = toks.get(i) else {
            return Err(eof("expected label name"));
        };
        let name = match &t.tok {
            Tok::Quoted(raw) => go_unquote(raw).ok_or_else(|| ParseError {
                message: format!("{}:{}: {raw}: invalid input", t.col_start, t.col_end),
                column: Some(t.col_start),
            })?,
            Tok::Unquoted(s) => s.clone(),
            _ => return Err(unexpected(t, "expected label name")),
        };
        i += 1;
        let Some(t) = toks.get(i) else {
            return Err(eof("expected an operator such as '=', '!=', '=~' or '!~'"));
        };
        let op = match t.tok {
            Tok::Eq => MatchOp::Equal,
            Tok::Ne => MatchOp::NotEqual,
            Tok::Re => MatchOp::Regexp,
            Tok::Nre => MatchOp::NotRegexp,
            _ => return Err(unexpected(t, "expected an operator such as '=', '!=', '=~' or '!~'")),
        };
        i += 1;
        let Some(t) = toks.get(i) else {
            return Err(eof("expected label value"));
        };
        let value = match &t.tok {
            Tok::Quoted(raw) => go_unquote(raw).ok_or_else(|| ParseError {
                message: format!("{}:{}: {raw}: invalid input", t.col_start, t.col_end),
                column: Some(t.col_start),
            })?,
            Tok::Unquoted(s) => s.clone(),
            _ => return Err(unexpected(t, "expected label value")),
        };
        let vcol = t.col_start;
        i += 1;
        let m = Matcher::new(&name, op, &value).map_err(|e| ParseError {
            message: format!("failed to create matcher: {e}"),
            column: Some(vcol),
        })?;
        out.push(m);
        // End of matcher: comma, close brace or end.
        match toks.get(i) {
            None => expect_matcher = false,
            Some(t) if t.tok == Tok::Close => expect_matcher = false,
            Some(t) if t.tok == Tok::Comma => {
                i += 1;
                match toks.get(i) {
                    None => expect_matcher = false,
                    Some(t) if t.tok == Tok::Close => expect_matcher = false,
                    Some(t) if matches!(t.tok, Tok::Quoted(_) | Tok::Unquoted(_)) => {}
                    Some(t) => {
                        return Err(unexpected(t, "expected a matcher or close brace after comma"));
                    }
                }
            }
            Some(t) => return Err(unexpected(t, "expected a comma or close brace")),
        }
    }
    // Close brace.
    match toks.get(i) {
        Some(t) if t.tok == Tok::Close => {
            if !has_open {
                return Err(ParseError {
                    message: format!("0:{}: }}: expected opening brace", t.col_end),
                    column: Some(t.col_start),
                });
            }
            i += 1;
        }
        _ if has_open => {
            return Err(ParseError {
                message: format!("0:{end_col}: end of input: expected close brace"),
                column: Some(end_col),
            });
        }
        _ => {}
    }
    if let Some(t) = toks.get(i) {
        return Err(ParseError {
            message: format!(
                "{}:{}: {}: expected end of input",
                t.col_start,
                t.col_end,
                tok_text(&t.tok)
            ),
            column: Some(t.col_start),
        });
    }
    Ok(out)
}

/// Go's `strconv.Unquote` for a double-quoted string literal.
pub fn go_unquote(raw: &str) -> Option<String> {
    let inner = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"'))?;
    if inner.contains('\n') {
        return None;
    }
    let mut out = String::with_capacity(inner.len());
    let mut it = inner.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '"' => return None,
            '\\' => {
                let e = it.next()?;
                match e {
                    'a' => out.push('\u{7}'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'v' => out.push('\u{b}'),
                    '\\' => out.push('\\'),
                    '"' => out.push('"'),
                    'x' | 'u' | 'U' => {
                        let n = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let hex: String = (0..n).filter_map(|_| it.next()).collect();
                        if hex.len() != n {
                            return None;
                        }
                        let v = u32::from_str_radix(&hex, 16).ok()?;
                        if e == 'x' {
                            // A byte; only ASCII keeps the result valid UTF-8.
                            if v > 0x7f {
                                return None;
                            }
                        }
                        out.push(char::from_u32(v)?);
                    }
                    '0'..='7' => {
                        let mut v = e.to_digit(8)?;
                        for _ in 0..2 {
                            let d = it.next().and_then(|c| c.to_digit(8))?;
                            v = v * 8 + d;
                        }
                        if v > 0x7f {
                            return None;
                        }
                        out.push(char::from_u32(v)?);
                    }
                    _ => return None,
                }
            }
            c => out.push(c),
        }
    }
    Some(out)
}

// ----------------------------------------------------------------------------------------
// The classic parser.

fn go_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}')
}

/// Parse with the classic parser (`pkg/labels.ParseMatchers`).
pub fn classic_matchers(input: &str) -> Result<Vec<Matcher>, ParseError> {
    let s = input.strip_prefix('{').unwrap_or(input);
    let s = s.strip_suffix('}').unwrap_or(s);
    let mut tokens: Vec<String> = Vec::new();
    let mut token = String::new();
    let mut inside = false;
    let mut escaped = false;
    for c in s.chars() {
        match c {
            ',' if !inside => {
                tokens.push(std::mem::take(&mut token));
                continue;
            }
            ',' => escaped = false,
            '"' => {
                if !escaped {
                    inside = !inside;
                } else {
                    escaped = false;
                }
            }
            '\\' => escaped = !escaped,
            _ => escaped = false,
        }
        token.push(c);
    }
    let last = token.trim_matches(go_space);
    if !last.is_empty() {
        tokens.push(last.to_string());
    }
    tokens.iter().map(|t| classic_matcher(t)).collect()
}

/// Parse one classic matcher (`pkg/labels.ParseMatcher`).
pub fn classic_matcher(s: &str) -> Result<Matcher, ParseError> {
    let bad = || ParseError { message: format!("bad matcher format: {s}"), column: None };
    let t = s.trim_start_matches(go_space);
    let mut chars = t.char_indices();
    match chars.next() {
        Some((_, c)) if c.is_ascii_alphabetic() || c == '_' || c == ':' => {}
        _ => return Err(bad()),
    }
    let name_end = t
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == ':'))
        .map_or(t.len(), |(i, _)| i);
    let name = &t[..name_end];
    let rest = t[name_end..].trim_start_matches(go_space);
    let (op, rest) = if let Some(r) = rest.strip_prefix("=~") {
        (MatchOp::Regexp, r)
    } else if let Some(r) = rest.strip_prefix('=') {
        (MatchOp::Equal, r)
    } else if let Some(r) = rest.strip_prefix("!=") {
        (MatchOp::NotEqual, r)
    } else if let Some(r) = rest.strip_prefix("!~") {
        (MatchOp::NotRegexp, r)
    } else {
        return Err(bad());
    };
    let raw = rest.trim_matches(go_space);
    let (mut body, mut expect_quote) = (raw, false);
    if let Some(b) = raw.strip_prefix('"') {
        body = b;
        expect_quote = true;
    }
    let mut value = String::with_capacity(body.len());
    let mut escaped = false;
    let n = body.len();
    for (i, c) in body.char_indices() {
        if escaped {
            escaped = false;
            match c {
                'n' => value.push('\n'),
                '"' | '\\' => value.push(c),
                _ => {
                    value.push('\\');
                    value.push(c);
                }
            }
            continue;
        }
        match c {
            '\\' => {
                if i < n - 1 {
                    escaped = true;
                    continue;
                }
                value.push('\\');
            }
            '"' => {
                if !expect_quote || i < n - 1 {
                    return Err(ParseError {
                        message: format!("matcher value contains unescaped double quote: {raw}"),
                        column: None,
                    });
                }
                expect_quote = false;
            }
            _ => value.push(c),
        }
    }
    if expect_quote {
        return Err(ParseError {
            message: format!("matcher value contains unescaped double quote: {raw}"),
            column: None,
        });
    }
    Matcher::new(name, op, &value).map_err(|e| ParseError { message: e, column: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> Matcher {
        let v = utf8_matchers(s).expect(s);
        assert_eq!(v.len(), 1, "{s}");
        v.into_iter().next().expect("one")
    }

    #[test]
    fn utf8_parser_accepts_the_documented_forms() {
        let m = one(r#"severity="critical""#);
        assert_eq!(
            (m.name.as_str(), m.op, m.value.as_str()),
            ("severity", MatchOp::Equal, "critical")
        );
        let m = one("team=~\"a|b\"");
        assert!(m.matches("a") && m.matches("b") && !m.matches("ab"));
        let m = one("x!=y");
        assert_eq!(m.op, MatchOp::NotEqual);
        let m = one(r#""service.name"!~"db.*""#);
        assert_eq!(m.name, "service.name");
        assert!(!m.matches("db1") && m.matches("web"));
        assert_eq!(utf8_matchers("{a=b, c=~d,}").expect("braces").len(), 2);
        assert!(utf8_matchers("").expect("empty").is_empty());
        assert!(utf8_matchers("{}").expect("empty braces").is_empty());
        let m = one(r#"foo="bar\"baz""#);
        assert_eq!(m.value, "bar\"baz");
        let m = one("foo=🙂");
        assert_eq!(m.value, "🙂");
    }

    #[test]
    fn utf8_parser_errors() {
        for bad in [
            "foo",
            "foo=",
            "=bar",
            "{foo=bar",
            "foo=bar}",
            "foo=\"bar",
            "foo!bar",
            "foo=bar baz",
            r"foo=~\d+",
            "foo=~\"(\"",
            "{foo=bar},",
            "a=b,,",
        ] {
            assert!(utf8_matchers(bad).is_err(), "{bad} should fail");
        }
        let e = utf8_matchers("foo=\"bar").expect_err("must fail");
        assert!(e.message.contains("missing end \""), "{}", e.message);
        assert_eq!(e.column, Some(4));
        let e = utf8_matchers("foo=~\"(\"").expect_err("must fail");
        assert!(
            e.message.starts_with("failed to create matcher: error parsing regexp"),
            "{}",
            e.message
        );
    }

    #[test]
    fn classic_parser() {
        let v = classic_matchers(r#"{foo = "bar", dings != "bums", }"#).expect("classic");
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].value, "bums");
        let v = classic_matchers(r"foo=~\d+").expect("backslash");
        assert!(v[0].matches("42"));
        let v = classic_matchers("foo=bar baz").expect("space");
        assert_eq!(v[0].value, "bar baz");
        assert!(
            classic_matchers("-invalid-=x")
                .expect_err("must fail")
                .message
                .starts_with("bad matcher format")
        );
        assert!(
            classic_matchers(r#"foo="bar"baz""#)
                .expect_err("must fail")
                .message
                .contains("unescaped double quote")
        );
        assert!(classic_matchers("a=b,,c=d").is_err(), "empty middle token");
    }

    #[test]
    fn fallback_mode() {
        let p = parse_matchers(r"foo=~\d+", ParserMode::Fallback).expect("fallback");
        assert_eq!(p.classic_only.as_deref(), Some(r#"foo=~"\\d+""#));
        let p = parse_matchers(r#""a.b"="x""#, ParserMode::Fallback).expect("utf8 only");
        assert!(p.classic_only.is_none());
        assert!(parse_matchers(r#""a.b"="x""#, ParserMode::Classic).is_err());
        assert!(parse_matchers(r"foo=~\d+", ParserMode::Utf8Strict).is_err());
        assert!(parse_matchers("foo", ParserMode::Fallback).is_err());
    }

    #[test]
    fn display_is_canonical() {
        assert_eq!(one("a=b").to_string(), r#"a="b""#);
        assert_eq!(one(r#""a b"="c""#).to_string(), r#""a b"="c""#);
    }
}
