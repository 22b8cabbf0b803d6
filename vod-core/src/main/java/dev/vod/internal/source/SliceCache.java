package dev.vod.internal.source;

import dev.vod.ContentSource;
import dev.vod.SliceCacheSettings;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote bytes on local disk: objects of a {@link ContentSource} fetched in aligned slices into the cache folder,
 * read from there (by sendfile for responses). Bounded by size with least-recently-used eviction, kept across
 * restarts, one fetch per slice however many requests want it (request collapsing), a slice readable while it
 * is still arriving.
 *
 * <p>How one acquire goes: a complete slice in the index is a hit; a slice whose fetch is running is a hit too
 * (collapsed: the caller joins that fetch and shares its file); anything else is a miss, which creates the part
 * file and queues a {@link SliceFetch} on the cache's own threads ({@value #FETCH_THREADS} at most, named
 * {@code vod-fetch-N}; more wait in the queue). Files are named by {@link SliceFiles}; complete slices are kept
 * in a {@link SliceLru}.
 *
 * <p>Concurrency: one lock guards the index (complete slices in access order, fetches by slice) and every
 * slice's channel, and every create, rename and delete of a slice file happens under it too, so the folder always
 * agrees with the index: a part file path belongs to at most one fetch, and a final name is only ever given to a
 * complete slice. Those are short local metadata calls; no network call and no data read or write is ever made
 * under the lock, so acquire never blocks on the store and is fine on an event loop. Holder counts are atomic:
 * an acquire (0 to 1) and the last release take the lock, a {@link #share} and the other releases do not. Bytes
 * arriving are announced per slice ({@link CachedSlice}) without this lock.
 *
 * <p>Channels: the holders of a slice share one read channel. Complete slices keep theirs open after the last
 * holder leaves, the most recently used {@value #OPEN_CHANNELS} of them ({@link SliceChannels}), so a warm slice
 * costs no open and close per request.
 *
 * <p>Eviction deletes the least recently used complete slices beyond {@code maxBytes}, held or not: a holder
 * keeps reading the deleted file through its open channel (Linux frees the space at the last close), and the
 * next acquire fetches the slice again. Pinning held slices instead would let the index keep files nobody can
 * evict and complicate the order for little gain: a held slice was acquired recently, so it is rarely the least
 * recently used, and when it is (a client reading one slice for minutes) its space is back once it is released.
 */
public final class SliceCache implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("vod.source");
    /** Fetches running at once, each with one store connection and a {@value SliceFetch#BUFFER_BYTES}-byte buffer. */
    static final int FETCH_THREADS = 32;
    /** Channels of complete slices kept open with no holder (see {@link SliceChannels}). */
    static final int OPEN_CHANNELS = 1024;

    private final int sliceBytes;
    private final ContentSource source;
    private final SliceFiles files;
    private final CacheCounters counters = new CacheCounters();
    private final ThreadPoolExecutor fetchThreads;

    private final Object lock = new Object();
    // Guarded by lock.
    private final SliceChannels channels;
    private final SliceLru complete;
    private final HashMap<String, CachedSlice> arriving = new HashMap<>();
    private boolean closed;

    /**
     * Opens (creating it if missing) the cache folder and indexes the complete slices already in it.
     *
     * @throws IOException when the folder cannot be created or read
     */
    public SliceCache(SliceCacheSettings settings, ContentSource source) throws IOException {
        this(settings, source, OPEN_CHANNELS);
    }

    /** As {@link #SliceCache(SliceCacheSettings, ContentSource)}, keeping at most {@code openChannels} open. */
    SliceCache(SliceCacheSettings settings, ContentSource source, int openChannels) throws IOException {
        this.sliceBytes = settings.sliceBytes();
        this.channels = new SliceChannels(openChannels);
        this.complete = new SliceLru(settings.maxBytes(), counters, channels);
        this.source = Objects.requireNonNull(source, "source");
        Files.createDirectories(settings.dir());
        this.files = new SliceFiles(settings.dir(), sliceBytes);
        List<SliceFiles.Found> found = files.scan();
        synchronized (lock) {
            // Oldest first, so the least recently written are the first evicted (at once, if the limit is now
            // smaller): the last run's access order is not kept, since that would cost a write per hit.
            for (SliceFiles.Found slice : found) {
                complete.add(CachedSlice.complete(slice.name(), slice.versionHash(), null,
                        slice.index() * sliceBytes, slice.length(), files.file(slice.name())));
            }
            log.debug("slice cache {}: {} slices of {} bytes, {} bytes in all", settings.dir(), complete.size(),
                    sliceBytes, complete.usedBytes());
        }
        AtomicInteger threads = new AtomicInteger();
        fetchThreads = new ThreadPoolExecutor(FETCH_THREADS, FETCH_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), work -> {
                    Thread thread = new Thread(work, "vod-fetch-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        // Idle threads go: a cache that fetched a burst an hour ago should not keep 32 threads.
        fetchThreads.allowCoreThreadTimeOut(true);
    }

    /** Slice size in bytes. */
    public int sliceBytes() {
        return sliceBytes;
    }

    /**
     * Slice {@code index} of {@code object} (bytes from {@code index * sliceBytes()}), with one reference for the
     * caller. Never blocks: a slice not on disk starts arriving on the cache's fetch threads (or joins the fetch
     * already running). A slice whose file cannot be created comes back already failed.
     *
     * @throws IllegalArgumentException when the index is past the object's end
     */
    public Slice acquire(ObjectVersion object, long index) {
        int length = lengthOf(object, index);
        long offset = index * sliceBytes;
        String versionHash = object.versionHash();
        String name = files.name(versionHash, index);
        Slice slice;
        SliceFetch started = null;
        synchronized (lock) {
            slice = fromDisk(name, object.key(), length);
            if (slice == null) {
                slice = joinFetch(name, length);
            }
            if (slice == null) {
                counters.miss();
                CachedSlice cached = CachedSlice.arriving(name, versionHash, object.key(), offset, length,
                        files.file(name), files.part(name));
                slice = startFetch(cached, object);
                started = cached.fetch;
            }
        }
        if (started != null) {
            try {
                fetchThreads.execute(started);
            } catch (RejectedExecutionException e) { // closed since the lock was let go
                started.cancel();
                fetchFailed(slice.cached(), new IOException("the slice cache is closed"));
            }
        }
        return slice;
    }

    /**
     * As {@link #acquire}, but only when the slice is complete on disk (a hit); else null, with nothing started
     * (no fetch, no miss counted): for a caller that cannot wait for bytes and will ask again where it may.
     *
     * @throws IllegalArgumentException when the index is past the object's end
     */
    public Slice acquireIfComplete(ObjectVersion object, long index) {
        int length = lengthOf(object, index);
        String name = files.name(object.versionHash(), index);
        synchronized (lock) {
            return fromDisk(name, object.key(), length);
        }
    }

    /** Bytes slice {@code index} of {@code object} has. */
    private int lengthOf(ObjectVersion object, long index) {
        long slices = object.size() / sliceBytes + (object.size() % sliceBytes == 0 ? 0 : 1);
        if (index < 0 || index >= slices) {
            throw new IllegalArgumentException("slice " + index + " of " + object.key() + " (" + object.size()
                    + " bytes, " + slices + " slices)");
        }
        return (int) Math.min(sliceBytes, object.size() - index * sliceBytes);
    }

    /**
     * One more reference to a slice the caller holds, neither a hit nor a miss: for the pieces of one response,
     * which counts as one request for the slice however many pieces it is sent in.
     *
     * @throws IllegalStateException when {@code held} was already released
     */
    public Slice share(Slice held) {
        // No lock: the caller's reference keeps the count above 0, so the channel stays as it is (see release).
        CachedSlice cached = held.cached();
        int holders;
        do {
            holders = cached.holders.get();
            if (held.isReleased() || holders <= 0) {
                throw new IllegalStateException("sharing a released slice: " + held);
            }
        } while (!cached.holders.compareAndSet(holders, holders + 1));
        return new Slice(this, cached, held.sharedChannel());
    }

    /**
     * Drops every slice of {@code key} other than those of {@code current} (an object that changed). Slices
     * found on disk at startup belong to a key only once acquired again (the file name holds a hash, not the
     * key), so an old version nobody asked for since the restart just ages out. Costs a walk over the index,
     * which is fine for an event as rare as an object changing.
     */
    public void forgetOtherVersions(String key, String current) {
        String keep = SliceFiles.versionHash(key, current);
        int dropped = 0;
        synchronized (lock) {
            dropped += complete.dropOtherVersions(key, keep);
            // A fetch of an old version goes on for the holders reading it, but its slice is no longer kept.
            for (Iterator<CachedSlice> it = arriving.values().iterator(); it.hasNext(); ) {
                CachedSlice slice = it.next();
                if (key.equals(slice.key) && !keep.equals(slice.versionHash)) {
                    it.remove();
                    SliceFiles.deleteQuietly(slice.part);
                    dropped++;
                }
            }
        }
        if (dropped > 0) {
            log.debug("{} changed to {}: {} slices of other versions dropped", key, current, dropped);
        }
    }

    public CacheStats stats() {
        long used;
        int fetching;
        synchronized (lock) {
            used = complete.usedBytes();
            fetching = arriving.size();
        }
        return counters.snapshot(used, fetching);
    }

    /**
     * Cancels running fetches (their holders see the slices fail) and stops the fetch threads; complete slices
     * stay on disk for the next start. The source is the caller's to close.
     */
    @Override
    public void close() {
        List<CachedSlice> running;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            channels.closeAll();
            running = new ArrayList<>(arriving.values());
            arriving.clear();
            running.forEach(slice -> SliceFiles.deleteQuietly(slice.part));
        }
        fetchThreads.shutdownNow();
        IOException closing = new IOException("the slice cache was closed");
        for (CachedSlice slice : running) {
            slice.fetch.cancel();
            slice.fail(closing);
        }
        try {
            if (!fetchThreads.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("fetch threads still busy 5 s after the slice cache closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A hit on a complete slice, or null. Guarded by lock. */
    private Slice fromDisk(String name, String key, int length) {
        CachedSlice cached = complete.touch(name);
        if (cached == null) {
            return null;
        }
        // The index knows no object sizes, so a short file found at startup is only judged here; a file of the
        // wrong length for this version (never written by us) is dropped and fetched again.
        if (cached.length != length) {
            log.debug("{}: {} bytes on disk where the object has {}: fetching it again", name, cached.length, length);
            complete.drop(cached);
            return null;
        }
        if (!channels.fileStillThere(cached)) {
            log.debug("{} was deleted behind the cache's back: fetching it again", name);
            complete.drop(cached);
            return null;
        }
        if (!hold(cached, cached.file)) {
            complete.drop(cached);
            return null;
        }
        channels.keep(cached);
        cached.key = key;
        counters.hit(length, false);
        return new Slice(this, cached, cached.channel);
    }

    /** A hit on a slice whose fetch is running (collapsed), or null. Guarded by lock. */
    private Slice joinFetch(String name, int length) {
        CachedSlice cached = arriving.get(name);
        if (cached == null) {
            return null;
        }
        if (cached.length != length) {
            // Another size for the same ETag: not the store's doing. The fetch goes on for its holders; this one
            // starts its own.
            abandon(cached);
            return null;
        }
        // The part file is still there: it is renamed under this lock.
        if (!hold(cached, cached.part)) {
            return null;
        }
        counters.hit(length, true);
        return new Slice(this, cached, cached.channel);
    }

    /** Creates the part file and the fetch for a miss. Guarded by lock. */
    private Slice startFetch(CachedSlice cached, ObjectVersion object) {
        cached.holders.set(1);
        if (closed) {
            cached.fail(new IOException("the slice cache is closed"));
            return new Slice(this, cached, null);
        }
        FileChannel part = null;
        try {
            part = SliceFiles.createPart(cached.part);
            cached.channel = FileChannel.open(cached.part, StandardOpenOption.READ);
        } catch (IOException e) {
            SliceChannels.closeQuietly(part);
            SliceFiles.deleteQuietly(cached.part);
            log.warn("cannot create slice file {}: {}", cached.part, e.toString());
            cached.fail(e);
            return new Slice(this, cached, null);
        }
        cached.fetch = new SliceFetch(this, cached, source, object, part, counters);
        arriving.put(cached.name, cached);
        return new Slice(this, cached, cached.channel);
    }

    /**
     * One more holder. The shared channel is opened when there is none: the first holder's, unless it was kept
     * open, or still open because its last holder's release has not yet taken the lock. Also when it was closed
     * under its holders (an interrupted read closes a channel): a kept channel must not stay broken. False when the
     * file is gone. Guarded by lock.
     */
    private boolean hold(CachedSlice cached, Path path) {
        FileChannel channel = cached.channel;
        if (channel == null || !channel.isOpen()) {
            try {
                cached.channel = FileChannel.open(path, StandardOpenOption.READ);
            } catch (IOException e) {
                log.warn("cannot open slice file {}: {}", path, e.toString());
                return false;
            }
        }
        cached.holders.incrementAndGet();
        return true;
    }

    /** From a fetch thread: every byte is in the part file. */
    void fetched(CachedSlice cached) {
        synchronized (lock) {
            if (arriving.get(cached.name) != cached) {
                return; // cancelled or forgotten: whoever took it out of the index deleted the part file
            }
            arriving.remove(cached.name);
            cached.fetch = null;
            try {
                // Holders' channels stay on the same file: a rename does not touch open descriptors.
                Files.move(cached.part, cached.file, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                // The holders have every byte; only the next acquire pays, with a new fetch.
                log.warn("cannot rename {}: {}", cached.part, e.toString());
                SliceFiles.deleteQuietly(cached.part);
                return;
            }
            // Kept before it is added: should adding it evict it at once (a slice larger than the cache), the
            // index lets its channel go again.
            channels.keep(cached);
            complete.add(cached);
        }
    }

    /** From a fetch thread (or acquire when the threads are gone): the fetch ended without all bytes. */
    void fetchFailed(CachedSlice cached, IOException why) {
        synchronized (lock) {
            abandon(cached);
        }
        cached.fail(why); // outside the lock: it runs the waiters' callbacks
    }

    /**
     * From {@link Slice#release()}. Only the last holder takes the lock: it closes the channel unless
     * {@link SliceChannels} keeps it, and cancels the fetch of a slice still arriving. Under the lock the count is
     * looked at again, since an acquire may have taken the slice (and its still open channel) in between.
     */
    void release(CachedSlice cached) {
        if (cached.holders.decrementAndGet() > 0) {
            return;
        }
        FileChannel channel = null;
        SliceFetch cancelled = null;
        synchronized (lock) {
            if (cached.holders.get() > 0) {
                return;
            }
            if (!cached.keptOpen) {
                channel = cached.channel;
                cached.channel = null;
            }
            if (cached.fetch != null && !cached.finished()) {
                cancelled = cached.fetch;
                abandon(cached);
            }
        }
        SliceChannels.closeQuietly(channel);
        if (cancelled != null) {
            log.debug("{}: every holder left, cancelling its fetch", cached);
            cancelled.cancel();
            cached.fail(new IOException("cancelled: every holder left"));
        }
    }

    /** Takes a fetch out of the index and deletes its part file, if it is still the index's. Guarded by lock. */
    private void abandon(CachedSlice cached) {
        if (arriving.get(cached.name) == cached) {
            arriving.remove(cached.name);
            SliceFiles.deleteQuietly(cached.part);
        }
    }

}
