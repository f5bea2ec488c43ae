#!/usr/bin/env bash
# One host's cost on a fleet's etcd: etcd preloaded with 0, 100,000 and 1,000,000 other hosts'
# keys; start to all own keys, idle CPU, RSS, requests and bytes from etcd, the cost of other
# hosts' churn (1,000 writes/s), and a projection to 10,000 hosts × 50 containers.
# Writes target/bench/fleet.json. Usage: bash bench/fleet.sh [foreign-key counts...]   (~10 min)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/prepare.sh
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.github.camelregistrator.bench.Fleet "$@"
