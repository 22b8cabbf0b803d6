package dev.vod.internal.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.PackagingSettings;
import dev.vod.internal.HttpProblem;
import dev.vod.internal.packager.Packager;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile fragmented files meet the packager's own reader of every moof: each lie about sizes, counts or
 * offsets ends as a clean 422 (or 500 for a limit), never an exception, a huge allocation or a read past the file.
 */
class HostilePackagingTest {
    @TempDir
    Path temp;

    private HttpProblem problemWith(java.util.function.Consumer<ByteBuffer> corrupt, long maxMoov) throws Exception {
        byte[] bytes = Files.readAllBytes(Mp4TestSupport.sample("sample-fragmented.mp4"));
        ByteBuffer b = ByteBuffer.wrap(bytes);
        corrupt.accept(b);
        Path file = Files.write(temp.resolve("hostile.mp4"), bytes);
        Packager packager = new Packager(new Mp4Service(maxMoov, 0), PackagingSettings.DEFAULTS);
        return assertThrows(HttpProblem.class, () -> packager.rendition(Mp4TestSupport.sourceFile(file)));
    }

    /** Offset of the first box of this type after {@code from} (a search for its name). */
    private static int find(ByteBuffer b, String type, int from) {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = from; i + 4 <= b.capacity(); i++) {
            if (b.get(i) == t[0] && b.get(i + 1) == t[1] && b.get(i + 2) == t[2] && b.get(i + 3) == t[3]) {
                return i - 4;
            }
        }
        throw new AssertionError("no " + type);
    }

    @Test
    void aTrunClaimingMoreSamplesThanItHolds() throws Exception {
        HttpProblem p = problemWith(b -> {
            int trun = find(b, "trun", find(b, "moof", 0));
            b.putInt(trun + 12, 0x7fffffff);
        }, 64 << 20);
        assertEquals(422, p.status());
        assertTrue(p.getMessage().contains("trun"), p.getMessage());
    }

    @Test
    void sampleDataOutsideTheFile() throws Exception {
        HttpProblem p = problemWith(b -> {
            int trun = find(b, "trun", find(b, "moof", 0));
            b.putInt(trun + 16, 0x7ffffff0); // the data offset
        }, 64 << 20);
        assertEquals(422, p.status());
        assertTrue(p.getMessage().contains("outside the file"), p.getMessage());
    }

    @Test
    void aTfhdTooShortForItsFlags() throws Exception {
        HttpProblem p = problemWith(b -> {
            int tfhd = find(b, "tfhd", find(b, "moof", 0));
            b.putInt(tfhd + 8, 0x00003b); // claims base offset, description, duration, size, flags: 24 more bytes
        }, 64 << 20);
        assertEquals(422, p.status());
    }

    @Test
    void decodeTimesGoingBackwards() throws Exception {
        HttpProblem p = problemWith(b -> {
            int second = find(b, "moof", find(b, "moof", 0) + 8);
            int tfdt = find(b, "tfdt", second);
            int version = b.get(tfdt + 8);
            if (version == 1) {
                b.putLong(tfdt + 12, 0);
            } else {
                b.putInt(tfdt + 12, 0);
            }
        }, 64 << 20);
        assertEquals(422, p.status());
        assertTrue(p.getMessage().contains("backwards"), p.getMessage());
    }

    @Test
    void moreSamplesThanTheIndexLimitAllows() throws Exception {
        // a 4 KiB moov limit allows 512 samples per track; the sample has 300 video and ~517 audio samples
        HttpProblem p = problemWith(b -> { }, 4096);
        assertEquals(500, p.status());
    }
}
