//! Issue 14, the backup/restore half: hostile archives (mode bits, names outside the
//! allow-list, bytes after the end), secrets found by content, signed archives, server-side
//! changes behind `--yes`, a running Prometheus found by its lock, kill -9 residue and a
//! full disk. Every case runs the real binary.

use serde_json::json;

use crate::backup::{backup_configs_json, json_out, stderr, tree};
use crate::common::archive::{MODE, Tar, manifest_for};
use crate::common::{bin, init_stack};

/// An archive whose manifest and tar agree: every member listed, sizes and sums right.
fn consistent_archive(members: &[(&str, &[u8], u32)]) -> Vec<u8> {
    members.iter().fold(Tar::with_manifest(members), |t, (p, d, _)| t.file(p, d)).gz()
}

/// `backup verify` and `restore --yes` of `bytes` into a fresh stack directory: both exit 1
/// with `expect` in their output, and nothing is written.
fn refused(name: &str, bytes: &[u8], expect: &str) {
    let work = tempfile::tempdir().expect("tmp");
    let archive = work.path().join(format!("{name}.tar.gz"));
    std::fs::write(&archive, bytes).expect("w");
    let stack = work.path().join("stack");
    std::fs::create_dir(&stack).expect("mk");
    let before = tree(work.path());
    let out = bin().args(["backup", "verify"]).arg(&archive).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{name}: verify must fail:\n{text}");
    assert!(text.contains(expect), "{name}: expected `{expect}` in:\n{text}");
    let out = bin()
        .args(["restore", "--yes", "-o", "json"])
        .arg(&archive)
        .arg("--dir")
        .arg(&stack)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{name}: restore must fail: {}", stderr(&out));
    let v = json_out(&out);
    assert_eq!(v["verified"], false, "{name}: {v}");
    assert!(v["problems"].to_string().contains(expect), "{name}: {v}");
    assert_eq!(tree(work.path()), before, "{name}: restore wrote something");
}

#[test]
fn setuid_setgid_and_sticky_modes_are_refused() {
    let yml: &[u8] = b"global: {}\n";
    for (mode, shown) in [(0o6777, "6777"), (0o4755, "4755"), (0o1777, "1777")] {
        let bytes = consistent_archive(&[("configs/prometheus/prometheus.yml", yml, mode)]);
        refused(&format!("mode-{shown}"), &bytes, &format!("mode {shown}"));
    }
}

#[test]
fn names_outside_the_allow_list_and_control_characters_are_refused() {
    let hook: &[u8] = b"#!/bin/sh\necho pwned > /tmp/pwned\n";
    for (name, path, expect) in [
        ("git-hook", "configs/.git/hooks/post-checkout", "hidden folder `.git`"),
        ("nested-git", "configs/prometheus/.git/config", "hidden folder `.git`"),
        ("unknown-top", "configs/evil.sh", "not one of the stack's files"),
        ("unknown-folder", "configs/home/.bashrc", "folder `home/`"),
        ("escape-seq", "configs/prometheus/a\u{1b}[2Jb.yml", "U+001B"),
        ("bidi", "configs/prometheus/lmy.\u{202e}evil.yml", "U+202E"),
        ("grafana-extra", "grafana/hooks.json", "not a Grafana document"),
        ("alertmanager-extra", "alertmanager/x.sh", "not an Alertmanager document"),
    ] {
        refused(name, &consistent_archive(&[(path, hook, 0o755)]), expect);
    }
}

#[test]
fn a_stack_file_outside_the_allow_list_is_not_archived_and_said_so() {
    let stack = init_stack();
    std::fs::create_dir_all(stack.path().join(".git/hooks")).expect("mk");
    std::fs::write(stack.path().join(".git/hooks/post-checkout"), "#!/bin/sh\n").expect("w");
    std::fs::write(stack.path().join("notes.txt"), "mine\n").expect("w");
    std::fs::write(stack.path().join("prometheus/x\u{1b}[31m.yml"), "a: 1\n").expect("w");
    let work = tempfile::tempdir().expect("tmp");
    let archive = work.path().join("a.tar.gz");
    let notes =
        backup_configs_json(stack.path(), &archive)["components"]["configs"]["notes"].to_string();
    assert!(notes.contains("notes.txt") && notes.contains("not part of the stack"), "{notes}");
    // What backup made, verify and restore accept.
    bin().args(["backup", "verify"]).arg(&archive).assert().success();
    let fresh = work.path().join("fresh");
    let out = bin().arg("restore").arg(&archive).arg("--dir").arg(&fresh).output().expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(fresh.join("prometheus/prometheus.yml").is_file());
    assert!(!fresh.join("notes.txt").exists() && !fresh.join(".git").exists());
}

#[test]
fn bytes_or_a_second_archive_after_the_end_are_refused() {
    let stack = init_stack();
    let work = tempfile::tempdir().expect("tmp");
    let a = work.path().join("a.tar.gz");
    crate::backup::backup_configs(stack.path(), &a);
    let good = std::fs::read(&a).expect("r");
    bin().args(["backup", "verify"]).arg(&a).assert().success();

    let mut junk = good.clone();
    junk.extend_from_slice(b"#!/bin/sh\necho appended\n");
    refused("trailing-bytes", &junk, "not gzip follow the end");

    // A second archive (its own manifest and a silence) appended after the first.
    let silence: &[u8] = b"[]\n";
    let second = Tar::with_manifest(&[]).file("alertmanager/silences.json", silence);
    let mut two = good;
    two.extend_from_slice(&second.gz());
    refused("second-tar", &two, "data follows the end of the archive");
}

/// A private key file (mode 0600) holding `key`.
fn key_file(dir: &std::path::Path, name: &str, key: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, format!("{key}\n")).expect("w");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    p
}

#[test]
fn signed_archives_are_checked_with_the_key_from_a_file_or_the_environment() {
    let stack = init_stack();
    let work = tempfile::tempdir().expect("tmp");
    let key = "3f9c0a1d5e7b2c4f6a8d0e1b3c5f7a9d";
    let good = key_file(work.path(), "backup.key", key);
    let other = key_file(work.path(), "other.key", "a-different-key-of-enough-length");
    let signed = work.path().join("signed.tar.gz");
    let out = bin()
        .args(["backup", "--only", "configs", "-o", "json", "--sign"])
        .arg(&good)
        .arg("--out")
        .arg(&signed)
        .arg("--dir")
        .arg(stack.path())
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json_out(&out)["signed"], true);
    let listing = std::process::Command::new("tar").arg("tzf").arg(&signed).output().expect("tar");
    let listing = String::from_utf8_lossy(&listing.stdout).to_string();
    assert!(listing.starts_with("manifest.json\nmanifest.sig\n"), "{listing}");

    let verify = |archive: &std::path::Path, key: &str, env: Option<&str>| {
        let mut c = bin();
        c.args(["backup", "verify", "-o", "json", "--verify-key", key]).arg(archive);
        if let Some(v) = env {
            c.env("STELLAR_OBS_TEST_BACKUP_KEY", v);
        }
        c.output().expect("run")
    };
    let out = verify(&signed, &good.display().to_string(), None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json_out(&out)["signature"], "verified");
    let out = verify(&signed, "env:STELLAR_OBS_TEST_BACKUP_KEY", Some(key));
    assert!(out.status.success(), "{}", stderr(&out));
    let out = verify(&signed, &other.display().to_string(), None);
    assert_eq!(out.status.code(), Some(1));
    assert!(json_out(&out)["problems"].to_string().contains("does not match the key"));
    // Without a key the archive is intact; the signature is said to be unchecked.
    let out = bin().args(["backup", "verify", "-o", "json"]).arg(&signed).output().expect("run");
    assert!(out.status.success());
    assert_eq!(json_out(&out)["signature"], "not checked");

    // An unsigned archive, and one made by someone without the key, are refused.
    let unsigned = work.path().join("unsigned.tar.gz");
    crate::backup::backup_configs(stack.path(), &unsigned);
    let out = verify(&unsigned, &good.display().to_string(), None);
    assert_eq!(out.status.code(), Some(1));
    assert!(json_out(&out)["problems"].to_string().contains("not signed"));
    let forged = work.path().join("forged.tar.gz");
    let out = bin()
        .args(["backup", "--only", "configs", "--sign", "env:K", "--out"])
        .arg(&forged)
        .arg("--dir")
        .arg(stack.path())
        .env("K", "the-attackers-own-key-0123456789")
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    let fresh = work.path().join("fresh");
    for archive in [&unsigned, &forged] {
        let out = bin()
            .args(["restore", "--verify-key"])
            .arg(&good)
            .arg(archive)
            .arg("--dir")
            .arg(&fresh)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "{}", archive.display());
        assert!(!fresh.exists(), "a refused archive wrote {:?}", tree(&fresh));
    }
    let out = bin()
        .args(["restore", "--verify-key"])
        .arg(&good)
        .arg(&signed)
        .arg("--dir")
        .arg(&fresh)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("signature verified"));
    assert!(fresh.join("prometheus/prometheus.yml").is_file());

    // A key file other users can read, or a key that is too short, stops before anything.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&good, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let out = verify(&signed, &good.display().to_string(), None);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(stderr(&out).contains("chmod 600"), "{}", stderr(&out));
    }
}

#[test]
fn a_crafted_catch_all_silence_needs_yes_and_is_shown_in_the_plan() {
    let am = crate::common::servers::alertmanager().start();
    let silences = serde_json::to_vec(&json!([{
        "id": "x",
        "matchers": [{"name": "alertname", "value": ".+", "isRegex": true, "isEqual": true}],
        "startsAt": "2026-01-01T00:00:00Z",
        "endsAt": "2099-01-01T00:00:00Z",
        "createdBy": "attacker",
        "comment": "quiet"
    }]))
    .expect("json");
    let manifest = manifest_for("alertmanager", &[("alertmanager/silences.json", &silences, MODE)]);
    let crafted = Tar::default()
        .file("manifest.json", &manifest)
        .file("alertmanager/silences.json", &silences);
    let work = tempfile::tempdir().expect("tmp");
    let archive = work.path().join("crafted.tar.gz");
    std::fs::write(&archive, crafted.gz()).expect("w");
    let restore = |yes: bool| {
        let mut c = bin();
        c.arg("restore").arg(&archive).arg("--dir").arg(work.path());
        if yes {
            c.arg("--yes");
        }
        c.env("STELLAR_OBS_ALERTMANAGER_URL", am.url()).output().expect("run")
    };
    let out = restore(false);
    let shown = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(1), "{shown}{}", stderr(&out));
    assert!(shown.contains("alertname=~\".+\"") && shown.contains("2099"), "{shown}");
    assert!(shown.contains("needs --yes"), "{shown}");
    assert!(crate::backup::live_silences(&am.url()).is_empty(), "created without --yes");
    let out = restore(true);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(crate::backup::live_silences(&am.url()).len(), 1);
}

#[test]
fn copies_of_secrets_stay_out_of_the_archive() {
    let stack = init_stack();
    let env = std::fs::read_to_string(stack.path().join(".env")).expect("env");
    let password = env
        .lines()
        .find_map(|l| l.strip_prefix("GF_SECURITY_ADMIN_PASSWORD="))
        .expect("password")
        .to_string();
    // Copies an editor or an operator left behind, under names and in folders the stack has.
    std::fs::write(stack.path().join(".env~"), &env).expect("w");
    std::fs::write(stack.path().join("alerting/env.backup"), &env).expect("w");
    std::fs::write(stack.path().join("grafana/.envrc"), &env).expect("w");
    std::fs::write(stack.path().join("prometheus/settings.bak"), &env).expect("w");
    std::fs::write(
        stack.path().join("grafana/admin.txt"),
        format!("the admin password is {password}\n"),
    )
    .expect("w");
    let work = tempfile::tempdir().expect("tmp");
    let archive = work.path().join("a.tar.gz");
    let notes =
        backup_configs_json(stack.path(), &archive)["components"]["configs"]["notes"].to_string();
    for f in ["prometheus/settings.bak", "grafana/admin.txt", "alerting/env.backup", ".envrc"] {
        assert!(notes.contains(f), "{f} not named: {notes}");
    }
    let mut tar = Vec::new();
    use std::io::Read;
    flate2::read::MultiGzDecoder::new(std::fs::File::open(&archive).expect("open"))
        .read_to_end(&mut tar)
        .expect("gunzip");
    let found = tar.windows(password.len()).any(|w| w == password.as_bytes());
    assert!(!found, "the Grafana password is in the archive");
}

/// `backup --only prometheus` of a running Prometheus through its data directory.
fn backup_prometheus(p: &crate::common::servers::RealServer, archive: &std::path::Path) {
    let out = bin()
        .args(["backup", "--only", "prometheus", "--out"])
        .arg(archive)
        .arg("--prometheus-data-dir")
        .arg(p.data_dir())
        .arg("--dir")
        .arg(archive.parent().expect("dir"))
        .env("STELLAR_OBS_PROMETHEUS_URL", p.url())
        .output()
        .expect("run");
    assert!(out.status.success(), "backup: {}", stderr(&out));
}

#[test]
fn a_running_prometheus_is_found_by_its_lock_or_open_files_when_its_url_is_off() {
    let work = tempfile::tempdir().expect("tmp");
    let plain = crate::common::servers::prometheus().start();
    let locked = crate::common::servers::prometheus().arg("--storage.tsdb.use-lockfile").start();
    let archive = work.path().join("prom.tar.gz");
    backup_prometheus(&plain, &archive);
    for (p, expect) in
        [(&plain, "open: stop Prometheus"), (&locked, "locked by a running Prometheus")]
    {
        let before = tree(&p.data_dir());
        let out = bin()
            .args(["restore", "--yes", "--prometheus-data-dir"])
            .arg(p.data_dir())
            .arg(&archive)
            .arg("--dir")
            .arg(work.path())
            .env("STELLAR_OBS_PROMETHEUS_URL", "off")
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "{expect}: {}", stderr(&out));
        assert!(stderr(&out).contains(expect), "{expect}: {}", stderr(&out));
        assert_eq!(tree(&p.data_dir()), before, "the data changed under a running Prometheus");
        let (code, _) = crate::common::http_server::http_get(
            &format!("{}/-/healthy", p.url()),
            std::time::Duration::from_secs(5),
        )
        .expect("still answers");
        assert_eq!(code, 200);
    }
}

#[cfg(unix)]
#[test]
fn a_snapshot_left_by_a_killed_backup_is_removed_by_the_next_one() {
    let prom = crate::common::servers::prometheus().start();
    let snapshots = prom.data_dir().join("snapshots");
    let stack = tempfile::tempdir().expect("tmp");
    std::fs::create_dir(stack.path().join("prometheus")).expect("mk");
    crate::backup::incompressible(&stack.path().join("prometheus/big.bin"), 256);
    let out_dir = tempfile::tempdir().expect("tmp");
    let target = out_dir.path().join("b.tar.gz");
    let data = prom.data_dir().display().to_string();
    let env = [("STELLAR_OBS_PROMETHEUS_URL", prom.url())];
    let mut child = crate::backup::spawn_backup(
        stack.path(),
        &target,
        &["--only", "prometheus,configs", "--prometheus-data-dir", &data],
        &env,
    );
    crate::backup::wait_for_partial_archive(&mut child, out_dir.path());
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");
    let snaps = || tree(&snapshots).into_iter().filter(|p| !p.contains('/')).collect::<Vec<_>>();
    assert_eq!(snaps().len(), 1, "SIGKILL leaves the snapshot: {:?}", snaps());

    // Another snapshot that is not ours stays.
    let code = crate::backup::post(&format!("{}/api/v1/admin/tsdb/snapshot", prom.url()));
    assert_eq!(code, 200);
    let theirs: Vec<String> = snaps();
    assert_eq!(theirs.len(), 2);

    std::fs::remove_file(stack.path().join("prometheus/big.bin")).expect("rm");
    let prom_url = prom.url();
    let v = crate::backup::backup_json(
        "configs",
        stack.path(),
        &target,
        &[("STELLAR_OBS_PROMETHEUS_URL", &prom_url)],
    );
    let warnings = v["warnings"].to_string();
    assert!(warnings.contains("left by a backup that was killed"), "{warnings}");
    assert_eq!(snaps().len(), 1, "only the killed backup's snapshot is removed: {:?}", snaps());
    assert_eq!(tree(out_dir.path()), vec!["b.tar.gz".to_string()]);
}

/// A small tmpfs (a disk that fills up), unmounted when dropped.
struct SmallDisk(std::path::PathBuf, #[allow(dead_code)] tempfile::TempDir);

impl SmallDisk {
    fn mount(kib: u64) -> SmallDisk {
        let t = tempfile::tempdir().expect("tmp");
        let p = t.path().join("disk");
        std::fs::create_dir(&p).expect("mk");
        let out = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(&p)
            .output()
            .expect("mount");
        assert!(
            out.status.success(),
            "this test mounts a {kib} KiB tmpfs as a full disk and needs root (CAP_SYS_ADMIN): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        SmallDisk(p, t)
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_configs_restore_that_does_not_fit_changes_nothing() {
    // The archive: five small files and one of 400 KiB.
    let src = tempfile::tempdir().expect("tmp");
    std::fs::create_dir(src.path().join("prometheus")).expect("mk");
    for i in 0..5 {
        std::fs::write(src.path().join(format!("prometheus/r{i}.yml")), format!("new {i}\n"))
            .expect("w");
    }
    std::fs::write(src.path().join("prometheus/zz-big.yml"), vec![b'#'; 400 * 1024]).expect("w");
    let work = tempfile::tempdir().expect("tmp");
    let archive = work.path().join("a.tar.gz");
    crate::backup::backup_configs(src.path(), &archive);

    // The stack on a 300 KiB disk, with older versions of the small files.
    let disk = SmallDisk::mount(300);
    std::fs::create_dir(disk.0.join("prometheus")).expect("mk");
    for i in 0..5 {
        std::fs::write(disk.0.join(format!("prometheus/r{i}.yml")), format!("old {i}\n"))
            .expect("w");
    }
    let before: Vec<(String, Vec<u8>)> = tree(&disk.0)
        .into_iter()
        .filter(|p| disk.0.join(p).is_file())
        .map(|p| (p.clone(), std::fs::read(disk.0.join(&p)).expect("r")))
        .collect();
    let out = bin()
        .args(["restore", "--yes"])
        .arg(&archive)
        .arg("--dir")
        .arg(&disk.0)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &stderr(&out);
    assert!(text.contains("not enough free space"), "{text}");
    let after: Vec<(String, Vec<u8>)> = tree(&disk.0)
        .into_iter()
        .filter(|p| disk.0.join(p).is_file())
        .map(|p| (p.clone(), std::fs::read(disk.0.join(&p)).expect("r")))
        .collect();
    assert_eq!(after, before, "a half-restored stack");
}
