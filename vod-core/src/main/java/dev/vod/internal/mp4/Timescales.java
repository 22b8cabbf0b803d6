package dev.vod.internal.mp4;

import java.math.BigInteger;

/** Conversions between timescales (ticks per second) without overflow. */
final class Timescales {
    private Timescales() {
    }

    /** {@code value * to / from}, rounded down; exact for any 64-bit inputs whose result fits a long. */
    static long rescale(long value, long from, long to) {
        if (from == to) {
            return value;
        }
        long high = Math.multiplyHigh(value, to);
        long low = value * to;
        if ((high == 0 && low >= 0) || (high == -1 && low < 0)) {
            return Math.floorDiv(low, from);
        }
        return BigInteger.valueOf(value).multiply(BigInteger.valueOf(to))
                .divide(BigInteger.valueOf(from)).longValueExact();
    }

    /** {@code millis} milliseconds in a timescale, rounded down. */
    static long fromMillis(long millis, long timescale) {
        return rescale(millis, 1000, timescale);
    }

    static double seconds(long value, long timescale) {
        return (double) value / timescale;
    }
}
