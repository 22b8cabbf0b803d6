package dev.vod.internal.source;

import dev.vod.ContentSource.SourceException;
import dev.vod.internal.NonBlocking;
import dev.vod.internal.ReadAhead;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.TreeMap;

/**
 * A read-only channel over one object version, read through the {@link SliceCache}: what
 * {@code FileChannel.open} gives for a path of the {@link ObjectStoreFileSystem}, so the MP4 index, the packager and
 * RTSP read remote objects with the code they use for local files.
 *
 * <p>Reads block until the slice they touch has the bytes: call them on worker threads, not event loops, unless in a
 * {@link NonBlocking} attempt, where only slices complete on disk are read and anything else gives up. A failed
 * fetch surfaces as an {@link OriginFailure} (unchecked, see there why). Responses do not read through this channel:
 * the HTTP body writer recognises it and sends the slices' own files by sendfile ({@link #cache()},
 * {@link #version()}).
 */
public final class RemoteChannel extends FileChannel implements ReadAhead {
    /** Longest a reader waits for bytes: longer than any source timeout, only a stuck fetch takes it. */
    public static final long LONGEST_WAIT_SECONDS = CachedSlice.AWAIT_TIMEOUT_SECONDS;
    /** Most slices one hint fetches ahead: as many as the cache fetches at once (more would only queue). */
    static final int MAX_AHEAD = SliceCache.FETCH_THREADS;

    private final SliceCache cache;
    private final ObjectVersion version;
    private final ObjectCatalog catalog;
    private long position;
    /** The slice the last read used: MP4 parsing reads many small boxes from one slice. */
    private Slice held;
    /**
     * Slices acquired before a read reached them, by index: the next one of a response ({@link #keep}), those a
     * reader announced ({@link #willRead}). Kept until {@link #keep} moves past them or the channel closes.
     */
    private final TreeMap<Long, Slice> ahead = new TreeMap<>();

    RemoteChannel(SliceCache cache, ObjectVersion version, ObjectCatalog catalog) {
        this.cache = cache;
        this.version = version;
        this.catalog = catalog;
    }

    /** The cache the object's slices are in. */
    public SliceCache cache() {
        return cache;
    }

    /** The object version this channel reads. */
    public ObjectVersion version() {
        return version;
    }

    /** Called when a read found the object changed: the next lookup asks the store again. */
    public void changed() {
        catalog.invalidate(version.key());
    }

    @Override
    public synchronized int read(ByteBuffer dst, long at) throws IOException {
        ensureOpen();
        if (at < 0) {
            throw new IllegalArgumentException("negative position");
        }
        if (at >= version.size()) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (dst.remaining() > cache.sliceBytes() - at % cache.sliceBytes()) {
            willRead(at, dst.remaining()); // a read across slices: all of them fetched at once
        }
        Slice slice = slice(at / cache.sliceBytes());
        int within = (int) (at - slice.offset());
        int want = (int) Math.min(dst.remaining(), slice.length() - within);
        try {
            slice.awaitAvailable(within + want);
        } catch (IOException e) {
            throw originFailure(e);
        }
        int limit = dst.limit();
        dst.limit(dst.position() + want);
        try {
            int total = 0;
            while (dst.hasRemaining()) {
                int n = slice.channel().read(dst, within + total);
                if (n < 0) {
                    throw new IOException("cached slice of " + version.key() + " is shorter than expected");
                }
                total += n;
            }
            return total;
        } finally {
            dst.limit(limit);
        }
    }

    /**
     * Starts fetching the slice holding byte {@code at} and waits until its first bytes are there, keeping it until
     * this channel is closed. Called before a response's head is sent: a store that cannot give the first byte
     * then gets a clean 502 or 504 instead of a response cut after its head.
     *
     * @throws OriginFailure when the fetch fails
     */
    public synchronized void prefetch(long at) {
        if (at < 0 || at >= version.size()) {
            return;
        }
        Slice slice = slice(at / cache.sliceBytes());
        try {
            slice.awaitAvailable((int) (at - slice.offset()) + 1);
        } catch (IOException e) {
            throw originFailure(e);
        }
    }

    /**
     * As {@link #prefetch}, without waiting, for a reply planned on an event loop: starts fetching the slice
     * holding byte {@code at} (even during a {@link NonBlocking} attempt: starting a fetch never blocks, and the
     * reply needs it) and keeps it. Returns it when that byte is not there yet, for the caller to wait on with
     * {@link Slice#whenAvailable} and then ask {@link #prefetchFailure}; null when it is (or {@code at} is outside
     * the object).
     */
    public synchronized Slice startPrefetch(long at) {
        if (at < 0 || at >= version.size()) {
            return null;
        }
        long index = at / cache.sliceBytes();
        Slice slice = held != null && held.offset() == index * cache.sliceBytes() ? held : ahead.get(index);
        if (slice == null) {
            slice = cache.acquire(version, index);
            if (held != null) {
                held.release();
            }
            held = slice;
        }
        return slice.available() > at - slice.offset() ? null : slice;
    }

    /**
     * After waiting on the slice {@link #startPrefetch} returned: null when byte {@code at} is there, else the
     * failure that answers the request, as {@link #prefetch} would have thrown it — the fetch failed, or the bytes
     * took longer than {@link #LONGEST_WAIT_SECONDS}.
     */
    public OriginFailure prefetchFailure(Slice slice, long at) {
        if (slice.available() > at - slice.offset()) {
            return null;
        }
        IOException why = slice.failure();
        return originFailure(why != null ? why : new SourceException(SourceException.Kind.TIMEOUT, version.key()
                + ": byte " + at + " not there after " + LONGEST_WAIT_SECONDS + " s"));
    }

    /** The answer to a failed fetch; a changed object is also forgotten by the catalog. */
    private OriginFailure originFailure(IOException e) {
        if (e instanceof SourceException s && s.kind() == SourceException.Kind.CHANGED) {
            changed();
        }
        return OriginFailure.of(e, version.key());
    }

    /**
     * Keeps slice {@code index} held by this channel, and the next one too when the response goes on past it
     * ({@code end} is the object offset its bytes end at), starting that one's fetch now so it arrives while this
     * one is sent. The response writer calls it for each piece: between two of its pieces of one slice nobody else
     * may hold it, and a fetch with no holder is cancelled. Never blocks.
     *
     * @return a reference of the writer's own to slice {@code index}, counted once per response in the cache's
     *         hits and misses however many pieces it takes
     */
    public synchronized Slice keep(long index, long end) {
        Slice current = slice(index);
        // A response goes forward: the slices before this one are done with.
        while (!ahead.isEmpty() && ahead.firstKey() < index) {
            ahead.pollFirstEntry().getValue().release();
        }
        if (held != null && held.offset() < index * cache.sliceBytes()) {
            held.release();
            held = null;
        }
        long next = index + 1;
        if (end > next * cache.sliceBytes() && !ahead.containsKey(next)) {
            ahead.put(next, cache.acquire(version, next));
        }
        return cache.share(current);
    }

    /**
     * Starts fetching every slice of {@code [position, position + count)} not yet held, {@value #MAX_AHEAD} at most,
     * and keeps them until the channel closes: the reads that follow find them arriving or there. Not during a
     * {@link NonBlocking} attempt, which must start nothing.
     */
    @Override
    public synchronized void willRead(long position, long count) {
        if (NonBlocking.active() || !isOpen() || position < 0 || count <= 0 || position >= version.size()) {
            return;
        }
        long end = count > version.size() - position ? version.size() : position + count;
        long first = position / cache.sliceBytes();
        long last = Math.min((end - 1) / cache.sliceBytes(), first + MAX_AHEAD - 1);
        for (long index = first; index <= last; index++) {
            if ((held == null || held.offset() != index * cache.sliceBytes()) && !ahead.containsKey(index)) {
                ahead.put(index, cache.acquire(version, index));
            }
        }
    }

    private Slice slice(long index) {
        if (held != null && held.offset() == index * cache.sliceBytes()) {
            return held;
        }
        Slice early = ahead.get(index);
        if (early != null) {
            return early;
        }
        Slice next;
        if (NonBlocking.active()) {
            // Only a slice on disk will do: one still arriving (or not yet asked for) means waiting.
            next = cache.acquireIfComplete(version, index);
            if (next == null) {
                throw NonBlocking.wouldBlock();
            }
        } else {
            next = cache.acquire(version, index);
        }
        if (held != null) {
            held.release();
        }
        held = next;
        return next;
    }

    @Override
    public synchronized int read(ByteBuffer dst) throws IOException {
        int n = read(dst, position);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public synchronized long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            while (dsts[i].hasRemaining()) {
                int n = read(dsts[i]);
                if (n < 0) {
                    return total == 0 ? -1 : total;
                }
                total += n;
            }
        }
        return total;
    }

    @Override
    public synchronized long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public synchronized FileChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position");
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return version.size();
    }

    @Override
    public long transferTo(long at, long count, WritableByteChannel target) throws IOException {
        // Not the response path (see the class comment): a plain copy is enough for anyone else.
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(64 * 1024, Math.max(count, 1)));
        long done = 0;
        while (done < count) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), count - done));
            int n = read(buffer, at + done);
            if (n <= 0) {
                break;
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                target.write(buffer);
            }
            done += n;
        }
        return done;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        throw new NonWritableChannelException();
    }

    @Override
    public int write(ByteBuffer src, long at) {
        throw new NonWritableChannelException();
    }

    @Override
    public FileChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public void force(boolean metaData) {
        // nothing is ever written
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long at, long count) {
        throw new NonWritableChannelException();
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long at, long size) {
        throw new UnsupportedOperationException("objects of a content store cannot be mapped");
    }

    @Override
    public FileLock lock(long at, long size, boolean shared) {
        throw new UnsupportedOperationException("objects of a content store cannot be locked");
    }

    @Override
    public FileLock tryLock(long at, long size, boolean shared) {
        throw new UnsupportedOperationException("objects of a content store cannot be locked");
    }

    @Override
    protected synchronized void implCloseChannel() {
        if (held != null) {
            held.release();
            held = null;
        }
        ahead.values().forEach(Slice::release);
        ahead.clear();
    }

    private void ensureOpen() throws IOException {
        if (!isOpen()) {
            throw new java.nio.channels.ClosedChannelException();
        }
    }
}
