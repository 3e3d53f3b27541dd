//! `backup`, `backup verify`, `restore` against the real binary, real Prometheus and
//! Alertmanager servers, hostile archives, and a backup killed half way.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::common::archive::{DEVICE, HARD_LINK, MODE, SYMLINK, Tar};
use crate::common::http_server;
use crate::common::servers::{self, RealServer, closed_port_addr};
use crate::common::{bin, init_stack, require_tool};

fn http_get(url: &str) -> Option<(u16, String)> {
    http_server::http_get(url, Duration::from_secs(10)).ok()
}

/// A URL where nothing listens.
pub(crate) fn dead_url() -> String {
    format!("http://{}", closed_port_addr())
}

pub(crate) fn json_out(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

pub(crate) fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// Every path under `dir`, relative, sorted (files and directories).
pub(crate) fn tree(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, d: &Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        for e in rd.flatten() {
            let p = e.path();
            out.push(p.strip_prefix(root).expect("prefix").display().to_string());
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                walk(root, &p, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn query(url: &str, q: &str, t: f64) -> Value {
    let (code, body) = http_get(&format!(
        "{url}/api/v1/query?query={}&time={t:.3}",
        stellar_obs::api::http::encode(q)
    ))
    .unwrap_or_else(|| panic!("{url} does not answer"));
    assert_eq!(code, 200, "{q}: {body}");
    let v: Value = serde_json::from_str(&body).expect("json");
    v["data"]["result"].clone()
}

/// A range-vector query's raw samples: series labels → [(timestamp, value)].
fn samples(url: &str, q: &str, t: f64) -> BTreeMap<String, Vec<(String, String)>> {
    let mut out = BTreeMap::new();
    for s in query(url, q, t).as_array().expect("matrix") {
        let key = s["metric"].to_string();
        let vals = s["values"]
            .as_array()
            .expect("values")
            .iter()
            .map(|p| (p[0].to_string(), p[1].as_str().unwrap_or_default().to_string()))
            .collect();
        out.insert(key, vals);
    }
    out
}

fn now_secs() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_secs_f64()
}

/// Blocks from promtool in `data`: 3 series, one sample a minute, 5h to 4h ago.
fn backfill(data: &Path) {
    let promtool = require_tool("promtool");
    let tmp = tempfile::tempdir().expect("tmp");
    let om = tmp.path().join("in.om");
    let end = (now_secs() as i64 / 60) * 60 - 4 * 3600;
    let mut text = String::from("# TYPE backfill_gauge gauge\n");
    for s in ["a", "b", "c"] {
        for i in 0..60 {
            let t = end - 3600 + i * 60;
            text.push_str(&format!("backfill_gauge{{series=\"{s}\"}} {}.5 {t}\n", i * 3));
        }
    }
    text.push_str("# EOF\n");
    std::fs::write(&om, text).expect("om");
    std::fs::create_dir_all(data).expect("mk");
    let out = std::process::Command::new(promtool)
        .args(["tsdb", "create-blocks-from", "openmetrics"])
        .arg(&om)
        .arg(data)
        .output()
        .expect("promtool");
    assert!(out.status.success(), "promtool: {}", String::from_utf8_lossy(&out.stderr));
}

/// Wait until Prometheus holds at least `n` samples of `up` from the last minute.
fn wait_for_samples(p: &RealServer, n: f64) {
    servers::wait_until(Duration::from_secs(60), "Prometheus to scrape", || {
        let r = query(&p.url(), "count_over_time(up[1m])", now_secs());
        r[0]["value"][1].as_str().and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0) >= n
    });
}

fn restore_prom(
    archive: &Path,
    data: &Path,
    work: &Path,
    url: &str,
    yes: bool,
) -> std::process::Output {
    let mut c = bin();
    c.args(["restore", "-o", "json", "--prometheus-data-dir"]).arg(data).arg(archive);
    c.arg("--dir").arg(work).env("STELLAR_OBS_PROMETHEUS_URL", url);
    if yes {
        c.arg("--yes");
    }
    c.output().expect("run")
}

#[test]
fn prometheus_round_trip_through_a_fresh_data_dir() {
    let work = tempfile::tempdir().expect("tmp");
    let node = servers::node_exporter().start();
    let mut a = servers::prometheus().scrape("node", &[&node.addr()]).start();
    // Persisted blocks too, not only the head: backfill while it is stopped.
    a.stop();
    backfill(&a.data_dir());
    a.restart();
    wait_for_samples(&a, 5.0);
    let t = now_secs() - 2.0;

    let archive = work.path().join("prom.tar.gz");
    let out = bin()
        .args(["backup", "--only", "prometheus", "-o", "json", "--out"])
        .arg(&archive)
        .arg("--prometheus-data-dir")
        .arg(a.data_dir())
        .arg("--dir")
        .arg(work.path())
        .env("STELLAR_OBS_PROMETHEUS_URL", a.url())
        .output()
        .expect("run");
    assert!(out.status.success(), "backup failed: {}", stderr(&out));
    let v = json_out(&out);
    assert_eq!(v["archive"], archive.display().to_string());
    assert!(v["bytes"].as_u64().expect("bytes") > 0);
    let prom = &v["components"]["prometheus"];
    assert_eq!(prom["included"], true, "{v}");
    assert!(prom["counts"]["files"].as_u64().expect("files") >= 4, "{v}");
    assert!(prom["version"].as_str().is_some_and(|v| v.starts_with("2.")), "{v}");
    assert_eq!(v["components"]["grafana"]["included"], false);
    // The snapshot was removed from the server's data directory.
    let snaps = a.data_dir().join("snapshots");
    assert!(tree(&snaps).is_empty(), "snapshot left behind: {:?}", tree(&snaps));

    // What the original answers at t: every raw sample of the last day.
    let all = "{__name__=~\".+\"}[1d]";
    let before = samples(&a.url(), all, t);
    let count_before = query(&a.url(), "count({__name__=~\".+\"})", t);
    let backfill_before = samples(&a.url(), "backfill_gauge[1d]", t);
    assert_eq!(backfill_before.len(), 3, "backfilled series");
    assert!(before.len() > 50, "node-exporter series: {}", before.len());
    let n_samples: usize = before.values().map(Vec::len).sum();
    assert!(n_samples > 500, "{n_samples} samples");

    // Restore refuses while Prometheus answers, and writes nothing.
    let fresh = work.path().join("fresh");
    let out = restore_prom(&archive, &fresh, work.path(), &a.url(), true);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("Prometheus answers at"), "{}", stderr(&out));
    assert!(!fresh.exists(), "nothing written while Prometheus runs");

    // A second Prometheus, stopped, with a fresh empty data directory.
    let mut b = servers::prometheus().start();
    b.kill();
    std::fs::remove_dir_all(b.data_dir()).expect("wipe");
    let out = restore_prom(&archive, &b.data_dir(), work.path(), &b.url(), false);
    assert!(out.status.success(), "restore failed: {}", stderr(&out));
    let r = json_out(&out);
    assert_eq!(r["verified"], true);
    assert_eq!(r["steps"][0]["component"], "prometheus");
    assert_eq!(r["steps"][0]["action"], "create");
    assert_eq!(r["steps"][0]["status"], "done");
    assert!(
        !tree(&b.data_dir()).iter().any(|p| p.starts_with(".stellar-obs")),
        "staging left: {:?}",
        tree(&b.data_dir())
    );
    b.restart();
    let after = samples(&b.url(), all, t);
    assert_eq!(after.len(), before.len(), "series count");
    assert_eq!(after.values().map(Vec::len).sum::<usize>(), n_samples, "sample count");
    assert!(after == before, "the restored server answers differently");
    assert_eq!(query(&b.url(), "count({__name__=~\".+\"})", t), count_before);
    assert_eq!(samples(&b.url(), "backfill_gauge[1d]", t), backfill_before);

    // Over existing data: refused without --yes (nothing changes), replaced with it.
    b.kill();
    let wal = b.data_dir().join("wal");
    assert!(wal.is_dir(), "the restarted server wrote its WAL");
    let out = restore_prom(&archive, &b.data_dir(), work.path(), &b.url(), false);
    assert_eq!(out.status.code(), Some(1), "replacing data without --yes must fail");
    let r = json_out(&out);
    assert_eq!(r["refused"], true);
    assert_eq!(r["steps"][0]["action"], "replace");
    assert!(wal.is_dir(), "refused restore changed nothing");
    let out = restore_prom(&archive, &b.data_dir(), work.path(), &b.url(), true);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!wal.exists(), "old data replaced");
    b.restart();
    assert!(samples(&b.url(), all, t) == before, "second restore differs");
}

#[test]
fn disabled_admin_api_is_a_clear_error_and_leaves_no_file() {
    let work = tempfile::tempdir().expect("tmp");
    let p = servers::prometheus().no_admin_api().start();
    let out_dir = work.path().join("out");
    std::fs::create_dir(&out_dir).expect("mk");
    let out = bin()
        .args(["backup", "--only", "prometheus", "--out"])
        .arg(&out_dir)
        .arg("--prometheus-data-dir")
        .arg(p.data_dir())
        .arg("--dir")
        .arg(work.path())
        .env("STELLAR_OBS_PROMETHEUS_URL", p.url())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("admin API is disabled"), "{err}");
    assert!(err.contains("--web.enable-admin-api"), "{err}");
    assert!(tree(&out_dir).is_empty(), "left: {:?}", tree(&out_dir));
}

pub(crate) fn silence(matchers: Value, starts: &str, ends: &str, comment: &str) -> Value {
    json!({"matchers": matchers, "startsAt": starts, "endsAt": ends, "createdBy": "ops", "comment": comment})
}

pub(crate) fn post_silence(url: &str, body: &Value) -> String {
    let rt = tokio::runtime::Runtime::new().expect("rt");
    let c = stellar_obs::api::AlertmanagerClient::new(
        stellar_obs::api::Http::new(url, Duration::from_secs(10)).expect("http"),
    );
    let s: stellar_obs::api::alertmanager::Silence =
        serde_json::from_value(body.clone()).expect("silence");
    rt.block_on(c.create_silence(&s)).expect("create silence")
}

fn expire_silence(url: &str, id: &str) {
    let rt = tokio::runtime::Runtime::new().expect("rt");
    let c = stellar_obs::api::AlertmanagerClient::new(
        stellar_obs::api::Http::new(url, Duration::from_secs(10)).expect("http"),
    );
    rt.block_on(c.expire_silence(id)).expect("expire");
}

/// Non-expired silences as comparable values: (state, matchers, endsAt, createdBy, comment).
pub(crate) fn live_silences(url: &str) -> Vec<(String, String, String, String, String)> {
    let (code, body) = http_get(&format!("{url}/api/v2/silences")).expect("answers");
    assert_eq!(code, 200);
    let v: Value = serde_json::from_str(&body).expect("json");
    let mut out: Vec<_> = v
        .as_array()
        .expect("array")
        .iter()
        .filter(|s| s["status"]["state"] != "expired")
        .map(|s| {
            let mut m: Vec<String> =
                s["matchers"].as_array().expect("m").iter().map(|x| x.to_string()).collect();
            m.sort();
            let ends = s["endsAt"].as_str().unwrap_or_default();
            // Second precision: the server may print fractions differently.
            (
                s["status"]["state"].as_str().unwrap_or_default().to_string(),
                m.join(","),
                ends.get(..19).unwrap_or(ends).to_string(),
                s["createdBy"].as_str().unwrap_or_default().to_string(),
                s["comment"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

pub(crate) fn rfc3339_in(secs: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::seconds(secs);
    t.format(&time::format_description::well_known::Rfc3339).expect("fmt")
}

#[test]
fn alertmanager_silences_round_trip() {
    let work = tempfile::tempdir().expect("tmp");
    let a = servers::alertmanager().start();
    let m1 = json!([{"name": "alertname", "value": "StellarConnectorDown", "isRegex": false, "isEqual": true}]);
    let m2 = json!([{"name": "severity", "value": "warn.*", "isRegex": true, "isEqual": true}, {"name": "job", "value": "node", "isRegex": false, "isEqual": false}]);
    let m3 =
        json!([{"name": "alertname", "value": "HostHighCpu", "isRegex": false, "isEqual": true}]);
    post_silence(
        &a.url(),
        &silence(m1.clone(), &rfc3339_in(-60), &rfc3339_in(7200), "maintenance"),
    );
    post_silence(&a.url(), &silence(m2, &rfc3339_in(0), &rfc3339_in(3600), "noisy"));
    post_silence(
        &a.url(),
        &silence(m3, &rfc3339_in(3600), &rfc3339_in(10800), "tomorrow's window"),
    );
    let gone = post_silence(&a.url(), &silence(m1, &rfc3339_in(0), &rfc3339_in(600), "old"));
    expire_silence(&a.url(), &gone);
    let before = live_silences(&a.url());
    assert_eq!(before.len(), 3, "{before:?}");
    assert_eq!(before.iter().filter(|s| s.0 == "pending").count(), 1);

    let archive = work.path().join("am.tar.gz");
    let am_url = a.url();
    let v = backup_json(
        "alertmanager",
        work.path(),
        &archive,
        &[("STELLAR_OBS_ALERTMANAGER_URL", &am_url)],
    );
    let am = &v["components"]["alertmanager"];
    assert_eq!(am["counts"]["silences"], 3, "{v}");
    assert_eq!(am["counts"]["active"], 2, "{v}");
    assert_eq!(am["counts"]["pending"], 1, "{v}");
    assert!(am["version"].as_str().is_some_and(|v| v.starts_with("0.")), "{v}");

    // A fresh Alertmanager gets the same active and pending silences.
    let b = servers::alertmanager().start();
    assert!(live_silences(&b.url()).is_empty());
    let run = |extra: &[&str]| {
        let mut c = bin();
        c.args(["restore", "-o", "json"]).arg(&archive).arg("--dir").arg(work.path());
        c.args(extra).env("STELLAR_OBS_ALERTMANAGER_URL", b.url()).output().expect("run")
    };
    let run_restore = |dry: bool| run(if dry { &["--dry-run"] } else { &["--yes"] });
    // Silences change what everyone is paged for: creating them needs --yes too.
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r = json_out(&out);
    assert_eq!(r["refused"], true, "{r}");
    assert!(live_silences(&b.url()).is_empty(), "refused: nothing created");
    let out = run_restore(true);
    assert!(out.status.success(), "{}", stderr(&out));
    let plan = json_out(&out);
    assert_eq!(plan["dry_run"], true);
    assert!(plan["steps"].as_array().expect("steps").iter().all(|s| s["action"] == "create"));
    assert!(live_silences(&b.url()).is_empty(), "dry run changed nothing");
    // With Alertmanager down, a dry run still plans (a note says what it could not ask);
    // the real run fails.
    let down = format!("http://{}", servers::closed_port_addr());
    let dry_down = |extra: &str| {
        let mut c = bin();
        c.args(["restore", "-o", "json", extra]).arg(&archive).arg("--dir").arg(work.path());
        c.env("STELLAR_OBS_ALERTMANAGER_URL", &down).output().expect("run")
    };
    let out = dry_down("--dry-run");
    assert!(out.status.success(), "{}", stderr(&out));
    let plan = json_out(&out);
    assert_eq!(plan["steps"].as_array().expect("steps").len(), 3, "{plan}");
    let notes = plan["notes"].to_string();
    assert!(notes.contains("cannot read the current silences"), "{notes}");
    assert!(notes.contains("up --services alertmanager"), "{notes}");
    let out = dry_down("--yes");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot read the current silences"), "{}", stderr(&out));

    let out = run_restore(false);
    assert!(out.status.success(), "{}", stderr(&out));
    let r = json_out(&out);
    let steps = r["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 3);
    assert!(steps.iter().all(|s| s["status"] == "done" && s["action"] == "create"), "{r}");
    assert_eq!(live_silences(&b.url()), before);

    // Idempotent: a second restore finds them all present.
    let out = run_restore(false);
    assert!(out.status.success(), "{}", stderr(&out));
    let r = json_out(&out);
    assert!(
        r["steps"].as_array().expect("steps").iter().all(|s| s["action"] == "unchanged"),
        "{r}"
    );
    assert_eq!(live_silences(&b.url()), before);
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).expect("meta").permissions().mode() & 0o777
}

#[test]
fn configs_round_trip_secrets_and_yes() {
    let stack = init_stack();
    std::fs::write(stack.path().join("alerting/secrets/smtp_password"), "hunter2").expect("w");
    let work = tempfile::tempdir().expect("tmp");
    let plain = work.path().join("plain.tar.gz");
    let v = backup_configs_json(stack.path(), &plain);
    let notes = v["components"]["configs"]["notes"].to_string();
    assert!(notes.contains(".env") && notes.contains("smtp_password"), "{notes}");
    assert_eq!(v["components"]["configs"]["details"]["secrets"], "excluded");
    // Nothing secret inside: a standard tar lists the members.
    let listing = std::process::Command::new("tar").arg("tzf").arg(&plain).output().expect("tar");
    let listing = String::from_utf8_lossy(&listing.stdout).to_string();
    assert!(listing.starts_with("manifest.json\n"), "{listing}");
    assert!(listing.contains("configs/prometheus/prometheus.yml"));
    assert!(!listing.contains("configs/.env\n") && !listing.contains("smtp_password"), "{listing}");

    let full = work.path().join("full.tar.gz");
    let out = bin()
        .args(["backup", "--only", "configs", "--include-secrets", "--out"])
        .arg(&full)
        .arg("--dir")
        .arg(stack.path())
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));

    // Into an empty stack directory: every file back, same bytes and modes (.env included:
    // no note about a missing one).
    let fresh = work.path().join("fresh");
    let out = bin().arg("restore").arg(&full).arg("--dir").arg(&fresh).output().expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!String::from_utf8_lossy(&out.stdout).contains(".env is not in the archive"));
    let src_files = tree(stack.path());
    assert_eq!(tree(&fresh), src_files);
    for f in &src_files {
        let (a, b) = (stack.path().join(f), fresh.join(f));
        if a.is_file() {
            assert_eq!(std::fs::read(&a).expect("r"), std::fs::read(&b).expect("r"), "{f}");
            #[cfg(unix)]
            assert_eq!(mode(&a), mode(&b), "mode of {f}");
        }
    }

    // A changed file is replaced only with --yes; --dry-run shows it and changes nothing.
    let prom = fresh.join("prometheus/prometheus.yml");
    std::fs::write(&prom, "# edited\n").expect("w");
    let out = bin().arg("restore").arg(&full).arg("--dir").arg(&fresh).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("needs --yes"));
    assert_eq!(std::fs::read_to_string(&prom).expect("r"), "# edited\n");
    let out = bin()
        .args(["restore", "--dry-run", "-o", "json"])
        .arg(&full)
        .arg("--dir")
        .arg(&fresh)
        .output()
        .expect("run");
    assert!(out.status.success());
    let plan = json_out(&out);
    let replace: Vec<&Value> = plan["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter(|s| s["action"] == "replace")
        .collect();
    assert_eq!(replace.len(), 1, "{plan}");
    assert_eq!(replace[0]["object"], "prometheus/prometheus.yml");
    assert_eq!(std::fs::read_to_string(&prom).expect("r"), "# edited\n");
    let out =
        bin().args(["restore", "--yes"]).arg(&full).arg("--dir").arg(&fresh).output().expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&prom).expect("r"),
        std::fs::read(stack.path().join("prometheus/prometheus.yml")).expect("r")
    );

    // Disaster recovery from the plain archive: .env is not in it (secrets), and the notes
    // say so and how to make one; after `init --env-only` the note is gone.
    let bare = work.path().join("bare");
    let restore_bare = || {
        let out = bin()
            .args(["restore", "--only", "configs"])
            .arg(&plain)
            .arg("--dir")
            .arg(&bare)
            .output()
            .expect("run");
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let text = restore_bare();
    assert!(text.contains(".env is not in the archive (it holds secrets)"), "{text}");
    assert!(text.contains("init --env-only"), "{text}");
    assert!(!bare.join(".env").exists());
    bin().arg("--dir").arg(&bare).args(["init", "--env-only"]).assert().success();
    assert!(bare.join(".env").is_file());
    let text = restore_bare();
    assert!(!text.contains(".env is not in the archive"), "{text}");

    // --only asks for something the archive does not hold.
    let out = bin()
        .args(["restore", "--only", "grafana"])
        .arg(&plain)
        .arg("--dir")
        .arg(&fresh)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("does not hold grafana"), "{}", stderr(&out));
}

#[test]
fn verify_reports_an_intact_archive_and_keep_prunes() {
    let stack = init_stack();
    let out_dir = tempfile::tempdir().expect("tmp");
    // Two older archives with default names.
    for stamp in ["20200101T000000Z", "20200102T000000Z"] {
        std::fs::write(out_dir.path().join(format!("stellar-obs-backup-{stamp}.tar.gz")), "old")
            .expect("w");
    }
    let out = bin()
        .args(["backup", "--only", "configs", "--keep", "2", "-o", "json", "--out"])
        .arg(out_dir.path())
        .arg("--dir")
        .arg(stack.path())
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json_out(&out);
    let archive = PathBuf::from(v["archive"].as_str().expect("archive"));
    let name = archive.file_name().expect("name").to_string_lossy().to_string();
    assert!(name.starts_with("stellar-obs-backup-") && name.ends_with("Z.tar.gz"), "{name}");
    assert_eq!(v["pruned"].as_array().expect("pruned").len(), 1, "{v}");
    assert!(!out_dir.path().join("stellar-obs-backup-20200101T000000Z.tar.gz").exists());
    assert!(out_dir.path().join("stellar-obs-backup-20200102T000000Z.tar.gz").exists());

    let out = bin().args(["backup", "verify", "-o", "json"]).arg(&archive).output().expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    let r = json_out(&out);
    assert_eq!(r["intact"], true);
    assert!(r["members"].as_u64().expect("n") >= 10);
    assert_eq!(r["members"], r["members_ok"]);
    let out = bin().args(["backup", "verify"]).arg(&archive).output().expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("intact"));
}

// ---------------------------------------------------------------------------------------
// Hostile and damaged archives.

struct Hostile {
    name: &'static str,
    bytes: Vec<u8>,
    expect: &'static str,
}

fn hostile_archives(escape_dir: &Path) -> Vec<Hostile> {
    const PROM: &str = "configs/prometheus/prometheus.yml";
    const X: &str = "configs/prometheus/x.yml";
    let good: &[u8] = b"scrape_configs: []\n";
    let evil: &[u8] = b"pwned\n";
    let abs = format!("{}/evil.txt", escape_dir.display());
    let escape = escape_dir.display().to_string();
    let h = |name: &'static str, tar: Tar, expect: &'static str| Hostile {
        name,
        bytes: tar.gz(),
        expect,
    };
    vec![
        // Path traversal: the manifest is fine, the tar smuggles `..`.
        h(
            "traversal",
            Tar::with_manifest(&[(PROM, good, MODE)])
                .file(PROM, good)
                .file("configs/../../evil.txt", evil),
            "`..` in path",
        ),
        // Traversal listed in the manifest itself.
        h(
            "traversal-in-manifest",
            Tar::with_manifest(&[("configs/../../evil.txt", evil, MODE)])
                .file("configs/../../evil.txt", evil),
            "`..` in path",
        ),
        // Absolute path.
        h(
            "absolute",
            Tar::with_manifest(&[(PROM, good, MODE)]).file(&abs, evil).file(PROM, good),
            "absolute path",
        ),
        // Symlink escaping, then a file written through it.
        h(
            "symlink",
            Tar::with_manifest(&[("configs/prometheus/link/evil.txt", evil, MODE)])
                .entry("configs/prometheus/link", SYMLINK, &escape, b"")
                .file("configs/prometheus/link/evil.txt", evil),
            "points outside the archive",
        ),
        // Relative symlink escape.
        h(
            "symlink-relative",
            Tar::with_manifest(&[(X, good, MODE)]).file(X, good).entry(
                "configs/up",
                SYMLINK,
                "../../../../../../etc",
                b"",
            ),
            "points outside the archive",
        ),
        // Hard link to a file outside.
        h(
            "hardlink",
            Tar::with_manifest(&[(X, good, MODE)]).file(X, good).entry(
                "configs/passwd",
                HARD_LINK,
                "/etc/passwd",
                b"",
            ),
            "points outside the archive",
        ),
        // Checksum mismatch: the manifest says one thing, the member holds another.
        h(
            "checksum",
            Tar::with_manifest(&[(PROM, b"scrape_configs: [x]\n", MODE)])
                .file(PROM, b"scrape_configs: [y]\n"),
            "does not match the manifest",
        ),
        // No manifest at all.
        h("no-manifest", Tar::default().file(PROM, good), "manifest.json is missing"),
        // Device file.
        h(
            "device",
            Tar::with_manifest(&[(X, good, MODE)]).file(X, good).entry(
                "configs/null",
                DEVICE,
                "",
                b"",
            ),
            "device",
        ),
    ]
}

/// A real archive of a stack's configs, cut short.
fn truncated_archive(work: &Path) -> Vec<u8> {
    let stack = init_stack();
    // Enough data that the cut lands inside a member.
    let big: Vec<u8> =
        (0..3_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    std::fs::write(stack.path().join("prometheus/big.bin"), big).expect("w");
    let a = work.join("whole.tar.gz");
    backup_configs(stack.path(), &a);
    let bytes = std::fs::read(&a).expect("r");
    std::fs::remove_file(&a).expect("rm");
    bytes[..bytes.len() / 2].to_vec()
}

#[test]
fn hostile_and_damaged_archives_are_refused_and_write_nothing() {
    let work = tempfile::tempdir().expect("tmp");
    let escape = work.path().join("escape");
    std::fs::create_dir(&escape).expect("mk");
    let mut cases = hostile_archives(&escape);
    cases.push(Hostile {
        name: "truncated",
        bytes: truncated_archive(work.path()),
        expect: "truncated",
    });
    cases.push(Hostile {
        name: "not-gzip",
        bytes: b"just some text, not an archive".to_vec(),
        expect: "not a gzip file",
    });
    cases.push(Hostile {
        name: "six-bytes",
        bytes: b"hello\n".to_vec(),
        expect: "not a gzip file",
    });
    for c in cases {
        let case = tempfile::tempdir_in(work.path()).expect("tmp");
        let archive = case.path().join(format!("{}.tar.gz", c.name));
        std::fs::write(&archive, &c.bytes).expect("w");
        let stack = case.path().join("stack/inner");
        std::fs::create_dir_all(&stack).expect("mk");
        let prom = case.path().join("prom-data");
        let before_case = tree(case.path());

        let out = bin().args(["backup", "verify"]).arg(&archive).output().expect("run");
        assert_eq!(out.status.code(), Some(1), "{}: verify must fail", c.name);
        let text = String::from_utf8_lossy(&out.stdout).to_string() + &stderr(&out);
        assert!(text.contains(c.expect), "{}: expected `{}` in:\n{text}", c.name, c.expect);
        assert!(text.contains("NOT intact") || text.contains("error"), "{}: {text}", c.name);

        let out =
            bin().args(["backup", "verify", "-o", "json"]).arg(&archive).output().expect("run");
        assert_eq!(out.status.code(), Some(1));
        let v = json_out(&out);
        assert_eq!(v["intact"], false, "{}", c.name);

        let out = bin()
            .args(["restore", "--yes"])
            .arg(&archive)
            .arg("--dir")
            .arg(&stack)
            .arg("--prometheus-data-dir")
            .arg(&prom)
            .env("STELLAR_OBS_PROMETHEUS_URL", dead_url())
            .env("STELLAR_OBS_ALERTMANAGER_URL", dead_url())
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "{}: restore must fail", c.name);
        let text = String::from_utf8_lossy(&out.stdout).to_string() + &stderr(&out);
        assert!(text.contains(c.expect), "{}: expected `{}` in:\n{text}", c.name, c.expect);
        assert!(text.contains("nothing was restored"), "{}: {text}", c.name);
        assert_eq!(tree(case.path()), before_case, "{}: something was written", c.name);
        assert!(tree(&escape).is_empty(), "{}: wrote outside: {:?}", c.name, tree(&escape));
        assert!(!work.path().join("evil.txt").exists(), "{}", c.name);
    }
}

// ---------------------------------------------------------------------------------------
// Interrupted backup.

#[cfg(unix)]
#[test]
fn sigkill_half_way_leaves_no_file_at_the_target() {
    let stack = tempfile::tempdir().expect("tmp");
    std::fs::create_dir(stack.path().join("prometheus")).expect("mk");
    incompressible(&stack.path().join("prometheus/big.bin"), 256);
    let out_dir = tempfile::tempdir().expect("tmp");
    let target = out_dir.path().join("b.tar.gz");
    let mut child = spawn_backup(stack.path(), &target, &["--only", "configs"], &[]);
    let tmp = wait_for_partial_archive(&mut child, out_dir.path());
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");
    assert!(!target.exists(), "a killed backup left a file at the target path");
    assert!(tmp.exists(), "the partial temp file is named .stellar-obs-backup-*.tmp");

    // The next backup into the same directory removes the leftover.
    std::fs::remove_file(stack.path().join("prometheus/big.bin")).expect("rm");
    std::fs::write(stack.path().join("prometheus/small.yml"), "a: 1\n").expect("w");
    backup_configs(stack.path(), &target);
    assert!(!tmp.exists(), "leftover temp file not cleaned");
    assert!(target.exists());
    let names = tree(out_dir.path());
    assert_eq!(names, vec!["b.tar.gz".to_string()]);
    bin().args(["backup", "verify"]).arg(&target).assert().success();
}

/// `mib` MiB of incompressible bytes: keeps a backup busy for a while.
pub(crate) fn incompressible(path: &Path, mib: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut buf = vec![0u8; 1 << 20];
    for _ in 0..mib {
        for c in buf.chunks_mut(8) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            c.copy_from_slice(&x.to_le_bytes());
        }
        f.write_all(&buf).expect("w");
    }
}

/// `backup --out target --dir stack ARGS` running in the background (stderr piped).
pub(crate) fn spawn_backup(
    stack: &Path,
    target: &Path,
    args: &[&str],
    env: &[(&str, String)],
) -> std::process::Child {
    crate::common::bin_std()
        .arg("backup")
        .args(args)
        .arg("--out")
        .arg(target)
        .arg("--dir")
        .arg(stack)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn")
}

/// Wait until the running backup's temporary archive in `dir` holds 8 MiB; its path.
pub(crate) fn wait_for_partial_archive(child: &mut std::process::Child, dir: &Path) -> PathBuf {
    let temp_of = |d: &Path| -> Option<PathBuf> {
        std::fs::read_dir(d).ok()?.flatten().map(|e| e.path()).find(|p| {
            let n = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            n.starts_with(".stellar-obs-backup-") && n.ends_with(".tmp")
        })
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(t) = temp_of(dir)
            && std::fs::metadata(&t).map(|m| m.len()).unwrap_or(0) > 8 << 20
        {
            return t;
        }
        if let Ok(Some(st)) = child.try_wait() {
            panic!("the backup finished ({st}) before it could be interrupted");
        }
        assert!(Instant::now() < deadline, "no temporary archive appeared");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_half_way_removes_the_partial_archive_and_the_snapshot() {
    let prom = servers::prometheus().start();
    let snapshots = prom.data_dir().join("snapshots");
    let stack = tempfile::tempdir().expect("tmp");
    std::fs::create_dir(stack.path().join("prometheus")).expect("mk");
    incompressible(&stack.path().join("prometheus/big.bin"), 256);
    let out_dir = tempfile::tempdir().expect("tmp");
    let target = out_dir.path().join("b.tar.gz");
    let data = prom.data_dir().display().to_string();
    let mut child = spawn_backup(
        stack.path(),
        &target,
        &["--only", "prometheus,configs", "--prometheus-data-dir", &data],
        &[("STELLAR_OBS_PROMETHEUS_URL", prom.url())],
    );
    let tmp = wait_for_partial_archive(&mut child, out_dir.path());
    // Half way: the snapshot Prometheus made for this backup is still in its data directory.
    let snaps = || -> Vec<String> {
        std::fs::read_dir(&snapshots)
            .map(|rd| rd.flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect())
            .unwrap_or_default()
    };
    assert_eq!(snaps().len(), 1, "the snapshot being archived");
    let pid = child.id().to_string();
    let sent = std::process::Command::new("kill").args(["-INT", &pid]).status().expect("kill");
    assert!(sent.success());
    let out = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted: removing"), "{err}");
    assert!(!target.exists() && !tmp.exists(), "left: {:?}", tree(out_dir.path()));
    assert_eq!(tree(out_dir.path()), Vec::<String>::new(), "no staging folder either");
    assert_eq!(snaps(), Vec::<String>::new(), "the snapshot was left in Prometheus' data");
}

// ---------------------------------------------------------------------------------------
// Grafana (the fake from tests/common/fake_grafana.rs).

use crate::common::fake_grafana::{FakeConfig, FakeGrafana};

fn seed_grafana(g: &FakeGrafana) {
    g.add_folder("ops", "Ops", None);
    g.add_folder("prod", "Prod", Some("ops"));
    g.add_folder("db", "Databases", Some("prod"));
    g.add_folder("team", "Team", None);
    g.add_dashboard(
        json!({"uid": "root-dash", "title": "Root", "tags": ["stellar"], "panels": []}),
        None,
    );
    g.add_dashboard(
        json!({"uid": "db-dash", "title": "DB latency", "panels": [{"id": 1, "type": "timeseries", "targets": [{"expr": "rate(x[5m])"}]}]}),
        Some("db"),
    );
    g.add_dashboard(json!({"uid": "prod-dash", "title": "Prod overview"}), Some("prod"));
    g.add_provisioned_dashboard(
        json!({"uid": "prov", "title": "Provisioned"}),
        Some("ops"),
        "stellar-connector-dashboard.json",
    );
    g.add_datasource("prom", "Prometheus", "prometheus");
    g.update_datasource("prom", |d| {
        d.basic_auth = true;
        d.basic_auth_user = "reader".into();
        d.is_default = true;
        d.json_data = json!({"timeInterval": "15s"});
        d.secure_json_data.insert("basicAuthPassword".into(), "s3cret-ds".into());
    });
    g.add_datasource("loki", "Loki", "loki");
    let mut st = g.state();
    st.contact_points.insert(
        "cp-slack".into(),
        json!({"uid": "cp-slack", "name": "ops-slack", "type": "slack", "disableResolveMessage": false, "provenance": "",
               "settings": {"url": "https://hooks.slack.com/services/T0/B0/s3cret-hook", "title": "{{ template \"stellar.title\" . }}"}}),
    );
    st.mute_timings.insert(
        "weekends".into(),
        json!({"name": "weekends", "time_intervals": [{"weekdays": ["saturday", "sunday"]}], "provenance": ""}),
    );
    st.templates.insert(
        "stellar".into(),
        json!({"name": "stellar", "template": "{{ define \"stellar.title\" }}Stellar{{ end }}", "provenance": ""}),
    );
    st.alert_rules.insert(
        "rule-1".into(),
        json!({"id": 7, "uid": "rule-1", "orgID": 1, "folderUID": "prod", "ruleGroup": "stellar", "title": "Connector down",
               "condition": "B", "for": "5m", "noDataState": "NoData", "execErrState": "Error", "isPaused": false,
               "labels": {"severity": "critical"}, "annotations": {"summary": "the connector is down"},
               "data": [{"refId": "A", "relativeTimeRange": {"from": 600, "to": 0}, "datasourceUid": "prom", "model": {"expr": "up == 0"}},
                        {"refId": "B", "datasourceUid": "__expr__", "model": {"type": "threshold"}}],
               "updated": "2024-01-01T00:00:00Z", "provenance": ""}),
    );
    st.policies = json!({"receiver": "ops-slack", "group_by": ["alertname"],
        "routes": [{"receiver": "ops-slack", "object_matchers": [["severity", "=", "critical"]], "mute_time_intervals": ["weekends"]}]});
}

fn grafana_cmd(g: &FakeGrafana, work: &Path) -> assert_cmd::Command {
    let mut c = bin();
    c.arg("--dir").arg(work).env("STELLAR_OBS_GRAFANA_URL", &g.url).env("GRAFANA_TOKEN", g.token());
    c
}

fn strip(v: &Value, keys: &[&str]) -> Value {
    let mut v = v.clone();
    if let Value::Object(m) = &mut v {
        for k in keys {
            m.remove(*k);
        }
    }
    v
}

fn writes(g: &FakeGrafana) -> usize {
    g.log().iter().filter(|r| r.method != "GET").count()
}

#[test]
fn grafana_round_trip_into_an_empty_grafana() {
    let work = tempfile::tempdir().expect("tmp");
    let a = FakeGrafana::start(FakeConfig::default());
    seed_grafana(&a);
    let archive = work.path().join("g.tar.gz");
    let out = grafana_cmd(&a, work.path())
        .args(["backup", "--only", "grafana", "-o", "json", "--out"])
        .arg(&archive)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json_out(&out);
    let g = &v["components"]["grafana"];
    assert_eq!(g["counts"]["folders"], 4, "{v}");
    assert_eq!(g["counts"]["dashboards"], 4, "{v}");
    assert_eq!(g["counts"]["datasources"], 2, "{v}");
    assert_eq!(g["counts"]["alert_rules"], 1, "{v}");
    assert_eq!(g["version"], "11.6.0");
    let notes = g["notes"].to_string();
    assert!(notes.contains("Prometheus.basicAuthPassword"), "{notes}");
    assert!(notes.contains("ops-slack.url"), "{notes}");
    // No secret made it into the archive.
    let mut all = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::MultiGzDecoder::new(std::fs::File::open(&archive).expect("open")),
        &mut all,
    )
    .expect("gunzip");
    let text = String::from_utf8_lossy(&all);
    assert!(!text.contains("s3cret"), "a secret is in the archive");

    // Into an empty Grafana, secrets from the overlay file.
    let b = FakeGrafana::start(FakeConfig::default());
    let secrets = work.path().join("secrets.yml");
    std::fs::write(
        &secrets,
        "datasources:\n  prom:\n    basicAuthPassword: s3cret-ds\ncontact_points:\n  ops-slack:\n    url: https://hooks.slack.com/services/T0/B0/s3cret-hook\n",
    )
    .expect("w");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&secrets, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let out = grafana_cmd(&b, work.path())
            .args(["restore", "--secrets"])
            .arg(&secrets)
            .arg(&archive)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("chmod 600"), "{}", stderr(&out));
        std::fs::set_permissions(&secrets, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let out = grafana_cmd(&b, work.path())
        .args(["restore", "--dry-run", "-o", "json", "--secrets"])
        .arg(&secrets)
        .arg(&archive)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    let plan = json_out(&out);
    let steps = plan["steps"].as_array().expect("steps");
    assert_eq!(steps.iter().filter(|s| s["action"] == "create").count(), 4 + 3 + 2 + 5, "{plan}");
    assert_eq!(steps.iter().filter(|s| s["action"] == "skip").count(), 1, "provisioned: {plan}");
    assert_eq!(writes(&b), 0, "a dry run writes nothing");

    // Creating Grafana objects changes a server: refused without --yes, nothing written.
    let out = grafana_cmd(&b, work.path())
        .args(["restore", "-o", "json", "--secrets"])
        .arg(&secrets)
        .arg(&archive)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(json_out(&out)["refused"], true);
    assert_eq!(writes(&b), 0, "refused: nothing written");
    let out = grafana_cmd(&b, work.path())
        .args(["restore", "--yes", "-o", "json", "--secrets"])
        .arg(&secrets)
        .arg(&archive)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}\n{}", stderr(&out), String::from_utf8_lossy(&out.stdout));
    let r = json_out(&out);
    assert!(r["steps"].as_array().expect("s").iter().all(|s| s["status"] == "done"), "{r}");

    // Folders with their nesting.
    let tree = |g: &FakeGrafana| -> Vec<(String, String, Option<String>)> {
        g.folders().into_iter().map(|f| (f.uid, f.title, f.parent_uid)).collect()
    };
    assert_eq!(tree(&b), tree(&a));
    // Dashboards, in their folders, same model; the provisioned one is left to provisioning.
    for d in a.dashboards() {
        if d.provisioned.is_some() {
            assert!(b.dashboard(&d.uid).is_none());
            continue;
        }
        let got = b.dashboard(&d.uid).unwrap_or_else(|| panic!("{} not restored", d.uid));
        assert_eq!(got.folder_uid, d.folder_uid, "{}", d.uid);
        assert_eq!(strip(&got.model, &["id", "version"]), strip(&d.model, &["id", "version"]));
    }
    // Datasources with their secrets from the overlay.
    let (da, db) = (a.state().datasources.clone(), b.state().datasources.clone());
    assert_eq!(da.len(), db.len());
    for (uid, x) in &da {
        let y = &db[uid];
        assert_eq!(
            (
                &x.name,
                &x.kind,
                &x.url,
                x.basic_auth,
                &x.basic_auth_user,
                x.is_default,
                &x.json_data
            ),
            (
                &y.name,
                &y.kind,
                &y.url,
                y.basic_auth,
                &y.basic_auth_user,
                y.is_default,
                &y.json_data
            )
        );
        assert_eq!(x.secure_json_data, y.secure_json_data, "{uid} secrets");
    }
    // Alerting objects, editable (provenance ""), contact point secret from the overlay.
    {
        let (sa, sb) = (a.state(), b.state());
        let volatile = ["id", "updated", "provenance"];
        assert_eq!(sb.alert_rules.len(), 1);
        assert_eq!(
            strip(&sb.alert_rules["rule-1"], &volatile),
            strip(&sa.alert_rules["rule-1"], &volatile)
        );
        assert_eq!(sb.contact_points, sa.contact_points);
        assert_eq!(sb.mute_timings, sa.mute_timings);
        assert_eq!(sb.templates, sa.templates);
        assert_eq!(strip(&sb.policies, &["provenance"]), sa.policies);
        assert!(sb.alert_rules.values().all(|r| r["provenance"] == ""));
        assert!(sb.provisioning_writes >= 5);
        assert_eq!(
            sb.provenance_disabled, sb.provisioning_writes,
            "every write had X-Disable-Provenance"
        );
    }

    // Again: everything is unchanged and nothing is written.
    let before = writes(&b);
    let out = grafana_cmd(&b, work.path())
        .args(["restore", "-o", "json", "--secrets"])
        .arg(&secrets)
        .arg(&archive)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}\n{}", stderr(&out), String::from_utf8_lossy(&out.stdout));
    let r = json_out(&out);
    assert!(
        r["steps"]
            .as_array()
            .expect("s")
            .iter()
            .all(|s| s["action"] == "unchanged" || s["action"] == "skip"),
        "{r}"
    );
    assert_eq!(writes(&b), before, "an idempotent restore writes nothing");

    // A dashboard edited since: replaced only with --yes.
    b.edit_dashboard("db-dash", |m| m["title"] = json!("DB latency (edited)"));
    let out = grafana_cmd(&b, work.path()).arg("restore").arg(&archive).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(b.dashboard("db-dash").expect("d").title, "DB latency (edited)");
    let out = grafana_cmd(&b, work.path())
        .args(["restore", "--yes"])
        .arg(&archive)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(b.dashboard("db-dash").expect("d").title, "DB latency");
    // Without --secrets the stored secrets stay as they are.
    assert_eq!(b.state().datasources["prom"].secure_json_data["basicAuthPassword"], "s3cret-ds");
}

// ---------------------------------------------------------------------------------------
// Prometheus under Compose (real Docker engine, local images).

#[test]
fn compose_prometheus_backup_wipe_restore() {
    use crate::common::docker::{TestStack, require_docker};
    require_docker();
    let st = TestStack::new("backup");
    let out =
        st.cmd().args(["up", "--services", "prometheus", "--timeout", "120"]).output().expect("up");
    assert!(out.status.success(), "up: {}\n{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    let url = format!("http://127.0.0.1:{}", st.port("prometheus"));
    servers::wait_until(Duration::from_secs(120), "two self-scrapes", || {
        let r = query(&url, "count_over_time(up{job=\"prometheus\"}[10m])", now_secs());
        r[0]["value"][1].as_str().and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0) >= 2.0
    });
    let t = now_secs() - 2.0;
    let all = "{__name__=~\".+\"}[1d]";
    let before = samples(&url, all, t);
    assert!(before.len() > 20, "{} series", before.len());

    let work = tempfile::tempdir().expect("tmp");
    let archive = work.path().join("stack.tar.gz");
    let out = st
        .cmd()
        .args(["backup", "--only", "prometheus,configs", "-o", "json", "--out"])
        .arg(&archive)
        .output()
        .expect("backup");
    assert!(out.status.success(), "backup: {}", stderr(&out));
    let v = json_out(&out);
    let prom = &v["components"]["prometheus"];
    assert!(prom["method"].as_str().unwrap_or("").contains("docker compose cp"), "{v}");
    assert!(prom["counts"]["files"].as_u64().unwrap_or(0) >= 4, "{v}");
    // The snapshot is gone from the container, and nothing is left beside the archive.
    let ls = st.compose(&["exec", "-T", "prometheus", "ls", "/prometheus/snapshots"]);
    assert!(
        String::from_utf8_lossy(&ls.stdout).trim().is_empty(),
        "snapshot left in the container"
    );
    assert_eq!(tree(work.path()), vec!["stack.tar.gz".to_string()]);
    // Same answers before and after the backup (it did not disturb the server).
    assert!(samples(&url, all, t) == before);

    // Wipe: the volume goes, a fresh Prometheus starts on an empty one.
    st.cmd().args(["down", "--volumes", "--yes"]).assert().success();
    let out =
        st.cmd().args(["up", "--services", "prometheus", "--timeout", "120"]).output().expect("up");
    assert!(out.status.success(), "up again: {}", stderr(&out));
    assert!(samples(&url, all, t).is_empty(), "the wiped server has no old samples");

    // Restore: stops the service, replaces the volume's data, starts it.
    let out = st
        .cmd()
        .args(["restore", "--only", "prometheus", "-o", "json"])
        .arg(&archive)
        .output()
        .expect("restore");
    assert_eq!(out.status.code(), Some(1), "replacing the volume needs --yes");
    assert_eq!(json_out(&out)["steps"][0]["action"], "replace");
    let out = st
        .cmd()
        .args(["restore", "--only", "prometheus", "--yes", "-o", "json"])
        .arg(&archive)
        .output()
        .expect("restore");
    assert!(
        out.status.success(),
        "restore: {}\n{}",
        stderr(&out),
        String::from_utf8_lossy(&out.stdout)
    );
    let r = json_out(&out);
    assert!(r["notes"].to_string().contains("up again"), "{r}");
    let after = samples(&url, all, t);
    assert_eq!(after.len(), before.len(), "series");
    assert!(after == before, "the restored server answers differently");
    // Every restored file belongs to the data directory's owner (Prometheus can write it).
    let out = st.compose(&[
        "exec",
        "-T",
        "prometheus",
        "sh",
        "-c",
        "/bin/busybox find /prometheus ! -user $(/bin/busybox stat -c %u /prometheus)",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let foreign = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(foreign.trim().is_empty(), "files with another owner:\n{foreign}");
}

/// The whole stack: backup (every component), lose everything, restore, same answers.
#[test]
fn whole_stack_backup_wipe_restore() {
    use crate::common::docker::{TestStack, require_docker};
    require_docker();
    let st = TestStack::new("dr");
    let up = |st: &TestStack| {
        let out = st
            .cmd()
            .args(["up", "--services", "prometheus,alertmanager", "--timeout", "120"])
            .output()
            .expect("up");
        assert!(
            out.status.success(),
            "up: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            stderr(&out)
        );
    };
    up(&st);
    let prom = format!("http://127.0.0.1:{}", st.port("prometheus"));
    let am = format!("http://127.0.0.1:{}", st.port("alertmanager"));
    let m = json!([{"name": "alertname", "value": "StellarConnectorDown", "isRegex": false, "isEqual": true}]);
    post_silence(&am, &silence(m.clone(), &rfc3339_in(-60), &rfc3339_in(7200), "maintenance"));
    post_silence(&am, &silence(m, &rfc3339_in(3600), &rfc3339_in(7200), "later"));
    let silences_before = live_silences(&am);
    let ga = FakeGrafana::start(FakeConfig::default());
    seed_grafana(&ga);
    servers::wait_until(Duration::from_secs(120), "two self-scrapes", || {
        let r = query(&prom, "count_over_time(up{job=\"prometheus\"}[10m])", now_secs());
        r[0]["value"][1].as_str().and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0) >= 2.0
    });
    let t = now_secs() - 2.0;
    let all = "{__name__=~\".+\"}[1d]";
    let samples_before = samples(&prom, all, t);
    let files_before: Vec<(String, Vec<u8>)> = tree(st.path())
        .into_iter()
        .filter(|p| st.path().join(p).is_file())
        // The tool's own state (`.stellar-obs-state.json`: what `up --services` started) is
        // not configuration: backup leaves it out and the next `up` writes it again.
        .filter(|p| !p.starts_with(".stellar-obs-"))
        .map(|p| (p.clone(), std::fs::read(st.path().join(&p)).expect("read")))
        .collect();

    let work = tempfile::tempdir().expect("tmp");
    let out = st
        .cmd()
        // Grafana is the fake, not a service of this partial stack: name every component.
        .args(["backup", "--only", "prometheus,grafana,alertmanager,configs"])
        .args(["--include-secrets", "-o", "json", "--out"])
        .arg(work.path())
        .env("STELLAR_OBS_GRAFANA_URL", &ga.url)
        .env("GRAFANA_TOKEN", ga.token())
        .output()
        .expect("backup");
    assert!(out.status.success(), "backup: {}", stderr(&out));
    let v = json_out(&out);
    for c in ["prometheus", "grafana", "alertmanager", "configs"] {
        assert_eq!(v["components"][c]["included"], true, "{c}: {v}");
    }
    let archive = PathBuf::from(v["archive"].as_str().expect("archive"));
    bin().args(["backup", "verify"]).arg(&archive).assert().success();

    // Lose everything: containers, volumes, the stack directory, Grafana.
    st.cmd().args(["down", "--volumes", "--yes"]).assert().success();
    for (p, _) in &files_before {
        std::fs::remove_file(st.path().join(p)).expect("rm");
    }
    drop(ga);
    let gb = FakeGrafana::start(FakeConfig::default());

    // 1. The configuration comes back first (Compose needs it to start anything).
    let out =
        st.cmd().args(["restore", "--only", "configs"]).arg(&archive).output().expect("restore");
    assert!(out.status.success(), "restore configs: {}", stderr(&out));
    for (p, bytes) in &files_before {
        assert_eq!(&std::fs::read(st.path().join(p)).expect("read"), bytes, "{p}");
    }
    // 2. Start the (empty) services, 3. restore the rest over them.
    up(&st);
    let secrets = work.path().join("secrets.yml");
    std::fs::write(&secrets, "datasources:\n  prom:\n    basicAuthPassword: s3cret-ds\ncontact_points:\n  cp-slack:\n    url: https://hooks.slack.com/services/T0/B0/s3cret-hook\n").expect("w");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&secrets, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let out = st
        .cmd()
        .args(["restore", "--yes", "-o", "json", "--secrets"])
        .arg(&secrets)
        .arg(&archive)
        .env("STELLAR_OBS_GRAFANA_URL", &gb.url)
        .env("GRAFANA_TOKEN", gb.token())
        .output()
        .expect("restore");
    assert!(
        out.status.success(),
        "restore: {}\n{}",
        stderr(&out),
        String::from_utf8_lossy(&out.stdout)
    );
    let r = json_out(&out);
    let steps = r["steps"].as_array().expect("steps");
    assert!(steps.iter().all(|s| s["status"] == "done"), "{r}");
    let order: Vec<&str> = steps.iter().map(|s| s["component"].as_str().unwrap_or("")).collect();
    let first = |c: &str| order.iter().position(|x| *x == c).unwrap_or(usize::MAX);
    assert!(first("configs") < first("grafana") && first("grafana") < first("alertmanager"));
    assert!(first("alertmanager") < first("prometheus"), "{order:?}");

    // Everything answers as before.
    assert!(samples(&prom, all, t) == samples_before, "Prometheus answers differently");
    assert_eq!(live_silences(&am), silences_before);
    assert_eq!(gb.folders().len(), 4);
    assert_eq!(gb.dashboards().len(), 3, "the provisioned one is left to provisioning");
    assert_eq!(gb.state().datasources["prom"].secure_json_data["basicAuthPassword"], "s3cret-ds");
    assert_eq!(gb.state().alert_rules.len(), 1);
}

/// `backup --only configs` of `stack` into `out`; must succeed.
pub(crate) fn backup_configs(stack: &Path, out: &Path) {
    backup_configs_json(stack, out);
}

/// `backup --only configs -o json --out OUT --dir STACK`, which must succeed; its JSON report.
pub(crate) fn backup_configs_json(stack: &Path, out: &Path) -> Value {
    backup_json("configs", stack, out, &[])
}

/// `backup --only ONLY -o json --out OUT --dir STACK` with `env` set (the servers' URLs),
/// which must succeed; its JSON report.
pub(crate) fn backup_json(only: &str, stack: &Path, out: &Path, env: &[(&str, &str)]) -> Value {
    let run = bin()
        .args(["backup", "--only", only, "-o", "json", "--out"])
        .arg(out)
        .arg("--dir")
        .arg(stack)
        .envs(env.iter().copied())
        .output()
        .expect("run");
    assert!(run.status.success(), "{}", stderr(&run));
    json_out(&run)
}

pub(crate) fn post(url: &str) -> u16 {
    http_server::http_request("POST", url, None, Duration::from_secs(10)).expect("POST").0
}

#[test]
fn restored_configs_are_reloaded_by_the_running_servers() {
    let stack = tempfile::tempdir().expect("tmp");
    let prom_yml = stack.path().join("prometheus/prometheus.yml");
    let am_yml = stack.path().join("alerting/alertmanager.yml");
    std::fs::create_dir_all(prom_yml.parent().expect("p")).expect("mk");
    std::fs::create_dir_all(am_yml.parent().expect("p")).expect("mk");
    std::fs::write(&prom_yml, "global:\n  scrape_interval: 7s\nscrape_configs: []\n").expect("w");
    std::fs::write(&am_yml, servers::ALERTMANAGER_MINIMAL).expect("w");
    // The real servers read the stack directory's files, as the compose file's bind mounts do.
    let prom = servers::prometheus().config_file(&prom_yml).start();
    let am = servers::alertmanager().config_file(&am_yml).start();
    let work = tempfile::tempdir().expect("tmp");
    let archive = work.path().join("configs.tar.gz");
    backup_configs(stack.path(), &archive);

    // Someone edits both files and reloads: the servers now run the edited configuration.
    std::fs::write(&prom_yml, "global:\n  scrape_interval: 9s\nscrape_configs: []\n").expect("w");
    std::fs::write(
        &am_yml,
        "route:\n  receiver: \"null\"\n  group_wait: 42s\nreceivers:\n  - name: \"null\"\n",
    )
    .expect("w");
    assert_eq!(post(&format!("{}/-/reload", prom.url())), 200);
    assert_eq!(post(&format!("{}/-/reload", am.url())), 200, "{}", am.log());
    let prom_config = || http_get(&format!("{}/api/v1/status/config", prom.url())).expect("get").1;
    let am_config = || http_get(&format!("{}/api/v2/status", am.url())).expect("get").1;
    assert!(prom_config().contains("scrape_interval: 9s"), "{}", prom_config());
    assert!(am_config().contains("42s"), "{}", am_config());

    // restore puts the files back and has both servers reload them.
    let restore = |prom_url: &str| {
        bin()
            .args(["restore", "--yes", "-o", "json"])
            .arg(&archive)
            .arg("--dir")
            .arg(stack.path())
            .env("STELLAR_OBS_PROMETHEUS_URL", prom_url)
            .env("STELLAR_OBS_ALERTMANAGER_URL", am.url())
            .output()
            .expect("run")
    };
    let out = restore(&prom.url());
    assert!(out.status.success(), "{}", stderr(&out));
    let notes = json_out(&out)["notes"].to_string();
    assert!(
        notes.contains("Prometheus reloaded") && notes.contains("Alertmanager reloaded"),
        "{notes}"
    );
    assert!(prom_config().contains("scrape_interval: 7s"), "{}", prom_config());
    assert!(!am_config().contains("42s"), "{}", am_config());

    // --dry-run says what the real run would reload, and reloads nothing.
    std::fs::write(&prom_yml, "global:\n  scrape_interval: 9s\nscrape_configs: []\n").expect("w");
    let out = bin()
        .args(["restore", "--dry-run", "-o", "json"])
        .arg(&archive)
        .arg("--dir")
        .arg(stack.path())
        .env("STELLAR_OBS_PROMETHEUS_URL", prom.url())
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    let notes = json_out(&out)["notes"].to_string();
    assert!(notes.contains("the real run asks Prometheus to reload"), "{notes}");
    assert!(std::fs::read_to_string(&prom_yml).expect("r").contains("9s"));
    let out = restore(&prom.url());
    assert!(out.status.success(), "{}", stderr(&out));

    // Nothing changed: nothing to reload, nothing said about it.
    let out = restore(&prom.url());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!json_out(&out)["notes"].to_string().contains("reload"));

    // A Prometheus that is not running reads the files when it starts: not a failure.
    std::fs::write(&prom_yml, "global:\n  scrape_interval: 9s\nscrape_configs: []\n").expect("w");
    let out = restore(&dead_url());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(json_out(&out)["notes"].to_string().contains("Prometheus is not running"));

    // One without the lifecycle API keeps running the old configuration: that is said, and
    // the run fails although the files are back.
    drop(prom);
    let locked = servers::prometheus().config_file(&prom_yml).no_lifecycle().start();
    std::fs::write(&prom_yml, "global:\n  scrape_interval: 9s\nscrape_configs: []\n").expect("w");
    let out = restore(&locked.url());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json_out(&out);
    let notes = v["notes"].to_string();
    assert!(
        notes.contains("--web.enable-lifecycle") && notes.contains("restart prometheus"),
        "{notes}"
    );
    assert_eq!(v["reload_failed"], true, "{v}");
    assert!(std::fs::read_to_string(&prom_yml).expect("r").contains("7s"));
    // The human summary does not say plain "restored" when the server runs the old files.
    std::fs::write(&prom_yml, "global:\n  scrape_interval: 9s\nscrape_configs: []\n").expect("w");
    let out = bin()
        .args(["restore", "--yes"])
        .arg(&archive)
        .arg("--dir")
        .arg(stack.path())
        .env("STELLAR_OBS_PROMETHEUS_URL", locked.url())
        .env("STELLAR_OBS_ALERTMANAGER_URL", am.url())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(human.contains("restored, not applied: 0 created, 1 replaced"), "{human}");
}
