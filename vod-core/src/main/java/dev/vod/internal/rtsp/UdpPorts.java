package dev.vod.internal.rtsp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The server's UDP ports for RTP/RTCP, taken as even/odd pairs from the configured range (RTP on the even port,
 * RTCP on the next, RFC 3550 §11) and given back when a session ends. A pair is bound on the event loop of the
 * session that asks for it, asynchronously: an event loop must never wait for its own bind.
 *
 * <p>Ports of the range held by another program are skipped (the bind fails; the next pair is tried).
 */
final class UdpPorts {
    /** Datagrams queued beyond this are not written (the sink reports itself not writable and packets drop). */
    private static final WriteBufferWaterMark UDP_QUEUE = new WriteBufferWaterMark(256 * 1024, 512 * 1024);

    private final InetAddress bindAddress;
    private final int first;
    private final int pairs;
    private final Class<? extends DatagramChannel> channelType;
    private final BitSet used = new BitSet();
    private int nextPair;

    UdpPorts(InetAddress bindAddress, int min, int max, Class<? extends DatagramChannel> channelType) {
        this.bindAddress = bindAddress;
        this.first = min % 2 == 0 ? min : min + 1;
        this.pairs = Math.max(0, (max - first + 1) / 2);
        this.channelType = channelType;
    }

    /** A bound RTP/RTCP socket pair. {@link #reports} receives the source of every datagram on the RTCP port. */
    static final class Pair {
        final Channel rtp;
        final Channel rtcp;
        final int port;
        volatile Consumer<DatagramPacket> reports = packet -> { };

        Pair(Channel rtp, Channel rtcp, int port) {
            this.rtp = rtp;
            this.rtcp = rtcp;
            this.port = port;
        }
    }

    /** Binds a free pair on {@code loop}; {@code done} gets it, or null and the reason when the range is full. */
    void allocate(EventLoop loop, BiConsumer<Pair, String> done) {
        int pair = reserve(-1);
        tryBind(loop, pair, pairs, done);
    }

    private void tryBind(EventLoop loop, int pair, int attemptsLeft, BiConsumer<Pair, String> done) {
        if (pair < 0 || attemptsLeft <= 0) {
            if (pair >= 0) {
                release(pair);
            }
            done.accept(null, "no free UDP port pair in " + first + "-" + (first + 2 * pairs - 1));
            return;
        }
        int port = first + 2 * pair;
        Pair[] holder = new Pair[1];
        ChannelFuture rtp = bootstrap(loop, null).bind(new InetSocketAddress(bindAddress, port));
        rtp.addListener(f -> {
            if (!f.isSuccess()) {
                retry(loop, pair, attemptsLeft, done);
                return;
            }
            ChannelFuture rtcp = bootstrap(loop, holder).bind(new InetSocketAddress(bindAddress, port + 1));
            rtcp.addListener(g -> {
                if (!g.isSuccess()) {
                    rtp.channel().close();
                    retry(loop, pair, attemptsLeft, done);
                    return;
                }
                Pair bound = new Pair(rtp.channel(), rtcp.channel(), port);
                holder[0] = bound;
                // The pair's number is free again only once both sockets are really closed.
                rtcp.channel().closeFuture().addListener(c -> rtp.channel().close()
                        .addListener(d -> release(pair)));
                done.accept(bound, null);
            });
        });
    }

    /** The port is held by another program: leave its number marked used for now and try the next pair. */
    private void retry(EventLoop loop, int failed, int attemptsLeft, BiConsumer<Pair, String> done) {
        int next = reserve(failed);
        release(failed);
        tryBind(loop, next, attemptsLeft - 1, done);
    }

    private Bootstrap bootstrap(EventLoop loop, Pair[] reportsTo) {
        return new Bootstrap().group(loop).channel(channelType)
                .option(ChannelOption.SO_SNDBUF, 1024 * 1024)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, UDP_QUEUE)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        Pair pair = reportsTo == null ? null : reportsTo[0];
                        if (pair != null) {
                            pair.reports.accept(packet);
                        }
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        // ICMP port unreachable and the like: the session's timeout deals with a client gone.
                    }
                });
    }

    /** Marks a free pair used, starting after {@code after} (or round-robin); -1 when none is free. */
    private synchronized int reserve(int after) {
        for (int i = 0; i < pairs; i++) {
            int candidate = ((after >= 0 ? after + 1 : nextPair) + i) % pairs;
            if (!used.get(candidate)) {
                used.set(candidate);
                nextPair = (candidate + 1) % Math.max(1, pairs);
                return candidate;
            }
        }
        return -1;
    }

    private synchronized void release(int pair) {
        used.clear(pair);
    }

    /** Pairs bound right now. */
    synchronized int inUse() {
        return used.cardinality();
    }

    /** Whether a datagram came from {@code host}: reports from anyone else do not keep a session alive. */
    static boolean fromHost(DatagramPacket packet, InetAddress host) {
        InetSocketAddress sender = packet.sender();
        return sender != null && sender.getAddress().equals(host);
    }
}
