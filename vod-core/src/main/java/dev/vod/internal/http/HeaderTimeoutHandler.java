package dev.vod.internal.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections that take too long to send a request's line and headers (slowloris): the clock starts at
 * the first byte of a request and stops when the HTTP decoder has produced the request, which the vod handler
 * reports through {@link #headersReceived()}. On expiry the client gets {@code 408 Request Timeout} and the
 * connection is closed.
 *
 * <p>Sits before the HTTP codec, so it sees raw bytes; the idle timeout alone would not catch a client that
 * trickles one byte every few seconds. Like Netty's {@code IdleStateHandler}, it keeps one timer per connection
 * and re-arms it lazily from a deadline field, instead of scheduling and cancelling a task for every request of
 * a keep-alive connection.
 */
public final class HeaderTimeoutHandler extends ChannelInboundHandlerAdapter {
    private static final byte[] TIMEOUT_RESPONSE = ("HTTP/1.1 408 Request Timeout\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 37\r\nConnection: close\r\n\r\n"
            + "408 Request Timeout: headers too slow").getBytes(StandardCharsets.US_ASCII);

    private final long timeoutNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    /** True from the first byte of a request until its head is decoded. */
    private boolean waiting;
    private long deadline;
    private boolean responding;
    /** A request's body is being received (a live publish can stream for hours): its bytes are no new head. */
    private boolean inBody;

    public HeaderTimeoutHandler(long timeoutMillis) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!waiting && !inBody && msg instanceof ByteBuf buf && buf.isReadable()) {
            waiting = true;
            deadline = System.nanoTime() + timeoutNanos;
            if (timer == null) {
                timer = ctx.executor().schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** Called on the event loop when a complete request head has been decoded. */
    void headersReceived() {
        waiting = false;
    }

    /** Marks the start ({@code true}) and end of a request body, whose bytes must not start the clock. */
    void receivingBody(boolean receiving) {
        inBody = receiving;
        if (receiving) {
            waiting = false;
        }
    }

    /** While a response is being written, an expiry waits instead of answering over it. */
    void responding(boolean responding) {
        this.responding = responding;
    }

    /** Removed from the pipeline (a WebSocket upgrade): the timer must not fire into the new protocol. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        waiting = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        waiting = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        ctx.fireChannelInactive();
    }

    private void check() {
        timer = null;
        if (!waiting || !ctx.channel().isActive()) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0 || responding) {
            timer = ctx.executor().schedule(this::check, Math.max(left, timeoutNanos / 10), TimeUnit.NANOSECONDS);
            return;
        }
        ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT_RESPONSE)).addListener(ChannelFutureListener.CLOSE);
    }
}
