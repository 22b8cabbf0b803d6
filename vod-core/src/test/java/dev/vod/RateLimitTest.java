package dev.vod;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.internal.body.SourceFile;
import dev.vod.internal.mp4.Mp4Service;
import dev.vod.testing.ServerExtension;
import dev.vod.testing.TimedDownload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code limit-rate} after {@code limit-rate-after}, and MP4 pacing, measured end to end over about three seconds
 * each. Tolerances are generous (±20%) because the machine is shared; the benchmark measures precisely.
 */
class RateLimitTest {
    private static final long RATE = 256 * 1024;
    private static final long FREE = 128 * 1024;
    private static final int SIZE = (int) (FREE + 3 * RATE);
    private static byte[] content;

    @RegisterExtension
    static final ServerExtension limited = new ServerExtension(b -> b.limitRate(RATE).limitRateAfter(FREE));

    @RegisterExtension
    static final ServerExtension paced = new ServerExtension(b -> b.pace(true).paceBurstSeconds(9));

    /** An application's policy: the free tier is held to RATE, everyone else gets the configured rules (none). */
    @RegisterExtension
    static final ServerExtension byPolicy = new ServerExtension(b -> b.ratePolicy((method, path, header) ->
            "free".equals(header.apply("X-Tier")) ? RATE : RatePolicy.DEFAULT));

    @BeforeAll
    static void makeFile() throws Exception {
        content = new byte[SIZE];
        new Random(42).nextBytes(content);
        Files.write(limited.root().resolve("paced.bin"), content);
        Files.write(byPolicy.root().resolve("paced.bin"), content);
    }

    @Test
    void ratePolicyChoosesPerRequest() throws Exception {
        TimedDownload.Result free = TimedDownload.get(byPolicy.address(), "/paced.bin", 0, "X-Tier: free\r\n");
        double rate = free.rateAfterMark(0);
        assertTrue(rate > RATE * 0.8 && rate < RATE * 1.2, "free tier at " + Math.round(rate) + " B/s");
        TimedDownload.Result paying = TimedDownload.get(byPolicy.address(), "/paced.bin", 0);
        assertArrayEquals(content, paying.body());
        assertTrue(paying.rateAfterMark(0) > RATE * 4, "others unlimited: " + Math.round(paying.rateAfterMark(0)));
    }

    @Test
    void bodyIsByteForByteTheFile() throws Exception {
        TimedDownload.Result r = TimedDownload.get(limited.address(), "/paced.bin", FREE);
        assertEquals(200, r.status());
        assertArrayEquals(content, r.body());
    }

    @Test
    void rateAfterTheFreeBytesIsTheLimit() throws Exception {
        TimedDownload.Result r = TimedDownload.get(limited.address(), "/paced.bin", FREE);
        double rate = r.rateAfterMark(FREE);
        assertTrue(rate > RATE * 0.8 && rate < RATE * 1.2, "measured " + Math.round(rate) + " B/s, limit " + RATE);
    }

    @Test
    void freeBytesComeAtFullSpeed() throws Exception {
        TimedDownload.Result r = TimedDownload.get(limited.address(), "/paced.bin", FREE);
        // At the limit, 128 KiB would take half a second.
        assertTrue(r.secondsToMark() < 0.25, "free part took " + r.secondsToMark() + " s");
    }

    @Test
    void smallBodiesInsideTheFreePartAreUnaffected() throws Exception {
        TimedDownload.Result r = TimedDownload.get(limited.address(), "/hello.txt", 0);
        assertEquals(200, r.status());
        assertTrue((r.endNanos() - r.headNanos()) / 1e9 < 0.25, "no wait for an 11-byte body");
    }

    @Test
    void mp4IsPacedAtFactorTimesItsBitrateAfterTheBurst() throws Exception {
        Path file = paced.root().resolve("sample.mp4");
        SourceFile source = new SourceFile(file.toRealPath(), Files.size(file),
                Files.getLastModifiedTime(file).toMillis());
        long bits = new Mp4Service(64L << 20, 0).averageBitrate(source).orElseThrow();
        long burst = bits / 8 * 9;
        double expected = bits / 8.0 * 1.25;
        TimedDownload.Result r = TimedDownload.get(paced.address(), "/sample.mp4", burst);
        assertEquals(Files.size(file), r.body().length);
        double rate = r.rateAfterMark(burst);
        assertTrue(rate > expected * 0.8 && rate < expected * 1.2,
                "measured " + Math.round(rate) + " B/s, expected " + Math.round(expected));
    }

    @Test
    void filesThatAreNotMediaAreNotPaced() throws Exception {
        Files.write(paced.root().resolve("big.bin"), new byte[4 << 20]);
        TimedDownload.Result r = TimedDownload.get(paced.address(), "/big.bin", 0);
        assertEquals(4 << 20, r.body().length);
        assertTrue((r.endNanos() - r.headNanos()) / 1e9 < 2.0, "4 MiB unpaced on loopback");
    }
}
