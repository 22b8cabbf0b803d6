package dev.vod.internal.source;

import java.util.Objects;

/**
 * One version of one object of a content source: what a cached slice belongs to. Slices of another version
 * (another ETag) are never served for it.
 *
 * <p>A value (equal when key, ETag and size are), made once per lookup of the key in the store and then shared by
 * every request until the next: so it also carries the name its slice files have in the cache folder
 * ({@link #versionHash()}), worked out on first use rather than on every acquire of a slice.
 */
public final class ObjectVersion {
    private final String key;
    private final String etag;
    private final long size;
    /** Built on first use; a data race at worst computes it twice (a String is safe to publish so). */
    private String versionHash;

    /**
     * @param key  the object's key in the source
     * @param etag the version's entity tag, quoted
     * @param size its length in bytes
     */
    public ObjectVersion(String key, String etag, long size) {
        this.key = Objects.requireNonNull(key, "key");
        this.etag = Objects.requireNonNull(etag, "etag");
        if (size < 0) {
            throw new IllegalArgumentException("size < 0");
        }
        this.size = size;
    }

    /** The object's key in the source. */
    public String key() {
        return key;
    }

    /** The version's entity tag, quoted. */
    public String etag() {
        return etag;
    }

    /** Its length in bytes. */
    public long size() {
        return size;
    }

    /** {@link SliceFiles#versionHash} of this version: a SHA-256, so computed once per version, not per slice. */
    String versionHash() {
        String hash = versionHash;
        if (hash == null) {
            hash = SliceFiles.versionHash(key, etag);
            versionHash = hash;
        }
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectVersion other && size == other.size && key.equals(other.key)
                && etag.equals(other.etag);
    }

    @Override
    public int hashCode() {
        return (key.hashCode() * 31 + etag.hashCode()) * 31 + Long.hashCode(size);
    }

    @Override
    public String toString() {
        return "ObjectVersion[key=" + key + ", etag=" + etag + ", size=" + size + "]";
    }
}
