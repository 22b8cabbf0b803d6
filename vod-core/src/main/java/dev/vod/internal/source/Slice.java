package dev.vod.internal.source;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One aligned slice of one object version in the {@link SliceCache}: complete on disk, or still arriving from the
 * source. Bytes {@code [0, available())} of {@link #channel()} are the object's bytes
 * {@code [offset(), offset() + available())} and never change.
 *
 * <p>Every {@link SliceCache#acquire} hands out one reference that must be {@link #release()}d. When every holder
 * of a slice still being fetched has released it, the fetch is cancelled.
 *
 * <p>This object is one holder's reference; the holders of one slice share its state and its channel. Releasing
 * twice is harmless, and the channel is refused after release, since other holders may still be using it.
 */
public final class Slice {
    private final SliceCache cache;
    private final CachedSlice cached;
    private final FileChannel channel;
    private final AtomicBoolean released = new AtomicBoolean();

    /** @param channel the holders' shared channel, null when the slice failed before its file existed */
    Slice(SliceCache cache, CachedSlice cached, FileChannel channel) {
        this.cache = cache;
        this.cached = cached;
        this.channel = channel;
    }

    /** Object offset of the slice's first byte (its index times the slice size). */
    public long offset() {
        return cached.offset;
    }

    /** Bytes the slice holds when complete (the last slice of an object is shorter). */
    public int length() {
        return cached.length;
    }

    /** Bytes on disk so far: readable at {@code [0, available())} of {@link #channel()}. */
    public int available() {
        return cached.available();
    }

    /** Whether all {@link #length()} bytes are on disk. */
    public boolean complete() {
        return cached.complete();
    }

    /** Why the fetch failed, or null while it has not. Bytes already available stay valid. */
    public IOException failure() {
        return cached.failure();
    }

    /**
     * A read-only channel over the slice's file, position 0 at the slice's first byte; valid until release. It is
     * shared by the slice's holders: read it with positional reads or {@code transferTo}, and do not close it.
     * Nor read it from a thread that may be interrupted: an interrupt during a read closes a {@link FileChannel},
     * for every holder.
     *
     * @throws IOException the slice's failure when it failed before its file existed, or
     *                     {@link ClosedChannelException} after {@link #release()}
     */
    public FileChannel channel() throws IOException {
        if (released.get()) {
            throw new ClosedChannelException();
        }
        if (channel == null) {
            throw cached.failure();
        }
        return channel;
    }

    /**
     * Runs {@code then} once {@code available() >= bytes} or the fetch failed: at once, on the calling thread, if so
     * already; else on the fetching thread. {@code then} must be quick and must not block.
     *
     * @throws IllegalArgumentException when {@code bytes} is negative or more than {@link #length()}
     */
    public void whenAvailable(int bytes, Runnable then) {
        cached.whenAvailable(bytes, then);
    }

    /**
     * Blocks until {@code available() >= bytes}.
     *
     * @throws IOException the fetch's failure, {@link java.io.InterruptedIOException} when interrupted, or a
     *                     {@link dev.vod.ContentSource.SourceException.Kind#TIMEOUT} source exception when the
     *                     bytes are still not there after 120 s (a fetch stuck beyond any store timeout)
     */
    public void awaitAvailable(int bytes) throws IOException {
        cached.awaitAvailable(bytes);
    }

    /** Gives back the reference {@link SliceCache#acquire} handed out. */
    public void release() {
        if (released.compareAndSet(false, true)) {
            cache.release(cached);
        }
    }

    /** The channel this reference was handed, without the checks of {@link #channel()}: for sharing it. */
    FileChannel sharedChannel() {
        return channel;
    }

    boolean isReleased() {
        return released.get();
    }

    CachedSlice cached() {
        return cached;
    }

    @Override
    public String toString() {
        return "Slice " + cached;
    }
}
