//! `-o github`: GitHub Actions workflow commands, one per finding, errors first:
//! `::error file=PATH,line=L,col=C,title=CODE::MESSAGE`; a note (checks skipped) is a
//! `::notice::`.

use std::fmt::Write as _;

use super::LintReport;
use crate::lint::diagnostic::Diagnostic;

/// Escape a message (the part after `::`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escape a property value (`file=`, `title=`): also `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Where an annotation points.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    pub file: &'a str,
    pub line: u32,
    pub column: u32,
}

/// One workflow command, escaped: `::LEVEL file=F,line=L,col=C,title=T::MESSAGE`, or
/// `::LEVEL title=T::MESSAGE` without a position (a summary, a note). The one writer of
/// annotations: `validate` and every `test` report use it.
pub fn annotation(out: &mut String, level: &str, at: Option<At<'_>>, title: &str, message: &str) {
    let (title, message) = (escape_property(title), escape_data(message));
    let _ = match at {
        Some(a) => writeln!(
            out,
            "::{level} file={},line={},col={},title={title}::{message}",
            escape_property(a.file),
            a.line,
            a.column
        ),
        None => writeln!(out, "::{level} title={title}::{message}"),
    };
}

/// A diagnostic as an annotation at its position, titled with its check ID: `message`
/// (the diagnostic's own, or a bounded copy of it) and its help on a second line.
pub fn diagnostic(out: &mut String, d: &Diagnostic, message: &str) {
    let mut msg = message.to_string();
    if let Some(h) = &d.help {
        msg.push_str("\nhelp: ");
        msg.push_str(h);
    }
    let at = At { file: &d.path, line: d.line, column: d.column };
    annotation(out, d.severity.github_level(), Some(at), d.code, &msg);
}

pub fn render(r: &LintReport) -> String {
    let mut out = String::new();
    for d in r.errors_first() {
        diagnostic(&mut out, d, &d.message);
    }
    for n in &r.notes {
        annotation(&mut out, "notice", None, "stellar-obs validate", n);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn annotations_are_escaped() {
        let s = super::render(&super::super::sample());
        let lines: Vec<&str> = s.lines().collect();
        // The error first, though the warning is on an earlier line.
        assert_eq!(
            lines[1],
            "::warning file=rules.yml,line=4,col=14,title=rules/duplicate::duplicate rule: `A`, 50%25 \"same\"%0Asecond line"
        );
        assert!(lines[0].starts_with(
            "::error file=rules.yml,line=5,col=15,title=rules/promql-syntax::could not parse"
        ));
        assert!(lines[0].ends_with("%0Ahelp: rate() needs a range vector, e.g. rate(up[5m])"));
        assert_eq!(super::escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
