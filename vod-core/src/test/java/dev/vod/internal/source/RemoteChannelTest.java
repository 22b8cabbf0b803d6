package dev.vod.internal.source;

import static dev.vod.internal.source.SliceTestSupport.SLICE;
import static dev.vod.internal.source.SliceTestSupport.bytes;
import static dev.vod.internal.source.SliceTestSupport.range;
import static dev.vod.internal.source.SliceTestSupport.settings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.internal.NonBlocking;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading an object through the slice cache: bytes announced ahead are fetched at once, not one after another. */
class RemoteChannelTest {
    /** Forty slices. */
    private static final byte[] FILM = bytes(40 * SLICE, 21);

    @TempDir
    Path dir;
    private final MemorySource source = new MemorySource();
    private final ObjectVersion film = source.put("films/a.mp4", FILM);
    private SliceCache cache;
    private RemoteChannel channel;

    @BeforeEach
    void open() throws IOException {
        cache = new SliceCache(settings(dir, 64), source);
        channel = new RemoteChannel(cache, film, new ObjectCatalog(source, TimeUnit.HOURS.toNanos(1), cache));
    }

    @AfterEach
    void close() throws IOException {
        source.resume();
        channel.close();
        cache.close();
    }

    /** Waits until the store was asked for {@code reads} ranges in all. */
    private void awaitReads(int reads) throws InterruptedException {
        for (int i = 0; i < 1000 && source.reads().size() < reads; i++) {
            Thread.sleep(10);
        }
        assertEquals(reads, source.reads().size());
    }

    @Test
    void announcedBytesAreFetchedAllAtOnce() throws Exception {
        source.pauseAfter(1000); // no fetch can finish: each must have been started by the hint itself
        channel.willRead(SLICE + 10, 3 * SLICE);
        awaitReads(4);
        source.resume();

        ByteBuffer read = ByteBuffer.allocate(3 * SLICE);
        while (read.hasRemaining()) {
            channel.read(read, SLICE + 10 + read.position());
        }
        assertArrayEquals(range(FILM, SLICE + 10, 3 * SLICE), read.array());
        assertEquals(4, source.reads().size(), "each slice fetched once");
    }

    @Test
    void aReadAcrossSlicesFetchesThemAllAtOnce() throws Exception {
        source.pauseAfter(1000);
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(3 * SLICE);
            try {
                while (buffer.hasRemaining()) {
                    channel.read(buffer, buffer.position());
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return buffer.array();
        });
        awaitReads(3); // while the first read still waits for its slice
        source.resume();
        assertArrayEquals(range(FILM, 0, 3 * SLICE), read.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aHintFetchesAsManySlicesAsTheCacheFetchesAtOnce() throws Exception {
        channel.willRead(SLICE, Long.MAX_VALUE); // "to the end", however it is said
        awaitReads(RemoteChannel.MAX_AHEAD);
        Thread.sleep(50);
        assertEquals(RemoteChannel.MAX_AHEAD, source.reads().size());
    }

    @Test
    void aHintDuringANonBlockingAttemptStartsNothing() throws Exception {
        assertNull(NonBlocking.attempt(() -> {
            channel.willRead(0, 3 * SLICE);
            return null;
        }, x -> { }));
        Thread.sleep(50);
        assertEquals(0, source.reads().size());
    }

    @Test
    void aResponseHoldsOnlyTheSliceItIsInAndTheNext() throws Exception {
        channel.willRead(0, 2 * SLICE); // held ahead, as a parse would have left them
        awaitReads(2);
        java.util.List<CachedSlice> seen = new java.util.ArrayList<>();
        for (long index = 0; index < 4; index++) {
            Slice piece = channel.keep(index, 5L * SLICE);
            piece.awaitAvailable(piece.length());
            seen.add(piece.cached());
            piece.release();
        }
        for (int index = 0; index < 3; index++) {
            assertEquals(0, seen.get(index).holders.get(), "slice " + index + " is behind the response");
        }
        assertEquals(1, seen.get(3).holders.get(), "the slice it is in, held by the channel");
        awaitReads(5); // 0 to 3, and 4 fetched ahead
        channel.close();
        assertEquals(0, seen.get(3).holders.get());
    }
}
