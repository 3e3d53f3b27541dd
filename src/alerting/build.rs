//! From a configuration file to the model: the linter validates (and parses matchers in the
//! chosen parser mode); the validated YAML tree then gives the settings the linter does not
//! keep (group_by, timers, inhibit rules, time interval ranges, integrations).

use std::collections::BTreeMap;

use super::route::{
    DEFAULT_GROUP_INTERVAL_MS, DEFAULT_GROUP_WAIT_MS, DEFAULT_REPEAT_INTERVAL_MS, GroupBy, Route,
    Written,
};
use super::{Config, InhibitRule, TimeInterval, receivers, time_interval};
use crate::lint::alertmanager::matchers::parse_matchers;
use crate::lint::alertmanager::{self as am, AmOptions, MatchOp, Matcher, ParserMode};
use crate::lint::schema::parse_duration;
use crate::lint::source::Source;
use crate::lint::{Diagnostic, Options, Severity};
use crate::yaml::{Node, Pos};

/// Check code for a configuration the model could not take although it validated (a bug
/// of stellar-obs if it ever shows).
pub const MODEL: &str = "alerting/model";

pub fn build(src: &Source, mode: ParserMode) -> Result<Config, Vec<Diagnostic>> {
    let tree = match crate::yaml::parse(&src.text) {
        Ok(t) => t,
        Err(e) => {
            return Err(vec![Diagnostic::error(
                &src.display,
                e.pos,
                crate::lint::check::YAML_SYNTAX,
                e.message,
            )]);
        }
    };
    let mut diags = Vec::new();
    let am_opts = AmOptions { mode, path_map: Vec::new() };
    let facts = am::check_config_with(src, &tree, &Options::default(), &am_opts, &mut diags);
    if diags.iter().any(|d| d.severity == Severity::Error) {
        diags.sort_by_key(|d| (d.line, d.column));
        return Err(diags);
    }
    let fail = |pos: Pos, msg: String| vec![Diagnostic::error(&src.display, pos, MODEL, msg)];
    let (Some(lint_root), Some(route_node)) = (facts.root.as_ref(), tree.get("route")) else {
        return Err(fail(tree.pos, "no route provided in config".to_string()));
    };
    let root =
        route(route_node, lint_root, None, "route".to_string()).map_err(|(p, m)| fail(p, m))?;
    let mut time_intervals = BTreeMap::new();
    for key in ["mute_time_intervals", "time_intervals"] {
        for item in tree.get(key).and_then(Node::as_seq).unwrap_or(&[]) {
            let name = item.get("name").and_then(Node::scalar_text).unwrap_or("").to_string();
            let mut list = Vec::new();
            for spec in item.get("time_intervals").and_then(Node::as_seq).unwrap_or(&[]) {
                list.push(interval(spec).map_err(|m| fail(spec.pos, m))?);
            }
            time_intervals.insert(name, list);
        }
    }
    let inhibit_rules = tree
        .get("inhibit_rules")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .map(|(i, n)| inhibit_rule(i, n, mode))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|(p, m)| fail(p, m))?;
    Ok(Config {
        path: src.display.clone(),
        root,
        receivers: receivers::from_node(tree.get("receivers")),
        inhibit_rules,
        time_intervals,
        warnings: diags,
    })
}

type BuildError = (Pos, String);

fn strings(n: Option<&Node>) -> Option<Vec<String>> {
    n.and_then(Node::as_seq)
        .map(|items| items.iter().filter_map(Node::scalar_text).map(str::to_string).collect())
}

fn duration(node: &Node, key: &str) -> Result<Option<u64>, BuildError> {
    match node.get(key) {
        Some(n) => match n.scalar_text() {
            Some(s) => parse_duration(s).map(Some).map_err(|e| (n.pos, format!("{key}: {e}"))),
            None => Ok(None),
        },
        None => Ok(None),
    }
}

fn route(
    node: &Node,
    lint: &am::Route,
    parent: Option<&Route>,
    path: String,
) -> Result<Route, BuildError> {
    let group_by = match strings(node.get("group_by")) {
        Some(v) if v.iter().any(|s| s == "...") => Some(GroupBy::All),
        Some(v) => Some(GroupBy::Labels(v)),
        None => None,
    };
    let gw = duration(node, "group_wait")?;
    let gi = duration(node, "group_interval")?;
    let ri = duration(node, "repeat_interval")?;
    let written = Written {
        receiver: lint.receiver_written.as_ref().is_some_and(|(s, _)| !s.is_empty()),
        group_by: group_by.is_some(),
        group_wait: gw.is_some(),
        group_interval: gi.is_some(),
        repeat_interval: ri.is_some(),
    };
    let mut r = Route {
        path,
        pos: lint.pos,
        matchers: lint.matchers.iter().map(|m| m.matcher.clone()).collect(),
        receiver: lint.receiver.clone(),
        group_by: group_by
            .or_else(|| parent.map(|p| p.group_by.clone()))
            .unwrap_or(GroupBy::Labels(Vec::new())),
        group_wait_ms: gw.or(parent.map(|p| p.group_wait_ms)).unwrap_or(DEFAULT_GROUP_WAIT_MS),
        group_interval_ms: gi
            .or(parent.map(|p| p.group_interval_ms))
            .unwrap_or(DEFAULT_GROUP_INTERVAL_MS),
        repeat_interval_ms: ri
            .or(parent.map(|p| p.repeat_interval_ms))
            .unwrap_or(DEFAULT_REPEAT_INTERVAL_MS),
        continue_matching: lint.continue_matching,
        mute_time_intervals: lint.mute_time_intervals.iter().map(|(n, _)| n.clone()).collect(),
        active_time_intervals: lint.active_time_intervals.iter().map(|(n, _)| n.clone()).collect(),
        routes: Vec::new(),
        written,
    };
    let children = node.get("routes").and_then(Node::as_seq).unwrap_or(&[]);
    if children.len() != lint.routes.len() {
        return Err((
            node.pos,
            format!(
                "{}: {} child routes in the file but {} understood",
                r.path,
                children.len(),
                lint.routes.len()
            ),
        ));
    }
    let mut built = Vec::with_capacity(children.len());
    for (i, (cn, cl)) in children.iter().zip(&lint.routes).enumerate() {
        built.push(route(cn, cl, Some(&r), format!("{}.routes[{i}]", r.path))?);
    }
    r.routes = built;
    Ok(r)
}

fn interval(spec: &Node) -> Result<TimeInterval, String> {
    let times: Option<Vec<(String, String)>> = spec.get("times").and_then(Node::as_seq).map(|ts| {
        ts.iter()
            .map(|t| {
                let f = |k: &str| t.get(k).and_then(Node::scalar_text).unwrap_or("").to_string();
                (f("start_time"), f("end_time"))
            })
            .collect()
    });
    let weekdays = strings(spec.get("weekdays"));
    let days = strings(spec.get("days_of_month"));
    let months = strings(spec.get("months"));
    let years = strings(spec.get("years"));
    let location = spec.get("location").and_then(Node::scalar_text);
    time_interval::parse(
        times.as_deref(),
        weekdays.as_deref(),
        days.as_deref(),
        months.as_deref(),
        years.as_deref(),
        location,
    )
}

fn inhibit_rule(index: usize, node: &Node, mode: ParserMode) -> Result<InhibitRule, BuildError> {
    let mut sides: [Vec<Matcher>; 2] = [Vec::new(), Vec::new()];
    for (i, side) in ["source", "target"].iter().enumerate() {
        let out = &mut sides[i];
        for (k, v) in node.get(&format!("{side}_match")).and_then(Node::as_map).unwrap_or(&[]) {
            let val = v.scalar_text().unwrap_or("");
            out.push(Matcher::new(&k.name, MatchOp::Equal, val).map_err(|e| (v.pos, e))?);
        }
        for (k, v) in node.get(&format!("{side}_match_re")).and_then(Node::as_map).unwrap_or(&[]) {
            let val = v.scalar_text().unwrap_or("");
            out.push(Matcher::new(&k.name, MatchOp::Regexp, val).map_err(|e| (v.pos, e))?);
        }
        for item in node.get(&format!("{side}_matchers")).and_then(Node::as_seq).unwrap_or(&[]) {
            let s = item.scalar_text().unwrap_or("");
            let parsed = parse_matchers(s, mode).map_err(|e| (item.pos, e.message))?;
            out.extend(parsed.matchers);
        }
    }
    let [source, target] = sides;
    Ok(InhibitRule {
        name: node.get("name").and_then(Node::scalar_text).map(str::to_string),
        index,
        pos: node.pos,
        source,
        target,
        equal: strings(node.get("equal")).unwrap_or_default(),
    })
}
