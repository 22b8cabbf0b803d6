package dev.vod.internal.mp4;

/**
 * Samples {@code [from, to)} (decode order, 0-based) of one track: what a media segment holds of that track.
 *
 * @param track the track, from {@link Mp4Media#tracks()}
 * @param from  first sample
 * @param to    end (exclusive)
 */
public record SampleRange(MediaTrack track, long from, long to) {
    public SampleRange {
        if (from < 0 || to < from || to > track.sampleCount()) {
            throw new IllegalArgumentException("samples " + from + ".." + to + " of " + track.sampleCount());
        }
    }

    public long count() {
        return to - from;
    }
}
