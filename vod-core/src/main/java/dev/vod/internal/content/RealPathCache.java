package dev.vod.internal.content;

import dev.vod.internal.body.SourceFile;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, for a short time, where a request path (decoded, relative to the root) really leads:
 * {@code Path.toRealPath} checks every component for a symlink, one {@code readlink} system call each, which on a
 * small-file workload cost more than sending the file. An entry is trusted for {@link #VALID_NANOS} (like nginx's
 * {@code open_file_cache_valid}, but 1 s rather than 60 s); the resolver still stats the real path on every
 * request, without following links, so a file replaced by a symlink is noticed at once. Only successful
 * resolutions are cached, so a file that appears is found on the next request.
 */
final class RealPathCache {
    static final long VALID_NANOS = 1_000_000_000L;
    private static final int MAX_ENTRIES = 16_384;

    /** A resolution: the real path, and whether the access policy allows it. */
    static final class Entry {
        private final Path real;
        private final boolean allowed;
        private final long expiresAt;
        /**
         * The file last found there. Handing out the same instance while size and modification time stay the same
         * lets the caches keyed on it compare by identity instead of comparing paths.
         */
        private volatile SourceFile lastFile;

        Entry(Path real, boolean allowed, long expiresAt) {
            this.real = real;
            this.allowed = allowed;
            this.expiresAt = expiresAt;
        }

        Path real() {
            return real;
        }

        boolean allowed() {
            return allowed;
        }

        /**
         * The file at the real path with this size, modification time and (for an object, else null) entity tag:
         * the previous instance if unchanged.
         */
        SourceFile file(long size, long lastModified, String etag) {
            SourceFile file = lastFile;
            if (file == null || file.size() != size || file.lastModified() != lastModified
                    || (etag != null && !etag.equals(file.etag()))) {
                file = new SourceFile(real, size, lastModified, etag);
                lastFile = file;
            }
            return file;
        }
    }

    private final ConcurrentHashMap<RequestPath, Entry> entries = new ConcurrentHashMap<>();

    Entry get(RequestPath candidate, long now) {
        Entry e = entries.get(candidate);
        if (e == null) {
            return null;
        }
        if (now - e.expiresAt >= 0) {
            entries.remove(candidate, e);
            return null;
        }
        return e;
    }

    Entry put(RequestPath candidate, Path real, boolean allowed, long now) {
        if (entries.size() >= MAX_ENTRIES) {
            // A crude bound, but entries live one second: clearing costs at most one readlink walk each.
            entries.clear();
        }
        Entry entry = new Entry(real, allowed, now + VALID_NANOS);
        entries.put(candidate, entry);
        return entry;
    }

    void remove(RequestPath candidate) {
        entries.remove(candidate);
    }
}
