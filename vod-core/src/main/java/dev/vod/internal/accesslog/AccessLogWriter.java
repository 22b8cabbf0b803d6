package dev.vod.internal.accesslog;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes access-log lines on its own thread, many per system call, without ever making a caller wait.
 *
 * <p>Callers ({@link #offer}) put a finished line on a lock-free queue bounded at {@code capacity} lines and
 * return; when the queue is full the line is dropped and counted ({@link #dropped()}), and a WARN on
 * {@code vod.server} says so at most every 10 s. The writer thread copies lines into a 64 KiB buffer and writes
 * it when it is full or when its oldest line is a second old — nginx's {@code access_log ... buffer=64k
 * flush=1s} — so a busy server makes one {@code write} per few hundred lines, and a quiet one still shows each
 * line within a second. Callers wake the thread only when {@value #WAKE_LINES} lines are waiting, not per line.
 *
 * <p>Why not the logging backend's async appender: its drops cannot be counted through SLF4J, its flush on
 * shutdown depends on the backend's own hooks, and the lines would pass through its event objects and layout a
 * second time. Here {@link #close()} writes every line offered before it, then returns.
 *
 * <p>A file target is checked once a second: when its path no longer leads to the open file (moved or deleted
 * by logrotate), it is reopened under that name, so rotation needs neither {@code copytruncate} nor a signal.
 */
public final class AccessLogWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("vod.server");
    static final int BUFFER_BYTES = 64 * 1024;
    static final int WAKE_LINES = 256;
    private static final long FLUSH_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    /** Lines in the queue; the queue itself has no constant-time size. */
    private final AtomicInteger queued = new AtomicInteger();
    private final int capacity;
    private final int wakeAt;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final Sink sink;
    private final String name;
    private final Thread thread;
    private volatile boolean closed;
    /** Drops already reported, and when: callers report too, since a writer stuck in a write cannot. */
    private final AtomicLong reported = new AtomicLong();
    private final AtomicLong lastWarnNanos = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    // Writer thread only (from here on).
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int used;
    private int linesInBuffer;
    private long oldestNanos;

    private AccessLogWriter(Sink sink, String name, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.sink = sink;
        this.name = name;
        this.capacity = capacity;
        this.wakeAt = Math.max(1, Math.min(WAKE_LINES, capacity / 2));
        this.thread = new Thread(this::run, "vod-access-log");
        // A daemon: an application that never closes its server must still be able to exit.
        thread.setDaemon(true);
        thread.start();
    }

    /** Appends to {@code file} (created when missing); fails at once when it cannot be opened. */
    public static AccessLogWriter toFile(Path file, int capacity) throws IOException {
        return new AccessLogWriter(new FileSink(file), file.toString(), capacity);
    }

    /** Writes to {@code out} (e.g. {@code System.out}), flushing it after every batch. */
    public static AccessLogWriter toStream(OutputStream out, String name, int capacity) {
        return new AccessLogWriter(new StreamSink(Objects.requireNonNull(out, "out")), name, capacity);
    }

    /**
     * Queues one line (without its line end). Never blocks.
     *
     * @return false when the line was dropped: the queue is full, or the writer is closed
     */
    public boolean offer(String line) {
        if (closed) {
            dropped.increment();
            return false;
        }
        int n = queued.incrementAndGet();
        if (n > capacity) {
            queued.decrementAndGet();
            dropped.increment();
            warnAboutDrops(System.nanoTime(), false);
            return false;
        }
        queue.offer(line);
        if (n == wakeAt) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /** Lines dropped so far because the queue was full (or offered after {@link #close()}). */
    public long dropped() {
        return dropped.sum();
    }

    /** The live drop counter, for a metric that reads it when scraped. */
    public LongAdder droppedCounter() {
        return dropped;
    }

    /** Lines handed to the output so far. */
    public long written() {
        return written.sum();
    }

    /**
     * Writes every line offered before this call, closes the output (a file; a stream is only flushed) and stops
     * the thread. Waits at most 10 s for a stuck output. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("access log {}: still writing after 10 s; {} lines may be lost", name, queued.get() + linesInBuffer);
        }
    }

    private void run() {
        long lastTick = System.nanoTime();
        while (true) {
            boolean closing = closed; // read first: a line offered before close() is in the queue by now
            drain();
            long now = System.nanoTime();
            if (linesInBuffer > 0 && (closing || now - oldestNanos >= FLUSH_NANOS)) {
                writeBuffer();
            }
            if (closing && queue.isEmpty()) {
                break;
            }
            if (now - lastTick >= FLUSH_NANOS) {
                lastTick = now;
                sink.check(name);
                warnAboutDrops(now, false);
            }
            if (queued.get() < wakeAt && !closed) {
                long wait = FLUSH_NANOS - (now - lastTick);
                if (linesInBuffer > 0) {
                    wait = Math.min(wait, FLUSH_NANOS - (now - oldestNanos));
                }
                LockSupport.parkNanos(this, Math.max(wait, 1_000_000));
            }
        }
        sink.close(name);
        warnAboutDrops(System.nanoTime(), true);
    }

    private void drain() {
        String line;
        int taken = 0;
        while ((line = queue.poll()) != null) {
            taken++;
            append(line);
            if (taken == WAKE_LINES) {
                queued.addAndGet(-taken);
                taken = 0;
            }
        }
        queued.addAndGet(-taken);
    }

    /** Copies the line and its newline into the buffer, writing the buffer out whenever it fills. */
    private void append(String line) {
        if (linesInBuffer == 0) {
            oldestNanos = System.nanoTime();
        }
        int n = line.length();
        for (int i = 0; i < n; i++) {
            if (used == buffer.length) {
                writeBuffer();
            }
            // Lines are ASCII (AccessLines escapes everything else); an application's own would lose high bits.
            buffer[used++] = (byte) line.charAt(i);
        }
        if (used == buffer.length) {
            writeBuffer();
        }
        buffer[used++] = '\n';
        linesInBuffer++;
    }

    private void writeBuffer() {
        if (used == 0) {
            return;
        }
        try {
            sink.write(buffer, used);
            written.add(linesInBuffer);
        } catch (IOException e) {
            dropped.add(linesInBuffer);
            log.warn("access log {}: write failed, {} lines lost: {}", name, linesInBuffer, e.toString());
        }
        used = 0;
        linesInBuffer = 0;
    }

    /** At most one WARN every 10 s (and a last one at close) while lines are being dropped. */
    private void warnAboutDrops(long now, boolean last) {
        long last10 = lastWarnNanos.get();
        if (!last && now - last10 < WARN_EVERY_NANOS) {
            return;
        }
        long total = dropped.sum();
        long before = reported.get();
        if (total > before && (last || lastWarnNanos.compareAndSet(last10, now))) {
            reported.set(total);
            log.warn("access log {}: {} lines dropped since the last report, {} in total: the output cannot keep "
                    + "up with the queue of {} lines", name, total - before, total, capacity);
        }
    }

    /** Where the bytes go. Used by the writer thread only. */
    private interface Sink {
        void write(byte[] bytes, int length) throws IOException;

        /** Called about once a second. */
        default void check(String name) {
        }

        void close(String name);
    }

    private static final class StreamSink implements Sink {
        private final OutputStream out;

        StreamSink(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(byte[] bytes, int length) throws IOException {
            out.write(bytes, 0, length);
            out.flush();
        }

        @Override
        public void close(String name) {
            try {
                out.flush();
            } catch (IOException e) {
                log.warn("access log {}: flush failed: {}", name, e.toString());
            }
        }
    }

    private static final class FileSink implements Sink {
        private final Path path;
        private FileChannel channel;
        private Object fileKey;

        FileSink(Path path) throws IOException {
            this.path = path;
            open();
        }

        private void open() throws IOException {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            fileKey = key();
        }

        private Object key() throws IOException {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        }

        @Override
        public void write(byte[] bytes, int length) throws IOException {
            if (channel == null) {
                open(); // a reopen failed before; try again
            }
            ByteBuffer b = ByteBuffer.wrap(bytes, 0, length);
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }

        @Override
        public void check(String name) {
            try {
                Object now;
                try {
                    now = key();
                } catch (NoSuchFileException e) {
                    now = null;
                }
                if (channel != null && fileKey != null && fileKey.equals(now)) {
                    return;
                }
                // Rotated away (or deleted): what was written so far stays in the old file; continue in a new one.
                closeChannel(name);
                open();
            } catch (IOException e) {
                log.warn("access log {}: cannot reopen: {}", name, e.toString());
            }
        }

        @Override
        public void close(String name) {
            closeChannel(name);
        }

        private void closeChannel(String name) {
            if (channel == null) {
                return;
            }
            try {
                channel.close();
            } catch (IOException e) {
                log.warn("access log {}: close failed: {}", name, e.toString());
            }
            channel = null;
        }
    }
}
