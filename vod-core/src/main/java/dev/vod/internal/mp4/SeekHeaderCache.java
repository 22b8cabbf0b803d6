package dev.vod.internal.mp4;

import dev.vod.internal.body.Body;
import dev.vod.internal.body.SourceFile;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Recent seek outputs (generated header and file slices), least recently used first out, bounded by the bytes of
 * their headers.
 *
 * <p>A seek's bytes depend only on the file and on its cuts (per track: first and end sample, edit list), not on
 * the exact time asked for: every start between two key frames snaps to the same output. So the key is the file
 * and the cuts; a player's follow-up Range requests on one {@code ?start=} URL, or many viewers starting at the
 * same chapter, reuse the header instead of rewriting a moov of megabytes. An output is kept from its second
 * request on (the first only leaves its key), so random one-off starts do not churn the cache. Keys hold
 * numbers, not tracks, so an entry does not keep an evicted index alive. Thread-safe; building happens outside
 * the lock (two threads missing at once both build, one copy is kept).
 */
final class SeekHeaderCache {
    /**
     * Default budget: 16 MiB of headers. 64 MiB bought no measurable seek speed on random starts into a 2-hour film
     * and kept about 10 MiB more heap live after the load (see benchmarks/RESULTS.md).
     */
    static final long DEFAULT_BYTES = 16L * 1024 * 1024;

    /** How many once-asked keys are remembered. */
    static final int SEEN_KEYS = 4096;

    private final long maxBytes;
    private final LinkedHashMap<Key, Body> entries = new LinkedHashMap<>(16, 0.75f, true);
    /** Keys asked for once and not cached yet (a bounded LRU of small keys). */
    private final LinkedHashMap<Key, Boolean> seen = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
            return size() > SEEN_KEYS;
        }
    };
    private long bytes;

    /** @param maxBytes 0 disables the cache */
    SeekHeaderCache(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("negative cache budget");
        }
        this.maxBytes = maxBytes;
    }

    /**
     * The cached output of these cuts of {@code file}, or {@code build}'s (cached if small enough).
     *
     * @param tracks the movie's tracks, to name each cut's track by its position (ids may repeat in odd files)
     */
    Body get(SourceFile file, List<Track> tracks, List<TrackCut> cuts, Supplier<Body> build) {
        if (maxBytes == 0) {
            return build.get();
        }
        Key key = Key.of(file, tracks, cuts);
        boolean seenBefore;
        synchronized (this) {
            Body cached = entries.get(key);
            if (cached != null) {
                return cached;
            }
            // Admit an output on its second request only: random one-off starts would otherwise push megabytes
            // per request through the cache, and through the old generation of the garbage collector.
            seenBefore = seen.remove(key) != null;
            if (!seenBefore) {
                seen.put(key, Boolean.TRUE);
            }
        }
        Body built = build.get();
        long weight = weight(built);
        if (!seenBefore || weight > maxBytes / 4) {
            return built; // (a huge header must not flush every other entry either)
        }
        synchronized (this) {
            Body raced = entries.get(key);
            if (raced != null) {
                return raced;
            }
            entries.put(key, built);
            bytes += weight;
            Iterator<Map.Entry<Key, Body>> eldest = entries.entrySet().iterator();
            while (bytes > maxBytes && eldest.hasNext()) {
                bytes -= weight(eldest.next().getValue());
                eldest.remove();
            }
            return built;
        }
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    /** Bytes held plus a little per segment: a lazily generated table (Segment.Generated) holds none. */
    private static long weight(Body body) {
        long weight = 0;
        for (var segment : body.segments()) {
            weight += 64 + (segment instanceof dev.vod.internal.body.Segment.Bytes b ? b.data().length : 0);
        }
        return weight;
    }

    /** The file and, per cut, its track's position and the five numbers that decide the output. */
    private record Key(SourceFile file, long[] cuts) {
        static Key of(SourceFile file, List<Track> tracks, List<TrackCut> cuts) {
            long[] values = new long[cuts.size() * 6];
            int i = 0;
            for (TrackCut c : cuts) {
                values[i++] = position(tracks, c.track());
                values[i++] = c.firstSample();
                values[i++] = c.endSample();
                values[i++] = c.emptyDelay();
                values[i++] = c.mediaStart();
                values[i++] = c.editDuration();
            }
            return new Key(file, values);
        }

        private static int position(List<Track> tracks, Track track) {
            for (int i = 0; i < tracks.size(); i++) {
                if (tracks.get(i) == track) {
                    return i;
                }
            }
            throw new IllegalStateException("cut of a track not in the movie");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && file.equals(k.file) && Arrays.equals(cuts, k.cuts);
        }

        @Override
        public int hashCode() {
            return file.hashCode() * 31 + Arrays.hashCode(cuts);
        }
    }
}
