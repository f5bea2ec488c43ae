#!/usr/bin/env bash
# Runs the registrator on this machine against a local etcd, installing and starting what is
# missing (Docker engine, etcd). Extra arguments are registrator flags, e.g. --layouts=...
# ETCD_PORT (2379) and ETCD_PEER_PORT (2380) choose the etcd it uses or starts. An etcd it
# starts keeps running after the registrator stops; the script says how to stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/bin:/usr/sbin:$PATH
port=${ETCD_PORT:-2379}
peer=${ETCD_PEER_PORT:-2380}
# Maven colours its output even with -q; not when it goes to a file or a pipe
color=never
[ -t 1 ] && color=auto
bash scripts/setup-host.sh
healthy() { ETCDCTL_API=3 etcdctl --endpoints="127.0.0.1:$port" endpoint health >/dev/null 2>&1; }
if healthy; then
  echo "using the etcd already answering on 127.0.0.1:$port"
else
  data=/tmp/registrator-etcd-$port
  setsid etcd --name registrator-local --data-dir "$data" \
    --listen-client-urls "http://127.0.0.1:$port" --advertise-client-urls "http://127.0.0.1:$port" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "registrator-local=http://127.0.0.1:$peer" \
    >"$data.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" > "$data.pid"
  for _ in $(seq 60); do healthy && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if ! healthy; then
    echo "etcd did not start on 127.0.0.1:$port (peer port $peer); see $data.log" >&2
    exit 1
  fi
  echo "started etcd on 127.0.0.1:$port (peer port $peer, pid $pid, data in $data, log $data.log)"
  echo "it keeps running after the registrator stops; stop it with: kill $pid"
fi
[ -f target/camel-registrator.jar ] || mvn -B -ntp -q -Dstyle.color="$color" package -DskipTests
exec java -jar target/camel-registrator.jar "--etcd-endpoints=http://127.0.0.1:$port" "$@"
