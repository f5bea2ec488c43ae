package io.github.camelregistrator.layout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.camelregistrator.health.Causes;
import io.github.camelregistrator.service.BadMetadataException;
import io.github.camelregistrator.service.ContainerServices;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Runs the active layout routes ({@code direct:layout-<name>}, in {@code routes/layout-<name>.yaml})
 * over a container's services and checks what they return. A layout route gets a
 * {@link ContainerServices} body and answers either with a list of {@link Entry} or with one
 * entry: the key in the {@value #KEY} header and the value in the body.
 */
public class Layouts {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("registrator");
    public static final String KEY = "RegistratorKey";
    public static final String MEMBERS = "RegistratorMembers";
    static final String ENTRIES = "RegistratorEntries";
    /** Values larger than this are refused: etcd is no blob store, and consumers choke on them. */
    static final int MAX_VALUE_BYTES = 64 * 1024;

    private final CamelContext context;
    private final ProducerTemplate template;
    private final Map<String, String> prefixes;
    /** Resolved once: a URI given to the template is normalised and looked up on every send. */
    private final Map<String, Endpoint> endpoints = new java.util.concurrent.ConcurrentHashMap<>();

    /** @param prefixes layout name to the key prefix it must stay under */
    public Layouts(CamelContext context, Map<String, String> prefixes) {
        this.context = context;
        this.template = context.createProducerTemplate();
        this.prefixes = new LinkedHashMap<>(prefixes);
    }

    /**
     * The entries of every active layout for one container.
     *
     * @throws BadMetadataException when a layout fails or produces a key outside its prefix
     */
    public List<Entry> render(ContainerServices services) {
        List<Entry> out = new ArrayList<>();
        renderByLayout(services).values().forEach(out::addAll);
        return out;
    }

    /**
     * {@link #render}, grouped by layout name, in the order of registrator.layouts.
     *
     * @throws BadMetadataException when a layout fails or produces a key outside its prefix
     */
    public Map<String, List<Entry>> renderByLayout(ContainerServices services) {
        Map<String, List<Entry>> byLayout = new LinkedHashMap<>();
        if (services.services().isEmpty()) {
            return byLayout;
        }
        for (Map.Entry<String, String> layout : prefixes.entrySet()) {
            List<Entry> out = byLayout.computeIfAbsent(layout.getKey(), k -> new ArrayList<>());
            Endpoint route = endpoints.computeIfAbsent(layout.getKey(),
                    name -> context.getEndpoint("direct:layout-" + name));
            Exchange ex = template.send(route, e -> e.getMessage().setBody(services));
            if (ex.getException() != null) {
                Throwable cause = Causes.root(ex.getException());
                LOG.debug("layout {} failed", layout.getKey(), ex.getException());
                throw new BadMetadataException("layout " + layout.getKey() + " failed: " + cause);
            }
            Object body = ex.getMessage().getBody();
            String key = ex.getMessage().getHeader(KEY, String.class);
            if (body instanceof List<?> list) {
                for (Object o : list) {
                    out.add(check(layout.getKey(), layout.getValue(), (Entry) o));
                }
            } else if (key != null) {
                out.add(check(layout.getKey(), layout.getValue(), new Entry(key, ex.getMessage().getBody(String.class),
                        ex.getMessage().getHeader(MEMBERS, String.class))));
            }
        }
        return byLayout;
    }

    static Entry check(String layout, String prefix, Entry entry) {
        checkKey(layout, prefix, entry.key());
        if (entry.shared()) {
            checkKey(layout, prefix, entry.members().endsWith("/") ? entry.members() + "x" : entry.members());
        }
        if (entry.value() == null) {
            throw new BadMetadataException("layout " + layout + " made no value for key " + printable(entry.key()));
        }
        if (entry.value().length() > MAX_VALUE_BYTES) {
            throw new BadMetadataException("layout " + layout + " made a value of " + entry.value().length()
                    + " bytes for " + printable(entry.key()));
        }
        return entry;
    }

    private static void checkKey(String layout, String prefix, String key) {
        if (!key.startsWith(prefix + "/") || key.length() == prefix.length() + 1) {
            throw new BadMetadataException("layout " + layout + " made key " + printable(key) + " outside " + prefix + "/");
        }
        for (String segment : key.substring(prefix.length() + 1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new BadMetadataException("layout " + layout + " made key " + printable(key) + " with an empty, . or .. segment");
            }
        }
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) < 0x20 || key.charAt(i) == 0x7f) {
                throw new BadMetadataException("layout " + layout + " made key " + printable(key) + " with a control character");
            }
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : (s.length() > 200 ? s.substring(0, 200) + "..." : s).toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
