//! `slo generate` against Sloth's own examples (`../shared/conformance/slo-sloth/`): for
//! each spec, the generated rules are equivalent to Sloth's output: the same groups, the
//! same record and alert names in the same order, the same labels and annotations, and
//! PromQL with the same meaning, compared on promql-parser's AST (parentheses, whitespace
//! and label-matcher order aside; numbers equal to 12 significant digits). The one known
//! difference is the `sloth_version` label of `sloth_slo_info` (the generator's name).
//! The output also passes `validate` and `promtool check rules`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use promql_parser::parser::{self, Expr};
use stellar_obs::yaml::{self, Node};

use crate::common::{self, bin, require_tool};

pub fn corpus() -> PathBuf {
    let d = common::conformance_dir().join("slo-sloth");
    assert!(
        d.join("in").is_dir() && d.join("expected").is_dir(),
        "the SLO conformance corpus is missing: {} (CI checks out ../shared next to the repository)",
        d.display()
    );
    d
}

#[derive(Debug, PartialEq)]
struct Rule {
    kind: String,
    name: String,
    expr: String,
    labels: BTreeMap<String, String>,
    annotations: BTreeMap<String, String>,
}

/// Every group of every document of a rule file, by name, rules in order.
fn groups(text: &str) -> Vec<(String, Vec<Rule>)> {
    let mut out = Vec::new();
    for doc in yaml::parse_documents(text) {
        let tree = doc.tree.expect("rule YAML parses");
        for g in tree.get("groups").and_then(Node::as_seq).unwrap_or(&[]) {
            let name = g.get("name").and_then(Node::scalar_text).expect("group name").to_string();
            let rules = g
                .get("rules")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .map(|r| {
                    let (kind, name) = match (r.get("record"), r.get("alert")) {
                        (Some(n), _) => ("record", n),
                        (_, Some(n)) => ("alert", n),
                        _ => panic!("rule without record/alert in {name}"),
                    };
                    let map = |k: &str| -> BTreeMap<String, String> {
                        r.get(k)
                            .and_then(Node::as_map)
                            .unwrap_or(&[])
                            .iter()
                            .map(|(k, v)| {
                                (k.name.clone(), v.scalar_text().unwrap_or("").to_string())
                            })
                            .collect()
                    };
                    Rule {
                        kind: kind.into(),
                        name: name.scalar_text().unwrap_or("").into(),
                        expr: r.get("expr").and_then(Node::scalar_text).unwrap_or("").into(),
                        labels: map("labels"),
                        annotations: map("annotations"),
                    }
                })
                .collect();
            out.push((name, rules));
        }
    }
    out
}

/// The expression without parentheses, with numbers rounded: what it means, as text.
pub fn canonical(expr: &str) -> String {
    let e = parser::parse(expr).unwrap_or_else(|e| panic!("not PromQL ({e}): {expr}"));
    strip(e).to_string()
}

fn round(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let digits = 12 - v.abs().log10().ceil() as i32;
    let f = 10f64.powi(digits);
    (v * f).round() / f
}

fn strip(e: Expr) -> Expr {
    match e {
        Expr::Paren(p) => strip(*p.expr),
        Expr::NumberLiteral(mut n) => {
            n.val = round(n.val);
            Expr::NumberLiteral(n)
        }
        Expr::Binary(mut b) => {
            b.lhs = Box::new(strip(*b.lhs));
            b.rhs = Box::new(strip(*b.rhs));
            Expr::Binary(b)
        }
        Expr::Aggregate(mut a) => {
            a.expr = Box::new(strip(*a.expr));
            a.param = a.param.map(|p| Box::new(strip(*p)));
            Expr::Aggregate(a)
        }
        Expr::Unary(mut u) => {
            u.expr = Box::new(strip(*u.expr));
            Expr::Unary(u)
        }
        Expr::Subquery(mut s) => {
            s.expr = Box::new(strip(*s.expr));
            Expr::Subquery(s)
        }
        Expr::Call(mut c) => {
            c.args.args = c.args.args.into_iter().map(|a| Box::new(strip(*a))).collect();
            Expr::Call(c)
        }
        other => other,
    }
}

fn generate(spec: &Path, extra: &[&str]) -> String {
    let out = bin().args(["slo", "generate"]).arg(spec).args(extra).output().expect("runs");
    assert!(
        out.status.success(),
        "slo generate {} failed:\n{}",
        spec.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The differences between two rule sets, as sentences (empty: equivalent).
fn differences(ours: &[(String, Vec<Rule>)], theirs: &[(String, Vec<Rule>)]) -> Vec<String> {
    let mut d = Vec::new();
    let names = |g: &[(String, Vec<Rule>)]| g.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    if names(ours) != names(theirs) {
        d.push(format!("groups differ: {:?} vs {:?}", names(ours), names(theirs)));
        return d;
    }
    for ((g, a), (_, b)) in ours.iter().zip(theirs) {
        let ids =
            |rs: &[Rule]| rs.iter().map(|r| format!("{} {}", r.kind, r.name)).collect::<Vec<_>>();
        if ids(a) != ids(b) {
            d.push(format!("{g}: rules differ: {:?} vs {:?}", ids(a), ids(b)));
            continue;
        }
        for (x, y) in a.iter().zip(b) {
            let mut xl = x.labels.clone();
            let mut yl = y.labels.clone();
            if x.name == "sloth_slo_info" {
                // The generator's own name and version.
                xl.remove("sloth_version");
                yl.remove("sloth_version");
            }
            if xl != yl {
                d.push(format!("{g} {}: labels {xl:?} vs {yl:?}", x.name));
            }
            if x.annotations != y.annotations {
                d.push(format!(
                    "{g} {}: annotations {:?} vs {:?}",
                    x.name, x.annotations, y.annotations
                ));
            }
            let (cx, cy) = (canonical(&x.expr), canonical(&y.expr));
            if cx != cy {
                d.push(format!("{g} {}: expr\n  ours:   {cx}\n  sloth:  {cy}", x.name));
            }
        }
    }
    d
}

#[test]
fn generated_rules_are_equivalent_to_sloths() {
    let dir = corpus();
    let mut specs: Vec<PathBuf> =
        std::fs::read_dir(dir.join("in")).expect("in/").map(|e| e.expect("entry").path()).collect();
    specs.sort();
    assert!(specs.len() >= 8, "corpus incomplete: {specs:?}");
    let mut failures = Vec::new();
    for spec in &specs {
        let name = spec.file_name().expect("name");
        let expected = common::read(&dir.join("expected").join(name));
        let ours = generate(spec, &["-l", "cmd=examplesgen.sh"]);
        let (o, t) = (groups(&ours), groups(&expected));
        assert!(!t.is_empty(), "{}: nothing expected?", name.to_string_lossy());
        let rules: usize = t.iter().map(|(_, r)| r.len()).sum();
        let diffs = differences(&o, &t);
        println!(
            "{:<40} {:>3} groups {:>4} rules  {}",
            name.to_string_lossy(),
            t.len(),
            rules,
            if diffs.is_empty() { "equivalent" } else { "DIFFERENT" }
        );
        for x in diffs {
            failures.push(format!("{}: {x}", name.to_string_lossy()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_comparison_can_fail() {
    // The oracle itself: a changed factor, label or window is a difference.
    let dir = corpus();
    let expected = common::read(&dir.join("expected/getting-started.yml"));
    let t = groups(&expected);
    for (from, to) in [
        ("14.4 *", "14.5 *"),
        ("tier: \"2\"", "tier: \"3\""),
        ("[6h]", "[5h]"),
        ("cmd: examplesgen.sh", "cmd: other"),
    ] {
        let changed = groups(&expected.replacen(from, to, 1));
        assert!(!differences(&changed, &t).is_empty(), "{from} -> {to} not seen");
    }
    assert_eq!(canonical("((a{x=\"1\",y=\"2\"}))  /  b"), canonical("a{y=\"2\", x=\"1\"} / (b)"));
}

#[test]
fn custom_windows_and_periods() {
    let dir = corpus();
    let spec = dir.join("in/getting-started.yml");
    let out = generate(&spec, &["--windows", dir.join("windows/7d.yaml").to_str().expect("utf-8")]);
    let g = groups(&out);
    let sli: Vec<&str> = g[0].1.iter().map(|r| r.labels["sloth_window"].as_str()).collect();
    assert_eq!(sli, ["5m", "30m", "1h", "2h", "6h", "1d", "3d", "7d"]);
    let alert = &g[2].1[0];
    // 8 % of a 7-day budget in one hour: 13.44 × the budget.
    assert!(canonical(&alert.expr).contains("13.44 * 0.001"), "{}", alert.expr);
    let meta = &g[1].1;
    assert_eq!(canonical(&meta[2].expr), "vector(7)");
    let out = generate(&spec, &["--period", "28d"]);
    assert!(
        canonical(&groups(&out)[2].1[1].expr).contains("0.933333333 * 0.001"),
        "28-day ticket factor"
    );
    let out = generate(
        &spec,
        &["--windows", dir.join("windows/custom-30d.yaml").to_str().expect("utf-8")],
    );
    let sli: Vec<String> =
        groups(&out)[0].1.iter().map(|r| r.labels["sloth_window"].clone()).collect();
    assert_eq!(sli, ["2m", "15m", "30m", "1h", "3h", "12h", "36h", "30d"]);
}

#[test]
fn generated_rules_pass_validate_and_promtool() {
    let promtool = require_tool("promtool");
    let dir = corpus();
    let tmp = tempfile::tempdir().expect("tmp");
    for name in ["kubernetes-apiserver.yml", "home-wifi.yml", "openslo-kubernetes-apiserver.yml"] {
        let out = tmp.path().join(format!("rules-{name}"));
        bin()
            .args(["slo", "generate"])
            .arg(dir.join("in").join(name))
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        bin().args(["validate", "--strict"]).arg(&out).assert().success();
        let o = std::process::Command::new(&promtool)
            .args(["check", "rules"])
            .arg(&out)
            .output()
            .expect("promtool");
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success() && text.contains("SUCCESS"),
            "{name}: {text}{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}
