package io.github.camelregistrator.layout;

import io.github.camelregistrator.service.Names;

/** DNS helpers for layout routes ({@code ${bean:dns?method=path('skydns.local')}}). */
public class Dns {

    /** {@code skydns.local} as the key path {@code local/skydns}, as SkyDNS and CoreDNS read it. */
    public String path(String domain) {
        return Names.reversedDomain(domain);
    }
}
