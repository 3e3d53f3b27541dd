#!/usr/bin/env bash
# Builds small local Docker images of Prometheus, Alertmanager, node-exporter and Pushgateway
# from the Debian packages installed on this machine, for the end-to-end tests (no registry
# needed). Called by scripts/ci-setup.sh; safe to run again: an image whose inputs (this
# script, the package versions) have not changed is kept, so a second run takes about a second.
#
# Each image is a root filesystem made with `docker import`:
#   - the Debian binary (ENTRYPOINT) and its data files (`dpkg -L`: web assets, templates);
#   - the shared libraries it links to (`ldd`), /etc/passwd and /etc/group (nobody);
#   - busybox (busybox-static) as /bin/busybox with sh, wget, ... for the healthchecks;
#   - the data directory of the official image (/prometheus, /alertmanager, /pushgateway),
#     owned by nobody, so a fresh named volume mounted there is writable.
#
# Tags: stellar-obs-test/<name>:local. The tests point PROMETHEUS_IMAGE etc. at them.
# Usage: scripts/build-test-images.sh [--force]
set -euo pipefail
cd "$(dirname "$0")/.."

REPO_PREFIX=${STELLAR_OBS_TEST_IMAGE_PREFIX:-stellar-obs-test}
LABEL=org.stellar-obs.test-image-hash
force=false
[ "${1:-}" = "--force" ] && force=true

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

die() { echo "build-test-images: $*" >&2; exit 1; }
command -v docker >/dev/null || die "docker is not installed (apt-get install docker.io)"
docker info >/dev/null 2>&1 || die "the Docker daemon is not reachable (start dockerd)"
[ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || die "busybox is missing (apt-get install busybox-static)"
BUSYBOX=$(command -v busybox)
file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' || [ -z "$(ldd "$BUSYBOX" 2>/dev/null | grep '=>' || true)" ] \
  || die "$BUSYBOX is not statically linked (apt-get install busybox-static)"

script_hash=$(sha256sum "$0" | cut -c1-16)

# name  package  binary  data-dir  default-args
IMAGES=(
  "prometheus|prometheus|/usr/bin/prometheus|/prometheus|--config.file=/etc/prometheus/prometheus.yml --storage.tsdb.path=/prometheus"
  "alertmanager|prometheus-alertmanager|/usr/bin/prometheus-alertmanager|/alertmanager|--config.file=/etc/alertmanager/alertmanager.yml --storage.path=/alertmanager"
  "node-exporter|prometheus-node-exporter|/usr/bin/prometheus-node-exporter||"
  "pushgateway|prometheus-pushgateway|/usr/bin/prometheus-pushgateway|/pushgateway|"
)

# Paths of a package that belong in an image: binaries other than the main one, docs,
# init scripts and the like stay out.
wanted() {
  case "$1" in
    /usr/share/doc/*|/usr/share/man/*|/usr/share/lintian/*|/usr/share/bash-completion/*) return 1 ;;
    /etc/init.d/*|/etc/default/*|/etc/logrotate.d/*|/lib/systemd/*|/usr/lib/systemd/*) return 1 ;;
    /usr/bin/*|/usr/sbin/*|/bin/*|/sbin/*) return 1 ;;
  esac
  return 0
}

build_one() {
  local name=$1 pkg=$2 bin=$3 datadir=$4 args=$5
  local tag="$REPO_PREFIX/$name:local"
  dpkg -s "$pkg" >/dev/null 2>&1 || die "package $pkg is not installed (apt-get install $pkg)"
  [ -x "$bin" ] || die "$bin is missing (package $pkg)"
  local versions hash
  versions="$(dpkg-query -W -f '${Package}=${Version};' "$pkg" libc6 busybox-static 2>/dev/null || true)"
  hash=$(printf '%s|%s|%s' "$script_hash" "$versions" "$name" | sha256sum | cut -c1-32)
  if ! $force; then
    local have
    have=$(docker image inspect -f "{{ index .Config.Labels \"$LABEL\" }}" "$tag" 2>/dev/null || true)
    if [ "$have" = "$hash" ]; then
      echo "$tag is up to date"
      return 0
    fi
  fi

  local old_id stage
  old_id=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
  stage=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "$SUDO rm -rf '$stage'" RETURN
  mkdir -p "$stage"/{bin,etc,tmp,usr/bin,proc,sys,dev}
  chmod 1777 "$stage/tmp"

  # The binary and what it links to.
  cp -L "$bin" "$stage$bin"
  local lib
  for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*' || true); do
    mkdir -p "$stage$(dirname "$lib")"
    cp -L "$lib" "$stage$lib"
  done

  # The package's data files (symlinks followed; dangling ones skipped).
  # A listed path with listed children is one of the package's directories: it is created,
  # never copied (on a merged-/usr system /lib is a symlink to all of /usr/lib).
  local f list
  list=$(dpkg -L "$pkg")
  while IFS= read -r f; do
    [ -n "$f" ] && [ "$f" != "/." ] || continue
    wanted "$f" || continue
    if awk -v p="$f/" 'index($0, p) == 1 { found = 1; exit } END { exit !found }' <<<"$list"; then
      mkdir -p "$stage$f"
    elif [ -e "$f" ]; then
      # Web-UI vendor links can point at huge shared trees (moment-timezone: 200 MB of
      # zone data); the services and their healthchecks do not need them.
      if [ -L "$f" ] && [ -d "$f" ] && [ "$(du -sLk "$f" | cut -f1)" -gt 10240 ]; then
        continue
      fi
      mkdir -p "$stage$(dirname "$f")"
      cp -rL "$f" "$stage$f" 2>/dev/null || true
    fi
  done <<<"$list"

  # busybox for the healthchecks (wget) and for debugging (sh, ls, ...).
  cp -L "$BUSYBOX" "$stage/bin/busybox"
  local applet
  for applet in sh wget ls cat echo ps sleep du df id env grep tar; do
    ln -sf busybox "$stage/bin/$applet"
  done

  cat >"$stage/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
  cat >"$stage/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
  echo 'hosts: files dns' >"$stage/etc/nsswitch.conf"

  local workdir=/
  if [ -n "$datadir" ]; then
    mkdir -p "$stage$datadir"
    $SUDO chown 65534:65534 "$stage$datadir"
    workdir=$datadir
  fi

  local cmd_json="[]"
  if [ -n "$args" ]; then
    cmd_json="[$(printf '"%s",' $args | sed 's/,$//')]"
  fi
  $SUDO tar -C "$stage" --numeric-owner -cf - . | docker import \
    --change "ENTRYPOINT [\"$bin\"]" \
    --change "CMD $cmd_json" \
    --change "USER 65534" \
    --change "WORKDIR $workdir" \
    --change "ENV PATH=/bin:/usr/bin" \
    --change "LABEL $LABEL=$hash" \
    --message "stellar-obs test image from Debian $pkg" \
    - "$tag" >/dev/null
  # The previous build, now untagged, is removed (kept if a container still uses it).
  if [ -n "$old_id" ] && [ "$old_id" != "$(docker image inspect -f '{{.Id}}' "$tag")" ]; then
    docker rmi "$old_id" >/dev/null 2>&1 || true
  fi
  echo "built $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
}

for spec in "${IMAGES[@]}"; do
  IFS='|' read -r name pkg bin datadir args <<<"$spec"
  build_one "$name" "$pkg" "$bin" "$datadir" "$args"
done
