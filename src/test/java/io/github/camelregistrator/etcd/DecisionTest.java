package io.github.camelregistrator.etcd;

import java.util.stream.Stream;

import io.github.camelregistrator.etcd.Decision.Action;
import io.github.camelregistrator.etcd.Decision.Held;
import io.github.camelregistrator.etcd.Decision.Other;
import io.github.camelregistrator.layout.Entry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The delivery decision as a table: desired, actual, lease and owner in; an action and its guard out. */
class DecisionTest {
    private static final long LEASE = 7;
    private static final long PREVIOUS = 6;
    private static final long OTHER_HOST = 9;
    private static final Entry WANT = new Entry("/s/web/h:c:80", "10.0.0.5:8080");
    private static final Entry SHARED = new Entry("/v/backends/b/backend", "{}", "/v/backends/b/servers/");

    static Stream<Arguments> table() {
        return Stream.of(
                // case, want, held, other, seen-as-shared, members, action, guard revision, recorded as this host's
                arguments("new key", WANT, null, null, false, null, Action.PUT, 0L, false),
                arguments("held as wanted", WANT, new Held(WANT.value(), 11, LEASE), null, false, null, Action.LEAVE, 0L, false),
                arguments("held with another value", WANT, new Held("x", 11, LEASE), null, false, null, Action.PUT, 11L, false),
                arguments("previous run's lease moves to this one", WANT, new Held(WANT.value(), 11, PREVIOUS), null, false,
                        null, Action.PUT, 11L, false),
                arguments("hand put of the same value, no lease", WANT, null, new Other(WANT.value(), 12, 0), false, null,
                        Action.PUT, 12L, false),
                arguments("hand put of another value", WANT, null, new Other("x", 12, 0), false, null, Action.PUT, 12L, false),
                arguments("another host holds the same value", WANT, null, new Other(WANT.value(), 12, OTHER_HOST), false,
                        null, Action.LEAVE, 0L, false),
                arguments("another host holds a larger value", WANT, null, new Other("99.0.0.1:1", 12, OTHER_HOST), false,
                        null, Action.PUT, 12L, false),
                arguments("another host holds a smaller value", WANT, null, new Other("1.0.0.1:1", 12, OTHER_HOST), false,
                        null, Action.LEAVE, 0L, false),
                arguments("shared key another host holds", SHARED, null, new Other("{\"x\":1}", 12, OTHER_HOST), true, null,
                        Action.LEAVE, 0L, false),
                arguments("shared key written by hand", SHARED, null, new Other("{}", 12, 0), true, null, Action.PUT, 12L, false),
                arguments("no longer wanted, held", null, new Held("v", 11, LEASE), null, false, null, Action.DELETE, 11L, false),
                arguments("no longer wanted, held by the previous run", null, new Held("v", 11, PREVIOUS), null, false, null,
                        Action.DELETE, 11L, false),
                arguments("no longer wanted, shared", null, new Held("{}", 11, LEASE), null, true, "/v/backends/b/servers/",
                        Action.RELEASE, 11L, false),
                arguments("no longer wanted, not held", null, null, new Other("v", 12, OTHER_HOST), false, null,
                        Action.LEAVE, 0L, false),
                arguments("shared once, not held: maybe handed over", null, null, null, true, null, Action.ADOPT, 0L, false),
                arguments("nothing anywhere", null, null, null, false, null, Action.LEAVE, 0L, false),
                arguments("recorded, no longer wanted, lease stripped by hand", null, null, new Other("v", 12, 0), false,
                        null, Action.DELETE, 12L, true),
                arguments("recorded, no longer wanted, another live host holds it", null, null,
                        new Other("v", 12, OTHER_HOST), false, null, Action.LEAVE, 0L, true),
                arguments("recorded, no longer wanted, gone", null, null, null, false, null, Action.LEAVE, 0L, true),
                arguments("recorded and wanted, lease stripped by hand", WANT, null, new Other("x", 12, 0), false, null,
                        Action.PUT, 12L, true),
                arguments("not recorded, no longer wanted, without a lease", null, null, new Other("v", 12, 0), false, null,
                        Action.LEAVE, 0L, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String name, Entry want, Held held, Other other, boolean seen, String members, Action action, long guard,
                 boolean recorded) {
        Decision d = Decision.decide(want, held, other, LEASE, seen, members, recorded);
        assertEquals(action, d.action(), name);
        if (action == Action.PUT || action == Action.DELETE || action == Action.RELEASE) {
            assertEquals(guard, d.guardRev(), name + ": guard");
        }
    }
}
