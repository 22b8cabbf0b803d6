package dev.vod;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import dev.vod.internal.rtsp.RtspServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone vod HTTP server: binds a port and serves the files under {@link VodConfig#root()}; with
 * {@link VodConfig.Builder#rtsp(RtspSettings)} it also serves them over RTSP/RTP on a second port.
 *
 * <pre>{@code
 * try (VodServer server = VodServer.builder().root(Path.of("content")).port(8080).buildServer()) {
 *     InetSocketAddress address = server.start();
 *     System.out.println("Listening on " + address);
 *     server.awaitClose();
 * }
 * }</pre>
 *
 * <p>Uses Linux epoll (sendfile, fewer syscalls) when the native transport loads, NIO elsewhere. {@link #close()}
 * stops accepting, lets in-flight responses finish for {@link VodConfig#shutdownGrace()}, then closes everything.
 */
public final class VodServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("vod.server");

    private final VodConfig config;
    private final VodInitializer initializer;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private Channel serverChannel;
    private ChannelGroup connections;
    private RtspServer rtsp;
    private volatile boolean closed;

    /** A server for this configuration; call {@link #start()} to bind. */
    public VodServer(VodConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.initializer = new VodInitializer(config);
    }

    /** Shortcut for {@link VodConfig#builder()}; finish with {@link VodConfig.Builder#buildServer()}. */
    public static VodConfig.Builder builder() {
        return VodConfig.builder();
    }

    /** This server's configuration. */
    public VodConfig config() {
        return config;
    }

    /**
     * Binds the configured host and port and starts serving.
     *
     * @return the bound address (with the real port when the configured port is 0)
     * @throws IOException when the root is not a readable directory or the address cannot be bound
     */
    public synchronized InetSocketAddress start() throws IOException {
        if (serverChannel != null) {
            throw new IllegalStateException("already started");
        }
        initializer.checkRoot();
        String transport = transport();
        IoHandlerFactory io;
        Class<? extends ServerChannel> channelType;
        Class<? extends DatagramChannel> datagramType;
        switch (transport) {
            case "io_uring" -> {
                io = IoUringIoHandler.newFactory();
                channelType = IoUringServerSocketChannel.class;
                datagramType = IoUringDatagramChannel.class;
            }
            case "epoll" -> {
                io = EpollIoHandler.newFactory();
                channelType = EpollServerSocketChannel.class;
                datagramType = EpollDatagramChannel.class;
            }
            default -> {
                io = NioIoHandler.newFactory();
                channelType = NioServerSocketChannel.class;
                datagramType = NioDatagramChannel.class;
            }
        }
        bossGroup = new MultiThreadIoEventLoopGroup(1, io);
        // One event loop per core: the work per request is short, and more loops than cores only adds switches.
        workerGroup = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), io);
        connections = new DefaultChannelGroup("vod-connections", bossGroup.next());
        ChannelGroup tracked = connections;
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(bossGroup, workerGroup)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            tracked.add(ch); // removed by the group itself when the channel closes
                            ch.pipeline().addLast(initializer);
                        }
                    });
            serverChannel = bootstrap.bind(config.host(), config.port()).sync().channel();
            if (config.rtsp().enabled()) {
                rtsp = new RtspServer(initializer.runtime(), config.rtsp(), config.host(), datagramType);
                rtsp.start(bossGroup, workerGroup, channelType, config.host());
            }
        } catch (Exception e) {
            if (serverChannel != null) {
                serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
            shutdownGroups(0);
            serverChannel = null;
            rtsp = null;
            if (e instanceof IOException io2) {
                throw io2;
            }
            throw new IOException("cannot bind " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        InetSocketAddress address = (InetSocketAddress) serverChannel.localAddress();
        log.info("vod serving {} on {} ({})", initializer.realRoot(), address, transport);
        return address;
    }

    /**
     * The I/O transport: Linux epoll when its native library loads (sendfile, fewer system calls), else NIO. The
     * system property {@code vod.transport} ({@code epoll}, {@code io_uring} or {@code nio}) overrides the choice;
     * an unavailable transport falls back to the default.
     */
    private static String transport() {
        String wanted = System.getProperty("vod.transport", "");
        if (wanted.equals("io_uring") && IoUring.isAvailable()) {
            return "io_uring";
        }
        if (wanted.equals("nio")) {
            return "nio";
        }
        if (!wanted.isEmpty() && !wanted.equals("epoll")) {
            log.warn("transport {} is not available here; using the default", wanted);
        }
        return Epoll.isAvailable() ? "epoll" : "nio";
    }

    /** The bound address, or {@code null} before {@link #start()}. */
    public InetSocketAddress address() {
        Channel ch = serverChannel;
        return ch == null ? null : (InetSocketAddress) ch.localAddress();
    }

    /** The bound RTSP address, or {@code null} when RTSP is off or before {@link #start()}. */
    public InetSocketAddress rtspAddress() {
        RtspServer r = rtsp;
        return r == null ? null : r.address();
    }

    /** The RTSP front-end, for tests in this package: sessions and ports in use. */
    RtspServer rtspServer() {
        return rtsp;
    }

    /** Content from a store, for tests in this package (its workers, its cache); null when serving a folder. */
    dev.vod.internal.source.RemoteContent remoteContent() {
        return initializer.runtime().remote();
    }

    /** Responses being written right now, across all connections. */
    int activeResponses() {
        return initializer.activeResponses();
    }

    /** Blocks until the server is closed. */
    public void awaitClose() throws InterruptedException {
        Channel ch = serverChannel;
        if (ch != null) {
            ch.closeFuture().sync();
        }
        while (!closed) {
            Thread.sleep(50);
        }
    }

    /**
     * Stops accepting connections, waits up to the grace period for in-flight responses, then closes every
     * connection and releases the threads. Never blocks much longer than the grace period plus a few seconds,
     * even if an event loop does not stop. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed || serverChannel == null) {
            closed = true;
            initializer.close(); // never started (or failed to bind): the access log may have a file open
            return;
        }
        serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (rtsp != null) {
            rtsp.close(); // every session ends with an RTCP BYE and gives its UDP ports back
        }
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        while (initializer.activeResponses() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        shutdownGroups(0);
        // After the event loops: the responses cut by the close have logged their lines by now.
        initializer.close();
        closed = true;
    }

    private void shutdownGroups(long quietMillis) {
        for (EventLoopGroup group : new EventLoopGroup[] {bossGroup, workerGroup}) {
            if (group != null && !group.shutdownGracefully(quietMillis, 2000, TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(5, TimeUnit.SECONDS)) {
                log.warn("event loops did not stop within 5 s; leaving them to the JVM's exit");
            }
        }
    }
}
