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

fn mkfifo(p: &Path) {
    let st = std::process::Command::new("mkfifo").arg(p).status().expect("mkfifo");
    assert!(st.success(), "mkfifo {}", p.display());
}

/// Run with a hang guard far above what the run needs (not a timing assertion).
fn run(c: &mut assert_cmd::Command) -> (i32, String, String) {
    let o = c.timeout(Duration::from_secs(60)).output().expect("run");
    assert!(o.status.code().is_some(), "killed by the hang guard: the command hung");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).to_string(),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

#[test]
fn fifos_and_pipes_are_refused_with_a_clear_error_never_waited_on() {
    let tmp = tempfile::tempdir().expect("tmp");
    let fifo = tmp.path().join("fifo.yml");
    mkfifo(&fifo);
    let (code, _, err) = run(bin().arg("validate").arg(&fifo));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("fifo.yml") && err.contains("not a regular file (a FIFO or pipe)"),
        "{err}"
    );

    // /dev/stdin on a pipe.
    let (code, _, err) = run(bin().args(["validate", "/dev/stdin"]).write_stdin("groups: []\n"));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a regular file"), "{err}");

    // A stack whose alertmanager.yml, or a rule file, is a FIFO: an error naming it, not
    // "no problems" and not a hang.
    for rel in ["alerting/alertmanager.yml", "prometheus/stellar_alerts.yml"] {
        let stack = crate::common::init_stack();
        let p = stack.path().join(rel);
        std::fs::remove_file(&p).expect("rm");
        mkfifo(&p);
        let (code, out, err) = run(bin().arg("validate").arg("--dir").arg(stack.path()));
        assert_eq!(code, 2, "{rel}: {out}{err}");
        assert!(err.contains(rel) && err.contains("not a regular file"), "{rel}: {err}");
    }

    // stellar-obs.yml as a FIFO: every command that reads the settings says so.
    let stack = crate::common::init_stack();
    let settings = stack.path().join("stellar-obs.yml");
    std::fs::remove_file(&settings).expect("rm");
    mkfifo(&settings);
    let (code, _, err) =
        run(bin().arg("check-health").arg("--dir").arg(stack.path()).args(["--only", "host"]));
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("stellar-obs.yml") && err.contains("not a regular file"), "{err}");

    // dashboards import: a FIFO among the dashboards fails that one file; a FIFO
    // folders.json is an error, not a hang.
    let g = FakeGrafana::start(FakeConfig::default());
    let stack = crate::common::init_stack();
    let dir = tmp.path().join("dash");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("good.json"), json!({"uid": "g", "title": "G"}).to_string())
        .expect("w");
    mkfifo(&dir.join("bad.json"));
    let import = |d: &Path| {
        run(bin()
            .env("STELLAR_OBS_GRAFANA_URL", &g.url)
            .env("GRAFANA_TOKEN", g.token())
            .arg("--dir")
            .arg(stack.path())
            .args(["dashboards", "import", "-o", "json"])
            .arg(d))
    };
    let (code, out, err) = import(&dir);
    assert_eq!(code, 1, "{out}{err}");
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    let rows = v["results"].as_array().expect("rows");
    let bad = rows.iter().find(|r| r["path"].as_str().is_some_and(|p| p.ends_with("bad.json")));
    let bad = bad.unwrap_or_else(|| panic!("{v}"));
    assert_eq!(bad["action"], "failed");
    assert!(bad["message"].as_str().unwrap_or("").contains("not a regular file"), "{bad}");
    assert!(rows.iter().any(|r| r["action"] == "created"), "{v}");
    mkfifo(&dir.join("folders.json"));
    let (code, _, err) = import(&dir);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("folders.json") && err.contains("not a regular file"), "{err}");
}

#[test]
fn a_symlink_loop_in_the_stack_is_walked_once() {
    let stack = crate::common::init_stack();
    let files = |stack: &Path| -> (i32, u64) {
        let (code, out, err) =
            run(bin().arg("validate").arg("--dir").arg(stack).args(["-o", "json"]));
        let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
        (code, v["summary"]["files"].as_u64().unwrap_or(0))
    };
    let (code, before) = files(stack.path());
    assert_eq!(code, 0);
    let dash = stack.path().join("grafana/dashboards");
    // A loop back to the stack root, and a second link to the dashboards folder.
    std::os::unix::fs::symlink(stack.path(), dash.join("loop")).expect("symlink");
    std::os::unix::fs::symlink(&dash, dash.join("again")).expect("symlink");
    let (code, after) = files(stack.path());
    assert_eq!(code, 0);
    assert_eq!(after, before, "each dashboard checked once");
}

#[test]
fn oversized_yaml_and_folders_json_are_refused_before_they_are_read() {
    let tmp = tempfile::tempdir().expect("tmp");
    // Sparse files: 17 MiB on paper, no disk used. Refused by their size, not read whole.
    let sparse = |p: &Path| {
        std::fs::File::create(p).expect("create").set_len(17 << 20).expect("set_len");
    };
    let big = tmp.path().join("rules.yml");
    sparse(&big);
    let (code, _, err) = run(bin().arg("validate").arg(&big));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("rules.yml") && err.contains("over the 16 MiB limit"), "{err}");

    let dir = tmp.path().join("export");
    std::fs::create_dir_all(&dir).expect("mkdir");
    sparse(&dir.join("folders.json"));
    let g = FakeGrafana::start(FakeConfig::default());
    let stack = crate::common::init_stack();
    let (code, _, err) = run(bin()
        .env("STELLAR_OBS_GRAFANA_URL", &g.url)
        .env("GRAFANA_TOKEN", g.token())
        .arg("--dir")
        .arg(stack.path())
        .args(["dashboards", "import"])
        .arg(&dir));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("folders.json") && err.contains("over the 16 MiB limit"), "{err}");
}
