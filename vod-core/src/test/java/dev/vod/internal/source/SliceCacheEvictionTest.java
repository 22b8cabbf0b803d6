package dev.vod.internal.source;

import static dev.vod.internal.source.SliceTestSupport.SLICE;
import static dev.vod.internal.source.SliceTestSupport.bytes;
import static dev.vod.internal.source.SliceTestSupport.range;
import static dev.vod.internal.source.SliceTestSupport.read;
import static dev.vod.internal.source.SliceTestSupport.readAvailable;
import static dev.vod.internal.source.SliceTestSupport.settings;
import static dev.vod.internal.source.SliceTestSupport.sliceFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.ContentSource.SourceException;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The size bound, the least-recently-used order, and object versions: what is kept and what is never served. */
class SliceCacheEvictionTest {
    /** Ten full slices, more than the cache holds. */
    private static final byte[] FILM = bytes(SLICE * 10, 2);
    private static final int MAX_SLICES = 4;

    @TempDir
    Path dir;
    private final MemorySource source = new MemorySource();
    private SliceCache cache;
    private ObjectVersion film;

    @BeforeEach
    void open() throws IOException {
        cache = new SliceCache(settings(dir, MAX_SLICES), source);
        film = source.put("films/a.mp4", FILM);
    }

    @AfterEach
    void close() {
        cache.close();
    }

    /** Acquires, reads whole and releases slice {@code index} of {@code object}. */
    private byte[] fetch(ObjectVersion object, long index) throws IOException {
        Slice slice = cache.acquire(object, index);
        try {
            return read(slice);
        } finally {
            slice.release();
        }
    }

    /** Reads of slice {@code index} of the film the source was asked for so far. */
    private long readsOf(long index) {
        return source.reads().stream().filter(r -> r.offset() == index * SLICE).count();
    }

    @Test
    void usedBytesStayWithinTheLimit() throws IOException {
        for (int index = 0; index < 10; index++) {
            fetch(film, index);
            long used = cache.stats().usedBytes();
            assertTrue(used <= (long) MAX_SLICES * SLICE, "after slice " + index + ": " + used + " bytes");
        }
        CacheStats stats = cache.stats();
        assertEquals((long) MAX_SLICES * SLICE, stats.usedBytes());
        assertEquals(10 - MAX_SLICES, stats.evictions());
        assertEquals(MAX_SLICES, sliceFiles(dir).size(), "evicted slices are deleted");
    }

    @Test
    void theLeastRecentlyUsedSliceGoesFirst() throws IOException {
        for (int index = 0; index < MAX_SLICES; index++) {
            fetch(film, index);
        }
        fetch(film, 0); // a hit: 0 is now the most recently used, 1 the least
        assertEquals(1, readsOf(0));

        fetch(film, 4); // evicts 1
        fetch(film, 0);
        fetch(film, 2);
        assertEquals(1, readsOf(0), "0 was kept");
        assertEquals(1, readsOf(2), "2 was kept");
        assertArrayEquals(range(FILM, SLICE, SLICE), fetch(film, 1));
        assertEquals(2, readsOf(1), "1 was evicted, so read again");
    }

    @Test
    void aHeldSliceStaysReadableAfterItsEviction() throws IOException {
        Slice held = cache.acquire(film, 0);
        read(held);
        for (int index = 1; index <= MAX_SLICES; index++) {
            fetch(film, index);
        }
        assertEquals(1, cache.stats().evictions());
        assertFalse(sliceFiles(dir).stream().anyMatch(p -> p.getFileName().toString().endsWith("-0")),
                "slice 0's file is deleted");
        assertArrayEquals(range(FILM, 0, SLICE), readAvailable(held), "its holder still reads it");
        held.release();

        assertArrayEquals(range(FILM, 0, SLICE), fetch(film, 0));
        assertEquals(2, readsOf(0), "the next acquire reads it again");
    }

    @Test
    void anEtagChangeNeverServesTheOldBytes() throws IOException {
        assertArrayEquals(range(FILM, 0, SLICE), fetch(film, 0));
        byte[] edited = bytes(FILM.length, 3);
        ObjectVersion newFilm = source.put("films/a.mp4", edited);

        assertArrayEquals(range(edited, 0, SLICE), fetch(newFilm, 0));
        assertEquals(2, readsOf(0));
        assertEquals(newFilm.etag(), source.reads().get(1).etag());
        assertArrayEquals(range(edited, 0, SLICE), fetch(newFilm, 0), "the new version is now a hit");
        assertEquals(2, readsOf(0));
    }

    @Test
    void forgetOtherVersionsDropsTheOldSlices() throws IOException {
        fetch(film, 0);
        fetch(film, 1);
        ObjectVersion other = source.put("films/b.mp4", bytes(SLICE, 4));
        fetch(other, 0);
        ObjectVersion newFilm = source.put("films/a.mp4", bytes(FILM.length, 5));
        fetch(newFilm, 0);
        assertEquals(4, sliceFiles(dir).size());

        cache.forgetOtherVersions("films/a.mp4", newFilm.etag());
        assertEquals(2, sliceFiles(dir).size(), "the new version and the other object are left");
        assertEquals(2L * SLICE, cache.stats().usedBytes());
        int reads = source.reads().size();
        fetch(newFilm, 0);
        fetch(other, 0);
        assertEquals(reads, source.reads().size(), "both still hits");
        assertEquals(0, cache.stats().evictions(), "forgetting is not evicting");
    }

    @Test
    void aVersionForgottenWhileArrivingStillFeedsItsHolderButIsNotKept() throws Exception {
        source.pauseAfter(1000);
        Slice old = cache.acquire(film, 0);
        assertTrue(source.awaitPaused());
        cache.forgetOtherVersions("films/a.mp4", "\"newer\"");
        assertEquals(0, cache.stats().fetching());
        source.resume();

        assertArrayEquals(range(FILM, 0, SLICE), read(old), "its holder gets every byte");
        old.release();
        assertTrue(SliceTestSupport.files(dir, "").isEmpty(), "but the slice is not kept");
        fetch(film, 0);
        assertEquals(2, readsOf(0));
    }

    @Test
    void aStaleVersionFailsAsChangedWithoutARetry() throws IOException {
        source.put("films/a.mp4", bytes(FILM.length, 6));
        Slice stale = cache.acquire(film, 0);
        SourceException failure = assertThrows(SourceException.class, () -> stale.awaitAvailable(SLICE));
        assertEquals(SourceException.Kind.CHANGED, failure.kind());
        assertEquals(0, stale.available());
        stale.release();
        assertEquals(1, source.reads().size());
        assertTrue(SliceTestSupport.files(dir, "").isEmpty(), "no file kept, not even the part file");
    }
}
