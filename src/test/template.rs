//! Alert label and annotation templates, expanded as Prometheus does
//! (`rules.AlertingRule.Eval` + `template.Expander`): the text is prefixed with
//! `{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}`
//! and executed with Go `text/template` semantics (the `gotmpl` crate, the same one the
//! linter parses with) and Prometheus' template functions. A template that fails gives
//! `<error expanding template: ...>`, as Prometheus writes it.
//!
//! Known differences, documented in docs/test.md: `{{ $value }}` of a number prints
//! Rust's shortest form (`1000000`, Go `1e+06`); `tmpl` is not available.

use std::collections::BTreeMap;
use std::sync::Arc;

use gotmpl::{FuncMap, Template, TemplateError, Value};

/// One sample of a `query` result: its labels and value.
#[derive(Debug, Clone, PartialEq)]
pub struct QuerySample {
    pub labels: BTreeMap<String, String>,
    pub value: f64,
}

/// Runs a PromQL query at the evaluation time for the `query` function.
pub type QueryFn = Arc<dyn Fn(&str) -> Result<Vec<QuerySample>, String> + Send + Sync>;

/// What a template sees.
#[derive(Clone)]
pub struct TemplateData<'a> {
    pub labels: &'a BTreeMap<String, String>,
    pub external_labels: &'a BTreeMap<String, String>,
    pub external_url: &'a str,
    pub value: f64,
    /// Evaluation time, milliseconds since the epoch (for `now`).
    pub time_ms: i64,
}

const PRELUDE: &str = "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}";

fn map_value(m: &BTreeMap<String, String>) -> Value {
    let inner: BTreeMap<Arc<str>, Value> = m
        .iter()
        .map(|(k, v)| (Arc::from(k.as_str()), Value::String(Arc::from(v.as_str()))))
        .collect();
    Value::Map(Arc::new(inner))
}

fn sample_value(s: &QuerySample) -> Value {
    let mut m: BTreeMap<Arc<str>, Value> = BTreeMap::new();
    m.insert(Arc::from("Labels"), map_value(&s.labels));
    m.insert(Arc::from("Value"), Value::Float(s.value));
    Value::Map(Arc::new(m))
}

/// Expand `text` for an alert. `query` is called by the template's `query` function (only
/// templates that call it need one; without it, `query` is an error).
pub fn expand(name: &str, text: &str, data: &TemplateData<'_>, query: Option<QueryFn>) -> String {
    if !text.contains("{{") {
        return text.to_string();
    }
    let source = format!("{PRELUDE}{text}");
    let funcs = functions(data.external_url, data.time_ms, query);
    let result = Template::new(&format!("__alert_{name}"))
        .missing_key(gotmpl::MissingKey::ZeroValue)
        .max_range_iters(100_000)
        .funcs(funcs)
        .parse(&source)
        .and_then(|t| {
            let mut m: BTreeMap<Arc<str>, Value> = BTreeMap::new();
            m.insert(Arc::from("Labels"), map_value(data.labels));
            m.insert(Arc::from("ExternalLabels"), map_value(data.external_labels));
            m.insert(Arc::from("ExternalURL"), Value::String(Arc::from(data.external_url)));
            m.insert(Arc::from("Value"), Value::Float(data.value));
            t.execute_to_string(&Value::Map(Arc::new(m)))
        });
    match result {
        // Prometheus runs templates with missingkey=zero over map[string]string: a label
        // that is not there is the empty string, where gotmpl prints Go's "<no value>".
        Ok(s) => s.replace("<no value>", ""),
        Err(e) => format!("<error expanding template: {}>", error_text(&e)),
    }
}

fn error_text(e: &TemplateError) -> String {
    let s = e.to_string();
    s.lines().next().unwrap_or("").to_string()
}

fn err(msg: impl Into<String>) -> TemplateError {
    TemplateError::Exec(msg.into())
}

/// Prometheus' `convertToFloat`: numbers, and strings that parse as numbers.
fn to_float(v: &Value) -> Result<f64, TemplateError> {
    match v {
        Value::Float(f) => Ok(*f),
        Value::Int(i) => Ok(*i as f64),
        Value::Uint(u) => Ok(*u as f64),
        Value::String(s) => parse_go_float(s)
            .ok_or_else(|| err(format!("strconv.ParseFloat: parsing {s:?}: invalid syntax"))),
        other => Err(err(format!("can't convert {} to float", other.type_name()))),
    }
}

fn parse_go_float(s: &str) -> Option<f64> {
    match s.to_ascii_lowercase().as_str() {
        "inf" | "+inf" | "infinity" | "+infinity" => Some(f64::INFINITY),
        "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
        "nan" => Some(f64::NAN),
        _ => s.parse().ok(),
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Nil => String::new(),
        other => other.to_string(),
    }
}

fn string(s: String) -> Value {
    Value::String(Arc::from(s))
}

fn arg<'a>(args: &'a [Value], i: usize, f: &str) -> Result<&'a Value, TemplateError> {
    args.get(i).ok_or_else(|| {
        err(format!("wrong number of args for {f}: want {}, got {}", i + 1, args.len()))
    })
}

fn labels_of(s: &Value) -> Option<&BTreeMap<Arc<str>, Value>> {
    match s.field("Labels") {
        Some(Value::Map(m)) => Some(m),
        _ => None,
    }
}

/// The functions Prometheus adds to alert templates (`template.NewTemplateExpander`).
fn functions(external_url: &str, time_ms: i64, query: Option<QueryFn>) -> FuncMap {
    let mut m = FuncMap::new();
    let mut add = |name: &str, f: gotmpl::ValueFunc| {
        m.insert(name.to_string(), f);
    };
    add(
        "query",
        Arc::new(move |args: &[Value]| {
            let q = text(arg(args, 0, "query")?);
            let Some(run) = &query else { return Err(err("query is not available here")) };
            let samples = run(&q).map_err(err)?;
            Ok(Value::List(samples.iter().map(sample_value).collect::<Vec<_>>().into()))
        }),
    );
    add(
        "first",
        Arc::new(|args: &[Value]| match arg(args, 0, "first")? {
            Value::List(l) if !l.is_empty() => Ok(l[0].clone()),
            _ => Err(err("first() called on vector with no elements")),
        }),
    );
    add(
        "label",
        Arc::new(|args: &[Value]| {
            let name = text(arg(args, 0, "label")?);
            let s = arg(args, 1, "label")?;
            Ok(labels_of(s)
                .and_then(|l| l.get(name.as_str()).cloned())
                .unwrap_or_else(|| string(String::new())))
        }),
    );
    add(
        "value",
        Arc::new(|args: &[Value]| {
            Ok(arg(args, 0, "value")?.field("Value").cloned().unwrap_or(Value::Float(0.0)))
        }),
    );
    add(
        "strvalue",
        Arc::new(|args: &[Value]| {
            let s = arg(args, 0, "strvalue")?;
            Ok(labels_of(s)
                .and_then(|l| l.get("__value__").cloned())
                .unwrap_or_else(|| string(String::new())))
        }),
    );
    add(
        "sortByLabel",
        Arc::new(|args: &[Value]| {
            let name = text(arg(args, 0, "sortByLabel")?);
            let Value::List(l) = arg(args, 1, "sortByLabel")? else {
                return Err(err("sortByLabel: not a query result"));
            };
            let mut v: Vec<Value> = l.to_vec();
            let key = |s: &Value| {
                labels_of(s).and_then(|l| l.get(name.as_str())).map(text).unwrap_or_default()
            };
            v.sort_by_key(key);
            Ok(Value::List(v.into()))
        }),
    );
    add(
        "args",
        Arc::new(|args: &[Value]| {
            let m: BTreeMap<Arc<str>, Value> = args
                .iter()
                .enumerate()
                .map(|(i, a)| (Arc::from(format!("arg{i}")), a.clone()))
                .collect();
            Ok(Value::Map(Arc::new(m)))
        }),
    );
    add(
        "reReplaceAll",
        Arc::new(|args: &[Value]| {
            let pattern = text(arg(args, 0, "reReplaceAll")?);
            let repl = text(arg(args, 1, "reReplaceAll")?);
            let t = text(arg(args, 2, "reReplaceAll")?);
            let re = regex::Regex::new(&pattern).map_err(|e| err(format!("regexp: {e}")))?;
            Ok(string(re.replace_all(&t, repl.as_str()).into_owned()))
        }),
    );
    add(
        "match",
        Arc::new(|args: &[Value]| {
            let pattern = text(arg(args, 0, "match")?);
            let t = text(arg(args, 1, "match")?);
            let re = regex::Regex::new(&pattern).map_err(|e| err(format!("regexp: {e}")))?;
            Ok(Value::Bool(re.is_match(&t)))
        }),
    );
    add("safeHtml", Arc::new(|args: &[Value]| Ok(string(text(arg(args, 0, "safeHtml")?)))));
    add(
        "toUpper",
        Arc::new(|args: &[Value]| Ok(string(text(arg(args, 0, "toUpper")?).to_uppercase()))),
    );
    add(
        "toLower",
        Arc::new(|args: &[Value]| Ok(string(text(arg(args, 0, "toLower")?).to_lowercase()))),
    );
    add("title", Arc::new(|args: &[Value]| Ok(string(title(&text(arg(args, 0, "title")?))))));
    let url = external_url.to_string();
    let u = url.clone();
    add(
        "graphLink",
        Arc::new(move |args: &[Value]| {
            Ok(string(format!(
                "{u}/graph?g0.expr={}&g0.tab=0",
                query_escape(&text(arg(args, 0, "graphLink")?))
            )))
        }),
    );
    let u = url.clone();
    add(
        "tableLink",
        Arc::new(move |args: &[Value]| {
            Ok(string(format!(
                "{u}/graph?g0.expr={}&g0.tab=1",
                query_escape(&text(arg(args, 0, "tableLink")?))
            )))
        }),
    );
    add(
        "humanize",
        Arc::new(|args: &[Value]| Ok(string(humanize(to_float(arg(args, 0, "humanize")?)?)))),
    );
    add(
        "humanize1024",
        Arc::new(|args: &[Value]| {
            Ok(string(humanize1024(to_float(arg(args, 0, "humanize1024")?)?)))
        }),
    );
    add(
        "humanizeDuration",
        Arc::new(|args: &[Value]| {
            Ok(string(humanize_duration(to_float(arg(args, 0, "humanizeDuration")?)?)))
        }),
    );
    add(
        "humanizePercentage",
        Arc::new(|args: &[Value]| {
            Ok(string(format!(
                "{}%",
                go_g(to_float(arg(args, 0, "humanizePercentage")?)? * 100.0, 4)
            )))
        }),
    );
    add(
        "humanizeTimestamp",
        Arc::new(|args: &[Value]| {
            let v = to_float(arg(args, 0, "humanizeTimestamp")?)?;
            if !v.is_finite() {
                return Ok(string(go_g(v, 4)));
            }
            Ok(string(go_time(v)?))
        }),
    );
    add(
        "toTime",
        Arc::new(|args: &[Value]| {
            let v = to_float(arg(args, 0, "toTime")?)?;
            if !v.is_finite() {
                return Err(err("value is NaN or Inf"));
            }
            Ok(string(go_time(v)?))
        }),
    );
    add(
        "toDuration",
        Arc::new(|args: &[Value]| {
            let v = to_float(arg(args, 0, "toDuration")?)?;
            if !v.is_finite() {
                return Err(err("value is NaN or Inf"));
            }
            Ok(string(go_duration((v * 1e9).round() as i128)))
        }),
    );
    add(
        "parseDuration",
        Arc::new(|args: &[Value]| {
            let s = text(arg(args, 0, "parseDuration")?);
            let ms = crate::lint::schema::parse_duration(&s).map_err(err)?;
            Ok(Value::Float(ms as f64 / 1000.0))
        }),
    );
    let u = url.clone();
    add("externalURL", Arc::new(move |_args: &[Value]| Ok(string(u.clone()))));
    let u = url;
    add(
        "pathPrefix",
        Arc::new(move |_args: &[Value]| {
            let after_scheme = u.split_once("://").map_or(u.as_str(), |(_, r)| r);
            Ok(string(
                after_scheme.find('/').map_or(String::new(), |i| after_scheme[i..].to_string()),
            ))
        }),
    );
    add(
        "stripPort",
        Arc::new(|args: &[Value]| {
            let h = text(arg(args, 0, "stripPort")?);
            Ok(string(strip_port(&h)))
        }),
    );
    add(
        "stripDomain",
        Arc::new(|args: &[Value]| {
            let h = text(arg(args, 0, "stripDomain")?);
            Ok(string(strip_domain(&h)))
        }),
    );
    add("now", Arc::new(move |_args: &[Value]| Ok(Value::Float(time_ms as f64 / 1000.0))));
    m
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_letter = false;
    for c in s.chars() {
        if !prev_letter && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev_letter = c.is_alphanumeric() || c == '_' || c == '\'';
    }
    out
}

/// Go's `url.QueryEscape`.
fn query_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn strip_port(h: &str) -> String {
    if let Some(rest) = h.strip_prefix('[')
        && let Some(i) = rest.find(']')
    {
        return rest[..i].to_string();
    }
    match h.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            host.to_string()
        }
        _ => h.to_string(),
    }
}

fn strip_domain(h: &str) -> String {
    let (host, port) = match h.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') => (host, Some(port)),
        _ => (h, None),
    };
    if host.parse::<std::net::IpAddr>().is_ok() {
        return h.to_string();
    }
    let short = host.split('.').next().unwrap_or(host);
    match port {
        Some(p) => format!("{short}:{p}"),
        None => short.to_string(),
    }
}

/// Go's `fmt.Sprintf("%.<prec>g", v)`.
pub fn go_g(v: f64, prec: usize) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    let prec = prec.max(1);
    let e = format!("{:.*e}", prec - 1, v);
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -4 || exp >= prec as i32 {
        let mant = trim_zeros(mant);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mant}e{sign}{:02}", exp.abs())
    } else {
        let decimals = (prec as i32 - 1 - exp).max(0) as usize;
        trim_zeros(&format!("{v:.decimals$}"))
    }
}

fn trim_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

fn humanize(mut v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return go_g(v, 4);
    }
    let mut prefix = "";
    if v.abs() >= 1.0 {
        for p in ["k", "M", "G", "T", "P", "E", "Z", "Y"] {
            if v.abs() < 1000.0 {
                break;
            }
            prefix = p;
            v /= 1000.0;
        }
    } else {
        for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if v.abs() >= 1.0 {
                break;
            }
            prefix = p;
            v *= 1000.0;
        }
    }
    format!("{}{prefix}", go_g(v, 4))
}

fn humanize1024(mut v: f64) -> String {
    if v.abs() <= 1.0 || !v.is_finite() {
        return go_g(v, 4);
    }
    let mut prefix = "";
    for p in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] {
        if v.abs() < 1024.0 {
            break;
        }
        prefix = p;
        v /= 1024.0;
    }
    format!("{}{prefix}", go_g(v, 4))
}

fn humanize_duration(mut v: f64) -> String {
    if !v.is_finite() {
        return go_g(v, 4);
    }
    if v == 0.0 {
        return format!("{}s", go_g(v, 4));
    }
    if v.abs() >= 1.0 {
        let sign = if v < 0.0 { "-" } else { "" };
        v = v.abs();
        let d = v as i64;
        let (s, m, h, days) = (d % 60, (d / 60) % 60, (d / 3600) % 24, d / 86400);
        if days != 0 {
            return format!("{sign}{days}d {h}h {m}m {s}s");
        }
        if h != 0 {
            return format!("{sign}{h}h {m}m {s}s");
        }
        if m != 0 {
            return format!("{sign}{m}m {s}s");
        }
        return format!("{sign}{}s", go_g(v, 4));
    }
    let mut prefix = "";
    for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
        if v.abs() >= 1.0 {
            break;
        }
        prefix = p;
        v *= 1000.0;
    }
    format!("{}{prefix}s", go_g(v, 4))
}

/// Go's `time.Time.String()` in UTC of `secs` since the epoch.
fn go_time(secs: f64) -> Result<String, TemplateError> {
    let whole = secs.trunc();
    let nanos = ((secs - whole) * 1e9).round() as i128;
    let total = whole as i128 * 1_000_000_000 + nanos;
    let t =
        time::OffsetDateTime::from_unix_timestamp_nanos(total).map_err(|e| err(e.to_string()))?;
    let frac = t.nanosecond();
    let frac_s = if frac == 0 {
        String::new()
    } else {
        format!(".{frac:09}").trim_end_matches('0').to_string()
    };
    Ok(format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}{frac_s} +0000 UTC",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    ))
}

/// Go's `time.Duration.String()` of `ns` nanoseconds.
fn go_duration(ns: i128) -> String {
    if ns == 0 {
        return "0s".into();
    }
    let neg = ns < 0;
    let u = ns.unsigned_abs();
    let sign = if neg { "-" } else { "" };
    if u < 1_000_000_000 {
        let (val, unit) = if u < 1_000 {
            return format!("{sign}{u}ns");
        } else if u < 1_000_000 {
            (u as f64 / 1e3, "µs")
        } else {
            (u as f64 / 1e6, "ms")
        };
        return format!("{sign}{}{unit}", trim_zeros(&format!("{val:.9}")));
    }
    let secs_total = u / 1_000_000_000;
    let frac = u % 1_000_000_000;
    let h = secs_total / 3600;
    let m = (secs_total / 60) % 60;
    let s = secs_total % 60;
    let mut out = String::from(sign);
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if h > 0 || m > 0 {
        out.push_str(&format!("{m}m"));
    }
    let frac_s = if frac == 0 {
        String::new()
    } else {
        format!(".{frac:09}").trim_end_matches('0').to_string()
    };
    out.push_str(&format!("{s}{frac_s}s"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data<'a>(
        labels: &'a BTreeMap<String, String>,
        ext: &'a BTreeMap<String, String>,
        v: f64,
    ) -> TemplateData<'a> {
        TemplateData {
            labels,
            external_labels: ext,
            external_url: "http://prom:9090/p",
            value: v,
            time_ms: 60_000,
        }
    }

    #[test]
    fn variables_and_missing_labels() {
        let labels: BTreeMap<String, String> =
            [("instance".to_string(), "a:1".to_string())].into_iter().collect();
        let ext: BTreeMap<String, String> =
            [("env".to_string(), "prod".to_string())].into_iter().collect();
        let d = data(&labels, &ext, 0.5);
        assert_eq!(
            expand(
                "A",
                "{{ $labels.instance }} {{ $labels.job }}| {{ $value }} {{ $externalLabels.env }} {{ $externalURL }}",
                &d,
                None
            ),
            "a:1 | 0.5 prod http://prom:9090/p"
        );
        assert_eq!(expand("A", "plain", &d, None), "plain");
        assert_eq!(expand("A", "{{ $value | humanizePercentage }}", &d, None), "50%");
        assert_eq!(expand("A", "{{ printf \"%.2f\" $value }}", &d, None), "0.50");
        assert_eq!(expand("A", "{{ pathPrefix }} {{ now }}", &d, None), "/p 60");
        assert!(
            expand("A", "{{ first (query \"up\") }}", &d, None)
                .starts_with("<error expanding template: ")
        );
        assert!(expand("A", "{{ if }}", &d, None).starts_with("<error expanding template: "));
    }

    #[test]
    fn query_functions() {
        let labels = BTreeMap::new();
        let d = data(&labels, &labels, 0.0);
        let q: QueryFn = Arc::new(|e: &str| {
            assert_eq!(e, "up");
            Ok(vec![
                QuerySample {
                    labels: [("job".to_string(), "b".to_string())].into_iter().collect(),
                    value: 2.0,
                },
                QuerySample {
                    labels: [("job".to_string(), "a".to_string())].into_iter().collect(),
                    value: 1.0,
                },
            ])
        });
        let t = "{{ with query \"up\" }}{{ . | first | value }} {{ . | first | label \"job\" }}{{ end }} {{ range sortByLabel \"job\" (query \"up\") }}{{ .Labels.job }}={{ .Value }} {{ end }}";
        assert_eq!(expand("A", t, &d, Some(q)), "2 b a=1 b=2 ");
    }

    #[test]
    fn humanizers_match_prometheus() {
        assert_eq!(humanize(0.0), "0");
        assert_eq!(humanize(1234567.0), "1.235M");
        assert_eq!(humanize(0.001234), "1.234m");
        assert_eq!(humanize(12.0), "12");
        assert_eq!(humanize1024(1024.0 * 1024.0), "1Mi");
        assert_eq!(humanize1024(0.5), "0.5");
        assert_eq!(humanize_duration(0.0), "0s");
        assert_eq!(humanize_duration(90061.0), "1d 1h 1m 1s");
        assert_eq!(humanize_duration(3.5), "3.5s");
        assert_eq!(humanize_duration(0.25), "250ms");
        assert_eq!(go_g(0.1234 * 100.0, 4), "12.34");
        assert_eq!(go_g(12345.0, 4), "1.234e+04");
        assert_eq!(go_g(0.00001, 4), "1e-05");
        assert_eq!(go_g(f64::NAN, 4), "NaN");
        assert_eq!(go_time(1.5).expect("time"), "1970-01-01 00:00:01.5 +0000 UTC");
        assert_eq!(go_duration(90_500_000_000), "1m30.5s");
        assert_eq!(go_duration(1_500_000), "1.5ms");
        assert_eq!(title("hello wORLD-x"), "Hello WORLD-X");
        assert_eq!(strip_port("host:9090"), "host");
        assert_eq!(strip_port("[::1]:9090"), "::1");
        assert_eq!(strip_domain("a.example.com:80"), "a:80");
        assert_eq!(query_escape("rate(x[5m]) > 1"), "rate%28x%5B5m%5D%29+%3E+1");
    }
}
