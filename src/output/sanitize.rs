//! The one terminal sanitiser. Text that came from outside (dashboard titles, server error
//! messages, HTML titles, archive member names, file names, label values) must never drive
//! the terminal: an ESC could move the cursor, rewrite the screen, set the window title or
//! hide text; a BEL rings; U+202E (right-to-left override) and the other bidirectional
//! controls reorder what is shown, so `evil\u{202e}txt.json` reads as `evilnosj.txt`.
//!
//! Every human format ([`crate::output::Ui::render`] for `human`, `github`, `prometheus`;
//! [`crate::output::Ui::info`] / `warn` / `error` / `debug`; progress lines) passes through
//! [`terminal_safe`] as its last step, so a renderer that forgets to clean a string still
//! cannot send it raw. Renderers that lay out columns call [`clean`] on outside strings
//! first, so widths are measured on what is shown. JSON (and SARIF, which is JSON) keeps the
//! exact text: it is escaped by JSON itself and scripts need the real bytes.
//!
//! What is escaped, written the way Rust writes it (`\u{1b}`, `\u{202e}`), so the reader
//! sees that something was there: every C0 control but tab and newline (newline too in
//! [`clean`], which is for one-line fields), DEL, every C1 control (U+0080..U+009F, which
//! some terminals obey like ESC), and the invisible format characters that change how text
//! reads: bidi embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069), marks
//! (U+200E, U+200F, U+061C), zero-width characters (U+200B..U+200D, U+2060..U+2064, U+FEFF)
//! and the interlinear annotation characters (U+FFF9..U+FFFB).

use std::borrow::Cow;

/// True for a character that must not reach a terminal as it is (tab and newline aside).
pub fn dangerous(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}')
}

fn push_escaped(out: &mut String, c: char) {
    use std::fmt::Write as _;
    let _ = write!(out, "\\u{{{:x}}}", c as u32);
}

/// One outside string for a one-line field (a table cell, a title, a message): every
/// control character, newline included, and every invisible format character escaped.
/// Borrowed when there is nothing to escape (the common case costs no allocation).
pub fn clean(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c == '\n' || c == '\t' || dangerous(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if dangerous(c) => push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The SGR parameters this program's own colours use ([`crate::output::Paint`]) and the
/// resets tabled writes when it wraps coloured cells. Nothing else (no conceal, no blink,
/// no cursor movement, no OSC) is ever let through.
const OWN_SGR: &[&str] = &["0", "1", "2", "22", "31", "32", "33", "34", "39", "1;31", "1;33", ""];

/// The length of the colour sequence at the start of `s` (which starts with ESC) when it is
/// one of this program's own, else `None`.
fn own_sgr_len(s: &str) -> Option<usize> {
    let rest = s.strip_prefix("\x1b[")?;
    let end = rest.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
    if rest[end..].starts_with('m') && OWN_SGR.contains(&&rest[..end]) {
        Some(2 + end + 1)
    } else {
        None
    }
}

/// A whole rendered text on its way to a terminal or a log: newlines and tabs are kept,
/// every other control and invisible format character is escaped. With `colour`, the
/// colour sequences this program writes itself are kept (and only those); without, every
/// ESC is escaped.
pub fn terminal_safe(s: &str, colour: bool) -> Cow<'_, str> {
    if !s.chars().any(dangerous) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        if c == '\x1b'
            && colour
            && let Some(n) = own_sgr_len(&s[i..])
        {
            out.push_str(&s[i..i + n]);
            i += n;
            continue;
        }
        if dangerous(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
        i += c.len_utf8();
    }
    Cow::Owned(out)
}

/// `text` with the credentials of every URL in it hidden: `http://admin:pass@host:3000/x`
/// becomes `http://***@host:3000/x`. Works on a lone URL and on a sentence that quotes
/// URLs (reqwest's and the user's own error messages). Every URL that is shown (messages,
/// reports, JSON) or stored (backup manifests) goes through it; requests still use the
/// real one.
pub fn redact_url(text: &str) -> Cow<'_, str> {
    if !text.contains("://") || !text.contains('@') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        let end = tail
            .find(|c: char| {
                matches!(c, '/' | '?' | '#' | '`' | '"' | '\'' | '<' | '>' | ')')
                    || c.is_whitespace()
            })
            .unwrap_or(tail.len());
        let authority = &tail[..end];
        match authority.rfind('@') {
            Some(at) => {
                out.push_str("***");
                out.push_str(&authority[at..]);
                changed = true;
            }
            None => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    if changed { Cow::Owned(out) } else { Cow::Borrowed(text) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_urls_are_hidden() {
        assert_eq!(redact_url("http://admin:pass@host:3000"), "http://***@host:3000");
        assert_eq!(redact_url("https://tok@h/api?x=a@b"), "https://***@h/api?x=a@b");
        assert_eq!(
            redact_url(
                "cannot reach Grafana at http://u:p%40ss@g:3000/api/health: refused (see `http://a:b@c`)"
            ),
            "cannot reach Grafana at http://***@g:3000/api/health: refused (see `http://***@c`)"
        );
        assert!(matches!(redact_url("http://host:3000/x@y"), Cow::Borrowed(_)));
        assert!(matches!(redact_url("mail me@example.org"), Cow::Borrowed(_)));
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(clean("Stellar connector"), Cow::Borrowed(_)));
        assert!(matches!(terminal_safe("a\tb\nc ünïcode 📈", false), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_bel_and_bidi_controls_are_written_out() {
        assert_eq!(clean("a\x1b[2Jb\x07"), "a\\u{1b}[2Jb\\u{7}");
        assert_eq!(clean("invoice\u{202e}nosj.exe"), "invoice\\u{202e}nosj.exe");
        assert_eq!(clean("two\nlines\ttab"), "two\\nlines tab");
        assert_eq!(clean("c1 \u{9b}31m"), "c1 \\u{9b}31m");
        assert_eq!(clean("zw\u{200b}j \u{feff} \u{2067}"), "zw\\u{200b}j \\u{feff} \\u{2067}");
        assert_eq!(clean("del\x7f"), "del\\u{7f}");
    }

    #[test]
    fn whole_texts_keep_lines_and_only_our_own_colours() {
        let ours = "\x1b[31mfailed\x1b[0m \x1b[1;33mwarning:\x1b[0m \x1b[33mx\x1b[39m\n";
        assert_eq!(terminal_safe(ours, true), ours);
        // Without colour, even our own sequences go (they cannot be there, but if they were,
        // they came from outside).
        assert_eq!(terminal_safe("\x1b[31mx", false), "\\u{1b}[31mx");
        // Hostile sequences are escaped even when colour is on: clear screen, conceal, OSC
        // window title, hyperlinks, cursor movement, bidi override.
        for evil in [
            "\x1b[2J",
            "\x1b[8m",
            "\x1b]0;pwned\x07",
            "\x1b]8;;http://x\x1b\\",
            "\x1b[1A",
            "\u{202e}",
        ] {
            let s = terminal_safe(evil, true);
            assert!(!s.contains('\x1b') && !s.contains('\x07') && !s.contains('\u{202e}'), "{s}");
        }
        assert_eq!(terminal_safe("a\tb\r\n", true), "a\tb\\u{d}\n");
    }
}
