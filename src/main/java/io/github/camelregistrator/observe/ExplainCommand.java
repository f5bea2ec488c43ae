package io.github.camelregistrator.observe;

import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.github.dockerjava.api.DockerClient;
import io.etcd.jetcd.Client;
import io.github.camelregistrator.check.CheckGate;
import io.github.camelregistrator.check.HealthChecks;
import io.github.camelregistrator.config.CommandLine;
import io.github.camelregistrator.config.RuntimeRecord;
import io.github.camelregistrator.config.Settings;
import io.github.camelregistrator.docker.DockerClients;
import io.github.camelregistrator.etcd.EtcdClients;
import io.github.camelregistrator.health.Causes;
import io.github.camelregistrator.layout.Dns;
import io.github.camelregistrator.layout.EntryCollector;
import io.github.camelregistrator.layout.JsonTemplate;
import io.github.camelregistrator.layout.Layouts;
import io.github.camelregistrator.service.ServiceMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * {@code explain <container> [--name=value ...]}: why one container is, or is not, in etcd, as
 * text. The registrator of this host answers when its HTTP port does; otherwise the answer is
 * computed here from Docker and etcd, read-only: no put, no lease. Options come from the same
 * sources as the registrator's, so the same flags explain what it does.
 */
public final class ExplainCommand {
    static final String USAGE = "usage: java -jar camel-registrator.jar explain <container-name-or-id> [--name=value ...]";

    private ExplainCommand() {
    }

    public static int run(String[] args) throws Exception {
        String container = null;
        Map<String, String> flags = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println(USAGE);
                System.out.println("Asks the registrator running on this host, on the port it recorded in " + RuntimeRecord.directory());
                System.out.println("(or the given --http-port); when none answers, computes the same read-only from Docker and");
                System.out.println("etcd with the options it is given or their defaults, and says which. Takes the registrator's");
                System.out.println("options (see --help). Exit: 0 registered or left out as intended, 1 no such container,");
                System.out.println("2 bad option, 3 pending, 4 not registered and no registrator running.");
                return 0;
            } else if (arg.startsWith("--") && eq > 2) {
                flags.put(CommandLine.optionName(arg.substring(2, eq)), arg.substring(eq + 1));
            } else if (container == null && !arg.startsWith("-")) {
                container = arg;
            } else {
                System.err.println("unknown argument: " + arg + " (" + USAGE + ")");
                return 2;
            }
        }
        if (container == null) {
            System.err.println(USAGE);
            return 2;
        }
        // stdout is the answer: the start and stop of Camel stay out of it
        Configurator.setRootLevel(Level.ERROR);
        Configurator.setLevel("org.apache.camel", Level.ERROR);
        Configurator.setLevel("org.apache.camel.main", Level.ERROR);
        Main main;
        try {
            main = layoutsOnly(flags);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        try {
            main.start();
        } catch (Exception e) {
            System.err.println("explain: " + Causes.message(e));
            return 2;
        }
        try {
            return explain(main.getCamelContext(), container, CommandLine.given(flags));
        } finally {
            main.stop();
        }
    }

    /** Camel with the options of the registrator and its layout routes only: no HTTP server, no event or watch. */
    private static Main layoutsOnly(Map<String, String> flags) throws java.io.IOException {
        Main main = CommandLine.layoutsOnly(flags);
        main.addOverrideProperty("camel.server.enabled", "false");
        main.addOverrideProperty("camel.metrics.enabled", "false");
        main.addOverrideProperty("camel.health.enabled", "false");
        main.bind("entryCollector", new EntryCollector());
        main.bind("jsonTemplate", new JsonTemplate());
        main.bind("dns", new Dns());
        return main;
    }

    private static int explain(CamelContext context, String container, Set<String> given) throws Exception {
        Settings s;
        try {
            s = Settings.from(name -> context.getPropertiesComponent().resolveProperty(name).orElse(null));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        int configured = Integer.parseInt(context.getPropertiesComponent().resolveProperty("registrator.http-port").orElse("9712").trim());
        boolean http = !"false".equals(context.getPropertiesComponent().resolveProperty("registrator.http-enabled").orElse("true"));
        LocalRegistrator local = LocalRegistrator.choose(given, configured, s.hostId(),
                RuntimeRecord.running(RuntimeRecord.directory()));
        String url = "http://127.0.0.1:" + local.port() + "/observe/registrations/" + URLEncoder.encode(container, StandardCharsets.UTF_8);
        if (http) {
            HttpResponse<String> answer = ask(url);
            if (answer != null && answer.statusCode() == 200) {
                Explanation e = Endpoint.JSON.readValue(answer.body(), Explanation.class);
                System.out.print(ExplainText.render(e, "the registrator of this host, at " + url + " (" + local.how() + ")"));
                return exitCode(e);
            }
            if (answer != null && answer.statusCode() == 404) {
                System.err.println("no container named or with id " + container + " on this host (asked " + url + ")");
                return 1;
            }
        }
        String why = http ? "no registrator is running on this host: none answered at http://127.0.0.1:" + local.port()
                + " (" + local.how() + "; records in " + RuntimeRecord.directory() + ")"
                : "registrator.http-enabled=false, so no registrator was asked";
        return computeHere(context, s, container, why + "\nassumed:    " + assumed(s, given));
    }

    /** 0: registered, or left out as intended; 3: the registrator still waits on etcd; 4: not in etcd and no registrator to write it. */
    static int exitCode(Explanation e) {
        return switch (e.state()) {
            case Explanation.PENDING -> 3;
            case Explanation.UNREGISTERED -> 4;
            default -> 0;
        };
    }

    /** The options that decide the keys, each marked as given or assumed (the default): never the password. */
    private static String assumed(Settings s, Set<String> given) {
        StringBuilder out = new StringBuilder();
        Map<String, String> shown = new LinkedHashMap<>();
        shown.put("registrator.host-id", s.hostId());
        shown.put("registrator.advertise-ip", s.advertiseIp());
        shown.put("registrator.layouts", String.join(",", s.layouts().keySet()));
        shown.put("registrator.etcd-endpoints", String.join(",", s.etcdEndpoints()));
        shown.forEach((name, value) -> out.append(out.length() == 0 ? "" : ", ").append(name.substring("registrator.".length()))
                .append('=').append(value).append(given.contains(name) ? " (given)" : " (default)"));
        return out.toString();
    }

    /** The lease in this host's record; asked twice, as the first call also connects and authenticates within the deadline. */
    private static long recordedLease(Client etcd, Settings s) throws Exception {
        try {
            return EtcdView.recordedLease(etcd, s.hostKey(), s.etcdTimeoutMs());
        } catch (Exception first) {
            return EtcdView.recordedLease(etcd, s.hostKey(), s.etcdTimeoutMs());
        }
    }

    /** The registrator's answer; null when nothing answers on its port. */
    private static HttpResponse<String> ask(String url) {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            return null;
        } catch (Exception e) {
            System.err.println("explain: " + url + " did not answer (" + Causes.message(e) + "); computing it here");
            return null;
        }
    }

    private static int computeHere(CamelContext context, Settings s, String container, String why) throws Exception {
        ServiceMapper mapper = new ServiceMapper(new ServiceMapper.Options(s.hostId(), s.advertiseIp(), s.explicit(),
                s.internal(), s.names(), s.tags(), s.useIpFromLabel(), s.requireHealthy(), s.deregisterOnSuccess(),
                s.advertiseIpSet(), java.util.List.of(), s.network()));
        try (DockerClient docker = DockerClients.requests(s.dockerHost(), s.dockerApiVersion());
             Client etcd = EtcdClients.create(s.etcdEndpoints(), s.etcdUser(), s.etcdPassword(), s.etcdTimeoutMs(),
                     EtcdClients.tls(s.etcdEndpoints(), s.etcdCaFile(), s.etcdCertFile(), s.etcdKeyFile()))) {
            long lease;
            String leaseNote;
            try {
                lease = recordedLease(etcd, s);
                leaseNote = lease == 0 ? "no lease recorded at " + s.hostKey() + ", so no key counts as held"
                        : "keys compared with lease " + Long.toHexString(lease) + " recorded at " + s.hostKey();
            } catch (Exception e) {
                lease = 0;
                leaseNote = "the host record " + s.hostKey() + " unread: " + Causes.message(e);
            }
            long held = lease;
            Explainer explainer = new Explainer(docker, mapper, new Layouts(context, s.layouts()),
                    new EtcdView(etcd, () -> held, s.etcdTimeoutMs()), null, null, s.dryRun())
                    // checks are shown as configured: nothing probes them here
                    .checkedBy(new CheckGate(new HealthChecks(null, io.github.camelregistrator.health.Metrics.none())));
            Explanation e;
            try {
                e = explainer.one(container);
            } catch (RuntimeException dockerDown) {
                System.err.println("explain: Docker at " + s.dockerHost() + " did not answer: " + Causes.message(dockerDown));
                return 2;
            }
            if (e == null) {
                System.err.println("no container named or with id " + container + " on this host (" + s.dockerHost() + ")");
                return 1;
            }
            System.out.print(ExplainText.render(e, "computed read-only from Docker and etcd; " + leaseNote + "\nnote:       " + why));
            return exitCode(e);
        }
    }
}
