package dev.vod.internal.live.chat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * One chat connection after the handshake: joins its room when added, turns frames into room actions, and leaves
 * when the connection closes. Text messages may come in fragments; they are put together up to
 * {@link ChatHandshake#MAX_FRAME} bytes (more closes with 1009, like one oversized frame). Binary messages are
 * refused with "text only". Pings are answered with pongs, a close frame with a close frame and the end of the
 * connection. One instance per channel.
 */
final class ChatSocketHandler extends ChannelInboundHandlerAdapter {
    private final ChatRoom room;
    private final String requestedName;
    private ChatMember member;
    /** The fragments so far of a text message sent in pieces; null between messages. */
    private CompositeByteBuf fragments;
    /** A binary message is arriving in pieces: its continuations are dropped. */
    private boolean binaryFragments;

    ChatSocketHandler(ChatRoom room, String requestedName) {
        this.room = room;
        this.requestedName = requestedName;
    }

    /** This connection in its room; null before the handler is added. */
    ChatMember member() {
        return member;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        member = room.join(ctx, requestedName);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            if (msg instanceof HttpContent) {
                // The end of the upgrade request, decoded just before the HTTP decoder was swapped out.
                ReferenceCountUtil.release(msg);
            } else {
                ctx.fireChannelRead(msg);
            }
            return;
        }
        try {
            read(ctx, frame);
        } finally {
            frame.release();
        }
    }

    private void read(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            discardFragments();
            if (text.isFinalFragment()) {
                room.receive(member, text.text());
            } else {
                fragments = ctx.alloc().compositeBuffer();
                append(ctx, text.content());
            }
        } else if (frame instanceof ContinuationWebSocketFrame continuation) {
            if (fragments != null) {
                append(ctx, continuation.content());
                if (fragments != null && continuation.isFinalFragment()) {
                    String whole = fragments.toString(StandardCharsets.UTF_8);
                    discardFragments();
                    room.receive(member, whole);
                }
            } else if (binaryFragments && continuation.isFinalFragment()) {
                binaryFragments = false;
                room.refuse(member, ChatRoom.TEXT_ONLY);
            }
        } else if (frame instanceof BinaryWebSocketFrame binary) {
            discardFragments();
            if (binary.isFinalFragment()) {
                room.refuse(member, ChatRoom.TEXT_ONLY);
            } else {
                binaryFragments = true;
            }
        } else if (frame instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame close) {
            int status = close.statusCode() >= 0 ? close.statusCode() : WebSocketCloseStatus.NORMAL_CLOSURE.code();
            ctx.writeAndFlush(new CloseWebSocketFrame(status, null)).addListener(ChannelFutureListener.CLOSE);
        }
        // A pong needs no answer.
    }

    private void append(ChannelHandlerContext ctx, ByteBuf piece) {
        if (fragments.readableBytes() + piece.readableBytes() > ChatHandshake.MAX_FRAME) {
            discardFragments();
            ChatClose.closeWith(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG,
                    "at most " + ChatHandshake.MAX_FRAME / 1024 + " KiB per message");
            return;
        }
        fragments.addComponent(true, piece.retain());
    }

    private void discardFragments() {
        binaryFragments = false;
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        leave();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        leave();
    }

    private void leave() {
        discardFragments();
        if (member != null) {
            room.leave(member);
        }
    }
}
