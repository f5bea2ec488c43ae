package io.github.camelregistrator.service;

import java.util.Map;
import java.util.TreeMap;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;

/**
 * Which of a container's networks internal mode advertises, and why: a pure choice, table-tested.
 * A network named by a label or {@code registrator.network} is taken or the port is skipped;
 * without one the network mode's, else the default bridge's, else the first by name, never
 * swarm's {@code ingress} (its addresses belong to the routing mesh, not to the task).
 */
public final class Networks {
    /** Swarm's routing-mesh network, which a task joins when its service publishes ports in ingress mode. */
    public static final String INGRESS = "ingress";

    private Networks() {
    }

    /**
     * The outcome: the network and its address, or (address null) why there is none.
     *
     * @param network the chosen network's name; the wanted one on a miss; null when none was found
     * @param why     how it was chosen, or why it could not be, in words explain shows
     */
    public record Choice(String network, String ip, String why) {
        public boolean found() {
            return ip != null;
        }
    }

    /**
     * @param wanted   a network name or id from {@code SERVICE_<port>_NETWORK}, {@code SERVICE_NETWORK}
     *                 or {@code registrator.network}; null: the default rule
     * @param wantedBy which of those named it (for the reason)
     * @param showWanted whether the reason may show the wanted name: an option's value, not a label's
     */
    public static Choice choose(InspectContainerResponse inspect, String wanted, String wantedBy, boolean showWanted) {
        var settings = inspect.getNetworkSettings();
        Map<String, ContainerNetwork> networks = new TreeMap<>();
        if (settings != null && settings.getNetworks() != null) {
            networks.putAll(settings.getNetworks());
        }
        if (wanted != null) {
            return wanted(networks, wanted, wantedBy, showWanted);
        }
        String mode = inspect.getHostConfig() == null ? null : inspect.getHostConfig().getNetworkMode();
        if (mode != null) {
            // NetworkMode names the network, or holds its id when set by id
            for (var e : networks.entrySet()) {
                if (!e.getKey().equals(INGRESS) && (e.getKey().equals(mode) || mode.equals(e.getValue().getNetworkID()))) {
                    String ip = address(e.getValue());
                    if (ip != null) {
                        return new Choice(e.getKey(), ip, "its network mode");
                    }
                }
            }
        }
        String legacy = settings == null ? null : settings.getIpAddress();
        if (legacy != null && !legacy.isEmpty()) {
            String name = networks.entrySet().stream().filter(e -> legacy.equals(e.getValue().getIpAddress()))
                    .map(Map.Entry::getKey).findFirst().orElse("bridge");
            return new Choice(name, legacy, "the default bridge");
        }
        boolean ingress = networks.containsKey(INGRESS);
        for (var e : networks.entrySet()) {
            String ip = address(e.getValue());
            if (!e.getKey().equals(INGRESS) && ip != null) {
                return new Choice(e.getKey(), ip, "the first of its networks by name" + (ingress ? ", ingress left out" : ""));
            }
        }
        return new Choice(null, null, "no address on any of its networks" + (ingress ? " but ingress, which is never chosen" : ""));
    }

    private static Choice wanted(Map<String, ContainerNetwork> networks, String wanted, String wantedBy, boolean showWanted) {
        String named = showWanted ? "network " + wanted + " of " + wantedBy : "the network " + wantedBy + " names";
        for (var e : networks.entrySet()) {
            String id = e.getValue().getNetworkID();
            boolean byId = id != null && (id.equals(wanted) || (wanted.length() >= 12 && id.startsWith(wanted)));
            if (e.getKey().equals(wanted) || byId) {
                String ip = address(e.getValue());
                return ip != null ? new Choice(e.getKey(), ip, wantedBy)
                        : new Choice(e.getKey(), null, "on " + named + " but without an address there");
            }
        }
        return new Choice(showWanted ? wanted : null, null, "not on " + named + " (it is on: "
                + (networks.isEmpty() ? "none" : String.join(", ", networks.keySet())) + ")");
    }

    /** Its IPv4 address on the network, else its global IPv6 one; null when it has neither. */
    private static String address(ContainerNetwork n) {
        if (n.getIpAddress() != null && !n.getIpAddress().isEmpty()) {
            return n.getIpAddress();
        }
        return n.getGlobalIPv6Address() != null && !n.getGlobalIPv6Address().isEmpty() ? n.getGlobalIPv6Address() : null;
    }
}
