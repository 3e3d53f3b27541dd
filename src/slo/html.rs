//! The SLO report as one self-contained HTML page a manager can open: no script, no
//! external font, style sheet or image; charts are inline SVG. Per SLO: the figures, an
//! error-budget burn-down and the daily SLI as bars against the objective.
//!
//! Every number drawn also sits in a `data-*` attribute with full precision (`data-sli`,
//! `data-remaining`, `data-value`), so tests (and scripts) can check the charts against the
//! JSON report.

use std::fmt::Write as _;

use crate::slo::report::{BURN_WINDOWS, SloReport, SloResult, percent, times};

const W: f64 = 720.0;
const H: f64 = 180.0;
const PAD_L: f64 = 56.0;
const PAD_B: f64 = 24.0;
const PAD_T: f64 = 10.0;

/// Text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if c.is_control() && c != '\n' => {}
            c => o.push(c),
        }
    }
    o
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| format!("{v}"))
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem;color:#1b1f24;background:#fff}\
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:0 0 .5rem}\
.sub{color:#57606a;margin:0 0 1.5rem}.slo{border:1px solid #d0d7de;border-radius:8px;padding:1rem 1.25rem;margin:0 0 1.5rem;max-width:760px}\
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{padding:.25rem .75rem .25rem 0;text-align:left;font-variant-numeric:tabular-nums}\
th{color:#57606a;font-weight:500}.met{color:#1a7f37;font-weight:600}.missed{color:#cf222e;font-weight:600}.nodata{color:#9a6700;font-weight:600}\
.note{background:#fff8c5;border-left:3px solid #d4a72c;padding:.35rem .6rem;margin:.35rem 0}\
svg{display:block;margin:.25rem 0 1rem}.axis{stroke:#8c959f;stroke-width:1}.grid{stroke:#eaeef2;stroke-width:1}\
.lbl{font-size:11px;fill:#57606a}.obj{stroke:#cf222e;stroke-dasharray:4 3;stroke-width:1.5}\
.burn{fill:none;stroke:#0969da;stroke-width:2}.pt{fill:#0969da}.bar{fill:#2da44e}.bar.below{fill:#cf222e}.caption{font-size:.9rem;color:#57606a;margin:0}";

/// The whole page.
pub fn render(r: &SloReport) -> String {
    let mut o = String::new();
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(o, "<title>SLO report {} – {}</title>", esc(&r.from), esc(&r.to));
    let _ = writeln!(o, "<style>{STYLE}</style>\n</head>\n<body>");
    let met = r.slos.iter().filter(|s| s.met == Some(true)).count();
    let _ = writeln!(o, "<h1>Service level report</h1>");
    let _ = writeln!(
        o,
        "<p class=\"sub\">Period <b>{}</b>, {} to {} (UTC). <span data-field=\"met-count\" data-value=\"{met}\">{met} of {} objectives met</span>.</p>",
        esc(&r.period),
        esc(&r.from),
        esc(&r.to),
        r.slos.len()
    );
    for (i, s) in r.slos.iter().enumerate() {
        slo_section(&mut o, i, s);
    }
    o.push_str("</body>\n</html>\n");
    o
}

fn slo_section(o: &mut String, i: usize, s: &SloResult) {
    let id = format!("{}/{}", s.service, s.name);
    let _ = writeln!(o, "<section class=\"slo\" id=\"slo-{i}\" data-slo=\"{}\">", esc(&id));
    let _ = writeln!(o, "<h2>{}</h2>", esc(&id));
    let (class, word) = match s.met {
        Some(true) => ("met", "objective met"),
        Some(false) => ("missed", "objective missed"),
        None => ("nodata", "no data"),
    };
    o.push_str("<table>\n");
    let row = |o: &mut String, th: &str, field: &str, value: Option<f64>, shown: String| {
        let _ = writeln!(
            o,
            "<tr><th>{th}</th><td data-field=\"{field}\" data-value=\"{}\">{}</td></tr>",
            num(value),
            esc(&shown)
        );
    };
    row(o, "Objective", "objective", Some(s.objective), percent(Some(s.objective)));
    let _ = writeln!(
        o,
        "<tr><th>SLI</th><td data-field=\"sli\" data-value=\"{}\">{} <span class=\"{class}\">{word}</span></td></tr>",
        num(s.sli),
        esc(&percent(s.sli))
    );
    row(
        o,
        "Error budget left",
        "error_budget_remaining",
        s.error_budget_remaining,
        percent(s.error_budget_remaining),
    );
    for (w, _) in BURN_WINDOWS {
        let v = s.burn_rate.get(w).copied().flatten();
        row(o, &format!("Burn rate {w}"), &format!("burn_rate.{w}"), v, times(v));
    }
    let _ = writeln!(
        o,
        "<tr><th>Budget runs out</th><td data-field=\"budget_exhausted_at\">{}</td></tr>",
        esc(s.budget_exhausted_at.as_deref().unwrap_or("not at the current rate"))
    );
    if let Some(d) = &s.worst_day {
        let _ = writeln!(
            o,
            "<tr><th>Worst day</th><td data-field=\"worst_day\" data-date=\"{}\" data-value=\"{}\">{} ({})</td></tr>",
            esc(&d.date),
            num(d.sli),
            esc(&d.date),
            esc(&percent(d.sli))
        );
    }
    o.push_str("</table>\n");
    for n in &s.notes {
        let _ = writeln!(o, "<p class=\"note\">{}</p>", esc(n));
    }
    burn_down(o, i, s);
    daily_bars(o, i, s);
    o.push_str("</section>\n");
}

fn x_of(i: usize, n: usize) -> f64 {
    PAD_L + (W - PAD_L - 8.0) * (i as f64 / n.max(1) as f64)
}

fn y_axis(o: &mut String, lo: f64, hi: f64, fmt: &dyn Fn(f64) -> String) {
    for k in 0..=4 {
        let v = lo + (hi - lo) * k as f64 / 4.0;
        let y = PAD_T + (H - PAD_T - PAD_B) * (1.0 - k as f64 / 4.0);
        let _ = writeln!(
            o,
            "<line class=\"grid\" x1=\"{PAD_L}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>",
            W - 8.0
        );
        let _ = writeln!(
            o,
            "<text class=\"lbl\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            PAD_L - 6.0,
            y + 4.0,
            esc(&fmt(v))
        );
    }
    let _ = writeln!(
        o,
        "<line class=\"axis\" x1=\"{PAD_L}\" x2=\"{PAD_L}\" y1=\"{PAD_T}\" y2=\"{}\"/>",
        H - PAD_B
    );
}

fn y_of(v: f64, lo: f64, hi: f64) -> f64 {
    let f = if hi > lo { (v - lo) / (hi - lo) } else { 1.0 };
    PAD_T + (H - PAD_T - PAD_B) * (1.0 - f.clamp(0.0, 1.0))
}

fn date_labels(o: &mut String, s: &SloResult, slots: usize, centred: bool) {
    let n = s.daily.len();
    for (i, d) in s.daily.iter().enumerate() {
        // Weekly, and the last day (unless a weekly label is too close to it).
        if (i % 7 == 0 && n - 1 - i >= 3) || i + 1 == n {
            let x = if centred {
                x_of(i, slots) + (x_of(1, slots) - x_of(0, slots)) / 2.0
            } else {
                x_of(i + 1, slots)
            };
            let _ = writeln!(
                o,
                "<text class=\"lbl\" x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                H - 6.0,
                esc(d.date.get(5..).unwrap_or(&d.date))
            );
        }
    }
}

/// Error budget left at the end of each day: a line from 100 % at the start.
fn burn_down(o: &mut String, i: usize, s: &SloResult) {
    let n = s.daily.len();
    let pts: Vec<(usize, f64, &str)> = s
        .daily
        .iter()
        .enumerate()
        .filter_map(|(k, d)| d.budget_remaining.map(|r| (k + 1, r, d.date.as_str())))
        .collect();
    let lo = pts.iter().map(|p| p.1).fold(0.0_f64, f64::min);
    let _ = writeln!(o, "<p class=\"caption\">Error budget left (end of each day)</p>");
    let _ = writeln!(
        o,
        "<svg id=\"burn-{i}\" class=\"burndown\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"error budget burn-down\">"
    );
    y_axis(o, lo, 1.0, &|v| format!("{:.0}%", v * 100.0));
    if lo < 0.0 {
        let y = y_of(0.0, lo, 1.0);
        let _ = writeln!(
            o,
            "<line class=\"obj\" x1=\"{PAD_L}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>",
            W - 8.0
        );
    }
    if !pts.is_empty() {
        let mut line = format!("{:.1},{:.1}", x_of(0, n), y_of(1.0, lo, 1.0));
        for (k, r, _) in &pts {
            let _ = write!(line, " {:.1},{:.1}", x_of(*k, n), y_of(*r, lo, 1.0));
        }
        let _ = writeln!(o, "<polyline class=\"burn\" points=\"{line}\"/>");
        for (k, r, date) in &pts {
            let _ = writeln!(
                o,
                "<circle class=\"pt\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" data-date=\"{}\" data-remaining=\"{r}\"><title>{}: {} of the budget left</title></circle>",
                x_of(*k, n),
                y_of(*r, lo, 1.0),
                esc(date),
                esc(date),
                esc(&percent(Some(*r)))
            );
        }
    }
    date_labels(o, s, n, false);
    o.push_str("</svg>\n");
}

/// The daily SLI as bars against the objective (red below it).
fn daily_bars(o: &mut String, i: usize, s: &SloResult) {
    let n = s.daily.len();
    let min_sli = s.daily.iter().filter_map(|d| d.sli).fold(1.0_f64, f64::min);
    // From a little below the objective (or the worst day) to 100 %.
    let lo = (s.objective - (1.0 - s.objective)).min(min_sli).max(0.0);
    let lo = lo - (1.0 - lo) * 0.05;
    let _ = writeln!(
        o,
        "<p class=\"caption\">Daily SLI against the objective ({})</p>",
        esc(&percent(Some(s.objective)))
    );
    let _ = writeln!(
        o,
        "<svg id=\"daily-{i}\" class=\"daily\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"daily SLI\">"
    );
    y_axis(o, lo, 1.0, &|v| format!("{:.2}%", v * 100.0));
    let slot = x_of(1, n) - x_of(0, n);
    for (k, d) in s.daily.iter().enumerate() {
        let Some(v) = d.sli else { continue };
        let y = y_of(v, lo, 1.0);
        let below = if v < s.objective { " below" } else { "" };
        let _ = writeln!(
            o,
            "<rect class=\"bar{below}\" x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" data-date=\"{}\" data-sli=\"{v}\"><title>{}: {}</title></rect>",
            x_of(k, n) + slot * 0.15,
            (slot * 0.7).max(1.0),
            (H - PAD_B - y).max(1.0),
            esc(&d.date),
            esc(&d.date),
            esc(&percent(Some(v)))
        );
    }
    let y = y_of(s.objective, lo, 1.0);
    let _ = writeln!(
        o,
        "<line class=\"obj\" x1=\"{PAD_L}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" data-objective=\"{}\"/>",
        W - 8.0,
        s.objective
    );
    date_labels(o, s, n, true);
    o.push_str("</svg>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc("<a href=\"x\">&'\u{1b}"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }
}
