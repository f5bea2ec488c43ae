# The registrator as a small sidecar next to Docker's socket. Build the jar first
# (mvn -B package -DskipTests); offline builds pass --build-arg JRE_IMAGE=<a local JRE image>.
ARG JRE_IMAGE=eclipse-temurin:17-jre
FROM ${JRE_IMAGE}
WORKDIR /opt/camel-registrator
COPY target/camel-registrator.jar camel-registrator.jar
# Options come from REGISTRATOR_* variables (see --help); a routes/ folder or an
# application.properties mounted into this directory replaces the packed one.
ENV JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xms24m -Xmx96m -XX:MaxMetaspaceSize=96m -Xss512k -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "camel-registrator.jar"]
