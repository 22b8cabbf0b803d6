package dev.vod.internal.source;

/**
 * Counters of the slice cache and of its reads from the source, for metrics and the status JSON. Monotonic
 * counters except {@code usedBytes} and {@code fetching}.
 *
 * @param hits              slice acquisitions answered from disk (complete, or a fetch already running: collapsed)
 * @param misses            slice acquisitions that started a fetch from the source
 * @param collapsed         of the hits, those that joined a fetch still running
 * @param hitBytes          bytes of slices acquired as hits (slice length)
 * @param originBytes       bytes read from the source
 * @param originFetches     fetches from the source completed or failed
 * @param originErrors      fetches from the source that failed (after the retry)
 * @param originNanos       total time of those fetches, first request to last byte
 * @param evictions         slices evicted to stay under the size limit
 * @param usedBytes         bytes of complete slices on disk now
 * @param fetching          fetches running now, or queued for a fetch thread
 */
public record CacheStats(long hits, long misses, long collapsed, long hitBytes, long originBytes, long originFetches,
                         long originErrors, long originNanos, long evictions, long usedBytes, int fetching) {
}
