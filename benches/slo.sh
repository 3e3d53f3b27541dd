#!/usr/bin/env bash
# Benchmarks of `slo generate` and `slo report` (hyperfine). See BENCHMARKS.md.
#
#  generate: the whole Sloth corpus (8 specs, 211 rules) in one run.
#  report:   5 SLOs over 30 days against Debian's Prometheus on backfilled blocks, against
#            the peer "the same queries, all at once, with curl": Prometheus logs every query
#            stellar-obs makes (query_log_file), and the peer replays exactly those HTTP
#            requests concurrently (xargs -P).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/stellar-obs}
CORPUS=${CORPUS:-../shared/conformance/slo-sloth}
[ -d "$CORPUS" ] || CORPUS=../../shared/conformance/slo-sloth
W=$(mktemp -d)
PROM_PID=""
cleanup() { [ -n "$PROM_PID" ] && kill "$PROM_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT

hyperfine -N -w 3 -r 30 --export-markdown "$W/generate.md" "$BIN slo generate $(ls "$CORPUS"/in/*.yml | tr '\n' ' ')"
cat "$W/generate.md"

# 31 days of two counters every 5 minutes, ending at midnight UTC before yesterday's.
TO=$(( $(date +%s) / 86400 * 86400 - 86400 ))
python3 - "$TO" > "$W/series.om" <<'PY'
import sys
to = int(sys.argv[1]); start = to - 31 * 86400
e = ok = 0; errs = []; oks = []
for t in range(start, to + 1, 300):
    if t > start:
        e += 1; ok += 1999
    errs.append(f'bench_requests_total{{code="500"}} {e} {t}')
    oks.append(f'bench_requests_total{{code="200"}} {ok} {t}')
print("# TYPE bench_requests counter"); print("\n".join(errs + oks)); print("# EOF")
PY
promtool tsdb create-blocks-from openmetrics --quiet "$W/series.om" "$W/data" >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'global:\n  query_log_file: %s/queries.log\nscrape_configs: []\n' "$W" > "$W/prometheus.yml"
prometheus --config.file="$W/prometheus.yml" --storage.tsdb.path="$W/data" --storage.tsdb.retention.time=2y \
  --web.listen-address=127.0.0.1:$PORT --log.level=warn >"$W/prom.log" 2>&1 &
PROM_PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/-/ready" >/dev/null && break; sleep 1; done
SPECS=""
for i in 1 2 3 4 5; do
  cat > "$W/slo$i.yml" <<YML
version: "prometheus/v1"
service: "bench$i"
slos:
  - name: "availability"
    objective: 99.$i
    sli:
      events:
        error_query: sum(rate(bench_requests_total{code="500"}[{{.window}}]))
        total_query: sum(rate(bench_requests_total[{{.window}}]))
YML
  SPECS="$SPECS $W/slo$i.yml"
done
export STELLAR_OBS_PROMETHEUS_URL=http://127.0.0.1:$PORT
$BIN slo report --at "$TO" -o json $SPECS > /dev/null
# The requests stellar-obs made, as URLs the peer replays all at once.
python3 - "$W/queries.log" "http://127.0.0.1:$PORT" > "$W/urls" <<'PY'
import json, sys, urllib.parse
base = sys.argv[2]
for line in open(sys.argv[1]):
    p = json.loads(line)["params"]
    if p.get("step", 0):
        q = {"query": p["query"], "start": p["start"], "end": p["end"], "step": p["step"]}
        print(base + "/api/v1/query_range?" + urllib.parse.urlencode(q))
    else:
        print(base + "/api/v1/query?" + urllib.parse.urlencode({"query": p["query"], "time": p["end"]}))
PY
echo "queries per report: $(wc -l < "$W/urls")"
# The second peer is one curl process making every request at once (-Z), so the peer pays
# one process start, as stellar-obs does.
sed 's/.*/url = "&"\noutput = "\/dev\/null"/' "$W/urls" > "$W/curl.cfg"
hyperfine -N -w 3 -r 20 --export-markdown "$W/report.md" \
  "$BIN slo report --at $TO -o json $SPECS" \
  "curl -s -Z --parallel-max 64 -K $W/curl.cfg"
hyperfine -w 3 -r 20 "xargs -P 64 -n 1 curl -s -o /dev/null < $W/urls"
cat "$W/report.md"
