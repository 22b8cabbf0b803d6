package dev.vod.internal.source;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * One aligned slice of one object version in the {@link SliceCache}: complete on disk, or still arriving from the
 * source. Bytes {@code [0, available())} of {@link #channel()} are the object's bytes
 * {@code [offset(), offset() + available())} and never change.
 *
 * <p>Every {@link SliceCache#acquire} hands out one reference that must be {@link #release()}d. When every holder
 * of a slice still being fetched has released it, the fetch is cancelled.
 */
public final class Slice {
    // TODO(cache helper): implementation

    /** Object offset of the slice's first byte (its index times the slice size). */
    public long offset() {
        throw new UnsupportedOperationException();
    }

    /** Bytes the slice holds when complete (the last slice of an object is shorter). */
    public int length() {
        throw new UnsupportedOperationException();
    }

    /** Bytes on disk so far: readable at {@code [0, available())} of {@link #channel()}. */
    public int available() {
        throw new UnsupportedOperationException();
    }

    /** Whether all {@link #length()} bytes are on disk. */
    public boolean complete() {
        throw new UnsupportedOperationException();
    }

    /** Why the fetch failed, or null while it has not. Bytes already available stay valid. */
    public IOException failure() {
        throw new UnsupportedOperationException();
    }

    /** A read-only channel over the slice's file, position 0 at the slice's first byte; valid until release. */
    public FileChannel channel() throws IOException {
        throw new UnsupportedOperationException();
    }

    /**
     * Runs {@code then} once {@code available() >= bytes} or the fetch failed: at once, on the calling thread, if so
     * already; else on the fetching thread. {@code then} must be quick and must not block.
     */
    public void whenAvailable(int bytes, Runnable then) {
        throw new UnsupportedOperationException();
    }

    /**
     * Blocks until {@code available() >= bytes}.
     *
     * @throws IOException the fetch's failure, or {@link java.io.InterruptedIOException} when interrupted
     */
    public void awaitAvailable(int bytes) throws IOException {
        throw new UnsupportedOperationException();
    }

    /** Gives back the reference {@link SliceCache#acquire} handed out. */
    public void release() {
        throw new UnsupportedOperationException();
    }
}
