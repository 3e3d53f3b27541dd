#!/usr/bin/env bash
# Benchmark: `stellar-obs test routes` on 1,000 cases against the stack's Alertmanager
# config, versus 1,000 `amtool config routes test` calls (amtool checks one label set per
# call) and versus one amtool call. Needs hyperfine, amtool, python3.
# Usage: scripts/bench-test-routes.sh [BIN] (default: target/release/stellar-obs, built here)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/release/stellar-obs}
[ -x "$BIN" ] || cargo build --release --quiet
CONF=$PWD/templates/alerting/alertmanager.yml
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
python3 - "$CONF" "$W" <<'PY'
import random, sys
conf, w = sys.argv[1], sys.argv[2]
random.seed(7)
sev = ["critical", "warning", "info", "debug", None]
names = ["StellarConnectorDown", "StellarConnectorHighLatency", "HostHighDiskUsage", "X"]
exp = {"critical": "critical", "warning": "warning", "info": "info-digest"}
yml, tsv = [f"config: {conf}", "tests:"], []
for i in range(1000):
    s = random.choice(sev); a = {"alertname": random.choice(names), "instance": f"i{i % 7}"}
    if s: a["severity"] = s
    r = exp.get(s, "email-default")
    yml.append(f"  - name: case {i}\n    alert: {{{', '.join(f'{k}: {v}' for k, v in a.items())}}}\n    expect:\n      receivers: [{r}]")
    tsv.append(" ".join(f'{k}="{v}"' for k, v in a.items()) + "\t" + r)
open(f"{w}/routes.yml", "w").write("\n".join(yml) + "\n")
open(f"{w}/cases.tsv", "w").write("\n".join(tsv) + "\n")
PY
cat > "$W/amtool-1000.sh" <<SH
#!/bin/sh
while IFS="\$(printf '\t')" read -r labels expect; do
  eval "amtool config routes test --config.file=$CONF --verify.receivers=\$expect \$labels" >/dev/null 2>&1 || exit 1
done < $W/cases.tsv
SH
chmod +x "$W/amtool-1000.sh"
hyperfine -N -w 2 -r 20 "$BIN test routes $W/routes.yml" \
  "amtool config routes test --config.file=$CONF --verify.receivers=critical severity=critical"
hyperfine -w 1 -r 3 "$BIN test routes $W/routes.yml" "$W/amtool-1000.sh"
