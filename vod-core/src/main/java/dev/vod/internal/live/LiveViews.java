package dev.vod.internal.live;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.content.PlayerAssets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The viewer side of a live channel, one method per kind of GET: master and media playlists (a media playlist
 * request with {@code _HLS_msn}/{@code _HLS_part} waits until that segment or part exists — blocking playlist
 * reload — for at most three target durations, 8 s at most), init segments, segments and parts (from memory, shared buffers,
 * {@code Cache-Control: max-age} so a CDN can hold them; sent with sendfile from their spool files where they
 * have one, see {@link SpoolFile}), the continuous MP4, stats and the player page.
 */
final class LiveViews {
    private static final String PLAYLIST = LiveRendition.PLAYLIST_TYPE;

    private LiveViews() {
    }

    static void answer(LiveHandler handler, ChannelHandlerContext ctx, LiveChannel channel, LiveRoute route,
                       QueryStringDecoder uri, boolean head, String viewer) {
        switch (route.kind()) {
            case PLAYER -> handler.respond(ctx, bytes(LivePlayerPage.render(route.channel(), handler.chatOn()),
                    "text/html; charset=utf-8", "no-cache", head));
            case HLS_JS -> handler.respond(ctx, bytes(PlayerAssets.hlsJs(), "text/javascript", "max-age=86400", head));
            case STATS -> handler.respond(ctx, bytes(channel.statsJson(handler.chatMembers(channel.name)).getBytes(StandardCharsets.UTF_8),
                    "application/json", "no-cache", head));
            case MASTER -> {
                channel.sawViewer(viewer);
                handler.respond(ctx, bytes(master(channel), PLAYLIST, "no-cache", head));
            }
            case MEDIA -> media(handler, ctx, channel, route, uri, head, viewer);
            case INIT -> {
                InitSegment init = rendition(channel, route).init((int) Math.min(Integer.MAX_VALUE, route.number()));
                if (init == null) {
                    throw new HttpProblem(404, "no such init segment");
                }
                handler.respond(ctx, bytes(init.bytes(), "video/mp4", "max-age=3600", head));
            }
            case SEGMENT -> {
                LiveResponse segment = rendition(channel, route).segmentResponse(route.number(), route.part(),
                        handler.zeroCopy(ctx));
                if (segment == null) {
                    throw new HttpProblem(404, "segment not in the live window");
                }
                handler.respond(ctx, segment, head);
            }
            case STREAM -> {
                LiveRendition primary = channel.primary();
                if (primary == null || primary.currentInit() == null) {
                    throw new HttpProblem(404, "channel '" + route.channel() + "' is not live");
                }
                new StreamViewer(ctx, primary).start(head);
            }
            default -> throw HttpProblem.notFound();
        }
    }

    private static LiveRendition rendition(LiveChannel channel, LiveRoute route) {
        LiveRendition r = channel.rendition(route.rendition(), false);
        if (r == null || r.currentInit() == null) {
            throw new HttpProblem(404, "no rendition '" + route.rendition() + "' on channel '" + channel.name + "'");
        }
        return r;
    }

    private static byte[] master(LiveChannel channel) {
        List<LivePlaylists.Variant> variants = new ArrayList<>();
        for (LiveRendition r : channel.renditions()) {
            variants.add(new LivePlaylists.Variant(r.name, r.stats().bitrate(), r.currentInit().info()));
        }
        if (variants.isEmpty()) {
            throw new HttpProblem(404, "channel '" + channel.name + "' has nothing to play yet");
        }
        return LivePlaylists.master(variants).getBytes(StandardCharsets.UTF_8);
    }

    private static void media(LiveHandler handler, ChannelHandlerContext ctx, LiveChannel channel, LiveRoute route,
                              QueryStringDecoder uri, boolean head, String viewer) {
        LiveRendition rendition = rendition(channel, route);
        channel.sawViewer(viewer);
        long msn = number(uri, "_HLS_msn");
        int part = (int) number(uri, "_HLS_part");
        if (msn < 0) {
            if (part >= 0) {
                throw HttpProblem.badRequest("_HLS_part needs _HLS_msn");
            }
            handler.respond(ctx, rendition.playlist(), head);
            return;
        }
        if (msn > rendition.listedNextSequence() + 1) {
            throw HttpProblem.badRequest("_HLS_msn " + msn + " is too far ahead of the live edge");
        }
        new BlockedReload(handler, ctx, rendition, head).start(msn, part, rendition.targetSeconds());
    }

    /**
     * A playlist request held until segment (or part) {@code msn} exists, or for {@link #MAX_HOLD_MILLIS} at most:
     * the spec's three target durations, but under the 10 s a player (hls.js) waits for a playlist's first byte.
     * Woken from the publisher's thread, answered on the viewer's event loop, once. Keeps nothing on the
     * connection after it is answered: a viewer makes one such request per segment for hours.
     */
    private static final class BlockedReload implements ChannelFutureListener {
        private static final long MAX_HOLD_MILLIS = 8000;
        private final LiveHandler handler;
        private final ChannelHandlerContext ctx;
        private final LiveRendition rendition;
        private final boolean head;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile Runnable cancel = () -> { };
        private volatile ScheduledFuture<?> timeout;

        BlockedReload(LiveHandler handler, ChannelHandlerContext ctx, LiveRendition rendition, boolean head) {
            this.handler = handler;
            this.ctx = ctx;
            this.rendition = rendition;
            this.head = head;
        }

        void start(long msn, int part, double targetSeconds) {
            ctx.channel().closeFuture().addListener(this);
            // The wake-up may come at once, under the rendition's lock: it only schedules the answer.
            cancel = rendition.whenAvailable(msn, part, () -> ctx.executor().execute(this::answer));
            long holdMillis = Math.min(MAX_HOLD_MILLIS, Math.round(3000 * Math.max(1, targetSeconds)));
            timeout = ctx.executor().schedule(this::answer, holdMillis, TimeUnit.MILLISECONDS);
            if (done.get()) {
                // The connection was already closed: the listener ran at once, before there was anything to undo.
                cancel.run();
                timeout.cancel(false);
            }
        }

        private void answer() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            finish();
            if (ctx.channel().isActive()) {
                handler.respond(ctx, rendition.playlist(), head);
            }
        }

        /** The connection closed while the request was held. */
        @Override
        public void operationComplete(ChannelFuture closed) {
            if (done.compareAndSet(false, true)) {
                finish();
            }
        }

        private void finish() {
            cancel.run();
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
            ctx.channel().closeFuture().removeListener(this);
        }
    }

    private static long number(QueryStringDecoder uri, String name) {
        List<String> values = uri.parameters().get(name);
        if (values == null || values.isEmpty()) {
            return -1;
        }
        try {
            long v = Long.parseLong(values.get(0));
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest(name + " must be a non-negative number");
        }
    }

    private static FullHttpResponse bytes(byte[] body, String type, String cache, boolean head) {
        return buffer(Unpooled.wrappedBuffer(body), type, cache, head);
    }

    private static FullHttpResponse buffer(ByteBuf body, String type, String cache, boolean head) {
        int length = body.readableBytes();
        FullHttpResponse response;
        if (head) {
            body.release();
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        } else {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        }
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type).set(HttpHeaderNames.CACHE_CONTROL, cache)
                .set(HttpHeaderNames.CONTENT_LENGTH, length);
        return response;
    }
}
