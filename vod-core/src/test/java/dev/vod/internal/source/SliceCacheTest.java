package dev.vod.internal.source;

import static dev.vod.internal.source.SliceTestSupport.SLICE;
import static dev.vod.internal.source.SliceTestSupport.bytes;
import static dev.vod.internal.source.SliceTestSupport.range;
import static dev.vod.internal.source.SliceTestSupport.read;
import static dev.vod.internal.source.SliceTestSupport.readAvailable;
import static dev.vod.internal.source.SliceTestSupport.settings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.SliceCacheSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The slice cache's everyday work: the right bytes, hits, one fetch for many requests, bytes before the end. */
class SliceCacheTest {
    /** Two and a half slices: a first, a middle and a short last slice. */
    private static final byte[] FILM = bytes(SLICE * 5 / 2, 1);

    @TempDir
    Path dir;
    private final MemorySource source = new MemorySource();
    private SliceCache cache;
    private ObjectVersion film;

    @BeforeEach
    void open() throws IOException {
        cache = new SliceCache(settings(dir, 8), source);
        film = source.put("films/a.mp4", FILM);
    }

    @AfterEach
    void close() {
        cache.close();
    }

    @Test
    void eachSliceHoldsTheObjectsBytes() throws IOException {
        for (int index = 0; index < 3; index++) {
            Slice slice = cache.acquire(film, index);
            int expected = index < 2 ? SLICE : SLICE / 2;
            assertEquals((long) index * SLICE, slice.offset());
            assertEquals(expected, slice.length());
            assertArrayEquals(range(FILM, slice.offset(), expected), read(slice), "slice " + index);
            assertTrue(slice.complete());
            assertNull(slice.failure());
            slice.release();
        }
        assertEquals(3, source.reads().size());
    }

    @Test
    void aSecondAcquireIsAHitWithoutReadingAgain() throws IOException {
        Slice first = cache.acquire(film, 1);
        read(first);
        first.release();

        Slice second = cache.acquire(film, 1);
        assertTrue(second.complete(), "complete at once: served from disk");
        assertArrayEquals(range(FILM, SLICE, SLICE), readAvailable(second));
        second.release();
        assertEquals(1, source.reads().size());
    }

    @Test
    void twentyConcurrentAcquiresShareOneRead() throws Exception {
        source.pauseAfter(1000);
        int requests = 20;
        CountDownLatch acquired = new CountDownLatch(requests);
        ExecutorService clients = Executors.newFixedThreadPool(requests);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                results.add(clients.submit(() -> {
                    Slice slice = cache.acquire(film, 0);
                    acquired.countDown();
                    try {
                        return read(slice);
                    } finally {
                        slice.release();
                    }
                }));
            }
            assertTrue(acquired.await(10, TimeUnit.SECONDS));
            source.resume();
            for (Future<byte[]> result : results) {
                assertArrayEquals(range(FILM, 0, SLICE), result.get(10, TimeUnit.SECONDS));
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(1, source.reads().size(), "one origin read for twenty requests");
        CacheStats stats = cache.stats();
        assertEquals(1, stats.misses());
        assertEquals(requests - 1, stats.hits());
        assertEquals(requests - 1, stats.collapsed());
    }

    @Test
    void bytesAreReadableWhileTheSliceArrives() throws Exception {
        source.pauseAfter(10_000);
        Slice slice = cache.acquire(film, 1);
        assertTrue(source.awaitPaused());

        assertTrue(slice.available() >= 10_000, "available " + slice.available());
        assertFalse(slice.complete());
        assertArrayEquals(range(FILM, SLICE, 10_000), range(readAvailable(slice), 0, 10_000));
        AtomicReference<String> early = new AtomicReference<>();
        slice.whenAvailable(10_000, () -> early.set(Thread.currentThread().getName()));
        assertEquals(Thread.currentThread().getName(), early.get(), "already there: run at once, here");

        CountDownLatch whole = new CountDownLatch(1);
        AtomicReference<String> late = new AtomicReference<>();
        slice.whenAvailable(SLICE, () -> {
            late.set(Thread.currentThread().getName());
            whole.countDown();
        });
        assertNull(late.get(), "not run before the bytes are there");
        source.resume();
        assertTrue(whole.await(10, TimeUnit.SECONDS));
        assertTrue(late.get().startsWith("vod-fetch-"), "run on the fetching thread, was " + late.get());
        assertEquals(SLICE, slice.available());
        slice.release();
    }

    @Test
    void whenAvailableRefusesMoreThanTheSlice() {
        Slice slice = cache.acquire(film, 2);
        assertThrows(IllegalArgumentException.class, () -> slice.whenAvailable(SLICE / 2 + 1, () -> { }));
        assertThrows(IllegalArgumentException.class, () -> slice.awaitAvailable(-1));
        slice.release();
    }

    @Test
    void aSlicePastTheObjectsEndIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> cache.acquire(film, 3));
        assertThrows(IllegalArgumentException.class, () -> cache.acquire(film, -1));
        ObjectVersion empty = source.put("empty.mp4", new byte[0]);
        assertThrows(IllegalArgumentException.class, () -> cache.acquire(empty, 0));
        assertEquals(0, source.reads().size());
    }

    @Test
    void theChannelIsReadOnlySharedAndRefusedAfterRelease() throws IOException {
        Slice one = cache.acquire(film, 0);
        Slice two = cache.acquire(film, 0);
        read(one);
        FileChannel channel = one.channel();
        assertSame(channel, two.channel(), "holders share one channel");
        assertThrows(NonWritableChannelException.class, () -> channel.write(ByteBuffer.allocate(1), 0));

        one.release();
        one.release(); // a second release of the same reference changes nothing
        assertThrows(ClosedChannelException.class, one::channel);
        assertTrue(channel.isOpen(), "still open for the other holder");
        assertArrayEquals(range(FILM, 0, SLICE), readAvailable(two));
        two.release();
        assertThrows(ClosedChannelException.class, two::channel);
    }

    @Test
    void theVersionHashIsWorkedOutOncePerVersion() {
        assertEquals(SliceFiles.versionHash(film.key(), film.etag()), film.versionHash());
        assertSame(film.versionHash(), film.versionHash(), "not a SHA-256 per acquire");
    }

    @Test
    void aSliceReleasedBeforeItArrivedHasItsChannelClosed() throws Exception {
        source.pauseAfter(1000);
        Slice arriving = cache.acquire(film, 0);
        assertTrue(source.awaitPaused());
        FileChannel channel = arriving.channel();
        arriving.release();
        assertFalse(channel.isOpen(), "an unfinished slice is not kept: its fetch is cancelled, its file gone");
    }

    @Test
    void statsCountWhatHappened() throws Exception {
        source.pauseAfter(1000);
        Slice miss = cache.acquire(film, 0);
        Slice collapsed = cache.acquire(film, 0);
        assertTrue(source.awaitPaused());
        assertEquals(1, cache.stats().fetching());
        source.resume();
        read(miss);
        miss.release();
        collapsed.release();
        Slice hit = cache.acquire(film, 2);
        read(hit);
        hit.release();
        Slice diskHit = cache.acquire(film, 0);
        diskHit.release();

        CacheStats stats = cache.stats();
        assertEquals(2, stats.misses());
        assertEquals(2, stats.hits());
        assertEquals(1, stats.collapsed());
        assertEquals(2L * SLICE, stats.hitBytes());
        assertEquals(SLICE + SLICE / 2, stats.originBytes());
        assertEquals(2, stats.originFetches());
        assertEquals(0, stats.originErrors());
        assertTrue(stats.originNanos() > 0);
        assertEquals(0, stats.evictions());
        assertEquals(SLICE + SLICE / 2, stats.usedBytes());
        assertEquals(0, stats.fetching());
    }

    /**
     * A 64 MiB slice arrives through the fetch's 64 KiB buffer: the stream is never asked for more at once, so a
     * fetch's heap is that buffer whatever the slice size. The object is generated, never in memory as a whole.
     */
    @Test
    void aBigSliceIsCopiedThroughABoundedBuffer() throws IOException {
        int big = 64 << 20;
        try (SliceCache bigCache = new SliceCache(new SliceCacheSettings(dir.resolve("big"), big, 4L * big,
                Duration.ofSeconds(5)), source)) {
            ObjectVersion long1 = source.putGenerated("films/long.mp4", 3L * big);
            Slice slice = bigCache.acquire(long1, 1);
            slice.awaitAvailable(big);
            assertTrue(source.largestReadAsked() <= SliceFetch.BUFFER_BYTES,
                    "largest read " + source.largestReadAsked());
            ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
            for (long at = 0; at < big; at += chunk.capacity()) {
                chunk.clear();
                while (chunk.hasRemaining()) {
                    slice.channel().read(chunk, at + chunk.position());
                }
                for (int i = 0; i < chunk.capacity(); i++) {
                    if (chunk.get(i) != MemorySource.generated(big + at + i)) {
                        throw new AssertionError("byte " + (at + i) + " of the slice differs");
                    }
                }
            }
            slice.release();
        }
    }
}
