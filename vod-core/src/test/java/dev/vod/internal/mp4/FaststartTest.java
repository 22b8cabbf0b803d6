package dev.vod.internal.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vod.internal.body.Body;
import dev.vod.internal.body.Representation;
import dev.vod.internal.body.Segment;
import dev.vod.internal.body.SourceFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Virtual faststart: moov moved to the front, offsets shifted, media data served as file slices. */
class FaststartTest {
    private final Mp4Service service = new Mp4Service(Mp4TestSupport.MAX_MOOV, 16);

    @TempDir
    Path temp;

    private Representation faststart(String sample) {
        SourceFile file = Mp4TestSupport.sourceFile(Mp4TestSupport.sample(sample));
        return service.faststart(file, "video/mp4").orElseThrow();
    }

    @Test
    void moovAtEndFileGetsFtypMoovThenTheRestAsSlices() {
        SourceFile file = Mp4TestSupport.sourceFile(Mp4TestSupport.sample("sample-moov-at-end.mp4"));
        Representation r = faststart("sample-moov-at-end.mp4");
        List<Segment> segments = r.body().segments();
        assertEquals(3, segments.size(), "ftyp slice, moov, free+mdat slice (nothing follows the moov)");
        Segment.FileSlice ftyp = assertInstanceOf(Segment.FileSlice.class, segments.get(0));
        assertEquals(0, ftyp.offset());
        assertEquals(32, ftyp.length());
        assertInstanceOf(Segment.Bytes.class, segments.get(1));
        Segment.FileSlice media = assertInstanceOf(Segment.FileSlice.class, segments.get(2));
        assertEquals(32, media.offset());
        assertEquals(file.size(), r.body().length(), "same size when stco suffices");
        assertEquals(file.etag().replace("\"", "").concat("-fs"), r.etag().replace("\"", ""));
        assertEquals(file.lastModified(), r.lastModified());
    }

    @Test
    void everySampleOfTheVirtualLayoutIsTheSourceSample() {
        Path source = Mp4TestSupport.sample("sample-moov-at-end.mp4");
        Path out = Mp4TestSupport.materialize(faststart("sample-moov-at-end.mp4").body(), temp.resolve("fs.mp4"));
        Mp4Index.Parsed src = Mp4TestSupport.parse(source);
        Mp4Index.Parsed dst = Mp4TestSupport.parse(out);
        assertTrue(dst.moovBox().offset() < BoxReader.find(dst.topLevel(), BoxTypes.MDAT).offset(), "moov first");
        byte[] a = Mp4TestSupport.readAll(source);
        byte[] b = Mp4TestSupport.readAll(out);
        assertEquals(src.movie().tracks().size(), dst.movie().tracks().size());
        for (int t = 0; t < src.movie().tracks().size(); t++) {
            List<Mp4TestSupport.Sample> x = Mp4TestSupport.samples(src.movie().tracks().get(t));
            List<Mp4TestSupport.Sample> y = Mp4TestSupport.samples(dst.movie().tracks().get(t));
            assertEquals(x.size(), y.size());
            for (int i = 0; i < x.size(); i++) {
                assertEquals(x.get(i).offset() + dst.moovBox().size(), y.get(i).offset(), "shifted by the moov");
                assertEquals(x.get(i).size(), y.get(i).size());
                assertEquals(x.get(i).dts(), y.get(i).dts());
                assertTrue(Arrays.equals(a, (int) x.get(i).offset(), (int) (x.get(i).offset() + x.get(i).size()),
                        b, (int) y.get(i).offset(), (int) (y.get(i).offset() + y.get(i).size())), "sample " + i);
            }
        }
    }

    @Test
    void virtualLayoutEqualsTheRealFaststartFileExceptEncoderStats() {
        Path out = Mp4TestSupport.materialize(faststart("sample-moov-at-end.mp4").body(), temp.resolve("fs.mp4"));
        byte[] made = Mp4TestSupport.readAll(out);
        byte[] real = Mp4TestSupport.readAll(Mp4TestSupport.sample("sample.mp4"));
        assertEquals(real.length, made.length);
        int differences = 0;
        for (int i = 0; i < real.length; i++) {
            differences += real[i] != made[i] ? 1 : 0;
        }
        assertTrue(differences <= 8, "only the bitrate fields ffmpeg rewrote when remuxing differ: " + differences);
    }

    @Test
    void rangesOfTheVirtualLayoutAreSlicesOfItsBody() {
        Representation r = faststart("sample-moov-at-end.mp4");
        Path whole = Mp4TestSupport.materialize(r.body(), temp.resolve("whole.mp4"));
        Body range = r.body().slice(20, 20_000);
        Path part = Mp4TestSupport.materialize(range, temp.resolve("part.bin"));
        assertTrue(Arrays.equals(Mp4TestSupport.read(whole, 20, 20_000), Mp4TestSupport.readAll(part)));
    }

    @Test
    void layoutIsBuiltOnceAndReused() {
        Representation a = faststart("sample-moov-at-end.mp4");
        Representation b = faststart("sample-moov-at-end.mp4");
        assertSame(a.body(), b.body(), "same moov bytes for every request");
        assertEquals(1, service.parseCount());
    }

    @Test
    void alreadyFaststartFragmentedAndNonMp4FilesGetNothing() {
        for (String name : List.of("sample.mp4", "sample-fragmented.mp4", "sample.webm")) {
            SourceFile file = Mp4TestSupport.sourceFile(Mp4TestSupport.sample(name));
            assertEquals(Optional.empty(), service.faststart(file, "video/mp4"), name);
        }
    }

    @Test
    void offsetsPast4GiBUpgradeStcoToCo64() {
        Mp4Index.Parsed p = Mp4TestSupport.parse(Mp4TestSupport.sample("sample.mp4"));
        long shift = 5L << 30;
        byte[] moov = MoovRewriter.relocate(p.movie(), x -> x + shift, 0);
        Movie moved = MoovParser.parse(moov);
        for (int t = 0; t < moved.tracks().size(); t++) {
            Track before = p.movie().tracks().get(t);
            Track after = moved.tracks().get(t);
            assertTrue(after.chunks.wideOffsets(), "co64");
            assertEquals(before.chunks.chunkCount(), after.chunks.chunkCount());
            for (int c = 0; c < before.chunks.chunkCount(); c++) {
                assertEquals(before.chunks.chunkOffset(c) + shift + moov.length, after.chunks.chunkOffset(c));
            }
        }
        assertEquals(p.movie().size() + 4L * totalChunks(p), moov.length, "each entry grew by 4 bytes");
    }

    private static long totalChunks(Mp4Index.Parsed p) {
        return p.movie().tracks().stream().mapToLong(t -> t.chunks.chunkCount()).sum();
    }

    @Test
    void ffmpegDecodesTheVirtualLayout() {
        assumeTrue(Mp4TestSupport.hasFfmpeg(), "ffmpeg not installed");
        Path out = Mp4TestSupport.materialize(faststart("sample-moov-at-end.mp4").body(), temp.resolve("fs.mp4"));
        Mp4TestSupport.assertDecodesCleanly(out);
        assertEquals(12.0, Mp4TestSupport.probeDuration(out), 0.001);
    }
}
