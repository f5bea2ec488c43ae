#!/bin/sh
# The image's HEALTHCHECK: exit 0 when /observe/health/ready answers 200 (Docker's stream
# connected, etcd reachable, the lease alive). A shell and whatever HTTP client the image has:
# starting a JVM for it cost about half a second of CPU every 30 s, more than the idle registrator.
port="${REGISTRATOR_HTTP_PORT:-9712}"
url="http://127.0.0.1:$port/observe/health/ready"
if command -v curl >/dev/null 2>&1; then
  exec curl -fsS -o /dev/null -m 5 "$url"
elif command -v wget >/dev/null 2>&1; then
  # no -T: busybox 1.35's wget dies of it (SIGSEGV); HEALTHCHECK --timeout bounds the wait
  exec wget -q -O /dev/null "$url"
elif command -v bash >/dev/null 2>&1; then
  exec bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "GET /observe/health/ready HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" >&3
    read -r -t 5 _ code _ <&3 && [ "$code" = 200 ]' healthcheck "$port"
fi
# no client at all: the JDK's own, at the price of a JVM
exec java -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx16m -cp /opt/camel-registrator/camel-registrator.jar \
  io.github.camelregistrator.health.HealthProbe
