//! The SLO period and its multi-window, multi-burn-rate alert windows (Google's SRE
//! workbook, chapter 5): page on a fast burn seen over a long and a short window, ticket on a
//! slow one. Sloth's `AlertWindows` files (`sloth.slok.dev/v1`) give custom windows.

use crate::lint::diagnostic::Diagnostic;
use crate::lint::schema::{Ctx, MISSING_FIELD};
use crate::slo::spec::{PERIOD, format_duration};
use crate::yaml::{Node, Pos};

const MS_DAY: u64 = 24 * 3600 * 1000;
const MS_HOUR: u64 = 3600 * 1000;
const MS_MIN: u64 = 60 * 1000;

/// One alert condition: both windows burn faster than `factor` times the budget.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BurnWindow {
    pub short_ms: u64,
    pub long_ms: u64,
    /// The share of the period's error budget this condition lets burn over the long window.
    pub budget_percent: f64,
}

/// The period and the four alert conditions.
#[derive(Debug, Clone, PartialEq)]
pub struct Windows {
    pub period_ms: u64,
    pub page_quick: BurnWindow,
    pub page_slow: BurnWindow,
    pub ticket_quick: BurnWindow,
    pub ticket_slow: BurnWindow,
}

impl Windows {
    /// The workbook's windows for `period_ms`: pages at 2 % of the budget in 1 h (5 m short
    /// window) and 5 % in 6 h (30 m), tickets at 10 % in 1 d (2 h) and 10 % in 3 d (6 h);
    /// for a 30-day period the burn-rate factors are 14.4, 6, 3 and 1. A 7-day period
    /// takes Sloth's 7-day budget shares (8, 12.5, 20 and 42 %), so that its factors stay
    /// in the same range.
    pub fn default_for(period_ms: u64) -> Windows {
        let w =
            |short_ms, long_ms, budget_percent| BurnWindow { short_ms, long_ms, budget_percent };
        let (a, b, c, d) =
            if period_ms == 7 * MS_DAY { (8.0, 12.5, 20.0, 42.0) } else { (2.0, 5.0, 10.0, 10.0) };
        Windows {
            period_ms,
            page_quick: w(5 * MS_MIN, MS_HOUR, a),
            page_slow: w(30 * MS_MIN, 6 * MS_HOUR, b),
            ticket_quick: w(2 * MS_HOUR, MS_DAY, c),
            ticket_slow: w(6 * MS_HOUR, 3 * MS_DAY, d),
        }
    }

    /// The burn-rate factor of a condition: budget share × period ÷ long window.
    pub fn factor(&self, w: &BurnWindow) -> f64 {
        let f = w.budget_percent / 100.0 * (self.period_ms as f64 / w.long_ms as f64);
        // 0.02 × 720 is 14.4 up to the last bit; keep the figure people read.
        (f * 1e9).round() / 1e9
    }

    pub fn all(&self) -> [&BurnWindow; 4] {
        [&self.page_quick, &self.page_slow, &self.ticket_quick, &self.ticket_slow]
    }

    /// Every alert window, shortest first, without repeats.
    pub fn alert_windows(&self) -> Vec<u64> {
        let mut v: Vec<u64> = self.all().iter().flat_map(|w| [w.short_ms, w.long_ms]).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The longest alert window.
    pub fn longest(&self) -> u64 {
        self.alert_windows().last().copied().unwrap_or(0)
    }

    /// A problem with the period, when there is one (shorter than the longest window).
    pub fn period_problem(&self) -> Option<String> {
        (self.period_ms < self.longest()).then(|| {
            format!(
                "the SLO period {} is shorter than the longest alert window {}",
                format_duration(self.period_ms),
                format_duration(self.longest())
            )
        })
    }
}

/// Read a Sloth `AlertWindows` file. Problems go to `diags`.
pub fn parse(path: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Option<(Windows, Pos)> {
    let tree = match crate::yaml::parse(text) {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic::error(path, e.pos, crate::lint::check::YAML_SYNTAX, e.message));
            return None;
        }
    };
    let mut ctx = Ctx::new(path, diags);
    let f = ctx.map(&tree, "AlertWindows", &["apiVersion", "kind", "spec"])?;
    let api = ctx.require(&f, "apiVersion", "AlertWindows")?;
    ctx.one_of(api, "apiVersion", &["sloth.slok.dev/v1"])?;
    let kind = ctx.require(&f, "kind", "AlertWindows")?;
    ctx.one_of(kind, "kind", &["AlertWindows"])?;
    let spec = ctx.require(&f, "spec", "AlertWindows")?;
    let sf = ctx.map(spec, "spec", &["sloPeriod", "page", "ticket"])?;
    let period_node = ctx.require(&sf, "sloPeriod", "spec")?;
    let period_ms = ctx.duration(period_node, "sloPeriod");
    let mut pair = |key: &str| -> Option<(BurnWindow, BurnWindow)> {
        let n = ctx.require(&sf, key, "spec")?;
        let pf = ctx.map(n, key, &["quick", "slow"])?;
        let mut one = |k: &str| -> Option<BurnWindow> {
            let w = ctx.require(&pf, k, key)?;
            burn_window(&mut ctx, w, &format!("{key}.{k}"))
        };
        let q = one("quick");
        let s = one("slow");
        Some((q?, s?))
    };
    let page = pair("page");
    let ticket = pair("ticket");
    let period_ms = period_ms?;
    let (page_quick, page_slow) = page?;
    let (ticket_quick, ticket_slow) = ticket?;
    let w = Windows { period_ms, page_quick, page_slow, ticket_quick, ticket_slow };
    if let Some(p) = w.period_problem() {
        ctx.error(period_node.pos, PERIOD, p);
        return None;
    }
    Some((w, period_node.pos))
}

fn burn_window(ctx: &mut Ctx<'_>, node: &Node, what: &str) -> Option<BurnWindow> {
    let f = ctx.map(node, what, &["errorBudgetPercent", "shortWindow", "longWindow"])?;
    let pct = ctx.require(&f, "errorBudgetPercent", what).and_then(|p| {
        let v = ctx.float(p, &format!("{what} `errorBudgetPercent`"))?;
        if v > 0.0 && v <= 100.0 {
            Some(v)
        } else {
            ctx.error(
                p.pos,
                crate::lint::schema::BAD_VALUE,
                format!("{what}: errorBudgetPercent {v} is outside (0, 100]"),
            );
            None
        }
    });
    let short = ctx.require(&f, "shortWindow", what).and_then(|n| ctx.duration(n, "shortWindow"));
    let long = ctx.require(&f, "longWindow", what).and_then(|n| ctx.duration(n, "longWindow"));
    let (pct, short_ms, long_ms) = (pct?, short?, long?);
    if short_ms == 0 || long_ms <= short_ms {
        ctx.error(
            f.pos(),
            MISSING_FIELD,
            format!("{what}: shortWindow must be shorter than longWindow, and not 0"),
        );
        return None;
    }
    Some(BurnWindow { short_ms, long_ms, budget_percent: pct })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workbook_factors_for_30_days() {
        let w = Windows::default_for(30 * MS_DAY);
        let f: Vec<f64> = w.all().iter().map(|b| w.factor(b)).collect();
        assert_eq!(f, vec![14.4, 6.0, 3.0, 1.0]);
        let names: Vec<String> = w.alert_windows().into_iter().map(format_duration).collect();
        assert_eq!(names, ["5m", "30m", "1h", "2h", "6h", "1d", "3d"]);
        assert!(w.period_problem().is_none());
        assert!(Windows::default_for(2 * MS_DAY).period_problem().expect("short").contains("3d"));
    }

    #[test]
    fn seven_and_28_days() {
        let w = Windows::default_for(7 * MS_DAY);
        assert_eq!(w.factor(&w.page_quick), 13.44);
        let w = Windows::default_for(28 * MS_DAY);
        assert_eq!(w.factor(&w.page_quick), 13.44);
        assert_eq!(w.factor(&w.ticket_slow), 0.933333333);
    }

    #[test]
    fn alert_windows_files() {
        let dir = crate::slo::conformance_dir().join("slo-sloth/windows");
        let text = std::fs::read_to_string(dir.join("custom-30d.yaml"))
            .expect("conformance windows (../shared)");
        let mut d = Vec::new();
        let (w, _) = parse("custom-30d.yaml", &text, &mut d).expect("parses");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(w.page_quick.short_ms, 2 * MS_MIN);
        assert_eq!(w.factor(&w.page_quick), 14.4);
        assert_eq!(w.ticket_slow.long_ms, 36 * MS_HOUR);
        let bad = text.replace("sloPeriod: 30d", "sloPeriod: 1d");
        let mut d = Vec::new();
        assert!(parse("w.yaml", &bad, &mut d).is_none());
        assert_eq!((d[0].code, d[0].line), (PERIOD, 4), "{d:?}");
    }
}
