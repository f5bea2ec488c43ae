package io.github.camelregistrator.docker;

import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientConfigDelegate;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;

/**
 * Docker clients on docker-java's zerodep transport (unix socket, or TCP with TLS from
 * DOCKER_TLS_VERIFY / DOCKER_CERT_PATH). Without an explicit API version, requests carry none
 * and the engine answers in its own, which works from Docker 20.10 to 29. Strings over 64 KiB
 * are read as markers (see {@link CappedStrings}).
 */
public final class DockerClients {
    private DockerClients() {
    }

    /** For requests: bounded by a response timeout. */
    public static DockerClient requests(String host, String apiVersion) {
        return requests(host, apiVersion, () -> {
        });
    }

    /** @param inspected told of each container inspect sent (registrator_docker_inspects_total) */
    public static DockerClient requests(String host, String apiVersion, Runnable inspected) {
        return build(host, apiVersion, Duration.ofSeconds(30), inspected);
    }

    /** For the event stream, which may be silent for hours: no response timeout. */
    public static DockerClient events(String host, String apiVersion) {
        return build(host, apiVersion, null, () -> {
        });
    }

    /** A container's inspect data; null when it is gone. */
    public static InspectContainerResponse inspect(DockerClient docker, String id) {
        try {
            return docker.inspectContainerCmd(id).exec();
        } catch (NotFoundException e) {
            return null;
        }
    }

    private static DockerClient build(String host, String apiVersion, Duration responseTimeout, Runnable inspected) {
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host);
        if (apiVersion != null && !apiVersion.isBlank()) {
            builder.withApiVersion(apiVersion.trim());
        }
        DockerClientConfig built = builder.build();
        DockerClientConfig config = new DockerClientConfigDelegate(built) {
            private final ObjectMapper mapper = CappedStrings.mapper();

            @Override
            public ObjectMapper getObjectMapper() {
                return mapper;
            }
        };
        ZerodepDockerHttpClient.Builder http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(5));
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        return DockerClientImpl.getInstance(config, new CountedInspects(http.build(), inspected));
    }
}
