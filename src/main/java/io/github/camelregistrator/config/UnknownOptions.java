package io.github.camelregistrator.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code registrator.*} option that no one reads is a mistake (a misspelled
 * {@code --advertse-ip} would otherwise start a registrator with the default address), so it
 * stops start-up, named as the user wrote it, with the closest known option when one is near.
 * Camel's own {@code camel.*} options pass through to Camel, which checks them itself.
 *
 * @param known every option of the packed application.properties
 * @param layouts every layout that has a route file; an own layout (one with no packed
 *     option) may take any {@code registrator.<layout>.*} option, such as its prefix
 */
record UnknownOptions(Set<String> known, Set<String> layouts) {
    private static final String PREFIX = "registrator.";
    private static final String ENV_PREFIX = "REGISTRATOR_";

    /**
     * @param flags options given as flags, by option name ({@code --ttl} as {@code registrator.ttl})
     * @param env the names of every environment variable
     * @param file the keys of ./application.properties
     * @return the line to print for the first unknown option, flags first, then the environment, then the file
     */
    Optional<String> first(Collection<String> flags, Collection<String> env, Collection<String> file) {
        for (String f : flags) {
            if (!isKnown(f)) {
                return Optional.of("--" + shortName(f) + ": no such option" + suggest(f, n -> "--" + shortName(n)));
            }
        }
        for (String e : env) {
            if (e.startsWith(ENV_PREFIX) && !isKnownEnv(e)) {
                return Optional.of(e + ": no such option" + suggestEnv(e));
            }
        }
        for (String k : file) {
            if (!isKnown(k)) {
                return Optional.of(k + " in ./" + OptionSources.PROPERTIES + ": no such option" + suggest(k, n -> n));
            }
        }
        return Optional.empty();
    }

    boolean isKnown(String name) {
        if (!name.startsWith(PREFIX) || known.contains(name)) {
            return true;
        }
        return layouts.stream().filter(this::ownLayout).anyMatch(l -> name.startsWith(PREFIX + l + "."));
    }

    private boolean isKnownEnv(String variable) {
        if (known.stream().anyMatch(n -> env(n).equals(variable) || n.toUpperCase(Locale.ROOT).equals(variable))) {
            return true;
        }
        return layouts.stream().filter(this::ownLayout).anyMatch(l -> variable.startsWith(env(PREFIX + l) + "_"));
    }

    /** A layout with no option in the packed file: the user's own. */
    private boolean ownLayout(String layout) {
        return !layout.equals("registrator") && known.stream().noneMatch(n -> n.startsWith(PREFIX + layout + "."));
    }

    private String suggest(String name, java.util.function.Function<String, String> spelled) {
        String best = closest(shortName(name), known.stream().filter(n -> n.startsWith(PREFIX))
                .map(UnknownOptions::shortName).toList());
        return best == null ? "; see --help" : " (did you mean " + spelled.apply(PREFIX + best) + "?)";
    }

    private String suggestEnv(String variable) {
        String best = closest(variable.substring(ENV_PREFIX.length()), known.stream().filter(n -> n.startsWith(PREFIX))
                .map(n -> env(shortName(n))).toList());
        return best == null ? "; see --help" : " (did you mean " + ENV_PREFIX + best + "?)";
    }

    /** As Camel and OptionSources look an option up in the environment. */
    static String env(String option) {
        return option.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String shortName(String option) {
        return option.startsWith(PREFIX) ? option.substring(PREFIX.length()) : option;
    }

    /** The candidate nearest to name, when it is near: at most 2 edits, and fewer than a third of its length. */
    static String closest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(name.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= 2 && bestDistance * 3 < name.length() ? best : null;
    }

    /** Levenshtein distance (no library on the classpath offers one). */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
