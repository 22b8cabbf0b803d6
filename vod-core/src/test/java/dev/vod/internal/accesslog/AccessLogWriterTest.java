package dev.vod.internal.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** vod's own access-log writer: nothing lost on close, batches, a bounded queue that drops and counts, rotation. */
@Timeout(60)
class AccessLogWriterTest {
    @TempDir
    Path dir;

    @Test
    void closeWritesEveryOfferedLineInOrder() throws IOException {
        Path file = dir.resolve("access.log");
        AccessLogWriter writer = AccessLogWriter.toFile(file, 100_000);
        for (int i = 0; i < 5000; i++) {
            assertTrue(writer.offer("line " + i));
        }
        writer.close();
        List<String> lines = Files.readAllLines(file);
        assertEquals(5000, lines.size());
        assertEquals("line 0", lines.get(0));
        assertEquals("line 4999", lines.get(4999));
        assertEquals(0, writer.dropped());
        assertFalse(writer.offer("after close"), "a closed writer takes no line");
        assertEquals(1, writer.dropped());
    }

    @Test
    void appendsToAnExistingFile() throws IOException {
        Path file = Files.writeString(dir.resolve("access.log"), "old\n");
        AccessLogWriter writer = AccessLogWriter.toFile(file, 10);
        writer.offer("new");
        writer.close();
        assertEquals(List.of("old", "new"), Files.readAllLines(file));
    }

    @Test
    void writesManyLinesPerSystemCall() {
        CountingStream out = new CountingStream();
        AccessLogWriter writer = AccessLogWriter.toStream(out, "test", 1_000_000);
        String line = "x".repeat(99); // 100 bytes with its newline: 1 MB in all
        for (int i = 0; i < 10_000; i++) {
            writer.offer(line);
        }
        writer.close();
        assertEquals(1_000_000, out.bytes.size());
        // 64 KiB batches make 16; a write per line would make 10,000. Timer flushes may add a few.
        assertTrue(out.writes.get() <= 40, out.writes + " writes for 10,000 lines");
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlockingTheCaller() throws Exception {
        BlockedStream out = new BlockedStream();
        AccessLogWriter writer = AccessLogWriter.toStream(out, "test", 8);
        String line = "y".repeat(1000);
        int offered = 1000; // ~1 MB: far more than the queue, the 64 KiB buffer and the one blocked write hold
        int accepted = 0;
        for (int i = 0; i < offered; i++) {
            // Returns at once even though the output is stuck: the test would hang here otherwise.
            accepted += writer.offer(line) ? 1 : 0;
        }
        assertTrue(writer.dropped() > 0, "nothing dropped");
        assertEquals(offered, accepted + writer.dropped());
        out.release.countDown();
        writer.close();
        long lines = out.bytes.toString(StandardCharsets.US_ASCII).lines().count();
        assertEquals(accepted, lines, "every accepted line is written");
        assertEquals(accepted, writer.written());
    }

    @Test
    void aRotatedFileIsReopenedUnderItsName() throws Exception {
        Path file = dir.resolve("access.log");
        Path rotated = dir.resolve("access.log.1");
        AccessLogWriter writer = AccessLogWriter.toFile(file, 1000);
        writer.offer("before");
        while (!Files.exists(file) || Files.size(file) == 0) {
            Thread.sleep(50); // the first line reaches the file within about a second
        }
        Files.move(file, rotated); // what logrotate does (no copytruncate)
        while (!Files.exists(file)) {
            Thread.sleep(50);
        }
        writer.offer("after");
        writer.close();
        assertEquals(List.of("before"), Files.readAllLines(rotated));
        assertEquals(List.of("after"), Files.readAllLines(file));
    }

    /** Counts write calls. */
    private static final class CountingStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final AtomicInteger writes = new AtomicInteger();

        @Override
        public void write(int b) {
            writes.incrementAndGet();
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.incrementAndGet();
            bytes.write(b, off, len);
        }
    }

    /** An output that cannot keep up at all until released: a full disk, a stuck pipe. */
    private static final class BlockedStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            bytes.write(b, off, len);
        }
    }
}
