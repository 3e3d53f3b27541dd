//! Tables (tabled) for human output.
//!
//! On a terminal, a table wider than the terminal is fitted to it: the widest columns are
//! wrapped first, so a long MESSAGE or IMAGE cell takes more lines instead of breaking every
//! line of the table. Cells wrap only at spaces and after commas, never inside a token: a
//! port mapping (`127.0.0.1:29093->9093/tcp`), an image reference, a URL or a path stays
//! whole (a column is never narrower than its longest token; when even that does not fit,
//! the table is wider than the terminal rather than cut). Output that is not a terminal
//! (a pipe, a file, CI logs) is never wrapped or cut: [`set_fit_width`] is only called by
//! [`crate::output::Ui::from_args`] when stdout is a terminal.

use std::sync::atomic::{AtomicUsize, Ordering};

use tabled::builder::Builder;
use tabled::grid::util::string::get_line_width;
use tabled::settings::Style;

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
    let mut cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| super::sanitize::terminal_safe(c, true).into_owned()).collect())
        .collect();
    if let Some(w) = width.filter(|w| *w >= MIN_FIT_WIDTH) {
        fit(headers, &mut cells, w);
    }
    let mut b = Builder::default();
    b.push_record(headers.iter().map(|h| h.to_string()));
    for r in cells {
        b.push_record(r);
    }
    let mut t = b.build();
    t.with(Style::rounded());
    let mut s = t.to_string();
    s.push('\n');
    s
}

/// Border and padding columns of a rounded table with `n` columns: `│ a │ b │`.
fn frame_width(n: usize) -> usize {
    3 * n + 1
}

/// Wrap the cells so the table fits in `width` columns where it can: the widest column
/// gives up a column first, and no column gets narrower than its longest unbreakable piece
/// (or its header).
fn fit(headers: &[&str], rows: &mut [Vec<String>], width: usize) {
    let n = headers.len();
    let cell_width = |c: &str| c.lines().map(get_line_width).max().unwrap_or(0);
    let mut want: Vec<usize> = headers.iter().map(|h| get_line_width(h)).collect();
    let mut least = want.clone();
    for r in rows.iter() {
        for (i, c) in r.iter().enumerate().take(n) {
            want[i] = want[i].max(cell_width(c));
            let longest = c.lines().flat_map(pieces).map(|p| get_line_width(&p.text)).max();
            least[i] = least[i].max(longest.unwrap_or(0));
        }
    }
    let budget = width.saturating_sub(frame_width(n));
    let mut widths = want.clone();
    while widths.iter().sum::<usize>() > budget {
        // The widest column that can still give up a column.
        let Some(i) = (0..n).filter(|&i| widths[i] > least[i]).max_by_key(|&i| (widths[i], n - i))
        else {
            break;
        };
        widths[i] -= 1;
    }
    for r in rows.iter_mut() {
        for (i, c) in r.iter_mut().enumerate().take(n) {
            if widths[i] < want[i] {
                *c = wrap(c, widths[i]);
            }
        }
    }
}

/// A piece of a line that is never broken, and whether a space followed it.
#[derive(Debug, PartialEq)]
struct Piece {
    text: String,
    space_after: bool,
}

/// A line cut at spaces and after commas (a comma stays with the text before it). Text
/// with colour codes is one piece, as is a URL (its commas are part of it).
fn pieces(line: &str) -> Vec<Piece> {
    if line.contains('\u{1b}') {
        return vec![Piece { text: line.trim().to_string(), space_after: false }];
    }
    let mut out: Vec<Piece> = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, out: &mut Vec<Piece>, space_after: bool| {
        if !cur.is_empty() {
            out.push(Piece { text: std::mem::take(cur), space_after });
        } else if space_after && let Some(last) = out.last_mut() {
            last.space_after = true;
        }
    };
    for ch in line.chars() {
        match ch {
            ' ' => flush(&mut cur, &mut out, true),
            ',' if !cur.contains("://") => {
                cur.push(',');
                flush(&mut cur, &mut out, false);
            }
            _ => cur.push(ch),
        }
    }
    flush(&mut cur, &mut out, false);
    out
}

/// `cell` wrapped to `width` columns at the break points of [`pieces`]; a piece wider than
/// `width` gets a line of its own, whole.
fn wrap(cell: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in cell.lines() {
        let mut cur = String::new();
        let mut cur_w = 0;
        let mut space = false;
        for p in pieces(line) {
            let w = get_line_width(&p.text);
            let gap = usize::from(space && !cur.is_empty());
            if !cur.is_empty() && cur_w + gap + w > width {
                lines.push(std::mem::take(&mut cur));
                cur_w = 0;
            } else if gap == 1 {
                cur.push(' ');
                cur_w += 1;
            }
            cur.push_str(&p.text);
            cur_w += w;
            space = p.space_after;
        }
        lines.push(cur);
    }
    lines.join("\n")
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

    /// Every whitespace-separated word of the rendered table, borders removed.
    fn words(table: &str) -> Vec<String> {
        table
            .replace(['│', '╭', '╮', '╰', '╯', '─', '┬', '┴', '├', '┤', '┼'], " ")
            .split_whitespace()
            .map(str::to_string)
            .collect()
    }

    fn status_rows() -> Vec<Vec<String>> {
        vec![
            vec![
                "alertmanager".into(),
                "running".into(),
                "127.0.0.1:29093->9093/tcp, 127.0.0.1:29094->9094/tcp".into(),
                "prom/alertmanager:v0.28.1".into(),
                "http://127.0.0.1:29093/#/alerts".into(),
            ],
            vec![
                "grafana".into(),
                "running".into(),
                "127.0.0.1:3000->3000/tcp".into(),
                "grafana/grafana:12.0.2@sha256:b5b59bfc7561634c2d7b136c4543d702ebcc94a3da477f21ff26f89ffd4214fa".into(),
                "/srv/connector-a/observability/grafana/dashboards".into(),
            ],
        ]
    }

    #[test]
    fn wrapping_never_breaks_a_port_mapping_image_url_or_path() {
        let headers = ["SERVICE", "STATE", "PORTS", "IMAGE", "WHERE"];
        let tokens = [
            "127.0.0.1:29093->9093/tcp,",
            "127.0.0.1:29094->9094/tcp",
            "prom/alertmanager:v0.28.1",
            "http://127.0.0.1:29093/#/alerts",
            "/srv/connector-a/observability/grafana/dashboards",
            "grafana/grafana:12.0.2@sha256:b5b59bfc7561634c2d7b136c4543d702ebcc94a3da477f21ff26f89ffd4214fa",
        ];
        for width in [40, 50, 60, 80, 100, 120, 160] {
            let t = render_fitted(&headers, &status_rows(), Some(width));
            let w = words(&t);
            for tok in tokens {
                assert!(w.iter().any(|x| x == tok), "width {width}: `{tok}` broken:\n{t}");
            }
            // As narrow as the tokens allow: the widest column gave way first.
            let natural = widest_line(&render_fitted(&headers, &status_rows(), None));
            assert!(widest_line(&t) <= natural.max(width), "width {width}:\n{t}");
        }
        // Wide enough for the long tokens but not for whole lines: fitted exactly, and the
        // two port mappings are split after the comma, each whole.
        let t = render_fitted(&headers, &status_rows(), Some(210));
        assert!(widest_line(&t) <= 210, "{t}");
        assert!(
            t.lines().any(|l| l.contains("127.0.0.1:29093->9093/tcp,") && !l.contains("29094")),
            "{t}"
        );
    }

    #[test]
    fn pieces_break_at_spaces_and_after_commas_only() {
        let texts = |s: &str| pieces(s).into_iter().map(|p| p.text).collect::<Vec<_>>();
        assert_eq!(texts("a, b,c d"), ["a,", "b,", "c", "d"]);
        assert_eq!(texts("see http://h/x?a=1,2 now"), ["see", "http://h/x?a=1,2", "now"]);
        assert_eq!(wrap("a, b,c d", 5), "a, b,\nc d");
        assert_eq!(wrap("a, b,c d", 4), "a,\nb,c\nd");
        assert_eq!(wrap("alpha beta", 3), "alpha\nbeta");
        assert_eq!(wrap("one two\nthree", 20), "one two\nthree");
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
