package dev.vod.internal.live.chat;

import dev.vod.VodConfig;
import dev.vod.VodInitializer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real vod server ({@link VodInitializer#installInto}) with a small handler before "vod" that upgrades
 * {@code /live/NAME/chat} requests, as the live channels will; two event loops, so members live on different ones.
 */
final class ChatServer implements AutoCloseable {
    /** What a live-channel handler removes after the upgrade: vod's HTTP timeouts. */
    static final List<String> HTTP_TIMEOUTS = List.of("vod-header-timeout", "vod-idle");

    final ChatRooms rooms = new ChatRooms(Clock.systemUTC());
    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final VodInitializer vod;
    private final int port;

    ChatServer() throws Exception {
        this(Duration.ofSeconds(10));
    }

    ChatServer(Duration headerTimeout) throws Exception {
        Path root = Files.createTempDirectory("vod-chat");
        vod = new VodInitializer(VodConfig.builder().root(root).headerTimeout(headerTimeout).build());
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        vod.installInto(ch.pipeline());
                        ch.pipeline().addBefore("vod", "live", new LiveChatRoute(rooms));
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    int port() {
        return port;
    }

    URI chat(String channel, String query) {
        return URI.create("ws://127.0.0.1:" + port + "/live/" + channel + "/chat" + (query == null ? "" : "?" + query));
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        vod.close();
    }

    /** Upgrades {@code /live/NAME/chat}; passes everything else to vod. */
    private static final class LiveChatRoute extends ChannelInboundHandlerAdapter {
        private final ChatRooms rooms;
        private boolean upgraded;

        LiveChatRoute(ChatRooms rooms) {
            this.rooms = rooms;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                QueryStringDecoder target = new QueryStringDecoder(request.uri());
                String[] parts = target.path().split("/");
                if (parts.length == 4 && parts[1].equals("live") && parts[3].equals("chat")
                        && ChatRooms.isUpgrade(request)) {
                    List<String> names = target.parameters().get("name");
                    upgraded = true;
                    rooms.upgrade(ctx, request, parts[2], names == null ? null : names.get(0), HTTP_TIMEOUTS);
                    return;
                }
            }
            if (upgraded && msg instanceof HttpContent) {
                ReferenceCountUtil.release(msg); // the end of the upgrade request
                return;
            }
            ctx.fireChannelRead(msg);
        }
    }
}
