//! Progress on stderr: indicatif bars on a terminal, plain lines otherwise.

use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Ui;

/// A set of progress lines (one per item) or a single bar.
#[derive(Debug, Clone)]
pub struct Progress {
    multi: Option<MultiProgress>,
    plain: bool,
}

/// One line of progress (a service, a dashboard, a file).
#[derive(Debug, Clone)]
pub struct Line {
    bar: Option<ProgressBar>,
    label: String,
    plain: bool,
}

impl Progress {
    pub fn new(ui: &Ui) -> Self {
        if ui.progress {
            let m = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
            Progress { multi: Some(m), plain: false }
        } else {
            Progress { multi: None, plain: !ui.quiet && !ui.is_json() }
        }
    }

    /// A hidden progress (tests, quiet mode).
    pub fn hidden() -> Self {
        Progress { multi: None, plain: false }
    }

    /// A spinner line labelled `label`.
    pub fn line(&self, label: &str) -> Line {
        let bar = self.multi.as_ref().map(|m| {
            let b = m.add(ProgressBar::new_spinner());
            b.set_style(
                ProgressStyle::with_template("{spinner} {prefix:<16} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            b.set_prefix(super::clean(label).into_owned());
            b.enable_steady_tick(Duration::from_millis(120));
            b
        });
        Line { bar, label: label.to_string(), plain: self.plain }
    }

    /// A bar counting to `len`, labelled `label`.
    pub fn bar(&self, label: &str, len: u64) -> Line {
        let bar = self.multi.as_ref().map(|m| {
            let b = m.add(ProgressBar::new(len));
            b.set_style(
                ProgressStyle::with_template("{prefix:<16} [{bar:30}] {pos}/{len} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            b.set_prefix(super::clean(label).into_owned());
            b
        });
        Line { bar, label: label.to_string(), plain: false }
    }

    /// A byte-counting bar (archives).
    pub fn bytes(&self, label: &str, len: Option<u64>) -> Line {
        let bar = self.multi.as_ref().map(|m| {
            let b = m.add(match len {
                Some(n) => ProgressBar::new(n),
                None => ProgressBar::new_spinner(),
            });
            b.set_style(
                ProgressStyle::with_template(
                    "{prefix:<16} {bytes} ({binary_bytes_per_sec}) {wide_msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            b.set_prefix(super::clean(label).into_owned());
            b
        });
        Line { bar, label: label.to_string(), plain: false }
    }
}

impl Line {
    /// Show a new state for this line (plain mode: one stderr line per change).
    pub fn set(&self, msg: &str) {
        if let Some(b) = &self.bar {
            b.set_message(super::clean(msg).into_owned());
        } else if self.plain {
            eprintln!("{}: {}", super::clean(&self.label), super::clean(msg));
        }
    }

    pub fn inc(&self, n: u64) {
        if let Some(b) = &self.bar {
            b.inc(n);
        }
    }

    /// Finish the line, leaving `msg` on screen.
    pub fn finish(&self, msg: &str) {
        if let Some(b) = &self.bar {
            b.finish_with_message(super::clean(msg).into_owned());
        } else if self.plain {
            eprintln!("{}: {}", super::clean(&self.label), super::clean(msg));
        }
    }

    /// Remove the line from the screen.
    pub fn clear(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
