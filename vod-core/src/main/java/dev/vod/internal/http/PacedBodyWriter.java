package dev.vod.internal.http;

import dev.vod.internal.body.Body;
import dev.vod.internal.body.Segment;
import dev.vod.internal.throttle.GlobalBandwidth;
import dev.vod.internal.throttle.ResponseRate;
import dev.vod.internal.throttle.Slices;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes a body at a limited rate without giving up zero-copy: file bytes go out as
 * {@link BodyWriter.SharedFileRegion}s of {@link Slices#forRate} bytes (sendfile) — never copied into buffers — one slice at a time, each when
 * the response's own {@link ResponseRate} and the server's {@link GlobalBandwidth} allow it.
 *
 * <p>At most two slices are in the channel at once; each completed slice triggers the next, so a client that
 * reads slowly is paced by TCP as well, and no file byte is queued in memory. When the rate says "not yet", the
 * next attempt is scheduled on the channel's event loop for when the tokens will be there. Netty's traffic
 * shaping handler is not used because it queues messages and splits file regions by copying them.
 *
 * <p>Clean-up: when the channel closes mid-body, the scheduled attempt is cancelled and the response's file
 * references are released at once (slices still queued in the channel are released by Netty when it fails them),
 * so no descriptor outlives the connection. Runs on the channel's event loop only.
 */
final class PacedBodyWriter {
    private static final int MAX_IN_FLIGHT = 2;
    private static final long NOT_RESERVED = Long.MIN_VALUE;
    private static final long TIMER_TICK = TimeUnit.MILLISECONDS.toNanos(10);

    private final ChannelHandlerContext ctx;
    private final List<Segment> segments;
    private final BodyWriter.OpenFiles files;
    private final TransferStats stats;
    private final ResponseRate rate;
    private final GlobalBandwidth global;
    private final boolean tls;
    private final long sliceSize;
    private final ChannelPromise done;
    private final ChannelFutureListener onClose = f -> fail(new ClosedChannelException());
    private int segmentIndex;
    private long segmentOffset;
    private int inFlight;
    private boolean finished;
    private boolean lastQueued;
    private ScheduledFuture<?> wakeUp;
    private long globalReadyAt = NOT_RESERVED;
    private boolean headFlushed;
    private boolean pumping;
    private boolean pumpAgain;
    /** A content store's slice is still being queued piece by piece: the next slice must wait for it. */
    private boolean queueing;

    private PacedBodyWriter(ChannelHandlerContext ctx, Body body, BodyWriter.OpenFiles files, TransferStats stats,
                            ResponseRate rate, GlobalBandwidth global) {
        this.ctx = ctx;
        this.segments = body == null ? List.of() : body.segments();
        this.files = files;
        this.stats = stats;
        this.rate = rate;
        this.global = global;
        this.tls = ctx.pipeline().get(SslHandler.class) != null;
        this.sliceSize = sliceSize(rate, global);
        this.done = ctx.newPromise();
    }

    /** {@link Slices#forRate} of the tightest limit. */
    static long sliceSize(ResponseRate rate, GlobalBandwidth global) {
        long tightest = Long.MAX_VALUE;
        if (rate != null) {
            tightest = rate.bytesPerSecond();
        }
        if (global != null) {
            tightest = Math.min(tightest, global.bytesPerSecond());
        }
        return Slices.forRate(tightest);
    }

    /**
     * Queues {@code head} and starts sending {@code body} (may be null) at the given rates; either limit may be
     * null. The open files are released when the response completes or fails.
     *
     * @return done when the whole response is out, failed on abort
     */
    static ChannelFuture write(ChannelHandlerContext ctx, HttpResponse head, Body body, BodyWriter.OpenFiles files,
                               TransferStats stats, ResponseRate rate, GlobalBandwidth global) {
        PacedBodyWriter writer = new PacedBodyWriter(ctx, body, files, stats, rate, global);
        writer.start(head);
        return writer.done;
    }

    private void start(HttpResponse head) {
        if (tls && ctx.pipeline().get(ChunkedWriteHandler.class) == null) {
            ctx.pipeline().addBefore(ctx.name(), "vod-chunked", new ChunkedWriteHandler());
        }
        ctx.channel().closeFuture().addListener(onClose);
        ctx.write(head).addListener(f -> stats.headSent());
        pump();
    }

    /**
     * Sends as many slices as the rates and the in-flight bound allow, then waits for a completion or a timer.
     * Not re-entered: a flush inside {@link #writeSlice} (a content store's slices are flushed as they arrive) can
     * complete earlier slices at once, and their listeners call this again; that call only asks the running one to
     * go round once more, after it has counted the slice it is writing.
     */
    private void pump() {
        if (pumping) {
            pumpAgain = true;
            return;
        }
        pumping = true;
        try {
            do {
                pumpAgain = false;
                pumpOnce();
            } while (pumpAgain);
        } finally {
            pumping = false;
        }
    }

    private void pumpOnce() {
        wakeUp = null;
        if (finished || lastQueued) {
            return;
        }
        boolean wrote = false;
        while (inFlight < MAX_IN_FLIGHT && !queueing) {
            if (segmentIndex == segments.size()) {
                finish();
                return;
            }
            Segment segment = segments.get(segmentIndex);
            long want = Math.min(sliceSize, segment.length() - segmentOffset);
            long wait = waitNanos(want);
            if (wait > 0) {
                if (wrote || !headFlushed) {
                    // The head goes out now even when the first body byte has to wait.
                    ctx.flush();
                    headFlushed = true;
                }
                if (inFlight == 0) {
                    // With slices in flight their completion calls pump() again; otherwise only a timer can.
                    wakeUp = ctx.executor().schedule(this::pump, wait, TimeUnit.NANOSECONDS);
                }
                return;
            }
            if (rate != null) {
                rate.sent(want);
            }
            writeSlice(segment, segmentOffset, want);
            if (finished) {
                return; // the slice could not be created (TLS reader failed to open): already failed
            }
            wrote = true;
            segmentOffset += want;
            if (segmentOffset == segment.length()) {
                segmentIndex++;
                segmentOffset = 0;
            }
        }
        if (wrote) {
            ctx.flush();
            headFlushed = true;
        }
    }

    /**
     * The delay to the first timer tick at least {@code wait} away. Rounding wake-ups up to a shared 10 ms grid
     * lets the transfers of one event loop wake together, so the loop wakes at most 100 times a second however
     * many transfers are waiting; the rates are credit-based, so the rounding costs no throughput.
     */
    private static long onTick(long wait) {
        long now = System.nanoTime();
        long deadline = now + Math.max(wait, 1);
        long tick = Math.floorDiv(deadline + TIMER_TICK - 1, TIMER_TICK) * TIMER_TICK;
        return tick - now;
    }

    /**
     * 0 when {@code want} bytes may go now, else how long to wait. For the global cap the slice is reserved once
     * (a queue position, see {@link GlobalBandwidth#reserve}) and sent when its time comes; the slice at a given
     * position always has the same size, so the reservation always matches what is sent.
     */
    private long waitNanos(long want) {
        if (rate != null) {
            long wait = rate.nanosUntil(want);
            if (wait > 0) {
                return onTick(wait);
            }
        }
        if (global != null) {
            long now = System.nanoTime();
            if (globalReadyAt == NOT_RESERVED) {
                globalReadyAt = now + global.reserve(want);
            }
            if (globalReadyAt - now > 0) {
                return globalReadyAt - now;
            }
            globalReadyAt = NOT_RESERVED;
        }
        return 0;
    }

    private void writeSlice(Segment segment, long offset, long length) {
        inFlight++;
        ChannelFuture written;
        if (segment instanceof Segment.Bytes bytes) {
            written = ctx.write(Unpooled.wrappedBuffer(bytes.data(), (int) offset, (int) length));
        } else if (segment instanceof Segment.Generated generated) {
            written = BodyWriter.writeGenerated(ctx, generated, offset, length, null);
        } else {
            Segment.FileSlice slice = (Segment.FileSlice) segment;
            SharedFile file = files.get(slice.file());
            if (file.channel() instanceof dev.vod.internal.source.RemoteChannel remote) {
                // Its pieces go out as a content store's bytes arrive: nothing else may be written meanwhile.
                SliceWriter pieces = SliceWriter.start(ctx, remote, slice.offset() + offset, length, tls, null);
                queueing = true;
                pieces.queued().addListener(f -> {
                    queueing = false;
                    if (f.isSuccess()) {
                        pump();
                    }
                });
                written = pieces.done();
            } else if (tls) {
                try {
                    written = ctx.write(new BodyWriter.SharedChunkedFile(file, slice.offset() + offset, length));
                } catch (IOException e) {
                    fail(e);
                    return;
                }
            } else {
                written = ctx.write(new BodyWriter.SharedFileRegion(file, slice.offset() + offset, length));
            }
        }
        written.addListener(f -> {
            inFlight--;
            if (f.isSuccess()) {
                stats.sent(length);
                pump();
            } else {
                fail(f.cause());
            }
        });
    }

    private void finish() {
        lastQueued = true;
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
            if (f.isSuccess()) {
                complete();
                done.trySuccess();
            } else {
                fail(f.cause());
            }
        });
    }

    private void fail(Throwable cause) {
        if (finished) {
            return;
        }
        complete();
        done.tryFailure(cause);
    }

    private void complete() {
        if (finished) {
            return;
        }
        finished = true;
        if (wakeUp != null) {
            wakeUp.cancel(false);
            wakeUp = null;
        }
        ctx.channel().closeFuture().removeListener(onClose);
        files.releaseAll();
    }
}
