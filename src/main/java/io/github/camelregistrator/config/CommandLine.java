package io.github.camelregistrator.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * Flags, a check of every option, then Camel Main. A {@code routes/} folder in the working
 * directory replaces the packed one, and an {@code application.properties} there overrides the
 * packed defaults, so a mapping can be changed without a rebuild.
 */
public final class CommandLine {
    private CommandLine() {
    }

    public static int run(String[] args) throws Exception {
        Map<String, String> flags = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                help(System.out);
                return 0;
            }
            if (arg.equals("--version")) {
                System.out.println("camel-registrator " + version());
                return 0;
            }
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 3) {
                System.err.println("unknown argument: " + arg + " (expected --name=value; see --help)");
                return 2;
            }
            flags.put(optionName(arg.substring(2, eq)), arg.substring(eq + 1));
        }
        OptionSources sources = OptionSources.read(flags);
        String routes;
        Settings settings;
        try {
            RouteFiles files = RouteFiles.find();
            rejectUnknown(sources, files);
            settings = Preflight.check(sources.known(), files.layouts());
            routes = files.includePattern(settings.layouts().keySet());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Main main = main(sources, routes);
        main.configure().addConfiguration(RegistratorConfiguration.class);
        try {
            // where a plain explain finds this registrator
            int port = httpPort(sources);
            Runnable unrecord = port > 0 ? RuntimeRecord.write(port, settings.hostId()) : () -> { };
            return CleanExit.run(main, unrecord);
        } catch (Exception e) {
            // what the checks cannot see, such as an own route that does not build: one line too
            System.err.println("start-up failed: " + oneLine(e));
            return 1;
        }
    }

    /**
     * Camel Main for {@code explain}: the options read as the registrator reads them (flags,
     * environment, ./application.properties, defaults), and only the layout routes.
     *
     * @throws IllegalArgumentException with the one line to print for an unknown option or unusable routes
     */
    public static Main layoutsOnly(Map<String, String> flags) throws IOException {
        OptionSources sources = OptionSources.read(flags);
        RouteFiles files = RouteFiles.find();
        rejectUnknown(sources, files);
        return main(sources, files.layoutsOnlyPattern());
    }

    /** The HTTP port it serves on; -1 when it serves none (or the port is a placeholder, which explain's search then skips). */
    private static int httpPort(OptionSources sources) {
        if (!"true".equalsIgnoreCase(String.valueOf(sources.value("registrator.http-enabled")).trim())) {
            return -1;
        }
        try {
            return Integer.parseInt(String.valueOf(sources.value("registrator.http-port")).trim());
        } catch (NumberFormatException placeholder) {
            return -1;
        }
    }

    /** Options a flag, the environment or ./application.properties sets: what explain was told, not assumed. */
    public static Set<String> given(Map<String, String> flags) throws IOException {
        OptionSources sources = OptionSources.read(flags);
        Set<String> given = new java.util.TreeSet<>();
        sources.known().keySet().stream().filter(sources::given).forEach(given::add);
        return given;
    }

    private static void rejectUnknown(OptionSources sources, RouteFiles files) {
        sources.unknown(System.getenv().keySet(), files.layouts()).ifPresent(line -> {
            throw new IllegalArgumentException(line);
        });
    }

    private static Main main(OptionSources sources, String routes) {
        Main main = new Main() {
            @Override
            protected CamelContext createCamelContext() {
                CamelContext context = super.createCamelContext();
                Preflight.configure(context.getPropertiesComponent());
                return context;
            }
        };
        main.configure().withRoutesIncludePattern(routes);
        // every option with its winning value
        sources.known().forEach((name, value) -> {
            if (value != null) {
                main.addOverrideProperty(name, value);
            }
        });
        return main;
    }

    /** A flag's option: {@code --ttl} is {@code registrator.ttl}; {@code camel.*} stays as it is. */
    public static String optionName(String flag) {
        return flag.startsWith("registrator.") || flag.startsWith("camel.") ? flag : "registrator." + flag;
    }

    private static String oneLine(Throwable e) {
        String where = e instanceof org.apache.camel.FailedToCreateRouteException f ? "route " + f.getRouteId() + ": " : "";
        return (where + io.github.camelregistrator.health.Causes.message(e)).replace('\n', ' ');
    }

    static String version() {
        String v = CommandLine.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** Every option of application.properties with its default and its one-line comment. */
    static void help(PrintStream out) throws IOException {
        out.println("camel-registrator " + version() + ": keeps etcd in step with the services on this Docker host.");
        out.println();
        out.println("usage: java -jar camel-registrator.jar [--name=value ...]");
        out.println("       java -jar camel-registrator.jar explain <container> [--name=value ...]   (why it is, or is not, in etcd)");
        out.println("Each option is also read from the environment as REGISTRATOR_<NAME> (e.g. REGISTRATOR_ETCD_ENDPOINTS)");
        out.println("and from an application.properties in the working directory, which need hold only what it changes.");
        out.println("Flags win over the environment, which wins over that file, which wins over the packed defaults.");
        out.println("Below, each option with its value when no flag or environment variable sets it.");
        out.println("The registrator. prefix may be left out. A bad value exits with status 2 and one line naming it.");
        out.println();
        OptionSources sources = OptionSources.read(Map.of());
        java.util.Set<String> listed = new java.util.HashSet<>();
        String comment = null;
        // the packed file first (every option), then options only the working directory's file has
        for (String line : properties()) {
            line = line.trim();
            if (line.startsWith("#")) {
                comment = line.substring(1).trim();
            } else if (line.startsWith("registrator.") && line.contains("=")) {
                String name = line.substring(0, line.indexOf('=')).trim();
                if (listed.add(name)) {
                    out.printf("  --%s=%s%n      %s%n", name, shown(sources.fileValue(name).trim()), comment == null ? "" : comment);
                }
                comment = null;
            } else {
                comment = null;
            }
        }
    }

    private static final java.util.regex.Pattern ENV_DEFAULT = java.util.regex.Pattern.compile("\\{\\{env:([A-Za-z0-9_]+):(.*)}}");

    /** A default as a user reads it: {@code {{env:DOCKER_HOST:unix:///x}}} is "unix:///x, or DOCKER_HOST". */
    static String shown(String value) {
        java.util.regex.Matcher m = ENV_DEFAULT.matcher(value);
        return m.matches() ? m.group(2) + ", or " + m.group(1) : value;
    }

    private static List<String> properties() throws IOException {
        List<String> lines = new ArrayList<>();
        try (InputStream in = CommandLine.class.getClassLoader().getResourceAsStream(OptionSources.PROPERTIES)) {
            if (in != null) {
                lines.addAll(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
            }
        }
        if (Files.isRegularFile(Path.of(OptionSources.PROPERTIES))) {
            lines.add("");
            lines.addAll(Files.readAllLines(Path.of(OptionSources.PROPERTIES)));
        }
        return lines;
    }
}
