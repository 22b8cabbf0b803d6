package dev.vod.internal.source;

import java.util.concurrent.atomic.LongAdder;

/**
 * The slice cache's monotonic counters. LongAdders because they are bumped on every acquire from every event loop
 * and on every read from every fetch thread, and read only when metrics are scraped.
 */
final class CacheCounters {
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder collapsed = new LongAdder();
    private final LongAdder hitBytes = new LongAdder();
    private final LongAdder originBytes = new LongAdder();
    private final LongAdder originFetches = new LongAdder();
    private final LongAdder originErrors = new LongAdder();
    private final LongAdder originNanos = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    void hit(int sliceLength, boolean joinedAFetch) {
        hits.increment();
        hitBytes.add(sliceLength);
        if (joinedAFetch) {
            collapsed.increment();
        }
    }

    void miss() {
        misses.increment();
    }

    void originBytes(int bytes) {
        originBytes.add(bytes);
    }

    /** One fetch ended, after its retry if it had one; cancelled fetches are not counted. */
    void fetched(long nanos, boolean failed) {
        originFetches.increment();
        originNanos.add(nanos);
        if (failed) {
            originErrors.increment();
        }
    }

    void evicted() {
        evictions.increment();
    }

    CacheStats snapshot(long usedBytes, int fetching) {
        return new CacheStats(hits.sum(), misses.sum(), collapsed.sum(), hitBytes.sum(), originBytes.sum(),
                originFetches.sum(), originErrors.sum(), originNanos.sum(), evictions.sum(), usedBytes, fetching);
    }
}
