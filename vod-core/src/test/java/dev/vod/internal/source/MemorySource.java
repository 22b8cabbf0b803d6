package dev.vod.internal.source;

import dev.vod.ContentSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ContentSource} over objects in memory, with the faults a real store has, for the slice cache tests:
 * reads that fail (a given number of times), streams that pause after some bytes until resumed (or closed, as a
 * cancelled fetch does), streams that end early or break midway, and a record of every read asked for.
 */
final class MemorySource implements ContentSource {
    /** One read the cache asked for. */
    record Read(String key, String etag, long offset, long length) {
    }

    private record Stored(String etag, byte[] bytes, long size) {
        byte at(long position) {
            return bytes != null ? bytes[(int) position] : generated(position);
        }
    }

    private final Map<String, Stored> objects = new ConcurrentHashMap<>();
    private final AtomicInteger versions = new AtomicInteger();
    private final List<Read> reads = new CopyOnWriteArrayList<>();
    private final AtomicInteger largestReadAsked = new AtomicInteger();
    private final Semaphore streamsClosed = new Semaphore(0);
    private final AtomicInteger closedCount = new AtomicInteger();
    private final Semaphore streamsPaused = new Semaphore(0);

    private final Object pause = new Object();
    private volatile int pauseAfter = -1;
    private volatile boolean resumed;
    private volatile int endAfter = -1;
    private volatile int breakAfter = -1;
    private final AtomicInteger breaksLeft = new AtomicInteger();
    private volatile SourceException.Kind failKind;
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile RuntimeException bug;

    /** The byte at {@code position} of a generated object: varies within and across 64 KiB blocks. */
    static byte generated(long position) {
        return (byte) (position * 31 + (position >>> 16) * 7 + 1);
    }

    /** Stores (or replaces, with a new ETag) the object {@code key}. */
    ObjectVersion put(String key, byte[] bytes) {
        return store(key, new Stored("\"v" + versions.incrementAndGet() + "\"", bytes.clone(), bytes.length));
    }

    /** Stores an object of {@code size} {@link #generated} bytes, never held in memory as a whole. */
    ObjectVersion putGenerated(String key, long size) {
        return store(key, new Stored("\"v" + versions.incrementAndGet() + "\"", null, size));
    }

    private ObjectVersion store(String key, Stored stored) {
        objects.put(key, stored);
        return new ObjectVersion(key, stored.etag, stored.size);
    }

    /** The next {@code times} reads throw a source exception of {@code kind}. */
    void failReads(SourceException.Kind kind, int times) {
        failKind = kind;
        failuresLeft.set(times);
    }

    /** Every read throws {@code bug}, as a source with a bug would. */
    void throwOnRead(RuntimeException bug) {
        this.bug = bug;
    }

    /** Streams opened from now block after giving {@code bytes} bytes, until {@link #resume()} or closed. */
    void pauseAfter(int bytes) {
        resumed = false;
        pauseAfter = bytes;
    }

    void resume() {
        synchronized (pause) {
            resumed = true;
            pause.notifyAll();
        }
    }

    /** Streams end (EOF) after {@code bytes} bytes, short of what was asked. */
    void endAfter(int bytes) {
        endAfter = bytes;
    }

    /** The next {@code times} streams fail as a reset connection after {@code bytes} bytes. */
    void breakAfter(int bytes, int times) {
        breakAfter = bytes;
        breaksLeft.set(times);
    }

    List<Read> reads() {
        return new ArrayList<>(reads);
    }

    /** The largest {@code len} any stream's {@code read(byte[], int, int)} was called with. */
    int largestReadAsked() {
        return largestReadAsked.get();
    }

    /** Streams closed so far. */
    int closedStreams() {
        return closedCount.get();
    }

    /** Whether {@code count} streams were closed (more) within a generous timeout. */
    boolean awaitStreamsClosed(int count) throws InterruptedException {
        return streamsClosed.tryAcquire(count, 10, TimeUnit.SECONDS);
    }

    /** Whether a stream reached its pause point (one more) within a generous timeout. */
    boolean awaitPaused() throws InterruptedException {
        return streamsPaused.tryAcquire(10, TimeUnit.SECONDS);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        Stored stored = objects.get(key);
        return stored == null ? Optional.empty() : Optional.of(new ObjectInfo(key, stored.size, 0, stored.etag));
    }

    @Override
    public Listing list(String folder, int limit) {
        List<ObjectInfo> found = new ArrayList<>();
        objects.forEach((key, stored) -> {
            if (key.startsWith(folder) && key.indexOf('/', folder.length()) < 0) {
                found.add(new ObjectInfo(key, stored.size, 0, stored.etag));
            }
        });
        return new Listing(found, List.of(), false);
    }

    @Override
    public InputStream read(String key, String etag, long offset, long length) throws IOException {
        reads.add(new Read(key, etag, offset, length));
        if (bug != null) {
            throw bug;
        }
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new SourceException(failKind, "memory: failing as asked");
        }
        Stored stored = objects.get(key);
        if (stored == null) {
            throw new NoSuchFileException(key);
        }
        if (!stored.etag.equals(etag)) {
            throw new SourceException(SourceException.Kind.CHANGED, key + " is " + stored.etag + ", not " + etag);
        }
        if (offset < 0 || length < 0 || offset + length > stored.size) {
            throw new IOException("read past the end of " + key + ": " + offset + "+" + length);
        }
        boolean breaks = breakAfter >= 0 && breaksLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        return new Stream(stored, offset, length, breaks ? breakAfter : -1);
    }

    @Override
    public void check() {
    }

    @Override
    public String describe() {
        return "memory:";
    }

    /** The bytes of one read, with the faults configured when it was opened. */
    private final class Stream extends InputStream {
        private final Stored stored;
        private final long offset;
        private final long length;
        private final int pauseAt = pauseAfter;
        private final int endAt = endAfter;
        private final int breakAt;
        private long given;
        private final AtomicBoolean closing = new AtomicBoolean();
        private volatile boolean closed;

        Stream(Stored stored, long offset, long length, int breakAt) {
            this.stored = stored;
            this.offset = offset;
            this.length = length;
            this.breakAt = breakAt;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            largestReadAsked.accumulateAndGet(len, Math::max);
            if (pauseAt >= 0 && given == pauseAt) {
                waitForResume();
            }
            if (closed) {
                throw new IOException("stream closed");
            }
            if (breakAt >= 0 && given == breakAt) {
                throw new SourceException(SourceException.Kind.UNAVAILABLE, "memory: connection reset");
            }
            long end = length;
            if (endAt >= 0) {
                end = Math.min(end, endAt);
            }
            for (int stop : new int[] {pauseAt, breakAt}) {
                if (stop > given) {
                    end = Math.min(end, stop); // a read stops at a fault's point, as bytes on a wire would
                }
            }
            if (given >= end) {
                return len == 0 ? 0 : -1;
            }
            int n = (int) Math.min(len, end - given);
            for (int i = 0; i < n; i++) {
                b[off + i] = stored.at(offset + given + i);
            }
            given += n;
            return n;
        }

        private void waitForResume() throws IOException {
            streamsPaused.release();
            synchronized (pause) {
                while (!resumed && !closed) {
                    try {
                        pause.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while paused");
                    }
                }
            }
        }

        @Override
        public void close() {
            if (!closing.compareAndSet(false, true)) {
                return; // the fetch's try-with-resources and a cancel may both close it
            }
            closed = true;
            closedCount.incrementAndGet();
            streamsClosed.release();
            synchronized (pause) {
                pause.notifyAll();
            }
        }
    }
}
