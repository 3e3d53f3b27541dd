//! `-o github`: GitHub Actions workflow commands, one per finding, errors first:
//! `::error file=PATH,line=L,col=C,title=CODE::MESSAGE`; a note (checks skipped) is a
//! `::notice::`.

use std::fmt::Write as _;

use super::LintReport;

/// Escape a message (the part after `::`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escape a property value (`file=`, `title=`): also `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(r: &LintReport) -> String {
    let mut out = String::new();
    for d in r.errors_first() {
        let level = d.severity.github_level();
        let mut msg = d.message.clone();
        if let Some(h) = &d.help {
            msg.push_str("\nhelp: ");
            msg.push_str(h);
        }
        let _ = writeln!(
            out,
            "::{level} file={},line={},col={},title={}::{}",
            escape_property(&d.path),
            d.line,
            d.column,
            escape_property(d.code),
            escape_data(&msg)
        );
    }
    for n in &r.notes {
        let _ = writeln!(out, "::notice title=stellar-obs validate::{}", escape_data(n));
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
