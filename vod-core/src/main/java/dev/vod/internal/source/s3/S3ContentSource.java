package dev.vod.internal.source.s3;

import dev.vod.ContentSource;
import dev.vod.S3Settings;

/** A {@link ContentSource} over an S3-compatible store, with the AWS SDK for Java v2. */
public final class S3ContentSource {
    // TODO(s3 helper): implementation; implements ContentSource
    private S3ContentSource() {
    }

    public static ContentSource create(S3Settings settings) {
        throw new UnsupportedOperationException();
    }
}
