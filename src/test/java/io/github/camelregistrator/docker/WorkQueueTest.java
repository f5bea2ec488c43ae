package io.github.camelregistrator.docker;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WorkQueueTest {

    @Test
    void aBurstForOneKeyIsOneItemWithTheLatestValue() throws Exception {
        WorkQueue<String> q = new WorkQueue<>();
        for (int i = 0; i < 10_000; i++) {
            q.add("c" + (i % 3), "event" + i);
        }
        assertEquals(3, q.size());
        Map.Entry<String, String> first = q.take();
        assertEquals("c0", first.getKey());
        assertEquals("event9999", first.getValue());
    }

    @Test
    void aKeyInFlightIsNotHandedOutAgainUntilDone() throws Exception {
        WorkQueue<String> q = new WorkQueue<>();
        q.add("a", "start");
        assertEquals("a", q.take().getKey());
        q.add("a", "die");
        q.add("b", "start");
        assertEquals("b", q.take().getKey());
        q.done("a");
        Map.Entry<String, String> again = q.take();
        assertEquals("a", again.getKey());
        assertEquals("die", again.getValue());
    }

    @Test
    void aWeakItemNeverReplacesAPendingOne() throws Exception {
        WorkQueue<String> q = new WorkQueue<>();
        q.add("a", "start");
        q.addIfAbsent("a", "kill");
        assertEquals("start", q.take().getValue());
    }
}
