package io.github.camelregistrator.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Label and environment values over {@link #LIMIT} characters. Docker takes labels of a
 * megabyte and more, and holding many of them would fill a small heap, so what is read from
 * Docker keeps only a marker with the length in place of such a value. A large value that the
 * mapping reads refuses the container as bad metadata; one it does not read is dropped.
 */
public final class LargeValues {
    /** Longest label or environment value kept: 64 KiB, in characters. */
    public static final int LIMIT = 64 * 1024;
    private static final String MARKER = "\u0000registrator-oversized:";

    private LargeValues() {
    }

    /** What stands in for a value of this many characters. */
    public static String marker(int length) {
        return MARKER + length;
    }

    /** The length a marker stands for, or -1 for a real value. */
    public static int length(String value) {
        if (value == null || !value.startsWith(MARKER)) {
            return -1;
        }
        try {
            return Integer.parseInt(value.substring(MARKER.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Labels and environment with every large value taken out, and what was taken. */
    public record Kept(Map<String, String> labels, String[] env, List<String> dropped) {
    }

    /**
     * @param used whether the mapping reads this label or variable name
     * @throws BadMetadataException when a value it reads is over the limit
     */
    public static Kept keep(Map<String, String> labels, String[] env, Predicate<String> used) {
        List<String> dropped = new ArrayList<>();
        Map<String, String> keptLabels = new TreeMap<>();
        if (labels != null) {
            labels.forEach((k, v) -> {
                if (check("label", k, v, used, dropped)) {
                    keptLabels.put(k, v);
                }
            });
        }
        List<String> keptEnv = new ArrayList<>();
        if (env != null) {
            for (String kv : env) {
                int eq = kv.indexOf('=');
                if (eq <= 0 || check("env", kv.substring(0, eq), kv.substring(eq + 1), used, dropped)) {
                    keptEnv.add(kv);
                }
            }
        }
        return new Kept(keptLabels, keptEnv.toArray(String[]::new), List.copyOf(dropped));
    }

    private static boolean check(String kind, String name, String value, Predicate<String> used, List<String> dropped) {
        int length = length(value);
        if (length < 0 && (value == null || value.length() <= LIMIT)) {
            return true;
        }
        int size = length < 0 ? value.length() : length;
        if (used.test(name)) {
            throw new BadMetadataException(kind + " " + name + " is " + size + " characters long (at most " + LIMIT + ")");
        }
        dropped.add(kind + " " + name);
        return false;
    }
}
