//! Tables (tabled) for human output.
//!
//! On a terminal, a table wider than the terminal is fitted to it: the widest columns are
//! wrapped first (at word boundaries where possible), so a long MESSAGE or IMAGE cell takes
//! more lines instead of breaking every line of the table. Output that is not a terminal
//! (a pipe, a file, CI logs) is never wrapped or cut: [`set_fit_width`] is only called by
//! [`crate::output::Ui::from_args`] when stdout is a terminal.

use std::sync::atomic::{AtomicUsize, Ordering};

use tabled::builder::Builder;
use tabled::settings::peaker::PriorityMax;
use tabled::settings::{Style, Width};

/// The width tables are fitted to; 0 means "do not fit" (not a terminal).
static FIT_WIDTH: AtomicUsize = AtomicUsize::new(0);

/// Narrower than this, wrapping makes a table harder to read than letting the terminal
/// wrap its lines; tables are then left as they are.
pub const MIN_FIT_WIDTH: usize = 40;

/// Fit every table rendered from now on to `width` columns (`None`: never fit).
pub fn set_fit_width(width: Option<usize>) {
    FIT_WIDTH.store(width.unwrap_or(0), Ordering::Relaxed);
}

/// The width tables are fitted to, if any.
pub fn fit_width() -> Option<usize> {
    match FIT_WIDTH.load(Ordering::Relaxed) {
        0 => None,
        w => Some(w),
    }
}

/// Render rows under headers as a table with rounded borders, fitted to the terminal when
/// stdout is one. Cells may already contain ANSI colour; tabled measures them correctly.
/// Every cell passes through the terminal sanitiser first (this program's own colours
/// kept), so a hostile title is escaped before the columns are measured.
pub fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    render_fitted(headers, rows, fit_width())
}

/// [`render`] with an explicit width to fit to (`None`: as wide as the content needs).
pub fn render_fitted(headers: &[&str], rows: &[Vec<String>], width: Option<usize>) -> String {
    let mut b = Builder::default();
    b.push_record(headers.iter().map(|h| h.to_string()));
    for r in rows {
        b.push_record(r.iter().map(|c| super::sanitize::terminal_safe(c, true).into_owned()));
    }
    let mut t = b.build();
    t.with(Style::rounded());
    if let Some(w) = width.filter(|w| *w >= MIN_FIT_WIDTH)
        && t.total_width() > w
    {
        t.with(Width::wrap(w).priority(PriorityMax::default()).keep_words(true));
    }
    let mut s = t.to_string();
    s.push('\n');
    s
}

/// The width of the terminal stdout is on: `COLUMNS` when set (as `ls` and clap read it),
/// else the terminal's own size; `None` when it cannot be told.
pub fn terminal_width() -> Option<usize> {
    if let Some(c) = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok())
        && c > 0
    {
        return Some(c);
    }
    terminal_size::terminal_size_of(std::io::stdout())
        .map(|(w, _)| usize::from(w.0))
        .filter(|w| *w > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widest_line(s: &str) -> usize {
        s.lines().map(|l| l.chars().count()).max().unwrap_or(0)
    }

    #[test]
    fn coloured_cells_keep_the_columns_aligned() {
        let p = crate::output::Paint { enabled: true, stderr_enabled: false };
        let s = render_fitted(&["STATUS", "X"], &[vec![p.red("unhealthy"), "1".into()]], None);
        assert!(s.contains("│ STATUS    │ X │"), "{s}");
    }

    #[test]
    fn renders_headers_and_cells() {
        let s = render_fitted(&["A", "B"], &[vec!["1".into(), "two".into()]], None);
        assert!(s.contains("│ A │ B   │"), "{s}");
        assert!(s.contains("│ 1 │ two │"), "{s}");
    }

    fn long_rows() -> Vec<Vec<String>> {
        let msg = "6 of 10 scrape targets down: cadvisor http://cadvisor:8080/metrics (no such host), grafana http://grafana:3000/metrics (no such host), and 4 more";
        vec![
            vec!["prometheus".into(), "degraded".into(), "14ms".into(), msg.into()],
            vec!["alertmanager".into(), "healthy".into(), "23ms".into(), "ready".into()],
        ]
    }

    #[test]
    fn a_wide_table_is_wrapped_to_the_width_widest_column_first() {
        let headers = ["COMPONENT", "STATUS", "LATENCY", "MESSAGE"];
        let wide = render_fitted(&headers, &long_rows(), None);
        assert!(widest_line(&wide) > 150, "{wide}");
        let fitted = render_fitted(&headers, &long_rows(), Some(80));
        assert!(widest_line(&fitted) <= 80, "{fitted}");
        // The short columns keep their width; the message is wrapped, not cut.
        assert!(fitted.contains("│ COMPONENT    │ STATUS   │ LATENCY │"), "{fitted}");
        let words: String =
            fitted.replace(['│', '╭', '╮', '╰', '╯', '─', '┬', '┴', '├', '┤', '┼'], " ");
        for w in ["scrape", "http://grafana:3000/metrics", "more"] {
            assert!(words.split_whitespace().any(|x| x == w), "{w} lost:\n{fitted}");
        }
    }

    #[test]
    fn narrow_tables_and_tiny_widths_are_left_alone() {
        let rows = vec![vec!["1".to_string(), "two".to_string()]];
        assert_eq!(
            render_fitted(&["A", "B"], &rows, Some(80)),
            render_fitted(&["A", "B"], &rows, None)
        );
        let headers = ["COMPONENT", "STATUS", "LATENCY", "MESSAGE"];
        assert_eq!(
            render_fitted(&headers, &long_rows(), Some(MIN_FIT_WIDTH - 1)),
            render_fitted(&headers, &long_rows(), None)
        );
    }

    #[test]
    fn coloured_cells_survive_wrapping() {
        let p = crate::output::Paint { enabled: true, stderr_enabled: false };
        let mut rows = long_rows();
        rows[0][1] = p.yellow("degraded");
        let fitted = render_fitted(&["COMPONENT", "STATUS", "LATENCY", "MESSAGE"], &rows, Some(70));
        assert!(
            fitted.contains("\x1b[33mdegraded\x1b[39m")
                || fitted.contains("\x1b[33mdegraded\x1b[0m"),
            "{fitted:?}"
        );
    }
}
