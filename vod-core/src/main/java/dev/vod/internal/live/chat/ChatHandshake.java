package dev.vod.internal.live.chat;

import dev.vod.internal.http.HeaderTimeoutHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Turns an HTTP/1.1 connection into a chat WebSocket. Netty's {@link WebSocketServerHandshaker13} checks the
 * request and builds the {@code 101} answer; the pipeline is changed here rather than by its {@code handshake}:
 *
 * <pre>
 * before: … vod-header-timeout, vod-decoder, vod-encoder, vod-idle, [caller], vod
 * after:  … chat-ws-encoder, chat-ws-decoder, chat-close, [caller], chat, vod
 * </pre>
 *
 * (HTTP decoder replaced, HTTP encoder removed, the names the caller asks removed.) Why by hand: Netty's
 * handshake puts its frame encoder after the frame decoder when decoder and encoder are separate handlers, so a
 * close frame the decoder writes (1009, frame too big) never passes the encoder; and it writes the {@code 101}
 * through the HTTP encoder, removing it only later, while vod's encoder keeps per-response state. Here the
 * {@code 101} is written as bytes once the pipeline is already a WebSocket one, so no frame can be encoded as
 * HTTP, and no HTTP response can follow it.
 */
final class ChatHandshake {
    /** Largest frame, and largest message put together from fragments: 64 KiB. */
    static final int MAX_FRAME = 64 * 1024;

    private static final WebSocketDecoderConfig DECODER = WebSocketDecoderConfig.newBuilder()
            .maxFramePayloadLength(MAX_FRAME).allowExtensions(false).expectMaskedFrames(true)
            .allowMaskMismatch(false).withUTF8Validator(true)
            .closeOnProtocolViolation(false) // ChatClose closes, without a reset (see there)
            .build();
    private static final HttpResponse ENCODER_PROBE =
            new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);

    private ChatHandshake() {
    }

    /**
     * Completes the handshake of {@code request} on {@code ctx}'s channel and adds {@code chat} after ctx's
     * handler; or answers 400 with the reason and closes when the request is not a valid WebSocket handshake.
     *
     * @throws IllegalStateException when no HTTP/1.1 decoder and encoder precede ctx's handler
     */
    static void upgrade(ChannelHandlerContext ctx, HttpRequest request, ChannelHandler chat,
                        List<String> removeAfterUpgrade) {
        ChannelPipeline pipeline = ctx.pipeline();
        String decoder = null;
        String encoder = null;
        for (Map.Entry<String, ChannelHandler> entry : pipeline) {
            if (entry.getKey().equals(ctx.name())) {
                break;
            }
            ChannelHandler handler = entry.getValue();
            if (handler instanceof HttpServerCodec) {
                decoder = encoder = entry.getKey();
            } else if (handler instanceof HttpRequestDecoder) {
                decoder = entry.getKey();
            } else if (isHttpEncoder(handler)) {
                encoder = entry.getKey();
            }
        }
        if (decoder == null || encoder == null) {
            throw new IllegalStateException("no HTTP/1.1 decoder and encoder before " + ctx.name());
        }
        String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
        Handshaker handshaker = new Handshaker("ws://" + host + request.uri());
        HttpResponse accepted;
        try {
            String version = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
            if (!"13".equals(version)) {
                throw new WebSocketServerHandshakeException("unsupported Sec-WebSocket-Version: " + version);
            }
            accepted = handshaker.accept(request);
        } catch (WebSocketServerHandshakeException e) {
            refuse(ctx, e.getMessage());
            return;
        }
        pipeline.replace(decoder, "chat-ws-decoder", handshaker.frameDecoder());
        if (!encoder.equals(decoder)) {
            pipeline.remove(encoder);
        }
        // Before the decoder, so that the close frames the decoder's neighbour writes pass through it too.
        pipeline.addBefore("chat-ws-decoder", "chat-ws-encoder", handshaker.frameEncoder());
        pipeline.addAfter("chat-ws-decoder", "chat-close", new ChatClose());
        for (String name : removeAfterUpgrade) {
            ChannelHandler removed = name.equals(ctx.name()) ? null : pipeline.get(name);
            if (removed != null) {
                pipeline.remove(removed);
                retire(removed);
            }
        }
        ctx.writeAndFlush(head(accepted));
        pipeline.addAfter(ctx.name(), "chat", chat);
    }

    /**
     * Stops the timer of vod's header timeout, which keeps running after removal: the request that started it was
     * consumed before vod's handler, which is what otherwise tells it the headers arrived, so it would write a 408
     * into the WebSocket stream ten seconds later. Its channelInactive is its stop, given a throwaway context so
     * that the event goes nowhere. (The real fix is a handlerRemoved in HeaderTimeoutHandler that cancels it.)
     */
    private static void retire(ChannelHandler removed) {
        if (removed instanceof HeaderTimeoutHandler timeout) {
            EmbeddedChannel nowhere = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
            try {
                timeout.channelInactive(nowhere.pipeline().firstContext());
            } finally {
                nowhere.finishAndReleaseAll();
            }
        }
    }

    private static boolean isHttpEncoder(ChannelHandler handler) {
        if (handler instanceof HttpResponseEncoder) {
            return true;
        }
        try {
            return handler instanceof MessageToMessageEncoder<?> encoder && encoder.acceptOutboundMessage(ENCODER_PROBE);
        } catch (Exception e) {
            return false;
        }
    }

    /** Answers 400 with {@code reason} as text, as bytes (whatever encoder the pipeline has), and closes. */
    private static void refuse(ChannelHandlerContext ctx, String reason) {
        byte[] body = ("400 Bad Request: " + reason + "\n").getBytes(StandardCharsets.UTF_8);
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, "close")
                .set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
        ctx.writeAndFlush(Unpooled.wrappedBuffer(head(response), Unpooled.wrappedBuffer(body)))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** The status line and headers of {@code response}, as the bytes on the wire. */
    private static ByteBuf head(HttpResponse response) {
        StringBuilder head = new StringBuilder(256).append("HTTP/1.1 ").append(response.status()).append("\r\n");
        for (Map.Entry<String, String> header : response.headers()) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        return Unpooled.wrappedBuffer(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Netty's version-13 handshake, with the parts {@code handshake} keeps to itself made reachable. */
    private static final class Handshaker extends WebSocketServerHandshaker13 {
        Handshaker(String location) {
            super(location, null, DECODER);
        }

        /** The 101 answer to {@code request}; throws WebSocketServerHandshakeException when it is invalid. */
        HttpResponse accept(HttpRequest request) {
            FullHttpRequest full = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                    request.uri(), Unpooled.EMPTY_BUFFER, request.headers().copy(), EmptyHttpHeaders.INSTANCE);
            FullHttpResponse response = null;
            try {
                response = newHandshakeResponse(full, (HttpHeaders) null);
                // Only the head is wanted: it is written as bytes, and a 101 has no body.
                HttpResponse head = new DefaultHttpResponse(response.protocolVersion(), response.status());
                head.headers().set(response.headers());
                return head;
            } finally {
                full.release();
                if (response != null) {
                    response.release();
                }
            }
        }

        WebSocketFrameDecoder frameDecoder() {
            return newWebsocketDecoder();
        }

        WebSocketFrameEncoder frameEncoder() {
            return newWebSocketEncoder();
        }
    }
}
