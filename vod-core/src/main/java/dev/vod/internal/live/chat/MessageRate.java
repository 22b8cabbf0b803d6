package dev.vod.internal.live.chat;

import java.time.Clock;
import java.time.Duration;

/**
 * At most {@code limit} messages in any window of {@code window}: a sliding window over the times of the last
 * {@code limit} accepted messages (a fixed one-second bucket would let 2 × limit through across a bucket edge).
 * Refused messages do not use up the allowance. One per connection; not thread-safe, since a connection's messages
 * all arrive on its event loop.
 */
final class MessageRate {
    private final Clock clock;
    private final long windowMillis;
    /** Times (epoch millis) of the last accepted messages, a ring of {@code limit} slots. */
    private final long[] accepted;
    private int next;
    private int count;

    MessageRate(Clock clock, int limit, Duration window) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        this.clock = clock;
        this.windowMillis = window.toMillis();
        this.accepted = new long[limit];
    }

    /** Whether one more message may go now; if so, it is counted. */
    boolean tryAcquire() {
        long now = clock.millis();
        if (count == accepted.length) {
            long oldest = accepted[next]; // the slot about to be reused holds the oldest time
            if (now - oldest < windowMillis) {
                return false;
            }
        } else {
            count++;
        }
        accepted[next] = now;
        next = (next + 1) % accepted.length;
        return true;
    }
}
