package dev.vod.internal.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * First handler of a connection: counts open connections, and past {@code maxConnections} answers the first
 * request with
 *
 * <pre>
 * HTTP/1.1 503 Service Unavailable
 * Retry-After: 1
 * Connection: close
 * </pre>
 *
 * then closes. The answer waits for the request's first bytes so the client is not still sending when the
 * socket closes (which would reset the connection and lose the 503). One instance per channel.
 */
public final class ConnectionGate extends ChannelInboundHandlerAdapter {
    private static final String BUSY_TEXT = "503 Service Unavailable: too many connections\n";
    private static final byte[] BUSY = ("HTTP/1.1 503 Service Unavailable\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Retry-After: 1\r\n"
            + "Connection: close\r\n"
            + "Content-Length: " + BUSY_TEXT.length() + "\r\n"
            + "\r\n"
            + BUSY_TEXT).getBytes(StandardCharsets.US_ASCII);

    private final VodRuntime runtime;
    private boolean counted;
    private boolean rejected;
    private boolean answered;

    public ConnectionGate(VodRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        int open = runtime.activeConnections().incrementAndGet();
        counted = true;
        int max = runtime.config().maxConnections();
        if (max > 0 && open > max) {
            // Not counted while it waits for its 503: it holds no response and is closed right after.
            runtime.activeConnections().decrementAndGet();
            counted = false;
            rejected = true;
            // The later handlers never see this connection, so their timeouts do not run: close a silent one here.
            ctx.executor().schedule(() -> {
                ctx.close();
            }, runtime.config().headerTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!rejected) {
            ctx.fireChannelRead(msg);
            return;
        }
        ReferenceCountUtil.release(msg);
        if (!answered) {
            answered = true;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(BUSY)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (counted) {
            counted = false;
            runtime.activeConnections().decrementAndGet();
        }
        ctx.fireChannelInactive();
    }
}
