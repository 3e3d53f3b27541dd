//! Exit codes, decided in one place. The README's "Exit codes" table mirrors this file.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success: no errors, stack healthy, nothing failed |
//! | 1 | the command ran and found a problem: validation errors (or warnings with `--strict`), a refused or failed action, a service not healthy, some dashboards failed, an archive not intact; `check-health`: WARNING (degraded) |
//! | 2 | usage error (bad flags or arguments); `validate`, `test`, `routes`: a file could not be read; `check-health`: CRITICAL (unhealthy); `alerts drill`: Alertmanager unreachable |
//! | 3 | `check-health`: UNKNOWN (the check could not run, including a bad command line: `run::usage_exit_code`) |
//! | 130, 143 | interrupted by SIGINT / SIGTERM; `backup` and `restore` clean up first (`interrupt.rs`) |

use std::process::ExitCode;

/// What a command concluded. Every command returns one of these; [`Outcome::code`] maps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything is as it should be.
    Success,
    /// The command ran and found or caused a problem (findings, refusal, failure).
    Failure,
    /// `check-health`: some component is degraded (monitoring-plugin WARNING).
    Warning,
    /// `check-health`: some component is unhealthy (monitoring-plugin CRITICAL).
    Critical,
    /// `alerts drill`: the server the command exists to exercise could not be reached
    /// (so nothing was posted and nothing was proven either way).
    Unreachable,
}

/// Which family of exit codes applies to an error that stopped a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// Most commands: an error is a failure (1).
    Default,
    /// `validate`, `test` and `routes`: an error reading input is a usage/I-O error (2).
    Validate,
    /// `check-health`: an error means the check could not run: UNKNOWN (3).
    Health,
}

pub const SUCCESS: u8 = 0;
pub const FAILURE: u8 = 1;
pub const USAGE: u8 = 2;
pub const CRITICAL: u8 = 2;
pub const UNKNOWN: u8 = 3;
/// `alerts drill`: Alertmanager could not be reached.
pub const UNREACHABLE: u8 = 2;
/// Interrupted by Ctrl-C (SIGINT): 128 + 2, the shell's convention.
pub const INTERRUPTED: u8 = 130;
/// Stopped by SIGTERM: 128 + 15.
pub const TERMINATED: u8 = 143;

impl Outcome {
    pub fn code(self) -> u8 {
        match self {
            Outcome::Success => SUCCESS,
            Outcome::Failure | Outcome::Warning => FAILURE,
            Outcome::Critical => CRITICAL,
            Outcome::Unreachable => UNREACHABLE,
        }
    }

    pub fn exit_code(self) -> ExitCode {
        ExitCode::from(self.code())
    }

    /// The worse of two outcomes.
    pub fn worst(self, other: Outcome) -> Outcome {
        fn rank(o: Outcome) -> u8 {
            match o {
                Outcome::Success => 0,
                Outcome::Warning => 1,
                Outcome::Failure => 2,
                Outcome::Critical | Outcome::Unreachable => 3,
            }
        }
        if rank(other) > rank(self) { other } else { self }
    }
}

/// A bad value on the command line that clap could not see (a malformed matcher, a time
/// in the past): whatever the command, it exits [`USAGE`] (2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Exit code for an error that stopped a command: a [`UsageError`] anywhere in its chain
/// is a usage error (2), anything else follows the command's `class`.
pub fn exit_code_for(e: &anyhow::Error, class: ErrorClass) -> u8 {
    if e.chain().any(|c| c.downcast_ref::<UsageError>().is_some()) {
        USAGE
    } else {
        error_code(class)
    }
}

/// Exit code for an error that stopped a command before it could conclude.
pub fn error_code(class: ErrorClass) -> u8 {
    match class {
        ErrorClass::Default => FAILURE,
        ErrorClass::Validate => USAGE,
        ErrorClass::Health => UNKNOWN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_contract() {
        assert_eq!(Outcome::Success.code(), 0);
        assert_eq!(Outcome::Failure.code(), 1);
        assert_eq!(Outcome::Warning.code(), 1);
        assert_eq!(Outcome::Critical.code(), 2);
        assert_eq!(Outcome::Unreachable.code(), 2);
        assert_eq!(error_code(ErrorClass::Validate), 2);
        assert_eq!(error_code(ErrorClass::Health), 3);
        assert_eq!(error_code(ErrorClass::Default), 1);
    }

    #[test]
    fn usage_errors_exit_2_whatever_the_command() {
        let e = anyhow::Error::new(UsageError("bad matcher".into())).context("silence add");
        assert_eq!(exit_code_for(&e, ErrorClass::Default), 2);
        assert_eq!(exit_code_for(&anyhow::anyhow!("x"), ErrorClass::Default), 1);
        assert_eq!(exit_code_for(&anyhow::anyhow!("x"), ErrorClass::Health), 3);
    }

    #[test]
    fn worst_picks_the_more_severe() {
        assert_eq!(Outcome::Success.worst(Outcome::Warning), Outcome::Warning);
        assert_eq!(Outcome::Critical.worst(Outcome::Warning), Outcome::Critical);
        assert_eq!(Outcome::Failure.worst(Outcome::Success), Outcome::Failure);
    }
}
