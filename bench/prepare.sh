# Sourced by the benchmarks: Docker, etcd and the local images, the jar, the class-data-sharing
# archive the Dockerfile builds (made the same way for this JVM and jar, with the jar's absolute
# path: an archive only loads for the class path it was made with), and the test class path.
bash scripts/setup-host.sh >/dev/null
export PATH=/usr/bin:/usr/sbin:$PATH
export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost TESTCONTAINERS_CHECKS_DISABLE=true
export IT_ETCD_IMAGE=${IT_ETCD_IMAGE:-camel-registrator-test/etcd:local}
export IT_BUSYBOX_IMAGE=${IT_BUSYBOX_IMAGE:-camel-registrator-test/busybox:local}
export IT_JRE_IMAGE=${IT_JRE_IMAGE:-camel-registrator-test/jre:local}
mvn -B -ntp -q package -DskipTests
if [ ! -f target/app.jsa ] || [ target/camel-registrator.jar -nt target/app.jsa ]; then
  rm -f target/app.jsa
  java -XX:ArchiveClassesAtExit=target/app.jsa -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx96m \
    -jar "$(pwd)/target/camel-registrator.jar" --camel.main.durationMaxSeconds=6 --etcd-endpoints=http://127.0.0.1:9 \
    --docker-host=unix:///nonexistent.sock --advertise-ip=127.0.0.1 --host-id=cds --log-level=error \
    --http-enabled=false >/dev/null 2>&1 || true
fi
mvn -B -ntp -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | sed -n 1p), docker $(docker version -f '{{.Server.Version}}')"
