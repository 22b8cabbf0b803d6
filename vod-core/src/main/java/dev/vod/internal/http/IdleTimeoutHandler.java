package dev.vod.internal.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fires an all-idle {@link IdleStateEvent} when a connection has had no traffic for the idle timeout: no request
 * bytes in, no response queued, and no response bytes sent (a slow download that keeps moving is not idle; a client
 * that stopped reading is).
 *
 * <p>Netty's {@code IdleStateHandler} does the same with a listener on every write's promise, three per response
 * here; this handler only sets a flag per message and looks at the outbound buffer when its timer runs, a quarter
 * of the timeout apart, so a connection is closed between 1 and 1¼ timeouts after its last traffic.
 */
public final class IdleTimeoutHandler extends ChannelDuplexHandler {
    private final long timeoutNanos;
    private final long tickNanos;
    private ScheduledFuture<?> timer;
    /** Set by any read or write, cleared by the timer. */
    private boolean traffic;
    private long lastTraffic;
    private Object lastMessage;
    private long lastPending;
    private long lastProgress;
    private EpollTcpInfo tcpInfo;

    public IdleTimeoutHandler(long timeoutMillis) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.tickNanos = Math.max(timeoutNanos / 4, 1);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (timer == null) {
            lastTraffic = System.nanoTime();
            timer = ctx.executor().schedule(() -> tick(ctx), tickNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        traffic = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        traffic = true;
        ctx.write(msg, promise);
    }

    private void tick(ChannelHandlerContext ctx) {
        if (!ctx.channel().isOpen()) {
            return;
        }
        long now = System.nanoTime();
        if (traffic | outputMoved(ctx)) {
            traffic = false;
            lastTraffic = now;
        } else {
            long sinceKernelSent = sinceKernelSent(ctx);
            if (sinceKernelSent >= 0) {
                lastTraffic = Math.max(lastTraffic, now - sinceKernelSent);
            }
        }
        if (now - lastTraffic >= timeoutNanos) {
            timer = null;
            ctx.fireUserEventTriggered(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
            return;
        }
        timer = ctx.executor().schedule(() -> tick(ctx), tickNanos, TimeUnit.NANOSECONDS);
    }

    /** Whether the response being sent made progress since the last tick. */
    private boolean outputMoved(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        if (buffer == null) {
            return false;
        }
        Object message = buffer.current();
        long pending = buffer.totalPendingWriteBytes();
        long progress = buffer.currentProgress();
        boolean moved = message != lastMessage || pending != lastPending || progress != lastProgress;
        lastMessage = message;
        lastPending = pending;
        lastProgress = progress;
        return moved;
    }

    /**
     * Nanoseconds since the kernel last sent response bytes on this connection, or -1 where that is unknown. A slow
     * reader frees a little room at a time; the kernel sends from its own buffer (megabytes) long before the socket
     * is writable again for Netty, so the outbound buffer alone would call a moving download idle. Linux reports
     * the time since the last data segment ({@code TCP_INFO}); elsewhere only the outbound buffer is watched.
     */
    private long sinceKernelSent(ChannelHandlerContext ctx) {
        if (!(ctx.channel() instanceof EpollSocketChannel epoll)) {
            return -1;
        }
        try {
            if (tcpInfo == null) {
                tcpInfo = new EpollTcpInfo();
            }
            epoll.tcpInfo(tcpInfo);
            return TimeUnit.MILLISECONDS.toNanos(tcpInfo.lastDataSent());
        } catch (RuntimeException e) {
            return -1; // closed meanwhile
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        lastMessage = null;
    }
}
