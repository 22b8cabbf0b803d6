package dev.vod.internal.source;

import java.util.Objects;

/**
 * One version of one object of a content source: what a cached slice belongs to. Slices of another version
 * (another ETag) are never served for it.
 *
 * @param key  the object's key in the source
 * @param etag the version's entity tag, quoted
 * @param size its length in bytes
 */
public record ObjectVersion(String key, String etag, long size) {
    public ObjectVersion {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(etag, "etag");
        if (size < 0) {
            throw new IllegalArgumentException("size < 0");
        }
    }
}
