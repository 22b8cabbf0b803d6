package dev.vod.internal.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vod.internal.body.Representation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracks that end before the start (dropped) and tracks that begin late (their empty edit is shortened),
 * on small files generated with ffmpeg (8 s of 10 fps video, key frame every 2 s). Skipped without ffmpeg.
 */
class TrackEdgeCaseTest {
    @TempDir
    static Path dir;
    static Path shortAudio;
    static Path delayedAudio;
    static Path noEditList;
    static Path twoVideos;

    private final Mp4Service service = new Mp4Service(Mp4TestSupport.MAX_MOOV, 4);

    @BeforeAll
    static void generate() {
        assumeTrue(Mp4TestSupport.hasFfmpeg(), "ffmpeg not installed");
        shortAudio = dir.resolve("short-audio.mp4");
        ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x64:rate=10", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=8000:duration=3", "-t", "8", "-c:v", "libx264", "-preset",
                "ultrafast", "-g", "20", "-bf", "2", "-c:a", "aac", "-ac", "1", shortAudio.toString());
        Path video = dir.resolve("v.mp4");
        Path audio = dir.resolve("a.m4a");
        delayedAudio = dir.resolve("delayed-audio.mp4");
        ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x64:rate=10", "-t", "8", "-c:v", "libx264", "-preset",
                "ultrafast", "-g", "20", "-bf", "2", video.toString());
        ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000:duration=4", "-c:a", "aac", "-ac", "1",
                audio.toString());
        ffmpeg("-i", video.toString(), "-itsoffset", "3", "-i", audio.toString(), "-map", "0", "-map", "1", "-c",
                "copy", delayedAudio.toString());
        noEditList = dir.resolve("no-edit-list.mp4");
        ffmpeg("-i", Mp4TestSupport.sample("sample.mp4").toString(), "-c", "copy", "-use_editlist", "0",
                noEditList.toString());
        Path otherGop = dir.resolve("gop15.mp4");
        ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x64:rate=10", "-t", "8", "-c:v", "libx264", "-preset",
                "ultrafast", "-g", "15", "-bf", "2", otherGop.toString());
        twoVideos = dir.resolve("two-videos.mp4");
        ffmpeg("-i", delayedAudio.toString(), "-i", otherGop.toString(), "-map", "0:v", "-map", "1:v", "-map", "0:a",
                "-c", "copy", twoVideos.toString());
    }

    private static void ffmpeg(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error"));
        command.addAll(List.of(args));
        Mp4TestSupport.Run r = Mp4TestSupport.run(command);
        assertEquals(0, r.exit(), r.output());
    }

    private Path seek(Path source, SeekRequest request, String name) {
        Representation r = service.seek(Mp4TestSupport.sourceFile(source), "video/mp4", request);
        Path out = Mp4TestSupport.materialize(r.body(), dir.resolve(name));
        SeekVerifier.verify(source, out, request);
        Mp4TestSupport.assertDecodesCleanly(out);
        return out;
    }

    @Test
    void trackEndingBeforeTheStartIsDropped() {
        Path out = seek(shortAudio, new SeekRequest(5, Double.NaN, false), "dropped.mp4");
        Movie movie = Mp4TestSupport.parse(out).movie();
        assertEquals(1, movie.tracks().size(), "only the video is left");
        assertTrue(movie.tracks().get(0).isVideo());
        assertEquals(4.0, Mp4TestSupport.probeDuration(out), 0.05, "from the key frame at 4 s to 8 s");
    }

    @Test
    void trackEndingAfterTheStartIsKeptShort() {
        Path out = seek(shortAudio, new SeekRequest(2.5, Double.NaN, false), "kept.mp4");
        Movie movie = Mp4TestSupport.parse(out).movie();
        assertEquals(2, movie.tracks().size());
        Track audio = movie.tracks().get(1);
        assertEquals(1.0, (double) audio.presentationEnd(movie.timescale()) / movie.timescale(), 0.01,
                "audio from 2 s to 3 s");
    }

    @Test
    void lateTrackKeepsAShorterDelay() {
        Mp4Index.Parsed source = Mp4TestSupport.parse(delayedAudio);
        Track sourceAudio = source.movie().tracks().get(1);
        assertTrue(sourceAudio.edits.emptyDelay() > 0, "ffmpeg wrote an empty edit");
        Path out = seek(delayedAudio, new SeekRequest(2.5, Double.NaN, false), "delayed.mp4");
        Movie movie = Mp4TestSupport.parse(out).movie();
        Track audio = movie.tracks().get(1);
        assertEquals(sourceAudio.edits.emptyDelay() - 2000, audio.edits.emptyDelay(), "cut at the 2 s key frame");
        assertEquals(sourceAudio.edits.mediaStart(), audio.edits.mediaStart());
        assertEquals(sourceAudio.sampleCount(), audio.sampleCount(), "the late track is kept whole");
    }

    @Test
    void cutAfterALateTrackStartedCutsItLikeAnyOther() {
        Path out = seek(delayedAudio, new SeekRequest(5, 7, false), "delayed-5.mp4");
        Track audio = Mp4TestSupport.parse(out).movie().tracks().get(1);
        assertEquals(0, audio.edits.emptyDelay());
        assertEquals(3.0, Mp4TestSupport.probeDuration(out), 0.05, "4 s key frame to 7 s");
    }

    @Test
    void withoutEditListsKeyFramesShownJustAfterTheStartAreNotSkipped() {
        Track video = Mp4TestSupport.parse(noEditList).movie().referenceTrack();
        assertEquals(0, video.edits.mediaStart(), "no edit list: the first frame is shown at 0.08 s");
        Path out = seek(noEditList, new SeekRequest(0.05, Double.NaN, false), "no-elst-0.05.mp4");
        Track cut = Mp4TestSupport.parse(out).movie().referenceTrack();
        assertEquals(300, cut.sampleCount(), "starts at the first key frame, not at a B-frame");
        assertEquals(640, cut.edits.mediaStart(), "0.05 s of the media timeline is skipped");
        seek(noEditList, new SeekRequest(6.5, Double.NaN, false), "no-elst-6.5.mp4");
    }

    @Test
    void secondVideoTrackStartsAtItsOwnKeyFrame() {
        Path out = seek(twoVideos, new SeekRequest(5, Double.NaN, false), "two-videos-5.mp4");
        Movie movie = Mp4TestSupport.parse(out).movie();
        assertEquals(3, movie.tracks().size());
        Track second = movie.tracks().get(1);
        assertTrue(second.isVideo());
        assertTrue(second.syncSamples.isSync(0), "starts on a key frame of its own");
        double hidden = (double) (second.edits.mediaStart() - second.compositionOffset(0)) / second.timescale;
        assertEquals(1.0, hidden, 0.001,
                "its key frame at 3 s is 1 s before the cut at 4 s, hidden by the edit list");
    }
}
