//! Files a Prometheus config refers to: `rule_files` (patterns; non-glob entries must
//! exist in a full check), `file_sd_configs` files (a missing one is a warning, as in
//! promtool; present ones are parsed as target groups and their targets checked), and the
//! patterns' own syntax.

use std::path::Path;

use crate::yaml::{Node, Pos};

use super::alerting::{self, AmTarget};
use super::code;
use super::cx::{Cx, Sp};
use super::scrape::{self, ScrapeJob};
use super::sd::{self, TargetGroup};
use super::values;

/// `^[^*]*(\*[^/]*)?$`, the rule-file / scrape-config-file pattern rule.
pub fn valid_pattern(p: &str) -> bool {
    sd::valid_star_path(p)
}

/// `rule_files`: patterns as written (for [`super::PromFacts`]) and, in a full check,
/// whether each non-glob entry exists.
/// Rule-file patterns as written, and the files they match.
pub type RuleFiles = (Vec<(String, Pos)>, Vec<(std::path::PathBuf, Pos)>);

pub fn check_rule_files(cx: &mut Cx<'_>, list: &[Sp<&str>]) -> RuleFiles {
    let mut patterns = Vec::with_capacity(list.len());
    let mut paths = Vec::new();
    for rf in list {
        if !valid_pattern(rf.v) {
            cx.err_help(
                rf.pos,
                code::FILE_PATTERN,
                format!("invalid rule file path {:?}", rf.v),
                "`*` may appear only in the last path element, e.g. rules/*.yml",
            );
            continue;
        }
        patterns.push((rf.v.to_string(), rf.pos));
        let full = cx.resolve(rf.v);
        let full_s = full.to_string_lossy().into_owned();
        match values::glob(&full_s) {
            Err(values::BadPattern) => cx.err(
                rf.pos,
                code::FILE_PATTERN,
                format!("invalid rule file path {:?}: syntax error in pattern", rf.v),
            ),
            Ok(found) => {
                if found.is_empty() && !rf.v.contains('*') && cx.opts.check_files {
                    let msg = format!(
                        "{:?} does not point to an existing file (looked for {full_s})",
                        rf.v
                    );
                    match near_rule_file(rf.v, &full) {
                        Some(s) => cx.err_help(
                            rf.pos,
                            code::FILE_MISSING,
                            msg,
                            format!("did you mean `{s}`?"),
                        ),
                        None => cx.err(rf.pos, code::FILE_MISSING, msg),
                    }
                } else if found.is_empty()
                    && cx.opts.check_files
                    && let Some(s) = near_rule_file(rf.v, &full)
                {
                    // Prometheus accepts a glob that matches nothing; one that nearly
                    // matches a rule file is most likely a typo.
                    cx.diags.push(
                        crate::lint::Diagnostic::warning(
                            cx.path,
                            rf.pos,
                            code::RULE_FILES_NO_MATCH,
                            format!("{:?} matches no file (looked for {full_s})", rf.v),
                        )
                        .with_help(format!("did you mean `{s}`?")),
                    );
                }
                paths.extend(found.into_iter().map(|p| (p, rf.pos)));
            }
        }
    }
    (patterns, paths)
}

/// Rule-file names in the directory of `full` (a missing file or a glob that matches
/// nothing) that are a likely typo away: the entry as the user would write it with the
/// closest one, e.g. `stellar_alerts.yml` for `stellar_alert.yml`, `rules/*.yml` for
/// `rules/*.yaml`.
fn near_rule_file(entry: &str, full: &Path) -> Option<String> {
    let written = entry.rsplit_once('/').map_or(entry, |(_, n)| n);
    let dir = full.parent()?;
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".yml") || n.ends_with(".yaml"))
        .take(1000)
        .collect();
    names.sort();
    let fixed = match written.split_once('*') {
        None => {
            let known: Vec<&str> = names.iter().map(String::as_str).collect();
            crate::suggest::did_you_mean(written, &known)?.to_string()
        }
        Some((pre, suf)) => nearest_instance(pre, suf, &names)?,
    };
    let head = &entry[..entry.len() - written.len()];
    Some(format!("{head}{fixed}"))
}

/// The glob `pre*suf` changed as little as possible so that it matches one of `names`,
/// when a small change (a likely typo) is enough.
fn nearest_instance(pre: &str, suf: &str, names: &[String]) -> Option<String> {
    let limit = ((pre.chars().count() + suf.chars().count()) / 3).max(1);
    let mut best: Option<(usize, String)> = None;
    for n in names {
        let chars: Vec<char> = n.chars().collect();
        for i in 0..=chars.len() {
            let head: String = chars[..i].iter().collect();
            let dp = crate::suggest::distance(pre, &head);
            if dp > limit {
                continue;
            }
            for j in i..=chars.len() {
                let tail: String = chars[j..].iter().collect();
                let d = dp + crate::suggest::distance(suf, &tail);
                if d > 0 && d <= limit && best.as_ref().is_none_or(|(bd, _)| d < *bd) {
                    best = Some((d, format!("{head}*{tail}")));
                }
            }
        }
    }
    best.map(|(_, s)| s)
}

/// Expand a file pattern of a discovery config; `None` for a malformed pattern.
fn expand(cx: &mut Cx<'_>, pat: &Sp<String>) -> Option<Vec<std::path::PathBuf>> {
    let full = cx.resolve(&pat.v).to_string_lossy().into_owned();
    match values::glob(&full) {
        Ok(v) => Some(v),
        Err(values::BadPattern) => {
            cx.err(pat.pos, code::FILE_PATTERN, format!("syntax error in pattern {:?}", pat.v));
            None
        }
    }
}

/// The target groups of a file_sd file, reported in that file.
fn read_target_groups(cx: &mut Cx<'_>, path: &Path) -> Option<(String, Vec<TargetGroup>)> {
    let display = values::display_near(cx.path, cx.base, path);
    let text = match crate::fsutil::read_capped_string(path, crate::yaml::MAX_FILE_BYTES) {
        Ok(t) => t,
        Err(e) => {
            cx.diags.push(crate::lint::Diagnostic::error(
                display.as_str(),
                Pos::new(1, 1),
                code::FILE_SD,
                format!("cannot read file_sd file: {e}"),
            ));
            return None;
        }
    };
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    if ext == "json"
        && let Err(e) = serde_json::from_str::<serde_json::Value>(&text)
    {
        cx.diags.push(crate::lint::Diagnostic::error(
            display.as_str(),
            Pos::new(e.line() as u32, e.column() as u32),
            code::FILE_SD,
            format!("invalid JSON: {e}"),
        ));
        return None;
    }
    let tree = match crate::yaml::parse(&text) {
        Ok(t) => t,
        Err(e) if ext == "json" => {
            // Valid JSON the YAML reader cannot position: nothing more to check.
            let _ = e;
            return None;
        }
        Err(e) => {
            cx.diags.push(crate::lint::Diagnostic::error(
                display.as_str(),
                e.pos,
                "yaml/syntax",
                e.message,
            ));
            return None;
        }
    };
    let base = crate::fsutil::parent_dir(path);
    let mut sub = cx.for_file(&display, &base);
    let items: &[Node] = sub.list(&tree, "file_sd target groups")?;
    let mut groups = Vec::with_capacity(items.len());
    for (i, it) in items.iter().enumerate() {
        if it.is_null() {
            sub.err(it.pos, code::FILE_SD, format!("nil target group item found (index {i})"));
            continue;
        }
        if let Some(tg) = sd::target_group(&mut sub, it, "target group") {
            groups.push(tg);
        }
    }
    Some((display, groups))
}

/// In a full check: each file_sd pattern must match a file (a warning otherwise, worded by
/// `missing`); the target groups of every matching file go to `check`, in that file's own
/// context, when the targets' relabelling is usable (`relabel_ok`).
fn each_file_sd(
    cx: &mut Cx<'_>,
    patterns: &[Sp<String>],
    missing: impl Fn(&str) -> String,
    relabel_ok: bool,
    mut check: impl FnMut(&mut Cx<'_>, &[TargetGroup], &str),
) {
    if !cx.opts.check_files {
        return;
    }
    for pat in patterns {
        let Some(found) = expand(cx, pat) else { continue };
        if found.is_empty() {
            cx.warn(pat.pos, code::FILE_SD_MISSING, missing(&pat.v));
            continue;
        }
        for path in found {
            // Read once however many jobs name the file; each job checks its targets.
            let cached = cx.file_sd.borrow().get(&path).cloned();
            let read = match cached {
                Some(r) => r,
                None => {
                    let r = read_target_groups(cx, &path).map(std::rc::Rc::new);
                    cx.file_sd.borrow_mut().insert(path.clone(), r.clone());
                    r
                }
            };
            let Some(read) = read else { continue };
            if !relabel_ok {
                continue;
            }
            let (display, groups) = &*read;
            let base = crate::fsutil::parent_dir(&path);
            check(&mut cx.for_file(display, &base), groups, display);
        }
    }
}

/// The file_sd files of a scrape job: their targets are checked like static ones.
pub fn check_scrape_file_sd(cx: &mut Cx<'_>, job: &ScrapeJob) {
    let missing =
        |p: &str| format!("file {p:?} for file_sd in scrape job {:?} does not exist", job.name);
    each_file_sd(cx, &job.file_patterns, missing, job.relabel_ok, |sub, groups, display| {
        for (gi, tg) in groups.iter().enumerate() {
            scrape::check_scrape_targets(
                sub,
                tg,
                gi,
                &job.labels,
                &job.relabel,
                job.scheme,
                Some(display),
            );
        }
    });
}

/// The same for the file_sd files of an Alertmanager config.
pub fn check_am_file_sd(cx: &mut Cx<'_>, patterns: &[Sp<String>], am: &AmTarget) {
    let missing = |p: &str| format!("file {p:?} for file_sd in alertmanager config does not exist");
    each_file_sd(cx, patterns, missing, am.relabel_ok, |sub, groups, display| {
        for tg in groups {
            alerting::check_am_targets(sub, tg, am, Some(display));
        }
    });
}
