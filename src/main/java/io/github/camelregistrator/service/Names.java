package io.github.camelregistrator.service;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Makes a value safe to stand as one etcd key segment. Anything outside a conservative set is
 * percent-encoded, so no value can add a segment, climb out with {@code ..}, or carry control
 * characters into a key, and two different values never encode alike.
 */
public final class Names {
    private Names() {
    }

    /** A container's name as Docker's inspect reports it ("/web") without the leading slash. */
    public static String containerName(String inspectName) {
        return inspectName.startsWith("/") ? inspectName.substring(1) : inspectName;
    }

    public static boolean isSafe(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == ':' || c == '@' || c == '~' || c == '+' || c == '=';
    }

    public static String segment(String value) {
        if (value.equals(".") || value.equals("..")) {
            return value.replace(".", "%2E");
        }
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            if (!isSafe(value.charAt(i))) {
                out = new StringBuilder(value.length() + 8);
                break;
            }
        }
        if (out == null) {
            return value;
        }
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (b >= 0 && isSafe(c)) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /**
     * A valid DNS label (RFC 1123: a-z, 0-9, '-', at most 63, no '-' at either end). A value
     * that had to change gets a short hash of the original, so distinct values stay distinct.
     */
    public static String dnsLabel(String value) {
        StringBuilder b = new StringBuilder();
        for (char c : value.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (ok) {
                b.append(c);
            } else if (b.length() > 0 && b.charAt(b.length() - 1) != '-') {
                b.append('-');
            }
        }
        String label = b.toString().replaceAll("-+$", "");
        if (label.equals(value) && label.length() <= 63 && !label.isEmpty()) {
            return label;
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(value.getBytes(StandardCharsets.UTF_8));
        String hash = String.format("%08x", crc.getValue());
        if (label.length() > 54) {
            label = label.substring(0, 54).replaceAll("-+$", "");
        }
        return label.isEmpty() ? "x" + hash : label + "-" + hash;
    }

    /** {@code skydns.local} as the key path {@code local/skydns}. */
    public static String reversedDomain(String domain) {
        List<String> labels = new java.util.ArrayList<>();
        for (String l : domain.split("\\.")) {
            if (!l.isEmpty()) {
                labels.add(0, dnsLabel(l));
            }
        }
        return String.join("/", labels);
    }
}
