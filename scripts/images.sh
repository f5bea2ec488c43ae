#!/usr/bin/env bash
# Builds the images the tests use from Debian's packages, since no registry is reachable here:
#   camel-registrator-test/busybox:local  (busybox-static: sh, sleep, httpd, nc)
#   camel-registrator-test/etcd:local     (etcd-server + etcdctl on top of it)
#   camel-registrator-test/jre:local      (a jlink JRE from the host JDK, for the Dockerfile's JRE_IMAGE)
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
# an image that did not exist before is named at the end, with its size; a rebuild from cache says nothing
built=()
missing() { ! docker image inspect "$1" >/dev/null 2>&1; }
missing camel-registrator-test/busybox:local && built+=(camel-registrator-test/busybox:local)
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
missing camel-registrator-test/etcd:local && built+=(camel-registrator-test/etcd:local)
docker build -q -t camel-registrator-test/etcd:local "$work/etcd" >/dev/null
if missing camel-registrator-test/jre:local; then
  built+=(camel-registrator-test/jre:local)
  mkdir -p "$work/jre/lib"
  jlink --output "$work/jre/jre" --strip-debug --no-header-files --no-man-pages --compress=2 \
    --add-modules java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.net,jdk.unsupported,jdk.zipfs
  for lib in libc.so.6 libm.so.6 libz.so.1 libgcc_s.so.1 libstdc++.so.6 libpthread.so.0 libdl.so.2 librt.so.1; do
    cp -L "/lib/x86_64-linux-gnu/$lib" "$work/jre/lib/"
  done
  cat > "$work/jre/Dockerfile" <<'DOCKERFILE'
FROM camel-registrator-test/busybox:local
COPY lib/ /lib/x86_64-linux-gnu/
COPY jre /opt/java
ENV JAVA_HOME=/opt/java PATH=/opt/java/bin:/bin
DOCKERFILE
  cp /lib64/ld-linux-x86-64.so.2 "$work/jre/ld-linux-x86-64.so.2"
  echo 'COPY ld-linux-x86-64.so.2 /lib64/ld-linux-x86-64.so.2' >> "$work/jre/Dockerfile"
  docker build -q -t camel-registrator-test/jre:local "$work/jre" >/dev/null
  # the new JRE must run
  docker run --rm camel-registrator-test/jre:local java -version >/dev/null 2>&1 \
    || { echo "camel-registrator-test/jre:local cannot run java -version" >&2; exit 1; }
fi
for image in ${built[@]+"${built[@]}"}; do
  echo "built $image ($(docker image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}'))"
done
