package dev.vod.internal.live.chat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * All chat rooms of a server, by channel name; the entry point of the chat. A room is created on first join and
 * kept, with its history, for the server's lifetime, so call {@link #upgrade} only for channels that exist.
 *
 * <p>A chat connection, header by header:
 *
 * <pre>
 * GET /live/news/chat?name=alice HTTP/1.1
 * Host: example.org
 * Upgrade: websocket
 * Connection: Upgrade
 * Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
 * Sec-WebSocket-Version: 13
 *
 * HTTP/1.1 101 Switching Protocols
 * upgrade: websocket
 * connection: upgrade
 * sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=
 * </pre>
 *
 * then JSON text frames both ways, described in {@link ChatRoom}. A request handler uses it so:
 *
 * <pre>{@code
 * if (ChatRooms.isUpgrade(request) && path.endsWith("/chat")) {
 *     rooms.upgrade(ctx, request, channel, queryName, List.of("vod-header-timeout", "vod-idle"));
 *     return; // and drop the request's (empty) LastHttpContent that follows
 * }
 * }</pre>
 */
public final class ChatRooms {
    private final Clock clock;
    private final ConcurrentMap<String, ChatRoom> rooms = new ConcurrentHashMap<>();

    public ChatRooms(Clock clock) {
        this.clock = clock;
    }

    /** The room of {@code channel}, created when it has none yet. */
    public ChatRoom room(String channel) {
        return rooms.computeIfAbsent(channel, name -> new ChatRoom(name, clock));
    }

    /** Whether this request is a WebSocket upgrade (GET with Upgrade: websocket). */
    public static boolean isUpgrade(HttpRequest request) {
        return HttpMethod.GET.equals(request.method())
                && request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /**
     * Completes the WebSocket handshake for {@code request} (a GET without a body) on ctx's channel, whose pipeline
     * is an HTTP/1.1 server one: an {@code HttpRequestDecoder} and an {@code HttpResponseEncoder} (or subclasses,
     * or a {@code MessageToMessageEncoder} of responses), or an {@code HttpServerCodec}, before ctx's handler. Then
     * joins the room of {@code channel} as {@code displayName} (sanitised; {@code guest-N} when null or empty).
     *
     * <p>The HTTP decoder is replaced by a frame decoder, the HTTP encoder removed (a frame encoder goes before
     * the decoder), the handlers named in {@code removeAfterUpgrade} that exist are removed (HTTP timeouts: a chat
     * may be quiet for hours), and the chat handler is added right after ctx's handler; nothing else of the
     * caller's changes. The decoder may still hand ctx's handler the request's empty {@code LastHttpContent} after
     * this returns; the chat handler drops it if it is passed on. A request that is not a valid version-13
     * handshake gets {@code 400} with the reason as text, and the connection is closed.
     *
     * <p>Call it on ctx's event loop (from channelRead).
     *
     * @throws IllegalStateException when the pipeline has no HTTP/1.1 decoder and encoder before ctx's handler
     */
    public void upgrade(ChannelHandlerContext ctx, HttpRequest request, String channel, String displayName,
                        List<String> removeAfterUpgrade) {
        ChatHandshake.upgrade(ctx, request, new ChatSocketHandler(room(channel), displayName), removeAfterUpgrade);
    }

    /** Members now in the room of {@code channel}; 0 when it has no room yet (none is created). */
    public int members(String channel) {
        ChatRoom room = rooms.get(channel);
        return room == null ? 0 : room.members();
    }

    /** Members now in all rooms together. */
    public int members() {
        return rooms.values().stream().mapToInt(ChatRoom::members).sum();
    }
}
