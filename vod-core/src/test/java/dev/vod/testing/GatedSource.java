package dev.vod.testing;

import dev.vod.ContentSource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * A {@link ContentSource} whose reads give their first {@code pauseAfter} bytes at once and the rest only once
 * {@code gate} is open: a slice that stays "still arriving" for as long as a test needs.
 */
public record GatedSource(ContentSource inner, int pauseAfter, CountDownLatch gate) implements ContentSource {
    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        return inner.stat(key);
    }

    @Override
    public Listing list(String folder, int limit) throws IOException {
        return inner.list(folder, limit);
    }

    @Override
    public InputStream read(String key, String etag, long offset, long length) throws IOException {
        InputStream in = inner.read(key, etag, offset, length);
        return new FilterInputStream(in) {
            private long given;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (given >= pauseAfter) {
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        throw new InterruptedIOException();
                    }
                }
                int n = super.read(b, off, (int) Math.min(len, given < pauseAfter ? pauseAfter - given : len));
                given += Math.max(n, 0);
                return n;
            }
        };
    }

    @Override
    public void check() throws IOException {
        inner.check();
    }

    @Override
    public String describe() {
        return "gated " + inner.describe();
    }
}
