package dev.vod.internal.mp4;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides which samples of each track a seek keeps, and the edit lists that make every output track start at
 * the same instant.
 *
 * <p>The cut instant {@code T}: the start of the last key frame of the video track presented at or before the
 * requested start (or the requested start itself with {@code exact}). The video track is cut at that key frame;
 * every other track at the sample presented at {@code T}. Each output track gets an edit list whose media time
 * skips the part of its first sample before {@code T}, so all tracks start together at output time 0 (nginx
 * style timeline). With {@code exact}, the same mechanism hides the video frames between the key frame and the
 * requested start. Sound tracks keep one more frame before the cut, hidden by the edit list, because AAC (like
 * most audio codecs) decodes a frame correctly only after decoding the previous one. An end cuts each track after its last sample presented before the end; the edit durations
 * stop the presentation exactly at the end.
 *
 * <p>Edit lists with more than one real edit are reduced to their first (see {@link Track.Edits}).
 */
final class SeekPlanner {
    private SeekPlanner() {
    }

    /** The cuts for this request; a 416 when the start is at or after the end of the movie. */
    static List<TrackCut> plan(Movie movie, SeekRequest request) {
        long movieTimescale = movie.timescale();
        long startMillis = request.startMillis();
        long movieEnd = movie.presentationEnd();
        long startInMovie = Timescales.fromMillis(startMillis, movieTimescale);
        if (startInMovie >= movieEnd) {
            throw Mp4Problems.startOutOfRange(startMillis / 1000.0, Timescales.seconds(movieEnd, movieTimescale));
        }
        List<Track> candidates = new ArrayList<>();
        for (Track t : movie.tracks()) {
            if (t.sampleCount() > 0 && t.presentationEnd(movieTimescale) > startInMovie) {
                candidates.add(t);
            }
        }
        Track reference = null;
        for (Track t : candidates) {
            if (t.isVideo()) {
                reference = t;
                break;
            }
        }
        // The cut instant, as a (value, timescale) pair so no precision is lost before each track converts it.
        long cutValue = startMillis;
        long cutTimescale = 1000;
        long keyFrame = -1;
        if (reference != null) {
            long delay = Timescales.rescale(reference.edits.emptyDelay(), movieTimescale, reference.timescale);
            long wanted = Timescales.fromMillis(startMillis, reference.timescale);
            if (wanted > delay) {
                keyFrame = keyFrameAtOrBefore(reference, wanted - delay + reference.edits.mediaStart());
                if (keyFrame >= 0 && !request.exact()) {
                    cutValue = delay + reference.compositionTime(keyFrame) - reference.edits.mediaStart();
                    cutTimescale = reference.timescale;
                } else if (keyFrame < 0) {
                    // Every key frame is shown after the start (no edit list hides a B-frame delay): begin at
                    // the first one, never at a frame that cannot be decoded.
                    keyFrame = reference.syncSamples == null || reference.syncSamples.count() == 0
                            ? 0 : reference.syncSamples.sample(0);
                }
            }
        }
        long endValue = request.hasEnd() ? request.endMillis() : -1;
        List<TrackCut> cuts = new ArrayList<>();
        for (Track t : candidates) {
            TrackCut cut = cut(t, movieTimescale, cutValue, cutTimescale, t == reference ? keyFrame : -1, endValue);
            if (cut != null) {
                cuts.add(cut);
            }
        }
        if (cuts.isEmpty()) {
            throw Mp4Problems.startOutOfRange(startMillis / 1000.0, Timescales.seconds(movieEnd, movieTimescale));
        }
        return cuts;
    }

    /**
     * The last key frame whose composition time is at or before {@code mediaTime}, or -1 when none is. Key frames
     * are presented in decode order, so their composition times increase and a binary search applies.
     */
    static long keyFrameAtOrBefore(Track track, long mediaTime) {
        SyncSamples sync = track.syncSamples;
        if (sync == null) {
            long sample = Math.min(track.times.sampleAt(mediaTime), track.sampleCount() - 1);
            return track.compositionTime(sample) <= mediaTime ? sample : -1;
        }
        int lo = 0;
        int hi = sync.count() - 1;
        long found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long sample = sync.sample(mid);
            if (track.compositionTime(sample) <= mediaTime) {
                found = sample;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /**
     * One track's cut at instant {@code cutValue / cutTimescale}, or null when the track shows nothing between
     * the cut and the end.
     *
     * @param keyFrame the sample to start at (reference track), or -1 to start at the sample shown at the cut
     * @param endMillis the end in milliseconds, or -1 for none
     */
    private static TrackCut cut(Track track, long movieTimescale, long cutValue, long cutTimescale, long keyFrame,
                                long endMillis) {
        Track.Edits edits = track.edits;
        long cutInMovie = Timescales.rescale(cutValue, cutTimescale, movieTimescale);
        long endInMovie = endMillis < 0 ? Long.MAX_VALUE : Timescales.fromMillis(endMillis, movieTimescale);
        long visibleStart = Math.max(cutInMovie, edits.emptyDelay());
        long visibleEnd = Math.min(track.presentationEnd(movieTimescale), endInMovie);
        if (visibleEnd <= visibleStart) {
            return null;
        }
        long delayInMedia = Timescales.rescale(edits.emptyDelay(), movieTimescale, track.timescale);
        long firstSample;
        long mediaStart;
        if (cutInMovie <= edits.emptyDelay()) {
            firstSample = 0; // the cut falls before this track begins: keep it whole, shorten its delay
            mediaStart = edits.mediaStart();
        } else {
            long mediaCut = Timescales.rescale(cutValue, cutTimescale, track.timescale) - delayInMedia
                    + edits.mediaStart();
            firstSample = keyFrame >= 0 ? keyFrame : Math.min(track.times.sampleAt(mediaCut), track.sampleCount() - 1);
            if (keyFrame < 0 && track.syncSamples != null) {
                // Another track with key frames (a second video track): start at its own key frame; the edit
                // list hides the frames before the cut.
                int previous = track.syncSamples.firstIndexAtOrAfter(firstSample + 1) - 1;
                firstSample = previous >= 0 ? track.syncSamples.sample(previous) : firstSample;
            } else if (track.handler == BoxTypes.SOUN && firstSample > 0) {
                firstSample--; // AAC and friends decode a frame right only after the one before it (pre-roll)
            }
            mediaStart = Math.max(0, mediaCut - track.times.decodeTime(firstSample));
        }
        long endSample = track.sampleCount();
        if (endMillis >= 0) {
            long mediaEnd = Timescales.fromMillis(endMillis, track.timescale) - delayInMedia + edits.mediaStart();
            endSample = Math.max(firstSample + 1, endOfPresentation(track, firstSample, mediaEnd));
        }
        long emptyDelay = Math.max(0, edits.emptyDelay() - cutInMovie);
        return new TrackCut(track, firstSample, endSample, emptyDelay, mediaStart, visibleEnd - visibleStart);
    }

    /**
     * One past the last sample in {@code [from, count)} whose composition time is before {@code mediaEnd}: keeping
     * decode order up to it keeps every frame shown before the end (and what they reference).
     */
    static long endOfPresentation(Track track, long from, long mediaEnd) {
        TimeToSample times = track.times;
        Runs offsets = track.compositionOffsets;
        if (offsets == null) {
            return times.firstSampleAtOrAfter(mediaEnd);
        }
        // Walk composition-offset runs backwards from the last sample that could qualify; within a run of offset
        // o, the samples shown before the end are exactly those decoded before mediaEnd - o.
        long upper = Math.min(track.sampleCount(), times.firstSampleAtOrAfter(mediaEnd - offsets.minSignedValue()));
        if (upper <= from) {
            return from;
        }
        for (int run = offsets.runOf(upper - 1); run >= 0; run--) {
            long runStart = Math.max(from, offsets.firstSample(run));
            long runEnd = Math.min(upper, offsets.firstSample(run + 1));
            if (runEnd <= runStart) {
                if (offsets.firstSample(run + 1) <= from) {
                    break;
                }
                continue;
            }
            long limit = Math.min(runEnd, times.firstSampleAtOrAfter(mediaEnd - offsets.signedValue(run)));
            if (limit > runStart) {
                return limit;
            }
            if (runStart == from) {
                break;
            }
        }
        return from;
    }
}
