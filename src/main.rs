use std::process::ExitCode;

fn main() -> ExitCode {
    stellar_obs::run::main()
}
