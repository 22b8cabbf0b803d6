package dev.vod.internal.http;

import dev.vod.ContentSource;
import dev.vod.internal.source.RemoteChannel;
import dev.vod.internal.source.Slice;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.stream.ChunkedNioFile;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * Sends bytes of an object from a content store: from the files of its cached slices, as {@link DefaultFileRegion}s
 * (sendfile, as for a local file) or, under TLS, chunked reads, each piece as soon as its slice has the bytes — a
 * response streams while its slice is still arriving from the store.
 *
 * <p>The object's own channel ({@link RemoteChannel}) is never handed to Netty: the native transports send a file
 * region by its descriptor, which only the slice files have.
 *
 * <p>Each piece holds its own reference to its slice until Netty has sent or dropped it, so a slice fetch lives as
 * long as someone still wants its bytes, and is cancelled when the client goes away and nobody else does. A fetch
 * that fails mid-way fails the returned future: the caller closes the connection, so the client sees a short body
 * under a full Content-Length, never bytes of another version. At most two pieces are queued at once; each
 * completion queues the next. Runs on the channel's event loop.
 */
final class SliceWriter {
    /** Bytes a piece waits for before it is sent (or the rest of its slice, if less). */
    private static final int MIN_PIECE = 64 * 1024;
    private static final int MAX_IN_FLIGHT = 2;

    private final ChannelHandlerContext ctx;
    private final RemoteChannel channel;
    private final boolean tls;
    private final ChannelPromise done;
    private final ChannelPromise queued;
    private final TransferStats stats;
    private long offset;
    private long remaining;
    private int inFlight;
    /** The slice of the next piece, acquired, while it waits for its bytes; null otherwise. */
    private Slice next;
    /** {@link #next} is waiting for bytes: its callback will pump. */
    private boolean waiting;
    private boolean failed;
    private boolean completed;
    /** A pump is running: a nested call (a write that completed at once) only asks it to go round again. */
    private boolean pumping;
    private boolean again;

    private SliceWriter(ChannelHandlerContext ctx, RemoteChannel channel, long offset, long length, boolean tls,
                        TransferStats stats) {
        this.ctx = ctx;
        this.channel = channel;
        this.offset = offset;
        this.remaining = length;
        this.tls = tls;
        this.stats = stats;
        this.done = ctx.newPromise();
        this.queued = ctx.newPromise();
    }

    /**
     * Starts queueing bytes {@code [offset, offset + length)} of {@code channel}'s object, piece by piece. The caller
     * must write nothing else to the channel until {@link #queued()} is done: the pieces are written as their bytes
     * arrive, and anything written in between would go out before them.
     *
     * @param stats where sent bytes are counted, or null
     */
    static SliceWriter start(ChannelHandlerContext ctx, RemoteChannel channel, long offset, long length,
                             boolean tls, TransferStats stats) {
        SliceWriter writer = new SliceWriter(ctx, channel, offset, length, tls, stats);
        writer.pump();
        return writer;
    }

    /**
     * Done when every piece is written to the socket; failed when a fetch or a write failed. Never completed before
     * {@link #start} returns, so a listener added to it runs after the caller has updated its own state.
     */
    ChannelFuture done() {
        return done;
    }

    /** Done (or failed) when every piece has been handed to the channel: others may write after them from then. */
    ChannelFuture queued() {
        return queued;
    }

    /**
     * Queues pieces while their bytes are there and fewer than {@link #MAX_IN_FLIGHT} are queued. A loop, not
     * recursion: on a fast socket a write completes inside {@code writeAndFlush}, and its listener pumps again.
     */
    private void pump() {
        if (pumping) {
            again = true;
            return;
        }
        pumping = true;
        try {
            do {
                again = false;
                step();
            } while (again);
        } finally {
            pumping = false;
        }
    }

    private void step() {
        if (failed || completed || waiting) {
            return;
        }
        if (remaining == 0) {
            if (!queued.isDone()) {
                ctx.executor().execute(() -> queued.trySuccess());
            }
            if (inFlight == 0) {
                completed = true;
                // Later, never inside the caller's write(): see there.
                ctx.executor().execute(() -> done.trySuccess());
            }
            return;
        }
        if (inFlight >= MAX_IN_FLIGHT) {
            return;
        }
        if (!ctx.channel().isActive()) {
            fail(new ClosedChannelException());
            return;
        }
        Slice slice = next;
        if (slice == null) {
            long index = offset / channel.cache().sliceBytes();
            // Held by the channel between pieces (a fetch with no holder is cancelled), the next one fetched ahead.
            slice = channel.keep(index, offset + remaining);
        }
        next = null;
        int within = (int) (offset - slice.offset());
        int want = (int) Math.min(remaining, slice.length() - within);
        int needed = within + Math.min(want, MIN_PIECE);
        if (slice.available() < needed && slice.failure() == null) {
            next = slice;
            waiting = true;
            slice.whenAvailable(needed, () -> ctx.executor().execute(() -> {
                waiting = false;
                pump();
            }));
            return;
        }
        send(slice, within, want);
    }

    private void send(Slice slice, int within, int want) {
        int available = slice.available() - within;
        if (available <= 0) {
            slice.release();
            IOException cause = slice.failure();
            if (cause instanceof ContentSource.SourceException s
                    && s.kind() == ContentSource.SourceException.Kind.CHANGED) {
                channel.changed();
            }
            fail(cause != null ? cause : new IOException("slice of " + channel.version().key() + " not readable"));
            return;
        }
        int n = Math.min(want, available);
        Object piece;
        try {
            piece = tls ? new SliceChunks(slice, within, n) : new SliceRegion(slice, within, n);
        } catch (IOException e) {
            slice.release();
            fail(e);
            return;
        }
        inFlight++;
        offset += n;
        remaining -= n;
        again = true; // room for one more piece, perhaps
        ctx.writeAndFlush(piece).addListener(f -> {
            inFlight--;
            if (!f.isSuccess()) {
                fail(f.cause());
                return;
            }
            if (stats != null) {
                stats.sent(n);
            }
            pump();
        });
    }

    private void fail(Throwable cause) {
        if (!failed) {
            failed = true;
            if (next != null) {
                next.release();
                next = null;
            }
            ctx.executor().execute(() -> {
                queued.tryFailure(cause);
                done.tryFailure(cause);
            });
        }
    }

    /** A region of a slice's file; releasing it gives back the slice reference it holds. */
    private static final class SliceRegion extends DefaultFileRegion {
        private final Slice slice;

        SliceRegion(Slice slice, int position, int count) throws IOException {
            super(slice.channel(), position, count);
            this.slice = slice;
        }

        @Override
        protected void deallocate() {
            slice.release();
        }
    }

    /** Chunked reads (TLS) of a slice's file, giving back the slice reference on close. */
    private static final class SliceChunks extends ChunkedNioFile {
        private final Slice slice;
        private boolean closed;

        SliceChunks(Slice slice, int position, int count) throws IOException {
            super(slice.channel(), position, count, BodyWriter.TLS_CHUNK);
            this.slice = slice;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                slice.release();
            }
        }
    }
}
