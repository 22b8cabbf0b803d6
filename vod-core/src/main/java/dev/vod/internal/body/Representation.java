package dev.vod.internal.body;

import java.util.Objects;

/**
 * What a 200 response to a GET would carry: the {@link Body}, its media type and its validators.
 *
 * <p>Preconditions (If-Match, If-None-Match, ...) and ranges are evaluated against a representation, whatever
 * produced it: a file, an MP4 seek output or a virtual faststart layout.
 *
 * @param body         the bytes
 * @param contentType  media type with parameters, e.g. {@code video/mp4} or {@code text/html; charset=utf-8}
 * @param etag         strong entity tag including quotes, or {@code null} when the representation has none
 * @param lastModified epoch milliseconds, or {@code -1} when unknown
 */
public record Representation(Body body, String contentType, String etag, long lastModified) {
    public Representation {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(contentType, "contentType");
    }

    /** The plain representation of a file. */
    public static Representation ofFile(SourceFile file, String contentType) {
        return new Representation(Body.ofFile(file), contentType, file.etag(), file.lastModified());
    }
}
