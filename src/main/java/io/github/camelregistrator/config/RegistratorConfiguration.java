package io.github.camelregistrator.config;

import java.util.List;
import java.util.function.Supplier;

import com.github.dockerjava.api.DockerClient;
import io.github.camelregistrator.check.CheckGate;
import io.github.camelregistrator.check.HealthChecks;
import io.github.camelregistrator.check.Probes;
import io.github.camelregistrator.docker.DockerClients;
import io.github.camelregistrator.docker.DockerEventsComponent;
import io.github.camelregistrator.docker.SharedClientDockerComponent;
import io.github.camelregistrator.etcd.EtcdClients;
import io.github.camelregistrator.etcd.Registry;
import io.github.camelregistrator.etcd.KeyWatchComponent;
import io.github.camelregistrator.health.Metrics;
import io.github.camelregistrator.health.ReadinessCheck;
import io.github.camelregistrator.layout.Dns;
import io.github.camelregistrator.layout.EntryCollector;
import io.github.camelregistrator.layout.JsonTemplate;
import io.github.camelregistrator.layout.Layouts;
import io.github.camelregistrator.observe.Endpoint;
import io.github.camelregistrator.observe.EtcdView;
import io.github.camelregistrator.observe.Explainer;
import io.github.camelregistrator.observe.Registrations;
import io.github.camelregistrator.reconcile.ContainerEntries;
import io.github.camelregistrator.reconcile.ContainerSync;
import io.github.camelregistrator.reconcile.Reconciler;
import io.github.camelregistrator.reconcile.SwarmServices;
import io.github.camelregistrator.service.ServiceMapper;
import io.github.camelregistrator.service.SwarmServiceMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.ssl.SslContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StartupListener;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds the beans and components that the YAML routes use. */
public class RegistratorConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger("registrator");

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings s = Settings.from(name -> context.getPropertiesComponent().resolveProperty(name).orElse(null));
        Configurator.setLevel("registrator", Level.valueOf(s.logLevel()));
        LOG.info("starting host-id={} advertise-ip={} layouts={} etcd={} docker={} ttl={}s resync={}s{}",
                s.hostId(), s.advertiseIp(), s.layouts().keySet(), s.etcdEndpoints(), s.dockerHost(), s.ttl(),
                s.resync(), s.dryRun() ? " DRY-RUN" : "");
        if (s.network() != null && !s.internal() && !s.swarmServices()) {
            // valid alone, but only internal mode registers a network's address
            LOG.warn("registrator.network={} has no effect without registrator.internal=true (or registrator.swarm-services=true)",
                    s.network());
        }
        var beans = context.getRegistry();

        // camel-micrometer-prometheus serves this registry, so Camel's and ours share /observe/metrics
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        beans.bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        Metrics metrics = new Metrics(meters);

        DockerClient docker = DockerClients.requests(s.dockerHost(), s.dockerApiVersion(), metrics::inspected);
        beans.bind("docker", new SharedClientDockerComponent(docker));
        DockerEventsComponent events = new DockerEventsComponent(
                () -> DockerClients.events(s.dockerHost(), s.dockerApiVersion()), s.dockerHost(), metrics);
        beans.bind("docker-events", events);

        SslContext tls = EtcdClients.tls(s.etcdEndpoints(), s.etcdCaFile(), s.etcdCertFile(), s.etcdKeyFile());
        if (tls == null && s.etcdUser() != null && s.etcdPassword() != null) {
            LOG.warn("etcd password sent unencrypted to {}: use https:// endpoints", s.etcdEndpoints());
        }
        Registry registry = new Registry(
                EtcdClients.create(s.etcdEndpoints(), s.etcdUser(), s.etcdPassword(), s.etcdTimeoutMs(), tls),
                s.hostKey(), s.keyRecord(), s.ttl(), s.etcdTimeoutMs(), s.dryRun(), metrics);
        // the watch of this host's own keys, on the registry's client (routes/watch.yaml)
        beans.bind("etcd-keys", new KeyWatchComponent(registry.keyWatch(), registry::echo));
        Layouts layouts = new Layouts(context, s.layouts());
        // per-port descriptors the vulcand layout reads (VS_80_BACKEND_ID): such values must be whole
        List<String> descriptors = s.layouts().containsKey("vulcand")
                ? List.of(context.resolvePropertyPlaceholders("{{registrator.vulcand.env-prefix}}")) : List.of();
        ServiceMapper mapper = new ServiceMapper(new ServiceMapper.Options(
                s.hostId(), s.advertiseIp(), s.explicit(), s.internal(), s.names(), s.tags(), s.useIpFromLabel(),
                s.requireHealthy(), s.deregisterOnSuccess(), s.advertiseIpSet(), descriptors, s.network()));
        ContainerEntries entries = new ContainerEntries(mapper, layouts, id -> DockerClients.inspect(docker, id));
        entries.sharedNetworks().onSync(events::sync);
        events.followNetworksOf(entries::running);
        events.followDestroyOf(entries::holds);
        // active health checks: probed from routes/checks.yaml; a result that crosses rise or fall syncs its container
        HealthChecks healthChecks = new HealthChecks(new Probes(), metrics);
        CheckGate checkGate = new CheckGate(healthChecks);
        entries.checkedBy(checkGate);
        beans.bind("healthChecks", healthChecks);
        metrics.gauge("registrator.services.held", "services held back by their active health check", healthChecks::heldBack);
        Registrations registrations = new Registrations(s.dryRun());
        entries.observe(registrations);
        registry.onRepair(registrations::watched);
        beans.bind("registrationsEndpoint", new Endpoint(new Explainer(docker, mapper, layouts,
                new EtcdView(registry.client(), registry::lease, s.etcdTimeoutMs()), registrations, registry::waiting,
                s.dryRun()).checkedBy(checkGate)));
        Reconciler reconciler = new Reconciler(docker, entries, registry, 8, metrics);
        // swarm services on a manager (the option is refused elsewhere before start-up)
        SwarmServices swarmServices = new SwarmServices(docker, layouts, new SwarmServiceMapper.Options(s.hostId(),
                s.advertiseIp(), s.network(), s.tags()), s.swarmMembers());
        swarmServices.observe(registrations);
        if (s.swarmServices()) {
            reconciler.alsoSwarmServices(swarmServices);
        }
        beans.bind("swarmServices", swarmServices);
        // swarm services are owners in the desired state too, counted apart
        Supplier<Integer> containersRegistered = () -> registry.owners(SwarmServiceMapper::isContainer);
        metrics.gauge("registrator.containers.registered", "containers with entries in etcd", containersRegistered::get);
        metrics.gauge("registrator.swarm.services.registered", "swarm services with entries in etcd (registrator.swarm-services)",
                () -> registry.owners(SwarmServiceMapper::isService));
        metrics.gauge("registrator.services.registered", "services of the running containers", entries::services);
        metrics.gauge("registrator.etcd.pending", "keys with a change etcd has not taken yet", registry::pending);
        beans.bind("metrics", metrics);
        beans.bind("healthEndpoint", new io.github.camelregistrator.health.HealthEndpoint());
        beans.bind("registratorReadiness", new ReadinessCheck(events::isConnected, events::fault, registry::fault, registry::lease,
                containersRegistered, s.dryRun()));

        beans.bind("registry", registry);
        beans.bind("layouts", layouts);
        beans.bind("entryCollector", new EntryCollector());
        beans.bind("jsonTemplate", new JsonTemplate());
        beans.bind("dns", new Dns());
        beans.bind("containerSync", new ContainerSync(entries, metrics, registry::stamp));
        beans.bind("reconciler", reconciler);

        ProducerTemplate template = context.createProducerTemplate();
        healthChecks.onChange(change -> {
            if (context.isStarted()) {
                template.asyncSendBody("direct:health-check-changed", change);
            }
        });
        healthChecks.onActive(on -> {
            try {
                if (on) {
                    context.getRouteController().startRoute("health-checks");
                } else {
                    context.getRouteController().stopRoute("health-checks");
                }
            } catch (Exception e) {
                LOG.warn("route health-checks not {}: {}", on ? "started" : "stopped", e.getMessage());
            }
        });
        context.addService(healthChecks, true, true);
        Runnable resync = () -> {
            // before the routes run, the start-up pass of the timer route covers it
            if (context.isStarted()) {
                template.asyncSendBody("direct:reconcile", null);
            }
        };
        registry.onResyncNeeded(resync);
        context.addService(registry, true, true);
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                for (String layout : s.layouts().keySet()) {
                    if (ctx.getRoute("layout-" + layout) == null) {
                        throw new IllegalArgumentException("registrator.layouts: no route with id layout-" + layout
                                + " in routes/ (see routes/layout-registrator.yaml)");
                    }
                }
            }

        });
    }
}
