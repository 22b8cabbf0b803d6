package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vod.testing.Descriptors;
import dev.vod.testing.Fixtures;
import dev.vod.testing.ServerProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 concurrent keep-alive connections, each after one request and response, then all closed by the clients:
 * the server must hold one descriptor per connection while they are open and give every one back afterwards.
 *
 * <p>The server runs in a child JVM ({@link ServerProcess}) so that its descriptors ({@code /proc/PID/fd}) are
 * counted apart from the 10,000 client sockets here, and so that neither process needs more than about 10,000
 * descriptors: a common {@code ulimit -n} of 20,000 would not hold both ends in one process.
 */
@Tag("hardening")
class ManyConnectionsTest {
    private static final int CONNECTIONS = 10_000;
    private static final long SLACK = 16;
    private static final byte[] REQUEST = "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path root;

    @Test
    void tenThousandKeepAliveConnectionsGiveBackEveryDescriptor() throws Exception {
        assumeTrue(Descriptors.available(), "needs /proc (Linux)");
        long needed = CONNECTIONS + 500;
        assumeTrue(Descriptors.softLimit() >= needed, "ulimit -n of the test JVM is " + Descriptors.softLimit()
                + ", " + needed + " needed for the client sockets");
        try (ServerProcess server = ServerProcess.start(Fixtures.create(root))) {
            assumeTrue(server.descriptorLimit() >= needed, "ulimit -n of the server process is "
                    + server.descriptorLimit() + ", " + needed + " needed");
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            exchangeOnce(SocketChannel.open(address)).close(); // warm-up: lazily opened files join the baseline
            Thread.sleep(200);
            long baseline = server.openDescriptors();

            List<SocketChannel> clients = new ArrayList<>(CONNECTIONS);
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    clients.add(exchangeOnce(SocketChannel.open(address)));
                }
                long held = server.openDescriptors();
                assertTrue(held >= baseline + CONNECTIONS,
                        "server holds " + held + " descriptors for " + CONNECTIONS + " open connections, baseline "
                                + baseline);
            } finally {
                for (SocketChannel ch : clients) {
                    ch.close();
                }
            }

            long after = Long.MAX_VALUE;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline && (after = server.openDescriptors()) > baseline + SLACK) {
                Thread.sleep(100);
            }
            assertTrue(after <= baseline + SLACK, "server descriptors: baseline " + baseline + ", after closing "
                    + CONNECTIONS + " connections " + after);
        }
    }

    /** One request and its complete response on {@code ch}, which stays open (keep-alive). */
    private static SocketChannel exchangeOnce(SocketChannel ch) throws IOException {
        ch.write(ByteBuffer.wrap(REQUEST));
        ByteBuffer in = ByteBuffer.allocate(1024);
        String received = "";
        while (!received.endsWith(Fixtures.HELLO)) {
            if (ch.read(in) < 0) {
                throw new IOException("closed by the server after: " + received);
            }
            received = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
        }
        assertTrue(received.startsWith("HTTP/1.1 200 "), received);
        assertEquals(-1, received.indexOf("Connection: close"), received);
        return ch;
    }
}
