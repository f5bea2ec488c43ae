package io.github.camelregistrator.etcd;

import java.util.Map;

import io.etcd.jetcd.watch.WatchEvent;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code etcd-keys:owned}: changes to the keys this host holds or wants, as a route source
 * (routes/watch.yaml), from the registry's {@link KeyWatch}. camel-etcd3's consumer watches a
 * prefix, which every other host's keys share, on a stream of its own per watch.
 */
public class KeyWatchComponent extends DefaultComponent {
    private final KeyWatch watch;
    private final java.util.function.Predicate<WatchEvent> echo;

    /** @param echo events that need no route: this host's own writes coming back */
    public KeyWatchComponent(KeyWatch watch, java.util.function.Predicate<WatchEvent> echo) {
        this.watch = watch;
        this.echo = echo;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Endpoint endpoint = new KeysEndpoint(uri, this);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    private final class KeysEndpoint extends DefaultEndpoint {
        KeysEndpoint(String uri, KeyWatchComponent component) {
            super(uri, component);
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException("etcd-keys is a route source only");
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            Consumer consumer = new KeysConsumer(this, processor);
            configureConsumer(consumer);
            return consumer;
        }
    }

    private final class KeysConsumer extends DefaultConsumer {
        KeysConsumer(Endpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            watch.start(this::deliver);
        }

        @Override
        protected void doStop() throws Exception {
            watch.stop();
            super.doStop();
        }

        private void deliver(WatchEvent event) {
            if (echo.test(event)) {
                return;
            }
            Exchange exchange = createExchange(false);
            try {
                exchange.getIn().setBody(event);
                getProcessor().process(exchange);
                if (exchange.getException() != null) {
                    getExceptionHandler().handleException("etcd watch event not handled", exchange, exchange.getException());
                }
            } catch (Exception e) {
                getExceptionHandler().handleException("etcd watch event not handled", exchange, e);
            } finally {
                releaseExchange(exchange, false);
            }
        }
    }
}
