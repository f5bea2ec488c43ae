#!/usr/bin/env bash
# docker-compose.yml's quick start with Compose v2 (`docker compose`) or v1 (`docker-compose`),
# whichever is installed: builds, starts, and waits until etcd and the registrator are healthy.
# Fails (status 1, with the failing service's last log lines) when either is not, for example
# when a port is taken (override them: ETCD_PORT, ETCD_PEER_PORT, REGISTRATOR_HTTP_PORT).
# Extra arguments go to `up`, e.g. --no-build. Stop with the same command's `down`.
set -euo pipefail
cd "$(dirname "$0")/.."
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
else
  echo "neither 'docker compose' (v2) nor 'docker-compose' (v1) is installed" >&2
  exit 1
fi
# the first service that is not healthy, with its last log lines
report() {
  echo "$1 is not healthy ($2, restarted $3 times); its last lines:" >&2
  docker logs --tail 5 "$4" 2>&1 | sed 's/^/  /' >&2 || true
  exit 1
}
# up fails here when etcd is unhealthy (the registrator depends on it being healthy); say why
up_failed=0
"${compose[@]}" up -d --build "$@" || up_failed=1
for service in etcd registrator; do
  id=$("${compose[@]}" ps -q "$service")
  if [ -z "$id" ]; then
    [ "$up_failed" = 1 ] && { echo "$service was not started" >&2; exit 1; }
    continue
  fi
  status=starting
  restarts=0
  for _ in $(seq 120); do
    status=$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id")
    restarts=$(docker inspect --format '{{.RestartCount}}' "$id")
    [ "$status" = healthy ] && break
    [ "$status" = unhealthy ] || [ "$restarts" -gt 0 ] && break
    sleep 1
  done
  [ "$status" = healthy ] || report "$service" "$status" "$restarts" "$id"
done
[ "$up_failed" = 0 ] || exit 1
echo "etcd on 127.0.0.1:${ETCD_PORT:-2379} and the registrator (health on 127.0.0.1:${REGISTRATOR_HTTP_PORT:-9712}) are up;" \
  "stop them with: ${compose[*]} down"
