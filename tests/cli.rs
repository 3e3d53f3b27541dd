//! The command line itself: help, version, usage errors, completions that match the CLI.

use crate::common::{bin, read, repo};

#[test]
fn version_and_help() {
    let out = bin().arg("--version").assert().success().get_output().stdout.clone();
    assert!(String::from_utf8_lossy(&out).starts_with("stellar-obs "));
    let out = bin().arg("--help").assert().success().get_output().stdout.clone();
    let help = String::from_utf8_lossy(&out);
    for c in [
        "init",
        "validate",
        "up",
        "down",
        "status",
        "check-health",
        "dashboards",
        "backup",
        "restore",
        "completions",
    ] {
        assert!(help.contains(c), "help lacks {c}");
    }
}

/// The textfile example writes a temporary file and renames it (as docs/health.md says):
/// a redirect straight into the `.prom` file lets node-exporter read half a file.
#[test]
fn check_health_help_shows_write_then_rename_for_the_textfile() {
    let out = bin().args(["check-health", "--help"]).assert().success().get_output().stdout.clone();
    let help = String::from_utf8_lossy(&out);
    for line in help.lines().filter(|l| l.contains("-o prometheus >")) {
        assert!(!line.trim_end().ends_with(".prom"), "writes the textfile directly: {line}");
        assert!(line.contains("; mv "), "no rename: {line}");
    }
    assert!(help.contains("T=/var/lib/node_exporter/textfile/stellar_obs.prom\n"), "{help}");
    assert!(help.contains("-o prometheus > $T.tmp; mv $T.tmp $T\n"), "{help}");
    let doc = read(&repo().join("docs/health.md"));
    assert!(doc.contains("stellar_obs.prom.$$; mv "), "docs/health.md lost the rename");
}

#[test]
fn usage_errors_exit_2() {
    bin().arg("no-such-command").assert().code(2);
    bin().args(["validate", "--kind", "nonsense"]).assert().code(2);
}

#[test]
fn unsupported_output_format_is_refused() {
    let d = tempfile::tempdir().expect("tmp");
    let out = bin()
        .args(["init", "-o", "sarif", "--dir"])
        .arg(d.path())
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("does not support -o sarif"));
}

/// scripts/ci-setup.sh runs on developers' machines too: it must never signal a process it
/// did not start (a user's own Prometheus or node-exporter), only keep the Debian packages
/// from starting their services at install (a denying policy-rc.d), and stop at most the
/// units the install itself started.
#[test]
fn ci_setup_never_signals_processes_by_name() {
    let script = read(&repo().join("scripts/ci-setup.sh"));
    for line in script.lines().map(str::trim).filter(|l| !l.starts_with('#')) {
        for word in ["pkill", "killall", "kill ", "kill\t"] {
            assert!(!line.contains(word), "ci-setup.sh signals processes: {line}");
        }
    }
    assert!(script.contains("/usr/sbin/policy-rc.d"), "no policy-rc.d");
    assert!(script.contains("exit 101"), "the policy must deny");
    let status = std::process::Command::new("bash")
        .arg("-n")
        .arg(repo().join("scripts/ci-setup.sh"))
        .status()
        .expect("bash");
    assert!(status.success(), "ci-setup.sh does not parse");
}

/// The checked-in completion scripts must be exactly what the binary generates; regenerate
/// with `scripts/gen-completions.sh` when the CLI changes.
#[test]
fn checked_in_completions_match_the_cli() {
    for (shell, file) in [
        ("bash", "stellar-obs.bash"),
        ("zsh", "_stellar-obs"),
        ("fish", "stellar-obs.fish"),
        ("powershell", "_stellar-obs.ps1"),
        ("elvish", "stellar-obs.elv"),
    ] {
        let out = bin().args(["completions", shell]).assert().success().get_output().stdout.clone();
        let generated = String::from_utf8(out).expect("utf-8");
        let checked_in = read(&repo().join("completions").join(file));
        assert!(
            generated == checked_in,
            "completions/{file} is stale: run scripts/gen-completions.sh and commit"
        );
    }
}

#[test]
fn checked_in_man_page_matches_the_cli() {
    let out = bin().arg("manpage").assert().success().get_output().stdout.clone();
    let generated = String::from_utf8(out).expect("utf-8");
    assert!(
        generated == read(&repo().join("docs/stellar-obs.1")),
        "docs/stellar-obs.1 is stale: run scripts/gen-completions.sh"
    );
}
