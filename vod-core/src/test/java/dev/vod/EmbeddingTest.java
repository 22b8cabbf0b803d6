package dev.vod;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.vod.testing.Fixtures;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An application with its own Netty pipeline serves its routes and our files on one port. */
class EmbeddingTest {
    private static MultiThreadIoEventLoopGroup group;
    private static int port;

    /** The host application's own handler: answers /health, 404 for the rest. */
    static final class AppHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean health = request.uri().equals("/health");
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    health ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
                    Unpooled.copiedBuffer(health ? "ok" : "app 404", StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            ctx.writeAndFlush(response);
        }
    }

    @BeforeAll
    static void startApp() throws Exception {
        Path root = Fixtures.create(Files.createTempDirectory("vod-embed"));
        VodInitializer vod = new VodInitializer(VodConfig.builder().root(root).mountPath("/videos/").build());
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), vod.newHandler(),
                                new HttpObjectAggregator(65536), new AppHandler());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    @AfterAll
    static void stopApp() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void theAppServesItsOwnRoute() {
        given().port(port).get("/health").then().statusCode(200).body(equalTo("ok"));
    }

    @Test
    void filesAreServedUnderTheMountPath() {
        given().port(port).get("/videos/hello.txt").then().statusCode(200).body(equalTo(Fixtures.HELLO));
        given().port(port).header("Range", "bytes=0-4").get("/videos/hello.txt").then().statusCode(206)
                .body(equalTo("hello"));
    }

    @Test
    void pathsOutsideTheMountGoToTheApp() {
        given().port(port).get("/hello.txt").then().statusCode(404).body(equalTo("app 404"));
    }

    @Test
    void theMountPointWithoutSlashRedirects() {
        given().port(port).redirects().follow(false).get("/videos").then().statusCode(301)
                .header("Location", "/videos/");
    }

    @Test
    void accessRulesApplyUnderTheMount() {
        given().port(port).get("/videos/confidential/secret.txt").then().statusCode(403);
    }

    @Test
    void bothWorkOnOneKeepAliveConnection() throws Exception {
        try (dev.vod.testing.RawHttp http = new dev.vod.testing.RawHttp(new InetSocketAddress(port))) {
            http.send(dev.vod.testing.RawHttp.get("/videos/hello.txt"));
            org.junit.jupiter.api.Assertions.assertEquals(Fixtures.HELLO, http.read().bodyText());
            http.send(dev.vod.testing.RawHttp.get("/health"));
            org.junit.jupiter.api.Assertions.assertEquals("ok", http.read().bodyText());
        }
    }
}
