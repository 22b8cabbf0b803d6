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
 * trickles one byte every few seconds.
 */
public final class HeaderTimeoutHandler extends ChannelInboundHandlerAdapter {
    private static final byte[] TIMEOUT_RESPONSE = ("HTTP/1.1 408 Request Timeout\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 37\r\nConnection: close\r\n\r\n"
            + "408 Request Timeout: headers too slow").getBytes(StandardCharsets.US_ASCII);

    private final long timeoutMillis;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private boolean responding;

    public HeaderTimeoutHandler(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (timer == null && msg instanceof ByteBuf buf && buf.isReadable()) {
            timer = ctx.executor().schedule(this::expire, timeoutMillis, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    /** Called on the event loop when a complete request head has been decoded. */
    void headersReceived() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** While a response is being written, an expiry re-arms instead of answering over it. */
    void responding(boolean responding) {
        this.responding = responding;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        headersReceived();
        ctx.fireChannelInactive();
    }

    private void expire() {
        timer = null;
        if (responding) {
            timer = ctx.executor().schedule(this::expire, timeoutMillis, TimeUnit.MILLISECONDS);
        } else if (ctx.channel().isActive()) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT_RESPONSE)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
