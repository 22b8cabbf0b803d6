package dev.vod.internal.body;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A regular file as it was when the request resolved it: its real path, size and modification time.
 *
 * <p>Everything derived from a file (its ETag, a parsed MP4 index, the slices of a response) is keyed by this
 * snapshot, so a file replaced or truncated between resolution and writing is detected (the writer compares the
 * size it finds with {@link #size()}) instead of sending a mix of old and new bytes.
 *
 * @param path         real path (symlinks resolved) under the served root
 * @param size         size in bytes at resolution time
 * @param lastModified modification time in epoch milliseconds
 */
public record SourceFile(Path path, long size, long lastModified) {
    public SourceFile {
        Objects.requireNonNull(path, "path");
        if (size < 0) {
            throw new IllegalArgumentException("size < 0");
        }
    }

    /**
     * A strong entity tag: size and modification time in hex, quoted — the same recipe as nginx, so caches and
     * clients see a change whenever either changes.
     */
    public String etag() {
        return "\"" + Long.toHexString(lastModified / 1000) + "-" + Long.toHexString(size) + "\"";
    }
}
