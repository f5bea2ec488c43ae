#!/usr/bin/env bash
# The benchmark: registration latency, churn, cold start, reconcile cost and resource use of
# the built jar (with the Dockerfile's JVM options), and the floor loop, in one run against the
# real Docker engine and a real etcd. Prints a table; writes target/bench/results.json.
# Usage: bash bench/run.sh [samples]      (default 60; not part of the test run)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-host.sh >/dev/null
export PATH=/usr/bin:/usr/sbin:$PATH
export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost TESTCONTAINERS_CHECKS_DISABLE=true
export IT_ETCD_IMAGE=${IT_ETCD_IMAGE:-camel-registrator-test/etcd:local}
export IT_BUSYBOX_IMAGE=${IT_BUSYBOX_IMAGE:-camel-registrator-test/busybox:local}
mvn -B -ntp -q package -DskipTests
# the class-data-sharing archive the Dockerfile builds, made the same way for this JVM and jar
# (with the jar's absolute path: an archive only loads for the class path it was made with)
if [ ! -f target/app.jsa ] || [ target/camel-registrator.jar -nt target/app.jsa ]; then
  rm -f target/app.jsa
  java -XX:ArchiveClassesAtExit=target/app.jsa -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx96m \
    -jar "$(pwd)/target/camel-registrator.jar" --camel.main.durationMaxSeconds=6 --etcd-endpoints=http://127.0.0.1:9 \
    --docker-host=unix:///nonexistent.sock --advertise-ip=127.0.0.1 --host-id=cds --log-level=error \
    --http-enabled=false >/dev/null 2>&1 || true
fi
mvn -B -ntp -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | sed -n 1p), docker $(docker version -f '{{.Server.Version}}')"
# BENCH_ONLY=checks: only the CPU of active health checks (bench/ChecksBench), n containers (default 200)
main=io.github.camelregistrator.bench.Benchmark
[ "${BENCH_ONLY:-}" = checks ] && main=io.github.camelregistrator.bench.ChecksBench
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" "$main" "$@"
