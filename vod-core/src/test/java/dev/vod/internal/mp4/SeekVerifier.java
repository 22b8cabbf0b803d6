package dev.vod.internal.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a materialised seek output against its source by walking both files sample by sample: every kept
 * sample has the same bytes, size, duration, composition offset and key-frame flag; the video starts on a key
 * frame; every track's edit list makes it start at the same instant, so audio is within one audio frame of
 * video. The expected cut is computed here from expanded per-sample lists, independently of the seek code.
 */
final class SeekVerifier {
    private SeekVerifier() {
    }

    /** What was verified: the cut instant in seconds and the first kept source sample per track ID. */
    record Result(double cutSeconds, Map<Integer, Long> firstSamples, Map<Integer, Long> sampleCounts) {
    }

    static Result verify(Path source, Path output, SeekRequest request) {
        Mp4Index.Parsed src = Mp4TestSupport.parse(source);
        Mp4Index.Parsed out = Mp4TestSupport.parse(output);
        byte[] sourceBytes = Mp4TestSupport.readAll(source);
        byte[] outputBytes = Mp4TestSupport.readAll(output);
        Movie movie = src.movie();
        long startMillis = request.startMillis();
        long startInMovie = startMillis * movie.timescale() / 1000;

        Track reference = null;
        for (Track t : movie.tracks()) {
            if (t.isVideo() && t.sampleCount() > 0 && t.presentationEnd(movie.timescale()) > startInMovie) {
                reference = t;
                break;
            }
        }
        long keyFrame = -1;
        double cut = startMillis / 1000.0;
        long cutInReference = 0;
        boolean snapped = false; // whether the cut moved back to the key frame's presentation time
        if (reference != null) {
            List<Mp4TestSupport.Sample> v = Mp4TestSupport.samples(reference);
            long wanted = startMillis * reference.timescale / 1000;
            for (int i = 0; i < v.size(); i++) {
                if (v.get(i).sync() && presentation(reference, movie, v.get(i)) <= wanted) {
                    keyFrame = i;
                }
            }
            if (keyFrame >= 0) {
                cutInReference = presentation(reference, movie, v.get((int) keyFrame));
                snapped = !request.exact();
                cut = snapped ? (double) cutInReference / reference.timescale : cut;
            } else { // every key frame is shown after the start: begin at the first, cut at the start itself
                keyFrame = 0;
                while (!v.get((int) keyFrame).sync()) {
                    keyFrame++;
                }
            }
        }

        Map<Integer, Long> firsts = new HashMap<>();
        Map<Integer, Long> counts = new HashMap<>();
        for (Track o : out.movie().tracks()) {
            Track s = movie.track(o.trackId);
            assertNotNull(s, "output track " + o.trackId + " not in source");
            List<Mp4TestSupport.Sample> ss = Mp4TestSupport.samples(s);
            List<Mp4TestSupport.Sample> os = Mp4TestSupport.samples(o);
            long delayInMedia = s.edits.emptyDelay() * s.timescale / movie.timescale();
            long mediaCut = (snapped
                    ? cutInReference * s.timescale / reference.timescale
                    : startMillis * s.timescale / 1000) - delayInMedia + s.edits.mediaStart();
            long first;
            long shown;
            if (s == reference) {
                first = keyFrame;
                shown = first;
            } else {
                first = 0;
                for (int i = 0; i < ss.size(); i++) {
                    if (ss.get(i).dts() <= mediaCut) {
                        first = i;
                    }
                }
                shown = first;
                if (cut * movie.timescale() <= s.edits.emptyDelay()) {
                    first = 0; // the cut is at or before the track's own start: kept whole
                } else if (s.syncSamples != null) {
                    while (!ss.get((int) first).sync()) {
                        first--; // another video track starts at its own key frame
                    }
                } else if (s.handler == BoxTypes.SOUN && first > 0) {
                    first--; // one frame of decoder pre-roll, hidden by the edit list
                }
            }
            firsts.put(o.trackId, first);
            counts.put(o.trackId, (long) os.size());
            long expectedCount = ss.size() - first;
            if (request.hasEnd()) {
                long mediaEnd = request.endMillis() * s.timescale / 1000 - delayInMedia + s.edits.mediaStart();
                long last = first;
                for (int i = (int) first; i < ss.size(); i++) {
                    if (ss.get(i).cts() < mediaEnd) {
                        last = i;
                    }
                }
                expectedCount = last + 1 - first;
            }
            assertEquals(expectedCount, os.size(), "sample count of track " + o.trackId);
            for (int j = 0; j < os.size(); j++) {
                Mp4TestSupport.Sample a = ss.get((int) first + j);
                Mp4TestSupport.Sample b = os.get(j);
                String where = "track " + o.trackId + " output sample " + j;
                assertEquals(a.size(), b.size(), where + " size");
                assertEquals(a.duration(), b.duration(), where + " duration");
                assertEquals(a.ctsOffset(), b.ctsOffset(), where + " composition offset");
                assertEquals(a.sync(), b.sync(), where + " key frame flag");
                assertEquals(a.dts() - ss.get((int) first).dts(), b.dts(), where + " decode time");
                assertTrue(Arrays.equals(sourceBytes, (int) a.offset(), (int) (a.offset() + a.size()),
                        outputBytes, (int) b.offset(), (int) (b.offset() + b.size())), where + " bytes");
            }
            if (o.isVideo()) {
                assertTrue(os.get(0).sync(), "first video sample is a key frame");
            }
            // The edit list shows the source instant `cut` at output time 0 (or delays a track starting later).
            if (cut * movie.timescale() >= s.edits.emptyDelay()) {
                assertEquals(0, o.edits.emptyDelay(), "no delay for a track already playing at the cut");
                assertEquals(Math.max(0, mediaCut - ss.get((int) first).dts()), o.edits.mediaStart(),
                        "track " + o.trackId + " edit media time");
                double firstShown = (double) (ss.get((int) shown).dts() - s.edits.mediaStart() + delayInMedia)
                        / s.timescale;
                if (!o.isVideo()) {
                    double frame = (double) ss.get((int) shown).duration() / s.timescale;
                    assertTrue(firstShown <= cut + 1e-6 && cut - firstShown < frame + 1e-6,
                            "track " + o.trackId + " starts within one frame of the cut: " + firstShown + " vs "
                                    + cut);
                }
            }
            assertFalse(o.edits.complex(), "one edit per output track");
        }
        return new Result(cut, firsts, counts);
    }

    /** Presentation time of a sample of {@code track} on the movie timeline, in the track's timescale. */
    private static long presentation(Track track, Movie movie, Mp4TestSupport.Sample sample) {
        return track.edits.emptyDelay() * track.timescale / movie.timescale() + sample.cts() - track.edits.mediaStart();
    }
}
