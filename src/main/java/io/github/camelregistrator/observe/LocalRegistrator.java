package io.github.camelregistrator.observe;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.github.camelregistrator.config.RuntimeRecord;

/**
 * Which port explain asks for this host's registrator: the one it is told
 * ({@code --http-port} or its variable), else the one the running registrator recorded (see
 * {@link RuntimeRecord}; the one of the host-id it is told, else the newest), else the default.
 *
 * @param port the port to ask
 * @param how  how that port was chosen, for the output
 */
record LocalRegistrator(int port, String how) {
    /**
     * @param given   the options explain was told (not assumed)
     * @param port    registrator.http-port as explain resolves it
     * @param hostId  registrator.host-id as explain resolves it
     * @param running the records of the registrators running here, newest first
     */
    static LocalRegistrator choose(Set<String> given, int port, String hostId, List<RuntimeRecord> running) {
        if (given.contains("registrator.http-port")) {
            return new LocalRegistrator(port, "the given registrator.http-port");
        }
        boolean hostGiven = given.contains("registrator.host-id");
        Optional<RuntimeRecord> found = running.stream().filter(r -> !hostGiven || r.hostId().equals(hostId)).findFirst();
        return found.map(r -> new LocalRegistrator(r.httpPort(), "recorded by pid " + r.pid() + ", host-id " + r.hostId()))
                .orElseGet(() -> new LocalRegistrator(port, "no running registrator recorded"
                        + (hostGiven ? " for host-id " + hostId : "") + ", so the default registrator.http-port"));
    }
}
