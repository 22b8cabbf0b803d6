package dev.vod.internal.packager;

import java.util.Arrays;

/**
 * Where segments start: at key frames, the first key frame at or after each multiple of the target duration
 * (the rule nginx-vod-module uses). Pure arithmetic on key-frame times, so renditions whose key frames fall
 * at the same instants (fixed-GOP encodes) get identical boundaries and the same number of segments.
 */
final class SegmentPlanner {
    private SegmentPlanner() {
    }

    /**
     * @param keyTimes presentation times of the key frames, in ticks, in decode order
     * @param target   target segment duration in ticks (> 0)
     * @return indexes into {@code keyTimes} of the key frames that start segments; the first is always 0
     */
    static int[] boundaries(long[] keyTimes, long target) {
        if (target <= 0) {
            throw new IllegalArgumentException("target must be positive");
        }
        if (keyTimes.length == 0) {
            return new int[] {0};
        }
        int[] out = new int[16];
        int n = 0;
        out[n++] = 0;
        long start = keyTimes[0];
        long last = keyTimes[0];
        long next = start + target;
        for (int j = 1; j < keyTimes.length; j++) {
            long t = keyTimes[j];
            if (t <= last || t < next) {
                continue; // not past the previous boundary (reordered or duplicate), or too early
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = j;
            last = t;
            next = start + ((t - start) / target + 1) * target;
        }
        return Arrays.copyOf(out, n);
    }
}
