//! Prometheus rule files (`rulefmt`, Prometheus 3.x): the strict schema, the checks
//! `promtool check rules` makes (group names, record/alert, PromQL, names, templates), and
//! duplicate rules, also across files. Each finding points at the offending value.

use std::collections::{BTreeMap, HashMap};

use crate::lint::Options;
use crate::lint::check::Check;
use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::lint::gotemplate;
use crate::lint::promql;
use crate::lint::schema::values::legacy_label_name;
use crate::lint::schema::{Ctx, MISSING_FIELD};
use crate::lint::source::Source;
use crate::lint::span::node_value_pos;
use crate::yaml::{Node, Pos};

pub const GROUP_NAME: &str = "rules/group-name";
pub const RECORD_OR_ALERT: &str = "rules/record-or-alert";
pub const PROMQL_SYNTAX: &str = "rules/promql-syntax";
pub const PROMQL_EXPERIMENTAL: &str = "rules/promql-experimental";
pub const RECORD_NAME: &str = "rules/record-name";
pub const RECORDING_FIELD: &str = "rules/recording-rule-field";
pub const LABEL_NAME: &str = "rules/label-name";
pub const ANNOTATION_NAME: &str = "rules/annotation-name";
pub const TEMPLATE: &str = "rules/template";
pub const DUPLICATE: &str = "rules/duplicate";

/// The checks of this module.
pub const CHECKS: &[Check] = &[
    Check {
        id: GROUP_NAME,
        severity: Severity::Error,
        summary: "A rule group's name is empty or repeated in the same file.",
    },
    Check {
        id: RECORD_OR_ALERT,
        severity: Severity::Error,
        summary: "A rule must have exactly one of `record` and `alert`.",
    },
    Check {
        id: PROMQL_SYNTAX,
        severity: Severity::Error,
        summary: "A rule's `expr` is not valid PromQL (syntax, unknown function, argument types).",
    },
    Check {
        id: PROMQL_EXPERIMENTAL,
        severity: Severity::Warning,
        summary: "The expression calls an experimental function that Prometheus only accepts with --enable-feature=promql-experimental-functions.",
    },
    Check {
        id: RECORD_NAME,
        severity: Severity::Error,
        summary: "A recording rule's name is not a valid metric name (braces, empty; non-legacy characters are a warning).",
    },
    Check {
        id: RECORDING_FIELD,
        severity: Severity::Error,
        summary: "`for`, `keep_firing_for` or `annotations` on a recording rule.",
    },
    Check {
        id: LABEL_NAME,
        severity: Severity::Error,
        summary: "An invalid label name (`__name__`, empty, or non-legacy characters under legacy validation).",
    },
    Check {
        id: ANNOTATION_NAME,
        severity: Severity::Error,
        summary: "An invalid annotation name.",
    },
    Check {
        id: TEMPLATE,
        severity: Severity::Error,
        summary: "An alert's label or annotation is not a valid Go template for Prometheus (syntax, unknown function, undefined variable).",
    },
    Check {
        id: DUPLICATE,
        severity: Severity::Warning,
        summary: "Two rules with the same name and labels (in one file or across the stack's rule files).",
    },
];

/// Alerting or recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    Alert,
    Record,
}

/// What other checks need to know about one rule.
#[derive(Debug, Clone)]
pub struct RuleInfo {
    pub kind: RuleKind,
    pub name: String,
    /// Where the name (`alert:`/`record:` value) is written.
    pub pos: Pos,
    /// Group labels merged with the rule's labels (the rule's win), with value positions.
    pub labels: BTreeMap<String, (String, Pos)>,
    /// Metric names the expression selects, with their positions in the file.
    pub metrics: Vec<(String, Pos)>,
    /// Labels named in `by`/`on`/`group_left` clauses of the expression.
    pub grouping_labels: Vec<String>,
}

/// What a rule file defines.
#[derive(Debug, Clone, Default)]
pub struct RuleFacts {
    pub rules: Vec<RuleInfo>,
}

const TOP_FIELDS: &[&str] = &["groups"];
const GROUP_FIELDS: &[&str] = &["name", "interval", "query_offset", "limit", "rules", "labels"];
const RULE_FIELDS: &[&str] =
    &["record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"];

/// Check a parsed rule file.
pub fn check_file(
    src: &Source,
    tree: &Node,
    opts: &Options,
    diags: &mut Vec<Diagnostic>,
) -> RuleFacts {
    let mut facts = RuleFacts::default();
    let mut ctx = Ctx::new(&src.display, diags);
    let Some(top) = ctx.map(tree, "rule file", TOP_FIELDS) else {
        return facts;
    };
    // Like an empty file, a mapping without `groups` (`{}`, `groups:`) decodes to zero
    // groups in Prometheus (promtool: 0 rules, success).
    let Some(groups_node) = top.get("groups") else {
        return facts;
    };
    let Some(groups) = ctx.list(groups_node, "groups") else { return facts };
    let mut analysed = analyse_all(groups);
    let mut names: HashMap<&str, Pos> = HashMap::new();
    for g in groups {
        let Some(gf) = ctx.map(g, "rule group", GROUP_FIELDS) else { continue };
        let name = match gf.get("name") {
            Some(n) => ctx.string(n, "group name").unwrap_or(""),
            None => "",
        };
        let gpos = gf.get("name").map_or(g.pos, |n| n.pos);
        if name.is_empty() {
            ctx.error(g.pos, GROUP_NAME, "group name must not be empty");
        } else if let Some(first) = names.get(name) {
            ctx.push(
                Diagnostic::error(
                    &src.display,
                    gpos,
                    GROUP_NAME,
                    format!("groupname: \"{name}\" is repeated in the same file"),
                )
                .with_help(format!("the first group with this name is at line {}", first.line)),
            );
        } else {
            names.insert(name, gpos);
        }
        for f in ["interval", "query_offset"] {
            if let Some(n) = gf.get(f) {
                ctx.duration(n, &format!("group {f}"));
            }
        }
        if let Some(n) = gf.get("limit") {
            ctx.int(n, "group limit", i64::MIN, i64::MAX);
        }
        let mut group_labels: BTreeMap<String, (String, Pos)> = BTreeMap::new();
        if let Some(l) = gf.get("labels") {
            labels(&mut ctx, l, opts, "group label", &mut group_labels);
        }
        let Some(rules) = gf.get("rules").and_then(|r| ctx.list(r, "rules")) else { continue };
        for r in rules {
            if let Some(info) = rule(&mut ctx, src, r, opts, &group_labels, &mut analysed) {
                facts.rules.push(info);
            }
        }
    }
    facts
}

/// PromQL results by the address of the `expr` node they belong to.
type Analysed = HashMap<usize, Result<promql::ExprFacts, promql::PromqlError>>;

/// Below this many expressions one thread parses them all.
const PARALLEL_MIN: usize = 256;

fn node_key(n: &Node) -> usize {
    n as *const Node as usize
}

/// Parse every rule's expression up front, on all cores when there are many.
fn analyse_all(groups: &[Node]) -> Analysed {
    let mut exprs: Vec<(usize, &str)> = Vec::new();
    for g in groups {
        for r in g.get("rules").and_then(Node::as_seq).unwrap_or(&[]) {
            if let Some(e) = r.get("expr").filter(|e| !e.is_null())
                && let Some(s) = e.scalar_text()
                && !s.trim().is_empty()
            {
                exprs.push((node_key(e), s));
            }
        }
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(exprs.len() / PARALLEL_MIN + 1);
    if threads <= 1 {
        return exprs.into_iter().map(|(k, s)| (k, promql::analyse(s))).collect();
    }
    let chunk = exprs.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = exprs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter().map(|(k, s)| (*k, promql::analyse(s))).collect::<Vec<_>>()
                })
            })
            .collect();
        let mut out = Analysed::with_capacity(exprs.len());
        for h in handles {
            // A thread that panicked leaves its expressions out: `rule` parses those again
            // on this thread.
            if let Ok(v) = h.join() {
                out.extend(v);
            }
        }
        out
    })
}

fn labels(
    ctx: &mut Ctx<'_>,
    node: &Node,
    opts: &Options,
    what: &str,
    out: &mut BTreeMap<String, (String, Pos)>,
) {
    let Some(entries) = ctx.free_map(node, what) else { return };
    for (k, v) in entries {
        check_label_name(ctx, &k.name, k.pos, opts, LABEL_NAME, "label");
        let value = ctx.string(v, what).unwrap_or("").to_string();
        out.insert(k.name.clone(), (value, v.pos));
    }
}

/// A classic metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*` (label names: see
/// `schema::values::legacy_label_name`).
fn legacy_metric_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

fn check_label_name(
    ctx: &mut Ctx<'_>,
    name: &str,
    pos: Pos,
    opts: &Options,
    code: &'static str,
    what: &str,
) {
    if name.is_empty() || (what == "label" && name == "__name__") {
        ctx.error(pos, code, format!("invalid {what} name: {name}"));
    } else if !legacy_label_name(name) {
        if opts.legacy_names {
            ctx.error(pos, code, format!("invalid {what} name: {name}"));
        } else {
            ctx.push(
                Diagnostic::warning(
                    ctx.path,
                    pos,
                    code,
                    format!("{what} name `{name}` needs UTF-8 name support (Prometheus 3.0 or newer)"),
                )
                .with_help("use letters, digits and `_` only to work with every Prometheus version and tool"),
            );
        }
    }
}

fn rule(
    ctx: &mut Ctx<'_>,
    src: &Source,
    r: &Node,
    opts: &Options,
    group_labels: &BTreeMap<String, (String, Pos)>,
    analysed: &mut Analysed,
) -> Option<RuleInfo> {
    let rf = ctx.map(r, "rule", RULE_FIELDS)?;
    let record = rf.get("record").and_then(|n| ctx.string(n, "record").map(|s| (s, n)));
    let alert = rf.get("alert").and_then(|n| ctx.string(n, "alert").map(|s| (s, n)));
    let record = record.filter(|(s, _)| !s.is_empty());
    let alert = alert.filter(|(s, _)| !s.is_empty());
    let (kind, name, name_node) = match (record, alert) {
        (Some((_, rn)), Some(_)) => {
            ctx.error(rn.pos, RECORD_OR_ALERT, "only one of 'record' and 'alert' must be set");
            return None;
        }
        (None, None) => {
            ctx.error(r.pos, RECORD_OR_ALERT, "one of 'record' or 'alert' must be set");
            None
        }
        (Some((s, n)), None) => Some((RuleKind::Record, s, n)),
        (None, Some((s, n))) => Some((RuleKind::Alert, s, n)),
    }
    .map_or((None, "", None), |(k, s, n)| (Some(k), s, Some(n)));

    // The expression.
    let mut info_metrics = Vec::new();
    let mut grouping = Vec::new();
    match rf.get("expr") {
        None => ctx.error(r.pos, MISSING_FIELD, "field 'expr' must be set in rule"),
        Some(en) => {
            if let Some(expr) = ctx.string(en, "expr") {
                if expr.trim().is_empty() {
                    ctx.error(en.pos, MISSING_FIELD, "field 'expr' must be set in rule");
                } else {
                    let result =
                        analysed.remove(&node_key(en)).unwrap_or_else(|| promql::analyse(expr));
                    match result {
                        Err(e) => {
                            let pos =
                                e.offset.map_or(en.pos, |o| node_value_pos(&src.text, en, expr, o));
                            ctx.error(
                                pos,
                                PROMQL_SYNTAX,
                                format!("could not parse expression: {}", e.message),
                            );
                        }
                        Ok(f) => {
                            for func in &f.experimental {
                                let at = promql::find_word(expr, func).unwrap_or(0);
                                ctx.push(
                                    Diagnostic::warning(
                                        ctx.path,
                                        node_value_pos(&src.text, en, expr, at),
                                        PROMQL_EXPERIMENTAL,
                                        format!("`{func}` is an experimental PromQL function"),
                                    )
                                    .with_help("Prometheus needs --enable-feature=promql-experimental-functions to load this rule"),
                                );
                            }
                            for m in f.metrics {
                                let at = promql::find_metric(expr, &m).unwrap_or(0);
                                let pos = node_value_pos(&src.text, en, expr, at);
                                info_metrics.push((m, pos));
                            }
                            grouping = f.grouping_labels;
                        }
                    }
                }
            }
        }
    }

    for f in ["for", "keep_firing_for"] {
        if let Some(n) = rf.get(f) {
            let ms = ctx.duration(n, f);
            if kind == Some(RuleKind::Record) && ms.is_some_and(|v| v != 0) {
                ctx.error(
                    rf.key_pos(f).unwrap_or(n.pos),
                    RECORDING_FIELD,
                    format!("invalid field '{f}' in recording rule {name:?}"),
                );
            }
        }
    }

    let mut labels_map = group_labels.clone();
    if let Some(l) = rf.get("labels") {
        let mut own = BTreeMap::new();
        labels(ctx, l, opts, "label", &mut own);
        if kind == Some(RuleKind::Alert) {
            for (k, (v, p)) in &own {
                template(ctx, src, l.get(k).unwrap_or(l), v, *p, &format!("label {k:?}"));
            }
        }
        labels_map.extend(own);
    }
    if let Some(a) = rf.get("annotations")
        && let Some(entries) = ctx.free_map(a, "annotations")
    {
        if kind == Some(RuleKind::Record) && !entries.is_empty() {
            ctx.error(
                rf.key_pos("annotations").unwrap_or(a.pos),
                RECORDING_FIELD,
                format!("invalid field 'annotations' in recording rule {name:?}"),
            );
        }
        for (k, v) in entries {
            check_label_name(ctx, &k.name, k.pos, opts, ANNOTATION_NAME, "annotation");
            if let Some(text) = ctx.string(v, "annotation")
                && kind == Some(RuleKind::Alert)
            {
                template(ctx, src, v, text, v.pos, &format!("annotation {:?}", k.name));
            }
        }
    }

    if kind == Some(RuleKind::Record)
        && let Some(nn) = name_node
    {
        if name.contains('{') || name.contains('}') {
            ctx.error(
                nn.pos,
                RECORD_NAME,
                format!("braces present in the recording rule name; should it be in expr?: {name}"),
            );
        } else if !legacy_metric_name(name) {
            if opts.legacy_names {
                ctx.error(nn.pos, RECORD_NAME, format!("invalid recording rule name: {name}"));
            } else {
                ctx.push(
                    Diagnostic::warning(
                        ctx.path,
                        nn.pos,
                        RECORD_NAME,
                        format!("recording rule name `{name}` is not a classic metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)"),
                    )
                    .with_help("such names need UTF-8 support (Prometheus 3.0+) and quoting in every query"),
                );
            }
        }
    }

    let kind = kind?;
    let name_node = name_node?;
    Some(RuleInfo {
        kind,
        name: name.to_string(),
        pos: name_node.pos,
        labels: labels_map,
        metrics: info_metrics,
        grouping_labels: grouping,
    })
}

/// Check one label or annotation value as a Prometheus alert template.
fn template(ctx: &mut Ctx<'_>, src: &Source, node: &Node, text: &str, pos: Pos, what: &str) {
    if !text.contains("{{") {
        return;
    }
    for issue in gotemplate::scan(text, gotemplate::Funcs::Prometheus).1 {
        let at = if node.scalar_text() == Some(text) {
            // Errors at the end of the text (an unclosed action) point at its last character.
            let off = gotemplate::issue_offset(text, &issue).min(text.len().saturating_sub(1));
            let off = (0..=off).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
            node_value_pos(&src.text, node, text, off)
        } else {
            pos
        };
        ctx.error(at, TEMPLATE, format!("{what}: template: {}", issue.message));
    }
}

/// Warn about rules with the same name and labels, within and across files. `files` are
/// (path, facts) in the order the user gave them; the later duplicate is reported.
pub fn duplicates(files: &[(&str, &RuleFacts)], diags: &mut Vec<Diagnostic>) {
    type Key<'a> = (&'a str, Vec<(&'a str, &'a str)>);
    let mut seen: HashMap<Key<'_>, (&str, Pos)> = HashMap::new();
    for (path, facts) in files {
        for r in &facts.rules {
            let key: Key<'_> = (
                r.name.as_str(),
                r.labels.iter().map(|(k, (v, _))| (k.as_str(), v.as_str())).collect(),
            );
            match seen.get(&key) {
                Some((fp, fpos)) => {
                    let where_ = if fp == path {
                        format!("line {}", fpos.line)
                    } else {
                        format!("{fp}:{}", fpos.line)
                    };
                    diags.push(
                        Diagnostic::warning(
                            *path,
                            r.pos,
                            DUPLICATE,
                            format!(
                                "duplicate rule: `{}` with the same labels is already defined at {where_}",
                                r.name
                            ),
                        )
                        .with_help("give the rules different labels or remove one"),
                    );
                }
                None => {
                    seen.insert(key, (path, r.pos));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
