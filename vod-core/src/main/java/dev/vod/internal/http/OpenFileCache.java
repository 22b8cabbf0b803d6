package dev.vod.internal.http;

import dev.vod.internal.body.SourceFile;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps recently used files open for about a second, so a popular file is not opened and closed (with the JDK's
 * per-channel bookkeeping) for every request — the role of nginx's {@code open_file_cache}.
 *
 * <p>Correctness rests on the key: a {@link SourceFile} is the path with the size and modification time the
 * resolver has just read with {@code stat}, so a file that changes gets a new key and is opened afresh; the old
 * descriptor keeps serving the responses already using it, which carry the old ETag — bytes and validators always
 * agree. The cache holds one reference of each {@link SharedFile}; every response takes its own. An entry is
 * dropped after {@link #KEEP_NANOS} without use, by a sweep that runs on an event loop only while entries exist,
 * so an idle server holds no descriptors beyond that.
 *
 * <p>Each event loop has its own shard, so a hot file is open once per loop. Why not one shared descriptor: its
 * reference count and last-use time were then written by every core for every request, and that cache line
 * bouncing between cores cost about 5% of the server's CPU on small files (JFR, 4 KiB load on 2 cores).
 */
final class OpenFileCache {
    static final long KEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);
    /** Most files one event loop keeps open; past it, files are served uncached rather than evicting hot ones. */
    private static final int MAX_ENTRIES = 1024;

    private final FastThreadLocal<Shard> shards = new FastThreadLocal<>() {
        @Override
        protected Shard initialValue() {
            Shard shard = new Shard();
            all.add(shard);
            return shard;
        }
    };
    private final Set<Shard> all = ConcurrentHashMap.newKeySet();

    /**
     * An open file for {@code file}, with one reference owned by the caller (release it when done). Call it on
     * {@code sweeper}'s thread: the shard used is that thread's.
     *
     * @param sweeper where to schedule the eviction sweep if none is pending
     */
    SharedFile acquire(SourceFile file, EventExecutor sweeper) throws IOException {
        return shards.get().acquire(file, sweeper);
    }

    /** Closes every cached file (server shutdown); responses still writing keep theirs until they finish. */
    void clear() {
        for (Shard shard : all) {
            shard.clear();
        }
    }

    private static final class Entry {
        final SharedFile file;
        volatile long lastUsed;

        Entry(SharedFile file, long now) {
            this.file = file;
            this.lastUsed = now;
        }
    }

    /**
     * The files of one event loop. Used by that loop, and by {@link #clear()} from any thread at shutdown, hence
     * the concurrent map; only its own loop writes to it otherwise, so nothing in it is contended.
     */
    private static final class Shard {
        private final ConcurrentHashMap<SourceFile, Entry> entries = new ConcurrentHashMap<>();
        private final AtomicBoolean sweepScheduled = new AtomicBoolean();

        SharedFile acquire(SourceFile file, EventExecutor sweeper) throws IOException {
            long now = System.nanoTime();
            Entry entry = entries.get(file);
            if (entry != null && tryRetain(entry.file)) {
                entry.lastUsed = now;
                return entry.file;
            }
            SharedFile opened = SharedFile.open(file);
            if (entries.size() >= MAX_ENTRIES) {
                return opened; // full: serve uncached rather than evict something hot
            }
            opened.retain(); // the cache's own reference
            Entry fresh = new Entry(opened, now);
            Entry previous = entries.put(file, fresh);
            if (previous != null) {
                previous.file.release();
            }
            if (sweepScheduled.compareAndSet(false, true)) {
                sweeper.schedule(() -> sweep(sweeper), KEEP_NANOS, TimeUnit.NANOSECONDS);
            }
            return opened;
        }

        private static boolean tryRetain(SharedFile file) {
            try {
                file.retain();
                return true;
            } catch (io.netty.util.IllegalReferenceCountException e) {
                return false; // released by clear() between our lookup and retain
            }
        }

        private void sweep(EventExecutor sweeper) {
            long now = System.nanoTime();
            entries.forEach((key, entry) -> {
                if (now - entry.lastUsed >= KEEP_NANOS && entries.remove(key, entry)) {
                    entry.file.release();
                }
            });
            sweepScheduled.set(false);
            if (!entries.isEmpty() && sweepScheduled.compareAndSet(false, true) && !sweeper.isShuttingDown()) {
                sweeper.schedule(() -> sweep(sweeper), KEEP_NANOS / 2, TimeUnit.NANOSECONDS);
            }
        }

        void clear() {
            entries.forEach((key, entry) -> {
                if (entries.remove(key, entry)) {
                    entry.file.release();
                }
            });
        }
    }
}
