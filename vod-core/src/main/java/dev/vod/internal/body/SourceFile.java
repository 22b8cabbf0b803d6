package dev.vod.internal.body;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A regular file as it was when the request resolved it: its real path, size and modification time.
 *
 * <p>Everything derived from a file (its ETag, a parsed MP4 index, the slices of a response) is keyed by this
 * snapshot, so a file replaced or truncated between resolution and writing is detected (the writer compares the
 * size it finds with {@link #size()}) instead of sending a mix of old and new bytes.
 */
public final class SourceFile {
    private final Path path;
    private final long size;
    private final long lastModified;
    /**
     * Built on first use. A data race at worst builds it twice: a String is immutable, so any thread that sees the
     * reference sees the whole value. Resolution hands out the same instance while size and mtime hold, so a hot
     * file's tag is built once instead of on every request.
     */
    private String etag;
    /** As {@link #etag}: built on first use; Body and String are immutable. */
    private Body wholeBody;
    private String fileName;

    public SourceFile(Path path, long size, long lastModified) {
        Objects.requireNonNull(path, "path");
        if (size < 0) {
            throw new IllegalArgumentException("size < 0");
        }
        this.path = path;
        this.size = size;
        this.lastModified = lastModified;
    }

    /** Real path (symlinks resolved) under the served root. */
    public Path path() {
        return path;
    }

    /** Size in bytes at resolution time. */
    public long size() {
        return size;
    }

    /** Modification time in epoch milliseconds. */
    public long lastModified() {
        return lastModified;
    }

    /**
     * A strong entity tag: size and modification time in hex, quoted — the same recipe as nginx, so caches and
     * clients see a change whenever either changes.
     */
    public String etag() {
        String tag = etag;
        if (tag == null) {
            tag = "\"" + Long.toHexString(lastModified / 1000) + "-" + Long.toHexString(size) + "\"";
            etag = tag;
        }
        return tag;
    }

    /** The last element of the path, e.g. {@code sample.mp4}. */
    public String fileName() {
        String name = fileName;
        if (name == null) {
            name = path.getFileName().toString();
            fileName = name;
        }
        return name;
    }

    /** The whole file as a response body. */
    Body wholeBody() {
        Body body = wholeBody;
        if (body == null) {
            body = Body.buildWhole(this);
            wholeBody = body;
        }
        return body;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceFile other && size == other.size && lastModified == other.lastModified
                && path.equals(other.path);
    }

    @Override
    public int hashCode() {
        return (path.hashCode() * 31 + Long.hashCode(size)) * 31 + Long.hashCode(lastModified);
    }

    @Override
    public String toString() {
        return "SourceFile[path=" + path + ", size=" + size + ", lastModified=" + lastModified + "]";
    }
}
