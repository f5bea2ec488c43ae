package io.github.camelregistrator.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ContainerPort;

/**
 * What Docker's container list shows of everything a container's entries can change with while
 * it exists: state, health, exit code, names, labels, ports and each network's addresses. Its
 * environment and exposed ports are fixed at creation. Equal prints between two full passes
 * mean an inspect would map to the same entries, so the timer's pass can skip it.
 */
final class ListedState {
    private static final Pattern HEALTH = Pattern.compile("\\((healthy|unhealthy|health: starting)\\)");
    private static final Pattern EXIT = Pattern.compile("^Exited \\((-?\\d+)\\)");

    private ListedState() {
    }

    static String of(Container c) {
        StringBuilder b = new StringBuilder(256);
        b.append(c.getState()).append('|').append(status(c.getStatus())).append('|')
                .append(c.getNames() == null ? "" : String.join(",", c.getNames())).append('|')
                .append(c.getImageId()).append('|')
                .append(c.getLabels() == null ? "{}" : new TreeMap<>(c.getLabels())).append('|')
                .append(c.getHostConfig() == null ? "" : c.getHostConfig().getNetworkMode()).append('|');
        List<String> ports = new ArrayList<>();
        for (ContainerPort p : c.getPorts() == null ? new ContainerPort[0] : c.getPorts()) {
            ports.add(p.getIp() + ":" + p.getPublicPort() + "->" + p.getPrivatePort() + "/" + p.getType());
        }
        ports.sort(null);
        b.append(ports).append('|');
        Map<String, ContainerNetwork> networks = c.getNetworkSettings() == null ? null : c.getNetworkSettings().getNetworks();
        if (networks != null) {
            new TreeMap<>(networks).forEach((name, n) -> b.append(name).append('=').append(n.getNetworkID())
                    .append(',').append(n.getIpAddress()).append(',').append(n.getGlobalIPv6Address())
                    .append(',').append(n.getMacAddress()).append(',').append(n.getAliases()).append(';'));
        }
        return b.toString();
    }

    /** Health and exit code only: the uptime in "Up 5 minutes" changes on every list. */
    static String status(String status) {
        if (status == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        Matcher health = HEALTH.matcher(status);
        if (health.find()) {
            b.append(health.group(1));
        }
        Matcher exit = EXIT.matcher(status);
        if (exit.find()) {
            b.append("exit=").append(exit.group(1));
        }
        if (status.startsWith("Paused") || status.contains("(Paused)")) {
            b.append("paused");
        }
        return b.toString();
    }
}
