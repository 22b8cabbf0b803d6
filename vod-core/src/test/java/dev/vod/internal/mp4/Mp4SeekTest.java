package dev.vod.internal.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vod.internal.body.Representation;
import dev.vod.internal.body.Segment;
import dev.vod.internal.body.SourceFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Seeks into the progressive samples (faststart and moov-at-end), verified sample by sample and with ffmpeg. */
class Mp4SeekTest {
    private final Mp4Service service = new Mp4Service(Mp4TestSupport.MAX_MOOV, 16);

    @TempDir
    Path temp;

    private Path seek(String sample, SeekRequest request) {
        SourceFile file = Mp4TestSupport.sourceFile(Mp4TestSupport.sample(sample));
        Representation r = service.seek(file, "video/mp4", request);
        return Mp4TestSupport.materialize(r.body(), temp.resolve("out-" + request.tag() + ".mp4"));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 0.5, 1.999, 2, 2.04, 3.5, 5, 6, 9.99, 11.5})
    void startSnapsToThePreviousKeyFrame(double start) {
        SeekRequest request = new SeekRequest(start, Double.NaN, false);
        Path out = seek("sample.mp4", request);
        SeekVerifier.Result result = SeekVerifier.verify(Mp4TestSupport.sample("sample.mp4"), out, request);
        assertEquals(Math.floor(start / 2) * 2, result.cutSeconds(), 1e-9, "key frames every 2 s");
    }

    @ParameterizedTest
    @CsvSource({"1, 5", "3.5, 7.25", "6, 6.04", "0, 12", "10, 30"})
    void startAndEnd(double start, double end) {
        SeekRequest request = new SeekRequest(start, end, false);
        Path out = seek("sample.mp4", request);
        SeekVerifier.verify(Mp4TestSupport.sample("sample.mp4"), out, request);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 3.5, 6, 7.123, 11.9})
    void exactStartAddsAnEditListSkippingThePreRoll(double start) {
        SeekRequest request = new SeekRequest(start, Double.NaN, true);
        Path out = seek("sample.mp4", request);
        SeekVerifier.Result result = SeekVerifier.verify(Mp4TestSupport.sample("sample.mp4"), out, request);
        assertEquals(start, result.cutSeconds(), 1e-9);
        Track video = Mp4TestSupport.parse(out).movie().referenceTrack();
        double preRoll = start - Math.floor(start / 2) * 2;
        assertEquals(preRoll + 1024.0 / 12800, (double) video.edits.mediaStart() / video.timescale, 1e-3,
                "edit skips from the key frame to the start (plus the B-frame delay)");
    }

    @Test
    void moovAtEndFileSeeksToo() {
        SeekRequest request = new SeekRequest(5, 9, false);
        Path out = seek("sample-moov-at-end.mp4", request);
        SeekVerifier.verify(Mp4TestSupport.sample("sample-moov-at-end.mp4"), out, request);
    }

    @Test
    void endBeforeStartIsIgnored() {
        SeekRequest request = new SeekRequest(6, 3, false);
        assertTrue(!request.hasEnd());
        Path out = seek("sample.mp4", request);
        SeekVerifier.Result r = SeekVerifier.verify(Mp4TestSupport.sample("sample.mp4"), out, request);
        assertEquals(150, r.sampleCounts().get(1), "video from 6 s to the end: 6 s x 25 fps");
    }

    @Test
    void outputIsOneGeneratedHeaderAndOneContiguousSliceForAnInterleavedFile() {
        SourceFile file = Mp4TestSupport.sourceFile(Mp4TestSupport.sample("sample.mp4"));
        Representation r = service.seek(file, "video/mp4", new SeekRequest(6, Double.NaN, false));
        assertEquals(2, r.body().segments().size(), r.body().toString());
        assertInstanceOf(Segment.Bytes.class, r.body().segments().get(0));
        Segment.FileSlice slice = assertInstanceOf(Segment.FileSlice.class, r.body().segments().get(1));
        assertTrue(r.body().length() < file.size() * 0.6, "about half of 12 s");
        assertTrue(slice.offset() > file.size() / 3, "starts well inside the mdat");
    }

    @Test
    void representationCarriesDerivedStrongEtagAndTheFilesDate() {
        SourceFile file = Mp4TestSupport.sourceFile(Mp4TestSupport.sample("sample.mp4"));
        Representation r = service.seek(file, "video/mp4", new SeekRequest(95.5 / 10, 120 / 10.0, false));
        String inner = file.etag().substring(1, file.etag().length() - 1);
        assertEquals("\"" + inner + "-s9.55-e12\"", r.etag());
        assertEquals(file.lastModified(), r.lastModified());
        assertEquals("video/mp4", r.contentType());
        Representation exact = service.seek(file, "video/mp4", new SeekRequest(9.55, 12, true));
        assertNotEquals(r.etag(), exact.etag());
    }

    @Test
    void sameRequestGivesIdenticalBytes() {
        SourceFile file = Mp4TestSupport.sourceFile(Mp4TestSupport.sample("sample.mp4"));
        SeekRequest request = new SeekRequest(3.5, 8, false);
        Representation a = new Mp4Service(Mp4TestSupport.MAX_MOOV, 0).seek(file, "video/mp4", request);
        Representation b = service.seek(file, "video/mp4", request);
        assertEquals(a.body().segments().size(), b.body().segments().size());
        assertEquals(a.body().length(), b.body().length());
        assertTrue(java.util.Arrays.equals(((Segment.Bytes) a.body().segments().get(0)).data(),
                ((Segment.Bytes) b.body().segments().get(0)).data()), "strong ETag needs byte-identical output");
    }

    // ---- with ffmpeg ----

    @ParameterizedTest
    @CsvSource({"0, NaN, false", "2, NaN, false", "5, NaN, false", "6, NaN, false", "3.5, 7.25, false",
            "7.123, NaN, true", "1, 11, true"})
    void ffmpegDecodesTheOutputWithoutErrors(double start, double end, boolean exact) {
        assumeTrue(Mp4TestSupport.hasFfmpeg(), "ffmpeg not installed");
        SeekRequest request = new SeekRequest(start, end, exact);
        Path out = seek("sample.mp4", request);
        Mp4TestSupport.assertDecodesCleanly(out);
        double expected = (Double.isNaN(end) ? 12 : end) - (exact ? start : Math.floor(start / 2) * 2);
        assertEquals(expected, Mp4TestSupport.probeDuration(out), 2.0, "within one GOP");
        assertEquals(expected, Mp4TestSupport.probeDuration(out), 0.05, "edit lists make it exact");
    }

    @Test
    void outputTimelineStartsAtZero() {
        assumeTrue(Mp4TestSupport.hasFfmpeg(), "ffmpeg not installed");
        Path out = seek("sample.mp4", new SeekRequest(6, Double.NaN, false));
        assertEquals(0, Mp4TestSupport.probeFirstVideoPts(out), 0.001,
                "nginx-style timeline: the key frame at 6 s is shown at 0");
        assertEquals(6, Mp4TestSupport.probeDuration(out), 0.05);
    }
}
