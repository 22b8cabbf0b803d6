package dev.vod.internal.http;

import dev.vod.internal.body.Body;
import dev.vod.internal.body.Segment;
import dev.vod.internal.body.SourceFile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a response head and its {@link Body}: generated segments as buffers, file slices as
 * {@link DefaultFileRegion}s (sendfile, no copy through the heap) — or, when an {@link SslHandler} is in the
 * pipeline and bytes must be encrypted, as 16 KiB chunks through the {@code ChunkedWriteHandler}.
 *
 * <p>Everything is queued at once and flushed once. That is safe for slow readers: a queued file region holds no
 * file bytes, only a position, so memory does not grow with the file size or with a client that stops reading;
 * generated segments are small. Files are opened before the head is written, so a file that vanished still
 * gets a clean error status instead of a broken body.
 */
final class BodyWriter {
    static final int TLS_CHUNK = 16 * 1024;

    /**
     * Files opened for one body, released together once the body is written or abandoned. Nearly every body reads
     * one file, so it is held in fields, the rest in short lists; all searched by identity first (slices of one body share their
     * {@link SourceFile}), not a hash map: hashing a path costs a pass over its characters.
     */
    static final class OpenFiles {
        // The first file in fields (nearly every body has exactly one), further ones in lists made when needed.
        private SourceFile firstKey;
        private SharedFile first;
        private List<SourceFile> moreKeys;
        private List<SharedFile> more;

        SharedFile get(SourceFile file) {
            if (firstKey == file) {
                return first;
            }
            if (more != null) {
                for (int i = 0; i < moreKeys.size(); i++) {
                    if (moreKeys.get(i) == file) {
                        return more.get(i);
                    }
                }
            }
            if (firstKey != null && firstKey.equals(file)) {
                return first;
            }
            if (more != null) {
                for (int i = 0; i < moreKeys.size(); i++) {
                    if (moreKeys.get(i).equals(file)) {
                        return more.get(i);
                    }
                }
            }
            return null;
        }

        private void add(SourceFile key, SharedFile file) {
            if (firstKey == null) {
                firstKey = key;
                first = file;
                return;
            }
            if (more == null) {
                moreKeys = new ArrayList<>(2);
                more = new ArrayList<>(2);
            }
            moreKeys.add(key);
            more.add(file);
        }

        /** Whether a file comes from a content store: its slices are sent by {@link SliceWriter}. */
        boolean anyRemote() {
            if (first != null && first.channel() instanceof dev.vod.internal.source.RemoteChannel) {
                return true;
            }
            if (more != null) {
                for (SharedFile f : more) {
                    if (f.channel() instanceof dev.vod.internal.source.RemoteChannel) {
                        return true;
                    }
                }
            }
            return false;
        }

        void releaseAll() {
            if (first != null) {
                first.release();
                first = null;
                firstKey = null;
            }
            if (more != null) {
                for (SharedFile f : more) {
                    f.release();
                }
                more = null;
                moreKeys = null;
            }
        }
    }

    /**
     * Opens every file {@code body} reads from.
     *
     * @throws IOException when a file is gone or unreadable (nothing stays open then)
     */
    /** As {@link #open(Body, OpenFileCache, io.netty.util.concurrent.EventExecutor)}, opening files uncached. */
    static OpenFiles open(Body body) throws IOException {
        return open(body, null, null);
    }

    static OpenFiles open(Body body, OpenFileCache cache, io.netty.util.concurrent.EventExecutor executor)
            throws IOException {
        OpenFiles open = new OpenFiles();
        try {
            for (Segment s : body.segments()) {
                if (s instanceof Segment.FileSlice slice && open.get(slice.file()) == null) {
                    SourceFile file = slice.file();
                    open.add(file, cache == null ? SharedFile.open(file) : cache.acquire(file, executor));
                }
            }
            return open;
        } catch (IOException | RuntimeException e) {
            open.releaseAll();
            throw e;
        }
    }

    /**
     * Queues {@code head}, then the body (when {@code body} is not null), then the end of the message, and flushes.
     * The open files are released when the last write completes or fails. {@code sent} records when the head and how
     * many body bytes reached the socket, for the access log.
     *
     * <p>{@code head} is either the head already encoded as bytes (vod's own {@link ResponseEncoder} is in the
     * pipeline), then the body follows as plain buffers and regions with no message end; or an
     * {@link HttpResponse} for the application's {@code HttpServerCodec}, then the message is framed as objects.
     *
     * @return the future of the last write: done when the whole response is out, failed on abort
     */
    static ChannelFuture write(ChannelHandlerContext ctx, Object head, Body body, OpenFiles files,
                               TransferStats sent) {
        boolean preEncoded = head instanceof ByteBuf;
        if (body == null || body.length() == 0) {
            // One message instead of a head and an end: HEAD and 304 answers cross the pipeline once.
            ChannelFuture done = ctx.writeAndFlush(preEncoded ? head : full((HttpResponse) head));
            whenDone(done, f -> {
                sent.headSent();
                files.releaseAll();
            });
            return done;
        }
        boolean tls = ctx.pipeline().get(SslHandler.class) != null;
        if (tls && ctx.pipeline().get(ChunkedWriteHandler.class) == null) {
            // TLS must see the bytes, so file slices become chunked reads; the writer of those is added the
            // first time it is needed, keeping plain connections free of its per-message queue.
            ctx.pipeline().addBefore(ctx.name(), "vod-chunked", new ChunkedWriteHandler());
        }
        ChannelFuture headWritten = ctx.write(head);
        List<Segment> segments = body.segments();
        if (!tls && segments.size() == 1 && segments.get(0) instanceof Segment.FileSlice slice) {
            // The common case, one file slice: no listener per message. A small answer is usually out by the time
            // the flush returns, and then nothing is registered at all.
            SharedFileRegion region = new SharedFileRegion(files.get(slice.file()), slice.offset(), slice.length());
            ChannelFuture last;
            if (preEncoded) {
                last = ctx.writeAndFlush(region);
            } else {
                ctx.write(region);
                last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            }
            whenDone(headWritten, f -> sent.headSent());
            whenDone(last, f -> {
                sent.sent(f.isSuccess() ? slice.length() : region.transferred());
                files.releaseAll();
            });
            return last;
        }
        headWritten.addListener(f -> sent.headSent());
        ChannelFuture last = headWritten;
        for (Segment s : segments) {
            if (s instanceof Segment.Bytes bytes) {
                long length = bytes.length();
                last = ctx.write(Unpooled.wrappedBuffer(bytes.data()));
                last.addListener(f -> {
                    if (f.isSuccess()) {
                        sent.sent(length);
                    }
                });
            } else if (s instanceof Segment.Generated generated) {
                last = writeGenerated(ctx, generated, 0, generated.length(), sent);
            } else {
                Segment.FileSlice slice = (Segment.FileSlice) s;
                last = writeFileSlice(ctx, files.get(slice.file()), slice, tls, sent);
            }
        }
        if (preEncoded) {
            // Writes complete in order, so the last one's future is the whole response's.
            ctx.flush();
        } else {
            last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        last.addListener(f -> files.releaseAll());
        return last;
    }

    private static DefaultFullHttpResponse full(HttpResponse head) {
        return new DefaultFullHttpResponse(head.protocolVersion(), head.status(), Unpooled.EMPTY_BUFFER,
                head.headers(), EmptyHttpHeaders.INSTANCE);
    }

    /** Runs {@code then} now if {@code future} is already done (no listener to allocate), else when it is. */
    private static void whenDone(ChannelFuture future, ChannelFutureListener then) {
        if (!future.isDone()) {
            future.addListener(then);
            return;
        }
        try {
            then.operationComplete(future);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Largest buffer a generated segment is produced into: a multi-megabyte table goes out in such pieces. */
    static final int GENERATED_PIECE = 256 * 1024;

    /**
     * Queues bytes {@code [from, from + count)} of a generated segment, produced now into pooled buffers of at
     * most {@link #GENERATED_PIECE} bytes each.
     */
    static ChannelFuture writeGenerated(ChannelHandlerContext ctx, Segment.Generated generated, long from,
                                        long count, TransferStats sent) {
        ChannelFuture written = ctx.newSucceededFuture();
        for (long done = 0; done < count; ) {
            int piece = (int) Math.min(GENERATED_PIECE, count - done);
            ByteBuf buffer = generate(ctx.alloc(), generated, from + done, piece);
            written = ctx.write(buffer);
            if (sent != null) {
                written.addListener(f -> {
                    if (f.isSuccess()) {
                        sent.sent(piece);
                    }
                });
            }
            done += piece;
        }
        return written;
    }

    /** Bytes {@code [from, from + count)} of a generated segment in a new buffer from {@code alloc}. */
    static ByteBuf generate(ByteBufAllocator alloc, Segment.Generated generated, long from, int count) {
        ByteBuf buffer = alloc.heapBuffer(count);
        try {
            if (buffer.hasArray()) {
                generated.writeTo(from, buffer.array(), buffer.arrayOffset() + buffer.writerIndex(), count);
                buffer.writerIndex(buffer.writerIndex() + count);
            } else {
                byte[] bytes = new byte[count];
                generated.writeTo(from, bytes, 0, count);
                buffer.writeBytes(bytes);
            }
            return buffer;
        } catch (RuntimeException e) {
            buffer.release();
            throw e;
        }
    }

    private static ChannelFuture writeFileSlice(ChannelHandlerContext ctx, SharedFile file, Segment.FileSlice slice,
                                                boolean tls, TransferStats sent) {
        if (tls) {
            try {
                return ctx.write(new SharedChunkedFile(file, slice.offset(), slice.length())).addListener(f -> {
                    if (f.isSuccess()) {
                        sent.sent(slice.length());
                    }
                });
            } catch (IOException e) {
                ctx.fireExceptionCaught(e);
                return ctx.newFailedFuture(e);
            }
        }
        SharedFileRegion region = new SharedFileRegion(file, slice.offset(), slice.length());
        return ctx.write(region)
                .addListener(f -> sent.sent(f.isSuccess() ? slice.length() : region.transferred()));
    }

    /**
     * A file region over a shared channel. It takes its own reference to the file, so the file stays open while the
     * region is queued; releasing the region releases that reference instead of closing the file.
     */
    static final class SharedFileRegion extends DefaultFileRegion {
        private final SharedFile file;

        SharedFileRegion(SharedFile file, long position, long count) {
            super(file.channel(), position, count);
            this.file = file;
            file.retain();
        }

        @Override
        protected void deallocate() {
            file.release();
        }
    }

    /** Chunked reads (for TLS) over a shared channel, holding their own reference; closing releases it. */
    static final class SharedChunkedFile extends ChunkedNioFile {
        private final SharedFile file;
        private boolean closed;

        SharedChunkedFile(SharedFile file, long offset, long length) throws IOException {
            super(file.channel(), offset, length, TLS_CHUNK);
            this.file = file;
            file.retain(); // only once constructed: a failed constructor holds nothing
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                file.release();
            }
        }
    }
}
