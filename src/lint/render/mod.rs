//! The validate report and its renderers: one module per output format, all fed the same
//! sorted diagnostics.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use std::collections::BTreeMap;

use crate::cli::OutputFormat;
use crate::lint::diagnostic::{self, Diagnostic, Severity};
use crate::lint::source::Source;
use crate::outcome::Outcome;
use crate::output::{Paint, Report};

/// Everything one `validate` run found.
#[derive(Debug, Clone, Default)]
pub struct LintReport {
    pub diagnostics: Vec<Diagnostic>,
    /// Number of files checked.
    pub files: usize,
    /// The text of each file checked, by displayed path (for source lines in human output).
    pub sources: BTreeMap<String, String>,
    /// What was not checked and why (e.g. cross-file checks skipped after a parse error).
    pub notes: Vec<String>,
}

impl LintReport {
    /// Record a checked file and its findings.
    pub fn add_file(&mut self, src: Source, diags: Vec<Diagnostic>) {
        self.files += 1;
        self.diagnostics.extend(diags);
        self.sources.insert(src.display, src.text);
    }

    pub fn merge(&mut self, other: LintReport) {
        self.files += other.files;
        self.diagnostics.extend(other.diagnostics);
        self.sources.extend(other.sources);
        self.notes.extend(other.notes);
    }

    /// Errors first, then warnings, each in path and position order: the order every
    /// human format prints them in (a parse error is never buried under warnings).
    pub fn errors_first(&self) -> impl Iterator<Item = &Diagnostic> {
        let errors = self.diagnostics.iter().filter(|d| d.severity == Severity::Error);
        errors.chain(self.diagnostics.iter().filter(|d| d.severity != Severity::Error))
    }

    /// Sort the findings and drop exact repeats.
    pub fn finish(&mut self) {
        diagnostic::sort(&mut self.diagnostics);
        self.diagnostics.dedup();
    }

    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    /// Findings for information only (never fail, not even with `--strict`).
    pub fn infos(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Info).count()
    }

    /// 1 when there are errors (or warnings with `strict`), else 0.
    pub fn outcome(&self, strict: bool) -> Outcome {
        if self.errors() > 0 || (strict && self.warnings() > 0) {
            Outcome::Failure
        } else {
            Outcome::Success
        }
    }
}

impl Report for LintReport {
    fn human(&self, paint: &Paint) -> String {
        human::render(self, paint)
    }

    fn json(&self) -> serde_json::Value {
        json::render(self)
    }

    fn other(&self, format: OutputFormat) -> Option<String> {
        match format {
            OutputFormat::Github => Some(github::render(self)),
            OutputFormat::Sarif => Some(sarif::render(self)),
            _ => None,
        }
    }
}

#[cfg(test)]
pub(crate) fn sample() -> LintReport {
    use crate::yaml::Pos;
    let mut r = LintReport::default();
    let text = "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: rate(up)\n";
    let d = vec![
        Diagnostic::error("rules.yml", Pos::new(5, 15), "rules/promql-syntax", "could not parse expression: expected type matrix in call to function 'rate', got vector")
            .with_help("rate() needs a range vector, e.g. rate(up[5m])"),
        Diagnostic::warning("rules.yml", Pos::new(4, 14), "rules/duplicate", "duplicate rule: `A`, 50% \"same\"\nsecond line"),
    ];
    r.add_file(Source::memory("rules.yml", text), d);
    r.finish();
    r
}
