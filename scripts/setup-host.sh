#!/usr/bin/env bash
# Makes a fresh Debian machine ready: Debian's Docker engine and docker-compose, etcd and static busybox,
# dockerd running, and the local images the tests use (no image registry is needed).
set -euo pipefail
export PATH=/usr/bin:/usr/sbin:$PATH   # Debian's docker client, not an older one earlier on PATH
here=$(cd "$(dirname "$0")" && pwd)

need=()
for pkg in docker.io docker-compose etcd-server etcd-client busybox-static; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  echo "starting dockerd"
  setsid dockerd >/var/log/dockerd.log 2>&1 </dev/null &
  for _ in $(seq 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start; see /var/log/dockerd.log" >&2; exit 1; }
fi

bash "$here/images.sh"
