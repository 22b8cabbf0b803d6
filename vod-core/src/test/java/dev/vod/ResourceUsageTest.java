package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.RawHttp;
import dev.vod.testing.ServerExtension;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * File descriptors and memory under clients that abort or stop reading. The server runs in this JVM, so
 * {@code /proc/self/fd} and the heap are the server's (plus the test's own sockets, which are closed first).
 */
class ResourceUsageTest {
    private static final long BIG = 256L * 1024 * 1024;

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @BeforeAll
    static void makeBigFile() throws Exception {
        // Sparse: 256 MiB that costs no disk; sendfile reads zeros.
        try (RandomAccessFile f = new RandomAccessFile(server.root().resolve("big.bin").toFile(), "rw")) {
            f.setLength(BIG);
        }
    }

    private static long openDescriptors() throws Exception {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    private static void awaitNoActiveResponses() throws InterruptedException {
        for (int i = 0; i < 500 && activeResponses() > 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(0, activeResponses(), "responses still in flight");
    }

    private static int activeResponses() {
        return server.server().activeResponses();
    }

    @Test
    void abortedTransfersLeakNoDescriptors() throws Exception {
        // Warm up once so lazily opened JDK/Netty descriptors are in the baseline.
        RawHttp.exchange(server.address(), RawHttp.get("/hello.txt"));
        long baseline = openDescriptors();
        for (int i = 0; i < 300; i++) {
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.getOutputStream().write(("GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=" + (i * 1000L)
                        + "-\r\n\r\n").getBytes());
                s.getInputStream().readNBytes(8192);
                s.setSoLinger(true, 0); // abort with RST, mid-body
            }
        }
        awaitNoActiveResponses();
        long after = openDescriptors();
        assertTrue(after <= baseline + 4, "descriptors: baseline " + baseline + ", after " + after);
    }

    @Test
    void slowReadersDoNotGrowMemory() throws Exception {
        List<Socket> readers = new ArrayList<>();
        try {
            long before = usedMemoryAfterGc();
            for (int i = 0; i < 40; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                InputStream in = s.getInputStream();
                in.readNBytes(64 * 1024); // then stop reading: 40 x 256 MiB are pending
                readers.add(s);
            }
            Thread.sleep(500);
            long during = usedMemoryAfterGc();
            assertTrue(during - before < 32L * 1024 * 1024,
                    "memory grew by " + (during - before) / 1024 + " KiB with 40 stalled 256 MiB transfers");
        } finally {
            for (Socket s : readers) {
                s.setSoLinger(true, 0);
                s.close();
            }
        }
        awaitNoActiveResponses();
    }

    private static long usedMemoryAfterGc() {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = 0;
        for (var pool : ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)) {
            direct += pool.getMemoryUsed();
        }
        return heap + direct + io.netty.util.internal.PlatformDependent.usedDirectMemory();
    }
}
