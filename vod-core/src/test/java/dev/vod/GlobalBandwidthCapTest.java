package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.ServerExtension;
import dev.vod.testing.TimedDownload;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code max-bandwidth}: one cap shared by concurrent transfers, about equally. */
class GlobalBandwidthCapTest {
    private static final long CAP = 512 * 1024;
    private static final int SIZE = (int) (CAP * 3 / 2);

    @RegisterExtension
    static final ServerExtension server = new ServerExtension(b -> b.maxBandwidth(CAP));

    @BeforeAll
    static void makeFile() throws Exception {
        Files.write(server.root().resolve("half.bin"), new byte[SIZE]);
    }

    @Test
    void twoTransfersShareTheCapEvenly() throws Exception {
        CompletableFuture<TimedDownload.Result> a = CompletableFuture.supplyAsync(() -> download());
        CompletableFuture<TimedDownload.Result> b = CompletableFuture.supplyAsync(() -> download());
        TimedDownload.Result ra = a.get();
        TimedDownload.Result rb = b.get();
        assertEquals(SIZE, ra.body().length);
        assertEquals(SIZE, rb.body().length);
        long start = Math.min(ra.headNanos(), rb.headNanos());
        long end = Math.max(ra.endNanos(), rb.endNanos());
        double total = 2.0 * SIZE / ((end - start) / 1e9);
        assertTrue(total > CAP * 0.8 && total < CAP * 1.2, "sum " + Math.round(total) + " B/s, cap " + CAP);
        double rateA = SIZE / ((ra.endNanos() - ra.headNanos()) / 1e9);
        double rateB = SIZE / ((rb.endNanos() - rb.headNanos()) / 1e9);
        for (double rate : new double[] {rateA, rateB}) {
            assertTrue(rate > CAP / 2.0 * 0.75 && rate < CAP / 2.0 * 1.25,
                    "each about half: " + Math.round(rateA) + " and " + Math.round(rateB) + " B/s");
        }
    }

    private static TimedDownload.Result download() {
        try {
            return TimedDownload.get(server.address(), "/half.bin", 0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
