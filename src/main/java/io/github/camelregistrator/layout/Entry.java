package io.github.camelregistrator.layout;

/**
 * One etcd key and the value a layout wants there. A shared entry (a vulcand backend, a Havok
 * host) names the prefix of its members: several hosts may want it, and it stays while any
 * member remains under that prefix, on any host.
 */
public record Entry(String key, String value, String members) {

    public Entry(String key, String value) {
        this(key, value, null);
    }

    public boolean shared() {
        return members != null;
    }
}
