//! `inhibit_rules`: source and target matchers (and their deprecated `*_match` /
//! `*_match_re` forms), `equal` label names.

use super::{Checker, InhibitLabel, codes};
use crate::yaml::Node;

const FIELDS: &[&str] = &[
    "name",
    "source_match",
    "source_match_re",
    "source_matchers",
    "target_match",
    "target_match_re",
    "target_matchers",
    "equal",
];

impl Checker<'_, '_> {
    pub(super) fn inhibit_rules(&mut self, node: &Node) {
        let Some(items) = self.ctx.list(node, "inhibit_rules") else {
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let what = format!("inhibit_rules[{i}]");
            let Some(f) = self.ctx.map(item, "inhibit rule", FIELDS) else {
                continue;
            };
            self.str_of(&f, "name", &what);
            let mut labels: Vec<InhibitLabel> = Vec::new();
            for side in ["source", "target"] {
                let role: &'static str = if side == "source" { "source" } else { "target" };
                let key = format!("{side}_match");
                if let Some(n) = f.get(&key) {
                    self.deprecated(
                        f.key_pos(&key).unwrap_or(n.pos),
                        &key,
                        &format!("{side}_matchers"),
                    );
                    if let Some(m) = self.ctx.free_map(n, &format!("{what}: {key}")) {
                        for (k, v) in m {
                            if !self.legacy_label_key(k) {
                                continue;
                            }
                            self.ctx.string(v, &format!("{what}: {key}.{}", k.name));
                            labels.push(InhibitLabel {
                                name: k.name.clone(),
                                pos: k.pos,
                                role,
                                rule: i,
                            });
                        }
                    }
                }
                let key_re = format!("{side}_match_re");
                if let Some(n) = f.get(&key_re) {
                    self.deprecated(
                        f.key_pos(&key_re).unwrap_or(n.pos),
                        &key_re,
                        &format!("{side}_matchers"),
                    );
                    for (name, pos, _) in self.match_re_map(n, &format!("{what}: {key_re}")) {
                        labels.push(InhibitLabel { name, pos, role, rule: i });
                    }
                }
                let key_m = format!("{side}_matchers");
                if let Some(n) = f.get(&key_m) {
                    for m in self.matcher_list(n, &format!("{what}: {key_m}")) {
                        labels.push(InhibitLabel {
                            name: m.matcher.name.clone(),
                            pos: m.pos,
                            role,
                            rule: i,
                        });
                    }
                }
            }
            if let Some(n) = f.get("equal")
                && let Some(items) = self.ctx.strings(n, &format!("{what}: equal"))
            {
                for (s, p) in items {
                    if !self.valid_label_name(s) {
                        self.ctx.error(
                            p,
                            codes::LABEL_NAME,
                            format!("invalid label name {s:?} in equal list"),
                        );
                        continue;
                    }
                    labels.push(InhibitLabel {
                        name: s.to_string(),
                        pos: p,
                        role: "equal",
                        rule: i,
                    });
                }
            }
            self.facts.inhibit_labels.extend(labels);
        }
    }
}
