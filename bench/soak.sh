#!/usr/bin/env bash
# The randomised fault soak (FaultSoakIT) for as long as you like: etcd killed, paused and
# replaced, the registrator killed -9, containers coming and going, keys edited by hand, and
# etcd checked to be exact at every quiet point. Prints its seed; a failing seed replays.
# Usage: bash bench/soak.sh [seconds] [seed]       (default 1800 s and a new seed)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-host.sh >/dev/null
export PATH=/usr/bin:/usr/sbin:$PATH
export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost TESTCONTAINERS_CHECKS_DISABLE=true
export IT_ETCD_IMAGE=${IT_ETCD_IMAGE:-camel-registrator-test/etcd:local}
export IT_BUSYBOX_IMAGE=${IT_BUSYBOX_IMAGE:-camel-registrator-test/busybox:local}
seed=()
[ $# -ge 2 ] && seed=(-Dsoak.seed="$2")
mvn -B -ntp verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=FaultSoakIT \
  -Dsoak.seconds="${1:-1800}" "${seed[@]}" | grep -E "fault soak|Tests run:|FAIL|not exact" 
