#!/usr/bin/env bash
# Benchmark: `stellar-obs test rules` against `promtool test rules` (hyperfine, same run),
# on the stack's shipped tests (prometheus/tests/*.yml) and on upstream's
# cmd/promtool/testdata/unittest.yml. Debian's promtool 2.42 rejects that file outright (it
# predates the `histogram:` field), so both tools run a copy without its native-histogram
# series and expectations (everything else of the file is kept). On that copy promtool 2.42
# still reports 4 failures where Prometheus 3.x semantics (left-open range windows) give
# upstream's expected values: it runs every test all the same, so its time is measured with
# hyperfine -i (its exit code 1 ignored). Peak memory: /usr/bin/time -f %M (max RSS).
#   scripts/bench-test-rules.sh [RUNS] [OUT.md]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
out=${2:-target/bench-test-rules.md}
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)"; exit 1; }
command -v promtool >/dev/null || { echo "promtool is not installed (apt-get install prometheus)"; exit 1; }
corpus=${STELLAR_OBS_CONFORMANCE:-../shared/conformance}/promql-eval/promtool-unittest
[ -f "$corpus/unittest.yml" ] || { echo "the promtool unit-test corpus is not at $corpus"; exit 1; }

cargo build --release --locked
bin=$PWD/target/release/stellar-obs

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" init --dir "$tmp/stack" >/dev/null
cp "$corpus/rules.yml" "$tmp/"
python3 - "$corpus/unittest.yml" > "$tmp/unittest.yml" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
for t in doc["tests"]:
    t["input_series"] = [s for s in t.get("input_series", []) if "{{" not in str(s.get("values", ""))]
    t["promql_expr_test"] = [e for e in t.get("promql_expr_test", [])
                             if not any("histogram" in s for s in e.get("exp_samples", []) or [])]
print(yaml.safe_dump(doc, sort_keys=False))
PY

cd "$tmp/stack/prometheus/tests"
files=$(ls *.yml | tr '\n' ' ')
"$bin" test rules $files >/dev/null
promtool test rules $files >/dev/null
hyperfine -N -w 3 -r "$runs" --export-markdown "$tmp/shipped.md" \
  "$bin test rules $files" "promtool test rules $files"
echo "peak RSS (KB), shipped tests: ours $( { /usr/bin/time -f %M "$bin" test rules $files >/dev/null; } 2>&1 ) promtool $( { /usr/bin/time -f %M promtool test rules $files >/dev/null; } 2>&1 )"

cd "$tmp"
"$bin" test rules unittest.yml >/dev/null
promtool test rules unittest.yml >/dev/null 2>&1 || echo "promtool 2.42: failures on unittest.yml (3.x semantics), timed all the same"
hyperfine -N -i -w 3 -r "$runs" --export-markdown "$tmp/unittest.md" \
  "$bin test rules unittest.yml" "promtool test rules unittest.yml"
echo "peak RSS (KB), unittest.yml: ours $( { /usr/bin/time -f %M "$bin" test rules unittest.yml >/dev/null; } 2>&1 ) promtool $( { /usr/bin/time -f %M promtool test rules unittest.yml >/dev/null; } 2>&1 | tail -1 )"
cd - >/dev/null
cat "$tmp/shipped.md" "$tmp/unittest.md" > "$out"
echo "written $out"
