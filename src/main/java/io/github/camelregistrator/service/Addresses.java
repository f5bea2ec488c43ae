package io.github.camelregistrator.service;

import java.util.regex.Pattern;

/** Address formatting shared by layouts. */
public final class Addresses {
    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Addresses() {
    }

    /** Written as an IPv4 address: four dot-separated groups of one to three digits, not checked against 255. */
    public static boolean isDottedQuad(String s) {
        return DOTTED_QUAD.matcher(s).matches();
    }

    public static String hostPort(String ip, int port) {
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
    }

    /** An IPv4 or IPv6 literal, checked without any name lookup. */
    public static boolean isLiteral(String s) {
        if (isDottedQuad(s)) {
            for (String part : s.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }
        return s.contains(":") && s.matches("[0-9a-fA-F:.]+") && s.length() <= 45;
    }
}
