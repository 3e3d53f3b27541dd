#!/usr/bin/env bash
# Benchmark: the Prometheus config checker against `promtool check config --syntax-only`
# (hyperfine), on a generated config of N scrape jobs (20 static targets, 8 relabel rules,
# TLS, basic auth and a DNS SD each: about 1.9 kB per job) and on the stack's own
# prometheus.yml. The checker runs through `examples/prom_check` (parse + check + print);
# it also simulates relabelling on every static target, which promtool --syntax-only does
# not skip either.
#   scripts/bench-validate-prometheus.sh [JOBS] [RUNS] [OUT.md]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-1000}
runs=${2:-10}
out=${3:-target/bench-validate-prometheus.md}
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)"; exit 1; }
command -v promtool >/dev/null || { echo "promtool is not installed (apt-get install prometheus)"; exit 1; }

cargo build --release --locked --example prom_check

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$jobs" > "$tmp/big.yml" <<'PY'
import sys
n = int(sys.argv[1])
out = ["global:\n  scrape_interval: 30s\n  scrape_timeout: 10s\n  external_labels: {env: prod}\n",
       "alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['am1:9093', 'am2:9093']\n",
       "remote_write:\n  - url: http://mimir:9009/api/v1/push\n    queue_config: {max_shards: 100}\n",
       "scrape_configs:\n"]
for i in range(n):
    targets = ", ".join(f"'host-{i}-{t}.example.com:{9100 + t}'" for t in range(20))
    out.append(f"""  - job_name: job-{i}
    scrape_interval: {15 + i % 4 * 15}s
    scheme: https
    tls_config: {{insecure_skip_verify: false, server_name: svc-{i}.example.com}}
    basic_auth: {{username: prom, password: secret}}
    static_configs:
      - targets: [{targets}]
        labels: {{team: team-{i % 17}, tier: backend}}
    dns_sd_configs:
      - names: ['_metrics._tcp.svc-{i}.example.com']
    relabel_configs:
      - {{source_labels: [__address__], regex: '([^:]+):(\\d+)', target_label: instance, replacement: '${{1}}'}}
      - {{source_labels: [__meta_dns_name], target_label: service}}
      - {{action: labelmap, regex: __meta_dns_(.+)}}
      - {{source_labels: [__address__], modulus: 4, target_label: __tmp_hash, action: hashmod}}
      - {{source_labels: [__tmp_hash], regex: '[0-3]', action: keep}}
      - {{action: labeldrop, regex: 'tmp_.*'}}
      - {{source_labels: [team, tier], separator: '/', target_label: owner}}
      - {{target_label: cluster, replacement: c1}}
    metric_relabel_configs:
      - {{source_labels: [__name__], regex: 'expensive_.*', action: drop}}
""")
sys.stdout.write("".join(out))
PY

target/release/examples/prom_check "$tmp/big.yml" >/dev/null
promtool check config --syntax-only "$tmp/big.yml" >/dev/null
cp templates/prometheus/prometheus.yml "$tmp/stack.yml"

hyperfine -N --warmup 3 --runs "$runs" --export-markdown "$out" \
  -n "stellar-obs checker, $jobs jobs" "target/release/examples/prom_check $tmp/big.yml" \
  -n "promtool --syntax-only, $jobs jobs" "promtool check config --syntax-only $tmp/big.yml" \
  -n "stellar-obs checker, stack prometheus.yml" "target/release/examples/prom_check $tmp/stack.yml" \
  -n "promtool --syntax-only, stack prometheus.yml" "promtool check config --syntax-only $tmp/stack.yml"
echo "results: $out ($(wc -c < "$tmp/big.yml") bytes of config)"
