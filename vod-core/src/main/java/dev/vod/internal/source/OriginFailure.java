package dev.vod.internal.source;

import dev.vod.ContentSource;
import java.nio.file.NoSuchFileException;

/**
 * The store could not give bytes a request needs: an answer ({@link #status()}: 502, 504, 503 or 404), not a bug.
 *
 * <p>Unchecked on purpose: it is thrown from the blocking channel the MP4 and packaging code reads through, whose
 * handling of {@link java.io.IOException} means "this file is broken" and is remembered with the file. An origin
 * that is briefly down must not make a good file look broken, so this passes through that handling untouched and
 * is turned into a response where requests are answered.
 */
public final class OriginFailure extends RuntimeException {
    private final int status;

    OriginFailure(int status, String message, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
    }

    /** The HTTP status that answers it. */
    public int status() {
        return status;
    }

    /** The answer to a failed read or lookup of {@code key}. */
    static OriginFailure of(java.io.IOException e, String key) {
        if (e instanceof NoSuchFileException) {
            return new OriginFailure(404, "Not Found", e);
        }
        if (e instanceof ContentSource.SourceException s) {
            return switch (s.kind()) {
                case TIMEOUT -> new OriginFailure(504, "the content store did not answer in time", e);
                case CHANGED -> new OriginFailure(503, key + " changed while it was read; retry", e);
                case DENIED, UNAVAILABLE -> new OriginFailure(502, "the content store is unavailable", e);
            };
        }
        return new OriginFailure(502, "the content store is unavailable", e);
    }
}
