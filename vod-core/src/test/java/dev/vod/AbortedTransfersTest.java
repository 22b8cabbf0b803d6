package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vod.testing.Descriptors;
import dev.vod.testing.Fixtures;
import dev.vod.testing.LeakCounter;
import dev.vod.testing.Memory;
import dev.vod.testing.RawHttp;
import dev.vod.testing.ServerExtension;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 1,000 downloads of a 1 GiB (sparse) file cut off mid-body by the client with a TCP reset: plain GETs, open
 * ranges and multipart answers (file regions interleaved with generated part headers). Afterwards the server must
 * hold no extra descriptor (on a store: beyond the slice channels its cache keeps, a bounded number, and none of a
 * deleted file), Netty's paranoid leak detector must have reported nothing, and direct memory must be back where
 * it was.
 */
@Tag("hardening")
class AbortedTransfersTest {
    private static final long BIG = 1L << 30;
    private static final int TRANSFERS = 1_000;

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @BeforeAll
    static void makeBigFile() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(server.root().resolve("big.bin").toFile(), "rw")) {
            f.setLength(BIG);
        }
    }

    @Test
    void abortedTransfersLeakNoDescriptorBufferOrMemory() throws Exception {
        assumeTrue(Descriptors.available(), "needs /proc (Linux)");
        for (int i = 0; i < 30; i++) {
            abortedTransfer(i); // warm-up: lazily created pools, threads and files join the baseline
        }
        awaitNoActiveResponses();
        int leaksBefore = LeakCounter.leaksAfterGc();
        long descriptors = descriptorsOutsideTheSliceCache();
        long deleted = Descriptors.openDeletedFiles();
        long direct = Memory.direct();

        for (int i = 0; i < TRANSFERS; i++) {
            abortedTransfer(i);
        }
        awaitNoActiveResponses();

        assertEquals(leaksBefore, LeakCounter.leaksAfterGc(), "Netty leak reports: " + LeakCounter.reports());
        long descriptorsAfter = descriptorsOutsideTheSliceCache();
        assertTrue(descriptorsAfter <= descriptors + 4,
                "descriptors: baseline " + descriptors + ", after " + descriptorsAfter);
        // A slice cache keeps the channels of complete slices open, a bounded number; a channel left open by a
        // response would be one of a cancelled or evicted slice, whose file is deleted.
        assertTrue(Descriptors.openOn(ServerExtension.SLICE_FOLDER_PREFIX) <= 1024, "slice channels kept");
        assertEquals(deleted, Descriptors.openDeletedFiles(), "descriptors of deleted (cancelled, evicted) files");
        long directAfter = Memory.direct();
        assertTrue(directAfter <= direct + 4 * 1024 * 1024,
                "direct memory: baseline " + direct + ", after " + directAfter);
        assertEquals(Fixtures.HELLO, RawHttp.exchange(server.address(), RawHttp.get("/hello.txt")).bodyText());
    }

    /** Open descriptors but those a slice cache keeps on its folder's files (none when serving a folder). */
    private static long descriptorsOutsideTheSliceCache() {
        return Descriptors.open() - Descriptors.openOn(ServerExtension.SLICE_FOLDER_PREFIX);
    }

    /** Starts one download, reads a little of the body, then resets the connection. */
    private static void abortedTransfer(int i) throws Exception {
        String range = switch (i % 4) {
            case 0 -> "";
            case 1 -> "Range: bytes=" + (i * 4096L) + "-\r\n";
            case 2 -> "Range: bytes=0-99,1000000-1000099,5000000-\r\n"; // multipart, last part huge
            default -> "Range: bytes=-" + (BIG / 2) + "\r\n";
        };
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setReceiveBufferSize(64 * 1024);
            s.getOutputStream().write(("GET /big.bin HTTP/1.1\r\nHost: x\r\n" + range + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            String status = new String(head, StandardCharsets.US_ASCII);
            assertTrue(status.equals("HTTP/1.1 200") || status.equals("HTTP/1.1 206"), status);
            in.readNBytes(8192 + (i % 7) * 1000);
            s.setSoLinger(true, 0); // close() now sends RST: an abort, mid-body
        }
    }

    private static void awaitNoActiveResponses() throws InterruptedException {
        for (int i = 0; i < 1000 && server.server().activeResponses() > 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(0, server.server().activeResponses(), "responses still in flight");
    }
}
