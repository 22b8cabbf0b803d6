package dev.vod.internal.source;

import static dev.vod.internal.source.SliceTestSupport.SLICE;
import static dev.vod.internal.source.SliceTestSupport.bytes;
import static dev.vod.internal.source.SliceTestSupport.files;
import static dev.vod.internal.source.SliceTestSupport.range;
import static dev.vod.internal.source.SliceTestSupport.read;
import static dev.vod.internal.source.SliceTestSupport.readAvailable;
import static dev.vod.internal.source.SliceTestSupport.settings;
import static dev.vod.internal.source.SliceTestSupport.sliceFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.ContentSource.SourceException;
import dev.vod.ContentSource.SourceException.Kind;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A store that fails, is slow or stops being wanted: retries, failures, cancellation and closing. */
class SliceCacheFailureTest {
    private static final byte[] FILM = bytes(SLICE * 2, 11);

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
        source.resume();
        cache.close();
    }

    @Test
    void releasingEveryHolderCancelsTheFetch() throws Exception {
        source.pauseAfter(1000);
        Slice slice = cache.acquire(film, 0);
        assertTrue(source.awaitPaused());
        assertEquals(1, files(dir, ".part").size());

        slice.release();
        assertTrue(source.awaitStreamsClosed(1), "the source stream is closed, aborting its connection");
        assertTrue(files(dir, "").isEmpty(), "the part file is gone");
        assertEquals(0, cache.stats().fetching());

        source.resume();
        Slice again = cache.acquire(film, 0);
        assertArrayEquals(range(FILM, 0, SLICE), read(again), "a new acquire starts a new fetch");
        again.release();
        assertEquals(2, source.reads().size());
        assertEquals(1, cache.stats().originFetches(), "the cancelled fetch is neither a fetch nor an error");
        assertEquals(0, cache.stats().originErrors());
    }

    @Test
    void oneHolderLeavingKeepsTheFetchForTheOthers() throws Exception {
        source.pauseAfter(1000);
        Slice leaving = cache.acquire(film, 0);
        Slice staying = cache.acquire(film, 0);
        assertTrue(source.awaitPaused());
        assertEquals(1, source.reads().size(), "both joined one fetch");
        assertNull(staying.failure());
        leaving.release();
        assertEquals(0, source.closedStreams(), "a holder is left: the fetch goes on");
        source.resume();
        assertArrayEquals(range(FILM, 0, SLICE), read(staying));
        staying.release();
        assertEquals(1, source.reads().size());
        assertEquals(1, source.closedStreams(), "closed once, at its end");
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"UNAVAILABLE", "TIMEOUT"})
    void aPassingFailureIsRetriedOnce(Kind kind) throws IOException {
        source.failReads(kind, 1);
        Slice slice = cache.acquire(film, 1);
        assertArrayEquals(range(FILM, SLICE, SLICE), read(slice));
        slice.release();
        assertEquals(2, source.reads().size());
        assertEquals(1, cache.stats().originFetches());
        assertEquals(0, cache.stats().originErrors());
    }

    @Test
    void twoFailuresFailTheSliceAndTheNextAcquireTriesAgain() throws Exception {
        source.failReads(Kind.UNAVAILABLE, 2);
        Slice failed = cache.acquire(film, 0);
        CountDownLatch told = new CountDownLatch(1);
        failed.whenAvailable(SLICE, told::countDown);
        SourceException thrown = assertThrows(SourceException.class, () -> failed.awaitAvailable(1));
        assertEquals(Kind.UNAVAILABLE, thrown.kind());
        assertSame(thrown, failed.failure());
        assertTrue(told.await(10, TimeUnit.SECONDS), "a failure runs the callbacks too");
        assertFalse(failed.complete());
        failed.release();
        assertEquals(2, source.reads().size());
        assertEquals(1, cache.stats().originErrors());
        assertEquals(0, cache.stats().fetching());
        assertTrue(files(dir, "").isEmpty(), "a failed slice leaves no file");

        Slice retried = cache.acquire(film, 0);
        assertArrayEquals(range(FILM, 0, SLICE), read(retried));
        retried.release();
        assertEquals(3, source.reads().size());
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"DENIED", "CHANGED"})
    void aRefusalIsNotRetried(Kind kind) {
        source.failReads(kind, 1);
        Slice slice = cache.acquire(film, 0);
        SourceException thrown = assertThrows(SourceException.class, () -> slice.awaitAvailable(SLICE));
        assertEquals(kind, thrown.kind());
        slice.release();
        assertEquals(1, source.reads().size());
        assertEquals(1, cache.stats().originErrors());
    }

    @Test
    void aMissingObjectIsNotRetried() {
        ObjectVersion gone = new ObjectVersion("films/gone.mp4", "\"v0\"", SLICE);
        Slice slice = cache.acquire(gone, 0);
        assertThrows(NoSuchFileException.class, () -> slice.awaitAvailable(SLICE));
        slice.release();
        assertEquals(1, source.reads().size());
    }

    @Test
    void aShortStreamFailsTheSliceButKeepsItsBytes() throws IOException {
        source.endAfter(1000);
        Slice slice = cache.acquire(film, 1);
        SourceException thrown = assertThrows(SourceException.class, () -> slice.awaitAvailable(SLICE));
        assertEquals(Kind.UNAVAILABLE, thrown.kind());
        // The retry resumed at 1000 and ended short again: 2000 bytes there, and they are the right ones.
        assertEquals(2000, slice.available());
        assertFalse(slice.complete());
        assertArrayEquals(range(FILM, SLICE, 2000), readAvailable(slice));
        slice.awaitAvailable(2000); // bytes there do not throw, failed or not
        slice.release();
        assertTrue(sliceFiles(dir).isEmpty(), "never complete, never kept");
    }

    @Test
    void aStreamBrokenMidwayResumesFromTheBytesOnDisk() throws IOException {
        source.breakAfter(5000, 1);
        Slice slice = cache.acquire(film, 1);
        assertArrayEquals(range(FILM, SLICE, SLICE), read(slice));
        slice.release();
        List<MemorySource.Read> reads = source.reads();
        assertEquals(2, reads.size());
        assertEquals(new MemorySource.Read(film.key(), film.etag(), SLICE + 5000, SLICE - 5000), reads.get(1),
                "the retry asks only for what is missing");
        assertEquals(SLICE, cache.stats().originBytes());
    }

    @Test
    void aSourceBugFailsTheSliceInsteadOfHangingIt() {
        source.throwOnRead(new IllegalStateException("bug"));
        Slice slice = cache.acquire(film, 0);
        IOException thrown = assertThrows(IOException.class, () -> slice.awaitAvailable(SLICE));
        assertInstanceOf(IllegalStateException.class, thrown.getCause());
        slice.release();
    }

    @Test
    void closeCancelsRunningFetchesAndKeepsCompleteSlices() throws Exception {
        Slice done = cache.acquire(film, 0);
        read(done);
        done.release();
        source.pauseAfter(1000);
        Slice arriving = cache.acquire(film, 1);
        assertTrue(source.awaitPaused());

        cache.close();
        assertTrue(source.awaitStreamsClosed(2), "the first fetch's stream at its end, the running one by close");
        assertThrows(IOException.class, () -> arriving.awaitAvailable(SLICE));
        arriving.release();
        assertTrue(files(dir, ".part").isEmpty());
        assertEquals(1, sliceFiles(dir).size(), "the complete slice stays for the next start");

        Slice afterClose = cache.acquire(film, 1);
        assertThrows(IOException.class, () -> afterClose.awaitAvailable(SLICE), "no fetch after close");
        afterClose.release();
    }
}
