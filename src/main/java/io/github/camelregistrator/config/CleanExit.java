package io.github.camelregistrator.config;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.main.Main;

/**
 * Runs Camel Main so that a stop by SIGTERM ({@code systemctl stop}, {@code docker stop}) exits
 * with status 0 once Camel has stopped and the lease is revoked, as any clean stop should.
 *
 * <p>On SIGTERM the JVM runs its shutdown hooks and then exits with 143 whatever the program
 * does: {@code System.exit} from main blocks once shutdown has begun. Camel's own hook makes
 * {@code main.run()} return after the context has stopped. This hook waits for exactly that and
 * then halts with Main's exit code. The only hooks it can cut short are ones still running
 * after Camel stopped: log4j's is off (log4j2.properties), and the console is flushed per line.
 * If Camel does not stop within {@link #STOP_WAIT_SECONDS}, the hook gives up and the JVM exits
 * with 143, which the systemd unit also counts as success.
 */
final class CleanExit {
    static final long STOP_WAIT_SECONDS = 60;

    private CleanExit() {
    }

    static int run(Main main) throws Exception {
        return run(main, () -> { });
    }

    /** @param afterStop what to do once Camel has stopped, before the exit (the hook's halt skips deleteOnExit) */
    static int run(Main main, Runnable afterStop) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger code = new AtomicInteger(1);
        Thread hook = new Thread(() -> {
            try {
                if (stopped.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    Runtime.getRuntime().halt(code.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "registrator-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            main.run();
            int c = main.getExitCode();
            code.set(c < 0 ? 0 : c);
        } finally {
            afterStop.run();
            try {
                // not shutting down (Main stopped by itself, or start-up failed): the caller exits
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shutdownUnderWay) {
                // a signal stopped us: the hook halts with the code now that Camel has stopped
                stopped.countDown();
            }
        }
        return code.get();
    }
}
