package dev.vod.internal.rtsp;

import dev.vod.RtspSettings;
import dev.vod.internal.http.VodRuntime;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.rtsp.RtspDecoder;
import io.netty.handler.codec.rtsp.RtspEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTSP front-end of a vod server: the same content, access policy and MP4 index as HTTP, served as RTP
 * streams to RTSP 1.0 clients (VLC, ffmpeg, GStreamer, cameras' NVRs). Started and closed by
 * {@link dev.vod.VodServer} on its own event loops.
 *
 * <p>Each connection's pipeline: {@link MessageSplitter} (requests vs interleaved packets, size limits, request
 * timeout), Netty's {@link RtspDecoder} (request line ≤ 4 KiB, headers ≤ 16 KiB) and {@link RtspEncoder}, an
 * aggregator for request bodies, an idle timer, and the {@link RtspHandler}.
 */
public final class RtspServer {
    private static final Logger log = LoggerFactory.getLogger("vod.rtsp");
    private static final long REQUEST_TIMEOUT_MILLIS = 10_000;
    /** Interleaved RTP past this much queued output counts as a slow client (packets drop to the next key frame). */
    private static final WriteBufferWaterMark TCP_QUEUE = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);

    private final RtspSettings settings;
    private final RtspServices services;
    private Channel serverChannel;
    private ChannelGroup connections;

    public RtspServer(VodRuntime runtime, RtspSettings settings, String defaultHost,
                      Class<? extends DatagramChannel> datagramType) throws IOException {
        this.settings = settings;
        String host = settings.host() != null ? settings.host() : defaultHost;
        InetAddress bind = InetAddress.getByName(host);
        Presentations presentations = new Presentations(runtime.resolver(), runtime.mp4(), settings.mjpegFrameRate());
        SessionRegistry registry = new SessionRegistry(settings.maxSessions(), settings.sessionTimeout().toNanos());
        UdpPorts ports = new UdpPorts(bind, settings.rtpPortMin(), settings.rtpPortMax(), datagramType);
        registry.publish(runtime.metrics());
        this.services = new RtspServices(presentations, registry, ports, settings.sessionTimeout().toSeconds());
    }

    /** Binds the RTSP port; returns the bound address. */
    public InetSocketAddress start(EventLoopGroup boss, EventLoopGroup workers,
                                   Class<? extends ServerChannel> channelType, String defaultHost) throws IOException {
        String host = settings.host() != null ? settings.host() : defaultHost;
        connections = new DefaultChannelGroup("vod-rtsp", boss.next());
        ChannelGroup tracked = connections;
        long idleSeconds = Math.max(1, settings.sessionTimeout().toSeconds());
        ServerBootstrap bootstrap = new ServerBootstrap().group(boss, workers).channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, TCP_QUEUE)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        tracked.add(ch);
                        ChannelPipeline p = ch.pipeline();
                        MessageSplitter splitter = new MessageSplitter(REQUEST_TIMEOUT_MILLIS);
                        p.addLast("rtsp-splitter", splitter);
                        p.addLast("rtsp-decoder", new RtspDecoder(4096, MessageSplitter.MAX_HEAD,
                                MessageSplitter.MAX_BODY));
                        p.addLast("rtsp-encoder", new RtspEncoder());
                        p.addLast("rtsp-aggregator", new HttpObjectAggregator(MessageSplitter.MAX_BODY));
                        p.addLast("rtsp-idle", new IdleStateHandler(idleSeconds, 0, 0, TimeUnit.SECONDS));
                        p.addLast("rtsp", new RtspHandler(services, splitter));
                    }
                });
        try {
            serverChannel = bootstrap.bind(host, settings.port()).sync().channel();
        } catch (Exception e) {
            throw new IOException("cannot bind RTSP " + host + ":" + settings.port() + ": " + e.getMessage(), e);
        }
        services.registry().startSweeping(boss.next());
        InetSocketAddress address = (InetSocketAddress) serverChannel.localAddress();
        log.info("vod RTSP on {} (RTP/RTCP UDP ports {}-{})", address, settings.rtpPortMin(), settings.rtpPortMax());
        return address;
    }

    /** The bound address, or null before {@link #start}. */
    public InetSocketAddress address() {
        return serverChannel == null ? null : (InetSocketAddress) serverChannel.localAddress();
    }

    /** Sessions open right now. */
    public int sessions() {
        return services.registry().size();
    }

    /** UDP port pairs bound right now. */
    public int udpPairsInUse() {
        return services.ports().inUse();
    }

    /** Stops accepting, ends every session (RTCP BYE, ports freed) and closes every RTSP connection. */
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        services.registry().endAll();
        if (connections != null) {
            connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
