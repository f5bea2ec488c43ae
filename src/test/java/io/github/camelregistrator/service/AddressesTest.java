package io.github.camelregistrator.service;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressesTest {

    @Test
    void dottedQuadIsTheShapeOnly() {
        assertTrue(Addresses.isDottedQuad("10.0.0.5"));
        assertTrue(Addresses.isDottedQuad("999.1.1.1"));
        assertFalse(Addresses.isDottedQuad("10.0.0"));
        assertFalse(Addresses.isDottedQuad("10.0.0.5.6"));
        assertFalse(Addresses.isDottedQuad("1000.0.0.5"));
        assertFalse(Addresses.isDottedQuad("a.b.c.d"));
    }

    @Test
    void literalChecksTheRangeToo() {
        assertTrue(Addresses.isLiteral("192.0.2.10"));
        assertFalse(Addresses.isLiteral("256.0.2.10"));
        assertTrue(Addresses.isLiteral("2001:db8::1"));
        assertFalse(Addresses.isLiteral("example.com"));
    }
}
