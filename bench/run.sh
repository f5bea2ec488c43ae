#!/usr/bin/env bash
# The benchmark: registration latency, churn, cold start, reconcile cost and resource use of
# the built jar (with the Dockerfile's JVM options), and the floor loop, in one run against the
# real Docker engine and a real etcd. Prints a table; writes target/bench/results.json.
# Usage: bash bench/run.sh [samples]      (default 60; not part of the test run)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/prepare.sh
# BENCH_ONLY=checks: only the CPU of active health checks (bench/ChecksBench), n services per kind (default 100)
# BENCH_ONLY=transport: the HTTP probe's transports in this JVM under the image's JIT and GC flags
#   (bench/ProbeTransportBench; args: netty|vertx|jdk|tcp [probes/s] [seconds]; BENCH_JAVA_OPTS adds e.g. JFR)
main=io.github.camelregistrator.bench.Benchmark
jvm=()
[ "${BENCH_ONLY:-}" = checks ] && main=io.github.camelregistrator.bench.ChecksBench
if [ "${BENCH_ONLY:-}" = transport ]; then
  main=io.github.camelregistrator.bench.ProbeTransportBench
  jvm=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx96m)
fi
# shellcheck disable=SC2086
exec java "${jvm[@]}" ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" "$main" "$@"
