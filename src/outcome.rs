//! Exit codes, decided in one place. The README's "Exit codes" table mirrors this file.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success: no errors, stack healthy, nothing failed |
//! | 1 | the command ran and found a problem: validation errors (or warnings with `--strict`), a refused or failed action, a service not healthy, some dashboards failed, an archive not intact; `check-health`: WARNING (degraded) |
//! | 2 | usage error (bad flags or arguments); `validate`, `test`, `routes`: a file could not be read; `check-health`: CRITICAL (unhealthy) |
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
                Outcome::Critical => 3,
            }
        }
        if rank(other) > rank(self) { other } else { self }
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
        assert_eq!(error_code(ErrorClass::Validate), 2);
        assert_eq!(error_code(ErrorClass::Health), 3);
        assert_eq!(error_code(ErrorClass::Default), 1);
    }

    #[test]
    fn worst_picks_the_more_severe() {
        assert_eq!(Outcome::Success.worst(Outcome::Warning), Outcome::Warning);
        assert_eq!(Outcome::Critical.worst(Outcome::Warning), Outcome::Critical);
        assert_eq!(Outcome::Failure.worst(Outcome::Success), Outcome::Failure);
    }
}
