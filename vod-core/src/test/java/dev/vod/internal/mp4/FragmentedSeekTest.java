package dev.vod.internal.mp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.body.Representation;
import dev.vod.internal.body.Segment;
import dev.vod.internal.body.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seeks into fragmented MP4: init segment verbatim plus whole fragments, from each kind of fragment index. */
class FragmentedSeekTest {
    private static final String SAMPLE = "sample-fragmented.mp4";
    private final Mp4Service service = new Mp4Service(Mp4TestSupport.MAX_MOOV, 16);

    @TempDir
    Path temp;

    private Mp4Index.Parsed parsed() {
        return Mp4TestSupport.parse(Mp4TestSupport.sample(SAMPLE));
    }

    private List<BoxHeader> moofs(Mp4Index.Parsed p) {
        return p.topLevel().stream().filter(b -> b.type() == BoxTypes.MOOF).toList();
    }

    @Test
    void indexHasOneEntryPerKeyFrameFragmentFromTfra() {
        Mp4Index.Parsed p = parsed();
        assertNotNull(BoxReader.find(p.topLevel(), BoxTypes.MFRA), "sample has an mfra");
        FragmentIndex index = p.fragments();
        assertEquals(6, index.size());
        for (int i = 0; i < 6; i++) {
            assertEquals(2.0 * i, (double) index.time(i) / index.timescale(), 1e-9, "fragment " + i);
            assertEquals(moofs(p).get(i).offset(), index.offset(i));
        }
        assertEquals(12.0, (double) index.endTime() / index.timescale(), 1e-9);
    }

    @Test
    void scanningMoofsGivesTheSameIndexWhenThereIsNoMfra() throws IOException {
        Mp4Index.Parsed p = parsed();
        BoxHeader mfra = BoxReader.find(p.topLevel(), BoxTypes.MFRA);
        Path copy = temp.resolve("no-mfra.mp4");
        byte[] all = Files.readAllBytes(Mp4TestSupport.sample(SAMPLE));
        Files.write(copy, java.util.Arrays.copyOf(all, (int) mfra.offset()));
        Mp4Index.Parsed scanned = Mp4TestSupport.parse(copy);
        assertEquals(null, BoxReader.find(scanned.topLevel(), BoxTypes.MFRA));
        FragmentIndex a = p.fragments();
        FragmentIndex b = scanned.fragments();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.time(i), b.time(i));
            assertEquals(a.offset(i), b.offset(i));
            assertEquals(a.end(i), b.end(i));
        }
        assertEquals(a.endTime(), b.endTime());
    }

    @Test
    void startAt5ReturnsInitSegmentAndFragmentsFromTheKeyFrameAt4() {
        SourceFile file = Mp4TestSupport.sourceFile(Mp4TestSupport.sample(SAMPLE));
        Mp4Index.Parsed p = parsed();
        Representation r = service.seek(file, "video/mp4", new SeekRequest(5, Double.NaN, false));
        List<Segment> segments = r.body().segments();
        assertEquals(2, segments.size());
        Segment.FileSlice init = assertInstanceOf(Segment.FileSlice.class, segments.get(0));
        assertEquals(0, init.offset());
        assertEquals(p.moovBox().end(), init.length(), "ftyp + moov verbatim");
        Segment.FileSlice fragments = assertInstanceOf(Segment.FileSlice.class, segments.get(1));
        assertEquals(moofs(p).get(2).offset(), fragments.offset(), "the fragment starting at 4 s");
        BoxHeader mfra = BoxReader.find(p.topLevel(), BoxTypes.MFRA);
        assertEquals(mfra.offset(), fragments.offset() + fragments.length(), "through the last fragment, no mfra");
        assertTrue(r.etag().endsWith("-s5\""));
    }

    @Test
    void endStopsAfterTheFragmentHoldingIt() {
        SourceFile file = Mp4TestSupport.sourceFile(Mp4TestSupport.sample(SAMPLE));
        Mp4Index.Parsed p = parsed();
        Representation r = service.seek(file, "video/mp4", new SeekRequest(5, 7, false));
        Segment.FileSlice fragments = (Segment.FileSlice) r.body().segments().get(1);
        assertEquals(moofs(p).get(2).offset(), fragments.offset());
        assertEquals(moofs(p).get(4).offset(), fragments.offset() + fragments.length(), "fragments at 4 s and 6 s");
        Representation atBoundary = service.seek(file, "video/mp4", new SeekRequest(4, 6, false));
        Segment.FileSlice one = (Segment.FileSlice) atBoundary.body().segments().get(1);
        assertEquals(moofs(p).get(3).offset(), one.offset() + one.length(), "an end on a boundary needs no more");
    }

    @Test
    void startAtOrPastTheEndIs416() {
        SourceFile file = Mp4TestSupport.sourceFile(Mp4TestSupport.sample(SAMPLE));
        HttpProblem problem = assertThrows(HttpProblem.class,
                () -> service.seek(file, "video/mp4", new SeekRequest(12, Double.NaN, false)));
        assertEquals(416, problem.status());
    }

    @Test
    void faststartDoesNotApplyToFragmentedFiles() {
        SourceFile file = Mp4TestSupport.sourceFile(Mp4TestSupport.sample(SAMPLE));
        assertEquals(Optional.empty(), service.faststart(file, "video/mp4"));
    }

    @Test
    void ffmpegDecodesTheFragmentedOutput() {
        assumeTrue(Mp4TestSupport.hasFfmpeg(), "ffmpeg not installed");
        SourceFile file = Mp4TestSupport.sourceFile(Mp4TestSupport.sample(SAMPLE));
        Representation r = service.seek(file, "video/mp4", new SeekRequest(5, Double.NaN, false));
        Path out = Mp4TestSupport.materialize(r.body(), temp.resolve("f5.mp4"));
        Mp4TestSupport.assertDecodesCleanly(out);
        Mp4TestSupport.Run frames = Mp4TestSupport.run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0",
                "-count_packets", "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", out.toString()));
        assertEquals("200", frames.output(), "8 s of 25 fps video, from the key frame at 4 s");
    }

    @Test
    void sidxIndexIsUsedWhenPresent() {
        assumeTrue(Mp4TestSupport.hasFfmpeg(), "ffmpeg not installed");
        Path withSidx = temp.resolve("sidx.mp4");
        Mp4TestSupport.Run made = Mp4TestSupport.run(List.of("ffmpeg", "-nostdin", "-v", "error", "-i",
                Mp4TestSupport.sample("sample.mp4").toString(), "-c", "copy", "-movflags",
                "+frag_keyframe+empty_moov+default_base_moof+global_sidx+skip_trailer", withSidx.toString()));
        assertEquals(0, made.exit(), made.output());
        Mp4Index.Parsed p = Mp4TestSupport.parse(withSidx);
        assertNotNull(BoxReader.find(p.topLevel(), BoxTypes.SIDX), "ffmpeg wrote a sidx");
        assertEquals(null, BoxReader.find(p.topLevel(), BoxTypes.MFRA), "and no mfra");
        FragmentIndex index = p.fragments();
        assertEquals(6, index.size());
        assertEquals(4.0, (double) index.time(2) / index.timescale(), 0.1);
        SourceFile file = Mp4TestSupport.sourceFile(withSidx);
        Representation r = service.seek(file, "video/mp4", new SeekRequest(5, Double.NaN, false));
        Segment.FileSlice fragments = (Segment.FileSlice) r.body().segments().get(r.body().segments().size() - 1);
        assertEquals(moofs(p).get(2).offset(), fragments.offset());
        for (Segment s : r.body().segments()) {
            Segment.FileSlice slice = (Segment.FileSlice) s;
            BoxHeader sidx = BoxReader.find(p.topLevel(), BoxTypes.SIDX);
            assertTrue(slice.offset() >= sidx.end() || slice.offset() + slice.length() <= sidx.offset(),
                    "the sidx (whose offsets no longer hold) is left out");
        }
        Mp4TestSupport.assertDecodesCleanly(Mp4TestSupport.materialize(r.body(), temp.resolve("sidx-5.mp4")));
    }

    @Test
    void outputBytesAreTheSourceBytes() throws IOException {
        SourceFile file = Mp4TestSupport.sourceFile(Mp4TestSupport.sample(SAMPLE));
        Representation r = service.seek(file, "video/mp4", new SeekRequest(9, Double.NaN, false));
        Path out = Mp4TestSupport.materialize(r.body(), temp.resolve("f9.mp4"));
        Mp4Index.Parsed p = parsed();
        byte[] source = Files.readAllBytes(Mp4TestSupport.sample(SAMPLE));
        byte[] output = Files.readAllBytes(out);
        int init = (int) p.moovBox().end();
        int from = (int) moofs(p).get(4).offset();
        assertArrayEquals(java.util.Arrays.copyOfRange(source, 0, init), java.util.Arrays.copyOfRange(output, 0, init));
        assertArrayEquals(java.util.Arrays.copyOfRange(source, from, from + output.length - init),
                java.util.Arrays.copyOfRange(output, init, output.length));
    }
}
