package io.github.camelregistrator.layout;

/** One etcd key and the value a layout wants there. */
public record Entry(String key, String value) {
}
