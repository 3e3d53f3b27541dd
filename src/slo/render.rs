//! The SLO report for people and scripts: a table with a daily sparkline per SLO, the JSON
//! of the contract, Markdown; HTML is in `html.rs`.

use crate::cli::OutputFormat;
use crate::output::{Paint, Report};
use crate::slo::report::{BURN_WINDOWS, Daily, SloReport, SloResult, percent, times};

/// The daily SLI as a sparkline: the lowest day is the lowest bar; days without data are
/// `·`. When every day is the same, every bar is full.
pub fn sparkline(daily: &[Daily]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let vals: Vec<f64> = daily.iter().filter_map(|d| d.sli).collect();
    let (lo, hi) = vals.iter().fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    daily
        .iter()
        .map(|d| match d.sli {
            None => '·',
            Some(_) if hi - lo < 1e-12 => '█',
            Some(v) => BARS[(((v - lo) / (hi - lo)) * 7.0).round().clamp(0.0, 7.0) as usize],
        })
        .collect()
}

fn met(paint: &Paint, s: &SloResult) -> String {
    match s.met {
        Some(true) => paint.green("met"),
        Some(false) => paint.red("missed"),
        None => paint.yellow("no data"),
    }
}

fn human(r: &SloReport, paint: &Paint) -> String {
    let headers =
        ["SLO", "OBJECTIVE", "SLI", "", "BUDGET LEFT", "BURN 1h/6h/1d/3d", "RUNS OUT", "WORST DAY"];
    let rows: Vec<Vec<String>> = r
        .slos
        .iter()
        .map(|s| {
            vec![
                format!("{}/{}", s.service, s.name),
                percent(Some(s.objective)),
                percent(s.sli),
                met(paint, s),
                percent(s.error_budget_remaining),
                BURN_WINDOWS
                    .iter()
                    .map(|(w, _)| times(s.burn_rate.get(*w).copied().flatten()))
                    .collect::<Vec<_>>()
                    .join(" "),
                s.budget_exhausted_at.clone().unwrap_or_else(|| "-".into()),
                s.worst_day
                    .as_ref()
                    .map_or("-".into(), |d| format!("{} {}", d.date, percent(d.sli))),
            ]
        })
        .collect();
    let mut out = format!("SLO report, {} from {} to {}\n", r.period, r.from, r.to);
    out.push_str(&crate::output::table::render(&headers, &rows));
    for s in &r.slos {
        out.push_str(&format!("{}/{} daily SLI  {}\n", s.service, s.name, sparkline(&s.daily)));
        for n in &s.notes {
            out.push_str(&format!("  {} {n}\n", paint.yellow("note:")));
        }
    }
    out
}

/// The JSON of the contract: ratios as fractions, `null` where there is no data.
pub fn json(r: &SloReport) -> serde_json::Value {
    crate::output::to_json(r)
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

pub fn markdown(r: &SloReport) -> String {
    let mut o =
        format!("# SLO report\n\nPeriod **{}**, from {} to {}.\n\n", r.period, r.from, r.to);
    o.push_str("| SLO | objective | SLI | met | budget left | burn 1h | burn 6h | burn 1d | burn 3d | budget runs out | worst day |\n");
    o.push_str("|---|---:|---:|---|---:|---:|---:|---:|---:|---|---|\n");
    for s in &r.slos {
        let met = match s.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "no data",
        };
        let burns: Vec<String> = BURN_WINDOWS
            .iter()
            .map(|(w, _)| times(s.burn_rate.get(*w).copied().flatten()))
            .collect();
        o.push_str(&format!(
            "| {} | {} | {} | {met} | {} | {} | {} | {} | {} | {} | {} |\n",
            md_cell(&format!("{}/{}", s.service, s.name)),
            percent(Some(s.objective)),
            percent(s.sli),
            percent(s.error_budget_remaining),
            burns[0],
            burns[1],
            burns[2],
            burns[3],
            s.budget_exhausted_at.as_deref().unwrap_or("-"),
            s.worst_day.as_ref().map_or("-".into(), |d| format!("{} ({})", d.date, percent(d.sli))),
        ));
    }
    for s in &r.slos {
        o.push_str(&format!(
            "\n## {}/{}\n\nDaily SLI: `{}`\n",
            md_cell(&s.service),
            md_cell(&s.name),
            sparkline(&s.daily)
        ));
        for n in &s.notes {
            o.push_str(&format!("\n> {}\n", md_cell(n)));
        }
    }
    o
}

impl Report for SloReport {
    fn human(&self, paint: &Paint) -> String {
        human(self, paint)
    }

    fn json(&self) -> serde_json::Value {
        json(self)
    }

    fn other(&self, format: OutputFormat) -> Option<String> {
        match format {
            OutputFormat::Markdown => Some(markdown(self)),
            OutputFormat::Html => Some(crate::slo::html::render(self)),
            _ => None,
        }
    }
}
