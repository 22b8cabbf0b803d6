package dev.vod.internal.rtsp;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.rtp.Rtcp;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * One SETUP (RFC 2326 §10.4): picks the track, checks the transport, creates the session or adds the track to
 * it, binds a UDP port pair when the transport is UDP, and answers with the transport as the server will use it:
 *
 * <pre>
 * C: SETUP rtsp://host:8554/sample.mp4/trackID=1 RTSP/1.0
 *    CSeq: 3
 *    Transport: RTP/AVP;unicast;client_port=50000-50001
 * S: RTSP/1.0 200 OK
 *    CSeq: 3
 *    Session: 4829105733920114;timeout=60
 *    Transport: RTP/AVP;unicast;client_port=50000-50001;server_port=30000-30001;ssrc=5A3C91E0
 * </pre>
 *
 * RTP goes to the RTSP client's own address only: a {@code destination} naming another host is refused with 403,
 * so nobody can aim a stream at a third party. Reading from the connection pauses while ports are being bound,
 * so that a pipelining client's PLAY is not answered before its SETUP.
 */
final class SetupRequest {
    private final RtspServices services;
    private final ChannelHandlerContext ctx;
    private final MessageSplitter splitter;
    private final FullHttpRequest request;
    private final String cseq;

    SetupRequest(RtspServices services, ChannelHandlerContext ctx, MessageSplitter splitter, FullHttpRequest request,
                 String cseq) {
        this.services = services;
        this.ctx = ctx;
        this.splitter = splitter;
        this.request = request;
        this.cseq = cseq;
    }

    void run() {
        RtspTarget target = RtspTarget.parse(request.uri());
        String sessionHeader = request.headers().get(RtspHeaders.SESSION);
        RtspSession existing = null;
        if (sessionHeader != null) {
            existing = services.registry().get(RtspHandler.sessionId(sessionHeader));
            if (existing == null || existing.isClosed()) {
                throw new HttpProblem(454, "Session Not Found");
            }
            if (existing.connection != ctx.channel()) {
                throw new HttpProblem(455, "SETUP for this session must come on the connection that created it");
            }
            existing.touch();
        }
        Presentation presentation = services.presentations().open(target.path());
        if (existing != null && !existing.presentation.file().path().equals(presentation.file().path())) {
            throw new HttpProblem(459, "This session plays another presentation");
        }
        if (existing != null) {
            presentation = existing.presentation; // the version the session started with
        }
        int index = trackIndex(presentation, target);
        if (existing != null && existing.state() == RtspSession.State.PLAYING) {
            throw new HttpProblem(455, "SETUP is not valid while playing: PAUSE first");
        }
        TransportSpec transport = TransportSpec.parse(request.headers().get(RtspHeaders.TRANSPORT));
        if (transport == null) {
            throw new HttpProblem(461, "Supported transports: RTP/AVP;unicast;client_port=A-B and"
                    + " RTP/AVP/TCP;unicast;interleaved=A-B");
        }
        InetAddress client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        if (transport.destination() != null && !sameHost(transport.destination(), client)) {
            throw new HttpProblem(403, "RTP is sent to the RTSP client's own address only");
        }
        if (existing != null && !existing.presentation.tracks().isEmpty()
                && existing.isTcp() != transport.tcp() && hasTracks(existing)) {
            throw new HttpProblem(461, "All tracks of a session must use the same transport");
        }
        RtspSession session = existing;
        if (session == null) {
            if (!services.registry().reserve()) {
                throw new HttpProblem(453, "Not Enough Bandwidth: the server is at its session limit");
            }
            session = new RtspSession(services.registry().newId(), presentation, ctx.channel(), client,
                    transport.seedSpelling(), services.registry());
        }
        StreamTrack stream = presentation.tracks().get(index);
        if (transport.tcp()) {
            setUpInterleaved(session, existing == null, index, stream, transport);
        } else {
            setUpUdp(session, existing == null, index, stream, transport, client);
        }
    }

    private static boolean hasTracks(RtspSession session) {
        for (int i = 0; i < session.presentation.tracks().size(); i++) {
            if (session.track(i) != null) {
                return true;
            }
        }
        return false;
    }

    private static int trackIndex(Presentation presentation, RtspTarget target) {
        if (target.track() < 0) {
            if (presentation.tracks().size() == 1) {
                return 0; // a single-stream file may be set up by its own URL (the seed's client does)
            }
            throw new HttpProblem(459, "SETUP needs a track URL (…/" + RtspTarget.TRACK_PREFIX + "N from the SDP)");
        }
        if (target.track() > presentation.tracks().size()) {
            throw new HttpProblem(404, "No such track: " + RtspTarget.TRACK_PREFIX + target.track());
        }
        return target.track() - 1;
    }

    private static boolean sameHost(String destination, InetAddress client) {
        String d = destination.trim();
        if (d.startsWith("[") && d.endsWith("]")) {
            d = d.substring(1, d.length() - 1);
        }
        // Compared as text, never resolved: a name is not looked up on a client's say-so.
        return d.equalsIgnoreCase(client.getHostAddress()) || (client.isLoopbackAddress()
                && (d.equals("127.0.0.1") || d.equals("::1") || d.equalsIgnoreCase("localhost")));
    }

    private void setUpInterleaved(RtspSession session, boolean created, int index, StreamTrack stream,
                                  TransportSpec transport) {
        TransportSpec chosen = transport.rtpPort() >= 0 ? transport : transport.withChannels(2 * index, 2 * index + 1);
        int rtcp = chosen.rtcpPort() >= 0 ? chosen.rtcpPort() : chosen.rtpPort() + 1;
        if (rtcp > 255 || channelTaken(session, index, chosen.rtpPort(), rtcp)) {
            abandon(session, created);
            throw new HttpProblem(461, "Interleaved channels " + chosen.rtpPort() + "-" + rtcp + " are in use");
        }
        InterleavedSink sink = new InterleavedSink(splitter.context(), chosen.rtpPort(), rtcp);
        finish(session, created, index, new SessionTrack(stream, sink, ctx.alloc()));
    }

    private boolean channelTaken(RtspSession session, int index, int rtp, int rtcp) {
        for (RtspSession other : services.registry().ownedBy(ctx.channel())) {
            for (int i = 0; i < other.presentation.tracks().size(); i++) {
                SessionTrack t = other.track(i);
                if (t != null && !(other == session && i == index) && t.sink instanceof InterleavedSink s
                        && (s.uses(rtp) || s.uses(rtcp))) {
                    return true;
                }
            }
        }
        return false;
    }

    private void setUpUdp(RtspSession session, boolean created, int index, StreamTrack stream,
                          TransportSpec transport, InetAddress client) {
        ctx.channel().config().setAutoRead(false);
        services.ports().allocate(ctx.channel().eventLoop(), (pair, failure) -> {
            ctx.channel().config().setAutoRead(true);
            if (pair == null) {
                abandon(session, created);
                ctx.writeAndFlush(RtspReply.error(453, cseq, "Not Enough Bandwidth: " + failure));
                return;
            }
            if (!ctx.channel().isActive() || session.isClosed()) {
                pair.rtcp.close();
                abandon(session, created);
                return;
            }
            InetSocketAddress rtpTo = new InetSocketAddress(client, transport.rtpPort());
            int rtcpPort = transport.rtcpPort() > 0 ? transport.rtcpPort()
                    : transport.seedSpelling() || transport.rtpPort() == 65535 ? -1 : transport.rtpPort() + 1;
            InetSocketAddress rtcpTo = rtcpPort > 0 ? new InetSocketAddress(client, rtcpPort) : null;
            pair.reports = packet -> {
                if (UdpPorts.fromHost(packet, client) && Rtcp.isValid(packet.content())) {
                    session.touch();
                }
            };
            finish(session, created, index, new SessionTrack(stream,
                    new UdpSink(pair, rtpTo, rtcpTo, transport.seedSpelling()), ctx.alloc()));
        });
    }

    private void finish(RtspSession session, boolean created, int index, SessionTrack track) {
        session.setUp(index, track);
        if (created) {
            services.registry().add(session);
        }
        FullHttpResponse ok = RtspReply.ok(cseq);
        ok.headers().set(RtspHeaders.TRANSPORT, track.sink.describe() + ";ssrc="
                + String.format(Locale.ROOT, "%08X", track.ssrc));
        ctx.writeAndFlush(RtspReply.withSession(ok, session, services.sessionTimeoutSeconds()));
    }

    /** A session created by this SETUP that will not be: its reserved place goes back. */
    private void abandon(RtspSession session, boolean created) {
        if (created) {
            services.registry().unreserve();
        }
    }
}
