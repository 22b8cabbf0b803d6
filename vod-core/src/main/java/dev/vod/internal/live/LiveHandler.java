package dev.vod.internal.live;

import dev.vod.LiveSettings;
import dev.vod.internal.HttpProblem;
import dev.vod.internal.http.ResponseEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code /live/} requests on one connection, after vod's own handler, which hands them over in order
 * (HTTP/1.1 answers pipelined requests in order; vod holds later requests until this handler's response has
 * ended). Publishing ({@code PUT}/{@code POST}, the body streamed into a {@link Publish}), playlists (with
 * blocking reload), segments, parts and init segments from memory, the continuous stream, stats, chat.
 *
 * <pre>
 * PUT /live/cam/720p HTTP/1.1                 (ffmpeg ... -f mp4 -movflags frag_keyframe+empty_moov+default_base_moof
 * Authorization: Bearer s3cret                  -method PUT http://host:8080/live/cam/720p)
 * Transfer-Encoding: chunked                  ... fragments for as long as it streams ...
 *                                             HTTP/1.1 204 No Content      (when the body ends)
 * </pre>
 *
 * Publish errors: 401 without the token, 409 while another publisher holds the rendition, 413 a fragment over
 * the limit, 415 not fragmented MP4, 422 malformed boxes or no key frame in time, 408 a stalled body; the
 * connection is closed after an error (the rest of the body is not read).
 */
public final class LiveHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger("vod.live");

    private final LiveChannels channels;
    private final ChatService chat;
    private Publish publish;
    private ScheduledFuture<?> publishTimer;
    private boolean keepAlive;
    private Boolean zeroCopy;
    private Boolean preEncoded;
    private String viewerAgent;
    private String viewerKey;

    LiveHandler(LiveChannels channels, ChatService chat) {
        this.channels = channels;
        this.chat = chat;
    }

    /** A handler for one connection of a server with these channels. */
    public static LiveHandler of(LiveChannels channels) {
        return new LiveHandler(channels, channels.chat());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            try {
                request(ctx, request);
            } catch (Refusal refusal) {
                respond(ctx, refusal.response);
            } catch (HttpProblem problem) {
                respond(ctx, text(HttpResponseStatus.valueOf(problem.status()), problem.getMessage()));
            } finally {
                ReferenceCountUtil.release(msg);
            }
        } else if (msg instanceof HttpContent content) {
            try {
                body(ctx, content);
            } finally {
                content.release();
            }
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void request(ChannelHandlerContext ctx, HttpRequest request) {
        keepAlive = HttpUtil.isKeepAlive(request);
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        LiveRoute route = LiveRoute.parse(uri.path());
        HttpMethod method = request.method();
        boolean head = method.equals(HttpMethod.HEAD);
        if (route.kind() == LiveRoute.Kind.PUBLISH) {
            if (!method.equals(HttpMethod.PUT) && !method.equals(HttpMethod.POST)) {
                throw notAllowed(method, "PUT, POST");
            }
            startPublish(ctx, request, uri, route);
            return;
        }
        if (!head && !method.equals(HttpMethod.GET)) {
            throw notAllowed(method, "GET, HEAD");
        }
        if (route.kind() == LiveRoute.Kind.CHAT) {
            if (chat == null || !channels.settings().chat()) {
                throw new HttpProblem(404, "chat is off (--live-chat)");
            }
            if (!chat.isUpgrade(request)) {
                throw new HttpProblem(400, "the chat is a WebSocket: connect with ws://");
            }
            List<String> names = uri.parameters().get("name");
            chat.upgrade(ctx, request, route.channel(), names == null ? null : names.get(0));
            return;
        }
        LiveChannel channel = channels.forViewer(route.channel());
        if (channel == null && route.kind() != LiveRoute.Kind.PLAYER && route.kind() != LiveRoute.Kind.HLS_JS) {
            throw new HttpProblem(404, "no live channel '" + route.channel() + "'");
        }
        LiveViews.answer(this, ctx, channel, route, uri, head, viewer(ctx, request));
    }

    boolean chatOn() {
        return chat != null && channels.settings().chat();
    }

    int chatMembers(String channel) {
        return chat == null ? 0 : chat.members(channel);
    }

    /** Who asks, for the viewer count: address and user agent, kept while the connection sends the same one. */
    private String viewer(ChannelHandlerContext ctx, HttpRequest request) {
        String agent = request.headers().get(HttpHeaderNames.USER_AGENT, "");
        if (viewerKey == null || !agent.equals(viewerAgent)) {
            String address = ctx.channel().remoteAddress() instanceof InetSocketAddress a
                    ? a.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
            viewerAgent = agent;
            viewerKey = address + " " + agent;
        }
        return viewerKey;
    }

    private void startPublish(ChannelHandlerContext ctx, HttpRequest request, QueryStringDecoder uri,
                              LiveRoute route) {
        LiveSettings settings = channels.settings();
        keepAlive = false; // a refused publisher keeps sending its stream: close rather than read it all
        if (!settings.publishOpen() && !authorized(request, uri, settings.publishToken())) {
            FullHttpResponse denied = text(HttpResponseStatus.UNAUTHORIZED, "a publish token is required"
                    + " (Authorization: Bearer TOKEN or ?token=TOKEN)");
            denied.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"vod live\"");
            throw new Refusal(denied);
        }
        LiveChannel channel = channels.forPublisher(route.channel());
        LiveRendition rendition = channel.rendition(route.rendition(), true);
        Publish p = new Publish(channel, rendition, ctx.alloc(), settings.maxFragment(),
                settings.recordDir() == null ? null
                        : new LiveRecorder(settings.recordDir(), route.channel(), route.rendition()),
                channels.spoolDir());
        if (!rendition.claim(p)) {
            throw new HttpProblem(409, "'" + route.channel() + "/" + route.rendition()
                    + "' is being published by someone else");
        }
        channel.updateEnded();
        publish = p;
        keepAlive = HttpUtil.isKeepAlive(request);
        if (HttpUtil.is100ContinueExpected(request)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        long timeout = settings.ingestTimeout().toNanos();
        publishTimer = ctx.executor().scheduleAtFixedRate(() -> {
            try {
                if (publish != null) {
                    publish.checkTimeouts(timeout);
                }
            } catch (HttpProblem problem) {
                failPublish(ctx, problem);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    private static boolean authorized(HttpRequest request, QueryStringDecoder uri, String token) {
        if (token == null) {
            return false;
        }
        String given = null;
        String auth = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = auth.substring(7).trim();
        } else if (uri.parameters().get("token") != null) {
            given = uri.parameters().get("token").get(0);
        }
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private void body(ChannelHandlerContext ctx, HttpContent content) {
        if (publish == null) {
            return; // discarded: a viewer request's body, or the rest of a refused publish
        }
        try {
            if (content.decoderResult().isFailure()) {
                throw HttpProblem.badRequest("malformed request body");
            }
            publish.feed(content.content());
            if (content instanceof LastHttpContent) {
                if (publish.cut()) {
                    throw new HttpProblem(400, "the body ended in the middle of a box");
                }
                endPublish();
                respond(ctx, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT));
            }
        } catch (HttpProblem problem) {
            failPublish(ctx, problem);
        }
    }

    private void failPublish(ChannelHandlerContext ctx, HttpProblem problem) {
        if (publish == null) {
            return;
        }
        log.warn("live {}/{}: publish refused: {} {}", publish.channel.name, publish.rendition.name,
                problem.status(), problem.getMessage());
        endPublish();
        keepAlive = false;
        respond(ctx, text(HttpResponseStatus.valueOf(problem.status()), problem.getMessage()));
    }

    private void endPublish() {
        if (publishTimer != null) {
            publishTimer.cancel(false);
            publishTimer = null;
        }
        Publish p = publish;
        publish = null;
        if (p != null) {
            p.release();
            p.rendition.release(p);
            p.channel.updateEnded();
            log.info("live {}/{}: publisher left after {} fragments", p.channel.name, p.rendition.name,
                    p.fragments());
        }
    }

    /**
     * Writes a 200 made of shared headers and a body (a buffer or a file region, released by the write), or only
     * the headers for a HEAD; as {@link #respond(ChannelHandlerContext, FullHttpResponse)} for the connection.
     */
    void respond(ChannelHandlerContext ctx, LiveResponse response, boolean head) {
        if (keepAlive && preEncoded(ctx)) {
            ctx.write(response.encodedHead().duplicate());
            if (head) {
                ReferenceCountUtil.release(response.body());
            } else {
                ctx.write(response.body());
            }
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            return;
        }
        HttpHeaders headers = response.headers();
        if (!keepAlive) {
            headers = new DefaultHttpHeaders().add(headers).set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ChannelFuture done;
        if (head || response.body() instanceof ByteBuf) {
            ByteBuf body = Unpooled.EMPTY_BUFFER;
            if (head) {
                ReferenceCountUtil.release(response.body());
            } else {
                body = (ByteBuf) response.body();
            }
            done = ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body,
                    headers, EmptyHttpHeaders.INSTANCE));
        } else {
            ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, headers));
            ctx.write(response.body());
            done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        if (!keepAlive) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Whether shared, encoded heads may be written: vod's own encoder is in the pipeline. Looked up once. */
    private boolean preEncoded(ChannelHandlerContext ctx) {
        if (preEncoded == null) {
            preEncoded = ResponseEncoder.installedIn(ctx.pipeline());
        }
        return preEncoded;
    }

    /**
     * Whether bodies may go out as file regions (sendfile): not through TLS, which has to encrypt them in the JVM.
     * Looked up once per connection.
     */
    boolean zeroCopy(ChannelHandlerContext ctx) {
        if (zeroCopy == null) {
            zeroCopy = ctx.pipeline().get(SslHandler.class) == null;
        }
        return zeroCopy;
    }

    /** Writes a complete response; the connection closes after it unless the request kept it alive. */
    void respond(ChannelHandlerContext ctx, FullHttpResponse response) {
        response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            HttpUtil.setContentLength(response, response.content().readableBytes());
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    static FullHttpResponse text(HttpResponseStatus status, String message) {
        ByteBuf body = Unpooled.copiedBuffer(status.code() + " " + status.reasonPhrase() + ": " + message + "\n",
                StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return response;
    }

    private static Refusal notAllowed(HttpMethod method, String allow) {
        FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, method.name() + " is not allowed");
        response.headers().set(HttpHeaderNames.ALLOW, allow);
        return new Refusal(response);
    }

    /** An error with its response already built (it needs more headers than a message). */
    private static final class Refusal extends RuntimeException {
        final transient FullHttpResponse response;

        Refusal(FullHttpResponse response) {
            super(response.status().toString(), null, false, false);
            this.response = response;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (publish != null) {
            log.info("live {}/{}: publisher disconnected", publish.channel.name, publish.rendition.name);
        }
        endPublish();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        endPublish();
        ctx.fireExceptionCaught(cause);
    }
}
