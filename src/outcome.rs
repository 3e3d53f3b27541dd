//! Exit codes, decided in one place. The README's "Exit codes" table mirrors this file.
//!
//! One rule for every command: **2 means the request itself is wrong** and nothing was done
//! (fix the command line, the environment or the stack's own settings and run it again);
//! **1 means the command ran and found or caused a problem**. `check-health` is a monitoring
//! plugin, so there a wrong request is UNKNOWN (3), never 2 (CRITICAL).
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success: no errors, stack healthy, nothing failed |
//! | 1 | the command ran and found or caused a problem: validation errors (or warnings with `--strict`), a refused or failed action, a service not healthy, a server that cannot be reached, some dashboards failed, an archive not intact; `check-health`: WARNING (degraded) |
//! | 2 | the request is wrong ([`UsageError`]): an unknown flag or bad value, an output format the command does not have, a `--dir` that is no stack directory, a `stellar-obs.yml` or `STELLAR_OBS_*` value that does not parse, a malformed matcher; `validate`, `test`, `routes`, `slo`: a file that cannot be read; `check-health`: CRITICAL (unhealthy); `alerts drill`: Alertmanager unreachable |
//! | 3 | `check-health`: UNKNOWN (the check could not run, a wrong request included: `run::usage_exit_code`) |
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
    /// The input was invalid (an SLO spec with errors): exit 2, like a usage error.
    Invalid,
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
            Outcome::Invalid => USAGE,
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
                Outcome::Critical | Outcome::Invalid | Outcome::Unreachable => 3,
            }
        }
        if rank(other) > rank(self) { other } else { self }
    }
}

/// A request that cannot be carried out as given: a bad value clap could not see (a
/// malformed matcher, a time in the past), an output format the command does not have, a
/// `--dir` that is no stack, settings that do not parse. Exit 2 (3 for `check-health`),
/// before anything was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// A [`UsageError`] as an `anyhow::Error`.
pub fn usage(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(msg.into()))
}

/// Mark whatever `r` failed with as a wrong request (its message unchanged).
pub fn as_usage<T>(r: anyhow::Result<T>) -> anyhow::Result<T> {
    r.map_err(|e| usage(format!("{e:#}")))
}

/// Whether `e` says the request itself is wrong (a [`UsageError`] anywhere in its chain).
pub fn is_usage(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<UsageError>().is_some())
}

/// Exit code for an error that stopped a command: the one rule (a wrong request 2, else 1),
/// with `validate`/`test`/`routes` reading every input error as a wrong request and
/// `check-health` reporting any error as UNKNOWN (3, never 2: CRITICAL).
pub fn exit_code_for(e: &anyhow::Error, class: ErrorClass) -> u8 {
    error_code(class, is_usage(e))
}

/// [`exit_code_for`] from the command's class and whether the request was wrong.
pub fn error_code(class: ErrorClass, usage: bool) -> u8 {
    match class {
        ErrorClass::Health => UNKNOWN,
        ErrorClass::Validate => USAGE,
        ErrorClass::Default if usage => USAGE,
        ErrorClass::Default => FAILURE,
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
        assert_eq!(Outcome::Invalid.code(), 2);
        assert_eq!(error_code(ErrorClass::Validate, false), 2);
        assert_eq!(error_code(ErrorClass::Health, false), 3);
        assert_eq!(error_code(ErrorClass::Health, true), 3, "never 2 (CRITICAL)");
        assert_eq!(error_code(ErrorClass::Default, false), 1);
        assert_eq!(error_code(ErrorClass::Default, true), 2);
        let e = usage("`status` does not support -o sarif");
        assert_eq!(exit_code_for(&e, ErrorClass::Default), 2);
        assert_eq!(
            exit_code_for(
                &as_usage::<()>(Err(anyhow::anyhow!("x"))).expect_err("marked"),
                ErrorClass::Default
            ),
            2
        );
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
