package dev.vod.internal.metrics;

import dev.vod.internal.throttle.NanoClock;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Bytes sent per second over the last ten seconds, for the status page: ten one-second buckets in a ring,
 * lock-free. A bucket is reset when its second comes round again; a write racing that reset may be lost, which an
 * approximate status figure tolerates.
 */
final class RecentRate {
    private static final int SECONDS = 10;

    private final AtomicLongArray second = new AtomicLongArray(SECONDS);
    private final AtomicLongArray bytes = new AtomicLongArray(SECONDS);
    private final NanoClock clock;

    RecentRate(NanoClock clock) {
        this.clock = clock;
        for (int i = 0; i < SECONDS; i++) {
            second.set(i, -1);
        }
    }

    void add(long count) {
        long now = clock.nanoTime() / 1_000_000_000L;
        int slot = (int) Math.floorMod(now, SECONDS);
        long seen = second.get(slot);
        if (seen != now && second.compareAndSet(slot, seen, now)) {
            bytes.set(slot, 0);
        }
        bytes.addAndGet(slot, count);
    }

    /** Average bytes per second over the last ten whole-or-current seconds. */
    long bytesPerSecond() {
        long now = clock.nanoTime() / 1_000_000_000L;
        long total = 0;
        for (int i = 0; i < SECONDS; i++) {
            long s = second.get(i);
            if (s > now - SECONDS && s <= now) {
                total += bytes.get(i);
            }
        }
        return total / SECONDS;
    }
}
