package io.github.camelregistrator.service;

import java.nio.charset.StandardCharsets;

/**
 * Makes a value safe to stand as one etcd key segment. Anything outside a conservative set is
 * percent-encoded, so no value can add a segment, climb out with {@code ..}, or carry control
 * characters into a key, and two different values never encode alike.
 */
public final class Names {
    private Names() {
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
}
