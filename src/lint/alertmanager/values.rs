//! Value formats of the Alertmanager loader that the generic schema helpers do not cover:
//! Go durations (`time.ParseDuration`), HTTP(S) URLs, `host:port`, label names, RE2
//! regular expressions, and YAML 1.1 booleans / integers as Go's `yaml.v2` reads them.

use std::cell::RefCell;
use std::collections::HashMap;

use regex::Regex;

use crate::lint::http_config;
use crate::yaml::{Node, Value};

/// Parse a Go duration (`300ms`, `1.5h`, `2h45m`, `0`); returns nanoseconds (may be
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

/// `ParseURL` of Alertmanager: a URL Go can parse, scheme http or https, non-empty host.
pub fn parse_http_url(s: &str) -> Result<(), String> {
    if s.chars().any(|c| c.is_control()) {
        return Err(format!("parse {s:?}: net/url: invalid control character in URL"));
    }
    let Some(colon) = s.find(':') else {
        return Err("unsupported scheme \"\" for URL".into());
    };
    let scheme = &s[..colon];
    let valid_scheme = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if colon == 0 {
        return Err(format!("parse {s:?}: missing protocol scheme"));
    }
    if !valid_scheme {
        return Err("unsupported scheme \"\" for URL".into());
    }
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(format!("unsupported scheme {scheme:?} for URL"));
    }
    let rest = &s[colon + 1..];
    let Some(rest) = rest.strip_prefix("//") else {
        return Err("missing host for URL".into());
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    http_config::check_host(s, host)?;
    let hostname =
        if host.starts_with('[') { host } else { host.rsplit_once(':').map_or(host, |(h, _)| h) };
    if hostname.is_empty() {
        return Err("missing host for URL".into());
    }
    Ok(())
}

/// `net.SplitHostPort` plus Alertmanager's "port cannot be empty".
pub fn parse_host_port(s: &str) -> Result<(), String> {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let Some(i) = rest.find(']') else {
            return Err(format!("address {s}: missing ']' in address"));
        };
        let after = &rest[i + 1..];
        match after.strip_prefix(':') {
            Some(p) => (&rest[..i], p),
            None if after.is_empty() => {
                return Err(format!("address {s}: missing port in address"));
            }
            None => return Err(format!("address {s}: missing port in address")),
        }
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) => {
                if h.contains(':') {
                    return Err(format!("address {s}: too many colons in address"));
                }
                (h, p)
            }
            None => return Err(format!("address {s}: missing port in address")),
        }
    };
    let _ = host;
    if port.is_empty() {
        return Err(format!("address {s:?}: port cannot be empty"));
    }
    Ok(())
}

/// A classic (legacy) Prometheus label name: `[a-zA-Z_][a-zA-Z0-9_]*`.
pub fn is_classic_label_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
        && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
}

/// Compile a Go RE2 regular expression, anchored as Alertmanager does (`^(?:re)$`).
/// The error is a one-line reason.
pub fn compile_anchored(re: &str) -> Result<Regex, String> {
    thread_local! {
        // Configurations repeat the same regexes (and the fallback parser compiles each
        // twice): compiled ones are cheap to clone.
        static CACHE: RefCell<HashMap<String, Result<Regex, String>>> = RefCell::new(HashMap::new());
    }
    if let Some(hit) = CACHE.with(|c| c.borrow().get(re).cloned()) {
        return hit;
    }
    let out = translate_go_regex(re)
        .map_err(|e| format!("error parsing regexp {re:?}: {e}"))
        .and_then(|translated| {
            regex::RegexBuilder::new(&format!("^(?:{translated})$"))
                .octal(true)
                .size_limit(1 << 24)
                .build()
                .map_err(|e| regex_error(re, &e))
        });
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= 4096 {
            c.clear();
        }
        c.insert(re.to_string(), out.clone());
    });
    out
}

fn regex_error(re: &str, e: &regex::Error) -> String {
    let text = e.to_string();
    let reason = text
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .unwrap_or_else(|| text.lines().next().unwrap_or("invalid"));
    format!("error parsing regexp {re:?}: {reason}")
}

/// Rewrite Go RE2 syntax the regex crate reads differently: `\Q...\E` quoting (not
/// supported), `\<` and `\>` (literal in Go, word boundaries in the regex crate), `{` that
/// does not start a repetition (literal in Go, an error in the regex crate), `&&` and `~~` in
/// classes (literal in Go, set operations in the regex crate). Go's limit of 1000 on
/// repetition counts is enforced.
fn translate_go_regex(re: &str) -> Result<String, String> {
    let chars: Vec<char> = re.chars().collect();
    let mut out = String::with_capacity(re.len() + 8);
    let mut i = 0;
    let mut class_depth = 0usize;
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
                    'Q' if class_depth == 0 => {
                        let rest: String = chars[i + 2..].iter().collect();
                        let (lit, consumed) = match rest.find("\\E") {
                            Some(j) => (rest[..j].to_string(), rest[..j].chars().count() + 2),
                            None => (rest.clone(), rest.chars().count()),
                        };
                        out.push_str(&regex::escape(&lit));
                        i += 2 + consumed;
                        continue;
                    }
                    '<' | '>' => {
                        // Go: an escaped punctuation character is literal.
                        out.push(n);
                        i += 2;
                        continue;
                    }
                    _ => {
                        out.push('\\');
                        out.push(n);
                        i += 2;
                        continue;
                    }
                }
            }
            '[' => {
                if class_depth > 0 && chars.get(i + 1) == Some(&':') {
                    // [:alpha:] inside a class.
                    if let Some(end) = (i + 2..chars.len().saturating_sub(1))
                        .find(|&k| chars[k] == ':' && chars[k + 1] == ']')
                    {
                        out.extend(&chars[i..end + 2]);
                        i = end + 2;
                        continue;
                    }
                }
                if class_depth > 0 {
                    out.push_str("\\[");
                    i += 1;
                    continue;
                }
                class_depth = 1;
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
            ']' if class_depth > 0 => {
                class_depth = 0;
                out.push(']');
            }
            '&' | '~' if class_depth > 0 => {
                out.push('\\');
                out.push(c);
            }
            '{' if class_depth == 0 => {
                let rest: String = chars[i + 1..].iter().collect();
                match repetition(&rest) {
                    Some((len, max)) => {
                        if max > 1000 {
                            return Err(format!("invalid repeat count: `{{{}`", &rest[..len]));
                        }
                        out.push('{');
                        out.push_str(&rest[..len]);
                        i += 1 + rest[..len].chars().count();
                        continue;
                    }
                    None => out.push_str("\\{"),
                }
            }
            '}' if class_depth == 0 => out.push_str("\\}"),
            _ => out.push(c),
        }
        i += 1;
    }
    Ok(out)
}

/// A repetition body after `{`: `n}`, `n,}` or `n,m}`. Returns its length (through the
/// closing brace) and the largest count.
fn repetition(s: &str) -> Option<(usize, u64)> {
    let close = s.find('}')?;
    let body = &s[..close];
    let (a, b) = match body.split_once(',') {
        Some((a, b)) => (a, Some(b)),
        None => (body, None),
    };
    if a.is_empty() || !a.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let an: u64 = a.parse().ok()?;
    let max = match b {
        None | Some("") => an,
        Some(b) if b.bytes().all(|c| c.is_ascii_digit()) => b.parse().ok()?,
        Some(_) => return None,
    };
    Some((close + 1, max.max(an)))
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

/// Whether the value looks like an unexpanded environment variable (`${VAR}` / `$VAR`):
/// Alertmanager never expands them.
pub fn looks_like_env_var(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            let rest = &s[i + 1..];
            if let Some(r) = rest.strip_prefix('{') {
                let name_len =
                    r.bytes().take_while(|c| c.is_ascii_alphanumeric() || *c == b'_').count();
                if name_len > 0 && r[name_len..].starts_with('}') {
                    return true;
                }
            } else if i == 0 {
                let name_len = rest
                    .bytes()
                    .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
                    .count();
                if name_len >= 2 && name_len == rest.len() {
                    return true;
                }
            }
        }
        i += 1;
    }
    false
}

/// Query parameters that carry credentials.
const SECRET_PARAMS: &[&str] =
    &["token", "key", "apikey", "api_key", "secret", "password", "sig", "signature", "auth"];

/// A URL with a password in its user info or a credential-looking query parameter.
pub fn url_has_credentials(u: &str) -> bool {
    let rest = u.split_once("://").map_or(u, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.rsplit_once('@').is_some_and(|(ui, _)| ui.contains(':')) {
        return true;
    }
    let Some((_, query)) = rest.split_once('?') else {
        return false;
    };
    query.split('&').any(|kv| {
        let k = kv.split('=').next().unwrap_or("").to_ascii_lowercase();
        SECRET_PARAMS.contains(&k.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn http_urls() {
        assert!(parse_http_url("https://hooks.slack.com/services/T/B/X").is_ok());
        assert!(parse_http_url("http://127.0.0.1:9093/api").is_ok());
        assert!(parse_http_url("HTTP://EXAMPLE.com").is_ok());
        assert_eq!(
            parse_http_url("ftp://x").expect_err("must fail"),
            "unsupported scheme \"ftp\" for URL"
        );
        assert_eq!(
            parse_http_url("example.com/x").expect_err("must fail"),
            "unsupported scheme \"\" for URL"
        );
        assert_eq!(parse_http_url("http://").expect_err("must fail"), "missing host for URL");
        assert_eq!(parse_http_url("http:/x").expect_err("must fail"), "missing host for URL");
        assert!(parse_http_url("http://a b").is_err());
        assert!(parse_http_url("http://host:port").is_err());
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
    fn label_names_and_regexes() {
        assert!(is_classic_label_name("severity"));
        assert!(is_classic_label_name("_x9"));
        assert!(!is_classic_label_name("-invalid-"));
        assert!(!is_classic_label_name(""));
        assert!(!is_classic_label_name("service.name"));
        let re = compile_anchored("foo|bar").expect("re");
        assert!(re.is_match("bar"));
        assert!(!re.is_match("foobar"), "anchored");
        assert!(compile_anchored("(").expect_err("must fail").contains("error parsing regexp"));
        let q = compile_anchored(r"\Qa.b\E+").expect("quoted");
        assert!(q.is_match("a.bbb") && !q.is_match("axb"));
        // Go reads these literally; the regex crate would not.
        assert!(compile_anchored(r"a{,3}").expect("literal brace").is_match("a{,3}"));
        assert!(compile_anchored(r"x{").expect("literal brace").is_match("x{"));
        assert!(compile_anchored(r"\<b\>").expect("literal angle").is_match("<b>"));
        assert!(compile_anchored(r"[a&&b]").expect("literal &&").is_match("&"));
        assert!(compile_anchored(r"[[:alpha:]]{2,3}").expect("posix class").is_match("ab"));
        assert!(compile_anchored(r"[]a]").expect("leading ]").is_match("]"));
        assert!(compile_anchored(r"a{1001}").is_err(), "Go limits repeat counts to 1000");
        assert!(compile_anchored(r"a{2}").expect("repeat").is_match("aa"));
    }

    #[test]
    fn credentials_in_urls() {
        assert!(url_has_credentials("https://u:p@h/x"));
        assert!(url_has_credentials("https://h/x?token=abc"));
        assert!(!url_has_credentials("http://127.0.0.1:5001/alerts"));
    }

    #[test]
    fn env_vars() {
        assert!(looks_like_env_var("${SLACK_URL}"));
        assert!(looks_like_env_var("https://x/${TOKEN}/y"));
        assert!(looks_like_env_var("$PD_KEY"));
        assert!(!looks_like_env_var("price is $5"));
        assert!(!looks_like_env_var("{{ .Status }}"));
    }
}
