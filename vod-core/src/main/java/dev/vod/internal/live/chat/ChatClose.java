package dev.vod.internal.live.chat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.util.concurrent.TimeUnit;

/**
 * Closes a chat connection for a frame it must not accept (over the 64 KiB frame limit: 1009; bad UTF-8: 1007;
 * an unmasked frame: 1002), and sits right after the frame decoder to catch the decoder's complaints before any
 * application handler sees them as errors.
 *
 * <p>Why not let Netty's decoder close ({@code closeOnProtocolViolation}): it closes the socket as soon as the close
 * frame is written, while the client is typically still sending the rest of its oversized frame; closing with
 * unread input makes the kernel send a reset, and the reset discards the close frame on its way, so the client
 * sees "connection reset" instead of 1009. Here the write side is shut after the close frame, the rest of the
 * input is read and dropped (the decoder discards it once corrupt), and the socket is closed when the client
 * closes its side or after {@link #LINGER_MILLIS}.
 */
final class ChatClose extends ChannelInboundHandlerAdapter {
    static final long LINGER_MILLIS = 2_000;

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupt) {
            WebSocketCloseStatus status = corrupt.closeStatus();
            String reason = status.equals(WebSocketCloseStatus.MESSAGE_TOO_BIG)
                    ? "at most " + ChatHandshake.MAX_FRAME / 1024 + " KiB per message" : status.reasonText();
            closeWith(ctx, status, reason);
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    /** Sends a close frame from {@code ctx} toward the network, then closes without resetting the connection. */
    static void closeWith(ChannelHandlerContext ctx, WebSocketCloseStatus status, String reason) {
        Channel channel = ctx.channel();
        if (!channel.isActive()) {
            return;
        }
        ctx.writeAndFlush(new CloseWebSocketFrame(status, reason)).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess() || !(channel instanceof DuplexChannel duplex)) {
                channel.close();
                return;
            }
            duplex.shutdownOutput();
            channel.config().setAutoRead(true); // keep reading, so that no unread input is left at the close
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
        });
    }
}
