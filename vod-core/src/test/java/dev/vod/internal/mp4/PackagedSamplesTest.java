package dev.vod.internal.mp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vod.PackagingSettings;
import dev.vod.internal.body.Body;
import dev.vod.internal.body.SourceFile;
import dev.vod.internal.packager.Packager;
import dev.vod.internal.packager.Rendition;
import dev.vod.internal.packager.Selection;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packager moves samples, it never changes them: for every source layout (faststart with B-frames and an
 * edit list, moov at the end, fragmented, the title's renditions) and two segment lengths, the samples of all
 * segments of a rendition, read back by an independent fragment reader, are exactly the source's — count,
 * sizes, bytes, decode times, durations, composition offsets and key-frame flags — in order, and the
 * segments tile the tracks without overlap. With ffprobe present, the whole virtual fragmented file and the
 * DASH video-only and audio-only streams also show the source's packets (timestamps after edit lists, sizes,
 * flags, CRC of every packet's data).
 */
class PackagedSamplesTest {
    @TempDir
    Path temp;

    private static final String SOURCES = """
            sample.mp4, 6
            sample.mp4, 2
            sample-moov-at-end.mp4, 6
            sample-fragmented.mp4, 6
            sample-fragmented.mp4, 2
            sample-title/240p.mp4, 6
            sample-title/720p.mp4, 4
            """;

    @ParameterizedTest(name = "{0}, {1} s segments")
    @CsvSource(textBlock = SOURCES)
    void everySampleOfTheSourceComesBackUnchangedAndInOrder(String name, double seconds) {
        Path path = Mp4TestSupport.sample(name);
        Rendition rendition = new Packager(new Mp4Service(64 << 20, 16), PackagingSettings.DEFAULTS
                .withSegmentSeconds(seconds)).rendition(Mp4TestSupport.sourceFile(path));
        Map<Integer, List<FragmentReader.Sample>> packaged = FragmentReader.read(
                bytes(allSegments(rendition, Selection.MUXED)), 1);
        // The oracle: the progressive source's tables walked sample by sample. For the fragmented file it is the
        // faststart file it was copied from: the same samples, though ffmpeg's fragmenting muxer retimed the
        // audio (its first sample lasts 3528 ticks instead of an edit list), so there only the bytes, sizes,
        // composition offsets and flags are compared here; its timing is checked against ffprobe below.
        boolean fragmented = name.equals("sample-fragmented.mp4");
        Path reference = fragmented ? Mp4TestSupport.sample("sample.mp4") : path;
        Movie movie = Mp4TestSupport.parse(reference).movie();
        byte[] file = Mp4TestSupport.readAll(reference);
        assertEquals(2, packaged.size(), "video and audio tracks");
        for (Track track : movie.tracks()) {
            List<FragmentReader.Sample> expected = new ArrayList<>();
            for (Mp4TestSupport.Sample s : Mp4TestSupport.samples(track)) {
                byte[] data = java.util.Arrays.copyOfRange(file, (int) s.offset(), (int) (s.offset() + s.size()));
                expected.add(new FragmentReader.Sample(s.dts(), s.duration(), s.ctsOffset(),
                        !track.isVideo() || s.sync(), data));
            }
            List<FragmentReader.Sample> actual = packaged.get(track.trackId);
            assertEquals(expected.size(), actual.size(), "sample count of track " + track.trackId);
            for (int i = 0; i < expected.size(); i++) {
                FragmentReader.Sample want = expected.get(i);
                FragmentReader.Sample got = actual.get(i);
                if (fragmented && !track.isVideo()) {
                    want = new FragmentReader.Sample(got.dts(), got.duration(), want.ctsOffset(), want.sync(),
                            want.data());
                }
                assertEquals(want, got, "track " + track.trackId + " sample " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1} s segments")
    @CsvSource(textBlock = SOURCES)
    void segmentsStartAtKeyFramesAndTileTheTracks(String name, double seconds) {
        Rendition r = new Packager(new Mp4Service(64 << 20, 16), PackagingSettings.DEFAULTS
                .withSegmentSeconds(seconds)).rendition(Mp4TestSupport.sourceFile(Mp4TestSupport.sample(name)));
        assertEquals(Math.ceil(12 / Math.max(seconds, 2) - 1e-9), r.segmentCount(), "segments of 12 s at key frames");
        long videoEnd = 0;
        long audioEnd = 0;
        double total = 0;
        for (int i = 0; i < r.segmentCount(); i++) {
            var ranges = r.ranges(i, Selection.MUXED);
            assertEquals(videoEnd, ranges.get(0).from(), "video continues where the last segment ended");
            assertEquals(audioEnd, ranges.get(1).from(), "audio continues where the last segment ended");
            videoEnd = ranges.get(0).to();
            audioEnd = ranges.get(1).to();
            List<FragmentReader.Sample> video = FragmentReader.read(bytes(r.segment(i, Selection.VIDEO)), i + 1)
                    .get(r.video().id());
            assertTrue(video.get(0).sync(), "segment " + (i + 1) + " starts with a key frame");
            assertEquals(r.segmentLength(i, Selection.MUXED), r.segment(i, Selection.MUXED).length(),
                    "predicted segment length");
            total += r.durationSeconds(i);
        }
        assertEquals(r.video().sampleCount(), videoEnd);
        assertEquals(r.audio().sampleCount(), audioEnd);
        assertEquals(12.0, total, 0.001, "segment durations add up to the film");
        long[] offsets = r.virtualOffsets();
        assertEquals(r.virtualFile().length(), offsets[offsets.length - 1], "virtual file length");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"sample.mp4", "sample-moov-at-end.mp4", "sample-fragmented.mp4", "sample-title/360p.mp4"})
    void ffprobeSeesTheSourcePacketsInThePackagedStreams(String name) throws Exception {
        assumeTrue(Mp4TestSupport.hasFfmpeg(), "ffmpeg/ffprobe are not installed");
        Path source = Mp4TestSupport.sample(name);
        SourceFile file = Mp4TestSupport.sourceFile(source);
        Rendition r = new Packager(new Mp4Service(64 << 20, 16), PackagingSettings.DEFAULTS).rendition(file);
        Path whole = Mp4TestSupport.materialize(r.virtualFile(), temp.resolve("virtual.mp4"));
        assertEquals(packets(source, "v:0"), packets(whole, "v:0"), "video packets of the virtual file");
        assertEquals(packets(source, "a:0"), packets(whole, "a:0"), "audio packets of the virtual file");
        Mp4TestSupport.assertDecodesCleanly(whole);
        for (Selection selection : new Selection[] {Selection.VIDEO, Selection.AUDIO}) {
            Path stream = temp.resolve(selection + ".mp4");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(r.init(selection));
            out.write(bytes(allSegments(r, selection)));
            Files.write(stream, out.toByteArray());
            String kind = selection == Selection.VIDEO ? "v:0" : "a:0";
            assertEquals(packets(source, kind), packets(stream, kind), selection + " stream packets");
        }
    }

    /**
     * ffprobe's packet list of one stream: times, size, key flag and a CRC of the data. Durations and the discard
     * flag are left out: for a progressive file ffmpeg turns the audio edit list's priming into a discarded
     * first packet, for a fragmented one only into its timestamp (-1024), the same packet either way.
     */
    private static List<String> packets(Path file, String stream) {
        Mp4TestSupport.Run run = Mp4TestSupport.run(List.of("ffprobe", "-v", "error", "-select_streams", stream,
                "-show_data_hash", "CRC32", "-show_entries", "packet=pts,dts,size,flags,data_hash",
                "-of", "compact=p=0:nk=0", file.toString()));
        assertEquals(0, run.exit(), run.output());
        // Side data (the skip-samples note on a discarded packet) may break a packet over several lines.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "pts=(-?\\d+)\\|dts=(-?\\d+)\\|size=(\\d+)\\|flags=(.).*?data_hash=(\\S+)",
                java.util.regex.Pattern.DOTALL).matcher(run.output());
        List<String> lines = new ArrayList<>();
        while (m.find()) {
            lines.add(m.group(1) + " " + m.group(2) + " " + m.group(3) + " " + m.group(4) + " " + m.group(5));
        }
        assertTrue(lines.size() > 100, "packets of " + stream + " in " + file + ": " + lines.size());
        return lines;
    }

    private static Body allSegments(Rendition r, Selection selection) {
        List<dev.vod.internal.body.Segment> parts = new ArrayList<>();
        for (int i = 0; i < r.segmentCount(); i++) {
            parts.addAll(r.segment(i, selection).segments());
        }
        return Body.of(parts);
    }

    private byte[] bytes(Body body) {
        try {
            Path out = Files.createTempFile(temp, "body", ".bin");
            return Files.readAllBytes(Mp4TestSupport.materialize(body, out));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unused")
    private static void assertSame(byte[] a, byte[] b) {
        assertArrayEquals(a, b);
    }
}
