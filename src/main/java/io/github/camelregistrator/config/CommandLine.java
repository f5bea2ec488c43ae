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

import org.apache.camel.main.Main;

/**
 * Flags, then Camel Main. A {@code routes/} folder or an {@code application.properties} in the
 * working directory wins over the copy packed in the jar, so a mapping can be changed without
 * a rebuild.
 */
public final class CommandLine {
    static final String PROPERTIES = "application.properties";

    private CommandLine() {
    }

    public static int run(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("explain")) {
            return io.github.camelregistrator.observe.ExplainCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length));
        }
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
            String name = arg.substring(2, eq);
            flags.put(name.startsWith("registrator.") || name.startsWith("camel.") ? name : "registrator." + name,
                    arg.substring(eq + 1));
        }
        Main main = new Main();
        main.configure().addConfiguration(RegistratorConfiguration.class);
        main.configure().withRoutesIncludePattern(
                Files.isDirectory(Path.of("routes")) ? "file:routes/*.yaml" : "classpath:routes/*.yaml");
        if (Files.isRegularFile(Path.of(PROPERTIES))) {
            main.setDefaultPropertyPlaceholderLocation("file:" + PROPERTIES);
        }
        flags.forEach(main::addOverrideProperty);
        main.run();
        return main.getExitCode();
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
        out.println("Each option is also read from application.properties (in the working directory, else");
        out.println("the packed one) and from the environment as REGISTRATOR_<NAME>, e.g. REGISTRATOR_ETCD_ENDPOINTS.");
        out.println("Flags win over the environment, which wins over the file. The registrator. prefix may be left out.");
        out.println();
        String comment = null;
        for (String line : properties()) {
            line = line.trim();
            if (line.startsWith("#")) {
                comment = line.substring(1).trim();
            } else if (line.startsWith("registrator.") && line.contains("=")) {
                int eq = line.indexOf('=');
                String name = line.substring(0, eq).trim();
                out.printf("  --%s=%s%n      %s%n", name, line.substring(eq + 1).trim(), comment == null ? "" : comment);
                comment = null;
            } else {
                comment = null;
            }
        }
    }

    private static List<String> properties() throws IOException {
        if (Files.isRegularFile(Path.of(PROPERTIES))) {
            return Files.readAllLines(Path.of(PROPERTIES));
        }
        try (InputStream in = CommandLine.class.getClassLoader().getResourceAsStream(PROPERTIES)) {
            return in == null ? List.of()
                    : new ArrayList<>(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
        }
    }
}
