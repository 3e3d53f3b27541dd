//! The routing tree as a graph: Graphviz DOT (`dot -Tsvg`) and a Mermaid flowchart.
//! Routes are boxes (matchers, grouping, timers), children are numbered in matching order,
//! and a dashed edge goes from each route to its receiver (a note with its integrations).

use std::fmt::Write as _;

use super::fmt_duration;
use crate::alerting::{Config, Route};

/// Longest piece of configuration text put in a label.
const MAX: usize = 120;

fn route_lines(r: &Route) -> Vec<String> {
    let mut v = Vec::new();
    if r.path == "route" {
        v.push("route (root)".to_string());
    } else if r.matchers.is_empty() {
        v.push("(every alert)".to_string());
    } else {
        v.extend(r.matchers.iter().map(ToString::to_string));
    }
    let gb = r.group_by.names();
    v.push(format!(
        "group_by: {}",
        if gb.is_empty() { "(nothing)".to_string() } else { gb.join(", ") }
    ));
    v.push(format!(
        "wait {} / interval {} / repeat {}",
        fmt_duration(r.group_wait_ms),
        fmt_duration(r.group_interval_ms),
        fmt_duration(r.repeat_interval_ms)
    ));
    if r.continue_matching {
        v.push("continue: true".to_string());
    }
    if !r.mute_time_intervals.is_empty() {
        v.push(format!("muted: {}", r.mute_time_intervals.join(", ")));
    }
    if !r.active_time_intervals.is_empty() {
        v.push(format!("active: {}", r.active_time_intervals.join(", ")));
    }
    v
}

fn receiver_lines(c: &Config, name: &str) -> Vec<String> {
    let mut v = vec![format!("receiver {name}")];
    if let Some(r) = c.receiver(name) {
        if r.integrations.is_empty() {
            v.push("(no integrations)".to_string());
        }
        for i in &r.integrations {
            v.push(match &i.destination {
                Some(d) => format!("{}: {d}", i.kind),
                None => i.kind.clone(),
            });
        }
    }
    v
}

/// The receivers in first-use order, and their node ids.
fn receivers_used(c: &Config) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for r in c.root.walk() {
        if !v.contains(&r.receiver) {
            v.push(r.receiver.clone());
        }
    }
    v
}

fn clip(s: &str) -> String {
    crate::output::safe_text(s, MAX)
}

fn dot_escape(s: &str) -> String {
    let mut out = String::new();
    for c in clip(s).chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out
}

fn dot_label(lines: &[String]) -> String {
    // `\l` ends a left-justified line.
    let mut s: String = lines.iter().map(|l| format!("{}\\l", dot_escape(l))).collect();
    if s.is_empty() {
        s.push_str("\\l");
    }
    s
}

pub fn dot(c: &Config) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph alertmanager_routes {{");
    let _ =
        writeln!(out, "  label=\"{}\";", dot_escape(&format!("Alertmanager routing: {}", c.path)));
    let _ = writeln!(out, "  labelloc=t;\n  rankdir=LR;");
    let _ =
        writeln!(out, "  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=10];");
    let _ = writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=9];");
    let routes = c.root.walk();
    for (i, r) in routes.iter().enumerate() {
        let _ = writeln!(out, "  r{i} [label=\"{}\"];", dot_label(&route_lines(r)));
    }
    let recv = receivers_used(c);
    for (i, name) in recv.iter().enumerate() {
        let _ = writeln!(
            out,
            "  recv{i} [shape=note, style=filled, fillcolor=\"#eef5ff\", label=\"{}\"];",
            dot_label(&receiver_lines(c, name))
        );
    }
    for (i, r) in routes.iter().enumerate() {
        for (n, child) in r.routes.iter().enumerate() {
            let j = index_of(&routes, child);
            let style = if child.continue_matching { ", style=bold" } else { "" };
            let _ = writeln!(out, "  r{i} -> r{j} [label=\"{}\"{style}];", n + 1);
        }
        if let Some(k) = recv.iter().position(|x| *x == r.receiver) {
            let _ = writeln!(out, "  r{i} -> recv{k} [style=dashed, arrowhead=vee];");
        }
    }
    out.push_str("}\n");
    out
}

fn index_of(all: &[&Route], r: &Route) -> usize {
    all.iter().position(|x| std::ptr::eq(*x, r)).unwrap_or(0)
}

/// Mermaid label text: quotes, angle brackets and `#` as entity codes, lines joined by `<br/>`.
fn mermaid_label(lines: &[String]) -> String {
    let esc = |s: &str| {
        let mut out = String::new();
        for c in clip(s).chars() {
            match c {
                '"' => out.push_str("#quot;"),
                '<' => out.push_str("#lt;"),
                '>' => out.push_str("#gt;"),
                '#' => out.push_str("#35;"),
                '&' => out.push_str("#amp;"),
                c => out.push(c),
            }
        }
        out
    };
    lines.iter().map(|l| esc(l)).collect::<Vec<_>>().join("<br/>")
}

pub fn mermaid(c: &Config) -> String {
    let mut out = String::from("flowchart LR\n");
    let routes = c.root.walk();
    for (i, r) in routes.iter().enumerate() {
        let _ = writeln!(out, "  r{i}[\"{}\"]", mermaid_label(&route_lines(r)));
    }
    let recv = receivers_used(c);
    for (i, name) in recv.iter().enumerate() {
        let _ = writeln!(out, "  recv{i}[/\"{}\"/]", mermaid_label(&receiver_lines(c, name)));
    }
    for (i, r) in routes.iter().enumerate() {
        for (n, child) in r.routes.iter().enumerate() {
            let j = index_of(&routes, child);
            let arrow = if child.continue_matching { "==>" } else { "-->" };
            let _ = writeln!(out, "  r{i} {arrow}|{}| r{j}", n + 1);
        }
        if let Some(k) = recv.iter().position(|x| *x == r.receiver) {
            let _ = writeln!(out, "  r{i} -.-> recv{k}");
        }
    }
    out
}
