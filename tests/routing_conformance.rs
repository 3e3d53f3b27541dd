//! The routing model against amtool (Debian's 0.25) as the oracle: for the stack's
//! Alertmanager configuration and every configuration of
//! `../shared/conformance/alertmanager-config/` that `amtool check-config` accepts, a few
//! hundred generated label sets (every matcher value, near misses, missing labels, random
//! combinations) are routed by `amtool config routes test --verify.receivers` and by
//! `stellar_obs::alerting`. Every disagreement must be one explained in
//! `docs/conformance-routing.md`; with `STELLAR_OBS_WRITE_CONFORMANCE=1` the page's tables
//! are written from the run.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use stellar_obs::alerting::{Config, Labels};
use stellar_obs::lint::alertmanager::MatchOp;

use crate::common;

/// Label sets per configuration (at most).
const PER_CONFIG: usize = 200;

/// Disagreements that are understood: (config file name, why). A disagreement in any other
/// file fails the test.
const EXPLAINED: &[(&str, &str)] = &[];

/// Characters a generated value may hold: amtool 0.25 parses its label arguments with the
/// classic matcher parser, so values stay within what both parse the same way.
fn plain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.chars().all(|c| c.is_ascii_alphanumeric() || "_.:/@-".contains(c))
}

/// A small deterministic generator (xorshift), so runs are repeatable.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Literal strings a regex accepts, when it is an alternation of plain literals.
fn regex_examples(re: &str) -> Vec<String> {
    let inner = re.trim_start_matches('(').trim_end_matches(')');
    inner.split('|').filter(|s| plain(s)).map(str::to_string).collect()
}

/// Label sets for a configuration: every matcher value alone, near misses, combinations.
fn label_sets(c: &Config) -> Vec<Labels> {
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut values: Vec<(String, String)> = Vec::new();
    let routes = c.root.walk();
    let inhibit = c.inhibit_rules.iter().flat_map(|r| r.source.iter().chain(&r.target));
    for m in routes.iter().flat_map(|r| r.matchers.iter()).chain(inhibit) {
        if !plain(&m.name) || m.name.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            continue;
        }
        names.insert(m.name.clone());
        let mut vs = match m.op {
            MatchOp::Equal | MatchOp::NotEqual => vec![m.value.clone()],
            MatchOp::Regexp | MatchOp::NotRegexp => regex_examples(&m.value),
        };
        // Near misses: a suffix, a prefix, another case (regexes are anchored, `=` exact).
        let base: Vec<String> = vs.clone();
        for v in base {
            vs.push(format!("{v}x"));
            vs.push(format!("x{v}"));
            vs.push(v.to_uppercase());
        }
        for v in vs.into_iter().filter(|v| plain(v)) {
            if !values.contains(&(m.name.clone(), v.clone())) {
                values.push((m.name.clone(), v));
            }
        }
    }
    for r in &routes {
        for n in r.group_by.names() {
            if plain(&n) && n != "..." {
                names.insert(n.clone());
                values.push((n, "g1".to_string()));
            }
        }
    }
    // Labels every alert tends to have, and every value tried under every name (a value
    // under the wrong label is a near miss too).
    for n in ["alertname", "instance", "severity", "job"] {
        names.insert(n.to_string());
    }
    let mut all_values: Vec<String> = values.iter().map(|(_, v)| v.clone()).collect();
    all_values.extend(["critical", "warning", "info", "i1", "Other"].map(String::from));
    all_values.sort();
    all_values.dedup();
    for n in &names {
        for v in &all_values {
            if !values.contains(&(n.clone(), v.clone())) {
                values.push((n.clone(), v.clone()));
            }
        }
    }
    let mut out: Vec<Labels> = vec![Labels::new()];
    for (n, v) in &values {
        out.push([(n.clone(), v.clone())].into_iter().collect());
    }
    let names: Vec<String> = names.into_iter().collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ names.len() as u64);
    let mut guard = 0;
    while out.len() < PER_CONFIG && !values.is_empty() && guard < PER_CONFIG * 20 {
        guard += 1;
        let mut l = Labels::new();
        for n in &names {
            // About half the labels are missing.
            if rng.below(2) == 0 {
                continue;
            }
            let pool: Vec<&String> =
                values.iter().filter(|(k, _)| k == n).map(|(_, v)| v).collect();
            if pool.is_empty() {
                continue;
            }
            l.insert(n.clone(), pool[rng.below(pool.len())].clone());
        }
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out.truncate(PER_CONFIG);
    out
}

fn amtool_accepts(amtool: &Path, file: &Path) -> bool {
    Command::new(amtool).arg("check-config").arg(file).output().is_ok_and(|o| o.status.success())
}

/// amtool's receivers for a label set: its stdout line (`a,b`), and whether
/// `--verify.receivers=<ours>` passed.
fn amtool_route(amtool: &Path, file: &Path, labels: &Labels, ours: &str) -> (String, bool) {
    let mut c = Command::new(amtool);
    c.arg("config")
        .arg("routes")
        .arg("test")
        .arg(format!("--config.file={}", file.display()))
        .arg(format!("--verify.receivers={ours}"));
    for (k, v) in labels {
        c.arg(format!("{k}=\"{v}\""));
    }
    let o = c.output().expect("run amtool");
    let out = String::from_utf8_lossy(&o.stdout);
    (out.lines().next().unwrap_or("").trim().to_string(), o.status.success())
}

#[derive(Debug, Default)]
struct FileResult {
    file: String,
    sets: usize,
    agree: usize,
    disagreements: Vec<(Labels, String, String)>,
    /// amtool accepts it, our loader does not (with the first error).
    not_loaded: Option<String>,
}

fn compare(amtool: &Path, shown: &str, file: &Path) -> FileResult {
    let mut r = FileResult { file: shown.to_string(), ..FileResult::default() };
    let config = match Config::load(file) {
        Ok(c) => c,
        Err(e) => {
            r.not_loaded = Some(e.to_string());
            return r;
        }
    };
    let sets = label_sets(&config);
    let results: Mutex<Vec<(Labels, String, String, bool)>> = Mutex::new(Vec::new());
    let chunks: Vec<&[Labels]> = sets.chunks(sets.len().div_ceil(4).max(1)).collect();
    std::thread::scope(|s| {
        for chunk in &chunks {
            let results = &results;
            let config = &config;
            s.spawn(move || {
                for l in chunk.iter() {
                    let ours: Vec<String> =
                        config.route_alert(l).into_iter().map(|m| m.receiver).collect();
                    let ours = ours.join(",");
                    let (theirs, verified) = amtool_route(amtool, file, l, &ours);
                    results.lock().expect("lock").push((l.clone(), ours, theirs, verified));
                }
            });
        }
    });
    for (l, ours, theirs, verified) in results.into_inner().expect("lock") {
        r.sets += 1;
        // Both must hold: amtool's own verification and the printed receivers.
        if verified && ours == theirs {
            r.agree += 1;
        } else {
            r.disagreements.push((l, ours, theirs));
        }
    }
    r.disagreements.sort_by(|a, b| a.0.cmp(&b.0));
    r
}

fn configs() -> Vec<(String, PathBuf)> {
    let dir = common::conformance_dir().join("alertmanager-config");
    assert!(
        dir.join("cases.tsv").is_file(),
        "the conformance corpus was not found at {}: it is expected at ../shared/conformance next to \
         the repository (set STELLAR_OBS_CONFORMANCE to its path)",
        dir.display()
    );
    let mut out = vec![(
        "templates/alerting/alertmanager.yml (the stack's)".to_string(),
        common::repo().join("templates/alerting/alertmanager.yml"),
    )];
    let mut files = Vec::new();
    for sub in std::fs::read_dir(&dir).expect("read corpus") {
        let sub = sub.expect("entry").path();
        if !sub.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&sub).expect("read folder") {
            let f = f.expect("entry").path();
            if f.extension().is_some_and(|e| e == "yml" || e == "yaml") {
                files.push(f);
            }
        }
    }
    files.sort();
    for f in files {
        let shown = f.strip_prefix(&dir).unwrap_or(&f).to_string_lossy().into_owned();
        out.push((shown, f));
    }
    out
}

#[test]
fn routing_agrees_with_amtool() {
    let amtool = common::require_tool("amtool");
    // The oracle can say no: a wrong expectation fails amtool's own verification.
    let stack = common::repo().join("templates/alerting/alertmanager.yml");
    let crit: Labels = [("severity".to_string(), "critical".to_string())].into_iter().collect();
    assert_eq!(amtool_route(&amtool, &stack, &crit, "critical"), ("critical".to_string(), true));
    assert_eq!(amtool_route(&amtool, &stack, &crit, "warning"), ("critical".to_string(), false));
    let mut accepted = Vec::new();
    let mut rejected = 0;
    for (shown, path) in configs() {
        if amtool_accepts(&amtool, &path) {
            accepted.push((shown, path));
        } else {
            rejected += 1;
        }
    }
    assert!(accepted.len() >= 10, "amtool accepted only {} configurations", accepted.len());
    let results: Vec<FileResult> =
        accepted.iter().map(|(shown, path)| compare(&amtool, shown, path)).collect();

    let mut report = String::new();
    let (mut sets, mut agree) = (0, 0);
    let _ = writeln!(report, "| configuration | label sets | agree |\n|---|---|---|");
    for r in &results {
        sets += r.sets;
        agree += r.agree;
        match &r.not_loaded {
            Some(e) => {
                let _ =
                    writeln!(report, "| `{}` | not loaded: {} | |", r.file, e.replace('|', "\\|"));
            }
            None => {
                let _ = writeln!(report, "| `{}` | {} | {} |", r.file, r.sets, r.agree);
            }
        }
    }
    let _ = writeln!(report, "| **total** | **{sets}** | **{agree}** |");
    let mut unexplained = Vec::new();
    let mut details = String::new();
    for r in &results {
        let name = Path::new(&r.file).file_name().map(|f| f.to_string_lossy().into_owned());
        let why = EXPLAINED.iter().find(|(f, _)| Some(f.to_string()) == name).map(|(_, w)| *w);
        if r.not_loaded.is_some() || !r.disagreements.is_empty() {
            match why {
                Some(w) => {
                    let _ = writeln!(details, "- `{}`: {w}", r.file);
                }
                None => unexplained.push(r),
            }
        }
        for (l, ours, theirs) in r.disagreements.iter().take(5) {
            let _ = writeln!(details, "  - `{l:?}`: stellar-obs `{ours}`, amtool `{theirs}`");
        }
    }
    eprintln!(
        "routing vs amtool: {} configurations ({} rejected by amtool), {sets} label sets, {agree} agree\n{report}{details}",
        accepted.len(),
        rejected
    );
    if std::env::var_os("STELLAR_OBS_WRITE_CONFORMANCE").is_some() {
        let doc = common::repo().join("docs/conformance-routing.md");
        let text = common::read(&doc);
        let start = text.find("<!-- results -->").expect("marker");
        let end = text.find("<!-- /results -->").expect("end marker");
        let new = format!(
            "{}<!-- results -->\n{} configurations amtool 0.25 accepts ({} in the corpus folder it rejects), {sets} label sets, **{agree} agree** ({:.1}%).\n\n{report}\n{details}{}",
            &text[..start],
            accepted.len(),
            rejected,
            100.0 * agree as f64 / sets.max(1) as f64,
            &text[end..]
        );
        std::fs::write(&doc, new).expect("write doc");
    }
    assert!(
        unexplained.is_empty(),
        "unexplained disagreements with amtool: {:#?}",
        unexplained
            .iter()
            .map(|r| (&r.file, &r.not_loaded, r.disagreements.iter().take(3).collect::<Vec<_>>()))
            .collect::<Vec<_>>()
    );
    assert!(sets >= 1000, "only {sets} label sets compared");
}
