//! `-o sarif`: SARIF 2.1.0, one run; the rules are the check registry.

use super::LintReport;
use crate::lint::checks;

/// A relative path as a URI reference (percent-encoding what a URI cannot hold).
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b':'
            | b'@'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'=' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn render(r: &LintReport) -> String {
    let all = checks::all();
    let rules: Vec<serde_json::Value> = all
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.id,
                "shortDescription": {"text": c.summary},
                "defaultConfiguration": {"level": c.severity.sarif_level()},
                "helpUri": format!("https://github.com/stellar-obs/stellar-obs/blob/main/docs/checks.md#{}", c.id.replace('/', "")),
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = r
        .diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(h) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(h);
            }
            let mut res = serde_json::json!({
                "ruleId": d.code,
                "level": d.severity.sarif_level(),
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(&d.path)},
                        "region": {"startLine": d.line, "startColumn": d.column},
                    }
                }],
            });
            if let Some(i) = all.iter().position(|c| c.id == d.code) {
                res["ruleIndex"] = serde_json::json!(i);
            }
            res
        })
        .collect();
    let mut doc = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "stellar-obs",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/stellar-obs/stellar-obs",
                "rules": rules,
            }},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    });
    if !r.notes.is_empty() {
        // Checks that were skipped: tool execution notifications, not results.
        let notes: Vec<serde_json::Value> = r
            .notes
            .iter()
            .map(|n| serde_json::json!({"level": "note", "message": {"text": n}}))
            .collect();
        doc["runs"][0]["invocations"] = serde_json::json!([{
            "executionSuccessful": true,
            "toolExecutionNotifications": notes,
        }]);
    }
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn sarif_shape() {
        let s = super::render(&super::super::sample());
        let v: serde_json::Value = serde_json::from_str(&s).expect("json");
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        assert_eq!(rules.len(), crate::lint::checks::all().len());
        assert!(
            rules.iter().all(|r| r["id"].is_string() && r["shortDescription"]["text"].is_string())
        );
        let res = run["results"].as_array().expect("results");
        assert_eq!(res.len(), 2);
        let e = &res[1];
        assert_eq!(e["ruleId"], "rules/promql-syntax");
        assert_eq!(e["level"], "error");
        let idx = e["ruleIndex"].as_u64().expect("index") as usize;
        assert_eq!(rules[idx]["id"], "rules/promql-syntax");
        let loc = &e["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "rules.yml");
        assert_eq!(loc["region"]["startLine"], 5);
        assert_eq!(loc["region"]["startColumn"], 15);
        assert_eq!(super::uri("a b/c#d.yml"), "a%20b/c%23d.yml");
    }
}
