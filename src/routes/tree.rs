//! The routing tree drawn in the terminal with box-drawing characters.
//!
//! ```text
//! route  → email-default  (line 57)
//! │   email ops@example.com
//! │   group_by alertname, instance, severity · wait 30s · interval 5m · repeat 4h
//! ├── severity="critical"  → critical  (line 66)
//! │       pagerduty Events API v2 · slack #ops-critical · email oncall@example.com
//! │       group_by (inherited) · wait 10s · interval 1m · repeat 1h
//! ```
//!
//! Everything that comes from the file is passed through `output::safe_text`.

use std::fmt::Write as _;

use super::{RoutesReport, fmt_duration};
use crate::alerting::{Config, Route};
use crate::output::{Paint, safe_text};

/// Longest piece of configuration text shown (a matcher, a name, a destination).
const MAX: usize = 160;

pub fn render(r: &RoutesReport, paint: &Paint) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", paint.bold("Routing tree of"), safe_text(&r.config.path, 500));
    node(&mut out, &r.config, &r.config.root, "", "", paint);
    if !r.config.inhibit_rules.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("Inhibit rules"));
        for rule in &r.config.inhibit_rules {
            let m = |ms: &[crate::lint::alertmanager::Matcher]| {
                let v: Vec<String> = ms.iter().map(|m| safe_text(&m.to_string(), MAX)).collect();
                if v.is_empty() { "(any alert)".to_string() } else { v.join(", ") }
            };
            let name =
                rule.name.as_deref().map(|n| format!(" {}", safe_text(n, MAX))).unwrap_or_default();
            let equal = if rule.equal.is_empty() {
                String::new()
            } else {
                let e: Vec<String> = rule.equal.iter().map(|l| safe_text(l, MAX)).collect();
                format!(" when equal: {}", e.join(", "))
            };
            let _ = writeln!(
                out,
                "  [{}]{name} {} mutes {}{equal}  {}",
                rule.index,
                m(&rule.source),
                m(&rule.target),
                paint.dim(&format!("(line {})", rule.pos.line))
            );
        }
    }
    let _ = writeln!(out, "\n{}", paint.bold("By severity (an alert with only this label)"));
    for s in &r.severities {
        let targets: Vec<String> = s
            .receivers
            .iter()
            .map(|name| {
                let integ = integrations(&r.config, name);
                let name = safe_text(name, MAX);
                if integ.is_empty() { name } else { format!("{name} ({integ})") }
            })
            .collect();
        let _ = writeln!(out, "  {:<10} → {}", safe_text(&s.severity, MAX), targets.join(" + "));
    }
    out
}

/// `pagerduty Events API v2 · slack #ops-critical · email oncall@example.com`.
fn integrations(c: &Config, receiver: &str) -> String {
    let Some(r) = c.receiver(receiver) else {
        return String::new();
    };
    if r.integrations.is_empty() {
        return "no integrations: notifications go nowhere".to_string();
    }
    let v: Vec<String> = r
        .integrations
        .iter()
        .map(|i| match &i.destination {
            Some(d) => format!("{} {}", i.kind, safe_text(d, MAX)),
            None => i.kind.clone(),
        })
        .collect();
    v.join(" · ")
}

fn settings(r: &Route) -> String {
    let mut parts = Vec::new();
    let gb: Vec<String> = r.group_by.names().iter().map(|l| safe_text(l, MAX)).collect();
    let gb = if gb.is_empty() { "(nothing: one group)".to_string() } else { gb.join(", ") };
    parts.push(if r.written.group_by || r.path == "route" {
        format!("group_by {gb}")
    } else {
        format!("group_by {gb} (inherited)")
    });
    parts.push(format!("wait {}", fmt_duration(r.group_wait_ms)));
    parts.push(format!("interval {}", fmt_duration(r.group_interval_ms)));
    parts.push(format!("repeat {}", fmt_duration(r.repeat_interval_ms)));
    if r.continue_matching {
        parts.push("continue".to_string());
    }
    if !r.mute_time_intervals.is_empty() {
        let v: Vec<String> = r.mute_time_intervals.iter().map(|n| safe_text(n, MAX)).collect();
        parts.push(format!("muted during {}", v.join(", ")));
    }
    if !r.active_time_intervals.is_empty() {
        let v: Vec<String> = r.active_time_intervals.iter().map(|n| safe_text(n, MAX)).collect();
        parts.push(format!("active only during {}", v.join(", ")));
    }
    parts.join(" · ")
}

fn node(out: &mut String, c: &Config, r: &Route, first: &str, rest: &str, paint: &Paint) {
    let head = if r.path == "route" {
        "route".to_string()
    } else if r.matchers.is_empty() {
        "(every alert)".to_string()
    } else {
        let v: Vec<String> = r.matchers.iter().map(|m| safe_text(&m.to_string(), MAX)).collect();
        v.join(", ")
    };
    let receiver = safe_text(&r.receiver, MAX);
    let receiver =
        if r.written.receiver { paint.bold(&receiver) } else { format!("{receiver} (inherited)") };
    let _ = writeln!(
        out,
        "{first}{}  → {receiver}  {}",
        paint.blue(&head),
        paint.dim(&format!("(line {})", r.pos.line))
    );
    let bar = if r.routes.is_empty() { "    " } else { "│   " };
    let integ = integrations(c, &r.receiver);
    if !integ.is_empty() {
        let _ = writeln!(out, "{rest}{bar}{integ}");
    }
    let _ = writeln!(out, "{rest}{bar}{}", paint.dim(&settings(r)));
    let n = r.routes.len();
    for (i, child) in r.routes.iter().enumerate() {
        let last = i + 1 == n;
        let (f, cont) = if last { ("└── ", "    ") } else { ("├── ", "│   ") };
        node(out, c, child, &format!("{rest}{f}"), &format!("{rest}{cont}"), paint);
    }
}
