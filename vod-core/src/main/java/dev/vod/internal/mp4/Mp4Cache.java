package dev.vod.internal.mp4;

import dev.vod.internal.body.SourceFile;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A bounded least-recently-used cache of parsed MP4 indexes, keyed by {@link SourceFile} (path, size and
 * modification time), so a modified file is parsed afresh and repeated seeks into one file parse its moov once.
 *
 * <p>Bounded by entry count and by an approximate byte budget. Thread-safe: the map is guarded by this
 * object's lock, held only for lookups and inserts, never while parsing. Two threads missing on the same file
 * at once may both parse it; the result is the same and one copy is kept.
 */
final class Mp4Cache {
    private final int maxEntries;
    private final long maxBytes;
    private final LinkedHashMap<SourceFile, Mp4Index> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /** @param maxEntries 0 disables caching */
    Mp4Cache(int maxEntries, long maxBytes) {
        if (maxEntries < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("negative cache bounds");
        }
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** The cached index of {@code file}, or the loader's result (cached if it fits). */
    Mp4Index get(SourceFile file, Function<SourceFile, Mp4Index> loader) {
        if (maxEntries == 0) {
            return loader.apply(file);
        }
        synchronized (this) {
            Mp4Index cached = entries.get(file);
            if (cached != null) {
                return cached;
            }
        }
        Mp4Index loaded = loader.apply(file);
        if (loaded.weight() > maxBytes) {
            return loaded;
        }
        synchronized (this) {
            Mp4Index raced = entries.get(file);
            if (raced != null) {
                return raced;
            }
            entries.put(file, loaded);
            bytes += loaded.weight();
            Iterator<Map.Entry<SourceFile, Mp4Index>> eldest = entries.entrySet().iterator();
            while ((entries.size() > maxEntries || bytes > maxBytes) && eldest.hasNext()) {
                Map.Entry<SourceFile, Mp4Index> e = eldest.next();
                bytes -= e.getValue().weight();
                eldest.remove();
            }
            return loaded;
        }
    }

    /** The cached index of {@code file} (now the most recently used), or null; never parses. */
    synchronized Mp4Index peek(SourceFile file) {
        return entries.get(file);
    }

    synchronized int size() {
        return entries.size();
    }
}
