//! Human output, like rustc and pint: `error[code]: message`, ` --> path:line:col`, the
//! source line with carets under the offending token, `= help: ...`, then a summary line.
//! Errors come before warnings; notes (checks skipped, and why) before the summary.

use crate::output::sanitize::dangerous;
use std::fmt::Write as _;

use super::LintReport;
use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::output::Paint;

pub fn render(r: &LintReport, paint: &Paint) -> String {
    let mut out = String::new();
    // Errors first: a parse error is never buried under warnings.
    for d in r.errors_first() {
        one(&mut out, d, r.sources.get(&d.path).map(String::as_str), paint);
        out.push('\n');
    }
    for n in &r.notes {
        let _ = writeln!(out, "{} {n}", paint.bold("note:"));
    }
    let (e, w, i) = (r.errors(), r.warnings(), r.infos());
    let files = plural(r.files, "file");
    let mut line = if e == 0 && w == 0 {
        format!("{files} checked, no problems")
    } else {
        format!("{files} checked: {}, {}", plural(e, "error"), plural(w, "warning"))
    };
    if i > 0 {
        line.push_str(&format!(" ({} for information)", plural(i, "note")));
    }
    let label = if e > 0 {
        paint.red("summary:")
    } else if w > 0 {
        paint.yellow("summary:")
    } else {
        paint.green("summary:")
    };
    let _ = writeln!(out, "{} {line}", label);
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

/// The length in characters of the token starting at (1-based) `col` of `line`.
pub fn token_len(line: &str, col: u32) -> usize {
    let rest: Vec<char> = line.chars().skip(col.saturating_sub(1) as usize).collect();
    let Some(&first) = rest.first() else { return 1 };
    let word = |c: char| c.is_alphanumeric() || matches!(c, '_' | ':' | '.' | '-' | '/');
    if first == '"' || first == '\'' {
        let mut esc = false;
        for (i, &c) in rest.iter().enumerate().skip(1) {
            if esc {
                esc = false;
            } else if c == '\\' && first == '"' {
                esc = true;
            } else if c == first {
                return i + 1;
            }
        }
        rest.len().max(1)
    } else if let Some(len) = placeholder_len(&rest) {
        len
    } else if word(first) {
        rest.iter().take_while(|c| word(**c)).count().max(1)
    } else {
        1
    }
}

/// A placeholder such as `<your-key>` or `<team X key>` at the start of `rest`: its length.
/// Not a comparison (`a < b`, `x<y and z>w`): text right after `<`, only words inside, and
/// the value ends at `>`.
fn placeholder_len(rest: &[char]) -> Option<usize> {
    if rest.first() != Some(&'<') || rest.get(1).is_none_or(|c| c.is_whitespace()) {
        return None;
    }
    let end = rest.iter().position(|c| *c == '>')?;
    let inside_ok =
        rest[1..end].iter().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' ' | '.'));
    let ends = rest.get(end + 1).is_none_or(|c| c.is_whitespace() || matches!(c, '"' | '\'' | ','));
    (inside_ok && ends).then_some(end + 1)
}

/// The widest source line shown; longer lines are cut to a window around the column.
const SNIPPET_WIDTH: usize = 120;

/// What of a source line is shown, and the column within it: at most [`SNIPPET_WIDTH`]
/// characters around `col` (`…` where cut), control characters as `�` so that a crafted or
/// binary file cannot drive the terminal (tabs are kept for alignment).
fn visible(line: &str, col: u32) -> (String, u32) {
    let chars: Vec<char> =
        line.chars().map(|c| if dangerous(c) || c == '\n' { '\u{FFFD}' } else { c }).collect();
    let at = col.saturating_sub(1) as usize;
    if chars.len() <= SNIPPET_WIDTH {
        return (chars.into_iter().collect(), col);
    }
    let start = at.saturating_sub(SNIPPET_WIDTH / 3).min(chars.len().saturating_sub(SNIPPET_WIDTH));
    let end = (start + SNIPPET_WIDTH).min(chars.len());
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    let col = (at.saturating_sub(start) + 1 + usize::from(start > 0)) as u32;
    (shown, col)
}

/// Control and bidi characters in a message (from the file's own text: label names,
/// values) are written escaped by the one sanitiser, never sent to the terminal as they are.
pub fn printable(s: &str) -> String {
    crate::output::clean(&s.replace('\n', " ")).into_owned()
}

/// One diagnostic with its source line (shared with the `test` reports).
pub fn one(out: &mut String, d: &Diagnostic, text: Option<&str>, paint: &Paint) {
    let head = match d.severity {
        Severity::Error => paint.red(&format!("error[{}]", d.code)),
        Severity::Warning => paint.yellow(&format!("warning[{}]", d.code)),
        Severity::Info => paint.blue(&format!("info[{}]", d.code)),
    };
    let _ = writeln!(out, "{}{} {}", head, paint.bold(":"), paint.bold(&printable(&d.message)));
    let line_text = text.and_then(|t| t.lines().nth(d.line as usize - 1));
    let width = d.line.to_string().len();
    let pad = " ".repeat(width);
    let _ = writeln!(out, "{pad}{} {}:{}:{}", paint.blue("-->"), d.path, d.line, d.column);
    if let Some(l) = line_text {
        let (l, column) = visible(l.trim_end_matches('\r'), d.column);
        let l = l.as_str();
        let bar = paint.blue("|");
        let _ = writeln!(out, "{pad} {bar}");
        let _ = writeln!(out, "{} {bar} {l}", paint.blue(&d.line.to_string()));
        // Keep tabs so the caret lines up with the text above it.
        let lead: String = l
            .chars()
            .take(column.saturating_sub(1) as usize)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let carets = "^".repeat(token_len(l, column));
        let carets = match d.severity {
            Severity::Error => paint.red(&carets),
            Severity::Warning => paint.yellow(&carets),
            Severity::Info => paint.blue(&carets),
        };
        let _ = writeln!(out, "{pad} {bar} {lead}{carets}");
    }
    if let Some(h) = &d.help {
        let h = printable(h);
        let _ = writeln!(out, "{pad} {} {}", paint.blue("="), paint.bold(&format!("help: {h}")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot() {
        let r = super::super::sample();
        let s = render(&r, &Paint::default());
        assert_eq!(
            s,
            "error[rules/promql-syntax]: could not parse expression: expected type matrix in call to function 'rate', got vector\n \
--> rules.yml:5:15\n  |\n5 |         expr: rate(up)\n  |               ^^^^\n  \
= help: rate() needs a range vector, e.g. rate(up[5m])\n\n\
warning[rules/duplicate]: duplicate rule: `A`, 50% \"same\" second line\n \
--> rules.yml:4:14\n  |\n4 |       - alert: A\n  |              ^\n\n\
summary: 1 file checked: 1 error, 1 warning\n"
        );
    }

    #[test]
    fn token_lengths() {
        assert_eq!(token_len("  expr: rate(up)", 9), 4);
        assert_eq!(token_len("  a: \"quoted \\\" x\" y", 6), 13);
        assert_eq!(token_len("x", 5), 1);
        assert_eq!(token_len("a + b", 3), 1);
        assert_eq!(token_len("  key: <your-key> x", 8), 10);
        assert_eq!(token_len("a < b", 3), 1);
        assert_eq!(token_len("x<y and z>w", 2), 1);
        assert_eq!(token_len("k: '<team X key>'", 5), 12);
    }

    #[test]
    fn long_lines_are_windowed_around_the_column_and_control_characters_hidden() {
        let short = "  expr: rate(up)";
        assert_eq!(visible(short, 9), (short.to_string(), 9));
        let long = format!("{}TARGET{}", "a".repeat(300), "b".repeat(300));
        let (shown, col) = visible(&long, 301);
        assert!(shown.chars().count() <= SNIPPET_WIDTH + 2, "{}", shown.len());
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        let from_col: String = shown.chars().skip(col as usize - 1).take(6).collect();
        assert_eq!(from_col, "TARGET");
        // Near the end: no trailing ellipsis, the column still points at the same text.
        let tail = format!("{}END", "x".repeat(500));
        let (shown, col) = visible(&tail, 501);
        assert!(!shown.ends_with('…'));
        assert_eq!(shown.chars().skip(col as usize - 1).collect::<String>(), "END");
        // An escape sequence in a file is shown, not run.
        let (shown, _) = visible("a: \x1b[2Jx\tz", 1);
        assert_eq!(shown, "a: \u{FFFD}[2Jx\tz");
        assert_eq!(printable("label \x1b[31mred\nnext"), "label \\u{1b}[31mred next");
        // Bidi overrides reorder what is shown: escaped in messages, replaced in snippets.
        assert_eq!(printable("job \u{202e}lmy.evil"), "job \\u{202e}lmy.evil");
        assert_eq!(visible("x: \u{202e}abc", 1).0, "x: \u{FFFD}abc");
    }

    #[test]
    fn no_problems() {
        let r = LintReport { files: 2, ..Default::default() };
        assert_eq!(render(&r, &Paint::default()), "summary: 2 files checked, no problems\n");
    }

    #[test]
    fn errors_come_before_warnings_and_notes_before_the_summary() {
        let mut r = super::super::sample();
        // The warning is on line 4, the error on line 5: the error is still printed first.
        r.notes.push("checks skipped".into());
        let s = render(&r, &Paint::default());
        let (e, w) = (s.find("error[").expect("error"), s.find("warning[").expect("warning"));
        assert!(e < w, "{s}");
        let (n, sum) =
            (s.find("note: checks skipped").expect("note"), s.find("summary:").expect("s"));
        assert!(w < n && n < sum, "{s}");
    }

    #[test]
    fn colour_only_when_enabled() {
        let r = super::super::sample();
        let s = render(&r, &Paint { enabled: true, stderr_enabled: false });
        assert!(s.contains("\x1b[31merror[rules/promql-syntax]\x1b[0m"));
    }
}
