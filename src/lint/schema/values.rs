//! Value formats the Go loaders of Prometheus and Alertmanager parse with Go libraries,
//! re-implemented once with the same acceptance rules (and Go's error wording where users
//! see it): `net/url` parsing, RE2 regular expressions (translated for the `regex` crate and
//! anchored as the loaders anchor them), `filepath.Match` / `filepath.Glob`,
//! `time.ParseDuration`, `model.Duration.String`, base-2 byte sizes (`alecthomas/units`),
//! `net.SplitHostPort`, legacy label names, UUIDs (`google/uuid`), and YAML 1.1 scalars as
//! `yaml.v2` reads them.
//!
//! Both checkers use these (`lint::prometheus`, `lint::alertmanager`, `lint::http_config`);
//! what is specific to one loader stays in that checker's own `values` module.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;

use regex::Regex;

use crate::yaml::{Node, Value};

// ----------------------------------------------------------------------------------------
// net/url

/// What `net/url.Parse` makes of a string (the parts the loaders look at).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GoUrl {
    /// Lower-cased, as Go stores it.
    pub scheme: String,
    /// `host[:port]` of the authority (user info removed).
    pub host: String,
    pub opaque: String,
    pub path: String,
}

/// `net/url.Parse`, with its error messages (`parse "x": missing protocol scheme`).
/// Relative references are accepted, as in Go.
pub fn parse_url(raw: &str) -> Result<GoUrl, String> {
    let (u, frag) = match raw.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (raw, None),
    };
    let url = parse_url_inner(u).map_err(|e| format!("parse {u:?}: {e}"))?;
    if let Some(f) = frag {
        unescape(f, Mode::Fragment).map_err(|e| format!("parse {raw:?}: {e}"))?;
    }
    Ok(url)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Host,
    Zone,
    User,
    Fragment,
}

fn parse_url_inner(raw: &str) -> Result<GoUrl, String> {
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    let mut url = GoUrl::default();
    if raw == "*" {
        url.path = "*".into();
        return Ok(url);
    }
    let (scheme, rest) = get_scheme(raw)?;
    url.scheme = scheme.to_ascii_lowercase();
    let mut rest = rest;
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        rest = &rest[..rest.len() - 1];
    } else if let Some((r, _q)) = rest.split_once('?') {
        rest = r;
    }
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            url.opaque = rest.to_string();
            return Ok(url);
        }
        let segment = rest.split('/').next().unwrap_or("");
        if segment.contains(':') {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    if (!url.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let after = &rest[2..];
        let (authority, path) = match after.find('/') {
            Some(i) => (&after[..i], &after[i..]),
            None => (after, ""),
        };
        url.host = parse_authority(authority)?;
        rest = path;
    }
    unescape(rest, Mode::Path)?;
    url.path = rest.to_string();
    Ok(url)
}

fn get_scheme(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                if i == 0 {
                    return Ok(("", raw));
                }
            }
            b':' => {
                if i == 0 {
                    return Err("missing protocol scheme".into());
                }
                return Ok((&raw[..i], &raw[i + 1..]));
            }
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

fn parse_authority(authority: &str) -> Result<String, String> {
    let (user, host) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    let host = parse_host(host)?;
    if let Some(u) = user {
        if !valid_userinfo(u) {
            return Err("net/url: invalid userinfo".into());
        }
        unescape(u, Mode::User)?;
    }
    Ok(host)
}

fn valid_userinfo(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._:~!$&'()*+,;=%@".contains(c) || !c.is_ascii())
}

fn parse_host(host: &str) -> Result<String, String> {
    if host.starts_with('[') {
        let Some(i) = host.rfind(']') else {
            return Err("missing ']' in host".into());
        };
        let colon_port = &host[i + 1..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {colon_port:?} after host"));
        }
        // Zone identifiers (`%25...`) follow their own escaping rules.
        let inner = &host[..i];
        if let Some(z) = inner.find("%25") {
            unescape(&inner[..z], Mode::Host)?;
            unescape(&inner[z..], Mode::Zone)?;
        } else {
            unescape(inner, Mode::Host)?;
        }
        return Ok(host.to_string());
    } else if let Some(i) = host.rfind(':') {
        let colon_port = &host[i..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {colon_port:?} after host"));
        }
    }
    unescape(host, Mode::Host)?;
    Ok(host.to_string())
}

fn valid_optional_port(port: &str) -> bool {
    if port.is_empty() {
        return true;
    }
    match port.strip_prefix(':') {
        Some(p) => p.bytes().all(|b| b.is_ascii_digit()),
        None => false,
    }
}

fn unescape(s: &str, mode: Mode) -> Result<(), String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let ok = b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
                if !ok {
                    let bad = String::from_utf8_lossy(&b[i..(i + 3).min(b.len())]).into_owned();
                    return Err(format!("invalid URL escape {bad:?}"));
                }
                if mode == Mode::Host {
                    let v = u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap_or(0);
                    if v < 0x80 && &s[i..i + 3] != "%25" {
                        return Err(format!("invalid URL escape {:?}", &s[i..i + 3]));
                    }
                }
                i += 3;
            }
            c => {
                if (mode == Mode::Host || mode == Mode::Zone) && c < 0x80 && !host_char_ok(c) {
                    return Err(format!("invalid character {:?} in host name", c as char));
                }
                i += 1;
            }
        }
    }
    Ok(())
}

fn host_char_ok(c: u8) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
                | b'-'
                | b'_'
                | b'.'
                | b'~'
        )
}

/// The password of a URL's user info, when there is one (`http://u:p@host`).
pub fn url_password(s: &str) -> Option<&str> {
    let rest = &s[s.find("://")? + 3..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (user, _) = rest[..end].rsplit_once('@')?;
    user.split_once(':').map(|(_, p)| p).filter(|p| !p.is_empty())
}

/// `net.SplitHostPort` plus Alertmanager's "port cannot be empty".
pub fn parse_host_port(s: &str) -> Result<(), String> {
    let port = if let Some(rest) = s.strip_prefix('[') {
        let Some(i) = rest.find(']') else {
            return Err(format!("address {s}: missing ']' in address"));
        };
        match rest[i + 1..].strip_prefix(':') {
            Some(p) => p,
            None => return Err(format!("address {s}: missing port in address")),
        }
    } else {
        match s.rsplit_once(':') {
            Some((h, _)) if h.contains(':') => {
                return Err(format!("address {s}: too many colons in address"));
            }
            Some((_, p)) => p,
            None => return Err(format!("address {s}: missing port in address")),
        }
    };
    if port.is_empty() {
        return Err(format!("address {s:?}: port cannot be empty"));
    }
    Ok(())
}

// ----------------------------------------------------------------------------------------
// RE2 regular expressions

/// How a loader wraps a user's regular expression before compiling it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Anchor {
    /// `^(?:re)$`: Alertmanager matchers, `match_re`, inhibit rules.
    Whole,
    /// `^(?s:re)$`: Prometheus relabelling (`.` also matches a newline).
    WholeDotNl,
}

/// Compile a Go RE2 regular expression anchored as `anchor` says. RE2 syntax the `regex`
/// crate reads differently is translated first (see [`translate_go_regex`]). The error
/// follows Go's `error parsing regexp: <reason>: `<expr>``. Results are memoised per
/// thread: configurations repeat the same few patterns.
pub fn compile_anchored(re: &str, anchor: Anchor) -> Result<Regex, String> {
    const MAX_CACHED: usize = 4096;
    type Cache = [HashMap<String, Result<Regex, String>>; 2];
    thread_local! {
        static CACHE: RefCell<Cache> = RefCell::new([HashMap::new(), HashMap::new()]);
    }
    let slot = anchor as usize;
    if let Some(hit) = CACHE.with(|c| c.borrow()[slot].get(re).cloned()) {
        return hit;
    }
    let out = compile_uncached(re, anchor);
    CACHE.with(|c| {
        let c = &mut c.borrow_mut()[slot];
        if c.len() >= MAX_CACHED {
            c.clear();
        }
        c.insert(re.to_string(), out.clone());
    });
    out
}

fn compile_uncached(re: &str, anchor: Anchor) -> Result<Regex, String> {
    let translated = translate_go_regex(re)
        .map_err(|(reason, expr)| format!("error parsing regexp: {reason}: `{expr}`"))?;
    let wrapped = match anchor {
        Anchor::Whole => format!("^(?:{translated})$"),
        Anchor::WholeDotNl => format!("^(?s:{translated})$"),
    };
    regex::RegexBuilder::new(&wrapped).octal(true).size_limit(1 << 24).build().map_err(|e| {
        let reason = match &e {
            regex::Error::CompiledTooBig(_) => "expression too large".to_string(),
            _ => {
                // regex-syntax errors are multi-line with a caret drawing: keep the sentence.
                let text = e.to_string();
                text.lines()
                    .rev()
                    .find_map(|l| l.trim().strip_prefix("error:"))
                    .map(|l| l.trim().to_string())
                    .unwrap_or_else(|| text.lines().last().unwrap_or("invalid").trim().to_string())
            }
        };
        format!("error parsing regexp: {reason}: `{re}`")
    })
}

/// Rewrite Go RE2 syntax the `regex` crate reads differently: `\Q...\E` quoting (not
/// supported), escaped punctuation such as `\<` and `\>` (literal in Go, word boundaries in
/// the regex crate), `{` that does not start a repetition (literal in Go, an error in the
/// regex crate), `&&` and `~~` in classes (literal in Go, set operations in the regex crate).
/// Go's errors the regex crate would not raise are returned as (reason, expression): a
/// repetition count above 1000, a backreference-like escape (`\1`..`\9` not starting an
/// octal escape).
pub fn translate_go_regex(re: &str) -> Result<String, (String, String)> {
    let chars: Vec<char> = re.chars().collect();
    let mut out = String::with_capacity(re.len() + 8);
    let mut i = 0;
    let mut in_class = false;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let Some(&n) = chars.get(i + 1) else {
                    out.push('\\');
                    i += 1;
                    continue;
                };
                match n {
                    'Q' if !in_class => {
                        let rest: String = chars[i + 2..].iter().collect();
                        let (lit, consumed) = match rest.find("\\E") {
                            Some(j) => (rest[..j].to_string(), rest[..j].chars().count() + 2),
                            None => (rest.clone(), rest.chars().count()),
                        };
                        out.push_str(&regex::escape(&lit));
                        i += 2 + consumed;
                        continue;
                    }
                    '1'..='9' => {
                        // Go: `\0` and `\1`..`\7` followed by an octal digit are octal
                        // escapes; any other digit escape would be a backreference.
                        let octal_next = chars.get(i + 2).is_some_and(|d| ('0'..='7').contains(d));
                        if n > '7' || !octal_next {
                            return Err(("invalid escape sequence".into(), format!("\\{n}")));
                        }
                        out.push('\\');
                        out.push(n);
                    }
                    c if c.is_ascii_punctuation() => {
                        // Go: an escaped punctuation character is itself.
                        out.push_str(&regex::escape(&c.to_string()));
                    }
                    _ => {
                        out.push('\\');
                        out.push(n);
                    }
                }
                i += 2;
                continue;
            }
            '[' => {
                if in_class && chars.get(i + 1) == Some(&':') {
                    // [:alpha:] inside a class.
                    if let Some(end) = (i + 2..chars.len().saturating_sub(1))
                        .find(|&k| chars[k] == ':' && chars[k + 1] == ']')
                    {
                        out.extend(&chars[i..end + 2]);
                        i = end + 2;
                        continue;
                    }
                }
                if in_class {
                    out.push_str("\\[");
                    i += 1;
                    continue;
                }
                in_class = true;
                out.push('[');
                i += 1;
                // A leading ^ and a leading ] are part of the class.
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    out.push_str("\\]");
                    i += 1;
                }
                continue;
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            '{' if !in_class => {
                let rest: String = chars[i + 1..].iter().collect();
                match repetition(&rest) {
                    Some((len, min, max)) => {
                        if min > 1000 || max > 1000 {
                            return Err((
                                "invalid repeat count".into(),
                                format!("{{{}", &rest[..len]),
                            ));
                        }
                        out.push('{');
                        out.push_str(&rest[..len]);
                        i += 1 + rest[..len].chars().count();
                        continue;
                    }
                    None => out.push_str("\\{"),
                }
            }
            '}' if !in_class => out.push_str("\\}"),
            _ => out.push(c),
        }
        i += 1;
    }
    Ok(out)
}

/// A repetition body after `{` as Go's parser reads it: `n}`, `n,}` or `n,m}`, decimal
/// without leading zeros. Returns its length (through the closing brace), the minimum and
/// the maximum (huge counts saturate, to be reported as invalid).
fn repetition(s: &str) -> Option<(usize, u64, u64)> {
    let close = s.find('}')?;
    let body = &s[..close];
    let (a, b) = match body.split_once(',') {
        Some((a, b)) => (a, Some(b)),
        None => (body, None),
    };
    let number = |t: &str| -> Option<u64> {
        let digits = !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit());
        let leading_zero = t.len() > 1 && t.starts_with('0');
        (digits && !leading_zero).then(|| t.parse().unwrap_or(u64::MAX))
    };
    let min = number(a)?;
    let max = match b {
        None | Some("") => min,
        Some(b) => number(b)?,
    };
    Some((close + 1, min, max))
}

// ----------------------------------------------------------------------------------------
// filepath.Match / filepath.Glob

/// A malformed glob pattern (Go's `filepath.ErrBadPattern`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadPattern;

impl std::fmt::Display for BadPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("syntax error in pattern")
    }
}

/// Whether a glob pattern has meta characters (Go `filepath` `hasMeta`).
pub fn has_glob_meta(p: &str) -> bool {
    p.contains(['*', '?', '[', '\\'])
}

/// Go's `filepath.Match` for one path element. `Err` means a malformed pattern.
pub fn glob_match(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Validate the whole pattern first, as Go reports ErrBadPattern even without a match.
    validate_pattern(&p)?;
    Ok(match_from(&p, 0, &n, 0))
}

fn validate_pattern(p: &[char]) -> Result<(), BadPattern> {
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            '\\' => {
                if i + 1 >= p.len() {
                    return Err(BadPattern);
                }
                i += 2;
            }
            '[' => {
                i += 1;
                if p.get(i) == Some(&'^') {
                    i += 1;
                }
                let mut first = true;
                loop {
                    let Some(&c) = p.get(i) else { return Err(BadPattern) };
                    if c == ']' && !first {
                        i += 1;
                        break;
                    }
                    // A range item: lo [- hi]
                    let lo_len = class_char_len(p, i)?;
                    i += lo_len;
                    if p.get(i) == Some(&'-') {
                        i += 1;
                        let hi_len = class_char_len(p, i)?;
                        i += hi_len;
                    }
                    first = false;
                }
            }
            _ => i += 1,
        }
    }
    Ok(())
}

fn class_char_len(p: &[char], i: usize) -> Result<usize, BadPattern> {
    match p.get(i) {
        None | Some('-') | Some(']') => Err(BadPattern),
        Some('\\') => {
            if i + 1 < p.len() {
                Ok(2)
            } else {
                Err(BadPattern)
            }
        }
        Some(_) => Ok(1),
    }
}

fn match_from(p: &[char], pi: usize, n: &[char], ni: usize) -> bool {
    let (mut pi, mut ni) = (pi, ni);
    while pi < p.len() {
        match p[pi] {
            '*' => {
                // Collapse consecutive stars; `*` does not cross `/`.
                while pi < p.len() && p[pi] == '*' {
                    pi += 1;
                }
                if pi == p.len() {
                    return !n[ni..].contains(&'/');
                }
                let mut k = ni;
                loop {
                    if match_from(p, pi, n, k) {
                        return true;
                    }
                    if k >= n.len() || n[k] == '/' {
                        return false;
                    }
                    k += 1;
                }
            }
            '?' => {
                if ni >= n.len() || n[ni] == '/' {
                    return false;
                }
                pi += 1;
                ni += 1;
            }
            '[' => {
                if ni >= n.len() || n[ni] == '/' {
                    return false;
                }
                let c = n[ni];
                pi += 1;
                let negated = p.get(pi) == Some(&'^');
                if negated {
                    pi += 1;
                }
                let mut matched = false;
                let mut first = true;
                while pi < p.len() && (first || p[pi] != ']') {
                    first = false;
                    let lo = if p[pi] == '\\' {
                        pi += 1;
                        p[pi]
                    } else {
                        p[pi]
                    };
                    pi += 1;
                    let mut hi = lo;
                    if p.get(pi) == Some(&'-') && p.get(pi + 1).is_some_and(|c| *c != ']') {
                        pi += 1;
                        hi = if p[pi] == '\\' {
                            pi += 1;
                            p[pi]
                        } else {
                            p[pi]
                        };
                        pi += 1;
                    }
                    if lo <= c && c <= hi {
                        matched = true;
                    }
                }
                pi += 1; // the closing ]
                if matched == negated {
                    return false;
                }
                ni += 1;
            }
            '\\' => {
                pi += 1;
                if ni >= n.len() || p.get(pi) != Some(&n[ni]) {
                    return false;
                }
                pi += 1;
                ni += 1;
            }
            c => {
                if ni >= n.len() || n[ni] != c {
                    return false;
                }
                pi += 1;
                ni += 1;
            }
        }
    }
    ni == n.len()
}

/// Go's `filepath.Glob`: the paths matching `pattern` (already joined to its base
/// directory), sorted per directory; `Err` for a malformed pattern. Unreadable
/// directories simply match nothing, as in Go.
pub fn glob(pattern: &str) -> Result<Vec<PathBuf>, BadPattern> {
    if let Some(hit) =
        GLOB_CACHE.with(|c| c.borrow().as_ref().and_then(|m| m.get(pattern).cloned()))
    {
        return hit;
    }
    let found = glob_uncached(pattern);
    GLOB_CACHE.with(|c| {
        if let Some(m) = c.borrow_mut().as_mut() {
            m.insert(pattern.to_string(), found.clone());
        }
    });
    found
}

type GlobCache = Option<HashMap<String, Result<Vec<PathBuf>, BadPattern>>>;

thread_local! {
    /// Glob results memoised during one check (many jobs name the same file_sd pattern);
    /// active only inside [`with_glob_cache`].
    static GLOB_CACHE: RefCell<GlobCache> = const { RefCell::new(None) };
}

/// Run `f` with glob results memoised (the file system is read once per pattern).
pub fn with_glob_cache<T>(f: impl FnOnce() -> T) -> T {
    let outer = GLOB_CACHE.with(|c| c.borrow().is_some());
    if !outer {
        GLOB_CACHE.with(|c| *c.borrow_mut() = Some(HashMap::new()));
    }
    let out = f();
    if !outer {
        GLOB_CACHE.with(|c| *c.borrow_mut() = None);
    }
    out
}

fn glob_uncached(pattern: &str) -> Result<Vec<PathBuf>, BadPattern> {
    if !has_glob_meta(pattern) {
        let p = PathBuf::from(pattern);
        return Ok(if std::fs::symlink_metadata(&p).is_ok() { vec![p] } else { Vec::new() });
    }
    let (dir, file) = match pattern.rfind('/') {
        Some(0) => ("/", &pattern[1..]),
        Some(i) => (&pattern[..i], &pattern[i + 1..]),
        None => ("", pattern),
    };
    // Validate the last element even when the directory part has no match.
    glob_match(file, "")?;
    let dirs: Vec<PathBuf> = if dir.is_empty() {
        vec![PathBuf::from(".")]
    } else if has_glob_meta(dir) {
        glob(dir)?
    } else {
        vec![PathBuf::from(dir)]
    };
    let mut out = Vec::new();
    for d in dirs {
        let Ok(meta) = std::fs::metadata(&d) else { continue };
        if !meta.is_dir() {
            continue;
        }
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        let mut names: Vec<String> =
            rd.filter_map(|e| e.ok()).filter_map(|e| e.file_name().into_string().ok()).collect();
        names.sort();
        for name in names {
            if glob_match(file, &name)? {
                out.push(if dir.is_empty() { PathBuf::from(&name) } else { d.join(&name) });
            }
        }
    }
    Ok(out)
}

// ----------------------------------------------------------------------------------------
// Durations and sizes

/// Go's `time.ParseDuration` (`300ms`, `1.5h`, `2h45m`, `0`); nanoseconds (may be
/// negative).
pub fn parse_go_duration(s: &str) -> Result<i128, String> {
    let err = || format!("time: invalid duration {s:?}");
    let mut rest = s;
    let mut neg = false;
    if let Some(r) = rest.strip_prefix('-') {
        neg = true;
        rest = r;
    } else if let Some(r) = rest.strip_prefix('+') {
        rest = r;
    }
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(err());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let mut num = &rest[..int_len];
        rest = &rest[int_len..];
        let mut frac = "";
        if let Some(r) = rest.strip_prefix('.') {
            let fl = r.bytes().take_while(u8::is_ascii_digit).count();
            frac = &r[..fl];
            rest = &r[fl..];
        }
        if num.is_empty() && frac.is_empty() {
            return Err(err());
        }
        if num.is_empty() {
            num = "0";
        }
        let unit_len = rest.find(|c: char| c == '.' || c.is_ascii_digit()).unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let mult: f64 = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => return Err(format!("time: missing unit in duration {s:?}")),
            _ => return Err(format!("time: unknown unit {unit:?} in duration {s:?}")),
        };
        let v: f64 = format!("{num}.{}", if frac.is_empty() { "0" } else { frac })
            .parse()
            .map_err(|_| err())?;
        total += v * mult;
        if total > 9.3e18 {
            return Err(err());
        }
    }
    let ns = total as i128;
    Ok(if neg { -ns } else { ns })
}

/// Go's `model.Duration.String` (`1m`, `1h30m`, `90d`, `0s`) of a duration in milliseconds.
pub fn duration_string(ms: u64) -> String {
    if ms == 0 {
        return "0s".into();
    }
    let mut ms = ms;
    let mut r = String::new();
    let mut f = |unit: &str, mult: u64, exact: bool| {
        if exact && !ms.is_multiple_of(mult) {
            return;
        }
        let v = ms / mult;
        if v > 0 {
            r.push_str(&format!("{v}{unit}"));
            ms -= v * mult;
        }
    };
    const DAY: u64 = 24 * 3600 * 1000;
    f("y", 365 * DAY, true);
    f("w", 7 * DAY, true);
    f("d", DAY, false);
    f("h", 3600 * 1000, false);
    f("m", 60 * 1000, false);
    f("s", 1000, false);
    f("ms", 1, false);
    r
}

/// `units.ParseBase2Bytes`: `[-+]?([0-9]*(\.[0-9]*)?[unit])+` with units B, KB/KiB, MB/MiB,
/// ... EB/EiB (powers of 1024), or `0`. Negative sizes parse (the caller decides).
pub fn parse_base2_bytes(s: &str) -> Result<i64, String> {
    const NEW: &[(&str, f64)] = &[
        ("B", 1.0),
        ("KiB", 1024.0),
        ("MiB", 1048576.0),
        ("GiB", 1073741824.0),
        ("TiB", 1099511627776.0),
        ("PiB", 1125899906842624.0),
        ("EiB", 1152921504606846976.0),
    ];
    const OLD: &[(&str, f64)] = &[
        ("B", 1.0),
        ("KB", 1024.0),
        ("MB", 1048576.0),
        ("GB", 1073741824.0),
        ("TB", 1099511627776.0),
        ("PB", 1125899906842624.0),
        ("EB", 1152921504606846976.0),
    ];
    parse_unit(s, NEW).or_else(|_| parse_unit(s, OLD))
}

fn parse_unit(orig: &str, units: &[(&str, f64)]) -> Result<i64, String> {
    let invalid = || format!("units: invalid {orig}");
    let mut s = orig;
    let mut neg = false;
    if let Some(c) = s.chars().next()
        && (c == '-' || c == '+')
    {
        neg = c == '-';
        s = &s[1..];
    }
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total = 0f64;
    while !s.is_empty() {
        let b = s.as_bytes();
        if !(b[0] == b'.' || b[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let int_end = b.iter().position(|c| !c.is_ascii_digit()).unwrap_or(b.len());
        if int_end > 18 {
            return Err(invalid());
        }
        let mut g: f64 = if int_end > 0 { s[..int_end].parse::<f64>().unwrap_or(0.0) } else { 0.0 };
        let pre = int_end > 0;
        s = &s[int_end..];
        let mut post = false;
        if s.starts_with('.') {
            s = &s[1..];
            let frac_end = s.as_bytes().iter().position(|c| !c.is_ascii_digit()).unwrap_or(s.len());
            if frac_end > 0 {
                let digits = &s[..frac_end.min(18)];
                let x: f64 = digits.parse().unwrap_or(0.0);
                g += x / 10f64.powi(digits.len() as i32);
                post = true;
            }
            s = &s[frac_end..];
        }
        if !pre && !post {
            return Err(invalid());
        }
        let unit_end =
            s.as_bytes().iter().position(|c| *c == b'.' || c.is_ascii_digit()).unwrap_or(s.len());
        let unit = &s[..unit_end];
        s = &s[unit_end..];
        match units.iter().find(|(u, _)| *u == unit) {
            Some((_, m)) => total += g * m,
            None => return Err(format!("units: unknown unit {unit} in {orig}")),
        }
    }
    if neg {
        total = -total;
    }
    if !(-9.223372036854776e18..=9.223372036854776e18).contains(&total) {
        return Err("units: overflow parsing unit".into());
    }
    Ok(total as i64)
}

// ----------------------------------------------------------------------------------------
// Names, identifiers, YAML 1.1 scalars

/// A legacy (classic) Prometheus label name: `[a-zA-Z_][a-zA-Z0-9_]*`.
pub fn legacy_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A UUID in its canonical form `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex digits).
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// What `google/uuid.Parse` accepts: the canonical form, optionally as
/// `urn:uuid:...` or between braces, or 32 bare hex digits.
pub fn go_uuid_parses(s: &str) -> bool {
    let b = s.as_bytes();
    match b.len() {
        36 => is_uuid(s),
        45 => b[..9].eq_ignore_ascii_case(b"urn:uuid:") && s.get(9..).is_some_and(is_uuid),
        // Go skips the first byte and never looks at the last.
        38 => s.get(1..37).is_some_and(is_uuid),
        32 => b.iter().all(u8::is_ascii_hexdigit),
        _ => false,
    }
}

/// A boolean as `yaml.v2` reads it (YAML 1.1: true/false, yes/no, on/off, y/n).
pub fn yaml_bool(n: &Node) -> Option<bool> {
    match &n.value {
        Value::Bool { value, .. } => Some(*value),
        Value::Str(s) => match s.as_str() {
            "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
                Some(true)
            }
            "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off"
            | "OFF" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// An integer as `yaml.v2` reads it into an int field (a plain integer, or a float with
/// no fractional part; quoted strings are refused).
pub fn yaml_int(n: &Node) -> Option<i64> {
    match &n.value {
        Value::Int { value, .. } => Some(*value),
        Value::Float { value, .. } if value.fract() == 0.0 && value.abs() < 9.2e18 => {
            Some(*value as i64)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_go() {
        assert_eq!(parse_url("http://a:9090/x").map(|u| u.host), Ok("a:9090".to_string()));
        assert!(parse_url("://invalid").is_err_and(|e| e.contains("missing protocol scheme")));
        assert_eq!(parse_url("localhost:9090").map(|u| u.scheme), Ok("localhost".to_string()));
        assert!(parse_url("http://a:b/").is_err_and(|e| e.contains("invalid port")));
        assert!(parse_url("http://a b/").is_err_and(|e| e.contains("invalid character")));
        assert!(parse_url("/x%zz").is_err_and(|e| e.contains("invalid URL escape")));
        assert!(parse_url("a:b/c").is_ok());
        assert!(parse_url("1a:b").is_err_and(|e| e.contains("first path segment")));
        assert!(parse_url("http://x\n").is_err_and(|e| e.contains("control character")));
        let u = parse_url("http:///path").expect("ok");
        assert_eq!(u.host, "");
        assert_eq!(parse_url("").map(|u| u.scheme), Ok(String::new()));
        assert_eq!(url_password("http://u:p@h:1/x"), Some("p"));
        assert_eq!(url_password("http://u@h/"), None);
    }

    #[test]
    fn host_ports() {
        assert!(parse_host_port("localhost:25").is_ok());
        assert!(parse_host_port("[::1]:25").is_ok());
        assert!(parse_host_port("localhost").is_err());
        assert!(
            parse_host_port("localhost:").expect_err("must fail").contains("port cannot be empty")
        );
        assert!(parse_host_port("a:b:c").is_err());
    }

    #[test]
    fn sizes_follow_units() {
        assert_eq!(parse_base2_bytes("15MB"), Ok(15 << 20));
        assert_eq!(parse_base2_bytes("1GiB"), Ok(1 << 30));
        assert_eq!(parse_base2_bytes("1.5KB"), Ok(1536));
        assert_eq!(parse_base2_bytes("-1GB"), Ok(-(1 << 30)));
        assert_eq!(parse_base2_bytes("0"), Ok(0));
        assert_eq!(parse_base2_bytes("100"), Err("units: unknown unit  in 100".into()));
        assert!(parse_base2_bytes("1kB").is_err());
        assert!(parse_base2_bytes("").is_err());
    }

    #[test]
    fn durations_format_like_go() {
        assert_eq!(duration_string(60_000), "1m");
        assert_eq!(duration_string(5_400_000), "1h30m");
        assert_eq!(duration_string(0), "0s");
        assert_eq!(duration_string(90 * 24 * 3600 * 1000), "90d");
        assert_eq!(duration_string(14 * 24 * 3600 * 1000), "2w");
        assert_eq!(duration_string(1500), "1s500ms");
    }

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("300ms"), Ok(300_000_000));
        assert_eq!(parse_go_duration("1.5h"), Ok(5_400_000_000_000));
        assert_eq!(parse_go_duration("2h45m"), Ok(9_900_000_000_000));
        assert_eq!(parse_go_duration("0"), Ok(0));
        assert_eq!(parse_go_duration("-1s"), Ok(-1_000_000_000));
        assert_eq!(parse_go_duration(".5s"), Ok(500_000_000));
        assert!(parse_go_duration("1d").is_err());
        assert!(parse_go_duration("10").is_err());
        assert!(parse_go_duration("").is_err());
        assert!(parse_go_duration("s").is_err());
    }

    #[test]
    fn label_names_and_uuids() {
        assert!(legacy_label_name("severity"));
        assert!(legacy_label_name("_x9"));
        assert!(legacy_label_name("a_b1"));
        assert!(!legacy_label_name("-invalid-"));
        assert!(!legacy_label_name(""));
        assert!(!legacy_label_name("1a"));
        assert!(!legacy_label_name("service.name"));
        let u = "0f8fad5b-d9cb-469f-a165-70867728950e";
        assert!(is_uuid(u));
        assert!(!is_uuid("0f8fad5bd9cb469fa16570867728950e"));
        assert!(go_uuid_parses(u));
        assert!(go_uuid_parses(&format!("{{{u}}}")));
        assert!(go_uuid_parses(&format!("URN:uuid:{u}")));
        assert!(go_uuid_parses("0f8fad5bd9cb469fa16570867728950e"));
        assert!(!go_uuid_parses("0f8fad5b-d9cb-469f-a165-70867728950"));
        assert!(!go_uuid_parses("not-a-uuid"));
    }

    /// Relabelling (Prometheus): anchored, `.` matches newlines.
    #[test]
    fn relabel_regexes() {
        let c = |re: &str| compile_anchored(re, Anchor::WholeDotNl);
        assert!(c("(.*)").is_ok());
        assert!(c("abc(def").is_err_and(|e| e.starts_with("error parsing regexp")));
        assert!(c("a{1001}").is_err_and(|e| e.contains("invalid repeat count")));
        // Go reads an escaped punctuation character as itself (`\<` is `<`).
        assert!(c(r"\<a").expect("literal angle").is_match("<a"));
        let r = c("a.c").expect("re");
        assert!(r.is_match("a\nc"));
        assert!(!r.is_match("xa.c"));
    }

    /// Matchers (Alertmanager): anchored, RE2 syntax the regex crate reads differently.
    #[test]
    fn matcher_regexes() {
        let c = |re: &str| compile_anchored(re, Anchor::Whole);
        let re = c("foo|bar").expect("re");
        assert!(re.is_match("bar"));
        assert!(!re.is_match("foobar"), "anchored");
        assert!(!c("a.c").expect("re").is_match("a\nc"), "no s flag");
        assert!(c("(").expect_err("must fail").contains("error parsing regexp"));
        let q = c(r"\Qa.b\E+").expect("quoted");
        assert!(q.is_match("a.bbb") && !q.is_match("axb"));
        // Go reads these literally; the regex crate would not.
        assert!(c(r"a{,3}").expect("literal brace").is_match("a{,3}"));
        assert!(c(r"x{").expect("literal brace").is_match("x{"));
        assert!(c(r"a{01}").expect("leading zero: literal").is_match("a{01}"));
        assert!(c(r"\<b\>").expect("literal angle").is_match("<b>"));
        assert!(c(r"[a&&b]").expect("literal &&").is_match("&"));
        assert!(c(r"[[:alpha:]]{2,3}").expect("posix class").is_match("ab"));
        assert!(c(r"[]a]").expect("leading ]").is_match("]"));
        assert!(c(r"a{1001}").is_err(), "Go limits repeat counts to 1000");
        assert!(c(r"a{99999999999999999999999}").is_err(), "huge counts too");
        assert!(c(r"a{2}").expect("repeat").is_match("aa"));
        // Octal escapes are fine, backreferences are not.
        assert!(c(r"\101").expect("octal").is_match("A"));
        assert!(c(r"\0").is_ok());
        assert_eq!(
            c(r"(a)\1").expect_err("backreference"),
            "error parsing regexp: invalid escape sequence: `\\1`"
        );
        assert!(c(r"\8").is_err());
    }

    #[test]
    fn glob_patterns() {
        assert_eq!(glob_match("*.yml", "a.yml"), Ok(true));
        assert_eq!(glob_match("*.yml", "a/b.yml"), Ok(false));
        assert_eq!(glob_match("[ab]?.json", "bx.json"), Ok(true));
        assert_eq!(glob_match("[^ab]x", "ax"), Ok(false));
        assert_eq!(glob_match("[a-c]", "b"), Ok(true));
        assert_eq!(glob_match("\\*", "*"), Ok(true));
        assert!(glob_match("[", "x").is_err());
        assert!(glob_match("a[", "a").is_err());
        assert!(glob_match("\\", "x").is_err());
    }
}
