package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.RawHttp;
import dev.vod.testing.ServerExtension;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Paced transfers aborted mid-body (while waiting on the pacing timer) close their file descriptors. */
class PacedResourceUsageTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension(b -> b.limitRate(64 * 1024).limitRateAfter(8 * 1024)
            .maxBandwidth(8L << 20));

    @BeforeAll
    static void makeBigFile() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(server.root().resolve("big.bin").toFile(), "rw")) {
            f.setLength(64L * 1024 * 1024);
        }
    }

    private static long openDescriptors() throws Exception {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @Test
    void abortedPacedTransfersLeakNoDescriptors() throws Exception {
        RawHttp.exchange(server.address(), RawHttp.get("/hello.txt"));
        long baseline = openDescriptors();
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                s.getInputStream().readNBytes(4096);
                s.setSoLinger(true, 0); // abort with RST, mid-body
            }
        }
        for (int i = 0; i < 500 && server.server().activeResponses() > 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(0, server.server().activeResponses(), "responses still in flight");
        long after = openDescriptors();
        assertTrue(after <= baseline + 4, "descriptors: baseline " + baseline + ", after " + after);
    }
}
