//! The process seam: every Docker, Compose and Swarm command runs through a [`Runner`].
//! [`ProcessRunner`] runs real programs; unit tests hand canned answers
//! (`engine::testing::FakeRunner`).

use std::process::{Command, Stdio};

/// What a finished program left behind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// Exit code; `None` when killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }

    /// A successful output with `stdout` (tests).
    pub fn ok(stdout: impl Into<String>) -> Self {
        Output { code: Some(0), stdout: stdout.into(), stderr: String::new() }
    }

    /// A failed output with `stderr` (tests).
    pub fn fail(code: i32, stderr: impl Into<String>) -> Self {
        Output { code: Some(code), stdout: String::new(), stderr: stderr.into() }
    }
}

/// Runs external programs. [`ProcessRunner`] is the real one; tests use canned answers.
pub trait Runner: Send + Sync {
    /// Run `program args`, capture stdout and stderr. `Err` only when it could not be
    /// started (`io::ErrorKind::NotFound`: not installed).
    fn run(&self, program: &str, args: &[String]) -> std::io::Result<Output>;

    /// Run `program args` with the terminal attached (stdout and stderr pass through);
    /// returns the exit code.
    fn passthrough(&self, program: &str, args: &[String]) -> std::io::Result<Option<i32>>;
}

/// Runs real processes.
#[derive(Debug, Default, Clone, Copy)]
pub struct ProcessRunner;

impl Runner for ProcessRunner {
    fn run(&self, program: &str, args: &[String]) -> std::io::Result<Output> {
        let mut cmd = Command::new(program);
        cmd.args(args).stdin(Stdio::null());
        // A step that must finish (restore's data swap) is not interrupted by the terminal's
        // Ctrl-C, which goes to the whole foreground process group.
        #[cfg(unix)]
        if crate::interrupt::in_critical() {
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
        }
        let out = cmd.output()?;
        Ok(Output {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    }

    fn passthrough(&self, program: &str, args: &[String]) -> std::io::Result<Option<i32>> {
        let status = Command::new(program).args(args).stdin(Stdio::null()).status()?;
        Ok(status.code())
    }
}
