package dev.vod.internal.mp4;

/**
 * The part of one track a seek keeps, and the edit list that shows it from the cut time.
 *
 * @param track        the source track
 * @param firstSample  first kept sample (decode order, 0-based)
 * @param endSample    one past the last kept sample
 * @param emptyDelay   movie-timescale delay before the track starts in the output (empty edit), usually 0
 * @param mediaStart   output media time shown first: skips what precedes the cut in the first kept samples
 * @param editDuration movie-timescale length of the track's output presentation
 */
record TrackCut(Track track, long firstSample, long endSample, long emptyDelay, long mediaStart,
                long editDuration) {

    long sampleCount() {
        return endSample - firstSample;
    }

    /** Media-timescale duration of the kept samples. */
    long mediaDuration() {
        return track.times.decodeTime(endSample) - track.times.decodeTime(firstSample);
    }

    /** Movie-timescale duration of the output track (its tkhd duration). */
    long trackDuration() {
        return emptyDelay + editDuration;
    }
}
