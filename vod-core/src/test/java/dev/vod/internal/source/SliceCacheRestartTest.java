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
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.SliceCacheSettings;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a cache folder holds after a run: complete slices are served again, nothing else is trusted. */
class SliceCacheRestartTest {
    /** Three and a half slices. */
    private static final byte[] FILM = bytes(SLICE * 7 / 2, 7);

    @TempDir
    Path dir;
    private final MemorySource source = new MemorySource();
    private final ObjectVersion film = source.put("films/a.mp4", FILM);

    /** Fetches slices {@code [0, count)} of the film into a cache of {@code settings}, then closes it. */
    private void fetchIntoCache(SliceCacheSettings settings, int count) throws IOException {
        try (SliceCache cache = new SliceCache(settings, source)) {
            for (int index = 0; index < count; index++) {
                Slice slice = cache.acquire(film, index);
                read(slice);
                slice.release();
            }
        }
    }

    @Test
    void aNewCacheServesCompleteSlicesWithoutReading() throws IOException {
        fetchIntoCache(settings(dir, 8), 4);

        // A source without the object: any read would fail, so only the disk can answer.
        MemorySource empty = new MemorySource();
        try (SliceCache restarted = new SliceCache(settings(dir, 8), empty)) {
            assertEquals(FILM.length, restarted.stats().usedBytes());
            for (int index = 0; index < 4; index++) {
                Slice slice = restarted.acquire(film, index);
                assertTrue(slice.complete(), "slice " + index);
                assertArrayEquals(range(FILM, (long) index * SLICE, slice.length()), readAvailable(slice));
                slice.release();
            }
            assertEquals(4, restarted.stats().hits());
        }
        assertEquals(0, empty.reads().size());
    }

    @Test
    void partLeftoversAreDeletedOnStart() throws IOException {
        fetchIntoCache(settings(dir, 8), 1);
        Path kept = sliceFile(0);
        Path leftover = sliceFile(1).resolveSibling(sliceFile(1).getFileName() + ".part");
        Files.write(leftover, bytes(1000, 8));
        Path unrelated = dir.resolve("README");
        Files.writeString(unrelated, "not a slice");

        try (SliceCache restarted = new SliceCache(settings(dir, 8), source)) {
            assertTrue(Files.notExists(leftover), "the part file is gone");
            assertTrue(Files.exists(kept), "the complete slice is kept");
            assertTrue(Files.exists(unrelated), "files that are not the cache's are left alone");
            assertEquals(SLICE, restarted.stats().usedBytes());
            Slice slice = restarted.acquire(film, 1);
            assertArrayEquals(range(FILM, SLICE, SLICE), read(slice));
            slice.release();
        }
        assertEquals(2, source.reads().size(), "slice 1 was fetched afresh");
    }

    @Test
    void slicesOfAnotherSizeAreNotReused() throws IOException {
        fetchIntoCache(settings(dir, 8), 2);
        int twice = 2 * SLICE;
        try (SliceCache resized = new SliceCache(new SliceCacheSettings(dir, twice, 8L * twice,
                Duration.ofSeconds(5)), source)) {
            assertEquals(0, resized.stats().usedBytes());
            assertTrue(sliceFiles(dir).isEmpty(), "slices cut at the old size are deleted");
            Slice slice = resized.acquire(film, 0);
            assertEquals(twice, slice.length());
            assertArrayEquals(range(FILM, 0, twice), read(slice));
            slice.release();
        }
        assertEquals(3, source.reads().size());
    }

    @Test
    void aCachedFileOfTheWrongLengthIsFetchedAgain() throws IOException {
        fetchIntoCache(settings(dir, 8), 1);
        // Half a slice could be an object's last slice, so the start keeps it; this object's slice 0 is whole.
        try (FileChannel file = FileChannel.open(sliceFiles(dir).get(0), StandardOpenOption.WRITE)) {
            file.truncate(SLICE / 2);
        }
        try (SliceCache restarted = new SliceCache(settings(dir, 8), source)) {
            assertEquals(SLICE / 2, restarted.stats().usedBytes());
            Slice slice = restarted.acquire(film, 0);
            assertArrayEquals(range(FILM, 0, SLICE), read(slice));
            slice.release();
            assertEquals(SLICE, restarted.stats().usedBytes());
        }
        assertEquals(2, source.reads().size());
    }

    @Test
    void aSliceFileDeletedBehindTheCachesBackIsFetchedAgain() throws Exception {
        try (SliceCache cache = new SliceCache(settings(dir, 8), source)) {
            Slice slice = cache.acquire(film, 0);
            read(slice);
            slice.release();
            Files.delete(sliceFile(0));
            // Its channel is kept open, and reads the deleted file's bytes (the right ones) until the cache looks
            // for the file again.
            Thread.sleep(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(SliceChannels.CHECK_NANOS) + 100);

            slice = cache.acquire(film, 0);
            assertArrayEquals(range(FILM, 0, SLICE), read(slice));
            slice.release();
            assertEquals(SLICE, cache.stats().usedBytes(), "counted once");
        }
        assertEquals(2, source.reads().size());
        assertTrue(Files.exists(sliceFile(0)));
    }

    @Test
    void theOldestSlicesOnDiskAreEvictedFirstAfterARestart() throws IOException {
        fetchIntoCache(settings(dir, 4), 3);
        Instant now = Instant.now();
        Files.setLastModifiedTime(sliceFile(2), FileTime.from(now.minusSeconds(3600)));
        Files.setLastModifiedTime(sliceFile(0), FileTime.from(now.minusSeconds(1800)));
        Files.setLastModifiedTime(sliceFile(1), FileTime.from(now.minusSeconds(60)));

        try (SliceCache restarted = new SliceCache(settings(dir, 4), source)) {
            ObjectVersion other = source.put("films/b.mp4", bytes(2 * SLICE, 9));
            Slice first = restarted.acquire(other, 0);
            read(first);
            first.release();
            assertEquals(0, restarted.stats().evictions(), "four slices fit");
            Slice second = restarted.acquire(other, 1);
            read(second);
            second.release();
            assertEquals(1, restarted.stats().evictions());
        }
        assertTrue(Files.notExists(sliceFile(2)), "slice 2, written longest ago, went first");
        assertTrue(Files.exists(sliceFile(0)) && Files.exists(sliceFile(1)), "the newer ones stay");
    }

    @Test
    void aCacheOverItsNewLimitEvictsTheOldestOnStart() throws IOException {
        fetchIntoCache(settings(dir, 8), 3);
        // Slices written a moment apart can share a modification time (the kernel's clock is coarse): set it.
        for (int index = 0; index < 3; index++) {
            Files.setLastModifiedTime(sliceFile(index), FileTime.from(Instant.now().minusSeconds(3600 - index)));
        }
        ObjectVersion other = source.put("films/b.mp4", bytes(4 * SLICE, 10));
        try (SliceCache cache = new SliceCache(settings(dir, 8), source)) {
            for (int index = 0; index < 4; index++) {
                Slice slice = cache.acquire(other, index);
                read(slice);
                slice.release();
            }
        }
        try (SliceCache smaller = new SliceCache(settings(dir, 4), source)) {
            assertEquals(4L * SLICE, smaller.stats().usedBytes());
            assertEquals(3, smaller.stats().evictions());
            assertEquals(4, sliceFiles(dir).size());
            assertTrue(sliceFiles(dir).stream().allMatch(p -> p.toString().contains(hashOf(other))),
                    "the film's slices, the older ones, went");
        }
    }

    private static String hashOf(ObjectVersion object) {
        return SliceFiles.versionHash(object.key(), object.etag());
    }

    /** The file of the film's slice {@code index}, there or not. */
    private Path sliceFile(int index) {
        String hash = hashOf(film);
        return dir.resolve(hash.substring(0, 2)).resolve(hash + "-" + SLICE + "-" + index);
    }
}
