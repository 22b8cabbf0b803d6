package dev.vod;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the served bytes come from when they are not in a local folder: an object store (S3 and the services that
 * speak its API), or anything an application plugs in. Keys are the root-relative paths of the content
 * ({@code films/a.mp4}), always with {@code /} separators, never starting with {@code /}, never with an empty,
 * {@code .} or {@code ..} segment: vod decodes and checks request paths (access policy included) before a key is
 * built, so an implementation needs no checks of its own.
 *
 * <p>vod reads a source only through its slice cache ({@link SliceCacheSettings}): ranges of at most one slice,
 * each read once per object version and then served from local disk by sendfile. So an implementation only has to
 * answer the four questions below, each a blocking call made on vod's own fetch threads, never on an event loop.
 *
 * <p>Failures are {@link SourceException}s with a {@link SourceException.Kind}: vod answers them 502 or 504, or
 * aborts a response already started. A missing object is not a failure: {@link #stat} returns empty and
 * {@link #read} throws {@link java.nio.file.NoSuchFileException}.
 *
 * <p>Implementations must be safe for concurrent use.
 */
public interface ContentSource extends AutoCloseable {

    /**
     * One object as the store describes it.
     *
     * @param key          the object's key, relative to the source's root
     * @param size         its length in bytes
     * @param lastModified its modification time in epoch milliseconds
     * @param etag         the store's entity tag for this version, quoted as in HTTP ({@code "abc"}); two nodes
     *                     reading one object see the same tag, and a changed object gets a new one
     */
    record ObjectInfo(String key, long size, long lastModified, String etag) {
        public ObjectInfo {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(etag, "etag");
            if (size < 0) {
                throw new IllegalArgumentException("size < 0");
            }
        }
    }

    /**
     * One level of a folder: the objects directly in it and the names of its sub-folders.
     *
     * @param objects   objects directly under the folder, their keys full (folder prefix included)
     * @param folders   names (one segment, no slash) of the folders directly under it
     * @param truncated whether the store had more entries than were asked for
     */
    record Listing(List<ObjectInfo> objects, List<String> folders, boolean truncated) {
        public Listing {
            objects = List.copyOf(objects);
            folders = List.copyOf(folders);
        }
    }

    /**
     * The object at {@code key}, or empty when there is none (a key that is only a folder prefix is none).
     *
     * @throws SourceException when the store cannot answer
     */
    Optional<ObjectInfo> stat(String key) throws IOException;

    /**
     * The objects and sub-folders directly in {@code folder} ({@code ""} for the root, else a key prefix ending in
     * {@code /}), at most about {@code limit} entries. An empty listing means the folder does not exist.
     *
     * @throws SourceException when the store cannot answer
     */
    Listing list(String folder, int limit) throws IOException;

    /**
     * Bytes {@code [offset, offset + length)} of the version {@code etag} of {@code key}. The stream must give
     * exactly those bytes of that version, or fail: if the object has changed since, throw (or fail the stream
     * with) a {@link SourceException.Kind#CHANGED} exception, never return bytes of another version.
     *
     * @throws java.nio.file.NoSuchFileException when the object no longer exists
     * @throws SourceException                   when the store cannot answer or the object changed
     */
    InputStream read(String key, String etag, long offset, long length) throws IOException;

    /**
     * Checks that the store is reachable and readable, for health checks: returns normally or throws.
     *
     * @throws SourceException when it is not
     */
    void check() throws IOException;

    /** What this source reads, for logs and the startup line, e.g. {@code s3://media/films/}. */
    String describe();

    /** Releases connections and threads; the default does nothing. */
    @Override
    default void close() {
    }

    /** The objects under {@code s3://bucket/prefix} of an S3-compatible store, with the AWS SDK. */
    static ContentSource s3(S3Settings settings) {
        return dev.vod.internal.source.s3.S3ContentSource.create(settings);
    }

    /**
     * Why a store could not answer. The kind decides the HTTP answer: {@link Kind#UNAVAILABLE} and
     * {@link Kind#DENIED} give 502, {@link Kind#TIMEOUT} 504; {@link Kind#CHANGED} makes vod read the object's new
     * version (or abort a response that has already sent bytes of the old one).
     */
    final class SourceException extends IOException {
        /** What went wrong. */
        public enum Kind {
            /** Unreachable, connection reset, or a 5xx answer. */
            UNAVAILABLE,
            /** No answer in time. */
            TIMEOUT,
            /** The store refused the credentials or the request (403): a configuration error. */
            DENIED,
            /** The object is no longer the version asked for. */
            CHANGED
        }

        private final Kind kind;

        public SourceException(Kind kind, String message, Throwable cause) {
            super(message, cause);
            this.kind = Objects.requireNonNull(kind, "kind");
        }

        public SourceException(Kind kind, String message) {
            this(kind, message, null);
        }

        public Kind kind() {
            return kind;
        }
    }
}
