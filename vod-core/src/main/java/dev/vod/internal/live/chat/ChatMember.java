package dev.vod.internal.live.chat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection in a room: its display name, its message rate, and the way out to it.
 *
 * <p>Every frame to a member is handed to the member's event loop as a task, even from that loop itself. A room
 * sends under its lock, so the order of those calls is the room's order; writing directly when already on the
 * right loop would let a later message overtake an earlier one still queued from another loop.
 *
 * <p>A member that does not read (its channel is not writable: Netty's outbound buffer is past its high water
 * mark) has messages dropped instead of queued without bound; {@link #dropped()} counts them.
 */
final class ChatMember {
    private final ChannelHandlerContext ctx;
    private final MessageRate rate;
    private final AtomicLong dropped = new AtomicLong();
    private volatile String name;

    ChatMember(ChannelHandlerContext ctx, String name, MessageRate rate) {
        this.ctx = ctx;
        this.name = name;
        this.rate = rate;
    }

    String name() {
        return name;
    }

    void rename(String name) {
        this.name = name;
    }

    /** The member's allowance of messages; use it only on the member's event loop. */
    MessageRate rate() {
        return rate;
    }

    /** Messages not sent to this member because it was not reading. */
    long dropped() {
        return dropped.get();
    }

    /** Sends one text frame holding {@code utf8}, which is shared between members and must not change. */
    void send(byte[] utf8) {
        try {
            ctx.executor().execute(() -> {
                if (!ctx.channel().isActive()) {
                    return;
                }
                if (!ctx.channel().isWritable()) {
                    dropped.incrementAndGet();
                    return;
                }
                ctx.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8)), ctx.voidPromise());
            });
        } catch (RejectedExecutionException e) {
            // The member's event loop is shutting down; its connection is going away with it.
        }
    }
}
