package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.Fixtures;
import dev.vod.testing.RawHttp;
import dev.vod.testing.ServerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The idle timeout (1 s here) closes connections with no traffic, and only those: a download that keeps moving,
 * however slowly, is traffic; a client that stops reading in the middle of a response is not.
 */
class IdleTimeoutTest {
    private static final long BIG = 64L << 20;

    @RegisterExtension
    static final ServerExtension server = new ServerExtension(b -> b.idleTimeout(Duration.ofSeconds(1)));

    @BeforeAll
    static void makeBigFile() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(server.root().resolve("big.bin").toFile(), "rw")) {
            f.setLength(BIG);
        }
    }

    @Test
    void aKeepAliveConnectionWithNoRequestIsClosed() throws Exception {
        try (RawHttp http = new RawHttp(server.address())) {
            http.send(RawHttp.get("/hello.txt"));
            assertEquals(Fixtures.HELLO, http.read().bodyText());
            assertTrue(http.isClosedByServer(), "still open 10 s after its last request");
        }
    }

    @Test
    void aSlowDownloadThatKeepsMovingOutlivesTheTimeout() throws Exception {
        try (Socket socket = slowSocket()) {
            socket.getOutputStream().write(get("/big.bin"));
            InputStream in = socket.getInputStream();
            skipHead(in);
            // 20 KiB every 400 ms for 3.2 s, three times the idle timeout: slow, but always moving. The server's
            // own buffers hold far less than the file, so it is still sending when we speed up.
            long received = 0;
            for (int i = 0; i < 8; i++) {
                received += in.readNBytes(20 * 1024).length;
                Thread.sleep(400);
            }
            byte[] buffer = new byte[256 * 1024];
            for (int n; (n = in.read(buffer, 0, (int) Math.min(buffer.length, BIG - received))) > 0; ) {
                received += n;
            }
            assertEquals(BIG, received, "the download was cut");
        }
    }

    @Test
    void aClientThatStopsReadingMidResponseIsClosed() throws Exception {
        try (Socket socket = slowSocket()) {
            socket.getOutputStream().write(get("/big.bin"));
            Thread.sleep(3_000); // stalled: the server's buffers fill, then nothing moves for over a second
            InputStream in = socket.getInputStream();
            long received = 0;
            try {
                for (int n; (n = in.read(new byte[64 * 1024])) > 0; ) {
                    received += n;
                }
            } catch (IOException reset) {
                // closed while our buffers still held data: also closed
            }
            assertTrue(received < BIG, "the whole " + BIG + "-byte file came through a stalled connection");
        }
    }

    private static Socket slowSocket() throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(16 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static byte[] get(String target) {
        return RawHttp.get(target).getBytes(StandardCharsets.US_ASCII);
    }

    private static void skipHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed inside a response head");
            }
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }
}
