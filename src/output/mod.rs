//! What the user sees. Results go to stdout (tables, JSON, other formats); logs and progress
//! go to stderr. Commands never print: they return a [`Report`] and [`Ui::emit`] renders it.

pub mod progress;
pub mod sanitize;
pub mod style;
pub mod table;
pub mod words;

use std::io::{IsTerminal, Write};

use anyhow::Result;
use serde::Serialize;

use crate::cli::{GlobalArgs, OutputFormat};

pub use sanitize::{clean, redact_url, terminal_safe};
pub use style::Paint;

/// A command's result, renderable in every format the command supports.
pub trait Report {
    /// The human rendering (tables, lines). Ends with a newline when not empty.
    fn human(&self, paint: &Paint) -> String;

    /// The JSON document of the contract.
    fn json(&self) -> serde_json::Value;

    /// Extra formats beyond human and json (`github`, `sarif`, `prometheus`).
    /// `None` means the format is not supported by this command.
    fn other(&self, _format: OutputFormat) -> Option<String> {
        None
    }
}

/// Serialize any value as the JSON report (helper for `Report::json`).
pub fn to_json<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }))
}

/// `text` without the ` (os error N)` suffixes Rust puts on operating-system errors: the
/// sentence before it ("No such file or directory") already says it, and users should not
/// have to read errno numbers.
pub fn without_os_error_codes(text: &str) -> String {
    const MARK: &str = " (os error ";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(MARK) {
        let after = &rest[i + MARK.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with(')') {
            out.push_str(&rest[..i]);
            rest = &after[digits + 1..];
        } else {
            out.push_str(&rest[..i + MARK.len()]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// An outside string for a one-line field, cleaned by [`sanitize::clean`] and cut to
/// `max_chars` characters (`…` where cut), so one huge value cannot flood the screen.
pub fn safe_text(s: &str, max_chars: usize) -> String {
    let cleaned = sanitize::clean(s);
    if cleaned.chars().count() <= max_chars {
        return cleaned.into_owned();
    }
    let mut out: String = cleaned.chars().take(max_chars).collect();
    out.push('…');
    out
}

/// Terminal facts and user choices that decide how things are shown.
#[derive(Debug, Clone)]
pub struct Ui {
    pub format: OutputFormat,
    pub paint: Paint,
    /// stderr is a terminal and the user did not ask for quiet: progress bars may be drawn.
    pub progress: bool,
    pub verbosity: u8,
    pub quiet: bool,
}

impl Ui {
    pub fn from_args(g: &GlobalArgs) -> Self {
        let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
        let no_color =
            g.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) || dumb;
        let stdout_tty = std::io::stdout().is_terminal();
        let stderr_tty = std::io::stderr().is_terminal();
        let format = g.output.unwrap_or(OutputFormat::Human);
        // Tables are fitted to the terminal only when a person reads them there; piped or
        // redirected output keeps every cell whole.
        table::set_fit_width(if stdout_tty { table::terminal_width() } else { None });
        Ui {
            format,
            paint: Paint {
                enabled: !no_color && stdout_tty,
                stderr_enabled: !no_color && stderr_tty,
            },
            // A dumb terminal cannot move the cursor: progress bars would print garbage.
            progress: stderr_tty && !g.quiet && !dumb,
            verbosity: g.verbose,
            quiet: g.quiet,
        }
    }

    /// A UI for tests: no colour, no progress, human output.
    pub fn plain(format: OutputFormat) -> Self {
        Ui {
            format,
            paint: Paint { enabled: false, stderr_enabled: false },
            progress: false,
            verbosity: 0,
            quiet: false,
        }
    }

    pub fn is_json(&self) -> bool {
        self.format == OutputFormat::Json
    }

    /// Render `report` in the chosen format to a string. Every format but JSON and SARIF
    /// (which keep the exact text, escaped by JSON) passes through the terminal sanitiser
    /// last: no outside string reaches a terminal raw, whatever the renderer did.
    pub fn render(&self, report: &dyn Report) -> Result<String> {
        Ok(match self.format {
            OutputFormat::Human => {
                sanitize::terminal_safe(&report.human(&self.paint), self.paint.enabled).into_owned()
            }
            OutputFormat::Json => {
                let mut s = serde_json::to_string_pretty(&report.json())?;
                s.push('\n');
                s
            }
            OutputFormat::Sarif => match report.other(OutputFormat::Sarif) {
                Some(s) => s,
                None => {
                    return Err(crate::outcome::usage("this command does not support -o sarif"));
                }
            },
            other => match report.other(other) {
                Some(s) => sanitize::terminal_safe(&s, false).into_owned(),
                None => {
                    return Err(crate::outcome::usage(format!(
                        "this command does not support -o {}",
                        other.name()
                    )));
                }
            },
        })
    }

    /// Render `report` to stdout.
    pub fn emit(&self, report: &dyn Report) -> Result<()> {
        let text = self.render(report)?;
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()?;
        Ok(())
    }

    /// Clear the terminal, then render `report` to stdout (`check-health --watch`): the
    /// clearing sequence is this program's own and written before the sanitised text.
    pub fn emit_redraw(&self, report: &dyn Report) -> Result<()> {
        let text = self.render(report)?;
        let mut out = std::io::stdout().lock();
        out.write_all(b"\x1b[H\x1b[2J")?;
        out.write_all(text.as_bytes())?;
        out.flush()?;
        Ok(())
    }

    /// Check early that this command supports the chosen format.
    pub fn require_format(&self, command: &str, supported: &[OutputFormat]) -> Result<()> {
        if self.format == OutputFormat::Human || supported.contains(&self.format) {
            return Ok(());
        }
        let names: Vec<&str> =
            std::iter::once("human").chain(supported.iter().map(|f| f.name())).collect();
        Err(crate::outcome::usage(format!(
            "`{command}` does not support -o {}; use one of: {}",
            self.format.name(),
            names.join(", ")
        )))
    }

    /// A log line on stderr (hidden with --quiet). Like every stderr line, sanitised:
    /// messages quote server answers and file names.
    pub fn info(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            eprintln!(
                "{}",
                sanitize::terminal_safe(
                    &sanitize::redact_url(msg.as_ref()),
                    self.paint.stderr_enabled
                )
            );
        }
    }

    /// A detail shown with -v.
    pub fn debug(&self, msg: impl AsRef<str>) {
        if self.verbosity > 0 && !self.quiet {
            eprintln!(
                "{} {}",
                self.paint.err_dim("debug:"),
                sanitize::terminal_safe(
                    &sanitize::redact_url(msg.as_ref()),
                    self.paint.stderr_enabled
                )
            );
        }
    }

    /// A warning on stderr (hidden with --quiet: quiet means only errors).
    pub fn warn(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            eprintln!(
                "{} {}",
                self.paint.err_yellow("warning:"),
                sanitize::terminal_safe(
                    &sanitize::redact_url(msg.as_ref()),
                    self.paint.stderr_enabled
                )
            );
        }
    }

    /// An error line on stderr (always shown).
    pub fn error(&self, msg: impl AsRef<str>) {
        eprintln!(
            "{} {}",
            self.paint.err_red("error:"),
            sanitize::terminal_safe(&sanitize::redact_url(msg.as_ref()), self.paint.stderr_enabled)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_text_cleans_and_bounds_length() {
        assert_eq!(safe_text("a\x1b[2Jb\r\n", 100), "a\\u{1b}[2Jb\\u{d}\\n");
        assert_eq!(safe_text("abcdef", 3), "abc…");
        assert_eq!(safe_text("héllo", 5), "héllo");
    }

    #[test]
    fn os_error_codes_are_dropped_and_nothing_else() {
        assert_eq!(
            without_os_error_codes("cannot read x: No such file or directory (os error 2)"),
            "cannot read x: No such file or directory"
        );
        assert_eq!(without_os_error_codes("a (os error 13): b (os error 21)"), "a: b");
        assert_eq!(without_os_error_codes("a (os error x)"), "a (os error x)");
        assert_eq!(without_os_error_codes("(os error 2"), "(os error 2");
    }
}
