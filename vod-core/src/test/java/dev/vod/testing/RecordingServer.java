package dev.vod.testing;

import dev.vod.VodConfig;
import dev.vod.VodInitializer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A vod server exactly as {@code VodServer} builds it ({@link VodInitializer} as the child handler, epoll when
 * available), plus one recording handler between the HTTP codec and vod that notes each request's method, target
 * and {@code Range} header and the status it was answered with.
 *
 * <p>Why not the access log: it does not show the {@code Range} header a client sent, which is exactly what the
 * real-client tests need to check ("every Range request the browser made got a 206"). Recording in the pipeline
 * is also independent of logging configuration and of other tests sharing the JVM.
 */
public final class RecordingServer implements AutoCloseable {
    /**
     * One request and its answer, as seen on the wire.
     *
     * @param conditional whether the request carried If-None-Match or If-Modified-Since (a browser revalidating
     *                    what it has cached, to which 304 is the right answer even with a Range)
     */
    public record Exchange(String method, String uri, String range, boolean conditional, int status,
                           String contentRange) {
    }

    private final EventLoopGroup group;
    private final Channel channel;
    private final Queue<Exchange> exchanges = new ConcurrentLinkedQueue<>();

    public RecordingServer(VodConfig config) throws InterruptedException {
        VodInitializer vod = new VodInitializer(config);
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(2, io);
        channel = new ServerBootstrap().group(group).channel(type)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        vod.installInto(ch.pipeline());
                        ch.pipeline().addBefore("vod", "recorder", new Recorder());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    /** {@code http://127.0.0.1:PORT} followed by {@code path}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Everything answered so far, in the order responses were started. */
    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** Exchanges for one request path (query ignored). */
    public List<Exchange> exchangesFor(String path) {
        return exchanges.stream().filter(e -> e.uri().equals(path) || e.uri().startsWith(path + "?")).toList();
    }

    public void clear() {
        exchanges.clear();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * Pairs requests with responses; per connection, since responses come in request order (pipelining). vod writes
     * most responses pre-encoded: a head buffer, then Content-Length bytes of body buffers and file regions. The
     * paced writer and the error paths may write response objects instead; both are read here.
     */
    private final class Recorder extends ChannelDuplexHandler {
        private final Queue<HttpRequest> pending = new ArrayDeque<>();
        /** Body bytes of the current pre-encoded response still to pass; the next buffer after them is a head. */
        private long bodyRemaining;
        /** Inside a response written as objects (until its LastHttpContent). */
        private boolean inObjectResponse;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                pending.add(request);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse response) {
                record(pending.poll(), response.status().code(), response.headers().get(HttpHeaderNames.CONTENT_RANGE));
                inObjectResponse = !(msg instanceof io.netty.handler.codec.http.LastHttpContent);
            } else if (msg instanceof io.netty.handler.codec.http.LastHttpContent) {
                inObjectResponse = false;
            } else if (!inObjectResponse && msg instanceof io.netty.buffer.ByteBuf bytes && bytes.isReadable()) {
                if (bodyRemaining > 0) {
                    bodyRemaining -= bytes.readableBytes();
                } else {
                    preEncodedHead(bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
                }
            } else if (!inObjectResponse && msg instanceof io.netty.channel.FileRegion region) {
                bodyRemaining -= region.count();
            }
            ctx.write(msg, promise);
        }

        private void preEncodedHead(String head) {
            HttpRequest request = pending.poll();
            int status = Integer.parseInt(head.substring(9, 12));
            String contentRange = null;
            long length = 0;
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    String name = line.substring(0, colon).trim();
                    String value = line.substring(colon + 1).trim();
                    if (name.equalsIgnoreCase("content-range")) {
                        contentRange = value;
                    } else if (name.equalsIgnoreCase("content-length")) {
                        length = Long.parseLong(value);
                    }
                }
            }
            boolean bodiless = status == 304 || status == 204 || status < 200
                    || (request != null && request.method().name().equals("HEAD"));
            bodyRemaining = bodiless ? 0 : length;
            record(request, status, contentRange);
        }

        private void record(HttpRequest request, int status, String contentRange) {
            exchanges.add(new Exchange(
                    request == null ? "?" : request.method().name(),
                    request == null ? "?" : request.uri(),
                    request == null ? null : request.headers().get(HttpHeaderNames.RANGE),
                    request != null && (request.headers().contains(HttpHeaderNames.IF_NONE_MATCH)
                            || request.headers().contains(HttpHeaderNames.IF_MODIFIED_SINCE)),
                    status, contentRange));
        }
    }
}
