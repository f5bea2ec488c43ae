package io.github.camelregistrator.config;

import java.io.File;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Set;

import io.github.camelregistrator.docker.SwarmRole;
import io.netty.handler.ssl.SslContextBuilder;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesSource;

/**
 * Checks every option before Camel starts, so that a bad one is a single line naming it and
 * not a stack trace from inside Camel's start-up. Values are resolved by a Camel properties
 * component set up as the real one is (placeholders such as {@code {{env:DOCKER_HOST:...}}}
 * resolve the same way); a second context costs a millisecond once Camel's classes are loaded.
 */
final class Preflight {
    private Preflight() {
    }

    /** As Camel should read properties: the values given to it first, the environment only as a fallback. */
    static void configure(org.apache.camel.spi.PropertiesComponent component) {
        var pc = (org.apache.camel.component.properties.PropertiesComponent) component;
        pc.setEnvironmentVariableMode(org.apache.camel.component.properties.PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_FALLBACK);
        pc.setSystemPropertiesMode(org.apache.camel.component.properties.PropertiesComponent.SYSTEM_PROPERTIES_MODE_FALLBACK);
    }

    /**
     * @param known every option with its winning value (see {@link OptionSources#known()})
     * @param layoutRoutes the layouts that have a route file
     * @return the settings, valid
     * @throws IllegalArgumentException with the one line to print
     */
    static Settings check(Map<String, String> known, Set<String> layoutRoutes) {
        CamelContext probe = new DefaultCamelContext(false);
        var pc = probe.getPropertiesComponent();
        configure(pc);
        pc.addPropertiesSource(new PropertiesSource() {
            @Override
            public String getName() {
                return "registrator options";
            }

            @Override
            public String getProperty(String name) {
                return known.get(name);
            }
        });
        // a placeholder that points nowhere fails here, naming the option that holds it
        for (String name : known.keySet()) {
            try {
                pc.parseUri("{{" + name + "}}");
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage());
            }
        }
        Settings s = Settings.from(name -> pc.resolveProperty(name).orElse(null), layoutRoutes);
        tls(s);
        if (s.swarmServices()) {
            swarmManager(s);
        }
        if (Boolean.parseBoolean(pc.resolveProperty("camel.server.enabled").orElse("false"))) {
            String port = pc.resolveProperty("camel.server.port").orElse("8080");
            String option = port.equals(pc.resolveProperty("registrator.http-port").orElse(null))
                    ? "registrator.http-port" : "camel.server.port";
            httpPort(option, pc.resolveProperty("camel.server.host").orElse("0.0.0.0"), port);
        }
        return s;
    }

    /** PEM files that exist but that netty cannot read fail here, not inside Camel's start-up. */
    private static void tls(Settings s) {
        if (s.etcdCaFile() != null) {
            try {
                SslContextBuilder.forClient().trustManager(new File(s.etcdCaFile()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("registrator.etcd-ca-file: '" + s.etcdCaFile()
                        + "' holds no PEM certificate (" + e.getMessage() + ")");
            }
        }
        if (s.etcdCertFile() != null) {
            try {
                SslContextBuilder.forClient().keyManager(new File(s.etcdCertFile()), new File(s.etcdKeyFile())).build();
            } catch (Exception e) {
                // netty names the file it could not use
                String m = String.valueOf(e.getMessage());
                String option = m.contains(s.etcdCertFile()) ? "registrator.etcd-cert-file" : "registrator.etcd-key-file";
                String file = m.contains(s.etcdCertFile()) ? s.etcdCertFile() : s.etcdKeyFile();
                throw new IllegalArgumentException(option + ": '" + file
                        + "' is not a PEM certificate and PKCS#8 key that belong together (" + m + ")");
            }
        }
    }

    /**
     * Only a swarm manager lists services: on a worker or a plain engine the option cannot work,
     * so it is refused like a bad value. A Docker that does not answer yet is no refusal: the
     * registrator waits for Docker as always, and the listing then says what is wrong.
     */
    private static void swarmManager(Settings s) {
        String refusal;
        try {
            refusal = SwarmRole.refusal(s.dockerHost(), s.dockerApiVersion());
        } catch (Exception unreachable) {
            return;
        }
        if (refusal != null) {
            throw new IllegalArgumentException("registrator.swarm-services: " + refusal);
        }
    }

    /** Camel's HTTP server logs a bind failure and runs on without health endpoint: fail before that. */
    private static void httpPort(String option, String host, String port) {
        int p;
        try {
            p = Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + port + "' is not a TCP port (1 to 65535)");
        }
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(host, p));
        } catch (BindException e) {
            throw new IllegalArgumentException(option + ": port " + p + " is in use on " + host
                    + " (choose another, or --http-enabled=false)");
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": cannot listen on " + host + ":" + p + ": " + e.getMessage());
        }
    }
}
