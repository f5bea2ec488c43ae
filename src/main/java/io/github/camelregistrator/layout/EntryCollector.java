package io.github.camelregistrator.layout;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Aggregation strategy for a layout route's {@code split}: each split message carries the key
 * in the {@value Layouts#KEY} header and the value in its body; the result is a list of entries.
 */
public class EntryCollector implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Exchange result = oldExchange == null ? newExchange : oldExchange;
        @SuppressWarnings("unchecked")
        List<Entry> entries = result.getProperty(Layouts.ENTRIES, List.class);
        if (entries == null) {
            entries = new ArrayList<>();
            result.setProperty(Layouts.ENTRIES, entries);
        }
        if (newExchange.getException() != null) {
            result.setException(newExchange.getException());
            return result;
        }
        String key = newExchange.getMessage().getHeader(Layouts.KEY, String.class);
        if (key != null) {
            entries.add(new Entry(key, newExchange.getMessage().getBody(String.class)));
        }
        return result;
    }

    @Override
    public void onCompletion(Exchange exchange) {
        if (exchange != null) {
            List<?> entries = exchange.getProperty(Layouts.ENTRIES, List.class);
            exchange.getMessage().setBody(entries == null ? List.of() : entries);
            exchange.getMessage().removeHeader(Layouts.KEY);
        }
    }
}
