package dev.vod.internal.source;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read channels of complete slices kept open while nobody holds them, the most recently used
 * {@code maxOpen}: a slice read again (a warm cache) is then served without an {@code open} and a {@code close}
 * per request — the role of {@link dev.vod.internal.http.OpenFileCache} for local files. Only complete slices in
 * the index are kept (their bytes never change), so a kept channel always reads the right bytes.
 *
 * <p>A kept slice's channel is closed when the slice leaves this set (pushed out by more recently used ones, or its
 * slice evicted or dropped from the index) and nobody holds it; when somebody does, the last holder's release
 * closes it (see {@link SliceCache#release}). So a response never loses its channel under it, and a deleted slice
 * file is never kept open past its last reader.
 *
 * <p>Not thread-safe: the {@link SliceCache}'s lock guards it, as it guards every slice's channel.
 */
final class SliceChannels {
    private static final Logger log = LoggerFactory.getLogger("vod.source");

    /** How long a kept slice's file is trusted to be in the folder before it is looked for again. */
    static final long CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int maxOpen;
    /** Kept slices, least recently used first; identity keys (a CachedSlice is one file's state). */
    private final LinkedHashMap<CachedSlice, CachedSlice> kept = new LinkedHashMap<>(64, 0.75f, true);

    SliceChannels(int maxOpen) {
        this.maxOpen = maxOpen;
    }

    /**
     * Keeps the channel of {@code slice}, complete and in the index, open after its last holder leaves; now the
     * most recently used. Pushes out (and closes, when unheld) the least recently used beyond the bound.
     */
    void keep(CachedSlice slice) {
        if (maxOpen == 0) {
            return;
        }
        if (kept.get(slice) != null) {
            return; // touched
        }
        kept.put(slice, slice);
        slice.keptOpen = true;
        slice.checkedAt = System.nanoTime(); // its file was just opened or renamed into place
        if (kept.size() > maxOpen) {
            Iterator<CachedSlice> eldest = kept.keySet().iterator();
            CachedSlice victim = eldest.next();
            eldest.remove();
            letGo(victim);
        }
    }

    /**
     * Whether the file of a kept slice is still in the folder, looked at once a {@link #CHECK_NANOS} at most. An
     * open channel reads a file deleted behind the cache's back as if nothing happened, so without a look the
     * cache would keep serving (right) bytes from a file nobody can see, and its space would not come back.
     * Slices not kept are not looked at: opening their file tells.
     */
    boolean fileStillThere(CachedSlice slice) {
        if (!slice.keptOpen) {
            return true;
        }
        long now = System.nanoTime();
        if (now - slice.checkedAt < CHECK_NANOS) {
            return true;
        }
        slice.checkedAt = now;
        return Files.exists(slice.file);
    }

    /** {@code slice} left the index (evicted, dropped): its channel is no longer kept. */
    void forget(CachedSlice slice) {
        if (slice.keptOpen) {
            kept.remove(slice);
            letGo(slice);
        }
    }

    /** Closes every kept channel nobody holds (the cache is closing); held ones close at their last release. */
    void closeAll() {
        List<CachedSlice> all = new ArrayList<>(kept.keySet());
        kept.clear();
        all.forEach(this::letGo);
    }

    /** Open channels kept, held or not. */
    int size() {
        return kept.size();
    }

    private void letGo(CachedSlice slice) {
        slice.keptOpen = false;
        if (slice.holders.get() == 0) {
            FileChannel channel = slice.channel;
            slice.channel = null;
            closeQuietly(channel);
        }
    }

    static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing a slice channel: {}", e.toString());
        }
    }
}
