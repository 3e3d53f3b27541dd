//! From parsed arguments to an exit code: settings, the command, its report, the code.

use std::process::ExitCode;

use anyhow::Result;
use clap::{CommandFactory, Parser};

use crate::cli::{BackupCommand, Cli, Command, OutputFormat, Shell};
use crate::outcome::{self, ErrorClass, Outcome};
use crate::output::Ui;
use crate::settings::Settings;

/// The whole program: parse, run, map the outcome or error to the exit code.
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(c) => c,
        Err(e) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = e.print();
            return ExitCode::from(usage_exit_code(e.exit_code(), subcommand_name(&args)));
        }
    };
    let ui = Ui::from_args(&cli.global);
    let class = error_class(&cli.command);
    match run(cli, &ui) {
        Ok(o) => o.exit_code(),
        Err(e) => {
            ui.error(error_text(&e));
            ExitCode::from(outcome::exit_code_for(&e, class))
        }
    }
}

/// The exit code for a command line clap refused (`code` is clap's: 0 for help and
/// version, 2 for usage errors). `check-health` is a monitoring plugin: there a bad
/// command line is UNKNOWN (3), as the plugin guidelines ask, never 2, which a monitoring
/// system would read as CRITICAL.
pub fn usage_exit_code(code: i32, subcommand: Option<String>) -> u8 {
    let code = code.clamp(0, 255) as u8;
    if code == outcome::USAGE && subcommand.as_deref() == Some("check-health") {
        outcome::UNKNOWN
    } else {
        code
    }
}

/// The subcommand named on a command line clap could not parse: the first word that is
/// neither an option nor the value of a global option that takes one.
pub fn subcommand_name(args: &[std::ffi::OsString]) -> Option<String> {
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        match a.as_ref() {
            "--" => return None,
            "--dir" | "--project" | "-o" | "--output" => {
                it.next();
            }
            s if s.starts_with('-') => {}
            s => return Some(s.to_string()),
        }
    }
    None
}

/// An error as the one line the user sees: the whole context chain, without the
/// `(os error N)` that Rust appends to operating-system errors.
pub fn error_text(e: &anyhow::Error) -> String {
    crate::output::without_os_error_codes(&format!("{e:#}"))
}

/// Which exit-code family applies when a command fails with an error.
pub fn error_class(c: &Command) -> ErrorClass {
    match c {
        Command::Validate(_) | Command::Test(_) => ErrorClass::Validate,
        Command::CheckHealth(_) => ErrorClass::Health,
        Command::Routes(_) => ErrorClass::Validate,
        _ => ErrorClass::Default,
    }
}

/// Run one command.
pub fn run(cli: Cli, ui: &Ui) -> Result<Outcome> {
    match cli.command {
        Command::Completions(a) => {
            ui.require_format("completions", &[])?;
            print!("{}", completion_script(a.shell));
            Ok(Outcome::Success)
        }
        Command::Manpage => {
            print!("{}", man_page()?);
            Ok(Outcome::Success)
        }
        Command::Init(a) => {
            ui.require_format("init", &[OutputFormat::Json])?;
            let settings = Settings::load(&cli.global)?;
            let mut report = if a.env_only {
                crate::stack::init::init_env_only(&settings.dir)?
            } else {
                let mut opts = crate::stack::init::options(
                    a.force,
                    a.remote_write.as_deref(),
                    settings.remote_write.as_ref(),
                )?;
                // A stack made with --ha stays HA when `init` runs again without it.
                opts.topology =
                    if a.ha { crate::settings::Topology::Ha } else { settings.topology };
                crate::stack::init::init_with(&settings.dir, &settings.project, &opts)?
            };
            report.cli = settings.command("");
            ui.emit(&report)?;
            Ok(report.outcome())
        }
        Command::Validate(a) => crate::lint::run(&cli.global, ui, &a),
        Command::Up(a) => {
            let settings = Settings::load_existing(&cli.global)?;
            crate::stack::lifecycle::up(&settings, ui, &a)
        }
        Command::Down(a) => {
            let settings = Settings::load_existing(&cli.global)?;
            crate::stack::lifecycle::down(&settings, ui, &a)
        }
        Command::Status(a) => {
            let settings = Settings::load_existing(&cli.global)?;
            crate::stack::lifecycle::status(&settings, ui, a.swarm)
        }
        Command::Logs(a) => {
            let settings = Settings::load_existing(&cli.global)?;
            crate::stack::lifecycle::logs(&settings, ui, &a)
        }
        Command::Restart(a) => {
            let settings = Settings::load_existing(&cli.global)?;
            crate::stack::lifecycle::restart(&settings, ui, &a)
        }
        Command::CheckHealth(a) => {
            let settings = Settings::load_existing(&cli.global)?;
            crate::health::run(&settings, ui, &a)
        }
        Command::Dashboards(c) => {
            let settings = Settings::load_existing(&cli.global)?;
            crate::dashboards::run(&settings, ui, &c)
        }
        Command::Test(c) => crate::test::run(&cli.global, ui, &c),
        Command::Backup(a) => match &a.command {
            Some(BackupCommand::Verify(v)) => crate::backup::verify_command(ui, v),
            None => {
                let settings = Settings::load_existing(&cli.global)?;
                crate::backup::backup_command(&settings, ui, &a)
            }
        },
        Command::Routes(a) => crate::routes::run(&cli.global, ui, &a),
        Command::Restore(a) => {
            // Disaster recovery restores into a directory that may not exist yet.
            let settings = Settings::load(&cli.global)?;
            crate::backup::restore_command(&settings, ui, &a)
        }
        Command::Slo(c) => {
            let settings = Settings::load(&cli.global)?;
            crate::slo::run(&settings, ui, &c)
        }
        Command::Alerts(c) => {
            let settings = Settings::load(&cli.global)?;
            crate::alerts::run_alerts(&settings, ui, &c)
        }
        Command::Render(c) => {
            let settings = Settings::load_existing(&cli.global)?;
            crate::render::run(&settings, ui, &c)
        }
        Command::Silence(c) => {
            let settings = Settings::load(&cli.global)?;
            crate::alerts::silence::run(&settings, ui, &c)
        }
    }
}

/// The completion script for `shell`, generated from the CLI definition.
pub fn completion_script(shell: Shell) -> String {
    use clap_complete::Shell as S;
    let s = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
        Shell::Elvish => S::Elvish,
    };
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(s, &mut cmd, "stellar-obs", &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// The file name under `completions/` for `shell`.
pub fn completion_file(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash => "stellar-obs.bash",
        Shell::Zsh => "_stellar-obs",
        Shell::Fish => "stellar-obs.fish",
        Shell::Powershell => "_stellar-obs.ps1",
        Shell::Elvish => "stellar-obs.elv",
    }
}

/// The man page (roff), generated from the CLI definition.
pub fn man_page() -> Result<String> {
    let cmd = Cli::command();
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completions_mention_every_subcommand() {
        let s = completion_script(Shell::Bash);
        for sub in [
            "init",
            "validate",
            "check-health",
            "dashboards",
            "backup",
            "restore",
            "alerts",
            "silence",
        ] {
            assert!(s.contains(sub), "bash completion lacks {sub}");
        }
    }

    fn os(args: &[&str]) -> Vec<std::ffi::OsString> {
        args.iter().map(std::ffi::OsString::from).collect()
    }

    #[test]
    fn the_subcommand_of_a_bad_command_line_is_found() {
        let name = |a: &[&str]| subcommand_name(&os(a));
        assert_eq!(
            name(&["so", "check-health", "--timeout", "-1"]).as_deref(),
            Some("check-health")
        );
        assert_eq!(
            name(&["so", "--dir", "check-health", "-o", "json", "status"]).as_deref(),
            Some("status"),
            "values of global options are not the subcommand"
        );
        assert_eq!(name(&["so", "-q", "--dir=x", "check-health"]).as_deref(), Some("check-health"));
        assert_eq!(name(&["so", "--bogus"]), None);
        assert_eq!(name(&["so", "--", "check-health"]), None);
    }

    #[test]
    fn check_health_usage_errors_are_unknown() {
        assert_eq!(usage_exit_code(2, Some("check-health".into())), 3);
        assert_eq!(usage_exit_code(0, Some("check-health".into())), 0, "--help stays 0");
        assert_eq!(usage_exit_code(2, Some("status".into())), 2);
        assert_eq!(usage_exit_code(2, None), 2);
    }

    #[test]
    fn man_page_renders() {
        let m = man_page().expect("man");
        assert!(m.contains(".TH stellar-obs"));
    }
}
