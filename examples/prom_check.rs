//! Check Prometheus config files and print the findings (until `stellar-obs validate`
//! wires the checker in): `cargo run --example prom_check -- [--full] [--agent] FILE...`.
//! Exit code 1 when any file has an error.

use stellar_obs::lint::{Options, Severity, prometheus};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opts = Options {
        check_files: args.iter().any(|a| a == "--full"),
        agent: args.iter().any(|a| a == "--agent"),
        ..Options::default()
    };
    let mut failed = false;
    for file in args.iter().filter(|a| !a.starts_with("--")) {
        let mut diags = Vec::new();
        if let Err(e) = prometheus::check_file(std::path::Path::new(file), file, &opts, &mut diags)
        {
            println!("{file}: cannot read: {e}");
            failed = true;
            continue;
        }
        stellar_obs::lint::diagnostic::sort(&mut diags);
        for d in &diags {
            println!(
                "{}:{}:{}: {} [{}] {}",
                d.path, d.line, d.column, d.severity, d.code, d.message
            );
            if let Some(h) = &d.help {
                println!("    help: {h}");
            }
        }
        failed |= diags.iter().any(|d| d.severity == Severity::Error);
        if diags.is_empty() {
            println!("{file}: ok");
        }
    }
    std::process::exit(i32::from(failed));
}
