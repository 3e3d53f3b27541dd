//! The generated `remote_write` block of `prometheus/prometheus.yml` is current with
//! `remote_write:` in `stellar-obs.yml` (both made by `init`, see src/remote_write.rs): a
//! section changed since `init`, a block edited by hand, or a block left after the section
//! was removed each mean Prometheus does not send where the settings say.

use std::path::Path;

use crate::lint::check::Check;
use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::remote_write::{BEGIN, block};
use crate::yaml::Pos;

pub const STALE: &str = "generated/remote-write-stale";

pub const CHECKS: &[Check] = &[Check {
    id: STALE,
    severity: Severity::Warning,
    summary: "The generated remote_write block of prometheus.yml does not match `remote_write:` in stellar-obs.yml (changed since `init`, edited by hand, or left after the section was removed).",
}];

/// Check the stack in `dir` whose `prometheus.yml` holds `prom_text` (shown as `display`).
pub fn check(dir: &Path, display: &str, prom_text: &str, diags: &mut Vec<Diagnostic>) {
    let settings_path = dir.join(crate::settings::SETTINGS_FILE);
    let Ok(text) = crate::fsutil::read_capped_string(&settings_path, crate::yaml::MAX_FILE_BYTES)
    else {
        return;
    };
    // A settings file that does not parse is reported by every command that loads it.
    let Ok(file) = crate::settings::parse_settings_file(&text, &settings_path) else { return };
    let begin = prom_text.lines().position(|l| l == BEGIN).map(|i| i as u32 + 1);
    let help = "run `stellar-obs init` (it rewrites the block from stellar-obs.yml), then reload Prometheus";
    match (&file.remote_write, begin) {
        (Some(rw), _) => {
            let project =
                file.project.clone().unwrap_or_else(|| crate::stack_dir::default_project(dir));
            if prom_text.contains(&block(rw, &project)) {
                return;
            }
            let (pos, what) = match begin {
                Some(line) => (
                    Pos::new(line, 1),
                    "the generated remote_write block differs from `remote_write:` in stellar-obs.yml (changed since, or edited here by hand): Prometheus does not send where the settings say",
                ),
                None => (
                    Pos::new(1, 1),
                    "stellar-obs.yml sets `remote_write:` but this file has no generated remote_write block: Prometheus sends nothing to the central store",
                ),
            };
            diags.push(Diagnostic::warning(display, pos, STALE, what).with_help(help));
        }
        (None, Some(line)) => diags.push(
            Diagnostic::warning(
                display,
                Pos::new(line, 1),
                STALE,
                "a generated remote_write block is here but stellar-obs.yml has no `remote_write:` section (removed?)",
            )
            .with_help(help),
        ),
        (None, None) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::RemoteWrite;

    #[test]
    fn current_stale_missing_and_orphaned_blocks() {
        let d = tempfile::tempdir().expect("tmp");
        let template = crate::templates::text("prometheus/prometheus.yml").expect("t");
        let rw = RemoteWrite::with_url("http://store/api/v1/push");
        let current = crate::remote_write::render(template, Some(&rw), "p");
        let settings = "project: p\nremote_write:\n  url: http://store/api/v1/push\n";
        std::fs::write(d.path().join("stellar-obs.yml"), settings).expect("w");
        let run = |text: &str| {
            let mut diags = Vec::new();
            check(d.path(), "prometheus.yml", text, &mut diags);
            diags
        };
        assert!(run(&current).is_empty(), "{:?}", run(&current));
        let edited = current.replace("max_shards: 10", "max_shards: 11");
        let diags = run(&edited);
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.contains("differs from `remote_write:`"), "{diags:?}");
        assert!(diags[0].line > 100, "points at the block: {diags:?}");
        assert!(run(template)[0].message.contains("no generated remote_write block"));
        std::fs::write(d.path().join("stellar-obs.yml"), "project: p\n").expect("w");
        assert!(run(&current)[0].message.contains("no `remote_write:` section"));
        assert!(run(template).is_empty());
    }
}
