//! Value formats the Prometheus loader parses with Go libraries, re-implemented with the
//! same acceptance rules: `net/url` parsing, base-2 byte sizes (`alecthomas/units`),
//! duration formatting (`model.Duration.String`), label-name validation schemes, RE2
//! regular expressions anchored as relabelling does, and Go's `filepath.Match` globs.

use std::path::{Path, PathBuf};

/// How label and metric names are validated (`metric_name_validation_scheme`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NameScheme {
    /// Any non-empty valid UTF-8 (Prometheus 3.x default).
    #[default]
    Utf8,
    /// `[a-zA-Z_][a-zA-Z0-9_]*`.
    Legacy,
}

impl NameScheme {
    pub fn valid_label_name(self, name: &str) -> bool {
        match self {
            NameScheme::Utf8 => !name.is_empty(),
            NameScheme::Legacy => legacy_label_name(name),
        }
    }
}

/// `[a-zA-Z_][a-zA-Z0-9_]*`.
pub fn legacy_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The legacy relabel target pattern: legacy label-name characters plus `$var` / `${var}`
/// references (`^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$`).
pub fn legacy_relabel_target(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() {
        return false;
    }
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    // The pattern is a sequence of "heads" (a letter/underscore or a variable) each
    // followed by word characters; a digit can never start it.
    let mut first = true;
    while i < b.len() {
        let c = b[i];
        if c == b'$' {
            i += 1;
            if i < b.len() && b[i] == b'{' {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && word(b[j]) {
                    j += 1;
                }
                if j == start || j >= b.len() || b[j] != b'}' {
                    return false;
                }
                i = j + 1;
            } else {
                let start = i;
                while i < b.len() && word(b[i]) {
                    i += 1;
                }
                if i == start {
                    return false;
                }
            }
        } else if c.is_ascii_alphabetic() || c == b'_' || (c.is_ascii_digit() && !first) {
            i += 1;
        } else {
            return false;
        }
        first = false;
    }
    true
}

/// Compile a relabelling / matcher regex the way Prometheus does: anchored on both ends,
/// `.` matching newlines. The message follows Go's `error parsing regexp: ...`.
/// Results are memoised per thread: big configs repeat the same few patterns.
pub fn compile_anchored(re: &str) -> Result<regex::Regex, String> {
    const MAX_CACHED: usize = 4096;
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, Result<regex::Regex, String>>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    if let Some(hit) = CACHE.with(|c| c.borrow().get(re).cloned()) {
        return hit;
    }
    let compiled = compile_uncached(re);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= MAX_CACHED {
            c.clear();
        }
        c.insert(re.to_string(), compiled.clone());
    });
    compiled
}

fn compile_uncached(re: &str) -> Result<regex::Regex, String> {
    check_go_regex_syntax(re)?;
    regex::Regex::new(&format!("^(?s:{re})$")).map_err(|e| {
        let detail = match &e {
            regex::Error::Syntax(s) => last_line(s),
            regex::Error::CompiledTooBig(_) => "expression too large".to_string(),
            _ => e.to_string(),
        };
        format!("error parsing regexp: {detail} in `{re}`")
    })
}

fn last_line(s: &str) -> String {
    // regex-syntax errors are multi-line with a caret drawing; keep the sentence.
    s.lines()
        .rev()
        .find(|l| l.trim_start().starts_with("error:"))
        .map(|l| l.trim_start().trim_start_matches("error:").trim().to_string())
        .unwrap_or_else(|| s.lines().last().unwrap_or(s).trim().to_string())
}

/// Constructs Go's RE2 parser refuses but the `regex` crate accepts.
fn check_go_regex_syntax(re: &str) -> Result<(), String> {
    let b = re.as_bytes();
    let mut i = 0;
    let mut in_class = false;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' {
            if let Some(&n) = b.get(i + 1)
                && !in_class
                && (n == b'<' || n == b'>')
            {
                return Err(format!(
                    "error parsing regexp: invalid escape sequence: `\\{}` in `{re}`",
                    n as char
                ));
            }
            i += 2;
            continue;
        }
        if in_class {
            if c == b']' {
                in_class = false;
            }
        } else if c == b'[' {
            in_class = true;
            // A leading `]` or `^]` is literal.
            if b.get(i + 1) == Some(&b'^') {
                i += 1;
            }
            if b.get(i + 1) == Some(&b']') {
                i += 1;
            }
        } else if c == b'{' {
            // Go rejects repeat counts above 1000.
            let mut j = i + 1;
            let mut nums = Vec::new();
            let mut cur = String::new();
            let mut ok = false;
            while j < b.len() {
                match b[j] {
                    d if d.is_ascii_digit() => cur.push(d as char),
                    b',' => {
                        nums.push(std::mem::take(&mut cur));
                    }
                    b'}' => {
                        nums.push(std::mem::take(&mut cur));
                        ok = true;
                        break;
                    }
                    _ => break,
                }
                j += 1;
            }
            if ok && !nums.is_empty() && !nums[0].is_empty() {
                for n in &nums {
                    if n.len() > 4 || n.parse::<u32>().is_ok_and(|v| v > 1000) {
                        return Err(format!(
                            "error parsing regexp: invalid repeat count: `{}` in `{re}`",
                            &re[i..=j]
                        ));
                    }
                }
            }
        }
        i += 1;
    }
    Ok(())
}

/// Go's `model.Duration.String` (`1m`, `1h30m`, `90d`, `0s`).
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

/// What `net/url.Parse` makes of a string (the parts the loader looks at).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GoUrl {
    pub scheme: String,
    pub host: String,
    pub opaque: String,
    pub path: String,
}

/// `net/url.Parse`, with its error messages (`parse "x": missing protocol scheme`).
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
    if let Some(stripped) = host.strip_prefix('[') {
        let Some(i) = host.rfind(']') else {
            return Err("missing ']' in host".into());
        };
        let _ = stripped;
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

type GlobCache = Option<std::collections::HashMap<String, Result<Vec<PathBuf>, BadPattern>>>;

thread_local! {
    /// Glob results memoised during one check (many jobs name the same file_sd pattern);
    /// active only inside [`with_glob_cache`].
    static GLOB_CACHE: std::cell::RefCell<GlobCache> = const { std::cell::RefCell::new(None) };
}

/// Run `f` with glob results memoised (the file system is read once per pattern).
pub fn with_glob_cache<T>(f: impl FnOnce() -> T) -> T {
    let outer = GLOB_CACHE.with(|c| c.borrow().is_some());
    if !outer {
        GLOB_CACHE.with(|c| *c.borrow_mut() = Some(std::collections::HashMap::new()));
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

/// Display form of a path found from a file shown as `display` (keeps relative paths
/// relative to what the user typed).
pub fn display_near(display: &str, base: &Path, found: &Path) -> String {
    if let Ok(rel) = found.strip_prefix(base) {
        let parent = Path::new(display).parent().filter(|p| !p.as_os_str().is_empty());
        return match parent {
            Some(p) => p.join(rel).display().to_string(),
            None => rel.display().to_string(),
        };
    }
    found.display().to_string()
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
    fn label_names() {
        assert!(NameScheme::Legacy.valid_label_name("a_b1"));
        assert!(!NameScheme::Legacy.valid_label_name("1a"));
        assert!(!NameScheme::Legacy.valid_label_name("a.b"));
        assert!(NameScheme::Utf8.valid_label_name("a.b"));
        assert!(!NameScheme::Utf8.valid_label_name(""));
        assert!(legacy_relabel_target("${1}"));
        assert!(legacy_relabel_target("foo_$1_bar"));
        assert!(legacy_relabel_target("__tmp"));
        assert!(!legacy_relabel_target("1abc"));
        assert!(!legacy_relabel_target("a-b"));
        assert!(!legacy_relabel_target("${}"));
    }

    #[test]
    fn regexes() {
        assert!(compile_anchored("(.*)").is_ok());
        assert!(compile_anchored("abc(def").is_err_and(|e| e.starts_with("error parsing regexp")));
        assert!(compile_anchored("a{1001}").is_err_and(|e| e.contains("invalid repeat count")));
        assert!(compile_anchored(r"\<a").is_err());
        let r = compile_anchored("a.c").expect("re");
        assert!(r.is_match("a\nc"));
        assert!(!r.is_match("xa.c"));
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
