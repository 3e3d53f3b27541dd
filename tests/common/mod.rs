//! Shared helpers for the integration tests: the binary, temporary stacks, real tools.

#![allow(dead_code)]

pub mod archive;
pub mod docker;
pub mod health_fakes;
pub mod http_server;
pub mod servers;

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;

/// The `stellar-obs` binary with a clean environment: no colour, no inherited
/// STELLAR_OBS_* or GRAFANA_* variables.
pub fn bin() -> Command {
    Command::from_std(bin_std())
}

/// [`bin`] as a plain `std::process::Command`, for runs spawned in the background.
pub fn bin_std() -> StdCommand {
    let mut c = StdCommand::new(assert_cmd::cargo::cargo_bin("stellar-obs"));
    clean_env(&mut c);
    c.env("NO_COLOR", "1");
    c
}

/// Run `stellar-obs ARGS` with stdout on a pseudo-terminal `columns` wide (util-linux
/// `script`), as a user at a narrow terminal sees it; the output with `\r\n` made `\n`.
pub fn on_terminal(args: &[&std::ffi::OsStr], columns: u16) -> String {
    let quote = |a: &std::ffi::OsStr| format!("'{}'", a.to_string_lossy().replace('\'', "'\\''"));
    let program = assert_cmd::cargo::cargo_bin("stellar-obs");
    let mut line = quote(program.as_os_str());
    for a in args {
        line.push(' ');
        line.push_str(&quote(a));
    }
    let script = require_tool("script");
    let mut c = StdCommand::new(script);
    clean_env(&mut c);
    let out = c
        .args(["-qec", &line, "/dev/null"])
        .env("NO_COLOR", "1")
        .env("COLUMNS", columns.to_string())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script runs");
    String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
}

/// Remove the developer's STELLAR_OBS_* and GRAFANA_* variables from `c`.
pub fn clean_env(c: &mut StdCommand) {
    for (k, _) in std::env::vars() {
        if k.starts_with("STELLAR_OBS_") || k.starts_with("GRAFANA_") {
            c.env_remove(k);
        }
    }
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/conformance` next to the repository (or STELLAR_OBS_CONFORMANCE; or
/// `../../shared/conformance` from a worktree).
pub fn conformance_dir() -> PathBuf {
    if let Ok(d) = std::env::var("STELLAR_OBS_CONFORMANCE") {
        return PathBuf::from(d);
    }
    let next_to = repo().join("../shared/conformance");
    // A developer's git worktree sits one level deeper (work/wt/NAME next to work/shared).
    let from_worktree = repo().join("../../shared/conformance");
    if !next_to.is_dir() && from_worktree.is_dir() { from_worktree } else { next_to }
}

/// Path of an external tool; panics with an install hint when it is missing, because the
/// tests that use real tools must not pass silently without them.
pub fn require_tool(name: &str) -> PathBuf {
    let out = StdCommand::new("sh").arg("-c").arg(format!("command -v {name}")).output();
    match out {
        Ok(o) if o.status.success() => {
            PathBuf::from(String::from_utf8_lossy(&o.stdout).trim().to_string())
        }
        _ => panic!(
            "`{name}` is not installed; these tests run the real tool. Run .ci/run, or install the Debian packages it lists"
        ),
    }
}

/// Run a real tool; panics with its output unless it succeeds, else returns stdout + stderr.
pub fn run_ok(cmd: &mut StdCommand) -> String {
    let out = cmd.output().expect("tool runs");
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{cmd:?} failed:\n{text}");
    text
}

/// Run `stellar-obs init` into a fresh temporary directory and return it.
pub fn init_stack() -> tempfile::TempDir {
    let d = tempfile::tempdir().expect("tmp");
    bin().arg("init").arg("--dir").arg(d.path()).assert().success();
    d
}

/// Read a file to a string, naming it on failure.
pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

pub mod fake_grafana;
