package dev.vod.internal.source;

import dev.vod.ContentSource;
import dev.vod.internal.NonBlocking;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * What the store holds, as recently learnt: each key's object (size, ETag, modification time), folder or absence,
 * and folder listings, each trusted for the revalidation interval and then asked again. This is what bounds the
 * requests a busy node makes to the store to about one stat per key per interval, and what makes a changed object
 * noticed within it.
 *
 * <p>Concurrent lookups of one key share one request to the store. A lookup that fails is not remembered. During a
 * {@link NonBlocking} attempt only what is known and fresh is answered; anything else gives the attempt up.
 */
final class ObjectCatalog {
    /** Entries kept at most; past it the table is cleared (it refills at one stat per key in use). */
    private static final int MAX_ENTRIES = 200_000;

    private final ContentSource source;
    private final long revalidateNanos;
    private final SliceCache cache;
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final Map<String, Listed> listings = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<ObjectAttributes>> lookups = new ConcurrentHashMap<>();

    private record Known(ObjectAttributes attributes, long atNanos) {
        // attributes == null: nothing at that key
    }

    private record Listed(ContentSource.Listing listing, long atNanos) {
    }

    ObjectCatalog(ContentSource source, long revalidateNanos, SliceCache cache) {
        this.source = source;
        this.revalidateNanos = revalidateNanos;
        this.cache = cache;
    }

    /**
     * The object or folder at {@code key} ({@code ""} is the root, always a folder).
     *
     * @throws NoSuchFileException when there is neither
     * @throws ContentSource.SourceException when the store cannot answer
     */
    ObjectAttributes attributes(String key) throws IOException {
        if (key.isEmpty()) {
            return ObjectAttributes.FOLDER;
        }
        Known k = known.get(key);
        if (k == null || System.nanoTime() - k.atNanos >= revalidateNanos) {
            if (NonBlocking.active()) {
                throw NonBlocking.wouldBlock(); // asking the store (or joining another's question) waits
            }
            k = lookUp(key);
        }
        if (k.attributes == null) {
            throw new NoSuchFileException(key);
        }
        return k.attributes;
    }

    /**
     * As {@link #attributes}, with a store that cannot answer as an {@link OriginFailure}: what the file system
     * hands the content resolver, which would answer any other {@link IOException} with 404 and so hide an outage
     * as a missing file.
     *
     * @throws NoSuchFileException when there is neither object nor folder at {@code key}
     */
    ObjectAttributes lookup(String key) throws NoSuchFileException {
        try {
            return attributes(key);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw OriginFailure.of(e, key);
        }
    }

    private Known lookUp(String key) throws IOException {
        CompletableFuture<ObjectAttributes> mine = new CompletableFuture<>();
        CompletableFuture<ObjectAttributes> running = lookups.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return new Known(running.get(), System.nanoTime());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new UncheckedIOException(new IOException(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while asking the store for " + key);
            }
        }
        try {
            ObjectAttributes found = ask(key);
            Known k = new Known(found, System.nanoTime());
            remember(key, k);
            mine.complete(found);
            return k;
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            lookups.remove(key, mine);
        }
    }

    private ObjectAttributes ask(String key) throws IOException {
        Optional<ContentSource.ObjectInfo> info = source.stat(key);
        if (info.isPresent()) {
            return attributesOf(info.get());
        }
        ContentSource.Listing inside = source.list(key + "/", 1);
        return inside.objects().isEmpty() && inside.folders().isEmpty() ? null : ObjectAttributes.FOLDER;
    }

    private static ObjectAttributes attributesOf(ContentSource.ObjectInfo info) {
        return new ObjectAttributes(new ObjectVersion(info.key(), info.etag(), info.size()), info.lastModified());
    }

    private void remember(String key, Known k) {
        if (known.size() >= MAX_ENTRIES) {
            known.clear();
        }
        Known before = known.put(key, k);
        if (before != null && before.attributes != null && before.attributes.version() != null
                && (k.attributes == null || !before.attributes.equals(k.attributes))) {
            // The object changed or went away: its old slices will never be read again.
            cache.forgetOtherVersions(key, k.attributes == null || k.attributes.version() == null ? ""
                    : k.attributes.version().etag());
        }
    }

    /**
     * The listing of folder {@code key} ({@code ""} for the root), at most {@code limit} entries; its objects are
     * remembered as if each had been looked up.
     *
     * @throws NoSuchFileException when the folder is empty or does not exist (other than the root)
     */
    ContentSource.Listing list(String key, int limit) throws IOException {
        Listed l = listings.get(key);
        long now = System.nanoTime();
        if (l == null || now - l.atNanos >= revalidateNanos) {
            if (NonBlocking.active()) {
                throw NonBlocking.wouldBlock();
            }
            ContentSource.Listing listing = source.list(key.isEmpty() ? "" : key + "/", limit);
            l = new Listed(listing, now);
            if (listings.size() >= MAX_ENTRIES / 10) {
                listings.clear();
            }
            listings.put(key, l);
            for (ContentSource.ObjectInfo info : listing.objects()) {
                remember(info.key(), new Known(attributesOf(info), now));
            }
            for (String folder : listing.folders()) {
                // An index page stats every child: its folders are known from the listing too.
                known.putIfAbsent(key.isEmpty() ? folder : key + "/" + folder,
                        new Known(ObjectAttributes.FOLDER, now));
            }
        }
        if (!key.isEmpty() && l.listing.objects().isEmpty() && l.listing.folders().isEmpty()) {
            throw new NoSuchFileException(key);
        }
        return l.listing;
    }

    /** Forgets what is known of {@code key}: the next lookup asks the store (after a version mismatch). */
    void invalidate(String key) {
        known.remove(key);
    }

    ContentSource source() {
        return source;
    }
}
