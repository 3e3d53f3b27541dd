//! Unit tests per check family: the code and the exact position of each finding.

use std::path::Path;

use super::*;
use crate::lint::Options;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::{http_config, schema};

fn run_with(text: &str, opts: &Options, path: &Path) -> (Vec<Diagnostic>, PromFacts) {
    let src = Source::new("prometheus.yml", path, text);
    let tree = crate::yaml::parse(text).expect("test YAML parses");
    let mut diags = Vec::new();
    let facts = check_config(&src, &tree, opts, &mut diags);
    (diags, facts)
}

fn run(text: &str) -> Vec<Diagnostic> {
    run_with(text, &Options::default(), Path::new("/nonexistent/prometheus.yml")).0
}

/// (code, line, column) of every finding, sorted.
fn found(diags: &[Diagnostic]) -> Vec<(&'static str, u32, u32)> {
    let mut v: Vec<_> = diags.iter().map(|d| (d.code, d.line, d.column)).collect();
    v.sort();
    v
}

fn one(text: &str) -> Diagnostic {
    let d = run(text);
    assert_eq!(d.len(), 1, "expected exactly one finding, got {d:#?}");
    d.into_iter().next().expect("one")
}

fn assert_one(text: &str, code: &str, line: u32, col: u32, phrase: &str) {
    let d = one(text);
    assert_eq!((d.code, d.line, d.column), (code, line, col), "{d:?}");
    assert!(d.message.contains(phrase), "{:?} does not contain {phrase:?}", d.message);
}

#[test]
fn valid_configs_have_no_findings() {
    assert!(run("").is_empty());
    let text = "global:\n  scrape_interval: 15s\n  external_labels: {a: b}\nrule_files: [a.yml]\n\
                scrape_configs:\n  - job_name: x\n    static_configs:\n      - targets: ['h:1']\n";
    assert!(run(text).is_empty(), "{:?}", run(text));
}

#[test]
fn unknown_fields_and_duplicate_keys_are_positioned() {
    let d = run("scrape_configs:\n  - job_name: a\n    scrape_intervall: 5s\n    job_name: b\n");
    assert_eq!(found(&d), vec![("yaml/duplicate-key", 4, 5), ("yaml/unknown-field", 3, 5)]);
    assert_eq!(
        d.iter().find(|d| d.code == "yaml/unknown-field").and_then(|d| d.help.clone()),
        Some("did you mean `scrape_interval`?".into())
    );
}

#[test]
fn scrape_timeout_greater_than_interval() {
    assert_one(
        "scrape_configs:\n  - job_name: a\n    scrape_interval: 5s\n    scrape_timeout: 10s\n",
        code::SCRAPE_TIMEOUT,
        4,
        21,
        "scrape timeout greater than scrape interval for scrape config with job name \"a\"",
    );
    // Inherited interval: reported at the job's timeout.
    assert_one(
        "global:\n  scrape_interval: 5s\n  scrape_timeout: 5s\nscrape_configs:\n  - job_name: a\n    scrape_timeout: 6s\n",
        code::SCRAPE_TIMEOUT,
        6,
        21,
        "scrape timeout greater",
    );
    assert_one(
        "global:\n  scrape_interval: 5s\n  scrape_timeout: 6s\n",
        code::SCRAPE_TIMEOUT,
        3,
        19,
        "global scrape timeout greater than scrape interval",
    );
}

#[test]
fn duplicate_job_points_at_the_second_name() {
    let d = one("scrape_configs:\n  - job_name: a\n  - job_name: b\n  - job_name: a\n");
    assert_eq!((d.code, d.line, d.column), (code::DUPLICATE_JOB, 4, 15));
    assert!(d.message.contains("found multiple scrape configs with job name \"a\""));
    assert!(d.help.as_deref().is_some_and(|h| h.contains("line 2")));
}

#[test]
fn job_name_and_empty_sections() {
    assert_one(
        "scrape_configs:\n  - scrape_interval: 5s\n",
        code::JOB_NAME,
        2,
        5,
        "job_name is empty",
    );
    assert_one(
        "scrape_configs:\n  -\n",
        code::EMPTY_SECTION,
        2,
        4,
        "empty or null scrape config section",
    );
    assert_one(
        "scrape_configs:\n  - job_name: a\n    static_configs:\n      -\n",
        code::EMPTY_SECTION,
        4,
        8,
        "empty or null section in static_configs",
    );
    assert_one(
        "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      -\n",
        code::EMPTY_SECTION,
        4,
        8,
        "empty or null target relabeling rule",
    );
    assert_one(
        "remote_write:\n  -\n",
        code::EMPTY_SECTION,
        2,
        4,
        "empty or null remote write config section",
    );
}

fn relabel(rule: &str) -> String {
    format!("scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - {rule}\n")
}

#[test]
fn relabel_rules() {
    assert_one(
        &relabel("{action: hashmod, source_labels: [a], target_label: b}"),
        code::RELABEL,
        4,
        9,
        "relabel configuration for hashmod requires non-zero modulus",
    );
    assert_one(
        &relabel("{source_labels: [a]}"),
        code::RELABEL,
        4,
        9,
        "relabel configuration for replace action requires 'target_label' value",
    );
    assert_one(
        &relabel("{action: labeldrop, regex: x, separator: ','}"),
        code::RELABEL,
        4,
        39,
        "labeldrop action requires only 'regex', and no other fields",
    );
    assert_one(
        &relabel("{action: keepequal, source_labels: [a], target_label: b, regex: x}"),
        code::RELABEL,
        4,
        66,
        "keepequal action requires only 'source_labels' and `target_label`",
    );
    assert_one(
        &relabel("{action: lowercase, source_labels: [a], target_label: b, replacement: c}"),
        code::RELABEL,
        4,
        66,
        "'replacement' can not be set for lowercase action",
    );
    let d = one(&relabel("{action: labledrop}"));
    assert_eq!((d.code, d.line, d.column), (code::RELABEL, 4, 18));
    assert_eq!(d.help.as_deref(), Some("did you mean `labeldrop`?"));
    assert_one(&relabel("{action: null}"), code::RELABEL, 4, 10, "relabel action cannot be empty");
    // Actions are case-insensitive; the equal actions need no regex.
    assert!(run(&relabel("{action: DropEqual, source_labels: [a], target_label: b}")).is_empty());
}

#[test]
fn regex_errors_point_at_the_regex() {
    assert_one(
        &relabel("{regex: 'abc(def', target_label: x}"),
        code::REGEX,
        4,
        17,
        "error parsing regexp",
    );
}

#[test]
fn label_names_follow_the_validation_scheme() {
    // UTF-8 (default): dots are fine.
    assert!(run("global:\n  external_labels:\n    a.b: c\n").is_empty());
    assert_one(
        "global:\n  metric_name_validation_scheme: legacy\n  metric_name_escaping_scheme: underscores\n  external_labels:\n    a.b: c\n",
        code::LABEL_NAME,
        5,
        5,
        "\"a.b\" is not a valid label name",
    );
    let text = "global:\n  metric_name_validation_scheme: legacy\n  metric_name_escaping_scheme: underscores\n\
                scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - {source_labels: [x], target_label: a.b}\n";
    assert_one(
        text,
        code::LABEL_NAME,
        7,
        44,
        "\"a.b\" is invalid 'target_label' for replace action",
    );
}

#[test]
fn urls() {
    let sd = |u: &str| {
        format!("scrape_configs:\n  - job_name: a\n    http_sd_configs:\n      - url: {u}\n")
    };
    assert_one(&sd("example.com/sd"), code::URL, 4, 14, "URL scheme must be 'http' or 'https'");
    assert_one(&sd("http:///sd"), code::URL, 4, 14, "host is missing in URL");
    assert_one(&sd("'http://a:b/'"), code::URL, 4, 14, "invalid port");
}

#[test]
fn auth_exclusivity() {
    assert_one(
        "scrape_configs:\n  - job_name: a\n    bearer_token: x\n    bearer_token_file: y\n",
        http_config::CONFLICT,
        4,
        5,
        "at most one of bearer_token & bearer_token_file must be configured",
    );
    assert_one(
        "scrape_configs:\n  - job_name: a\n    basic_auth: {username: u}\n    authorization: {credentials: c}\n",
        http_config::CONFLICT,
        4,
        5,
        "at most one of basic_auth, oauth2 & authorization must be configured",
    );
    assert_one(
        "scrape_configs:\n  - job_name: a\n    basic_auth: {username: u, password: p, password_file: f}\n",
        http_config::CONFLICT,
        3,
        44,
        "at most one of basic_auth password, password_file & password_ref",
    );
    assert_one(
        "scrape_configs:\n  - job_name: a\n    authorization: {type: Basic, credentials: c}\n",
        schema::BAD_VALUE,
        3,
        27,
        "authorization type cannot be set to \"basic\"",
    );
    assert_one(
        "scrape_configs:\n  - job_name: a\n    oauth2: {client_id: i}\n",
        http_config::INCOMPLETE,
        3,
        13,
        "oauth2 token_url must be configured",
    );
    assert_one(
        "remote_write:\n  - url: http://a/\n    basic_auth: {username: u}\n    sigv4: {region: r}\n",
        code::AUTH_CONFLICT,
        4,
        5,
        "Currently configured: [basic_auth sigv4]",
    );
}

#[test]
fn tls_and_proxy() {
    let job = |extra: &str| format!("scrape_configs:\n  - job_name: a\n{extra}");
    assert_one(
        &job("    tls_config:\n      ca: x\n      ca_file: y\n"),
        http_config::CONFLICT,
        5,
        7,
        "at most one of ca, ca_file & ca_ref must be configured",
    );
    assert_one(
        &job("    tls_config:\n      cert_file: c\n"),
        http_config::INCOMPLETE,
        4,
        7,
        "exactly one of key or key_file must be configured",
    );
    assert_one(
        &job("    tls_config:\n      min_version: TLS14\n"),
        schema::BAD_VALUE,
        4,
        20,
        "unknown TLS version: TLS14",
    );
    assert_one(
        &job("    no_proxy: localhost\n"),
        http_config::INCOMPLETE,
        3,
        5,
        "if no_proxy is configured, proxy_url must also be configured",
    );
}

#[test]
fn headers() {
    assert_one(
        "remote_write:\n  - url: http://a/\n    headers:\n      Authorization: x\n",
        code::HEADER,
        4,
        7,
        "authorization header must be changed via the basic_auth",
    );
    assert_one(
        "scrape_configs:\n  - job_name: a\n    http_headers:\n      user-agent: {values: [x]}\n",
        http_config::RESERVED_HEADER,
        4,
        7,
        "setting header \"User-Agent\" is not allowed",
    );
}

#[test]
fn service_discovery_rules() {
    let sd = |body: &str| format!("scrape_configs:\n  - job_name: a\n{body}");
    assert_one(
        &sd("    consul_sd_configs:\n      - server: ' '\n"),
        code::SD_CONFIG,
        4,
        9,
        "consul SD configuration requires a server address",
    );
    assert_one(
        &sd("    kubernetes_sd_configs:\n      - namespaces: {names: [a]}\n"),
        code::SD_CONFIG,
        4,
        9,
        "role missing",
    );
    assert_one(
        &sd(
            "    kubernetes_sd_configs:\n      - role: node\n        selectors:\n          - role: pod\n",
        ),
        code::SD_CONFIG,
        6,
        19,
        "node role supports only node selectors",
    );
    assert_one(
        &sd(
            "    kubernetes_sd_configs:\n      - role: pod\n        tls_config: {insecure_skip_verify: true}\n",
        ),
        code::SD_CONFIG,
        5,
        9,
        "please provide the 'api_server' URL explicitly",
    );
    assert_one(
        &sd("    dns_sd_configs:\n      - names: [a]\n        type: A\n"),
        code::SD_CONFIG,
        4,
        9,
        "a port is required in DNS-SD configs",
    );
    assert_one(
        &sd("    file_sd_configs:\n      - files: [targets/*.txt]\n"),
        code::SD_CONFIG,
        4,
        17,
        "path name \"targets/*.txt\" is not valid for file discovery",
    );
    assert_one(
        &sd(
            "    ec2_sd_configs:\n      - region: r\n        bearer_token: a\n        bearer_token_file: b\n",
        ),
        http_config::CONFLICT,
        6,
        9,
        "at most one of bearer_token & bearer_token_file",
    );
    assert_one(&sd("    docker_sd_configs:\n      - {}\n"), code::SD_CONFIG, 4, 9, "host missing");
    // Every mechanism's key is known and a minimal valid entry passes.
    let minimal = [
        ("aws_sd_configs", "role: ec2"),
        ("azure_sd_configs", "{subscription_id: s, authentication_method: ManagedIdentity}"),
        ("consul_sd_configs", "{}"),
        ("digitalocean_sd_configs", "{}"),
        ("dns_sd_configs", "names: [a]"),
        ("docker_sd_configs", "host: unix:///var/run/docker.sock"),
        ("dockerswarm_sd_configs", "{host: 'tcp://h:2375', role: nodes}"),
        ("ec2_sd_configs", "region: r"),
        ("ecs_sd_configs", "region: r"),
        ("elasticache_sd_configs", "region: r"),
        ("eureka_sd_configs", "server: http://e:8761/eureka"),
        ("file_sd_configs", "files: [a.json]"),
        ("gce_sd_configs", "{project: p, zone: z}"),
        ("hetzner_sd_configs", "role: hcloud"),
        ("http_sd_configs", "url: http://h/sd"),
        ("ionos_sd_configs", "datacenter_id: d"),
        ("kubernetes_sd_configs", "role: pod"),
        ("kuma_sd_configs", "server: http://k:5676"),
        ("lightsail_sd_configs", "region: r"),
        ("linode_sd_configs", "{}"),
        ("marathon_sd_configs", "servers: [http://m]"),
        ("msk_sd_configs", "region: r"),
        ("nerve_sd_configs", "{servers: [z], paths: [/p]}"),
        ("nomad_sd_configs", "{}"),
        ("oci_sd_configs", "{region: r, auth: instance_principal}"),
        ("openstack_sd_configs", "{role: instance, region: r}"),
        ("outscale_sd_configs", "{access_key: a, secret_key: s}"),
        (
            "ovhcloud_sd_configs",
            "{application_key: a, application_secret: s, consumer_key: c, service: vps}",
        ),
        ("puppetdb_sd_configs", "{url: 'http://p', query: 'resources { }'}"),
        ("rds_sd_configs", "region: r"),
        (
            "scaleway_sd_configs",
            "{role: instance, project_id: 11111111-1111-1111-1111-111111111112, access_key: SCWXXXXXXXXXXXXXXXXX, secret_key_file: f}",
        ),
        ("serverset_sd_configs", "{servers: [z], paths: [/p]}"),
        ("stackit_sd_configs", "project: p"),
        ("triton_sd_configs", "{account: a, dns_suffix: d, endpoint: e}"),
        ("uyuni_sd_configs", "{server: https://u, username: u, password: p}"),
        ("vultr_sd_configs", "{}"),
    ];
    assert_eq!(minimal.len(), sd::KINDS.len());
    for (key, body) in minimal {
        let text = format!("scrape_configs:\n  - job_name: a\n    {key}:\n      - {body}\n");
        assert!(run(&text).is_empty(), "{key}: {:?}", run(&text));
    }
}

#[test]
fn static_targets() {
    assert_one(
        "scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: ['http://h:9100']\n",
        code::TARGET,
        4,
        19,
        "\"http://h:9100\" is not a valid hostname",
    );
    // Relabelling can make the address valid...
    let text = "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - {source_labels: [__address__], target_label: __param_target}\n      - {target_label: __address__, replacement: 'exporter:9115'}\n    static_configs:\n      - targets: ['http://h']\n";
    assert!(run(text).is_empty(), "{:?}", run(text));
    // ...or drop the target.
    let text = "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - {source_labels: [__address__], regex: 'http.*', action: drop}\n    static_configs:\n      - targets: ['http://h']\n";
    assert!(run(text).is_empty(), "{:?}", run(text));
    assert_one(
        "alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: [http://am]\n",
        code::TARGET,
        4,
        21,
        "\"http://am\" is not a valid hostname",
    );
}

#[test]
fn remote_write_and_read() {
    assert_one(
        "remote_write:\n  - url: http://a/\n    queue_config: {min_shards: 10, max_shards: 5}\n",
        code::QUEUE_CONFIG,
        3,
        36,
        "min_shards must not be greater than max_shards",
    );
    assert_one(
        "remote_write:\n  - url: http://a/\n    queue_config: {capacity: 0}\n",
        code::QUEUE_CONFIG,
        3,
        20,
        "remote write queue capacity must be positive",
    );
    assert_one("remote_write:\n  - name: x\n", code::REMOTE, 2, 5, "url for remote_write is empty");
    assert_one(
        "remote_read:\n  - {url: 'http://a/', name: q}\n  - {url: 'http://b/', name: q}\n",
        code::REMOTE,
        3,
        30,
        "found multiple remote read configs with job name \"q\"",
    );
    assert_one(
        "remote_write:\n  - url: http://a/\n    protobuf_message: v2\n",
        code::REMOTE,
        3,
        23,
        "invalid protobuf_message value",
    );
}

#[test]
fn alerting_and_agent_mode() {
    assert_one(
        "alerting:\n  alertmanagers:\n    - api_version: v1\n",
        code::ALERTMANAGER,
        3,
        20,
        "expected Alertmanager api version to be one of [v2] but got v1",
    );
    let text = "rule_files: [a.yml]\nalerting:\n  alertmanagers:\n    - static_configs: [{targets: ['a:1']}]\nremote_read:\n  - url: http://r/\n";
    let (d, _) = run_with(
        text,
        &Options { check_files: false, agent: true, ..Options::default() },
        Path::new("/x/p.yml"),
    );
    assert_eq!(
        found(&d),
        vec![(code::AGENT_MODE, 1, 1), (code::AGENT_MODE, 2, 1), (code::AGENT_MODE, 5, 1)]
    );
}

#[test]
fn names_protocols_storage_tracing_otlp() {
    assert_one(
        "global:\n  metric_name_validation_scheme: legacy\n  metric_name_escaping_scheme: allow-utf-8\nscrape_configs:\n  - job_name: a\n  - job_name: b\n",
        code::NAME_VALIDATION,
        3,
        32,
        "utf8 metric names requested but validation scheme is not set to UTF8",
    );
    assert_one(
        "scrape_configs:\n  - job_name: a\n    scrape_protocols: [PrometheusProto, prometheusproto]\n",
        code::SCRAPE_PROTOCOL,
        3,
        41,
        "duplicated protocol in scrape_protocols",
    );
    let d = one(
        "scrape_configs:\n  - job_name: a\n    fallback_scrape_protocol: prometheustext0.0.4\n",
    );
    assert_eq!((d.code, d.line, d.column), (code::SCRAPE_PROTOCOL, 3, 31));
    assert_one(
        "storage:\n  tsdb:\n    retention:\n      percentage: 101\n",
        code::STORAGE,
        4,
        19,
        "must be in the range [0, 100]",
    );
    assert_one(
        "storage:\n  tsdb:\n    retention:\n      size: -1GB\n",
        code::STORAGE,
        4,
        13,
        "greater than or equal to 0",
    );
    assert_one(
        "tracing:\n  client_type: grpc\n",
        code::TRACING,
        1,
        1,
        "tracing endpoint must be set",
    );
    assert_one(
        "global:\n  metric_name_validation_scheme: legacy\n  metric_name_escaping_scheme: underscores\notlp:\n  translation_strategy: NoTranslation\n",
        code::OTLP,
        5,
        25,
        "is not allowed when UTF8 is disabled",
    );
    assert_one(
        "otlp:\n  ignore_resource_attributes: [a]\n",
        code::OTLP,
        2,
        3,
        "'ignore_resource_attributes' cannot be configured unless",
    );
}

#[test]
fn long_scrape_interval_is_a_warning() {
    let d = one("scrape_configs:\n  - job_name: a\n    scrape_interval: 10m\n");
    assert_eq!((d.code, d.severity, d.line, d.column), (code::LOOKBACK, Severity::Warning, 3, 22));
}

#[test]
fn files_are_checked_only_in_a_full_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = dir.path().join("prometheus.yml");
    std::fs::create_dir_all(dir.path().join("rules")).expect("mkdir");
    std::fs::write(dir.path().join("rules/a.yml"), "groups: []\n").expect("write");
    std::fs::write(dir.path().join("token"), "t").expect("write");
    std::fs::write(
        dir.path().join("sd.yml"),
        "- targets: ['ok:1']\n- targets: ['http://bad']\n  labels: {'': x}\n",
    )
    .expect("write");
    let text = "rule_files: [rules/a.yml, rules/missing.yml, 'rules/*.yml']\n\
                scrape_configs:\n  - job_name: a\n    bearer_token_file: token\n    tls_config: {cert_file: c.pem, key_file: k.pem}\n\
                \x20   file_sd_configs:\n      - files: [sd.yml, 'nothing/*.json']\n";
    let full = Options { check_files: true, agent: false, ..Options::default() };
    let (d, facts) = run_with(text, &full, &cfg);
    let got: Vec<(&str, &str, u32, u32)> = {
        let mut v: Vec<_> = d.iter().map(|d| (d.path.as_str(), d.code, d.line, d.column)).collect();
        v.sort();
        v
    };
    assert_eq!(
        got,
        vec![
            ("prometheus.yml", code::FILE_MISSING, 1, 27),
            ("prometheus.yml", code::FILE_MISSING, 5, 29),
            ("prometheus.yml", code::FILE_MISSING, 5, 46),
            ("prometheus.yml", code::FILE_SD_MISSING, 7, 25),
            ("sd.yml", code::LABEL_NAME, 3, 12),
            ("sd.yml", code::TARGET, 2, 13),
        ],
        "{d:#?}"
    );
    assert!(
        d.iter().any(|d| d
            .message
            .contains("\"rules/missing.yml\" does not point to an existing file"))
    );
    assert_eq!(facts.rule_files.len(), 3);
    assert_eq!(facts.rule_file_paths.len(), 2, "rules/a.yml directly and through the glob");
    // Parse-only: no file is looked at.
    let (d, _) = run_with(text, &Options::default(), &cfg);
    assert!(d.is_empty(), "{d:?}");
}

/// A misspelt rule file gets a "did you mean" like misspelt keys do: a missing file (an
/// error, as before) and a glob that matches nothing while nearly matching a file (a
/// warning: Prometheus accepts empty globs).
#[test]
fn misspelt_rule_files_get_a_did_you_mean() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = dir.path().join("prometheus.yml");
    std::fs::create_dir_all(dir.path().join("rules")).expect("mkdir");
    for f in ["stellar_alerts.yml", "rules/node.yml", "rules/connector.yml"] {
        std::fs::write(dir.path().join(f), "groups: []\n").expect("write");
    }
    let full = Options { check_files: true, ..Options::default() };
    let text = "rule_files:\n  - stellar_alert.yml\n  - 'rules/*.yaml'\n  - 'rules/conector*.yml'\n  - totally_different.yml\n  - 'nothing/*.yml'\n";
    let (d, _) = run_with(text, &full, &cfg);
    let got: Vec<(&str, Severity, u32, Option<&str>)> = {
        let mut v: Vec<_> =
            d.iter().map(|d| (d.code, d.severity, d.line, d.help.as_deref())).collect();
        v.sort_by_key(|x| x.2);
        v
    };
    assert_eq!(
        got,
        vec![
            (code::FILE_MISSING, Severity::Error, 2, Some("did you mean `stellar_alerts.yml`?")),
            (code::RULE_FILES_NO_MATCH, Severity::Warning, 3, Some("did you mean `rules/*.yml`?")),
            (
                code::RULE_FILES_NO_MATCH,
                Severity::Warning,
                4,
                Some("did you mean `rules/connector*.yml`?")
            ),
            (code::FILE_MISSING, Severity::Error, 5, None),
        ],
        "{d:#?}"
    );
}

#[test]
fn a_file_sd_file_shared_by_jobs_is_read_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = dir.path().join("prometheus.yml");
    std::fs::write(dir.path().join("sd.yml"), "- targets: ['ok:1']\n  labels: {'': x}\n- ~\n")
        .expect("write");
    // Three jobs (one through a glob) and an Alertmanager config name the same file.
    let text = "scrape_configs:\n  - job_name: a\n    file_sd_configs: [{files: [sd.yml]}]\n\
                \x20 - job_name: b\n    file_sd_configs: [{files: [sd.yml]}]\n\
                \x20 - job_name: c\n    file_sd_configs: [{files: ['*.yml']}]\n\
                alerting:\n  alertmanagers:\n    - file_sd_configs: [{files: [sd.yml]}]\n";
    let full = Options { check_files: true, ..Options::default() };
    let (d, _) = run_with(text, &full, &cfg);
    let in_sd: Vec<(&str, u32, u32)> =
        d.iter().filter(|d| d.path == "sd.yml").map(|d| (d.code, d.line, d.column)).collect();
    // The file's own problems once, not once per job.
    assert_eq!(in_sd, vec![(code::LABEL_NAME, 2, 12), (code::FILE_SD, 3, 3)], "{d:#?}");
}

#[test]
fn missing_files_are_errors_only_where_promtool_requires_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = dir.path().join("prometheus.yml");
    // promtool stats a scrape config's TLS client files and credentials, and Kubernetes
    // SD's TLS client files; Prometheus reads the rest when the component runs.
    let text = "scrape_configs:\n  - job_name: a\n    tls_config: {ca_file: ca.pem, cert_file: c.pem, key_file: k.pem}\n\
                \x20   puppetdb_sd_configs:\n      - url: http://puppet:8080\n        query: 'resources { type = \"Class\" }'\n\
                \x20       tls_config: {ca_file: ca.pem, cert_file: c.pem, key_file: k.pem}\n\
                \x20   outscale_sd_configs:\n      - access_key: a\n        secret_key_file: secret\n\
                \x20   kubernetes_sd_configs:\n      - role: pod\n        api_server: https://k8s\n        tls_config: {cert_file: c.pem, key_file: k.pem}\n";
    let full = Options { check_files: true, ..Options::default() };
    let (d, _) = run_with(text, &full, &cfg);
    let got: Vec<(Severity, u32, u32)> = d
        .iter()
        .filter(|d| d.code == code::FILE_MISSING)
        .map(|d| (d.severity, d.line, d.column))
        .collect();
    use Severity::{Error as E, Warning as W};
    assert_eq!(
        got,
        vec![
            (W, 3, 27),
            (E, 3, 46),
            (E, 3, 63),
            (W, 7, 31),
            (W, 7, 50),
            (W, 7, 67),
            (W, 10, 26),
            (E, 14, 33),
            (E, 14, 50),
        ],
        "{d:#?}"
    );
    assert!(d.iter().all(|d| d.code == code::FILE_MISSING), "{d:#?}");
    let warning = d.iter().find(|d| d.severity == W).expect("a warning");
    assert!(warning.help.as_deref().unwrap_or("").contains("promtool does not require it"));
}

#[test]
fn scrape_config_files_are_checked_with_their_own_paths() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = dir.path().join("prometheus.yml");
    std::fs::create_dir_all(dir.path().join("jobs")).expect("mkdir");
    std::fs::write(
        dir.path().join("jobs/a.yml"),
        "scrape_configs:\n  - job_name: main\n  - job_name: b\n    scrape_timeout: 2m\n",
    )
    .expect("write");
    let text = "global:\n  scrape_interval: 1m\nscrape_config_files: ['jobs/*.yml']\nscrape_configs:\n  - job_name: main\n";
    let src = Source::new("conf/prometheus.yml", &cfg, text);
    let tree = crate::yaml::parse(text).expect("yaml");
    let mut d = Vec::new();
    let facts = check_config(&src, &tree, &Options::default(), &mut d);
    let got: Vec<(&str, &str, u32, u32)> =
        d.iter().map(|d| (d.path.as_str(), d.code, d.line, d.column)).collect();
    assert_eq!(
        got,
        vec![
            ("conf/jobs/a.yml", code::DUPLICATE_JOB, 2, 15),
            ("conf/jobs/a.yml", code::SCRAPE_TIMEOUT, 4, 21),
        ],
        "{d:#?}"
    );
    let files: Vec<Option<&str>> = facts.jobs.iter().map(|j| j.file.as_deref()).collect();
    assert_eq!(files, vec![None, Some("conf/jobs/a.yml"), Some("conf/jobs/a.yml")]);
    assert_eq!(facts.scrape_config_files.len(), 1);
    assert_one(
        "scrape_config_files: ['a/*/b.yml']\n",
        code::FILE_PATTERN,
        1,
        23,
        "invalid scrape config file path",
    );
    assert_one("rule_files: ['a/*/b.yml']\n", code::FILE_PATTERN, 1, 14, "invalid rule file path");
}

#[test]
fn facts_describe_the_config() {
    let text = "global:\n  scrape_interval: 30s\n  evaluation_interval: 20s\n  external_labels: {env: prod}\n\
                rule_files: [r.yml]\nscrape_configs:\n  - job_name: a\n  - job_name: b\n    scrape_interval: 5s\n";
    let (d, f) = run_with(text, &Options::default(), Path::new("/x/p.yml"));
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(f.global_scrape_interval_ms, 30_000);
    assert_eq!(f.global_evaluation_interval_ms, 20_000);
    assert_eq!(f.external_labels, vec![("env".to_string(), "prod".to_string())]);
    assert_eq!(f.rule_files, vec![("r.yml".to_string(), Pos::new(5, 14))]);
    let jobs: Vec<(&str, u64, Pos)> =
        f.jobs.iter().map(|j| (j.name.as_str(), j.scrape_interval_ms, j.pos)).collect();
    assert_eq!(jobs, vec![("a", 30_000, Pos::new(7, 15)), ("b", 5_000, Pos::new(8, 15))]);
}

#[test]
fn many_findings_in_one_run() {
    let text = "global:\n  scrape_timeout: 2m\nscrape_configs:\n  - job_name: a\n    foo: 1\n  - job_name: a\n    relabel_configs:\n      - action: hashmod\n";
    let d = run(text);
    let codes: Vec<&str> = found(&d).into_iter().map(|(c, _, _)| c).collect();
    for c in [code::SCRAPE_TIMEOUT, "yaml/unknown-field", code::DUPLICATE_JOB, code::RELABEL] {
        assert!(codes.contains(&c), "{c} missing from {codes:?}");
    }
}

#[test]
fn the_stack_template_is_valid() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/prometheus/prometheus.yml");
    let text = std::fs::read_to_string(&path).expect("template");
    let (d, f) =
        run_with(&text, &Options { check_files: true, agent: false, ..Options::default() }, &path);
    assert!(d.iter().all(|d| d.severity != Severity::Error), "{d:#?}");
    assert!(!f.jobs.is_empty());
}

/// Parsers of user-written strings never panic, whatever the input.
#[test]
fn value_parsers_are_total() {
    let alphabet: Vec<char> = "ab*?[]^-\\/:@%.0129{},=!() \u{e9}".chars().collect();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..20_000 {
        let len = (next() % 12) as usize;
        let s: String =
            (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
        let _ = values::glob_match(&s, "ab.c");
        let _ = values::parse_url(&s);
        let _ = values::parse_base2_bytes(&s);
        let _ = values::compile_anchored(&s, values::Anchor::WholeDotNl);
        let _ = values::compile_anchored(&s, values::Anchor::Whole);
        let _ = values::legacy_relabel_target(&s);
        let _ = sd::valid_file_sd_name(&s);
        let _ = crate::lint::schema::parse_duration(&s);
        let _ = sd::kubernetes::parse_label_selector(&s);
        let _ = sd::kubernetes::parse_field_selector(&s);
    }
}

#[test]
fn aws_sd_does_not_validate_its_http_client_but_its_tls() {
    let text = "scrape_configs:\n  - job_name: a\n    aws_sd_configs:\n      - role: ec2\n        bearer_token: a\n        bearer_token_file: b\n";
    assert!(run(text).is_empty(), "{:?}", run(text));
    let text = "scrape_configs:\n  - job_name: a\n    aws_sd_configs:\n      - role: ec2\n        tls_config: {key_file: k}\n";
    assert_one(text, http_config::INCOMPLETE, 5, 22, "exactly one of cert or cert_file");
}

/// Every check ID the module reports is registered (documented) in `CHECKS`.
#[test]
fn every_reported_code_is_registered() {
    let sources = [
        include_str!("mod.rs"),
        include_str!("alerting.rs"),
        include_str!("cx.rs"),
        include_str!("files.rs"),
        include_str!("global.rs"),
        include_str!("otlp.rs"),
        include_str!("relabel.rs"),
        include_str!("remote.rs"),
        include_str!("scrape.rs"),
        include_str!("storage.rs"),
        include_str!("tracing.rs"),
        include_str!("sd/mod.rs"),
        include_str!("sd/cloud.rs"),
        include_str!("sd/service.rs"),
        include_str!("sd/kubernetes.rs"),
    ];
    let consts = include_str!("mod.rs");
    let re = regex::Regex::new(r"code::([A-Z_]+)").expect("re");
    for src in sources {
        for c in re.captures_iter(src) {
            let name = &c[1];
            let decl = format!("pub const {name}: &str = \"");
            let start =
                consts.find(&decl).unwrap_or_else(|| panic!("code::{name} is not declared"));
            let rest = &consts[start + decl.len()..];
            let id = &rest[..rest.find('"').expect("closing quote")];
            assert!(CHECKS.iter().any(|k| k.id == id), "{id} is not in CHECKS");
        }
    }
    assert_eq!(CHECKS.len(), consts.matches("    pub const ").count(), "one CHECKS entry per code");
}
