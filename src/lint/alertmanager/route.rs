//! The routing tree: each route's schema, matchers (`matchers`, deprecated `match` /
//! `match_re`), group_by, timings, labels, time interval references, the root route's
//! rules; and routing a label set through the tree as Alertmanager's dispatcher does.

use std::collections::BTreeMap;

use super::matchers::{MatchOp, Matcher, parse_matchers};
use super::{Checker, codes, values};
use crate::lint::Diagnostic;
use crate::lint::schema::{self, Fields};
use crate::yaml::{Key, Node, Pos, Value};

const FIELDS: &[&str] = &[
    "receiver",
    "group_by",
    "match",
    "match_re",
    "matchers",
    "mute_time_intervals",
    "active_time_intervals",
    "continue",
    "routes",
    "group_wait",
    "group_interval",
    "repeat_interval",
    "labels",
];

/// Where a route matcher was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatcherSource {
    Matchers,
    Match,
    MatchRe,
}

/// A matcher of a route, with the position of what it was parsed from.
#[derive(Debug, Clone)]
pub struct RouteMatcher {
    pub matcher: Matcher,
    pub pos: Pos,
    pub source: MatcherSource,
}

/// A route of the routing tree, with inherited settings resolved.
#[derive(Debug, Clone)]
pub struct Route {
    /// Position of the route's mapping.
    pub pos: Pos,
    /// The receiver as written on this route, with its position.
    pub receiver_written: Option<(String, Pos)>,
    /// The receiver alerts ending here go to (inherited from the parent when not set).
    pub receiver: String,
    pub matchers: Vec<RouteMatcher>,
    pub continue_matching: bool,
    pub routes: Vec<Route>,
    /// Time intervals (name, position) that mute / activate this route.
    pub mute_time_intervals: Vec<(String, Pos)>,
    pub active_time_intervals: Vec<(String, Pos)>,
}

impl Route {
    /// Whether all the route's matchers accept the label set (absent labels are "").
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.matchers
            .iter()
            .all(|m| m.matcher.matches(labels.get(&m.matcher.name).map_or("", String::as_str)))
    }

    /// The routes an alert ends in (Alertmanager's `Route.Match`): children in order, a
    /// match stops the search unless the child has `continue`; no matching child means
    /// this route.
    pub fn matching(&self, labels: &BTreeMap<String, String>) -> Vec<&Route> {
        if !self.matches(labels) {
            return Vec::new();
        }
        let mut all = Vec::new();
        for c in &self.routes {
            let m = c.matching(labels);
            let found = !m.is_empty();
            all.extend(m);
            if found && !c.continue_matching {
                break;
            }
        }
        if all.is_empty() {
            all.push(self);
        }
        all
    }

    /// This route and every route below it, depth first.
    pub fn walk(&self) -> Vec<&Route> {
        let mut v = vec![self];
        for c in &self.routes {
            v.extend(c.walk());
        }
        v
    }
}

impl Checker<'_, '_> {
    /// The root route and its tree.
    pub(super) fn root_route(&mut self, node: &Node, key_pos: Pos) -> Option<Route> {
        if node.is_null() {
            self.ctx.error(key_pos, codes::ROOT_ROUTE, "no routes provided: `route` is empty");
            return None;
        }
        let f = self.ctx.map(node, "route", FIELDS)?;
        let root = self.route(&f, None, &[], "route")?;
        match &root.receiver_written {
            Some((r, _)) if !r.is_empty() => {}
            _ => self.ctx.error(
                f.pos(),
                codes::ROOT_ROUTE,
                "root route must specify a default receiver",
            ),
        }
        if !root.matchers.is_empty() {
            let at = root.matchers[0].pos;
            self.ctx.push(
                Diagnostic::error(
                    self.ctx.path,
                    at,
                    codes::ROOT_ROUTE,
                    "root route must not have any matchers",
                )
                .with_help("the root route receives every alert; put matchers on child routes"),
            );
        }
        if root.continue_matching {
            self.ctx.error(
                f.key_pos("continue").unwrap_or(f.pos()),
                codes::ROOT_ROUTE,
                "cannot have continue in root route",
            );
        }
        if let Some((_, p)) = root.mute_time_intervals.first() {
            self.ctx.error(
                *p,
                codes::ROOT_ROUTE,
                "root route must not have any mute time intervals",
            );
        }
        if let Some((_, p)) = root.active_time_intervals.first() {
            self.ctx.error(
                *p,
                codes::ROOT_ROUTE,
                "root route must not have any active time intervals",
            );
        }
        Some(root)
    }

    /// One route (already checked to be a mapping) and its children.
    fn route(
        &mut self,
        f: &Fields<'_>,
        parent_receiver: Option<&str>,
        ancestors: &[RouteMatcher],
        what: &str,
    ) -> Option<Route> {
        let mut r = Route {
            pos: f.pos(),
            receiver_written: None,
            receiver: parent_receiver.unwrap_or("").to_string(),
            matchers: Vec::new(),
            continue_matching: false,
            routes: Vec::new(),
            mute_time_intervals: Vec::new(),
            active_time_intervals: Vec::new(),
        };
        if let Some((s, pos)) = self.str_of(f, "receiver", what) {
            if !s.is_empty() {
                self.receiver_refs.push((s.clone(), pos));
                r.receiver = s.clone();
            }
            r.receiver_written = Some((s, pos));
        }
        self.group_by(f, what);
        self.route_match(f, what, &mut r);
        self.route_match_re(f, what, &mut r);
        if let Some(n) = f.get("matchers") {
            r.matchers.extend(self.matcher_list(n, &format!("{what}: matchers")));
        }
        for (key, out) in [
            ("mute_time_intervals", &mut r.mute_time_intervals),
            ("active_time_intervals", &mut r.active_time_intervals),
        ] {
            if let Some(n) = f.get(key)
                && let Some(items) = self.ctx.strings(n, &format!("{what}: {key}"))
            {
                for (s, p) in items {
                    self.interval_refs.push((s.to_string(), p));
                    out.push((s.to_string(), p));
                }
            }
        }
        r.continue_matching = self.bool_of(f, "continue", what).unwrap_or(false);
        self.prom_duration_of(f, "group_wait", what);
        for k in ["group_interval", "repeat_interval"] {
            if let Some((0, pos)) = self.prom_duration_of(f, k, what) {
                self.ctx.error(pos, codes::ROUTE_TIMING, format!("{k} cannot be zero"));
            }
        }
        if let Some(n) = f.get("labels")
            && let Some(m) = self.ctx.free_map(n, &format!("{what}: labels"))
        {
            for (k, v) in m {
                if !self.valid_label_name(&k.name) {
                    self.ctx.error(
                        k.pos,
                        codes::LABEL_NAME,
                        format!("invalid label name {:?} in route labels", k.name),
                    );
                }
                if let Some(s) = self.ctx.string(v, &format!("{what}: labels.{}", k.name)) {
                    let s = s.to_string();
                    self.template_string(
                        &s,
                        v.pos,
                        &format!("{what}: labels.{}", k.name),
                        super::templates::Funcs::Alertmanager,
                    );
                }
            }
        }
        if !ancestors.is_empty() || !r.matchers.is_empty() {
            self.contradictions(ancestors, &r.matchers, what);
        }
        let mut path: Vec<RouteMatcher> = ancestors.to_vec();
        path.extend(r.matchers.iter().cloned());
        if let Some(n) = f.get("routes")
            && let Some(items) = self.ctx.list(n, &format!("{what}: routes"))
        {
            let mut catch_all: Option<Pos> = None;
            for (i, item) in items.iter().enumerate() {
                let w = format!("{what}.routes[{i}]");
                if item.is_null() {
                    self.ctx.error(item.pos, schema::MISSING_FIELD, format!("{w}: empty route"));
                    continue;
                }
                let Some(cf) = self.ctx.map(item, "route", FIELDS) else {
                    continue;
                };
                let Some(child) = self.route(&cf, Some(&r.receiver), &path, &w) else {
                    continue;
                };
                if let Some(p) = catch_all {
                    self.ctx.push(
                        Diagnostic::warning(
                            self.ctx.path,
                            child.pos,
                            codes::ROUTE_UNREACHABLE,
                            format!("{w} can never be reached: the sibling route at line {} matches every alert and has no `continue`", p.line),
                        )
                        .with_help("move the catch-all route last, add matchers to it, or set `continue: true` on it"),
                    );
                } else if child.matchers.is_empty() && !child.continue_matching {
                    catch_all = Some(child.pos);
                }
                r.routes.push(child);
            }
        }
        Some(r)
    }

    /// A route whose matchers (with those of its ancestors, which an alert must also
    /// satisfy) contradict each other can never match: with `name="v"`, every other
    /// matcher on `name` must accept "v".
    fn contradictions(&mut self, ancestors: &[RouteMatcher], own: &[RouteMatcher], what: &str) {
        let all: Vec<&RouteMatcher> = ancestors.iter().chain(own).collect();
        for (i, own_m) in own.iter().enumerate() {
            let idx = ancestors.len() + i;
            for (j, other) in all.iter().enumerate() {
                if j == idx || other.matcher.name != own_m.matcher.name {
                    continue;
                }
                let (eq, m) = if own_m.matcher.op == MatchOp::Equal {
                    (&own_m.matcher, &other.matcher)
                } else if other.matcher.op == MatchOp::Equal {
                    (&other.matcher, &own_m.matcher)
                } else {
                    continue;
                };
                if !m.matches(&eq.value) {
                    let whose = if j < ancestors.len() {
                        "an enclosing route's matcher"
                    } else {
                        "another matcher of this route"
                    };
                    self.ctx.push(
                        Diagnostic::warning(
                            self.ctx.path,
                            own_m.pos,
                            codes::ROUTE_UNREACHABLE,
                            format!(
                                "{what} can never match: `{}` contradicts {whose} `{}` (line {})",
                                own_m.matcher, other.matcher, other.pos.line
                            ),
                        )
                        .with_help(
                            "an alert reaches a route only if it matches every enclosing route too",
                        ),
                    );
                    return;
                }
            }
        }
    }

    fn group_by(&mut self, f: &Fields<'_>, what: &str) {
        let Some(n) = f.get("group_by") else {
            return;
        };
        let Some(items) = self.ctx.strings(n, &format!("{what}: group_by")) else {
            return;
        };
        let mut all: Option<Pos> = None;
        let mut names: Vec<(&str, Pos)> = Vec::new();
        for (s, p) in items {
            if s == "..." {
                all = Some(p);
                continue;
            }
            if !self.valid_label_name(s) {
                self.ctx.error(
                    p,
                    codes::LABEL_NAME,
                    format!("invalid label name {s:?} in group_by list"),
                );
                continue;
            }
            if let Some((_, first)) = names.iter().find(|(x, _)| *x == s) {
                self.ctx.error(
                    p,
                    codes::GROUP_BY,
                    format!(
                        "duplicated label {s:?} in group_by (first at line {}, column {})",
                        first.line, first.col
                    ),
                );
                continue;
            }
            names.push((s, p));
        }
        if let Some(p) = all
            && !names.is_empty()
        {
            self.ctx.error(
                p,
                codes::GROUP_BY,
                "cannot have wildcard group_by (`...`) and other labels at the same time",
            );
        }
    }

    fn route_match(&mut self, f: &Fields<'_>, what: &str, r: &mut Route) {
        let Some(n) = f.get("match") else {
            return;
        };
        let Some(m) = self.ctx.free_map(n, &format!("{what}: match")) else {
            return;
        };
        self.deprecated(
            f.key_pos("match").unwrap_or(n.pos),
            "match",
            "matchers: ['name=\"value\"']",
        );
        for (k, v) in m {
            if !self.legacy_label_key(k) {
                continue;
            }
            let Some(s) = self.ctx.string(v, &format!("{what}: match.{}", k.name)) else {
                continue;
            };
            if let Ok(m) = Matcher::new(&k.name, MatchOp::Equal, s) {
                r.matchers.push(RouteMatcher {
                    matcher: m,
                    pos: k.pos,
                    source: super::MatcherSource::Match,
                });
            }
        }
    }

    fn route_match_re(&mut self, f: &Fields<'_>, what: &str, r: &mut Route) {
        let Some(n) = f.get("match_re") else {
            return;
        };
        self.deprecated(
            f.key_pos("match_re").unwrap_or(n.pos),
            "match_re",
            "matchers: ['name=~\"regex\"']",
        );
        for (k, pos, m) in self.match_re_map(n, &format!("{what}: match_re")) {
            let _ = k;
            r.matchers.push(RouteMatcher {
                matcher: m,
                pos,
                source: super::MatcherSource::MatchRe,
            });
        }
    }

    /// A key of a `match`-style map must be a legacy label name (reported when not).
    pub(super) fn legacy_label_key(&mut self, k: &Key) -> bool {
        let ok = values::legacy_label_name(&k.name);
        if !ok {
            self.ctx.error(k.pos, codes::LABEL_NAME, format!("invalid label name {:?}", k.name));
        }
        ok
    }

    /// A `match_re`-style map (label name → RE2 regex, anchored). Returns the valid ones.
    pub(super) fn match_re_map(&mut self, n: &Node, what: &str) -> Vec<(String, Pos, Matcher)> {
        let mut out = Vec::new();
        let Some(m) = self.ctx.free_map(n, what) else {
            return out;
        };
        for (k, v) in m {
            if !self.legacy_label_key(k) {
                continue;
            }
            if v.is_null() {
                self.ctx.error(
                    v.pos,
                    codes::MATCHER,
                    format!("invalid regexp value for {:?}: the value is empty", k.name),
                );
                continue;
            }
            let Some(s) = self.ctx.string(v, &format!("{what}.{}", k.name)) else {
                continue;
            };
            match Matcher::new(&k.name, MatchOp::Regexp, s) {
                Ok(m) => out.push((k.name.clone(), k.pos, m)),
                Err(e) => self.ctx.error(v.pos, codes::MATCHER, format!("{what}.{}: {e}", k.name)),
            }
        }
        out
    }

    /// A `matchers:` list (routes, inhibit source/target).
    pub(super) fn matcher_list(&mut self, n: &Node, what: &str) -> Vec<RouteMatcher> {
        let mut out = Vec::new();
        let Some(items) = self.ctx.list(n, what) else {
            return out;
        };
        for item in items {
            let Some(s) = self.ctx.string(item, what) else {
                continue;
            };
            match parse_matchers(s, self.am.mode) {
                Ok(p) => {
                    if let Some(suggest) = &p.classic_only {
                        let d = Diagnostic::warning(
                            self.ctx.path,
                            item.pos,
                            codes::MATCHER_CLASSIC,
                            format!("{what}: {s:?} is accepted only by the classic matchers parser"),
                        )
                        .with_help(format!(
                            "write it `{suggest}`: double-quote values and regexes and escape backslashes, so that the UTF-8 matchers parser accepts it"
                        ));
                        self.ctx.push(d);
                    }
                    for m in p.matchers {
                        out.push(RouteMatcher {
                            matcher: m,
                            pos: item.pos,
                            source: super::MatcherSource::Matchers,
                        });
                    }
                }
                Err(e) => {
                    let pos = e.column.map_or(item.pos, |c| self.pos_in_scalar(item, s, c));
                    self.ctx.error(
                        pos,
                        codes::MATCHER,
                        format!("{what}: invalid matcher {s:?}: {}", e.message),
                    );
                }
            }
        }
        out
    }

    /// The position of the `col`-th character of a one-line scalar's value, when the
    /// source text shows the value verbatim (plain, or quoted without escapes).
    fn pos_in_scalar(&self, n: &Node, value: &str, col: usize) -> Pos {
        let Some(off) = n.offset else {
            return n.pos;
        };
        let text = &self.src.text;
        let first = text[off..].chars().next();
        let quote = matches!(first, Some('"' | '\''));
        let start = off + usize::from(quote);
        let verbatim = text.get(start..start + value.len()) == Some(value);
        if !verbatim || value.contains('\n') || !matches!(n.value, Value::Str(_)) {
            return n.pos;
        }
        let col = col.min(value.chars().count());
        Pos::new(n.pos.line, n.pos.col + u32::from(quote) + col as u32)
    }

    /// A deprecated matcher field, reported with the others at the end of the file.
    pub(super) fn deprecated(&mut self, pos: Pos, field: &str, instead: &str) {
        self.deprecated_matchers.push((pos, field.to_string(), instead.to_string()));
    }
}
