//! The routing tree and routing a label set through it, as Alertmanager's dispatcher does
//! (`dispatch.Route.Match`): children in order, a matching child ends the search unless it
//! has `continue`, no matching child means the route itself. Receivers, `group_by` and the
//! timers are inherited down the tree; mute/active time intervals are not.

use serde::Serialize;

use super::Labels;
use crate::lint::alertmanager::Matcher;
use crate::yaml::Pos;

/// Alertmanager's defaults for the root route (`DefaultRouteOpts`), in milliseconds.
pub const DEFAULT_GROUP_WAIT_MS: u64 = 30_000;
pub const DEFAULT_GROUP_INTERVAL_MS: u64 = 300_000;
pub const DEFAULT_REPEAT_INTERVAL_MS: u64 = 4 * 3_600_000;

/// How alerts of a route are grouped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupBy {
    /// `group_by: ['...']`: every label; each distinct label set is its own group.
    All,
    /// The listed labels (empty: one group for every alert of the route).
    Labels(Vec<String>),
}

impl GroupBy {
    /// As written in the configuration (`...` for all labels).
    pub fn names(&self) -> Vec<String> {
        match self {
            GroupBy::All => vec!["...".to_string()],
            GroupBy::Labels(v) => v.clone(),
        }
    }

    /// The labels of the group an alert with `labels` goes to: the group_by labels the
    /// alert has (absent ones are left out, as Alertmanager does), or all of them.
    pub fn group_labels(&self, labels: &Labels) -> Labels {
        match self {
            GroupBy::All => labels.clone(),
            GroupBy::Labels(names) => {
                names.iter().filter_map(|n| labels.get(n).map(|v| (n.clone(), v.clone()))).collect()
            }
        }
    }
}

impl Serialize for GroupBy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.names().serialize(s)
    }
}

/// Which of a route's settings were written on it (the others are inherited).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub receiver: bool,
    pub group_by: bool,
    pub group_wait: bool,
    pub group_interval: bool,
    pub repeat_interval: bool,
}

/// One route with its inherited settings resolved.
#[derive(Debug, Clone)]
pub struct Route {
    /// Where the route is in the tree: `route`, `route.routes[0]`, `route.routes[0].routes[2]`.
    pub path: String,
    /// Position of the route's mapping in the file.
    pub pos: Pos,
    /// `matchers`, `match` and `match_re` together (all must match).
    pub matchers: Vec<Matcher>,
    pub receiver: String,
    pub group_by: GroupBy,
    pub group_wait_ms: u64,
    pub group_interval_ms: u64,
    pub repeat_interval_ms: u64,
    pub continue_matching: bool,
    pub mute_time_intervals: Vec<String>,
    pub active_time_intervals: Vec<String>,
    pub routes: Vec<Route>,
    pub written: Written,
}

impl Route {
    /// Whether every matcher accepts the label set (an absent label is the empty value).
    pub fn matches(&self, labels: &Labels) -> bool {
        self.matchers.iter().all(|m| m.matches(labels.get(&m.name).map_or("", String::as_str)))
    }

    /// The routes an alert ends in, in order.
    pub fn matching(&self, labels: &Labels) -> Vec<&Route> {
        let mut out = Vec::new();
        self.collect(labels, &mut out);
        out
    }

    fn collect<'a>(&'a self, labels: &Labels, out: &mut Vec<&'a Route>) -> bool {
        if !self.matches(labels) {
            return false;
        }
        let before = out.len();
        for c in &self.routes {
            if c.collect(labels, out) && !c.continue_matching {
                break;
            }
        }
        if out.len() == before {
            out.push(self);
        }
        true
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

/// Why a matched route does not notify at the requested instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "interval", rename_all = "snake_case")]
pub enum Mute {
    /// Inside this `mute_time_intervals` entry.
    MuteTimeInterval(String),
    /// Outside every `active_time_intervals` entry (their names).
    NotActive(Vec<String>),
}

impl std::fmt::Display for Mute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mute::MuteTimeInterval(n) => write!(f, "muted by time interval {n:?}"),
            Mute::NotActive(ns) => {
                write!(f, "outside its active time intervals ({})", ns.join(", "))
            }
        }
    }
}

/// One route an alert ends in: where its notifications go and how they are grouped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    pub receiver: String,
    /// The route's place in the tree (`route.routes[1]`).
    pub route_path: String,
    /// Line of the route in the configuration file.
    pub route_line: u32,
    pub group_by: GroupBy,
    /// The labels of the group the alert joins (Alertmanager's group labels).
    pub group_labels: Labels,
    pub group_wait_ms: u64,
    pub group_interval_ms: u64,
    pub repeat_interval_ms: u64,
    pub continue_matching: bool,
    /// Set when an instant was given and the route does not notify then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub muted: Option<Mute>,
}

impl Match {
    pub(super) fn of(route: &Route, labels: &Labels) -> Match {
        Match {
            receiver: route.receiver.clone(),
            route_path: route.path.clone(),
            route_line: route.pos.line,
            group_by: route.group_by.clone(),
            group_labels: route.group_by.group_labels(labels),
            group_wait_ms: route.group_wait_ms,
            group_interval_ms: route.group_interval_ms,
            repeat_interval_ms: route.repeat_interval_ms,
            continue_matching: route.continue_matching,
            muted: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_labels_leave_out_absent_labels() {
        let l: Labels =
            [("a", "1"), ("b", "2")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let g = GroupBy::Labels(vec!["a".into(), "c".into()]);
        assert_eq!(g.group_labels(&l).len(), 1);
        assert_eq!(GroupBy::All.group_labels(&l), l);
        assert_eq!(GroupBy::Labels(vec![]).group_labels(&l).len(), 0);
    }
}
