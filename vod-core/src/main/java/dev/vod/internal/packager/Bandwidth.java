package dev.vod.internal.packager;

/**
 * Bitrates of a rendition's segments as manifests state them: the peak (largest segment over its duration, what
 * HLS {@code BANDWIDTH} and DASH {@code bandwidth} mean) and the average over the whole rendition.
 *
 * @param peak    bits per second of the most demanding segment
 * @param average bits per second over all segments
 */
public record Bandwidth(long peak, long average) {

    /** Of {@code selection}'s segments of {@code rendition} (their real sizes, headers included). */
    public static Bandwidth of(Rendition rendition, Selection selection) {
        return over(rendition, i -> rendition.segmentLength(i, selection));
    }

    /** Of the key frames alone, one per segment over the segment's duration (HLS I-frame playlists). */
    public static Bandwidth ofKeyFrames(Rendition rendition) {
        return over(rendition, rendition::keyFrameLength);
    }

    private static Bandwidth over(Rendition rendition, java.util.function.IntToLongFunction segmentBytes) {
        double peak = 0;
        double bytes = 0;
        for (int i = 0; i < rendition.segmentCount(); i++) {
            long length = segmentBytes.applyAsLong(i);
            bytes += length;
            double seconds = rendition.durationSeconds(i);
            if (seconds > 0) {
                peak = Math.max(peak, length * 8 / seconds);
            }
        }
        double total = rendition.durationSeconds();
        long average = total > 0 ? Math.round(bytes * 8 / total) : 0;
        return new Bandwidth(Math.max(average, Math.round(peak)), average);
    }
}
