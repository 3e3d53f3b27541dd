//! Relabelling rules (`relabel_configs`, `metric_relabel_configs`, `write_relabel_configs`,
//! `alert_relabel_configs`): decoding with the loader's defaults, the per-action
//! constraints of `relabel.Config.Validate`, and an engine that applies rules to a label
//! set (used to check static targets the way promtool does).

use std::collections::BTreeMap;

use md5::{Digest, Md5};
use regex::Regex;

use crate::lint::schema;
use crate::yaml::{Node, Pos};

use super::code;
use super::cx::Cx;
use super::values::{self, NameScheme};

const FIELDS: &[&str] =
    &["source_labels", "separator", "regex", "modulus", "target_label", "replacement", "action"];

pub const ACTIONS: &[&str] = &[
    "replace",
    "keep",
    "drop",
    "keepequal",
    "dropequal",
    "hashmod",
    "labelmap",
    "labeldrop",
    "labelkeep",
    "lowercase",
    "uppercase",
];

/// One decoded relabelling rule with the positions of what it sets.
#[derive(Debug, Clone)]
pub struct Relabel {
    pub pos: Pos,
    /// `None` when not set (Go's nil slice); `Some(vec![])` for `[]`.
    pub source_labels: Option<Vec<String>>,
    pub source_pos: Option<Pos>,
    pub separator: String,
    pub separator_pos: Option<Pos>,
    /// The compiled, anchored regex (`(.*)` unless set).
    pub regex: Regex,
    /// Where `regex` is set (also when set to null); `None`: the default.
    pub regex_pos: Option<Pos>,
    pub modulus: u64,
    pub modulus_pos: Option<Pos>,
    pub target_label: String,
    /// Key and value positions of `target_label`.
    pub target_pos: Option<Pos>,
    pub target_val: Option<Pos>,
    pub replacement: String,
    pub replacement_pos: Option<Pos>,
    pub replacement_val: Option<Pos>,
    /// Lower-cased action; "" when explicitly null.
    pub action: String,
    pub action_pos: Option<Pos>,
}

/// Decode a list of relabelling rules. `null_msg` is the loader's message for a null
/// entry ("empty or null target relabeling rule"). Invalid rules are reported and left
/// out.
pub fn parse_list(cx: &mut Cx<'_>, node: &Node, what: &str, null_msg: &str) -> Vec<Relabel> {
    let Some(items) = cx.list(node, what) else { return Vec::new() };
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        if it.is_null() {
            cx.err(it.pos, code::EMPTY_SECTION, null_msg);
            continue;
        }
        if let Some(r) = parse(cx, it) {
            out.push(r);
        }
    }
    out
}

/// [`parse_list`], then every rule validated under `scheme`: the rules, and whether every
/// entry is a valid rule (targets can only be checked through a relabelling that is).
pub fn check_list(
    cx: &mut Cx<'_>,
    node: &Node,
    what: &str,
    null_msg: &str,
    scheme: NameScheme,
) -> (Vec<Relabel>, bool) {
    let len = node.as_seq().map_or(0, <[Node]>::len);
    let rules = parse_list(cx, node, what, null_msg);
    let mut ok = rules.len() == len;
    for r in &rules {
        ok &= validate(cx, r, scheme);
    }
    (rules, ok)
}

fn parse(cx: &mut Cx<'_>, node: &Node) -> Option<Relabel> {
    let f = cx.map(node, "relabel config", FIELDS)?;
    let mark = cx.diags.len();
    let default_regex = default_regex()?;
    let mut r = Relabel {
        pos: node.pos,
        source_labels: None,
        source_pos: None,
        separator: ";".into(),
        separator_pos: None,
        regex: default_regex,
        regex_pos: None,
        modulus: 0,
        modulus_pos: None,
        target_label: String::new(),
        target_pos: None,
        target_val: None,
        replacement: "$1".into(),
        replacement_pos: None,
        replacement_val: None,
        action: "replace".into(),
        action_pos: None,
    };
    // Explicit nulls set Go's zero value, overriding the defaults.
    for (k, v) in f.entries() {
        if !v.is_null() {
            continue;
        }
        match k.name.as_str() {
            "separator" => {
                r.separator.clear();
                r.separator_pos = Some(k.pos);
            }
            "replacement" => {
                r.replacement.clear();
                r.replacement_pos = Some(k.pos);
            }
            "action" => {
                r.action.clear();
                r.action_pos = Some(k.pos);
            }
            "regex" => {
                r.regex = values::compile_anchored("", values::Anchor::WholeDotNl).ok()?;
                r.regex_pos = Some(k.pos);
            }
            _ => {}
        }
    }
    if let Some(s) = cx.strs(&f, "source_labels") {
        r.source_pos = Some(s.key);
        let mut names = Vec::with_capacity(s.v.len());
        for l in s.v {
            if l.v.is_empty() {
                cx.err(l.pos, code::LABEL_NAME, format!("{:?} is not a valid label name", l.v));
            }
            names.push(l.v.to_string());
        }
        r.source_labels = Some(names);
    }
    if let Some(s) = cx.str(&f, "separator") {
        r.separator = s.v.to_string();
        r.separator_pos = Some(s.key);
    }
    if let Some(s) = cx.str(&f, "regex") {
        r.regex_pos = Some(s.key);
        match values::compile_anchored(s.v, values::Anchor::WholeDotNl) {
            Ok(re) => r.regex = re,
            Err(e) => {
                cx.err(s.pos, code::REGEX, e);
            }
        }
    }
    if let Some(m) = cx.uint(&f, "modulus") {
        r.modulus = m.v;
        r.modulus_pos = Some(m.key);
    }
    if let Some(s) = cx.str(&f, "target_label") {
        r.target_label = s.v.to_string();
        r.target_pos = Some(s.key);
        r.target_val = Some(s.pos);
    }
    if let Some(s) = cx.str(&f, "replacement") {
        r.replacement = s.v.to_string();
        r.replacement_pos = Some(s.key);
        r.replacement_val = Some(s.pos);
    }
    if let Some(a) = cx.str(&f, "action") {
        r.action_pos = Some(a.key);
        let lower = a.v.to_lowercase();
        if ACTIONS.contains(&lower.as_str()) {
            r.action = lower;
        } else {
            let mut d = crate::lint::Diagnostic::error(
                cx.path,
                a.pos,
                code::RELABEL,
                format!("unknown relabel action {:?}", a.v),
            );
            if let Some(h) = schema::did_you_mean(&lower, ACTIONS) {
                d = d.with_help(format!("did you mean `{h}`?"));
            }
            d = if d.help.is_none() {
                d.with_help(format!("actions: {}", ACTIONS.join(", ")))
            } else {
                d
            };
            cx.diags.push(d);
            return None;
        }
    }
    (!cx.errors_since(mark)).then_some(r)
}

/// `relabel.Config.Validate` with the name validation scheme in force; reports at the
/// field concerned. Returns whether the rule is valid.
pub fn validate(cx: &mut Cx<'_>, r: &Relabel, scheme: NameScheme) -> bool {
    let act = r.action.as_str();
    let at = |p: Option<Pos>| p.unwrap_or(r.pos);
    if act.is_empty() {
        cx.err(at(r.action_pos), code::RELABEL, "relabel action cannot be empty");
        return false;
    }
    let mut ok = true;
    if act == "hashmod" && r.modulus == 0 {
        cx.err_help(
            at(r.modulus_pos),
            code::RELABEL,
            "relabel configuration for hashmod requires non-zero modulus",
            "set `modulus:` to the number of shards",
        );
        ok = false;
    }
    let needs_target = matches!(
        act,
        "replace" | "hashmod" | "lowercase" | "uppercase" | "keepequal" | "dropequal"
    );
    if needs_target && r.target_label.is_empty() {
        cx.err(
            at(r.target_pos),
            code::RELABEL,
            format!("relabel configuration for {act} action requires 'target_label' value"),
        );
        ok = false;
    } else {
        let with_var = |s: &str| match scheme {
            NameScheme::Utf8 => scheme.valid_label_name(s),
            NameScheme::Legacy => values::legacy_relabel_target(s),
        };
        let target_ok = match act {
            "replace" => {
                if r.target_label.contains('$') {
                    with_var(&r.target_label)
                } else {
                    scheme.valid_label_name(&r.target_label)
                }
            }
            "lowercase" | "uppercase" | "keepequal" | "dropequal" | "hashmod" => {
                scheme.valid_label_name(&r.target_label)
            }
            _ => true,
        };
        if !target_ok {
            cx.err(
                at(r.target_val),
                code::LABEL_NAME,
                format!("{:?} is invalid 'target_label' for {act} action", r.target_label),
            );
            ok = false;
        }
        if act == "labelmap" && !with_var(&r.replacement) {
            cx.err(
                at(r.replacement_val),
                code::LABEL_NAME,
                format!("{:?} is invalid 'replacement' for {act} action", r.replacement),
            );
            ok = false;
        }
    }
    if matches!(act, "lowercase" | "uppercase" | "keepequal" | "dropequal") && r.replacement != "$1"
    {
        cx.err(
            at(r.replacement_pos),
            code::RELABEL,
            format!("'replacement' can not be set for {act} action"),
        );
        ok = false;
    } else if matches!(act, "keepequal" | "dropequal")
        && let Some(p) = first_set(&[
            (r.regex_pos.is_some(), r.regex_pos),
            (r.modulus != 0, r.modulus_pos),
            (r.separator != ";", r.separator_pos),
        ])
    {
        cx.err_help(
            p,
            code::RELABEL,
            format!(
                "{act} action requires only 'source_labels' and `target_label`, and no other fields"
            ),
            "remove regex, modulus, separator and replacement from this rule",
        );
        ok = false;
    }
    if matches!(act, "labeldrop" | "labelkeep")
        && let Some(p) = first_set(&[
            (r.source_labels.is_some(), r.source_pos),
            (!r.target_label.is_empty(), r.target_pos),
            (r.modulus != 0, r.modulus_pos),
            (r.separator != ";", r.separator_pos),
            (r.replacement != "$1", r.replacement_pos),
        ])
    {
        cx.err_help(
            p,
            code::RELABEL,
            format!("{act} action requires only 'regex', and no other fields"),
            format!("{act} matches label names with `regex`; the other fields have no effect"),
        );
        ok = false;
    }
    ok
}

fn first_set(v: &[(bool, Option<Pos>)]) -> Option<Pos> {
    v.iter().filter(|(set, _)| *set).map(|(_, p)| p.unwrap_or_default()).min()
}

/// Apply rules to a label set (`relabel.ProcessBuilder`); `false` when dropped.
pub fn process(rules: &[Relabel], lb: &mut BTreeMap<String, String>, scheme: NameScheme) -> bool {
    rules.iter().all(|r| apply(r, lb, scheme))
}

/// The default `(.*)`, compiled once (cloning a `Regex` is cheap).
fn default_regex() -> Option<Regex> {
    static RE: std::sync::OnceLock<Option<Regex>> = std::sync::OnceLock::new();
    RE.get_or_init(|| values::compile_anchored("(.*)", values::Anchor::WholeDotNl).ok()).clone()
}

fn apply(r: &Relabel, lb: &mut BTreeMap<String, String>, scheme: NameScheme) -> bool {
    let re = &r.regex;
    let val = match &r.source_labels {
        Some(names) => names
            .iter()
            .map(|n| lb.get(n).map(String::as_str).unwrap_or(""))
            .collect::<Vec<_>>()
            .join(&r.separator),
        None => String::new(),
    };
    let get = |lb: &BTreeMap<String, String>, k: &str| lb.get(k).cloned().unwrap_or_default();
    match r.action.as_str() {
        "drop" if re.is_match(&val) => return false,
        "keep" if !re.is_match(&val) => return false,
        "dropequal" if get(lb, &r.target_label) == val => return false,
        "keepequal" if get(lb, &r.target_label) != val => return false,
        "replace" => {
            if val.is_empty()
                && r.regex_pos.is_none()
                && !r.target_label.contains('$')
                && !r.replacement.contains('$')
            {
                set(lb, &r.target_label, r.replacement.clone());
                return true;
            }
            let Some(caps) = re.captures(&val) else { return true };
            let mut target = String::new();
            caps.expand(&r.target_label, &mut target);
            if !scheme.valid_label_name(&target) {
                return true;
            }
            let mut res = String::new();
            caps.expand(&r.replacement, &mut res);
            if res.is_empty() {
                lb.remove(&target);
            } else {
                lb.insert(target, res);
            }
        }
        "lowercase" => set(lb, &r.target_label, val.to_lowercase()),
        "uppercase" => set(lb, &r.target_label, val.to_uppercase()),
        "hashmod" => {
            let hash = Md5::digest(val.as_bytes());
            let mut tail = [0u8; 8];
            tail.copy_from_slice(&hash[8..16]);
            let m = if r.modulus == 0 { 0 } else { u64::from_be_bytes(tail) % r.modulus };
            set(lb, &r.target_label, m.to_string());
        }
        "labelmap" => {
            let snapshot: Vec<(String, String)> =
                lb.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            for (k, v) in snapshot {
                if re.is_match(&k) {
                    let res = re.replace_all(&k, r.replacement.as_str()).into_owned();
                    set(lb, &res, v);
                }
            }
        }
        "labeldrop" => lb.retain(|k, _| !re.is_match(k)),
        "labelkeep" => lb.retain(|k, _| re.is_match(k)),
        _ => {}
    }
    true
}

/// `labels.Builder.Set`: an empty value deletes the label.
fn set(lb: &mut BTreeMap<String, String>, k: &str, v: String) {
    if v.is_empty() {
        lb.remove(k);
    } else {
        lb.insert(k.to_string(), v);
    }
}
