# Camel Registrator as a small sidecar next to Docker's socket.
#   mvn -B package -DskipTests && docker build -t camel-registrator .
# Offline builds pass --build-arg JRE_IMAGE=<a local JRE image> (scripts/images.sh makes one).
ARG JRE_IMAGE=eclipse-temurin:17-jre
FROM ${JRE_IMAGE}
WORKDIR /opt/camel-registrator
COPY target/camel-registrator.jar camel-registrator.jar
COPY scripts/healthcheck.sh healthcheck.sh
# A class-data-sharing archive of a training start (no Docker, no etcd: it gives up after a
# few seconds): start-up reads classes from it instead of the 45 MB jar. A JRE without a base
# archive (a jlink one) gets one first; a JRE that cannot make one just starts slower.
RUN (java -Xshare:dump >/dev/null 2>&1 || true) && \
    java -XX:ArchiveClassesAtExit=app.jsa -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx96m \
      -jar camel-registrator.jar --camel.main.durationMaxSeconds=6 --etcd-endpoints=http://127.0.0.1:9 \
      --docker-host=unix:///nonexistent.sock --advertise-ip=127.0.0.1 --host-id=cds --log-level=error \
      --http-enabled=false >/dev/null 2>&1 || echo "no class-data-sharing archive; starting without one"
# Every option can be set as REGISTRATOR_<NAME> (see --help), for example
# REGISTRATOR_ETCD_ENDPOINTS, REGISTRATOR_ADVERTISE_IP, REGISTRATOR_HOST_ID, REGISTRATOR_LAYOUTS.
# Files mounted into /opt/camel-registrator/routes/ replace the packed routes of their name or
# add to them (an own layout-<name>.yaml alone is enough); an application.properties there
# overrides the packed defaults.
ENV REGISTRATOR_HTTP_PORT=9712
EXPOSE 9712
# The registrator does not register itself; run it with --label SERVICE_IGNORE= to change that.
LABEL SERVICE_IGNORE=true
# A small heap and the serial collector: the registrator holds little, and a sidecar should
# not reserve a quarter of the host's memory; the heap gives back what a burst took. C1 only:
# a registrator's code never gets hot enough for C2, which would cost memory and CPU for
# nothing; and compiled after a tenth of the usual calls, since a container's life runs each
# method a few times (CPU per life -35 %, cold start ~0.3 s slower: bench/run.sh). The archive is mapped at
# its own address, so its pages stay shared with the page cache instead of being relocated
# into private memory (-30 MiB anonymous). No hsperfdata sampler, one netty arena.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=app.jsa", "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0", \
            "-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=0.1", "-XX:+UseSerialGC", "-Xms16m", "-Xmx96m", \
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20", "-XX:MaxMetaspaceSize=96m", "-Xss512k", \
            "-XX:ReservedCodeCacheSize=32m", "-XX:-UsePerfData", "-Dio.netty.allocator.numDirectArenas=1", \
            "-Dio.netty.allocator.numHeapArenas=1", "-XX:+ExitOnOutOfMemoryError", "-jar", "camel-registrator.jar"]
# docker stop (SIGTERM) revokes the lease and exits 0; a bad option exits 2 with one line
# in `docker logs`.
# Ready: Docker stream connected, etcd reachable, lease alive. A shell and the image's own HTTP
# client (curl, wget or bash's /dev/tcp), never a JVM: see scripts/healthcheck.sh.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["/bin/sh", "/opt/camel-registrator/healthcheck.sh"]
