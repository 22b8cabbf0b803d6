package dev.vod.internal.source;

import java.util.Iterator;
import java.util.LinkedHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The complete slices on disk by file name, least recently used first, bounded by their bytes: going over the
 * bound evicts (and deletes) the least recently used. A lookup is a touch, O(1) (a {@link LinkedHashMap} in
 * access order).
 *
 * <p>Not thread-safe: the {@link SliceCache}'s lock guards it, deletes included, so that the folder always agrees
 * with the index. Evicting a slice that still has holders deletes its file all the same: they keep reading it
 * through their open channel, and the space comes back at their release (see {@link SliceCache}). A slice that
 * leaves is also let go by the {@link SliceChannels}, which may have kept its channel open.
 */
final class SliceLru {
    private static final Logger log = LoggerFactory.getLogger("vod.source");

    private final long maxBytes;
    private final CacheCounters counters;
    /** Told of every slice that leaves, so that a channel kept open for it is let go. */
    private final SliceChannels channels;
    private final LinkedHashMap<String, CachedSlice> slices = new LinkedHashMap<>(1024, 0.75f, true);
    private long usedBytes;

    SliceLru(long maxBytes, CacheCounters counters, SliceChannels channels) {
        this.maxBytes = maxBytes;
        this.counters = counters;
        this.channels = channels;
    }

    /** The complete slice of that name, now the most recently used; or null. */
    CachedSlice touch(String name) {
        return slices.get(name);
    }

    /** Adds a complete slice as the most recently used, evicting beyond the bound. */
    void add(CachedSlice slice) {
        CachedSlice replaced = slices.put(slice.name, slice);
        if (replaced != null) {
            usedBytes -= replaced.length;
            if (replaced != slice) {
                channels.forget(replaced);
            }
        }
        usedBytes += slice.length;
        Iterator<CachedSlice> eldest = slices.values().iterator();
        while (usedBytes > maxBytes && eldest.hasNext()) {
            CachedSlice victim = eldest.next();
            eldest.remove();
            usedBytes -= victim.length;
            counters.evicted();
            log.debug("evicting {}{}", victim.name,
                    victim.holders.get() > 0 ? ", readable by its holders until released" : "");
            channels.forget(victim);
            SliceFiles.deleteQuietly(victim.file);
        }
    }

    /** Takes {@code slice} out and deletes its file, unless another slice of that name has taken its place. */
    void drop(CachedSlice slice) {
        if (slices.remove(slice.name, slice)) {
            usedBytes -= slice.length;
            channels.forget(slice);
            SliceFiles.deleteQuietly(slice.file);
        }
    }

    /** Drops the slices of {@code key} whose version is not {@code keepHash}; returns how many. */
    int dropOtherVersions(String key, String keepHash) {
        int dropped = 0;
        for (Iterator<CachedSlice> it = slices.values().iterator(); it.hasNext(); ) {
            CachedSlice slice = it.next();
            if (key.equals(slice.key) && !keepHash.equals(slice.versionHash)) {
                it.remove();
                usedBytes -= slice.length;
                channels.forget(slice);
                SliceFiles.deleteQuietly(slice.file);
                dropped++;
            }
        }
        return dropped;
    }

    long usedBytes() {
        return usedBytes;
    }

    int size() {
        return slices.size();
    }
}
