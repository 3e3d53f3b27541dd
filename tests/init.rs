//! `stellar-obs init`: writes the stack, keeps what the user changed, guards the password.

use crate::common::{bin, read};

#[test]
fn init_into_an_empty_dir_writes_the_stack() {
    let d = tempfile::tempdir().expect("tmp");
    let dir = d.path().join("observability");
    let out = bin()
        .arg("init")
        .arg("--dir")
        .arg(&dir)
        .args(["-o", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json on stdout");
    let files = v["files"].as_array().expect("files");
    assert!(files.len() >= 10, "{v}");
    assert!(files.iter().all(|f| f["action"] == "created"), "{v}");
    for p in [
        "docker-compose.observability.yml",
        ".env",
        "stellar-obs.yml",
        "prometheus/prometheus.yml",
        "prometheus/stellar_alerts.yml",
        "alerting/alertmanager.yml",
        "grafana/dashboards/stellar-connector-dashboard.json",
    ] {
        assert!(dir.join(p).is_file(), "{p} not written");
        assert!(files.iter().any(|f| f["path"] == p), "{p} not listed");
    }
}

#[cfg(unix)]
#[test]
fn env_file_is_private_and_passwords_differ() {
    use std::os::unix::fs::PermissionsExt;
    let a = crate::common::init_stack();
    let b = crate::common::init_stack();
    let mode = std::fs::metadata(a.path().join(".env")).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, ".env must be 0600");
    let pw = |d: &std::path::Path| {
        read(&d.join(".env"))
            .lines()
            .find_map(|l| l.strip_prefix("GF_SECURITY_ADMIN_PASSWORD=").map(str::to_string))
            .expect("password line")
    };
    let (pa, pb) = (pw(a.path()), pw(b.path()));
    assert_eq!(pa.len(), 32);
    assert_ne!(pa, pb, "two inits must give different passwords");
    assert_ne!(pa, "change-me");
}

#[test]
fn modified_file_is_kept_without_force_and_replaced_with_it() {
    let d = crate::common::init_stack();
    let f = d.path().join("prometheus/prometheus.yml");
    let original = read(&f);
    std::fs::write(&f, "# my local change\n").expect("write");

    let out =
        bin().arg("init").arg("--dir").arg(d.path()).assert().code(1).get_output().stdout.clone();
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains("prometheus/prometheus.yml"), "{text}");
    assert!(text.contains("--force"), "{text}");
    assert_eq!(read(&f), "# my local change\n", "kept without --force");

    let env_before = read(&d.path().join(".env"));
    bin().arg("init").arg("--dir").arg(d.path()).arg("--force").assert().success();
    assert_eq!(read(&f), original, "replaced with --force");
    let pw = |t: &str| {
        t.lines().find(|l| l.starts_with("GF_SECURITY_ADMIN_PASSWORD=")).map(str::to_string)
    };
    assert_eq!(
        pw(&env_before),
        pw(&read(&d.path().join(".env"))),
        "--force keeps the Grafana password"
    );
}

#[test]
fn second_init_changes_nothing() {
    let d = crate::common::init_stack();
    let out = bin()
        .arg("init")
        .arg("--dir")
        .arg(d.path())
        .args(["-o", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    assert!(
        v["files"].as_array().expect("files").iter().all(|f| f["action"] == "unchanged"),
        "{v}"
    );
}

/// A second `init` says one line, not a row per unchanged file.
#[test]
fn second_init_says_one_line() {
    let d = crate::common::init_stack();
    let out = bin().arg("init").arg("--dir").arg(d.path()).assert().success().get_output().clone();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("unchanged"), "a row per unchanged file:\n{text}");
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.starts_with("Nothing to do: ") && text.contains("already as init writes them"),
        "{text}"
    );
    // One changed file: the table lists it alone, the rest is one line.
    std::fs::remove_file(d.path().join("prometheus/prometheus.yml")).expect("rm");
    let out = bin().arg("init").arg("--dir").arg(d.path()).assert().success().get_output().clone();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("prometheus/prometheus.yml") && text.contains("created"), "{text}");
    assert!(
        !text.contains("unchanged") && text.contains("other files are already as init writes them"),
        "{text}"
    );
}

/// `init --dir DIR --env-only`, which must succeed.
fn env_only(dir: &std::path::Path) -> std::process::Output {
    bin()
        .arg("init")
        .arg("--dir")
        .arg(dir)
        .arg("--env-only")
        .assert()
        .success()
        .get_output()
        .clone()
}

/// After a restore (archives never hold `.env`), `init --env-only` writes just `.env` with
/// a fresh password; it never touches another file, and never replaces an existing `.env`.
#[test]
fn init_env_only_fills_in_a_missing_env_and_nothing_else() {
    let d = crate::common::init_stack();
    let env = d.path().join(".env");
    let old = std::fs::read_to_string(&env).expect("env");
    std::fs::remove_file(&env).expect("rm");
    // A restored file that differs from the template, and one that is missing.
    let am = d.path().join("alerting/alertmanager.yml");
    std::fs::write(&am, "route:\n  receiver: restored\nreceivers:\n  - name: restored\n")
        .expect("w");
    let rules = d.path().join("prometheus/stellar_alerts.yml");
    std::fs::remove_file(&rules).expect("rm");
    let out = env_only(d.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(".env") && text.contains("fresh Grafana admin password"), "{text}");
    let new = std::fs::read_to_string(&env).expect("env written");
    let password = |t: &str| {
        t.lines().find_map(|l| l.strip_prefix("GF_SECURITY_ADMIN_PASSWORD=")).map(str::to_string)
    };
    let (po, pn) = (password(&old).expect("old"), password(&new).expect("new"));
    assert_eq!(pn.len(), 32, "{new}");
    assert_ne!(po, pn, "a fresh password, not a copy");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&env).expect("m").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert!(std::fs::read_to_string(&am).expect("am").contains("restored"), "overwritten");
    assert!(!rules.exists(), "--env-only wrote another file");
    // An existing .env is never replaced.
    std::fs::write(&env, "GF_SECURITY_ADMIN_PASSWORD=mine\n").expect("w");
    let out = env_only(d.path());
    assert!(String::from_utf8_lossy(&out.stdout).contains("left as it is"));
    assert_eq!(std::fs::read_to_string(&env).expect("env"), "GF_SECURITY_ADMIN_PASSWORD=mine\n");
    // Not a stack: refused (usage), nothing written.
    let empty = tempfile::tempdir().expect("tmp");
    bin().arg("init").arg("--dir").arg(empty.path()).arg("--env-only").assert().code(2);
    assert!(!empty.path().join(".env").exists());
    bin().arg("init").arg("--dir").arg(d.path()).args(["--env-only", "--force"]).assert().code(2);
}

#[test]
fn init_onto_a_file_is_a_clear_error() {
    let d = tempfile::tempdir().expect("tmp");
    let f = d.path().join("notadir");
    std::fs::write(&f, "x").expect("w");
    let out = bin().arg("init").arg("--dir").arg(&f).assert().code(2).get_output().stderr.clone();
    assert!(String::from_utf8_lossy(&out).contains("is not a directory"));
}

/// The Grafana admin password Docker Compose itself resolves from the stack's `.env`.
fn compose_password(dir: &std::path::Path) -> String {
    let docker = crate::common::require_tool("docker");
    let out = std::process::Command::new(docker)
        .args(["compose", "-f", "docker-compose.observability.yml", "config", "--format", "json"])
        .current_dir(dir)
        .output()
        .expect("docker compose config");
    assert!(out.status.success(), "compose config: {}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // `config` prints a literal `$` as `$$` (so its output can be read again).
    v["services"]["grafana"]["environment"]["GF_SECURITY_ADMIN_PASSWORD"]
        .as_str()
        .expect("password")
        .replace("$$", "$")
}

#[test]
fn init_force_keeps_a_quoted_password_as_compose_reads_it() {
    for (line, value) in [
        ("GF_SECURITY_ADMIN_PASSWORD='Pa$$w0rd$x'", "Pa$$w0rd$x"),
        ("GF_SECURITY_ADMIN_PASSWORD=\"my pass # with hash\"", "my pass # with hash"),
    ] {
        let d = tempfile::tempdir().expect("tmp");
        bin().arg("init").arg("--dir").arg(d.path()).assert().success();
        let env = d.path().join(".env");
        let text = read(&env).replace(
            crate::common::read(&env)
                .lines()
                .find(|l| l.starts_with("GF_SECURITY_ADMIN_PASSWORD="))
                .expect("password line"),
            line,
        );
        std::fs::write(&env, text).expect("w");
        assert_eq!(compose_password(d.path()), value, "{line}: before");
        bin().args(["init", "--force"]).arg("--dir").arg(d.path()).assert().success();
        assert!(read(&env).lines().any(|l| l == line), "{line} rewritten:\n{}", read(&env));
        assert_eq!(compose_password(d.path()), value, "{line}: init --force changed it");
    }
}
