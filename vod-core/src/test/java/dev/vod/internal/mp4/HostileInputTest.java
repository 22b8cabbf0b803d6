package dev.vod.internal.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.body.Body;
import dev.vod.internal.body.Representation;
import dev.vod.internal.body.SourceFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken and hostile files: each ends as an {@link HttpProblem} with a message (422 for bad media, 500 for a moov
 * over the limit, 416 for a start past the end), or as a plain serve when the file is not MP4 at all — never as
 * another exception. Each test corrupts one field of a real sample.
 */
class HostileInputTest {
    private static final SeekRequest START_AT_6 = new SeekRequest(6, Double.NaN, false);

    @TempDir
    Path temp;

    private final Mp4Service service = new Mp4Service(Mp4TestSupport.MAX_MOOV, 16);

    private static byte[] sample(String name) {
        return Mp4TestSupport.readAll(Mp4TestSupport.sample(name));
    }

    /** Offset of the first box along {@code path} (e.g. {@code moov/trak/mdia/minf/stbl/stsz}). */
    private static int find(byte[] file, String path) {
        ByteBuffer b = ByteBuffer.wrap(file);
        int from = 0;
        int to = file.length;
        int found = -1;
        for (String type : path.split("/")) {
            found = -1;
            for (int pos = from; pos + 8 <= to; pos += b.getInt(pos)) {
                if (b.getInt(pos + 4) == BoxTypes.fourcc(type)) {
                    found = pos;
                    break;
                }
            }
            assertTrue(found >= 0, "no " + path);
            from = found + 8;
            to = found + b.getInt(found);
        }
        return found;
    }

    private static byte[] withInt(byte[] file, int offset, int value) {
        byte[] copy = file.clone();
        ByteBuffer.wrap(copy).putInt(offset, value);
        return copy;
    }

    private static byte[] withLong(byte[] file, int offset, long value) {
        byte[] copy = file.clone();
        ByteBuffer.wrap(copy).putLong(offset, value);
        return copy;
    }

    private SourceFile write(byte[] bytes) {
        try {
            Path p = Files.createTempFile(temp, "hostile", ".mp4");
            Files.write(p, bytes);
            return Mp4TestSupport.sourceFile(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private HttpProblem problem(byte[] bytes, int status, String messagePart) {
        SourceFile file = write(bytes);
        HttpProblem p = assertThrows(HttpProblem.class, () -> service.seek(file, "video/mp4", START_AT_6));
        assertEquals(status, p.status(), p.getMessage());
        assertTrue(p.getMessage().contains(messagePart), p.getMessage());
        assertEquals(Optional.empty(), service.faststart(file, "video/mp4"), "faststart falls back to plain");
        assertFalse(service.isMp4(file));
        return p;
    }

    @Test
    void boxSizePastEndOfFile() {
        byte[] f = sample("sample.mp4");
        problem(withInt(f, find(f, "mdat"), f.length), 422, "file ends");
    }

    @Test
    void sizeZeroInsideMoov() {
        byte[] f = sample("sample.mp4");
        problem(withInt(f, find(f, "moov/udta"), 0), 422, "size 0");
    }

    @Test
    void sizeBelowEightInsideMoov() {
        byte[] f = sample("sample.mp4");
        problem(withInt(f, find(f, "moov/udta"), 4), 422, "size 4");
    }

    @Test
    void sizeBelowEightAtTopLevel() {
        byte[] f = sample("sample.mp4");
        problem(withInt(f, find(f, "free"), 3), 422, "size 3");
    }

    @Test
    void largeSizeHugeAtTopLevel() {
        byte[] f = sample("sample.mp4");
        int mdat = find(f, "mdat");
        problem(withLong(withInt(f, mdat, 1), mdat + 8, 1L << 62), 422, "file ends");
    }

    @Test
    void largeSizeOverflowingSignedLong() {
        byte[] f = sample("sample.mp4");
        int mdat = find(f, "mdat");
        problem(withLong(withInt(f, mdat, 1), mdat + 8, -16), 422, "overflows");
    }

    @Test
    void largeSizeHugeInsideMoov() {
        byte[] f = sample("sample.mp4");
        int udta = find(f, "moov/udta");
        problem(withLong(withInt(f, udta, 1), udta + 8, Long.MAX_VALUE), 422, "extends past");
    }

    @Test
    void childLargerThanItsParent() {
        byte[] f = sample("sample.mp4");
        int stbl = find(f, "moov/trak/mdia/minf/stbl");
        problem(withInt(f, stbl, ByteBuffer.wrap(f).getInt(stbl) + 100), 422, "extends past");
    }

    @Test
    void stszCountHugeVersusPayload() {
        byte[] f = sample("sample.mp4");
        problem(withInt(f, find(f, "moov/trak/mdia/minf/stbl/stsz") + 16, 0x7fffffff), 422, "stsz declares");
    }

    @Test
    void stcoCountMismatch() {
        byte[] f = sample("sample.mp4");
        int stco = find(f, "moov/trak/mdia/minf/stbl/stco");
        int count = ByteBuffer.wrap(f).getInt(stco + 12);
        problem(withInt(f, stco + 12, count - 1), 422, "sample count mismatch");
    }

    @Test
    void stcoCountHugeVersusPayload() {
        byte[] f = sample("sample.mp4");
        problem(withInt(f, find(f, "moov/trak/mdia/minf/stbl/stco") + 12, -1), 422, "more chunks than it holds");
    }

    @Test
    void sttsCountMismatch() {
        byte[] f = sample("sample.mp4");
        int stts = find(f, "moov/trak/mdia/minf/stbl/stts");
        problem(withInt(f, stts + 16, 299), 422, "sample count mismatch");
    }

    @Test
    void cttsCountMismatch() {
        byte[] f = sample("sample.mp4");
        int ctts = find(f, "moov/trak/mdia/minf/stbl/ctts");
        problem(withInt(f, ctts + 16, 7), 422, "ctts");
    }

    @Test
    void sttsEntryCountHuge() {
        byte[] f = sample("sample.mp4");
        problem(withInt(f, find(f, "moov/trak/mdia/minf/stbl/stts") + 12, 0x10000000), 422, "stts declares");
    }

    @Test
    void stssOutOfOrder() {
        byte[] f = sample("sample.mp4");
        int stss = find(f, "moov/trak/mdia/minf/stbl/stss");
        problem(withInt(f, stss + 20, 400), 422, "stss");
    }

    @Test
    void stscNotStartingAtChunkOne() {
        byte[] f = sample("sample.mp4");
        problem(withInt(f, find(f, "moov/trak/mdia/minf/stbl/stsc") + 16, 2), 422, "stsc");
    }

    @Test
    void elstCountHuge() {
        byte[] f = sample("sample.mp4");
        problem(withInt(f, find(f, "moov/trak/edts/elst") + 12, 0x7fffffff), 422, "elst");
    }

    @Test
    void timescaleZero() {
        byte[] f = sample("sample.mp4");
        problem(withInt(f, find(f, "moov/trak/mdia/mdhd") + 20, 0), 422, "timescale is 0");
    }

    @Test
    void chunkOffsetPastEndOfFile() {
        byte[] f = sample("sample.mp4");
        int stco = find(f, "moov/trak/mdia/minf/stbl/stco");
        int count = ByteBuffer.wrap(f).getInt(stco + 12);
        problem(withInt(f, stco + 16 + 4 * (count - 1), f.length - 10), 422, "outside the file");
    }

    @Test
    void moovLargerThanCap() {
        Mp4Service small = new Mp4Service(1000, 4);
        SourceFile file = Mp4TestSupport.sourceFile(Mp4TestSupport.sample("sample.mp4"));
        HttpProblem p = assertThrows(HttpProblem.class, () -> small.seek(file, "video/mp4", START_AT_6));
        assertEquals(500, p.status());
        assertTrue(p.getMessage().contains("exceeds the server limit of 1000 bytes"), p.getMessage());
        assertEquals(Optional.empty(), small.faststart(file, "video/mp4"));
    }

    @Test
    void truncatedFile() {
        byte[] f = sample("sample.mp4");
        problem(Arrays.copyOf(f, f.length / 2), 422, "truncated");
    }

    @Test
    void truncatedInsideMoovAtEnd() {
        byte[] f = sample("sample-moov-at-end.mp4");
        problem(Arrays.copyOf(f, find(f, "moov") + 5000), 422, "truncated");
    }

    @Test
    void truncatedBeforeMoovAtEndIsServedPlainly() {
        byte[] f = sample("sample-moov-at-end.mp4");
        SourceFile file = write(Arrays.copyOf(f, find(f, "moov")));
        Representation r = service.seek(file, "video/mp4", START_AT_6);
        assertEquals(file.size(), r.body().length(), "no moov: not seekable MP4, the file as is");
        assertEquals(file.etag(), r.etag());
    }

    @Test
    void nonMp4RandomBytesAreServedPlainly() {
        byte[] random = new byte[100_000];
        new Random(42).nextBytes(random);
        SourceFile file = write(random);
        assertPlain(file, service.seek(file, "video/mp4", START_AT_6));
        assertFalse(service.isMp4(file));
        assertEquals(Optional.empty(), service.faststart(file, "video/mp4"));
        assertTrue(service.averageBitrate(file).isEmpty());
    }

    @Test
    void emptyAndTinyFilesAreServedPlainly() {
        for (byte[] bytes : new byte[][] {new byte[0], new byte[7], "ftyp".getBytes()}) {
            SourceFile file = write(bytes);
            assertEquals(bytes.length, service.seek(file, "video/mp4", START_AT_6).body().length());
        }
    }

    private static void assertPlain(SourceFile file, Representation r) {
        assertEquals(Body.ofFile(file).segments(), r.body().segments());
        assertEquals(file.etag(), r.etag());
    }

    @Test
    void webmIsServedPlainly() {
        SourceFile file = Mp4TestSupport.sourceFile(Mp4TestSupport.sample("sample.webm"));
        assertPlain(file, service.seek(file, "video/webm", START_AT_6));
    }

    @Test
    void startAtOrPastDurationIs416() {
        SourceFile file = Mp4TestSupport.sourceFile(Mp4TestSupport.sample("sample.mp4"));
        for (double start : new double[] {12, 12.001, 3600}) {
            HttpProblem p = assertThrows(HttpProblem.class,
                    () -> service.seek(file, "video/mp4", new SeekRequest(start, Double.NaN, false)));
            assertEquals(416, p.status());
            assertTrue(p.getMessage().contains("12.0 s"), p.getMessage());
        }
        assertEquals(2, service.seek(file, "video/mp4", new SeekRequest(11.999, Double.NaN, false))
                .body().segments().size(), "just before the end still works");
    }

    @Test
    void fragmentedWithHugeTrunSampleCount() {
        byte[] f = sample("sample-fragmented.mp4");
        int mfra = find(f, "mfra");
        byte[] noIndex = Arrays.copyOf(f, mfra);
        problem(withInt(noIndex, find(noIndex, "moof/traf/trun") + 12, 0x7fffffff), 422, "trun");
    }

    @Test
    void brokenFileIsParsedOnceAndAnswersTheSameProblemEachTime() {
        byte[] f = sample("sample.mp4");
        SourceFile file = write(withInt(f, find(f, "moov/udta"), 0));
        HttpProblem first = assertThrows(HttpProblem.class, () -> service.seek(file, "video/mp4", START_AT_6));
        HttpProblem second = assertThrows(HttpProblem.class, () -> service.seek(file, "video/mp4", START_AT_6));
        assertEquals(first.getMessage(), second.getMessage());
        assertEquals(1, service.parseCount());
    }
}
