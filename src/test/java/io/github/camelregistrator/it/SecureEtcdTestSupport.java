package io.github.camelregistrator.it;

import org.junit.jupiter.api.AfterAll;

/**
 * A registrator against this test class's own TLS etcd with auth on ({@link SecureEtcd}), with
 * its log captured. The etcd starts before the registrator's options are read, and goes with
 * the class.
 */
abstract class SecureEtcdTestSupport extends RegistratorTestSupport {
    protected static SecureEtcd etcd;
    protected static LogCapture log;

    @AfterAll
    static void stopSecureEtcd() {
        if (etcd != null) {
            etcd.close();
            etcd = null;
        }
        if (log != null) {
            log.close();
            log = null;
        }
    }

    /** Whether this etcd asks for a client certificate. */
    protected abstract boolean clientCertificates();

    /** Options on top of the etcd's endpoint, once it runs. */
    protected abstract String[] secureOverrides();

    @Override
    protected final String[] overrides() {
        try {
            if (etcd == null) {
                etcd = new SecureEtcd(clientCertificates());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (log == null) {
            log = new LogCapture();
        }
        String[] own = secureOverrides();
        String[] all = new String[own.length + 4];
        all[0] = "registrator.layouts";
        all[1] = "registrator";
        all[2] = "registrator.etcd-endpoints";
        all[3] = etcd.endpoint;
        System.arraycopy(own, 0, all, 4, own.length);
        return all;
    }
}
