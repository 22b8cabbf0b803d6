package dev.vod.internal.rtsp;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.rtp.Rtcp;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the RTSP requests of one connection (RFC 2326). A session's life:
 *
 * <pre>
 * C: DESCRIBE rtsp://host:8554/sample.mp4 RTSP/1.0      S: 200, the SDP, Content-Base: rtsp://host:8554/sample.mp4/
 * C: SETUP …/sample.mp4/trackID=1 (Transport: …)         S: 200, Session: 1234567890123456;timeout=60, Transport
 * C: SETUP …/sample.mp4/trackID=2, Session: …            S: 200
 * C: PLAY …/sample.mp4/ (Range: npt=6-)                  S: 200, Range: npt=5.960-10.000, RTP-Info; then RTP
 * C: PAUSE / PLAY / GET_PARAMETER (keep-alive)           S: 200
 * C: TEARDOWN                                            S: 200; RTCP BYE, ports freed
 * </pre>
 *
 * Errors: 400 malformed, 403/404 as for HTTP, 415 no streamable track, 453 session limit or no UDP ports, 454
 * unknown session, 455 PAUSE when not playing or SETUP while playing, 457 bad Range, 459 SETUP of a presentation
 * with several tracks without naming one, 461 no usable transport, 405/501 other methods, 505 other versions,
 * 551 any {@code Require}d option. SETUP lives in {@link SetupRequest}.
 */
final class RtspHandler extends SimpleChannelInboundHandler<Object> {
    private static final Logger log = LoggerFactory.getLogger("vod.rtsp");

    private final RtspServices services;
    private final MessageSplitter splitter;

    RtspHandler(RtspServices services, MessageSplitter splitter) {
        this.services = services;
        this.splitter = splitter;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof InterleavedFrame frame) {
            onInterleaved(ctx, frame);
        } else if (msg instanceof FullHttpRequest request) {
            onRequest(ctx, request);
        } else if (msg instanceof DecoderResultProvider other && other.decoderResult().isFailure()) {
            // A request line too long to parse comes out of the decoder as an invalid message of the other kind.
            ctx.writeAndFlush(RtspReply.error(400, null, "Malformed request: " + other.decoderResult().cause()))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, FullHttpRequest request) {
        String cseq = request.headers().get(RtspHeaders.CSEQ);
        if (request.decoderResult().isFailure()) {
            String why = request.decoderResult().cause() == null ? "Malformed request"
                    : "Malformed request: " + request.decoderResult().cause().getMessage();
            ctx.writeAndFlush(RtspReply.error(400, cseq, why)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        try {
            if (cseq == null || cseq.isBlank()) {
                throw HttpProblem.badRequest("CSeq header missing");
            }
            if (!request.protocolVersion().protocolName().equals("RTSP")
                    || request.protocolVersion().majorVersion() != 1) {
                throw new HttpProblem(505, "Only RTSP/1.0 is spoken here");
            }
            String require = request.headers().get(RtspHeaders.REQUIRE);
            if (require != null) {
                FullHttpResponse unsupported = RtspReply.error(551, cseq, "No option is supported: " + require);
                unsupported.headers().set(RtspHeaders.UNSUPPORTED, require);
                ctx.writeAndFlush(unsupported);
                return;
            }
            dispatch(ctx, request, cseq);
        } catch (HttpProblem problem) {
            ctx.writeAndFlush(RtspReply.error(problem.status(), cseq, problem.getMessage()));
        } catch (RuntimeException e) {
            log.warn("RTSP {} {} failed", request.method(), request.uri(), e);
            ctx.writeAndFlush(RtspReply.error(500, cseq, "Internal error"));
        }
    }

    private void dispatch(ChannelHandlerContext ctx, FullHttpRequest request, String cseq) {
        HttpMethod method = request.method();
        String name = method.name();
        switch (name) {
            case "OPTIONS" -> {
                FullHttpResponse ok = RtspReply.ok(cseq);
                ok.headers().set(RtspHeaders.PUBLIC, RtspReply.PUBLIC);
                touch(request);
                ctx.writeAndFlush(ok);
            }
            case "DESCRIBE" -> describe(ctx, request, cseq);
            case "SETUP" -> new SetupRequest(services, ctx, splitter, request, cseq).run();
            case "PLAY", "PAUSE", "TEARDOWN" -> withSession(ctx, request, cseq, name);
            case "GET_PARAMETER" -> {
                RtspSession session = sessionOf(request, false);
                FullHttpResponse ok = RtspReply.ok(cseq);
                ctx.writeAndFlush(session == null ? ok : RtspReply.withSession(ok, session, timeoutSeconds()));
            }
            case "ANNOUNCE", "RECORD", "REDIRECT", "SET_PARAMETER" -> {
                FullHttpResponse refused = RtspReply.error(405, cseq, name + " is not supported: this server plays");
                refused.headers().set(RtspHeaders.ALLOW, RtspReply.PUBLIC);
                ctx.writeAndFlush(refused);
            }
            default -> {
                FullHttpResponse unknown = RtspReply.error(501, cseq, "Unknown method " + name);
                unknown.headers().set(RtspHeaders.PUBLIC, RtspReply.PUBLIC);
                ctx.writeAndFlush(unknown);
            }
        }
    }

    private void describe(ChannelHandlerContext ctx, FullHttpRequest request, String cseq) {
        RtspTarget target = RtspTarget.parse(request.uri());
        Presentation presentation = services.presentations().open(target.path());
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        String sdp = SessionDescription.of(presentation, local.getAddress().getHostAddress(),
                presentation.file().lastModified() / 1000);
        FullHttpResponse ok = RtspReply.of(200, cseq, sdp, "application/sdp");
        ok.headers().set(RtspHeaders.CONTENT_BASE, contentBase(ctx, request.uri(), target));
        ctx.writeAndFlush(ok);
    }

    /** The absolute URL of the presentation, with a trailing slash, against which track controls resolve. */
    static String contentBase(ChannelHandlerContext ctx, String uri, RtspTarget target) {
        String base;
        int scheme = uri.indexOf("://");
        if (scheme >= 0) {
            int slash = uri.indexOf('/', scheme + 3);
            base = (slash < 0 ? uri : uri.substring(0, slash));
        } else {
            InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
            String host = local.getAddress().getHostAddress();
            base = "rtsp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + local.getPort();
        }
        return base + target.path().encoded() + "/";
    }

    private void withSession(ChannelHandlerContext ctx, FullHttpRequest request, String cseq, String method) {
        RtspSession session = sessionOf(request, true);
        String uri = request.uri();
        String range = request.headers().get(RtspHeaders.RANGE);
        Runnable work = () -> {
            FullHttpResponse response;
            try {
                response = switch (method) {
                    case "PLAY" -> play(ctx, session, uri, range, cseq);
                    case "PAUSE" -> pause(session, cseq);
                    default -> {
                        session.end("TEARDOWN");
                        yield RtspReply.ok(cseq);
                    }
                };
            } catch (HttpProblem problem) {
                response = RtspReply.error(problem.status(), cseq, problem.getMessage());
            }
            ctx.writeAndFlush(response);
        };
        if (session.loop().inEventLoop()) {
            work.run();
        } else {
            session.loop().execute(work); // a session set up on another connection: its own loop plays it
        }
    }

    private FullHttpResponse play(ChannelHandlerContext ctx, RtspSession session, String uri, String rangeHeader,
                                  String cseq) {
        if (session.isClosed()) {
            throw new HttpProblem(454, "Session Not Found");
        }
        NptRange range = NptRange.parse(rangeHeader);
        if (range == null || (!range.resumes() && range.start() > session.presentation.duration())) {
            FullHttpResponse invalid = RtspReply.error(457, cseq, "Range must be npt=START- within 0-"
                    + String.format(Locale.ROOT, "%.3f", session.presentation.duration()));
            return RtspReply.withSession(invalid, session, timeoutSeconds());
        }
        double start;
        try {
            start = session.play(range);
        } catch (IOException e) {
            throw new HttpProblem(404, "Not Found");
        }
        FullHttpResponse ok = RtspReply.withSession(RtspReply.ok(cseq), session, timeoutSeconds());
        double end = range.end() >= 0 ? Math.min(range.end(), session.presentation.duration())
                : session.presentation.duration();
        ok.headers().set(RtspHeaders.RANGE, NptRange.format(start, end));
        String base = contentBase(ctx, uri, RtspTarget.parse(uri).aggregate());
        List<String> info = new ArrayList<>();
        for (int i = 0; i < session.presentation.tracks().size(); i++) {
            SessionTrack track = session.track(i);
            if (track != null) {
                info.add("url=" + base + RtspTarget.TRACK_PREFIX + track.stream.number() + ";seq="
                        + track.nextSequence() + ";rtptime=" + track.timestampAt(start));
            }
        }
        ok.headers().set(RtspHeaders.RTP_INFO, String.join(",", info));
        return ok;
    }

    private FullHttpResponse pause(RtspSession session, String cseq) {
        if (session.isClosed()) {
            throw new HttpProblem(454, "Session Not Found");
        }
        if (session.state() != RtspSession.State.PLAYING) {
            FullHttpResponse invalid = RtspReply.error(455, cseq, "PAUSE is valid while playing only");
            invalid.headers().set(RtspHeaders.ALLOW, "SETUP, PLAY, TEARDOWN, GET_PARAMETER, OPTIONS");
            return RtspReply.withSession(invalid, session, timeoutSeconds());
        }
        session.pause();
        return RtspReply.withSession(RtspReply.ok(cseq), session, timeoutSeconds());
    }

    /** The session a request names; 454 when it names none (and one is required) or an unknown one. */
    private RtspSession sessionOf(FullHttpRequest request, boolean required) {
        String header = request.headers().get(RtspHeaders.SESSION);
        if (header == null) {
            if (required) {
                throw new HttpProblem(454, "Session Not Found: this request needs the Session header from SETUP");
            }
            return null;
        }
        RtspSession session = services.registry().get(sessionId(header));
        if (session == null) {
            throw new HttpProblem(454, "Session Not Found");
        }
        session.touch();
        return session;
    }

    /** The id part of a {@code Session} header ({@code 12345;timeout=60}). */
    static String sessionId(String header) {
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
    }

    private void touch(FullHttpRequest request) {
        String header = request.headers().get(RtspHeaders.SESSION);
        RtspSession session = header == null ? null : services.registry().get(sessionId(header));
        if (session != null) {
            session.touch();
        }
    }

    private long timeoutSeconds() {
        return services.sessionTimeoutSeconds();
    }

    /** Clients' RTCP receiver reports on the odd channels: proof of life for the session, nothing else. */
    private void onInterleaved(ChannelHandlerContext ctx, InterleavedFrame frame) {
        if (!Rtcp.isValid(frame.content())) {
            return;
        }
        for (RtspSession session : services.registry().ownedBy(ctx.channel())) {
            session.touch();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // Quiet for the session timeout: close unless a session of this connection is alive by other means.
        if (evt instanceof IdleStateEvent) {
            long deadline = System.nanoTime() - services.sessionTimeoutSeconds() * 1_000_000_000L;
            for (RtspSession session : services.registry().ownedBy(ctx.channel())) {
                if (!session.idleSince(deadline)) {
                    return;
                }
            }
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (RtspSession session : services.registry().ownedBy(ctx.channel())) {
            session.loop().execute(() -> session.end("connection closed"));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("RTSP connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
