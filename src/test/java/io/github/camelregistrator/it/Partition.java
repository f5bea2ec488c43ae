package io.github.camelregistrator.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder between the registrator and a real etcd that the test can cut: every open
 * connection is closed and new ones are refused, while etcd itself keeps running (and so
 * expires leases), as in a network partition.
 */
final class Partition implements AutoCloseable {
    private final int port = Etcd.freePort();
    private final int target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    /** A forwarder to the test JVM's shared etcd. */
    static Partition toSharedEtcd() {
        try {
            return new Partition(java.net.URI.create(Etcd.endpoint()).getPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Partition(int target) throws IOException {
        this.target = target;
        heal();
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    synchronized void heal() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", port));
        server = s;
        daemon(() -> {
            while (!s.isClosed()) {
                try {
                    Socket in = s.accept();
                    Socket out = new Socket("127.0.0.1", target);
                    open.add(in);
                    open.add(out);
                    daemon(() -> pump(in, out));
                    daemon(() -> pump(out, in));
                } catch (IOException closed) {
                    // cut
                }
            }
        });
    }

    synchronized void cut() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
        open.clear();
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException closed) {
            // either side went away
        } finally {
            close(from);
            close(to);
        }
    }

    private void close(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "partition");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
