package dev.vod;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vod.testing.Fixtures;
import dev.vod.testing.ServerExtension;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application that terminates TLS with its own {@code SslHandler} in front of vod's pipeline: file bytes must be
 * encrypted, so they go out as chunked reads instead of sendfile, and the pre-encoded heads go through TLS too.
 * The certificate is a throwaway one made by the JDK's {@code keytool}.
 */
class TlsTest {
    @TempDir
    static Path temp;

    private static MultiThreadIoEventLoopGroup group;
    private static int port;
    private static SSLContext client;
    private static final int BIG = 3 * 1024 * 1024 + 123; // many 16 KiB TLS chunks, not a multiple of one

    @BeforeAll
    static void start() throws Exception {
        Path root = Fixtures.create(Files.createDirectories(temp.resolve("root")));
        Files.write(root.resolve("big.bin"), Fixtures.dataBytes(0, BIG));
        char[] password = "changeit".toCharArray();
        Path keystore = temp.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "vod", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), "keytool failed: " + output);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SslContext tls = SslContextBuilder.forServer(keys).build();

        VodInitializer vod = new VodInitializer(ServerExtension.servingRoot(VodConfig.builder(), root).build());
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                        vod.installInto(ch.pipeline());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();

        client = SSLContext.getInstance("TLS");
        client.init(null, new TrustManager[] {new TrustingManager()}, new SecureRandom());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aSmallFileAndARangeArriveIntactOverTls() throws Exception {
        String answers = new String(exchange(get("/hello.txt", null) + get("/data.bin", "bytes=10-19")),
                StandardCharsets.ISO_8859_1);
        String first = answers.substring(0, answers.indexOf("HTTP/1.1 206"));
        String second = answers.substring(first.length());
        assertEquals(true, first.startsWith("HTTP/1.1 200 OK\r\n"), first);
        assertEquals(true, first.endsWith("\r\n\r\n" + Fixtures.HELLO), first);
        assertEquals(true, second.contains("content-range: bytes 10-19/" + Fixtures.DATA_SIZE), second);
        assertArrayEquals(Fixtures.dataBytes(10, 20),
                second.substring(second.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aLargeFileIsSentWholeThroughTlsChunks() throws Exception {
        byte[] response = exchange(get("/big.bin", null));
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int bodyStart = text.indexOf("\r\n\r\n") + 4;
        assertEquals(true, text.startsWith("HTTP/1.1 200 OK\r\n"), text.substring(0, 100));
        assertEquals(true, text.substring(0, bodyStart).contains("content-length: " + BIG + "\r\n"));
        assertEquals(BIG, response.length - bodyStart);
        byte[] body = java.util.Arrays.copyOfRange(response, bodyStart, response.length);
        assertArrayEquals(Fixtures.dataBytes(0, BIG), body);
    }

    @Test
    void headOverTlsHasTheHeadersAndNoBody() throws Exception {
        String text = new String(exchange("HEAD /data.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
                StandardCharsets.ISO_8859_1);
        assertEquals(true, text.contains("content-length: " + Fixtures.DATA_SIZE + "\r\n"), text);
        assertEquals(true, text.endsWith("\r\n\r\n"), "no body after the head: " + text);
    }

    private static String get(String target, String range) {
        return "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + (range == null ? "" : "Range: " + range + "\r\n")
                + "\r\n";
    }

    /** Sends the requests, the last one asking to close, and returns everything read until the server closes. */
    private static byte[] exchange(String requests) throws Exception {
        if (!requests.contains("Connection: close")) {
            requests = requests.substring(0, requests.length() - 2) + "Connection: close\r\n\r\n";
        }
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(requests.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(all);
            return all.toByteArray();
        }
    }

    /** Trusts the throwaway certificate: the test checks vod's bytes, not the PKI. */
    private static final class TrustingManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
