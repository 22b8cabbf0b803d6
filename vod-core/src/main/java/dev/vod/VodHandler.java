package dev.vod;

import dev.vod.internal.http.Exchanges;
import dev.vod.internal.http.VodRuntime;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Serves GET and HEAD requests for files under the configured root on one channel: ranges, conditional requests,
 * MP4 seeking, index pages. Obtain one per channel from {@link VodInitializer#newHandler()} and place it after an
 * {@code HttpServerCodec}.
 *
 * <p>A typical exchange:
 * <pre>
 * GET /sample.mp4 HTTP/1.1            HTTP/1.1 206 Partial Content
 * Host: localhost:8080                 Content-Type: video/mp4
 * Range: bytes=0-1023                  Content-Length: 1024
 *                                      Content-Range: bytes 0-1023/1053677
 *                                      Accept-Ranges: bytes
 *                                      ETag: "6552f0a1-1013ed"
 *                                      Last-Modified: Sat, 21 Nov 2026 22:23:00 GMT
 *                                      Date: Sat, 21 Nov 2026 22:30:00 GMT
 * </pre>
 *
 * <p>Requests outside {@link VodConfig#mountPath()} are passed unchanged to the next handler. Pipelined requests
 * are answered in order. File bytes are written zero-copy ({@code FileRegion}) unless an {@code SslHandler} is in
 * the pipeline, in which case they are streamed in chunks. Not sharable: it keeps per-connection state.
 */
public final class VodHandler extends ChannelDuplexHandler {
    private final Exchanges exchanges;

    VodHandler(VodRuntime runtime) {
        this.exchanges = new Exchanges(runtime);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        exchanges.handlerAdded(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        exchanges.read(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // Only the application's writes pass here (ours start below this handler): vod's next pipelined response
        // waits until the application's answer is complete.
        boolean endOfResponse = msg instanceof LastHttpContent;
        ctx.write(msg, promise);
        exchanges.outboundWritten(ctx, endOfResponse);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        exchanges.closed(ctx);
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!exchanges.userEvent(ctx, evt)) {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        exchanges.exception(ctx, cause);
    }
}
