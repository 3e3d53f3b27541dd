use super::*;

fn slo() -> Slo {
    let mut d = Vec::new();
    let text = "version: prometheus/v1\nservice: api\nslos:\n  - name: avail\n    objective: 99.9\n    sli:\n      events:\n        error_query: sum(rate(err[{{.window}}]))\n        total_query: sum(rate(all[{{.window}}]))\n";
    crate::slo::spec::parse("s.yml", text, &mut d).remove(0)
}

#[test]
fn budget_burn_rates_and_exhaustion() {
    let to = 1_700_000_000 - 1_700_000_000 % DAY_S;
    let period = 30 * 86_400_000;
    let from = to - 30 * DAY_S;
    let mut a = Answers { period_error: Some(0.0005), ..Answers::default() };
    a.burn_error.insert("1h".into(), Some(0.0005));
    for i in 1..=30 {
        a.daily_error.insert(from + i * DAY_S, if i == 10 { 0.0035 } else { 0.0004 });
        a.daily_total.insert(from + i * DAY_S, 10.0);
    }
    let r = compute(&slo(), to, period, &a);
    assert_eq!(r.sli, Some(0.9995));
    assert_eq!(r.met, Some(true));
    let rem = r.error_budget_remaining.expect("remaining");
    assert!((rem - 0.5).abs() < 1e-9, "{rem}");
    assert!(r.burn_rate["1h"].is_some_and(|b| (b - 0.5).abs() < 1e-9));
    assert_eq!(r.burn_rate["6h"], None);
    // Half the budget left, burning half the budget per period: 30 days.
    let at = r.budget_exhausted_at.as_deref().and_then(|t| parse_at(t).ok()).expect("exhausted at");
    assert!((at - (to + 30 * DAY_S)).abs() <= 1, "{at}");
    assert_eq!(r.worst_day.as_ref().map(|d| d.date.clone()), Some(date(from + 9 * DAY_S)));
    let last = r.daily.last().and_then(|d| d.budget_remaining).expect("burn-down");
    assert!((last - (1.0 - (29.0 * 0.0004 + 0.0035) / 30.0 / 0.001)).abs() < 1e-9);
    assert!(r.notes.is_empty(), "{:?}", r.notes);
}

#[test]
fn missing_data_is_said() {
    let to = 1_700_000_000;
    let r = compute(&slo(), to, 30 * 86_400_000, &Answers::default());
    assert_eq!((r.sli, r.met), (None, None));
    assert!(r.notes[0].starts_with("no data"), "{:?}", r.notes);
    let from = to - 30 * DAY_S;
    let mut a = Answers { period_error: Some(0.01), ..Answers::default() };
    for i in 21..=30 {
        a.daily_error.insert(from + i * DAY_S, 0.01);
    }
    let r = compute(&slo(), to, 30 * 86_400_000, &a);
    assert_eq!(r.met, Some(false));
    assert!(
        r.notes[0].contains("data for 10 of 30 days") && r.notes[0].contains("younger"),
        "{:?}",
        r.notes
    );
    // Overspent: the budget ran out on the first day the burn-down crossed zero.
    assert!(r.error_budget_remaining.is_some_and(|x| x < 0.0));
    assert!(r.budget_exhausted_at.is_some());
}

#[test]
fn at_is_rfc3339_or_unix_seconds() {
    assert_eq!(parse_at("1700000000").expect("unix"), 1_700_000_000);
    assert_eq!(parse_at("2023-11-14T22:13:20Z").expect("rfc"), 1_700_000_000);
    assert!(parse_at("yesterday").is_err());
}
