package io.github.camelregistrator.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Where an option's value comes from, in the order the README promises: a flag, else the
 * environment ({@code REGISTRATOR_TTL} for {@code registrator.ttl}), else an
 * application.properties in the working directory, else the copy packed in the jar, which
 * holds every default. A working-directory file need hold only what it changes.
 *
 * <p>Camel's own order differs: its properties component reads the environment before the
 * values Main is given (its flags). So the winning value of every known option is computed
 * here and handed to Camel as an override, and Camel reads the environment only for an
 * option no file mentions (such as the prefix of an own layout).
 */
public final class OptionSources {
    static final String PROPERTIES = "application.properties";

    private final Map<String, String> flags;
    private final Function<String, String> env;
    private final Map<String, String> file;
    private final Map<String, String> packed;

    OptionSources(Map<String, String> flags, Function<String, String> env, Map<String, String> file,
            Map<String, String> packed) {
        this.flags = flags;
        this.env = env;
        this.file = file;
        this.packed = packed;
    }

    /** The flags given, this process's environment, ./application.properties and the packed one. */
    static OptionSources read(Map<String, String> flags) throws IOException {
        Path local = Path.of(PROPERTIES);
        Map<String, String> file = Files.isRegularFile(local) ? load(Files.newInputStream(local)) : Map.of();
        InputStream in = OptionSources.class.getClassLoader().getResourceAsStream(PROPERTIES);
        return new OptionSources(flags, System::getenv, file, in == null ? Map.of() : load(in));
    }

    private static Map<String, String> load(InputStream in) throws IOException {
        Properties p = new Properties();
        try (Reader r = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> m = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }

    /** The winning value of one option, placeholders unresolved; null when no source sets it. */
    public String value(String name) {
        if (flags.containsKey(name)) {
            return flags.get(name);
        }
        String e = fromEnvironment(name);
        if (e != null) {
            return e;
        }
        return file.containsKey(name) ? file.get(name) : packed.get(name);
    }

    /** A flag or the environment sets it, or ./application.properties to other than the packed default. */
    public boolean given(String name) {
        return flags.containsKey(name) || fromEnvironment(name) != null
                || file.containsKey(name) && !file.get(name).equals(packed.get(name));
    }

    /** Every option a flag or a file names, with its winning value. */
    public Map<String, String> known() {
        Map<String, String> all = new LinkedHashMap<>();
        for (Map<String, String> source : java.util.List.of(packed, file, flags)) {
            source.keySet().forEach(k -> all.put(k, null));
        }
        all.replaceAll((k, v) -> value(k));
        return all;
    }

    /**
     * The line to print for the first option no one reads: a flag, an environment variable
     * among envNames, or a key of ./application.properties.
     *
     * @param layouts the layouts that have a route file (an own layout takes its own options)
     */
    java.util.Optional<String> unknown(java.util.Collection<String> envNames, java.util.Set<String> layouts) {
        return new UnknownOptions(packed.keySet(), layouts).first(flags.keySet(), envNames, file.keySet());
    }

    /** What the file, else the packed copy, says: the default that --help shows. */
    String fileValue(String name) {
        return file.containsKey(name) ? file.get(name) : packed.get(name);
    }

    /** As Camel looks a property up in the environment: upper case, then '.' and '-' as '_'. */
    private String fromEnvironment(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        String v = env.apply(upper);
        return v != null ? v : env.apply(upper.replace('.', '_').replace('-', '_'));
    }
}
