package io.github.camelregistrator.service;

/** Address formatting shared by layouts. */
public final class Addresses {
    private Addresses() {
    }

    public static String hostPort(String ip, int port) {
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
    }

    /** An IPv4 or IPv6 literal, checked without any name lookup. */
    public static boolean isLiteral(String s) {
        if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
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
