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
     * Derived once per snapshot: resolution hands out the same instance while size and mtime hold, so a hot
     * file's tag and name are built once instead of on every request.
     */
    private final String etag;
    private final String fileName;
    /**
     * Built on first use (it refers back to this file, so not in the constructor). A data race at worst builds it
     * twice: a Body is immutable.
     */
    private Body wholeBody;

    public SourceFile(Path path, long size, long lastModified) {
        this(path, size, lastModified, null);
    }

    /**
     * A file whose entity tag is given by where it lives: an object store's ETag, the same on every node that
     * serves the object. {@code null} derives it from size and modification time, as for a local file.
     */
    public SourceFile(Path path, long size, long lastModified, String etag) {
        Objects.requireNonNull(path, "path");
        if (size < 0) {
            throw new IllegalArgumentException("size < 0");
        }
        this.path = path;
        this.size = size;
        this.lastModified = lastModified;
        this.etag = etag != null ? etag
                : "\"" + Long.toHexString(lastModified / 1000) + "-" + Long.toHexString(size) + "\"";
        this.fileName = path.getFileName() == null ? "" : path.getFileName().toString();
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
     * A strong entity tag: the store's for an object, else size and modification time in hex, quoted — the same recipe as nginx, so caches and
     * clients see a change whenever either changes.
     */
    public String etag() {
        return etag;
    }

    /** The last element of the path, e.g. {@code sample.mp4}. */
    public String fileName() {
        return fileName;
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
                && path.equals(other.path) && etag.equals(other.etag);
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
