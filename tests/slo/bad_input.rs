//! `slo generate` / `slo report` on input that is wrong: a positioned error, nothing
//! written, exit 2 (fix the request), whether the spec cannot be read or says something
//! impossible.

use crate::common::bin;

fn run(args: &[&str], cwd: &std::path::Path) -> (Option<i32>, String, String) {
    let out = bin().args(args).current_dir(cwd).output().expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn unreadable_or_wrong_specs_exit_2_and_write_nothing() {
    let d = tempfile::tempdir().expect("tmp");
    let p = d.path();

    // A spec that is not there, for both subcommands.
    for sub in ["generate", "report"] {
        let (code, out, err) = run(&["slo", sub, "missing.yml"], p);
        assert_eq!(code, Some(2), "slo {sub} missing.yml: {err}");
        assert!(err.contains("cannot read missing.yml"), "{err}");
        assert!(out.is_empty(), "{out}");
    }
    // A directory given as a spec.
    std::fs::create_dir(p.join("specs")).expect("mkdir");
    let (code, _, err) = run(&["slo", "generate", "specs"], p);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("specs") && err.contains("not a regular file"), "{err}");

    // An objective of 100 %: positioned at the value, nothing written to --out.
    std::fs::write(
        p.join("api.yml"),
        "version: prometheus/v1\nservice: api\nslos:\n  - name: availability\n    objective: 100\n    sli:\n      events:\n        error_query: sum(rate(errors_total[{{.window}}]))\n        total_query: sum(rate(requests_total[{{.window}}]))\n    alerting:\n      name: ApiBudgetBurn\n",
    )
    .expect("write");
    let (code, out, err) = run(&["slo", "generate", "api.yml", "--out", "rules.yml"], p);
    assert_eq!(code, Some(2), "{out}{err}");
    let all = format!("{out}{err}");
    assert!(all.contains("api.yml:5:16") && all.contains("outside (0, 100)"), "{all}");
    assert!(!p.join("rules.yml").exists(), "a spec with errors writes no rule file");
}
