//! The dashboard model as files and Grafana hold it: normalisation for comparisons and
//! stable exports, derived uids, `__inputs` substitution, path-safe names.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// Fields Grafana changes on every save (or per instance); stripped before comparing and
/// from exported files.
pub const VOLATILE_FIELDS: [&str; 3] = ["id", "version", "iteration"];

/// The model without volatile fields, with every object's keys in sorted order (so two
/// normalised models are equal exactly when their content is, and print identically).
pub fn normalize(model: &Value) -> Value {
    let mut v = sorted(model);
    if let Value::Object(m) = &mut v {
        for k in VOLATILE_FIELDS {
            m.remove(k);
        }
    }
    v
}

/// A deep copy with object keys inserted in sorted order.
pub fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for k in keys {
                if let Some(x) = m.get(k) {
                    out.insert(k.clone(), sorted(x));
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// Pretty JSON (2 spaces, sorted keys, trailing newline): the format of exported files.
pub fn to_pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(&sorted(v)).unwrap_or_else(|_| "null".into());
    s.push('\n');
    s
}

/// `Node Exporter Full` → `node-exporter-full`; never empty.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() { "dashboard".to_string() } else { out }
}

/// A stable uid for a dashboard file that has none: the title's slug (shortened) and 8 hex
/// digits of its SHA-256, e.g. `node-exporter-full-3f2a9c1d`. Importing the same file again
/// finds the same dashboard; a renamed title is a new dashboard.
pub fn derive_uid(title: &str) -> String {
    let digest = Sha256::digest(title.as_bytes());
    let hex = hex::encode(&digest[..4]);
    let mut s = slug(title);
    s.truncate(31);
    while s.ends_with('-') {
        s.pop();
    }
    format!("{s}-{hex}")
}

/// Grafana accepts uids of at most 40 characters from `[a-zA-Z0-9-_]`.
pub fn uid_is_valid(uid: &str) -> bool {
    !uid.is_empty()
        && uid.len() <= 40
        && uid.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The export file name of a dashboard: `<slug>-<uid>.json`, safe on every filesystem;
/// the uid suffix keeps two dashboards with the same title apart.
pub fn file_name(title: &str, uid: &str) -> String {
    format!("{}-{}.json", slug(title), safe_uid(uid))
}

/// A uid with anything but `[a-zA-Z0-9-_]` replaced by `_` (file and directory names).
pub fn safe_uid(uid: &str) -> String {
    uid.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect()
}

/// A folder title as a directory name: readable, with characters that are unsafe in paths
/// (`/ \ : * ? " < > |`, control characters) replaced by `_`, and never `.`/`..`/empty.
pub fn dir_name(title: &str) -> String {
    let mut s: String = title
        .trim()
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    if s.len() > 100 {
        let mut end = 100;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
    let s = s.trim_start_matches('.').trim().to_string();
    if s.is_empty() { "_".to_string() } else { s }
}

/// One entry of a dashboard's `__inputs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputSpec {
    pub name: String,
    /// `datasource` or `constant`.
    pub kind: String,
    /// The datasource type wanted (`prometheus`), for datasource inputs.
    pub plugin_id: String,
    /// A constant's default value.
    pub value: Option<String>,
}

/// The `__inputs` of a model (empty when it has none).
pub fn inputs(model: &Value) -> Vec<InputSpec> {
    let Some(list) = model.get("__inputs").and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|i| {
            let name = i.get("name")?.as_str()?.to_string();
            let s = |k: &str| i.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
            Some(InputSpec {
                name,
                kind: s("type"),
                plugin_id: s("pluginId"),
                value: i.get("value").and_then(Value::as_str).map(str::to_string),
            })
        })
        .collect()
}

/// Whether the model is a template with `__inputs` (imported through `/api/dashboards/import`).
pub fn has_inputs(model: &Value) -> bool {
    model.get("__inputs").and_then(Value::as_array).is_some_and(|a| !a.is_empty())
}

/// What Grafana's import stores for a template: top-level `__…` keys (`__inputs`,
/// `__requires`, `__elements`) dropped and `${NAME}` replaced in every string value by the
/// input's value (names without a value are left as they are).
pub fn substitute(model: &Value, values: &[(String, String)]) -> Value {
    let mut out = match model {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !k.starts_with("__"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    };
    let vars: Vec<(String, &str)> =
        values.iter().map(|(n, v)| (format!("${{{n}}}"), v.as_str())).collect();
    replace_strings(&mut out, &vars);
    out
}

fn replace_strings(v: &mut Value, vars: &[(String, &str)]) {
    match v {
        Value::String(s) if s.contains("${") => {
            for (pat, val) in vars {
                if s.contains(pat.as_str()) {
                    *s = s.replace(pat.as_str(), val);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| replace_strings(x, vars)),
        Value::Object(m) => m.values_mut().for_each(|x| replace_strings(x, vars)),
        _ => {}
    }
}

/// The model to post for an update or create: `id` null (Grafana finds the dashboard by
/// uid) and `version` set to `version` (Grafana's current one for an update, so a change
/// made meanwhile is refused with 412 instead of overwritten; absent for a create).
pub fn for_save(model: &Value, uid: &str, version: Option<i64>) -> Value {
    let mut v = model.clone();
    if let Value::Object(m) = &mut v {
        m.insert("id".into(), Value::Null);
        m.insert("uid".into(), Value::from(uid));
        // Grafana stores the title trimmed; so must the comparison.
        if let Some(t) = m.get("title").and_then(Value::as_str).map(|t| t.trim().to_string()) {
            m.insert("title".into(), Value::from(t));
        }
        match version {
            Some(n) => {
                m.insert("version".into(), Value::from(n));
            }
            None => {
                m.remove("version");
            }
        }
        m.remove("iteration");
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn normalize_ignores_volatile_fields_and_key_order() {
        let a = json!({"id": 7, "version": 3, "iteration": 1, "uid": "u", "title": "T", "panels": [{"b": 1, "a": 2}]});
        let b = json!({"panels": [{"a": 2, "b": 1}], "title": "T", "uid": "u", "version": 9});
        assert_eq!(normalize(&a), normalize(&b));
        let c = json!({"panels": [{"a": 3, "b": 1}], "title": "T", "uid": "u"});
        assert_ne!(normalize(&a), normalize(&c));
        assert!(to_pretty(&a).starts_with("{\n  \"id\": 7,\n  \"iteration\""));
    }

    #[test]
    fn names_are_path_safe() {
        assert_eq!(
            slug("Kubernetes / Compute Resources / Cluster"),
            "kubernetes-compute-resources-cluster"
        );
        assert_eq!(slug("¡¡¡"), "dashboard");
        assert_eq!(
            file_name("Node Exporter Full", "rYdddlPWk"),
            "node-exporter-full-rYdddlPWk.json"
        );
        assert_eq!(file_name("x", "a/b"), "x-a_b.json");
        assert_eq!(dir_name("Ops / Prod"), "Ops _ Prod");
        assert_eq!(dir_name(".."), "_");
        assert_eq!(dir_name("  Stellar "), "Stellar");
    }

    #[test]
    fn derived_uids_are_stable_and_valid() {
        let a = derive_uid("Stellar Connector");
        assert_eq!(a, derive_uid("Stellar Connector"));
        assert_ne!(a, derive_uid("Stellar Connector 2"));
        assert!(a.starts_with("stellar-connector-"), "{a}");
        assert!(uid_is_valid(&a));
        assert!(uid_is_valid(&derive_uid(&"long title ".repeat(20))));
        assert!(!uid_is_valid("a b"));
        assert!(!uid_is_valid(&"x".repeat(41)));
    }

    #[test]
    fn substitution_follows_grafana() {
        let m = json!({
            "__inputs": [{"name": "DS_PROM", "type": "datasource", "pluginId": "prometheus"}],
            "__requires": [],
            "title": "T",
            "panels": [{"datasource": "${DS_PROM}", "targets": [{"expr": "up", "datasource": {"uid": "${DS_PROM}"}}]}],
            "templating": {"list": [{"query": "${OTHER} and ${DS_PROM}"}]}
        });
        let ins = inputs(&m);
        assert_eq!(ins.len(), 1);
        assert_eq!(ins[0].plugin_id, "prometheus");
        assert!(has_inputs(&m));
        let s = substitute(&m, &[("DS_PROM".into(), "abc".into())]);
        assert!(s.get("__inputs").is_none() && s.get("__requires").is_none());
        assert_eq!(s["panels"][0]["datasource"], "abc");
        assert_eq!(s["panels"][0]["targets"][0]["datasource"]["uid"], "abc");
        assert_eq!(s["templating"]["list"][0]["query"], "${OTHER} and abc");
    }

    #[test]
    fn save_model_sets_uid_and_version() {
        let m = json!({"id": 4, "uid": "old", "version": 2, "iteration": 5, "title": " T "});
        let s = for_save(&m, "new", Some(7));
        assert_eq!(s, json!({"id": null, "uid": "new", "version": 7, "title": "T"}));
        let s = for_save(&m, "new", None);
        assert!(s.get("version").is_none());
    }
}
