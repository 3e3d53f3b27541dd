#!/usr/bin/env bash
# Benchmark `stellar-obs backup` / `restore` against `tar czf` / `tar xzf` on a Prometheus data
# directory of more than 1 GiB (BENCHMARKS.md, section "backup").
#
#   scripts/bench-backup.sh [WORKDIR]        (default /tmp/stellar-obs-bench)
#
# Needs: promtool, prometheus, python3, hyperfine, GNU time (/usr/bin/time), a release build.
# The data: 3000 series (counters, random-walk gauges, noisy gauges; one sample every 15 s
# for 24 h) written by `promtool tsdb create-blocks-from openmetrics` (~90 MB, 13 blocks),
# then copied 13 times with fresh block ULIDs and shifted, non-overlapping time ranges
# (~1.2 GB, 169 blocks). Prometheus runs on it with the admin API, block compaction off, and
# a long retention, so the snapshot is exactly these blocks.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=${1:-/tmp/stellar-obs-bench}
bin=$repo/target/release/stellar-obs
[ -x "$bin" ] || cargo build --release
mkdir -p "$work"
cd "$work"

if [ ! -d base-tsdb ]; then
  echo "== generating OpenMetrics input and promtool blocks (slow: minutes)"
  python3 "$repo/scripts/bench/gen_openmetrics.py" 3000 24 15 > base.om
  promtool tsdb create-blocks-from openmetrics -q base.om base-tsdb
  rm -f base.om
fi
if [ ! -d data ]; then
  python3 "$repo/scripts/bench/replicate_blocks.py" base-tsdb data 13
fi
du -sh data
echo "data bytes: $(du -sb data | cut -f1)"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'global:\n  scrape_interval: 1h\nscrape_configs: []\n' > prometheus.yml
prometheus --config.file=prometheus.yml --storage.tsdb.path=data \
  --web.listen-address=127.0.0.1:$port --web.enable-admin-api \
  --storage.tsdb.retention.time=100y \
  --storage.tsdb.min-block-duration=2h --storage.tsdb.max-block-duration=2h \
  > prometheus.log 2>&1 &
prom=$!
trap 'kill $prom 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1 && break; sleep 1; done
export STELLAR_OBS_PROMETHEUS_URL=http://127.0.0.1:$port
dead=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

if [ "${SKIP_BACKUP:-}" != 1 ]; then
echo "== backup vs tar czf"
hyperfine --warmup 1 --runs "${RUNS:-3}" --export-markdown backup.md \
  --prepare 'rm -f ours.tar.gz; sync' --prepare 'rm -f theirs.tar.gz; sync' \
  -n "stellar-obs backup" "$bin backup -q --only prometheus --prometheus-data-dir data --out ours.tar.gz" \
  -n "tar czf" "tar czf theirs.tar.gz -C data --exclude=./snapshots --exclude=./wal --exclude=./chunks_head --exclude=./lock --exclude=./queries.active ."
fi
[ -f ours.tar.gz ] || "$bin" backup -q --only prometheus --prometheus-data-dir data --out ours.tar.gz
[ -f theirs.tar.gz ] || tar czf theirs.tar.gz -C data --exclude=./snapshots --exclude=./wal --exclude=./chunks_head --exclude=./lock --exclude=./queries.active .
ls -l ours.tar.gz theirs.tar.gz

echo "== restore vs tar xzf"
hyperfine --warmup 1 --runs "${RUNS:-3}" --export-markdown restore.md \
  --prepare 'rm -rf r1; sync' --prepare 'rm -rf r2; mkdir r2; sync' \
  -n "stellar-obs restore" "STELLAR_OBS_PROMETHEUS_URL=http://127.0.0.1:$dead $bin restore -q --yes --prometheus-data-dir r1 ours.tar.gz" \
  -n "tar xzf" "tar xzf theirs.tar.gz -C r2"

echo "== peak memory"
/usr/bin/time -f "backup: max RSS %M KiB, %e s" "$bin" backup -q --only prometheus --prometheus-data-dir data --out mem.tar.gz
rm -rf r1
STELLAR_OBS_PROMETHEUS_URL=http://127.0.0.1:$dead /usr/bin/time -f "restore: max RSS %M KiB, %e s" "$bin" restore -q --yes --prometheus-data-dir r1 mem.tar.gz >/dev/null
/usr/bin/time -f "verify: max RSS %M KiB, %e s" "$bin" backup verify -q mem.tar.gz >/dev/null
diff -r data r1 --exclude=snapshots --exclude=wal --exclude=chunks_head --exclude=lock --exclude=queries.active && echo "restored data identical to the source"
