//! The report of a `stellar-obs test ...` run and its renderers (human, json, junit,
//! github), shared by `test rules` and `test routes`.
//!
//! A report is a list of test cases (name, file, position, passed or not, each failure
//! with its own position and an expected-vs-got diff, duration), the file-level
//! diagnostics (a test file or the file under test that is invalid), and optionally a
//! coverage table. Nothing here runs a test: runners fill a [`TestReport`], these
//! functions only turn it into text.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::cli::OutputFormat;
use crate::lint::diagnostic::{self, Diagnostic, Severity};
use crate::lint::render::github::{self, At};
use crate::lint::render::human::{one as human_diagnostic, printable};
use crate::outcome::Outcome;
use crate::output::{Paint, Report};

/// Longest text of one diff line or message shown; longer ones are cut (`…`).
const MAX_TEXT: usize = 4096;

/// One line of an expected-vs-got diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    /// `expected` (only in what the test expects), `got` (only in the result) or `same`.
    pub kind: DiffKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiffKind {
    Expected,
    Got,
    Same,
}

/// One assertion of a test case that did not hold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    /// Where the failing assertion is written (`exp_alerts`, `exp_samples`, ...).
    pub path: String,
    pub line: u32,
    pub column: u32,
    /// One sentence: what was checked and what went wrong.
    pub message: String,
    /// Expected-vs-got, one line per item (may be empty, e.g. for an evaluation error).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diff: Vec<DiffLine>,
}

/// One test case (for `test rules`: one entry of `tests:`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestCase {
    pub name: String,
    /// The test file.
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub passed: bool,
    /// Assertions checked in this case.
    pub assertions: usize,
    pub failures: Vec<Failure>,
    pub duration_ms: f64,
}

/// One item that tests can cover (an alerting or recording rule, a route).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageItem {
    /// `alert`, `record`, `route`, ...
    pub kind: String,
    pub name: String,
    pub path: String,
    pub line: u32,
    pub column: u32,
    /// Some test asserts it in every way that counts for its kind.
    pub covered: bool,
    /// The ways it is asserted, e.g. `firing`, `silent`, `samples`.
    pub asserted: Vec<String>,
    /// What is still missing (empty when covered).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

/// Everything one `test ...` run found.
#[derive(Debug, Clone, Default)]
pub struct TestReport {
    pub cases: Vec<TestCase>,
    /// Files that could not be used (invalid test file, rule file that does not parse).
    pub diagnostics: Vec<Diagnostic>,
    /// The text of the files the diagnostics point into (for source lines in human output).
    pub sources: BTreeMap<String, String>,
    /// Number of test files read.
    pub files: usize,
    /// `--coverage`: the items of the files under test.
    pub coverage: Option<Vec<CoverageItem>>,
}

impl TestReport {
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.passed).count()
    }

    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed()
    }

    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }

    /// Sort the diagnostics and drop exact repeats (cases keep the order they ran in).
    pub fn finish(&mut self) {
        diagnostic::sort(&mut self.diagnostics);
        self.diagnostics.dedup();
    }

    /// 0 when every test passed and every file was valid, 1 otherwise.
    pub fn outcome(&self) -> Outcome {
        if self.failed() > 0 || self.errors() > 0 { Outcome::Failure } else { Outcome::Success }
    }
}

impl Report for TestReport {
    fn human(&self, paint: &Paint) -> String {
        human(self, paint)
    }

    fn json(&self) -> serde_json::Value {
        json(self)
    }

    fn other(&self, format: OutputFormat) -> Option<String> {
        match format {
            OutputFormat::Junit => Some(junit(self)),
            OutputFormat::Github => Some(github(self)),
            _ => None,
        }
    }
}

/// At most [`MAX_TEXT`] characters of `s`.
fn bounded(s: &str) -> String {
    if s.chars().count() <= MAX_TEXT {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX_TEXT).collect();
        t.push('…');
        t
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

/// Human output: a line per test case, each failure with its position and diff, the
/// file diagnostics with their source lines, the coverage table, then a summary line.
pub fn human(r: &TestReport, paint: &Paint) -> String {
    let mut out = String::new();
    for d in &r.diagnostics {
        human_diagnostic(&mut out, d, r.sources.get(&d.path).map(String::as_str), paint);
        out.push('\n');
    }
    for c in &r.cases {
        let word = if c.passed { paint.green("PASS") } else { paint.red("FAIL") };
        let _ = writeln!(
            out,
            "{word} {} {}",
            printable(&bounded(&c.name)),
            paint.dim(&format!("({}:{}:{}, {:.1} ms)", c.path, c.line, c.column, c.duration_ms))
        );
        for f in &c.failures {
            let _ = writeln!(
                out,
                "  {} {}",
                paint.blue(&format!("{}:{}:{}:", f.path, f.line, f.column)),
                printable(&bounded(&f.message))
            );
            for l in &f.diff {
                let text = printable(&bounded(&l.text));
                let line = match l.kind {
                    DiffKind::Expected => paint.red(&format!("    - {text}")),
                    DiffKind::Got => paint.green(&format!("    + {text}")),
                    DiffKind::Same => format!("      {text}"),
                };
                let _ = writeln!(out, "{line}");
            }
        }
    }
    if let Some(cov) = &r.coverage {
        coverage_human(&mut out, cov, paint);
    }
    let summary = format!(
        "{} in {}: {} passed, {} failed{}",
        plural(r.cases.len(), "test"),
        plural(r.files, "file"),
        r.passed(),
        r.failed(),
        if r.errors() > 0 {
            format!(", {}", plural(r.errors(), "invalid-file error"))
        } else {
            String::new()
        }
    );
    let label = if r.outcome() == Outcome::Success {
        paint.green("summary:")
    } else {
        paint.red("summary:")
    };
    let _ = writeln!(out, "{label} {summary}");
    out
}

fn coverage_human(out: &mut String, cov: &[CoverageItem], paint: &Paint) {
    let covered = cov.iter().filter(|c| c.covered).count();
    let _ = writeln!(out, "\n{}", paint.bold("coverage:"));
    let rows: Vec<Vec<String>> = cov
        .iter()
        .map(|c| {
            vec![
                if c.covered { paint.green("yes") } else { paint.red("no") },
                c.kind.clone(),
                printable(&bounded(&c.name)),
                format!("{}:{}:{}", c.path, c.line, c.column),
                c.asserted.join(", "),
                c.missing.join(", "),
            ]
        })
        .collect();
    out.push_str(&crate::output::table::render(
        &["covered", "kind", "name", "where", "asserted", "missing"],
        &rows,
    ));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    let pct = if cov.is_empty() { 100.0 } else { covered as f64 * 100.0 / cov.len() as f64 };
    let _ = writeln!(out, "{covered} of {} covered ({pct:.0}%)", cov.len());
    let uncovered: Vec<&str> = cov.iter().filter(|c| !c.covered).map(|c| c.name.as_str()).collect();
    if !uncovered.is_empty() {
        let _ = writeln!(out, "uncovered: {}", printable(&bounded(&uncovered.join(", "))));
    }
    out.push('\n');
}

/// `-o json`: `{"tests":[...],"diagnostics":[...],"summary":{...}[,"coverage":{...}]}`.
pub fn json(r: &TestReport) -> serde_json::Value {
    let mut v = serde_json::json!({
        "tests": r.cases.iter().map(|c| {
            let mut t = crate::output::to_json(c);
            t["status"] = serde_json::json!(if c.passed { "passed" } else { "failed" });
            t
        }).collect::<Vec<_>>(),
        "diagnostics": crate::output::to_json(&r.diagnostics),
        "summary": {
            "files": r.files,
            "tests": r.cases.len(),
            "passed": r.passed(),
            "failed": r.failed(),
            "errors": r.errors(),
        },
    });
    if let Some(cov) = &r.coverage {
        let covered = cov.iter().filter(|c| c.covered).count();
        v["coverage"] = serde_json::json!({
            "items": crate::output::to_json(cov),
            "covered": covered,
            "total": cov.len(),
            "uncovered": cov.iter().filter(|c| !c.covered).map(|c| c.name.clone()).collect::<Vec<_>>(),
        });
    }
    v
}

/// Escape text for XML character data and attribute values; characters XML 1.0 cannot
/// hold are replaced.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn failure_text(f: &Failure) -> String {
    let mut s = format!("{}:{}:{}: {}", f.path, f.line, f.column, bounded(&f.message));
    for l in &f.diff {
        let mark = match l.kind {
            DiffKind::Expected => "- ",
            DiffKind::Got => "+ ",
            DiffKind::Same => "  ",
        };
        s.push('\n');
        s.push_str(mark);
        s.push_str(&bounded(&l.text));
    }
    s
}

/// `-o junit`: JUnit XML (one `testsuite` per test file, one `testcase` per test case,
/// a `failure` per failed case; an invalid file is a `testcase` with an `error`), as CI
/// systems (GitLab, Jenkins, GitHub test reporters) read it.
pub fn junit(r: &TestReport) -> String {
    let mut suites: BTreeMap<&str, (Vec<&TestCase>, Vec<&Diagnostic>)> = BTreeMap::new();
    for c in &r.cases {
        suites.entry(c.path.as_str()).or_default().0.push(c);
    }
    for d in r.diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        suites.entry(d.path.as_str()).or_default().1.push(d);
    }
    let total_time: f64 = r.cases.iter().map(|c| c.duration_ms).sum::<f64>() / 1000.0;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"stellar-obs test\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{total_time:.3}\">",
        r.cases.len() + r.errors(),
        r.failed(),
        r.errors()
    );
    for (path, (cases, diags)) in &suites {
        let time: f64 = cases.iter().map(|c| c.duration_ms).sum::<f64>() / 1000.0;
        let failures = cases.iter().filter(|c| !c.passed).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{}\" time=\"{time:.3}\">",
            xml_escape(path),
            cases.len() + diags.len(),
            diags.len()
        );
        for d in diags {
            let _ = writeln!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\" time=\"0.000\">",
                xml_escape(&format!("{path} is valid")),
                xml_escape(path),
                xml_escape(path),
                d.line
            );
            let _ = writeln!(
                out,
                "      <error message=\"{}\" type=\"{}\">{}</error>",
                xml_escape(&bounded(&d.message)),
                xml_escape(d.code),
                xml_escape(&format!("{}:{}:{}: {}", d.path, d.line, d.column, bounded(&d.message)))
            );
            out.push_str("    </testcase>\n");
        }
        for c in cases {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\" assertions=\"{}\" time=\"{:.3}\"",
                xml_escape(&bounded(&c.name)),
                xml_escape(path),
                xml_escape(path),
                c.line,
                c.assertions,
                c.duration_ms / 1000.0
            );
            if c.passed {
                out.push_str("/>\n");
                continue;
            }
            out.push_str(">\n");
            for f in &c.failures {
                let _ = writeln!(
                    out,
                    "      <failure message=\"{}\" type=\"assertion\">{}</failure>",
                    xml_escape(&bounded(&f.message)),
                    xml_escape(&failure_text(f))
                );
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// `-o github`: a workflow-command annotation per failure and per invalid-file error, then
/// a notice with the totals.
pub fn github(r: &TestReport) -> String {
    let mut out = String::new();
    for d in &r.diagnostics {
        github::diagnostic(&mut out, d, &bounded(&d.message));
    }
    for c in r.cases.iter().filter(|c| !c.passed) {
        for f in &c.failures {
            let at = At { file: &f.path, line: f.line, column: f.column };
            let title = format!("test failed: {}", bounded(&c.name));
            github::annotation(&mut out, "error", Some(at), &title, &failure_text(f));
        }
    }
    if let Some(cov) = &r.coverage {
        for c in cov.iter().filter(|c| !c.covered) {
            let at = At { file: &c.path, line: c.line, column: c.column };
            let msg =
                format!("{} {} is not covered: {}", c.kind, bounded(&c.name), c.missing.join(", "));
            github::annotation(&mut out, "warning", Some(at), "not covered by a test", &msg);
        }
    }
    let totals = format!(
        "{} tests: {} passed, {} failed, {} invalid-file errors",
        r.cases.len(),
        r.passed(),
        r.failed(),
        r.errors()
    );
    github::annotation(&mut out, "notice", None, "stellar-obs test", &totals);
    out
}

#[cfg(test)]
pub(crate) fn sample() -> TestReport {
    use crate::yaml::Pos;
    let failure = Failure {
        path: "tests/a.yml".into(),
        line: 14,
        column: 11,
        message: "alert \"Down\" at 2m: expected alerts differ".into(),
        diff: vec![
            DiffLine {
                kind: DiffKind::Expected,
                text: "{alertname=\"Down\", severity=\"page\"}".into(),
            },
            DiffLine { kind: DiffKind::Got, text: "{alertname=\"Down\", severity=\"<&>\"}".into() },
            DiffLine { kind: DiffKind::Same, text: "{alertname=\"Up\"}".into() },
        ],
    };
    let text = "rule_files:\n  - missing.yml\n";
    TestReport {
        cases: vec![
            TestCase {
                name: "fires".into(),
                path: "tests/a.yml".into(),
                line: 5,
                column: 5,
                passed: true,
                assertions: 2,
                failures: vec![],
                duration_ms: 1.25,
            },
            TestCase {
                name: "stays \"silent\"".into(),
                path: "tests/a.yml".into(),
                line: 10,
                column: 5,
                passed: false,
                assertions: 1,
                failures: vec![failure],
                duration_ms: 0.5,
            },
        ],
        diagnostics: vec![Diagnostic::error(
            "tests/b.yml",
            Pos::new(2, 5),
            "test/rule-file",
            "rule file missing.yml: no such file",
        )],
        sources: [("tests/b.yml".to_string(), text.to_string())].into_iter().collect(),
        files: 2,
        coverage: Some(vec![
            CoverageItem {
                kind: "alert".into(),
                name: "Down".into(),
                path: "rules.yml".into(),
                line: 3,
                column: 16,
                covered: true,
                asserted: vec!["firing".into(), "silent".into()],
                missing: vec![],
            },
            CoverageItem {
                kind: "record".into(),
                name: "job:up:sum".into(),
                path: "rules.yml".into(),
                line: 9,
                column: 17,
                covered: false,
                asserted: vec![],
                missing: vec!["samples".into()],
            },
        ]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_and_counts() {
        let r = sample();
        assert_eq!((r.passed(), r.failed(), r.errors()), (1, 1, 1));
        assert_eq!(r.outcome(), Outcome::Failure);
        let ok = TestReport { cases: vec![r.cases[0].clone()], files: 1, ..Default::default() };
        assert_eq!(ok.outcome(), Outcome::Success);
        let invalid = TestReport { diagnostics: r.diagnostics.clone(), ..Default::default() };
        assert_eq!(invalid.outcome(), Outcome::Failure, "an invalid file fails the run");
    }

    #[test]
    fn human_shows_positions_diffs_and_summary() {
        let s = human(&sample(), &Paint::default());
        assert!(s.contains("error[test/rule-file]: rule file missing.yml: no such file"), "{s}");
        assert!(s.contains("2 |   - missing.yml"), "{s}");
        assert!(s.contains("PASS fires (tests/a.yml:5:5, 1.2 ms)"), "{s}");
        assert!(s.contains("FAIL stays \"silent\" (tests/a.yml:10:5"), "{s}");
        assert!(s.contains("  tests/a.yml:14:11: alert \"Down\" at 2m"), "{s}");
        assert!(s.contains("    - {alertname=\"Down\", severity=\"page\"}"), "{s}");
        assert!(s.contains("    + {alertname=\"Down\", severity=\"<&>\"}"), "{s}");
        assert!(s.contains("      {alertname=\"Up\"}"), "{s}");
        assert!(s.contains("1 of 2 covered (50%)"), "{s}");
        assert!(s.contains("uncovered: job:up:sum"), "{s}");
        assert!(
            s.ends_with("summary: 2 tests in 2 files: 1 passed, 1 failed, 1 invalid-file error\n"),
            "{s}"
        );
    }

    #[test]
    fn human_never_sends_control_characters() {
        let mut r = sample();
        r.cases[1].name = "evil\x1b[2J".into();
        r.cases[1].failures[0].diff[0].text = "x\x07y".into();
        let s = human(&r, &Paint::default());
        assert!(!s.contains('\x1b') && !s.contains('\x07'), "{s:?}");
    }

    #[test]
    fn json_shape() {
        let v = json(&sample());
        assert_eq!(v["summary"]["tests"], 2);
        assert_eq!(v["summary"]["passed"], 1);
        assert_eq!(v["summary"]["failed"], 1);
        assert_eq!(v["summary"]["errors"], 1);
        assert_eq!(v["summary"]["files"], 2);
        let t = &v["tests"][1];
        assert_eq!(t["status"], "failed");
        assert_eq!(t["passed"], false);
        assert_eq!(t["failures"][0]["line"], 14);
        assert_eq!(t["failures"][0]["diff"][0]["kind"], "expected");
        assert_eq!(t["failures"][0]["diff"][1]["kind"], "got");
        assert_eq!(v["diagnostics"][0]["code"], "test/rule-file");
        assert_eq!(v["coverage"]["covered"], 1);
        assert_eq!(v["coverage"]["total"], 2);
        assert_eq!(v["coverage"]["uncovered"][0], "job:up:sum");
        assert_eq!(v["coverage"]["items"][0]["asserted"][1], "silent");
    }

    #[test]
    fn junit_is_escaped_and_counts_add_up() {
        let s = junit(&sample());
        assert!(s.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"), "{s}");
        assert!(s.contains("tests=\"3\" failures=\"1\" errors=\"1\""), "{s}");
        assert!(s.contains("<testcase name=\"stays &quot;silent&quot;\""), "{s}");
        assert!(s.contains("severity=&quot;&lt;&amp;&gt;&quot;"), "{s}");
        assert!(
            s.contains(
                "<error message=\"rule file missing.yml: no such file\" type=\"test/rule-file\">"
            ),
            "{s}"
        );
        assert!(s.contains("<testcase name=\"fires\" classname=\"tests/a.yml\" file=\"tests/a.yml\" line=\"5\" assertions=\"2\" time=\"0.001\"/>"), "{s}");
        assert_eq!(s.matches("<testsuite ").count(), 2);
        assert_eq!(s.matches("</testsuite>").count(), 2);
        assert_eq!(xml_escape("a\x01b"), "a\u{FFFD}b");
    }

    #[test]
    fn github_annotations() {
        let s = github(&sample());
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(
            lines[0],
            "::error file=tests/b.yml,line=2,col=5,title=test/rule-file::rule file missing.yml: no such file"
        );
        assert!(lines[1].starts_with(
            "::error file=tests/a.yml,line=14,col=11,title=test failed%3A stays \"silent\"::tests/a.yml:14:11: alert"
        ), "{}", lines[1]);
        assert!(lines[1].contains("%0A- {alertname=\"Down\""), "{}", lines[1]);
        assert!(lines[2].starts_with("::warning file=rules.yml,line=9,col=17"), "{}", lines[2]);
        assert!(
            lines[3].starts_with("::notice title=stellar-obs test::2 tests: 1 passed, 1 failed")
        );
    }
}
