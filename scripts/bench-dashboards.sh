#!/usr/bin/env bash
# Benchmark: `dashboards import` of 200 dashboards into the fake Grafana with 20 ms added
# latency per request, --concurrency 8 against --concurrency 1 (hyperfine). Every run starts
# from an empty Grafana (hyperfine --prepare resets the fake), so each run creates 200
# dashboards and their folders.
#   scripts/bench-dashboards.sh [RUNS] [OUT.md]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
out=${2:-target/bench-dashboards.md}
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)"; exit 1; }
command -v curl >/dev/null || { echo "curl is not installed"; exit 1; }

cargo build --release --locked --bin stellar-obs --example fake_grafana

tmp=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

# 200 dashboards, 10 panels each.
python3 - "$tmp/dashboards" <<'PY'
import json, os, sys
d = sys.argv[1]
os.makedirs(d, exist_ok=True)
for i in range(200):
    panels = [{"id": p, "type": "timeseries", "title": f"Panel {p}",
               "gridPos": {"x": 0, "y": p * 8, "w": 24, "h": 8},
               "targets": [{"refId": "A", "expr": f"rate(metric_{p}{{dash=\"{i}\"}}[5m])"}]}
              for p in range(10)]
    m = {"uid": f"bench-{i:03}", "title": f"Bench {i:03}", "schemaVersion": 39, "panels": panels}
    with open(os.path.join(d, f"bench-{i:03}.json"), "w") as f:
        json.dump(m, f, indent=2)
PY

target/release/examples/fake_grafana --latency-ms 20 --url-file "$tmp/url" >/dev/null &
pid=$!
for _ in $(seq 1 100); do [ -s "$tmp/url" ] && break; sleep 0.05; done
url=$(cat "$tmp/url")
export STELLAR_OBS_GRAFANA_URL="$url" GRAFANA_TOKEN=glsa_fake_token_0123456789
bin=target/release/stellar-obs
reset="curl -fsS -X POST $url/__fake/reset"

# Sanity: one run creates all 200.
$reset >/dev/null
$bin dashboards import "$tmp/dashboards" --folder Bench/Nested -o json >"$tmp/first.json"
created=$(grep -c '"action": "created"' "$tmp/first.json" || true)
[ "$created" = 200 ] || { echo "expected 200 created, got $created"; exit 1; }

hyperfine --runs "$runs" --prepare "$reset" --export-markdown "$out" --export-json "$tmp/h.json" \
  -n "concurrency 8" "$bin dashboards import $tmp/dashboards --folder Bench/Nested --concurrency 8 -q -o json" \
  -n "concurrency 1" "$bin dashboards import $tmp/dashboards --folder Bench/Nested --concurrency 1 -q -o json"

python3 - "$tmp/h.json" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
c8, c1 = r["concurrency 8"], r["concurrency 1"]
print(f"concurrency 8: {c8:.3f} s, concurrency 1: {c1:.3f} s, speed-up {c1 / c8:.1f}x")
sys.exit(0 if c1 / c8 >= 5 else 1)
PY
echo "markdown table: $out"
