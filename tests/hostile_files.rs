//! Hostile files and directories against the real binary (issue 14): symlinks planted in an
//! export directory (item 1), FIFOs and other non-regular files (item 6), symlink loops in
//! the stack (item 7), oversized inputs (item 13).

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::bin;
use crate::common::fake_grafana::{FakeConfig, FakeGrafana};

fn export(g: &FakeGrafana, stack: &Path, out: &Path) -> (i32, Value, String) {
    let o = bin()
        .env("STELLAR_OBS_GRAFANA_URL", &g.url)
        .env("GRAFANA_TOKEN", g.token())
        .arg("--dir")
        .arg(stack)
        .args(["dashboards", "export", "-o", "json", "--out"])
        .arg(out)
        .timeout(Duration::from_secs(120))
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    let v = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}); stderr: {stderr}"));
    (o.status.code().unwrap_or(-1), v, stderr)
}

#[test]
fn export_cleanup_never_follows_a_symlink_out_of_the_directory() {
    let g = FakeGrafana::start(FakeConfig::default());
    g.add_folder("ops", "Ops", None);
    g.add_dashboard(json!({"uid": "a", "title": "A", "panels": []}), None);
    g.add_dashboard(json!({"uid": "b", "title": "B", "panels": []}), Some("ops"));
    let tmp = tempfile::tempdir().expect("tmp");
    let (stack, out, victim) = (tmp.path().join("s"), tmp.path().join("E"), tmp.path().join("V"));
    std::fs::create_dir_all(&stack).expect("mkdir");
    let (code, v, err) = export(&g, &stack, &out);
    assert_eq!(code, 0, "{v}\n{err}");

    // V holds files an attacker (or an unlucky link) points the export directory at.
    std::fs::create_dir_all(victim.join("sub")).expect("mkdir");
    std::fs::write(victim.join("a.json"), "{}").expect("w");
    std::fs::write(victim.join("sub/b.json"), "{}").expect("w");
    std::os::unix::fs::symlink(&victim, out.join("link")).expect("symlink");
    // A file the export did not write, and a forged index entry that leaves --out.
    std::fs::write(out.join("notes.json"), "{}").expect("w");
    let index = out.join(".stellar-obs-export.json");
    let mut idx: Value =
        serde_json::from_str(&std::fs::read_to_string(&index).expect("index")).expect("json");
    for forged in ["link/a.json", "link/sub/b.json", "../V/a.json"] {
        idx["files"].as_array_mut().expect("files").push(json!(forged));
    }
    std::fs::write(&index, idx.to_string()).expect("w");

    let (code, v, err) = export(&g, &stack, &out);
    assert_eq!(code, 0, "{v}\n{err}");
    assert_eq!(v["removed"], json!([]), "{v}");
    assert!(victim.join("a.json").is_file() && victim.join("sub/b.json").is_file());
    assert!(out.join("notes.json").is_file() && out.join("link").exists());

    // A dashboard deleted in Grafana: its own file goes, and only that.
    g.state().dashboards.remove("b");
    let (code, v, err) = export(&g, &stack, &out);
    assert_eq!(code, 0, "{v}\n{err}");
    assert_eq!(v["removed"], json!(["Ops/b-b.json"]), "{v}");
    assert!(!out.join("Ops").exists(), "the emptied folder goes too");
    assert!(victim.join("a.json").is_file() && victim.join("sub/b.json").is_file());

    // A folder of the export replaced by a symlink: no dashboard is written through it.
    g.add_dashboard(json!({"uid": "c", "title": "C", "panels": []}), Some("ops"));
    std::os::unix::fs::symlink(&victim, out.join("Ops")).expect("symlink");
    let o = bin()
        .env("STELLAR_OBS_GRAFANA_URL", &g.url)
        .env("GRAFANA_TOKEN", g.token())
        .arg("--dir")
        .arg(&stack)
        .args(["dashboards", "export", "--out"])
        .arg(&out)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("is a symlink: refusing to write"), "{err}");
    assert!(!victim.join("c-c.json").exists());
}
