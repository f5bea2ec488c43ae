package io.github.camelregistrator.it;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * The registrator's log lines in this JVM, for tests that count them. It sits beside the
 * console on the root logger, so the test's output stays whole.
 */
final class LogCapture extends AbstractAppender implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    /** Stack traces of every logger's events, for tests that check no error is logged as one. */
    private final List<String> throwables = new CopyOnWriteArrayList<>();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);

    LogCapture() {
        super("capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        start();
        context.getConfiguration().getRootLogger().addAppender(this, null, null);
        context.updateLoggers();
    }

    @Override
    public void append(LogEvent event) {
        if ("registrator".equals(event.getLoggerName())) {
            lines.add(event.getMessage().getFormattedMessage());
        }
        if (event.getThrown() != null) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            throwables.add(event.getLoggerName() + ": " + trace);
        }
    }

    long count(String fragment) {
        return lines.stream().filter(l -> l.contains(fragment)).count();
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** The stack traces logged by any logger, each prefixed with its logger's name. */
    List<String> throwables() {
        return List.copyOf(throwables);
    }

    @Override
    public void close() {
        context.getConfiguration().getRootLogger().removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
