#!/usr/bin/env bash
# Runs the registrator on this machine against a local etcd, installing and starting what is
# missing (Docker engine, etcd). Extra arguments are registrator flags, e.g. --layouts=...
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-host.sh
export PATH=/usr/bin:/usr/sbin:$PATH
if ! ETCDCTL_API=3 etcdctl --endpoints=127.0.0.1:2379 endpoint health >/dev/null 2>&1; then
  echo "starting etcd on 127.0.0.1:2379 (data in /tmp/registrator-etcd)"
  setsid etcd --data-dir /tmp/registrator-etcd --listen-client-urls http://127.0.0.1:2379 \
    --advertise-client-urls http://127.0.0.1:2379 --listen-peer-urls http://127.0.0.1:2380 \
    >/tmp/registrator-etcd.log 2>&1 </dev/null &
  for _ in $(seq 60); do ETCDCTL_API=3 etcdctl --endpoints=127.0.0.1:2379 endpoint health >/dev/null 2>&1 && break; sleep 0.5; done
fi
[ -f target/camel-registrator.jar ] || mvn -B -ntp -q package -DskipTests
exec java -jar target/camel-registrator.jar "$@"
