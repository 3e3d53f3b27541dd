//! The promqltest `.test` script format (upstream's promql/promqltest): `load`, `clear`,
//! `eval instant at T EXPR`, `eval range from A to B step S EXPR`, legacy `eval_fail` /
//! `eval_ordered` / `eval_warn` / `eval_info`, and the `expect ...` lines. Parsed into commands;
//! nothing is evaluated here.

use stellar_obs::promql::Labels;
use stellar_obs::promql::series::{
    SeriesErrorKind, SeriesValue, expand_values, parse_number, parse_series_labels,
    parse_series_line, parse_string,
};

/// One command of a script.
#[derive(Debug)]
pub enum Command {
    Load(Load),
    Clear,
    Eval(Box<Eval>),
}

#[derive(Debug)]
pub struct Load {
    /// `load_with_nhcb`: classic histograms are also stored as native (custom-bucket) ones.
    pub nhcb: bool,
    pub series: Vec<(Labels, Vec<(i64, SeriesValue)>)>,
    /// Metric names given native-histogram samples (`{{...}}`), not stored.
    pub histogram_names: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
pub enum When {
    Instant(i64),
    Range { start: i64, end: i64, step: i64 },
}

#[derive(Debug, Default)]
pub struct FailExpect {
    pub msg: Option<String>,
    pub regex: Option<String>,
}

#[derive(Debug)]
pub enum Expected {
    /// Instant vector: label set and value, in the order written.
    Vector(Vec<(Labels, f64)>),
    Scalar(f64),
    String(String),
    /// Range vector (eval range, or `expect range vector`): series and their points.
    Matrix(Vec<(Labels, Vec<(i64, f64)>)>),
}

#[derive(Debug)]
pub struct Eval {
    pub line: usize,
    pub when: When,
    pub expr: String,
    pub fail: Option<FailExpect>,
    pub ordered: bool,
    /// `expect warn/info/no_warn/no_info` lines (annotations; not checked by this engine).
    pub annotations: usize,
    pub expected: Expected,
    /// Why the expected output cannot be represented (native histograms).
    pub unrepresentable: Option<String>,
}

/// Prometheus' duration syntax (`1h30m`, `10s53ms`, `0`); a plain number is seconds.
pub fn parse_duration_ms(s: &str) -> Result<i64, String> {
    let (neg, body) = s.strip_prefix('-').map_or((false, s), |b| (true, b));
    if let Ok(n) = body.parse::<f64>() {
        let v = (n * 1000.0).round() as i64;
        return Ok(if neg { -v } else { v });
    }
    let mut total: i64 = 0;
    let b = body.as_bytes();
    let mut i = 0;
    if b.is_empty() {
        return Err(format!("empty duration {s:?}"));
    }
    while i < b.len() {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let n: i64 = body[start..i].parse().map_err(|_| format!("bad duration {s:?}"))?;
        let u = i;
        while i < b.len() && b[i].is_ascii_alphabetic() {
            i += 1;
        }
        let mult = match &body[u..i] {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 7 * 86_400_000,
            "y" => 365 * 86_400_000,
            other => return Err(format!("bad duration unit {other:?} in {s:?}")),
        };
        total += n * mult;
    }
    Ok(if neg { -total } else { total })
}

/// Upstream's getLines: trimmed, comments blanked (so a comment ends a block).
fn lines(text: &str) -> Vec<String> {
    text.split('\n')
        .map(|l| {
            let l = l.trim();
            if l.starts_with('#') { String::new() } else { l.to_string() }
        })
        .collect()
}

pub fn parse(text: &str) -> Result<Vec<Command>, String> {
    let ls = lines(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < ls.len() {
        let l = &ls[i];
        let line_no = i + 1;
        if l.is_empty() {
            i += 1;
            continue;
        }
        let block_end = {
            let mut j = i + 1;
            while j < ls.len() && !ls[j].is_empty() {
                j += 1;
            }
            j
        };
        let body = &ls[i + 1..block_end];
        let word = l.split_whitespace().next().unwrap_or("");
        match word {
            "clear" => {
                out.push(Command::Clear);
                i += 1;
                continue;
            }
            "load" | "load_with_nhcb" => {
                let step = l
                    .split_whitespace()
                    .nth(1)
                    .ok_or(format!("line {line_no}: load without a step"))?;
                let step = parse_duration_ms(step).map_err(|e| format!("line {line_no}: {e}"))?;
                out.push(Command::Load(parse_load(line_no, word == "load_with_nhcb", step, body)?));
            }
            w if w.starts_with("eval") => {
                out.push(Command::Eval(Box::new(parse_eval(line_no, l, body)?)));
            }
            other => return Err(format!("line {line_no}: unknown command {other:?}")),
        }
        i = block_end;
    }
    Ok(out)
}

fn parse_load(line: usize, nhcb: bool, step: i64, body: &[String]) -> Result<Load, String> {
    let mut load = Load { nhcb, series: Vec::new(), histogram_names: Vec::new() };
    for (k, l) in body.iter().enumerate() {
        match parse_series_line(l) {
            Ok((labels, vals)) => {
                let pts = vals
                    .into_iter()
                    .enumerate()
                    .filter_map(|(i, v)| v.map(|v| (i as i64 * step, v)))
                    .collect();
                load.series.push((labels, pts));
            }
            Err(e) if e.kind == SeriesErrorKind::NativeHistogram => {
                let (labels, _) =
                    parse_series_labels(l).map_err(|e| format!("line {}: {e}", line + k + 1))?;
                load.histogram_names.push(labels.name().unwrap_or("").to_string());
            }
            Err(e) => return Err(format!("line {}: {e}", line + k + 1)),
        }
    }
    Ok(load)
}

fn parse_eval(line: usize, head: &str, body: &[String]) -> Result<Eval, String> {
    let err = |m: String| format!("line {line}: {m}");
    let mut words = head.splitn(2, ' ');
    let cmd = words.next().unwrap_or("");
    let rest = words.next().unwrap_or("").trim_start();
    let mut fail = None;
    let mut ordered = false;
    let mut annotations = 0;
    match cmd {
        "eval" => {}
        "eval_fail" => fail = Some(FailExpect::default()),
        "eval_ordered" => ordered = true,
        "eval_warn" | "eval_info" => annotations += 1,
        other => return Err(err(format!("unknown command {other:?}"))),
    }
    let toks: Vec<&str> = rest.split_whitespace().collect();
    let (when, n) = match toks.as_slice() {
        ["instant", "at", t, ..] => (When::Instant(parse_duration_ms(t).map_err(&err)?), 3),
        ["range", "from", a, "to", b, "step", s, ..] => (
            When::Range {
                start: parse_duration_ms(a).map_err(&err)?,
                end: parse_duration_ms(b).map_err(&err)?,
                step: parse_duration_ms(s).map_err(&err)?,
            },
            7,
        ),
        _ => return Err(err(format!("cannot parse {head:?}"))),
    };
    // The expression is what follows the n-th token, as written.
    let mut expr = rest;
    for _ in 0..n {
        expr = expr.trim_start();
        let end = expr.find(char::is_whitespace).unwrap_or(expr.len());
        expr = &expr[end..];
    }
    let expr = expr.trim().to_string();
    let mut eval = Eval {
        line,
        when,
        expr,
        fail,
        ordered,
        annotations,
        expected: match when {
            When::Instant(_) => Expected::Vector(Vec::new()),
            When::Range { .. } => Expected::Matrix(Vec::new()),
        },
        unrepresentable: None,
    };
    let mut range_vector: Option<(i64, i64)> = None; // (start, step) of `expect range vector`
    for l in body {
        if let Some(e) = l.strip_prefix("expect ") {
            let e = e.trim();
            let (word, arg) = e.split_once(char::is_whitespace).unwrap_or((e, ""));
            let arg = arg.trim();
            match word {
                "fail" => {
                    let mut f = FailExpect::default();
                    if let Some(m) = arg.strip_prefix("msg:") {
                        f.msg = Some(m.trim().to_string());
                    } else if let Some(r) = arg.strip_prefix("regex:") {
                        f.regex = Some(r.trim().to_string());
                    }
                    eval.fail = Some(f);
                }
                "ordered" => eval.ordered = true,
                "warn" | "no_warn" | "info" | "no_info" => eval.annotations += 1,
                "string" => {
                    let (s, _) =
                        parse_string(arg, 0).map_err(|e| err(format!("expect string: {e}")))?;
                    eval.expected = Expected::String(s);
                }
                "range" => {
                    let t: Vec<&str> = arg.split_whitespace().collect();
                    let ["vector", "from", a, "to", _b, "step", s] = t.as_slice() else {
                        return Err(err(format!("cannot parse expect range {arg:?}")));
                    };
                    range_vector = Some((
                        parse_duration_ms(a).map_err(&err)?,
                        parse_duration_ms(s).map_err(&err)?,
                    ));
                    eval.expected = Expected::Matrix(Vec::new());
                }
                other => return Err(err(format!("unknown expectation {other:?}"))),
            }
            continue;
        }
        if let Some(v) = parse_number(l) {
            eval.expected = Expected::Scalar(v);
            continue;
        }
        let (labels, used) = parse_series_labels(l).map_err(|e| err(format!("{l:?}: {e}")))?;
        let vals = match expand_values(&l[used..]) {
            Ok(v) => v,
            Err(e) if e.kind == SeriesErrorKind::NativeHistogram => {
                eval.unrepresentable =
                    Some("native histogram samples in the expected output".into());
                continue;
            }
            Err(e) => return Err(err(format!("{l:?}: {e}"))),
        };
        let float = |v: &Option<SeriesValue>| match v {
            Some(SeriesValue::Float(f)) => Some(*f),
            _ => None,
        };
        match (&mut eval.expected, when, range_vector) {
            (Expected::Vector(v), When::Instant(_), None) => {
                if vals.len() != 1 {
                    return Err(err(format!("{l:?}: an instant result needs exactly one value")));
                }
                v.push((labels, float(&vals[0]).ok_or_else(|| err("expected a float".into()))?));
            }
            (Expected::Matrix(m), When::Range { start, step, .. }, _)
            | (Expected::Matrix(m), _, Some((start, step))) => {
                let pts = vals
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| float(v).map(|f| (start + i as i64 * step, f)))
                    .collect();
                m.push((labels, pts));
            }
            _ => return Err(err(format!("unexpected result line {l:?}"))),
        }
    }
    Ok(eval)
}
