//! `render kubernetes`: the stack as Helm values (pure: texts in, texts out).
//!
//! - `kube-prometheus-stack.values.yaml`: our rule files in `additionalPrometheusRulesMap`
//!   (each file embedded as it is, comments included), our Alertmanager configuration and
//!   its templates (`alertmanager.config`, `alertmanager.templateFiles`; secret and template
//!   paths moved to where the chart mounts them), Prometheus replicas 2 and Alertmanager 3,
//!   the connector's scrape job, remote write when the stack has it, Grafana's datasources
//!   with the UIDs our dashboards use;
//! - `grafana-dashboards.yaml`: one ConfigMap per dashboard, labelled `grafana_dashboard:
//!   "1"` for the Grafana sidecar;
//! - `loki.values.yaml`, `jaeger.values.yaml`: the log and trace stores, sized as in Compose;
//! - `README.md`: the helm and kubectl commands, CRD upgrades included.
//!
//! Every embedded document is read back and compared with its source, so a file that does
//! not survive embedding is an error, never a silently different configuration.

use std::collections::BTreeMap;

use anyhow::{Result, bail};

use crate::settings::RemoteWrite;
use crate::settings::remote_write as rw;

/// The Secret holding Alertmanager's notification credentials (the files of
/// `alerting/secrets/`); the chart mounts it at `/etc/alertmanager/secrets/<name>/`.
pub const ALERTING_SECRET: &str = "stellar-obs-alerting";
/// The Secret holding the remote-write password or token (key `password` or `token`).
pub const REMOTE_WRITE_SECRET: &str = "stellar-obs-remote-write";
/// Where the chart mounts `alertmanager.templateFiles`.
const CHART_TEMPLATE_DIR: &str = "/etc/alertmanager/config/";
/// Where the Compose stack mounts them.
const COMPOSE_TEMPLATE_DIR: &str = "/etc/alertmanager/templates/";
const COMPOSE_SECRET_DIR: &str = "/etc/alertmanager/secrets/";

/// What `render kubernetes` reads from the stack directory.
#[derive(Debug, Clone, Default)]
pub struct StackInput {
    pub project: String,
    pub namespace: String,
    /// The stack directory as the user named it (the README's commands read its secrets).
    pub stack_dir: String,
    /// Rule files named by `prometheus.yml`: (stack-relative path, text), in order.
    pub rule_files: Vec<(String, String)>,
    /// `alerting/alertmanager.yml`.
    pub alertmanager: String,
    /// Notification templates: (file name, text).
    pub am_templates: Vec<(String, String)>,
    /// Dashboards: (file name, JSON text).
    pub dashboards: Vec<(String, String)>,
    pub remote_write: Option<RemoteWrite>,
    /// `.env`: PROMETHEUS_RETENTION_TIME, PROMETHEUS_RETENTION_SIZE.
    pub retention_time: String,
    pub retention_size: String,
    /// Loki's `limits_config.retention_period`.
    pub loki_retention: String,
    /// The connector job's scrape interval.
    pub connector_interval: String,
    /// `global.external_labels` of prometheus.yml, without those taken from the
    /// environment (an HA replica's name: the operator labels its replicas itself).
    pub external_labels: Vec<(String, String)>,
}

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    pub name: &'static str,
    pub text: String,
}

pub const VALUES: &str = "kube-prometheus-stack.values.yaml";
pub const DASHBOARDS: &str = "grafana-dashboards.yaml";
pub const LOKI: &str = "loki.values.yaml";
pub const JAEGER: &str = "jaeger.values.yaml";
pub const README: &str = "README.md";

/// A YAML double-quoted scalar (JSON string syntax, which YAML reads as is).
fn q(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// `text` indented by `n` spaces (empty lines stay empty), a leading `---` dropped.
fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    let body = text.strip_prefix("---\n").unwrap_or(text);
    let mut out = String::new();
    for line in body.lines() {
        if line.trim().is_empty() {
            out.push('\n');
        } else {
            out.push_str(&pad);
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A Kubernetes object name from a file name: lowercase, `[a-z0-9-]`, at most 63.
pub fn k8s_name(s: &str) -> String {
    let stem = s.rsplit('/').next().unwrap_or(s);
    let stem = stem.rsplit_once('.').map_or(stem, |(a, _)| a);
    let mut out: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    let out = out.trim_matches('-');
    let out: String = out.chars().take(63).collect();
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "x".into() } else { out }
}

/// A ConfigMap (or Secret) data key from a file name: `[-._a-zA-Z0-9]`, others become `-`.
pub fn data_key(name: &str) -> String {
    let k: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || "-._".contains(c) { c } else { '-' })
        .collect();
    if k.trim_matches('.').is_empty() { "file".into() } else { k }
}

/// A file's YAML (or JSON) as a JSON value, to compare an embedded copy with its source.
fn as_value(text: &str, what: &str) -> Result<serde_json::Value> {
    serde_saphyr::from_str::<serde_json::Value>(text).map_err(|e| {
        anyhow::anyhow!("{what}: {}", e.without_snippet().to_string().lines().next().unwrap_or(""))
    })
}

/// Alertmanager's configuration as the chart mounts things: secrets under the Secret's
/// folder, templates where `templateFiles` go.
pub fn chart_alertmanager_config(text: &str) -> String {
    text.replace(COMPOSE_SECRET_DIR, &format!("{COMPOSE_SECRET_DIR}{ALERTING_SECRET}/"))
        .replace(COMPOSE_TEMPLATE_DIR, CHART_TEMPLATE_DIR)
}

/// Keys the chart's default Alertmanager configuration sets and Helm would merge into ours
/// when ours leaves them out (Helm merges maps; lists replace lists): each with the value
/// Alertmanager itself takes when it is absent, so the cluster routes as Compose does.
/// The chart's defaults are a `null` receiver our config does not have, `repeat_interval:
/// 12h` (Alertmanager: 4h), grouping by `namespace` and its own inhibition rules.
const MERGED_ROUTE_KEYS: [(&str, &str); 3] =
    [("group_by", "[]"), ("repeat_interval", "4h"), ("routes", "[]")];
const MERGED_TOP_KEYS: [(&str, &str); 1] = [("inhibit_rules", "[]")];

/// [`chart_alertmanager_config`] with the keys of [`MERGED_ROUTE_KEYS`] and
/// [`MERGED_TOP_KEYS`] it leaves out written explicitly.
pub fn chart_alertmanager_config_complete(text: &str) -> Result<String> {
    let moved = chart_alertmanager_config(text);
    let value = as_value(&moved, "alerting/alertmanager.yml")?;
    let mut lines: Vec<String> = moved.lines().map(str::to_string).collect();
    let route_missing: Vec<&(&str, &str)> =
        MERGED_ROUTE_KEYS.iter().filter(|(k, _)| value["route"].get(*k).is_none()).collect();
    if !route_missing.is_empty() {
        let Some(at) = lines.iter().position(|l| l.trim_end() == "route:") else {
            bail!(
                "alerting/alertmanager.yml: write `route:` as a block mapping on its own line; render kubernetes adds the keys Helm would otherwise take from the chart's defaults ({})",
                route_missing.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
            );
        };
        let indent = lines[at + 1..]
            .iter()
            .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .map_or(2, |l| l.len() - l.trim_start().len())
            .max(1);
        let pad = " ".repeat(indent);
        let mut add = vec![format!(
            "{pad}# Alertmanager's defaults, written out: Helm would merge the chart's otherwise."
        )];
        add.extend(route_missing.iter().map(|(k, v)| format!("{pad}{k}: {v}")));
        lines.splice(at + 1..at + 1, add);
    }
    let mut out = lines.join("\n");
    out.push('\n');
    for (k, v) in MERGED_TOP_KEYS {
        if value.get(k).is_none() {
            out.push_str(&format!(
                "# Alertmanager's default, written out: Helm would merge the chart's otherwise.\n{k}: {v}\n"
            ));
        }
    }
    Ok(out)
}

/// The values for kube-prometheus-stack.
pub fn values(s: &StackInput) -> Result<String> {
    let mut v = String::new();
    v.push_str(&format!(
        "# kube-prometheus-stack values for the Stellar connector's observability stack\n\
         # (project {project}). Written by `stellar-obs render kubernetes` from the stack\n\
         # directory: edit the stack and render again rather than this file.\n\
         # Install: see README.md next to this file.\n\n",
        project = s.project
    ));
    // Rules.
    v.push_str(
        "# Our alerting, recording and SLO rules (the stack's rule files, as they are);\n\
         # the chart makes one PrometheusRule per key.\n\
         additionalPrometheusRulesMap:\n",
    );
    let mut keys = BTreeMap::new();
    for (path, text) in &s.rule_files {
        let key = format!("stellar-obs-{}", k8s_name(path));
        if let Some(other) = keys.insert(key.clone(), path.clone()) {
            bail!("{path} and {other} would both become the rule set `{key}`; rename one");
        }
        let source = as_value(text, path)?;
        if source.get("groups").is_none() {
            bail!("{path}: not a rule file (no `groups:`)");
        }
        v.push_str(&format!("  # {path}\n  {key}:\n"));
        v.push_str(&indent(text, 4));
    }
    // Prometheus.
    v.push_str(
        "\n# Two Prometheus replicas with the same rules and scrape configuration; the operator\n\
         # labels each with its replica, Alertmanager deduplicates what both send.\n\
         prometheus:\n  prometheusSpec:\n    replicas: 2\n",
    );
    v.push_str(&format!("    retention: {}\n", q(&s.retention_time)));
    v.push_str(&format!("    retentionSize: {}\n", q(&chart_size(&s.retention_size))));
    v.push_str(
        "    # Pick up every ServiceMonitor, PodMonitor and PrometheusRule, not only the chart's.\n\
         \x20   ruleSelectorNilUsesHelmValues: false\n\
         \x20   serviceMonitorSelectorNilUsesHelmValues: false\n\
         \x20   podMonitorSelectorNilUsesHelmValues: false\n",
    );
    let mut labels: BTreeMap<&str, String> =
        s.external_labels.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    if let Some(r) = &s.remote_write {
        labels.insert("cluster", r.cluster_or(&s.project).to_string());
    }
    if !labels.is_empty() {
        v.push_str("    externalLabels:\n");
        for (k, val) in &labels {
            v.push_str(&format!("      {k}: {}\n", q(val)));
        }
    }
    if let Some(r) = &s.remote_write {
        let label = if r.replica_label.is_empty() {
            rw::STACK_REPLICA_LABEL
        } else {
            r.replica_label.as_str()
        };
        v.push_str(&format!(
            "    # The label each replica's samples carry (Mimir deduplicates the pair on it).\n\
             \x20   replicaExternalLabelName: {}\n",
            q(label)
        ));
        v.push_str(&remote_write_spec(r));
    }
    v.push_str(&format!(
        "    # The connector's metrics (connector-metrics.yml): point the target at its Service.\n\
         \x20   additionalScrapeConfigs:\n\
         \x20     - job_name: stellar-connector\n\
         \x20       scrape_interval: {interval}\n\
         \x20       metrics_path: /metrics\n\
         \x20       static_configs:\n\
         \x20         - targets: [{target}]\n\
         \x20           labels:\n\
         \x20             service: stellar-connector\n",
        interval = q(&s.connector_interval),
        target = q(&format!("stellar-connector.{}.svc:8000", s.namespace)),
    ));
    // Alertmanager.
    v.push_str(&format!(
        "\n# Three Alertmanager peers in one cluster (the operator wires the gossip mesh); every\n\
         # Prometheus sends to every peer. Notification credentials come from the Secret\n\
         # {ALERTING_SECRET} (the files of alerting/secrets/), mounted at\n\
         # {COMPOSE_SECRET_DIR}{ALERTING_SECRET}/.\n\
         alertmanager:\n  alertmanagerSpec:\n    replicas: 3\n    secrets:\n      - {ALERTING_SECRET}\n"
    ));
    v.push_str("  # alerting/alertmanager.yml\n  config:\n");
    let am = chart_alertmanager_config_complete(&s.alertmanager)?;
    v.push_str(&indent(&am, 4));
    if !s.am_templates.is_empty() {
        v.push_str("  templateFiles:\n");
        let mut keys = BTreeMap::new();
        for (name, text) in &s.am_templates {
            let key = data_key(name);
            if let Some(other) = keys.insert(key.clone(), name.clone()) {
                bail!(
                    "alerting/templates/{name} and {other} would both be the template file {key}"
                );
            }
            v.push_str(&format!("    {}: |\n", q(&key)));
            v.push_str(&block(text, 6));
        }
    }
    // Grafana.
    let ns = &s.namespace;
    v.push_str(&format!(
        "\n# Grafana: dashboards from ConfigMaps labelled grafana_dashboard: \"1\" (grafana-dashboards.yaml),\n\
         # datasources with the UIDs the dashboards use.\n\
         grafana:\n\
         \x20 defaultDashboardsEnabled: true\n\
         \x20 sidecar:\n\
         \x20   dashboards:\n\
         \x20     enabled: true\n\
         \x20     label: grafana_dashboard\n\
         \x20     labelValue: \"1\"\n\
         \x20     folderAnnotation: grafana_folder\n\
         \x20     provider:\n\
         \x20       foldersFromFilesStructure: true\n\
         \x20   datasources:\n\
         \x20     enabled: true\n\
         \x20     uid: prometheus\n\
         \x20 additionalDataSources:\n\
         \x20   - name: Loki\n\
         \x20     type: loki\n\
         \x20     uid: loki\n\
         \x20     access: proxy\n\
         \x20     url: {loki}\n\
         \x20   - name: Jaeger\n\
         \x20     type: jaeger\n\
         \x20     uid: jaeger\n\
         \x20     access: proxy\n\
         \x20     url: {jaeger}\n",
        loki = q(&format!("http://loki-gateway.{ns}.svc")),
        jaeger = q(&format!("http://jaeger-query.{ns}.svc:16686")),
    ));
    check_embedded(&v, s)?;
    Ok(v)
}

/// The `remoteWrite` entry of `prometheusSpec` (Prometheus Operator's RemoteWriteSpec).
fn remote_write_spec(r: &RemoteWrite) -> String {
    let mut b = String::from("    remoteWrite:\n");
    b.push_str(&format!("      - name: {}\n", rw::QUEUE_NAME));
    b.push_str(&format!("        url: {}\n", q(&r.url)));
    if !r.headers.is_empty() {
        b.push_str("        headers:\n");
        for (k, v) in &r.headers {
            b.push_str(&format!("          {}: {}\n", q(k), q(v)));
        }
    }
    if r.username.is_some() {
        b.push_str(&format!(
            "        # The password: key `password` of the Secret {REMOTE_WRITE_SECRET}.\n\
             \x20       basicAuth:\n\
             \x20         username:\n\
             \x20           name: {REMOTE_WRITE_SECRET}\n\
             \x20           key: username\n\
             \x20         password:\n\
             \x20           name: {REMOTE_WRITE_SECRET}\n\
             \x20           key: password\n"
        ));
    } else if r.bearer_token {
        b.push_str(&format!(
            "        authorization:\n\
             \x20         type: Bearer\n\
             \x20         credentials:\n\
             \x20           name: {REMOTE_WRITE_SECRET}\n\
             \x20           key: token\n"
        ));
    }
    b.push_str("        writeRelabelConfigs:\n");
    if !r.drop_metrics.is_empty() {
        b.push_str("          - sourceLabels: [__name__]\n");
        b.push_str(&format!("            regex: {}\n", q(&r.drop_metrics.join("|"))));
        b.push_str("            action: drop\n");
    }
    if r.replica_label.is_empty() {
        b.push_str("          - action: labeldrop\n");
        b.push_str(&format!("            regex: {}\n", rw::STACK_REPLICA_LABEL));
    }
    let qc = &r.queue;
    b.push_str(&format!(
        "        queueConfig:\n\
         \x20         capacity: {}\n\
         \x20         minShards: {}\n\
         \x20         maxShards: {}\n\
         \x20         maxSamplesPerSend: {}\n\
         \x20         batchSendDeadline: {}\n\
         \x20         minBackoff: {}\n\
         \x20         maxBackoff: {}\n\
         \x20       metadataConfig:\n\
         \x20         send: true\n",
        qc.capacity,
        qc.min_shards,
        qc.max_shards,
        qc.max_samples_per_send,
        qc.batch_send_deadline,
        qc.min_backoff,
        qc.max_backoff
    ));
    b
}

/// `5GB` (Compose, Prometheus flag) is `5GB` for the operator too; a bare number of bytes
/// is kept.
fn chart_size(s: &str) -> String {
    s.trim().to_string()
}

/// `text` as the body of a literal block scalar indented by `n`.
fn block(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    let mut out = String::new();
    for line in text.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&pad);
            out.push_str(line);
            out.push('\n');
        }
    }
    if out.is_empty() {
        out.push_str(&pad);
        out.push('\n');
    }
    out
}

/// Read the values back: every rule file and the Alertmanager configuration must be what
/// the stack holds (after the path moves), every template byte for byte.
fn check_embedded(values: &str, s: &StackInput) -> Result<()> {
    let v = as_value(values, VALUES)?;
    for (path, text) in &s.rule_files {
        let key = format!("stellar-obs-{}", k8s_name(path));
        if v["additionalPrometheusRulesMap"][&key] != as_value(text, path)? {
            bail!(
                "{path} does not survive embedding in {VALUES} (a YAML construct the values cannot hold, such as several documents)"
            );
        }
    }
    // The source with the paths moved and the left-out keys at Alertmanager's defaults.
    let mut want =
        as_value(&chart_alertmanager_config(&s.alertmanager), "alerting/alertmanager.yml")?;
    for (k, v) in MERGED_ROUTE_KEYS {
        if want["route"].get(k).is_none()
            && let Some(route) = want["route"].as_object_mut()
        {
            route.insert(k.to_string(), as_value(v, k)?);
        }
    }
    for (k, v) in MERGED_TOP_KEYS {
        if want.get(k).is_none()
            && let Some(top) = want.as_object_mut()
        {
            top.insert(k.to_string(), as_value(v, k)?);
        }
    }
    if v["alertmanager"]["config"] != want {
        bail!("alerting/alertmanager.yml does not survive embedding in {VALUES}");
    }
    for (name, text) in &s.am_templates {
        let got = v["alertmanager"]["templateFiles"][&data_key(name)].as_str().unwrap_or("");
        if got.trim_end() != text.trim_end() {
            bail!(
                "alerting/templates/{name} does not survive embedding in {VALUES} (leading spaces or tabs on its first line?)"
            );
        }
    }
    Ok(())
}

/// One ConfigMap per dashboard, for the Grafana sidecar.
pub fn dashboards(s: &StackInput) -> Result<String> {
    let mut out = format!(
        "# Grafana dashboards of the Stellar connector's stack (project {}), one ConfigMap\n\
         # each, labelled for the Grafana sidecar of kube-prometheus-stack. Written by\n\
         # `stellar-obs render kubernetes`. Apply with server-side apply (a dashboard can be\n\
         # larger than the 256 KiB client-side apply annotation allows):\n\
         #   kubectl apply --server-side -n {} -f {DASHBOARDS}\n",
        s.project, s.namespace
    );
    let mut names = BTreeMap::new();
    for (file, text) in &s.dashboards {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| anyhow::anyhow!("grafana/dashboards/{file}: not JSON: {e}"))?;
        let pretty = serde_json::to_string_pretty(&value)?;
        // etcd refuses objects above about 1.5 MiB; ConfigMaps are capped at 1 MiB.
        if pretty.len() > 1024 * 1024 {
            bail!(
                "grafana/dashboards/{file} is {} bytes: above the 1 MiB a ConfigMap holds",
                pretty.len()
            );
        }
        let name = format!("stellar-obs-dashboard-{}", k8s_name(file));
        if let Some(other) = names.insert(name.clone(), file.clone()) {
            bail!("grafana/dashboards/{file} and {other} would both be the ConfigMap {name}");
        }
        out.push_str(&format!(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {ns}\n  labels:\n    grafana_dashboard: \"1\"\n    app.kubernetes.io/part-of: stellar-obs\n  annotations:\n    grafana_folder: Stellar\ndata:\n  {key}: |\n",
            ns = s.namespace,
            key = q(&data_key(file)),
        ));
        out.push_str(&block(&pretty, 4));
    }
    Ok(out)
}

pub fn loki(s: &StackInput) -> String {
    format!(
        "# Values for the grafana/loki chart (single binary, filesystem storage, as the Compose\n\
         # stack runs it). Written by `stellar-obs render kubernetes`. For several replicas,\n\
         # switch deploymentMode to SimpleScalable with object storage (S3, GCS).\n\
         deploymentMode: SingleBinary\n\
         loki:\n\
         \x20 auth_enabled: false\n\
         \x20 commonConfig:\n\
         \x20   replication_factor: 1\n\
         \x20 storage:\n\
         \x20   type: filesystem\n\
         \x20 schemaConfig:\n\
         \x20   configs:\n\
         \x20     - from: \"2024-04-01\"\n\
         \x20       store: tsdb\n\
         \x20       object_store: filesystem\n\
         \x20       schema: v13\n\
         \x20       index:\n\
         \x20         prefix: index_\n\
         \x20         period: 24h\n\
         \x20 limits_config:\n\
         \x20   retention_period: {retention}\n\
         \x20 compactor:\n\
         \x20   retention_enabled: true\n\
         \x20   delete_request_store: filesystem\n\
         singleBinary:\n\
         \x20 replicas: 1\n\
         \x20 persistence:\n\
         \x20   enabled: true\n\
         \x20   size: 10Gi\n\
         backend:\n\
         \x20 replicas: 0\n\
         read:\n\
         \x20 replicas: 0\n\
         write:\n\
         \x20 replicas: 0\n\
         chunksCache:\n\
         \x20 enabled: false\n\
         resultsCache:\n\
         \x20 enabled: false\n\
         # Logs are shipped by a collector of your choice (Grafana Alloy, Promtail) to\n\
         # http://loki-gateway.{ns}.svc/loki/api/v1/push.\n",
        retention = q(&s.loki_retention),
        ns = s.namespace,
    )
}

pub fn jaeger(s: &StackInput) -> String {
    format!(
        "# Values for the jaegertracing/jaeger chart: the all-in-one deployment the Compose\n\
         # stack runs (in-memory storage: traces are lost on restart; use Elasticsearch or\n\
         # Cassandra storage to keep them). Written by `stellar-obs render kubernetes`.\n\
         # OTLP: jaeger-collector.{ns}.svc:4317 (gRPC) and :4318 (HTTP).\n\
         provisionDataStore:\n\
         \x20 cassandra: false\n\
         \x20 elasticsearch: false\n\
         allInOne:\n\
         \x20 enabled: true\n\
         \x20 extraEnv:\n\
         \x20   - name: MEMORY_MAX_TRACES\n\
         \x20     value: \"100000\"\n\
         storage:\n\
         \x20 type: memory\n\
         agent:\n\
         \x20 enabled: false\n\
         collector:\n\
         \x20 enabled: false\n\
         query:\n\
         \x20 enabled: false\n",
        ns = s.namespace,
    )
}

pub fn readme(s: &StackInput) -> String {
    let ns = &s.namespace;
    let rw_secret = match &s.remote_write {
        Some(r) if r.username.is_some() => format!(
            "kubectl -n {ns} create secret generic {REMOTE_WRITE_SECRET} \\\n  --from-literal=username={} \\\n  --from-file=password=\"$STACK/prometheus/secrets/remote_write_password\"\n",
            crate::stack_dir::shell_quote(r.username.as_deref().unwrap_or(""))
        ),
        Some(r) if r.bearer_token => format!(
            "kubectl -n {ns} create secret generic {REMOTE_WRITE_SECRET} \\\n  --from-file=token=\"$STACK/prometheus/secrets/remote_write_token\"\n"
        ),
        _ => String::new(),
    };
    let rw_note = match &s.remote_write {
        Some(r) => format!(
            "\nRemote write goes to `{}` from both Prometheus replicas, each with its replica in\n`{}` and `cluster=\"{}\"`: the store keeps one of the pair.\n",
            r.url,
            if r.replica_label.is_empty() { rw::STACK_REPLICA_LABEL } else { &r.replica_label },
            r.cluster_or(&s.project)
        ),
        None => String::new(),
    };
    format!(
        "# The stack on Kubernetes (project {project})

Written by `stellar-obs render kubernetes` from the stack directory; render again after
changing the stack (rules, Alertmanager configuration, dashboards) and repeat the
`helm upgrade` below. Nothing here holds a secret.

| file | for |
|---|---|
| `{VALUES}` | the `prometheus-community/kube-prometheus-stack` chart: Prometheus x2, Alertmanager x3, Grafana, our rules, Alertmanager configuration and templates |
| `{DASHBOARDS}` | our Grafana dashboards as ConfigMaps for Grafana's sidecar |
| `{LOKI}` | the `grafana/loki` chart (logs) |
| `{JAEGER}` | the `jaegertracing/jaeger` chart (traces) |

## Install

```sh
helm repo add prometheus-community https://prometheus-community.github.io/helm-charts
helm repo add grafana https://grafana.github.io/helm-charts
helm repo add jaegertracing https://jaegertracing.github.io/helm-charts
helm repo update
kubectl create namespace {ns}
STACK={stack}    # the stack directory: the secrets are read from there

# Alertmanager's notification credentials: the files of alerting/secrets/.
kubectl -n {ns} create secret generic {ALERTING_SECRET} \\
  --from-file=\"$STACK/alerting/secrets/smtp_password\" \\
  --from-file=\"$STACK/alerting/secrets/slack_webhook_url\" \\
  --from-file=\"$STACK/alerting/secrets/pagerduty_routing_key\"
{rw_secret}
helm upgrade --install kube-prometheus-stack prometheus-community/kube-prometheus-stack \\
  -n {ns} -f {VALUES}
kubectl apply --server-side -n {ns} -f {DASHBOARDS}
helm upgrade --install loki grafana/loki -n {ns} -f {LOKI}
helm upgrade --install jaeger jaegertracing/jaeger -n {ns} -f {JAEGER}
```

Pin the chart versions you tested (`--version`) in production.

## Upgrade

Helm installs the Prometheus Operator's CRDs on the first install only and never
upgrades them. Before `helm upgrade` to a newer chart, apply the CRDs of that chart
version server-side (they are too large for client-side apply):

```sh
VERSION=<the chart version you upgrade to>
helm pull prometheus-community/kube-prometheus-stack --version \"$VERSION\" --untar --untardir /tmp/kps
kubectl apply --server-side --force-conflicts -f /tmp/kps/kube-prometheus-stack/charts/crds/crds/
helm upgrade kube-prometheus-stack prometheus-community/kube-prometheus-stack \\
  --version \"$VERSION\" -n {ns} -f {VALUES}
```

## What runs where

- Prometheus: 2 replicas with the same rules and scrape configuration; the operator
  labels each one's series and alerts with its replica. Grafana queries the
  `kube-prometheus-stack-prometheus` Service, i.e. either replica.
- Alertmanager: 3 peers gossiping (silences and the notification log are shared); each
  Prometheus sends every alert to every peer, and the cluster notifies once.
- The connector is scraped at `stellar-connector.{ns}.svc:8000` (the job in
  `prometheus.prometheusSpec.additionalScrapeConfigs`): point it at the connector's Service.
- Loki and Jaeger: Grafana's datasources `loki` and `jaeger` expect the releases named
  `loki` and `jaeger` in `{ns}`.
{rw_note}",
        project = s.project,
        stack = crate::stack_dir::shell_quote(&s.stack_dir),
    )
}

/// Every file, in a fixed order.
pub fn render(s: &StackInput) -> Result<Vec<OutFile>> {
    Ok(vec![
        OutFile { name: VALUES, text: values(s)? },
        OutFile { name: DASHBOARDS, text: dashboards(s)? },
        OutFile { name: LOKI, text: loki(s) },
        OutFile { name: JAEGER, text: jaeger(s) },
        OutFile { name: README, text: readme(s) },
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> StackInput {
        StackInput {
            project: "p".into(),
            namespace: "monitoring".into(),
            stack_dir: "obs".into(),
            rule_files: vec![(
                "prometheus/a_rules.yml".into(),
                "# c\ngroups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        annotations:\n          summary: |\n            two\n\n            lines\n"
                    .into(),
            )],
            alertmanager: "route:\n  receiver: r\nreceivers:\n  - name: r\ntemplates:\n  - /etc/alertmanager/templates/*.tmpl\n".into(),
            am_templates: vec![("x.tmpl".into(), "{{ define \"x\" }}\n  hi\n{{ end }}\n".into())],
            dashboards: vec![("d one.json".into(), "{\"title\": \"D\", \"panels\": []}".into())],
            remote_write: None,
            retention_time: "15d".into(),
            retention_size: "5GB".into(),
            loki_retention: "744h".into(),
            connector_interval: "5s".into(),
            external_labels: vec![("monitor".into(), "stellar-obs".into())],
        }
    }

    #[test]
    fn values_embed_the_stack_and_read_back() {
        let v = values(&input()).expect("values");
        let parsed = as_value(&v, "v").expect("yaml");
        assert_eq!(parsed["prometheus"]["prometheusSpec"]["replicas"], 2);
        assert_eq!(parsed["alertmanager"]["alertmanagerSpec"]["replicas"], 3);
        assert_eq!(
            parsed["alertmanager"]["config"]["templates"][0],
            "/etc/alertmanager/config/*.tmpl"
        );
        let rules = &parsed["additionalPrometheusRulesMap"]["stellar-obs-a-rules"];
        assert_eq!(rules["groups"][0]["rules"][0]["annotations"]["summary"], "two\n\nlines\n");
        assert!(v.contains("    # c\n"), "comments are kept");
    }

    #[test]
    fn keys_helm_would_merge_from_the_chart_are_written_out() {
        let v = values(&input()).expect("values");
        let parsed = as_value(&v, "v").expect("yaml");
        let route = &parsed["alertmanager"]["config"]["route"];
        assert_eq!(route["repeat_interval"], "4h");
        assert_eq!(route["routes"], serde_json::json!([]));
        assert_eq!(route["group_by"], serde_json::json!([]));
        assert_eq!(route["receiver"], "r");
        assert_eq!(parsed["alertmanager"]["config"]["inhibit_rules"], serde_json::json!([]));
        let mut i = input();
        i.alertmanager = "route: {receiver: r}\nreceivers: [{name: r}]\n".into();
        assert!(format!("{:#}", values(&i).expect_err("flow")).contains("block mapping"));
        let mut i = input();
        i.alertmanager = "route:\n    receiver: r\n    group_by: [a]\n    repeat_interval: 1h\n    routes: []\ninhibit_rules: []\nreceivers:\n  - name: r\n".into();
        let v = values(&i).expect("complete");
        assert!(!v.contains("written out"), "nothing added to a complete route");
    }

    #[test]
    fn a_file_that_does_not_survive_is_an_error() {
        let mut i = input();
        i.rule_files[0].1 = "groups: []\n---\ngroups: []\n".into();
        assert!(values(&i).is_err());
        let mut i = input();
        i.rule_files[0].1 = "x: 1\n".into();
        assert!(format!("{:#}", values(&i).expect_err("no groups")).contains("not a rule file"));
    }

    #[test]
    fn dashboards_are_labelled_config_maps() {
        let d = dashboards(&input()).expect("dashboards");
        let docs: Vec<serde_json::Value> = d
            .split("\n---\n")
            .skip(1)
            .map(|doc| serde_saphyr::from_str(doc).expect("yaml"))
            .collect();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0]["metadata"]["name"], "stellar-obs-dashboard-d-one");
        assert_eq!(docs[0]["metadata"]["labels"]["grafana_dashboard"], "1");
        let json: serde_json::Value =
            serde_json::from_str(docs[0]["data"]["d-one.json"].as_str().expect("s")).expect("j");
        assert_eq!(json["title"], "D");
    }

    #[test]
    fn names() {
        assert_eq!(k8s_name("prometheus/stellar_alerts.yml"), "stellar-alerts");
        assert_eq!(k8s_name("--A..b--.json"), "a-b");
        assert_eq!(k8s_name("...."), "x");
        assert_eq!(data_key("my dash\u{202e}.json"), "my-dash-.json");
        assert_eq!(data_key(".."), "file");
    }
}
