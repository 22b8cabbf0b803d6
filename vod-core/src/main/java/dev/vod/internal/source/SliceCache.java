package dev.vod.internal.source;

import dev.vod.ContentSource;
import dev.vod.SliceCacheSettings;
import java.io.IOException;

/**
 * Remote bytes on local disk: objects of a {@link ContentSource} fetched in aligned slices into the cache folder,
 * read from there (by sendfile for responses). Bounded by size with least-recently-used eviction, kept across
 * restarts, one fetch per slice however many requests want it (request collapsing), a slice readable while it
 * is still arriving.
 */
public final class SliceCache implements AutoCloseable {
    // TODO(cache helper): implementation

    /**
     * Opens (creating it if missing) the cache folder and indexes the complete slices already in it.
     *
     * @throws IOException when the folder cannot be created or read
     */
    public SliceCache(SliceCacheSettings settings, ContentSource source) throws IOException {
        throw new UnsupportedOperationException();
    }

    /** Slice size in bytes. */
    public int sliceBytes() {
        throw new UnsupportedOperationException();
    }

    /**
     * Slice {@code index} of {@code object} (bytes from {@code index * sliceBytes()}), with one reference for the
     * caller. Never blocks: a slice not on disk starts arriving on the cache's fetch threads (or joins the fetch
     * already running).
     *
     * @throws IllegalArgumentException when the index is past the object's end
     */
    public Slice acquire(ObjectVersion object, long index) {
        throw new UnsupportedOperationException();
    }

    /** Drops every slice of {@code key} other than those of {@code current} (an object that changed). */
    public void forgetOtherVersions(String key, String current) {
        throw new UnsupportedOperationException();
    }

    public CacheStats stats() {
        throw new UnsupportedOperationException();
    }

    /** Cancels running fetches and stops the fetch threads; complete slices stay on disk for the next start. */
    @Override
    public void close() {
        throw new UnsupportedOperationException();
    }
}
