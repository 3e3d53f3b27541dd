//! Alertmanager's log, read for the drill: which integration failed to notify and why.
//!
//! Alertmanager logs in logfmt (go-kit up to 0.27, slog since 0.28; the keys used here are
//! the same in both):
//!
//! ```text
//! ... level=warn component=dispatcher receiver=bad integration=webhook[0] msg="Notify attempt failed, will retry later" attempts=1 err="unexpected status code 500: ..."
//! ... level=error component=dispatcher msg="Notify for alerts failed" num_alerts=1 err="bad/webhook[0]: notify retry canceled after 7 attempts: unexpected status code 500: ..."
//! ... level=info ... receiver=ok integration=webhook[0] msg="Notify success" attempts=3
//! ```
//!
//! The first is one failed attempt (Alertmanager retries until the group's interval runs
//! out), the second the final failure of one or more integrations (`; `-separated), the
//! third a success after retries (a first-time success is only logged at debug level).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex::Regex;

/// The longest error text kept from a log line.
pub const MAX_ERROR: usize = 600;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// One attempt failed; Alertmanager will retry.
    AttemptFailed,
    /// Alertmanager gave up: the notification failed.
    Failed,
    /// Delivered (logged only after retries, or at debug level).
    Succeeded,
}

/// What the log says about one integration of one receiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: EventKind,
    pub receiver: String,
    /// `webhook`, `email`, ...
    pub integration: String,
    pub index: usize,
    pub error: String,
    /// The line's own timestamp (`ts=` or `time=`), as written.
    pub time: Option<String>,
}

/// `key=value` pairs of a logfmt line (values unquoted, `\"` and `\\` unescaped).
pub fn logfmt(line: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut key_end = start;
        let mut has_eq = false;
        while let Some(&(i, c)) = chars.peek() {
            if c == '=' {
                key_end = i;
                has_eq = true;
                chars.next();
                break;
            }
            if c.is_whitespace() {
                key_end = i;
                break;
            }
            key_end = i + c.len_utf8();
            chars.next();
        }
        let key = &line[start..key_end];
        if !has_eq {
            continue;
        }
        let mut value = String::new();
        if let Some(&(_, '"')) = chars.peek() {
            chars.next();
            let mut escaped = false;
            for (_, c) in chars.by_ref() {
                if escaped {
                    value.push(match c {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    });
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    break;
                } else {
                    value.push(c);
                }
            }
        } else {
            while let Some(&(_, c)) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                value.push(c);
                chars.next();
            }
        }
        if !key.is_empty() {
            out.insert(key.to_string(), value);
        }
    }
    out
}

/// `webhook[0]` → (`webhook`, 0).
fn split_integration(s: &str) -> Option<(String, usize)> {
    let (kind, rest) = s.split_once('[')?;
    let idx = rest.strip_suffix(']')?.parse().ok()?;
    (!kind.is_empty()).then(|| (kind.to_string(), idx))
}

fn bounded(s: &str) -> String {
    crate::api::http::truncate(s.trim(), MAX_ERROR)
}

/// `receiver/integration[i]: ` at the start of each part of a final failure's error.
fn part_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?:^|; )([^/\s;]+)/([A-Za-z0-9_]+)\[(\d+)\]: ").expect("static regex")
    })
}

/// The events of one log line (none for lines about other things).
pub fn parse_line(line: &str) -> Vec<Event> {
    if !line.contains("Notify") {
        return Vec::new();
    }
    let kv = logfmt(line);
    let msg = kv.get("msg").map(String::as_str).unwrap_or("");
    let time = kv.get("ts").or_else(|| kv.get("time")).cloned();
    let err = kv.get("err").map(String::as_str).unwrap_or("");
    let one = |kind: EventKind| -> Vec<Event> {
        let (Some(receiver), Some((integration, index))) =
            (kv.get("receiver"), kv.get("integration").and_then(|i| split_integration(i)))
        else {
            return Vec::new();
        };
        vec![Event {
            kind,
            receiver: receiver.clone(),
            integration,
            index,
            error: bounded(err),
            time: time.clone(),
        }]
    };
    if msg.starts_with("Notify attempt failed") {
        return one(EventKind::AttemptFailed);
    }
    if msg == "Notify success" {
        return one(EventKind::Succeeded);
    }
    if msg != "Notify for alerts failed" {
        return Vec::new();
    }
    // One error per failed integration of the receiver, `; `-joined.
    let starts: Vec<_> = part_re().captures_iter(err).collect();
    let mut out = Vec::new();
    for (n, c) in starts.iter().enumerate() {
        let whole = c.get(0).map_or(0..0, |m| m.range());
        let end = starts.get(n + 1).and_then(|x| x.get(0)).map_or(err.len(), |m| m.start());
        let (Some(r), Some(k), Some(i)) = (c.get(1), c.get(2), c.get(3)) else { continue };
        let Ok(index) = i.as_str().parse() else { continue };
        out.push(Event {
            kind: EventKind::Failed,
            receiver: r.as_str().to_string(),
            integration: k.as_str().to_string(),
            index,
            error: bounded(&err[whole.end..end]),
            time: time.clone(),
        });
    }
    out
}

/// The events of a chunk of log text, in order.
pub fn parse(text: &str) -> Vec<Event> {
    text.lines().flat_map(parse_line).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Lines as Debian's Alertmanager 0.25 writes them (go-kit) and as 0.28 does (slog).
    const ATTEMPT: &str = r#"ts=2026-12-02T04:22:00.858Z caller=notify.go:732 level=warn component=dispatcher receiver=bad integration=webhook[0] msg="Notify attempt failed, will retry later" attempts=1 err="unexpected status code 500: http://127.0.0.1:18931/fail: boom""#;
    const FINAL: &str = r#"ts=2026-12-02T04:22:10.854Z caller=dispatch.go:352 level=error component=dispatcher msg="Notify for alerts failed" num_alerts=1 err="bad/webhook[0]: notify retry canceled after 7 attempts: unexpected status code 500: http://127.0.0.1:18931/fail: boom""#;
    const SLOG: &str = r##"time=2025-03-01T10:00:00.000Z level=ERROR source=dispatch.go:360 msg="Notify for alerts failed" component=dispatcher num_alerts=1 err="critical/email[0]: notify retry canceled after 3 attempts: establish connection to server: dial tcp: lookup smtp.example.com: no such host; critical/slack[0]: notify retry canceled due to unrecoverable error after 1 attempts: channel \"#ops-critical\": unexpected status code 404: no_team""##;

    #[test]
    fn attempt_and_final_failures_are_read() {
        let a = parse_line(ATTEMPT);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].kind, EventKind::AttemptFailed);
        assert_eq!(
            (a[0].receiver.as_str(), a[0].integration.as_str(), a[0].index),
            ("bad", "webhook", 0)
        );
        assert_eq!(a[0].error, "unexpected status code 500: http://127.0.0.1:18931/fail: boom");
        assert_eq!(a[0].time.as_deref(), Some("2026-12-02T04:22:00.858Z"));
        let f = parse_line(FINAL);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, EventKind::Failed);
        assert_eq!(
            f[0].error,
            "notify retry canceled after 7 attempts: unexpected status code 500: http://127.0.0.1:18931/fail: boom"
        );
    }

    #[test]
    fn a_final_failure_of_several_integrations_is_split() {
        let f = parse_line(SLOG);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!((f[0].integration.as_str(), f[1].integration.as_str()), ("email", "slack"));
        assert!(f[0].error.ends_with("no such host"), "{}", f[0].error);
        assert!(f[1].error.contains("channel \"#ops-critical\""), "{}", f[1].error);
        assert_eq!(f[1].time.as_deref(), Some("2025-03-01T10:00:00.000Z"));
    }

    #[test]
    fn other_lines_and_garbage_are_ignored() {
        assert!(parse("level=info msg=\"Completed loading of configuration file\"\n\x1b[31mNotify\nNotify=\"\"").is_empty());
        let kv = logfmt(r#"a=1 b="x \"y\" z" c= d"#);
        assert_eq!(kv["a"], "1");
        assert_eq!(kv["b"], "x \"y\" z");
        assert_eq!(kv["c"], "");
        assert!(!kv.contains_key("d"));
        let long = format!(
            "receiver=r integration=email[0] msg=\"Notify attempt failed\" err=\"{}\"",
            "x".repeat(5000)
        );
        assert!(parse_line(&long)[0].error.chars().count() <= MAX_ERROR + 1);
    }
}
