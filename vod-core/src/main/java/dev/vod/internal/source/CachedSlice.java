package dev.vod.internal.source;

import dev.vod.ContentSource.SourceException;
import dev.vod.internal.NonBlocking;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One slice file of the cache as all its holders share it: how many bytes have arrived, whether its fetch
 * failed, who waits for more, its holders, and (guarded by the {@link SliceCache}'s lock) their one channel.
 * Each {@link Slice} handed out is one holder's reference to it.
 *
 * <p>{@code available} only grows and is written by the fetch thread alone; it is volatile so that event loops
 * read it without a lock. Waiters are kept under this object's monitor, which is held only to add or take
 * waiters, never while a callback runs.
 */
final class CachedSlice {
    private static final Logger log = LoggerFactory.getLogger("vod.source");
    /** Longer than any source timeout: only a fetch thread stuck beyond them makes a waiter give up. */
    static final long AWAIT_TIMEOUT_SECONDS = 120;

    final String name;
    final String versionHash;
    final long offset;
    final int length;
    final Path file;
    final Path part;

    private volatile int available;
    private volatile IOException failure;
    private final List<Waiter> waiters = new ArrayList<>(2);

    /**
     * References handed out and not yet released. Goes from 0 to 1 only under the cache's lock (an acquire); a
     * share adds to a positive count and a release takes away without it, and only the release that brings it to 0
     * takes the lock (see {@link SliceCache#release}).
     */
    final AtomicInteger holders = new AtomicInteger();

    // Guarded by the cache's lock, which also orders every create, rename and delete of the slice's files.
    /** The object key, or null for a slice found on disk at startup and not acquired since. */
    String key;
    /** Read-only; open while {@link #holders} is positive or {@link #keptOpen}, else null. */
    FileChannel channel;
    /** In the cache's {@link SliceChannels}: its channel stays open without holders. */
    boolean keptOpen;
    /** When a kept slice's file was last known to be in the folder ({@link System#nanoTime()}). */
    long checkedAt;
    /** The fetch filling the part file, or null for a slice that was complete when acquired. */
    SliceFetch fetch;

    private record Waiter(int bytes, Runnable then) {
    }

    private CachedSlice(String name, String versionHash, String key, long offset, int length, Path file, Path part,
                        int available) {
        this.name = name;
        this.versionHash = versionHash;
        this.key = key;
        this.offset = offset;
        this.length = length;
        this.file = file;
        this.part = part;
        this.available = available;
    }

    /** A slice whose bytes are all in {@code file}. */
    static CachedSlice complete(String name, String versionHash, String key, long offset, int length, Path file) {
        return new CachedSlice(name, versionHash, key, offset, length, file, null, length);
    }

    /** A slice about to arrive in {@code part}, then to be renamed to {@code file}. */
    static CachedSlice arriving(String name, String versionHash, String key, long offset, int length, Path file,
                                Path part) {
        return new CachedSlice(name, versionHash, key, offset, length, file, part, 0);
    }

    int available() {
        return available;
    }

    boolean complete() {
        return available == length;
    }

    IOException failure() {
        return failure;
    }

    /** Whether its fetch has ended: all bytes there, or failed. A holder leaving an unfinished slice cancels. */
    boolean finished() {
        return available == length || failure != null;
    }

    /** On the fetch thread: the first {@code bytes} bytes are in the file. */
    void advance(int bytes) {
        available = bytes;
        wake();
    }

    /** The fetch ended without all bytes; the first {@link #available()} stay valid. Only the first call counts. */
    void fail(IOException why) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = why;
        }
        wake();
    }

    void whenAvailable(int bytes, Runnable then) {
        checkBytes(bytes);
        if (!satisfied(bytes)) {
            synchronized (this) {
                // Checked again under the monitor: advance() sets available before it takes the monitor, so
                // either this sees the new value or wake() sees this waiter.
                if (!satisfied(bytes)) {
                    waiters.add(new Waiter(bytes, then));
                    return;
                }
            }
        }
        then.run();
    }

    void awaitAvailable(int bytes) throws IOException {
        checkBytes(bytes);
        if (!satisfied(bytes) && NonBlocking.active()) {
            throw NonBlocking.wouldBlock();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_TIMEOUT_SECONDS);
        synchronized (this) {
            while (!satisfied(bytes)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SourceException(SourceException.Kind.TIMEOUT, name + ": " + bytes
                            + " bytes not there after " + AWAIT_TIMEOUT_SECONDS + " s (" + available + " are)");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted waiting for slice bytes");
                }
            }
        }
        if (available < bytes) {
            throw failure;
        }
    }

    private boolean satisfied(int bytes) {
        return available >= bytes || failure != null;
    }

    private void checkBytes(int bytes) {
        if (bytes < 0 || bytes > length) {
            throw new IllegalArgumentException("bytes " + bytes + " outside the slice's 0.." + length);
        }
    }

    /** Runs the callbacks now satisfied, outside the monitor, and wakes blocked waiters. */
    private void wake() {
        List<Runnable> ready = null;
        synchronized (this) {
            notifyAll();
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter waiter = it.next();
                if (satisfied(waiter.bytes)) {
                    it.remove();
                    if (ready == null) {
                        ready = new ArrayList<>(waiters.size() + 1);
                    }
                    ready.add(waiter.then);
                }
            }
        }
        if (ready != null) {
            for (Runnable then : ready) {
                try {
                    then.run();
                } catch (RuntimeException e) {
                    // One broken callback must not stop the fetch feeding every other holder.
                    log.warn("slice callback failed", e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return name + " (" + available + "/" + length + (failure != null ? ", failed" : "") + ")";
    }
}
