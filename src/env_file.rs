//! The Compose `.env` file: `KEY=VALUE` lines, `#` comments, optional quotes.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};

/// Parse `.env` text. Later assignments win, as in Compose.
pub fn parse(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let t = t.strip_prefix("export ").unwrap_or(t);
        let Some((k, v)) = t.split_once('=') else { continue };
        let k = k.trim();
        if k.is_empty() {
            continue;
        }
        out.insert(k.to_string(), unquote(v.trim()));
    }
    out
}

fn unquote(v: &str) -> String {
    let b = v.as_bytes();
    if b.len() >= 2
        && ((b[0] == b'"' && b[b.len() - 1] == b'"') || (b[0] == b'\'' && b[b.len() - 1] == b'\''))
    {
        return v[1..v.len() - 1].to_string();
    }
    // An unquoted value ends at ` #` (inline comment).
    match v.find(" #") {
        Some(i) => v[..i].trim_end().to_string(),
        None => v.to_string(),
    }
}

/// Read and parse a `.env` file.
pub fn read(path: &Path) -> Result<BTreeMap<String, String>> {
    let text = crate::fsutil::read_capped_string(path, 1 << 20)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(parse(&text))
}

/// Whether `line` assigns `key` (`KEY=...`, `export KEY=...`, spaces allowed).
fn assigns(line: &str, key: &str) -> bool {
    let t = line.trim_start();
    let t = t.strip_prefix("export ").map(str::trim_start).unwrap_or(t);
    t.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with('='))
}

/// The line that assigns `key` (the last one: later assignments win), byte for byte.
pub fn assignment_line<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().rfind(|l| assigns(l, key))
}

/// Set `key` to `value` in `.env` text, replacing an existing assignment or appending one.
pub fn set(text: &str, key: &str, value: &str) -> String {
    set_line(text, key, &format!("{key}={value}"))
}

/// Put `line` (a whole `KEY=...` line, kept as is: quotes, `$`, comments) in place of the
/// first assignment of `key` in `.env` text, or append it.
pub fn set_line(text: &str, key: &str, line: &str) -> String {
    let mut out = String::with_capacity(text.len() + line.len() + 1);
    let mut done = false;
    for l in text.lines() {
        if assigns(l, key) && !done {
            out.push_str(line);
            done = true;
        } else {
            out.push_str(l);
        }
        out.push('\n');
    }
    if !done {
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_comments_quotes_and_exports() {
        let m = parse("# c\nA=1\nexport B=\"two words\"\nC='x=y'\nD=val # note\n\nbad line\n");
        assert_eq!(m.get("A").map(String::as_str), Some("1"));
        assert_eq!(m.get("B").map(String::as_str), Some("two words"));
        assert_eq!(m.get("C").map(String::as_str), Some("x=y"));
        assert_eq!(m.get("D").map(String::as_str), Some("val"));
        assert_eq!(m.len(), 4);
    }

    #[test]
    fn set_replaces_or_appends() {
        let t = set("A=1\nB=2\n", "B", "3");
        assert_eq!(t, "A=1\nB=3\n");
        let t = set("A=1\n", "C", "x");
        assert_eq!(t, "A=1\nC=x\n");
        let t = set("AB=1\n", "A", "2");
        assert_eq!(t, "AB=1\nA=2\n");
    }

    #[test]
    fn assignment_lines_are_kept_byte_for_byte() {
        let text = "A=1\nP='Pa$$w0rd$x'\nexport  P = \"my pass # with hash\"  # note\n";
        let line = assignment_line(text, "P").expect("line");
        assert_eq!(line, "export  P = \"my pass # with hash\"  # note");
        assert_eq!(set_line("X=1\nP=change-me\n", "P", line), format!("X=1\n{line}\n"));
        assert_eq!(assignment_line("PX=1\n", "P"), None);
    }
}
