package dev.vod.internal.metrics;

import dev.vod.internal.source.CacheStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The slice cache and its reads from the content store, as meters and as the status JSON's {@code "sliceCache"}:
 * hits and misses (slices), bytes from the store, store fetches, their errors and total time, bytes on disk.
 */
final class SourceMeters {
    private SourceMeters() {
    }

    static void register(MeterRegistry registry, Supplier<CacheStats> stats) {
        counter(registry, stats, "vod.cache.hits", "slice requests answered from the cache (or a fetch running)",
                CacheStats::hits);
        counter(registry, stats, "vod.cache.misses", "slice requests that started a fetch from the store",
                CacheStats::misses);
        counter(registry, stats, "vod.cache.collapsed", "slice requests that joined a fetch already running",
                CacheStats::collapsed);
        counter(registry, stats, "vod.cache.hit.bytes", "bytes of slices answered from the cache",
                CacheStats::hitBytes);
        counter(registry, stats, "vod.cache.evictions", "slices evicted to stay within the size limit",
                CacheStats::evictions);
        counter(registry, stats, "vod.origin.bytes", "bytes read from the content store", CacheStats::originBytes);
        counter(registry, stats, "vod.origin.fetches", "slice fetches from the content store",
                CacheStats::originFetches);
        counter(registry, stats, "vod.origin.errors", "slice fetches from the content store that failed",
                CacheStats::originErrors);
        counter(registry, stats, "vod.origin.seconds", "total time of slice fetches, first request to last byte",
                s -> s.originNanos() / 1e9);
        Gauge.builder("vod.cache.used.bytes", stats, s -> s.get().usedBytes())
                .description("bytes of complete slices on disk").register(registry);
        Gauge.builder("vod.origin.fetching", stats, s -> s.get().fetching())
                .description("slice fetches running now").register(registry);
    }

    private static void counter(MeterRegistry registry, Supplier<CacheStats> stats, String name, String description,
                                ToDoubleFunction<CacheStats> value) {
        FunctionCounter.builder(name, stats, s -> value.applyAsDouble(s.get())).description(description)
                .register(registry);
    }

    static String json(CacheStats s) {
        long asked = s.hits() + s.misses();
        double fetchMillis = s.originFetches() == 0 ? 0 : s.originNanos() / 1e6 / s.originFetches();
        return String.format(Locale.ROOT,
                "{\"hits\":%d,\"misses\":%d,\"hitRatio\":%.3f,\"usedBytes\":%d,\"originBytes\":%d,"
                        + "\"originFetches\":%d,\"originErrors\":%d,\"originMeanMillis\":%.1f,\"fetching\":%d}",
                s.hits(), s.misses(), asked == 0 ? 0 : (double) s.hits() / asked, s.usedBytes(), s.originBytes(),
                s.originFetches(), s.originErrors(), fetchMillis, s.fetching());
    }
}
