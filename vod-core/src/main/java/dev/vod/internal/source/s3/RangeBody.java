package dev.vod.internal.source.s3;

import dev.vod.ContentSource.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import software.amazon.awssdk.http.AbortableInputStream;

/**
 * The body of one ranged GET, exactly {@code length} bytes long: it ends after them, fails when the connection
 * ends before them (a short body is never taken for the end of the range), and maps read failures to
 * {@link SourceException}s.
 *
 * <p>Closing it before the end aborts the HTTP connection instead of closing the HTTP client's stream, which
 * would read the rest of the body to keep the connection: a cancelled slice of many megabytes is not worth
 * downloading.
 */
final class RangeBody extends InputStream {
    private final AbortableInputStream in;
    private final S3Failures failures;
    private final String key;
    private final long length;
    private final byte[] one = new byte[1];
    private long remaining;
    private boolean closed;

    RangeBody(AbortableInputStream in, long length, S3Failures failures, String key) {
        this.in = in;
        this.length = length;
        this.remaining = length;
        this.failures = failures;
        this.key = key;
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
        Objects.checkFromIndexSize(offset, count, buffer.length);
        if (closed) {
            throw new IOException("closed");
        }
        if (remaining == 0) {
            return -1;
        }
        if (count == 0) {
            return 0;
        }
        int n;
        try {
            n = in.read(buffer, offset, (int) Math.min(count, remaining));
        } catch (IOException e) {
            abort();
            throw failures.mapBody(e, key);
        } catch (RuntimeException e) { // the SDK wraps some failures of its own stream (an abort, a timeout task)
            abort();
            throw failures.mapBody(new IOException(e.getMessage(), e), key);
        }
        if (n < 0) {
            abort();
            throw failures.truncated(key, length - remaining, length);
        }
        remaining -= n;
        return n;
    }

    @Override
    public int available() throws IOException {
        return closed ? 0 : (int) Math.min(in.available(), remaining);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        if (remaining > 0) {
            abort();
            return;
        }
        closed = true;
        in.close(); // the whole body was read: the connection goes back to the pool
    }

    private void abort() {
        if (!closed) {
            closed = true;
            in.abort();
            try {
                in.close();
            } catch (IOException | RuntimeException ignored) {
                // Already aborted: closing only releases what is left, and its failure changes nothing.
            }
        }
    }
}
