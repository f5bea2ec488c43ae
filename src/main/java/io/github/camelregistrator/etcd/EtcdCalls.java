package io.github.camelregistrator.etcd;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Response;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.github.camelregistrator.health.Causes;
import io.github.camelregistrator.health.Metrics;

/**
 * The jetcd calls of the registry, each with a deadline, and what their failures mean. Every
 * answer's header is checked for a new etcd (another cluster id, or a revision that went back).
 */
final class EtcdCalls {
    /** What a failed call says about etcd. */
    enum Failure {
        /** No answer (down, partitioned, hung): retry as soon as it answers again. */
        UNREACHABLE,
        /** etcd answered no (permission denied, NOSPACE, auth): retry with backoff; etcd is up. */
        REFUSED,
        /** The lease is gone: grant a new one and write everything again. */
        LEASE_NOT_FOUND
    }

    /** Told of a new etcd behind the same endpoints. */
    interface ReplacedListener {
        void replaced(String how);
    }

    private final Client client;
    private final long timeoutMs;
    private final Metrics metrics;
    private volatile ReplacedListener replaced = how -> {
    };
    private long clusterId;
    private long revision;

    EtcdCalls(Client client, long timeoutMs, Metrics metrics) {
        this.client = client;
        this.timeoutMs = timeoutMs;
        this.metrics = metrics;
    }

    void onReplaced(ReplacedListener listener) {
        this.replaced = listener;
    }

    Client client() {
        return client;
    }

    GetResponse get(String key) throws Exception {
        return await(client.getKVClient().get(bytes(key)));
    }

    long grant(long ttl) throws Exception {
        return awaitInOrder(client.getLeaseClient().grant(ttl)).getID();
    }

    /** @return the lease's remaining TTL; zero or less when it is gone */
    long keepAliveOnce(long lease) throws Exception {
        return awaitInOrder(client.getLeaseClient().keepAliveOnce(lease)).getTTL();
    }

    void revoke(long lease) throws Exception {
        await(client.getLeaseClient().revoke(lease));
    }

    void put(String key, String value, long lease) throws Exception {
        await(client.getKVClient().put(bytes(key), bytes(value), PutOption.builder().withLeaseId(lease).build()));
    }

    /** A put (value non-null) or delete of one key, if the key is still at guardRev (0: absent). */
    record Write(String key, String value, long guardRev) {
    }

    /**
     * Put (value non-null) or delete, only if the key is still at {@code modRevision} (0: absent);
     * otherwise the answer carries what the key holds now.
     */
    CompletableFuture<TxnResponse> guarded(String key, String value, long modRevision, long lease) {
        return guarded(List.of(new Write(key, value, modRevision)), lease);
    }

    /**
     * Several guarded writes in one transaction: all go through if every key is still where its
     * guard says, else none does, and the answer carries what each key holds now, in order.
     */
    CompletableFuture<TxnResponse> guarded(List<Write> writes, long lease) {
        return guarded(writes, lease, null);
    }

    /** The same, keeping this host's record of its keys in step in the same transaction. */
    CompletableFuture<TxnResponse> guarded(List<Write> writes, long lease, KeyRecord record) {
        var txn = client.getKVClient().txn();
        Cmp[] unchanged = new Cmp[writes.size()];
        List<Op> then = new java.util.ArrayList<>();
        Op[] otherwise = new Op[writes.size()];
        PutOption put = lease == 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(lease).build();
        for (int i = 0; i < writes.size(); i++) {
            Write w = writes.get(i);
            ByteSequence k = bytes(w.key());
            unchanged[i] = w.guardRev() == 0
                    ? new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(0))
                    : new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(w.guardRev()));
            then.add(w.value() == null ? Op.delete(k, DeleteOption.DEFAULT) : Op.put(k, bytes(w.value()), put));
            if (record != null && record.enabled()) {
                then.add(record.with(w.key(), w.value() != null));
            }
            otherwise[i] = Op.get(k, GetOption.DEFAULT);
        }
        return txn.If(unchanged).Then(then.toArray(Op[]::new)).Else(otherwise).commit();
    }

    /**
     * A shared key handed over to an heir's lease, if the key is still at {@code modRevision} and
     * the heir's member still at {@code memberRevision}: a member deleted meanwhile (its host no
     * longer wants the key, and may have looked for it already) fails the handover, which is then
     * decided again. The answer's else branch carries what the key holds now, as {@link #guarded}'s.
     */
    CompletableFuture<TxnResponse> handOver(String key, String value, long modRevision, String member,
                                            long memberRevision, long lease) {
        ByteSequence k = bytes(key);
        return client.getKVClient().txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(modRevision)),
                        new Cmp(bytes(member), Cmp.Op.EQUAL, CmpTarget.modRevision(memberRevision)))
                .Then(Op.put(k, bytes(value), PutOption.builder().withLeaseId(lease).build()))
                .Else(Op.get(k, GetOption.DEFAULT)).commit();
    }

    <T> T await(CompletableFuture<T> call) throws Exception {
        return await(call, false);
    }

    /**
     * For the lease thread's calls, each sent after the previous one answered: only their
     * revisions are in order, since concurrent calls may be awaited in another order than etcd
     * answered them.
     */
    private <T> T awaitInOrder(CompletableFuture<T> call) throws Exception {
        return await(call, true);
    }

    private <T> T await(CompletableFuture<T> call, boolean inOrder) throws Exception {
        long started = System.nanoTime();
        try {
            T answer = call.get(timeoutMs, TimeUnit.MILLISECONDS);
            if (answer instanceof Response r && r.getHeader() != null) {
                observe(r.getHeader().getClusterId(), inOrder ? r.getHeader().getRevision() : 0);
            }
            return answer;
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new TimeoutException("no answer from etcd within " + timeoutMs + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        } finally {
            metrics.etcdCall(System.nanoTime() - started);
        }
    }

    /** A cluster id that changed, or a revision that went back, means a new etcd. */
    private void observe(long cluster, long rev) {
        String how = null;
        synchronized (this) {
            if (clusterId != 0 && cluster != 0 && cluster != clusterId) {
                how = "cluster id " + Long.toHexString(clusterId) + " is now " + Long.toHexString(cluster);
            } else if (rev > 0 && rev < revision) {
                how = "revision went back from " + revision + " to " + rev;
            }
            if (cluster != 0) {
                clusterId = cluster;
            }
            revision = how != null ? rev : Math.max(revision, rev);
        }
        if (how != null) {
            replaced.replaced(how);
        }
    }

    static Failure failure(Throwable e) {
        String message = message(e);
        if (message.contains("requested lease not found")) {
            return Failure.LEASE_NOT_FOUND;
        }
        EtcdException etcdError = Causes.find(e, EtcdException.class);
        if (etcdError != null) {
            return refusal(etcdError.getErrorCode().name());
        }
        Throwable grpcError = Causes.find(e, io.grpc.StatusRuntimeException.class);
        if (grpcError == null) {
            grpcError = Causes.find(e, io.grpc.StatusException.class);
        }
        if (grpcError != null) {
            return refusal(io.grpc.Status.fromThrowable(grpcError).getCode().name());
        }
        return Failure.UNREACHABLE;
    }

    /** etcd answered no, as opposed to not answering. */
    private static Failure refusal(String code) {
        return switch (code) {
            case "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "UNAUTHENTICATED", "INVALID_ARGUMENT", "FAILED_PRECONDITION",
                    "OUT_OF_RANGE" -> Failure.REFUSED;
            default -> Failure.UNREACHABLE;
        };
    }

    static String message(Throwable e) {
        Throwable root = Causes.root(e);
        String m = Causes.message(e);
        if (root instanceof io.grpc.StatusRuntimeException || root instanceof io.grpc.StatusException) {
            io.grpc.Status status = io.grpc.Status.fromThrowable(root);
            m = status.getDescription() != null ? status.getDescription() : status.getCode().name();
        }
        return m.startsWith("etcdserver: ") ? m.substring("etcdserver: ".length()) : m;
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    static String string(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
