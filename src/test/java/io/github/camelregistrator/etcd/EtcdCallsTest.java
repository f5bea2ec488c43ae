package io.github.camelregistrator.etcd;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A refused write is not an outage: it must not look like one, or every refusal would start a full pass. */
class EtcdCallsTest {

    @Test
    void refusalsOutagesAndLostLeasesAreTold() {
        assertEquals(EtcdCalls.Failure.REFUSED, EtcdCalls.failure(new CompletionException(
                EtcdExceptionFactory.newEtcdException(ErrorCode.PERMISSION_DENIED, "etcdserver: permission denied"))));
        assertEquals(EtcdCalls.Failure.REFUSED, EtcdCalls.failure(
                Status.RESOURCE_EXHAUSTED.withDescription("etcdserver: mvcc: database space exceeded").asRuntimeException()));
        assertEquals(EtcdCalls.Failure.REFUSED, EtcdCalls.failure(EtcdExceptionFactory.newEtcdException(
                ErrorCode.INVALID_ARGUMENT, "etcdserver: authentication failed, invalid user ID or password")));
        assertEquals(EtcdCalls.Failure.UNREACHABLE, EtcdCalls.failure(
                Status.UNAVAILABLE.withDescription("io exception").asRuntimeException()));
        assertEquals(EtcdCalls.Failure.UNREACHABLE, EtcdCalls.failure(new TimeoutException("no answer")));
        assertEquals(EtcdCalls.Failure.LEASE_NOT_FOUND, EtcdCalls.failure(EtcdExceptionFactory.newEtcdException(
                ErrorCode.NOT_FOUND, "etcdserver: requested lease not found")));
        assertEquals("permission denied", EtcdCalls.message(
                Status.PERMISSION_DENIED.withDescription("etcdserver: permission denied").asRuntimeException()));
    }
}
