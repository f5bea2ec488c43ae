package io.github.camelregistrator.layout;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Aggregation strategy for a layout route's {@code split} or {@code multicast}: each message
 * carries the key in the {@value Layouts#KEY} header (and, for a shared key, its members' prefix
 * in {@value Layouts#MEMBERS}) and the value in its body, or is itself a list of entries from a
 * nested aggregation. The result is one list of entries; a message without a key adds nothing.
 */
public class EntryCollector implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        List<Entry> entries;
        Exchange result;
        if (oldExchange == null) {
            // always a fresh list: the first exchange may carry a nested aggregation's list
            entries = new ArrayList<>();
            result = newExchange;
        } else {
            @SuppressWarnings("unchecked")
            List<Entry> collected = oldExchange.getProperty(Layouts.ENTRIES, List.class);
            entries = collected;
            result = oldExchange;
        }
        if (newExchange.getException() != null) {
            result.setException(newExchange.getException());
        } else {
            collect(newExchange, entries);
        }
        result.setProperty(Layouts.ENTRIES, entries);
        return result;
    }

    private static void collect(Exchange exchange, List<Entry> entries) {
        Object body = exchange.getMessage().getBody();
        String key = exchange.getMessage().getHeader(Layouts.KEY, String.class);
        if (key != null) {
            entries.add(new Entry(key, exchange.getMessage().getBody(String.class),
                    exchange.getMessage().getHeader(Layouts.MEMBERS, String.class)));
        } else if (body instanceof List<?> nested) {
            for (Object o : nested) {
                if (o instanceof Entry e) {
                    entries.add(e);
                }
            }
        }
    }

    @Override
    public void onCompletion(Exchange exchange) {
        if (exchange != null) {
            List<?> entries = exchange.getProperty(Layouts.ENTRIES, List.class);
            exchange.getMessage().setBody(entries == null ? List.of() : entries);
            exchange.getMessage().removeHeader(Layouts.KEY);
            exchange.getMessage().removeHeader(Layouts.MEMBERS);
        }
    }
}
