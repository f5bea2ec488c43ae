#!/usr/bin/env bash
# The benchmark: registration latency, churn, cold start, reconcile cost and resource use of
# the built jar (with the Dockerfile's JVM options), and the floor loop, in one run against the
# real Docker engine and a real etcd. Prints a table; writes target/bench/results.json.
# Usage: bash bench/run.sh [samples]      (default 60; not part of the test run)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/prepare.sh
# BENCH_ONLY=checks: only the CPU of active health checks (bench/ChecksBench), n containers (default 200)
main=io.github.camelregistrator.bench.Benchmark
[ "${BENCH_ONLY:-}" = checks ] && main=io.github.camelregistrator.bench.ChecksBench
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" "$main" "$@"
