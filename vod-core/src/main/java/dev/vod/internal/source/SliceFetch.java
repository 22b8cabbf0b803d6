package dev.vod.internal.source;

import dev.vod.ContentSource;
import dev.vod.ContentSource.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One slice's way from the source into its part file, run on a fetch thread. The source stream is copied through
 * one {@value #BUFFER_BYTES}-byte buffer, so a fetch holds that much heap whatever the slice size, and each chunk
 * is announced to the slice's waiters as soon as it is written: a response streams bytes while later ones are
 * still on the wire.
 *
 * <p>An unreachable, failing (5xx) or slow store ({@link SourceException.Kind#UNAVAILABLE},
 * {@link SourceException.Kind#TIMEOUT}) gets one more try after 100–250 ms; the retry asks only for the bytes not
 * yet on disk, since those already there are the right version's (the source must fail with
 * {@link SourceException.Kind#CHANGED} rather than serve another) and may already have been sent. Refusals,
 * changed and missing objects are final at once.
 *
 * <p>{@link #cancel()} (every holder left, or the cache closed) closes the source stream, which aborts its
 * connection and makes the blocked read fail, and the part file's channel; whoever cancels has already dealt with
 * the part file and the holders, so the fetch then just stops.
 */
final class SliceFetch implements Runnable {
    static final int BUFFER_BYTES = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger("vod.source");

    private final SliceCache cache;
    private final CachedSlice slice;
    private final ContentSource source;
    private final ObjectVersion object;
    private final FileChannel part;
    private final CacheCounters counters;

    private volatile boolean cancelled;
    private volatile InputStream stream;
    /** Bytes in the part file; the fetch thread's alone. */
    private int written;

    SliceFetch(SliceCache cache, CachedSlice slice, ContentSource source, ObjectVersion object, FileChannel part,
               CacheCounters counters) {
        this.cache = cache;
        this.slice = slice;
        this.source = source;
        this.object = object;
        this.part = part;
        this.counters = counters;
    }

    @Override
    public void run() {
        if (cancelled) {
            return;
        }
        long started = System.nanoTime();
        IOException failure = null;
        try {
            copyWithOneRetry(new byte[Math.min(BUFFER_BYTES, slice.length)]);
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException e) {
            // A source bug must still end the slice, or its waiters would hang until their timeout.
            failure = new IOException(source.describe() + " failed reading " + object.key(), e);
        } finally {
            closeQuietly(part);
        }
        if (cancelled) {
            log.debug("{}: fetch cancelled after {} bytes", slice.name, written);
            return;
        }
        counters.fetched(System.nanoTime() - started, failure != null);
        if (failure == null) {
            // The last bytes are announced only once the slice is in the index: whoever sees it complete can
            // count on the next acquire being a hit, and on eviction having made room for it already.
            cache.fetched(slice);
            slice.advance(slice.length);
        } else {
            log.debug("{}: fetch of {} bytes {}+{} failed after {}: {}", slice.name, object.key(), slice.offset,
                    slice.length, written, failure.toString());
            cache.fetchFailed(slice, failure);
        }
    }

    /** Stops the fetch for good: its stream and part file are closed, whatever thread it is blocked on. */
    void cancel() {
        cancelled = true;
        // The fetch thread stores the stream before it reads cancelled, this reads the stream after setting it:
        // one of the two sees the other, so a stream opened during cancel() is closed either way.
        closeQuietly(stream);
        closeQuietly(part);
    }

    private void copyWithOneRetry(byte[] buffer) throws IOException {
        try {
            copy(buffer);
        } catch (SourceException e) {
            if (cancelled || (e.kind() != SourceException.Kind.UNAVAILABLE
                    && e.kind() != SourceException.Kind.TIMEOUT)) {
                throw e;
            }
            long backoffMillis = 100 + ThreadLocalRandom.current().nextInt(151);
            log.debug("{}: {} after {} of {} bytes, retrying in {} ms", slice.name, e.toString(), written,
                    slice.length, backoffMillis);
            try {
                Thread.sleep(backoffMillis);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted before retrying " + object.key());
            }
            copy(buffer);
        }
    }

    /** Copies the bytes from {@link #written} to the slice's end, announcing each chunk but the last. */
    private void copy(byte[] buffer) throws IOException {
        if (cancelled) {
            throw new IOException("cancelled");
        }
        InputStream in = source.read(object.key(), object.etag(), slice.offset + written, slice.length - written);
        stream = in;
        try (in) {
            if (cancelled) {
                throw new IOException("cancelled");
            }
            while (written < slice.length) {
                // Never more than the slice asks for: a source that sends too much is cut here, not believed.
                int n = in.read(buffer, 0, Math.min(buffer.length, slice.length - written));
                if (n < 0) {
                    throw new SourceException(SourceException.Kind.UNAVAILABLE, source.describe() + " ended "
                            + object.key() + " at " + (slice.offset + written) + ", " + (slice.length - written)
                            + " bytes short of the slice's end");
                }
                counters.originBytes(n);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    part.write(chunk, written + chunk.position());
                }
                written += n;
                if (written < slice.length) {
                    slice.advance(written);
                }
            }
        } finally {
            stream = null;
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.debug("closing {} after a fetch: {}", closeable, e.toString());
        }
    }
}
