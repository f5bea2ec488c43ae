package io.github.camelregistrator.it;

import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A test CA with a server certificate for 127.0.0.1 and a client certificate, as PEM files. */
final class Certificates {
    final Path dir;

    Certificates() throws Exception {
        dir = Files.createTempDirectory("certs");
        KeyPair ca = keys();
        X509Certificate caCert = sign("CN=registrator-test-ca", ca, "CN=registrator-test-ca", ca.getPrivate(), true, false);
        KeyPair server = keys();
        X509Certificate serverCert = sign("CN=etcd", server, "CN=registrator-test-ca", ca.getPrivate(), false, true);
        KeyPair client = keys();
        X509Certificate clientCert = sign("CN=registrator", client, "CN=registrator-test-ca", ca.getPrivate(), false, false);
        write("ca.pem", caCert);
        write("server.pem", serverCert);
        write("server-key.pem", new JcaPKCS8Generator(server.getPrivate(), null));
        write("client.pem", clientCert);
        write("client-key.pem", new JcaPKCS8Generator(client.getPrivate(), null));
        // etcd runs as another user in its container: let it read the files
        for (Path p : Files.newDirectoryStream(dir)) {
            p.toFile().setReadable(true, false);
        }
        dir.toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(String subject, KeyPair keys, String issuer, PrivateKey issuerKey, boolean ca,
                                        boolean server) throws Exception {
        long now = System.currentTimeMillis();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(now).add(BigInteger.valueOf(System.nanoTime() & 0xffff)),
                new Date(now - 60_000), new Date(now + 86_400_000L), new X500Name(subject), keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (server) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    private void write(String name, Object pem) throws Exception {
        try (Writer w = Files.newBufferedWriter(dir.resolve(name)); JcaPEMWriter out = new JcaPEMWriter(w)) {
            out.writeObject(pem);
        }
    }
}
