package dev.vod.internal.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection in stages, as RFC 9112 §9.6 asks of a server that closes after a response: first the write
 * side (the client reads the whole response, then end of stream), then, while the client may still be sending —
 * pipelined requests it wrote before it saw our close — read and drop its input, and close fully when it closes
 * its side or goes quiet.
 *
 * <p>Closing at once would be wrong, not just impolite: when a socket is closed with unread input, the kernel
 * answers with a reset, and a reset discards the bytes of our response still waiting in the send buffer, so the
 * client sees a head without its body, or a response cut anywhere. Lingering is bounded: {@link #QUIET_MILLIS}
 * without input, or {@link #MAX_MILLIS} in all, whichever comes first; the input is dropped as it arrives, so a
 * lingering connection holds no buffered bytes.
 */
final class LingeringClose extends ChannelInboundHandlerAdapter {
    static final long QUIET_MILLIS = 2_000;
    static final long MAX_MILLIS = 10_000;

    private final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_MILLIS);
    private long lastInput = System.nanoTime();
    private ScheduledFuture<?> timer;

    private LingeringClose() {
    }

    /**
     * Closes {@code channel} after its last response has been written: half-closes and lingers where the transport
     * allows it, closes outright otherwise. Call it only once every write is done — shutting the output down drops
     * writes still queued.
     */
    static void close(Channel channel) {
        if (channel.pipeline().get(LingeringClose.class) != null) {
            return; // already closing
        }
        if (!(channel instanceof DuplexChannel duplex) || !channel.isActive() || duplex.isOutputShutdown()
                || channel.pipeline().get(SslHandler.class) != null) {
            // Under TLS the close must go through the SslHandler (close_notify), not around it.
            channel.close();
            return;
        }
        LingeringClose linger = new LingeringClose();
        // First in the pipeline: no decoder, timeout or application handler sees what the client still sends.
        channel.pipeline().addFirst("vod-linger", linger);
        duplex.shutdownOutput().addListener(f -> {
            if (!f.isSuccess()) {
                channel.close();
            }
        });
        channel.config().setAutoRead(true);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> check(ctx), QUIET_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        long now = System.nanoTime();
        long quietLeft = lastInput + TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS) - now;
        long left = Math.min(quietLeft, deadline - now);
        if (left <= 0 || !ctx.channel().isActive()) {
            ctx.close();
            return;
        }
        timer = ctx.executor().schedule(() -> check(ctx), left, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastInput = System.nanoTime();
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Nothing after us is reading any more.
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent || evt instanceof ChannelInputShutdownReadComplete) {
            // The client closed its side (seen only where half-closure is allowed; otherwise the channel closes
            // by itself on end of stream): done.
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
        ctx.fireChannelInactive();
    }
}
