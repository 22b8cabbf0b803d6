package dev.vod.internal.content;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, for a short time, where a request path really leads: {@code Path.toRealPath} checks every component
 * for a symlink, one {@code readlink} system call each, which on a small-file workload cost more than sending the
 * file. An entry is trusted for {@link #VALID_NANOS} (like nginx's {@code open_file_cache_valid}, but 1 s rather
 * than 60 s); the resolver still stats the real path on every request, without following links, so a file
 * replaced by a symlink is noticed at once. Only successful resolutions are cached, so a file that appears is
 * found on the next request.
 */
final class RealPathCache {
    static final long VALID_NANOS = 1_000_000_000L;
    private static final int MAX_ENTRIES = 16_384;

    /** A resolution: the real path, and whether the access policy allows it. */
    record Entry(Path real, boolean allowed, long expiresAt) {
    }

    private final ConcurrentHashMap<Path, Entry> entries = new ConcurrentHashMap<>();

    Entry get(Path candidate, long now) {
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

    void put(Path candidate, Path real, boolean allowed, long now) {
        if (entries.size() >= MAX_ENTRIES) {
            // A crude bound, but entries live one second: clearing costs at most one readlink walk each.
            entries.clear();
        }
        entries.put(candidate, new Entry(real, allowed, now + VALID_NANOS));
    }

    void remove(Path candidate) {
        entries.remove(candidate);
    }
}
