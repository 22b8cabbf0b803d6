package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.Fixtures;
import dev.vod.testing.LeakCounter;
import dev.vod.testing.Memory;
import dev.vod.testing.RawHttp;
import dev.vod.testing.ServerExtension;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 200 clients downloading a 1 GiB (sparse) file at about 10 KiB/s each, for 10 seconds: 200 GiB are owed and
 * almost nothing is taken, so any server that reads file bytes into memory ahead of the socket would grow by
 * hundreds of MiB. Heap plus direct memory after GC must stay within 64 MiB of where it started.
 */
@Tag("hardening")
class SlowReadersTest {
    private static final int READERS = 200;
    private static final int BYTES_PER_SECOND = 10 * 1024;
    private static final int SECONDS = 10;
    private static final long GROWTH_BOUND = 64L * 1024 * 1024;

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @BeforeAll
    static void makeBigFile() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(server.root().resolve("big.bin").toFile(), "rw")) {
            f.setLength(1L << 30);
        }
    }

    @Test
    void slowReadersDoNotMakeTheServerBufferFileBytes() throws Exception {
        int leaksBefore = LeakCounter.leaksAfterGc();
        long before = Memory.usedAfterGc();
        long peak = before;
        List<Socket> readers = new ArrayList<>(READERS);
        try {
            for (int i = 0; i < READERS; i++) {
                Socket s = new Socket();
                s.setReceiveBufferSize(32 * 1024);
                s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                readers.add(s);
            }
            for (int second = 0; second < SECONDS; second++) {
                long tick = System.nanoTime();
                for (Socket s : readers) {
                    InputStream in = s.getInputStream();
                    assertEquals(BYTES_PER_SECOND, in.readNBytes(BYTES_PER_SECOND).length, "stream ended early");
                }
                peak = Math.max(peak, Memory.usedAfterGc());
                long rest = 1000 - (System.nanoTime() - tick) / 1_000_000;
                if (rest > 0) {
                    Thread.sleep(rest); // pacing the clients, not asserting on time
                }
            }
        } finally {
            for (Socket s : readers) {
                s.setSoLinger(true, 0);
                s.close();
            }
        }
        assertTrue(peak - before < GROWTH_BOUND, "heap + direct memory grew by " + (peak - before) / 1024
                + " KiB with " + READERS + " slow readers of a 1 GiB file");
        for (int i = 0; i < 500 && server.server().activeResponses() > 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(0, server.server().activeResponses(), "responses still in flight");
        assertEquals(leaksBefore, LeakCounter.leaksAfterGc(), "Netty leak reports: " + LeakCounter.reports());
        assertEquals(Fixtures.HELLO, RawHttp.exchange(server.address(), RawHttp.get("/hello.txt")).bodyText());
    }
}
