package io.github.camelregistrator.docker;

import com.github.dockerjava.api.DockerClient;
import org.apache.camel.component.docker.DockerClientProfile;
import org.apache.camel.component.docker.DockerComponent;

/**
 * camel-docker's {@code docker:} component, made to use the registrator's one Docker client,
 * so that {@code docker:inspectcontainer} in the routes honours DOCKER_HOST, TLS and the API
 * version exactly as the event stream does.
 */
public class SharedClientDockerComponent extends DockerComponent {
    private final DockerClient client;

    public SharedClientDockerComponent(DockerClient client) {
        this.client = client;
    }

    @Override
    public DockerClient getClient(DockerClientProfile profile) {
        return client;
    }
}
