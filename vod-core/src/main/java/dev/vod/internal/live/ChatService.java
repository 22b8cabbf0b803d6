package dev.vod.internal.live;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;

/** The chat behind {@code /live/NAME/chat}: takes over a connection with a WebSocket handshake. */
interface ChatService {
    /** Whether {@code request} asks for a WebSocket. */
    boolean isUpgrade(HttpRequest request);

    /** Completes the handshake and joins {@code channel}'s room as {@code name} (may be null). */
    void upgrade(ChannelHandlerContext ctx, HttpRequest request, String channel, String name);

    /** Members of {@code channel}'s room now. */
    int members(String channel);
}
