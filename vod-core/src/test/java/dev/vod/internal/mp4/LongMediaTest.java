package dev.vod.internal.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vod.internal.body.Representation;
import dev.vod.internal.body.Segment;
import dev.vod.internal.body.SourceFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A generated two-hour file (64x64, 5 fps, GOP 50, 2 B-frames, AAC 8 kHz; moov at the end; many stsc runs and
 * irregular stts entries where the loop repeats). Made in about a second by encoding one minute and looping it
 * with stream copy. Skipped when ffmpeg is not installed.
 */
class LongMediaTest {
    @TempDir
    static Path dir;
    static Path movie;

    private final Mp4Service service = new Mp4Service(Mp4TestSupport.MAX_MOOV, 4);

    @BeforeAll
    static void generate() {
        assumeTrue(Mp4TestSupport.hasFfmpeg(), "ffmpeg not installed");
        Path minute = dir.resolve("minute.mp4");
        movie = dir.resolve("two-hours.mp4");
        Mp4TestSupport.Run a = Mp4TestSupport.run(List.of("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                "testsrc=size=64x64:rate=5", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000", "-t", "60",
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-bf", "2", "-x264-params", "b-adapt=0",
                "-c:a", "aac", "-b:a", "16k", "-ac", "1", minute.toString()));
        assertEquals(0, a.exit(), a.output());
        Mp4TestSupport.Run b = Mp4TestSupport.run(List.of("ffmpeg", "-nostdin", "-v", "error", "-stream_loop", "119",
                "-i", minute.toString(), "-c", "copy", "-t", "7200", movie.toString()));
        assertEquals(0, b.exit(), b.output());
    }

    @Test
    void generatedFileHasTheShapeWeWant() {
        Mp4Index.Parsed p = Mp4TestSupport.parse(movie);
        assertTrue(p.moovBox().offset() > BoxReader.find(p.topLevel(), BoxTypes.MDAT).offset(), "moov at end");
        Track video = p.movie().referenceTrack();
        Track audio = p.movie().tracks().stream().filter(t -> t.handler == BoxTypes.SOUN).findFirst().orElseThrow();
        assertTrue(video.compositionOffsets != null, "B-frames");
        assertTrue(video.syncSamples.count() > 700, "a key frame every 10 s for 2 h");
        assertTrue(audio.chunks.runCount() > 1000, "many stsc runs: " + audio.chunks.runCount());
        assertTrue(video.times.runs().runCount() > 100, "irregular stts at loop joins");
        assertEquals(7200, (double) p.movie().presentationEnd() / p.movie().timescale(), 1);
    }

    @ParameterizedTest
    @CsvSource({"1234.5, NaN, false", "3600, 3630, false", "5000.2, 5060, true", "7190, NaN, false",
            "0, 45, false", "4321.1, 4400, true"})
    void seeksVerifySampleBySampleAndDecode(double start, double end, boolean exact) {
        SeekRequest request = new SeekRequest(start, end, exact);
        SourceFile file = Mp4TestSupport.sourceFile(movie);
        Representation r = service.seek(file, "video/mp4", request);
        Path out = Mp4TestSupport.materialize(r.body(), dir.resolve("seek-" + request.tag() + ".mp4"));
        SeekVerifier.Result result = SeekVerifier.verify(movie, out, request);
        assertTrue(result.cutSeconds() <= start && result.cutSeconds() > start - 10.5, "within one GOP");
        if (!Double.isNaN(end)) {
            Mp4TestSupport.assertDecodesCleanly(out);
            double expected = end - result.cutSeconds();
            assertEquals(expected, Mp4TestSupport.probeDuration(out), 0.25);
        }
        // The header may be several generated segments (large tables share cached blocks); the data is one slice.
        List<Segment> segments = r.body().segments();
        assertTrue(segments.subList(0, segments.size() - 1).stream().allMatch(s -> !(s instanceof Segment.FileSlice)),
                "header segments first");
        assertEquals(1, segments.stream().filter(s -> s instanceof Segment.FileSlice).count(),
                "interleaved: one slice");
    }

    @Test
    void faststartOfTheLongFileDecodes() {
        SourceFile file = Mp4TestSupport.sourceFile(movie);
        Representation r = service.faststart(file, "video/mp4").orElseThrow();
        assertEquals(file.size(), r.body().length());
        Path out = Mp4TestSupport.materialize(r.body(), dir.resolve("faststart.mp4"));
        Mp4Index.Parsed p = Mp4TestSupport.parse(out);
        assertTrue(p.moovBox().offset() < BoxReader.find(p.topLevel(), BoxTypes.MDAT).offset());
        SeekVerifier.verify(out, Mp4TestSupport.materialize(
                service.seek(Mp4TestSupport.sourceFile(out), "video/mp4", new SeekRequest(7000, 7010, false)).body(),
                dir.resolve("faststart-seek.mp4")), new SeekRequest(7000, 7010, false));
        assertEquals(7200, Mp4TestSupport.probeDuration(out), 1);
    }

    @Test
    void aRangeOfTheSeekOutputIsTheSameWindowOfTheWholeOutput() throws Exception {
        SourceFile file = Mp4TestSupport.sourceFile(movie);
        Representation r = service.seek(file, "video/mp4", new SeekRequest(3600, Double.NaN, false));
        List<Segment> segments = r.body().segments();
        assertTrue(segments.stream().anyMatch(s -> s instanceof Segment.Generated),
                "the big chunk offset table is generated lazily");
        byte[] whole = java.nio.file.Files.readAllBytes(
                Mp4TestSupport.materialize(r.body(), dir.resolve("whole.mp4")));
        // The first 64 KiB (a player's first request), and a window cutting a generated table mid-entry.
        long generatedAt = 0;
        for (Segment s : segments) {
            if (s instanceof Segment.Generated) {
                break;
            }
            generatedAt += s.length();
        }
        long[][] windows = {{0, 65536}, {generatedAt + 3, 1001}, {generatedAt - 5, 10}};
        for (long[] w : windows) {
            byte[] window = java.nio.file.Files.readAllBytes(Mp4TestSupport.materialize(r.body().slice(w[0], w[1]),
                    dir.resolve("window.mp4")));
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                    java.util.Arrays.copyOfRange(whole, (int) w[0], (int) (w[0] + w[1])), window,
                    "window " + w[0] + "+" + w[1]);
        }
    }
}
