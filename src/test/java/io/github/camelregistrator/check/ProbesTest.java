package io.github.camelregistrator.check;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.netty.channel.ConnectTimeoutException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probes against real servers on the loopback: the JDK's HTTP(S) server, and sockets that
 * accept and never answer. What busybox httpd cannot serve in HealthChecksIT (HTTPS, IPv6,
 * redirects, a method other than GET, a body that never ends) is covered here.
 */
class ProbesTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final InetAddress V4 = literal("127.0.0.1");

    private static Probes probes;
    private final List<AutoCloseable> servers = new ArrayList<>();
    /** What each request asked, by path: method, Host and User-Agent headers. */
    private final Map<String, String> asked = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        probes = new Probes();
    }

    @AfterAll
    static void stop() {
        probes.close();
    }

    @AfterEach
    void stopServers() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
    }

    private void answer(HttpExchange x) throws IOException {
        String path = x.getRequestURI().toString();
        asked.put(path, x.getRequestMethod() + " " + x.getRequestHeaders().getFirst("Host") + " "
                + x.getRequestHeaders().getFirst("User-Agent"));
        x.getRequestBody().readAllBytes();
        switch (x.getRequestURI().getPath()) {
            case "/missing" -> x.sendResponseHeaders(404, -1);
            case "/broken" -> x.sendResponseHeaders(500, -1);
            case "/empty" -> x.sendResponseHeaders(204, -1);
            case "/moved" -> {
                x.getResponseHeaders().add("Location", "/health");
                x.sendResponseHeaders(302, -1);
            }
            case "/big" -> {
                byte[] chunk = new byte[64 * 1024];
                x.sendResponseHeaders(200, 16L * chunk.length);
                try (OutputStream out = x.getResponseBody()) {
                    for (int i = 0; i < 16; i++) {
                        out.write(chunk);
                    }
                }
            }
            case "/endless" -> {
                // the head, then part of the body, then nothing until the probe gives up
                x.sendResponseHeaders(200, 100);
                x.getResponseBody().write(new byte[10]);
                x.getResponseBody().flush();
                sleep(3_000);
            }
            default -> {
                byte[] ok = "ok".getBytes();
                x.sendResponseHeaders(200, x.getRequestMethod().equals("HEAD") ? -1 : ok.length);
                if (!x.getRequestMethod().equals("HEAD")) {
                    x.getResponseBody().write(ok);
                }
            }
        }
        x.close();
    }

    private InetSocketAddress server(InetAddress on, SSLContext tls) throws IOException {
        HttpServer s = tls == null ? HttpServer.create(new InetSocketAddress(on, 0), 0)
                : HttpsServer.create(new InetSocketAddress(on, 0), 0);
        if (tls != null) {
            ((HttpsServer) s).setHttpsConfigurator(new HttpsConfigurator(tls));
        }
        ExecutorService threads = Executors.newCachedThreadPool();
        s.setExecutor(threads);
        s.createContext("/", this::answer);
        s.start();
        servers.add(() -> {
            s.stop(0);
            threads.shutdownNow();
        });
        return new InetSocketAddress(on, s.getAddress().getPort());
    }

    private static Probes.Result http(InetSocketAddress target, String path, String method) throws Exception {
        return probes.http(target, false, path, method, TIMEOUT).get(5, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource({
        "GET, /health, true, HTTP 200",
        "GET, /health?verbose=1, true, HTTP 200",
        "HEAD, /health, true, HTTP 200",
        "OPTIONS, /health, true, HTTP 200",
        "GET, /empty, true, HTTP 204",
        "GET, /big, true, HTTP 200",
        "GET, /missing, false, HTTP 404",
        "GET, /broken, false, HTTP 500",
        // not followed: a redirect is not a 2xx
        "GET, /moved, false, HTTP 302",
    })
    void anyTwoHundredPassesAndNothingElse(String method, String path, boolean passed, String detail) throws Exception {
        InetSocketAddress target = server(V4, null);
        assertEquals(new Probes.Result(passed, detail), http(target, path, method));
        assertEquals(method + " 127.0.0.1:" + target.getPort() + " camel-registrator-check", asked.get(path));
        assertEquals(1, asked.size(), "one request, nothing followed: " + asked);
    }

    @Test
    void ipv6HasItsHostBracketed() throws Exception {
        InetAddress v6 = literal("::1");
        InetSocketAddress target = server(v6, null);
        assertEquals(new Probes.Result(true, "HTTP 200"), http(target, "/health", "GET"));
        assertEquals("GET [::1]:" + target.getPort() + " camel-registrator-check", asked.get("/health"));
    }

    @Test
    void httpsTrustsAnyCertificateForAnyName() throws Exception {
        InetSocketAddress target = server(V4, selfSigned());
        // 2 s: the first TLS client of a JVM starts slowly, and this is not about the timeout
        Duration timeout = Duration.ofSeconds(2);
        assertEquals(new Probes.Result(true, "HTTP 200"), probes.http(target, true, "/health", "GET", timeout).get(5, TimeUnit.SECONDS));
        assertEquals(new Probes.Result(false, "HTTP 404"), probes.http(target, true, "/missing", "GET", timeout).get(5, TimeUnit.SECONDS));
        // plain HTTP to a TLS port does not pass
        assertFalse(http(target, "/health", "GET").passed());
    }

    @Test
    void httpsToAPlainPortFails() throws Exception {
        InetSocketAddress target = server(V4, null);
        assertFalse(probes.http(target, true, "/health", "GET", Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS).passed());
    }

    @Test
    void aServerThatAcceptsAndNeverAnswersTimesOutAndIsHungUpOn() throws Exception {
        try (ServerSocket mute = new ServerSocket(0, 50, V4)) {
            long start = System.nanoTime();
            var probe = probes.http(new InetSocketAddress(V4, mute.getLocalPort()), false, "/health", "GET", TIMEOUT);
            try (Socket accepted = mute.accept()) {
                assertEquals(new Probes.Result(false, "timed out after 300 ms"), probe.get(5, TimeUnit.SECONDS));
                assertTrue(System.nanoTime() - start >= TIMEOUT.toNanos());
                // the probe closed its connection: the server reads the request, then its end
                accepted.setSoTimeout(5_000);
                InputStream in = accepted.getInputStream();
                while (in.read() >= 0) {
                    // the request, until the probe hangs up
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "hangs up after the request | | connection closed before a whole response",
        "speaks another protocol | SSH-2.0-OpenSSH_9.2\\r\\n | bad response: ",
        "answers half a head | HTTP/1.1 200 OK\\r\\nContent-Length: 5\\r\\n | bad response: connection closed before received headers",
    })
    void aServerThatDoesNotAnswerHttpFails(String what, String answer, String detail) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, V4)) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    if (answer != null) {
                        s.getOutputStream().write(answer.replace("\\r\\n", "\r\n").getBytes());
                    }
                } catch (IOException ignored) {
                    // the probe hung up
                }
            });
            t.start();
            Probes.Result r = http(new InetSocketAddress(V4, server.getLocalPort()), "/health", "GET");
            assertFalse(r.passed(), r.toString());
            assertTrue(r.detail().startsWith(detail), r.toString());
            t.join(5_000);
        }
    }

    @Test
    void aBodyThatNeverEndsTimesOut() throws Exception {
        InetSocketAddress target = server(V4, null);
        assertEquals(new Probes.Result(false, "timed out after 300 ms"), http(target, "/endless", "GET"));
    }

    @Test
    void nothingListeningIsConnectionRefused() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 50, V4)) {
            closed = s.getLocalPort();
        }
        InetSocketAddress target = new InetSocketAddress(V4, closed);
        assertEquals(new Probes.Result(false, "connection refused"), http(target, "/health", "GET"));
        assertEquals(new Probes.Result(false, "connection refused"), probes.tcp(target, TIMEOUT).get(5, TimeUnit.SECONDS));
    }

    @Test
    void tcpPassesWhenTheConnectionOpens() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 50, V4)) {
            assertEquals(new Probes.Result(true, "connected"),
                    probes.tcp(new InetSocketAddress(V4, s.getLocalPort()), TIMEOUT).get(5, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "netty's refusal | connection refused",
        "no message | connection refused",
        "netty's connect timeout | timed out after 300 ms",
        "a timeout | timed out after 300 ms",
        "a closed connection | connection was closed",
    })
    void failuresInOneWording(String failure, String detail) {
        Throwable e = switch (failure) {
            case "netty's refusal" -> new ConnectException("Connection refused: /172.17.0.5:81");
            case "no message" -> new ConnectException();
            case "netty's connect timeout" -> new ConnectTimeoutException("connection timed out after 300 ms: /10.0.0.9:80");
            case "a timeout" -> new RuntimeException(new TimeoutException());
            default -> new IllegalStateException("Connection was closed");
        };
        assertEquals(detail, Probes.why(e, TIMEOUT));
    }

    @Test
    void closeStopsTheProbesThreads() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Probes own = new Probes();
        try (ServerSocket s = new ServerSocket(0, 50, V4)) {
            // threads start with their first use
            own.http(new InetSocketAddress(V4, s.getLocalPort()), false, "/", "GET", TIMEOUT).get(5, TimeUnit.SECONDS);
            own.tcp(new InetSocketAddress(V4, s.getLocalPort()), TIMEOUT).get(5, TimeUnit.SECONDS);
        }
        own.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Set<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t) && t.isAlive())
                    .map(Thread::getName).filter(n -> n.startsWith("vert.x-") || n.startsWith("registrator-check"))
                    .collect(Collectors.toSet());
        } while (!left.isEmpty() && System.nanoTime() < deadline && sleep(50));
        assertEquals(Set.of(), left);
    }

    /** An address named by its literal, as HealthChecks makes them (no lookup). */
    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByAddress(ip, InetAddress.getByName(ip).getAddress());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    /** A server certificate for a name the probe never asks for, signed by nobody. */
    private static SSLContext selfSigned() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair keys = g.generateKeyPair();
        X500Name name = new X500Name("CN=not-this-address.example");
        Date now = new Date();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.ONE, now, new Date(now.getTime() + 86_400_000L), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", keys.getPrivate(), "x".toCharArray(), new X509Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "x".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return tls;
    }
}
