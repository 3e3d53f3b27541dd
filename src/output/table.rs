//! Tables (tabled) for human output.

use tabled::builder::Builder;
use tabled::settings::Style;

/// Render rows under headers as a table with rounded borders.
/// Cells may already contain ANSI colour; tabled measures them correctly.
pub fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut b = Builder::default();
    b.push_record(headers.iter().map(|h| h.to_string()));
    for r in rows {
        b.push_record(r.iter().cloned());
    }
    let mut t = b.build();
    t.with(Style::rounded());
    let mut s = t.to_string();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn coloured_cells_keep_the_columns_aligned() {
        let p = crate::output::Paint { enabled: true, stderr_enabled: false };
        let s = super::render(&["STATUS", "X"], &[vec![p.red("unhealthy"), "1".into()]]);
        assert!(s.contains("│ STATUS    │ X │"), "{s}");
    }

    #[test]
    fn renders_headers_and_cells() {
        let s = super::render(&["A", "B"], &[vec!["1".into(), "two".into()]]);
        assert!(s.contains("│ A │ B   │"), "{s}");
        assert!(s.contains("│ 1 │ two │"), "{s}");
    }
}
