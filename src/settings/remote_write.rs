//! `remote_write:` in `stellar-obs.yml`: where every Prometheus of the stack sends its
//! samples (a central store: Mimir, Thanos Receive, VictoriaMetrics, a Prometheus with the
//! remote-write receiver), with the labels the store needs to deduplicate an HA pair.
//!
//! Only settings live here, checked before any side effect; the `remote_write` block of
//! `prometheus/prometheus.yml` is made from them by `stack::remote_write`. Credentials
//! never go into `stellar-obs.yml` or on the command line: the basic-auth password and
//! the bearer token are files in `prometheus/secrets/` ([`PASSWORD_FILE`], [`TOKEN_FILE`]).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Result, bail};
use serde::Deserialize;

/// The basic-auth password, relative to the stack directory.
pub const PASSWORD_FILE: &str = "prometheus/secrets/remote_write_password";
/// The bearer token, relative to the stack directory.
pub const TOKEN_FILE: &str = "prometheus/secrets/remote_write_token";
/// The name of the queue in Prometheus (`remote_name` on its `prometheus_remote_storage_*`
/// metrics).
pub const QUEUE_NAME: &str = "central";
/// The stack's own replica label (`external_labels.replica` of an HA pair).
pub const STACK_REPLICA_LABEL: &str = "replica";

/// Queue settings. The defaults are sized for the stack: about 3 000 active series (the
/// connector's catalogue, node-exporter, cAdvisor, the stack's own components) scraped
/// every 5 to 15 s, i.e. a few hundred samples per second; see docs/scale.md.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Queue {
    /// Samples buffered per shard.
    #[serde(default = "default_capacity")]
    pub capacity: u32,
    #[serde(default = "default_min_shards")]
    pub min_shards: u32,
    #[serde(default = "default_max_shards")]
    pub max_shards: u32,
    #[serde(default = "default_max_samples_per_send")]
    pub max_samples_per_send: u32,
    /// A Prometheus duration (`5s`).
    #[serde(default = "default_batch_send_deadline")]
    pub batch_send_deadline: String,
    #[serde(default = "default_min_backoff")]
    pub min_backoff: String,
    #[serde(default = "default_max_backoff")]
    pub max_backoff: String,
}

fn default_capacity() -> u32 {
    10_000
}
fn default_min_shards() -> u32 {
    1
}
fn default_max_shards() -> u32 {
    10
}
fn default_max_samples_per_send() -> u32 {
    2_000
}
fn default_batch_send_deadline() -> String {
    "5s".into()
}
fn default_min_backoff() -> String {
    "30ms".into()
}
fn default_max_backoff() -> String {
    "5s".into()
}

impl Default for Queue {
    fn default() -> Self {
        Queue {
            capacity: default_capacity(),
            min_shards: default_min_shards(),
            max_shards: default_max_shards(),
            max_samples_per_send: default_max_samples_per_send(),
            batch_send_deadline: default_batch_send_deadline(),
            min_backoff: default_min_backoff(),
            max_backoff: default_max_backoff(),
        }
    }
}

/// `remote_write:` as written in `stellar-obs.yml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoteWrite {
    /// The store's push endpoint (`https://mimir.example.com/api/v1/push`).
    pub url: String,
    /// The `cluster` external label (Mimir's HA tracker groups replicas by it); default:
    /// the project name.
    #[serde(default)]
    pub cluster: Option<String>,
    /// The label the store deduplicates replicas on: the stack's `replica` label is sent
    /// under this name (Mimir: `__replica__`, the default; Thanos/Cortex configured
    /// otherwise: their name). `replica` sends it unchanged; an empty value sends no
    /// replica label at all (VictoriaMetrics deduplicates by time).
    #[serde(default = "default_replica_label")]
    pub replica_label: String,
    /// Basic-auth user; the password is [`PASSWORD_FILE`].
    #[serde(default)]
    pub username: Option<String>,
    /// Send `Authorization: Bearer` with the token in [`TOKEN_FILE`].
    #[serde(default)]
    pub bearer_token: bool,
    /// Extra HTTP headers (`X-Scope-OrgID: tenant`); not for credentials.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Metric names (RE2 regular expressions, anchored) never sent to the store.
    #[serde(default = "default_drop_metrics")]
    pub drop_metrics: Vec<String>,
    #[serde(default)]
    pub queue: Queue,
    /// `check-health`: the queue is degraded when its newest sent sample is older than
    /// this behind the newest sample Prometheus took in.
    #[serde(default = "default_max_lag")]
    pub max_lag_seconds: u64,
}

fn default_replica_label() -> String {
    "__replica__".into()
}

/// Go runtime internals of every component: many series nobody queries centrally, and
/// nothing the stack's rules or dashboards use (a unit test keeps it so).
pub fn default_drop_metrics() -> Vec<String> {
    vec!["go_.*".into()]
}

fn default_max_lag() -> u64 {
    120
}

impl RemoteWrite {
    /// Settings with only a URL (`init --remote-write URL`).
    pub fn with_url(url: &str) -> RemoteWrite {
        RemoteWrite {
            url: url.to_string(),
            cluster: None,
            replica_label: default_replica_label(),
            username: None,
            bearer_token: false,
            headers: BTreeMap::new(),
            drop_metrics: default_drop_metrics(),
            queue: Queue::default(),
            max_lag_seconds: default_max_lag(),
        }
    }

    /// The `cluster` label's value.
    pub fn cluster_or<'a>(&'a self, project: &'a str) -> &'a str {
        self.cluster.as_deref().unwrap_or(project)
    }

    /// Check every value; `source` names where they came from (`stellar-obs.yml:
    /// remote_write`).
    pub fn check(&self, source: &str) -> Result<()> {
        check_url(&self.url).map_err(|why| anyhow::anyhow!("{source}.url: {why}"))?;
        if let Some(c) = &self.cluster
            && (c.trim().is_empty() || c.chars().any(char::is_control))
        {
            bail!("{source}.cluster: must be a non-empty label value without control characters");
        }
        if !self.replica_label.is_empty() && !is_label_name(&self.replica_label) {
            bail!(
                "{source}.replica_label: `{}` is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)",
                self.replica_label
            );
        }
        if let Some(u) = &self.username
            && (u.is_empty() || u.chars().any(char::is_control))
        {
            bail!("{source}.username: must be non-empty, without control characters");
        }
        if self.username.is_some() && self.bearer_token {
            bail!(
                "{source}: `username` (basic auth) and `bearer_token: true` exclude each other; keep one"
            );
        }
        for (k, v) in &self.headers {
            if k.is_empty() || !k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                bail!("{source}.headers: `{k}` is not an HTTP header name");
            }
            let lower = k.to_ascii_lowercase();
            if matches!(
                lower.as_str(),
                "authorization"
                    | "host"
                    | "content-encoding"
                    | "content-length"
                    | "content-type"
                    | "user-agent"
                    | "connection"
                    | "keep-alive"
                    | "proxy-authenticate"
                    | "proxy-authorization"
                    | "www-authenticate"
                    | "retry-after"
                    | "x-prometheus-remote-write-version"
            ) {
                bail!(
                    "{source}.headers: Prometheus sets `{k}` itself and refuses it here{}",
                    if lower == "authorization" {
                        format!(
                            "; use `username` (password in {PASSWORD_FILE}) or `bearer_token: true` (token in {TOKEN_FILE})"
                        )
                    } else {
                        String::new()
                    }
                );
            }
            if v.chars().any(char::is_control) {
                bail!("{source}.headers.{k}: control characters are not allowed");
            }
        }
        for (i, re) in self.drop_metrics.iter().enumerate() {
            if re.is_empty() {
                bail!("{source}.drop_metrics[{i}]: empty expression (it would match nothing)");
            }
            if let Err(e) = regex::Regex::new(&format!("^(?:{re})$")) {
                let first = e.to_string();
                let first = first.lines().last().unwrap_or("").trim();
                bail!("{source}.drop_metrics[{i}]: `{re}` is not a regular expression: {first}");
            }
        }
        let q = &self.queue;
        for (name, v) in [
            ("capacity", q.capacity),
            ("min_shards", q.min_shards),
            ("max_shards", q.max_shards),
            ("max_samples_per_send", q.max_samples_per_send),
        ] {
            if v == 0 {
                bail!("{source}.queue.{name}: must be at least 1");
            }
        }
        if q.min_shards > q.max_shards {
            bail!(
                "{source}.queue: min_shards ({}) is above max_shards ({})",
                q.min_shards,
                q.max_shards
            );
        }
        if q.max_samples_per_send > q.capacity {
            bail!(
                "{source}.queue: max_samples_per_send ({}) is above capacity ({}); a batch could never fill",
                q.max_samples_per_send,
                q.capacity
            );
        }
        for (name, v) in [
            ("batch_send_deadline", &q.batch_send_deadline),
            ("min_backoff", &q.min_backoff),
            ("max_backoff", &q.max_backoff),
        ] {
            if !is_duration(v) {
                bail!("{source}.queue.{name}: `{v}` is not a Prometheus duration (e.g. 5s, 30ms)");
            }
        }
        if self.max_lag_seconds == 0 {
            bail!("{source}.max_lag_seconds: must be at least 1");
        }
        Ok(())
    }

    /// Whether the secret file the settings need is missing under `dir`: its path.
    pub fn missing_secret(&self, dir: &Path) -> Option<&'static str> {
        let file = if self.username.is_some() {
            PASSWORD_FILE
        } else if self.bearer_token {
            TOKEN_FILE
        } else {
            return None;
        };
        (!dir.join(file).is_file()).then_some(file)
    }
}

/// A Prometheus duration (`1h30m`, `5s`, `30ms`): units in order, at least one, not zero.
/// (Settings sit below the linter, so its full parser is not used here.)
pub fn is_duration(s: &str) -> bool {
    static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$").expect("valid")
    });
    !s.is_empty() && RE.is_match(s) && s.bytes().any(|b| b.is_ascii_digit() && b != b'0')
}

/// `[a-zA-Z_][a-zA-Z0-9_]*`.
pub fn is_label_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// An `http(s)://host[:port]/path` push URL without credentials in it.
pub fn check_url(v: &str) -> std::result::Result<(), String> {
    if v.chars().any(char::is_control) || v.contains(char::is_whitespace) {
        return Err("the URL holds spaces or control characters".into());
    }
    let url = reqwest::Url::parse(v).map_err(|e| format!("`{v}` is not a URL: {e}"))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(format!("`{v}` is not http:// or https://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("`{v}` has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "credentials do not go into the URL (it is shown and logged); set `username` and put the password in {PASSWORD_FILE}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> RemoteWrite {
        serde_saphyr::from_str(yaml).expect("parses")
    }

    #[test]
    fn defaults_and_a_full_section() {
        let rw = parse("url: https://mimir.example/api/v1/push\n");
        assert_eq!(rw, RemoteWrite::with_url("https://mimir.example/api/v1/push"));
        assert_eq!(rw.cluster_or("proj"), "proj");
        rw.check("s").expect("valid");
        let rw = parse(
            "url: http://127.0.0.1:9090/api/v1/write\ncluster: eu-1\nreplica_label: ''\nusername: t\nheaders: {X-Scope-OrgID: connector}\ndrop_metrics: ['go_.*', 'scrape_.*']\nqueue: {max_shards: 4, batch_send_deadline: 1s}\nmax_lag_seconds: 30\n",
        );
        rw.check("s").expect("valid");
        assert_eq!(rw.cluster_or("proj"), "eu-1");
        assert_eq!(rw.queue.max_shards, 4);
        assert_eq!(rw.queue.capacity, 10_000);
        assert_eq!(rw.missing_secret(Path::new("/nonexistent")), Some(PASSWORD_FILE));
    }

    #[test]
    fn bad_values_say_which_key_and_why() {
        let err = |yaml: &str| {
            let rw: RemoteWrite = serde_saphyr::from_str(yaml).expect("parses");
            format!("{:#}", rw.check("stellar-obs.yml: remote_write").expect_err(yaml))
        };
        assert!(
            err("url: https://u:p@h/api/v1/push\n").contains("credentials do not go into the URL")
        );
        assert!(err("url: mimir:9009\n").starts_with("stellar-obs.yml: remote_write.url: "));
        assert!(err("url: http://h\nreplica_label: 'a-b'\n").contains("replica_label: `a-b`"));
        assert!(
            err("url: http://h\nheaders: {Authorization: x}\n").contains("use `username`"),
            "{}",
            err("url: http://h\nheaders: {Authorization: x}\n")
        );
        assert!(err("url: http://h\nusername: u\nbearer_token: true\n").contains("exclude"));
        assert!(err("url: http://h\ndrop_metrics: ['go_(']\n").contains("drop_metrics[0]"));
        assert!(
            err("url: http://h\nqueue: {min_shards: 5, max_shards: 2}\n").contains("min_shards")
        );
        assert!(err("url: http://h\nqueue: {max_backoff: 5 s}\n").contains("queue.max_backoff"));
        assert!(err("url: http://h\ncluster: ''\n").contains("remote_write.cluster"));
    }

    #[test]
    fn unknown_keys_are_refused() {
        let e = serde_saphyr::from_str::<RemoteWrite>("url: http://h\npasword: x\n");
        assert!(e.is_err());
    }
}
