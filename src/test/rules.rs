//! `stellar-obs test rules`: promtool's rule unit-test files (`promtool test rules`), run on
//! the project's PromQL engine. Per test group: load `input_series`, evaluate the rule
//! groups every `evaluation_interval` from the start up to the last `eval_time`, check each
//! `alert_rule_test` against the alerts firing at that time, then each `promql_expr_test`
//! against the final store.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use regex::Regex;

use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::lint::rule_tests::{self, AlertTest, ExprTest, TestFile, TestGroup};
use crate::lint::schema::values::duration_string;
use crate::promql::series::parse_series_labels;
use crate::promql::value::{STALE_NAN, Value};
use crate::promql::{Engine, EngineOptions, Labels, Storage};
use crate::test::compare::{self, AlertItem, SampleItem};
use crate::test::coverage::Coverage;
use crate::test::histogram::{self, HistStore};
use crate::test::report::{Failure, TestCase, TestReport};
use crate::test::rule_eval::{self, Evaluator, Group};
use crate::yaml::Pos;

/// Where the stack keeps its rule tests, relative to the stack directory.
pub const STACK_TESTS: &str = crate::lint::stack::RULE_TESTS;

/// Most rule evaluations one test group may take (`eval_time / evaluation_interval`): a
/// typo such as `eval_time: 100y` with a 1m interval is an error, not an hour-long run.
pub const MAX_STEPS: i64 = 2_000_000;

/// What to run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only test groups whose name matches one of these (promtool's `--run`).
    pub run: Option<Regex>,
    pub ignore_unknown_fields: bool,
    pub coverage: bool,
}

/// Build the `--run` filter: the patterns joined with `|`, as promtool does.
pub fn run_filter(patterns: &[String]) -> Result<Option<Regex>> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let joined = patterns.iter().map(|p| format!("(?:{p})")).collect::<Vec<_>>().join("|");
    Regex::new(&joined)
        .map(Some)
        .with_context(|| format!("--run: invalid regular expression {joined:?}"))
}

/// The stack's own test files (`prometheus/tests/*.yml` in the stack directory), sorted.
pub fn stack_tests(dir: &Path) -> Result<Vec<PathBuf>> {
    let tests = dir.join(STACK_TESTS);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&tests)
        .with_context(|| {
            format!("cannot read {} (run `stellar-obs init` or name test files)", tests.display())
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    v.sort();
    if v.is_empty() {
        anyhow::bail!("{} holds no test files (*.yml)", tests.display());
    }
    Ok(v)
}

/// Run every test file. An unreadable file is an error (exit 2); an invalid one is a
/// diagnostic in the report (exit 1).
pub fn run_files(files: &[PathBuf], opts: &Options) -> Result<TestReport> {
    let mut report = TestReport::default();
    let mut coverage = Coverage::default();
    for f in files {
        run_file(f, opts, &mut report, &mut coverage)?;
    }
    if opts.coverage {
        report.coverage = Some(coverage.items());
    }
    report.finish();
    Ok(report)
}

fn run_file(
    path: &Path,
    opts: &Options,
    report: &mut TestReport,
    coverage: &mut Coverage,
) -> Result<()> {
    let display = path.display().to_string();
    report.files += 1;
    let mut diags = Vec::new();
    let src = crate::lint::read_source(path, &display, &mut diags)?;
    let tree = match crate::yaml::parse(&src.text) {
        Ok(t) => Some(t),
        Err(e) => {
            diags.push(Diagnostic::error(
                &display,
                e.pos,
                crate::lint::check::YAML_SYNTAX,
                e.message,
            ));
            None
        }
    };
    let file = tree.as_ref().map(|t| rule_tests::parse(&src, t, &mut diags));
    let invalid = diags.iter().any(|d| d.severity == Severity::Error);
    report.sources.insert(display.clone(), src.text.clone());
    report
        .diagnostics
        .extend(diags.into_iter().filter(|d| d.severity == Severity::Error || !invalid));
    let Some(file) = file.filter(|_| !invalid) else { return Ok(()) };

    let rule_paths: Vec<(PathBuf, String)> =
        file.rule_paths.iter().map(|(p, _)| (p.clone(), clean(p).display().to_string())).collect();
    let (mut groups, rule_diags) =
        rule_eval::load(&rule_paths, opts.ignore_unknown_fields, &mut report.sources)?;
    coverage.add_rules(&groups);
    if !rule_diags.is_empty() {
        report.diagnostics.extend(rule_diags);
        return Ok(());
    }
    let order: Vec<String> = file.group_eval_order.iter().map(|t| t.v.clone()).collect();
    let mut missing = false;
    for t in &file.group_eval_order {
        if !groups.iter().any(|g| g.name == t.v) {
            missing = true;
            report.diagnostics.push(Diagnostic::error(
                &display,
                t.pos,
                rule_tests::UNKNOWN_GROUP,
                format!("group_eval_order names {:?}, which no rule file under test defines", t.v),
            ));
        }
    }
    if missing {
        return Ok(());
    }
    rule_eval::order(&mut groups, &order);

    for (i, tg) in file.tests.iter().enumerate() {
        if let Some(re) = &opts.run
            && !re.is_match(&tg.name)
        {
            continue;
        }
        let name = if tg.name.is_empty() { format!("unnamed#{i}") } else { tg.name.clone() };
        let started = Instant::now();
        let mut case = TestCase {
            name,
            path: display.clone(),
            line: tg.pos.line,
            column: tg.pos.col,
            passed: true,
            assertions: tg.alert_tests.len() + tg.expr_tests.len(),
            failures: Vec::new(),
            duration_ms: 0.0,
        };
        run_group(&file, tg, &groups, &display, &mut case.failures, coverage);
        case.passed = case.failures.is_empty();
        case.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
        report.cases.push(case);
    }
    Ok(())
}

/// `p` without `.` components and with `dir/..` pairs removed, for display (`./../x.yml`
/// is shown as `../x.yml`, `tests/../x.yml` as `x.yml`).
pub fn clean(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

fn failure(path: &str, pos: Pos, message: String) -> Failure {
    Failure {
        path: path.to_string(),
        line: pos.line.max(1),
        column: pos.col.max(1),
        message,
        diff: Vec::new(),
    }
}

/// Load a test group's `input_series` into a store; a line that does not parse is a
/// failure at the offending token.
fn load_series(
    tg: &TestGroup,
    interval: i64,
    path: &str,
    failures: &mut Vec<Failure>,
) -> Option<(Storage, HistStore)> {
    let mut st = Storage::new();
    let mut hists = HistStore::default();
    let mut ok = true;
    for s in &tg.input_series {
        if histogram::is_histogram_values(&s.values.v) {
            if let Err(e) = hists.load(&s.series.v, &s.values.v, tg.start_ms, interval) {
                ok = false;
                failures.push(failure(
                    path,
                    s.values.pos,
                    format!("input series {:?}: {e}", s.series.v),
                ));
            }
            continue;
        }
        let line = format!("{} {}", s.series.v, s.values.v);
        match crate::promql::series::parse_series_line(&line) {
            Ok((labels, values)) => {
                for (k, v) in values.iter().enumerate() {
                    let t = tg.start_ms.saturating_add((k as i64).saturating_mul(interval));
                    match v {
                        None => {}
                        Some(crate::promql::series::SeriesValue::Float(f)) => {
                            st.add(labels.clone(), t, *f)
                        }
                        Some(crate::promql::series::SeriesValue::Stale) => {
                            st.add(labels.clone(), t, STALE_NAN)
                        }
                    }
                }
            }
            Err(e) => {
                ok = false;
                let series_chars = s.series.v.chars().count();
                let pos = if e.column <= series_chars + 1 {
                    Pos::new(s.series.pos.line, s.series.pos.col + e.column as u32 - 1)
                } else {
                    let col = e.column.saturating_sub(series_chars + 2) as u32;
                    Pos::new(s.values.pos.line, s.values.pos.col + col)
                };
                failures.push(failure(
                    path,
                    pos,
                    format!("input series {:?}: {}", s.series.v, e.message),
                ));
            }
        }
    }
    ok.then_some((st, hists))
}

fn max_eval_time(tg: &TestGroup) -> i64 {
    let a = tg.alert_tests.iter().map(|a| a.eval_time_ms);
    let e = tg.expr_tests.iter().map(|e| e.eval_time_ms);
    a.chain(e).max().unwrap_or(0)
}

fn run_group(
    file: &TestFile,
    tg: &TestGroup,
    groups: &[Group],
    path: &str,
    failures: &mut Vec<Failure>,
    coverage: &mut Coverage,
) {
    let eval_interval = file.evaluation_interval_ms;
    let interval = tg.interval_ms.unwrap_or(eval_interval);
    let Some((mut st, hists)) = load_series(tg, interval, path, failures) else { return };
    let engine = Engine::new(EngineOptions {
        default_subquery_step_ms: eval_interval,
        ..EngineOptions::default()
    });
    let mut ev = Evaluator::new(&engine, groups, &tg.external_labels, &tg.external_url);
    let start = tg.start_ms;
    let end = start.saturating_add(max_eval_time(tg));
    if max_eval_time(tg) / eval_interval.max(1) > MAX_STEPS {
        failures.push(failure(
            path,
            tg.pos,
            format!(
                "the largest eval_time ({}) needs more than {MAX_STEPS} rule evaluations at an evaluation_interval of {}",
                duration_string(max_eval_time(tg).max(0) as u64),
                duration_string(eval_interval.max(0) as u64)
            ),
        ));
        return;
    }

    for a in &tg.alert_tests {
        coverage.assert_alert(&a.alertname.v, !a.exp_alerts.is_empty());
        if !groups.iter().any(|g| g.rules.iter().any(|r| r.alert && r.name == a.alertname.v)) {
            failures.push(failure(
                path,
                a.alertname.pos,
                format!(
                    "alertname {:?}: no alerting rule of that name in the rule files under test",
                    a.alertname.v
                ),
            ));
        }
    }
    let mut alert_tests: Vec<&AlertTest> = tg.alert_tests.iter().collect();
    alert_tests.sort_by_key(|a| a.eval_time_ms);
    let mut next = 0;
    let mut ts = start;
    while ts <= end {
        let errors = ev.eval(&mut st, ts);
        if !errors.is_empty() {
            for e in errors {
                failures.push(failure(
                    &e.path,
                    e.pos,
                    format!(
                        "rule {:?} failed at {}: {}",
                        e.rule,
                        duration_string((ts - start).max(0) as u64),
                        e.message
                    ),
                ));
            }
            return;
        }
        while next < alert_tests.len() {
            let a = alert_tests[next];
            let rel = a.eval_time_ms;
            if !(ts - start <= rel && rel < ts - start + eval_interval) {
                break;
            }
            check_alert(&ev, a, path, failures);
            next += 1;
        }
        match ts.checked_add(eval_interval) {
            Some(t) => ts = t,
            None => break,
        }
    }
    for e in &tg.expr_tests {
        coverage.assert_expr(&e.expr.v);
        check_expr(&engine, &st, &hists, e, start, file.fuzzy_compare, path, failures);
    }
}

fn check_alert(ev: &Evaluator<'_>, a: &AlertTest, path: &str, failures: &mut Vec<Failure>) {
    let got: Vec<AlertItem> = ev
        .firing(&a.alertname.v)
        .into_iter()
        .map(|(labels, ann)| AlertItem { labels, annotations: ann.into_iter().collect() })
        .collect();
    let exp: Vec<AlertItem> = a
        .exp_alerts
        .iter()
        .map(|e| {
            let mut pairs: Vec<(String, String)> = e.labels.clone().into_iter().collect();
            pairs.push(("alertname".into(), a.alertname.v.clone()));
            AlertItem { labels: Labels::new(pairs), annotations: e.annotations.clone() }
        })
        .collect();
    // The failure points at the first expected alert that is not firing, else at the list.
    let pos = exp
        .iter()
        .zip(&a.exp_alerts)
        .find(|(x, _)| !got.contains(x))
        .map_or(a.exp_pos, |(_, e)| e.pos);
    if let Some(diff) = compare::alerts(exp, got) {
        let mut f = failure(
            path,
            pos,
            format!(
                "alertname {:?} at eval_time {}: the firing alerts differ",
                a.alertname.v, a.eval_time
            ),
        );
        f.diff = diff;
        failures.push(f);
    }
}

fn check_expr(
    engine: &Engine,
    st: &Storage,
    hists: &HistStore,
    e: &ExprTest,
    start: i64,
    fuzzy: bool,
    path: &str,
    failures: &mut Vec<Failure>,
) {
    let at = format!("expr {:?} at eval_time {}", e.expr.v, e.eval_time);
    let t = start.saturating_add(e.eval_time_ms);
    let mut hist_got = Vec::new();
    if !hists.is_empty()
        && let Ok(parsed) = promql_parser::parser::parse(&e.expr.v)
    {
        match &parsed {
            promql_parser::parser::Expr::VectorSelector(vs)
                if vs.offset.is_none() && vs.at.is_none() =>
            {
                hist_got = hists.select(vs, t, engine.options().lookback_ms);
            }
            _ => {
                let names = hists.names();
                let metrics = crate::lint::promql::facts(&parsed).metrics;
                if let Some(m) = metrics.iter().find(|m| names.contains(m)) {
                    failures.push(failure(
                        path,
                        e.expr.pos,
                        format!(
                            "{at}: {m} holds native-histogram samples, which this engine only returns for a bare selector (no functions, operators, offset or @)"
                        ),
                    ));
                    return;
                }
            }
        }
    }
    let got = match engine.query_str(st, &e.expr.v, t) {
        Ok(Value::Vector(v)) => v
            .into_iter()
            .map(|s| SampleItem::float(s.labels, s.v))
            .chain(hist_got.into_iter().map(|(labels, h)| SampleItem {
                labels,
                value: 0.0,
                hist: Some(h),
            }))
            .collect(),
        Ok(Value::Scalar { v, .. }) => vec![SampleItem::float(Labels::empty(), v)],
        Ok(other) => {
            failures.push(failure(
                path,
                e.expr.pos,
                format!("{at}: the result is a {}, not a vector or scalar", other.type_name()),
            ));
            return;
        }
        Err(err) => {
            failures.push(failure(path, e.expr.pos, format!("{at}: {err}")));
            return;
        }
    };
    let mut exp = Vec::new();
    for s in &e.exp_samples {
        let hist = match &s.histogram {
            None => None,
            Some(h) => match histogram::parse_expected(&h.v) {
                Ok(x) => Some(x),
                Err(err) => {
                    failures.push(failure(
                        path,
                        h.pos,
                        format!("{at}: histogram {:?}: {err}", h.v),
                    ));
                    return;
                }
            },
        };
        let labels = if s.labels.v.trim().is_empty() {
            Labels::empty()
        } else {
            match parse_series_labels(&s.labels.v) {
                Ok((l, used)) if s.labels.v[used..].trim().is_empty() => l,
                Ok((_, used)) => {
                    failures.push(failure(
                        path,
                        s.labels.pos,
                        format!(
                            "{at}: labels {:?}: unexpected text at column {}",
                            s.labels.v,
                            used + 1
                        ),
                    ));
                    return;
                }
                Err(err) => {
                    failures.push(failure(
                        path,
                        s.labels.pos,
                        format!("{at}: labels {:?}: {}", s.labels.v, err.message),
                    ));
                    return;
                }
            }
        };
        exp.push(SampleItem { labels, value: s.value, hist });
    }
    // The failure points at the first expected sample that is not in the result, else at
    // the list.
    let pos = exp
        .iter()
        .zip(&e.exp_samples)
        .find(|(x, _)| !got.iter().any(|g| g.labels == x.labels && g.same_value(x, fuzzy)))
        .map_or(e.exp_pos, |(_, s)| s.pos);
    if let Some(diff) = compare::samples(exp, got, fuzzy) {
        let mut f = failure(path, pos, format!("{at}: the samples differ"));
        f.diff = diff;
        failures.push(f);
    }
}

/// Run `test rules` for the command line: the files named, or the stack's own tests.
pub fn command(dir: &Path, files: &[PathBuf], opts: &Options) -> Result<TestReport> {
    let files = if files.is_empty() { stack_tests(dir)? } else { files.to_vec() };
    run_files(&files, opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_cleaned_for_display() {
        assert_eq!(clean(Path::new("./../a.yml")), PathBuf::from("../a.yml"));
        assert_eq!(clean(Path::new("t/tests/../a.yml")), PathBuf::from("t/a.yml"));
        assert_eq!(clean(Path::new("/x/./y/../z")), PathBuf::from("/x/z"));
        assert_eq!(clean(Path::new("./")), PathBuf::from("."));
    }

    #[test]
    fn run_patterns_are_joined() {
        let re = run_filter(&["^a$".into(), "b".into()]).expect("ok").expect("some");
        assert!(re.is_match("a") && re.is_match("xbx") && !re.is_match("c"));
        assert!(run_filter(&[]).expect("ok").is_none());
        assert!(run_filter(&["(".into()]).is_err());
    }
}
