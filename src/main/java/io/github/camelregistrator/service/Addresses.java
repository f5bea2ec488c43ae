package io.github.camelregistrator.service;

/** Address formatting shared by layouts. */
public final class Addresses {
    private Addresses() {
    }

    public static String hostPort(String ip, int port) {
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
    }
}
