package io.github.camelregistrator.it;

import java.nio.file.Path;

import org.testcontainers.images.builder.ImageFromDockerfile;

/** The project's Dockerfile, built as the README says; offline with a local JRE image (IT_JRE_IMAGE). */
public final class ProjectImage {
    private static final String JRE = System.getenv().getOrDefault("IT_JRE_IMAGE", "eclipse-temurin:17-jre");

    private ProjectImage() {
    }

    /** @return the image's id, built from the jar given and the files the Dockerfile copies */
    public static String build(String name, String jar) {
        return new ImageFromDockerfile(name, false)
                .withFileFromPath("Dockerfile", Path.of("Dockerfile"))
                .withFileFromPath("target/camel-registrator.jar", Path.of(jar))
                .withFileFromPath("scripts/healthcheck.sh", Path.of("scripts/healthcheck.sh"))
                .withBuildArg("JRE_IMAGE", JRE)
                .get();
    }
}
