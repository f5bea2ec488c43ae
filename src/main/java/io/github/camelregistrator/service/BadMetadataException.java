package io.github.camelregistrator.service;

/** A container whose metadata cannot be registered safely; it is skipped with this message. */
public class BadMetadataException extends RuntimeException {
    public BadMetadataException(String message) {
        super(message);
    }
}
