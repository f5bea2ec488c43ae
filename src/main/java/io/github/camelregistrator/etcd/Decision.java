package io.github.camelregistrator.etcd;

import io.github.camelregistrator.layout.Entry;

/**
 * What to do with one key, given what this host wants there and what etcd holds: the pure core
 * of delivery, with no etcd and no state of its own.
 *
 * @param action   what to do
 * @param guardRev the modRevision the key must still have for the write to go through (0: the
 *                 key must be absent); meaningful for PUT and DELETE
 */
public record Decision(Action action, long guardRev) {

    public enum Action {
        /** Write the wanted value under this host's lease. */
        PUT,
        /** Delete the key this host holds and no longer wants. */
        DELETE,
        /** A shared key this host holds and no longer wants: hand it to a remaining member's host, or delete it. */
        RELEASE,
        /** A shared key this host once wanted: another host may have handed it over; look and release. */
        ADOPT,
        /** Nothing to write: etcd already holds it, or another host's value wins. */
        LEAVE
    }

    /** What this host holds at a key: under its current lease, or its previous run's. */
    public record Held(String value, long modRevision, long lease) {
    }

    /** What another holder has at a key: another host's lease, or none (0) when written by hand. */
    public record Other(String value, long modRevision, long lease) {
    }

    static final Decision LEAVE = new Decision(Action.LEAVE, 0);

    /**
     * @param want       what this host wants at the key, or null
     * @param held       what this host holds there, or null
     * @param other      what someone else holds there, when this host holds nothing; or null
     * @param lease      this host's current lease
     * @param sharedSeen this host wanted the key as a shared key before
     * @param members    for a key held and no longer wanted: the members' prefix when it is shared
     * @param recorded   this host's record of its keys names the key: it wrote it and has not deleted it
     */
    public static Decision decide(Entry want, Held held, Other other, long lease, boolean sharedSeen, String members,
                                  boolean recorded) {
        if (want == null) {
            if (held == null) {
                if (recorded && other != null && other.lease == 0) {
                    // this host's key, stripped of its lease (a hand edit, a copy): nothing else would ever remove it
                    return new Decision(Action.DELETE, other.modRevision);
                }
                return sharedSeen ? new Decision(Action.ADOPT, 0) : LEAVE;
            }
            return members != null ? new Decision(Action.RELEASE, held.modRevision)
                    : new Decision(Action.DELETE, held.modRevision);
        }
        if (held != null) {
            // same value under the previous run's lease still moves to this run's
            return held.value.equals(want.value()) && held.lease == lease ? LEAVE
                    : new Decision(Action.PUT, held.modRevision);
        }
        if (other == null) {
            return new Decision(Action.PUT, 0);
        }
        if (other.lease == 0) {
            // written by hand: it would outlive every container, so it goes back under a lease
            return new Decision(Action.PUT, other.modRevision);
        }
        if (want.shared() || other.value.equals(want.value())) {
            // another host holds it with this value, or holds a shared key: it stays while they live
            return LEAVE;
        }
        // two hosts want different values: both settle on the smaller one
        return want.value().compareTo(other.value) < 0 ? new Decision(Action.PUT, other.modRevision) : LEAVE;
    }
}
