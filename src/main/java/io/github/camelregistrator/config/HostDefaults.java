package io.github.camelregistrator.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;

/** This host's name and address, the defaults of registrator.host-id and registrator.advertise-ip. */
final class HostDefaults {
    private HostDefaults() {
    }

    static String hostname() {
        try {
            String h = Files.readString(Path.of("/etc/hostname")).trim();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException ignored) {
            // not Linux: ask the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            throw new IllegalArgumentException("registrator.host-id: the hostname is unknown, set it explicitly");
        }
    }

    /** The IPv4 address of the interface that holds the default route. */
    static String primaryAddress() {
        try {
            String iface = null;
            for (String line : Files.readAllLines(Path.of("/proc/net/route"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 2 && "00000000".equals(f[1])) {
                    iface = f[0];
                    break;
                }
            }
            if (iface != null) {
                NetworkInterface ni = NetworkInterface.getByName(iface);
                if (ni != null) {
                    for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                        if (a instanceof java.net.Inet4Address) {
                            return a.getHostAddress();
                        }
                    }
                }
            }
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (ni.isUp() && !ni.isLoopback() && !ni.getName().startsWith("docker") && !ni.getName().startsWith("br-")
                        && !ni.getName().startsWith("veth")) {
                    for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                        if (a instanceof java.net.Inet4Address) {
                            return a.getHostAddress();
                        }
                    }
                }
            }
        } catch (IOException ignored) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("registrator.advertise-ip: no primary address found, set it explicitly");
    }
}
