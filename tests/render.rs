//! `stellar-obs render kubernetes`: golden output for a fixed stack, and the content checked
//! by the real tools (promtool, amtool) and by `validate`, for that stack and the default one.
//!
//! `UPDATE_GOLDEN=1 cargo test --test integration render::` rewrites the golden files.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{bin, init_stack, read, repo, require_tool, run_ok};

const FIXTURE: &str = "tests/fixtures/render-stack";
const GOLDEN: &str = "tests/golden/kubernetes";
const FILES: [&str; 5] = [
    "kube-prometheus-stack.values.yaml",
    "grafana-dashboards.yaml",
    "loki.values.yaml",
    "jaeger.values.yaml",
    "README.md",
];

fn yaml(text: &str, what: &str) -> serde_json::Value {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{what} is not YAML: {e}"))
}

/// Every file parses as YAML (the dashboards file document by document); the embedded
/// rules pass `promtool check rules` and `validate --kind rules`, the Alertmanager
/// configuration (with its template files) `amtool check-config` and `validate --kind
/// alertmanager`. Returns the values document.
fn check_content(out: &Path) -> serde_json::Value {
    let values = yaml(&read(&out.join(FILES[0])), FILES[0]);
    let dashboards = read(&out.join(FILES[1]));
    let maps: Vec<serde_json::Value> =
        dashboards.split("\n---\n").skip(1).map(|d| yaml(d, "a dashboard ConfigMap")).collect();
    assert!(!maps.is_empty(), "no dashboard ConfigMaps");
    for m in &maps {
        assert_eq!(m["kind"], "ConfigMap");
        assert_eq!(m["metadata"]["labels"]["grafana_dashboard"], "1", "{m}");
        for (key, json) in m["data"].as_object().expect("data") {
            let d: serde_json::Value =
                serde_json::from_str(json.as_str().expect("string")).expect("dashboard JSON");
            assert!(d["title"].is_string(), "{key}");
        }
    }
    yaml(&read(&out.join(FILES[2])), FILES[2]);
    yaml(&read(&out.join(FILES[3])), FILES[3]);

    let check = tempfile::tempdir().expect("tmp");
    let promtool = require_tool("promtool");
    let amtool = require_tool("amtool");
    let rules = values["additionalPrometheusRulesMap"].as_object().expect("rules map");
    assert!(!rules.is_empty());
    for (key, groups) in rules {
        let f = check.path().join(format!("{key}.yml"));
        std::fs::write(&f, serde_json::to_string_pretty(groups).expect("json")).expect("w");
        let text = run_ok(Command::new(&promtool).args(["check", "rules"]).arg(&f));
        assert!(text.contains("SUCCESS"), "{text}");
        bin().arg("validate").arg("--kind").arg("rules").arg(&f).assert().success();
    }
    assert_eq!(values["prometheus"]["prometheusSpec"]["replicas"], 2);
    assert_eq!(values["alertmanager"]["alertmanagerSpec"]["replicas"], 3);
    let tmpl_dir = check.path().join("config");
    std::fs::create_dir_all(&tmpl_dir).expect("mkdir");
    for (name, text) in values["alertmanager"]["templateFiles"].as_object().into_iter().flatten() {
        std::fs::write(tmpl_dir.join(name), text.as_str().expect("template text")).expect("w");
    }
    // The chart mounts templateFiles at /etc/alertmanager/config/: here, that folder.
    let am = serde_json::to_string_pretty(&values["alertmanager"]["config"])
        .expect("json")
        .replace("/etc/alertmanager/config/", &format!("{}/", tmpl_dir.display()));
    let am_file = check.path().join("alertmanager.yml");
    std::fs::write(&am_file, am).expect("w");
    let text = run_ok(Command::new(&amtool).arg("check-config").arg(&am_file));
    assert!(text.contains("SUCCESS"), "{text}");
    bin().arg("validate").arg("--kind").arg("alertmanager").arg(&am_file).assert().success();
    values
}

fn render(dir: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    bin()
        .current_dir(repo())
        .arg("--dir")
        .arg(dir)
        .args(["render", "kubernetes", "--out"])
        .arg(out)
        .args(extra)
        .assert()
}

#[test]
fn golden_output_of_a_fixed_stack_and_its_content() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("k8s");
    render(Path::new(FIXTURE), &out, &[]).success();
    let golden = repo().join(GOLDEN);
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    for f in FILES {
        let got = read(&out.join(f));
        let path: PathBuf = golden.join(f);
        if update {
            std::fs::create_dir_all(&golden).expect("mkdir");
            std::fs::write(&path, &got).expect("write golden");
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("{}: {e}; run with UPDATE_GOLDEN=1 to write it", path.display())
        });
        assert!(
            got == want,
            "{f} differs from {} (UPDATE_GOLDEN=1 rewrites it after a deliberate change):\n{}",
            path.display(),
            first_difference(&want, &got)
        );
    }
    let values = check_content(&out);
    let spec = &values["prometheus"]["prometheusSpec"];
    assert_eq!(spec["replicaExternalLabelName"], "__replica__");
    assert_eq!(spec["externalLabels"]["cluster"], "connector-golden");
    assert!(spec["externalLabels"].get("replica").is_none(), "the operator names replicas");
    assert_eq!(spec["remoteWrite"][0]["basicAuth"]["password"]["key"], "password");
    assert_eq!(
        values["alertmanager"]["config"]["global"]["slack_api_url_file"],
        "/etc/alertmanager/secrets/stellar-obs-alerting/slack_webhook_url"
    );
    let readme = read(&out.join("README.md"));
    assert!(readme.contains("kubectl apply --server-side --force-conflicts"), "{readme}");
    assert!(!readme.contains("secret-value"), "no secret in the README");

    // A second render into the same directory needs --force; without it nothing changes.
    std::fs::write(out.join("mine.txt"), "keep").expect("w");
    std::fs::write(out.join(FILES[2]), "edited").expect("w");
    render(Path::new(FIXTURE), &out, &[])
        .code(1)
        .stderr(predicates::str::contains("is not empty; pass --force"));
    assert_eq!(read(&out.join(FILES[2])), "edited");
    let json = render(Path::new(FIXTURE), &out, &["--force", "-o", "json"]).success();
    let doc: serde_json::Value =
        serde_json::from_slice(&json.get_output().stdout).expect("json report");
    let actions: Vec<(&str, &str)> = doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| (f["path"].as_str().unwrap_or(""), f["action"].as_str().unwrap_or("")))
        .collect();
    assert!(actions.contains(&(FILES[2], "replaced")), "{actions:?}");
    assert!(actions.contains(&(FILES[0], "unchanged")), "{actions:?}");
    assert_eq!(read(&out.join("mine.txt")), "keep", "files it did not make are left alone");
}

fn first_difference(want: &str, got: &str) -> String {
    for (i, (w, g)) in want.lines().zip(got.lines()).enumerate() {
        if w != g {
            return format!("line {}:\n  golden: {w}\n  got:    {g}", i + 1);
        }
    }
    format!("lengths differ: golden {} lines, got {}", want.lines().count(), got.lines().count())
}

#[test]
fn the_default_stack_renders_to_checked_values() {
    let stack = init_stack();
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("k8s");
    render(stack.path(), &out, &[]).success();
    let values = check_content(&out);
    let rules = values["additionalPrometheusRulesMap"].as_object().expect("rules");
    assert!(rules.contains_key("stellar-obs-stellar-alerts"), "{:?}", rules.keys());
    assert!(rules.contains_key("stellar-obs-slo-connector"), "{:?}", rules.keys());
    assert!(values["prometheus"]["prometheusSpec"].get("remoteWrite").is_none());
}

#[test]
fn bad_input_is_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("k8s");
    // No stack.
    render(&tmp.path().join("nothing"), &out, &[]).code(2);
    // A stack that does not validate.
    let stack = init_stack();
    let rules = stack.path().join("prometheus/stellar_alerts.yml");
    let text = read(&rules);
    std::fs::write(&rules, text.replacen("expr: ", "expr: sum(", 1)).expect("w");
    render(stack.path(), &out, &[])
        .code(1)
        .stderr(predicates::str::contains("refusing to render"))
        .stderr(predicates::str::contains("stellar_alerts.yml:"));
    assert!(!out.exists(), "nothing written");
    std::fs::write(&rules, text).expect("w");
    render(stack.path(), &out, &["--namespace", "Bad_NS"]).code(2);
    std::fs::write(tmp.path().join("file"), "x").expect("w");
    render(stack.path(), &tmp.path().join("file"), &["--force"]).code(2);
}
