package dev.vod;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.vod.testing.Fixtures;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
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
import org.junit.jupiter.api.TestInstance;

/**
 * An application with its own Netty pipeline serves its routes and our files on one port. Here the pipeline is the
 * application's ({@code HttpServerCodec}, then vod's handler); {@link InstalledPipelineEmbeddingTest} runs the same
 * cases after {@link VodInitializer#installInto}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddingTest {
    private MultiThreadIoEventLoopGroup group;
    private int port;

    /**
     * The host application's own handler: answers /health, /slow (the same, 200 ms later), POST /echo with the
     * size of the request body, and 404 for the rest.
     */
    static final class AppHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String uri = request.uri();
            boolean known = uri.equals("/health") || uri.equals("/slow") || uri.equals("/echo");
            String text = uri.equals("/echo") ? "got " + request.content().readableBytes()
                    : known ? "ok" : "app 404";
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    known ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
                    Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            if (uri.equals("/slow")) {
                ctx.executor().schedule(() -> ctx.writeAndFlush(response), 200,
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            } else {
                ctx.writeAndFlush(response);
            }
        }
    }

    /** The application's pipeline: its codec, vod's handler, then its own handlers. */
    void install(ChannelPipeline pipeline, VodInitializer vod) {
        pipeline.addLast(new HttpServerCodec(), vod.newHandler(), new HttpObjectAggregator(65536), new AppHandler());
    }

    @BeforeAll
    void startApp() throws Exception {
        Path root = Fixtures.create(Files.createTempDirectory("vod-embed"));
        try (java.io.RandomAccessFile big = new java.io.RandomAccessFile(root.resolve("big.bin").toFile(), "rw")) {
            big.setLength(16L * 1024 * 1024); // sparse; larger than any socket buffer
        }
        VodInitializer vod = new VodInitializer(VodConfig.builder().root(root).mountPath("/videos/").build());
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        install(ch.pipeline(), vod);
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    @AfterAll
    void stopApp() {
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
    void theAppsAnswerToHeadHasNoBody() throws Exception {
        try (dev.vod.testing.RawHttp http = new dev.vod.testing.RawHttp(new InetSocketAddress(port))) {
            // The app writes its GET answer, body included, for HEAD too; the encoder must drop the body, or the
            // next answer on the connection would be read from the middle of it.
            http.send("HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n" + dev.vod.testing.RawHttp.get("/videos/hello.txt"));
            dev.vod.testing.RawHttp.Response head = http.read(true);
            org.junit.jupiter.api.Assertions.assertEquals(200, head.status());
            org.junit.jupiter.api.Assertions.assertEquals("2", head.header("Content-Length"));
            dev.vod.testing.RawHttp.Response next = http.read();
            org.junit.jupiter.api.Assertions.assertEquals(200, next.status());
            org.junit.jupiter.api.Assertions.assertEquals(Fixtures.HELLO, next.bodyText());
        }
    }

    @Test
    void vodsAnswerToHeadAfterTheAppsHasNoBody() throws Exception {
        try (dev.vod.testing.RawHttp http = new dev.vod.testing.RawHttp(new InetSocketAddress(port))) {
            http.send(dev.vod.testing.RawHttp.get("/health") + "HEAD /videos/hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                    + dev.vod.testing.RawHttp.get("/health"));
            org.junit.jupiter.api.Assertions.assertEquals("ok", http.read().bodyText());
            dev.vod.testing.RawHttp.Response head = http.read(true);
            org.junit.jupiter.api.Assertions.assertEquals(String.valueOf(Fixtures.HELLO.length()),
                    head.header("Content-Length"));
            org.junit.jupiter.api.Assertions.assertEquals("ok", http.read().bodyText());
        }
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

    @Test
    void pipelinedRequestsForVodAndTheAppAreAnsweredInOrder() throws Exception {
        try (dev.vod.testing.RawHttp http = new dev.vod.testing.RawHttp(new InetSocketAddress(port))) {
            // The first response is larger than the socket buffers, so vod is still writing it when the second
            // vod request and then the app's request arrive.
            http.send(dev.vod.testing.RawHttp.get("/videos/big.bin") + dev.vod.testing.RawHttp.get(
                    "/videos/hello.txt") + dev.vod.testing.RawHttp.get("/health"));
            org.junit.jupiter.api.Assertions.assertEquals(200, http.read().status());
            org.junit.jupiter.api.Assertions.assertEquals(Fixtures.HELLO, http.read().bodyText());
            org.junit.jupiter.api.Assertions.assertEquals("ok", http.read().bodyText());
        }
    }

    @Test
    void aSlowAppAnswerIsNotOvertakenByAPipelinedVodResponse() throws Exception {
        try (dev.vod.testing.RawHttp http = new dev.vod.testing.RawHttp(new InetSocketAddress(port))) {
            http.send(dev.vod.testing.RawHttp.get("/slow") + dev.vod.testing.RawHttp.get("/videos/hello.txt"));
            org.junit.jupiter.api.Assertions.assertEquals("ok", http.read().bodyText());
            org.junit.jupiter.api.Assertions.assertEquals(Fixtures.HELLO, http.read().bodyText());
        }
    }

    @Test
    void anAppRequestWithABodyWaitsItsTurnBehindALargeVodResponse() throws Exception {
        byte[] upload = new byte[60_000]; // under the app's 64 KiB aggregation limit
        try (dev.vod.testing.RawHttp http = new dev.vod.testing.RawHttp(new InetSocketAddress(port))) {
            http.send(dev.vod.testing.RawHttp.get("/videos/big.bin")
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + upload.length + "\r\n\r\n"
                    + new String(upload, StandardCharsets.ISO_8859_1)
                    + dev.vod.testing.RawHttp.get("/videos/hello.txt"));
            org.junit.jupiter.api.Assertions.assertEquals(200, http.read().status());
            org.junit.jupiter.api.Assertions.assertEquals("got " + upload.length, http.read().bodyText());
            org.junit.jupiter.api.Assertions.assertEquals(Fixtures.HELLO, http.read().bodyText());
        }
    }
}
