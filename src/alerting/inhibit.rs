//! Inhibition as Alertmanager's inhibitor decides it (`inhibit.Inhibitor.Mutes`): an alert
//! is muted when it matches a rule's target matchers and a firing alert matches the source
//! matchers with the same values for every `equal` label (absent = empty, on both sides).
//! An alert that matches both sides cannot be inhibited by an alert that also matches both
//! sides, so an alert never inhibits itself.

use serde::Serialize;

use super::Labels;
use crate::lint::alertmanager::Matcher;
use crate::yaml::Pos;

#[derive(Debug, Clone)]
pub struct InhibitRule {
    /// `name` when the rule has one.
    pub name: Option<String>,
    /// Index in `inhibit_rules`.
    pub index: usize,
    pub pos: Pos,
    /// `source_matchers`, `source_match`, `source_match_re` together.
    pub source: Vec<Matcher>,
    pub target: Vec<Matcher>,
    pub equal: Vec<String>,
}

fn all_match(ms: &[Matcher], labels: &Labels) -> bool {
    ms.iter().all(|m| m.matches(labels.get(&m.name).map_or("", String::as_str)))
}

fn value<'l>(labels: &'l Labels, name: &str) -> &'l str {
    labels.get(name).map_or("", String::as_str)
}

impl InhibitRule {
    /// The first firing alert that inhibits `labels` through this rule.
    pub fn inhibitor<'f>(&self, labels: &Labels, firing: &'f [Labels]) -> Option<&'f Labels> {
        if !all_match(&self.target, labels) {
            return None;
        }
        let two_sided = all_match(&self.source, labels);
        firing.iter().find(|s| {
            all_match(&self.source, s)
                && self.equal.iter().all(|n| value(s, n) == value(labels, n))
                && !(two_sided && all_match(&self.target, s))
        })
    }
}

/// Which rule inhibits an alert, and by which alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inhibition {
    /// Index of the rule in `inhibit_rules`.
    pub rule: usize,
    pub rule_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_name: Option<String>,
    /// The labels of the inhibiting (source) alert.
    pub by: Labels,
}

/// The first rule (in order) that inhibits the alert.
pub fn inhibition(rules: &[InhibitRule], labels: &Labels, firing: &[Labels]) -> Option<Inhibition> {
    rules.iter().find_map(|r| {
        r.inhibitor(labels, firing).map(|by| Inhibition {
            rule: r.index,
            rule_line: r.pos.line,
            rule_name: r.name.clone(),
            by: by.clone(),
        })
    })
}
