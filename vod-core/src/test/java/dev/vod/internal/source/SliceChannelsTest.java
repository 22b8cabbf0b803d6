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
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Complete slices keep their read channel open between holders, the most recently used up to a bound, and let it
 * go when they leave the index or the bound; never under a holder still reading.
 */
class SliceChannelsTest {
    /** Six slices. */
    private static final byte[] FILM = bytes(6 * SLICE, 11);

    @TempDir
    Path dir;
    private final MemorySource source = new MemorySource();
    private final ObjectVersion film = source.put("films/a.mp4", FILM);
    private SliceCache cache;

    @AfterEach
    void close() {
        if (cache != null) {
            cache.close();
        }
    }

    /** A cache holding at most {@code slices} slices and keeping at most {@code open} channels open. */
    private SliceCache cache(int slices, int open) throws IOException {
        cache = new SliceCache(settings(dir, slices), source, open);
        return cache;
    }

    /** Acquires, reads whole and releases slice {@code index}; returns the channel it was read through. */
    private FileChannel readOnce(long index) throws IOException {
        Slice slice = cache.acquire(film, index);
        try {
            assertArrayEquals(range(FILM, index * SLICE, SLICE), read(slice), "slice " + index);
            return slice.channel();
        } finally {
            slice.release();
        }
    }

    @Test
    void aCompleteSliceKeepsItsChannelForTheNextHolder() throws IOException {
        cache(8, 8);
        FileChannel first = readOnce(0);
        assertTrue(first.isOpen(), "kept open with no holder");
        assertSame(first, readOnce(0), "the next request reads the same open file: no open, no close");
        assertEquals(1, source.reads().size());
    }

    @Test
    void channelsBeyondTheBoundAreClosedLeastRecentlyUsedFirst() throws IOException {
        cache(8, 2);
        FileChannel zero = readOnce(0);
        FileChannel one = readOnce(1);
        assertSame(zero, readOnce(0)); // 0 is now the most recently used, 1 the least
        FileChannel two = readOnce(2);
        assertFalse(one.isOpen(), "pushed out by 2");
        assertTrue(zero.isOpen());
        assertTrue(two.isOpen());
        FileChannel oneAgain = readOnce(1);
        assertNotSame(one, oneAgain, "opened again");
        assertEquals(3, source.reads().size(), "still a hit: only the channel went, not the slice");
    }

    @Test
    void anEvictedSlicesChannelIsClosedAtOnceWhenNobodyHoldsIt() throws IOException {
        cache(4, 8);
        FileChannel zero = readOnce(0);
        for (int index = 1; index <= 4; index++) {
            readOnce(index); // the fifth evicts 0
        }
        assertEquals(1, cache.stats().evictions());
        assertFalse(zero.isOpen(), "a deleted slice file is not kept open");
    }

    @Test
    void anEvictedSliceStaysReadableByItsHolderAndClosesAtItsRelease() throws IOException {
        cache(4, 8);
        Slice held = cache.acquire(film, 0);
        read(held);
        FileChannel channel = held.channel();
        for (int index = 1; index <= 4; index++) {
            readOnce(index);
        }
        assertEquals(1, cache.stats().evictions());
        assertTrue(channel.isOpen(), "not closed under its holder");
        assertArrayEquals(range(FILM, 0, SLICE), readAvailable(held));
        held.release();
        assertFalse(channel.isOpen(), "closed by the last release: the slice left the index");
    }

    @Test
    void aChannelPushedOutWhileHeldClosesAtTheLastRelease() throws IOException {
        cache(8, 1);
        Slice held = cache.acquire(film, 0);
        read(held);
        Slice shared = cache.share(held);
        FileChannel channel = held.channel();
        readOnce(1); // pushes 0 out of the kept channels
        held.release();
        assertTrue(channel.isOpen(), "the shared reference still reads it");
        assertArrayEquals(range(FILM, 0, SLICE), readAvailable(shared));
        shared.release();
        assertFalse(channel.isOpen());
    }

    @Test
    void forgettingAVersionClosesItsKeptChannels() throws IOException {
        cache(8, 8);
        FileChannel zero = readOnce(0);
        cache.forgetOtherVersions("films/a.mp4", "\"newer\"");
        assertFalse(zero.isOpen());
    }

    @Test
    void closingTheCacheClosesTheKeptChannels() throws IOException {
        cache(8, 8);
        FileChannel zero = readOnce(0);
        FileChannel one = readOnce(1);
        cache.close();
        assertFalse(zero.isOpen());
        assertFalse(one.isOpen());
    }

    @Test
    void aKeptChannelClosedBehindTheCachesBackIsOpenedAgain() throws IOException {
        // An interrupted read closes a FileChannel: the next holder must get a working one, not the broken one.
        cache(8, 8);
        FileChannel broken = readOnce(0);
        broken.close();
        FileChannel next = readOnce(0);
        assertNotSame(broken, next);
        assertTrue(next.isOpen());
    }

    @Test
    void withNoChannelsKeptTheLastReleaseClosesAsBefore() throws IOException {
        cache(8, 0);
        assertFalse(readOnce(0).isOpen());
    }
}
