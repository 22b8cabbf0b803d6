package dev.vod.internal.live;

import dev.vod.internal.live.chat.ChatRooms;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Clock;
import java.util.List;

/**
 * The chat rooms of the live channels, as the live handler uses them. The HTTP timeouts of vod's pipeline are
 * removed from a connection once it is a WebSocket: a chat may stay quiet for long.
 */
final class LiveChat implements ChatService {
    private static final List<String> HTTP_ONLY = List.of("vod-header-timeout", "vod-idle");

    private final ChatRooms rooms = new ChatRooms(Clock.systemUTC());

    @Override
    public boolean isUpgrade(HttpRequest request) {
        return ChatRooms.isUpgrade(request);
    }

    @Override
    public void upgrade(ChannelHandlerContext ctx, HttpRequest request, String channel, String name) {
        rooms.upgrade(ctx, request, channel, name, HTTP_ONLY);
    }

    @Override
    public int members(String channel) {
        return rooms.members(channel);
    }
}
