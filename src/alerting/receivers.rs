//! Receivers and their integrations, as much as a person needs to see where a notification
//! goes: the kind (PagerDuty, Slack, e-mail, webhook, ...) and its destination (Slack
//! channel, e-mail address, webhook host). Secrets are never kept: a URL shows only its
//! scheme, host and port.

use serde::Serialize;

use crate::lint::schema::values::yaml_bool;
use crate::yaml::{Node, Pos};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Integration {
    /// `pagerduty`, `slack`, `email`, `webhook`, ... (the `*_configs` key without `_configs`).
    pub kind: String,
    /// Where it sends: `#ops-critical`, `oncall@example.com`, `http://127.0.0.1:9999`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    /// `send_resolved` when written (each integration has its own default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub send_resolved: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Receiver {
    pub name: String,
    #[serde(skip)]
    pub pos: Pos,
    pub integrations: Vec<Integration>,
}

/// Scheme, host and port of a URL: never a path, query or user info (they may hold tokens).
pub fn url_origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if scheme.is_empty() { host.to_string() } else { format!("{scheme}://{host}") }
}

fn destination(kind: &str, entry: &Node) -> Option<String> {
    let s = |k: &str| entry.get(k).and_then(Node::scalar_text).map(str::to_string);
    match kind {
        "slack" | "mattermost" | "rocketchat" => s("channel"),
        "email" => s("to"),
        "telegram" => s("chat_id").map(|c| format!("chat {c}")),
        "webhook" => match s("url") {
            Some(u) if u != "<secret>" => Some(url_origin(&u)),
            _ => s("url_file").map(|_| "URL from url_file".to_string()),
        },
        "pagerduty" => {
            if entry.get("routing_key").is_some() || entry.get("routing_key_file").is_some() {
                Some("Events API v2".to_string())
            } else if entry.get("service_key").is_some() || entry.get("service_key_file").is_some()
            {
                Some("Events API v1".to_string())
            } else {
                None
            }
        }
        "opsgenie" => s("responders").or_else(|| s("teams")),
        "sns" => s("topic_arn"),
        "jira" => s("project").map(|p| format!("project {p}")),
        _ => None,
    }
}

/// Receivers from the (validated) `receivers:` node.
pub fn from_node(node: Option<&Node>) -> Vec<Receiver> {
    let mut out = Vec::new();
    let Some(items) = node.and_then(Node::as_seq) else {
        return out;
    };
    for item in items {
        let Some(map) = item.as_map() else {
            continue;
        };
        let name = item.get("name").and_then(Node::scalar_text).unwrap_or("").to_string();
        let pos = item.get("name").map_or(item.pos, |n| n.pos);
        let mut integrations = Vec::new();
        for (k, v) in map {
            let Some(kind) = k.name.strip_suffix("_configs") else {
                continue;
            };
            for entry in v.as_seq().unwrap_or(&[]) {
                let send_resolved = entry.get("send_resolved").and_then(yaml_bool);
                integrations.push(Integration {
                    kind: kind.to_string(),
                    destination: destination(kind, entry),
                    send_resolved,
                });
            }
        }
        out.push(Receiver { name, pos, integrations });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_paths_and_credentials() {
        assert_eq!(
            url_origin("https://u:p@hooks.example.com:8443/T/B/secret?x=1"),
            "https://hooks.example.com:8443"
        );
        assert_eq!(url_origin("http://127.0.0.1:9999/hook"), "http://127.0.0.1:9999");
    }
}
