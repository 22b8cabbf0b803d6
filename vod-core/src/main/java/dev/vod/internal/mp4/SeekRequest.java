package dev.vod.internal.mp4;

/**
 * What a client asked for with {@code ?start=S&end=E&exact=true}: seconds, {@link Double#NaN} when absent.
 *
 * @param start seconds from the beginning, {@code NaN} when absent (then 0)
 * @param end   seconds from the beginning, {@code NaN} when absent; ignored when not after {@code start}
 * @param exact start exactly at {@code start} (an edit list hides the frames from the previous key frame)
 *              instead of at that key frame
 */
public record SeekRequest(double start, double end, boolean exact) {
    public SeekRequest {
        if (start < 0 || Double.isInfinite(start) || end < 0 || Double.isInfinite(end)) {
            throw new IllegalArgumentException("start/end must be finite, non-negative or NaN");
        }
    }

    public boolean hasStart() {
        return !Double.isNaN(start);
    }

    /** Whether an end applies: present and after the start. */
    public boolean hasEnd() {
        return !Double.isNaN(end) && endMillis() > startMillis();
    }

    /** The start in whole milliseconds (0 when absent). */
    long startMillis() {
        return hasStart() ? Math.round(start * 1000) : 0;
    }

    /** The end in whole milliseconds; only meaningful when {@link #hasEnd()}. */
    long endMillis() {
        return Double.isNaN(end) ? -1 : Math.round(end * 1000);
    }

    /** A short canonical form for entity tags: {@code s95.5-e120}, {@code s0-x}. */
    String tag() {
        StringBuilder sb = new StringBuilder("s").append(seconds(startMillis()));
        if (hasEnd()) {
            sb.append("-e").append(seconds(endMillis()));
        }
        if (exact) {
            sb.append("-x");
        }
        return sb.toString();
    }

    private static String seconds(long millis) {
        String s = Long.toString(millis / 1000);
        long fraction = millis % 1000;
        if (fraction == 0) {
            return s;
        }
        String f = String.format("%03d", fraction);
        return s + "." + f.replaceAll("0+$", "");
    }
}
