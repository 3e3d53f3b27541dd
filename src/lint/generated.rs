//! Generated files are current with their sources. A file that `stellar-obs slo generate`
//! wrote carries marker lines in its header: one per source spec (its path relative to the
//! file and its sha256) and the sha256 of the generated text below the header. `validate`
//! re-hashes both: a spec changed since (the file is stale) or a generated file edited by
//! hand are findings, each saying how to regenerate.
//!
//! The linter needs no knowledge of the generator for this, so `lint` does not depend on
//! `slo` (which depends on `lint` for its diagnostics).

use sha2::{Digest, Sha256};

use crate::lint::check::Check;
use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::lint::source::Source;
use crate::yaml::Pos;

/// `# stellar-obs-generated-from: <path> sha256:<hex>`
pub const FROM: &str = "# stellar-obs-generated-from:";
/// `# stellar-obs-generated-content: sha256:<hex>` (the last header line).
pub const CONTENT: &str = "# stellar-obs-generated-content:";

pub const STALE: &str = "generated/stale";
pub const EDITED: &str = "generated/edited";
pub const SOURCE_MISSING: &str = "generated/source-missing";

pub const CHECKS: &[Check] = &[
    Check {
        id: STALE,
        severity: Severity::Error,
        summary: "A generated file (SLO rules) no longer matches its source spec: the spec changed since it was generated.",
    },
    Check {
        id: EDITED,
        severity: Severity::Error,
        summary: "A generated file was edited by hand: the edit is lost at the next generation.",
    },
    Check {
        id: SOURCE_MISSING,
        severity: Severity::Error,
        summary: "The spec a generated file was made from cannot be read.",
    },
];

/// Check `src` when it is a generated file; nothing otherwise.
pub fn check(src: &Source, diags: &mut Vec<Diagnostic>) {
    let mut content_marker: Option<(usize, u32, String)> = None;
    let mut sources: Vec<(u32, String, String)> = Vec::new();
    let mut offset = 0usize;
    for (i, line) in src.text.split_inclusive('\n').enumerate().take(40) {
        let n = i as u32 + 1;
        let l = line.trim_end();
        offset += line.len();
        if let Some(rest) = l.strip_prefix(FROM) {
            if let Some((p, h)) = rest.trim().rsplit_once(" sha256:") {
                sources.push((n, p.trim().to_string(), h.trim().to_string()));
            }
        } else if let Some(rest) = l.strip_prefix(CONTENT) {
            let h = rest.trim().strip_prefix("sha256:").unwrap_or("").to_string();
            content_marker = Some((offset, n, h));
            break;
        }
    }
    let Some((body_start, line, want)) = content_marker else { return };
    let command = src
        .text
        .lines()
        .nth(1)
        .and_then(|l| l.strip_prefix("#   "))
        .map(str::to_string)
        .unwrap_or_else(|| "stellar-obs slo generate".into());
    let body = &src.text[body_start..];
    if hex::encode(Sha256::digest(body.as_bytes())) != want {
        diags.push(
            Diagnostic::error(
                &src.display,
                Pos::new(line + 1, 1),
                EDITED,
                "this generated file was edited by hand since it was generated",
            )
            .with_help(format!("change the SLO spec instead, then regenerate: {command}")),
        );
    }
    for (n, rel, sha) in sources {
        let path = src.base_dir().join(&rel);
        match crate::fsutil::read_capped(&path, crate::yaml::MAX_FILE_BYTES) {
            Ok(bytes) if hex::encode(Sha256::digest(&bytes)) == sha => {}
            Ok(_) => diags.push(
                Diagnostic::error(
                    &src.display,
                    Pos::new(n, 1),
                    STALE,
                    format!("{rel} changed since these rules were generated from it"),
                )
                .with_help(format!("regenerate: {command}")),
            ),
            Err(e) => diags.push(Diagnostic::error(
                &src.display,
                Pos::new(n, 1),
                SOURCE_MISSING,
                format!(
                    "cannot read {rel}, the spec these rules were generated from: {}",
                    crate::output::without_os_error_codes(&e.to_string())
                ),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha(s: &str) -> String {
        hex::encode(Sha256::digest(s.as_bytes()))
    }

    #[test]
    fn stale_edited_and_current() {
        let dir = tempfile::tempdir().expect("tmp");
        let spec = "version: x\n";
        std::fs::write(dir.path().join("spec.yml"), spec).expect("write");
        let body = "groups: []\n";
        let file = |spec_sha: &str, body_text: &str| {
            format!(
                "# g\n#   stellar-obs slo generate spec.yml --out r.yml\n{FROM} spec.yml sha256:{spec_sha}\n{CONTENT} sha256:{}\n{body_text}",
                sha(body)
            )
        };
        let run = |text: String| {
            let src = Source::new("r.yml", dir.path().join("r.yml"), text);
            let mut d = Vec::new();
            check(&src, &mut d);
            d
        };
        assert!(run(file(&sha(spec), body)).is_empty());
        let d = run(file(&sha("old"), body));
        assert_eq!((d[0].code, d[0].line), (STALE, 3), "{d:?}");
        assert!(d[0].help.as_deref().is_some_and(|h| h.contains("slo generate spec.yml")));
        let d = run(file(&sha(spec), "groups: [x]\n"));
        assert_eq!(d[0].code, EDITED);
        std::fs::remove_file(dir.path().join("spec.yml")).expect("rm");
        assert_eq!(run(file(&sha(spec), body))[0].code, SOURCE_MISSING);
        assert!(run("groups: []\n".into()).is_empty(), "not a generated file");
    }
}
