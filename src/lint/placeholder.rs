//! Secret values that are obviously placeholders (`xxxx`, `password`, `<secret>`,
//! `changeme`, `${SLACK_URL}`): an example or template config, not a leaked secret.

/// Words that, alone (any case, `-`/`_` ignored), are placeholders rather than secrets.
const WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "secret",
    "token",
    "apikey",
    "apitoken",
    "key",
    "changeme",
    "changeit",
    "replaceme",
    "todo",
    "tbd",
    "fixme",
    "dummy",
    "example",
    "sample",
    "test",
    "placeholder",
    "redacted",
    "none",
    "null",
    "empty",
    "foo",
    "bar",
    "foobar",
];

/// Parts that mark a value as a placeholder wherever they appear.
const PARTS: &[&str] = &[
    "changeme",
    "change_me",
    "change-me",
    "replace_me",
    "replace-me",
    "your_",
    "your-",
    "<",
    "example.com",
    "example.org",
];

/// Whether `value` is a placeholder: a word of [`WORDS`], text in angle brackets, an
/// environment or template reference (`${X}`, `$X`, `{{ x }}`), a run of four or more `x`
/// (`xxxx`, `XXXXXXXX` in a webhook URL), or one character repeated (`****`, `0000`).
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    let word: String = lower.chars().filter(|c| *c != '-' && *c != '_').collect();
    if WORDS.contains(&word.as_str()) {
        return true;
    }
    if lower.contains("xxxx") || PARTS.iter().any(|p| lower.contains(p)) {
        return true;
    }
    if v.contains("{{") || looks_like_env_var(v) {
        return true;
    }
    let mut chars = v.chars();
    let first = chars.next();
    v.chars().count() >= 3 && chars.all(|c| Some(c) == first)
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

#[cfg(test)]
mod tests {
    use super::{is_placeholder, looks_like_env_var};

    #[test]
    fn env_vars() {
        assert!(looks_like_env_var("${SLACK_URL}"));
        assert!(looks_like_env_var("https://x/${TOKEN}/y"));
        assert!(looks_like_env_var("$PD_KEY"));
        assert!(!looks_like_env_var("price is $5"));
        assert!(!looks_like_env_var("{{ .Status }}"));
    }

    #[test]
    fn placeholders_and_real_looking_secrets() {
        for p in [
            "xxxx",
            "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX",
            "password",
            "Change-Me",
            "<secret>",
            "<your api key>",
            "${SLACK_WEBHOOK}",
            "$PD_KEY",
            "{{ .Vars.token }}",
            "********",
            "your_token_here",
            "https://user:pass@example.com/hook",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for s in [
            "",
            "9f2c1e7ab04d4c5e",
            "https://hooks.slack.com/services/T024BE7LD/B0B5S3F2A/kq8Zb1xYv0p2Hn3Wm4Rt",
            "s3cr3t-Prod-2024!",
            "aaab",
        ] {
            assert!(!is_placeholder(s), "{s}");
        }
    }
}
