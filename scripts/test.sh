#!/usr/bin/env bash
# Runs every test, unit and integration, against a real Docker engine and real etcd.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-host.sh
export PATH=/usr/bin:/usr/sbin:$PATH
# Offline Testcontainers: no Ryuk, no gateway probe, no start-up checks (each would pull an image),
# and the locally built images instead of the public ones.
export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_HOST_OVERRIDE=localhost
export TESTCONTAINERS_CHECKS_DISABLE=true
export IT_ETCD_IMAGE=${IT_ETCD_IMAGE:-camel-registrator-test/etcd:local}
export IT_BUSYBOX_IMAGE=${IT_BUSYBOX_IMAGE:-camel-registrator-test/busybox:local}
export IT_JRE_IMAGE=${IT_JRE_IMAGE:-camel-registrator-test/jre:local}
mvn -B -ntp verify "$@"
