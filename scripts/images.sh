#!/usr/bin/env bash
# Builds the images the tests use from Debian's packages, since no registry is reachable here:
#   camel-registrator-test/busybox:local  (busybox-static: sh, sleep, httpd, nc)
#   camel-registrator-test/etcd:local     (etcd-server + etcdctl on top of it)
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/busybox"
cp /bin/busybox "$work/busybox/busybox"
cat > "$work/busybox/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
CMD ["sh"]
DOCKERFILE
docker build -q -t camel-registrator-test/busybox:local "$work/busybox" >/dev/null

mkdir -p "$work/etcd"
cp /usr/bin/etcd /usr/bin/etcdctl /lib/x86_64-linux-gnu/libc.so.6 /lib64/ld-linux-x86-64.so.2 "$work/etcd/"
cat > "$work/etcd/Dockerfile" <<'DOCKERFILE'
FROM camel-registrator-test/busybox:local
COPY libc.so.6 /lib/x86_64-linux-gnu/libc.so.6
COPY ld-linux-x86-64.so.2 /lib64/ld-linux-x86-64.so.2
COPY etcd etcdctl /usr/local/bin/
ENV ETCDCTL_API=3
EXPOSE 2379 2380
CMD ["etcd"]
DOCKERFILE
docker build -q -t camel-registrator-test/etcd:local "$work/etcd" >/dev/null
docker images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep camel-registrator-test
