package dev.vod;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How content from a {@link ContentSource} is kept on local disk: fetched in aligned slices into {@code dir},
 * served from there by sendfile, evicted least recently used beyond {@code maxBytes}, kept across restarts
 * (a slice is only ever used for the object version, by ETag, it was fetched from).
 *
 * @param dir        folder of the cache; created if missing; one vod process per folder
 * @param sliceBytes size of one slice, a power of two from 64 KiB to 64 MiB (default 1 MiB)
 * @param maxBytes   most bytes of slices kept (default 10 GiB); the least recently used go first
 * @param revalidate how long an object's size and ETag are trusted before the store is asked again (default 5 s):
 *                   a changed object is noticed within this time
 */
public record SliceCacheSettings(Path dir, int sliceBytes, long maxBytes, Duration revalidate) {
    /** Default slice size: 1 MiB, as nginx's {@code slice 1m}. */
    public static final int DEFAULT_SLICE = 1 << 20;

    public SliceCacheSettings {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(revalidate, "revalidate");
        if (sliceBytes < 64 * 1024 || sliceBytes > 64 * 1024 * 1024 || Integer.bitCount(sliceBytes) != 1) {
            throw new IllegalArgumentException("cache slice must be a power of two from 64k to 64m: " + sliceBytes);
        }
        if (maxBytes < 4L * sliceBytes) {
            throw new IllegalArgumentException("cache max size must hold at least 4 slices: " + maxBytes);
        }
        if (revalidate.isNegative()) {
            throw new IllegalArgumentException("revalidate must not be negative: " + revalidate);
        }
    }

    /** A cache in {@code dir} with 1 MiB slices, at most 10 GiB, revalidating every 5 s. */
    public static SliceCacheSettings in(Path dir) {
        return new SliceCacheSettings(dir, DEFAULT_SLICE, 10L << 30, Duration.ofSeconds(5));
    }

    public SliceCacheSettings withSliceBytes(int sliceBytes) {
        return new SliceCacheSettings(dir, sliceBytes, maxBytes, revalidate);
    }

    public SliceCacheSettings withMaxBytes(long maxBytes) {
        return new SliceCacheSettings(dir, sliceBytes, maxBytes, revalidate);
    }

    public SliceCacheSettings withRevalidate(Duration revalidate) {
        return new SliceCacheSettings(dir, sliceBytes, maxBytes, revalidate);
    }
}
